//! The quantile sketch of one (step, series) cell across runs: a histogram
//! of equal bins over exact integer values, whose width is the least power
//! of two that lets [`MAX_CELL_BINS`] bins cover every value seen.
//!
//! **Bins.** Bin `b` at shift `s` holds the values `v` with `floor(v /
//! 2^s) = b`: a grid fixed by the integers, not by the data. A cell keeps
//! the bins from its least value's to its greatest's; when a value falls
//! outside and they would number more than [`MAX_CELL_BINS`], bins merge
//! in pairs (`s + 1`) until they fit. So a cell holds at most 2 KiB of
//! counts however many runs feed it.
//!
//! **Error bound.** A quantile is the order statistic of rank `max(1,
//! ceil(p n / 100))` among the cell's `n` values (nearest rank). The sketch
//! returns the middle of the bin holding it, clamped to the exact least
//! and greatest values (which the first and last ranks return as they
//! are). The true order statistic is in that bin, so the estimate is
//! within `2^(s-1)` base units of it ([`Cell::max_error`], 0 at `s = 0`:
//! exact), and since `s` is the least that fits, `2^(s-1) <= (max - min) /
//! (MAX_CELL_BINS - 1)`: within 0.2% of the spread of the values at that
//! step. A concentrated series (supply across runs: a few tenths of a
//! percent apart) is resolved as finely as a wide one, relative to its
//! own spread.
//!
//! **Determinism.** A cell's state is a function of the set of values in
//! it only: the bin grid is fixed, `s` is the least that fits the range
//! seen (which only grows), and merging adds counts. Whatever the thread
//! count and the order runs finish in, the same runs give the same bands.

/// The most bins a cell keeps: 512 `u32` counts, 2 KiB.
pub const MAX_CELL_BINS: usize = 512;

/// One cell's histogram. Values are `i128` (the runner saturates
/// magnitudes at `i128::MAX`, 1.7 x 10^38 base units).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// Bins are `2^shift` values wide.
    shift: u32,
    /// The first bin kept.
    lo: i128,
    counts: Vec<u32>,
    n: u64,
}

impl Cell {
    /// Values counted.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// The bound on a quantile's error, in base units: half a bin.
    pub fn max_error(&self) -> u128 {
        if self.shift == 0 {
            0
        } else {
            1u128 << (self.shift - 1)
        }
    }

