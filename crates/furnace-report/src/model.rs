//! The input: what a Monte Carlo run, a sweep or a single deterministic run
//! hands to the renderers. Plain data with public fields; the runner builds
//! it, [`Report::validate`] checks it, and every renderer validates first,
//! so a chart never silently draws a half-filled band.
//!
//! Floats are fine here: a report shows aggregates across runs (quantiles,
//! frequencies) and is never read back into the ledger. Figures that are
//! exact in the ledger and shown as such (the summary) are text, formatted
//! by the caller, so the report cannot round them.

use std::fmt;

/// The quantiles of a band, in the order of [`Band`]'s five entries.
pub const QUANTILES: [&str; 5] = ["p5", "p25", "p50", "p75", "p95"];

/// One step's quantiles across runs: `[p5, p25, p50, p75, p95]`.
pub type Band = [f64; 5];

/// Series drawn on one chart at most: the palette has this many colours, and
/// a ninth would have to reuse one and become ambiguous.
pub const MAX_SERIES_PER_CHART: usize = 8;

/// Everything one `report.html` shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The page's heading, e.g. "LAM baseline, 500 runs".
    pub title: String,
    /// The scenario's name, as its file gives it.
    pub scenario_name: String,
    /// The scenario's parameters and, for a sweep point, the swept values,
    /// as text (`("demand.sigma", "0.4")`), in the order to show them.
    pub parameters: Vec<(String, String)>,
    /// Headline figures, already formatted by the caller.
    pub summary: Vec<SummaryRow>,
    /// Warnings the run raised (unfunded demand, a schedule that stopped,
    /// a clamped driver), each a sentence, listed after the summary.
    pub warnings: Vec<String>,
    /// Runs aggregated (1 for a deterministic run).
    pub runs: usize,
    /// Steps per run; every series has exactly this many values.
    pub steps: usize,
    /// What a step is, singular: "day" (a month in `ast-report`).
    pub step_unit: String,
    /// Time series, charted in order; see [`Series::chart`] for grouping.
    pub series: Vec<Series>,
    /// Conditions watched in every run, with how often they fired.
    pub detectors: Vec<Detector>,
    /// Outcomes at each point of a parameter sweep, when there was one.
    pub sweep: Option<SweepTable>,
    /// One-at-a-time sensitivity of one outcome, when computed.
    pub sensitivity: Option<Tornado>,
}

/// One headline figure: `final supply (p50)`, `403,636,709.4`, `LAM`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow {
    pub name: String,
    /// Shown as given: exact ledger figures stay exact.
    pub value: String,
    pub unit: String,
}

/// A time series: per-step quantile bands across runs, or one line.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Unique in a report; names the series in legends and in the bands table.
    pub name: String,
    /// The y axis label, e.g. "LAM" or "USD per LAM".
    pub unit: String,
    /// Series with the same `chart` share one chart, titled with it (burned
    /// against emitted; a pool's two reserves). `None`: a chart of its own,
    /// titled with the series' name. Series on one chart share a unit.
    pub chart: Option<String>,
    pub values: SeriesValues,
}

/// A series' values, one per step, step 1 first.
#[derive(Clone, Debug, PartialEq)]
pub enum SeriesValues {
    /// Quantiles across runs per step, each band non-decreasing.
    Bands(Vec<Band>),
    /// A deterministic value per step (one run, or a base case).
    Line(Vec<f64>),
}

impl SeriesValues {
    /// Values per step.
    pub fn len(&self) -> usize {
        match self {
            SeriesValues::Bands(b) => b.len(),
            SeriesValues::Line(l) => l.len(),
        }
    }

    /// True when there are no steps.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Step `i` (0-based) as a band: a line's value is every quantile of
    /// itself (the quantiles of one run are that run).
    pub fn band(&self, i: usize) -> Option<Band> {
        match self {
            SeriesValues::Bands(b) => b.get(i).copied(),
            SeriesValues::Line(l) => l.get(i).map(|&v| [v; 5]),
        }
    }
}

impl Series {
    /// The chart this series is drawn on: its `chart`, or its own name.
    pub fn chart_key(&self) -> &str {
        self.chart.as_deref().unwrap_or(&self.name)
    }
}

/// A condition checked in every run ("supply below half of genesis",
/// "treasury empty"), and how often it fired.
#[derive(Clone, Debug, PartialEq)]
pub struct Detector {
    pub name: String,
    /// What fires it, in words, with its threshold.
    pub description: String,
    /// Runs in which it fired at least once.
    pub runs_triggered: usize,
    /// Runs checked.
    pub runs_total: usize,
    /// When it first fired, across the runs where it did; `None` exactly
    /// when `runs_triggered` is 0.
    pub first_step: Option<FirstStep>,
}

