//! Points rules (LAM's training points and referrals, `engine/points.rs`)
//! with the public LAM tables (shared/reference/lam.md, "Training points"
//! and "Referrals"), every expected figure worked out by hand in the
//! comments or by a naive model written here.
//!
//! The economy: LAM (`common::lam_rewards_spec`) plus a points pool
//! `training` (id 4) and one points rule (id 0) whose epochs last 2 steps,
//! so step 0-1 is the founding epoch (5x), 2-3 epoch 1 (2.0x), ..., from
//! step 24 on epoch 12 (1x).

mod common;

use common::*;
use furnace_core::economy::{
    BadgeTier, BountyTier, Destination, EmissionChannel, EmissionCurve, EmissionSchedule,
    EmissionSource, PointsRules, PoolWeight, ReferralTier, TrainingMode,
};
use furnace_core::event::BountyClaim;
use furnace_core::ids::{PointsRulesId, RewardPoolId, ScheduleId};
use furnace_core::units::Ppm;
use furnace_core::{AccountId, Economy, Event, Receipt, State, ValidEconomy};
use proptest::prelude::*;

const POOL: RewardPoolId = RewardPoolId(4);
const RULES: PointsRulesId = PointsRulesId(0);
const BACKGROUND: u8 = 0;
const ACTIVE: u8 = 1;
const SILVER: u8 = 1;

/// Epoch multipliers, ppm: founding 5x, epochs 1-8 2.0 .. 1.3, 9 1.25,
/// 10 1.2, 11 1.1, 12+ 1x.
const EPOCHS: [u32; 13] = [
    5_000_000, 2_000_000, 1_900_000, 1_800_000, 1_700_000, 1_600_000, 1_500_000, 1_400_000,
    1_300_000, 1_250_000, 1_200_000, 1_100_000, 1_000_000,
];
/// Badges: (from lifetime points, bonus ppm), Seed .. Evergreen.
const BADGES: [(u128, u32); 8] = [
    (0, 0),
    (10_000, 50_000),
    (50_000, 100_000),
    (250_000, 150_000),
    (1_000_000, 200_000),
    (5_000_000, 300_000),
    (25_000_000, 400_000),
    (100_000_000, 500_000),
];
/// Bounty tiers (min, max) ppm: bronze, silver, gold, platinum.
const BOUNTIES: [(u32, u32); 4] = [
    (1_000_000, 2_000_000),
    (3_000_000, 10_000_000),
    (10_000_000, 20_000_000),
    (20_000_000, 100_000_000),
];
/// Referral tiers: (from referrals, commission ppm, sign-up, qualified).
const REFERRALS: [(u32, u32, u128, u128); 5] = [
    (0, 50_000, 1_000, 4_000),
    (6, 100_000, 2_000, 8_000),
    (21, 150_000, 4_000, 16_000),
    (101, 200_000, 8_000, 32_000),
    (1_000, 250_000, 16_000, 64_000),
];

fn rules(pool: RewardPoolId) -> PointsRules {
    PointsRules {
        name: "training".into(),
        pool,
        epoch_steps: 2,
        epochs: EPOCHS.to_vec(),
        badges: BADGES
            .iter()
            .enumerate()
            .map(|(i, (from, bonus))| BadgeTier {
                name: format!("badge{i}"),
                from_points: *from,
                bonus_ppm: *bonus,
            })
            .collect(),
        modes: vec![
            TrainingMode {
                name: "background".into(),
                bonus_ppm: 0,
            },
            TrainingMode {
                name: "active".into(),
                bonus_ppm: 1_000_000,
            },
        ],
        bounties: BOUNTIES
            .iter()
            .enumerate()
            .map(|(i, (min, max))| BountyTier {
                name: format!("bounty{i}"),
                min_ppm: *min,
                max_ppm: *max,
            })
            .collect(),
        referrals: REFERRALS
            .iter()
            .map(|(from, c, s, q)| ReferralTier {
                from_referrals: *from,
                commission_ppm: *c,
                signup_bonus: *s,
                qualified_bonus: *q,
            })
            .collect(),
    }
}

