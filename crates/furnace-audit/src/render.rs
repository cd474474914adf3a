//! The audit as a table a reader takes in at one look, and as JSON.
//!
//! The table has one row per claim (verdict, kind of check, claimed,
//! computed, relative difference, the claim's words); below it, one numbered paragraph per
//! contradiction saying plainly what the document claims, what the model or
//! the arithmetic gives and why it matters; then why each unchecked claim
//! could not be checked; last, the count.

use crate::claims::Style;
use crate::{Check, Outcome, Rational, Tolerance, Value, Verdict};
use serde_json::{json, Value as Json};

/// Target width of the table and the paragraphs.
const WIDTH: usize = 100;

/// `value` shown as the claim was written: `$` prefix, thousands commas,
/// `%` (times 100) or `x` suffix. Exact unless marked `~`.
pub fn styled(value: Rational, style: &Style) -> String {
    let shown = if style.percent {
        value
            .checked_mul(Rational::from_integer(100))
            .unwrap_or(value)
    } else {
        value
    };
    let text = shown.to_string();
    let (approx, rest) = match text.strip_prefix('~') {
        Some(r) => ("~", r),
        None => ("", text.as_str()),
    };
    let (sign, digits) = match rest.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", rest),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let padded;
    let frac = match frac {
        Some(f) if approx.is_empty() && f.len() < style.decimals as usize => {
            padded = format!("{f:0<width$}", width = style.decimals as usize);
            Some(padded.as_str())
        }
        None if approx.is_empty() && style.decimals > 0 => {
            padded = "0".repeat(style.decimals as usize);
            Some(padded.as_str())
        }
        other => other,
    };
    let int = if style.grouped {
        group(int)
    } else {
        int.to_string()
    };
    let dollar = if style.dollar { "$" } else { "" };
    let suffix = if style.percent {
        "%"
    } else if style.times {
        "x"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{approx}{sign}{dollar}{int}.{f}{suffix}"),
        None => format!("{approx}{sign}{dollar}{int}{suffix}"),
    }
}

/// Thousands commas: `1345005` -> `1,345,005`.
fn group(int: &str) -> String {
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value without style: exact decimal, `true`/`false`, or a quoted string.
pub fn plain(value: &Value) -> String {
    match value {
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Str(s) => format!("\"{s}\""),
    }
}

/// `±0.5`, `±0.05%` (absolute, in the claim's unit) or `±1% relative`.
pub fn tolerance(t: &Tolerance, style: &Style) -> String {
    match t {
        Tolerance::Absolute(a) => format!("±{}", styled(*a, style)),
        Tolerance::Relative(r) => format!(
            "±{} relative",
            styled(
                *r,
                &Style {
                    percent: true,
                    ..Style::default()
                }
            )
        ),
    }
}

/// A relative difference as a signed percentage: `+30.4%`, `-0.25%`, `0%`.
pub fn percent(relative: f64) -> String {
    let p = relative * 100.0;
    if p == 0.0 {
        return "0%".into();
    }
    let a = p.abs();
    let decimals = if a >= 100.0 {
        0
    } else if a >= 1.0 {
        1
    } else if a >= 0.1 {
        2
    } else {
        // One significant digit for tiny differences (rounding in the
        // document): enough to see the size, short enough for the column.
        // A float of a display figure, clamped: the casts cannot lose
        // anything that matters.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let digits = (-a.log10().floor() as i32).clamp(2, 9) as usize;
        digits
    };
    let text = format!("{p:+.decimals$}%");
    // A tiny difference must never print as "+0.0%" (that reads as "equal").
    if text
        .trim_start_matches(['+', '-'])
        .trim_end_matches('%')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        return format!("{}<0.000000001%", if p > 0.0 { "+" } else { "-" });
    }
    text
}

