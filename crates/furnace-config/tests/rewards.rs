//! `[reward_pools.X]` and `[emissions.X]`: the file syntax of the core's
//! reward pools and emission schedules, exact numbers and located errors.

mod common;

use common::*;
use furnace_core::economy::{
    Destination, EmissionCurve, EmissionSource, LegKind, LockPoint, Payee, PoolWeight,
};
use furnace_core::event::MintReason;
use furnace_core::units::Ppm;

/// LAM with a staking pool fed by a split leg, a points pool for
/// governance, and two schedules: a Curve-style yearly reduction into the
/// pools, and the 350M community allocation vested over 1,461 days.
fn with_rewards(extra: &str) -> String {
    let text = edits(
        LAM,
        &[(
            r#"{ name = "ecosystem", to = "ecosystem", share = "33%" },"#,
            r#"{ name = "ecosystem", to = "stakers", share = "33%" },"#,
        )],
    );
    format!(
        r#"{text}
[reward_pools.stakers]
reward = "LAM"
stake = "LAM"
empty_to = "ecosystem"
dust_to = "unallocated"
lock_multipliers = [
  {{ days = 0, multiplier = "1" }},
  {{ days = 30, multiplier = "1" }},
  {{ days = 365, multiplier = "3.01" }},
]
unbonding_days = 7
early_withdrawal_fee = "5.13%"
early_withdrawal_fee_to = "burn"

[reward_pools.voters]
reward = "LAM"
points = true
empty_to = "ecosystem"
dust_to = "unallocated"

[emissions.incentives]
token = "LAM"
reason = "staking"
channels = [
  {{ to = "stakers", share = "80%" }},
  {{ name = "governance", to = "voters", share = "20%" }},
]
curve = {{ kind = "geometric", initial = "1_000_000", factor = "0.999", every_epochs = 1 }}
cap = "300_000_000"

[emissions.community]
token = "LAM"
source = "community"
channels = [{{ to = "training_rewards", share = "100%" }}]
curve = {{ kind = "linear", total = "350_000_000", epochs = 1461 }}
{extra}"#
    )
}

const E18: u128 = 1_000_000_000_000_000_000;

#[test]
fn pools_and_schedules_compile_to_the_core_exactly() {
    let loaded = compiles(FILE, &with_rewards(""));
    let e = &loaded.economy;
    // lam.toml's own training_points, then the two added here.
    assert_eq!(e.reward_pools.len(), 3);
    let by_name = |n: &str| &e.reward_pools[e.reward_pool_by_name(n).unwrap().index()];
    let stakers = by_name("stakers");
    let lam = e.asset_by_name("LAM").unwrap();
    assert_eq!(stakers.weight, PoolWeight::Stake { asset: lam });
    assert_eq!(
        stakers.lock_multipliers,
        vec![
            LockPoint {
                steps: 0,
                multiplier_ppm: 1_000_000
            },
            LockPoint {
                steps: 30,
                multiplier_ppm: 1_000_000
            },
            LockPoint {
                steps: 365,
                multiplier_ppm: 3_010_000
            },
        ]
    );
    assert_eq!(stakers.unbonding_steps, 7);
    assert_eq!(stakers.early_withdrawal_fee, Ppm(51_300));
    assert_eq!(stakers.early_withdrawal_fee_to, Destination::Burn);
    assert_eq!(by_name("voters").weight, PoolWeight::Points);

    // The split's ecosystem leg now credits the staking pool.
    let pool = e.reward_pool_by_name("stakers").unwrap();
    let split = &e.splits[0];
    assert_eq!(split.legs[2].kind, LegKind::RewardPool(pool));

    let incentives = &e.emissions[0];
    assert_eq!(incentives.source, EmissionSource::Mint(MintReason::Staking));
    assert_eq!(
        incentives.curve,
        EmissionCurve::Geometric {
            initial: 1_000_000 * E18,
            numerator: 999,
            denominator: 1000,
            every_epochs: 1
        }
    );
    assert_eq!(incentives.cap, Some(300_000_000 * E18));
    assert_eq!(incentives.epoch_steps, 1);
    assert_eq!(incentives.channels[0].name, "stakers");
    assert_eq!(incentives.channels[0].share, Ppm(800_000));
    assert_eq!(incentives.channels[1].name, "governance");
    let community = &e.emissions[1];
    let community_account = e.account_by_name("community").unwrap();
    assert_eq!(community.source, EmissionSource::Account(community_account));
    assert_eq!(
        community.curve,
        EmissionCurve::Linear {
            total: 350_000_000 * E18,
            epochs: 1461
        }
    );
}

#[test]
fn revenue_parts_may_pay_a_pool_in_their_asset() {
    // A USD revenue part may pay stakers in USD; a LAM pool refuses it.
    let usd_pool = "\n[reward_pools.usd_yield]\nreward = \"USD\"\nstake = \"LAM\"\nempty_to = \"ecosystem\"\ndust_to = \"unallocated\"\n";
    let part = r#"{ name = "operator", to = "operator_revenue", share = "20%" },"#;
    let text = with_rewards(usd_pool).replace(
        part,
        r#"{ name = "operator", to = "usd_yield", share = "20%" },"#,
    );
    let loaded = compiles(FILE, &text);
    let e = &loaded.economy;
    let pool = e.reward_pool_by_name("usd_yield").unwrap();
    assert!(e.rules[0]
        .parts
        .iter()
        .any(|p| p.to == Payee::RewardPool(pool)));

    let text = with_rewards("").replace(
        part,
        r#"{ name = "operator", to = "stakers", share = "20%" },"#,
    );
    let e = only_error_in(FILE, &text);
    assert_eq!(e.key, "revenue.subscriptions.parts[1].to");
    assert!(e
        .message
        .contains("reward pool `stakers` pays in LAM, but USD is routed here"));
}

