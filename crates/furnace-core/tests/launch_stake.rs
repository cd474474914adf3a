//! A stake pool per launched token: `common::fomo`'s `rmo` spec with a
//! `staking` template (FLOCK rewards, `treasury` for rewards nobody can
//! earn, `platform` for dust). Graduation creates the pool with the first
//! run-time id, `RewardPoolId::RUNTIME_BASE` = 32,768; then the ordinary
//! reward-pool events work on it.
//!
//! The raise (as `tests/launches.rs`'s graduation at the minimum): bob
//! pays 20,000 FLOCK (82,289.055973266499582289 tokens), carol brings the
//! raise to exactly 100,000 FLOCK (167,710.944026733500417710 tokens);
//! alice, the issuer, receives the operator allocation, 10% of 1,000,000
//! = 100,000 tokens.

mod common;

use common::fomo::*;
use common::*;
use furnace_core::economy::{Destination, PoolWeight, RewardPoolSpec, LAUNCH_TOKEN};
use furnace_core::engine::quote_in_for_principal;
use furnace_core::ids::RewardPoolId;
use furnace_core::units::Ppm;
use furnace_core::{AccountId, AssetId, Event, Receipt};

fn staking_fx() -> Fx {
    let mut e = fomo_spec();
    let template = rmo_staking(&e);
    e.launches[0].staking = Some(template);
    Fx::with(valid(e))
}

/// Graduate a launch by `alice`: (alice, bob, carol, token, stake pool).
fn graduated(x: &mut Fx) -> (AccountId, AccountId, AccountId, AssetId, RewardPoolId) {
    let alice = x.holder(40_000);
    let (bob, carol) = (x.holder(200_000), x.holder(200_000));
    let (launch, token) = x.launch(alice);
    x.buy(launch, bob, 20_000 * T);
    let q = quote_in_for_principal(ppm(15_000), 80_300 * T).unwrap();
    x.buy(launch, carol, q);
    let g = match x.ok(Event::GraduateLaunch { launch }) {
        Receipt::Graduated(g) => g,
        r => panic!("{r:?}"),
    };
    (
        alice,
        bob,
        carol,
        token,
        g.stake_pool.expect("a stake pool"),
    )
}

#[test]
fn graduation_creates_a_stake_pool_with_a_run_time_id() {
    let mut x = staking_fx();
    let (alice, bob, _, token, pool) = graduated(&mut x);
    assert_eq!(pool, RewardPoolId(32_768));
    let r = &x.s.runtime_reward_pools()[0];
    assert_eq!((r.token, r.launch.index()), (token, 0));
    assert_eq!(x.s.balance(token, alice), 100_000 * T);
    assert_eq!(x.s.balance(token, bob), 82_289_055_973_266_499_582_289);
    // A spec without the template creates none.
    let mut plain = Fx::new();
    let alice2 = plain.holder(40_000);
    let carol2 = plain.holder(200_000);
    let (launch, _) = plain.launch(alice2);
    let q = quote_in_for_principal(ppm(15_000), 100_000 * T).unwrap();
    plain.buy(launch, carol2, q);
    match plain.ok(Event::GraduateLaunch { launch }) {
        Receipt::Graduated(g) => assert_eq!(g.stake_pool, None),
        r => panic!("{r:?}"),
    }
    assert!(plain.s.runtime_reward_pools().is_empty());
}