fn spec() -> Economy {
    let mut spec = lam_rewards_spec();
    let lam = asset(&spec, "LAM");
    let pool = lam_pool(&spec, "training", lam, PoolWeight::Points);
    spec.reward_pools.push(pool);
    spec.points.push(rules(POOL));
    // A daily distribution from the community allocation into the points
    // pool: 1,000 LAM a step.
    let community = acct(&spec, "community");
    spec.emissions.push(EmissionSchedule {
        name: "daily".into(),
        token: lam,
        source: EmissionSource::Account(community),
        channels: vec![EmissionChannel {
            name: "training".into(),
            to: Destination::RewardPool(POOL),
            share: Ppm::ONE,
        }],
        curve: EmissionCurve::Constant {
            per_epoch: 1_000 * T,
        },
        cap: None,
        already_emitted: 0,
        epoch_steps: 1,
    });
    spec
}

fn world() -> (ValidEconomy, State) {
    let e = valid(spec());
    let s = State::genesis(&e);
    (e, s)
}

fn earn(
    e: &ValidEconomy,
    s: &mut State,
    account: AccountId,
    base: u64,
    mode: u8,
    bounty: Option<(u8, u32)>,
) -> (u128, u128) {
    let ev = Event::EarnPoints {
        rules: RULES,
        account,
        base,
        mode,
        bounty: bounty.map(|(tier, multiplier_ppm)| BountyClaim {
            tier,
            multiplier_ppm,
        }),
    };
    match must(e, s, ev) {
        Receipt::PointsEarned(r) => (r.points, r.commission),
        r => panic!("{r:?}"),
    }
}

fn refer(e: &ValidEconomy, s: &mut State, referrer: AccountId, referee: AccountId) -> u128 {
    match must(
        e,
        s,
        Event::Refer {
            rules: RULES,
            referrer,
            referee,
        },
    ) {
        Receipt::Referred { bonus, .. } => bonus,
        r => panic!("{r:?}"),
    }
}

fn qualify(e: &ValidEconomy, s: &mut State, referee: AccountId) -> u128 {
    match must(
        e,
        s,
        Event::QualifyReferral {
            rules: RULES,
            referee,
        },
    ) {
        Receipt::ReferralQualified { bonus, .. } => bonus,
        r => panic!("{r:?}"),
    }
}

fn lifetime(s: &State, a: AccountId) -> u128 {
    s.points(RULES).unwrap().account(a).lifetime
}

fn ticks(e: &ValidEconomy, s: &mut State, n: u32) {
    for _ in 0..n {
        must(e, s, Event::Tick);
    }
}

#[test]
fn a_root_trainer_in_epoch_1_active_on_a_silver_3x_bounty() {
    let (e, mut s) = world();
    let t = open(&e, &mut s);
    // Founding epoch (step 0), background, no bounty, Seed badge:
    // 2,000 x (1 + 0 + (5 - 1) + 0 + 0) = 10,000 points: exactly Root.
    assert_eq!(earn(&e, &mut s, t, 2_000, BACKGROUND, None), (10_000, 0));
    assert_eq!(lifetime(&s, t), 10_000);
    ticks(&e, &mut s, 2); // step 2: epoch 1, 2.0x
                          // 1,000 x (1 + 5% + (2.0 - 1) + 100% + (3 - 1)) = 1,000 x 5.05 = 5,050.
    assert_eq!(
        earn(&e, &mut s, t, 1_000, ACTIVE, Some((SILVER, 3_000_000))),
        (5_050, 0)
    );
    assert_eq!(lifetime(&s, t), 15_050);
    // The account's position weighs its lifetime points.
    let p = s.reward_pool(POOL).unwrap();
    assert_eq!(p.positions()[0].weight, 15_050);
    assert_eq!(p.totals().total_weight, 15_050);
    // Floors: 7 x 5.05 = 35.35 -> 35 (Root, epoch 1, active, silver 3x).
    assert_eq!(
        earn(&e, &mut s, t, 7, ACTIVE, Some((SILVER, 3_000_000))),
        (35, 0)
    );
}

