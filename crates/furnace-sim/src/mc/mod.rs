//! Monte Carlo: many futures of one scenario, in parallel, folded into
//! bounded aggregates.
//!
//! [`monte_carlo`] runs `runs` futures of a scenario starting at run
//! `first_run`. Run `i` draws every random number from its own seed,
//! [`run_seed`]`(scenario seed, i)`, so a run's figures do not depend on
//! which other runs are computed, in what order, or on how many threads:
//! the same runs give the same bits. (`furnace run --set seed=S` with a
//! run's seed from `runs.csv` reproduces that run with its full
//! `timeseries.csv`.)
//!
//! Each worker thread (rayon's pool: `RAYON_NUM_THREADS`, or
//! [`McOptions::threads`]) sets the scenario up once and resets the state
//! to that snapshot for every run; every step is folded into the worker's
//! accumulators as it is made (no rows are kept): per (step, series) a
//! quantile sketch, exact sums and extremes ([`Bands`]); per run its final
//! values and detectors, handed to a [`RunSink`] in run order (at most
//! [`MAX_AHEAD_BLOCKS`] blocks wait for an earlier one); per detector how
//! many runs it fired in. Memory is the workers' accumulators, whatever
//! the number of runs (`crates/furnace-sim/tests/monte_carlo.rs` measures
//! it).
//!
//! The aggregate API ([`McResult`]): [`McResult::series`] names every
//! series with its unit; [`McResult::band`]`(step, series)` gives
//! p5/p25/p50/p75/p95 and the exact mean in base units with the sketch's
//! error bound; [`McResult::detectors`] the frequencies and first steps.
//! `write.rs` writes them as `bands.csv`, `runs.csv` and `summary.json`.

mod bands;
mod detect;
mod runner;
mod series;
mod sketch;
mod write;

pub use bands::{Band, Bands, BLOCK_RUNS, QUANTILES};
pub use detect::{Detector, DetectorCounts, DETECTORS};
pub use series::{SeriesInfo, Value};
pub use sketch::MAX_CELL_BINS;
pub use write::{write_bands, BandsFormat, CsvRuns, McSummary};

use crate::error::SimError;
use crate::sim::RunInfo;
use detect::Watch;
use furnace_config::Scenario;
use runner::{Acc, RunOut, Worker};
use series::SeriesTable;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Mutex};

/// The most runs one Monte Carlo may ask for: 10^9 (a sketch counts in
/// `u32`, 4.29 x 10^9 at most, and a billion years of days is already
/// 10^5 times the million-run target).
pub const MAX_RUNS: u64 = 1_000_000_000;

/// Blocks finished ahead of the oldest one not yet handed to the sink, per
/// worker: bounds what waits in memory for `runs.csv`'s order.
pub const MAX_AHEAD_BLOCKS: u64 = 4;

