//! One worker of a Monte Carlo run: a simulator set up once and reset per
//! run, the drivers reset per run, and the accumulators every step of its
//! runs folds into. No row is stored: each step is folded as it is made.

use super::bands::{Bands, BLOCK_RUNS};
use super::detect::{DetectorCounts, RunWatch, Watch, DETECTORS};
use super::series::{SeriesTable, Value};
use crate::drivers::Drivers;
use crate::error::SimError;
use crate::ledger::Ledger;
use crate::sim::{RunInfo, Sim, Snapshot, StepRow};
use furnace_config::Scenario;
use furnace_core::Event;

/// What a run left for `runs.csv`: its final values and detectors.
#[derive(Clone, Debug)]
pub(crate) struct RunOut {
    pub(crate) run: u64,
    pub(crate) seed: u64,
    pub(crate) finals: Vec<Option<Value>>,
    pub(crate) fired: [Option<u32>; DETECTORS.len()],
}

/// A worker's accumulators, merged across workers at the end.
pub(crate) struct Acc {
    pub(crate) bands: Bands,
    pub(crate) counts: DetectorCounts,
}

impl Acc {
    pub(crate) fn merge(&mut self, other: Acc) {
        self.bands.merge(other.bands);
        self.counts.merge(&other.counts);
    }
}

pub(crate) struct Worker<'s> {
    scenario: &'s Scenario,
    sim: Sim<'s>,
    snapshot: Snapshot,
    drivers: Drivers,
    run_watch: RunWatch,
    values: Vec<Option<Value>>,
    ledger_row: Vec<u128>,
    acc: Acc,
    /// With `[trainers]` or `[rewards]`, setup draws from the run's seed
    /// (trainers' weights, stakers' locks): such a scenario is set up again
    /// for every run.
    rebuild: bool,
}

impl<'s> Worker<'s> {
    /// A worker for `series` series (0 for a probe that only reads the
    /// setup's facts).
    pub(crate) fn new(scenario: &'s Scenario, series: usize) -> Result<Worker<'s>, SimError> {
        let sim = Sim::setup(scenario, scenario.seed, no_log())?;
        let snapshot = sim.snapshot();
        let width = sim.ledger.width();
        let steps = if series == 0 {
            0
        } else {
            scenario.days as usize
        };
        Ok(Worker {
            scenario,
            snapshot,
            drivers: Drivers::new(scenario.seed, &scenario.price, &scenario.demand),
            run_watch: RunWatch::default(),
            values: vec![None; series],
            ledger_row: vec![0; width],
            acc: Acc {
                bands: Bands::new(steps, series),
                counts: DetectorCounts::new(scenario.days),
            },
            rebuild: scenario.trainers.is_some() || scenario.rewards.is_some(),
            sim,
        })
    }

    pub(crate) fn info(&self) -> &RunInfo {
        &self.sim.info
    }

    pub(crate) fn ledger(&self) -> &Ledger {
        &self.sim.ledger
    }

    pub(crate) fn into_acc(self) -> Acc {
        self.acc
    }

    /// Runs `first..first + count` (at most a block), each with its seed.
    pub(crate) fn run_block(
        &mut self,
        (table, watch): (&SeriesTable, &Watch),
        (first, count): (u64, usize),
        seed_of: impl Fn(u64) -> u64,
        out: &mut Vec<RunOut>,
    ) -> Result<(), (u64, u64, SimError)> {
        debug_assert!(count <= BLOCK_RUNS);
        for run in first..first + count as u64 {
            let seed = seed_of(run);
            self.run(table, watch, seed).map_err(|e| (run, seed, e))?;
            out.push(RunOut {
                run,
                seed,
                finals: self.values.clone(),
                fired: self.run_watch.fired,
            });
        }
        Ok(())
    }

    fn run(&mut self, table: &SeriesTable, watch: &Watch, seed: u64) -> Result<(), SimError> {
        if self.rebuild {
            // Trainers' weights and stakers' locks depend on the seed: a
            // setup of its own.
            self.sim = Sim::setup(self.scenario, seed, no_log())?;
            self.snapshot = self.sim.snapshot();
        }
        self.sim.reset(&self.snapshot, seed);
        self.drivers
            .reset(seed, &self.scenario.price, &self.scenario.demand);
        let initial = self.sim.initial_supply;
        self.run_watch.reset(initial);
        // Yesterday's row and today's, alternating (no row is moved).
        let mut rows = [StepRow::default(); 2];
        let mut prev_supply = initial;
        for t in 0..self.scenario.days {
            let [a, b] = &mut rows;
            let (prev, row) = if t % 2 == 0 { (&*a, b) } else { (&*b, a) };
            self.sim.day_into(&mut self.drivers, t, prev, row)?;
            let sim = &mut self.sim;
            sim.ledger
                .sample(sim.economy, &sim.state, &mut self.ledger_row);
            table.read(row, prev_supply, &self.ledger_row, &mut self.values);
            self.acc.bands.observe(t as usize, &self.values);
            self.run_watch.observe(watch, row, &self.sim.state);
            prev_supply = row.supply;
        }
        self.acc.bands.end_run();
        self.acc.counts.add(&self.run_watch);
        Ok(())
    }
}

/// The log of a Monte Carlo run: none of its events are kept.
fn no_log() -> &'static mut dyn FnMut(&Event) -> std::io::Result<()> {
    // A zero-sized closure: boxing and leaking it allocates nothing.
    Box::leak(Box::new(|_: &Event| Ok(())))
}
