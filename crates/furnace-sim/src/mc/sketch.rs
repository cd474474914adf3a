//! The quantile sketch of one (step, series) cell across runs: a
//! histogram of logarithmic bins over exact integer values, mergeable and
//! order-free.
//!
//! **Bins.** A value's magnitude `v` below `2^P` (`P` = [`PRECISION_BITS`]
//! = 7, so below 128 base units) has a bin of its own; above, its bin is
//! its octave and the `P` bits after its leading one, so a bin spans at
//! most `2^-P` of its lower edge. A negative value's bin mirrors its
//! magnitude's below zero, so bins sort as values do.
//!
//! **Bounded memory.** A cell keeps a dense window of counts over the bins
//! its values reach, at most [`MAX_CELL_BINS`] (512, 2 KiB of `u32`s): when
//! its values spread wider (more than 4 octaves at full precision) it
//! merges neighbouring bins in pairs (`shift` grows by one) until they
//! fit. So a cell never holds more than 2 KiB however many runs feed it.
//!
//! **Error bound.** A quantile is the order statistic of rank `max(1,
//! ceil(q n))` among the `n` values (nearest rank); the sketch returns the
//! middle of the bin that holds it, clamped to the exact minimum and
//! maximum. For a value of magnitude at least `2^P` base units the
//! estimate is within a relative `2^-(P + 1 - shift)` of the true order
//! statistic (0.39% at `shift` 0); below, within `2^(shift - 1)` base
//! units (exact at `shift` 0). [`Cell::relative_error`] says which bound a
//! cell met, and `bands.csv` writes it per row.
//!
//! **Determinism.** A cell's state is a function of the set of values
//! inserted only: `shift` is the least that fits the range of bins seen
//! (which only grows), and merging adds counts. Whatever the thread count
//! and the order runs finish in, the same runs give the same bands.

/// Bits of a magnitude kept after its leading one: 128 bins an octave.
pub const PRECISION_BITS: u32 = 7;

/// The most bins a cell keeps (4 octaves at full precision, 2 KiB).
pub const MAX_CELL_BINS: usize = 512;

const LINEAR: u128 = 1 << PRECISION_BITS;

/// The bin code of a magnitude: itself below `2^P`, else
/// `(octave - P + 1) * 2^P + the next P bits`.
fn magnitude_code(v: u128) -> i32 {
    if v < LINEAR {
        // Below 128: fits.
        return i32::try_from(v).unwrap_or(i32::MAX);
    }
    let octave = 127 - v.leading_zeros();
    let mantissa = (v >> (octave - PRECISION_BITS)) & (LINEAR - 1);
    // octave <= 127, so the code is below 122 * 128 + 128.
    let base = (octave - PRECISION_BITS + 1) << PRECISION_BITS;
    i32::try_from(u128::from(base) + mantissa).unwrap_or(i32::MAX)
}

/// The least magnitude with a code (the inverse of [`magnitude_code`]).
fn code_floor(code: i32) -> u128 {
    let c = u128::from(code.unsigned_abs());
    if c < LINEAR {
        return c;
    }
    let octave = (c >> PRECISION_BITS) + u128::from(PRECISION_BITS) - 1;
    let mantissa = c & (LINEAR - 1);
    (LINEAR | mantissa) << (octave - u128::from(PRECISION_BITS))
}

/// The largest magnitude with a code.
fn code_ceil(code: i32) -> u128 {
    let next = code.unsigned_abs() + 1;
    match i32::try_from(next) {
        Ok(n) if u128::from(next) < 122 * LINEAR + LINEAR => code_floor(n) - 1,
        _ => u128::MAX,
    }
}

/// The bin code of a value given as sign and magnitude.
pub fn code(negative: bool, magnitude: u128) -> i32 {
    let c = magnitude_code(magnitude);
    if negative {
        -c
    } else {
        c
    }
}

/// The value range `[low, high]` of a code as signed (negative, magnitude)
/// pairs ordered by value.
fn code_range(code: i32) -> ((bool, u128), (bool, u128)) {
    if code >= 0 {
        ((false, code_floor(code)), (false, code_ceil(code)))
    } else {
        ((true, code_ceil(code)), (true, code_floor(code)))
    }
}

/// One cell's histogram.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// Bins merged in groups of `2^shift` codes.
    shift: u32,
    /// The first bin kept (a code shifted by `shift`, rounded down).
    lo: i32,
    counts: Vec<u32>,
    n: u64,
}

fn shifted(code: i32, shift: u32) -> i32 {
    code >> shift
}

impl Cell {
    /// Values counted.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// The relative error bound of this cell's quantiles (for magnitudes
    /// of at least 128 base units): `2^-(P + 1 - shift)`.
    pub fn relative_error(&self) -> f64 {
        libm::ldexp(1.0, self.shift as i32 - PRECISION_BITS as i32 - 1)
    }

