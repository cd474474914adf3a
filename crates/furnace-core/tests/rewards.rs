//! Reward pools through `apply`, with figures computed by hand: pro-rata
//! shares and where their remainders go, the gmFLOCK lock table, early
//! fees, unbonding, points pools, rules that route tokens into a pool,
//! crediting a pool of 100,000 positions without touching one, every
//! rejection (state `==` before and after, stable codes), and validation
//! errors with their keys.
//!
//! Most stakes here are powers of two: an accumulator scaled by 2^96 then
//! divides them exactly, so a lone staker receives every unit at once
//! (with another total weight the last unit waits in the pool's carry
//! until the next credit; `pro_rata_remainders_are_booked` shows it).

mod common;

use common::*;
use furnace_core::economy::{Destination, LegKind, Payee, PoolWeight};
use furnace_core::engine::{claimable, WithdrawReceipt};
use furnace_core::event::{BurnReason, MintReason};
use furnace_core::ids::{PositionId, RewardPoolId};
use furnace_core::state::ACC_SHIFT;
use furnace_core::{AccountId, AssetId, Event, Payer, Receipt, State, ValidEconomy};

struct Fx {
    e: ValidEconomy,
    s: State,
    lam: AssetId,
}

impl Fx {
    fn new() -> Fx {
        Fx::with(lam_rewards())
    }

    fn with(e: ValidEconomy) -> Fx {
        Fx {
            s: State::genesis(&e),
            lam: asset(&e, "LAM"),
            e,
        }
    }

    fn ok(&mut self, ev: Event) -> Receipt {
        must(&self.e, &mut self.s, ev)
    }

    fn reject(&mut self, ev: Event, code: &str) {
        reject(&self.e, &mut self.s, ev, code);
    }

    /// A new account holding `amount` LAM (from `market`).
    fn holder(&mut self, amount: u128) -> AccountId {
        let market = acct(&self.e, "market");
        funded_account(&self.e, &mut self.s, self.lam, market, amount)
    }

    fn open(
        &mut self,
        pool: RewardPoolId,
        owner: AccountId,
        amount: u128,
        lock: u32,
    ) -> PositionId {
        open_position(&self.e, &mut self.s, pool, owner, amount, lock)
    }

    /// Fund `pool` from `community` (350M LAM at genesis).
    fn fund(&mut self, pool: RewardPoolId, amount: u128) -> bool {
        let from = acct(&self.e, "community");
        match self.ok(Event::FundRewardPool {
            pool,
            from,
            amount_base_units: amount,
        }) {
            Receipt::RewardPoolFunded { to_empty, .. } => to_empty,
            r => panic!("{r:?}"),
        }
    }

    fn claim(&mut self, pool: RewardPoolId, position: PositionId) -> (u128, u128) {
        match self.ok(Event::Claim { pool, position }) {
            Receipt::Claimed {
                rewards, unbonded, ..
            } => (rewards, unbonded),
            r => panic!("{r:?}"),
        }
    }

    fn withdraw(
        &mut self,
        pool: RewardPoolId,
        position: PositionId,
        amount: u128,
    ) -> WithdrawReceipt {
        match self.ok(Event::Withdraw {
            pool,
            position,
            amount_base_units: amount,
        }) {
            Receipt::Withdrawn(w) => w,
            r => panic!("{r:?}"),
        }
    }

    fn set_weight(&mut self, pool: RewardPoolId, position: PositionId, weight: u128) {
        self.ok(Event::SetWeight {
            pool,
            position,
            weight,
        });
    }

    fn pending(&self, pool: RewardPoolId, position: PositionId) -> u128 {
        claimable(&self.e, &self.s, pool, position).unwrap().0
    }

    fn lam_of(&self, who: AccountId) -> u128 {
        self.s.balance(self.lam, who)
    }

