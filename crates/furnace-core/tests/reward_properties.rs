//! Reward pools against a naive model, under random sequences of opens,
//! top-ups, withdrawals, weight changes, rewards, claims, ticks and lock ends
//! (`EndLock` after ticking to the end of the lock: back to 1x), on a
//! stake pool (gmFLOCK locks, a 5.13% early fee burned) or a points pool,
//! with 1 to 20 positions.
//!
//! The model is written independently of the engine: it recomputes each
//! weight from the gmFLOCK formula, and for every reward distributes
//! `amount x weight_i / total` to every position in 64-bit fixed point
//! (`q 2^64 + floor(r 2^64 / W)`, below 2^-64 units of error per reward);
//! a reward at zero weight goes to `empty_to`. After every event:
//!
//! - each position's rewards (paid + claimable) are the floor of its exact
//!   share, within 2^-32 units (the engine is exact to 2^-96 per weight
//!   unit; its carried remainder is below `W / 2^96` units). A position's
//!   fraction of a unit is dropped when its weight falls to zero, in both;
//! - the pool conserves every unit: rewards in = paid + claimable + dust
//!   booked + sent to `empty_to` + what it holds beyond the claimable,
//!   which is below one unit per position with weight, plus one;
//! - whether the engine accepts an event is what the model predicts; a
//!   refused event changes nothing; owners' balances match the model's
//!   (deposits, withdrawals less the early fee, claims).

mod common;

use common::*;
use furnace_core::engine::claimable;
use furnace_core::ids::{PositionId, RewardPoolId};
use furnace_core::{apply, AccountId, Event, Receipt, State, ValidEconomy};
use proptest::prelude::*;

#[derive(Copy, Clone, Debug)]
enum Op {
    Open {
        owner: u8,
        amount: u128,
        lock: u32,
    },
    Add {
        pos: u8,
        amount: u128,
    },
    Withdraw {
        pos: u8,
        amount: u128,
    },
    SetWeight {
        pos: u8,
        weight: u128,
    },
    Fund {
        amount: u128,
    },
    Claim {
        pos: u8,
    },
    Tick,
    /// Tick until the position's lock ends (at most 400 steps), then
    /// `EndLock`: its weight back to 1x.
    EndLock {
        pos: u8,
    },
}

fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![
        1 => Just(0u128),
        3 => 1u128..=1_000,
        6 => 1u128..=1_000_000_000_000,
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u8..3, amount(), prop_oneof![3 => Just(0u32), 4 => 0u32..=400])
            .prop_map(|(owner, amount, lock)| Op::Open { owner, amount, lock }),
        2 => (any::<u8>(), amount()).prop_map(|(pos, amount)| Op::Add { pos, amount }),
        3 => (any::<u8>(), amount()).prop_map(|(pos, amount)| Op::Withdraw { pos, amount }),
        4 => (any::<u8>(), prop_oneof![1 => Just(0u128), 4 => amount()])
            .prop_map(|(pos, weight)| Op::SetWeight { pos, weight }),
        6 => amount().prop_map(|amount| Op::Fund { amount }),
        3 => any::<u8>().prop_map(|pos| Op::Claim { pos }),
        2 => Just(Op::Tick),
        2 => any::<u8>().prop_map(|pos| Op::EndLock { pos }),
    ]
}

const ONE: u128 = 1 << 64;
/// The comparison window, in 2^-64 units: 2^-32 units.
const SLACK: u128 = 1 << 32;
const MAX_POSITIONS: usize = 20;
/// What each owner starts with (LAM base units).
const START: u128 = 1_000_000_000_000_000;

#[derive(Clone, Debug, Default)]
struct Model {
    owner: usize,
    deposit: u128,
    weight: u128,
    lock_end: u64,
    multiplier_ppm: u128,
    /// Exact share so far, in 2^-64 units (below 2^-64 per reward low).
    entitled: u128,
    paid: u128,
}

/// gmFLOCK, from the published formula, not the engine's table.
fn multiplier_ppm(lock: u32) -> Option<u128> {
    match lock {
        0..=30 => Some(1_000_000),
        31..=365 => Some(1_000_000 + 2_190_000 * u128::from(lock - 30) / 365),
        _ => None,
    }
}

