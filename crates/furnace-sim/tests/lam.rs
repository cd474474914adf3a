//! The LAM economy simulated: exact numbers from the seeds' formal model.

use furnace_config::{load_scenario, Scenario};
use furnace_core::event::BurnReason;
use furnace_sim::{simulate, simulate_seeded, Regime};
use proptest::prelude::*;
use std::path::Path;

/// One whole LAM in base units (18 decimals).
const LAM: u128 = 1_000_000_000_000_000_000;

fn baseline(overrides: &[(&str, &str)]) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/lam-baseline.toml");
    let overrides: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    load_scenario(&path, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// Constant $0.01 LAM, LAM-1 at $0.10, 1,000,000 pay-as-you-go actions a
/// day, no subscriptions; emissions as given.
fn constant_usage(days: &str, emissions: &[(&str, &str)]) -> Scenario {
    let mut o = vec![
        ("days", days),
        ("price.model", "constant"),
        ("price.start_usd", "0.01"),
        ("economy.versions.LAM-1.price_usd", "0.10"),
        ("demand.model", "constant"),
        ("demand.actions_per_day", "1000000"),
        ("demand.noise", "0"),
        ("demand.marketplace_share", "50%"),
        ("subscriptions.usd_agents", "0"),
        ("subscriptions.token_agents", "0"),
    ];
    o.extend_from_slice(emissions);
    baseline(&o)
}

#[test]
fn constant_usage_burns_34_percent_and_halves_supply_on_day_148() {
    let scenario = constant_usage("160", &[("emissions.model", "none")]);
    let r = simulate(&scenario).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.initial_supply, 1_000_000_000 * LAM);
    assert_eq!(r.rows.len(), 160);
    for row in &r.rows {
        // tau = 0.10 / 0.01 = 10 LAM; D = 10,000,000 LAM; B = 34% of D.
        assert_eq!(row.tokens_per_action, 10 * LAM);
        assert_eq!(row.actions, 1_000_000);
        assert_eq!(row.unfunded_actions, 0);
        assert_eq!(row.tokens_consumed, 10_000_000 * LAM);
        assert_eq!(row.burned, 3_400_000 * LAM);
        assert_eq!(row.burned_action, 3_400_000 * LAM);
        assert_eq!(row.emitted, 0);
        // Half the actions use an epoch-1 workflow: 33% of 5M to creators,
        // the other 33% of 5M to the Ecosystem Rewards pool.
        assert_eq!(row.creator, 1_650_000 * LAM);
        assert_eq!(row.no_marketplace, 1_650_000 * LAM);
        // The ecosystem leg (index 2 of lam.toml's split) gets its 33%.
        assert_eq!(row.legs[2], 3_300_000 * LAM);
        assert_eq!(row.dust, 0);
        assert_eq!(row.regime(), Regime::Deflationary);
        assert_eq!(
            row.supply,
            1_000_000_000 * LAM - row.step as u128 * 3_400_000 * LAM
        );
    }
    // T = S_0 / (2 beta tau A) = 1e9 / 6.8e6 = 147.0588... days.
    let projected = r.half_life_days_projected().unwrap();
    assert!(
        (projected - 147.058_823_529_411_76).abs() < 1e-9,
        "{projected}"
    );
    assert_eq!(r.rows[146].supply, 500_200_000 * LAM); // day 147: above half
    assert_eq!(r.rows[147].supply, 496_800_000 * LAM); // day 148: below
    assert_eq!(r.simulated_half_life_day(), Some(148));
    assert_eq!(
        projected.ceil() as u32,
        r.simulated_half_life_day().unwrap()
    );

    let summary: serde_json::Value = serde_json::from_str(&r.summary_json()).unwrap();
    assert_eq!(summary["initial_supply"], "1000000000");
    assert_eq!(summary["final_supply"], "456000000");
    assert_eq!(summary["cumulative_burned"], "544000000");
    assert_eq!(summary["cumulative_emitted"], "0");
    assert_eq!(summary["simulated_half_life_day"], 148);
    assert_eq!(summary["deflationary_days"], 160);
    // Emitting the day's burn would have kept the supply flat.
    let break_even = &summary["break_even_emissions_per_step"];
    assert_eq!(break_even["whole_run"], "3400000");
    assert_eq!(break_even["last_period"], "3400000");
    assert_eq!(summary["invariants"], "ok");
    assert_eq!(summary["periods"][0]["burned"], "102000000");
    assert_eq!(summary["periods"][0]["regime"], "deflationary");
    // Rounded to 2 decimals in summary.json.
    assert_eq!(summary["half_life_days_projected"].as_f64(), Some(147.06));
}

