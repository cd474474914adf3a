//! Exact rational numbers for auditing figures.
//!
//! A document's figures are decimals (`$119.70`, `3.6%`), and the checks
//! divide them (`134,500 / 3,711,121`). Floats would turn `0.1 + 0.2` into
//! `0.30000000000000004` and make "exactly 15%" a matter of epsilon, so every
//! value is an `i128` numerator over a positive `i128` denominator, always
//! reduced. Every operation is checked: overflow is an error, never a panic
//! or a wrap, because a wrong number in an audit is worse than none.

use std::cmp::Ordering;
use std::fmt;

/// An exact fraction `num / den` with `den > 0` and `gcd(|num|, den) == 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rational {
    num: i128,
    den: i128,
}

/// Why an exact operation has no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithError {
    /// A numerator or denominator would leave `i128`.
    Overflow,
    DivisionByZero,
}

impl fmt::Display for ArithError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArithError::Overflow => "overflow",
            ArithError::DivisionByZero => "division by zero",
        })
    }
}

impl std::error::Error for ArithError {}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Significant digits shown for a value that has no finite decimal form.
const SIGNIFICANT: usize = 6;

impl Rational {
    pub const ZERO: Rational = Rational { num: 0, den: 1 };
    pub const ONE: Rational = Rational { num: 1, den: 1 };

    /// `num / den`, reduced. `den == 0` is a division by zero; `i128::MIN`
    /// (whose magnitude has no positive `i128`) is an overflow.
    pub fn new(num: i128, den: i128) -> Result<Rational, ArithError> {
        if den == 0 {
            return Err(ArithError::DivisionByZero);
        }
        let (n, d) = (num.unsigned_abs(), den.unsigned_abs());
        let g = gcd(n, d);
        let (n, d) = (n / g, d / g);
        let n = i128::try_from(n).map_err(|_| ArithError::Overflow)?;
        let d = i128::try_from(d).map_err(|_| ArithError::Overflow)?;
        let num = if (num < 0) != (den < 0) { -n } else { n };
        Ok(Rational { num, den: d })
    }

    pub const fn from_integer(n: i128) -> Rational {
        Rational { num: n, den: 1 }
    }

    pub fn numer(&self) -> i128 {
        self.num
    }

    pub fn denom(&self) -> i128 {
        self.den
    }

    pub fn is_zero(&self) -> bool {
        self.num == 0
    }

    pub fn is_negative(&self) -> bool {
        self.num < 0
    }

    pub fn is_integer(&self) -> bool {
        self.den == 1
    }

    /// Parse an exact decimal: optional sign, digits with single `_`
    /// separators, optional `.` and more digits. No exponent (`2.5e3`), no
    /// leading or trailing dot: the audit compares figures as written.
    pub fn parse_decimal(text: &str) -> Result<Rational, String> {
        let bad = |why: &str| format!("`{text}` is not a plain decimal number: {why}");
        let (negative, body) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let digits = |part: &str| -> Result<String, String> {
            if part.is_empty() {
                return Err(bad("expected digits"));
            }
            if part.starts_with('_') || part.ends_with('_') || part.contains("__") {
                return Err(bad("`_` goes only between digits"));
            }
            if let Some(c) = part.chars().find(|c| !c.is_ascii_digit() && *c != '_') {
                return Err(bad(&format!("unexpected `{c}`")));
            }
            Ok(part.chars().filter(|c| *c != '_').collect())
        };
        let int = digits(int)?;
        let frac = frac.map(digits).transpose()?.unwrap_or_default();
        let overflow = || bad("too many digits (overflow)");
        let mut num: i128 = 0;
        for c in int.bytes().chain(frac.bytes()) {
            num = num
                .checked_mul(10)
                .and_then(|n| n.checked_add(i128::from(c - b'0')))
                .ok_or_else(overflow)?;
        }
        let exp = u32::try_from(frac.len()).map_err(|_| overflow())?;
        let den = 10i128.checked_pow(exp).ok_or_else(overflow)?;
        Rational::new(if negative { -num } else { num }, den).map_err(|_| overflow())
    }

    pub fn checked_neg(self) -> Result<Rational, ArithError> {
        Ok(Rational {
            num: self.num.checked_neg().ok_or(ArithError::Overflow)?,
            den: self.den,
        })
    }

    pub fn checked_abs(self) -> Result<Rational, ArithError> {
        if self.num < 0 {
            self.checked_neg()
        } else {
            Ok(self)
        }
    }

