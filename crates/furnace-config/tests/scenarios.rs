//! Scenario files: the bundled ones load against the migrated economy, and
//! `[economy_set]` overrides economy keys from inside a scenario, with its
//! errors on the scenario's lines.

mod common;

use common::{at, load, repo};
use furnace_config::{ConfigError, ConfigErrors, Scenario};
use furnace_core::economy::Oracle;
use furnace_core::ids::MarketId;
use std::path::{Path, PathBuf};

/// A scenario on the real lam.toml, with `extra` appended, written to a
/// fresh file.
fn scenario_file(name: &str, extra: &str) -> (PathBuf, String) {
    let text = format!(
        "name = \"t\"\neconomy = {:?}\ndays = 10\nversion = \"LAM-1\"\n\n[price]\nmodel = \"constant\"\nstart_usd = \"0.01\"\n\n[demand]\nmodel = \"constant\"\nactions_per_day = 100\nmarketplace_share = \"50%\"\n{extra}",
        repo("economies/lam.toml").display().to_string()
    );
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("scenario-{name}.toml"));
    std::fs::write(&path, &text).unwrap();
    (path, text)
}

fn only(result: Result<Scenario, ConfigErrors>) -> ConfigError {
    match result {
        Ok(_) => panic!("the scenario loaded"),
        Err(ConfigErrors(errors)) => {
            assert_eq!(errors.len(), 1, "{errors:#?}");
            errors.into_iter().next().unwrap()
        }
    }
}

#[test]
fn bundled_scenarios_load() {
    for name in ["lam-baseline", "lam-volatile"] {
        let path = repo(&format!("scenarios/{name}.toml"));
        let s = load(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.economy.economy.name, "LAM");
        assert_eq!(s.version, s.economy.economy.version_by_name("LAM-1"));
        assert_eq!(
            Some(s.emissions.to),
            s.economy.economy.account_by_name("training_rewards")
        );
    }
    let s = load(&repo("scenarios/lam-baseline.toml"), &[]).unwrap();
    let drivers = s.subscriptions.expect("the baseline subscribes agents");
    assert_eq!(Some(drivers.plan), s.economy.economy.plan_by_name("agent"));
}

