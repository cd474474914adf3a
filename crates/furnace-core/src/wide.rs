//! 256-bit unsigned integers, for the reward pools' reward-per-weight
//! accumulators (`engine/rewards.rs`). Only what those need: add, subtract,
//! multiply by a `u128`, shift, and one division shape. Every operation is
//! checked: overflow gives `None`, never a wrap or a panic.
//!
//! Why 256 bits: the accumulator is scaled by 2^96 per weight unit, and a
//! pool whose total weight is one base unit can receive up to 2^128 units,
//! so it reaches 2^224. A `u128` accumulator (MasterChef's 1e12, Synthetix's
//! 1e18 in `uint256`) would overflow as soon as someone staked dust into an
//! empty pool, and every later credit to the pool would be refused.

use crate::units::{mul_div_floor, wide_mul};

/// `hi * 2^128 + lo`. Field order makes the derived `Ord` numeric.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct U256 {
    pub hi: u128,
    pub lo: u128,
}

impl U256 {
    pub const ZERO: U256 = U256 { hi: 0, lo: 0 };

    #[inline]
    pub const fn from_u128(x: u128) -> U256 {
        U256 { hi: 0, lo: x }
    }

    #[inline]
    pub fn checked_add(self, other: U256) -> Option<U256> {
        let (lo, carry) = self.lo.overflowing_add(other.lo);
        let hi = self
            .hi
            .checked_add(other.hi)?
            .checked_add(u128::from(carry))?;
        Some(U256 { hi, lo })
    }

    #[inline]
    pub fn checked_sub(self, other: U256) -> Option<U256> {
        let (lo, borrow) = self.lo.overflowing_sub(other.lo);
        let hi = self
            .hi
            .checked_sub(other.hi)?
            .checked_sub(u128::from(borrow))?;
        Some(U256 { hi, lo })
    }

    /// `self * k`, if it fits in 256 bits.
    #[inline]
    pub fn checked_mul_u128(self, k: u128) -> Option<U256> {
        let (carry, lo) = wide_mul(self.lo, k);
        let hi = self.hi.checked_mul(k)?.checked_add(carry)?;
        Some(U256 { hi, lo })
    }

    /// `x * 2^shift` for `shift < 128`, which always fits.
    #[inline]
    pub fn shl_u128(x: u128, shift: u32) -> U256 {
        debug_assert!(0 < shift && shift < 128);
        U256 {
            hi: x >> (128 - shift),
            lo: x << shift,
        }
    }

    /// `floor(self / 2^shift)` for `0 < shift < 128`, if it fits a `u128`.
    #[inline]
    pub fn shr_to_u128(self, shift: u32) -> Option<u128> {
        debug_assert!(0 < shift && shift < 128);
        if self.hi >> shift != 0 {
            return None;
        }
        Some((self.hi << (128 - shift)) | (self.lo >> shift))
    }

    /// `self mod 2^bits` for `bits < 128`.
    #[inline]
    pub fn low_bits(self, bits: u32) -> u128 {
        self.lo & ((1u128 << bits) - 1)
    }
}

/// `floor((a * 2^shift + c) / d)` and the remainder, for `d > 0` and
/// `0 < shift < 128`; `None` if `d == 0`. The quotient always fits: it is
/// below `2^(128 + shift) + 2^128`.
///
/// `a = q1 d + r1` (so `a 2^shift / d = q1 2^shift + r1 2^shift / d`, and
/// `r1 < d` keeps that second quotient below `2^shift`), then `c` is added
/// the same way. This is a reward pool's credit, on the hot path when a
/// split leg feeds a pool: see [`shl_div`] for its cost.
pub fn shl_add_div(a: u128, shift: u32, c: u128, d: u128) -> Option<(U256, u128)> {
    if d == 0 {
        return None;
    }
    let (q1, r1) = (a / d, a % d);
    let (q2, r2) = shl_div(r1, shift, d)?;
    let (qc, rc) = if c < d { (0, c) } else { (c / d, c % d) };
    // r2 + rc < 2d: at most one more unit of quotient.
    let (sum, overflowed) = r2.overflowing_add(rc);
    let (extra, rem) = if overflowed || sum >= d {
        (1, sum.wrapping_sub(d))
    } else {
        (0, sum)
    };
    let q = U256::shl_u128(q1, shift)
        .checked_add(U256::from_u128(q2))?
        .checked_add(U256::from_u128(qc))?
        .checked_add(U256::from_u128(extra))?;
    Some((q, rem))
}