/// The first step a detector fired, across the runs where it fired.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FirstStep {
    pub min: u64,
    /// A median of an even number of runs can fall between two steps.
    pub median: f64,
    pub max: u64,
}

/// Outcomes at each point of a parameter sweep (one row per point).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepTable {
    /// The swept parameters, e.g. `["demand.sigma", "burn share"]`.
    pub parameter_names: Vec<String>,
    /// The outcomes measured at every point, with units.
    pub outcomes: Vec<Measure>,
    pub rows: Vec<SweepRow>,
}

/// An outcome's name and unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    pub name: String,
    pub unit: String,
}

/// One sweep point.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    /// One value per [`SweepTable::parameter_names`], as text.
    pub values: Vec<String>,
    /// One per [`SweepTable::outcomes`]; NaN where the outcome has no value
    /// at this point (a half-life that never came), shown as "–".
    pub outcomes: Vec<f64>,
}

/// One outcome's sensitivity to each parameter moved alone from the base
/// case to a low and a high value.
#[derive(Clone, Debug, PartialEq)]
pub struct Tornado {
    pub outcome: String,
    pub unit: String,
    /// The outcome with every parameter at its base value.
    pub base_value: f64,
    /// In any order; drawn widest swing first.
    pub bars: Vec<TornadoBar>,
}

/// One parameter's swing.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    pub parameter: String,
    pub low_value: String,
    pub high_value: String,
    pub outcome_at_low: f64,
    pub outcome_at_high: f64,
}

impl TornadoBar {
    /// How far the outcome moves between the two ends.
    pub fn swing(&self) -> f64 {
        (self.outcome_at_high - self.outcome_at_low).abs()
    }
}

/// Everything wrong with a [`Report`], each problem naming its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(pub Vec<String>);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid report: {}", self.0.join("; "))
    }
}

impl std::error::Error for Invalid {}

impl Report {
    /// Checks what the renderers rely on, reporting every problem at once:
    /// each series has `steps` finite values and ordered bands, names are
    /// unique, a chart's series share a unit, counts add up, a sweep's rows
    /// are as wide as its header and a tornado's figures are finite.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut bad = Vec::new();
        self.check_series(&mut bad);
        for (i, d) in self.detectors.iter().enumerate() {
            check_detector(i, d, &mut bad);
        }
        if let Some(sweep) = &self.sweep {
            check_sweep(sweep, &mut bad);
        }
        if let Some(t) = &self.sensitivity {
            check_tornado(t, &mut bad);
        }
        if bad.is_empty() {
            Ok(())
        } else {
            Err(Invalid(bad))
        }
    }

    fn check_series(&self, bad: &mut Vec<String>) {
        if !self.series.is_empty() && self.steps == 0 {
            bad.push("steps: 0, but there are series to chart".into());
        }
        for (i, s) in self.series.iter().enumerate() {
            let at = format!("series[{i}] `{}`", s.name);
            if s.name.is_empty() {
                bad.push(format!("{at}: empty name"));
            }
            if self.series[..i].iter().any(|o| o.name == s.name) {
                bad.push(format!("{at}: name used by an earlier series"));
            }
            if s.values.len() != self.steps {
                bad.push(format!(
                    "{at}: {} values for {} steps",
                    s.values.len(),
                    self.steps
                ));
            }
            if let Some(step) = (0..s.values.len()).find(|&k| {
                let b = s.values.band(k).unwrap_or([f64::NAN; 5]);
                !b.iter().all(|v| v.is_finite()) || b.windows(2).any(|w| w[0] > w[1])
            }) {
                bad.push(format!(
                    "{at}: step {} is not finite and ordered p5 <= p25 <= p50 <= p75 <= p95 (first such step)",
                    step + 1
                ));
            }
            let key = s.chart_key();
            let first = self.series.iter().position(|o| o.chart_key() == key);
            if let Some(f) = first.filter(|&f| f < i) {
                if self.series[f].unit != s.unit {
                    bad.push(format!(
                        "{at}: unit `{}` differs from `{}` of `{}` on the same chart `{key}`",
                        s.unit, self.series[f].unit, self.series[f].name
                    ));
                }
            }
            let on_chart = self.series[..=i]
                .iter()
                .filter(|o| o.chart_key() == key)
                .count();
            if on_chart == MAX_SERIES_PER_CHART + 1 {
                bad.push(format!(
                    "chart `{key}`: more than {MAX_SERIES_PER_CHART} series (the palette's colours)"
                ));
            }
        }
    }
}

