//! Evaluating claim expressions against a [`Host`], exactly.
//!
//! Built-in functions read the run's series (`sum`, `mean`, `final`,
//! `first`, `max`, `min`, `steps`, `first_step_at_least`) or work on numbers
//! (`abs`, `round`, `max`, `min`); every other name is the host's (an engine
//! function). Steps are 1-based, ranges inclusive.

use crate::expr::{BinOp, Expr, BUILTINS};
use crate::{Host, Rational, Value};
use std::fmt;

/// Why an expression has no value. Unknown names are their own variants so
/// that `validate` can report typos as file errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError {
    UnknownSeries {
        name: String,
        known: Vec<String>,
    },
    UnknownFunction {
        name: String,
    },
    /// A series was asked for and the host has no run at all.
    NoSeries,
    Other(String),
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::UnknownSeries { name, known } => {
                write!(f, "unknown series `{name}`")?;
                if let Some(near) = nearest(name, known) {
                    write!(f, " (did you mean `{near}`?)")?;
                }
                write!(f, "; known: {}", known.join(", "))
            }
            EvalError::UnknownFunction { name } => write!(
                f,
                "unknown function `{name}` (built in: {}; others come from the economy)",
                BUILTINS.join(", ")
            ),
            EvalError::NoSeries => f.write_str("needs a scenario: no simulated series to read"),
            EvalError::Other(message) => f.write_str(message),
        }
    }
}

