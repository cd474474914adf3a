//! Errors in the rules (splits, versions, revenue, plans, buybacks, sales,
//! redemptions) land on their line, column and key, whether the compiler or
//! the core's validation finds them.

mod common;

use common::*;
use furnace_core::economy::Payee;

// ---- splits ----------------------------------------------------------------

#[test]
fn two_legs_of_one_name() {
    in_lam(
        &[(
            r#"{ name = "ecosystem", to = "ecosystem""#,
            r#"{ name = "burn", to = "ecosystem""#,
        )],
        r#""burn", to = "ecosystem""#,
        "splits.action.legs[2].name",
        "two legs are named `burn`",
    );
}

#[test]
fn two_creator_legs() {
    let text = edit(
        LAM,
        r#"{ name = "ecosystem", to = "ecosystem""#,
        r#"{ name = "ecosystem", to = "creator""#,
    );
    let errors = errors(&text);
    let e = errors
        .iter()
        .find(|e| e.message.contains("at most one creator leg"))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    let (line, column) = at(&text, "legs = [");
    assert_at(e, (line, column + "legs = ".len()), "splits.action.legs");
}

#[test]
fn a_creator_leg_needs_its_routes() {
    in_lam(
        &[("creator_shortfall_to = \"ecosystem_rewards\"\n", "")],
        "[\n  { name = \"burn\"",
        "splits.action.creator_shortfall_to",
        "missing: the split has a leg that needs `creator_shortfall_to`",
    );
}

