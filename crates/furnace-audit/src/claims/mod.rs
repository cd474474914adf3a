//! The claims file: a document's figures, quoted, with how to check each.
//!
//! ```toml
//! title = "AI Session Token (AST) validation report"
//! document = "../../shared/seeds/003_7f73bd8c16818d7f.txt"  # informational
//! economy = "../economies/ast.toml"         # optional: engine functions
//! scenario = "../scenarios/ast-report.toml" # optional: its run's series
//!
//! [[claims]]
//! id = "table-m1-tokens"                    # unique, required
//! source = "Year 1 Trajectory table, month 1"
//! text = "Month 1 | Tokens Sold 1,197"      # the document's words, required
//! claimed = "1,197"                         # number or true/false
//! computed = "AST_minted_purchase[1]"       # an expression (see `expr`)
//! check = "model"                           # or "arithmetic"
//! tolerance = "0.5"                         # optional: "0.5" absolute, "1%" relative
//! note = "..."                              # optional: printed when contradicted
//! why = "..."                               # required instead of `computed` when not checkable
//! ```
//!
//! Paths are relative to the claims file. Claimed numbers may be written as
//! the document writes them: `1,197`, `$119.70`, `3.6%` (divided by 100),
//! `1,123x`, `67K`, `3.9M`, `1B` (times 10^3, 10^6, 10^9), or as TOML
//! numbers (read from their exact text, never through a float). The default
//! tolerance is half a unit of the last digit written: `$120` 0.5,
//! `$119.70` 0.005, `3.6%` 0.0005, `3.9M` 50,000; true/false compare exactly.
//! A relative tolerance is written with `%` ("1%" = within 1% of the claimed
//! value); an absolute one on a percentage claim is a fraction ("0.001").
//!
//! Every problem of a file is reported in one pass, each with file, line,
//! column and key (`claims[3].computed`, counting from 0).

mod read;

pub use read::{load, parse};

use crate::expr::Expr;
use crate::{Rational, Value};
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a claims file, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimsError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The key as typed, e.g. `claims[3].computed`; empty for syntax errors.
    pub key: String,
    pub message: String,
}

