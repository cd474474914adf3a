//! `[rewards]` in scenario files: compiled to the economy's ids, and every
//! bad name, wrong kind of pool and out-of-range figure located on its
//! line with its key.

mod common;

use common::{at, load, repo};
use furnace_config::{ConfigError, ConfigErrors};
use furnace_core::units::Ppm;
use std::path::{Path, PathBuf};

/// The bundled AImagine baseline with `edit` applied (old, new), written
/// to a fresh file next to the test's other files.
fn edited(name: &str, edits: &[(&str, &str)]) -> (PathBuf, String) {
    let mut text = std::fs::read_to_string(repo("scenarios/aimagine-baseline.toml")).unwrap();
    for (old, new) in edits {
        assert!(text.contains(old), "{old}");
        text = text.replacen(old, new, 1);
    }
    let economy = repo("economies/aimagine.toml").display().to_string();
    text = text.replace("\"../economies/aimagine.toml\"", &format!("{economy:?}"));
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("rewards-{name}.toml"));
    std::fs::write(&path, &text).unwrap();
    (path, text)
}

fn errors(path: &Path) -> Vec<ConfigError> {
    match load(path, &[]) {
        Ok(_) => panic!("the scenario loaded"),
        Err(ConfigErrors(errors)) => errors,
    }
}

/// Exactly one error, at `needle`'s line and column, about `key`.
fn one_at(name: &str, edits: &[(&str, &str)], needle: &str, key: &str, says: &str) {
    let (path, text) = edited(name, edits);
    let errors = errors(&path);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(
        (e.line, e.column),
        {
            let (l, c) = at(&text, needle);
            (Some(l), Some(c))
        },
        "{e}"
    );
    assert_eq!(e.key, key, "{e}");
    assert!(e.message.contains(says), "`{e}` should say `{says}`");
}

#[test]
fn the_baseline_compiles_to_the_economys_ids() {
    let s = load(&repo("scenarios/aimagine-baseline.toml"), &[]).unwrap();
    let e = &s.economy.economy;
    let d = s.rewards.as_ref().unwrap();
    assert_eq!(d.epoch_days, 7);
    let (rule, per_day) = d.revenue.unwrap();
    assert_eq!(rule, e.rule_by_name("fees").unwrap());
    assert_eq!(per_day, 20_000_000_000); // $20,000 in micro-dollars
    let st = &d.stakers[0];
    assert_eq!(st.pool, e.reward_pool_by_name("aimg_stakers").unwrap());
    assert_eq!(
        st.funding,
        furnace_config::scenario::Funding::Account(e.account_by_name("market").unwrap())
    );
    assert_eq!(st.tokens_each, 500_000 * 10u128.pow(18));
    assert_eq!(st.lock_days, vec![0, 30, 90, 180, 365]);
    assert_eq!(
        (st.stake_share, st.restake_share),
        (Ppm(800_000), Ppm(500_000))
    );
    assert_eq!(d.liquidity[0].market, e.market_by_name("aimg_usd").unwrap());
    let v = d.voters.as_ref().unwrap();
    assert_eq!((v.turnout_min, v.turnout_max), (Ppm(200_000), Ppm(600_000)));
    assert_eq!(d.contributors.as_ref().unwrap().score_max, 100);
    assert_eq!(s.token, e.asset_by_name("AIMG").unwrap());
}

#[test]
fn a_pool_that_does_not_exist_is_located() {
    // The typo, and (in the same pass) the voters left without a staker
    // group of their pool.
    let (path, text) = edited(
        "no-pool",
        &[(
            "pool = \"aimg_stakers\"\naccounts",
            "pool = \"aimg_stakerz\"\naccounts",
        )],
    );
    let errors = errors(&path);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let e = &errors[0];
    let (line, column) = at(&text, "\"aimg_stakerz\"");
    assert_eq!((e.line, e.column), (Some(line), Some(column)), "{e}");
    assert_eq!(e.key, "rewards.stakers[0].pool");
    assert!(e.message.contains("no reward pool named `aimg_stakerz` (reward pools: aimg_stakers, voters, lp_miners, contributors)"), "{e}");
    assert_eq!(errors[1].key, "rewards.voters.stakers");
    assert!(
        errors[1].message.contains("nobody would vote"),
        "{}",
        errors[1]
    );
}

