//! `EarnPoints` through `engine::apply`: a trainer with a referrer earns
//! points on a Silver 3x bounty (its position and its referrer's both
//! reweighed), in a points pool of 2 and of 100,000 positions, to show the
//! cost does not depend on the number of trainers. Run with
//! `cargo bench -p furnace-core --bench points`.
//!
//! Setup (outside the timed loop): `lam_rewards_spec` of `tests/common`
//! plus a points pool `training` and LAM's public points tables (as
//! `tests/points.rs`, epochs of 30 steps); `n` opened accounts each earn
//! once (opening its position); account 0 refers account 1. Each iteration
//! applies the same `EarnPoints { account 1, base 300, active, silver 3x }`
//! to a state whose points keep growing (no allocation: positions exist).

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use furnace_core::economy::{
    BadgeTier, BountyTier, PointsRules, PoolWeight, ReferralTier, TrainingMode,
};
use furnace_core::event::BountyClaim;
use furnace_core::ids::{PointsRulesId, RewardPoolId};
use furnace_core::{apply, AccountId, Event, State, ValidEconomy};
use std::hint::black_box;
use std::time::Duration;

const POOL: RewardPoolId = RewardPoolId(4);
const RULES: PointsRulesId = PointsRulesId(0);

fn economy() -> ValidEconomy {
    let mut spec = lam_rewards_spec();
    let lam = asset(&spec, "LAM");
    let pool = lam_pool(&spec, "training", lam, PoolWeight::Points);
    spec.reward_pools.push(pool);
    let badge = |from: u128, bonus: u32| BadgeTier {
        name: String::new(),
        from_points: from,
        bonus_ppm: bonus,
    };
    let tier = |from: u32, c: u32, s: u128, q: u128| ReferralTier {
        from_referrals: from,
        commission_ppm: c,
        signup_bonus: s,
        qualified_bonus: q,
    };
    spec.points.push(PointsRules {
        name: "training".into(),
        pool: POOL,
        epoch_steps: 30,
        epochs: vec![
            5_000_000, 2_000_000, 1_900_000, 1_800_000, 1_700_000, 1_600_000, 1_500_000, 1_400_000,
            1_300_000, 1_250_000, 1_200_000, 1_100_000, 1_000_000,
        ],
        badges: vec![
            badge(0, 0),
            badge(10_000, 50_000),
            badge(50_000, 100_000),
            badge(250_000, 150_000),
            badge(1_000_000, 200_000),
            badge(5_000_000, 300_000),
            badge(25_000_000, 400_000),
            badge(100_000_000, 500_000),
        ],
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
        bounties: vec![
            BountyTier {
                name: "bronze".into(),
                min_ppm: 1_000_000,
                max_ppm: 2_000_000,
            },
            BountyTier {
                name: "silver".into(),
                min_ppm: 3_000_000,
                max_ppm: 10_000_000,
            },
        ],
        referrals: vec![
            tier(0, 50_000, 1_000, 4_000),
            tier(6, 100_000, 2_000, 8_000),
            tier(21, 150_000, 4_000, 16_000),
            tier(101, 200_000, 8_000, 32_000),
            tier(1_000, 250_000, 16_000, 64_000),
        ],
    });
    valid(spec)
}

fn setup(e: &ValidEconomy, n: usize) -> (State, AccountId) {
    let mut s = State::genesis(e);
    s.reserve_positions(POOL, n);
    let accounts: Vec<AccountId> = (0..n).map(|_| open(e, &mut s)).collect();
    for a in &accounts {
        must(
            e,
            &mut s,
            Event::EarnPoints {
                rules: RULES,
                account: *a,
                base: 100,
                mode: 0,
                bounty: None,
            },
        );
    }
    must(
        e,
        &mut s,
        Event::Refer {
            rules: RULES,
            referrer: accounts[0],
            referee: accounts[1],
        },
    );
    (s, accounts[1])
}

fn bench_points(c: &mut Criterion) {
    let e = economy();
    let mut group = c.benchmark_group("points");
    group.throughput(Throughput::Elements(1));
    for n in [2usize, 100_000] {
        let (mut s, earner) = setup(&e, n);
        let earn = Event::EarnPoints {
            rules: RULES,
            account: earner,
            base: 300,
            mode: 1,
            bounty: Some(BountyClaim {
                tier: 1,
                multiplier_ppm: 3_000_000,
            }),
        };
        group.bench_function(format!("earn_with_referrer_{n}_positions"), |b| {
            b.iter(|| black_box(apply(&e, &mut s, black_box(&earn)).unwrap()))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3));
    targets = bench_points
}
criterion_main!(benches);
