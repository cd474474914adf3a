//! Declaration order gives ids (what event logs rely on), and the bundled
//! LAM economy compiles to the figures its comments cite.

mod common;

use common::*;
use furnace_core::economy::{
    Destination, LegKind, MarketKind, Oracle, Payee, MAX_NUMERAIRE_DECIMALS,
};
use furnace_core::ids::{
    AccountId, AssetId, MarketId, PlanId, ProgramId, RuleId, SplitId, VersionId,
};
use furnace_core::units::{pow10, Ppm};

/// A minimal economy declaring everything in anti-alphabetical order.
const ZETA_FIRST: &str = r#"name = "order"
numeraire = "ZUSD"

[tokens.ZUSD]
decimals = 6
[tokens.BETA]
[tokens.ALPHA]

[accounts.zeta]
[accounts.alpha]

[markets.zz]
kind = "external"
token = "BETA"
account = "zeta"
[markets.aa]
kind = "external"
token = "ALPHA"
account = "alpha"

[versions.z-1]
token = "BETA"
price_usd = "1"
split = "zsplit"
[versions.a-1]
token = "ALPHA"
price_usd = "1"
split = "asplit"

[splits.zsplit]
legs = [{ name = "burn", to = "burn", share = "100%" }]
dust_to = "burn"
[splits.asplit]
legs = [{ name = "zeta", to = "zeta", share = "100%" }]
dust_to = "zeta"

[revenue.zrule]
parts = [{ to = "zeta", share = "100%" }]
[revenue.arule]
parts = [{ to = "pay_out", share = "100%" }]

[plans.zplan]
price_usd = "10"
actions_included = 10
version = "z-1"
token = "BETA"
token_discount = "0%"
escrow = "zeta"
revenue = "arule"
[plans.aplan]
price_usd = "10"
actions_included = 10
version = "a-1"
token = "ALPHA"
token_discount = "0%"
escrow = "alpha"
revenue = "zrule"

[buybacks.zb]
budget = "zeta"
token = "BETA"
venues = [{ market = "zz", weight = "100%" }]
destination = "burn"
[buybacks.ab]
budget = "alpha"
token = "ALPHA"
venues = [{ market = "aa", weight = "100%" }]
destination = "alpha"
"#;

#[test]
fn declaration_order_gives_ids() {
    let loaded = compiles("order.toml", ZETA_FIRST);
    let e = &loaded.economy;
    assert_eq!(e.account_by_name("zeta"), Some(AccountId(0)));
    assert_eq!(e.account_by_name("alpha"), Some(AccountId(1)));
    assert_eq!(e.asset_by_name("ZUSD"), Some(AssetId(0)));
    assert_eq!(e.asset_by_name("BETA"), Some(AssetId(1)));
    assert_eq!(e.asset_by_name("ALPHA"), Some(AssetId(2)));
    assert_eq!(e.numeraire, AssetId(0));
    assert_eq!(e.market_by_name("zz"), Some(MarketId(0)));
    assert_eq!(e.market_by_name("aa"), Some(MarketId(1)));
    assert_eq!(e.version_by_name("z-1"), Some(VersionId(0)));
    assert_eq!(e.version_by_name("a-1"), Some(VersionId(1)));
    assert_eq!(e.splits[0].name, "zsplit");
    assert_eq!(e.versions[1].split, SplitId(1));
    assert_eq!(e.rule_by_name("zrule"), Some(RuleId(0)));
    assert_eq!(e.rule_by_name("arule"), Some(RuleId(1)));
    assert_eq!(e.plan_by_name("zplan"), Some(PlanId(0)));
    assert_eq!(e.plan_by_name("aplan"), Some(PlanId(1)));
    assert_eq!(e.plans[0].revenue, RuleId(1));
    assert_eq!(e.program_by_name("zb"), Some(ProgramId(0)));
    assert_eq!(e.program_by_name("ab"), Some(ProgramId(1)));
    // References resolve to the declared ids, not to sorted positions.
    assert_eq!(e.splits[1].legs[0].kind, LegKind::Account(AccountId(0)));
    assert_eq!(
        e.buybacks[1].destination,
        Destination::Account(AccountId(1))
    );
    assert_eq!(
        e.buybacks[0].pay,
        AssetId(0),
        "pay defaults to the numeraire"
    );
    assert_eq!(e.rules[1].parts[0].to, Payee::PayOut);
    assert_eq!(
        e.rules[0].parts[0].name, "zeta",
        "a part's name defaults to its `to`"
    );
    assert_eq!(e.plans[0].period_days, 30, "period_days defaults to 30");
    assert_eq!(e.assets[1].decimals, 18, "decimals default to 18");
}