    pub fn checked_add(self, other: Rational) -> Result<Rational, ArithError> {
        // Over the least common denominator, to keep intermediates small.
        let g = i128::try_from(gcd(self.den.unsigned_abs(), other.den.unsigned_abs()))
            .map_err(|_| ArithError::Overflow)?;
        let (b, d) = (self.den / g, other.den / g);
        let o = ArithError::Overflow;
        let left = self.num.checked_mul(d).ok_or(o)?;
        let right = other.num.checked_mul(b).ok_or(o)?;
        let num = left.checked_add(right).ok_or(o)?;
        let den = self.den.checked_mul(d).ok_or(o)?;
        Rational::new(num, den)
    }

    pub fn checked_sub(self, other: Rational) -> Result<Rational, ArithError> {
        self.checked_add(other.checked_neg()?)
    }

    pub fn checked_mul(self, other: Rational) -> Result<Rational, ArithError> {
        // Cross-reduce first: (a/b)(c/d) = (a/g1)(c/g2) / ((b/g2)(d/g1)).
        // A gcd is at most |i128::MIN| = 2^127, which i128 cannot hold.
        let g1 = i128::try_from(gcd(self.num.unsigned_abs(), other.den.unsigned_abs()).max(1))
            .map_err(|_| ArithError::Overflow)?;
        let g2 = i128::try_from(gcd(other.num.unsigned_abs(), self.den.unsigned_abs()).max(1))
            .map_err(|_| ArithError::Overflow)?;
        let o = ArithError::Overflow;
        let num = (self.num / g1).checked_mul(other.num / g2).ok_or(o)?;
        let den = (self.den / g2).checked_mul(other.den / g1).ok_or(o)?;
        Rational::new(num, den)
    }

    pub fn checked_div(self, other: Rational) -> Result<Rational, ArithError> {
        self.checked_mul(other.recip()?)
    }

    /// `1 / self`.
    pub fn recip(self) -> Result<Rational, ArithError> {
        Rational::new(self.den, self.num)
    }

    /// `self ^ exp` for an integer exponent (negative: the reciprocal's power).
    pub fn checked_pow(self, exp: i64) -> Result<Rational, ArithError> {
        let mut base = if exp < 0 { self.recip()? } else { self };
        let mut e = exp.unsigned_abs();
        let mut acc = Rational::ONE;
        while e > 0 {
            if e & 1 == 1 {
                acc = acc.checked_mul(base)?;
            }
            e >>= 1;
            if e > 0 {
                base = base.checked_mul(base)?;
            }
        }
        Ok(acc)
    }

    /// The greatest integer `<= self`.
    pub fn floor(self) -> i128 {
        self.num.div_euclid(self.den)
    }

    /// Round to `digits` decimals (negative: to tens, hundreds...), half
    /// away from zero, as a reader rounds a report's figures.
    pub fn round_to(self, digits: i64) -> Result<Rational, ArithError> {
        let scale = Rational::from_integer(10).checked_pow(digits)?;
        let scaled = self.checked_abs()?.checked_mul(scale)?;
        let half = Rational::new(1, 2)?;
        let rounded = Rational::from_integer(scaled.checked_add(half)?.floor());
        let magnitude = rounded.checked_div(scale)?;
        if self.num < 0 {
            magnitude.checked_neg()
        } else {
            Ok(magnitude)
        }
    }

    /// For display only: never feeds a verdict.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// True when the value has a finite decimal form (the denominator
    /// divides a power of 10).
    pub fn is_terminating(&self) -> bool {
        let mut d = self.den;
        for p in [2, 5] {
            while d % p == 0 {
                d /= p;
            }
        }
        d == 1
    }

    /// `num/den`, always exact (for machine-readable output).
    pub fn fraction_string(&self) -> String {
        if self.den == 1 {
            self.num.to_string()
        } else {
            format!("{}/{}", self.num, self.den)
        }
    }
}

/// The next decimal digit of `rem / den` (`rem < den`): returns the digit and
/// the new remainder. Adds `rem` ten times modulo `den` so that no
/// intermediate exceeds `2 * den`, which fits `u128` for any `i128` `den`.
fn next_digit(rem: u128, den: u128) -> (u8, u128) {
    let (mut t, mut digit) = (0u128, 0u8);
    for _ in 0..10 {
        t += rem;
        if t >= den {
            t -= den;
            digit += 1;
        }
    }
    (digit, t)
}