#[test]
fn pay_out_is_not_a_split_destination() {
    in_lam(
        &[(r#"dust_to = "unallocated""#, r#"dust_to = "pay_out""#)],
        r#""pay_out""#,
        "splits.action.dust_to",
        "`pay_out` is a reserved word",
    );
}

// ---- versions --------------------------------------------------------------

#[test]
fn version_of_an_unknown_split_or_the_numeraire() {
    in_lam(
        &[(r#"split = "action""#, r#"split = "actoin""#)],
        r#""actoin""#,
        "versions.LAM-1.split",
        "no split named `actoin` (splits: action)",
    );
    in_lam(
        &[(
            "token = \"LAM\"\nprice_usd = \"0.10\"",
            "token = \"USD\"\nprice_usd = \"0.10\"",
        )],
        "\"USD\"\nprice_usd",
        "versions.LAM-1.token",
        "`USD` is the numeraire, not a token",
    );
}

// ---- revenue ---------------------------------------------------------------

#[test]
fn revenue_parts_not_summing_to_100_percent() {
    in_lam(
        &[(
            r#"to = "operator_revenue", share = "20%""#,
            r#"to = "operator_revenue", share = "10%""#,
        )],
        "[\n  { name = \"buybacks\"",
        "revenue.subscriptions.parts",
        "shares must sum to exactly 100%, they sum to 90% (buybacks 80% + operator 10%)",
    );
}

#[test]
fn revenue_paid_to_burn_or_an_unknown_account() {
    in_lam(
        &[(r#"to = "operator_revenue""#, r#"to = "burn""#)],
        r#""burn", share = "20%""#,
        "revenue.subscriptions.parts[1].to",
        "`burn` is a reserved word",
    );
    in_lam(
        &[(r#"to = "operator_revenue""#, r#"to = "operator""#)],
        r#""operator", share"#,
        "revenue.subscriptions.parts[1].to",
        "no account named `operator`",
    );
}

#[test]
fn revenue_may_be_paid_out() {
    let text = edit(LAM, r#"to = "operator_revenue""#, r#"to = "pay_out""#);
    let loaded = compiles(FILE, &text);
    assert_eq!(loaded.economy.rules[0].parts[1].to, Payee::PayOut);
    assert_eq!(loaded.economy.rules[0].parts[1].name, "operator");
}

#[test]
fn empty_revenue_rule() {
    let text = edits(
        LAM,
        &[
            (
                "  { name = \"buybacks\", to = \"buyback_budget\", share = \"80%\" },\n",
                "",
            ),
            (
                "  { name = \"operator\", to = \"operator_revenue\", share = \"20%\" },\n",
                "",
            ),
        ],
    );
    let errors = errors(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for e in &errors {
        assert_at(e, at(&text, "[\n]"), "revenue.subscriptions.parts");
    }
}

// ---- plans -----------------------------------------------------------------

#[test]
fn plan_with_zero_period_or_a_full_discount() {
    in_lam(
        &[("period_days = 30", "period_days = 0")],
        "0\nversion",
        "plans.agent.period_days",
        "must be greater than zero",
    );
    in_lam(
        &[(r#"token_discount = "10%""#, r#"token_discount = "100%""#)],
        "\"100%\"\nescrow",
        "plans.agent.token_discount",
        "a plan paid in tokens cannot be free",
    );
}

#[test]
fn plan_of_unknown_names() {
    in_lam(
        &[(r#"version = "LAM-1""#, r#"version = "LAM-2""#)],
        r#""LAM-2""#,
        "plans.agent.version",
        "no version named `LAM-2` (versions: LAM-1)",
    );
    in_lam(
        &[(r#"revenue = "subscriptions""#, r#"revenue = "subs""#)],
        r#""subs""#,
        "plans.agent.revenue",
        "no revenue rule named `subs` (revenue: subscriptions)",
    );
    in_lam(
        &[(r#"funded_from = "fuel""#, r#"funded_from = "fule""#)],
        r#""fule""#,
        "plans.agent.funded_from",
        "no account named `fule`",
    );
    in_lam(
        &[(r#"escrow = "escrow""#, r#"escrow = "burn""#)],
        r#""burn"
revenue"#,
        "plans.agent.escrow",
        "reserved word",
    );
}

#[test]
fn plan_without_period_days_defaults_to_30() {
    let text = edit(LAM, "period_days = 30\n", "");
    assert_eq!(compiles(FILE, &text).economy.plans[0].period_days, 30);
}

// ---- buybacks --------------------------------------------------------------

#[test]
fn unknown_market_in_a_venue() {
    in_lam(
        &[(
            r#"{ market = "otc", weight = "100%" }"#,
            r#"{ market = "otcc", weight = "100%" }"#,
        )],
        r#""otcc""#,
        "buybacks.subscription_revenue.venues[0].market",
        "no market named `otcc` (markets: lam_usd, otc)",
    );
}

#[test]
fn venue_weights_not_summing_to_100_percent() {
    in_lam(
        &[(
            r#"venues = [{ market = "otc", weight = "100%" }]"#,
            r#"venues = [{ market = "otc", weight = "60%" }, { market = "lam_usd", weight = "30%" }]"#,
        )],
        r#"[{ market = "otc", weight = "60%""#,
        "buybacks.subscription_revenue.venues",
        "venue weights must sum to exactly 100%, they sum to 90% (otc 60% + lam_usd 30%)",
    );
}

#[test]
fn routing_buybacks_to_the_pool_compiles() {
    let text = edit(
        LAM,
        r#"venues = [{ market = "otc", weight = "100%" }]"#,
        r#"venues = [{ market = "lam_usd", weight = "50%" }, { market = "otc", weight = "50%", cap_per_day = "10_000" }]
max_impact = "2%"
max_spend_per_day = "100_000""#,
    );
    let loaded = compiles(FILE, &text);
    let program = &loaded.economy.buybacks[0];
    assert_eq!(program.venues[1].cap_per_step, Some(10_000_000_000));
    assert_eq!(program.max_spend_per_step, Some(100_000_000_000));
}

#[test]
fn one_market_twice_in_a_program() {
    in_lam(
        &[(
            r#"venues = [{ market = "otc", weight = "100%" }]"#,
            r#"venues = [{ market = "otc", weight = "50%" }, { market = "otc", weight = "50%" }]"#,
        )],
        r#""otc", weight = "50%" }]"#,
        "buybacks.subscription_revenue.venues[1].market",
        "each market at most once per program",
    );
}

#[test]
fn venue_that_cannot_fill_the_program() {
    // A pool that does not trade the paid asset for the token.
    in_fixture(
        &[(
            r#"{ market = "net_usd", weight"#,
            r#"{ market = "ast_net", weight"#,
        )],
        r#""ast_net", weight"#,
        "buybacks.net.venues[0].market",
        "the pool does not trade the paid asset for the token",
    );
    // Paying with the token bought.
    let text = edit(LAM, "pay = \"USD\"\n", "pay = \"LAM\"\n");
    let errors = errors(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_at(
        &errors[0],
        at(&text, "\"LAM\"\nvenues"),
        "buybacks.subscription_revenue.token",
    );
    assert!(errors[0].message.contains("other than the one paid"));
    assert_at(
        &errors[1],
        at(&text, r#""otc", weight = "100%""#),
        "buybacks.subscription_revenue.venues[0].market",
    );
    assert!(errors[1].message.contains("for the numeraire only"));
}

#[test]
fn buyback_guards() {
    in_fixture(
        &[(r#"max_impact = "2%""#, r#"max_impact = "0%""#)],
        r#""0%""#,
        "buybacks.net.max_impact",
        "must be greater than zero",
    );
    in_fixture(
        &[(
            r#"cap_per_day = "1_000""#,
            r#"cap_per_day = "1_000.0000001""#,
        )],
        r#""1_000.0000001""#,
        "buybacks.net.venues[0].cap_per_day",
        "6 decimal places",
    );
    let text = edit(
        LAM,
        r#"venues = [{ market = "otc", weight = "100%" }]"#,
        "venues = []",
    );
    let errors = errors(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for e in &errors {
        assert_at(e, at(&text, "[]"), "buybacks.subscription_revenue.venues");
    }
}

#[test]
fn buyback_of_unknown_names() {
    in_lam(
        &[("pay = \"USD\"", "pay = \"EUR\"")],
        r#""EUR""#,
        "buybacks.subscription_revenue.pay",
        "no asset named `EUR`",
    );
    in_lam(
        &[(r#"budget = "buyback_budget""#, r#"budget = "budget""#)],
        r#""budget""#,
        "buybacks.subscription_revenue.budget",
        "no account named `budget`",
    );
}

// ---- sales and redemptions -------------------------------------------------

#[test]
fn sale_at_zero_or_of_unknown_names() {
    in_fixture(
        &[(r#"price_usd = "0.10""#, r#"price_usd = "0""#)],
        r#""0""#,
        "sales.AST.price_usd",
        "must be greater than zero",
    );
    in_fixture(
        &[(r#"revenue = "purchases""#, r#"revenue = "sales""#)],
        r#""sales""#,
        "sales.AST.revenue",
        "no revenue rule named `sales`",
    );
    in_fixture(
        &[(
            "token = \"AST\"\nprice_usd = \"0.10\"",
            "token = \"USDX\"\nprice_usd = \"0.10\"",
        )],
        "\"USDX\"\nprice_usd",
        "sales.AST.token",
        "is the numeraire, not a token",
    );
}

#[test]
fn redemption_of_unknown_names() {
    in_fixture(
        &[(r#"to = "redeemed""#, r#"to = "nowhere""#)],
        r#""nowhere""#,
        "redemptions.compute_hour.to",
        "no account named `nowhere`",
    );
    in_fixture(
        &[("token = \"AST\"\nto =", "token = \"ASTT\"\nto =")],
        r#""ASTT""#,
        "redemptions.compute_hour.token",
        "no asset named `ASTT`",
    );
}
