//! Claim expressions: a small exact language for "what the figure should be".
//!
//! `sum(USD_inflow) - sum(USD_outflow)`, `3711121 - 134500`,
//! `tokens_per_action("LAM-1", 0.01)`. Literals are plain decimals (no
//! exponent: the audit compares figures as a document writes them), all
//! arithmetic is exact ([`Rational`]), and names resolve at evaluation time
//! (see [`crate::eval`]) against a [`crate::Host`]: series of the
//! scenario's run, and engine functions. This module parses.
//!
//! Precedence, loosest first: `or`; `and`; `not`; comparisons
//! (`< <= > >= == !=`, not chained); `+ -`; `* /`; unary `-`; `^` (integer
//! exponent, right-associative, so `-2^2 = -4` and `2^-1 = 0.5`); indexing
//! `NAME[k]` and calls `f(...)`; parentheses.

use crate::Rational;

/// A parsed expression. `at` fields are byte offsets into the expression
/// text, for error locations.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num(Rational),
    Str(String),
    Bool(bool),
    /// A bare series name, allowed only as the series argument of a series
    /// function (`sum(AST_minted)`).
    Name {
        name: String,
        at: usize,
    },
    /// `NAME[k]`: series `NAME` at 1-based step `k`.
    Index {
        series: String,
        step: Box<Expr>,
        at: usize,
    },
    Call {
        name: String,
        args: Vec<Expr>,
        at: usize,
    },
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

/// A syntax error at byte `offset` of the expression text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

/// Functions the evaluator knows; every other name goes to the host.
pub const BUILTINS: &[&str] = &[
    "sum",
    "mean",
    "final",
    "first",
    "max",
    "min",
    "steps",
    "first_step_at_least",
    "abs",
    "round",
];

