//! The fuel-sweep Monte Carlo (`scenarios/fuel-sweep.toml`, the issue's
//! performance anchor): run-days per second, and how the time grows with
//! runs, days, subscription agents and threads. Criterion reports each case's throughput in
//! run-days (elements) per second. Run with
//!
//! ```sh
//! cargo bench -p furnace-sim --bench monte_carlo
//! ```
//!
//! and see BENCHMARKS.md. Setup (loading the files) is outside the timed
//! loop; each iteration is a whole `monte_carlo` (workers set up, every
//! run, the merge), with a sink that keeps nothing, so the files the CLI
//! writes are not timed.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use furnace_config::Scenario;
use furnace_sim::mc::{monte_carlo, McOptions, NoRuns};
use std::path::Path;
use std::time::Duration;

fn fuel_sweep(days: u32) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/fuel-sweep.toml");
    furnace_config::load_scenario(&path, &[("days".into(), days.to_string())])
        .expect("fuel-sweep loads")
}

/// `scenarios/lam-baseline.toml` with `agents` numeraire-paying
/// subscription agents (no token agents) and a GBM price (120% a year, as
/// lam-volatile's), so that runs differ and the Monte Carlo folds them.
fn with_agents(agents: u32) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/lam-baseline.toml");
    let set = [
        ("subscriptions.usd_agents", agents.to_string()),
        ("subscriptions.token_agents", "0".to_string()),
        ("price.model", "gbm".to_string()),
        ("price.annual_drift", "0%".to_string()),
        ("price.annual_volatility", "120%".to_string()),
    ];
    let set: Vec<(String, String)> = set.iter().map(|(k, v)| ((*k).into(), v.clone())).collect();
    furnace_config::load_scenario(&path, &set).expect("lam-baseline loads")
}

fn run(scenario: &Scenario, runs: u64, threads: usize) {
    let opts = McOptions {
        first_run: 0,
        runs,
        threads: Some(threads),
    };
    let result = monte_carlo(scenario, &opts, &mut NoRuns, &|_| {}).expect("runs");
    assert_eq!(result.runs, runs);
}

fn bench(c: &mut Criterion) {
    let year = fuel_sweep(365);
    // Runs: 1 thread, a year each.
    let mut g = c.benchmark_group("fuel_sweep/runs");
    for runs in [64u64, 256, 1000] {
        g.throughput(Throughput::Elements(runs * 365));
        g.bench_with_input(BenchmarkId::from_parameter(runs), &runs, |b, &runs| {
            b.iter(|| run(&year, runs, 1))
        });
    }
    g.finish();
    // Days: 256 runs, 1 thread.
    let mut g = c.benchmark_group("fuel_sweep/days");
    for days in [90u32, 180, 365, 730] {
        let scenario = fuel_sweep(days);
        g.throughput(Throughput::Elements(256 * u64::from(days)));
        g.bench_with_input(BenchmarkId::from_parameter(days), &days, |b, _| {
            b.iter(|| run(&scenario, 256, 1))
        });
    }
    g.finish();
    // Agents: lam-baseline with 0 to 300 numeraire subscription agents,
    // 16 runs x 365 days, 1 thread. Each agent runs its actions every day
    // (two `Actions` events: with and without the marketplace workflow).
    let mut g = c.benchmark_group("lam_baseline/usd_agents");
    for agents in [0u32, 30, 100, 300] {
        let scenario = with_agents(agents);
        g.throughput(Throughput::Elements(16 * 365));
        g.bench_with_input(BenchmarkId::from_parameter(agents), &agents, |b, _| {
            b.iter(|| run(&scenario, 16, 1))
        });
    }
    g.finish();
    // Threads: the anchor, 1,000 runs x 365 days.
    let mut g = c.benchmark_group("fuel_sweep/threads");
    for threads in [1usize, 2] {
        g.throughput(Throughput::Elements(1000 * 365));
        g.bench_with_input(
            BenchmarkId::from_parameter(threads),
            &threads,
            |b, &threads| b.iter(|| run(&year, 1000, threads)),
        );
    }
    g.finish();
}

criterion_group! {
    name = benches;
    // Whole Monte Carlos of up to a second: few samples, short windows.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
