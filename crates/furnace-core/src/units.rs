//! Exact money: integer base units, shares in parts per million, and the
//! decimal text form used at every boundary (config, CLI, JSON, CSV).
//!
//! Conventions (see ARCHITECTURE.md, "Units"):
//! - A token amount is a `u128` count of the token's base units; a token has
//!   `decimals` (at most [`MAX_DECIMALS`]), so one whole token is
//!   `10^decimals` base units.
//! - USD is an asset like any other, with [`USD_DECIMALS`] = 6 (micro-dollars,
//!   as USDC). Prices per action are USD amounts in micro-dollars.
//! - A token's market price is USD per *whole* token in pico-dollars
//!   (`10^-12` USD, [`PRICE_DECIMALS`]): fine enough for tokens priced at a
//!   millionth of a dollar, coarse enough that `tokens per action` fits in a
//!   `u128` for any per-action price up to $100M.
//! - A share is [`Ppm`]: parts per million (1% = 10,000 ppm), so 17.5%,
//!   12.5% and 33% are all exact.

use std::fmt;

/// A quantity of some asset, in that asset's base units.
pub type BaseUnits = u128;

/// Decimals of the USD asset: amounts are micro-dollars.
pub const USD_DECIMALS: u8 = 6;
/// Decimals of a token price (USD per whole token): pico-dollars.
pub const PRICE_DECIMALS: u8 = 12;
/// The most decimals a token may have (18, as ERC-20).
pub const MAX_DECIMALS: u8 = 18;

/// Parts per million in one whole.
pub const PPM_ONE: u32 = 1_000_000;

/// A share of a whole, in parts per million. Always `<= PPM_ONE` once validated.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ppm(pub u32);

impl Ppm {
    pub const ZERO: Ppm = Ppm(0);
    pub const ONE: Ppm = Ppm(PPM_ONE);

    /// `floor(amount * self / 10^6)`. Returns `None` only if `amount * ppm`
    /// overflows `u128`, i.e. for amounts above ~3.4e32 base units.
    #[inline]
    pub fn of_floor(self, amount: BaseUnits) -> Option<BaseUnits> {
        amount
            .checked_mul(self.0 as u128)
            .map(|p| p / PPM_ONE as u128)
    }

    /// The share as a fraction, for reporting only (never for the ledger).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / PPM_ONE as f64
    }

    /// Parse a percentage written in decimal ("33", "17.5", "0.0001").
    pub fn parse_percent(text: &str) -> Result<Ppm, DecimalError> {
        // 1% = 10^4 ppm, so a percentage has 4 decimals of ppm resolution.
        let ppm = parse_decimal(text, 4)?;
        if ppm > PPM_ONE as u128 {
            return Err(DecimalError::OutOfRange);
        }
        Ok(Ppm(
            u32::try_from(ppm).map_err(|_| DecimalError::OutOfRange)?
        ))
    }
}

impl fmt::Display for Ppm {
    /// Shown as a percentage, exactly: `Ppm(175_000)` is "17.5%".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", format_decimal(self.0 as u128, 4))
    }
}

/// `10^exp` for `exp <= 38`, as `u128`: a table lookup, because prices and
/// conversions take a power of ten on the per-event path.
#[inline]
pub const fn pow10(exp: u8) -> u128 {
    POW10[exp as usize]
}

const POW10: [u128; 39] = {
    let mut table = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// Why a decimal string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecimalError {
    Empty,
    Negative,
    Malformed,
    /// More fractional digits than the unit can hold exactly.
    TooPrecise {
        max_decimals: u8,
    },
    OutOfRange,
}

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecimalError::Empty => write!(f, "empty number"),
            DecimalError::Negative => write!(f, "must not be negative"),
            DecimalError::Malformed => write!(f, "not a decimal number"),
            DecimalError::TooPrecise { max_decimals } => {
                write!(
                    f,
                    "more than {max_decimals} decimal places cannot be held exactly"
                )
            }
            DecimalError::OutOfRange => write!(f, "out of range"),
        }
    }
}

impl std::error::Error for DecimalError {}