    /// Bytes held on the heap and inline.
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Cell>() + self.counts.capacity() * std::mem::size_of::<u32>()
    }

    fn hi(&self) -> i128 {
        // At most MAX_CELL_BINS bins: the length fits.
        // (Subtract first: a bin at i128::MAX must not overflow.)
        self.lo + (i128::try_from(self.counts.len()).unwrap_or(i128::MAX) - 1)
    }

    /// Count `v` once (the tests' reference; a flush counts with
    /// [`Cell::keep`] and [`Cell::count_kept`]).
    #[cfg(test)]
    pub fn insert(&mut self, v: i128) {
        // The common case: a bin the cell already keeps.
        let i = (v >> self.shift).wrapping_sub(self.lo);
        if let Some(c) = usize::try_from(i).ok().and_then(|i| self.counts.get_mut(i)) {
            *c += 1;
            self.n += 1;
            return;
        }
        self.insert_count(v, 1, 0);
    }

    /// Make the cell keep the bins of `min` and `max` (`min <= max`), as
    /// inserting them would, without counting them: a flush widens each
    /// cell once for its whole batch, then counts every value with
    /// [`Cell::count_kept`]. The bins a cell ends with depend only on the
    /// range of the values it has seen (see the module docs), so widening
    /// first gives the same cell as inserting one by one.
    pub(crate) fn keep(&mut self, min: i128, max: i128) {
        debug_assert!(min <= max);
        let n = self.n;
        for v in [min, max] {
            let i = (v >> self.shift).wrapping_sub(self.lo);
            if self.counts.is_empty() || usize::try_from(i).map_or(true, |i| i >= self.counts.len())
            {
                self.insert_count(v, 0, 0);
            }
        }
        self.n = n;
    }

    /// Count `v`, whose bin the cell keeps (after [`Cell::keep`] of a range
    /// holding it).
    #[inline]
    pub(crate) fn count_kept(&mut self, v: i128) {
        let i = (v >> self.shift).wrapping_sub(self.lo);
        // In range by `keep`: the index is checked all the same.
        self.counts[usize::try_from(i).unwrap_or(usize::MAX)] += 1;
        self.n += 1;
    }

    /// Count `count` values of bin `bin` at shift `at` (`at <= shift` once
    /// coarsened; a value is a bin at shift 0).
    pub(crate) fn insert_count(&mut self, bin: i128, count: u32, at: u32) {
        self.n += u64::from(count);
        if self.counts.is_empty() {
            self.shift = self.shift.max(at);
            self.lo = bin >> (self.shift - at);
            self.counts.push(count);
            return;
        }
        loop {
            let b = bin >> (self.shift - at);
            let (lo, hi) = (self.lo.min(b), self.hi().max(b));
            if hi - lo < MAX_CELL_BINS as i128 {
                if b < self.lo {
                    let grow = usize::try_from(self.lo - b).unwrap_or(0);
                    self.counts.splice(0..0, std::iter::repeat_n(0, grow));
                    self.lo = b;
                } else if b > self.hi() {
                    let len = usize::try_from(b - self.lo).unwrap_or(0) + 1;
                    self.counts.resize(len, 0);
                }
                let i = usize::try_from(b - self.lo).unwrap_or(0);
                self.counts[i] += count;
                return;
            }
            self.coarsen();
        }
    }

    /// Merge bins in pairs, aligned to the fixed grid (the same on every
    /// worker).
    fn coarsen(&mut self) {
        // In place (no allocation: a flush coarsens often while the range
        // grows): bin `i` goes to `(lo + i) / 2 - lo / 2 <= i`, so each
        // merged bin is written at or before the bins it is read from.
        let new_lo = self.lo >> 1;
        let len = usize::try_from((self.hi() >> 1) - new_lo).unwrap_or(0) + 1;
        for i in 0..self.counts.len() {
            let c = std::mem::take(&mut self.counts[i]);
            let bin = self.lo + i128::try_from(i).unwrap_or(0);
            self.counts[usize::try_from((bin >> 1) - new_lo).unwrap_or(0)] += c;
        }
        self.counts.truncate(len);
        self.lo = new_lo;
        self.shift += 1;
    }

    /// Add another cell's counts: the same as inserting its values here.
    pub fn merge(&mut self, other: &Cell) {
        if other.counts.is_empty() {
            return;
        }
        while !self.counts.is_empty() && self.shift < other.shift {
            self.coarsen();
        }
        for (i, c) in other.counts.iter().enumerate() {
            if *c > 0 {
                let bin = other.lo + i128::try_from(i).unwrap_or(0);
                self.n_insert(bin, *c, other.shift);
            }
        }
    }

    fn n_insert(&mut self, bin: i128, count: u32, at: u32) {
        if self.counts.is_empty() || at <= self.shift {
            self.insert_count(bin, count, at);
        } else {
            // Only while empty can `self` be finer than `other`.
            self.shift = at;
            self.insert_count(bin, count, at);
        }
    }

    /// The `percent` quantile (nearest rank) within `[min, max]`, the
    /// cell's exact extremes; `None` for an empty cell.
    #[cfg(test)]
    pub fn quantile(&self, percent: u8, min: i128, max: i128) -> Option<i128> {
        self.quantiles([percent], min, max)[0]
    }

    /// [`Cell::quantile`] of each of `percents` (ascending), in one pass
    /// over the bins instead of one per quantile (a band asks for five).
    pub fn quantiles<const N: usize>(
        &self,
        percents: [u8; N],
        min: i128,
        max: i128,
    ) -> [Option<i128>; N] {
        let mut out = [None; N];
        if self.n == 0 {
            return out;
        }
        debug_assert!(percents.windows(2).all(|w| w[0] <= w[1]));
        let ranks = percents.map(|p| {
            let rank = (u128::from(self.n) * u128::from(p)).div_ceil(100);
            u64::try_from(rank).unwrap_or(self.n).clamp(1, self.n)
        });
        let mut q = 0;
        // The extreme ranks are the exact extremes.
        let mut seen = 0u64;
        let mut bins = self.counts.iter().enumerate();
        let mut at_bin = 0usize;
        while q < N {
            let rank = ranks[q];
            if rank == 1 {
                out[q] = Some(min);
            } else if rank == self.n {
                out[q] = Some(max);
            } else {
                // Ranks ascend: carry on from the bin the last one stopped
                // at (its count is already in `seen`).
                let mut found = seen >= rank;
                while !found {
                    let Some((i, c)) = bins.next() else { break };
                    seen += u64::from(*c);
                    at_bin = i;
                    found = seen >= rank;
                }
                if !found {
                    return out;
                }
                let bin = self.lo + i128::try_from(at_bin).unwrap_or(0);
                let first = (bin << self.shift).max(min);
                let last = (((bin + 1) << self.shift) - 1).min(max);
                out[q] = Some(first + (last - first) / 2);
            }
            q += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nearest-rank quantile of sorted values.
    fn exact(sorted: &[i128], percent: u8) -> i128 {
        let n = sorted.len() as u128;
        let rank = (n * u128::from(percent)).div_ceil(100).clamp(1, n);
        sorted[rank as usize - 1]
    }

    fn stream(seed: u64, n: usize) -> Vec<i128> {
        // SplitMix64: a deterministic spread of magnitudes and signs.
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = s;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^= z >> 31;
                // A level of 10^27 (a 10^9-token supply of an 18-decimal
                // token) plus a spread of up to 2^80.
                10i128.pow(27)
                    + i128::from(z >> 1) * i128::from(u32::try_from(z % 7).unwrap() + 1) * (1 << 16)
                    - (1 << 78)
            })
            .collect()
    }

    #[test]
    fn quantiles_are_within_the_stated_bound_of_the_exact_ones() {
        for (seed, n) in [(1u64, 1usize), (2, 2), (3, 100), (4, 1000), (5, 20_000)] {
            let values = stream(seed, n);
            let mut cell = Cell::default();
            for v in &values {
                cell.insert(*v);
            }
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let (min, max) = (sorted[0], sorted[n - 1]);
            let bound = cell.max_error();
            // The bound is at most the spread over 511.
            assert!(bound as f64 <= (max - min) as f64 / 511.0 + 1.0, "n {n}");
            for p in [5u8, 25, 50, 75, 95] {
                let got = cell.quantile(p, min, max).unwrap();
                let want = exact(&sorted, p);
                assert!(
                    got.abs_diff(want) <= bound,
                    "n {n} p{p}: {got} vs {want}, bound {bound}"
                );
            }
        }
    }

    /// The quantile as the one-scan-per-quantile code computed it before
    /// `Cell::quantiles` shared one scan: the reference for that change.
    fn naive_quantile(cell: &Cell, percent: u8, min: i128, max: i128) -> Option<i128> {
        if cell.n == 0 {
            return None;
        }
        let rank = u64::try_from(
            (u128::from(cell.n) * u128::from(percent))
                .div_ceil(100)
                .clamp(1, u128::from(cell.n)),
        )
        .unwrap();
        if rank == 1 {
            return Some(min);
        }
        if rank == cell.n {
            return Some(max);
        }
        let mut seen = 0u64;
        for (i, c) in cell.counts.iter().enumerate() {
            seen += u64::from(*c);
            if seen >= rank {
                let bin = cell.lo + i as i128;
                let first = (bin << cell.shift).max(min);
                let last = (((bin + 1) << cell.shift) - 1).min(max);
                return Some(first + (last - first) / 2);
            }
        }
        None
    }

    #[test]
    fn one_scan_gives_each_quantile_of_its_own_scan() {
        // Tiny cells (every rank an extreme, ranks sharing a bin) and big.
        for (seed, n) in [
            (11u64, 1usize),
            (12, 2),
            (13, 3),
            (14, 7),
            (15, 40),
            (16, 5000),
        ] {
            let values = stream(seed, n);
            let mut cell = Cell::default();
            values.iter().for_each(|v| cell.insert(*v));
            let (min, max) = (*values.iter().min().unwrap(), *values.iter().max().unwrap());
            let ps = [5u8, 25, 50, 75, 95];
            let want = ps.map(|p| naive_quantile(&cell, p, min, max));
            assert_eq!(cell.quantiles(ps, min, max), want, "n {n}");
            // Equal percents share their bin.
            let same = [50u8, 50, 95, 95];
            let want = same.map(|p| naive_quantile(&cell, p, min, max));
            assert_eq!(cell.quantiles(same, min, max), want, "n {n}");
        }
        // Many values in one bin: the scan stops there for several ranks.
        let mut cell = Cell::default();
        for v in [4i128, 9, 9, 9, 9, 9, 9, 9, 9, 20] {
            cell.insert(v);
        }
        // Sorted ranks of 10 values: p5 -> 1 (4), p25 -> 3, p50 -> 5,
        // p75 -> 8 (all 9), p95 -> 10 (20).
        assert_eq!(
            cell.quantiles([5, 25, 50, 75, 95], 4, 20),
            [Some(4), Some(9), Some(9), Some(9), Some(20)]
        );
    }

    #[test]
    fn widening_once_then_counting_is_inserting_one_by_one() {
        let values = stream(21, 3000);
        let mut one_by_one = Cell::default();
        let mut batched = Cell::default();
        // Batches of 64 as a flush folds them, the range growing.
        for batch in values.chunks(64) {
            batch.iter().for_each(|v| one_by_one.insert(*v));
            let (min, max) = (*batch.iter().min().unwrap(), *batch.iter().max().unwrap());
            batched.keep(min, max);
            batch.iter().for_each(|v| batched.count_kept(*v));
            assert_eq!(batched, one_by_one);
        }
    }

    #[test]
    fn small_integer_cells_are_exact() {
        let mut cell = Cell::default();
        for v in [3i128, -2, 7, 7, 0, 5, 1, 1, 1] {
            cell.insert(v);
        }
        assert_eq!(cell.max_error(), 0);
        // Sorted: -2 0 1 1 1 3 5 7 7; ranks ceil(9p/100): p25 -> 3, p50 -> 5.
        assert_eq!(cell.quantile(25, -2, 7), Some(1));
        assert_eq!(cell.quantile(50, -2, 7), Some(1));
        assert_eq!(cell.quantile(75, -2, 7), Some(5));
        assert_eq!(cell.quantile(95, -2, 7), Some(7));
        assert_eq!(cell.quantile(5, -2, 7), Some(-2));
    }

    #[test]
    fn any_split_and_merge_order_gives_the_same_cell() {
        let values = stream(9, 5000);
        let mut whole = Cell::default();
        values.iter().for_each(|v| whole.insert(*v));
        for parts in [2usize, 3, 7, 64] {
            let mut cells: Vec<Cell> = vec![Cell::default(); parts];
            for (i, v) in values.iter().enumerate() {
                cells[(i * 31 + i / 3) % parts].insert(*v);
            }
            // Merge in reverse, then forwards: both equal the whole.
            let mut a = Cell::default();
            cells.iter().rev().for_each(|c| a.merge(c));
            let mut b = Cell::default();
            cells.iter().for_each(|c| b.merge(c));
            assert_eq!(a, whole, "{parts} parts, reversed");
            assert_eq!(b, whole, "{parts} parts");
        }
    }
}