#[test]
fn a_pool_of_the_wrong_kind_is_located() {
    one_at(
        "points-for-stakers",
        &[(
            "pool = \"voters\"\nstakers",
            "pool = \"aimg_stakers\"\nstakers",
        )],
        "\"aimg_stakers\"\nstakers",
        "rewards.voters.pool",
        "is a stake pool",
    );
    one_at(
        "lp-pool-not-lp",
        &[("pool = \"lp_miners\"", "pool = \"aimg_stakers\"")],
        "\"aimg_stakers\"\naccounts = 10 ",
        "rewards.liquidity[0].pool",
        "does not stake `aimg_usd`'s LP shares",
    );
}

#[test]
fn a_lock_longer_than_the_pool_allows_is_located() {
    one_at(
        "long-lock",
        &[("[0, 30, 90, 180, 365]", "[0, 30, 400]")],
        "400",
        "rewards.stakers[0].lock_days",
        "longer than reward pool `aimg_stakers` allows (365 days)",
    );
}

#[test]
fn an_empty_turnout_range_and_half_a_revenue_driver_are_located() {
    one_at(
        "turnout",
        &[("turnout_max = \"60%\"", "turnout_max = \"10%\"")],
        "\"10%\"\n\n[rewards.contributors]",
        "rewards.voters.turnout_max",
        "the turnout range is empty",
    );
    one_at(
        "revenue",
        &[("revenue_rule = \"fees\"\n", "")],
        "\"20_000\"",
        "rewards.revenue_rule",
        "needs `revenue_rule`",
    );
    one_at(
        "unknown-key",
        &[(
            "claim_every_days = 7         # ASSUMPTION\n",
            "claim_every_dayz = 7\n",
        )],
        "claim_every_dayz",
        "rewards.stakers[0].claim_every_dayz",
        "claim_every_days",
    );
}

#[test]
fn a_group_funding_nothing_is_located() {
    one_at(
        "zero-tokens",
        &[("tokens_each = \"1_000_000\"", "tokens_each = \"0\"")],
        "\"0\"",
        "rewards.liquidity[0].tokens_each",
        "must be above 0",
    );
}

#[test]
fn stakers_are_funded_one_way() {
    one_at(
        "buy-on-nowhere",
        &[(
            "funded_from = \"market\"\ntokens_each = \"500_000\"",
            "buy_on = \"aimg_eur\"\ntokens_each = \"500_000\"",
        )],
        "\"aimg_eur\"",
        "rewards.stakers[0].buy_on",
        "no market `aimg_eur` selling AIMG for USD",
    );
    one_at(
        "both-ways",
        &[(
            "funded_from = \"market\"\ntokens_each = \"500_000\"",
            "funded_from = \"market\"\nbuy_on = \"aimg_usd\"\ntokens_each = \"500_000\"",
        )],
        "\"market\"\nbuy_on",
        "rewards.stakers[0].funded_from",
        "not both",
    );
    let (path, _) = edited(
        "buy-on-pool",
        &[(
            "funded_from = \"market\"\ntokens_each = \"500_000\"",
            "buy_on = \"aimg_usd\"\ntokens_each = \"500_000\"",
        )],
    );
    let s = load(&path, &[]).unwrap();
    let m = s.economy.economy.market_by_name("aimg_usd").unwrap();
    assert_eq!(
        s.rewards.unwrap().stakers[0].funding,
        furnace_config::scenario::Funding::Market(m)
    );
}

#[test]
fn token_names_a_token_and_agrees_with_a_version() {
    one_at(
        "token-usd",
        &[("token = \"AIMG\"", "token = \"USD\"")],
        "\"USD\"",
        "token",
        "the economy has no token `USD`",
    );
    // On LAM's baseline (version LAM-1), `token` may only repeat LAM.
    let text = std::fs::read_to_string(repo("scenarios/lam-baseline.toml"))
        .unwrap()
        .replacen(
            "version = \"LAM-1\"",
            "version = \"LAM-1\"\ntoken = \"USD\"",
            1,
        )
        .replace(
            "\"../economies/lam.toml\"",
            &format!("{:?}", repo("economies/lam.toml").display().to_string()),
        );
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("token-with-version.toml");
    std::fs::write(&path, &text).unwrap();
    let errors = errors(&path);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].key, "token");
    assert!(errors[0].message.contains("follows LAM"), "{}", errors[0]);
}
