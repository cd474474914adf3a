//! The claims file format: values, defaults, verdicts, and errors that land
//! on the right line, column and key.

use furnace_audit::claims::{self, parse_claimed_number, parse_tolerance, Style};
use furnace_audit::{
    audit, render_json, render_table, validate, Claimed, Host, NoHost, Rational, Tolerance, Value,
    Verdict,
};

fn q(text: &str) -> Rational {
    Rational::parse_decimal(text).unwrap()
}

/// (line, column, key) of every error, in order.
fn errors(text: &str) -> Vec<(usize, usize, String, String)> {
    claims::parse("x.toml", text)
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| (e.line, e.column, e.key, e.message))
        .collect()
}

#[test]
fn claimed_numbers_are_read_as_written_with_half_a_unit_of_tolerance() {
    let n = |t: &str| {
        let (v, tol, _) = parse_claimed_number(t).unwrap();
        (v, tol)
    };
    assert_eq!(n("1,197"), (q("1197"), q("0.5")));
    assert_eq!(n("$120"), (q("120"), q("0.5")));
    assert_eq!(n("$119.70"), (q("119.7"), q("0.005")));
    assert_eq!(n("1.5"), (q("1.5"), q("0.05")));
    assert_eq!(n("3.6%"), (q("0.036"), q("0.0005")));
    assert_eq!(n("1,123x"), (q("1123"), q("0.5")));
    assert_eq!(n("67K"), (q("67000"), q("500")));
    assert_eq!(n("3.9M"), (q("3900000"), q("50000")));
    assert_eq!(n("-0.25"), (q("-0.25"), q("0.005")));
    assert_eq!(n("1_000_000"), (q("1000000"), q("0.5")));
    let (_, _, style) = parse_claimed_number("$134,500.50").unwrap();
    assert_eq!(
        style,
        Style {
            dollar: true,
            grouped: true,
            decimals: 2,
            ..Style::default()
        }
    );
    for bad in ["1,19", "12,3456", "abc", "$", "1.2e3", "3.6 %"] {
        assert!(parse_claimed_number(bad).is_err(), "{bad}");
    }
    assert_eq!(
        parse_tolerance("1%").unwrap(),
        Tolerance::Relative(q("0.01"))
    );
    assert_eq!(
        parse_tolerance("0.5").unwrap(),
        Tolerance::Absolute(q("0.5"))
    );
    assert!(parse_tolerance("-1").is_err());
}

const GOOD: &str = r#"
title = "t"
scenario = "../scenarios/s.toml"

[[claims]]
id = "revenue"
text = "Revenue: $119.70"
claimed = "$119.70"
computed = "1197 * 0.10"
check = "arithmetic"

[[claims]]
id = "profit-rounded"
text = "Profit $60"
claimed = 60
computed = "1197 * 0.10 / 2"
check = "arithmetic"

[[claims]]
id = "burn-share"
text = "Deflationary pressure: 3.6%"
claimed = "3.6%"
computed = "134500 / 3711121"
check = "arithmetic"

[[claims]]
id = "month-3"
text = "14,047 tokens in month 3"
claimed = "14,047"
computed = "tokens[3]"
check = "model"
note = "3x a month from 1,197 gives 10,773"

[[claims]]
id = "deflationary"
text = "Deflationary"
claimed = true
computed = "134500 > 3711121"
check = "arithmetic"

[[claims]]
id = "within-1pct"
text = "about 1,000"
claimed = 1_000
tolerance = "1%"
computed = "1010"
check = "arithmetic"

[[claims]]
id = "sessions"
text = "5 active sessions"
claimed = 5
why = "sessions are not modelled"
"#;

#[test]
fn a_good_file_parses_and_each_claim_gets_its_verdict() {
    let file = claims::parse("claims/x.toml", GOOD).unwrap();
    assert_eq!(file.claims.len(), 7);
    assert_eq!(
        file.scenario_path().unwrap(),
        std::path::Path::new("claims/../scenarios/s.toml")
    );
    assert_eq!(file.claims[1].claimed.as_ref().unwrap().written(), "60");
    assert!(matches!(file.claims[4].claimed, Some(Claimed::Bool(true))));
    assert_eq!(file.claims[0].line, 6);

    // Without a run, the model claim is not checkable; the rest are judged.
    let out = audit(&file, &NoHost);
    let verdicts: Vec<Verdict> = out.iter().map(|o| o.verdict).collect();
    use Verdict::*;
    assert_eq!(
        verdicts,
        [
            Agrees,
            Agrees,
            Agrees,
            NotCheckable,
            Contradicted,
            Agrees,
            NotCheckable
        ]
    );
    assert_eq!(out[0].computed, "$119.70");
    assert_eq!(out[0].relative_difference, Some(0.0));
    assert_eq!(out[1].computed, "59.85");
    assert_eq!(out[1].relative_difference_exact.as_deref(), Some("-0.0025"));
    assert_eq!(out[2].computed, "~3.62424%");
    assert_eq!(out[2].tolerance.as_deref(), Some("±0.05%"));
    assert!(out[3].reason.starts_with("needs a scenario"));
    assert_eq!(out[4].computed, "false");
    assert_eq!(out[4].relative_difference, None);
    assert_eq!(out[6].reason, "sessions are not modelled");

    // With a run, the model claim is contradicted and its note is the reason.
    struct Run(Vec<Rational>);
    impl Host for Run {
        fn series(&self, name: &str) -> Option<&[Rational]> {
            (name == "tokens").then_some(self.0.as_slice())
        }
        fn series_names(&self) -> Vec<String> {
            vec!["tokens".into()]
        }
        fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
            None
        }
    }
    let run = Run(vec![q("1197"), q("3591"), q("10773")]);
    let out = audit(&file, &run);
    assert_eq!(out[3].verdict, Contradicted);
    assert_eq!(out[3].computed, "10,773");
    assert_eq!(out[3].reason, "3x a month from 1,197 gives 10,773");
    assert!(validate(&file, &run).is_empty());

    let table = render_table(&out, "t");
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
    assert!(table.contains("[1] 14,047 tokens in month 3"), "{table}");
    assert!(
        table.contains("claimed 14,047, the model gives 10,773 (Δ -23.3%)."),
        "{table}"
    );
    assert!(
        table.contains("- sessions: sessions are not modelled"),
        "{table}"
    );
    assert!(table.ends_with("7 claims: 4 agree, 2 contradicted, 1 not checkable\n"));

    let json = render_json(&out);
    let month3 = &json[3];
    assert_eq!(month3["verdict"], "contradicted");
    assert_eq!(month3["claimed"], "14047");
    assert_eq!(month3["computed"], "10773");
    assert_eq!(
        month3["relative_difference"].as_f64().unwrap(),
        -3274.0 / 14047.0
    );
    assert_eq!(json[4]["claimed"], true);
    assert_eq!(json[6]["verdict"], "not checkable");
    assert!(json[6]["relative_difference"].is_null());
}

