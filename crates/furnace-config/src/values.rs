//! Exact numbers from TOML: amounts may be written as strings ("0.10",
//! "1_000_000") or as TOML numbers; shares are percentage strings ("17.5%"). A TOML float goes
//! through its shortest round-trip text ("0.1"), so `0.10` means exactly
//! one tenth, never the binary float near it.

use crate::source::{ConfigError, Source};
use furnace_core::units::{parse_decimal, Ppm};
use toml::Spanned;

/// A number as written: kept as text until its unit is known.
#[derive(Clone, Debug)]
pub enum Number {
    Text(String),
    Int(i64),
    Float(f64),
}

/// What a missing number reads as (never compiled: its error is reported).
impl Default for Number {
    fn default() -> Self {
        Number::Text(String::new())
    }
}

impl Number {
    pub fn text(&self) -> String {
        match self {
            Number::Text(s) => s.clone(),
            Number::Int(i) => i.to_string(),
            Number::Float(f) => {
                if f.is_finite() {
                    format!("{f}")
                } else {
                    "not a number".into()
                }
            }
        }
    }
}

/// Parse a decimal amount into `10^-decimals` units, or an error at `key`.
pub fn amount(
    source: &Source,
    key: &str,
    value: &Spanned<Number>,
    decimals: u8,
) -> Result<u128, ConfigError> {
    let text = value.get_ref().text();
    parse_decimal(&text, decimals).map_err(|e| {
        source.error(
            Some(value.span()),
            key,
            format!("`{text}` is not a valid amount: {e}"),
        )
    })
}

/// Parse a share written as a percentage string: "34%", "17.5%".
///
/// The `%` is required: a bare `0.34` could mean 34% or 0.34%, and a share
/// misread by a factor of 100 is the worst kind of silent error.
pub fn share(source: &Source, key: &str, value: &Spanned<Number>) -> Result<Ppm, ConfigError> {
    let raw = value.get_ref().text();
    let Some(text) = raw.trim().strip_suffix('%') else {
        let hint = match value.get_ref() {
            Number::Float(f) if *f > 0.0 && *f <= 1.0 => {
                format!("; if you mean {}%, write \"{}%\"", f * 100.0, f * 100.0)
            }
            _ => String::new(),
        };
        return Err(source.error(
            Some(value.span()),
            key,
            format!("write a share as a percentage string such as \"34%\", not `{raw}`{hint}"),
        ));
    };
    Ppm::parse_percent(text).map_err(|e| {
        source.error(
            Some(value.span()),
            key,
            format!("`{raw}` is not a valid percentage between 0% and 100%: {e}"),
        )
    })
}

/// A non-negative float (stochastic driver parameters: floats are allowed
/// outside the ledger).
pub fn float(source: &Source, key: &str, value: &Spanned<Number>) -> Result<f64, ConfigError> {
    let raw = value.get_ref().text();
    let text = raw.trim().replace('_', "");
    let (text, scale) = match text.strip_suffix('%') {
        Some(t) => (t.to_string(), 0.01),
        None => (text, 1.0),
    };
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v * scale),
        _ => Err(source.error(Some(value.span()), key, format!("`{raw}` is not a number"))),
    }
}

/// `10^n` for a power of ten, else the digits: how a bound is shown.
pub(crate) fn power_of_ten(n: u128) -> String {
    let digits = n.to_string();
    match digits.strip_prefix('1') {
        Some(zeros) if zeros.len() > 3 && zeros.bytes().all(|b| b == b'0') => {
            format!("10^{}", zeros.len())
        }
        _ => digits,
    }
}
