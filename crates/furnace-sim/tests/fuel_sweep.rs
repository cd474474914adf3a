//! The anchor: `scenarios/fuel-sweep.toml` against an independent, naive
//! implementation of the model of `../shared/reference/fuel-sweep.md`,
//! written here from its description in f64 (as the NumPy script is), with
//! its own random numbers. Random streams differ, so agreement is
//! statistical: each furnace quantile of final supply and price must sit
//! at the same rank of the model's distribution within Monte Carlo error,
//! and the mean cumulative burn within four standard errors.

use furnace_sim::mc::{monte_carlo, series_of, McOptions, RunRecord, RunSink};
use std::path::Path;

/// The model's parameters ("Parameters (defaults)").
const T: usize = 365;
const S0: f64 = 1_000_000_000.0;
const X0: f64 = 50_000_000.0;
const Y0: f64 = 5_000_000.0;
const FEE: f64 = 0.003;
const P_ACTION: f64 = 0.01;
const A0: f64 = 1_000_000.0;
const G_MEAN: f64 = 0.01;
const G_SD: f64 = 0.02;
const G_FLOOR: f64 = -0.5;
const M: f64 = 0.6;
const B: f64 = 0.34;
const C: f64 = 0.33;
const E0: f64 = 1_000_000.0;
const DECAY: f64 = 0.999;

/// Final supply, final price Y/X and cumulative burn of one run.
fn model_run(rng: &mut SplitMix) -> (f64, f64, f64) {
    let (mut x, mut y, mut s, mut a) = (X0, Y0, S0, A0);
    let mut burned = 0.0;
    for t in 0..T {
        // 1-2. The oracle price at the start of the day; tokens needed.
        let p = y / x;
        let mut d = P_ACTION * a / p;
        // 3. Buy exactly D out of the pool, exact out with the fee.
        if d >= x {
            d = 0.5 * x;
        }
        let usd_in = y * d / (x - d) / (1.0 - FEE);
        x -= d;
        y += usd_in;
        // 4. Distribution; 5. emissions.
        let burn = B * d;
        let creator = C * M * d;
        let e = E0 * DECAY.powi(t as i32);
        // 6. Sells: half the emission and half the creators' receipts.
        let tin = 0.5 * e + 0.5 * creator;
        let usd_out = y * tin * (1.0 - FEE) / (x + tin * (1.0 - FEE));
        x += tin;
        y -= usd_out;
        // 7. Supply; 8. the growth draw.
        s += e - burn;
        burned += burn;
        let g = (G_MEAN + G_SD * rng.normal()).max(G_FLOOR);
        a *= 1.0 + g;
    }
    (s, y / x, burned)
}

/// SplitMix64 and Box-Muller: independent of furnace's ChaCha8 streams.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        (-2.0 * self.uniform().ln()).sqrt() * (std::f64::consts::TAU * self.uniform()).cos()
    }
}

/// Collects each run's final supply, reserves and cumulative burn.
struct Finals {
    at: [usize; 4],
    rows: Vec<[f64; 4]>,
}

impl RunSink for Finals {
    fn run(&mut self, r: &RunRecord) -> std::io::Result<()> {
        let whole = |j: usize, decimals: i32| {
            r.finals[j].map_or(f64::NAN, |v| v.magnitude as f64 / 10f64.powi(decimals))
        };
        self.rows.push([
            whole(self.at[0], 18),
            whole(self.at[1], 18),
            whole(self.at[2], 6),
            whole(self.at[3], 18),
        ]);
        Ok(())
    }
}

fn share_below(sorted: &[f64], v: f64) -> f64 {
    sorted.partition_point(|x| *x < v) as f64 / sorted.len() as f64
}