/// `amount x w / total` in 2^-64 units, floored.
fn share(amount: u128, w: u128, total: u128) -> u128 {
    let p = amount * w;
    (p / total) * ONE + ((p % total) << 64) / total
}

struct Run {
    e: ValidEconomy,
    s: State,
    pool: RewardPoolId,
    stake: bool,
    owners: [AccountId; 3],
    balances: [u128; 3],
    positions: Vec<Model>,
    funded: u128,
    to_empty: u128,
}

impl Run {
    fn new(stake: bool) -> Run {
        let e = lam_rewards();
        let mut s = State::genesis(&e);
        let lam = asset(&e, "LAM");
        let market = acct(&e, "market");
        let owners = [0; 3].map(|_| funded_account(&e, &mut s, lam, market, START));
        Run {
            e,
            s,
            pool: if stake { STAKERS } else { VOTERS },
            stake,
            owners,
            balances: [START; 3],
            positions: Vec::new(),
            funded: 0,
            to_empty: 0,
        }
    }

    fn total_weight(&self) -> u128 {
        self.positions.iter().map(|p| p.weight).sum()
    }

    /// The rewards position `i` has had (paid + claimable), by the engine.
    fn received(&self, i: usize) -> u128 {
        let (pending, _) = claimable(&self.e, &self.s, self.pool, PositionId(i as u32)).unwrap();
        self.positions[i].paid + pending
    }

    /// What position `i` received, checked against the model's window.
    fn checked_received(&self, i: usize) -> Result<u128, TestCaseError> {
        let r = self.received(i);
        let (lo, hi) = self.window(i);
        prop_assert!(
            lo <= r && r <= hi,
            "position {}: {} not in [{}, {}]",
            i,
            r,
            lo,
            hi
        );
        Ok(r)
    }

    /// The floor of the model's share, both ways of the window.
    fn window(&self, i: usize) -> (u128, u128) {
        let e = self.positions[i].entitled;
        (e.saturating_sub(SLACK) / ONE, (e + SLACK) / ONE)
    }

    /// A weight change: a weight falling to zero drops its fraction (the
    /// engine's rule), after checking the position against the model.
    fn reweigh(&mut self, i: usize, weight: u128) -> Result<(), TestCaseError> {
        if weight == 0 && self.positions[i].weight > 0 {
            let r = self.checked_received(i)?;
            self.positions[i].entitled = r * ONE;
        }
        self.positions[i].weight = weight;
        Ok(())
    }

    fn pick(&self, pos: u8) -> Option<usize> {
        (!self.positions.is_empty()).then(|| usize::from(pos) % self.positions.len())
    }