    fn totals(&self, pool: RewardPoolId) -> furnace_core::state::RewardPoolTotals {
        *self.s.reward_pool(pool).unwrap().totals()
    }
}

/// 2^60 base units of LAM, about 1.15 LAM: a stake the accumulator divides
/// exactly.
const P60: u128 = 1 << 60;

/// The weight a stake of `amount` locked `lock` steps gets in `stakers`.
fn e_weight(e: &ValidEconomy, amount: u128, lock: u32) -> u128 {
    let m = e.reward_pool(STAKERS).multiplier_ppm(lock).unwrap();
    furnace_core::units::mul_div_floor(amount, u128::from(m), 1_000_000).unwrap()
}

#[test]
fn gmflock_lock_table_is_the_published_formula() {
    let e = lam_rewards();
    let stakers = e.reward_pool(STAKERS);
    assert_eq!(stakers.max_lock_steps(), 365);
    // 1 + 2.19 (t - 30) / 365 in ppm is 10^6 + 2,190,000 (t - 30) / 365 =
    // 10^6 + 6,000 (t - 30): exact, so the floor never bites.
    for t in 0..=365u32 {
        let expected = if t <= 30 {
            1_000_000
        } else {
            1_000_000 + 2_190_000 * (t - 30) / 365
        };
        assert_eq!(stakers.multiplier_ppm(t), Some(expected), "t = {t}");
    }
    assert_eq!(stakers.multiplier_ppm(31), Some(1_006_000));
    assert_eq!(stakers.multiplier_ppm(100), Some(1_420_000));
    assert_eq!(stakers.multiplier_ppm(365), Some(3_010_000));
    assert_eq!(stakers.multiplier_ppm(366), None);
    // No table: only the lock of 0 steps, at 1x.
    let voters = e.reward_pool(VOTERS);
    assert_eq!(voters.multiplier_ppm(0), Some(1_000_000));
    assert_eq!(voters.multiplier_ppm(1), None);
}

#[test]
fn credits_are_shared_pro_rata_to_weight() {
    let mut fx = Fx::new();
    let (a, b) = (fx.holder(P60), fx.holder(3 * P60));
    let pa = fx.open(STAKERS, a, P60, 0);
    let pb = fx.open(STAKERS, b, 3 * P60, 0);
    assert!(!fx.fund(STAKERS, 1_000));
    // 1 : 3 of 1,000.
    assert_eq!(
        (fx.pending(STAKERS, pa), fx.pending(STAKERS, pb)),
        (250, 750)
    );
    // A third staker locks 10 x 2^60 for 80 days: 1 + 0.006 x 50 = 1.3x,
    // weight 13 x 2^60. A 100-day lock would weigh 1.42x, floored.
    let c = fx.holder(10 * P60);
    let pc = fx.open(STAKERS, c, 10 * P60, 80);
    assert_eq!(position(&fx.s, STAKERS, pc).weight, 13 * P60);
    assert_eq!(
        e_weight(&fx.e, P60, 100),
        // 2^60 = 1,152,921,504,606,846,976; x 1.42 = ...722,705.92
        1_637_148_536_541_722_705
    );
    // 17,000,000 over 1 : 3 : 13.
    fx.fund(STAKERS, 17_000_000);
    assert_eq!(fx.pending(STAKERS, pa), 250 + 1_000_000);
    assert_eq!(fx.pending(STAKERS, pb), 750 + 3_000_000);
    assert_eq!(fx.pending(STAKERS, pc), 13_000_000);
    // Claims pay the owners.
    assert_eq!(fx.claim(STAKERS, pa), (1_000_250, 0));
    assert_eq!(fx.lam_of(a), 1_000_250);
    assert_eq!(fx.claim(STAKERS, pb), (3_000_750, 0));
    assert_eq!(fx.claim(STAKERS, pc), (13_000_000, 0));
    let t = fx.totals(STAKERS);
    assert_eq!(
        (t.credited, t.paid, t.rewards_held),
        (17_001_000, 17_001_000, 0)
    );
    assert_eq!(t.staked, 14 * P60);
    // Nothing more to claim.
    fx.reject(
        Event::Claim {
            pool: STAKERS,
            position: pa,
        },
        "nothing_to_claim",
    );
}

