//! `furnace audit`: check a document's figures, claim by claim.
//!
//! A **claims file** (TOML, see [`claims`]) quotes a document's figures and
//! statements, each with the value it claims and an [`expr`]ession for what
//! the value should be. Two kinds of check:
//! - `model`: the expression reads the series of a simulated run of the
//!   document's *stated assumptions* ("3x a month from 1,197 tokens gives
//!   10,773 in month 3, not 14,047");
//! - `arithmetic`: the expression uses only literals and engine functions
//!   ("1,345,005 tokens x $0.10 = $134,500.50"), so one stated figure checks
//!   another.
//!
//! Everything is exact ([`Rational`]): a verdict never depends on float
//! rounding. This crate knows no economy and runs no simulation; the caller
//! supplies both through [`Host`], so the audit logic is testable alone and
//! builds without the engine.
//!
//! ```
//! use furnace_audit::{audit, claims, NoHost, Verdict};
//! let file = claims::parse("c.toml", r#"
//! title = "t"
//! [[claims]]
//! id = "net"
//! text = "Net supply: 3,576,621 tokens"
//! claimed = "3,576,621"
//! computed = "3711121 - 134500"
//! check = "arithmetic"
//! "#).unwrap();
//! assert_eq!(audit(&file, &NoHost)[0].verdict, Verdict::Agrees);
//! ```

// Ids and counts convert with checks, never a truncating `as`.
#![deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]

pub mod claims;
pub mod eval;
pub mod expr;
pub mod rational;
pub mod render;

pub use claims::{Check, Claim, Claimed, ClaimsError, ClaimsErrors, ClaimsFile, Tolerance};
pub use rational::{ArithError, Rational};
pub use render::{render_json, render_table};

use eval::EvalError;

/// A value an expression produces or a host function takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Number(Rational),
    Bool(bool),
    Str(String),
}

impl Value {
    /// For messages: `true`, `the number 5`, `the string "LAM-1"`.
    pub fn describe(&self) -> String {
        match self {
            Value::Number(n) => format!("the number {n}"),
            Value::Bool(b) => b.to_string(),
            Value::Str(s) => format!("the string \"{s}\""),
        }
    }
}

/// What the caller supplies: the scenario's run and the economy's functions.
/// The CLI implements it with the real engine and simulator.
pub trait Host {
    /// The series of the scenario's run, exact values per step (index 0 = step 1). None: unknown name.
    fn series(&self, name: &str) -> Option<&[Rational]>;
    /// Names of all series (for "unknown series `x`; known: ..." messages).
    /// Empty means "no run": model checks are then not checkable.
    fn series_names(&self) -> Vec<String>;
    /// An engine function; None if the host has no function of that name.
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>>;
}

/// A host with no run and no functions: enough for arithmetic claims.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHost;

impl Host for NoHost {
    fn series(&self, _: &str) -> Option<&[Rational]> {
        None
    }
    fn series_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
        None
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Agrees,
    Contradicted,
    NotCheckable,
}

impl Verdict {
    /// The JSON form: `agrees`, `contradicted`, `not checkable`.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Agrees => "agrees",
            Verdict::Contradicted => "contradicted",
            Verdict::NotCheckable => "not checkable",
        }
    }

    /// The table form: `AGREES`, `CONTRADICTED`, `NOT CHECKABLE`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Agrees => "AGREES",
            Verdict::Contradicted => "CONTRADICTED",
            Verdict::NotCheckable => "NOT CHECKABLE",
        }
    }
}

/// One claim's result, ready to print.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub id: String,
    pub source: String,
    pub text: String,
    pub check: Option<Check>,
    /// The `computed` expression as written.
    pub expression: Option<String>,
    /// The claimed value as the file writes it (`$119.70`, `3.6%`, `true`);
    /// empty when the claim states none.
    pub claimed: String,
    pub claimed_value: Option<Value>,
    /// The computed value in the claim's style (`$98,168.8`, `~3.62425%`);
    /// empty when nothing was computed.
    pub computed: String,
    pub computed_value: Option<Value>,
    /// The tolerance used, e.g. `±0.5` or `±1%` (relative).
    pub tolerance: Option<String>,
    /// `(computed - claimed) / |claimed|`, for display only.
    pub relative_difference: Option<f64>,
    /// The same, exact (see [`Rational`]'s `Display`).
    pub relative_difference_exact: Option<String>,
    pub verdict: Verdict,
    /// Not checkable: why. Contradicted: the claim's `note`, or the
    /// tolerance that was exceeded. Agrees: empty.
    pub reason: String,
    /// Line of the claim's `id` in the claims file.
    pub line: usize,
}

/// Evaluate every claim of the file against the host, in file order.
pub fn audit(file: &ClaimsFile, host: &dyn Host) -> Vec<Outcome> {
    file.claims.iter().map(|c| judge(file, c, host)).collect()
}