#[test]
fn the_badge_applies_from_the_event_after_its_threshold_is_crossed() {
    let (e, mut s) = world();
    let t = open(&e, &mut s);
    ticks(&e, &mut s, 24); // epoch 12: 1x
    assert_eq!(earn(&e, &mut s, t, 9_999, BACKGROUND, None).0, 9_999);
    // 9,999 points: still Seed, so 1 x 1.00 = 1 point (lifetime 10,000).
    assert_eq!(earn(&e, &mut s, t, 1, BACKGROUND, None).0, 1);
    // Now Root: 1,000 x 1.05 = 1,050 (lifetime 11,050).
    assert_eq!(earn(&e, &mut s, t, 1_000, BACKGROUND, None).0, 1_050);
    // To 49,999: Root still, 38,949 x 1.05 = 40,896.45 -> 40,896: lifetime
    // 51,946, Sprout from the next event: 100 x 1.10 = 110.
    assert_eq!(earn(&e, &mut s, t, 38_949, BACKGROUND, None).0, 40_896);
    assert_eq!(lifetime(&s, t), 51_946);
    assert_eq!(earn(&e, &mut s, t, 100, BACKGROUND, None).0, 110);
}

#[test]
fn epochs_follow_the_step_and_the_last_continues() {
    let r = rules(POOL);
    // 2 steps an epoch: step 3 is epoch 1 (2.0x), step 23 epoch 11 (1.1x),
    // step 24 and step 10^9 are past the table: 1x.
    assert_eq!(r.epoch_multiplier_ppm(0), 5_000_000);
    assert_eq!(r.epoch_multiplier_ppm(3), 2_000_000);
    assert_eq!(r.epoch_multiplier_ppm(19), 1_250_000);
    assert_eq!(r.epoch_multiplier_ppm(23), 1_100_000);
    assert_eq!(r.epoch_multiplier_ppm(24), 1_000_000);
    assert_eq!(r.epoch_multiplier_ppm(u64::MAX), 1_000_000);
    assert_eq!(r.badge(9_999).bonus_ppm, 0);
    assert_eq!(r.badge(100_000_000).bonus_ppm, 500_000);
    assert_eq!(r.referral_tier(5).commission_ppm, 50_000);
    assert_eq!(r.referral_tier(6).commission_ppm, 100_000);
    assert_eq!(r.referral_tier(1_000).commission_ppm, 250_000);
}

#[test]
fn referral_commission_and_bonuses_at_the_5_to_6_boundary() {
    let (e, mut s) = world();
    ticks(&e, &mut s, 24); // 1x, so points = base (Seed badge).
    let referrer = open(&e, &mut s);
    let referees: Vec<AccountId> = (0..6).map(|_| open(&e, &mut s)).collect();
    // Five referrals: tier 1 (0-5 referrals), 1,000 sign-up points each.
    for r in &referees[..5] {
        assert_eq!(refer(&e, &mut s, referrer, *r), 1_000);
    }
    assert_eq!(lifetime(&s, referrer), 5_000);
    // A referee earns 1,000 points; the referrer (5 referrals) earns 5%:
    // 50, the referee keeps its 1,000.
    assert_eq!(
        earn(&e, &mut s, referees[0], 1_000, BACKGROUND, None),
        (1_000, 50)
    );
    assert_eq!(lifetime(&s, referees[0]), 1_000);
    assert_eq!(lifetime(&s, referrer), 5_050);
    // 999 points: 5% is 49.95 -> 49.
    assert_eq!(
        earn(&e, &mut s, referees[1], 999, BACKGROUND, None),
        (999, 49)
    );
    // The sixth referral is in tier 2 (6-20): 2,000 sign-up points.
    assert_eq!(refer(&e, &mut s, referrer, referees[5]), 2_000);
    assert_eq!(lifetime(&s, referrer), 5_050 + 49 + 2_000);
    // Now 10%: 1,000 points bring the referrer 100.
    assert_eq!(
        earn(&e, &mut s, referees[0], 1_000, BACKGROUND, None),
        (1_000, 100)
    );
    // Qualification at tier 2: 8,000 points, once.
    assert_eq!(qualify(&e, &mut s, referees[0]), 8_000);
    let total = 5_050 + 49 + 2_000 + 100 + 8_000;
    assert_eq!(lifetime(&s, referrer), total);
    reject(
        &e,
        &mut s,
        Event::QualifyReferral {
            rules: RULES,
            referee: referees[0],
        },
        "already_qualified",
    );
    // Counters: earned 1,000 + 999 + 1,000; commissions 50 + 49 + 100;
    // bonuses 5 x 1,000 + 2,000 + 8,000.
    let p = s.points(RULES).unwrap();
    assert_eq!(p.earned(), 2_999);
    assert_eq!(p.commissions(), 199);
    assert_eq!(p.bonuses(), 15_000);
    assert_eq!(p.total(), 2_999 + 199 + 15_000);
    assert_eq!(
        s.reward_pool(POOL).unwrap().totals().total_weight,
        p.total()
    );
    // The referrer has 6 referrals; a referee, none.
    assert_eq!(p.account(referrer).referrals, 6);
    assert_eq!(p.account(referees[0]).referrer, Some(referrer));
}

