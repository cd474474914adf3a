//! [`Total`]: an exact sum of `u128` values in 256 bits, the type every
//! count and amount summed over steps is kept in, and its exact decimal
//! text.

use furnace_core::units::format_decimal;

/// An exact sum of `u128` values in 256 bits: it cannot overflow before
/// 2^128 terms, so a total over any run is exact.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Total {
    // Field order makes the derived `Ord` numeric.
    hi: u128,
    lo: u128,
}

impl Total {
    pub const ZERO: Total = Total { hi: 0, lo: 0 };

    pub fn add(&mut self, v: u128) {
        let (lo, carry) = self.lo.overflowing_add(v);
        self.lo = lo;
        // At most one carry per term: `hi` counts terms at the most.
        self.hi += u128::from(carry);
    }

    /// Add another total (sums of `u128` terms: below 2^256 for fewer than
    /// 2^128 terms in all).
    pub fn add_total(&mut self, other: Total) {
        self.add(other.lo);
        self.hi += other.hi;
    }

    /// `a * b` exactly.
    pub fn product(a: u128, b: u128) -> Total {
        let (a1, a0) = (a >> 64, a & u128::from(u64::MAX));
        let (b1, b0) = (b >> 64, b & u128::from(u64::MAX));
        let mut t = Total {
            hi: a1 * b1,
            lo: a0 * b0,
        };
        for cross in [a1 * b0, a0 * b1] {
            t.hi += cross >> 64;
            t.add(cross << 64);
        }
        t
    }

    /// `self - other`, or `None` below zero.
    pub fn checked_sub(self, other: Total) -> Option<Total> {
        let (lo, borrow) = self.lo.overflowing_sub(other.lo);
        let hi = self.hi.checked_sub(other.hi)?;
        Some(Total {
            hi: hi.checked_sub(u128::from(borrow))?,
            lo,
        })
    }

    pub fn to_u128(self) -> Option<u128> {
        (self.hi == 0).then_some(self.lo)
    }

    pub fn is_zero(self) -> bool {
        self == Total::ZERO
    }

    /// Approximately, for display ratios.
    pub fn to_f64(self) -> f64 {
        self.hi as f64 * 2f64.powi(128) + self.lo as f64
    }

    /// Four 64-bit limbs, most significant first.
    fn limbs(self) -> [u64; 4] {
        let part = |v: u128, shift: u32| u64::try_from((v >> shift) & u128::from(u64::MAX));
        [
            part(self.hi, 64).expect("masked"),
            part(self.hi, 0).expect("masked"),
            part(self.lo, 64).expect("masked"),
            part(self.lo, 0).expect("masked"),
        ]
    }

    fn from_limbs(l: [u64; 4]) -> Total {
        Total {
            hi: u128::from(l[0]) << 64 | u128::from(l[1]),
            lo: u128::from(l[2]) << 64 | u128::from(l[3]),
        }
    }

    /// `(floor(self / d), self % d)` for a non-zero `d`.
    pub fn div_rem(self, d: u64) -> (Total, u64) {
        assert!(d > 0, "division by zero");
        let mut q = [0u64; 4];
        let mut rem: u128 = 0;
        for (i, limb) in self.limbs().into_iter().enumerate() {
            let cur = rem << 64 | u128::from(limb);
            q[i] = u64::try_from(cur / u128::from(d)).expect("rem < d, so the quotient limb fits");
            rem = cur % u128::from(d);
        }
        (Total::from_limbs(q), u64::try_from(rem).expect("rem < d"))
    }

    /// The integer in decimal digits.
    pub fn digits(self) -> String {
        if let Some(v) = self.to_u128() {
            return v.to_string();
        }
        const CHUNK: u64 = 10_000_000_000_000_000_000; // 10^19
        let mut chunks = Vec::new();
        let mut rest = self;
        while !rest.is_zero() {
            let (q, r) = rest.div_rem(CHUNK);
            chunks.push(r);
            rest = q;
        }
        let mut text = chunks.pop().map_or_else(String::new, |c| c.to_string());
        for c in chunks.iter().rev() {
            text.push_str(&format!("{c:019}"));
        }
        text
    }

    /// Whole units with `decimals` decimals, exactly (trailing zeros dropped).
    pub fn decimal(self, decimals: u8) -> String {
        match self.to_u128() {
            Some(v) => format_decimal(v, decimals),
            None => with_point(&self.digits(), decimals),
        }
    }
}

impl From<u128> for Total {
    fn from(v: u128) -> Total {
        Total { hi: 0, lo: v }
    }
}

impl From<u64> for Total {
    fn from(v: u64) -> Total {
        Total::from(u128::from(v))
    }
}

impl std::iter::Sum<u128> for Total {
    fn sum<I: Iterator<Item = u128>>(iter: I) -> Total {
        let mut t = Total::ZERO;
        iter.for_each(|v| t.add(v));
        t
    }
}

/// Digits of an integer of base units as whole units (`"1500", 3` -> `"1.5"`).
fn with_point(digits: &str, decimals: u8) -> String {
    let d = usize::from(decimals);
    let padded = format!("{digits:0>width$}", width = d + 1);
    let (int, frac) = padded.split_at(padded.len() - d);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_exact_past_128_bits() {
        let mut t = Total::ZERO;
        t.add(u128::MAX);
        t.add(u128::MAX);
        t.add(2);
        // 2 * (2^128 - 1) + 2 = 2^129.
        assert_eq!(t.digits(), "680564733841876926926749214863536422912");
        assert_eq!(t.to_u128(), None);
        assert_eq!(t.decimal(18), "680564733841876926926.749214863536422912");
        assert_eq!(
            t.div_rem(2).0.checked_sub(Total::from(u128::MAX)),
            Some(Total::from(1u128))
        );
        assert_eq!(Total::from(5u128).checked_sub(Total::from(6u128)), None);
        assert_eq!(
            Total::product(u128::MAX, u128::MAX).digits(),
            "115792089237316195423570985008687907852589419931798687112530834793049593217025"
        );
        assert_eq!(Total::product(3, 7), Total::from(21u128));
        assert_eq!(Total::from(1_500u128).decimal(3), "1.5");
        assert_eq!(with_point("5", 3), "0.005");
        assert_eq!(with_point("0", 3), "0");
    }
}