/// Increment a string of ASCII digits by one unit in its last place;
/// returns true when the carry runs off the front.
fn increment(digits: &mut [u8]) -> bool {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return false;
        }
    }
    true
}

/// Display: the exact decimal when the denominator divides a power of 10
/// (`119.7`, `-0.036`, `17.955`); otherwise `~` and the value rounded half
/// away from zero to 6 significant digits, never rounding the integer part
/// (`~0.333333`, `~11.7352`, `~820.124`, `~2383373`); trailing zeros are
/// dropped. The `~` says "not exact" so a reader never mistakes a rounded
/// figure for the value the verdict used.
impl fmt::Display for Rational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.num < 0 { "-" } else { "" };
        let n = self.num.unsigned_abs();
        let d = self.den.unsigned_abs();
        let int = n / d;
        let mut rem = n % d;
        if self.is_terminating() {
            let mut frac = String::new();
            while rem != 0 {
                let (digit, r) = next_digit(rem, d);
                frac.push(char::from(b'0' + digit));
                rem = r;
            }
            return if frac.is_empty() {
                write!(f, "{sign}{int}")
            } else {
                write!(f, "{sign}{int}.{frac}")
            };
        }
        // Not terminating: rem != 0, so a nonzero digit appears within 39
        // places (den < 10^39).
        let int_digits = if int == 0 { 0 } else { int.to_string().len() };
        let mut frac: Vec<u8> = Vec::new();
        let mut first_nonzero = None;
        let wanted = |first: Option<usize>| -> Option<usize> {
            if int_digits > 0 {
                Some(SIGNIFICANT.saturating_sub(int_digits))
            } else {
                first.map(|p| p + SIGNIFICANT)
            }
        };
        // Generate the kept digits plus one for rounding.
        while wanted(first_nonzero).is_none_or(|w| frac.len() < w + 1) {
            let (digit, r) = next_digit(rem, d);
            rem = r;
            frac.push(b'0' + digit);
            if digit != 0 && first_nonzero.is_none() {
                first_nonzero = Some(frac.len() - 1);
            }
        }
        let keep = wanted(first_nonzero).unwrap_or(0);
        let round_up = frac[keep] >= b'5';
        frac.truncate(keep);
        let mut int_text = int.to_string().into_bytes();
        if round_up && increment(&mut frac) && increment(&mut int_text) {
            int_text.insert(0, b'1');
        }
        while frac.last() == Some(&b'0') {
            frac.pop();
        }
        let int_text = String::from_utf8(int_text).expect("ASCII digits");
        if frac.is_empty() {
            write!(f, "~{sign}{int_text}")
        } else {
            let frac = String::from_utf8(frac).expect("ASCII digits");
            write!(f, "~{sign}{int_text}.{frac}")
        }
    }
}

/// Compare `p/q` with `r/s`, both in `[0, 1)`, without multiplying: by the
/// continued fractions of the two (Euclid's algorithm on each side).
fn cmp_unit_fractions(mut p: u128, mut q: u128, mut r: u128, mut s: u128) -> Ordering {
    let mut flipped = false;
    loop {
        let ord = match (p == 0, r == 0) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => {
                // p/q < r/s  <=>  q/p > s/r.
                let (a, b) = (q / p, s / r);
                if a != b {
                    b.cmp(&a)
                } else {
                    (p, q, r, s) = (q % p, p, s % r, r);
                    flipped = !flipped;
                    continue;
                }
            }
        };
        return if flipped { ord.reverse() } else { ord };
    }
}

impl Ord for Rational {
    fn cmp(&self, other: &Rational) -> Ordering {
        if let (Some(x), Some(y)) = (
            self.num.checked_mul(other.den),
            other.num.checked_mul(self.den),
        ) {
            return x.cmp(&y);
        }
        let (qa, qc) = (
            self.num.div_euclid(self.den),
            other.num.div_euclid(other.den),
        );
        if qa != qc {
            return qa.cmp(&qc);
        }
        cmp_unit_fractions(
            self.num.rem_euclid(self.den) as u128,
            self.den as u128,
            other.num.rem_euclid(other.den) as u128,
            other.den as u128,
        )
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Rational) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Rational {
        Rational::parse_decimal(text).unwrap()
    }

