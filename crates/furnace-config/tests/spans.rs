//! Every key the core's validation can name (see furnace-core's
//! `validate.rs`) is located at the value the file writes for it. The
//! per-section tests provoke each rule; this one also covers keys whose
//! core errors the compiler pre-empts (an unknown name never reaches the
//! core), so a key spelled differently here and in the core cannot go
//! unnoticed.

mod common;

use common::*;
use furnace_config::LoadedEconomy;

/// The text at `key`'s span starts with `starts`.
fn check(loaded: &LoadedEconomy, key: &str, starts: &str) {
    let span = loaded
        .span_of_key(key)
        .unwrap_or_else(|| panic!("`{key}` has no span"));
    let written = &loaded.source.text[span];
    assert!(
        written.starts_with(starts),
        "`{key}` is located at `{written}`, expected `{starts}...`"
    );
}

#[test]
fn every_key_of_lam_is_located_at_its_value() {
    let loaded = compiles(FILE, LAM);
    for (key, starts) in [
        ("name", r#""LAM""#),
        ("numeraire", r#""USD""#),
        ("tokens", "USD"),
        ("tokens.USD.decimals", "6"),
        ("tokens.LAM.decimals", "18"),
        // Not written: the token's name in its table header.
        ("tokens.LAM.max_supply", "LAM"),
        ("tokens.LAM.oracle", r#""exogenous""#),
        ("tokens.LAM.oracle.window", r#""exogenous""#),
        ("accounts", "market"),
        ("genesis.market.LAM", r#""600_000_000""#),
        ("genesis.community.LAM", r#""350_000_000""#),
        ("markets", "lam_usd"),
        ("markets.lam_usd.assets", r#"["LAM", "USD"]"#),
        ("markets.lam_usd.fee", r#""0.3%""#),
        ("markets.lam_usd.lp_to", r#""liquidity""#),
        ("markets.lam_usd.reserves", r#"["50_000_000", "5_000_000"]"#),
        ("markets.otc.token", r#""LAM""#),
        ("markets.otc.account", r#""market""#),
        ("versions.LAM-1.price_usd", r#""0.10""#),
        ("versions.LAM-1.token", r#""LAM""#),
        ("versions.LAM-1.split", r#""action""#),
        ("splits.action.legs", "[\n  { name = \"burn\""),
        ("splits.action.legs[2].name", r#""ecosystem""#),
        ("splits.action.legs[2].to", r#""ecosystem""#),
        ("splits.action.creator_epochs[3]", r#""17.5%""#),
        (
            "splits.action.creator_shortfall_to",
            r#""ecosystem_rewards""#,
        ),
        ("splits.action.no_marketplace_to", r#""ecosystem_rewards""#),
        ("splits.action.no_trainers_to", r#""ecosystem""#),
        ("splits.action.dust_to", r#""unallocated""#),
        ("revenue.subscriptions.parts", "[\n  { name = \"buybacks\""),
        ("revenue.subscriptions.parts[1].to", r#""operator_revenue""#),
        ("plans.agent.price_usd", r#""1000""#),
        ("plans.agent.actions_included", "150_000"),
        ("plans.agent.period_days", "30"),
        ("plans.agent.token_discount", r#""10%""#),
        ("plans.agent.version", r#""LAM-1""#),
        ("plans.agent.token", r#""LAM""#),
        ("plans.agent.escrow", r#""escrow""#),
        ("plans.agent.revenue", r#""subscriptions""#),
        ("plans.agent.funded_from", r#""fuel""#),
        (
            "buybacks.subscription_revenue.budget",
            r#""buyback_budget""#,
        ),
        ("buybacks.subscription_revenue.pay", r#""USD""#),
        ("buybacks.subscription_revenue.token", r#""LAM""#),
        ("buybacks.subscription_revenue.destination", r#""fuel""#),
        (
            "buybacks.subscription_revenue.venues",
            r#"[{ market = "otc""#,
        ),
        ("buybacks.subscription_revenue.venues[0].market", r#""otc""#),
        // Not written: the enclosing program.
        (
            "buybacks.subscription_revenue.max_impact",
            "subscription_revenue",
        ),
    ] {
        check(&loaded, key, starts);
    }
}

#[test]
fn every_key_of_the_fixture_is_located_at_its_value() {
    let loaded = compiles(FIXTURE_FILE, FIXTURE);
    for (key, starts) in [
        ("tokens.USDX.oracle", "USDX"),
        ("tokens.AST.oracle", "{ twap"),
        ("tokens.AST.oracle.window", "{ twap"),
        ("tokens.NET.max_supply", r#""1_000_000""#),
        ("genesis.treasury.USDX", r#""10_000""#),
        ("markets.ast_net.reserves", r#"["1_000_000", "100_000"]"#),
        ("revenue.purchases.parts[1].to", r#""treasury""#),
        ("buybacks.net.max_impact", r#""2%""#),
        ("buybacks.net.venues[0].market", r#""net_usd""#),
        ("buybacks.net.venues[0].cap_per_day", r#""1_000""#),
        ("sales.AST.token", r#""AST""#),
        ("sales.AST.price_usd", r#""0.10""#),
        ("sales.AST.revenue", r#""purchases""#),
        ("redemptions.compute_hour.token", r#""AST""#),
        ("redemptions.compute_hour.to", r#""redeemed""#),
        // A core path the file cannot name: the file's name.
        ("oracles", r#""Fixture""#),
    ] {
        check(&loaded, key, starts);
    }
}

#[test]
fn errors_about_a_loaded_economy_point_at_its_lines() {
    let loaded = compiles(FILE, LAM);
    let e = loaded.error_at("plans.agent.price_usd", "too dear".into());
    assert_at(&e, at(LAM, r#""1000""#), "plans.agent.price_usd");
}