/// Parse a non-negative decimal ("0.10", "1_000", "3.4e2" is refused) into an
/// integer count of `10^-decimals` units, exactly. Trailing fractional zeros
/// beyond `decimals` are accepted ("0.100" at 2 decimals is 10).
pub fn parse_decimal(text: &str, decimals: u8) -> Result<u128, DecimalError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DecimalError::Empty);
    }
    if text.starts_with('-') {
        return Err(DecimalError::Negative);
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(DecimalError::Malformed);
    }
    let mut value: u128 = 0;
    for c in int_part.chars() {
        if c == '_' || c == ',' {
            continue;
        }
        let d = c.to_digit(10).ok_or(DecimalError::Malformed)?;
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(d as u128))
            .ok_or(DecimalError::OutOfRange)?;
    }
    let mut frac_used: u8 = 0;
    for c in frac_part.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(10).ok_or(DecimalError::Malformed)?;
        if frac_used == decimals {
            if d != 0 {
                return Err(DecimalError::TooPrecise {
                    max_decimals: decimals,
                });
            }
            continue;
        }
        frac_used += 1;
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(d as u128))
            .ok_or(DecimalError::OutOfRange)?;
    }
    value
        .checked_mul(pow10(decimals - frac_used))
        .ok_or(DecimalError::OutOfRange)
}

/// Format `units` of `10^-decimals` as an exact decimal with no trailing
/// fractional zeros: `format_decimal(3_400_000, 6)` is "3.4".
pub fn format_decimal(units: u128, decimals: u8) -> String {
    let scale = pow10(decimals);
    let int_part = units / scale;
    let frac = units % scale;
    if frac == 0 {
        return int_part.to_string();
    }
    let mut frac_text = format!("{:0width$}", frac, width = decimals as usize);
    while frac_text.ends_with('0') {
        frac_text.pop();
    }
    format!("{int_part}.{frac_text}")
}

/// `floor(a * b / d)` exactly, for any `u128` inputs whose result fits in a
/// `u128`; `None` if `d == 0` or the result does not fit. The common case
/// (the product fits in 128 bits) is one multiply and one divide; otherwise a
/// 256-bit long division (no allocation) runs.
#[inline]
pub fn mul_div_floor(a: u128, b: u128, d: u128) -> Option<u128> {
    if d == 0 {
        return None;
    }
    match a.checked_mul(b) {
        Some(p) => Some(p / d),
        None => wide_mul_div(a, b, d).map(|(q, _)| q),
    }
}

/// `ceil(a * b / d)`: as [`mul_div_floor`], rounding up.
#[inline]
pub fn mul_div_ceil(a: u128, b: u128, d: u128) -> Option<u128> {
    if d == 0 {
        return None;
    }
    match a.checked_mul(b) {
        Some(p) => Some(p / d + u128::from(p % d != 0)),
        None => {
            let (q, r) = wide_mul_div(a, b, d)?;
            q.checked_add(u128::from(r != 0))
        }
    }
}

/// The 256-bit product of two `u128`s as (high, low).
pub(crate) fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    let ll = a_lo * b_lo;
    let lh = a_lo * b_hi;
    let hl = a_hi * b_lo;
    let hh = a_hi * b_hi;
    let mid = (ll >> 64) + (lh & MASK) + (hl & MASK);
    let low = (ll & MASK) | (mid << 64);
    let high = hh + (lh >> 64) + (hl >> 64) + (mid >> 64);
    (high, low)
}

/// Quotient and remainder of the 256-bit `a * b` by `d`, or `None` if the
/// quotient does not fit in 128 bits (`d != 0`: the callers checked).
fn wide_mul_div(a: u128, b: u128, d: u128) -> Option<(u128, u128)> {
    let (high, low) = wide_mul(a, b);
    if high >= d {
        return None;
    }
    Some(div_256_by_128(high, low, d))
}