#[test]
fn pro_rata_remainders_are_booked_as_dust() {
    let mut fx = Fx::new();
    let (a, b) = (fx.holder(T), fx.holder(2 * T));
    let pa = fx.open(STAKERS, a, T, 0);
    let pb = fx.open(STAKERS, b, 2 * T, 0);
    fx.fund(STAKERS, 1_000);
    // 333.33... and 666.66...: one unit is in fractions and the carry.
    assert_eq!(
        (fx.pending(STAKERS, pa), fx.pending(STAKERS, pb)),
        (333, 666)
    );
    assert_eq!(fx.claim(STAKERS, pa).0, 333);
    assert_eq!(fx.claim(STAKERS, pb).0, 666);
    assert_eq!(fx.totals(STAKERS).rewards_held, 1);
    let unallocated = acct(&fx.e, "unallocated");
    let before = fx.lam_of(unallocated);
    // `a` leaves: its third of a unit belongs to nobody, but is not yet a
    // whole unit.
    let w = fx.withdraw(STAKERS, pa, T);
    assert_eq!((w.fee, w.paid, w.unbonding_until), (0, T, None));
    assert_eq!(fx.totals(STAKERS).dust_booked, 0);
    assert!(fx.totals(STAKERS).dust > 0);
    // `b` leaves: the pool is empty, its fraction and the carry join the
    // dust, which makes exactly one unit, booked to `unallocated`.
    fx.withdraw(STAKERS, pb, 2 * T);
    let t = fx.totals(STAKERS);
    assert_eq!(
        (t.dust_booked, t.dust, t.carry, t.rewards_held),
        (1, 0, 0, 0)
    );
    assert_eq!(t.credited, t.paid + t.dust_booked);
    assert_eq!(fx.lam_of(unallocated), before + 1);
    assert_eq!((fx.lam_of(a), fx.lam_of(b)), (T + 333, 2 * T + 666));
}

#[test]
fn a_pool_without_weight_sends_rewards_to_empty_to() {
    let mut fx = Fx::new();
    let sink = acct(&fx.e, "ecosystem_rewards");
    assert!(fx.fund(STAKERS, 700));
    assert_eq!(fx.lam_of(sink), 700);
    let a = fx.holder(P60);
    let pa = fx.open(STAKERS, a, P60, 0);
    // Rewards that arrived before the position are not its.
    assert_eq!(fx.pending(STAKERS, pa), 0);
    assert!(!fx.fund(STAKERS, 300));
    assert_eq!(fx.pending(STAKERS, pa), 300);
    fx.withdraw(STAKERS, pa, P60);
    // Empty again: the position keeps what it earned, new rewards go on.
    assert!(fx.fund(STAKERS, 50));
    assert_eq!(fx.lam_of(sink), 750);
    assert_eq!(fx.claim(STAKERS, pa), (300, 0));
    let t = fx.totals(STAKERS);
    assert_eq!(
        (t.credited, t.to_empty, t.paid, t.rewards_held),
        (1_050, 750, 300, 0)
    );
}

