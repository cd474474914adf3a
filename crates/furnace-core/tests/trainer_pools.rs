//! Trainer paths as points pools (`RegisterPooledPath`): the split's
//! trainers leg credits the path's pool in O(1), its trainers are the
//! pool's positions weighted by quality x usage (`SetWeight`), and they
//! earn what the per-trainer path pays, without its floors' dust.
//!
//! The economy: LAM (`common::lam_rewards_spec`) at $0.10, so LAM-1's
//! $0.10 action costs exactly 1 LAM; the split's burn leg lowered from 34%
//! to 24% and its trainers leg raised from 0% to 10%; one more points pool,
//! `trainers` (id 4), paying LAM, and `usd_points` (id 5) paying USD.

mod common;

use common::*;
use furnace_core::economy::PoolWeight;
use furnace_core::engine::{Role, Sink};
use furnace_core::event::TrainerWeight;
use furnace_core::ids::{PathId, PositionId, RewardPoolId};
use furnace_core::{AccountId, Event, Payer, Receipt, State, ValidEconomy};

const TRAINERS: RewardPoolId = RewardPoolId(4);
const USD_POINTS: RewardPoolId = RewardPoolId(5);

fn world() -> (ValidEconomy, State, AccountId) {
    let mut spec = lam_rewards_spec();
    let lam = asset(&spec, "LAM");
    spec.splits[0].legs[0].share = pct(24);
    spec.splits[0].legs[3].share = pct(10);
    let trainers = lam_pool(&spec, "trainers", lam, PoolWeight::Points);
    let usd_points = lam_pool(&spec, "usd_points", spec.numeraire, PoolWeight::Points);
    spec.reward_pools.push(trainers);
    spec.reward_pools.push(usd_points);
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
    let payer = funded_account(&e, &mut s, lam, acct(&e, "market"), 1_000 * T);
    (e, s, payer)
}

fn actions(e: &ValidEconomy, s: &mut State, payer: AccountId, count: u64, path: PathId) -> Receipt {
    must(
        e,
        s,
        Event::Actions {
            payer: Payer::Account(payer),
            version: version(e, "LAM-1"),
            count,
            workflow: None,
            path: Some(path),
        },
    )
}

/// A trainer: an opened account with a position of weight quality x usage.
fn trainer(e: &ValidEconomy, s: &mut State, quality: u128, usage: u128) -> PositionId {
    let who = open(e, s);
    let id = open_position(e, s, TRAINERS, who, 0, 0);
    must(
        e,
        s,
        Event::SetWeight {
            pool: TRAINERS,
            position: id,
            weight: quality * usage,
        },
    );
    id
}

fn earned(e: &ValidEconomy, s: &State, id: PositionId) -> u128 {
    furnace_core::engine::claimable(e, s, TRAINERS, id)
        .unwrap()
        .0
}

/// Two trainers, quality 90 x usage 10 = 900 and 50 x 20 = 1,000. 19
/// actions consume 19 LAM; the trainers leg is 10%, 1.9 LAM, credited to
/// the pool in one posting; 900/1900 and 1000/1900 of it are 0.9 and 1.0
/// LAM exactly. Usage accrues (trainer 1 to 30: weight 2,700); 37 actions
/// give a leg of 3.7 LAM: 2.7 and 1.0 more.
#[test]
fn the_trainers_leg_credits_the_pool_and_positions_share_it() {
    let (e, mut s, payer) = world();
    let path = match must(&e, &mut s, Event::RegisterPooledPath { pool: TRAINERS }) {
        Receipt::PathRegistered(p) => p,
        r => panic!("{r:?}"),
    };
    let (t1, t2) = (trainer(&e, &mut s, 90, 10), trainer(&e, &mut s, 50, 20));
    let Receipt::Actions(r) = actions(&e, &mut s, payer, 19, path) else {
        unreachable!()
    };
    assert_eq!(r.split.total, 19 * T);
    let leg: Vec<_> = r
        .split
        .postings()
        .iter()
        .filter(|p| p.role == Role::TrainersPaid)
        .collect();
    assert_eq!(leg.len(), 1);
    assert_eq!(leg[0].sink, Sink::RewardPool(TRAINERS));
    assert_eq!(leg[0].amount, 19 * T / 10);
    assert_eq!(earned(&e, &s, t1), 9 * T / 10);
    assert_eq!(earned(&e, &s, t2), T);

    must(
        &e,
        &mut s,
        Event::SetWeight {
            pool: TRAINERS,
            position: t1,
            weight: 90 * 30,
        },
    );
    actions(&e, &mut s, payer, 37, path);
    assert_eq!(earned(&e, &s, t1), 9 * T / 10 + 27 * T / 10);
    assert_eq!(earned(&e, &s, t2), 2 * T);
    let lam = asset(&e, "LAM");
    let owner = s.reward_pool(TRAINERS).unwrap().positions()[0].owner;
    must(
        &e,
        &mut s,
        Event::Claim {
            pool: TRAINERS,
            position: t1,
        },
    );
    assert_eq!(s.balance(lam, owner), 36 * T / 10);
}