#[test]
fn emissions_at_break_even_keep_every_day_neutral() {
    let scenario = constant_usage(
        "120",
        &[
            ("emissions.model", "constant"),
            ("emissions.per_day", "3_400_000"),
        ],
    );
    let r = simulate(&scenario).unwrap_or_else(|e| panic!("{e}"));
    for row in &r.rows {
        assert_eq!(row.emitted, 3_400_000 * LAM);
        assert_eq!(row.regime(), Regime::Neutral);
        assert_eq!(row.net_supply_change, 0);
        assert_eq!(row.supply, 1_000_000_000 * LAM);
    }
    assert_eq!(r.regime_days(), (0, 120, 0));
    let summary: serde_json::Value = serde_json::from_str(&r.summary_json()).unwrap();
    assert_eq!(
        summary["break_even_emissions_per_step"]["whole_run"],
        "3400000"
    );
    assert_eq!(r.simulated_half_life_day(), None);
    assert!(r.invariants.is_ok());
}

#[test]
fn same_seed_same_bytes_other_seed_other_path() {
    let a = simulate(&baseline(&[])).unwrap();
    let b = simulate(&baseline(&[])).unwrap();
    assert_eq!(a.csv_string(), b.csv_string());
    assert_eq!(a.summary_json(), b.summary_json());

    let stochastic = baseline(&[
        ("days", "120"),
        ("price.model", "gbm"),
        ("price.start_usd", "0.01"),
        ("price.annual_drift", "0.2"),
        ("price.annual_volatility", "0.9"),
        ("demand.noise", "0.25"),
    ]);
    let s1 = simulate_seeded(&stochastic, 1).unwrap();
    let s1_again = simulate_seeded(&stochastic, 1).unwrap();
    let s2 = simulate_seeded(&stochastic, 2).unwrap();
    assert_eq!(s1.csv_string(), s1_again.csv_string());
    assert_eq!(s1.summary_json(), s1_again.summary_json());
    assert_ne!(s1.csv_string(), s2.csv_string());
    assert_ne!(s1.summary_json(), s2.summary_json());
    // Day 1 is the start price either way; the paths part afterwards.
    assert_eq!(s1.rows[0].price_usd_pico, 10_000_000_000);
    assert_eq!(s2.rows[0].price_usd_pico, 10_000_000_000);
    assert!(s1
        .rows
        .iter()
        .zip(&s2.rows)
        .any(|(x, y)| x.price_usd_pico != y.price_usd_pico));
    assert!(s1
        .rows
        .iter()
        .zip(&s2.rows)
        .any(|(x, y)| x.api_actions != y.api_actions));
}