    /// The event for `op`, whether the model expects it accepted (None:
    /// the model cannot tell, the share being within 2^-32 of a unit), and
    /// the model's update if it is.
    fn step(&mut self, op: &Op) -> Result<(), TestCaseError> {
        let pool = self.pool;
        let step = self.s.step();
        let (event, expect): (Event, Option<bool>) = match *op {
            Op::Open {
                owner,
                amount,
                lock,
            } => {
                if self.positions.len() == MAX_POSITIONS {
                    return Ok(());
                }
                let o = usize::from(owner);
                let (amount, lock) = if self.stake { (amount, lock) } else { (0, 0) };
                let ok = !self.stake
                    || amount > 0 && amount <= self.balances[o] && multiplier_ppm(lock).is_some();
                (
                    Event::OpenPosition {
                        pool,
                        owner: self.owners[o],
                        amount_base_units: amount,
                        lock_steps: lock,
                    },
                    Some(ok),
                )
            }
            Op::Add { pos, amount } | Op::Withdraw { pos, amount } => {
                let Some(i) = self.pick(pos) else {
                    return Ok(());
                };
                let p = &self.positions[i];
                let position = PositionId(i as u32);
                if let Op::Add { .. } = op {
                    let ok = self.stake && amount > 0 && amount <= self.balances[p.owner];
                    let ev = Event::AddToPosition {
                        pool,
                        position,
                        amount_base_units: amount,
                    };
                    (ev, Some(ok))
                } else {
                    let ok = self.stake && amount > 0 && amount <= p.deposit;
                    let ev = Event::Withdraw {
                        pool,
                        position,
                        amount_base_units: amount,
                    };
                    (ev, Some(ok))
                }
            }
            Op::SetWeight { pos, weight } => {
                let Some(i) = self.pick(pos) else {
                    return Ok(());
                };
                let ev = Event::SetWeight {
                    pool,
                    position: PositionId(i as u32),
                    weight,
                };
                (ev, Some(!self.stake))
            }
            Op::Fund { amount } => (
                Event::FundRewardPool {
                    pool,
                    from: acct(&self.e, "community"),
                    amount_base_units: amount,
                },
                Some(amount > 0),
            ),
            Op::Claim { pos } => {
                let Some(i) = self.pick(pos) else {
                    return Ok(());
                };
                let (lo, hi) = self.window(i);
                let paid = self.positions[i].paid;
                let expect = if lo == hi { Some(lo > paid) } else { None };
                let ev = Event::Claim {
                    pool,
                    position: PositionId(i as u32),
                };
                (ev, expect)
            }
            Op::Tick => (Event::Tick, Some(true)),
            Op::EndLock { pos } => {
                let Some(i) = self.pick(pos) else {
                    return Ok(());
                };
                let p = &self.positions[i];
                for _ in step..p.lock_end {
                    apply(&self.e, &mut self.s, &Event::Tick).unwrap();
                }
                let ok = self.stake && p.multiplier_ppm != 1_000_000;
                let ev = Event::EndLock {
                    pool,
                    position: PositionId(i as u32),
                };
                (ev, Some(ok))
            }
        };
        let before = self.s.clone();
        let result = apply(&self.e, &mut self.s, &event);
        if let Some(expected) = expect {
            prop_assert_eq!(result.is_ok(), expected, "{:?}: {:?}", event, result);
        }
        let receipt = match result {
            Err(_) => {
                prop_assert!(self.s == before, "rejected {:?} changed the state", event);
                return Ok(());
            }
            Ok(r) => r,
        };
        // The model follows the accepted event.
        match (*op, receipt) {
            (
                Op::Open {
                    owner,
                    amount,
                    lock,
                    ..
                },
                Receipt::PositionOpened { position, .. },
            ) => {
                prop_assert_eq!(position.0 as usize, self.positions.len());
                let o = usize::from(owner);
                let mut m = Model {
                    owner: o,
                    ..Model::default()
                };
                if self.stake {
                    let mult = multiplier_ppm(lock).unwrap();
                    self.balances[o] -= amount;
                    m.deposit = amount;
                    m.multiplier_ppm = mult;
                    m.lock_end = step + u64::from(lock);
                    m.weight = amount * mult / 1_000_000;
                }
                self.positions.push(m);
            }
            (Op::Add { pos, amount }, Receipt::AddedToPosition { .. }) => {
                let i = self.pick(pos).unwrap();
                let p = &mut self.positions[i];
                self.balances[p.owner] -= amount;
                p.deposit += amount;
                let weight = p.deposit * p.multiplier_ppm / 1_000_000;
                self.reweigh(i, weight)?;
            }
            (Op::Withdraw { pos, amount }, Receipt::Withdrawn(w)) => {
                let i = self.pick(pos).unwrap();
                let p = &mut self.positions[i];
                let fee = if step < p.lock_end {
                    amount * 51_300 / 1_000_000
                } else {
                    0
                };
                self.balances[p.owner] += amount - fee;
                p.deposit -= amount;
                let weight = p.deposit * p.multiplier_ppm / 1_000_000;
                prop_assert_eq!((w.fee, w.paid), (fee, amount - fee));
                self.reweigh(i, weight)?;
            }
            (Op::SetWeight { pos, weight }, Receipt::WeightSet { .. }) => {
                let i = self.pick(pos).unwrap();
                self.reweigh(i, weight)?;
            }
            (Op::Fund { amount }, Receipt::RewardPoolFunded { to_empty, .. }) => {
                self.funded += amount;
                let total = self.total_weight();
                prop_assert_eq!(to_empty, total == 0);
                if total == 0 {
                    self.to_empty += amount;
                } else {
                    for p in &mut self.positions {
                        p.entitled += share(amount, p.weight, total);
                    }
                }
            }
            (
                Op::Claim { pos },
                Receipt::Claimed {
                    rewards, unbonded, ..
                },
            ) => {
                let i = self.pick(pos).unwrap();
                prop_assert_eq!(unbonded, 0);
                let p = &mut self.positions[i];
                p.paid += rewards;
                self.balances[p.owner] += rewards;
            }
            (Op::Tick, Receipt::Ticked { .. }) => {}
            (Op::EndLock { pos }, Receipt::LockEnded { weight, .. }) => {
                let i = self.pick(pos).unwrap();
                let p = &mut self.positions[i];
                p.multiplier_ppm = 1_000_000;
                prop_assert_eq!(weight, p.deposit);
                let deposit = p.deposit;
                self.reweigh(i, deposit)?;
            }
            (op, r) => prop_assert!(false, "{:?} gave {:?}", op, r),
        }
        self.check()
    }

