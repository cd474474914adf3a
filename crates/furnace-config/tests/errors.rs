//! Config errors point at the right place: file, 1-based line and column,
//! and the dotted key. Each test edits one line of the real
//! `economies/lam.toml` and asserts where the error lands.
//!
//! Expected positions are found in the edited text by a unique needle, so the
//! tests keep asserting exact lines if lam.toml gains or loses lines above.

mod common;

use common::*;
use furnace_config::{compile_economy, load_economy, ConfigErrors, Source};
use std::path::{Path, PathBuf};

#[test]
fn unedited_lam_compiles() {
    compile_economy(Source::from_text(FILE, LAM)).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn legs_summing_to_99_percent() {
    let text = edit(
        LAM,
        r#"{ name = "ecosystem", to = "ecosystem", share = "33%" }"#,
        r#"{ name = "ecosystem", to = "ecosystem", share = "32%" }"#,
    );
    let e = only_error(&text);
    // The span is the `legs` array: its opening bracket.
    let (line, _) = at(&text, "legs = [");
    assert_at(&e, (line, "legs = ".len() + 1), "splits.action.legs");
    assert!(e.message.contains("100%"), "{e}");
    assert!(e.message.contains("99%"), "{e}");
    assert!(
        e.message.contains("burn 34% + creator 33% + ecosystem 32%"),
        "{e}"
    );
}

#[test]
fn legs_summing_above_100_percent() {
    let text = edit(LAM, r#"share = "34%""#, r#"share = "34.0001%""#);
    let e = only_error(&text);
    let (line, _) = at(&text, "legs = [");
    assert_eq!(e.line, Some(line));
    assert_eq!(e.key, "splits.action.legs");
    assert!(e.message.contains("100.0001%"), "{e}");
}

#[test]
fn malformed_toml_points_at_file_and_line() {
    let text = edit(LAM, "[splits.action]", "[splits.action");
    let e = only_error(&text);
    let (line, _) = at(&text, "[splits.action\n");
    assert_eq!(e.file, PathBuf::from(FILE));
    assert_eq!(e.line, Some(line));
    assert_eq!(e.key, "");
    assert!(e.to_string().starts_with(&format!("{FILE}:{line}:")), "{e}");

    // An unterminated string.
    let text = edit(
        LAM,
        "token = \"LAM\"\nprice_usd",
        "token = \"LAM\nprice_usd",
    );
    let e = only_error(&text);
    let (line, _) = at(&text, "token = \"LAM\nprice_usd");
    assert_eq!(e.line, Some(line), "{e}");

    // A key written twice.
    let text = edit(LAM, "decimals = 18\n", "decimals = 18\ndecimals = 7\n");
    let e = only_error(&text);
    let (line, _) = at(&text, "decimals = 7");
    assert_eq!(e.line, Some(line), "{e}");
}

#[test]
fn unknown_field_points_at_its_line() {
    let text = edit(LAM, "split = \"action\"", "split = \"action\"\npricee = 1");
    let e = only_error(&text);
    assert_at(&e, at(&text, "pricee"), "versions.LAM-1.pricee");
    assert_eq!(
        e.message,
        "unknown key (a version takes token, price_usd, split)"
    );
}

#[test]
fn negative_price() {
    // As a string and as a TOML float.
    for written in [r#""-0.1""#, "-0.1"] {
        let text = edit(
            LAM,
            "price_usd = \"0.10\"\nsplit",
            &format!("price_usd = {written}\nsplit"),
        );
        let e = only_error(&text);
        let (line, _) = at(&text, &format!("price_usd = {written}\n"));
        assert_at(
            &e,
            (line, "price_usd = ".len() + 1),
            "versions.LAM-1.price_usd",
        );
        assert!(e.message.contains("-0.1"), "{e}");
        assert!(e.message.contains("must not be negative"), "{e}");
    }
}

#[test]
fn zero_price() {
    for written in [r#""0""#, "0", "0.0", r#""0.000000""#] {
        let text = edit(
            LAM,
            "price_usd = \"0.10\"\nsplit",
            &format!("price_usd = {written}\nsplit"),
        );
        let e = only_error(&text);
        let (line, _) = at(&text, &format!("price_usd = {written}\n"));
        assert_at(
            &e,
            (line, "price_usd = ".len() + 1),
            "versions.LAM-1.price_usd",
        );
        assert!(e.message.contains("greater than zero"), "{e}");
    }
    // A plan priced at zero.
    let text = edit(LAM, r#"price_usd = "1000""#, "price_usd = 0");
    let e = only_error(&text);
    let (line, _) = at(&text, "price_usd = 0\n");
    assert_at(
        &e,
        (line, "price_usd = ".len() + 1),
        "plans.agent.price_usd",
    );
}

#[test]
fn unknown_account_in_a_leg() {
    let text = edit(
        LAM,
        r#"to = "ecosystem", share"#,
        r#"to = "ecosystm", share"#,
    );
    let e = only_error(&text);
    assert_at(&e, at(&text, r#""ecosystm""#), "splits.action.legs[2].to");
    assert!(e.message.contains("`ecosystm`"), "{e}");
    // It lists the accounts that do exist.
    assert!(e.message.contains("ecosystem_rewards"), "{e}");
}

#[test]
fn unknown_account_in_a_destination() {
    let text = edit(
        LAM,
        r#"dust_to = "unallocated""#,
        r#"dust_to = "unalocated""#,
    );
    let e = only_error(&text);
    assert_at(&e, at(&text, r#""unalocated""#), "splits.action.dust_to");
}

#[test]
fn creator_epoch_above_the_creator_leg() {
    let text = edit(
        LAM,
        r#"creator_epochs = ["33%", "25%""#,
        r#"creator_epochs = ["33%", "35%""#,
    );
    let e = only_error(&text);
    assert_at(&e, at(&text, r#""35%""#), "splits.action.creator_epochs[1]");
    assert!(e.message.contains("epoch 2"), "{e}");
    assert!(e.message.contains("35%"), "{e}");
    assert!(e.message.contains("33%"), "{e}");
}

#[test]
fn too_precise_amounts() {
    // USD has 6 decimals.
    let text = edit(
        LAM,
        "price_usd = \"0.10\"\nsplit",
        "price_usd = \"0.1234567\"\nsplit",
    );
    let e = only_error(&text);
    assert_at(&e, at(&text, r#""0.1234567""#), "versions.LAM-1.price_usd");
    assert!(e.message.contains("6 decimal places"), "{e}");
    // Trailing zeros past the precision are exact, so fine.
    let text = edit(
        LAM,
        "price_usd = \"0.10\"\nsplit",
        "price_usd = \"0.1000000000\"\nsplit",
    );
    compile_economy(Source::from_text(FILE, text)).unwrap_or_else(|e| panic!("{e}"));
    // LAM has 18 decimals.
    let text = edit(
        LAM,
        r#"LAM = "350_000_000""#,
        r#"LAM = "350_000_000.0000000000000000001""#,
    );
    let e = only_error(&text);
    assert_at(
        &e,
        at(&text, r#""350_000_000.0000000000000000001""#),
        "genesis.community.LAM",
    );
    assert!(e.message.contains("18 decimal places"), "{e}");
    // A share finer than 0.0001% (1 ppm).
    let text = edit(
        LAM,
        r#"token_discount = "10%""#,
        r#"token_discount = "10.00001%""#,
    );
    let e = only_error(&text);
    assert_at(
        &e,
        at(&text, r#""10.00001%""#),
        "plans.agent.token_discount",
    );
}

#[test]
fn several_problems_are_reported_in_one_pass() {
    let mut text = LAM.to_string();
    for (old, new) in [
        ("price_usd = \"0.10\"\nsplit", "price_usd = \"-0.1\"\nsplit"),
        (r#"to = "ecosystem", share"#, r#"to = "ecosystm", share"#),
        (r#"LAM = "600_000_000""#, r#"LAM = "1.0000000000000000001""#),
        (r#"share = "34%""#, r#"share = "-34%""#),
        (r#"destination = "fuel""#, r#"destination = "fule""#),
    ] {
        text = edit(&text, old, new);
    }
    let mut got: Vec<(usize, String)> = errors(&text)
        .into_iter()
        .map(|e| (e.line.expect("every error has a line"), e.key))
        .collect();
    got.sort();
    let mut expected = vec![
        (
            at(&text, r#""-0.1""#).0,
            "versions.LAM-1.price_usd".to_string(),
        ),
        (at(&text, "ecosystm").0, "splits.action.legs[2].to".into()),
        (
            at(&text, "1.0000000000000000001").0,
            "genesis.market.LAM".into(),
        ),
        (at(&text, "-34%").0, "splits.action.legs[0].share".into()),
        (
            at(&text, "fule").0,
            "buybacks.subscription_revenue.destination".into(),
        ),
    ];
    expected.sort();
    assert_eq!(got, expected);
}

#[test]
fn several_rule_violations_are_reported_in_one_pass() {
    // Problems found by the core's validation (after names resolve) are
    // also all reported, each at its own line.
    let mut text = LAM.to_string();
    for (old, new) in [
        (r#"share = "34%""#, r#"share = "30%""#),
        (
            r#"creator_epochs = ["33%", "25%""#,
            r#"creator_epochs = ["33%", "40%""#,
        ),
        ("price_usd = \"0.10\"\nsplit", "price_usd = 0\nsplit"),
        ("actions_included = 150_000", "actions_included = 0"),
    ] {
        text = edit(&text, old, new);
    }
    let mut got: Vec<(usize, usize, String)> = errors(&text)
        .into_iter()
        .map(|e| (e.line.unwrap(), e.column.unwrap(), e.key))
        .collect();
    got.sort();
    let legs = at(&text, "legs = [");
    let mut expected = vec![
        (
            legs.0,
            legs.1 + "legs = ".len(),
            "splits.action.legs".to_string(),
        ),
        {
            let (l, c) = at(&text, r#""40%""#);
            (l, c, "splits.action.creator_epochs[1]".into())
        },
        {
            let (l, c) = at(&text, "price_usd = 0\n");
            (
                l,
                c + "price_usd = ".len(),
                "versions.LAM-1.price_usd".into(),
            )
        },
        {
            let (l, c) = at(&text, "actions_included = 0");
            (
                l,
                c + "actions_included = ".len(),
                "plans.agent.actions_included".into(),
            )
        },
    ];
    expected.sort();
    assert_eq!(got, expected);
}

#[test]
fn missing_file_names_the_file() {
    let path = Path::new("economies/does-not-exist.toml");
    let ConfigErrors(errors) = load_economy(path).expect_err("no such file");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].file, path);
    assert_eq!(errors[0].line, None);
    assert!(errors[0].message.contains("cannot read"), "{}", errors[0]);
}

/// Regression: a bare number such as `0.34` used to be read as 0.34%, a
/// share silently off by a factor of 100. Shares must carry their `%`.
#[test]
fn a_share_without_percent_sign_is_refused_with_a_hint() {
    let text = edit(
        LAM,
        r#"{ name = "burn", to = "burn", share = "34%" }"#,
        r#"{ name = "burn", to = "burn", share = 0.34 }"#,
    );
    let e = only_error(&text);
    assert_at(&e, at(&text, "0.34 }"), "splits.action.legs[0].share");
    assert!(e.message.contains(r#"if you mean 34%, write "34%""#), "{e}");
}

/// Regression: a plan paid in another token than its version consumes
/// would release the wrong token from escrow.
#[test]
fn a_plan_paid_in_another_token_than_its_version_is_refused() {
    let text = edits(
        LAM,
        &[
            (
                "[accounts.market]\n",
                "[tokens.OTHER]\ndecimals = 6\n\n[accounts.market]\n",
            ),
            (
                "period_days = 30\nversion = \"LAM-1\"\ntoken = \"LAM\"",
                "period_days = 30\nversion = \"LAM-1\"\ntoken = \"OTHER\"",
            ),
        ],
    );
    let e = only_error(&text);
    assert_at(
        &e,
        at(&text, "\"OTHER\"\ntoken_discount"),
        "plans.agent.token",
    );
    assert!(e.message.contains("another token"), "{e}");
    assert!(e.message.contains("`LAM-1`"), "{e}");
}

/// A genesis too large for the ledger is refused entry by entry, each at
/// its own line and key (it used to be one overflow located at `name`).
#[test]
fn a_genesis_too_large_is_refused_at_each_entry() {
    // 3e20 whole LAM = 3e38 base units each; both together overflow u128.
    let big = "\"300_000_000_000_000_000_000\"";
    let text = edit(
        LAM,
        "[genesis.market]\nLAM = \"600_000_000\"",
        &format!("[genesis.market]\nLAM = {big}"),
    );
    let text = edit(
        &text,
        "[genesis.community]\nLAM = \"350_000_000\"",
        &format!("[genesis.community]\nLAM = {big} "),
    );
    let errors = errors(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_at(
        &errors[0],
        at(&text, &format!("{big}\n")),
        "genesis.market.LAM",
    );
    assert_at(
        &errors[1],
        at(&text, &format!("{big} ")),
        "genesis.community.LAM",
    );
    for e in &errors {
        assert!(
            e.message.starts_with("must be at most 1000000000000 LAM"),
            "{e}"
        );
    }
}