/// Staking and rewards on the run-time pool, exactly: 100 FLOCK funded
/// while nobody stakes go to `treasury` (the template's `empty_to`); then
/// alice stakes 3,000 tokens and bob 1,000, and 1,000 FLOCK funded split
/// 3:1, 750 and 250 FLOCK (the accumulator is exact: 10^21 x 2^96 /
/// 4 x 10^21 is a whole number). Withdrawing returns the stake.
#[test]
fn the_stake_pool_takes_the_token_and_pays_its_rewards() {
    let mut x = staking_fx();
    let (alice, bob, _, token, pool) = graduated(&mut x);
    let holders = acct(&x.e, "holders");
    let treasury_before = x.flock_of(x.treasury);
    x.ok(Event::FundRewardPool {
        pool,
        from: holders,
        amount_base_units: 100 * T,
    });
    assert_eq!(x.flock_of(x.treasury), treasury_before + 100 * T);
    let stake = |x: &mut Fx, owner, amount| match x.ok(Event::OpenPosition {
        pool,
        owner,
        amount_base_units: amount,
        lock_steps: 0,
    }) {
        Receipt::PositionOpened { position, .. } => position,
        r => panic!("{r:?}"),
    };
    let pa = stake(&mut x, alice, 3_000 * T);
    let pb = stake(&mut x, bob, 1_000 * T);
    assert_eq!(x.s.balance(token, alice), 97_000 * T);
    assert_eq!(x.s.reward_pool(pool).unwrap().totals().staked, 4_000 * T);
    x.ok(Event::FundRewardPool {
        pool,
        from: holders,
        amount_base_units: 1_000 * T,
    });
    let claim = |x: &mut Fx, position| match x.ok(Event::Claim { pool, position }) {
        Receipt::Claimed { rewards, .. } => rewards,
        r => panic!("{r:?}"),
    };
    let alice_flock = x.flock_of(alice);
    assert_eq!(claim(&mut x, pa), 750 * T);
    assert_eq!(claim(&mut x, pb), 250 * T);
    assert_eq!(x.flock_of(alice), alice_flock + 750 * T);
    match x.ok(Event::Withdraw {
        pool,
        position: pb,
        amount_base_units: 1_000 * T,
    }) {
        Receipt::Withdrawn(_) => {}
        r => panic!("{r:?}"),
    }
    assert_eq!(x.s.balance(token, bob), 82_289_055_973_266_499_582_289);
    x.s.check_invariants(&x.e).unwrap();
}

#[test]
fn run_time_pool_rejections_leave_the_state_unchanged() {
    let mut x = staking_fx();
    let (alice, bob, _, token, pool) = graduated(&mut x);
    // The next run-time id does not exist yet.
    let unknown = RewardPoolId::runtime(1).unwrap();
    x.reject(
        Event::OpenPosition {
            pool: unknown,
            owner: alice,
            amount_base_units: T,
            lock_steps: 0,
        },
        "unknown_reward_pool",
    );
    // More than bob holds of the token.
    x.reject(
        Event::OpenPosition {
            pool,
            owner: bob,
            amount_base_units: x.s.balance(token, bob) + 1,
            lock_steps: 0,
        },
        "insufficient_balance",
    );
    // The template takes no locks.
    x.reject(
        Event::OpenPosition {
            pool,
            owner: alice,
            amount_base_units: T,
            lock_steps: 7,
        },
        "lock_too_long",
    );
}

#[test]
fn a_template_must_stake_the_launch_token_without_a_stake_cap() {
    use furnace_core::economy::{LockPoint, StakeCap};
    let mut e = fomo_spec();
    let treasury = acct(&e, "treasury");
    e.launches[0].staking = Some(RewardPoolSpec {
        name: "rmo.staking".into(),
        reward: asset(&e, "FLOCK"),
        weight: PoolWeight::Points,
        empty_to: treasury,
        dust_to: treasury,
        // A lock table must start at 0 steps, as a declared pool's.
        lock_multipliers: vec![LockPoint {
            steps: 5,
            multiplier_ppm: 1_000_000,
        }],
        unbonding_steps: 3,
        early_withdrawal_fee: Ppm::ONE,
        early_withdrawal_fee_to: Destination::RewardPool(RewardPoolId(0)),
        stake_cap: Some(StakeCap {
            cap_ppm: 1_000_000,
            excess_rate: pct(50),
            limit_ppm: 2_000_000,
            surplus_to: treasury,
        }),
    });
    let errors = e.validate().unwrap_err();
    let text = format!("{errors:?}");
    assert!(text.contains("must stake the launch's token"), "{text}");
    assert!(
        text.contains("the first point is the lock of 0 steps"),
        "{text}"
    );
    assert!(text.contains("must be below 100%"), "{text}");
    assert!(
        text.contains("burns its early-withdrawal fee or pays it to an account"),
        "{text}"
    );
    assert!(text.contains("takes no stake cap"), "{text}");
}

