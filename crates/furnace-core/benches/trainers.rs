//! An action on a trained path, through `engine::apply`: a pooled path
//! (`RegisterPooledPath`: the trainers leg credits a points pool, O(1))
//! with 1 and with 100,000 trainers, next to the per-trainer path
//! (`RegisterTrainerPath`: each trainer credited, O(trainers)) with the
//! same trainers. Run with `cargo bench -p furnace-core --bench trainers`.
//!
//! Setup (outside the timed loop): `lam_rewards_spec` of `tests/common`
//! with LAM's maximum supply lifted, the split's burn leg at 24% and its
//! trainers leg at 10%, a points pool `trainers` paying LAM, LAM at $0.10
//! (exogenous), a payer holding 10^18 LAM. Of 100,000 trainers, trainer
//! `i` has quality `1 + i mod 100` and usage `1 + i`, so the weights differ
//! and their sum does not divide 2^96; the single trainer weighs that same
//! sum. Each iteration applies `Actions { count: 1 }` (1 LAM, a 0.1 LAM
//! leg) to the same state, which does not grow.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use furnace_core::economy::PoolWeight;
use furnace_core::event::{MintReason, TrainerWeight};
use furnace_core::ids::{PathId, RewardPoolId};
use furnace_core::{apply, AccountId, Event, Payer, Receipt, State, ValidEconomy};
use std::hint::black_box;
use std::time::Duration;

const TRAINERS: RewardPoolId = RewardPoolId(4);
const MANY: usize = 100_000;

/// Trainer `i` of many: quality `1 + i mod 100`, usage `1 + i`.
fn spread(i: usize) -> (u32, u64) {
    let i = u32::try_from(i).expect("at most 100,000 trainers");
    (1 + i % 100, 1 + u64::from(i))
}

/// The sum of `n` spread trainers' weights (2.5e11 for 100,000): the one
/// trainer of the small case weighs it all, so both cases credit the same
/// total weight and the accumulator's division (whose cost follows the
/// weight's bit length, `wide.rs`) is the same work.
fn total_weight(n: usize) -> u64 {
    (0..n)
        .map(|i| {
            let (q, u) = spread(i);
            u64::from(q) * u
        })
        .sum()
}

fn economy() -> ValidEconomy {
    let mut spec = lam_rewards_spec();
    spec.assets[1].max_supply = None;
    spec.splits[0].legs[0].share = pct(24);
    spec.splits[0].legs[3].share = pct(10);
    let lam = asset(&spec, "LAM");
    let pool = lam_pool(&spec, "trainers", lam, PoolWeight::Points);
    spec.reward_pools.push(pool);
    valid(spec)
}

/// The state, the payer, and the path: pooled or per trainer.
fn setup(e: &ValidEconomy, trainers: usize, pooled: bool) -> (State, AccountId, PathId) {
    let lam = asset(e, "LAM");
    let mut s = State::genesis(e);
    must(
        e,
        &mut s,
        Event::SetPrice {
            token: lam,
            price_usd_pico: 10 * CENT,
        },
    );
    let payer = open(e, &mut s);
    must(
        e,
        &mut s,
        Event::Mint {
            asset: lam,
            to: payer,
            amount_base_units: T * T,
            reason: MintReason::Grant,
        },
    );
    let weight = |i: usize| match trainers {
        1 => (1, total_weight(MANY)),
        _ => spread(i),
    };
    let path = if pooled {
        s.reserve_positions(TRAINERS, trainers);
        let Receipt::PathRegistered(path) =
            must(e, &mut s, Event::RegisterPooledPath { pool: TRAINERS })
        else {
            unreachable!()
        };
        for i in 0..trainers {
            let who = open(e, &mut s);
            let id = open_position(e, &mut s, TRAINERS, who, 0, 0);
            assert_eq!(id.index(), i);
            let (quality, usage) = weight(i);
            must(
                e,
                &mut s,
                Event::SetWeight {
                    pool: TRAINERS,
                    position: id,
                    weight: u128::from(quality) * u128::from(usage),
                },
            );
        }
        path
    } else {
        let list: Vec<TrainerWeight> = (0..trainers)
            .map(|i| {
                let (quality, usage) = weight(i);
                TrainerWeight {
                    trainer: open(e, &mut s),
                    quality,
                    usage,
                }
            })
            .collect();
        let Receipt::PathRegistered(path) =
            must(e, &mut s, Event::RegisterTrainerPath { trainers: list })
        else {
            unreachable!()
        };
        path
    };
    (s, payer, path)
}

fn bench_trainers(c: &mut Criterion) {
    let e = economy();
    let mut group = c.benchmark_group("trainers");
    group.throughput(Throughput::Elements(1));
    for (pooled, name) in [(true, "pooled"), (false, "per_trainer")] {
        for n in [1usize, MANY] {
            let (start, payer, path) = setup(&e, n, pooled);
            let action = Event::Actions {
                payer: Payer::Account(payer),
                version: version(&e, "LAM-1"),
                count: 1,
                workflow: None,
                path: Some(path),
            };
            let mut s = start.clone();
            group.bench_function(format!("{name}/{n}_trainers"), |b| {
                b.iter(|| apply(&e, &mut s, black_box(&action)).is_ok())
            });
            assert!(s.events_applied() > start.events_applied());
            if pooled {
                // Every leg reached the pool; no position was touched.
                let pool = s.reward_pool(TRAINERS).unwrap();
                assert!(pool.totals().credited > 0);
                assert_eq!(
                    pool.positions(),
                    start.reward_pool(TRAINERS).unwrap().positions()
                );
            }
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = bench_trainers
}
criterion_main!(benches);
