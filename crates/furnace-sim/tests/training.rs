//! `[training]` (`day/points.rs`): trainers earning LAM's training points
//! under economies/lam.toml's `[points.training]`, the community vesting
//! paid into the points pool pro rata to points. Hand-computed from the
//! public tables (shared/reference/lam.md) and the scenario's figures.

use furnace_config::{load_scenario, Scenario};
use furnace_core::ids::PointsRulesId;
use furnace_sim::simulate;
use std::path::Path;

/// floor(350,000,000 x 10^18 / 1,460): the daily vesting, base units.
const VEST: u128 = 239_726_027_397_260_273_972_602;

fn earning(sets: &[(&str, &str)]) -> (Scenario, furnace_sim::SimResult) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/lam-earning.toml");
    let sets: Vec<(String, String)> = sets
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let scenario = load_scenario(&path, &sets).unwrap_or_else(|e| panic!("{e}"));
    let r = simulate(&scenario).unwrap_or_else(|e| panic!("{e}"));
    r.invariants.clone().unwrap();
    (scenario, r)
}

fn column(r: &furnace_sim::SimResult, name: &str) -> Vec<u128> {
    let c = r
        .ledger
        .column(name)
        .unwrap_or_else(|| panic!("no column {name}"));
    (0..r.ledger.steps())
        .map(|s| r.ledger.value(s, c))
        .collect()
}

#[test]
fn two_trainers_by_hand_and_the_vesting_paid_pro_rata() {
    // One active trainer (300 actions a day exactly), one background (8 h
    // x 10 = 80 base points), no bounty, no referral, 10 days, all in the
    // founding epoch (5x: steps 1-29).
    let (scenario, r) = earning(&[
        ("days", "10"),
        ("training.trainers", "2"),
        ("training.active_share", "50%"),
        ("training.actions_sigma", "0%"),
        ("training.bounties", "[]"),
        ("training.referred_share", "0%"),
        // No claims: the ten days' accrual stays claimable, checked below.
        ("training.claim_every_days", "0"),
    ]);
    // Active, Seed: 300 x (1 + 0 + 4 + 100%) = 1,800 a day; after day 5
    // 9,000 (Seed), day 6 still Seed: 10,800 (Root from now on); days 7-10:
    // 300 x 6.05 = 1,815 each.
    let active: Vec<u128> = vec![
        1_800, 3_600, 5_400, 7_200, 9_000, 10_800, 12_615, 14_430, 16_245, 18_060,
    ];
    // Background, Seed: 80 x 5 = 400 a day.
    let background: Vec<u128> = (1..=10).map(|d| 400 * d).collect();
    let total: Vec<u128> = active.iter().zip(&background).map(|(a, b)| a + b).collect();
    assert_eq!(column(&r, "training_points"), total);
    let earned: Vec<u128> = vec![
        2_200, 2_200, 2_200, 2_200, 2_200, 2_200, 2_215, 2_215, 2_215, 2_215,
    ];
    assert_eq!(column(&r, "training_points_earned"), earned);
    assert_eq!(column(&r, "training_points_referral"), vec![0; 10]);
    // Paid per point: a day's vesting over the day's points, floored.
    let per_point: Vec<u128> = total.iter().map(|t| VEST / t).collect();
    assert_eq!(column(&r, "training_paid_per_point"), per_point);

    // Each trainer's LAM: the sum over days of VEST x its points / all
    // points, each position at most one base unit below the exact sum
    // (the accumulator carries every fraction). Floors of each day's
    // share give a lower bound at most 10 units below the exact sum.
    let e = &scenario.economy.economy;
    let rules = &e.points[0];
    let p = r.state.points(PointsRulesId(0)).unwrap();
    let trainers: Vec<_> = p
        .accounts()
        .filter(|(_, a)| a.lifetime > 0)
        .map(|(_, a)| (a.position.unwrap(), a.lifetime))
        .collect();
    assert_eq!(trainers.len(), 2);
    assert_eq!((trainers[0].1, trainers[1].1), (18_060, 4_000));
    let mut paid = 0;
    for ((position, _), series) in trainers.iter().zip([&active, &background]) {
        let got = furnace_core::engine::claimable(e, &r.state, rules.pool, *position)
            .unwrap()
            .0;
        let floors: u128 = series
            .iter()
            .zip(&total)
            .map(|(mine, all)| VEST * mine / all)
            .sum();
        assert!(got + 1 >= floors && got <= floors + 10, "{got} vs {floors}");
        paid += got;
    }
    // Every unit of the ten days' vesting is the trainers' (at most a unit
    // each still a fraction in the pool).
    let t = r.state.reward_pool(rules.pool).unwrap().totals();
    assert_eq!(t.credited, 10 * VEST);
    assert_eq!(t.rewards_held, 10 * VEST);
    assert!(10 * VEST - paid <= 2);
}