fn quantile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[test]
fn furnace_agrees_with_the_naive_model() {
    // Runs: furnace's are debug-built in tests (every event also checks
    // the whole ledger), so 400 of them; the model's are cheap.
    const RUNS: u64 = 400;
    const MODEL_RUNS: usize = 4000;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/fuel-sweep.toml");
    let scenario = furnace_config::load_scenario(&path, &[]).expect("loads");
    let series = series_of(&scenario).expect("sets up");
    let at = |name: &str| series.iter().position(|s| s.name == name).expect(name);
    let mut sink = Finals {
        at: [
            at("supply"),
            at("lam_usd_reserve_LAM"),
            at("lam_usd_reserve_USD"),
            at("cum_burned"),
        ],
        rows: Vec::new(),
    };
    let opts = McOptions {
        first_run: 0,
        runs: RUNS,
        threads: Some(2),
    };
    let result = monte_carlo(&scenario, &opts, &mut sink, &|_| {}).expect("runs");
    assert_eq!(sink.rows.len(), RUNS as usize);

    let mut rng = SplitMix(2024);
    let model: Vec<(f64, f64, f64)> = (0..MODEL_RUNS).map(|_| model_run(&mut rng)).collect();
    let sorted = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v
    };
    let model_supply = sorted(model.iter().map(|m| m.0).collect());
    let model_price = sorted(model.iter().map(|m| m.1).collect());
    let ours_supply = sorted(sink.rows.iter().map(|r| r[0]).collect());
    let ours_price = sorted(sink.rows.iter().map(|r| r[2] / r[1]).collect());

    // Each furnace quantile sits at its rank in the model's distribution,
    // within 4 standard errors of two independent sample quantiles:
    // sqrt(p (1 - p) (1/400 + 1/4000)).
    for (what, ours, theirs) in [
        ("supply", &ours_supply, &model_supply),
        ("price", &ours_price, &model_price),
    ] {
        for p in [0.05, 0.5, 0.95] {
            let q = quantile(ours, p);
            let rank = share_below(theirs, q);
            let tol = 4.0 * (p * (1.0 - p) * (1.0 / RUNS as f64 + 1.0 / MODEL_RUNS as f64)).sqrt();
            assert!(
                (rank - p).abs() <= tol,
                "{what} p{}: furnace {q} is at the model's {rank:.3} (model p{}: {})",
                p * 100.0,
                p * 100.0,
                quantile(theirs, p)
            );
        }
    }
    for (what, ours, theirs) in [
        ("supply", &ours_supply, &model_supply),
        ("price", &ours_price, &model_price),
    ] {
        let q = |v: &[f64]| [0.05, 0.5, 0.95].map(|p| quantile(v, p));
        eprintln!(
            "{what} p5/p50/p95: furnace {:?}, model {:?}",
            q(ours),
            q(theirs)
        );
    }
    // The medians themselves, for the record: within 1% of each other.
    let rel = |a: f64, b: f64| (a / b - 1.0).abs();
    assert!(rel(quantile(&ours_supply, 0.5), quantile(&model_supply, 0.5)) < 0.01);
    assert!(rel(quantile(&ours_price, 0.5), quantile(&model_price, 0.5)) < 0.05);

    // Mean cumulative burn, within 4 standard errors.
    let mean_sd = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        let var = v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() - 1) as f64;
        (m, var.sqrt())
    };
    let ours_burn: Vec<f64> = sink.rows.iter().map(|r| r[3]).collect();
    let theirs_burn: Vec<f64> = model.iter().map(|m| m.2).collect();
    let ((m1, s1), (m2, s2)) = (mean_sd(&ours_burn), mean_sd(&theirs_burn));
    let se = (s1 * s1 / RUNS as f64 + s2 * s2 / MODEL_RUNS as f64).sqrt();
    assert!(
        (m1 - m2).abs() <= 4.0 * se,
        "mean burn {m1} vs {m2}, se {se}"
    );

    // The bands' last step agrees with the exact finals within the
    // sketch's stated bound.
    let last = result.steps() - 1;
    let j = result.series_index("supply").unwrap();
    let band = result.band(last, j);
    let bound = band.max_error as f64 / 1e18;
    for (k, p) in [0.05, 0.25, 0.5, 0.75, 0.95].into_iter().enumerate() {
        let got = band.quantiles[k].unwrap().1 as f64 / 1e18;
        let exact = quantile(&ours_supply, p);
        // f64 of 28-digit amounts: a few ulps of 1e9 on top of the bound.
        assert!(
            (got - exact).abs() <= bound + 1e-3,
            "band p{}: {got} vs {exact}",
            p * 100.0
        );
    }
}