/// Run `run`'s seed: the `run + 1`-th output of SplitMix64 (Steele, Lea
/// and Flood, 2014) seeded with the scenario's seed. SplitMix64's mixer is
/// a bijection of its state, and the states of runs differ (an odd
/// increment), so no two runs of one scenario share a seed.
pub fn run_seed(scenario_seed: u64, run: u64) -> u64 {
    let mut z = scenario_seed.wrapping_add(run.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Worker threads when none are asked for: rayon's (RAYON_NUM_THREADS,
/// else one per core).
pub fn default_threads() -> usize {
    rayon::current_num_threads()
}

/// What to run.
#[derive(Clone, Debug)]
pub struct McOptions {
    /// The first run's index (a subset of runs gives the same runs).
    pub first_run: u64,
    pub runs: u64,
    /// Worker threads: `None` uses rayon's global pool.
    pub threads: Option<usize>,
}

/// Where each run's final values go, in run order (`runs.csv`).
pub trait RunSink {
    fn run(&mut self, run: &RunRecord) -> std::io::Result<()>;
}

/// One run's record: its index, seed, the value of every series at its
/// last step (as [`McResult::series`] orders them) and the step each
/// detector first fired.
pub struct RunRecord<'a> {
    pub run: u64,
    pub seed: u64,
    pub finals: &'a [Option<Value>],
    pub fired: &'a [Option<u32>],
}

/// A sink that keeps nothing.
pub struct NoRuns;

impl RunSink for NoRuns {
    fn run(&mut self, _: &RunRecord) -> std::io::Result<()> {
        Ok(())
    }
}

/// Why a Monte Carlo stopped.
#[derive(Debug)]
pub enum McError {
    /// The options are out of range.
    Options(String),
    /// Setup failed (as a single run's would).
    Setup(SimError),
    /// A run stopped: which, with which seed.
    Run {
        run: u64,
        seed: u64,
        error: SimError,
    },
    /// The sink could not write.
    Io(std::io::Error),
}

impl std::fmt::Display for McError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            McError::Options(m) => f.write_str(m),
            McError::Setup(e) => write!(f, "{e}"),
            McError::Run { run, seed, error } => write!(f, "run {run} (seed {seed}): {error}"),
            McError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for McError {}

/// What a Monte Carlo produced.
pub struct McResult {
    /// The scenario's run facts (names, token, numeraire, decimals).
    pub info: RunInfo,
    pub first_run: u64,
    pub runs: u64,
    series: Vec<SeriesInfo>,
    bands: Bands,
    /// Every band, step-major, computed once (in parallel) when the runs
    /// are merged: `bands.csv`, its Parquet twin and the report each read
    /// all of them, and each band scans up to 512 bins.
    computed: Vec<Band>,
    detectors: DetectorCounts,
    /// Each detector, whether the scenario turns it on, and its meaning.
    pub detector_info: Vec<(Detector, bool, String)>,
}

impl McResult {
    /// Every series folded, in `bands.csv` and `runs.csv` order.
    pub fn series(&self) -> &[SeriesInfo] {
        &self.series
    }

    pub fn steps(&self) -> usize {
        self.bands.steps()
    }

    /// The band of series `j` at step `s` (0-based) across the runs.
    pub fn band(&self, s: usize, j: usize) -> Band {
        self.computed[s * self.series.len() + j].clone()
    }

    /// A series' index by name.
    pub fn series_index(&self, name: &str) -> Option<usize> {
        self.series.iter().position(|s| s.name == name)
    }

    pub fn detectors(&self) -> &DetectorCounts {
        &self.detectors
    }

    /// Bytes the merged accumulators hold.
    pub fn memory_bytes(&self) -> usize {
        self.bands.memory_bytes()
    }
}

/// What the workers share.
struct Shared<'a> {
    scenario: &'a Scenario,
    opts: &'a McOptions,
    table: &'a SeriesTable,
    watch: &'a Watch,
    blocks: u64,
    /// Blocks a worker may finish ahead of the sink.
    ahead: u64,
    /// The next block to take, and blocks handed to the sink.
    next: AtomicU64,
    written: AtomicU64,
    stop: AtomicBool,
    accs: Mutex<Vec<Acc>>,
    failure: Mutex<Option<McError>>,
}

impl Shared<'_> {
    /// Stop every worker; the first failure is the one reported.
    fn fail(&self, e: McError) {
        self.stop.store(true, Ordering::SeqCst);
        self.failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get_or_insert(e);
    }
}

/// One rayon task per worker.
fn spawn_workers<'s>(
    s: &rayon::Scope<'s>,
    shared: &'s Shared<'s>,
    txs: Vec<mpsc::Sender<(u64, Vec<RunOut>)>>,
) {
    for tx in txs {
        s.spawn(move |_| work(shared, tx));
    }
}

/// One worker: take blocks until none are left, send each block's runs,
/// then leave the accumulators.
fn work(shared: &Shared, tx: mpsc::Sender<(u64, Vec<RunOut>)>) {
    let opts = shared.opts;
    let mut w = match Worker::new(shared.scenario, shared.table.len()) {
        Ok(w) => w,
        Err(e) => return shared.fail(McError::Setup(e)),
    };
    let block = BLOCK_RUNS as u64;
    loop {
        let b = shared.next.fetch_add(1, Ordering::SeqCst);
        if b >= shared.blocks || shared.stop.load(Ordering::SeqCst) {
            break;
        }
        // Wait while too far ahead of what the sink has written.
        while b >= shared.written.load(Ordering::SeqCst) + shared.ahead
            && !shared.stop.load(Ordering::SeqCst)
        {
            std::thread::yield_now();
        }
        let first = opts.first_run + b * block;
        // At most BLOCK_RUNS.
        let count =
            usize::try_from((opts.first_run + opts.runs - first).min(block)).unwrap_or(BLOCK_RUNS);
        let mut out = Vec::with_capacity(count);
        let seed = shared.scenario.seed;
        let on = (shared.table, shared.watch);
        if let Err((run, seed, error)) =
            w.run_block(on, (first, count), |r| run_seed(seed, r), &mut out)
        {
            return shared.fail(McError::Run { run, seed, error });
        }
        if tx.send((b, out)).is_err() {
            break;
        }
    }
    shared
        .accs
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(w.into_acc());
}

