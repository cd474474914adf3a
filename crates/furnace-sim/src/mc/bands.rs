//! Per-step accumulators of every series across runs, bounded whatever the
//! number of runs: per (step, series) cell a quantile sketch
//! ([`Cell`], at most 2 KiB), the exact sum of its values (256 bits each
//! side of zero), its exact minimum and maximum and how many runs had no
//! value (a price without an oracle).
//!
//! A series equal to the worker's first run in every run so far is not
//! folded at all, nor one equal to a later series in every run and step
//! so far (see [`Bands`]). The others are written into a fold
//! buffer, each cell's runs side by side, and every [`FOLD_RUNS`] runs the
//! buffer is folded cell by cell, so a cell's bins and sums are touched
//! once per 64 runs instead of once per run (the sketches of a year of
//! tens of series are tens of MB, beyond any cache).

use super::series::Value;
use super::sketch::Cell;
use crate::report::Total;

/// Runs per block of work (the unit workers take and `runs.csv` is
/// written in).
pub const BLOCK_RUNS: usize = 16;

/// Runs whose values wait in a worker's fold buffer before they are
/// folded into the sketches: each cell's bins are then visited once per
/// 64 runs (a year of tracked series' bins is tens of MB, beyond any
/// cache: the visits are the cost). At most 64 runs x 365 steps x 100
/// series x 16 bytes = 37 MB of address space per worker, touched only
/// for tracked series.
pub const FOLD_RUNS: usize = 64;

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