impl fmt::Display for ClaimsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.key.is_empty() {
            write!(f, "`{}`: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in one pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimsErrors(pub Vec<ClaimsError>);

impl fmt::Display for ClaimsErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ClaimsErrors {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Against the simulated run of the document's stated assumptions.
    Model,
    /// One stated figure against another: literals and engine functions.
    Arithmetic,
}

impl Check {
    pub fn word(self) -> &'static str {
        match self {
            Check::Model => "model",
            Check::Arithmetic => "arithmetic",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tolerance {
    /// `|computed - claimed| <= t`.
    Absolute(Rational),
    /// `|computed - claimed| <= r * |claimed|`.
    Relative(Rational),
}

/// How a claimed number was written, so the computed value can be shown
/// the same way (`$`, thousands commas, `%`, `x`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    pub dollar: bool,
    pub percent: bool,
    pub times: bool,
    /// Thousands commas, or a K/M/B suffix (shown in full, grouped).
    pub grouped: bool,
    /// Decimals written (`$119.70`: 2): an exact computed value with fewer
    /// is padded with zeros, so `$0.10` is compared with `$0.10`, not `$0.1`.
    pub decimals: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claimed {
    Number {
        value: Rational,
        written: String,
        default_tolerance: Rational,
        style: Style,
    },
    Bool(bool),
}

impl Claimed {
    /// As the file writes it.
    pub fn written(&self) -> String {
        match self {
            Claimed::Number { written, .. } => written.clone(),
            Claimed::Bool(b) => b.to_string(),
        }
    }

    pub fn value(&self) -> Value {
        match self {
            Claimed::Number { value, .. } => Value::Number(*value),
            Claimed::Bool(b) => Value::Bool(*b),
        }
    }

    pub fn style(&self) -> Style {
        match self {
            Claimed::Number { style, .. } => *style,
            Claimed::Bool(_) => Style::default(),
        }
    }

    /// For messages: "a number" or "true/false".
    pub fn kind(&self) -> &'static str {
        match self {
            Claimed::Number { .. } => "a number",
            Claimed::Bool(_) => "true/false",
        }
    }

    pub fn same_kind(&self, v: &Value) -> bool {
        matches!(
            (self, v),
            (Claimed::Number { .. }, Value::Number(_)) | (Claimed::Bool(_), Value::Bool(_))
        )
    }
}

/// A parsed `computed` expression and where it is in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Computed {
    pub text: String,
    pub expr: Expr,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// Position in `[[claims]]`, from 0 (as in error keys).
    pub index: usize,
    pub id: String,
    pub source: String,
    pub text: String,
    pub claimed: Option<Claimed>,
    pub computed: Option<Computed>,
    pub check: Option<Check>,
    /// As written; see [`Claim::tolerance`] for the one used.
    pub explicit_tolerance: Option<Tolerance>,
    pub note: Option<String>,
    pub why: Option<String>,
    /// Line and column of the claim's `id`.
    pub line: usize,
    pub column: usize,
}

impl Claim {
    /// The tolerance a numeric claim is judged with: the explicit one, or
    /// half a unit of the claimed value's last written digit. None for
    /// true/false claims (exact) and claims without a value.
    pub fn tolerance(&self) -> Option<Tolerance> {
        match &self.claimed {
            Some(Claimed::Number {
                default_tolerance, ..
            }) => Some(
                self.explicit_tolerance
                    .unwrap_or(Tolerance::Absolute(*default_tolerance)),
            ),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClaimsFile {
    /// The path as given (used in error messages).
    pub path: String,
    pub title: String,
    pub document: Option<String>,
    pub economy: Option<String>,
    pub scenario: Option<String>,
    pub claims: Vec<Claim>,
}

impl ClaimsFile {
    /// A path the file names, relative to the file's own directory.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        Path::new(&self.path)
            .parent()
            .unwrap_or(Path::new(""))
            .join(relative)
    }

    pub fn economy_path(&self) -> Option<PathBuf> {
        self.economy.as_deref().map(|p| self.resolve(p))
    }

    pub fn scenario_path(&self) -> Option<PathBuf> {
        self.scenario.as_deref().map(|p| self.resolve(p))
    }

    pub fn document_path(&self) -> Option<PathBuf> {
        self.document.as_deref().map(|p| self.resolve(p))
    }
}

/// Parse `half a unit of the last digit` and the style from a number as a
/// document writes it: `1,197`, `$119.70`, `3.6%`, `1,123x`, `67K`, `3.9M`.
pub fn parse_claimed_number(written: &str) -> Result<(Rational, Rational, Style), String> {
    let bad = |why: &str| format!("`{written}` is not a number: {why}");
    let mut style = Style::default();
    let mut s = written.trim();
    let negative = s.starts_with('-');
    s = s.trim_start_matches(['-', '+']);
    if let Some(rest) = s.strip_prefix('$') {
        style.dollar = true;
        s = rest;
    }
    let mut scale = 0u32;
    if let Some(last) = s.chars().last() {
        let suffix = match last {
            '%' => {
                style.percent = true;
                true
            }
            'x' | 'X' => {
                style.times = true;
                true
            }
            'K' | 'k' => {
                scale = 3;
                true
            }
            'M' => {
                scale = 6;
                true
            }
            'B' => {
                scale = 9;
                true
            }
            _ => false,
        };
        if suffix {
            s = &s[..s.len() - last.len_utf8()];
        }
    }
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.contains(',') {
        style.grouped = true;
        let mut groups = int.split(',');
        let head = groups.next().unwrap_or("");
        if head.is_empty() || head.len() > 3 || groups.any(|g| g.len() != 3) {
            return Err(bad("thousands commas must separate groups of three digits"));
        }
    }
    style.grouped |= scale > 0;
    let plain = format!("{}{}", if negative { "-" } else { "" }, s.replace(',', ""));
    let mut value = Rational::parse_decimal(&plain)
        .map_err(|_| bad("expected digits, optionally with $ , . and a % x K M B suffix"))?;
    let decimals = i64::try_from(frac.chars().filter(char::is_ascii_digit).count())
        .map_err(|_| bad("too many decimals"))?;
    // With a K/M/B suffix the decimals are of the suffix's unit; the
    // computed value is shown in full, so no padding.
    style.decimals = if scale > 0 {
        0
    } else {
        u32::try_from(decimals).unwrap_or(u32::MAX)
    };
    let overflow = |_| bad("too large");
    let mut tolerance = Rational::new(5, 10)
        .map_err(overflow)?
        .checked_mul(
            Rational::from_integer(10)
                .checked_pow(-decimals)
                .map_err(overflow)?,
        )
        .map_err(overflow)?;
    let factor = if style.percent {
        Rational::new(1, 100).map_err(overflow)?
    } else {
        Rational::from_integer(10)
            .checked_pow(i64::from(scale))
            .map_err(overflow)?
    };
    value = value.checked_mul(factor).map_err(overflow)?;
    tolerance = tolerance.checked_mul(factor).map_err(overflow)?;
    Ok((value, tolerance, style))
}

/// `"0.5"` (absolute) or `"1%"` (relative to the claimed value).
pub fn parse_tolerance(written: &str) -> Result<Tolerance, String> {
    let (value, _, style) = parse_claimed_number(written)?;
    if value.is_negative() {
        return Err(format!("`{written}`: a tolerance cannot be negative"));
    }
    Ok(if style.percent {
        Tolerance::Relative(value)
    } else {
        Tolerance::Absolute(value)
    })
}
