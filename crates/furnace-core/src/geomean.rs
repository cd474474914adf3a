//! The geometric mean of many `u128`s, in integers, for stake caps
//! (`engine/stake_cap.rs`).
//!
//! The exact product of 100,000 stakes has millions of bits, so the mean
//! is taken in the log domain, in fixed point with 64 fractional bits:
//!
//! `G = clamp(round(2^(floor(Σ ℓ(s_i) / n) / 2^64)), min s, max s)`
//!
//! - `ℓ(x)`, [`log2_fixed`], is `2^64 log2(x)` computed by repeated
//!   squaring of the 127-bit mantissa, truncating each square: it never
//!   exceeds the true value and is below it by less than 2 (tested against
//!   exact figures). Its integer part is `x`'s bit length minus one.
//! - `2^(m / 2^64)`, [`exp2_fixed`], multiplies `2^q` by `2^(2^-j)` for
//!   each set bit `j` of the fraction, each constant the floor of
//!   `sqrt(previous 2^127)` in Q1.127: relative error below 2^-120.
//! - So the mean's log is below the true one by less than 2 units of 2^-64
//!   before the floor of the division (one more), and `G` before rounding is
//!   within a factor `2^(3 / 2^64)`, about `1 - 1.2e-19`, of the true
//!   geometric mean: `G` is the geometric mean rounded to the nearest
//!   integer for any mean below 2^61 (2.3e18 base units: 2.3 whole
//!   18-decimal tokens; above, the relative error stays below 2^-60).
//! - Clamping into `[min, max]` (where every geometric mean lies) makes
//!   equal stakes give exactly their value.
//!
//! Cost: one `ℓ` per stake (64 squarings), one `exp2` per mean. No
//! allocation, no float.

use crate::pool_math::isqrt_u256;
use crate::units::wide_mul;

/// Fractional bits of the fixed-point logs.
pub const LOG_FRACTION_BITS: u32 = 64;

/// `2^64 log2(x)` for `x >= 1`, truncated (module docs); 0 for `x <= 1`.
pub fn log2_fixed(x: u128) -> u128 {
    if x <= 1 {
        return 0;
    }
    let k = 127 - x.leading_zeros();
    // The mantissa x / 2^k in [1, 2), as m / 2^127.
    let mut m = x << (127 - k);
    let mut frac: u128 = 0;
    for bit in (0..LOG_FRACTION_BITS).rev() {
        // (m / 2^127)^2 in [1, 4) is m^2 / 2^254.
        let (hi, lo) = wide_mul(m, m);
        if hi >> 127 == 1 {
            // The square is at least 2: this bit of the log is 1, and the
            // mantissa halves: m^2 / 2^255 * 2^127 = m^2 / 2^128 = hi.
            frac |= 1 << bit;
            m = hi;
        } else {
            // m^2 / 2^254 * 2^127 = m^2 / 2^127, which fits: m^2 < 2^255.
            m = (hi << 1) | (lo >> 127);
        }
    }
    (u128::from(k) << LOG_FRACTION_BITS) | frac
}

/// `2^(l / 2^64)` rounded to the nearest integer (halves up), for
/// `l < 128 2^64`; None past `u128`.
pub fn exp2_fixed(l: u128) -> Option<u128> {
    let q = l >> LOG_FRACTION_BITS;
    if q >= 128 {
        return None;
    }
    let f = l & ((1u128 << LOG_FRACTION_BITS) - 1);
    const ONE: u128 = 1 << 127;
    let mut r = ONE;
    // c = 2^(2^-j) in Q1.127, from c_1 = sqrt(2) by square roots.
    let mut c = isqrt_u256(1 << 127, 0);
    for j in 1..=LOG_FRACTION_BITS {
        if f >> (LOG_FRACTION_BITS - j) & 1 == 1 {
            let (hi, lo) = wide_mul(r, c);
            // r c / 2^127 < 2^128: both factors are below 2 and so is
            // their product (a power of two below 2^1).
            r = (hi << 1) | (lo >> 127);
        }
        // c_{j+1} = sqrt(c_j 2^127): (c >> 1, c << 127) is c 2^127.
        c = isqrt_u256(c >> 1, c << 127);
    }
    // r 2^q / 2^127, rounded half up: q <= 127.
    let shift = 127 - u32::try_from(q).expect("below 128");
    if shift == 0 {
        return Some(r);
    }
    let half = 1u128 << (shift - 1);
    // r < 2^128 so (r >> shift) + 1 cannot overflow for shift >= 1.
    Some((r >> shift) + u128::from(r & ((half << 1) - 1) >= half))
}

/// Accumulates values for their geometric mean (module docs).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct GeometricMean {
    sum: u128,
    n: u32,
    min: u128,
    max: u128,
}

impl GeometricMean {
    /// Add one value (zeros are skipped: they have no log). None when the
    /// count passes `u32::MAX` (the sum of logs, below 2^71 each, then
    /// still fits).
    pub fn add(&mut self, x: u128) -> Option<()> {
        if x == 0 {
            return Some(());
        }
        self.n = self.n.checked_add(1)?;
        self.sum = self.sum.checked_add(log2_fixed(x))?;
        self.min = if self.n == 1 { x } else { self.min.min(x) };
        self.max = self.max.max(x);
        Some(())
    }

    /// Values added (zeros not counted).
    pub fn count(&self) -> u32 {
        self.n
    }