#[test]
fn withdrawing_before_the_lock_ends_pays_the_fee() {
    let mut fx = Fx::new();
    let a = fx.holder(1_000 * T);
    let supply = fx.s.supply(fx.lam);
    // 100 days: 1.42x.
    let pa = fx.open(STAKERS, a, 1_000 * T, 100);
    assert_eq!(position(&fx.s, STAKERS, pa).weight, 1_420 * T);
    assert_eq!(position(&fx.s, STAKERS, pa).lock_end_step, 100);
    // 5.13% of 100 LAM is 5.13 LAM, burned as a penalty.
    let w = fx.withdraw(STAKERS, pa, 100 * T);
    assert_eq!(w.fee, 5_130_000_000_000_000_000);
    assert_eq!(w.paid, 94_870_000_000_000_000_000);
    assert_eq!(fx.lam_of(a), w.paid);
    assert_eq!(fx.s.supply(fx.lam), supply - w.fee);
    assert_eq!(
        fx.s.totals(fx.lam).burned_by_reason[BurnReason::Penalty.index()],
        w.fee
    );
    // The rest keeps its multiplier: 900 x 1.42.
    assert_eq!(position(&fx.s, STAKERS, pa).weight, 1_278 * T);
    assert_eq!(fx.totals(STAKERS).fees, w.fee);
    // At step 100 the lock has ended: no fee.
    ticks(&fx.e, &mut fx.s, 99);
    let w = fx.withdraw(STAKERS, pa, T);
    assert_eq!(w.fee, 51_300_000_000_000_000);
    ticks(&fx.e, &mut fx.s, 1);
    let w = fx.withdraw(STAKERS, pa, T);
    assert_eq!((w.fee, w.paid), (0, T));
}

#[test]
fn an_early_fee_may_go_back_to_the_remaining_stakers() {
    let mut spec = lam_rewards_spec();
    spec.reward_pools[0].early_withdrawal_fee_to = Destination::RewardPool(STAKERS);
    let mut fx = Fx::with(valid(spec));
    let (a, b) = (fx.holder(64 * P60), fx.holder(P60));
    let pa = fx.open(STAKERS, a, 64 * P60, 31);
    let pb = fx.open(STAKERS, b, P60, 0);
    // `a` leaves entirely before its lock ends: the fee is shared by the
    // weight left, `b` alone.
    let w = fx.withdraw(STAKERS, pa, 64 * P60);
    assert_eq!(w.fee, 64 * P60 * 51_300 / 1_000_000);
    assert_eq!(fx.pending(STAKERS, pb), w.fee);
    assert_eq!(fx.pending(STAKERS, pa), 0);
    assert_eq!(fx.totals(STAKERS).credited, w.fee);
}

#[test]
fn withdrawals_unbond_before_they_can_be_claimed() {
    let mut fx = Fx::new();
    let lp = AssetId::lp(market(&fx.e, "lam_usd"));
    let owner = acct(&fx.e, "liquidity");
    let shares = fx.s.balance(lp, owner);
    let pos = fx.open(LP_MINERS, owner, 1 << 40, 0);
    fx.fund(LP_MINERS, 1 << 20);
    let w = fx.withdraw(LP_MINERS, pos, 400);
    assert_eq!((w.paid, w.unbonding_until), (0, Some(7)));
    assert_eq!(fx.s.balance(lp, owner), shares - (1 << 40));
    // The rewards can be claimed at once; the unbonding cannot.
    assert_eq!(fx.claim(LP_MINERS, pos), (1 << 20, 0));
    let nothing = reject(
        &fx.e,
        &mut fx.s,
        Event::Claim {
            pool: LP_MINERS,
            position: pos,
        },
        "nothing_to_claim",
    );
    assert!(nothing.to_string().contains("from step 7"), "{nothing}");
    // A second withdrawal joins the entry and restarts its clock.
    ticks(&fx.e, &mut fx.s, 3);
    let w = fx.withdraw(LP_MINERS, pos, 100);
    assert_eq!(w.unbonding_until, Some(10));
    ticks(&fx.e, &mut fx.s, 6);
    fx.reject(
        Event::Claim {
            pool: LP_MINERS,
            position: pos,
        },
        "nothing_to_claim",
    );
    ticks(&fx.e, &mut fx.s, 1);
    assert_eq!(fx.claim(LP_MINERS, pos), (0, 500));
    assert_eq!(fx.s.balance(lp, owner), shares - (1 << 40) + 500);
    let p = position(&fx.s, LP_MINERS, pos);
    assert_eq!((p.amount, p.unbonding), ((1 << 40) - 500, 0));
    assert_eq!(fx.totals(LP_MINERS).staked, (1 << 40) - 500);
    // Unbonding stake earns nothing: after the first withdrawal the
    // position weighed 2^40 - 400.
    assert_eq!(p.weight, (1 << 40) - 500);
}