fn judge(file: &ClaimsFile, claim: &Claim, host: &dyn Host) -> Outcome {
    let style = claim
        .claimed
        .as_ref()
        .map(Claimed::style)
        .unwrap_or_default();
    let mut out = Outcome {
        id: claim.id.clone(),
        source: claim.source.clone(),
        text: claim.text.clone(),
        check: claim.check,
        expression: claim.computed.as_ref().map(|c| c.text.clone()),
        claimed: claim
            .claimed
            .as_ref()
            .map(Claimed::written)
            .unwrap_or_default(),
        claimed_value: claim.claimed.as_ref().map(Claimed::value),
        computed: String::new(),
        computed_value: None,
        tolerance: claim.tolerance().map(|t| render::tolerance(&t, &style)),
        relative_difference: None,
        relative_difference_exact: None,
        verdict: Verdict::NotCheckable,
        reason: String::new(),
        line: claim.line,
    };
    let (Some(computed), Some(claimed)) = (&claim.computed, &claim.claimed) else {
        out.reason = claim
            .why
            .clone()
            .unwrap_or_else(|| "nothing to compute it from".into());
        return out;
    };
    if claim.check == Some(Check::Model) && host.series_names().is_empty() {
        out.reason = if file.scenario.is_none() {
            "needs a scenario: a model check reads the simulated run, and this claims file names no `scenario`".into()
        } else {
            "needs a scenario: the scenario's run was not supplied".into()
        };
        return out;
    }
    let value = match eval::eval(&computed.expr, host) {
        Ok(v) => v,
        Err(e) => {
            out.reason = e.to_string();
            return out;
        }
    };
    out.computed = match &value {
        Value::Number(n) => render::styled(*n, &style),
        v => render::plain(v),
    };
    out.computed_value = Some(value.clone());
    let agrees = match (claimed, &value) {
        (Claimed::Bool(a), Value::Bool(b)) => a == b,
        (Claimed::Number { value: c, .. }, Value::Number(v)) => {
            // Numeric claims always have one (explicit or half a unit).
            let tolerance = claim
                .tolerance()
                .unwrap_or(Tolerance::Absolute(Rational::ZERO));
            match compare(*c, *v, tolerance) {
                Ok((agrees, relative)) => {
                    out.relative_difference = relative.map(Rational::to_f64);
                    out.relative_difference_exact = relative.map(|r| r.to_string());
                    agrees
                }
                Err(e) => {
                    out.reason = format!("cannot compare: {e}");
                    return out;
                }
            }
        }
        (c, v) => {
            out.reason = format!(
                "the claim is {} but the expression gives {}",
                c.kind(),
                v.describe()
            );
            return out;
        }
    };
    if agrees {
        out.verdict = Verdict::Agrees;
    } else {
        out.verdict = Verdict::Contradicted;
        out.reason = claim.note.clone().unwrap_or_else(|| match &out.tolerance {
            Some(t) => format!("the difference exceeds the tolerance ({t})"),
            None => "the statement does not hold".into(),
        });
    }
    out
}

/// Whether `computed` is within `tolerance` of `claimed`, and the relative
/// difference `(computed - claimed) / |claimed|` (None when claimed is 0).
fn compare(
    claimed: Rational,
    computed: Rational,
    tolerance: Tolerance,
) -> Result<(bool, Option<Rational>), ArithError> {
    let diff = computed.checked_sub(claimed)?;
    let gap = diff.checked_abs()?;
    let magnitude = claimed.checked_abs()?;
    let agrees = match tolerance {
        Tolerance::Absolute(t) => gap <= t,
        Tolerance::Relative(r) => gap <= r.checked_mul(magnitude)?,
    };
    let relative = if claimed.is_zero() {
        None
    } else {
        Some(diff.checked_div(magnitude)?)
    };
    Ok((agrees, relative))
}

/// Evaluate every expression and report what is wrong with the *file*:
/// unknown series and function names (typos), and a computed value of the
/// wrong kind for its claim. Each error is located at the claim's
/// `computed`. Model claims are skipped when the host has no run (there is
/// nothing to check their names against); other evaluation failures
/// (a step out of range, a division by zero) are verdicts, not file errors.
pub fn validate(file: &ClaimsFile, host: &dyn Host) -> Vec<ClaimsError> {
    let has_run = !host.series_names().is_empty();
    let mut errors = Vec::new();
    for claim in &file.claims {
        let Some(computed) = &claim.computed else {
            continue;
        };
        if claim.check == Some(Check::Model) && !has_run {
            continue;
        }
        let message = match eval::eval(&computed.expr, host) {
            Err(e @ (EvalError::UnknownSeries { .. } | EvalError::UnknownFunction { .. })) => {
                e.to_string()
            }
            Ok(v) => match &claim.claimed {
                Some(c) if !c.same_kind(&v) => {
                    format!(
                        "the claim is {} but the expression gives {}",
                        c.kind(),
                        v.describe()
                    )
                }
                _ => continue,
            },
            Err(_) => continue,
        };
        errors.push(ClaimsError {
            file: file.path.clone(),
            line: computed.line,
            column: computed.column,
            key: format!("claims[{}].computed", claim.index),
            message,
        });
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Rational {
        Rational::parse_decimal(text).unwrap()
    }

    #[test]
    fn tolerance_is_absolute_or_relative() {
        let abs = Tolerance::Absolute(q("0.5"));
        // $120 claimed, $119.70 computed: within half a dollar, -0.25%.
        let (ok, rel) = compare(q("120"), q("119.7"), abs).unwrap();
        assert!(ok);
        assert_eq!(rel.unwrap(), q("-0.0025"));
        // 14,047 claimed, 10,773 computed: far outside.
        let (ok, rel) = compare(q("14047"), q("10773"), abs).unwrap();
        assert!(!ok);
        assert_eq!(rel.unwrap(), Rational::new(-3274, 14047).unwrap());
        // 1% of 1,000 is 10: 1,010 agrees, 1,010.01 does not.
        let rel1 = Tolerance::Relative(q("0.01"));
        assert!(compare(q("1000"), q("1010"), rel1).unwrap().0);
        assert!(!compare(q("1000"), q("1010.01"), rel1).unwrap().0);
        // A claimed 0 has no relative difference.
        assert_eq!(compare(q("0"), q("0"), abs).unwrap(), (true, None));
    }
}