    /// The geometric mean (module docs); None when nothing was added.
    pub fn mean(&self) -> Option<u128> {
        if self.n == 0 {
            return None;
        }
        let g = exp2_fixed(self.sum / u128::from(self.n)).unwrap_or(self.max);
        Some(g.clamp(self.min, self.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_match_exact_figures() {
        // Exact: 2^64 log2(2^k) = k 2^64.
        for k in [1u32, 2, 63, 64, 100, 127] {
            assert_eq!(log2_fixed(1u128 << k), u128::from(k) << 64);
        }
        // python3: from decimal import *; getcontext().prec = 80
        // int(Decimal(x).ln() / Decimal(2).ln() * 2**64) for each x.
        let cases: [(u128, u128); 6] = [
            (3, 29_237_397_617_229_858_719),
            (10, 61_278_757_397_652_712_441),
            (1000, 183_836_272_192_958_137_323),
            (1_000_000_000_000_000_000, 1_103_017_633_157_748_823_940),
            (u128::MAX, 2_361_183_241_434_822_606_847),
            (
                123_456_789_012_345_678_901_234_567,
                1_598_855_616_425_839_276_610,
            ),
        ];
        for (x, want) in cases {
            let got = log2_fixed(x);
            assert!(got <= want && want - got < 2, "log2({x}): {got} vs {want}");
        }
    }

    #[test]
    fn exp2_inverts_the_log() {
        assert_eq!(exp2_fixed(0), Some(1));
        assert_eq!(exp2_fixed(5 << 64), Some(32));
        assert_eq!(exp2_fixed(127 << 64), Some(1 << 127));
        assert_eq!(exp2_fixed(128 << 64), None);
        // 2^(1/2) = 1.414..., 2^(10 + 1/2) = 1448.15... -> 1448.
        assert_eq!(exp2_fixed(1 << 63), Some(1));
        assert_eq!(exp2_fixed((10 << 64) | (1 << 63)), Some(1448));
        // python3: round(2 ** (100 + 0.75)) with 80 digits:
        // int((Decimal(2) ** Decimal('100.75')).to_integral_value(ROUND_HALF_UP))
        assert_eq!(
            exp2_fixed((100 << 64) | (3 << 62)),
            Some(2_131_925_691_052_275_356_552_421_013_298)
        );
    }

    #[test]
    fn geometric_means() {
        let mean = |xs: &[u128]| {
            let mut g = GeometricMean::default();
            for x in xs {
                g.add(*x).unwrap();
            }
            g.mean()
        };
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[0, 0]), None);
        assert_eq!(mean(&[7]), Some(7));
        assert_eq!(mean(&[5, 5, 5]), Some(5));
        // sqrt(1 x 4) = 2; cbrt(2 x 4 x 8) = 4; sqrt(100 x 400) = 200.
        assert_eq!(mean(&[1, 4]), Some(2));
        assert_eq!(mean(&[2, 4, 8, 0]), Some(4));
        assert_eq!(mean(&[100, 400]), Some(200));
        // sqrt(2 x 3) = 2.449 -> 2; (1 x 2 x 3 x 4)^(1/4) = 2.213 -> 2.
        assert_eq!(mean(&[2, 3]), Some(2));
        assert_eq!(mean(&[1, 2, 3, 4]), Some(2));
    }

    /// Means above 2^61 are within 2^-60 of the exact one, relatively.
    /// Expected values: python3, `decimal` at 120 digits,
    /// `exp(sum(ln x) / n)` rounded half up.
    #[test]
    fn large_means_within_the_documented_error() {
        let cases: [(&[u128], u128); 4] = [
            // 10^18 x 10^24 x 10^21: exactly 10^21.
            (
                &[10u128.pow(18), 10u128.pow(24), 10u128.pow(21)],
                10u128.pow(21),
            ),
            (
                &[
                    300_000_000_000_000_000_000,
                    70_000_000_000_000_000_000,
                    50_000_000_000_000_000_000_000,
                    123_456_789_000_000_000_000,
                    1_000_000_000_000_000_001,
                ],
                166_932_483_769_383_851_851,
            ),
            (
                &[
                    487_320_478_161_116_480_663_150_048_313,
                    1_035_705_106_444_046_403_401_351_930_961,
                    742_026_323_667_635_606_410_750_824_492,
                    277_887_688_554_896_545_928_674_083_958,
                    509_725_926_018_754_320_960_493_015_257,
                    641_012_325_617_808_238_136_512_351_120,
                    778_563_437_081_166_638_027_914_431_015,
                    809_968_438_216_434_163_310_578_990_116,
                    75_085_238_249_463_423_811_931_043_510,
                    31_428_265_462_331_379_888_665_986_256,
                    637_515_960_275_077_562_819_339_344_589,
                    498_314_186_849_581_176_734_555_084_492,
                    722_385_924_882_736_859_297_214_228_133,
                    856_941_816_839_632_833_506_069_490_233,
                    759_132_574_891_667_790_408_154_617_228,
                    108_732_535_550_544_250_685_975_680_328,
                    718_028_117_845_936_560_585_678_846_762,
                    570_914_868_260_565_052_558_237_894_069,
                    984_615_302_959_012_435_461_323_796_821,
                    1_155_587_265_460_919_309_098_822_660_848,
                ],
                477_713_691_998_329_237_545_524_662_079,
            ),
            (
                &[(1 << 127) + 12345, 1 << 120, (1 << 126) - 1],
                26_795_557_311_983_827_972_015_030_655_978_197_849,
            ),
        ];
        for (xs, want) in cases {
            let mut g = GeometricMean::default();
            for x in xs {
                g.add(*x).unwrap();
            }
            let got = g.mean().unwrap();
            assert!(got.abs_diff(want) <= (want >> 60) + 1, "{got} vs {want}");
        }
    }
}