#[test]
fn a_daily_emission_is_paid_pro_rata_to_points() {
    let (e, mut s) = world();
    let a = open(&e, &mut s);
    let b = open(&e, &mut s);
    let c = open(&e, &mut s);
    // Founding epoch: 5x. a: 1 x 5 = 5; b: 2 x 5 = 10; c: 3 x 5 = 15.
    earn(&e, &mut s, a, 1, BACKGROUND, None);
    earn(&e, &mut s, b, 2, BACKGROUND, None);
    earn(&e, &mut s, c, 3, BACKGROUND, None);
    must(&e, &mut s, Event::Tick);
    let Receipt::Emitted(_) = must(
        &e,
        &mut s,
        Event::Emit {
            schedule: ScheduleId(0),
        },
    ) else {
        panic!()
    };
    // 1,000 LAM over 30 points: 5/30, 10/30, 15/30 of 10^21 base units:
    // 166.666...: each at most one unit below its exact share.
    let owed = |points: u128| 1_000 * T * points / 30;
    let paid: Vec<u128> = [0u32, 1, 2]
        .iter()
        .map(|p| {
            furnace_core::engine::claimable(&e, &s, POOL, furnace_core::ids::PositionId(*p))
                .unwrap()
                .0
        })
        .collect();
    for (got, pts) in paid.iter().zip([5u128, 10, 15]) {
        assert!(
            *got <= owed(pts) && owed(pts) - *got <= 1,
            "{got} vs {}",
            owed(pts)
        );
    }
    // Every unit accounted: what positions can claim plus what the pool
    // still holds as fractions is the whole emission.
    let t = *s.reward_pool(POOL).unwrap().totals();
    assert_eq!(t.credited, 1_000 * T);
    assert_eq!(t.rewards_held, 1_000 * T);
    assert!(t.consistent());
    let unpaid = 1_000 * T - paid.iter().sum::<u128>();
    assert!(unpaid <= 2, "{unpaid}");
    // 166,666,666,666,666,666,666 exactly would be 1,000 x 5/30 LAM.
    assert_eq!(owed(5), 166_666_666_666_666_666_666);
    // Points earned later do not take what was credited earlier: b earns
    // 10 more points (founding epoch is over at step 2; step 1 still 5x).
    earn(&e, &mut s, b, 2, BACKGROUND, None);
    let after = furnace_core::engine::claimable(&e, &s, POOL, furnace_core::ids::PositionId(1))
        .unwrap()
        .0;
    assert_eq!(after, paid[1]);
}