/// The closest known name by edit distance, if it is close enough to be a typo.
fn nearest<'a>(name: &str, known: &'a [String]) -> Option<&'a str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }
    known
        .iter()
        .map(|k| (distance(&name.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= 2.max(name.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

fn other<E: fmt::Display>(e: E) -> EvalError {
    EvalError::Other(e.to_string())
}

fn number(v: Value, what: &str) -> Result<Rational, EvalError> {
    match v {
        Value::Number(n) => Ok(n),
        v => Err(EvalError::Other(format!(
            "{what} needs a number, not {}",
            v.describe()
        ))),
    }
}

fn series<'h>(host: &'h dyn Host, name: &str) -> Result<&'h [Rational], EvalError> {
    if let Some(s) = host.series(name) {
        return Ok(s);
    }
    let known = host.series_names();
    if known.is_empty() {
        Err(EvalError::NoSeries)
    } else {
        Err(EvalError::UnknownSeries {
            name: name.to_string(),
            known,
        })
    }
}

/// A 1-based step as an index into `len` values.
fn step_index(v: Rational, len: usize, name: &str) -> Result<usize, EvalError> {
    let k = usize::try_from(v.numer())
        .ok()
        .filter(|k| v.is_integer() && (1..=len).contains(k));
    k.map(|k| k - 1)
        .ok_or_else(|| EvalError::Other(format!("step {v} of `{name}` is not in 1..={len}")))
}

fn sum(values: &[Rational]) -> Result<Rational, EvalError> {
    values
        .iter()
        .try_fold(Rational::ZERO, |acc, v| acc.checked_add(*v).map_err(other))
}

/// Evaluate against the host. Both sides of `and`/`or` are evaluated, so
/// a typo on either side is always reported.
pub fn eval(expr: &Expr, host: &dyn Host) -> Result<Value, EvalError> {
    match expr {
        Expr::Num(n) => Ok(Value::Number(*n)),
        Expr::Str(s) => Ok(Value::Str(s.clone())),
        Expr::Bool(b) => Ok(Value::Bool(*b)),
        Expr::Name { name, .. } => {
            series(host, name)?;
            Err(EvalError::Other(format!(
                "`{name}` is a series: index it or pass it to sum/final"
            )))
        }
        Expr::Index {
            series: name, step, ..
        } => {
            let values = series(host, name)?;
            let k = number(eval(step, host)?, "a step")?;
            Ok(Value::Number(values[step_index(k, values.len(), name)?]))
        }
        Expr::Neg(e) => Ok(Value::Number(
            number(eval(e, host)?, "`-`")?
                .checked_neg()
                .map_err(other)?,
        )),
        Expr::Not(e) => match eval(e, host)? {
            Value::Bool(b) => Ok(Value::Bool(!b)),
            v => Err(EvalError::Other(format!(
                "`not` needs true/false, not {}",
                v.describe()
            ))),
        },
        Expr::Binary { op, left, right } => binary(*op, eval(left, host)?, eval(right, host)?),
        Expr::Call { name, args, .. } => call(name, args, host),
    }
}

fn binary(op: BinOp, l: Value, r: Value) -> Result<Value, EvalError> {
    use BinOp::*;
    match op {
        Or | And => match (l, r) {
            (Value::Bool(a), Value::Bool(b)) => {
                Ok(Value::Bool(if op == Or { a || b } else { a && b }))
            }
            _ => Err(EvalError::Other(
                "`and`/`or` need true/false on both sides".into(),
            )),
        },
        Eq | Ne if !matches!((&l, &r), (Value::Number(_), Value::Number(_))) => {
            let same = match (&l, &r) {
                (Value::Bool(a), Value::Bool(b)) => a == b,
                (Value::Str(a), Value::Str(b)) => a == b,
                _ => {
                    return Err(EvalError::Other(format!(
                        "cannot compare {} with {}",
                        l.describe(),
                        r.describe()
                    )))
                }
            };
            Ok(Value::Bool(same == (op == Eq)))
        }
        _ => {
            let a = number(l, "arithmetic")?;
            let b = number(r, "arithmetic")?;
            let n = |x: Result<Rational, _>| x.map(Value::Number).map_err(other);
            match op {
                Lt => Ok(Value::Bool(a < b)),
                Le => Ok(Value::Bool(a <= b)),
                Gt => Ok(Value::Bool(a > b)),
                Ge => Ok(Value::Bool(a >= b)),
                Eq => Ok(Value::Bool(a == b)),
                Ne => Ok(Value::Bool(a != b)),
                Add => n(a.checked_add(b)),
                Sub => n(a.checked_sub(b)),
                Mul => n(a.checked_mul(b)),
                Div => n(a.checked_div(b)),
                Pow => {
                    let e = i64::try_from(b.numer())
                        .ok()
                        .filter(|_| b.is_integer())
                        .ok_or_else(|| {
                            EvalError::Other(format!("`^` needs an integer exponent, not {b}"))
                        })?;
                    n(a.checked_pow(e))
                }
                Or | And => unreachable!("handled above"),
            }
        }
    }
}

fn call(name: &str, args: &[Expr], host: &dyn Host) -> Result<Value, EvalError> {
    let series_name = |i: usize| match args.get(i) {
        Some(Expr::Name { name, .. }) => Ok(name.as_str()),
        _ => Err(EvalError::Other(format!("`{name}` needs a series name"))),
    };
    let num_arg = |i: usize| {
        number(
            eval(&args[i], host)?,
            &format!("argument {} of `{name}`", i + 1),
        )
    };
    match name {
        "sum" | "mean" => {
            let s_name = series_name(0)?;
            let values = series(host, s_name)?;
            let slice = if args.len() == 3 {
                let from = step_index(num_arg(1)?, values.len(), s_name)?;
                let to = step_index(num_arg(2)?, values.len(), s_name)?;
                if from > to {
                    return Err(EvalError::Other(format!(
                        "`{name}`: step {} is after step {}",
                        from + 1,
                        to + 1
                    )));
                }
                &values[from..=to]
            } else {
                values
            };
            let total = sum(slice)?;
            if name == "sum" {
                return Ok(Value::Number(total));
            }
            let count = Rational::from_integer(slice.len() as i128);
            Ok(Value::Number(total.checked_div(count).map_err(other)?))
        }
        "final" | "first" => {
            let s_name = series_name(0)?;
            let values = series(host, s_name)?;
            let v = if name == "final" {
                values.last()
            } else {
                values.first()
            };
            v.map(|v| Value::Number(*v))
                .ok_or_else(|| EvalError::Other(format!("`{s_name}` has no steps")))
        }
        "steps" => {
            let first = host
                .series_names()
                .into_iter()
                .next()
                .ok_or(EvalError::NoSeries)?;
            Ok(Value::Number(Rational::from_integer(
                series(host, &first)?.len() as i128,
            )))
        }
        "first_step_at_least" => {
            let s_name = series_name(0)?;
            let values = series(host, s_name)?;
            let threshold = num_arg(1)?;
            values
                .iter()
                .position(|v| *v >= threshold)
                .map(|k| Value::Number(Rational::from_integer(k as i128 + 1)))
                .ok_or_else(|| {
                    EvalError::Other(format!(
                        "`{s_name}` never reaches {threshold} in {} steps",
                        values.len()
                    ))
                })
        }
        "max" | "min" => {
            let values: Vec<Rational> = match args {
                [Expr::Name { name: s, .. }] => series(host, s)?.to_vec(),
                _ => (0..args.len()).map(num_arg).collect::<Result<_, _>>()?,
            };
            let pick = if name == "max" {
                values.iter().max()
            } else {
                values.iter().min()
            };
            pick.map(|v| Value::Number(*v))
                .ok_or_else(|| EvalError::Other(format!("`{name}` of nothing")))
        }
        "abs" => Ok(Value::Number(num_arg(0)?.checked_abs().map_err(other)?)),
        "round" => {
            let x = num_arg(0)?;
            let digits = num_arg(1)?;
            let d = i64::try_from(digits.numer())
                .ok()
                .filter(|_| digits.is_integer())
                .ok_or_else(|| {
                    EvalError::Other(format!(
                        "`round` needs a whole number of decimals, not {digits}"
                    ))
                })?;
            Ok(Value::Number(x.round_to(d).map_err(other)?))
        }
        _ => {
            let values = args
                .iter()
                .map(|a| eval(a, host))
                .collect::<Result<Vec<_>, _>>()?;
            match host.call(name, &values) {
                None => Err(EvalError::UnknownFunction {
                    name: name.to_string(),
                }),
                Some(Ok(v)) => Ok(v),
                Some(Err(e)) => Err(EvalError::Other(format!("{name}: {e}"))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;
    use crate::NoHost;

    fn q(text: &str) -> Rational {
        Rational::parse_decimal(text).unwrap()
    }

    struct Run(Vec<(String, Vec<Rational>)>);

    impl Host for Run {
        fn series(&self, name: &str) -> Option<&[Rational]> {
            self.0
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_slice())
        }
        fn series_names(&self) -> Vec<String> {
            self.0.iter().map(|(n, _)| n.clone()).collect()
        }
        fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
            (name == "double").then(|| match args {
                [Value::Number(n)] => Ok(Value::Number(n.checked_mul(q("2")).unwrap())),
                _ => Err("double takes one number".into()),
            })
        }
    }

    fn run() -> Run {
        // The stated AST growth, months 1-4: 1,197, then 3x, 3x, 2x.
        let tokens = ["1197", "3591", "10773", "21546"].map(q).to_vec();
        Run(vec![("tokens".into(), tokens)])
    }

    fn ev(text: &str) -> Result<Value, EvalError> {
        eval(&parse(text).unwrap(), &run())
    }

    fn num(text: &str) -> Rational {
        match ev(text).unwrap() {
            Value::Number(n) => n,
            v => panic!("{text}: {v:?}"),
        }
    }

    #[test]
    fn arithmetic_is_exact_and_follows_precedence() {
        assert_eq!(num("1197 * 0.10"), q("119.7"));
        assert_eq!(num("0.1 + 0.2"), q("0.3"));
        assert_eq!(ev("0.1 + 0.2 == 0.3").unwrap(), Value::Bool(true));
        assert_eq!(num("1 + 2 * 3"), q("7"));
        assert_eq!(num("(1 + 2) * 3"), q("9"));
        assert_eq!(num("-2^2"), q("-4"));
        assert_eq!(num("2^-1"), q("0.5"));
        assert_eq!(num("2^3^2"), q("512"));
        assert_eq!(num("3^2 * 2^3 * 1.5^6"), q("820.125"));
        assert_eq!(num("3711121 - 134500"), q("3576621"));
        assert_eq!(num("1_000_000 / 8"), q("125000"));
        assert_eq!(num("round(134500 / 3711121 * 100, 1)"), q("3.6"));
        assert_eq!(num("round(-2.5, 0)"), q("-3"));
        assert_eq!(num("abs(-1.5) + max(1, 4, 2) - min(3, 0.5)"), q("5"));
        assert_eq!(
            ev("1 < 2 and not (2 < 1) or false").unwrap(),
            Value::Bool(true)
        );
        assert_eq!(ev("\"LAM-1\" == \"LAM-1\"").unwrap(), Value::Bool(true));
    }

    #[test]
    fn series_functions_are_one_based_and_inclusive() {
        assert_eq!(num("tokens[1]"), q("1197"));
        assert_eq!(num("tokens[3] / tokens[1]"), q("9"));
        assert_eq!(num("sum(tokens)"), q("37107"));
        assert_eq!(num("sum(tokens, 2, 3)"), q("14364"));
        assert_eq!(num("mean(tokens, 1, 2)"), q("2394"));
        assert_eq!(num("final(tokens) - first(tokens)"), q("20349"));
        assert_eq!(num("max(tokens)"), q("21546"));
        assert_eq!(num("steps()"), q("4"));
        assert_eq!(num("first_step_at_least(tokens, 10000)"), q("3"));
        assert_eq!(num("double(tokens[1])"), q("2394"));
    }

    #[test]
    fn evaluation_errors_say_what_is_wrong() {
        let e = ev("tokns[1]").unwrap_err();
        assert!(matches!(e, EvalError::UnknownSeries { .. }));
        assert_eq!(
            e.to_string(),
            "unknown series `tokns` (did you mean `tokens`?); known: tokens"
        );
        assert!(matches!(
            ev("triple(1)").unwrap_err(),
            EvalError::UnknownFunction { .. }
        ));
        assert_eq!(
            ev("tokens[5]").unwrap_err().to_string(),
            "step 5 of `tokens` is not in 1..=4"
        );
        assert_eq!(
            ev("tokens[1.5]").unwrap_err().to_string(),
            "step 1.5 of `tokens` is not in 1..=4"
        );
        assert_eq!(
            ev("1 / (2 - 2)").unwrap_err().to_string(),
            "division by zero"
        );
        assert_eq!(ev("10 ^ 40").unwrap_err().to_string(), "overflow");
        assert_eq!(
            ev("2 ^ 0.5").unwrap_err().to_string(),
            "`^` needs an integer exponent, not 0.5"
        );
        assert_eq!(
            ev("first_step_at_least(tokens, 100000)")
                .unwrap_err()
                .to_string(),
            "`tokens` never reaches 100000 in 4 steps"
        );
        assert_eq!(
            ev("double(\"x\")").unwrap_err().to_string(),
            "double: double takes one number"
        );
        assert_eq!(
            ev("1 + true").unwrap_err().to_string(),
            "arithmetic needs a number, not true"
        );
        // Without a run, series are "needs a scenario", not a typo.
        let e = eval(&parse("sum(tokens)").unwrap(), &NoHost).unwrap_err();
        assert_eq!(e, EvalError::NoSeries);
    }
}
