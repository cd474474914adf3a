//! Per-step accumulators of every series across runs, bounded whatever the
//! number of runs: per (step, series) cell a quantile sketch
//! ([`Cell`], at most 2 KiB), the exact sum of its values (256 bits each
//! side of zero), its exact minimum and maximum and how many runs had no
//! value (a price without an oracle).
//!
//! Sums, extremes and counts are updated as each step is folded (they sit
//! step-major, so a run walks them in order). The sketches are fed in
//! blocks of [`BLOCK_RUNS`] runs: a run writes its values into a block
//! buffer in run order, and a full block is folded cell by cell, so a
//! cell's bins are touched once per block instead of once per run (the
//! sketches of a year of 100 series are tens of MB, beyond any cache).

use super::series::Value;
use super::sketch::Cell;
use crate::report::Total;

/// Runs per block of values: 16 runs x 365 steps x 100 series x 16 bytes
/// = 9.3 MB per worker.
pub const BLOCK_RUNS: usize = 16;

/// A missing value in the block buffer (a value saturates one above).
const NO_VALUE: i128 = i128::MIN;

/// A value as the sketch counts it: signed, magnitudes saturated at
/// `i128::MAX` (1.7 x 10^38 base units; the ledger's amounts stay far
/// below).
pub(crate) fn signed(v: Value) -> i128 {
    let m = i128::try_from(v.magnitude).unwrap_or(i128::MAX);
    if v.negative {
        -m
    } else {
        m
    }
}

fn pair(v: i128) -> (bool, u128) {
    (v < 0, v.unsigned_abs())
}

/// The quantiles of a band, in percent.
pub const QUANTILES: [u8; 5] = [5, 25, 50, 75, 95];

/// One (step, series) cell's exact figures besides its sketch.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Exact {
    positive: Total,
    negative: Total,
    min: i128,
    max: i128,
    missing: u64,
}

impl Default for Exact {
    fn default() -> Self {
        Exact {
            positive: Total::default(),
            negative: Total::default(),
            min: i128::MAX,
            max: i128::MIN,
            missing: 0,
        }
    }
}

impl Exact {
    #[inline]
    fn add(&mut self, v: Value) {
        if v.negative {
            self.negative.add(v.magnitude);
        } else {
            self.positive.add(v.magnitude);
        }
        let s = signed(v);
        self.min = self.min.min(s);
        self.max = self.max.max(s);
    }

    fn merge(&mut self, o: &Exact) {
        self.positive.add_total(o.positive);
        self.negative.add_total(o.negative);
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
        self.missing += o.missing;
    }
}

/// The accumulators of one worker (or, merged, of every run).
#[derive(Clone, Debug)]
pub struct Bands {
    steps: usize,
    series: usize,
    cells: Vec<Cell>,
    exact: Vec<Exact>,
    /// `BLOCK_RUNS x steps x series` values, run-major.
    block: Vec<i128>,
    /// Runs in the block (the current one is `block_runs`).
    block_runs: usize,
    runs: u64,
}

/// One band: a (step, series) cell's quantiles and mean across runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Values counted (runs with a value at this step).
    pub n: u64,
    /// `QUANTILES` (p5, p25, p50, p75, p95) as (negative, magnitude) in
    /// base units; `None` when no run had a value.
    pub quantiles: [Option<(bool, u128)>; 5],
    /// The exact mean, truncated toward zero to the base unit.
    pub mean: Option<(bool, u128)>,
    /// The bound on each quantile's error, in base units (0: exact).
    pub max_error: u128,
}

impl Bands {
    pub fn new(steps: usize, series: usize) -> Bands {
        let cells = steps * series;
        Bands {
            steps,
            series,
            cells: vec![Cell::default(); cells],
            exact: vec![Exact::default(); cells],
            block: vec![NO_VALUE; BLOCK_RUNS * cells],
            block_runs: 0,
            runs: 0,
        }
    }

    /// Fold step `s` (0-based) of the current run.
    #[inline]
    pub fn observe(&mut self, s: usize, values: &[Option<Value>]) {
        let at = s * self.series;
        let block_at = (self.block_runs * self.steps + s) * self.series;
        let exact = &mut self.exact[at..at + self.series];
        let codes = &mut self.block[block_at..block_at + self.series];
        for ((v, e), c) in values.iter().zip(exact).zip(codes) {
            match v {
                Some(v) => {
                    e.add(*v);
                    *c = signed(*v).max(NO_VALUE + 1);
                }
                None => {
                    e.missing += 1;
                    *c = NO_VALUE;
                }
            }
        }
    }

    /// The current run is complete (every step observed).
    pub fn end_run(&mut self) {
        self.runs += 1;
        self.block_runs += 1;
        if self.block_runs == BLOCK_RUNS {
            self.flush();
        }
    }

    /// Fold the block's codes into the sketches, cell by cell.
    fn flush(&mut self) {
        let stride = self.steps * self.series;
        for (i, cell) in self.cells.iter_mut().enumerate() {
            for r in 0..self.block_runs {
                let v = self.block[r * stride + i];
                if v != NO_VALUE {
                    cell.insert(v);
                }
            }
        }
        self.block_runs = 0;
    }

    /// Add another worker's accumulators: the result is the same as if
    /// every run had been folded here.
    pub fn merge(&mut self, mut other: Bands) {
        self.flush();
        other.flush();
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.merge(b);
        }
        for (a, b) in self.exact.iter_mut().zip(&other.exact) {
            a.merge(b);
        }
        self.runs += other.runs;
    }

    /// Finish: fold what is left in the block.
    pub fn finish(&mut self) {
        self.flush();
    }

    pub fn runs(&self) -> u64 {
        self.runs
    }

    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The band of series `j` at step `s` (0-based). Call
    /// [`Bands::finish`] first.
    pub fn band(&self, s: usize, j: usize) -> Band {
        let i = s * self.series + j;
        let (cell, e) = (&self.cells[i], &self.exact[i]);
        let n = cell.len();
        let quantiles = QUANTILES.map(|p| cell.quantile(p, e.min, e.max).map(pair));
        let mean = (n > 0).then(|| {
            let (negative, diff) = match e.positive.checked_sub(e.negative) {
                Some(d) => (false, d),
                None => (true, e.negative.checked_sub(e.positive).unwrap_or_default()),
            };
            let (q, _) = diff.div_rem(n);
            (negative && !q.is_zero(), q.to_u128().unwrap_or(u128::MAX))
        });
        Band {
            n,
            quantiles,
            mean,
            max_error: cell.max_error(),
        }
    }

    /// Bytes this accumulator holds (sketches as filled, the rest fixed).
    pub fn memory_bytes(&self) -> usize {
        let cells: usize = self.cells.iter().map(|c| c.memory_bytes()).sum();
        cells
            + self.exact.len() * std::mem::size_of::<Exact>()
            + self.block.len() * std::mem::size_of::<i128>()
    }
}