/// `(high * 2^128 + low) / d` and its remainder, for `high < d` (so the
/// quotient fits 128 bits), by schoolbook division in 64-bit digits
/// (Hacker's Delight's `divlu`, Knuth's algorithm D for a two-digit
/// quotient): each digit is estimated from the divisor's top digit with one
/// native 128-by-64 division and corrected at most twice. It replaced a
/// bit-by-bit loop of 128 steps that made a pool swap of an 18-decimal
/// token cost ~440 ns, half of a fuel-sweep day's time (perf: 52%).
fn div_256_by_128(high: u128, low: u128, d: u128) -> (u128, u128) {
    const B: u128 = 1 << 64;
    const MASK: u128 = B - 1;
    debug_assert!(high < d);
    if d < B {
        // Two native divisions, each of a 128-bit value by a 64-bit d:
        // `high < d` and `r < d` keep every dividend within 128 bits.
        let n1 = (high << 64) | (low >> 64);
        let (q1, r1) = (n1 / d, n1 % d);
        let n0 = (r1 << 64) | (low & MASK);
        return ((q1 << 64) | (n0 / d), n0 % d);
    }
    // Normalize: the divisor's top bit set (s < 64 since d >= 2^64).
    let s = d.leading_zeros();
    let d = d << s;
    let (d1, d0) = (d >> 64, d & MASK);
    // The dividend shifted by s: high < d keeps its top 128 bits below d.
    let un32 = if s == 0 {
        high
    } else {
        (high << s) | (low >> (128 - s))
    };
    let un10 = low << s;
    let (un1, un0) = (un10 >> 64, un10 & MASK);
    // One quotient digit of (top * 2^64 + next) / d, top < d, and the
    // remainder: estimate from d1, correct while the estimate is too big.
    let digit = |top: u128, next: u128| -> (u128, u128) {
        let mut q = top / d1;
        let mut rhat = top - q * d1;
        while q >= B || q * d0 > ((rhat << 64) | next) {
            q -= 1;
            rhat += d1;
            if rhat >= B {
                break;
            }
        }
        // The true remainder is below d < 2^128: wrapping arithmetic
        // modulo 2^128 computes it exactly.
        let r = ((top << 64) | next).wrapping_sub(q.wrapping_mul(d));
        (q, r)
    };
    let (q1, un21) = digit(un32, un1);
    let (q0, r) = digit(un21, un0);
    ((q1 << 64) | q0, r >> s)
}

/// Convert a reporting float (a stochastic driver's output) into integer
/// units, rounding half to even. This is the one place floats enter the
/// ledger's units, and only for exogenous inputs (prices, demand).
pub fn units_from_f64(value: f64, decimals: u8) -> Option<u128> {
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    let scaled = (value * pow10(decimals) as f64).round_ties_even();
    if scaled >= u128::MAX as f64 {
        return None;
    }
    // In range and integral (checked above): the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(scaled as u128)
}

