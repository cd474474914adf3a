//! A synthetic report with every part filled in: what each field of the
//! model looks like, for tests, for the browser check, and for trying the
//! renderers without running a simulation. Its figures are made up (smooth
//! curves, no randomness) and model no economy.

use crate::model::{
    Band, Detector, FirstStep, Measure, Report, Series, SeriesValues, SummaryRow, SweepRow,
    SweepTable, Tornado, TornadoBar,
};

/// Quantiles of a spread `w` around `m`, in the proportions of a normal
/// distribution (p25/p75 at ±0.674σ, p5/p95 at ±1.645σ).
fn band(m: f64, w: f64) -> Band {
    [
        m - 1.645 * w,
        m - 0.674 * w,
        m,
        m + 0.674 * w,
        m + 1.645 * w,
    ]
}

/// `steps` bands from `f(t)` = (median, spread), t = 1..=steps.
fn bands(steps: usize, f: impl Fn(f64) -> (f64, f64)) -> SeriesValues {
    SeriesValues::Bands(
        (1..=steps)
            .map(|t| {
                let (m, w) = f(t as f64);
                band(m, w)
            })
            .collect(),
    )
}

fn series(name: &str, unit: &str, chart: Option<&str>, values: SeriesValues) -> Series {
    Series {
        name: name.into(),
        unit: unit.into(),
        chart: chart.map(Into::into),
        values,
    }
}

fn row(name: &str, value: &str, unit: &str) -> SummaryRow {
    SummaryRow {
        name: name.into(),
        value: value.into(),
        unit: unit.into(),
    }
}

/// A year of days over 200 runs: supply, price, burned against a flat
/// emission (one chart), treasury and a pool's two reserves; two detectors,
/// a four-point sweep and a three-parameter tornado.
pub fn sample_report() -> Report {
    let steps = 365;
    let p = |k: &str, v: &str| (k.to_string(), v.to_string());
    Report {
        title: "Sample report (synthetic figures)".into(),
        scenario_name: "sample".into(),
        parameters: vec![
            p("days", "365"),
            p("runs", "200"),
            p("seed", "42"),
            p("demand.sigma", "0.4"),
            p("splits.action.legs[0].share", "34%"),
        ],
        summary: vec![
            row("final supply (p50)", "403,636,709.4", "LAM"),
            row(
                "final supply (p5 … p95)",
                "351,220,000 … 462,880,000",
                "LAM",
            ),
            row("final price (p50)", "0.0124", "USD per LAM"),
            row("runs where supply halved", "37 of 200", "runs"),
        ],
        warnings: vec![
            "emission schedule `community` stopped on day 351: its source <community> ran dry"
                .into(),
        ],
        runs: 200,
        steps,
        step_unit: "day".into(),
        series: vec![
            series(
                "supply",
                "LAM",
                None,
                bands(steps, |t| (1e9 - 1.6e6 * t, 1.2e5 * t.sqrt() * 10.0)),
            ),
            series(
                "price",
                "USD per LAM",
                None,
                bands(steps, |t| {
                    (
                        0.01 + 0.00001 * t + 0.0005 * (t / 20.0).sin(),
                        0.0002 * t.sqrt(),
                    )
                }),
            ),
            series(
                "burned",
                "LAM per day",
                Some("burn against emission"),
                bands(steps, |t| {
                    (2.6e6 - 1500.0 * t + 2e5 * (t / 9.0).sin(), 2e5 + 400.0 * t)
                }),
            ),
            series(
                "emitted",
                "LAM per day",
                Some("burn against emission"),
                SeriesValues::Line(vec![1e6; steps]),
            ),
            series(
                "treasury",
                "USD",
                None,
                bands(steps, |t| (5e5 + 1200.0 * t, 800.0 * t)),
            ),
            series(
                "lam_usd reserve LAM",
                "LAM",
                None,
                bands(steps, |t| (5e7 - 4e4 * t, 3e4 * t.sqrt())),
            ),
            series(
                "lam_usd reserve USD",
                "USD",
                None,
                bands(steps, |t| (5e6 + 3e3 * t, 2.5e3 * t.sqrt())),
            ),
        ],
        detectors: vec![
            Detector {
                name: "supply halves".into(),
                description: "supply below 50% of genesis (500,000,000 LAM)".into(),
                runs_triggered: 37,
                runs_total: 200,
                first_step: Some(FirstStep {
                    min: 180,
                    median: 250.5,
                    max: 340,
                }),
            },
            Detector {
                name: "treasury empty".into(),
                description: "treasury holds less than 1 USD".into(),
                runs_triggered: 0,
                runs_total: 200,
                first_step: None,
            },
        ],
        sweep: Some(SweepTable {
            parameter_names: vec!["demand.sigma".into(), "burn share".into()],
            outcomes: vec![
                Measure {
                    name: "final supply (p50)".into(),
                    unit: "LAM".into(),
                },
                Measure {
                    name: "supply halves".into(),
                    unit: "share of runs".into(),
                },
            ],
            rows: [("0.2", "34%", 4.1e8, 0.02), ("0.2", "50%", 2.9e8, 0.41)]
                .into_iter()
                .chain([("0.4", "34%", 4.04e8, 0.185), ("0.4", "50%", 2.87e8, 0.5)])
                .map(|(s, b, supply, halves)| SweepRow {
                    values: vec![s.into(), b.into()],
                    outcomes: vec![supply, halves],
                })
                .collect(),
        }),
        sensitivity: Some(Tornado {
            outcome: "final supply (p50)".into(),
            unit: "LAM".into(),
            base_value: 4.04e8,
            bars: vec![
                TornadoBar {
                    parameter: "demand.sigma".into(),
                    low_value: "0.2".into(),
                    high_value: "0.6".into(),
                    outcome_at_low: 4.1e8,
                    outcome_at_high: 3.95e8,
                },
                TornadoBar {
                    parameter: "splits.action.legs[0].share".into(),
                    low_value: "20%".into(),
                    high_value: "50%".into(),
                    outcome_at_low: 5.3e8,
                    outcome_at_high: 2.87e8,
                },
                TornadoBar {
                    parameter: "actions per day".into(),
                    low_value: "500,000".into(),
                    high_value: "1,500,000".into(),
                    outcome_at_low: 6.1e8,
                    outcome_at_high: 2.2e8,
                },
            ],
        }),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sample_is_valid() {
        assert_eq!(super::sample_report().validate(), Ok(()));
    }
}