#[test]
fn points_pools_weigh_votes() {
    let mut fx = Fx::new();
    let (v1, v2) = (open(&fx.e, &mut fx.s), open(&fx.e, &mut fx.s));
    let p1 = fx.open(VOTERS, v1, 0, 0);
    let p2 = fx.open(VOTERS, v2, 0, 0);
    assert_eq!(position(&fx.s, VOTERS, p1).weight, 0);
    fx.set_weight(VOTERS, p1, 1);
    fx.set_weight(VOTERS, p2, 4);
    fx.fund(VOTERS, 100);
    assert_eq!((fx.pending(VOTERS, p1), fx.pending(VOTERS, p2)), (20, 80));
    // v1's votes end: what it earned stays; the next reward is all v2's.
    fx.set_weight(VOTERS, p1, 0);
    fx.fund(VOTERS, 100);
    assert_eq!((fx.pending(VOTERS, p1), fx.pending(VOTERS, p2)), (20, 180));
    fx.set_weight(VOTERS, p2, 0);
    assert!(fx.fund(VOTERS, 10));
    assert_eq!(fx.claim(VOTERS, p1), (20, 0));
    assert_eq!(fx.claim(VOTERS, p2), (180, 0));
    assert_eq!(fx.lam_of(v2), 180);
    let t = fx.totals(VOTERS);
    assert_eq!((t.staked, t.to_empty, t.rewards_held), (0, 10, 0));
}

/// The economy's rules route tokens into pools: a split leg (the
/// ecosystem's 33%), a revenue part (the operator's 20%, in USD), a
/// buyback's purchases and an emission channel. Each credit is O(1).
#[test]
fn rules_route_tokens_into_pools() {
    let mut spec = lam_rewards_spec();
    spec.splits[0].legs[2].kind = LegKind::RewardPool(STAKERS);
    spec.rules[0].parts[1].to = Payee::RewardPool(FEE_SHARE);
    spec.buybacks[0].destination = Destination::RewardPool(STAKERS);
    let mut fx = Fx::with(valid(spec));
    fx.ok(Event::SetPrice {
        token: fx.lam,
        price_usd_pico: 10 * CENT,
    });
    let staker = fx.holder(P60 + 1);
    let ps = fx.open(STAKERS, staker, P60, 0);
    let pf = fx.open(FEE_SHARE, staker, 1, 0);
    // 10 actions at $0.10 and $0.10 a LAM: 10 LAM, the pool's leg 3.3 LAM.
    let payer = fx.holder(100 * T);
    let v = version(&fx.e, "LAM-1");
    fx.ok(Event::Actions {
        payer: Payer::Account(payer),
        version: v,
        count: 10,
        workflow: None,
        path: None,
    });
    assert_eq!(fx.pending(STAKERS, ps), 3_300_000_000_000_000_000);
    // A USD subscription: $1,000, the operator's 20% to the fee pool,
    // whose only staker weighs 1 unit.
    let usd_sub = open(&fx.e, &mut fx.s);
    fx.ok(Event::Subscribe {
        subscriber: usd_sub,
        plan: plan(&fx.e, "agent"),
        payment: furnace_core::Payment::Numeraire,
    });
    assert_eq!(fx.pending(FEE_SHARE, pf), 200 * USD);
    // The buyback spends the budget's $800 at `otc` ($0.10): 8,000 LAM to
    // the stakers.
    fx.ok(Event::Buyback {
        program: program(&fx.e, "subscription_revenue"),
        amount_base_units: 800 * USD,
    });
    assert_eq!(
        fx.pending(STAKERS, ps),
        3_300_000_000_000_000_000 + 8_000 * T
    );
    assert_eq!(fx.claim(FEE_SHARE, pf), (200 * USD, 0));
    assert_eq!(fx.s.balance(fx.e.numeraire, staker), 200 * USD);
}

