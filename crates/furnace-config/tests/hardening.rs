//! Config errors a user can trust: every problem in one pass and in line
//! order, in words; `--set` errors named by their `--set`; ranges checked
//! where read; keys that do not apply refused; files of the wrong kind
//! named; dotted names located; reads bounded. Each test asserts exact
//! messages and positions.

mod common;

use common::*;
use furnace_config::economy::{MAX_GENESIS_UNITS, MAX_PRICE_USD};
use furnace_config::scenario::{
    DemandPath, EmissionSchedule, MAX_ACTIONS_PER_DAY, MAX_AGENTS, MAX_EMITTED_UNITS, MAX_SIGMA,
    MAX_TOKEN_PRICE_USD,
};
use furnace_config::source::MAX_FILE_BYTES;
use furnace_config::{
    check_kind, compile_economy, detect_kind, load_any_economy, load_economy, load_scenario,
    ConfigError, ConfigErrors, FileKind, Source,
};
use std::path::{Path, PathBuf};

/// `(line:col, key, message)` of each error, in the order reported.
fn listed(errors: &[ConfigError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{l}:{c} {} | {}", e.key, e.message),
            _ => e.to_string(),
        })
        .collect()
}

fn pos(text: &str, needle: &str) -> String {
    let (l, c) = at(text, needle);
    format!("{l}:{c}")
}

const BASELINE_HEAD: &str =
    "name = \"t\"\neconomy = \"ECONOMY\"\ndays = 365\nversion = \"LAM-1\"\n";

/// A scenario on the real lam.toml (`ECONOMY` in `text` is its path),
/// written to a fresh file.
fn scenario_file(name: &str, text: &str) -> (PathBuf, String) {
    let economy = repo("economies/lam.toml").display().to_string();
    let text = text.replace("ECONOMY", &economy);
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hardening-{name}.toml"));
    std::fs::write(&path, &text).unwrap();
    (path, text)
}

/// A scenario with a constant price and demand, plus `extra`.
fn simple_scenario(name: &str, extra: &str) -> (PathBuf, String) {
    scenario_file(
        name,
        &format!(
            "{BASELINE_HEAD}\n[price]\nmodel = \"constant\"\nstart_usd = \"0.01\"\n\n[demand]\nmodel = \"constant\"\nactions_per_day = 100\nmarketplace_share = \"50%\"\n{extra}"
        ),
    )
}

fn scenario_errors(path: &Path, sets: &[(&str, &str)]) -> Vec<ConfigError> {
    match load(path, sets) {
        Ok(_) => panic!("the scenario loaded"),
        Err(ConfigErrors(errors)) => errors,
    }
}

fn one_scenario_error(path: &Path, sets: &[(&str, &str)]) -> String {
    let errors = scenario_errors(path, sets);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors[0].to_string()
}

// ---- 1. every problem in one pass, in line order --------------------------

#[test]
fn every_problem_of_an_economy_is_reported_in_one_pass_in_line_order() {
    let text = edits(
        LAM,
        &[
            ("[tokens.USD]\ndecimals = 6", "[tokens.USD]\ndecimal = 6"),
            ("decimals = 18", "decimals = \"x\""),
            (
                "price_usd = \"0.10\"\nsplit = \"action\"\n",
                "price_usd = \"abc\"\n",
            ),
            (
                r#"{ name = "creator", to = "creator", share = "33%" }"#,
                r#"{ name = "creator", to = "creator", share = "34%" }"#,
            ),
            ("actions_included = 150_000", "actions_included = [1]"),
        ],
    );
    let errors = errors(&text);
    assert_eq!(
        listed(&errors),
        [
            format!(
                "{} tokens.USD.decimal | unknown key; did you mean `decimals`? (a token takes decimals, max_supply, oracle, description)",
                pos(&text, "decimal =")
            ),
            format!(
                "{} tokens.LAM.decimals | expected a whole number from 0 to 255, found the string \"x\"",
                pos(&text, "\"x\"")
            ),
            format!(
                "{} versions.LAM-1.split | missing: a version needs `split`",
                pos(&text, "LAM-1]")
            ),
            format!(
                "{} versions.LAM-1.price_usd | `abc` is not a valid amount: not a decimal number",
                pos(&text, "\"abc\"")
            ),
            format!(
                "{} splits.action.legs | leg shares must sum to exactly 100%, they sum to 101% (burn 34% + creator 34% + ecosystem 33% + trainers 0%)",
                pos(&text, "[\n  { name = \"burn\"")
            ),
            format!(
                "{} plans.agent.actions_included | expected a whole number from 0 to 9223372036854775807, found an array",
                pos(&text, "[1]")
            ),
        ]
    );
}

