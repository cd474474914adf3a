//! Numbers as people read them: axis ticks (short) and table cells
//! (grouped digits). Tables and charts show rounded figures; the Parquet and
//! CSV tables keep every bit.

/// Significant digits in a table cell: 6 tells 403,637,000 from 403,636,000
/// (0.00025%) and is still readable; the exact figure is in the data files.
const TABLE_DIGITS: usize = 6;

/// Significant digits on an axis tick: ticks are round numbers, and 3 keeps
/// `1.25M` whole while fitting the 84-pixel y label area.
const AXIS_DIGITS: usize = 3;

/// `v` rounded to `digits` significant digits in plain decimal notation,
/// trailing zeros after the point removed: `403636709.4` -> `403637000`.
/// `v` must be finite and nonzero, which every caller checks first.
fn significant(v: f64, digits: usize) -> String {
    // `{:e}` rounds once, to the digits asked for, and gives the exponent
    // after rounding (9.9999995 -> 1.00000e1); the point is then placed by
    // moving digits, so nothing is rounded twice.
    let sci = format!("{:.*e}", digits.saturating_sub(1), v.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let ds: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let len = i64::try_from(ds.len()).unwrap_or(i64::MAX);
    let int_digits = exp + 1;
    let mut out = String::from(if v < 0.0 { "-" } else { "" });
    if int_digits >= len {
        out.push_str(&ds);
        out.extend((len..int_digits).map(|_| '0'));
    } else if int_digits <= 0 {
        out.push_str("0.");
        out.extend((int_digits..0).map(|_| '0'));
        out.push_str(&ds);
    } else {
        let (int, frac) = ds.split_at(usize::try_from(int_digits).unwrap_or(0));
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
    if out.contains('.') {
        let kept = out.trim_end_matches('0').trim_end_matches('.').len();
        out.truncate(kept);
    }
    out
}

/// Inserts `,` between groups of three integer digits: `-1234567.5` ->
/// `-1,234,567.5`.
fn group(plain: &str) -> String {
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", plain),
    };
    let (int, frac) = match rest.find('.') {
        Some(p) => rest.split_at(p),
        None => (rest, ""),
    };
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(frac);
    out
}

/// A table cell: 6 significant digits, digits grouped; scientific below
/// 1e-4 and from 1e15 on (where grouped digits stop being readable); NaN
/// (no value) as "–".
pub fn number(v: f64) -> String {
    if v.is_nan() {
        return "–".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "∞".into() } else { "-∞".into() };
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-4..1e15).contains(&a) {
        return format!("{:.*e}", TABLE_DIGITS - 1, v);
    }
    group(&significant(v, TABLE_DIGITS))
}

/// An axis tick: 3 significant digits with k, M, B or T for thousands,
/// millions, billions and trillions (`1.25M`), scientific below 1e-3 and
/// from 1e15 on.
pub fn axis(v: f64) -> String {
    if !v.is_finite() {
        return number(v);
    }
    // Tick positions come from float steps: -1.7e-13 is a zero.
    let a = v.abs();
    if a < 1e-12 {
        return "0".into();
    }
    if !(1e-3..1e15).contains(&a) {
        return format!("{v:.1e}");
    }
    for (scale, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")] {
        if a >= scale {
            return format!("{}{suffix}", significant(v / scale, AXIS_DIGITS));
        }
    }
    significant(v, AXIS_DIGITS)
}

/// A percentage of `part` in `whole` with one decimal: `2.4%`; "–" when
/// `whole` is 0.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "–".into();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells() {
        assert_eq!(number(403_636_709.4), "403,637,000");
        assert_eq!(number(-1_234_567.5), "-1,234,570");
        assert_eq!(number(0.031), "0.031");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(999_999.95), "1,000,000");
        assert_eq!(number(0.00012345678), "0.000123457");
        assert_eq!(number(0.00001), "1.00000e-5");
        assert_eq!(number(2e15), "2.00000e15");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(f64::NAN), "–");
    }

    #[test]
    fn axis_ticks() {
        assert_eq!(axis(0.0), "0");
        assert_eq!(axis(-1.7e-13), "0");
        assert_eq!(axis(1_250_000.0), "1.25M");
        assert_eq!(axis(350_000_000.0), "350M");
        assert_eq!(axis(2_000_000_000.0), "2B");
        assert_eq!(axis(12_000.0), "12k");
        assert_eq!(axis(999.0), "999");
        assert_eq!(axis(0.031), "0.031");
        assert_eq!(axis(0.0125), "0.0125");
        assert_eq!(axis(0.0001), "1.0e-4");
        assert_eq!(axis(-40_000.0), "-40k");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(12, 500), "2.4%");
        assert_eq!(percent(500, 500), "100.0%");
        assert_eq!(percent(0, 0), "–");
    }
}
