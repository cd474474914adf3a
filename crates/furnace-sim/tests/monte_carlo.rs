//! Monte Carlo determinism: the same runs give the same bits whatever the
//! thread count and whatever other runs are computed with them; and the
//! accumulators do not grow with the number of runs.

use furnace_config::Scenario;
use furnace_sim::mc::{monte_carlo, write_bands, CsvRuns, McOptions, McResult};
use furnace_sim::AmountFormat;
use proptest::prelude::*;
use std::path::Path;

fn scenario(name: &str, sets: &[(&str, &str)]) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(name);
    let sets: Vec<(String, String)> = sets
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    furnace_config::load_scenario(&path, &sets).expect("loads")
}

/// `bands.csv` and `runs.csv` of runs `first..first + runs` on `threads`.
fn files(s: &Scenario, first: u64, runs: u64, threads: usize) -> (McResult, String, String) {
    let opts = McOptions {
        first_run: first,
        runs,
        threads: Some(threads),
    };
    let series = furnace_sim::mc::series_of(s).unwrap();
    let mut sink = CsvRuns::new(Vec::new(), &series, AmountFormat::BaseUnits);
    let r = monte_carlo(s, &opts, &mut sink, &|_| {}).expect("runs");
    let mut bands = Vec::new();
    write_bands(&r, &mut bands, AmountFormat::BaseUnits).unwrap();
    let runs = String::from_utf8(sink.into_inner()).unwrap();
    (r, String::from_utf8(bands).unwrap(), runs)
}

/// A short, noisy fuel-sweep: random growth, decaying emissions, a
/// probabilistic demand shock and a whale, so every stream is drawn.
fn noisy() -> Scenario {
    scenario(
        "fuel-sweep.toml",
        &[
            ("days", "40"),
            ("demand.noise", "10%"),
            ("demand.seasonality", "20%"),
            ("demand.season_days", "7"),
            ("shocks", "[{ kind = \"demand\", probability = \"5%\", size = \"30%\" }, { kind = \"whale\", day = 20, size = \"1%\", account = \"holders\" }]"),
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, .. ProptestConfig::default() })]

    #[test]
    fn the_same_runs_give_the_same_bits(seed in 0u64..1_000_000, first in 0u64..1000, runs in 1u64..40, threads in 1usize..4) {
        let s = {
            let mut s = noisy();
            s.seed = seed;
            s
        };
        let (_, bands_1, runs_1) = files(&s, first, runs, 1);
        let (_, bands_n, runs_n) = files(&s, first, runs, threads);
        prop_assert_eq!(&bands_1, &bands_n);
        prop_assert_eq!(&runs_1, &runs_n);
        // A subset: runs first+k.. alone are the same rows as in the set.
        let k = runs / 2;
        let (_, _, subset) = files(&s, first + k, runs - k, threads);
        let rows = |text: &str| text.lines().skip(1).map(str::to_string).collect::<Vec<_>>();
        prop_assert_eq!(rows(&subset), rows(&runs_1)[k as usize..].to_vec());
    }
}

#[test]
fn shocks_and_seasonality_move_the_runs() {
    let (r, _, _) = files(&noisy(), 0, 24, 2);
    let last = r.steps() - 1;
    let j = r.series_index("api_actions").unwrap();
    let b = r.band(last, j);
    // Demand noise spreads the runs apart at the last step.
    assert!(b.quantiles[0] < b.quantiles[4], "{b:?}");
    // The whale sells 1% of the supply on day 20 in every run.
    let w = r.series_index("shock_sold").unwrap();
    assert_eq!(r.band(19, w).n, 24);
    assert!(r.band(19, w).quantiles[0].unwrap().1 > 0);
    assert_eq!(r.band(18, w).quantiles[4].unwrap().1, 0);
}

#[test]
fn accumulators_do_not_grow_with_runs() {
    let s = scenario("fuel-sweep.toml", &[("days", "30")]);
    let (small, _, _) = files(&s, 0, 64, 1);
    let (large, _, _) = files(&s, 0, 640, 1);
    // Ten times the runs: the same cells, a few more bins where the
    // spread grew, never more than 512 per cell.
    let (a, b) = (small.memory_bytes(), large.memory_bytes());
    assert!(b < a * 2, "{a} -> {b} bytes");
    let cells = large.steps() * large.series().len();
    assert!(
        b <= cells * (512 * 4 + 200) + 16 * cells * 16,
        "{b} bytes for {cells} cells"
    );
}
