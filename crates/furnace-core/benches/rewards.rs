//! Reward pools and emissions through `engine::apply`: crediting a pool of
//! 1 and of 100,000 positions (the point of the accumulator: the same
//! cost), an action whose split pays a leg into a pool, a claim, a deposit
//! and a withdrawal, a position opened, and one epoch of an emission
//! schedule. Run with `cargo bench -p furnace-core --bench rewards`.
//!
//! Setup (outside the timed loop): `lam_rewards_spec` of `tests/common`
//! with LAM's maximum supply lifted, LAM at $0.10 (exogenous), 100M LAM
//! staked in all, in 1 or 100,000 positions (so both pools have the same
//! total weight, 10^26 base units, which does not divide 2^96: the credit's
//! cost depends on the weight's bit length, not on the positions). Each
//! iteration applies one event; the states do not grow (a position opened
//! is timed on a fresh clone of the state).

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use furnace_core::economy::{EmissionCurve, EmissionSource, LegKind};
use furnace_core::event::MintReason;
use furnace_core::ids::{PositionId, ScheduleId};
use furnace_core::{apply, AccountId, Event, Payer, State, ValidEconomy};
use std::hint::black_box;
use std::time::Duration;

struct Setup {
    e: ValidEconomy,
    s: State,
    staker: AccountId,
    payer: AccountId,
}

/// The economy with the ecosystem leg paying the stakers' pool and an
/// emission schedule minting into it; 100M LAM staked in `positions`
/// equal positions.
fn setup(positions: usize) -> Setup {
    let mut spec = lam_rewards_spec();
    spec.assets[1].max_supply = None;
    spec.splits[0].legs[2].kind = LegKind::RewardPool(STAKERS);
    let lam = asset(&spec, "LAM");
    // Constant, so it never stops however many iterations run.
    let curve = EmissionCurve::Constant {
        per_epoch: 1_000_000 * T,
    };
    let minted = EmissionSource::Mint(MintReason::Staking);
    spec.emissions = vec![lam_schedule(&spec, minted, curve, pct(90))];
    let e = valid(spec);
    let mut s = State::genesis(&e);
    must(
        &e,
        &mut s,
        Event::SetPrice {
            token: lam,
            price_usd_pico: 10 * CENT,
        },
    );
    let rich = |s: &mut State| {
        let who = open(&e, s);
        must(
            &e,
            s,
            Event::Mint {
                asset: lam,
                to: who,
                amount_base_units: T * T,
                reason: MintReason::Grant,
            },
        );
        who
    };
    let (staker, payer) = (rich(&mut s), rich(&mut s));
    s.reserve_positions(STAKERS, positions);
    let each = 100_000_000 * T / positions as u128;
    for _ in 0..positions {
        open_position(&e, &mut s, STAKERS, staker, each, 0);
    }
    Setup {
        e,
        s,
        staker,
        payer,
    }
}

fn bench_credit(c: &mut Criterion) {
    let mut group = c.benchmark_group("rewards");
    group.throughput(Throughput::Elements(1));
    for n in [1usize, 100_000] {
        let x = setup(n);
        let fund = Event::FundRewardPool {
            pool: STAKERS,
            from: x.payer,
            amount_base_units: T,
        };
        let mut s = x.s.clone();
        group.bench_function(format!("fund/{n}_positions"), |b| {
            b.iter(|| apply(&x.e, &mut s, black_box(&fund)).is_ok())
        });
        assert!(s.events_applied() > x.s.events_applied());
        // Every credit reached the pool and no position moved.
        let credited = s.reward_pool(STAKERS).unwrap().totals().credited;
        assert_eq!(credited % T, 0);
        assert!(credited > 0);
        assert_eq!(
            s.reward_pool(STAKERS).unwrap().positions(),
            x.s.reward_pool(STAKERS).unwrap().positions()
        );
    }
    // One action whose 33% ecosystem leg pays the pool (next to
    // `apply/actions/exogenous` in the apply bench, which pays an account).
    let x = setup(100_000);
    let action = Event::Actions {
        payer: Payer::Account(x.payer),
        version: version(&x.e, "LAM-1"),
        count: 1,
        workflow: None,
        path: None,
    };
    let mut s = x.s.clone();
    group.bench_function("actions_leg_to_pool/100000_positions", |b| {
        b.iter(|| apply(&x.e, &mut s, black_box(&action)).is_ok())
    });
    assert!(s.reward_pool(STAKERS).unwrap().totals().credited > 0);
    group.finish();
}

fn bench_positions(c: &mut Criterion) {
    let x = setup(1);
    let mut group = c.benchmark_group("rewards");
    group.throughput(Throughput::Elements(1));
    let position = PositionId(0);
    // A claim: the position settled, its pending paid. Timed on a clone
    // holding rewards (criterion excludes the clone).
    let mut funded = x.s.clone();
    must(
        &x.e,
        &mut funded,
        Event::FundRewardPool {
            pool: STAKERS,
            from: x.payer,
            amount_base_units: 1_000 * T,
        },
    );
    let claim = Event::Claim {
        pool: STAKERS,
        position,
    };
    group.bench_function("claim", |b| {
        b.iter_batched_ref(
            || funded.clone(),
            |s| apply(&x.e, s, black_box(&claim)).is_ok(),
            BatchSize::SmallInput,
        )
    });
    // A deposit and a withdrawal, alternating on one position (settle,
    // reweigh, move the stake): the state stays the same size.
    let both = [
        Event::AddToPosition {
            pool: STAKERS,
            position,
            amount_base_units: T,
        },
        Event::Withdraw {
            pool: STAKERS,
            position,
            amount_base_units: T,
        },
    ];
    let mut s = funded.clone();
    let mut flip = 0usize;
    group.bench_function("add_withdraw_alternating", |b| {
        b.iter(|| {
            flip ^= 1;
            apply(&x.e, &mut s, black_box(&both[flip])).is_ok()
        })
    });
    assert!(s.events_applied() > funded.events_applied());
    let open = Event::OpenPosition {
        pool: STAKERS,
        owner: x.staker,
        amount_base_units: 1_000 * T,
        lock_steps: 100,
    };
    group.bench_function("open_position", |b| {
        b.iter_batched_ref(
            || funded.clone(),
            |s| apply(&x.e, s, black_box(&open)).is_ok(),
            BatchSize::SmallInput,
        )
    });
    // One epoch of the schedule (a tick makes the next one due): minted,
    // 90% to the pool, 10% to an account.
    let emit = [
        Event::Emit {
            schedule: ScheduleId(0),
        },
        Event::Tick,
    ];
    let mut s = funded.clone();
    group.bench_function("emit_and_tick", |b| {
        b.iter(|| {
            for ev in &emit {
                apply(&x.e, &mut s, black_box(ev)).expect("due and never stopped");
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = bench_credit, bench_positions
}
criterion_main!(benches);