#[test]
fn rejections_leave_the_state_unchanged_with_their_codes() {
    let (e, mut s) = world();
    let a = open(&e, &mut s);
    let b = open(&e, &mut s);
    let earn_ev = |account, base, mode, bounty| Event::EarnPoints {
        rules: RULES,
        account,
        base,
        mode,
        bounty,
    };
    reject(
        &e,
        &mut s,
        Event::EarnPoints {
            rules: PointsRulesId(1),
            account: a,
            base: 1,
            mode: 0,
            bounty: None,
        },
        "unknown_points_rules",
    );
    reject(&e, &mut s, earn_ev(a, 0, 0, None), "zero_amount");
    reject(&e, &mut s, earn_ev(a, 1, 2, None), "unknown_training_mode");
    reject(
        &e,
        &mut s,
        earn_ev(AccountId::opened(99).unwrap(), 1, 0, None),
        "unknown_account",
    );
    let bounty = |tier, multiplier_ppm| {
        Some(BountyClaim {
            tier,
            multiplier_ppm,
        })
    };
    reject(
        &e,
        &mut s,
        earn_ev(a, 1, 0, bounty(4, 1_000_000)),
        "unknown_bounty_tier",
    );
    // Silver is 3-10x: 2.999999x and 10.000001x are outside.
    reject(
        &e,
        &mut s,
        earn_ev(a, 1, 0, bounty(SILVER, 2_999_999)),
        "bounty_out_of_range",
    );
    reject(
        &e,
        &mut s,
        earn_ev(a, 1, 0, bounty(SILVER, 10_000_001)),
        "bounty_out_of_range",
    );
    let refer_ev = |referrer, referee| Event::Refer {
        rules: RULES,
        referrer,
        referee,
    };
    let r = reject(&e, &mut s, refer_ev(a, a), "self_referral");
    assert_eq!(
        r.to_string(),
        format!("account {} cannot refer itself", a.0)
    );
    reject(
        &e,
        &mut s,
        refer_ev(a, AccountId::opened(99).unwrap()),
        "unknown_account",
    );
    reject(
        &e,
        &mut s,
        Event::QualifyReferral {
            rules: RULES,
            referee: b,
        },
        "not_referred",
    );
    refer(&e, &mut s, a, b);
    reject(&e, &mut s, refer_ev(a, b), "already_referred");
    let c = open(&e, &mut s);
    reject(&e, &mut s, refer_ev(c, b), "already_referred");
    // The points pool's weights are points: SetWeight is refused.
    reject(
        &e,
        &mut s,
        Event::SetWeight {
            pool: POOL,
            position: furnace_core::ids::PositionId(0),
            weight: 7,
        },
        "weight_from_points",
    );
}

#[test]
fn validation_names_the_broken_key() {
    let mut bad = spec();
    bad.points[0].pool = RewardPoolId(0); // `stakers`, a stake pool
    bad.points[0].epochs[3] = 999_999;
    bad.points[0].badges[0].from_points = 1;
    bad.points[0].referrals[2].from_referrals = 6;
    bad.points[0].bounties[1].max_ppm = 2_000_000;
    bad.points[0].epoch_steps = 0;
    let errors = bad.validate().unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "points.training.pool",
            "points.training.epoch_steps",
            "points.training.epochs[3]",
            "points.training.bounties[1].max",
            "points.training.badges[0].from",
            "points.training.referrals[2].from",
        ],
        "{errors:?}"
    );
    let mut twice = spec();
    twice.points.push(rules(POOL));
    twice.points[1].name = "again".into();
    let errors = twice.validate().unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, "points.again.pool");
}

/// One operation of the random sequences.
#[derive(Clone, Debug)]
enum Op {
    Earn {
        who: usize,
        base: u64,
        active: bool,
        bounty: Option<(u8, u32)>,
    },
    Refer(usize, usize),
    Qualify(usize),
    Tick,
    Emit,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..6usize, 1..200_000u64, any::<bool>(), proptest::option::of((0..5u8, 500_000..120_000_000u32)))
            .prop_map(|(who, base, active, bounty)| Op::Earn { who, base, active, bounty }),
        2 => (0..6usize, 0..6usize).prop_map(|(a, b)| Op::Refer(a, b)),
        1 => (0..6usize).prop_map(Op::Qualify),
        2 => Just(Op::Tick),
        1 => Just(Op::Emit),
    ]
}

/// The naive model: the public tables and the formula, written again.
#[derive(Clone, Default)]
struct Naive {
    lifetime: [u128; 6],
    referrer: [Option<usize>; 6],
    referrals: [u32; 6],
    qualified: [bool; 6],
}