    #[test]
    fn decimals_are_exact() {
        // The float classic: 0.1 + 0.2 is exactly 0.3 here.
        assert_eq!(q("0.1").checked_add(q("0.2")).unwrap(), q("0.3"));
        // 1,197 tokens at $0.10 is $119.70 exactly; half of it is $59.85.
        let revenue = q("1197").checked_mul(q("0.10")).unwrap();
        assert_eq!(revenue, q("119.7"));
        assert_eq!(revenue.to_string(), "119.7");
        assert_eq!(revenue.checked_div(q("2")).unwrap().to_string(), "59.85");
        // 15% of $119.70 is $17.955.
        assert_eq!(
            revenue.checked_mul(q("0.15")).unwrap().to_string(),
            "17.955"
        );
        assert_eq!(q("1_000_000").numer(), 1_000_000);
        assert_eq!(q("-0.036").to_string(), "-0.036");
        assert_eq!(q("0.10"), Rational::new(1, 10).unwrap());
    }

    #[test]
    fn rejects_what_is_not_a_plain_decimal() {
        for bad in [
            "2.5e3", "1.", ".5", "1__0", "_1", "1,197", "", "-", "0x10", "1.2.3",
        ] {
            assert!(Rational::parse_decimal(bad).is_err(), "{bad}");
        }
        assert!(Rational::parse_decimal("1234567890123456789012345678901234567890").is_err());
    }

    #[test]
    fn non_terminating_values_are_marked_and_rounded() {
        assert_eq!(Rational::new(1, 3).unwrap().to_string(), "~0.333333");
        assert_eq!(Rational::new(-2, 3).unwrap().to_string(), "~-0.666667");
        // 14,047 / 1,197 = 11.7351712...
        assert_eq!(Rational::new(14047, 1197).unwrap().to_string(), "~11.7352");
        // Integer digits are never rounded away.
        assert_eq!(
            Rational::new(71_500_001, 3).unwrap().to_string(),
            "~23833334"
        );
        // Carry through the integer part: 999999.99... -> 1000000.
        let almost = Rational::new(2_999_999_999, 3000).unwrap();
        assert_eq!(almost.to_string(), "~1000000");
        // Small values keep 6 significant digits.
        assert_eq!(
            Rational::new(1, 30_000).unwrap().to_string(),
            "~0.0000333333"
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let big = Rational::from_integer(i128::MAX);
        assert_eq!(big.checked_add(Rational::ONE), Err(ArithError::Overflow));
        assert_eq!(big.checked_mul(q("2")), Err(ArithError::Overflow));
        assert_eq!(q("10").checked_pow(40), Err(ArithError::Overflow));
        assert_eq!(
            Rational::ONE.checked_div(Rational::ZERO),
            Err(ArithError::DivisionByZero)
        );
        assert_eq!(
            Rational::ZERO.checked_pow(-1),
            Err(ArithError::DivisionByZero)
        );
    }

    #[test]
    fn powers_and_rounding() {
        // The stated growth: 3x twice, 2x three times, 1.5x six times.
        let growth = q("3")
            .checked_pow(2)
            .unwrap()
            .checked_mul(q("2").checked_pow(3).unwrap())
            .unwrap()
            .checked_mul(q("1.5").checked_pow(6).unwrap())
            .unwrap();
        assert_eq!(growth.to_string(), "820.125");
        assert_eq!(q("2").checked_pow(-2).unwrap().to_string(), "0.25");
        assert_eq!(q("2.5").round_to(0).unwrap(), q("3"));
        assert_eq!(q("-2.5").round_to(0).unwrap(), q("-3"));
        assert_eq!(q("1123.65").round_to(1).unwrap(), q("1123.7"));
        assert_eq!(q("59610").round_to(-3).unwrap(), q("60000"));
    }

    #[test]
    fn ordering_is_exact_even_when_cross_products_overflow() {
        let a = Rational::new(i128::MAX - 1, i128::MAX).unwrap();
        let b = Rational::new(i128::MAX - 2, i128::MAX - 1).unwrap();
        // (M-1)/M > (M-2)/(M-1) since (M-1)^2 > M(M-2).
        assert_eq!(a.cmp(&b), Ordering::Greater);
        assert_eq!(b.cmp(&a), Ordering::Less);
        assert_eq!(a.cmp(&a), Ordering::Equal);
        assert!(q("0.3") > q("0.29999"));
        assert!(q("-1.5") < q("-1.25"));
    }
}