/// The same trainers on a per-trainer path (`RegisterTrainerPath`) are
/// paid the same 0.9 and 1.0 LAM by 19 actions, each credited directly.
/// Where the shares do not divide, thirds (three trainers of weight 1, a
/// leg of 1 LAM from 10 actions): the per-trainer path floors each share to
/// 333,333,333,333,333,333 and sends the 1 unit of dust to `unallocated`;
/// the pooled path pays the same floors and carries the remainder
/// (`10^18 2^96 mod 3 = 1`), which a later leg of 2 LAM completes:
/// `(3 10^18 2^96) / 3` is whole, so each pooled trainer has exactly 1 LAM
/// where each per-trainer one has 3 x 333,333,333,333,333,333.
#[test]
fn pooled_and_per_trainer_paths_pay_the_same() {
    let (e, mut s, payer) = world();
    let lam = asset(&e, "LAM");
    let register = |s: &mut State, trainers: &[AccountId]| {
        let trainers = trainers
            .iter()
            .map(|t| TrainerWeight {
                trainer: *t,
                quality: 1,
                usage: 1,
            })
            .collect();
        match must(&e, s, Event::RegisterTrainerPath { trainers }) {
            Receipt::PathRegistered(p) => p,
            r => panic!("{r:?}"),
        }
    };
    let (a, b) = (open(&e, &mut s), open(&e, &mut s));
    let weights = [(a, 90, 10), (b, 50, 20)].map(|(trainer, quality, usage)| TrainerWeight {
        trainer,
        quality,
        usage,
    });
    let path = match must(
        &e,
        &mut s,
        Event::RegisterTrainerPath {
            trainers: weights.to_vec(),
        },
    ) {
        Receipt::PathRegistered(p) => p,
        r => panic!("{r:?}"),
    };
    actions(&e, &mut s, payer, 19, path);
    assert_eq!(s.balance(lam, a), 9 * T / 10);
    assert_eq!(s.balance(lam, b), T);

    let thirds: Vec<AccountId> = (0..3).map(|_| open(&e, &mut s)).collect();
    let per_trainer = register(&mut s, &thirds);
    let dust = acct(&e, "unallocated");
    let dust_before = s.balance(lam, dust);
    actions(&e, &mut s, payer, 10, per_trainer);
    actions(&e, &mut s, payer, 20, per_trainer);
    for t in &thirds {
        assert_eq!(s.balance(lam, *t), 999_999_999_999_999_999);
    }
    assert_eq!(s.balance(lam, dust) - dust_before, 3);

    let pooled = match must(&e, &mut s, Event::RegisterPooledPath { pool: TRAINERS }) {
        Receipt::PathRegistered(p) => p,
        r => panic!("{r:?}"),
    };
    let ids: Vec<PositionId> = (0..3).map(|_| trainer(&e, &mut s, 1, 1)).collect();
    actions(&e, &mut s, payer, 10, pooled);
    for id in &ids {
        assert_eq!(earned(&e, &s, *id), 333_333_333_333_333_333);
    }
    actions(&e, &mut s, payer, 20, pooled);
    for id in &ids {
        assert_eq!(earned(&e, &s, *id), T);
    }
}

/// A pool with no weight sends the leg to its `empty_to`
/// (`ecosystem_rewards`); a stake pool cannot be a path's, nor an unknown
/// one; a pool paying USD cannot take a LAM leg.
#[test]
fn empty_wrong_and_unknown_pools() {
    let (e, mut s, payer) = world();
    let lam = asset(&e, "LAM");
    let path = match must(&e, &mut s, Event::RegisterPooledPath { pool: TRAINERS }) {
        Receipt::PathRegistered(p) => p,
        r => panic!("{r:?}"),
    };
    let sink = acct(&e, "ecosystem_rewards");
    let before = s.balance(lam, sink);
    actions(&e, &mut s, payer, 10, path);
    // 10 LAM: the creator leg without a workflow (33%, 3.3 LAM) and the
    // trainers leg (10%, 1 LAM) both reach `ecosystem_rewards`.
    assert_eq!(s.balance(lam, sink) - before, 43 * T / 10);
    assert_eq!(
        s.reward_pool(TRAINERS).unwrap().totals().to_empty,
        T,
        "booked as sent to empty_to"
    );
    reject(
        &e,
        &mut s,
        Event::RegisterPooledPath { pool: STAKERS },
        "not_a_points_pool",
    );
    reject(
        &e,
        &mut s,
        Event::RegisterPooledPath {
            pool: RewardPoolId(9),
        },
        "unknown_reward_pool",
    );
    let usd_path = match must(&e, &mut s, Event::RegisterPooledPath { pool: USD_POINTS }) {
        Receipt::PathRegistered(p) => p,
        r => panic!("{r:?}"),
    };
    let ev = Event::Actions {
        payer: Payer::Account(payer),
        version: version(&e, "LAM-1"),
        count: 1,
        workflow: None,
        path: Some(usd_path),
    };
    reject(&e, &mut s, ev, "reward_asset_mismatch");
}