/// Operators, two-character ones first so `<=` is not read as `<`.
const OPS: &[&str] = &[
    "<=", ">=", "==", "!=", "+", "-", "*", "/", "^", "<", ">", "(", ")", "[", "]", ",",
];

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(Rational),
    Str(String),
    Ident(String),
    Op(&'static str),
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let err = |offset: usize, message: String| ParseError { offset, message };
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            while i < bytes.len()
                && (bytes[i].is_ascii_digit() || bytes[i] == b'_' || bytes[i] == b'.')
            {
                i += 1;
            }
            if i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'%') {
                return Err(err(
                    i,
                    format!(
                        "`{}` after a number: numbers are plain decimals (no exponent, suffix or %)",
                        text[i..].chars().next().unwrap_or(' ')
                    ),
                ));
            }
            let value = Rational::parse_decimal(&text[start..i]).map_err(|m| err(start, m))?;
            out.push((Tok::Num(value), start));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(text[start..i].to_string()), start));
        } else if c == b'"' {
            let end = text[i + 1..]
                .find('"')
                .ok_or_else(|| err(start, "unterminated string: close it with `\"`".into()))?;
            out.push((Tok::Str(text[i + 1..i + 1 + end].to_string()), start));
            i += end + 2;
        } else {
            let rest = &text[i..];
            let Some(op) = OPS.iter().copied().find(|op| rest.starts_with(op)) else {
                let ch = rest.chars().next().unwrap_or(' ');
                return Err(err(
                    i,
                    match ch {
                        '=' => "`=`: compare with `==`".to_string(),
                        '!' => "`!`: negate with `not`".to_string(),
                        _ => format!("unexpected `{ch}`"),
                    },
                ));
            };
            i += op.len();
            out.push((Tok::Op(op), start));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(self.len, |(_, o)| *o)
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            offset: self.offset(),
            message: message.into(),
        })
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Op(o)) if *o == op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(w)) if w == word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<(), ParseError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            self.err(format!("expected `{op}`"))
        }
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.eat_word("or") {
            let right = self.and()?;
            left = bin(BinOp::Or, left, right);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.not()?;
        while self.eat_word("and") {
            let right = self.not()?;
            left = bin(BinOp::And, left, right);
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, ParseError> {
        if self.eat_word("not") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison_op(&mut self) -> Option<BinOp> {
        let op = match self.peek() {
            Some(Tok::Op("<")) => BinOp::Lt,
            Some(Tok::Op("<=")) => BinOp::Le,
            Some(Tok::Op(">")) => BinOp::Gt,
            Some(Tok::Op(">=")) => BinOp::Ge,
            Some(Tok::Op("==")) => BinOp::Eq,
            Some(Tok::Op("!=")) => BinOp::Ne,
            _ => return None,
        };
        self.pos += 1;
        Some(op)
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let left = self.additive()?;
        let Some(op) = self.comparison_op() else {
            return Ok(left);
        };
        let right = self.additive()?;
        if self.comparison_op().is_some() {
            self.pos -= 1;
            return self.err("comparisons do not chain: write `a < b and b < c`");
        }
        Ok(bin(op, left, right))
    }

    fn additive(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.multiplicative()?;
        loop {
            let op = if self.eat_op("+") {
                BinOp::Add
            } else if self.eat_op("-") {
                BinOp::Sub
            } else {
                return Ok(left);
            };
            let right = self.multiplicative()?;
            left = bin(op, left, right);
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        loop {
            let op = if self.eat_op("*") {
                BinOp::Mul
            } else if self.eat_op("/") {
                BinOp::Div
            } else {
                return Ok(left);
            };
            let right = self.unary()?;
            left = bin(op, left, right);
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.eat_op("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        let base = self.postfix()?;
        if self.eat_op("^") {
            let exponent = self.unary()?;
            return Ok(bin(BinOp::Pow, base, exponent));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> Result<Expr, ParseError> {
        let at = self.offset();
        let Some(tok) = self.peek().cloned() else {
            return self.err("expected a value");
        };
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Op("(") => {
                let inner = self.or()?;
                self.expect_op(")")?;
                Ok(inner)
            }
            Tok::Ident(word) => match word.as_str() {
                "true" => Ok(Expr::Bool(true)),
                "false" => Ok(Expr::Bool(false)),
                "and" | "or" | "not" => {
                    self.pos -= 1;
                    self.err(format!("expected a value before `{word}`"))
                }
                _ if self.eat_op("[") => {
                    let step = self.or()?;
                    self.expect_op("]")?;
                    Ok(Expr::Index {
                        series: word,
                        step: Box::new(step),
                        at,
                    })
                }
                _ if self.eat_op("(") => {
                    let mut args = Vec::new();
                    if !self.eat_op(")") {
                        loop {
                            args.push(self.or()?);
                            if self.eat_op(")") {
                                break;
                            }
                            self.expect_op(",")?;
                        }
                    }
                    check_call(&word, &args, at)?;
                    Ok(Expr::Call {
                        name: word,
                        args,
                        at,
                    })
                }
                _ => Ok(Expr::Name { name: word, at }),
            },
            Tok::Op(op) => {
                self.pos -= 1;
                self.err(format!("expected a value, found `{op}`"))
            }
        }
    }
}

fn bin(op: BinOp, left: Expr, right: Expr) -> Expr {
    Expr::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
    }
}

/// Arity and argument shapes of the built-in functions, checked at parse
/// time so a malformed claims file fails on load, not at audit time.
fn check_call(name: &str, args: &[Expr], at: usize) -> Result<(), ParseError> {
    let err = |message: String| {
        Err(ParseError {
            offset: at,
            message,
        })
    };
    let is_name = |e: &Expr| matches!(e, Expr::Name { .. });
    let series_then = |counts: &[usize], usage: &str| {
        if !counts.contains(&args.len()) || !args.first().is_some_and(is_name) {
            return err(format!("`{name}` takes {usage}"));
        }
        Ok(())
    };
    match name {
        "sum" | "mean" => series_then(
            &[1, 3],
            "a series name, optionally `from, to` steps: sum(NAME) or sum(NAME, 1, 6)",
        )?,
        "final" | "first" => series_then(&[1], "one series name: final(NAME)")?,
        "first_step_at_least" => series_then(
            &[2],
            "a series name and a value: first_step_at_least(NAME, 10000)",
        )?,
        "steps" if !args.is_empty() => return err("`steps()` takes no arguments".into()),
        "abs" if args.len() != 1 => return err("`abs` takes one number".into()),
        "round" if args.len() != 2 => {
            return err("`round` takes a number and a count of decimals: round(x, 2)".into())
        }
        "max" | "min" if args.is_empty() => {
            return err(format!("`{name}` needs a series name or numbers"))
        }
        "max" | "min" if args.len() == 1 && is_name(&args[0]) => return Ok(()),
        _ => {}
    }
    let series_arg = matches!(
        name,
        "sum" | "mean" | "final" | "first" | "first_step_at_least"
    );
    for (i, a) in args.iter().enumerate() {
        if let Expr::Name { name: bare, at } = a {
            if !(series_arg && i == 0) {
                return Err(ParseError {
                    offset: *at,
                    message: format!(
                        "bare name `{bare}`: index a series (`{bare}[3]`), pass it to sum/mean/final/first/max/min, or quote a string (\"{bare}\")"
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Parse an expression; the error's offset is a byte offset into `text`.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let toks = lex(text)?;
    let mut p = Parser {
        toks,
        pos: 0,
        len: text.len(),
    };
    let expr = p.or()?;
    if p.pos < p.toks.len() {
        return p.err("unexpected text after the expression");
    }
    if let Expr::Name { name, at } = &expr {
        return Err(ParseError {
            offset: *at,
            message: format!("bare name `{name}`: index the series (`{name}[12]`) or use final({name}) / sum({name})"),
        });
    }
    Ok(expr)
}

/// True when the expression reads the scenario's series (an arithmetic
/// check must not).
pub fn uses_series(expr: &Expr) -> bool {
    match expr {
        Expr::Num(_) | Expr::Str(_) | Expr::Bool(_) => false,
        Expr::Name { .. } | Expr::Index { .. } => true,
        Expr::Call { name, args, .. } => name == "steps" || args.iter().any(uses_series),
        Expr::Neg(e) | Expr::Not(e) => uses_series(e),
        Expr::Binary { left, right, .. } => uses_series(left) || uses_series(right),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_point_at_the_offending_text() {
        let at = |text: &str| parse(text).unwrap_err();
        assert_eq!(at("2.5e3").offset, 3);
        assert!(at("2.5e3").message.contains("no exponent"));
        assert_eq!(at("1,197").offset, 1);
        assert_eq!(at("15%").offset, 2);
        assert_eq!(at("1 = 1").offset, 2);
        assert_eq!(at("1 < 2 < 3").offset, 6);
        assert_eq!(at("(1 + 2").offset, 6);
        assert_eq!(at("sum()").offset, 0);
        assert!(at("sum(1, 2)").message.contains("series name"));
        assert_eq!(at("f(LAM)").offset, 2);
        assert_eq!(at("tokens").offset, 0);
        assert_eq!(at("1 2").offset, 2);
        assert_eq!(at("\"open").offset, 0);
        assert_eq!(at("1..2").offset, 0);
    }

    #[test]
    fn series_use_is_detected_for_arithmetic_checks() {
        assert!(uses_series(&parse("sum(tokens) * 2").unwrap()));
        assert!(uses_series(&parse("f(tokens[1])").unwrap()));
        assert!(uses_series(&parse("steps()").unwrap()));
        assert!(!uses_series(&parse("f(\"LAM-1\", 0.01) * 12").unwrap()));
    }
}