#[test]
fn every_problem_is_reported_at_its_line_column_and_key() {
    let text = r#"title = "t"
colour = "red"

[[claims]]
id = "a"
text = "x"
claimed = "1,19"
computed = "1 + * 2"
check = "modle"
extra = 1

[[claims]]
id = "a"
text = "y"
claimed = 2
computed = "sum(tokens)"
check = "arithmetic"

[[claims]]
id = "c"
text = "z"
computed = "1"
why = "both"
"#;
    let got = errors(text);
    let located: Vec<(usize, usize, &str)> = got
        .iter()
        .map(|(l, c, k, _)| (*l, *c, k.as_str()))
        .collect();
    assert_eq!(
        located,
        [
            (2, 1, "colour"),
            (7, 11, "claims[0].claimed"),
            (8, 17, "claims[0].computed"),
            (9, 9, "claims[0].check"),
            (10, 1, "claims[0].extra"),
            (13, 6, "claims[1].id"),
            (16, 12, "claims[1].computed"),
            (22, 12, "claims[2].claimed"),
            (22, 12, "claims[2].check"),
            (23, 7, "claims[2].why"),
        ],
        "{got:#?}"
    );
    assert!(
        got[2].3.contains("expected a value, found `*`"),
        "{}",
        got[2].3
    );
    assert_eq!(got[5].3, "duplicate id `a` (first used on line 5)");
    assert!(got[6].3.contains("use check = \"model\""));
    // The Display form is what `furnace check` prints.
    let e = claims::parse("claims/x.toml", text).unwrap_err();
    assert_eq!(
        e.0[0].to_string(),
        "claims/x.toml:2:1: `colour`: unknown key `colour` (expected one of: title, document, economy, scenario, claims)"
    );
}

#[test]
fn toml_syntax_errors_and_missing_keys_are_located() {
    let got = errors("title = \"t\"\n[[claims]]\nid = \n");
    assert_eq!((got[0].0, got[0].1), (3, 6), "{got:?}");
    let got = errors("[[claims]]\nid = \"a\"\nclaimed = 1\n");
    let keys: Vec<&str> = got.iter().map(|e| e.2.as_str()).collect();
    assert_eq!(
        keys,
        ["title", "claims[0].text", "claims[0].why"],
        "{got:?}"
    );
    let got = errors("title = \"t\"\nclaims = 3\n");
    assert_eq!((got[0].0, got[0].1, got[0].2.as_str()), (2, 10, "claims"));
    let got = errors("title = \"t\"\n[[claims]]\nid = \"b\"\ntext = \"t\"\nclaimed = true\ntolerance = \"1%\"\ncomputed = \"1 < 2\"\ncheck = \"arithmetic\"\n");
    assert_eq!((got[0].0, got[0].2.as_str()), (6, "claims[0].tolerance"));
}

#[test]
fn validate_reports_unknown_names_at_the_expression() {
    let text = r#"title = "t"

[[claims]]
id = "typo"
text = "x"
claimed = 1
computed = "tokens_per_acton(\"LAM-1\", 0.01)"
check = "arithmetic"

[[claims]]
id = "kind"
text = "x"
claimed = true
computed = "1 + 1"
check = "arithmetic"

[[claims]]
id = "fine"
text = "x"
claimed = 1
computed = "1 / 0"
check = "arithmetic"
"#;
    let file = claims::parse("x.toml", text).unwrap();
    let errs = validate(&file, &NoHost);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!((errs[0].line, errs[0].column), (7, 12));
    assert_eq!(errs[0].key, "claims[0].computed");
    assert!(errs[0]
        .message
        .starts_with("unknown function `tokens_per_acton`"));
    assert_eq!(
        errs[1].message,
        "the claim is true/false but the expression gives the number 2"
    );
    // A division by zero is a verdict (not checkable), not a file error.
    let out = audit(&file, &NoHost);
    assert_eq!(out[2].verdict, Verdict::NotCheckable);
    assert_eq!(out[2].reason, "division by zero");
}