#[test]
fn economy_set_overrides_the_economy() {
    let (path, _) = scenario_file(
        "set",
        "\n[economy_set]\n\"tokens.LAM.oracle\" = { spot = \"lam_usd\" }\n\"splits.action.legs[0].share\" = \"30%\"\n\"splits.action.legs[2].share\" = \"37%\"\n",
    );
    let s = load(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
    let e = &s.economy.economy;
    assert_eq!(e.oracles[1], Oracle::Spot(MarketId(0)));
    assert_eq!(e.splits[0].legs[0].share.0, 300_000);
    assert!(s
        .economy
        .source
        .overrides
        .contains(&("tokens.LAM.oracle".into(), "{ spot = \"lam_usd\" }".into())));

    // The command line's `economy.` sets apply after the scenario's.
    let s = load(&path, &[("economy.tokens.LAM.oracle", "exogenous")]).unwrap();
    assert_eq!(s.economy.economy.oracles[1], Oracle::Exogenous);
}

#[test]
fn economy_set_key_errors_point_at_the_scenario() {
    let (path, text) = scenario_file("badkey", "\n[economy_set]\n\"tokens.LAM.oracle[0]\" = 1\n");
    let e = only(load(&path, &[]));
    assert_eq!(e.file, path);
    assert_eq!((e.line, e.column), {
        let (l, c) = at(&text, "\"tokens.LAM.oracle[0]\"");
        (Some(l), Some(c))
    });
    assert_eq!(e.key, "economy_set.\"tokens.LAM.oracle[0]\"");
    assert!(e.message.contains("cannot index [0]"), "{e}");
}

#[test]
fn economy_set_values_the_economy_refuses_point_at_the_scenario() {
    let (path, text) = scenario_file(
        "badvalue",
        "\n[economy_set]\n\"tokens.LAM.oracle\" = { spot = \"otc\" }\n",
    );
    let e = only(load(&path, &[]));
    let (line, column) = at(&text, "\"tokens.LAM.oracle\"");
    assert_eq!(
        (e.file.clone(), e.line, e.column),
        (path, Some(line), Some(column))
    );
    assert_eq!(e.key, "economy_set.\"tokens.LAM.oracle\"");
    assert!(e.message.contains("economies/lam.toml:"), "{e}");
    assert!(
        e.message.contains("`tokens.LAM.oracle`: must name a pool"),
        "{e}"
    );
}

#[test]
fn economy_set_needs_quoted_dotted_keys() {
    let (path, text) = scenario_file(
        "nested",
        "\n[economy_set]\ntokens.LAM.oracle = { spot = \"lam_usd\" }\n",
    );
    let e = only(load(&path, &[]));
    assert_eq!(e.line, Some(at(&text, "tokens.LAM.oracle =").0));
    assert!(e.message.contains("in quotes"), "{e}");
}

#[test]
fn command_line_economy_sets_are_named_in_errors() {
    let (path, _) = scenario_file("cli", "");
    let e = only(load(
        &path,
        &[("economy.tokens.LAM.oracle", "{ spot = \"otc\" }")],
    ));
    assert_eq!((e.line, e.column), (None, None));
    assert_eq!(
        e.to_string(),
        "--set economy.tokens.LAM.oracle={ spot = \"otc\" }: `tokens.LAM.oracle`: must name a pool that trades this token"
    );
    let e = only(load(&path, &[("economy.versions.LAM-1.split[0]", "x")]));
    assert_eq!(
        e.to_string(),
        "--set economy.versions.LAM-1.split[0]=x: `economy.versions.LAM-1.split[0]`: cannot index [0]: not an array"
    );
}

#[test]
fn scenario_names_resolve_against_the_economy() {
    let (path, text) = scenario_file(
        "names",
        "\n[subscriptions]\nplan = \"agnet\"\n\n[emissions]\nmodel = \"constant\"\nper_day = \"1\"\nto = \"nobody\"\n",
    );
    let ConfigErrors(errors) = load(&path, &[]).expect_err("unknown names");
    let located: Vec<(Option<usize>, &str)> =
        errors.iter().map(|e| (e.line, e.key.as_str())).collect();
    assert!(located.contains(&(Some(at(&text, "\"agnet\"").0), "subscriptions.plan")));
    assert!(located.contains(&(Some(at(&text, "\"nobody\"").0), "emissions.to")));
}

#[test]
fn the_demand_market_must_exist_and_sell_the_token() {
    let (path, text) = scenario_file("market-unknown", "market = \"lam_pool\"\n");
    let e = only(load(&path, &[]));
    assert_eq!((e.line, e.column), {
        let (l, c) = at(&text, "\"lam_pool\"");
        (Some(l), Some(c))
    });
    assert_eq!(e.key, "demand.market");
    assert!(
        e.message
            .contains("no market `lam_pool` (markets: lam_usd, otc)"),
        "{}",
        e.message
    );

    let (path, _) = scenario_file("market-ok", "market = \"lam_usd\"\n");
    let s = load(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.demand_market, s.economy.economy.market_by_name("lam_usd"));
}

#[test]
fn holders_sell_fractions_on_a_market_of_their_token() {
    let (path, _) = scenario_file(
        "holders",
        "\n[holders]\nmarket = \"lam_usd\"\ncreators = \"50%\"\naccounts = \"0%\"\n",
    );
    let s = load(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.holders.creators.0, 500_000);
    assert_eq!(s.holders.accounts.0, 0);
    assert_eq!(s.holders.emissions.0, 1_000_000);
    let (path, text) = scenario_file("holders-bad", "\n[holders]\ncreators = \"0.5\"\n");
    let e = only(load(&path, &[]));
    assert_eq!(e.key, "holders.creators");
    assert_eq!(e.line, Some(at(&text, "\"0.5\"").0));
}

#[test]
fn sales_grow_exactly_and_need_a_sale() {
    // AST's report: 1,197 tokens, x3, x3, then x2.
    let text = format!(
        "name = \"t\"\neconomy = {:?}\ndays = 5\n\n[price]\nmodel = \"constant\"\nstart_usd = \"0.10\"\n\n[sales]\nsale = \"AST\"\nfirst_step = 1_197\ngrowth = [\"200%\", \"200%\", \"100%\"]\nredemption = \"compute_hour\"\n",
        repo("economies/ast.toml").display().to_string()
    );
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scenario-sales.toml");
    std::fs::write(&path, &text).unwrap();
    let s = load(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
    let sales = s.sales.expect("sales");
    // 6 decimals: 1,197 / 3,591 / 10,773 / 21,546 / 43,092 whole tokens.
    assert_eq!(
        sales.tokens_per_step,
        [1_197u128, 3_591, 10_773, 21_546, 43_092]
            .map(|n| n * 1_000_000)
            .to_vec()
    );
    assert_eq!(s.version, None);
    assert_eq!(Some(s.token), s.economy.economy.asset_by_name("AST"));

    let bad = text
        .replace("sale = \"AST\"", "sale = \"ASX\"")
        .replace("\"200%\", \"200%\"", "\"200\", \"200%\"");
    std::fs::write(&path, &bad).unwrap();
    let errors = match load(&path, &[]) {
        Err(ConfigErrors(errors)) => errors,
        Ok(_) => panic!("loaded"),
    };
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert!(keys.contains(&"sales.sale"), "{errors:#?}");
    // Growth that overflows 128 bits is an error at the sale, not a wrap:
    // 10^32 whole tokens are 10^38 base units (u128 holds 3.4 x 10^38);
    // tripled, 3 x 10^38 still fits; tripled again it does not: step 3.
    let huge = text.replace(
        "first_step = 1_197",
        "first_step = \"100000000000000000000000000000000\"",
    );
    std::fs::write(&path, &huge).unwrap();
    let e = only(load(&path, &[]));
    assert_eq!(e.key, "sales.growth");
    assert!(e.message.contains("overflow by step 3"), "{}", e.message);
    let missing = text.replace("[sales]", "[sales_]");
    std::fs::write(&path, &missing).unwrap();
    assert!(load(&path, &[]).is_err());
}

#[test]
fn buyback_spread_must_be_positive() {
    let (path, text) = scenario_file("spread", "\n[buybacks]\nspread_days = 0\n");
    let e = only(load(&path, &[]));
    assert_eq!(e.key, "buybacks.spread_days");
    assert_eq!(e.line, Some(at(&text, "spread_days").0));
}

/// `[trainers] pool`: a points pool of the economy paying in the trainers
/// leg's token; anything else is refused at `trainers.pool`.
#[test]
fn pooled_trainers_name_a_points_pool() {
    let pool = |extra: &[(&'static str, &'static str)]| {
        let mut sets = vec![
            ("economy.reward_pools.trainers_pool.reward", "LAM"),
            ("economy.reward_pools.trainers_pool.points", "true"),
            ("economy.reward_pools.trainers_pool.empty_to", "ecosystem"),
            ("economy.reward_pools.trainers_pool.dust_to", "unallocated"),
            ("economy.splits.action.legs[2].share", "28%"),
            ("economy.splits.action.legs[3].share", "5%"),
            ("trainers.trainers", "10"),
            ("trainers.path_share", "30%"),
        ];
        sets.extend_from_slice(extra);
        load(&repo("scenarios/lam-baseline.toml"), &sets)
    };
    let s = pool(&[("trainers.pool", "trainers_pool")]).unwrap_or_else(|e| panic!("{e}"));
    let id = s.economy.economy.reward_pool_by_name("trainers_pool");
    assert_eq!(s.trainers.unwrap().pool, id);
    assert_eq!(pool(&[]).unwrap().trainers.unwrap().pool, None);

    let refused = |extra: &[(&'static str, &'static str)], says: &str| {
        let errors = pool(extra).unwrap_err();
        let text = errors.to_string();
        assert!(
            text.contains("trainers.pool") && text.contains(says),
            "{text}"
        );
    };
    refused(
        &[("trainers.pool", "nobody")],
        "no reward pool named `nobody` (reward pools: training_points, trainers_pool)",
    );
    refused(
        &[
            ("economy.reward_pools.trainers_pool.reward", "USD"),
            ("trainers.pool", "trainers_pool"),
        ],
        "pays in USD, but the trainers leg pays in LAM",
    );
    refused(
        &[
            ("economy.reward_pools.trainers_pool.points", "false"),
            ("economy.reward_pools.trainers_pool.stake", "LAM"),
            ("trainers.pool", "trainers_pool"),
        ],
        "is a stake pool",
    );
}