/// gmFLOCK's lock table on a model token's stake pool (economies/fomo.toml):
/// 1x to 30 steps, 3.01x at 365. A 1,000-token stake locked 365 steps
/// weighs 3,010 tokens; one locked 200 steps weighs 1,000 x (1 + 2.01 x
/// (200 - 30) / 335) = 1,000 x (1 + 341.7 / 335) = 2,020 tokens (1.02
/// exactly, nothing floored). Withdrawing the
/// 200-step stake at once pays 5.13% of it, 51.3 tokens, burned.
#[test]
fn a_template_takes_gmflock_locks() {
    use furnace_core::economy::LockPoint;
    let mut e = fomo_spec();
    let point = |steps, multiplier_ppm| LockPoint {
        steps,
        multiplier_ppm,
    };
    e.launches[0].staking = Some(RewardPoolSpec {
        name: "rmo.staking".into(),
        reward: asset(&e, "FLOCK"),
        weight: PoolWeight::Stake {
            asset: LAUNCH_TOKEN,
        },
        empty_to: acct(&e, "treasury"),
        dust_to: acct(&e, "platform"),
        lock_multipliers: vec![
            point(0, 1_000_000),
            point(30, 1_000_000),
            point(365, 3_010_000),
        ],
        unbonding_steps: 0,
        early_withdrawal_fee: ppm(51_300),
        early_withdrawal_fee_to: Destination::Burn,
        stake_cap: None,
    });
    let mut x = Fx::with(valid(e));
    let (alice, bob, _, token, pool) = graduated(&mut x);
    let open = |x: &mut Fx, owner, lock_steps| match x.ok(Event::OpenPosition {
        pool,
        owner,
        amount_base_units: 1_000 * T,
        lock_steps,
    }) {
        Receipt::PositionOpened {
            position, weight, ..
        } => (position, weight),
        r => panic!("{r:?}"),
    };
    let (_, w_alice) = open(&mut x, alice, 365);
    assert_eq!(w_alice, 3_010 * T);
    let (bob_position, w_bob) = open(&mut x, bob, 200);
    assert_eq!(w_bob, 2_020 * T);
    let supply = x.s.totals(token).supply;
    let bob_before = x.s.balance(token, bob);
    x.ok(Event::Withdraw {
        pool,
        position: bob_position,
        amount_base_units: 1_000 * T,
    });
    // 51.3 tokens burned, 948.7 back.
    assert_eq!(x.s.totals(token).supply, supply - 51_300 * T / 1_000);
    assert_eq!(x.s.balance(token, bob), bob_before + 948_700 * T / 1_000);
}

/// A log written against one economy and read against another that
/// declares its reward pools in another order: declared pool ids are
/// renamed by name, a run-time pool's id (a launch's stake pool) is the
/// log's own, as run-time markets' are.
#[test]
fn a_log_keeps_run_time_pool_ids_and_renames_declared_ones() {
    use furnace_core::ids::PositionId;
    use furnace_core::log::{IdMap, LogHeader};
    let points = |e: &furnace_core::Economy, name: &str| RewardPoolSpec {
        name: name.into(),
        reward: asset(e, "FLOCK"),
        weight: PoolWeight::Points,
        empty_to: acct(e, "treasury"),
        dust_to: acct(e, "platform"),
        lock_multipliers: vec![],
        unbonding_steps: 0,
        early_withdrawal_fee: Ppm::ZERO,
        early_withdrawal_fee_to: Destination::Burn,
        stake_cap: None,
    };
    let (mut written, mut read) = (fomo_spec(), fomo_spec());
    written.reward_pools = vec![points(&written, "x"), points(&written, "y")];
    read.reward_pools = vec![points(&read, "y"), points(&read, "x")];
    let (written, read) = (valid(written), valid(read));
    let map = IdMap::new(&LogHeader::of(&written), &read).unwrap();
    assert!(!map.is_identity());
    let claim = |pool| Event::Claim {
        pool,
        position: PositionId(0),
    };
    assert_eq!(
        map.event(&claim(RewardPoolId(0))).unwrap(),
        claim(RewardPoolId(1))
    );
    let runtime = RewardPoolId::runtime(3).unwrap();
    assert_eq!(map.event(&claim(runtime)).unwrap(), claim(runtime));
    let holders = acct(&read, "holders");
    let fund = Event::FundRewardPool {
        pool: runtime,
        from: holders,
        amount_base_units: T,
    };
    assert_eq!(map.event(&fund).unwrap(), fund);
}
