//! `EndLock`: a lock's boost ends with the lock (as a Curve gauge's
//! `kick`). Figures by hand on the gmFLOCK table of `lam_rewards` (a
//! 100-step lock weighs 1.42x): amounts whose reward per weight unit is a
//! whole number, so the accumulator divides exactly and every unit is
//! accounted for.

mod common;

use common::*;
use furnace_core::engine::claimable;
use furnace_core::ids::PositionId;
use furnace_core::{Event, Receipt, State};

#[test]
fn the_boost_ends_with_the_lock_and_what_it_earned_stays_earned() {
    let e = lam_rewards();
    let mut s = State::genesis(&e);
    let lam = asset(&e, "LAM");
    let market = acct(&e, "market");
    let community = acct(&e, "community");
    let a = funded_account(&e, &mut s, lam, market, 1_000 * T);
    let b = funded_account(&e, &mut s, lam, market, 1_000 * T);
    // A locks 100 steps: weight 1,000 x 1.42 = 1,420; B locks nothing: 1,000.
    let pa = open_position(&e, &mut s, STAKERS, a, 1_000 * T, 100);
    let pb = open_position(&e, &mut s, STAKERS, b, 1_000 * T, 0);
    assert_eq!(position(&s, STAKERS, pa).weight, 1_420 * T);
    // 2,420 LAM at weight 2,420: exactly 1 LAM per weight unit.
    let fund = |s: &mut State, amount: u128| {
        must(
            &e,
            s,
            Event::FundRewardPool {
                pool: STAKERS,
                from: community,
                amount_base_units: amount,
            },
        );
    };
    fund(&mut s, 2_420 * T);
    // Step 99: the lock (ending at step 100) has not ended.
    ticks(&e, &mut s, 99);
    let end = Event::EndLock {
        pool: STAKERS,
        position: pa,
    };
    let r = reject(&e, &mut s, end.clone(), "lock_not_ended");
    assert_eq!(
        r.to_string(),
        "position 0's lock ends at step 100, it is step 99"
    );
    ticks(&e, &mut s, 1);
    match must(&e, &mut s, end.clone()) {
        Receipt::LockEnded { weight, .. } => assert_eq!(weight, 1_000 * T),
        r => panic!("{r:?}"),
    }
    let p = position(&s, STAKERS, pa);
    assert_eq!(
        (p.weight, p.multiplier_ppm, p.amount),
        (1_000 * T, 1_000_000, 1_000 * T)
    );
    // Settled at the boosted weight first: A keeps its 1,420.
    assert_eq!(p.pending, 1_420 * T);
    assert_eq!(
        s.reward_pool(STAKERS).unwrap().totals().total_weight,
        2_000 * T
    );
    // Now 2,000 LAM at weight 2,000 pays A and B 1,000 each.
    fund(&mut s, 2_000 * T);
    assert_eq!(claimable(&e, &s, STAKERS, pa).unwrap().0, 2_420 * T);
    assert_eq!(claimable(&e, &s, STAKERS, pb).unwrap().0, 2_000 * T);
    // A second EndLock, an unlocked position, a points pool, a position
    // that does not exist: refused, nothing changed.
    reject(&e, &mut s, end, "no_lock_boost");
    reject(
        &e,
        &mut s,
        Event::EndLock {
            pool: STAKERS,
            position: pb,
        },
        "no_lock_boost",
    );
    reject(
        &e,
        &mut s,
        Event::EndLock {
            pool: VOTERS,
            position: PositionId(0),
        },
        "not_a_stake_pool",
    );
    reject(
        &e,
        &mut s,
        Event::EndLock {
            pool: STAKERS,
            position: PositionId(7),
        },
        "unknown_position",
    );
    s.check_invariants(&e).unwrap();
}

#[test]
fn a_short_lock_ends_at_its_own_step() {
    // 40 steps on the gmFLOCK table (1x to 30 steps, then linear to 3.01x
    // at 365): 1 + 2.01 x 10/335 = 1.06x, so 500 LAM weigh 530.
    let e = lam_rewards();
    let mut s = State::genesis(&e);
    let lam = asset(&e, "LAM");
    let market = acct(&e, "market");
    let a = funded_account(&e, &mut s, lam, market, 500 * T);
    let pa = open_position(&e, &mut s, STAKERS, a, 500 * T, 40);
    assert_eq!(position(&s, STAKERS, pa).weight, 530 * T);
    let end = Event::EndLock {
        pool: STAKERS,
        position: pa,
    };
    ticks(&e, &mut s, 39);
    reject(&e, &mut s, end.clone(), "lock_not_ended");
    ticks(&e, &mut s, 1);
    must(&e, &mut s, end);
    assert_eq!(position(&s, STAKERS, pa).weight, 500 * T);
    assert_eq!(
        s.reward_pool(STAKERS).unwrap().totals().total_weight,
        500 * T
    );
}