/// Crediting a pool of 100,000 positions changes the pool's counters only:
/// every position is as it was, and each earns its share when next
/// settled. (Debug builds run the full invariant check after every event,
/// O(positions), so opening 100,000 positions is quadratic there: debug
/// builds open 2,000, release builds 100,000: `cargo test -p furnace-core
/// --release --test rewards`.)
#[test]
fn crediting_a_pool_touches_no_position() {
    const N: usize = if cfg!(debug_assertions) {
        2_000
    } else {
        100_000
    };
    let mut fx = Fx::new();
    let owner = fx.holder(N as u128 * P60);
    fx.s.reserve_positions(STAKERS, N);
    for _ in 0..N {
        fx.open(STAKERS, owner, P60, 0);
    }
    let before = fx.s.clone();
    let community = acct(&fx.e, "community");
    let amount = N as u128 * 1_000;
    fx.fund(STAKERS, amount);
    let (b, a) = (
        before.reward_pool(STAKERS).unwrap(),
        fx.s.reward_pool(STAKERS).unwrap(),
    );
    assert_eq!(a.positions(), b.positions());
    let (tb, ta) = (b.totals(), a.totals());
    // Only the accumulator, its carry and the custody counters moved.
    assert_eq!(ta.credited, tb.credited + amount);
    assert_eq!(ta.rewards_held, tb.rewards_held + amount);
    assert!(ta.acc > tb.acc);
    assert_eq!(
        (ta.total_weight, ta.staked, ta.paid, ta.dust, ta.dust_booked),
        (tb.total_weight, tb.staked, tb.paid, tb.dust, tb.dust_booked)
    );
    // Every other pool and every balance but the funder's are unchanged.
    for pool in [VOTERS, LP_MINERS, FEE_SHARE] {
        assert_eq!(fx.s.reward_pool(pool), before.reward_pool(pool));
    }
    for account in fx.s.accounts().filter(|a| *a != community) {
        assert!(fx.s.holdings_of(account).eq(before.holdings_of(account)));
    }
    // Each position earned 1,000 (2^60 divides exactly).
    for i in [0, N / 2, N - 1] {
        assert_eq!(fx.pending(STAKERS, PositionId(i as u32)), 1_000);
    }
    // 1,000 per 2^60 of weight: exactly 1,000 x 2^36 in 2^-96 units.
    assert_eq!(
        ta.acc.checked_sub(tb.acc).unwrap().lo,
        1_000 << (ACC_SHIFT - 60)
    );
}

// ---------------------------------------------------------------------------
// Rejections