#[test]
fn wrong_shapes_are_said_in_words() {
    let text = edits(
        LAM,
        &[
            ("[tokens.USD]\ndecimals = 6", "[tokens.USD]\ndecimals = 6.5"),
            (
                r#"venues = [{ market = "otc", weight = "100%" }]"#,
                r#"venues = "otc""#,
            ),
            (
                r#"  { name = "trainers", to = "trainers", share = "0%" },"#,
                "  7,",
            ),
            (r#"name = "LAM""#, "name = [\"LAM\"]"),
        ],
    );
    let errors = errors(&text);
    assert_eq!(
        listed(&errors),
        [
            format!(
                "{} name | expected a string in quotes, found an array",
                pos(&text, "[\"LAM\"]")
            ),
            format!(
                "{} tokens.USD.decimals | expected a whole number from 0 to 255, found 6.5",
                pos(&text, "6.5")
            ),
            format!(
                "{} splits.action.legs[3] | expected a table, found 7",
                pos(&text, "7,")
            ),
            format!(
                "{} buybacks.subscription_revenue.venues | expected an array of tables, found the string \"otc\"",
                pos(&text, "\"otc\"\n")
            ),
        ]
    );
    for e in &errors {
        for rust in ["u8", "struct", "Raw", "invalid type"] {
            assert!(!e.message.contains(rust), "{e}");
        }
    }
}

#[test]
fn a_bad_price_does_not_hide_a_split_that_sums_to_101_percent() {
    let text = edits(
        LAM,
        &[
            (
                "price_usd = \"0.10\"\nsplit",
                "price_usd = \"ten cents\"\nsplit",
            ),
            (r#"share = "34%""#, r#"share = "35%""#),
            // A venue weight and a revenue part off too.
            (r#"weight = "100%""#, r#"weight = "90%""#),
            (r#"share = "20%""#, r#"share = "21%""#),
            // And a rule the core checks: a full discount.
            (r#"token_discount = "10%""#, r#"token_discount = "100%""#),
        ],
    );
    let keys: Vec<String> = errors(&text).into_iter().map(|e| e.key).collect();
    assert_eq!(
        keys,
        [
            "versions.LAM-1.price_usd",
            "splits.action.legs",
            "revenue.subscriptions.parts",
            "buybacks.subscription_revenue.venues",
        ]
    );
    // Without the bad price the economy converts, so the core's rules run
    // as well: the full discount is reported with the sums.
    let text = edit(&text, "\"ten cents\"", "\"0.10\"");
    let keys: Vec<String> = errors(&text).into_iter().map(|e| e.key).collect();
    assert_eq!(
        keys,
        [
            "splits.action.legs",
            "revenue.subscriptions.parts",
            "plans.agent.token_discount",
            "buybacks.subscription_revenue.venues",
        ]
    );
}

#[test]
fn every_problem_of_a_scenario_is_reported_in_one_pass() {
    let (path, text) = scenario_file(
        "one-pass",
        &format!(
            "{BASELINE_HEAD}seeed = 3\n\n[price]\nmodel = \"constant\"\nstart_usd = \"0.01\"\nannual_volatility = \"50%\"\n\n[demand]\nmodel = \"constant\"\nactions_per_day = \"many\"\nmarketplace_share = \"50%\"\nnoise = \"-5%\"\n\n[subscriptions]\nplan = \"agent\"\nusd_agents = 4294967295\n"
        ),
    );
    let errors = scenario_errors(&path, &[]);
    assert_eq!(
        listed(&errors),
        [
            format!(
                "{} seeed | unknown key; did you mean `seed`? (a scenario takes name, description, economy, days, seed, version, price, demand, sales, buybacks, emissions, subscriptions, holders, trainers, training, burns, shocks, detectors, economy_set, launches, token, rewards)",
                pos(&text, "seeed")
            ),
            format!(
                "{} price.annual_volatility | applies only to model \"gbm\"; this price model is \"constant\"",
                pos(&text, "annual_volatility")
            ),
            format!(
                "{} demand.actions_per_day | expected a whole number from 0 to 1000000000000, found the string \"many\"",
                pos(&text, "\"many\"")
            ),
            format!(
                "{} demand.noise | must be from 0% to 1000%, found -5%",
                pos(&text, "\"-5%\"")
            ),
            format!(
                "{} subscriptions.usd_agents | expected a whole number from 0 to 1000000, found 4294967295",
                pos(&text, "4294967295")
            ),
        ]
    );
}

// ---- 2. --set errors name the --set ----------------------------------------

#[test]
fn set_errors_name_the_set_never_a_line() {
    let baseline = repo("scenarios/lam-baseline.toml");
    let e = one_scenario_error(&baseline, &[("foo", "1")]);
    assert!(
        e.starts_with("--set foo=1: `foo`: unknown key (a scenario takes name, "),
        "{e}"
    );
    assert_eq!(
        one_scenario_error(&baseline, &[("demand.noise", "abc")]),
        "--set demand.noise=abc: `demand.noise`: `abc` is not a number"
    );
    assert_eq!(
        one_scenario_error(&baseline, &[("economy.plans.agent.price_usd", "9223372036854775807")]),
        "--set economy.plans.agent.price_usd=9223372036854775807: `plans.agent.price_usd`: must be at most 1000000000 USD (10^15 base units at 6 decimals), found 9223372036854775807"
    );
    // A share list whose sum a set share broke is the set's.
    assert_eq!(
        one_scenario_error(&baseline, &[("economy.splits.action.legs[0].share", "30%")]),
        "--set economy.splits.action.legs[0].share=30%: `splits.action.legs`: leg shares must sum to exactly 100%, they sum to 96% (burn 30% + creator 33% + ecosystem 33% + trainers 0%)"
    );
    // Errors without a line (the sets') come first, then the file's in
    // order, each at its own unchanged line: a set key added to the file
    // shifts no line.
    let (path, text) = simple_scenario("set-and-file", "noise = \"-5%\"\n");
    let errors = scenario_errors(&path, &[("foo", "1"), ("price.model", "gbm")]);
    assert_eq!(
        listed(&errors),
        [
            errors[0].to_string(),
            "--set price.model=gbm: `price.annual_volatility`: model `gbm` needs `price.annual_volatility`".to_string(),
            format!(
                "{} demand.noise | must be from 0% to 1000%, found -5%",
                pos(&text, "\"-5%\"")
            ),
        ]
    );
    assert!(errors[0]
        .to_string()
        .starts_with("--set foo=1: `foo`: unknown key"));
}

#[test]
fn economy_sets_from_the_scenario_keep_pointing_at_its_line() {
    let (path, text) = simple_scenario(
        "economy-set-price",
        "\n[economy_set]\n\"plans.agent.price_usd\" = \"2_000_000_000\"\n",
    );
    let e = scenario_errors(&path, &[]);
    assert_eq!(e.len(), 1, "{e:#?}");
    let (line, column) = at(&text, "\"plans.agent.price_usd\"");
    assert_eq!(
        (e[0].line, e[0].column, e[0].set.clone()),
        (Some(line), Some(column), None)
    );
    assert_eq!(e[0].key, "economy_set.\"plans.agent.price_usd\"");
    assert!(
        e[0].message.ends_with(": `plans.agent.price_usd`: must be at most 1000000000 USD (10^15 base units at 6 decimals), found 2_000_000_000"),
        "{}",
        e[0]
    );
}

// ---- 3. ranges, where read, with key and range ------------------------------

#[test]
fn scenario_bounds_are_refused_with_their_range() {
    let baseline = repo("scenarios/lam-baseline.toml");
    for (key, value, says) in [
        ("days", "0", "expected a whole number from 1 to 36500, found 0"),
        ("days", "36501", "expected a whole number from 1 to 36500, found 36501"),
        (
            "subscriptions.token_agents",
            "1000001",
            "expected a whole number from 0 to 1000000, found 1000001",
        ),
        (
            "demand.actions_per_day",
            "1_000_000_000_001",
            "expected a whole number from 0 to 1000000000000, found 1000000000001",
        ),
        ("price.start_usd", "0", "must be greater than 0 and at most 10^9 USD, found 0"),
        (
            "price.start_usd",
            "1000000000.000001",
            "must be greater than 0 and at most 10^9 USD, found 1000000000.000001",
        ),
        (
            "emissions.per_day",
            "1_000_000_000_000_000_000",
            "must be at most 273972602739726027.397260273972602739 LAM a day (over 365 days at most 10^38 base units may be minted), found 1000000000000000000",
        ),
        (
            "trainers.trainers",
            "0",
            "expected a whole number from 1 to 100000, found 0",
        ),
        (
            "trainers.trainers",
            "100001",
            "expected a whole number from 1 to 100000, found 100001",
        ),
    ] {
        let mut sets = vec![(key, value)];
        if key.starts_with("trainers.") {
            sets.push(("trainers.path_share", "30%"));
            sets.push(("economy.splits.action.legs[2].share", "28%"));
            sets.push(("economy.splits.action.legs[3].share", "5%"));
        }
        let errors = scenario_errors(&baseline, &sets);
        assert_eq!(errors.len(), 1, "{key}={value}: {errors:#?}");
        assert_eq!(
            errors[0].to_string(),
            format!("--set {key}={value}: `{key}`: {says}")
        );
    }
    // The agents together.
    let e = one_scenario_error(
        &baseline,
        &[
            ("subscriptions.usd_agents", "600000"),
            ("subscriptions.token_agents", "600000"),
        ],
    );
    assert_eq!(
        e,
        "--set subscriptions.token_agents=600000: `subscriptions`: usd_agents + token_agents must be at most 1000000 agents in all, found 600000 + 600000"
    );
    assert_eq!(MAX_AGENTS, 1_000_000);
    assert_eq!(MAX_ACTIONS_PER_DAY, 1_000_000_000_000);
    assert_eq!(MAX_EMITTED_UNITS, 10u128.pow(38));
    assert_eq!(MAX_TOKEN_PRICE_USD, 1e9);
    assert_eq!(MAX_SIGMA, 10.0);
}

#[test]
fn negative_sigmas_and_falls_past_100_percent_are_refused() {
    let volatile = repo("scenarios/lam-volatile.toml");
    for (key, value, says) in [
        ("demand.noise", "-5%", "must be from 0% to 1000%, found -5%"),
        (
            "demand.noise",
            "1001%",
            "must be from 0% to 1000%, found 1001%",
        ),
        (
            "price.annual_volatility",
            "-100%",
            "must be from 0% to 1000%, found -100%",
        ),
        (
            "price.annual_drift",
            "-1001%",
            "must be from -1000% to 1000%, found -1001%",
        ),
        (
            "demand.daily_growth",
            "-100%",
            "must be greater than -100%, found -100%",
        ),
    ] {
        assert_eq!(
            one_scenario_error(&volatile, &[(key, value)]),
            format!("--set {key}={value}: `{key}`: {says}")
        );
    }
    // At the bounds, fine.
    load(
        &volatile,
        &[("demand.noise", "1000%"), ("price.annual_volatility", "0%")],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn growth_paths_that_pass_their_bound_say_the_day() {
    // 10^6 actions growing 10% a day pass 10^12 when 1.1^t > 10^6, t = 145:
    // day 146.
    let (path, text) = scenario_file(
        "growth",
        &format!(
            "{BASELINE_HEAD}\n[price]\nmodel = \"growth\"\nstart_usd = \"0.01\"\ndaily_growth = \"10%\"\n\n[demand]\nmodel = \"growth\"\nactions_per_day = 1_000_000\ndaily_growth = \"10%\"\nmarketplace_share = \"50%\"\n"
        ),
    );
    let errors = scenario_errors(&path, &[]);
    let growth = |n: usize| {
        let offset = text.match_indices("daily_growth").nth(n).unwrap().0;
        let (l, c) = at(&text[..], &text[offset..offset + 30]);
        format!("{l}:{}", c + "daily_growth = ".len())
    };
    // The price: 0.01 x 1.1^t > 10^9 when t > 265.7: day 267.
    assert_eq!(
        listed(&errors),
        [
            format!(
                "{} price.daily_growth | grows the price past 10^9 USD on day 267 of 365: at most 10^9 USD",
                growth(0)
            ),
            format!(
                "{} demand.daily_growth | grows demand past 10^12 actions a day on day 146 of 365: at most 10^12 actions a day",
                growth(1)
            ),
        ]
    );
    // Over 100 days neither passes.
    let s = load(&path, &[("days", "100")]).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        s.demand.path,
        DemandPath::Growth {
            start: 1_000_000,
            ..
        }
    ));
}

#[test]
fn demand_tables_and_emission_tables_are_bounded() {
    let (path, text) = scenario_file(
        "tables",
        &format!(
            "{BASELINE_HEAD}\n[price]\nmodel = \"table\"\ntable_usd = [\"0.01\", \"-1\"]\n\n[demand]\nmodel = \"table\"\ntable = [1, 1_000_000_000_001]\nmarketplace_share = \"50%\"\n\n[emissions]\nmodel = \"table\"\ntable = [\"100_000_000_000_000_000_000\", \"100_000_000_000_000_000_000\"]\nto = \"training_rewards\"\n"
        ),
    );
    let errors = scenario_errors(&path, &[]);
    assert_eq!(
        listed(&errors),
        [
            format!(
                "{} price.table_usd[1] | must be greater than 0 and at most 10^9 USD, found -1",
                pos(&text, "\"-1\"")
            ),
            format!(
                "{} demand.table[1] | expected a whole number from 0 to 1000000000000, found 1000000000001",
                pos(&text, "1_000_000_000_001")
            ),
            format!(
                "{} emissions.table | mints more than 10^38 base units of LAM over 365 days: at most 10^38 in all",
                pos(&text, "\"100_000_000_000_000_000_000\", ")
            ),
        ]
    );
}

#[test]
fn economy_amounts_are_bounded() {
    assert_eq!(MAX_PRICE_USD, 1_000_000_000);
    assert_eq!(MAX_GENESIS_UNITS, 10u128.pow(30));
    let text = edit(
        LAM,
        r#"price_usd = "1000""#,
        "price_usd = 9223372036854775807",
    );
    let e = only_error(&text);
    assert_at(
        &e,
        at(&text, "9223372036854775807"),
        "plans.agent.price_usd",
    );
    assert_eq!(
        e.message,
        "must be at most 1000000000 USD (10^15 base units at 6 decimals), found 9223372036854775807"
    );
    let text = edit(
        LAM,
        r#""5_000_000"]"#,
        r#""5_000_000_000_000_000_000_000_000"]"#,
    );
    let e = only_error(&text);
    assert_eq!(e.key, "markets.lam_usd.reserves[1]");
    assert!(
        e.message.starts_with(
            "must be at most 1000000000000000000000000 USD (10^30 base units at 6 decimals)"
        ),
        "{e}"
    );
    let text = edit(
        LAM,
        "[tokens.LAM]\n",
        "[tokens.LAM]\nmax_supply = \"2_000_000_000_000\"\n",
    );
    let e = only_error(&text);
    assert_at(
        &e,
        at(&text, "\"2_000_000_000_000\""),
        "tokens.LAM.max_supply",
    );
}

// ---- 4. keys that do not apply ----------------------------------------------

#[test]
fn keys_that_do_not_apply_to_the_model_are_refused() {
    let (path, text) = scenario_file(
        "not-applying",
        &format!(
            "{BASELINE_HEAD}\n[price]\nmodel = \"constant\"\nstart_usd = \"0.01\"\nannual_volatility = \"50%\"\ntable_usd = [\"1\"]\n\n[demand]\nmodel = \"constant\"\nactions_per_day = 100\ntable = [1]\nmarketplace_share = \"50%\"\n\n[emissions]\nmodel = \"constant\"\nper_day = \"1\"\nhalf_life_days = 30\nto = \"training_rewards\"\n"
        ),
    );
    let errors = scenario_errors(&path, &[]);
    assert_eq!(
        listed(&errors),
        [
            format!(
                "{} price.annual_volatility | applies only to model \"gbm\"; this price model is \"constant\"",
                pos(&text, "annual_volatility")
            ),
            format!(
                "{} price.table_usd | applies only to model \"table\"; this price model is \"constant\"",
                pos(&text, "table_usd")
            ),
            format!(
                "{} demand.table | applies only to model \"table\"; this demand model is \"constant\"",
                pos(&text, "table = [1]")
            ),
            format!(
                "{} emissions.half_life_days | applies only to model \"halving\"; this emission model is \"constant\"",
                pos(&text, "half_life_days")
            ),
        ]
    );
    // A key a --set writes that does not apply names the set.
    let baseline = repo("scenarios/lam-baseline.toml");
    assert_eq!(
        one_scenario_error(&baseline, &[("price.annual_volatility", "50%")]),
        "--set price.annual_volatility=50%: `price.annual_volatility`: applies only to model \"gbm\"; this price model is \"constant\""
    );
    // A model a --set chooses leaves aside the file's keys for the file's
    // model: the baseline's `per_day` does not stop `emissions.model=none`.
    let s = load(&baseline, &[("emissions.model", "none")]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.emissions.schedule, EmissionSchedule::None);
}

// ---- 5. file kinds ------------------------------------------------------------

#[test]
fn a_file_of_the_other_kind_is_named_as_such() {
    let economy = repo("economies/lam.toml");
    let scenario = repo("scenarios/lam-baseline.toml");
    let ConfigErrors(errors) = load_scenario(&economy, &[]).expect_err("an economy");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        format!(
            "`{}` is an economy file, not a scenario: run takes a scenario (see scenarios/); check and quote take either",
            economy.display()
        )
    );
    let ConfigErrors(errors) = load_economy(&scenario).expect_err("a scenario");
    assert_eq!(
        errors[0].message,
        format!(
            "`{}` is a scenario file, not an economy: give the economy file its `economy` key names (see economies/); check and quote take either",
            scenario.display()
        )
    );
    let read = |p: &Path| Source::read(p).unwrap();
    assert_eq!(detect_kind(&read(&economy)), Some(FileKind::Economy));
    assert_eq!(detect_kind(&read(&scenario)), Some(FileKind::Scenario));
    assert_eq!(detect_kind(&Source::from_text("x.toml", "a = 1")), None);
    assert!(check_kind(&read(&economy), FileKind::Economy).is_ok());
    // Quote and check take either: a scenario gives its economy.
    let loaded = load_any_economy(&repo("scenarios/lam-market.toml"), &[]).unwrap();
    assert_ne!(
        loaded.economy.oracles,
        load_economy(&economy).unwrap().economy.oracles,
        "lam-market's [economy_set] prices LAM off the pool"
    );
}

// ---- 6. located errors --------------------------------------------------------

#[test]
fn a_version_named_with_a_dot_says_to_quote_it() {
    let text = edit(LAM, "[versions.LAM-1]", "[versions.gpt-4.1]");
    let errors = errors(&text);
    // The plan names LAM-1, which is gone: that is reported too.
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_at(
        &errors[0],
        at(&text, "[versions.gpt-4.1]"),
        "versions.gpt-4",
    );
    assert_eq!(
        errors[0].message,
        "`gpt-4.1` is read as nested tables: a name with a dot must be quoted: [versions.\"gpt-4.1\"]"
    );
    assert_eq!(errors[1].key, "plans.agent.version");
    // Quoted, it is a name.
    let text = edits(
        LAM,
        &[
            ("[versions.LAM-1]", "[versions.\"gpt-4.1\"]"),
            ("version = \"LAM-1\"", "version = \"gpt-4.1\""),
        ],
    );
    let loaded = compiles(FILE, &text);
    assert!(loaded.economy.version_by_name("gpt-4.1").is_some());
    // An account too.
    let text = edit(LAM, "[accounts.fuel]", "[accounts.fuel.v2]");
    let e = errors_in(FILE, &text);
    assert_at(&e[0], at(&text, "[accounts.fuel.v2]"), "accounts.fuel");
}

// ---- 7. bounded reads -----------------------------------------------------------

#[test]
fn reads_are_bounded_and_utf8() {
    assert_eq!(MAX_FILE_BYTES, 8 * 1024 * 1024);
    let ConfigErrors(errors) = Source::read(Path::new("/dev/zero")).expect_err("endless");
    assert_eq!(
        errors[0].to_string(),
        "/dev/zero: is larger than 8 MiB; config files are small: is this the right file?"
    );
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hardening-latin1.toml");
    std::fs::write(&path, b"name = \"x\"\ndescription = \"caf\xe9\"\n").unwrap();
    let ConfigErrors(errors) = Source::read(&path).expect_err("latin-1");
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{}:2:19: byte 30 is not UTF-8 text: config files are TOML, written in UTF-8",
            path.display()
        )
    );
}

// ---- 8. one spelling of economy keys for every command -------------------------

#[test]
fn economy_overrides_may_be_spelled_as_run_spells_them() {
    for key in ["plans.agent.price_usd", "economy.plans.agent.price_usd"] {
        let mut source = Source::from_text(FILE, LAM);
        furnace_config::scenario::apply_overrides(&mut source, &[(key.into(), "2000".into())])
            .unwrap();
        let loaded = compile_economy(source).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.economy.plans[0].price, 2_000_000_000, "{key}");
    }
    // An error names the set as typed.
    let mut source = Source::from_text(FILE, LAM);
    furnace_config::scenario::apply_overrides(
        &mut source,
        &[("economy.plans.agent.price_usd".into(), "0".into())],
    )
    .unwrap();
    let ConfigErrors(errors) = compile_economy(source).expect_err("zero");
    assert_eq!(
        errors[0].to_string(),
        "--set economy.plans.agent.price_usd=0: `plans.agent.price_usd`: must be greater than zero"
    );
    let path = repo("economies/lam.toml");
    let sets = [(
        "economy.versions.LAM-1.price_usd".to_string(),
        "0.01".to_string(),
    )];
    let loaded = load_any_economy(&path, &sets).unwrap();
    assert_eq!(loaded.economy.versions[0].price, 10_000);
}