fn check_detector(i: usize, d: &Detector, bad: &mut Vec<String>) {
    let at = format!("detectors[{i}] `{}`", d.name);
    if d.runs_triggered > d.runs_total {
        bad.push(format!(
            "{at}: triggered in {} of {} runs",
            d.runs_triggered, d.runs_total
        ));
    }
    match (&d.first_step, d.runs_triggered) {
        (None, 0) => {}
        (Some(_), 0) => bad.push(format!("{at}: a first step, but no run triggered it")),
        (None, _) => bad.push(format!("{at}: triggered, but no first step")),
        (Some(f), _) => {
            let (lo, hi) = (f.min as f64, f.max as f64);
            if !(lo <= f.median && f.median <= hi) {
                bad.push(format!(
                    "{at}: first step min {} <= median {} <= max {} does not hold",
                    f.min, f.median, f.max
                ));
            }
        }
    }
}

fn check_sweep(s: &SweepTable, bad: &mut Vec<String>) {
    for (i, row) in s.rows.iter().enumerate() {
        if row.values.len() != s.parameter_names.len() {
            bad.push(format!(
                "sweep.rows[{i}]: {} values for {} parameters",
                row.values.len(),
                s.parameter_names.len()
            ));
        }
        if row.outcomes.len() != s.outcomes.len() {
            bad.push(format!(
                "sweep.rows[{i}]: {} outcomes for {} outcome columns",
                row.outcomes.len(),
                s.outcomes.len()
            ));
        }
        if row.outcomes.iter().any(|v| v.is_infinite()) {
            bad.push(format!(
                "sweep.rows[{i}]: an infinite outcome (NaN means no value)"
            ));
        }
    }
}

fn check_tornado(t: &Tornado, bad: &mut Vec<String>) {
    if t.bars.is_empty() {
        bad.push("sensitivity: no bars".into());
    }
    if !t.base_value.is_finite() {
        bad.push("sensitivity.base_value: not finite".into());
    }
    for (i, b) in t.bars.iter().enumerate() {
        if !b.outcome_at_low.is_finite() || !b.outcome_at_high.is_finite() {
            bad.push(format!(
                "sensitivity.bars[{i}] `{}`: an outcome is not finite",
                b.parameter
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample_report;

    fn problems(r: &Report) -> Vec<String> {
        r.validate().err().map(|e| e.0).unwrap_or_default()
    }

    #[test]
    fn series_rules() {
        let mut r = sample_report();
        r.series[1].values = SeriesValues::Line(vec![1.0; 364]);
        r.series[2].name = "supply".into();
        r.series[4].values = SeriesValues::Line({
            let mut v = vec![1.0; 365];
            v[9] = f64::NAN;
            v
        });
        assert_eq!(
            problems(&r),
            [
                "series[1] `price`: 364 values for 365 steps",
                "series[2] `supply`: name used by an earlier series",
                "series[4] `treasury`: step 10 is not finite and ordered p5 <= p25 <= p50 <= p75 <= p95 (first such step)",
            ]
        );
    }

    #[test]
    fn nine_series_on_one_chart_is_one_too_many() {
        let mut r = sample_report();
        r.series = (0..9)
            .map(|i| Series {
                name: format!("s{i}"),
                unit: "LAM".into(),
                chart: Some("all".into()),
                values: SeriesValues::Line(vec![0.0; 365]),
            })
            .collect();
        assert_eq!(
            problems(&r),
            ["chart `all`: more than 8 series (the palette's colours)"]
        );
        r.series.pop();
        assert_eq!(r.validate(), Ok(()));
    }

    #[test]
    fn detector_sweep_and_tornado_rules() {
        let mut r = sample_report();
        r.detectors[0].first_step = None;
        r.detectors[1].first_step = Some(FirstStep {
            min: 3,
            median: 2.0,
            max: 4,
        });
        let sweep = r.sweep.as_mut().unwrap();
        sweep.rows[1].values.pop();
        sweep.rows[2].outcomes[0] = f64::INFINITY;
        sweep.rows[3].outcomes[1] = f64::NAN; // "no value" is allowed
        let t = r.sensitivity.as_mut().unwrap();
        t.bars[0].outcome_at_high = f64::NAN;
        assert_eq!(
            problems(&r),
            [
                "detectors[0] `supply halves`: triggered, but no first step",
                "detectors[1] `treasury empty`: a first step, but no run triggered it",
                "sweep.rows[1]: 1 values for 2 parameters",
                "sweep.rows[2]: an infinite outcome (NaN means no value)",
                "sensitivity.bars[0] `demand.sigma`: an outcome is not finite",
            ]
        );
        let mut r = sample_report();
        r.detectors[0].first_step = Some(FirstStep {
            min: 3,
            median: 2.0,
            max: 4,
        });
        assert_eq!(
            problems(&r),
            ["detectors[0] `supply halves`: first step min 3 <= median 2 <= max 4 does not hold"]
        );
    }
}