#[test]
fn baseline_conserves_tokens_and_surfaces_unfunded_usd_subscriptions() {
    let r = simulate(&baseline(&[])).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.invariants, Ok(()));
    let totals = r.state.totals(r.info.token);
    let by_reason: u128 = BurnReason::ALL
        .iter()
        .map(|b| totals.burned_by_reason[*b as usize])
        .sum();
    let last = r.rows.last().unwrap();
    assert_eq!(by_reason, last.cum_burned);
    assert_eq!(totals.burned, last.cum_burned);
    assert_eq!(
        r.rows.iter().map(|x| x.burned).sum::<u128>(),
        last.cum_burned
    );
    assert_eq!(
        r.state.supply(r.info.token),
        r.initial_supply + last.cum_emitted - last.cum_burned
    );
    for row in &r.rows {
        assert_eq!(
            row.net_supply_change,
            row.emitted as i128 - row.burned as i128
        );
        let legs: u128 = row.legs.iter().sum();
        assert_eq!(legs + row.dust, row.tokens_consumed);
    }

    // Day 1: 20 USD agents pay $20,000; 80% ($16,000) is spread over the
    // 30-day period: $533.333333 buys 53,333.3333 LAM of fuel, enough for
    // 5,333 of the 20 x 5,000 actions due at 10 LAM each.
    let d1 = r.rows[0];
    assert_eq!(d1.usd_revenue, 20_000_000_000);
    assert_eq!(d1.buyback_usd, 533_333_333);
    assert_eq!(d1.buyback_tokens, 533_333_333 * LAM / 10_000);
    assert_eq!(d1.unfunded_subscription, 94_667);
    // 10 token agents run their 5,000 actions each from escrow, plus the
    // 5,333 funded USD actions.
    assert_eq!(d1.subscription_actions, 55_333);
    assert_eq!(d1.api_actions, 1_000_000);
    // 10M LAM pay-as-you-go + 50,000 x 0.6 LAM escrow + 5,333 x 10 LAM.
    assert_eq!(d1.tokens_consumed, 10_083_330 * LAM);

    let summary: serde_json::Value = serde_json::from_str(&r.summary_json()).unwrap();
    assert_eq!(summary["invariants"], "ok");
    assert_eq!(summary["cumulative_usd_revenue"], "260000");
    let warnings = summary["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().starts_with("USD subscriptions:")),
        "{warnings:?}"
    );
    assert!(r.summary_text().contains("warning: USD subscriptions"));
    assert_eq!(summary["balances"]["community"]["LAM"], "350000000");
}

#[test]
fn without_sell_back_the_market_runs_dry() {
    let scenario = constant_usage(
        "100",
        &[("emissions.model", "none"), ("holders.sell_back", "false")],
    );
    let r = simulate(&scenario).unwrap();
    // 600M LAM held by the `otc` market's account (lam.toml: the other
    // 50M of the float seed the lam_usd pool) at 10M a day: 60 full days.
    assert_eq!(r.first_market_short_step, Some(61));
    assert_eq!(r.rows[59].unfunded_actions, 0);
    assert_eq!(r.rows[60].api_actions, 0);
    assert_eq!(r.rows[60].unfunded_actions, 1_000_000);
    assert_eq!(
        r.rows[99].supply,
        1_000_000_000 * LAM - 60 * 3_400_000 * LAM
    );
    assert!(r.invariants.is_ok());
}