/// `floor(r 2^shift / d)` and its remainder, for `r < d`, `shift < 128`.
///
/// Long division in chunks as wide as the zero bits above `d`: `r < d`
/// stays below `d` after each step, so shifting it by `leading_zeros(d)`
/// bits cannot overflow. A total weight of 10^26 (100,000 stakes of 1,000
/// 18-decimal tokens, 41 free bits) takes 3 `u128` divisions for the 96
/// bits; the bit-by-bit `mul_div_floor` took 256 steps (348 ns a credit
/// in `benches/rewards.rs`). Divisors above 2^112 (16 free bits or fewer,
/// weights beyond any supply) take that general path.
fn shl_div(r: u128, shift: u32, d: u128) -> Option<(u128, u128)> {
    debug_assert!(r < d && shift < 128);
    let free = d.leading_zeros();
    if free < 16 {
        let q = mul_div_floor(r, 1u128 << shift, d)?;
        // The true remainder `r 2^shift - q d` is in [0, d): computing it
        // modulo 2^128 gives it exactly.
        return Some((q, (r << shift).wrapping_sub(q.wrapping_mul(d))));
    }
    let (mut q, mut r, mut left) = (0u128, r, shift);
    while left > 0 {
        let step = left.min(free);
        // r < d < 2^(128 - free): r 2^step fits; the quotient digit is
        // below 2^step, and q stays below 2^shift.
        r <<= step;
        q = (q << step) | (r / d);
        r %= d;
        left -= step;
    }
    Some((q, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `q * d + r` as a 256-bit number, for checking a division.
    fn recombine(q: U256, d: u128, r: u128) -> U256 {
        q.checked_mul_u128(d)
            .unwrap()
            .checked_add(U256::from_u128(r))
            .unwrap()
    }

    #[test]
    fn shl_add_div_is_exact() {
        let cases: &[(u128, u32, u128, u128)] = &[
            (1, 96, 0, 1),
            (1, 96, 0, 3),
            (7, 96, 5, 3),
            (u128::MAX, 96, u128::MAX - 1, u128::MAX),
            (u128::MAX, 96, u128::MAX, 1),
            (10u128.pow(27), 96, 12_345, 10u128.pow(28) + 7),
            ((1 << 127) + 3, 96, (1 << 127) + 1, (1 << 127) + 2),
            (123_456_789, 64, 0, 1_000_000_007),
        ];
        for &(a, s, c, d) in cases {
            let (q, r) = shl_add_div(a, s, c, d).unwrap();
            assert!(r < d, "{a} {s} {c} {d}");
            let n = U256::shl_u128(a, s)
                .checked_add(U256::from_u128(c))
                .unwrap();
            assert_eq!(recombine(q, d, r), n, "{a} {s} {c} {d}");
        }
        assert_eq!(shl_add_div(1, 96, 0, 0), None);
    }

    #[test]
    fn chunked_division_agrees_with_mul_div() {
        // Divisors of every bit length (both sides of the 16-free-bit
        // switch, so chunks of every width), remainders at the edges.
        for bits in 2..=128u32 {
            let top = 1u128 << (bits - 1);
            for d in [
                top,
                top | 1,
                top | (top >> 1) | 12_345,
                top.wrapping_mul(2).wrapping_sub(1),
            ] {
                for r in [0, 1, d / 2, d - 1] {
                    for shift in [1, 32, 64, 96, 127] {
                        let (q, rem) = shl_div(r, shift, d).unwrap();
                        let expected = mul_div_floor(r, 1u128 << shift, d).unwrap();
                        assert_eq!(q, expected, "{r} << {shift} / {d}");
                        assert!(rem < d);
                        assert_eq!(
                            recombine(U256::from_u128(q), d, rem),
                            U256::shl_u128(r, shift),
                            "{r} << {shift} / {d}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        let max = U256 {
            hi: u128::MAX,
            lo: u128::MAX,
        };
        assert_eq!(max.checked_add(U256::from_u128(1)), None);
        assert_eq!(U256::ZERO.checked_sub(U256::from_u128(1)), None);
        assert_eq!(
            U256::from_u128(u128::MAX).checked_add(U256::from_u128(1)),
            Some(U256 { hi: 1, lo: 0 })
        );
        assert_eq!(
            U256 { hi: 1, lo: 0 }.checked_sub(U256::from_u128(1)),
            Some(U256::from_u128(u128::MAX))
        );
        // (2^128 + 5) * 3
        assert_eq!(
            U256 { hi: 1, lo: 5 }.checked_mul_u128(3),
            Some(U256 { hi: 3, lo: 15 })
        );
        assert_eq!(
            U256 {
                hi: 1 << 127,
                lo: 0
            }
            .checked_mul_u128(2),
            None
        );
        let x = U256::shl_u128(0xABCD, 96);
        assert_eq!(x.shr_to_u128(96), Some(0xABCD));
        assert_eq!(x.low_bits(96), 0);
        assert_eq!(U256 { hi: 1 << 96, lo: 0 }.shr_to_u128(96), None);
        assert_eq!(U256::from_u128(5).low_bits(2), 1);
    }
}
