//! Errors in the declarations (tokens, oracles, accounts, genesis, markets)
//! land on their line, column and key: those the compiler finds (names,
//! numbers, shapes) and those the core's validation finds, mapped back
//! from the key path it names.

mod common;

use common::*;

// ---- tokens ----------------------------------------------------------------

#[test]
fn numeraire_with_too_many_decimals() {
    in_lam(
        &[("[tokens.USD]\ndecimals = 6", "[tokens.USD]\ndecimals = 13")],
        "13\n",
        "tokens.USD.decimals",
        "at most 12 decimals",
    );
}

#[test]
fn token_with_too_many_decimals() {
    in_lam(
        &[("decimals = 18", "decimals = 19")],
        "19",
        "tokens.LAM.decimals",
        "at most 18 decimals",
    );
}

#[test]
fn max_supply_below_genesis() {
    in_lam(
        &[(
            "[tokens.LAM]\n",
            "[tokens.LAM]\nmax_supply = \"999_999_999.999999999999999999\"\n",
        )],
        r#""999_999_999.9"#,
        "tokens.LAM.max_supply",
        "genesis mints more than the maximum supply of LAM",
    );
}

#[test]
fn zero_max_supply() {
    let text = edit(LAM, "[tokens.LAM]\n", "[tokens.LAM]\nmax_supply = \"0\"\n");
    let errors = errors(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for e in &errors {
        assert_at(e, at(&text, r#""0""#), "tokens.LAM.max_supply");
    }
    assert!(errors
        .iter()
        .any(|e| e.message.contains("greater than zero")));
}

#[test]
fn an_economy_with_only_its_numeraire() {
    let text = "name = \"x\"\nnumeraire = \"USD\"\n\n[tokens.USD]\ndecimals = 6\n";
    located("x.toml", text, &[], "USD]", "tokens", "at least one token");
}

#[test]
fn unknown_numeraire() {
    in_lam(
        &[(r#"numeraire = "USD""#, r#"numeraire = "EUR""#)],
        r#""EUR""#,
        "numeraire",
        "no asset named `EUR` (tokens: USD, LAM)",
    );
}

// ---- oracles ---------------------------------------------------------------

#[test]
fn unknown_oracle_pool() {
    in_lam(
        &[(
            r#"oracle = "exogenous""#,
            r#"oracle = { spot = "lam_eur" }"#,
        )],
        r#"{ spot = "lam_eur" }"#,
        "tokens.LAM.oracle",
        "no market named `lam_eur` (markets: lam_usd, otc)",
    );
}

#[test]
fn oracle_on_a_pool_that_does_not_trade_the_token() {
    in_fixture(
        &[("{ twap = \"ast_net\"", "{ twap = \"net_usd\"")],
        "{ twap",
        "tokens.AST.oracle",
        "must name a pool that trades this token",
    );
    // An external market is no pool.
    in_lam(
        &[(r#"oracle = "exogenous""#, r#"oracle = { spot = "otc" }"#)],
        r#"{ spot = "otc" }"#,
        "tokens.LAM.oracle",
        "must name a pool that trades this token",
    );
}

#[test]
fn oracle_on_the_numeraire() {
    in_fixture(
        &[(
            "[tokens.USDX]\ndecimals = 6\n",
            "[tokens.USDX]\ndecimals = 6\noracle = { spot = \"net_usd\" }\n",
        )],
        "{ spot = \"net_usd\" }\n\n[tokens.NET]",
        "tokens.USDX.oracle",
        "the numeraire is the unit of price",
    );
}

#[test]
fn twap_window_out_of_range() {
    in_fixture(
        &[("window = 7", "window = 0")],
        "{ twap",
        "tokens.AST.oracle.window",
        "between 1 and",
    );
    in_fixture(
        &[("window = 7", "window = -1")],
        "{ twap",
        "tokens.AST.oracle.window",
        "whole number of steps",
    );
}

#[test]
fn oracle_chain_that_does_not_reach_the_numeraire() {
    in_fixture(
        &[(
            r#"oracle = { spot = "net_usd" }"#,
            r#"oracle = "exogenous""#,
        )],
        "{ twap",
        "tokens.AST.oracle",
        "the chain reaches `NET`, which has no pool oracle",
    );
}

#[test]
fn malformed_oracles_say_what_to_write() {
    for (written, says) in [
        (r#""spot""#, r#"write "exogenous", { spot = "<pool>" }"#),
        ("7", "not 7"),
        (
            r#"{ spot = "lam_usd", window = 3 }"#,
            "`window` goes with `twap`",
        ),
        (r#"{ twap = "lam_usd" }"#, "needs `window`"),
        (r#"{ spto = "lam_usd" }"#, "unknown oracle key `spto`"),
        (r#"{ spot = "lam_usd", twap = "lam_usd" }"#, "name one pool"),
        ("{ spot = 1 }", "name the pool as a string"),
    ] {
        let text = edit(
            LAM,
            r#"oracle = "exogenous""#,
            &format!("oracle = {written}"),
        );
        let e = only_error(&text);
        let key = if says.contains("window") {
            "tokens.LAM.oracle.window"
        } else {
            "tokens.LAM.oracle"
        };
        assert_at(&e, at(&text, &format!("{written}\n")), key);
        assert!(e.message.contains(says), "`{e}` should say `{says}`");
    }
}

#[test]
fn a_spot_oracle_on_the_lam_pool_compiles() {
    let text = edit(
        LAM,
        r#"oracle = "exogenous""#,
        r#"oracle = { spot = "lam_usd" }"#,
    );
    compiles(FILE, &text);
}

// ---- accounts --------------------------------------------------------------

#[test]
fn reserved_words_are_not_account_names() {
    for word in ["pay_out", "burn", "creator", "trainers"] {
        let text = edit(
            LAM,
            "[accounts.liquidity]\n",
            &format!("[accounts.{word}]\n[accounts.liquidity]\n"),
        );
        let e = only_error(&text);
        assert_at(
            &e,
            at(&text, &format!("{word}]")),
            &format!("accounts.{word}"),
        );
        assert!(e.message.contains("reserved word"), "{e}");
    }
}

// ---- genesis ---------------------------------------------------------------

#[test]
fn genesis_of_an_unknown_account_or_asset() {
    in_lam(
        &[("[genesis.community]", "[genesis.comunity]")],
        "comunity]",
        "genesis.comunity",
        "no account named `comunity`",
    );
    in_lam(
        &[("[genesis.community]\nLAM", "[genesis.community]\nLAMB")],
        "LAMB",
        "genesis.community.LAMB",
        "no asset named `LAMB`",
    );
}

/// Regression: a genesis past what the ledger can hold used to overflow
/// (and was located at the file's `name`). Each amount is bounded by
/// `MAX_GENESIS_UNITS` (10^30 base units), at its own line and key, so no
/// sum of them can overflow.
#[test]
fn a_genesis_past_its_bound_is_located() {
    // 3e20 whole LAM = 3e38 base units.
    let big = r#""300_000_000_000_000_000_000""#;
    let text = edits(
        LAM,
        &[
            (r#"LAM = "600_000_000""#, &format!("LAM = {big}")),
            (r#"LAM = "350_000_000""#, "LAM = \"1\""),
        ],
    );
    let e = only_error(&text);
    assert_at(&e, at(&text, big), "genesis.market.LAM");
    assert_eq!(
        e.message,
        "must be at most 1000000000000 LAM (10^30 base units at 18 decimals), found 300_000_000_000_000_000_000"
    );
    // Exactly the bound is fine.
    let text = edit(
        LAM,
        r#"LAM = "600_000_000""#,
        r#"LAM = "1_000_000_000_000""#,
    );
    compiles(FILE, &text);
}

// ---- markets ---------------------------------------------------------------

#[test]
fn pool_with_one_reserve() {
    in_lam(
        &[(
            r#"reserves = ["50_000_000", "5_000_000"]"#,
            r#"reserves = ["50_000_000"]"#,
        )],
        r#"["50_000_000"]"#,
        "markets.lam_usd.reserves",
        "give both genesis reserves",
    );
    in_lam(
        &[(
            r#"reserves = ["50_000_000", "5_000_000"]"#,
            r#"reserves = ["50_000_000", "0"]"#,
        )],
        r#"["50_000_000", "0"]"#,
        "markets.lam_usd.reserves",
        "seed both reserves or neither",
    );
}

#[test]
fn pool_reserves_too_small() {
    in_lam(
        &[(
            r#"reserves = ["50_000_000", "5_000_000"]"#,
            r#"reserves = ["0.000000000000000001", "0.000001"]"#,
        )],
        r#"["0.000000000000000001""#,
        "markets.lam_usd.reserves",
        "too small",
    );
}

#[test]
fn pool_reserve_too_precise_for_its_asset() {
    in_lam(
        &[(r#""5_000_000"]"#, r#""5_000_000.0000001"]"#)],
        r#""5_000_000.0000001""#,
        "markets.lam_usd.reserves[1]",
        "6 decimal places",
    );
}

#[test]
fn pool_of_one_asset_twice() {
    in_lam(
        &[
            (r#"assets = ["LAM", "USD"]"#, r#"assets = ["LAM", "LAM"]"#),
            ("reserves = [\"50_000_000\", \"5_000_000\"]\n", ""),
        ],
        r#"["LAM", "LAM"]"#,
        "markets.lam_usd.assets",
        "two different assets",
    );
}

#[test]
fn pool_shapes_and_kinds() {
    in_lam(
        &[(
            r#"assets = ["LAM", "USD"]"#,
            r#"assets = ["LAM", "USD", "LAM"]"#,
        )],
        r#"["LAM", "USD", "LAM"]"#,
        "markets.lam_usd.assets",
        "exactly two assets, found 3",
    );
    in_lam(
        &[(r#"assets = ["LAM", "USD"]"#, r#"assets = ["LAM", "EUR"]"#)],
        r#""EUR""#,
        "markets.lam_usd.assets[1]",
        "no asset named `EUR`",
    );
    in_lam(
        &[("kind = \"pool\"\n", "kind = \"amm\"\n")],
        r#""amm""#,
        "markets.lam_usd.kind",
        "unknown market kind `amm` (pool, external)",
    );
    in_lam(
        &[("fee = \"0.3%\"\n", "")],
        "lam_usd]",
        "markets.lam_usd.fee",
        "a pool market needs `fee`",
    );
    in_lam(
        &[(
            r#"account = "market""#,
            "account = \"market\"\nfee = \"1%\"",
        )],
        r#""1%""#,
        "markets.otc.fee",
        "`fee` does not apply to a external market",
    );
}

#[test]
fn pool_fee_of_100_percent() {
    in_lam(
        &[(r#"fee = "0.3%""#, r#"fee = "100%""#)],
        "\"100%\"\nlp_to",
        "markets.lam_usd.fee",
        "must be below 100%",
    );
}

#[test]
fn pool_lp_shares_to_an_unknown_account() {
    in_lam(
        &[(r#"lp_to = "liquidity""#, r#"lp_to = "nobody""#)],
        r#""nobody""#,
        "markets.lam_usd.lp_to",
        "no account named `nobody`",
    );
}

#[test]
fn external_market_of_the_numeraire_or_an_unknown_account() {
    in_lam(
        &[(
            "kind = \"external\"\ntoken = \"LAM\"",
            "kind = \"external\"\ntoken = \"USD\"",
        )],
        "\"USD\"\naccount",
        "markets.otc.token",
        "`USD` is the numeraire, not a token",
    );
    in_lam(
        &[(r#"account = "market""#, r#"account = "markt""#)],
        r#""markt""#,
        "markets.otc.account",
        "no account named `markt`",
    );
}