/// Integer units as a float, for reporting only.
pub fn units_to_f64(units: u128, decimals: u8) -> f64 {
    units as f64 / pow10(decimals) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_decimals() {
        assert_eq!(parse_decimal("0.10", 6), Ok(100_000));
        assert_eq!(parse_decimal("1_000", 6), Ok(1_000_000_000));
        assert_eq!(parse_decimal("3.4", 18), Ok(3_400_000_000_000_000_000));
        assert_eq!(parse_decimal("0.100", 2), Ok(10));
        assert_eq!(parse_decimal(".5", 1), Ok(5));
        assert_eq!(
            parse_decimal("0.1234567", 6),
            Err(DecimalError::TooPrecise { max_decimals: 6 })
        );
        assert_eq!(parse_decimal("-1", 6), Err(DecimalError::Negative));
        assert_eq!(parse_decimal("1e3", 6), Err(DecimalError::Malformed));
        assert_eq!(parse_decimal("", 6), Err(DecimalError::Empty));
    }

    #[test]
    fn formats_without_trailing_zeros() {
        assert_eq!(format_decimal(3_400_000, 6), "3.4");
        assert_eq!(format_decimal(10_000_000, 6), "10");
        assert_eq!(format_decimal(1, 18), "0.000000000000000001");
        assert_eq!(format_decimal(0, 18), "0");
    }

    #[test]
    fn percentages_are_exact_ppm() {
        assert_eq!(Ppm::parse_percent("17.5"), Ok(Ppm(175_000)));
        assert_eq!(Ppm::parse_percent("33"), Ok(Ppm(330_000)));
        assert_eq!(Ppm::parse_percent("100"), Ok(Ppm(1_000_000)));
        assert_eq!(Ppm::parse_percent("100.01"), Err(DecimalError::OutOfRange));
        assert_eq!(Ppm(175_000).to_string(), "17.5%");
        assert_eq!(Ppm(340_000).of_floor(10), Some(3));
    }

    /// The bit-by-bit restoring division the fast one replaced: slow and
    /// obviously right, the reference for the tests.
    fn div_256_by_128_bitwise(high: u128, low: u128, d: u128) -> (u128, u128) {
        let mut rem = high;
        let mut quo: u128 = 0;
        for i in (0..128).rev() {
            let carry = rem >> 127;
            rem = (rem << 1) | ((low >> i) & 1);
            quo <<= 1;
            if carry == 1 || rem >= d {
                rem = rem.wrapping_sub(d);
                quo |= 1;
            }
        }
        (quo, rem)
    }

    #[test]
    fn fast_wide_division_matches_the_bitwise_one() {
        // Edge divisors (one and two digits, top bits set or not) and a
        // deterministic stream of others (SplitMix64, no rand here).
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let edges = [
            1u128,
            2,
            3,
            u128::from(u64::MAX),
            1 << 64,
            (1 << 64) + 1,
            (1 << 127) - 1,
            1 << 127,
            u128::MAX - 1,
            u128::MAX,
        ];
        for round in 0..20_000 {
            let wide = |hi: u64, lo: u64| (u128::from(hi) << 64) | u128::from(lo);
            let mut d = if round < edges.len() * 4 {
                edges[round % edges.len()]
            } else {
                // Random widths, so every normalization shift occurs.
                wide(next(), next()) >> (next() % 128)
            };
            d = d.max(1);
            let high = if round % 3 == 0 {
                d - 1
            } else {
                wide(next(), next()) % d
            };
            let low = match round % 4 {
                0 => u128::MAX,
                1 => 0,
                _ => wide(next(), next()),
            };
            assert_eq!(
                div_256_by_128(high, low, d),
                div_256_by_128_bitwise(high, low, d),
                "({high}, {low}) / {d}"
            );
        }
    }

    #[test]
    fn mul_div_is_exact_past_128_bits() {
        assert_eq!(mul_div_floor(7, 3, 2), Some(10));
        assert_eq!(mul_div_ceil(7, 3, 2), Some(11));
        assert_eq!(mul_div_ceil(6, 3, 2), Some(9));
        // (2^127) * 6 / 4: the product 3 * 2^128 overflows 128 bits but the
        // quotient 3 * 2^126 fits. (2^127) * 8 / 4 = 2^128 does not -> None.
        assert_eq!(mul_div_floor(1 << 127, 6, 4), Some(3 << 126));
        assert_eq!(mul_div_floor(1 << 127, 8, 4), None);
        assert_eq!(mul_div_ceil(1 << 127, 8, 4), None);
        // 10^30 * 10^20 / 10^25 = 10^25, with a 10^50 intermediate.
        assert_eq!(
            mul_div_floor(pow10(30), pow10(20), pow10(25)),
            Some(pow10(25))
        );
        assert_eq!(
            mul_div_ceil(pow10(30) + 1, pow10(20), pow10(25)),
            Some(pow10(25) + 1)
        );
        assert_eq!(
            mul_div_floor(u128::MAX, u128::MAX, u128::MAX),
            Some(u128::MAX)
        );
        assert_eq!(mul_div_floor(1, 1, 0), None);
    }

    #[test]
    fn float_conversion_rounds_half_even() {
        assert_eq!(units_from_f64(0.01, 12), Some(10_000_000_000));
        assert_eq!(units_from_f64(-0.01, 12), None);
        assert_eq!(units_from_f64(f64::NAN, 12), None);
    }
}