/// Shorten to `width` characters, marking the cut with `…`.
fn fit(text: &str, width: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= width {
        return one_line;
    }
    let mut out: String = one_line.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Greedy word wrap with an indent on every line.
fn wrap(text: &str, indent: &str, out: &mut String) {
    wrap_hanging(text, indent, indent, out);
}

/// Greedy word wrap: `first` before the first line, `rest` before the others.
fn wrap_hanging(text: &str, first: &str, rest: &str, out: &mut String) {
    let mut line = String::new();
    let mut indent = first;
    for word in text.split_whitespace() {
        if !line.is_empty()
            && indent.len() + line.chars().count() + 1 + word.chars().count() > WIDTH
        {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
            indent = rest;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
}

fn diff_cell(o: &Outcome) -> String {
    o.relative_difference
        .map(percent)
        .unwrap_or_else(|| "-".into())
}

/// `model` or `arith`, so a reader sees at once which rows test the
/// document against its assumptions and which against its own figures.
fn check_cell(o: &Outcome) -> &'static str {
    match o.check {
        Some(Check::Model) => "model",
        Some(Check::Arithmetic) => "arith",
        None => "",
    }
}

fn gives(o: &Outcome) -> &'static str {
    match o.check {
        Some(Check::Model) => "the model gives",
        _ => "the arithmetic gives",
    }
}

/// The audit as text: title, table, contradictions, unchecked claims, count.
pub fn render_table(outcomes: &[Outcome], title: &str) -> String {
    let mut out = String::new();
    if !title.is_empty() {
        out.push_str(title);
        out.push('\n');
        out.push('\n');
    }
    let headers = ["verdict", "check", "claimed", "computed", "diff", "claim"];
    let width_of = |f: &dyn Fn(&Outcome) -> String, head: &str, cap: usize| {
        outcomes
            .iter()
            .map(|o| f(o).chars().count())
            .chain([head.len()])
            .max()
            .unwrap_or(0)
            .min(cap)
    };
    let w_verdict = width_of(&|o| o.verdict.label().to_string(), headers[0], 13);
    let w_check = width_of(&|o| check_cell(o).to_string(), headers[1], 5);
    let w_claimed = width_of(&|o| o.claimed.clone(), headers[2], 12);
    let w_computed = width_of(&|o| o.computed.clone(), headers[3], 15);
    let w_diff = width_of(&diff_cell, headers[4], 9);
    let used = w_verdict + w_check + w_claimed + w_computed + w_diff + 5 * 2;
    let w_claim = WIDTH.saturating_sub(used).max(24);
    let row = |cells: [String; 6]| {
        let [v, k, c, p, d, t] = cells;
        format!(
            "{:<w_verdict$}  {:<w_check$}  {:>w_claimed$}  {:>w_computed$}  {:>w_diff$}  {}",
            fit(&v, w_verdict),
            fit(&k, w_check),
            fit(&c, w_claimed),
            fit(&p, w_computed),
            fit(&d, w_diff),
            fit(&t, w_claim)
        )
        .trim_end()
        .to_string()
    };
    out.push_str(&row(headers.map(String::from)));
    out.push('\n');
    out.push_str(&row([
        w_verdict, w_check, w_claimed, w_computed, w_diff, w_claim,
    ]
    .map(|w| "-".repeat(w))));
    out.push('\n');
    let mut number = 0;
    for o in outcomes {
        let text = if o.verdict == Verdict::Contradicted {
            number += 1;
            format!("[{number}] {}", o.text)
        } else {
            o.text.clone()
        };
        out.push_str(&row([
            o.verdict.label().to_string(),
            check_cell(o).to_string(),
            o.claimed.clone(),
            o.computed.clone(),
            diff_cell(o),
            text,
        ]));
        out.push('\n');
    }
    out.push_str("\ndiff = (computed - claimed) / |claimed|. check: model = the document's stated assumptions,\n");
    out.push_str(
        "simulated; arith = the document's own figures, recomputed. ~ = rounded for display.\n",
    );

    let contradicted: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.verdict == Verdict::Contradicted)
        .collect();
    if !contradicted.is_empty() {
        out.push_str("\nContradictions:\n");
        for (i, o) in contradicted.iter().enumerate() {
            let head = format!("[{}] {}", i + 1, o.id);
            let source = if o.source.is_empty() {
                String::new()
            } else {
                format!(" ({})", o.source)
            };
            out.push('\n');
            wrap_hanging(&format!("{head}{source}"), "", "    ", &mut out);
            wrap(&format!("\"{}\"", o.text.trim()), "    ", &mut out);
            let delta = o
                .relative_difference
                .map(|r| format!(" (Δ {})", percent(r)))
                .unwrap_or_default();
            wrap(
                &format!("claimed {}, {} {}{delta}.", o.claimed, gives(o), o.computed),
                "    ",
                &mut out,
            );
            if !o.reason.is_empty() {
                wrap(&o.reason, "    ", &mut out);
            }
        }
    }
    let unchecked: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.verdict == Verdict::NotCheckable)
        .collect();
    if !unchecked.is_empty() {
        out.push_str("\nNot checkable:\n");
        for o in unchecked {
            wrap_hanging(&format!("- {}: {}", o.id, o.reason), "", "  ", &mut out);
        }
    }
    let count = |v: Verdict| outcomes.iter().filter(|o| o.verdict == v).count();
    out.push_str(&format!(
        "\n{} claims: {} agree, {} contradicted, {} not checkable\n",
        outcomes.len(),
        count(Verdict::Agrees),
        count(Verdict::Contradicted),
        count(Verdict::NotCheckable)
    ));
    out
}