#[test]
fn every_pool_rejection_leaves_the_state_unchanged() {
    let mut fx = Fx::new();
    let a = fx.holder(10 * T);
    let pa = fx.open(STAKERS, a, T, 30);
    let v = open(&fx.e, &mut fx.s);
    let pv = fx.open(VOTERS, v, 0, 0);
    let ghost_pool = RewardPoolId(9);
    let ghost = PositionId(5);
    let open_ev = |pool, owner, amount, lock| Event::OpenPosition {
        pool,
        owner,
        amount_base_units: amount,
        lock_steps: lock,
    };
    fx.reject(open_ev(ghost_pool, a, T, 0), "unknown_reward_pool");
    fx.reject(
        Event::FundRewardPool {
            pool: ghost_pool,
            from: a,
            amount_base_units: 1,
        },
        "unknown_reward_pool",
    );
    fx.reject(open_ev(STAKERS, AccountId(999), T, 0), "unknown_account");
    fx.reject(open_ev(STAKERS, a, 0, 0), "zero_amount");
    fx.reject(open_ev(STAKERS, a, 100 * T, 0), "insufficient_balance");
    fx.reject(open_ev(STAKERS, a, T, 366), "lock_too_long");
    fx.reject(open_ev(LP_MINERS, a, 1, 1), "lock_too_long");
    // Depositing into a points pool.
    fx.reject(open_ev(VOTERS, v, 1, 0), "not_a_stake_pool");
    for ev in [
        Event::AddToPosition {
            pool: VOTERS,
            position: pv,
            amount_base_units: 1,
        },
        Event::Withdraw {
            pool: VOTERS,
            position: pv,
            amount_base_units: 1,
        },
    ] {
        fx.reject(ev, "not_a_stake_pool");
    }
    fx.reject(
        Event::SetWeight {
            pool: STAKERS,
            position: pa,
            weight: 5,
        },
        "not_a_points_pool",
    );
    for ev in [
        Event::Claim {
            pool: STAKERS,
            position: ghost,
        },
        Event::Withdraw {
            pool: STAKERS,
            position: ghost,
            amount_base_units: 1,
        },
        Event::AddToPosition {
            pool: STAKERS,
            position: ghost,
            amount_base_units: 1,
        },
        Event::SetWeight {
            pool: VOTERS,
            position: ghost,
            weight: 1,
        },
    ] {
        fx.reject(ev, "unknown_position");
    }
    fx.reject(
        Event::Withdraw {
            pool: STAKERS,
            position: pa,
            amount_base_units: T + 1,
        },
        "withdrawal_exceeds_deposit",
    );
    fx.reject(
        Event::Withdraw {
            pool: STAKERS,
            position: pa,
            amount_base_units: 0,
        },
        "zero_amount",
    );
    fx.reject(
        Event::AddToPosition {
            pool: STAKERS,
            position: pa,
            amount_base_units: 10 * T,
        },
        "insufficient_balance",
    );
    // A claim of nothing is refused, not a receipt for zero.
    fx.reject(
        Event::Claim {
            pool: STAKERS,
            position: pa,
        },
        "nothing_to_claim",
    );
    fx.reject(
        Event::FundRewardPool {
            pool: STAKERS,
            from: a,
            amount_base_units: 0,
        },
        "zero_amount",
    );
    fx.reject(
        Event::FundRewardPool {
            pool: STAKERS,
            from: a,
            amount_base_units: 10 * T,
        },
        "insufficient_balance",
    );
    // A weight the total cannot hold.
    fx.set_weight(VOTERS, pv, u128::MAX);
    let v2 = open(&fx.e, &mut fx.s);
    let pv2 = fx.open(VOTERS, v2, 0, 0);
    fx.reject(
        Event::SetWeight {
            pool: VOTERS,
            position: pv2,
            weight: 1,
        },
        "overflow",
    );
    // The accepted events around them: one top-up that works.
    fx.ok(Event::AddToPosition {
        pool: STAKERS,
        position: pa,
        amount_base_units: T,
    });
    assert_eq!(position(&fx.s, STAKERS, pa).amount, 2 * T);
}

// ---------------------------------------------------------------------------
// Validation