impl Naive {
    fn badge(points: u128) -> u128 {
        BADGES
            .iter()
            .rev()
            .find(|(f, _)| points >= *f)
            .unwrap()
            .1
            .into()
    }
    fn tier(referrals: u32) -> (u32, u32, u128, u128) {
        *REFERRALS.iter().rev().find(|t| referrals >= t.0).unwrap()
    }
    /// Points for an earn, or None when the event must be refused.
    fn earn(
        &mut self,
        step: u64,
        who: usize,
        base: u64,
        active: bool,
        bounty: Option<(u8, u32)>,
    ) -> Option<()> {
        let epoch = EPOCHS[(step / 2).min(12) as usize] as u128;
        let bounty = match bounty {
            None => 1_000_000,
            Some((tier, m)) => {
                let (lo, hi) = *BOUNTIES.get(tier as usize)?;
                if m < lo || m > hi {
                    return None;
                }
                m as u128
            }
        };
        let mode = if active { 1_000_000 } else { 0 };
        // 1 + badge + (epoch - 1) + mode + (bounty - 1), in ppm.
        let sum = 1_000_000
            + Self::badge(self.lifetime[who])
            + (epoch - 1_000_000)
            + mode
            + (bounty - 1_000_000);
        let points = base as u128 * sum / 1_000_000;
        self.lifetime[who] += points;
        if let Some(r) = self.referrer[who] {
            self.lifetime[r] += points * Self::tier(self.referrals[r]).1 as u128 / 1_000_000;
        }
        Some(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn points_match_a_naive_model_and_the_emission_conserves_every_unit(
        ops in proptest::collection::vec(op(), 1..60)
    ) {
        let (e, mut s) = world();
        let accts: Vec<AccountId> = (0..6).map(|_| open(&e, &mut s)).collect();
        let mut m = Naive::default();
        let mut step = 0u64;
        let mut emitted = 0u128;
        for op in ops {
            match op {
                Op::Earn { who, base, active, bounty } => {
                    let ev = Event::EarnPoints {
                        rules: RULES,
                        account: accts[who],
                        base,
                        mode: u8::from(active),
                        bounty: bounty.map(|(tier, multiplier_ppm)| BountyClaim { tier, multiplier_ppm }),
                    };
                    let before = s.clone();
                    let got = furnace_core::apply(&e, &mut s, &ev);
                    match m.earn(step, who, base, active, bounty) {
                        Some(()) => prop_assert!(got.is_ok(), "{got:?}"),
                        None => {
                            prop_assert!(got.is_err());
                            prop_assert!(s == before);
                        }
                    }
                }
                Op::Refer(a, b) => {
                    let ok = a != b && m.referrer[b].is_none();
                    let got = furnace_core::apply(&e, &mut s, &Event::Refer { rules: RULES, referrer: accts[a], referee: accts[b] });
                    prop_assert_eq!(got.is_ok(), ok);
                    if ok {
                        m.referrer[b] = Some(a);
                        m.referrals[a] += 1;
                        m.lifetime[a] += Naive::tier(m.referrals[a]).2;
                    }
                }
                Op::Qualify(b) => {
                    let ok = m.referrer[b].is_some() && !m.qualified[b];
                    let got = furnace_core::apply(&e, &mut s, &Event::QualifyReferral { rules: RULES, referee: accts[b] });
                    prop_assert_eq!(got.is_ok(), ok);
                    if ok {
                        m.qualified[b] = true;
                        let r = m.referrer[b].unwrap();
                        m.lifetime[r] += Naive::tier(m.referrals[r]).3;
                    }
                }
                Op::Tick => {
                    must(&e, &mut s, Event::Tick);
                    step += 1;
                }
                Op::Emit => {
                    if furnace_core::apply(&e, &mut s, &Event::Emit { schedule: ScheduleId(0) }).is_ok() {
                        emitted += 1_000 * T;
                    }
                }
            }
            for (i, a) in accts.iter().enumerate() {
                prop_assert_eq!(lifetime(&s, *a), m.lifetime[i], "account {}", i);
            }
        }
        // Conservation: every unit emitted was credited to the pool, and
        // is claimable by a position, sent to empty_to (no points yet), or
        // a fraction below one unit per position still held.
        let t = *s.reward_pool(POOL).unwrap().totals();
        prop_assert_eq!(t.credited, emitted);
        prop_assert!(t.consistent());
        let positions = s.reward_pool(POOL).unwrap().positions().len();
        let claimable: u128 = (0..positions)
            .map(|p| furnace_core::engine::claimable(&e, &s, POOL, furnace_core::ids::PositionId(p as u32)).unwrap().0)
            .sum();
        prop_assert!(claimable <= t.rewards_held);
        prop_assert!(t.rewards_held - claimable <= positions as u128 + 1);
        prop_assert_eq!(t.credited, t.to_empty + t.rewards_held + t.dust_booked + t.paid);
        s.check_invariants(&e).unwrap();
    }
}