fn json_value(v: &Option<Value>) -> Json {
    match v {
        None => Json::Null,
        Some(Value::Bool(b)) => Json::Bool(*b),
        Some(Value::Number(n)) => Json::String(n.to_string()),
        Some(Value::Str(s)) => Json::String(s.clone()),
    }
}

/// The audit as JSON: a list of objects. `claimed` and `computed` are exact
/// decimal strings in plain units (`"0.036"` for 3.6%; a value with no
/// finite decimal is `~`-rounded and given exactly in `computed_fraction`)
/// or booleans; `claimed_text` and `computed_display` are the table's
/// forms; `relative_difference` is a number or null.
pub fn render_json(outcomes: &[Outcome]) -> Json {
    Json::Array(
        outcomes
            .iter()
            .map(|o| {
                let fraction = match &o.computed_value {
                    Some(Value::Number(n)) => Json::String(n.fraction_string()),
                    _ => Json::Null,
                };
                json!({
                    "id": o.id,
                    "source": o.source,
                    "text": o.text,
                    "check": o.check.map(Check::word),
                    "expression": o.expression,
                    "claimed": json_value(&o.claimed_value),
                    "claimed_text": o.claimed,
                    "computed": json_value(&o.computed_value),
                    "computed_fraction": fraction,
                    "computed_display": o.computed,
                    "tolerance": o.tolerance,
                    "verdict": o.verdict.word(),
                    "relative_difference": o.relative_difference,
                    "relative_difference_exact": o.relative_difference_exact,
                    "reason": o.reason,
                    "line": o.line,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Rational {
        Rational::parse_decimal(text).unwrap()
    }

    #[test]
    fn computed_values_take_the_claims_style() {
        let money = Style {
            dollar: true,
            grouped: true,
            ..Style::default()
        };
        assert_eq!(styled(q("98168.8"), &money), "$98,168.8");
        assert_eq!(styled(q("-1234567"), &money), "-$1,234,567");
        let cents = Style {
            dollar: true,
            decimals: 2,
            ..Style::default()
        };
        assert_eq!(styled(q("119.7"), &cents), "$119.70");
        assert_eq!(styled(q("120"), &cents), "$120.00");
        assert_eq!(styled(q("0.125"), &cents), "$0.125");
        let pct = Style {
            percent: true,
            ..Style::default()
        };
        assert_eq!(styled(q("0.036"), &pct), "3.6%");
        assert_eq!(
            styled(Rational::new(134500, 3711121).unwrap(), &pct),
            "~3.62424%"
        );
        let times = Style {
            times: true,
            grouped: true,
            ..Style::default()
        };
        assert_eq!(styled(q("820.125"), &times), "820.125x");
        assert_eq!(styled(q("1123"), &times), "1,123x");
        assert_eq!(group("100"), "100");
        assert_eq!(group("1000"), "1,000");
    }

    #[test]
    fn differences_read_as_percentages() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(-3274.0 / 14047.0), "-23.3%");
        assert_eq!(percent(-0.0025), "-0.25%");
        assert_eq!(percent(0.304), "+30.4%");
        assert_eq!(percent(0.0004), "+0.04%");
        assert_eq!(percent(0.0000037), "+0.0004%");
        assert_eq!(percent(13.5), "+1350%");
        assert_eq!(percent(1e-15), "+<0.000000001%");
    }

    #[test]
    fn long_text_is_shortened_with_a_mark() {
        assert_eq!(fit("a  b\nc", 10), "a b c");
        assert_eq!(fit("abcdefghijkl", 5), "abcd…");
        let mut out = String::new();
        wrap(&"word ".repeat(30), "  ", &mut out);
        assert!(out.lines().all(|l| l.chars().count() <= WIDTH));
        assert_eq!(out.lines().count(), 2);
    }
}