/// Every band of `bands` (`series` per step), step-major, the steps
/// shared among the threads of `pool` (rayon's global pool without one):
/// each band is a function of its cell only, so the result is the same
/// whatever the thread count.
fn compute_bands(bands: &Bands, series: usize, pool: Option<&rayon::ThreadPool>) -> Vec<Band> {
    use rayon::prelude::*;
    // An indexed iterator: the vector is allocated once at its length.
    let all = || {
        (0..bands.steps() * series)
            .into_par_iter()
            .map(|i| bands.band(i / series, i % series))
            .collect()
    };
    match pool {
        Some(p) => p.install(all),
        None => all(),
    }
}

/// The series a Monte Carlo of `scenario` folds, in order (from a setup
/// of its own: nothing is simulated).
pub fn series_of(scenario: &Scenario) -> Result<Vec<SeriesInfo>, McError> {
    let probe = Worker::new(scenario, 0).map_err(McError::Setup)?;
    Ok(SeriesTable::new(probe.info(), probe.ledger()).info)
}

/// Run `opts.runs` futures of `scenario` (see the module docs), each
/// run's finals to `sink` in order, `progress` told the runs done so far.
pub fn monte_carlo(
    scenario: &Scenario,
    opts: &McOptions,
    sink: &mut dyn RunSink,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<McResult, McError> {
    if opts.runs == 0 || opts.runs > MAX_RUNS {
        return Err(McError::Options(format!(
            "runs must be from 1 to {MAX_RUNS}, found {}",
            opts.runs
        )));
    }
    if opts.first_run.checked_add(opts.runs).is_none() {
        return Err(McError::Options("first run + runs passes 2^64".into()));
    }
    // The series and detectors of this scenario, from a setup of its own.
    let probe = Worker::new(scenario, 0).map_err(McError::Setup)?;
    let info = probe.info().clone();
    let table = SeriesTable::new(&info, probe.ledger());
    let watch = Watch::new(
        &scenario.detectors,
        info.period_days,
        &scenario.economy.economy,
    );
    drop(probe);
    let threads = opts
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .max(1);
    let pool = match opts.threads {
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| McError::Options(format!("thread pool: {e}")))?,
        ),
        None => None,
    };
    let shared = Shared {
        scenario,
        opts,
        table: &table,
        watch: &watch,
        blocks: opts.runs.div_ceil(BLOCK_RUNS as u64),
        ahead: MAX_AHEAD_BLOCKS * threads as u64,
        next: AtomicU64::new(0),
        written: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        accs: Mutex::new(Vec::new()),
        failure: Mutex::new(None),
    };
    let (tx, rx) = mpsc::channel::<(u64, Vec<RunOut>)>();
    let shared_ref = &shared;
    std::thread::scope(|ts| {
        let shared = shared_ref;
        let txs: Vec<_> = (0..threads).map(|_| tx.clone()).collect();
        drop(tx);
        let pool = pool.as_ref();
        ts.spawn(move || match pool {
            Some(p) => p.scope(|s| spawn_workers(s, shared, txs)),
            None => rayon::scope(|s| spawn_workers(s, shared, txs)),
        });
        // Hand finished blocks to the sink in order.
        let mut pending: BTreeMap<u64, Vec<RunOut>> = BTreeMap::new();
        let mut done = 0u64;
        for (b, out) in rx {
            pending.insert(b, out);
            while let Some(out) = pending.remove(&shared.written.load(Ordering::SeqCst)) {
                for r in &out {
                    let record = RunRecord {
                        run: r.run,
                        seed: r.seed,
                        finals: &r.finals,
                        fired: &r.fired,
                    };
                    if let Err(e) = sink.run(&record) {
                        shared.fail(McError::Io(e));
                    }
                }
                done += out.len() as u64;
                shared.written.fetch_add(1, Ordering::SeqCst);
                progress(done);
            }
        }
    });
    let Shared { accs, failure, .. } = shared;
    if let Some(e) = failure.into_inner().expect("not poisoned") {
        return Err(e);
    }
    let mut accs = accs.into_inner().expect("not poisoned").into_iter();
    let mut acc = accs.next().expect("at least one worker");
    for other in accs {
        acc.merge(other);
    }
    acc.bands.finish();
    let computed = compute_bands(&acc.bands, table.len(), pool.as_ref());
    let detector_info = DETECTORS
        .iter()
        .map(|d| (*d, watch.enabled(*d), watch.describe(*d, &info.token_name)))
        .collect();
    Ok(McResult {
        info,
        first_run: opts.first_run,
        runs: opts.runs,
        series: table.info,
        bands: acc.bands,
        computed,
        detectors: acc.counts,
        detector_info,
    })
}
