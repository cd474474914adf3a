//! LAM's earning side (`scenarios/lam-earning.toml`): the community pool
//! vests daily into the training points pool with `Emit` (an economy rule),
//! trainers earn points (`[training]`), and seed 000's ~1M a day exhausts
//! the 350M pool on day 351, which the run reports when it stops.

use furnace_config::load_scenario;
use furnace_sim::simulate;
use std::path::Path;

const E18: u128 = 1_000_000_000_000_000_000;

#[test]
fn the_community_pool_runs_out_on_day_351_and_the_run_says_so() {
    // Seed 000's "Daily Distribution: ~1M tokens" instead of the vesting.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/lam-earning.toml");
    let sets = [(
        "economy.emissions.community_vesting.curve".to_string(),
        r#"{ kind = "constant", per_epoch = "1_000_000" }"#.to_string(),
    )];
    let scenario = load_scenario(&path, &sets).unwrap_or_else(|e| panic!("{e}"));
    let r = simulate(&scenario).unwrap();
    r.invariants.clone().unwrap();
    let e = &scenario.economy.economy;
    let community = e.account_by_name("community").unwrap();
    let lam = e.asset_by_name("LAM").unwrap();

    // 350,000,000 / 1,000,000 = 350 epochs of exactly 1M (days 1..350);
    // day 351's epoch finds the account empty and stops the schedule.
    assert_eq!(r.schedule_emitted, vec![350_000_000 * E18]);
    let stop = r.schedule_stops[0].expect("the schedule stops");
    assert_eq!((stop.step, stop.epoch), (351, 350));
    assert_eq!(
        stop.limited_by,
        Some(furnace_core::engine::EmissionLimit::Source)
    );
    assert_eq!(r.state.balance(lam, community), 0);
    // Vesting moves tokens: nothing was minted for it.
    assert!(r.rows.iter().all(|row| row.emitted == 0));

    let summary: serde_json::Value = serde_json::from_str(&r.summary_json()).unwrap();
    let s = &summary["emission_schedules"]["community_vesting"];
    assert_eq!(s["emitted"], "350000000");
    assert_eq!(s["stopped_on_step"], 351);
    assert_eq!(s["stopped_because"], "source_ran_out");
    assert!(r.warnings().iter().any(|w| w
        == "emissions `community_vesting`: stopped on day 351 (epoch 351): its source account `community` ran out, after 350,000,000 LAM in this run"));
}

#[test]
fn an_emission_schedule_routes_to_a_reward_pool_in_o1() {
    // The same distribution into a points pool nobody has joined: every
    // epoch goes to the pool's `empty_to`, never stranded.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/lam-earning.toml");
    let sets = [
        (
            "economy.reward_pools.trainers".to_string(),
            r#"{ reward = "LAM", points = true, empty_to = "ecosystem", dust_to = "unallocated" }"#
                .to_string(),
        ),
        (
            "economy.emissions.community_vesting.channels".to_string(),
            r#"[{ to = "trainers", share = "100%" }]"#.to_string(),
        ),
        ("days".to_string(), "20".to_string()),
    ];
    let scenario = load_scenario(&path, &sets).unwrap_or_else(|e| panic!("{e}"));
    let r = simulate(&scenario).unwrap();
    r.invariants.clone().unwrap();
    // The vesting: floor(350,000,000 x 10^18 / 1,460) base units a day.
    assert_eq!(
        r.schedule_emitted,
        vec![20 * 239_726_027_397_260_273_972_602]
    );
    assert!(r.schedule_stops[0].is_none());
}