#[test]
fn price_growth_lowers_tokens_per_action() {
    let scenario = baseline(&[
        ("days", "3"),
        ("price.model", "table"),
        ("price.table_usd", "[0.01, 0.1, 1.0]"),
    ]);
    let r = simulate(&scenario).unwrap();
    // Seed 001's examples: 10 / 1 / 0.1 tokens per action.
    let tau: Vec<u128> = r.rows.iter().map(|x| x.tokens_per_action).collect();
    assert_eq!(tau, vec![10 * LAM, LAM, LAM / 10]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn any_run_keeps_the_ledger_consistent(
        seed in any::<u64>(),
        days in 1u32..70,
        actions in 0u64..3_000_000,
        vol in 0.0f64..1.5,
        noise in 0.0f64..0.6,
        emission in 0u64..5_000_000,
        share in 0u32..=100,
        usd_agents in 0u32..40,
        token_agents in 0u32..40,
    ) {
        let (days, actions, vol, noise, emission, share, usd_agents, token_agents) = (
            days.to_string(), actions.to_string(), format!("{vol}"), format!("{noise}"),
            emission.to_string(), format!("{share}%"), usd_agents.to_string(), token_agents.to_string(),
        );
        let scenario = baseline(&[
            ("days", &days),
            ("price.model", "gbm"),
            ("price.annual_volatility", &vol),
            ("demand.actions_per_day", &actions),
            ("demand.noise", &noise),
            ("demand.marketplace_share", &share),
            ("emissions.per_day", &emission),
            ("subscriptions.usd_agents", &usd_agents),
            ("subscriptions.token_agents", &token_agents),
        ]);
        let r = simulate_seeded(&scenario, seed).unwrap();
        prop_assert!(r.invariants.is_ok());
        let last = r.rows.last().unwrap();
        prop_assert_eq!(r.state.totals(r.info.token).burned, last.cum_burned);
        prop_assert_eq!(
            r.state.supply(r.info.token),
            r.initial_supply + last.cum_emitted - last.cum_burned
        );
        for row in &r.rows {
            prop_assert_eq!(row.legs.iter().sum::<u128>() + row.dust, row.tokens_consumed);
            prop_assert_eq!(row.burned, row.burned_action + row.burned_buyback);
        }
    }
}

/// Trainer rewards through the simulator: with a 5% trainer leg carved from
/// the ecosystem's 33% and 30% of actions on the trained path, the trainers
/// are paid exactly their pro rata floors of 5% of those actions' tokens.
#[test]
fn trainers_on_the_trained_path_are_paid_pro_rata() {
    let scenario = constant_usage(
        "3",
        &[
            ("emissions.model", "none"),
            ("holders.sell_back", "false"),
            ("economy.splits.action.legs[2].share", "28%"),
            ("economy.splits.action.legs[3].share", "5%"),
            ("trainers.trainers", "1000"),
            ("trainers.path_share", "30%"),
        ],
    );
    let r = simulate(&scenario).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.invariants.is_ok());
    let lam = |x: u128| x * LAM;
    for row in &r.rows {
        // 1,000,000 actions x 10 LAM; the trainer leg is 5% of all of it.
        assert_eq!(row.tokens_consumed, lam(10_000_000));
        assert_eq!(row.legs[3], lam(500_000));
        // 30% of each batch (500,000 marketplace + 500,000 not) uses the
        // path: 300,000 actions, 3,000,000 LAM, whose 5% is 150,000 LAM.
        let on_path_leg = lam(150_000);
        assert_eq!(row.no_trainers, lam(500_000) - on_path_leg);
        // Pro rata floors lose at most one base unit per trainer per event
        // (two events on the path per day); the rest is dust.
        assert!(row.trainers <= on_path_leg && on_path_leg - row.trainers < 2 * 1000);
        assert!(row.dust < 2 * 1000 + 4, "{}", row.dust);
        assert_eq!(row.legs[2], lam(2_800_000));
    }
    // Without sell-back the trainers keep what they were paid: their
    // balances sum to the trainer column, and follow quality x usage.
    let trainer_ids: Vec<furnace_core::AccountId> = r
        .info
        .accounts
        .iter()
        .filter(|(_, name)| name.starts_with("trainer "))
        .map(|(a, _)| *a)
        .collect();
    assert_eq!(trainer_ids.len(), 1000);
    let balances: Vec<u128> = trainer_ids
        .iter()
        .map(|a| r.state.balance(r.info.token, *a))
        .collect();
    let paid: u128 = r.rows.iter().map(|row| row.trainers).sum();
    assert_eq!(balances.iter().sum::<u128>(), paid);
    let weights = &r.state.paths()[0].trainers;
    let total_weight = r.state.paths()[0].total_weight;
    for (b, (_, w)) in balances.iter().zip(weights) {
        // 3 days x 2 events, each floor(leg_event * w / W).
        let exact = lam(450_000) * w / total_weight;
        assert!(*b <= exact && exact - b <= 6, "{b} vs {exact}");
    }
    let summary: serde_json::Value = serde_json::from_str(&r.summary_json()).unwrap();
    assert_eq!(
        summary["cumulative_trainers"].as_str().unwrap(),
        furnace_core::units::format_decimal(paid, 18)
    );
    // The same seed draws the same trainers; weights come from their own
    // random stream, so prices and demand are unaffected by them.
    let again = simulate(&scenario).unwrap();
    assert_eq!(again.state.paths()[0], r.state.paths()[0]);
}