    fn check(&self) -> Result<(), TestCaseError> {
        let t = *self.s.reward_pool(self.pool).unwrap().totals();
        prop_assert_eq!(t.total_weight, self.total_weight());
        let mut claimable_sum = 0;
        let mut live = 0;
        for (i, p) in self.positions.iter().enumerate() {
            let r = self.checked_received(i)?;
            claimable_sum += r - p.paid;
            live += u128::from(p.weight > 0);
        }
        // Every unit: in = paid + claimable + dust + empty + the rest held.
        let paid: u128 = self.positions.iter().map(|p| p.paid).sum();
        prop_assert_eq!(t.credited, self.funded);
        prop_assert_eq!(t.paid, paid);
        prop_assert_eq!(t.to_empty, self.to_empty);
        prop_assert!(t.rewards_held >= claimable_sum);
        let unclaimable = t.rewards_held - claimable_sum;
        prop_assert!(
            unclaimable <= live + 1,
            "{} held beyond the claimable",
            unclaimable
        );
        prop_assert_eq!(
            self.funded,
            paid + claimable_sum + t.dust_booked + self.to_empty + unclaimable
        );
        let lam = asset(&self.e, "LAM");
        for (o, who) in self.owners.iter().enumerate() {
            prop_assert_eq!(self.s.balance(lam, *who), self.balances[o]);
        }
        Ok(())
    }
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    ProptestConfig {
        cases,
        max_shrink_iters: 2_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn stake_pools_pay_the_naive_pro_rata_share(ops in proptest::collection::vec(op(), 1..100)) {
        let mut run = Run::new(true);
        for op in &ops {
            run.step(op)?;
        }
    }

    #[test]
    fn points_pools_pay_the_naive_pro_rata_share(ops in proptest::collection::vec(op(), 1..100)) {
        let mut run = Run::new(false);
        for op in &ops {
            run.step(op)?;
        }
    }
}

/// The generator is not vacuous: over deterministic sequences, every kind
/// of event is both accepted and refused, claims pay, and positions'
/// shares are inexact (the fractions the bound is about exist).
#[test]
fn random_sequences_exercise_every_event() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = proptest::collection::vec(op(), 1..100);
    let mut seen: std::collections::BTreeMap<&str, [u32; 2]> = Default::default();
    let mut paid = 0u128;
    let mut inexact = 0u32;
    for i in 0..200 {
        let ops = strategy.new_tree(&mut runner).unwrap().current();
        let mut run = Run::new(i % 2 == 0);
        for op in &ops {
            let applied = run.s.events_applied();
            run.step(op).unwrap();
            let kind = match op {
                Op::Open { .. } => "open",
                Op::Add { .. } => "add",
                Op::Withdraw { .. } => "withdraw",
                Op::SetWeight { .. } => "set_weight",
                Op::Fund { .. } => "fund",
                Op::Claim { .. } => "claim",
                Op::Tick => "tick",
                Op::EndLock { .. } => "end_lock",
            };
            seen.entry(kind).or_default()[usize::from(run.s.events_applied() == applied)] += 1;
        }
        paid += run.positions.iter().map(|p| p.paid).sum::<u128>();
        inexact += run
            .positions
            .iter()
            .filter(|p| p.entitled % ONE != 0)
            .count() as u32;
    }
    for kind in [
        "open",
        "add",
        "withdraw",
        "set_weight",
        "fund",
        "claim",
        "end_lock",
    ] {
        let [accepted, refused] = seen[kind];
        assert!(accepted > 0 && refused > 0, "{kind}: {seen:?}");
    }
    assert!(paid > 0 && inexact > 0, "paid {paid}, inexact {inexact}");
}