/// A value's block code: `signed`, one above `NO_VALUE` at the least, or
/// `NO_VALUE` for a missing one.
#[inline]
fn code(v: Option<Value>) -> i128 {
    v.map_or(NO_VALUE, |v| signed(v).max(NO_VALUE + 1))
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
    /// Count `v` once.
    fn add_one(&mut self, v: Option<Value>) {
        self.add_times(v, 1);
    }

    /// Count `v` `n` times (as `n` calls of `add`, or of `missing += 1`).
    fn add_times(&mut self, v: Option<Value>, n: u64) {
        if n == 0 {
            return;
        }
        let Some(v) = v else {
            self.missing += n;
            return;
        };
        let t = Total::product(v.magnitude, u128::from(n));
        if v.negative {
            self.negative.add_total(t);
        } else {
            self.positive.add_total(t);
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
///
/// **Series equal in every run so far are not folded.** Most series of a
/// scenario are the same in every run (a feature it does not use is zero,
/// a deterministic emission is the same curve): the worker's first run is
/// kept as a reference, and a series stays *untracked* while every later
/// run gives the reference's values at every step (one comparison per
/// value). The first difference *promotes* it: the reference's values are
/// counted once for each run folded so far (they were those runs' values)
/// and from then on each value is folded. What is left untracked at the
/// end counts the reference once per run. A cell's sketch and sums depend
/// only on the multiset of its values, so the bands are the same bits as
/// folding every value, whatever the thread count.
///
/// **Series repeating a later one follow it.** When an untracked series
/// first differs from the reference at step `s`, and a later series
/// (also untracked, so with the same history when their references are
/// equal) differs there too with the same value, the first one *follows*
/// the later one (its *leader*): it is compared with the leader's value
/// at each step instead of being folded. When they first differ, at step
/// `s` of a run, the follower takes a copy of the leader's cells, sums and
/// block codes: the leader comes later in the step, so none of it holds
/// step `s` onwards of this run yet, and everything else is the
/// follower's values too. At the end a follower takes its leader's cells.
///
/// Tracked series get a *slot* in the block, in promotion order, so a
/// step's values are written side by side and a flush reads only them;
/// the exact sums are taken at the flush too, cell by cell.
#[derive(Clone, Debug)]
pub struct Bands {
    steps: usize,
    series: usize,
    cells: Vec<Cell>,
    exact: Vec<Exact>,
    /// `steps x series x FOLD_RUNS` codes: per step, the tracked series
    /// in slots `0..slots.len()`, each with its runs side by side.
    block: Vec<i128>,
    /// Runs in the block (the current one is `block_runs`).
    block_runs: usize,
    runs: u64,
    /// The first run's values, `steps x series` (while `runs == 0`, being
    /// written).
    reference: Vec<Option<Value>>,
    /// Per series, its slot if it is tracked (folded value by value; else
    /// equal to the reference in every run so far).
    slot_of: Vec<Option<usize>>,
    /// The series in each slot.
    slots: Vec<usize>,
    /// Per untracked series equal to a later one in every run and step so
    /// far (its *leader*, tracked or itself an alias of a later one): the
    /// leader's index. An alias is not folded; it takes its leader's
    /// cells when it first differs, or at the end.
    alias_of: Vec<Option<usize>>,
}

/// Codes whose exact sums are added as they are observed, not at the
/// flush: a magnitude of `i128::MAX` or more (saturated in the code).
#[inline]
fn saturated(code: i128) -> bool {
    code == i128::MAX || code == NO_VALUE + 1
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
            // Zeroed (untouched pages cost nothing): every code a flush
            // reads is written first.
            block: vec![0; FOLD_RUNS * cells],
            block_runs: 0,
            runs: 0,
            reference: vec![None; cells],
            slot_of: vec![None; series],
            alias_of: vec![None; series],
            slots: Vec::with_capacity(series),
        }
    }

    /// Where run `run` of the block (0-based) keeps slot `k` of step `s`.
    #[inline]
    fn at(&self, run: usize, s: usize, k: usize) -> usize {
        (s * self.series + k) * FOLD_RUNS + run
    }

    /// Fold step `s` (0-based) of the current run.
    #[inline]
    pub fn observe(&mut self, s: usize, values: &[Option<Value>]) {
        let at = s * self.series;
        if self.runs == 0 {
            // The first run is the reference.
            self.reference[at..at + self.series].copy_from_slice(values);
            return;
        }
        for (j, v) in values.iter().enumerate() {
            let k = match (self.slot_of[j], self.alias_of[j]) {
                (Some(k), _) => k,
                (None, Some(i)) if *v == values[i] => continue,
                (None, Some(_)) => self.split(s, j),
                (None, None) if *v == self.reference[at + j] => continue,
                (None, None) => match self.leader(s, j, values) {
                    Some(i) => {
                        self.alias_of[j] = Some(i);
                        continue;
                    }
                    None => self.promote(s, j),
                },
            };
            let c = code(*v);
            if saturated(c) {
                self.exact[at + j].add_one(*v);
            }
            let b = self.at(self.block_runs, s, k);
            self.block[b] = c;
        }
    }

    /// Series `j` first differs from the reference at step `s` of the
    /// current run: count the reference's values for every run before
    /// (into the sketches for the runs already flushed, into the block for
    /// the others) and for this run's steps before `s`, then give it a
    /// slot.
    #[cold]
    fn promote(&mut self, s: usize, j: usize) -> usize {
        let k = self.slots.len();
        self.slots.push(j);
        self.slot_of[j] = Some(k);
        let flushed = self.runs - self.block_runs as u64;
        let before = u32::try_from(flushed).expect("at most MAX_RUNS runs");
        for step in 0..self.steps {
            let i = step * self.series + j;
            let r = self.reference[i];
            self.exact[i].add_times(r, flushed);
            if r.is_some() && before > 0 {
                self.cells[i].insert_count(code(r), before, 0);
            }
            // The block's runs, and this one before step `s`.
            let current = self.block_runs + usize::from(step < s);
            let c = code(r);
            for run in 0..current {
                if saturated(c) {
                    self.exact[i].add_one(r);
                }
                let b = self.at(run, step, k);
                self.block[b] = c;
            }
        }
        k
    }

    /// Untracked series `j` first differs from the reference at step `s`:
    /// a later untracked series that differs from its reference here too,
    /// with the same value, and whose reference is `j`'s at every step,
    /// has had `j`'s values in every run and step so far, and (being later)
    /// has not yet observed step `s`: `j` can follow it. (Of fuel-sweep's
    /// 35 series that differ across runs, 12 repeat another: `supply` is
    /// `LAM_supply`, `market_tokens` the pool's reserve, ...)
    #[cold]
    fn leader(&self, s: usize, j: usize, values: &[Option<Value>]) -> Option<usize> {
        let at = s * self.series;
        let column =
            |i: usize| (0..self.steps).map(move |step| self.reference[step * self.series + i]);
        (j + 1..self.series).find(|&i| {
            self.slot_of[i].is_none()
                && self.alias_of[i].is_none()
                && values[i] == values[j]
                && values[i] != self.reference[at + i]
                && column(i).eq(column(j))
        })
    }

    /// Alias `j` differs from its leader at step `s` of the current run:
    /// give it a slot holding everything its leader's has (the leader is
    /// later, so holds nothing yet of step `s` onwards of this run: its
    /// cells, sums and block codes are `j`'s).
    #[cold]
    fn split(&mut self, s: usize, j: usize) -> usize {
        let mut l = self.alias_of[j].expect("an alias");
        while let Some(next) = self.alias_of[l] {
            l = next;
        }
        let kl = self.slot_of[l].expect("a leader that is not an alias is tracked");
        let k = self.slots.len();
        self.slots.push(j);
        self.slot_of[j] = Some(k);
        self.alias_of[j] = None;
        self.copy(l, kl, j, k, s);
        k
    }

    /// Series `j` (slot `k`) takes series `l`'s (slot `kl`) cells and sums
    /// at every step, and its block codes: the block's runs, and the
    /// current run's before step `s`.
    fn copy(&mut self, l: usize, kl: usize, j: usize, k: usize, s: usize) {
        for step in 0..self.steps {
            let (from, to) = (step * self.series + l, step * self.series + j);
            // (Taken out and put back: one cell read while another written.)
            let mut cell = std::mem::take(&mut self.cells[to]);
            cell.clone_from(&self.cells[from]);
            self.cells[to] = cell;
            self.exact[to] = self.exact[from].clone();
            let current = self.block_runs + usize::from(step < s);
            for run in 0..current {
                let c = self.block[self.at(run, step, kl)];
                let b = self.at(run, step, k);
                self.block[b] = c;
            }
        }
    }

    /// The current run is complete (every step observed).
    pub fn end_run(&mut self) {
        self.runs += 1;
        if self.runs == 1 {
            // The reference run: nothing in the block.
            return;
        }
        self.block_runs += 1;
        if self.block_runs == FOLD_RUNS {
            self.flush();
        }
    }

    /// Fold the block's codes into the sketches and sums, cell by cell
    /// (tracked series only).
    fn flush(&mut self) {
        for s in 0..self.steps {
            for (k, &j) in self.slots.iter().enumerate() {
                let i = s * self.series + j;
                let (cell, exact) = (&mut self.cells[i], &mut self.exact[i]);
                let at = (s * self.series + k) * FOLD_RUNS;
                let codes = &self.block[at..at + self.block_runs];
                // One pass for the sums and the range, then the cell is
                // widened once and every value counted in a kept bin.
                // Sums in locals (registers), added to the cell's once.
                let (mut min, mut max) = (i128::MAX, i128::MIN);
                let (mut positive, mut negative) = (Total::ZERO, Total::ZERO);
                let mut missing = 0;
                for &v in codes {
                    if v == NO_VALUE {
                        missing += 1;
                        continue;
                    }
                    if !saturated(v) {
                        if v < 0 {
                            negative.add(v.unsigned_abs());
                        } else {
                            positive.add(v.unsigned_abs());
                        }
                    }
                    min = min.min(v);
                    max = max.max(v);
                }
                exact.missing += missing;
                if min > max {
                    continue;
                }
                exact.positive.add_total(positive);
                exact.negative.add_total(negative);
                // A saturated code's extremes were taken as it was observed,
                // and equal its code: the range of every code is the same.
                exact.min = exact.min.min(min);
                exact.max = exact.max.max(max);
                cell.keep(min, max);
                for &v in codes {
                    if v != NO_VALUE {
                        cell.count_kept(v);
                    }
                }
            }
        }
        self.block_runs = 0;
    }

    /// Fold everything: the block, and the reference once per run for
    /// each series still untracked (which then no longer needs it).
    fn settle(&mut self) {
        self.flush();
        let runs = u32::try_from(self.runs).expect("at most MAX_RUNS runs");
        for j in 0..self.series {
            if self.slot_of[j].is_some() || self.alias_of[j].is_some() {
                continue;
            }
            for step in 0..self.steps {
                let i = step * self.series + j;
                let r = self.reference[i];
                self.exact[i].add_times(r, self.runs);
                if r.is_some() && runs > 0 {
                    self.cells[i].insert_count(code(r), runs, 0);
                }
            }
            // Counted: from now on it is folded value by value.
            let k = self.slots.len();
            self.slots.push(j);
            self.slot_of[j] = Some(k);
        }
        // Aliases take their leader's cells (every run is folded: nothing
        // is in the block). Later series first: a leader is settled before
        // the aliases that follow it.
        for j in (0..self.series).rev() {
            let Some(l) = self.alias_of[j] else { continue };
            let kl = self.slot_of[l].expect("settled: every later series has a slot");
            let k = self.slots.len();
            self.slots.push(j);
            self.slot_of[j] = Some(k);
            self.alias_of[j] = None;
            self.copy(l, kl, j, k, 0);
        }
    }

    /// Add another worker's accumulators: the result is the same as if
    /// every run had been folded here.
    pub fn merge(&mut self, mut other: Bands) {
        self.settle();
        other.settle();
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.merge(b);
        }
        for (a, b) in self.exact.iter_mut().zip(&other.exact) {
            a.merge(b);
        }
        self.runs += other.runs;
    }

    /// Finish: fold what is left in the block and the untracked series.
    pub fn finish(&mut self) {
        self.settle();
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
        let quantiles = cell.quantiles(QUANTILES, e.min, e.max).map(|q| q.map(pair));
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
            + self.reference.len() * std::mem::size_of::<Option<Value>>()
    }
}

#[cfg(test)]
#[path = "bands_tests.rs"]
mod tests;