/// Seed 000's other burning flows (failed actions, voluntary and penalty
/// burns) go through the engine as burns and show in the daily and
/// cumulative burn totals, each under its own reason.
#[test]
fn failed_voluntary_and_penalty_burns_show_in_the_totals() {
    let scenario = constant_usage(
        "10",
        &[
            ("emissions.model", "none"),
            ("burns.failed_action_share", "2%"),
            ("burns.voluntary_per_day", "100_000"),
            ("burns.penalty_per_day", "1_000"),
            ("burns.penalty_from", "community"),
        ],
    );
    let r = simulate(&scenario).unwrap_or_else(|e| panic!("{e}"));
    for row in &r.rows {
        // 2% of 1,000,000 actions fail: 20,000 x 10 LAM burned whole.
        assert_eq!(row.failed_actions, 20_000);
        assert_eq!(row.api_actions, 980_000);
        assert_eq!(row.burned_failed_action, 200_000 * LAM);
        assert_eq!(row.burned_action, 3_332_000 * LAM);
        assert_eq!(row.burned_voluntary, 100_000 * LAM);
        assert_eq!(row.burned_penalty, 1_000 * LAM);
        assert_eq!(row.burned, 3_633_000 * LAM);
        assert_eq!(row.net_supply_change, -3_633_000 * LAM as i128);
    }
    let s: serde_json::Value = serde_json::from_str(&r.summary_json()).unwrap();
    let by = &s["cumulative_burned_by_reason"];
    assert_eq!(by["failed_action"], "2000000");
    assert_eq!(by["voluntary"], "1000000");
    assert_eq!(by["penalty"], "10000");
    assert_eq!(s["cumulative_burned"], "36330000");
    assert_eq!(s["balances"]["community"]["LAM"], "349990000");
    assert!(r.invariants.is_ok());
}

/// Regression: a maximum supply below what the schedule emits used to fail
/// the run ("a bug in the simulator or the engine") after `check` accepted
/// the file. Emissions now stop at the cap and the cut is reported.
#[test]
fn emissions_stop_at_the_maximum_supply() {
    let mut scenario_sets = vec![("economy.tokens.LAM.max_supply", "1_000_100_000")];
    scenario_sets.push(("emissions.per_day", "1_000_000"));
    let scenario = constant_usage("2", &scenario_sets);
    let r = simulate(&scenario).unwrap_or_else(|e| panic!("{e}"));
    // Day 1: 100,000 LAM of headroom over the 10^9 genesis: 100,000
    // emitted, 900,000 cut; 3,400,000 burned by usage.
    assert_eq!(r.rows[0].emitted, 100_000 * LAM);
    assert_eq!(r.rows[0].emission_cut, 900_000 * LAM);
    assert_eq!(r.rows[0].supply, 1_000_100_000 * LAM - 3_400_000 * LAM);
    // Day 2: the burn made room; the full 1,000,000 is emitted.
    assert_eq!(r.rows[1].emitted, 1_000_000 * LAM);
    assert_eq!(r.rows[1].emission_cut, 0);
    assert!(r.warnings().iter().any(|w| w.starts_with(
        "emissions: 900,000 LAM were not minted: LAM reached its maximum supply (first on day 1)"
    )));
    assert!(r.invariants.is_ok());
}