#[test]
fn appending_declarations_keeps_existing_ids() {
    let before = compiles("order.toml", ZETA_FIRST);
    let text = edits(
        ZETA_FIRST,
        &[
            (
                "[accounts.alpha]\n",
                "[accounts.alpha]\n[accounts.aardvark]\n",
            ),
            ("[tokens.ALPHA]\n", "[tokens.ALPHA]\n[tokens.AAA]\n"),
        ],
    );
    let after = compiles("order.toml", &text);
    for name in ["zeta", "alpha"] {
        assert_eq!(
            before.economy.account_by_name(name),
            after.economy.account_by_name(name)
        );
    }
    for name in ["ZUSD", "BETA", "ALPHA"] {
        assert_eq!(
            before.economy.asset_by_name(name),
            after.economy.asset_by_name(name)
        );
    }
    assert_eq!(
        after.economy.account_by_name("aardvark"),
        Some(AccountId(2))
    );
    assert_eq!(after.economy.asset_by_name("AAA"), Some(AssetId(3)));
}

#[test]
fn lam_declares_usd_then_lam_and_its_accounts_in_file_order() {
    let loaded = compiles(FILE, LAM);
    let e = &loaded.economy;
    let usd = e.asset_by_name("USD").unwrap();
    let lam = e.asset_by_name("LAM").unwrap();
    assert_eq!((usd, lam), (AssetId(0), AssetId(1)));
    assert_eq!(e.numeraire, usd);
    assert_eq!(e.assets[0].decimals, 6);
    assert!(e.assets[0].decimals <= MAX_NUMERAIRE_DECIMALS);
    assert_eq!(e.assets[1].decimals, 18);
    assert_eq!(e.oracles, vec![Oracle::Exogenous, Oracle::Exogenous]);
    let accounts: Vec<&str> = e.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(accounts[0], "market");
    assert_eq!(accounts.last(), Some(&"liquidity"), "appended last");
    assert_eq!(e.market_by_name("lam_usd"), Some(MarketId(0)));
    assert_eq!(e.market_by_name("otc"), Some(MarketId(1)));
}

#[test]
fn lam_supply_pool_and_programs_are_the_cited_figures() {
    let loaded = compiles(FILE, LAM);
    let e = &loaded.economy;
    let (usd, lam) = (AssetId(0), AssetId(1));
    let whole_lam = pow10(18);
    let liquidity = e.account_by_name("liquidity").unwrap();
    let MarketKind::Pool {
        assets,
        fee,
        genesis,
        lp_to,
    } = &e.markets[0].kind
    else {
        panic!("lam_usd is a pool");
    };
    assert_eq!(*assets, [lam, usd]);
    assert_eq!(*genesis, [50_000_000 * whole_lam, 5_000_000 * pow10(6)]);
    assert_eq!(*fee, Ppm(3_000));
    assert_eq!(*lp_to, liquidity);
    assert_eq!(
        e.markets[1].kind,
        MarketKind::External {
            token: lam,
            account: e.account_by_name("market").unwrap()
        }
    );

    // All of the public docs' 1,000,000,000 LAM, exactly, at genesis.
    let in_accounts: u128 = e
        .genesis
        .iter()
        .filter(|(asset, _, _)| *asset == lam)
        .map(|(_, _, amount)| amount)
        .sum();
    assert_eq!(in_accounts + genesis[0], 10u128.pow(27));
    // No cap: seed 001's emissions mint beyond genesis (see lam.toml).
    assert_eq!(e.assets[1].max_supply, None);
    // No USD but the pool's.
    assert!(e.genesis.iter().all(|(asset, _, _)| *asset != usd));

    let plan = &e.plans[0];
    assert_eq!(plan.name, "agent");
    assert_eq!(plan.price, 1_000 * pow10(6));
    assert_eq!(plan.token, lam);
    assert_eq!(plan.token_discount, Ppm(100_000));
    assert_eq!(plan.funded_from, e.account_by_name("fuel"));
    assert_eq!(e.rule(plan.revenue).name, "subscriptions");
    assert_eq!(
        e.rule_share_to(plan.revenue, e.account_by_name("buyback_budget").unwrap()),
        Ppm(800_000)
    );
    let program = &e.buybacks[0];
    assert_eq!((program.pay, program.token), (usd, lam));
    assert_eq!(program.venues.len(), 1);
    assert_eq!(program.venues[0].market, MarketId(1), "otc");
    assert_eq!(program.venues[0].weight, Ppm::ONE);
    assert_eq!(
        program.destination,
        Destination::Account(e.account_by_name("fuel").unwrap())
    );
    assert_eq!(e.versions[0].price, 100_000, "$0.10 in micro-dollars");
}

#[test]
fn the_fixture_compiles_with_its_oracle_chain() {
    let loaded = compiles(FIXTURE_FILE, FIXTURE);
    let e = &loaded.economy;
    assert_eq!(e.oracles[1], Oracle::Spot(MarketId(0)));
    assert_eq!(
        e.oracles[2],
        Oracle::Twap {
            market: MarketId(1),
            window: 7
        }
    );
    assert_eq!(e.sales[0].price, 100_000);
    assert_eq!(e.buybacks[0].venues[0].cap_per_step, Some(1_000 * pow10(6)));
    assert_eq!(e.buybacks[0].max_spend_per_step, Some(5_000 * pow10(6)));
    assert_eq!(e.buybacks[0].max_impact, Some(Ppm(20_000)));
    assert_eq!(e.assets[1].max_supply, Some(1_000_000 * pow10(18)));
    assert_eq!(
        e.redemptions[0].destination,
        Destination::Account(AccountId(2))
    );
}