#[test]
fn the_default_population_conserves_points_and_the_vesting() {
    let (scenario, r) = earning(&[("days", "40")]);
    let e = &scenario.economy.economy;
    let rules = &e.points[0];
    let p = r.state.points(PointsRulesId(0)).unwrap();
    // The columns add up to the ledger's own counters: the setup's sign-up
    // bonuses come before step 1.
    let earned: u128 = column(&r, "training_points_earned").iter().sum();
    let referral: u128 = column(&r, "training_points_referral").iter().sum();
    assert_eq!(earned, p.earned());
    let setup_bonuses = p.total() - earned - referral;
    assert_eq!(p.earned() + p.commissions() + p.bonuses(), p.total());
    // Sign-up bonuses: 1,000 a referral in tier 1 (0-5 referrals), 2,000 in
    // tier 2: what the referrals recorded in the state say.
    let mut expected = 0u128;
    for (_, a) in p.accounts() {
        for n in 1..=a.referrals {
            expected += if n <= 5 {
                1_000
            } else if n <= 20 {
                2_000
            } else {
                4_000
            };
        }
    }
    assert_eq!(setup_bonuses, expected);
    assert!(expected > 0, "the scenario refers some trainers");
    assert_eq!(*column(&r, "training_points").last().unwrap(), p.total());
    // 40 days of vesting, all credited to the pool (the trainers had
    // points from day 1, so nothing went to `empty_to`).
    let t = r.state.reward_pool(rules.pool).unwrap().totals();
    assert_eq!(t.credited, 40 * VEST);
    assert_eq!(t.to_empty, 0);
    assert!(t.consistent());
    assert_eq!(t.total_weight, p.total());
}

/// `claim_every_days`: on a claim step (7 and 14) every trainer takes what
/// its points earned so far. Claims come before the day's emission (the
/// training step precedes it), so at the end of step 14 only day 14's
/// vesting is claimable; what the trainers hold is exactly what the pool
/// paid, and paid + still held + dust booked is every vested unit.
#[test]
fn trainers_claim_every_week_and_hold_what_the_pool_paid() {
    let (scenario, r) = earning(&[
        ("days", "14"),
        ("training.trainers", "30"),
        ("training.claim_every_days", "7"),
    ]);
    let e = &scenario.economy.economy;
    let rules = &e.points[0];
    let lam = e.asset_by_name("LAM").unwrap();
    let p = r.state.points(PointsRulesId(0)).unwrap();
    let t = *r.state.reward_pool(rules.pool).unwrap().totals();
    let (mut held_by_trainers, mut left, mut positions) = (0u128, 0u128, 0u128);
    for (account, a) in p.accounts() {
        let Some(position) = a.position else { continue };
        positions += 1;
        let (rewards, unbonded) =
            furnace_core::engine::claimable(e, &r.state, rules.pool, position).unwrap();
        assert_eq!(unbonded, 0);
        left += rewards;
        held_by_trainers += r.state.balance(lam, account);
    }
    assert_eq!(positions, 30);
    assert!(t.paid > 0);
    assert_eq!(held_by_trainers, t.paid);
    assert_eq!(t.paid + t.rewards_held + t.dust_booked, 14 * VEST);
    // Left: day 14's vesting, less under a unit per position of rounding.
    assert!(left <= VEST && left + positions >= VEST, "{left}");
    // Without claims the trainers hold nothing and the pool everything.
    let (_, quiet) = earning(&[
        ("days", "14"),
        ("training.trainers", "30"),
        ("training.claim_every_days", "0"),
    ]);
    let q = quiet.state.reward_pool(rules.pool).unwrap().totals();
    assert_eq!(q.paid, 0);
    assert_eq!(q.rewards_held + q.dust_booked, 14 * VEST);
}
