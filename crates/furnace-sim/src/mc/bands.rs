//! Per-step accumulators of every series across runs, bounded whatever the
//! number of runs: per (step, series) cell a quantile sketch
//! ([`Cell`], at most 2 KiB), the exact sum of its values (256 bits each
//! side of zero), its exact minimum and maximum and how many runs had no
//! value (a price without an oracle).
//!
//! Sums, extremes and counts are updated as each step is folded (they sit
//! step-major, so a run walks them in order). The sketches are fed in
//! blocks of [`BLOCK_RUNS`] runs: a run writes its bin codes into a block
//! buffer in run order, and a full block is folded cell by cell, so a
//! cell's bins are touched once per block instead of once per run (the
//! sketches of a year of 100 series are ~10 MB, far beyond a cache).

use super::series::Value;
use super::sketch::{code, order_key, Cell};
use crate::report::Total;

/// Runs per block of bin codes: 64 runs x 365 steps x 100 series x 2
/// bytes = 4.7 MB per worker.
pub const BLOCK_RUNS: usize = 64;

/// The code of a missing value in the block buffer (a real code's
/// magnitude is at most 15,615).
const NO_VALUE: i16 = i16::MIN;

/// The quantiles of a band, in percent.
pub const QUANTILES: [u8; 5] = [5, 25, 50, 75, 95];

/// One (step, series) cell's exact figures besides its sketch.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Exact {
    positive: Total,
    negative: Total,
    min: (bool, u128),
    max: (bool, u128),
    missing: u64,
}

impl Default for Exact {
    fn default() -> Self {
        Exact {
            positive: Total::default(),
            negative: Total::default(),
            min: (false, u128::MAX),
            max: (true, u128::MAX),
            missing: 0,
        }
    }
}

impl Exact {
    fn add(&mut self, v: Value) {
        if v.negative {
            self.negative.add(v.magnitude);
        } else {
            self.positive.add(v.magnitude);
        }
        let k = order_key(v.pair());
        if k < order_key(self.min) {
            self.min = v.pair();
        }
        if k > order_key(self.max) {
            self.max = v.pair();
        }
    }

    fn merge(&mut self, o: &Exact) {
        self.positive.add_total(o.positive);
        self.negative.add_total(o.negative);
        if order_key(o.min) < order_key(self.min) {
            self.min = o.min;
        }
        if order_key(o.max) > order_key(self.max) {
            self.max = o.max;
        }
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
    /// `BLOCK_RUNS x steps x series` bin codes, run-major.
    block: Vec<i16>,
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
    /// The quantiles' relative error bound (see the sketch's docs).
    pub relative_error: f64,
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
                    // At most 15,615 in magnitude: fits an i16.
                    *c = i16::try_from(code(v.negative, v.magnitude)).unwrap_or(NO_VALUE);
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
                let c = self.block[r * stride + i];
                if c != NO_VALUE {
                    cell.insert(i32::from(c));
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
        let quantiles = QUANTILES.map(|p| cell.quantile(p, e.min, e.max));
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
            relative_error: cell.relative_error(),
        }
    }

    /// Bytes this accumulator holds (sketches as filled, the rest fixed).
    pub fn memory_bytes(&self) -> usize {
        let cells: usize = self.cells.iter().map(|c| c.memory_bytes()).sum();
        cells
            + self.exact.len() * std::mem::size_of::<Exact>()
            + self.block.len() * std::mem::size_of::<i16>()
    }
}