/// Pooled trainers (issue 7): with `trainers.pool`, the split's trainers leg
/// credits a points pool whole, in O(1) per action whatever the number of
/// trainers; each trainer holds a position weighted quality x usage (the
/// same draws as an unpooled path) and claims from the pool.
#[test]
fn pooled_trainers_are_credited_through_a_points_pool_and_claim() {
    let scenario = constant_usage(
        "3",
        &[
            ("emissions.model", "none"),
            ("holders.sell_back", "false"),
            ("economy.reward_pools.trainers_pool.reward", "LAM"),
            ("economy.reward_pools.trainers_pool.points", "true"),
            ("economy.reward_pools.trainers_pool.empty_to", "ecosystem"),
            ("economy.reward_pools.trainers_pool.dust_to", "unallocated"),
            ("economy.splits.action.legs[2].share", "28%"),
            ("economy.splits.action.legs[3].share", "5%"),
            ("trainers.trainers", "1000"),
            ("trainers.path_share", "30%"),
            ("trainers.pool", "trainers_pool"),
        ],
    );
    let r = simulate(&scenario).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.invariants.is_ok(), "{:?}", r.invariants);
    let lam = |x: u128| x * LAM;
    for row in &r.rows {
        // 30% of the actions use the path: their 5% leg, whole, to the pool
        // (no per-trainer floors, so no trainer dust).
        assert_eq!(row.trainers, lam(150_000));
        assert_eq!(row.no_trainers, lam(500_000) - lam(150_000));
        assert_eq!(row.dust, 0);
    }
    let economy = &scenario.economy.economy;
    let pool_id = economy.reward_pool_by_name("trainers_pool").unwrap();
    let pool = r.state.reward_pool(pool_id).unwrap();
    let paid: u128 = r.rows.iter().map(|row| row.trainers).sum();
    assert_eq!(paid, lam(450_000));
    assert_eq!(pool.totals().credited, paid);
    assert_eq!(pool.totals().to_empty, 0);
    assert_eq!(pool.totals().rewards_held, paid);

    // One position per trainer, weighted as the unpooled path would weigh
    // them (the same seed draws the same quality and usage).
    let path = &r.state.paths()[0];
    assert_eq!(path.pool, Some(pool_id));
    assert!(path.trainers.is_empty());
    let unpooled = simulate(&constant_usage(
        "1",
        &[
            ("emissions.model", "none"),
            ("economy.splits.action.legs[2].share", "28%"),
            ("economy.splits.action.legs[3].share", "5%"),
            ("trainers.trainers", "1000"),
            ("trainers.path_share", "30%"),
        ],
    ))
    .unwrap();
    let expected = &unpooled.state.paths()[0];
    let positions = pool.positions();
    assert_eq!(positions.len(), 1000);
    for (p, (trainer, weight)) in positions.iter().zip(&expected.trainers) {
        assert_eq!((p.owner, p.weight), (*trainer, *weight));
    }
    assert_eq!(pool.totals().total_weight, expected.total_weight);

    // Every trainer claims: each gets at most its exact pro rata share,
    // and what the pool keeps is less than one base unit per position.
    let mut state = r.state.clone();
    let mut claimed = 0;
    for (i, p) in positions.iter().enumerate() {
        let position = furnace_core::ids::PositionId::from_index(i).unwrap();
        let before = state.balance(r.info.token, p.owner);
        let receipt = furnace_core::engine::apply(
            economy,
            &mut state,
            &furnace_core::Event::Claim {
                pool: pool_id,
                position,
            },
        )
        .unwrap();
        let furnace_core::Receipt::Claimed { rewards, .. } = receipt else {
            panic!("{receipt:?}");
        };
        assert_eq!(state.balance(r.info.token, p.owner) - before, rewards);
        let exact = paid * p.weight / expected.total_weight;
        assert!(
            rewards <= exact && exact - rewards <= 6,
            "{rewards} vs {exact}"
        );
        claimed += rewards;
    }
    assert!(paid - claimed < 1000 * 6, "{paid} vs {claimed}");
}