#[test]
fn validation_names_the_key_of_each_pool_error() {
    let mut spec = lam_rewards_spec();
    spec.reward_pools[0].empty_to = AccountId(99);
    spec.reward_pools[0].lock_multipliers[0].steps = 1;
    spec.reward_pools[0].lock_multipliers[2].multiplier_ppm = 900_000;
    spec.reward_pools[1].unbonding_steps = 3;
    spec.reward_pools[2].early_withdrawal_fee = ppm(10_000);
    spec.reward_pools[2].early_withdrawal_fee_to = Destination::Burn;
    spec.reward_pools[3].early_withdrawal_fee_to = Destination::RewardPool(LP_MINERS);
    spec.reward_pools[3].weight = PoolWeight::Stake {
        asset: AssetId::lp(furnace_core::MarketId(7)),
    };
    let e = validation_errors(spec.clone());
    has_error(&e, "reward_pools.stakers.empty_to", "unknown account");
    has_error(
        &e,
        "reward_pools.stakers.lock_multipliers",
        "lock of 0 steps",
    );
    has_error(
        &e,
        "reward_pools.stakers.lock_multipliers[2].multiplier",
        "never weighs less",
    );
    has_error(
        &e,
        "reward_pools.stakers.lock_multipliers[2].multiplier",
        "at least 1x",
    );
    has_error(&e, "reward_pools.voters.unbonding_steps", "points pool");
    has_error(
        &e,
        "reward_pools.lp_miners.early_withdrawal_fee_to",
        "only a declared token",
    );
    has_error(&e, "reward_pools.fee_share.stake", "LP shares");
    has_error(
        &e,
        "reward_pools.fee_share.early_withdrawal_fee_to",
        "pays in LAM",
    );

    // Rules routing to a pool that pays another asset, or to no pool.
    let mut spec = lam_rewards_spec();
    spec.splits[0].legs[2].kind = LegKind::RewardPool(FEE_SHARE);
    spec.splits[0].dust_to = Destination::RewardPool(RewardPoolId(9));
    spec.rules[0].parts[1].to = Payee::RewardPool(STAKERS);
    spec.buybacks[0].destination = Destination::RewardPool(FEE_SHARE);
    let e = validation_errors(spec);
    has_error(
        &e,
        "splits.action.legs[2].to",
        "`fee_share` pays in USD, but LAM",
    );
    has_error(&e, "splits.action.dust_to", "unknown reward pool");
    has_error(
        &e,
        "revenue.subscriptions.parts[1].to",
        "`stakers` pays in LAM, but USD",
    );
    has_error(
        &e,
        "buybacks.subscription_revenue.destination",
        "pays in USD",
    );
}

/// A pool funded with minted units: the units keep their mint reason, the
/// pool holds them, and the ledger's sum counts the pool's custody.
#[test]
fn pools_hold_part_of_the_supply() {
    let mut spec = lam_rewards_spec();
    spec.assets[1].max_supply = None;
    let mut fx = Fx::with(valid(spec));
    let a = fx.holder(3 * P60);
    let pa = fx.open(STAKERS, a, P60, 0);
    fx.open(LP_MINERS, acct(&fx.e, "liquidity"), 1_000, 0);
    let grants = open(&fx.e, &mut fx.s);
    let lam = fx.lam;
    fx.ok(Event::Mint {
        asset: lam,
        to: grants,
        amount_base_units: 64,
        reason: MintReason::Grant,
    });
    fx.ok(Event::FundRewardPool {
        pool: STAKERS,
        from: grants,
        amount_base_units: 64,
    });
    assert_eq!(claimable(&fx.e, &fx.s, STAKERS, pa).unwrap(), (64, 0));
    // LAM: balances + the stakers' deposit and rewards; the LP shares:
    // balances + the LP miners' deposit.
    let held = |asset: AssetId| -> u128 { fx.s.accounts().map(|a| fx.s.balance(asset, a)).sum() };
    let lam_usd = market(&fx.e, "lam_usd");
    let reserve = fx.s.pool(lam_usd).unwrap().reserves[0];
    assert_eq!(fx.s.supply(lam), held(lam) + reserve + P60 + 64);
    let lp = AssetId::lp(lam_usd);
    assert_eq!(fx.s.supply(lp), held(lp) + 1_000);
    assert_eq!(
        fx.s.totals(lam).minted_by_reason[MintReason::Grant.index()],
        64
    );
    fx.s.check_invariants(&fx.e).unwrap();
}