#[test]
fn every_problem_of_the_new_sections_is_located_in_one_pass() {
    let text = with_rewards("")
        .replace(r#"multiplier = "3.01""#, r#"multiplier = "x3""#)
        .replace(r#"factor = "0.999""#, r#"factor = "1.5""#)
        .replace(
            r#"{ to = "stakers", share = "80%" },"#,
            r#"{ to = "stakers", share = "70%" },"#,
        )
        .replace(
            r#"kind = "linear", total"#,
            r#"kind = "linear", per_epoch = "1", total"#,
        )
        .replace(r#"reason = "staking""#, r#"reason = "liquidity""#);
    let errors = errors_in(FILE, &text);
    let says = |key: &str, what: &str| {
        let e = errors
            .iter()
            .find(|e| e.key == key)
            .unwrap_or_else(|| panic!("no error at `{key}`: {errors:#?}"));
        assert!(e.message.contains(what), "{key}: {}", e.message);
        assert!(e.line.is_some(), "{key} has a line");
    };
    says(
        "reward_pools.stakers.lock_multipliers[2].multiplier",
        "is not a multiplier",
    );
    says("emissions.incentives.curve.factor", "is not a factor");
    says("emissions.incentives.reason", "is not an emission reason");
    says(
        "emissions.incentives.channels",
        "channel shares must sum to exactly 100%, they sum to 90%",
    );
    says(
        "emissions.community.curve.per_epoch",
        "applies only to model \"constant\"",
    );
    // In line order.
    let lines: Vec<usize> = errors.iter().filter_map(|e| e.line).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

#[test]
fn the_cores_rules_find_their_lines() {
    // A cap below what was already emitted, and a lock table that falls.
    let text = with_rewards("")
        .replace(
            r#"cap = "300_000_000""#,
            "cap = \"1\"\nalready_emitted = \"2\"",
        )
        .replace(
            r#"{ days = 30, multiplier = "1" },"#,
            r#"{ days = 30, multiplier = "2" },"#,
        )
        .replace(
            r#"{ days = 365, multiplier = "3.01" },"#,
            r#"{ days = 365, multiplier = "1.5" },"#,
        );
    let errors = errors_in(FILE, &text);
    assert!(
        errors
            .iter()
            .any(|e| e.key.starts_with("emissions.incentives.cap") && e.line.is_some()),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(
            |e| e.key.starts_with("reward_pools.stakers.lock_multipliers") && e.line.is_some()
        ),
        "{errors:#?}"
    );
}

#[test]
fn a_pool_and_an_account_may_not_share_a_name() {
    let text = with_rewards("").replace("[reward_pools.voters]", "[reward_pools.ecosystem]");
    let errors = errors_in(FILE, &text);
    let e = errors
        .iter()
        .find(|e| e.key == "reward_pools.ecosystem")
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert!(e
        .message
        .contains("names both an account and a reward pool"));
    let (line, col) = at(&text, "[reward_pools.ecosystem]");
    assert_eq!(
        (e.line, e.column),
        (Some(line), Some(col + "[reward_pools.".len()))
    );
}

#[test]
fn a_pool_must_say_what_weighs() {
    let text = with_rewards("").replace("points = true\n", "");
    let errors = errors_in(FILE, &text);
    assert!(
        errors
            .iter()
            .any(|e| e.key == "reward_pools.voters" && e.message.contains("`stake = \"ASSET\"`")),
        "{errors:#?}"
    );
}

/// The bundled AImagine economy: every mechanism of seed 002 and the docs
/// as data, compiled to the core's rules.
#[test]
fn the_aimagine_economy_compiles_to_its_mechanisms() {
    let loaded = furnace_config::load_economy(&repo("economies/aimagine.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let e = &loaded.economy;
    let stakers = e.reward_pool_by_name("aimg_stakers").unwrap();
    let cap = e.reward_pool(stakers).stake_cap.expect("stakes are capped");
    assert_eq!((cap.cap_ppm, cap.limit_ppm), (1_000_000, 2_000_000));
    assert_eq!(cap.excess_rate, Ppm(500_000));
    let burn = e.buybacks[0].stake_burn.as_ref().expect("1 - S is burned");
    assert_eq!(burn.pool, stakers);
    assert_eq!(e.emissions[0].channels.len(), 5);
    assert_eq!(
        e.emissions[0].curve,
        EmissionCurve::Geometric {
            initial: 500_000 * E18,
            numerator: 999,
            denominator: 1000,
            every_epochs: 1
        }
    );
    assert_eq!(e.launches.len(), 1);
    assert_eq!(e.reward_pools.len(), 4);
}