    /// Bytes held on the heap and inline.
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Cell>() + self.counts.capacity() * std::mem::size_of::<u32>()
    }

    /// Count `code` once.
    pub fn insert(&mut self, code: i32) {
        self.insert_count(code, 1);
    }

    fn insert_count(&mut self, code: i32, count: u32) {
        self.n += u64::from(count);
        let mut bin = shifted(code, self.shift);
        if self.counts.is_empty() {
            self.lo = bin;
            self.counts.push(count);
            return;
        }
        let (mut lo, mut hi) = (self.lo.min(bin), self.hi().max(bin));
        while (hi - lo) as usize >= MAX_CELL_BINS {
            self.coarsen();
            bin = shifted(code, self.shift);
            (lo, hi) = (self.lo.min(bin), self.hi().max(bin));
        }
        if bin < self.lo {
            let grow = (self.lo - bin) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.lo = bin;
        } else if bin > self.hi() {
            let len = (bin - self.lo) as usize + 1;
            self.counts.resize(len, 0);
        }
        self.counts[(bin - self.lo) as usize] += count;
    }

    fn hi(&self) -> i32 {
        // At most MAX_CELL_BINS bins.
        self.lo + i32::try_from(self.counts.len()).unwrap_or(i32::MAX) - 1
    }

    /// Merge bins in pairs (aligned to even codes: the same on every
    /// worker).
    fn coarsen(&mut self) {
        let new_lo = self.lo >> 1;
        let mut merged = vec![0u32; ((self.hi() >> 1) - new_lo) as usize + 1];
        for (i, c) in self.counts.iter().enumerate() {
            let bin = self.lo + i32::try_from(i).unwrap_or(i32::MAX);
            merged[((bin >> 1) - new_lo) as usize] += c;
        }
        self.counts = merged;
        self.lo = new_lo;
        self.shift += 1;
    }

    /// Add another cell's counts (the same values as inserting them here).
    pub fn merge(&mut self, other: &Cell) {
        if other.counts.is_empty() {
            return;
        }
        while self.shift < other.shift {
            if self.counts.is_empty() {
                self.shift = other.shift;
                break;
            }
            self.coarsen();
        }
        for (i, c) in other.counts.iter().enumerate() {
            if *c > 0 {
                let bin = other.lo + i32::try_from(i).unwrap_or(i32::MAX);
                // A bin of `other` at a finer shift: its codes all fall in
                // one bin here.
                self.insert_count(bin << other.shift, *c);
            }
        }
    }

    /// The bin holding the `rank`-th smallest value (1-based), as a code
    /// range at shift 0: `(first code, last code)`.
    fn bin_of_rank(&self, rank: u64) -> Option<(i32, i32)> {
        let mut seen = 0u64;
        for (i, c) in self.counts.iter().enumerate() {
            seen += u64::from(*c);
            if seen >= rank {
                let bin = self.lo + i32::try_from(i).ok()?;
                let first = bin << self.shift;
                let last = ((bin + 1) << self.shift) - 1;
                return Some((first, last));
            }
        }
        None
    }

    /// The `percent` quantile (nearest rank: the `max(1, ceil(percent n /
    /// 100))`-th smallest value) as (negative, magnitude): the middle of
    /// its bin, within `[min, max]` (the cell's exact extremes, which the
    /// first and last ranks return). `None` for an empty cell.
    pub fn quantile(
        &self,
        percent: u8,
        min: (bool, u128),
        max: (bool, u128),
    ) -> Option<(bool, u128)> {
        if self.n == 0 {
            return None;
        }
        let rank = (u128::from(self.n) * u128::from(percent)).div_ceil(100);
        let rank = u64::try_from(rank).unwrap_or(self.n).clamp(1, self.n);
        if rank == 1 {
            return Some(min);
        }
        if rank == self.n {
            return Some(max);
        }
        let (first, last) = self.bin_of_rank(rank)?;
        let (low, _) = code_range(first);
        let (_, high) = code_range(last);
        let mid = midpoint(low, high);
        Some(clamp(mid, min, max))
    }
}

/// Signed (negative, magnitude) as an i129-like ordering key.
fn key(v: (bool, u128)) -> (bool, u128) {
    // Negative values sort first, larger magnitudes lower.
    if v.0 && v.1 > 0 {
        (false, u128::MAX - v.1)
    } else {
        (true, v.1)
    }
}

fn clamp(v: (bool, u128), min: (bool, u128), max: (bool, u128)) -> (bool, u128) {
    if key(v) < key(min) {
        min
    } else if key(v) > key(max) {
        max
    } else {
        v
    }
}

/// The middle of `[low, high]`, rounded toward `low`.
fn midpoint(low: (bool, u128), high: (bool, u128)) -> (bool, u128) {
    match (low.0, high.0) {
        (false, false) => (false, low.1 + (high.1 - low.1) / 2),
        (true, true) => (true, low.1 - (low.1 - high.1) / 2),
        // A bin never spans zero: code 0 is its own bin.
        _ => (false, 0),
    }
}

/// Order a value for comparisons: `(negative, magnitude)` to a sortable key.
pub fn order_key(v: (bool, u128)) -> (bool, u128) {
    key(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_monotone_and_invert() {
        let mut prev = -1;
        for v in (0u128..100_000).chain([u128::MAX / 3, u128::MAX - 1, u128::MAX]) {
            let c = magnitude_code(v);
            assert!(c >= prev, "{v}");
            assert!(code_floor(c) <= v && v <= code_ceil(c), "{v}: {c}");
            prev = c;
        }
        // Below 128 every value is its own bin; above, a bin spans at most
        // 2^-7 of its floor.
        assert_eq!(code_floor(magnitude_code(127)), 127);
        for v in [128u128, 1000, 123_456_789, 10u128.pow(30)] {
            let c = magnitude_code(v);
            let width = code_ceil(c) - code_floor(c) + 1;
            assert!(width as f64 / code_floor(c) as f64 <= 1.0 / 128.0, "{v}");
        }
    }
}
