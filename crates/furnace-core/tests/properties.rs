//! Properties of the ledger under random event sequences (valid and invalid
//! events mixed) on four hand-built economies: LAM priced by its pool, the
//! two-token economy (MOD priced through MOD/NET x NET/USD), AST (mint on
//! purchase, redemption, an external market), and LAM with reward pools fed
//! by a split leg, a revenue part, a buyback and an emission schedule.
//!
//! - after every event, accepted or not, `check_invariants` holds, no balance
//!   exceeds its supply, and the numeraire is conserved:
//!   `minted == burned + Σ balances + Σ pool reserves + Σ reward-pool
//!   custody` (summed here from the public accessors, independently of
//!   `check_invariants`);
//! - a rejected event leaves the state equal to before;
//! - `k = x * y` of every pool never decreases except by removing liquidity;
//! - the same sequence applied twice gives equal states and receipts, and
//!   replaying only the accepted events reaches the same state;
//! - a round trip (sell X, sell the output back) never returns more than X;
//!   removing the shares a deposit minted never returns more than it took;
//! - split postings sum exactly to the total, for any valid split;
//! - `mul_div` is exact against a 256-bit reference.
//!
//! Case counts are modest so the suite stays fast in debug builds, where
//! `apply` also runs the full invariant check after every event; set
//! `PROPTEST_CASES` to change them (CI uses 64).

mod common;

use common::*;
use furnace_core::economy::{
    ConsumptionSplit, Destination, EmissionCurve, EmissionSource, Leg, LegKind, Oracle, Payee,
    MAX_LEGS,
};
use furnace_core::engine::{split, Receipt, Rejection, Role, Sink};
use furnace_core::event::{BurnReason, MintReason, Order, TrainerWeight};
use furnace_core::ids::{
    PathId, PositionId, RedemptionId, RewardPoolId, RuleId, SaleId, ScheduleId, SubscriptionId,
    WorkflowId,
};
use furnace_core::state::TrainerPath;
use furnace_core::units::{mul_div_floor, Ppm, PPM_ONE};
use furnace_core::{
    apply, AccountId, AssetId, Event, MarketId, Payer, Payment, PlanId, ProgramId, State,
    ValidEconomy, VersionId,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use std::sync::LazyLock;

/// An economy, the events that open every random sequence (so a good share
/// of the random events that follow are valid), and its table sizes.
struct World {
    e: ValidEconomy,
    opening: Vec<Event>,
}

impl World {
    fn n_assets(&self) -> u32 {
        self.e.assets.len() as u32
    }
    fn n_named(&self) -> u32 {
        self.e.accounts.len() as u32
    }
    fn n_markets(&self) -> u16 {
        self.e.markets.len() as u16
    }
}

fn opened(i: usize) -> AccountId {
    AccountId::opened(i).unwrap()
}

/// Three accounts opened with 1,000,000 LAM (from `market`) and $1,000,000.
fn lam_holders(e: &ValidEconomy) -> Vec<Event> {
    let (usd, lam) = (e.numeraire, asset(e, "LAM"));
    let market = acct(e, "market");
    let mut opening = Vec::new();
    for i in 0..3 {
        opening.push(Event::OpenAccount);
        opening.push(Event::Transfer {
            asset: lam,
            from: market,
            to: opened(i),
            amount_base_units: 1_000_000 * T,
        });
        opening.push(Event::Mint {
            asset: usd,
            to: opened(i),
            amount_base_units: 1_000_000 * USD,
            reason: MintReason::ExternalInflow,
        });
    }
    opening
}

static LAM_POOL: LazyLock<World> = LazyLock::new(|| {
    let e = lam_with_pool_oracle();
    let mut opening = lam_holders(&e);
    opening.extend([
        Event::Subscribe {
            subscriber: opened(0),
            plan: PlanId(0),
            payment: Payment::Token,
        },
        Event::Subscribe {
            subscriber: opened(1),
            plan: PlanId(0),
            payment: Payment::Numeraire,
        },
        Event::Buyback {
            program: ProgramId(0),
            amount_base_units: 400 * USD,
        },
        Event::PublishWorkflow {
            creator: opened(2),
            epoch: 3,
        },
        Event::AddLiquidity {
            market: MarketId(0),
            provider: opened(0),
            amounts: [100_000 * T, 10_000 * USD],
            min_shares: 1,
        },
    ]);
    World { e, opening }
});

static TWO_TOKENS: LazyLock<World> = LazyLock::new(|| {
    let e = two_tokens();
    let holders = acct(&e, "holders");
    let mut opening = Vec::new();
    for i in 0..3 {
        opening.push(Event::OpenAccount);
        for (name, amount) in [
            ("NET", whole(100_000, 18)),
            ("MOD", whole(1_000_000, 6)),
            ("USD", whole(100_000, 6)),
        ] {
            opening.push(Event::Transfer {
                asset: asset(&e, name),
                from: holders,
                to: opened(i),
                amount_base_units: amount,
            });
        }
    }
    World { e, opening }
});

static AST: LazyLock<World> = LazyLock::new(|| {
    let e = ast();
    let (usd, ast_token) = (e.numeraire, asset(&e, "AST"));
    let mut opening = vec![Event::SetPrice {
        token: ast_token,
        price_usd_pico: 10 * CENT,
    }];
    for i in 0..3 {
        opening.push(Event::OpenAccount);
        opening.push(Event::Purchase {
            sale: AST_SALE,
            buyer: opened(i),
            amount_base_units: whole(10_000, 6),
        });
        opening.push(Event::Mint {
            asset: usd,
            to: opened(i),
            amount_base_units: whole(10_000, 6),
            reason: MintReason::ExternalInflow,
        });
    }
    opening.push(Event::Redeem {
        redemption: AST_REDEMPTION,
        holder: opened(0),
        amount_base_units: whole(1_000, 6),
    });
    World { e, opening }
});

/// LAM priced by its pool, with the four pools of `lam_rewards_spec`: the
/// split's ecosystem leg, the subscription revenue's operator part and the
/// buyback feed pools, and a schedule vests `community` over 100 epochs,
/// half to the stakers.
static REWARDS: LazyLock<World> = LazyLock::new(|| {
    let mut spec = lam_rewards_spec();
    spec.oracles[1] = Oracle::Spot(MarketId(0));
    spec.splits[0].legs[2].kind = LegKind::RewardPool(STAKERS);
    spec.rules[0].parts[1].to = Payee::RewardPool(FEE_SHARE);
    spec.buybacks[0].destination = Destination::RewardPool(STAKERS);
    let community = EmissionSource::Account(acct(&spec, "community"));
    let vesting = EmissionCurve::Linear {
        total: whole(350_000_000, 18),
        epochs: 100,
    };
    spec.emissions = vec![lam_schedule(&spec, community, vesting, pct(50))];
    let e = valid(spec);
    let mut opening = lam_holders(&e);
    for (pool, amount, lock) in [(STAKERS, 1_000 * T, 100), (FEE_SHARE, 500 * T, 0)] {
        opening.push(Event::OpenPosition {
            pool,
            owner: opened(0),
            amount_base_units: amount,
            lock_steps: lock,
        });
    }
    opening.extend([
        Event::OpenPosition {
            pool: VOTERS,
            owner: opened(1),
            amount_base_units: 0,
            lock_steps: 0,
        },
        Event::OpenPosition {
            pool: LP_MINERS,
            owner: acct(&e, "liquidity"),
            amount_base_units: 1_000_000,
            lock_steps: 0,
        },
        Event::Emit {
            schedule: ScheduleId(0),
        },
    ]);
    World { e, opening }
});

// ---------------------------------------------------------------------------
// Strategies

fn account(w: &'static World) -> impl Strategy<Value = AccountId> {
    let n = w.n_named();
    prop_oneof![
        3 => (0..n).prop_map(AccountId),
        6 => (0usize..4).prop_map(opened),
        1 => Just(AccountId(n)), // never declared
    ]
}

fn any_asset(w: &'static World) -> impl Strategy<Value = AssetId> {
    let n = w.n_assets();
    let markets = w.n_markets();
    prop_oneof![
        8 => (0..n).prop_map(AssetId),
        1 => (0..markets).prop_map(|m| AssetId::lp(MarketId(m))),
        1 => Just(AssetId(n)),
    ]
}

/// Amounts across every scale: dust, whole tokens of 6 and 18 decimals,
/// more than any supply, and the extremes.
fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![
        1 => Just(0u128),
        3 => 1u128..=1_000,
        12 => (1u128..=100_000, 0u32..=24).prop_map(|(m, k)| m * 10u128.pow(k)),
        // Whole units of 0, 6 and 18 decimal assets.
        6 => (1u128..=10_000, proptest::sample::select(&[0u32, 6, 18][..]))
            .prop_map(|(m, k)| m * 10u128.pow(k)),
        1 => Just(u128::MAX),
        1 => any::<u128>(),
    ]
}

fn count() -> impl Strategy<Value = u64> {
    prop_oneof![
        1 => Just(0u64),
        8 => 1u64..=100,
        3 => 100u64..=200_000,
        1 => Just(u64::MAX),
    ]
}

fn price() -> impl Strategy<Value = u128> {
    prop_oneof![
        1 => Just(0u128),
        3 => Just(CENT),
        2 => Just(3 * CENT),
        2 => Just(10 * CENT),
        2 => 1u128..=1_000_000_000_000_000,
    ]
}

fn order() -> impl Strategy<Value = Order> {
    prop_oneof![
        3 => (amount(), prop_oneof![3 => Just(0u128), 1 => amount()])
            .prop_map(|(amount_in, min_out)| Order::ExactIn { amount_in, min_out }),
        2 => (amount(), prop_oneof![3 => Just(u128::MAX), 1 => amount()])
            .prop_map(|(amount_out, max_in)| Order::ExactOut { amount_out, max_in }),
    ]
}

/// A table index, one past the end now and then (an unknown id).
fn index(len: usize) -> impl Strategy<Value = u16> + Clone {
    let len = len as u16;
    prop_oneof![9 => 0..len.max(1), 1 => Just(len)]
}

fn event(w: &'static World) -> impl Strategy<Value = Event> {
    let e = &w.e;
    let trainer = (account(w), 0u32..=100, 0u64..=1_000).prop_map(|(trainer, quality, usage)| {
        TrainerWeight {
            trainer,
            quality,
            usage,
        }
    });
    let payer = prop_oneof![
        3 => account(w).prop_map(Payer::Account),
        2 => (0u32..4).prop_map(|s| Payer::Subscription(SubscriptionId(s))),
    ];
    let market = index(e.markets.len()).prop_map(MarketId);
    let weight = |present: bool, w: u32| if present { w } else { 1 };
    prop_oneof![
        2 => Just(Event::OpenAccount),
        2 => Just(Event::Tick),
        1 => (any_asset(w), price()).prop_map(|(token, price_usd_pico)| Event::SetPrice {
            token,
            price_usd_pico
        }),
        2 => (any_asset(w), account(w), amount(), proptest::sample::select(MintReason::ALL))
            .prop_map(|(asset, to, amount_base_units, reason)| Event::Mint {
                asset,
                to,
                amount_base_units,
                reason
            }),
        1 => (any_asset(w), account(w), amount(), proptest::sample::select(BurnReason::ALL))
            .prop_map(|(asset, from, amount_base_units, reason)| Event::Burn {
                asset,
                from,
                amount_base_units,
                reason
            }),
        3 => (any_asset(w), account(w), account(w), amount()).prop_map(
            |(asset, from, to, amount_base_units)| Event::Transfer {
                asset,
                from,
                to,
                amount_base_units
            }
        ),
        10 => (market.clone(), account(w), any_asset(w), order()).prop_map(
            |(market, trader, sell, order)| Event::Swap {
                market,
                trader,
                sell,
                order
            }
        ),
        3 => (market.clone(), account(w), amount(), amount(), prop_oneof![3 => Just(0u128), 1 => amount()])
            .prop_map(|(market, provider, a, b, min_shares)| Event::AddLiquidity {
                market,
                provider,
                amounts: [a, b],
                min_shares
            }),
        3 => (market, account(w), amount(), prop_oneof![3 => Just(0u128), 1 => amount()])
            .prop_map(|(market, provider, shares, min)| Event::RemoveLiquidity {
                market,
                provider,
                shares,
                min_amounts: [min, 0]
            }),
        1 => (account(w), 0u32..=12).prop_map(|(creator, epoch)| Event::PublishWorkflow {
            creator,
            epoch
        }),
        1 => proptest::collection::vec(trainer, 0..5)
            .prop_map(|trainers| Event::RegisterTrainerPath { trainers }),
        weight(!e.versions.is_empty(), 8) => (
            payer,
            index(e.versions.len()).prop_map(VersionId),
            count(),
            proptest::option::of((0u32..3).prop_map(WorkflowId)),
            proptest::option::of((0u32..3).prop_map(PathId)),
        )
            .prop_map(|(payer, version, count, workflow, path)| Event::Actions {
                payer,
                version,
                count,
                workflow,
                path
            }),
        weight(!e.plans.is_empty(), 2) => (
            account(w),
            index(e.plans.len()).prop_map(PlanId),
            prop_oneof![Just(Payment::Numeraire), Just(Payment::Token)]
        )
            .prop_map(|(subscriber, plan, payment)| Event::Subscribe {
                subscriber,
                plan,
                payment
            }),
        weight(!e.plans.is_empty(), 1) => (0u32..4).prop_map(|s| Event::ExpireSubscription {
            subscription: SubscriptionId(s)
        }),
        weight(!e.buybacks.is_empty(), 4) => (index(e.buybacks.len()).prop_map(ProgramId), amount())
            .prop_map(|(program, amount_base_units)| Event::Buyback {
                program,
                amount_base_units
            }),
        weight(!e.rules.is_empty(), 1) => (index(e.rules.len()).prop_map(RuleId), amount())
            .prop_map(|(rule, amount_base_units)| Event::Revenue {
                rule,
                amount_base_units
            }),
        weight(!e.sales.is_empty(), 4) => (index(e.sales.len()).prop_map(SaleId), account(w), amount())
            .prop_map(|(sale, buyer, amount_base_units)| Event::Purchase {
                sale,
                buyer,
                amount_base_units
            }),
        weight(!e.redemptions.is_empty(), 3) => (
            index(e.redemptions.len()).prop_map(RedemptionId),
            account(w),
            amount()
        )
            .prop_map(|(redemption, holder, amount_base_units)| Event::Redeem {
                redemption,
                holder,
                amount_base_units
            }),
        weight(!e.reward_pools.is_empty(), 8) => pool_event(w),
        weight(!e.emissions.is_empty(), 2) => index(e.emissions.len())
            .prop_map(|s| Event::Emit { schedule: ScheduleId(s) }),
    ]
}

/// Reward-pool events: pools and positions by index, one past the end now
/// and then.
fn pool_event(w: &'static World) -> impl Strategy<Value = Event> {
    let pool = index(w.e.reward_pools.len()).prop_map(RewardPoolId);
    let position = (0u32..3).prop_map(PositionId);
    prop_oneof![
        3 => (pool.clone(), account(w), prop_oneof![1 => Just(0u128), 3 => amount()], 0u32..=400)
            .prop_map(|(pool, owner, amount_base_units, lock_steps)| Event::OpenPosition {
                pool,
                owner,
                amount_base_units,
                lock_steps
            }),
        2 => (pool.clone(), position.clone(), amount())
            .prop_map(|(pool, position, weight)| Event::SetWeight { pool, position, weight }),
        2 => (pool.clone(), position.clone(), amount()).prop_map(
            |(pool, position, amount_base_units)| Event::AddToPosition {
                pool,
                position,
                amount_base_units
            }
        ),
        3 => (pool.clone(), position.clone(), amount()).prop_map(
            |(pool, position, amount_base_units)| Event::Withdraw {
                pool,
                position,
                amount_base_units
            }
        ),
        3 => (pool.clone(), position).prop_map(|(pool, position)| Event::Claim { pool, position }),
        3 => (pool, account(w), amount()).prop_map(|(pool, from, amount_base_units)| {
            Event::FundRewardPool {
                pool,
                from,
                amount_base_units
            }
        }),
    ]
}

fn events(w: &'static World) -> impl Strategy<Value = Vec<Event>> {
    proptest::collection::vec(event(w), 1..60).prop_map(move |random| {
        let mut all = w.opening.clone();
        all.extend(random);
        all
    })
}

/// `cases` unless `PROPTEST_CASES` is set.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // Shrinking a long sequence in debug is slow; a failure prints the
        // whole sequence anyway.
        max_shrink_iters: 2_000,
        // No regression files written into the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Checks

/// `k` of every pool, as 256-bit products (0 for external markets).
fn products(e: &ValidEconomy, s: &State) -> Vec<(u128, u128)> {
    (0..e.markets.len())
        .map(|m| {
            s.pool(MarketId(m as u16))
                .map_or((0, 0), |p| wide_mul(p.reserves[0], p.reserves[1]))
        })
        .collect()
}

/// Σ balances + Σ pool reserves + Σ reward-pool custody of `asset`, from
/// the public accessors.
fn held(e: &ValidEconomy, s: &State, asset: AssetId) -> u128 {
    let mut sum = 0u128;
    for a in s.accounts() {
        for (x, b) in s.holdings_of(a) {
            if x == asset {
                sum = sum.checked_add(b).expect("balances overflow");
            }
        }
    }
    for m in 0..e.markets.len() {
        let market = MarketId(m as u16);
        if let (Some(assets), Some(p)) = (e.pool_assets(market), s.pool(market)) {
            for (x, r) in assets.iter().zip(p.reserves) {
                if *x == asset {
                    sum = sum.checked_add(r).expect("reserves overflow");
                }
            }
        }
    }
    for (i, spec) in e.reward_pools.iter().enumerate() {
        let t = s.reward_pool(RewardPoolId(i as u16)).unwrap().totals();
        if spec.reward == asset {
            sum = sum.checked_add(t.rewards_held).expect("custody overflows");
        }
        if spec.stake_asset() == Some(asset) {
            sum = sum.checked_add(t.staked).expect("custody overflows");
        }
    }
    sum
}

fn step(e: &ValidEconomy, s: &mut State, ev: &Event) -> Result<(), TestCaseError> {
    let before = s.clone();
    let result = apply(e, s, ev);
    match &result {
        Err(rejection) => {
            prop_assert!(
                *s == before,
                "rejected {:?} ({}) changed state",
                ev,
                rejection
            );
        }
        Ok(receipt) => {
            prop_assert_eq!(s.events_applied(), before.events_applied() + 1);
            match receipt {
                Receipt::Actions(r) => {
                    let sum: u128 = r.split.postings().iter().map(|p| p.amount).sum();
                    prop_assert_eq!(sum, r.split.total);
                }
                Receipt::Expired {
                    released: Some(r), ..
                } => {
                    let sum: u128 = r.postings().iter().map(|p| p.amount).sum();
                    prop_assert_eq!(sum, r.total);
                }
                Receipt::Swapped(q) if q.is_pool => {
                    let o = usize::from(q.assets[0] == q.sell);
                    prop_assert!(q.amount_out < q.reserves_before[o]);
                    prop_assert_eq!(s.pool(q.market).unwrap().reserves, q.reserves_after);
                }
                Receipt::RevenueIn(r) | Receipt::Purchased { revenue: r, .. } => {
                    let sum: u128 = r.parts().iter().map(|(_, a)| a).sum();
                    prop_assert_eq!(sum, r.total);
                }
                Receipt::BoughtBack(b) => {
                    prop_assert_eq!(b.spent + b.unspent, b.requested);
                    let spent: u128 = b.fills().iter().map(|f| f.spent).sum();
                    prop_assert_eq!(spent, b.spent);
                }
                _ => {}
            }
        }
    }
    if let Err(v) = s.check_invariants(e) {
        return Err(TestCaseError::fail(format!("{v} after {ev:?}")));
    }
    // k never decreases except when liquidity is removed.
    if !matches!(ev, Event::RemoveLiquidity { .. }) {
        for (m, (k0, k1)) in products(e, &before).iter().zip(products(e, s)).enumerate() {
            prop_assert!(k1 >= *k0, "k of market {} fell after {:?}", m, ev);
        }
    }
    // Every declared asset is conserved (the numeraire included), and no
    // balance exceeds its supply.
    for (i, _) in e.assets.iter().enumerate() {
        let a = AssetId(i as u32);
        let t = s.totals(a);
        prop_assert_eq!(Some(t.minted), t.burned.checked_add(held(e, s, a)));
    }
    for asset in s.assets() {
        let supply = s.supply(asset);
        for a in s.accounts() {
            prop_assert!(s.balance(asset, a) <= supply);
        }
    }
    Ok(())
}

fn check_sequence(w: &World, events: &[Event]) -> Result<(), TestCaseError> {
    let mut s = State::genesis(&w.e);
    for ev in events {
        step(&w.e, &mut s, ev)?;
    }
    Ok(())
}

fn run(e: &ValidEconomy, events: &[Event]) -> (State, Vec<Result<Receipt, Rejection>>) {
    let mut s = State::genesis(e);
    let receipts = events.iter().map(|ev| apply(e, &mut s, ev)).collect();
    (s, receipts)
}

fn check_determinism(w: &World, events: &[Event]) -> Result<(), TestCaseError> {
    let (s1, r1) = run(&w.e, events);
    let (s2, r2) = run(&w.e, events);
    prop_assert_eq!(&r1, &r2);
    prop_assert!(s1 == s2);
    // Rejected events are no-ops: the accepted ones alone reach the same state.
    let accepted: Vec<Event> = events
        .iter()
        .zip(&r1)
        .filter(|(_, r)| r.is_ok())
        .map(|(ev, _)| ev.clone())
        .collect();
    let (s3, r3) = run(&w.e, &accepted);
    prop_assert!(r3.iter().all(Result::is_ok));
    prop_assert!(s3 == s1);
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn lam_pool_events_keep_the_ledger_consistent(events in events(&LAM_POOL)) {
        check_sequence(&LAM_POOL, &events)?;
    }

    #[test]
    fn two_token_events_keep_the_ledger_consistent(events in events(&TWO_TOKENS)) {
        check_sequence(&TWO_TOKENS, &events)?;
    }

    #[test]
    fn ast_events_keep_the_ledger_consistent(events in events(&AST)) {
        check_sequence(&AST, &events)?;
    }

    #[test]
    fn reward_pool_events_keep_the_ledger_consistent(events in events(&REWARDS)) {
        check_sequence(&REWARDS, &events)?;
    }

    #[test]
    fn the_same_events_give_the_same_state(
        lam in events(&LAM_POOL),
        two in events(&TWO_TOKENS),
        ast in events(&AST),
        rewards in events(&REWARDS),
    ) {
        check_determinism(&LAM_POOL, &lam)?;
        check_determinism(&TWO_TOKENS, &two)?;
        check_determinism(&AST, &ast)?;
        check_determinism(&REWARDS, &rewards)?;
    }
}

// ---------------------------------------------------------------------------
// Round trips and liquidity

/// Random swaps that move a pool away from genesis before the property.
fn pre_swaps() -> impl Strategy<Value = Vec<(bool, u128)>> {
    proptest::collection::vec((any::<bool>(), amount()), 0..4)
}

fn swap_in(
    e: &ValidEconomy,
    s: &mut State,
    market: MarketId,
    trader: AccountId,
    sell: AssetId,
    amount_in: u128,
) -> Option<u128> {
    match apply(
        e,
        s,
        &Event::Swap {
            market,
            trader,
            sell,
            order: Order::ExactIn {
                amount_in,
                min_out: 0,
            },
        },
    ) {
        Ok(Receipt::Swapped(q)) => Some(q.amount_out),
        _ => None,
    }
}

/// A trader rich in every asset of `w`'s pools (minted, or transferred from
/// the accounts holding the genesis).
fn rich_trader(w: &World) -> (State, AccountId) {
    let e = &w.e;
    let mut s = State::genesis(e);
    let trader = open(e, &mut s);
    must(
        e,
        &mut s,
        Event::Mint {
            asset: e.numeraire,
            to: trader,
            amount_base_units: 10u128.pow(30),
            reason: MintReason::ExternalInflow,
        },
    );
    for a in s.accounts().collect::<Vec<_>>() {
        for (asset, balance) in s.holdings_of(a).collect::<Vec<_>>() {
            if asset != e.numeraire && a != trader && e.declared_asset(asset).is_some() {
                must(
                    e,
                    &mut s,
                    Event::Transfer {
                        asset,
                        from: a,
                        to: trader,
                        amount_base_units: balance,
                    },
                );
            }
        }
    }
    (s, trader)
}

/// Swaps that move the pool first (`which` picks the asset sold); some may
/// be refused, which is fine: they only vary the starting reserves.
fn apply_pre_swaps(
    e: &ValidEconomy,
    s: &mut State,
    market: MarketId,
    trader: AccountId,
    pre: &[(bool, u128)],
) {
    let assets = e.pool_assets(market).unwrap();
    for &(which, amount) in pre {
        swap_in(e, s, market, trader, assets[usize::from(which)], amount);
    }
}

fn round_trip(
    w: &World,
    market: MarketId,
    pre: &[(bool, u128)],
    first: bool,
    x: u128,
) -> Result<(), TestCaseError> {
    let e = &w.e;
    let assets = e.pool_assets(market).unwrap();
    let (mut s, trader) = rich_trader(w);
    apply_pre_swaps(e, &mut s, market, trader, pre);
    let (sell, buy) = if first {
        (assets[1], assets[0])
    } else {
        (assets[0], assets[1])
    };
    let k0 = wide_mul(
        s.pool(market).unwrap().reserves[0],
        s.pool(market).unwrap().reserves[1],
    );
    if let Some(out) = swap_in(e, &mut s, market, trader, sell, x) {
        prop_assert!(out > 0);
        if let Some(back) = swap_in(e, &mut s, market, trader, buy, out) {
            prop_assert!(back <= x, "sold {} got {} back", x, back);
        }
    }
    let p = s.pool(market).unwrap();
    prop_assert!(wide_mul(p.reserves[0], p.reserves[1]) >= k0);
    Ok(())
}

/// Deposit, then remove exactly the shares minted: never more than was taken.
fn deposit_and_remove(
    w: &World,
    market: MarketId,
    pre: &[(bool, u128)],
    a: u128,
    b: u128,
) -> Result<(), TestCaseError> {
    let e = &w.e;
    let (mut s, trader) = rich_trader(w);
    apply_pre_swaps(e, &mut s, market, trader, pre);
    let added = apply(
        e,
        &mut s,
        &Event::AddLiquidity {
            market,
            provider: trader,
            amounts: [a, b],
            min_shares: 0,
        },
    );
    let Ok(Receipt::LiquidityAdded(added)) = added else {
        return Ok(());
    };
    prop_assert!(added.amounts[0] <= a && added.amounts[1] <= b);
    let removed = must(
        e,
        &mut s,
        Event::RemoveLiquidity {
            market,
            provider: trader,
            shares: added.shares,
            min_amounts: [0, 0],
        },
    );
    let Receipt::LiquidityRemoved(removed) = removed else {
        return Err(TestCaseError::fail(format!("{removed:?}")));
    };
    prop_assert!(removed.amounts[0] <= added.amounts[0]);
    prop_assert!(removed.amounts[1] <= added.amounts[1]);
    s.check_invariants(e)
        .map_err(|v| TestCaseError::fail(v.to_string()))?;
    Ok(())
}

static SMALL: LazyLock<World> = LazyLock::new(|| World {
    e: small(),
    opening: vec![],
});

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_round_trip_never_returns_more(pre in pre_swaps(), first in any::<bool>(), x in amount()) {
        round_trip(&LAM_POOL, MarketId(0), &pre, first, x)?;
        round_trip(&TWO_TOKENS, MarketId(0), &pre, first, x)?;
        round_trip(&TWO_TOKENS, MarketId(1), &pre, first, x)?;
        round_trip(&SMALL, MarketId(0), &pre, first, x)?;
    }

    #[test]
    fn removing_a_deposit_never_returns_more(pre in pre_swaps(), a in amount(), b in amount()) {
        deposit_and_remove(&LAM_POOL, MarketId(0), &pre, a, b)?;
        deposit_and_remove(&TWO_TOKENS, MarketId(0), &pre, a, b)?;
        deposit_and_remove(&TWO_TOKENS, MarketId(1), &pre, a, b)?;
        // The empty pool: this deposit is the first (1,000 shares locked).
        deposit_and_remove(&SMALL, MarketId(1), &[], a, b)?;
    }
}

// ---------------------------------------------------------------------------
// Random splits

fn destination(n_accounts: u32) -> impl Strategy<Value = Destination> {
    prop_oneof![
        Just(Destination::Burn),
        (0..n_accounts).prop_map(|a| Destination::Account(AccountId(a))),
    ]
}

/// Shares in ppm of `n` legs summing to exactly 100%.
fn shares(n: usize) -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(0..=PPM_ONE, n - 1).prop_map(|mut cuts| {
        cuts.sort_unstable();
        let mut prev = 0;
        let mut shares: Vec<u32> = cuts
            .iter()
            .map(|&c| {
                let s = c - prev;
                prev = c;
                s
            })
            .collect();
        shares.push(PPM_ONE - prev);
        shares
    })
}

/// A valid consumption split: 1 to MAX_LEGS legs summing to 100%, at most
/// one creator leg, epochs no higher than it.
fn valid_split() -> impl Strategy<Value = ConsumptionSplit> {
    (1..=MAX_LEGS)
        .prop_flat_map(|n| {
            (
                shares(n),
                proptest::collection::vec(0u8..4, n),
                proptest::collection::vec(0..=PPM_ONE, 0..10),
                proptest::collection::vec(destination(6), 4),
            )
        })
        .prop_map(|(shares, kinds, epochs, routes)| {
            let mut has_creator = false;
            let legs: Vec<Leg> = shares
                .iter()
                .zip(&kinds)
                .enumerate()
                .map(|(i, (&share, &k))| {
                    let kind = match k {
                        0 => LegKind::Burn,
                        1 if !has_creator => {
                            has_creator = true;
                            LegKind::Creator
                        }
                        2 => LegKind::Trainers,
                        _ => LegKind::Account(AccountId(i as u32 % 6)),
                    };
                    Leg {
                        name: format!("leg{i}"),
                        kind,
                        share: Ppm(share),
                    }
                })
                .collect();
            let creator_max = legs
                .iter()
                .find(|l| l.kind == LegKind::Creator)
                .map_or(0, |l| l.share.0);
            ConsumptionSplit {
                name: "random".into(),
                creator_epochs: epochs
                    .iter()
                    .map(|&e| {
                        Ppm(if creator_max == 0 {
                            0
                        } else {
                            e % (creator_max + 1)
                        })
                    })
                    .collect(),
                legs,
                creator_shortfall_to: routes[0],
                no_marketplace_to: routes[1],
                no_trainers_to: routes[2],
                dust_to: routes[3],
            }
        })
}

fn total() -> impl Strategy<Value = u128> {
    prop_oneof![
        0u128..=1_000,
        0u128..=1_000_000 * T,
        any::<u128>(),
        Just(u128::MAX),
    ]
}

fn trainer_path() -> impl Strategy<Value = Vec<TrainerWeight>> {
    proptest::collection::vec(
        (
            0u32..6,
            prop_oneof![0u32..=100, any::<u32>()],
            prop_oneof![0u64..=1_000, any::<u64>()],
        )
            .prop_map(|(a, quality, usage)| TrainerWeight {
                trainer: AccountId(a),
                quality,
                usage,
            }),
        0..6,
    )
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn split_postings_sum_exactly_to_the_total(
        s in valid_split(),
        total in total(),
        creator in proptest::option::of((0u32..6, 0u32..20)),
        trainers in proptest::option::of(trainer_path()),
    ) {
        let path = trainers.as_deref().map(TrainerPath::new);
        let r = split(
            &s,
            total,
            creator.map(|(a, epoch)| (AccountId(a), epoch)),
            path.as_ref().map(|p| (PathId(0), p)),
        );
        let r = match r {
            Ok(r) => r,
            Err(e) => return Err(TestCaseError::fail(format!("split refused {total}: {e}"))),
        };
        prop_assert_eq!(r.total, total);
        let sum = r
            .postings()
            .iter()
            .try_fold(0u128, |acc, p| acc.checked_add(p.amount));
        prop_assert_eq!(sum, Some(total), "postings {:?}", r.postings());
        // Each leg is floor(total * share).
        let mut legs_sum = 0u128;
        for (i, leg) in s.legs.iter().enumerate() {
            let exact = mul_div_floor(total, u128::from(leg.share.0), u128::from(PPM_ONE));
            prop_assert_eq!(Some(r.leg_amounts[i]), exact);
            legs_sum += r.leg_amounts[i];
        }
        prop_assert!(legs_sum <= total);
        // The creator never gets more than the creator leg.
        let creator_leg: u128 = s
            .legs
            .iter()
            .zip(&r.leg_amounts)
            .filter(|(l, _)| l.kind == LegKind::Creator)
            .map(|(_, a)| *a)
            .sum();
        prop_assert!(r.amount_of(Role::CreatorPaid) <= creator_leg);
        prop_assert_eq!(
            r.amount_of(Role::CreatorPaid)
                + r.amount_of(Role::CreatorShortfall)
                + r.amount_of(Role::NoMarketplace),
            creator_leg
        );
        // Dust is only what the floors leave: less than one unit per floor
        // (one per leg, one per trainer of each paid trainer leg).
        let n_trainers = trainers.as_ref().map_or(0, Vec::len) as u128;
        let trainer_legs = s.legs.iter().filter(|l| l.kind == LegKind::Trainers).count() as u128;
        let dust = r.amount_of(Role::Dust);
        prop_assert!(dust < s.legs.len() as u128 + trainer_legs * n_trainers, "dust {}", dust);
        // Trainer postings: what they receive equals the sum of their floors.
        for p in r.postings() {
            if let Sink::Trainers { leg, .. } = p.sink {
                let leg = r.leg_amounts[leg as usize];
                let path = path.as_ref().unwrap();
                let floors: u128 = path
                    .trainers
                    .iter()
                    .map(|&(_, w)| mul_div_floor(leg, w, path.total_weight).unwrap())
                    .sum();
                prop_assert_eq!(p.amount, floors);
                prop_assert!(p.amount <= leg);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The generators are not vacuous

fn kind(ev: &Event) -> &'static str {
    match ev {
        Event::OpenAccount => "open_account",
        Event::LaunchToken { .. } => "launch_token",
        Event::SetPrice { .. } => "set_price",
        Event::Tick => "tick",
        Event::Mint { .. } => "mint",
        Event::Burn { .. } => "burn",
        Event::Transfer { .. } => "transfer",
        Event::Swap {
            order: Order::ExactIn { .. },
            ..
        } => "swap_exact_in",
        Event::Swap {
            order: Order::ExactOut { .. },
            ..
        } => "swap_exact_out",
        Event::AddLiquidity { .. } => "add_liquidity",
        Event::RemoveLiquidity { .. } => "remove_liquidity",
        Event::PublishWorkflow { .. } => "publish_workflow",
        Event::RegisterTrainerPath { .. } => "register_trainer_path",
        Event::Actions {
            payer: Payer::Account(_),
            ..
        } => "actions_account",
        Event::Actions {
            payer: Payer::Subscription(_),
            ..
        } => "actions_subscription",
        Event::Subscribe { .. } => "subscribe",
        Event::ExpireSubscription { .. } => "expire",
        Event::Buyback { .. } => "buyback",
        Event::Revenue { .. } => "revenue",
        Event::Purchase { .. } => "purchase",
        Event::Redeem { .. } => "redeem",
        Event::OpenPosition { .. } => "open_position",
        Event::SetWeight { .. } => "set_weight",
        Event::AddToPosition { .. } => "add_to_position",
        Event::Withdraw { .. } => "withdraw",
        Event::Claim { .. } => "claim",
        Event::FundRewardPool { .. } => "fund_reward_pool",
        Event::Emit { .. } => "emit",
        Event::CreatePool { .. } => "create_pool",
        Event::CreateLaunch { .. } => "create_launch",
        Event::BuyOnCurve { .. } => "buy_on_curve",
        Event::SellOnCurve { .. } => "sell_on_curve",
        Event::GraduateLaunch { .. } => "graduate_launch",
        Event::FailLaunch { .. } => "fail_launch",
        Event::RebalanceStakeCaps { .. } => "rebalance_stake_caps",
        Event::RegisterPooledPath { .. } => "register_pooled_path",
        Event::EndLock { .. } => "end_lock",
        Event::EarnPoints { .. } => "earn_points",
        Event::Refer { .. } => "refer",
        Event::QualifyReferral { .. } => "qualify_referral",
        Event::LaunchUsage { .. } => "launch_usage",
    }
}

/// Each world's strategy produces accepted and rejected events of every
/// kind it can use, so the properties above exercise real state changes.
#[test]
fn random_sequences_mix_accepted_and_rejected_events() {
    let worlds: [(&str, &'static World, &[&str]); 4] = [
        (
            "lam",
            &LAM_POOL,
            &[
                "mint",
                "burn",
                "transfer",
                "swap_exact_in",
                "swap_exact_out",
                "add_liquidity",
                "remove_liquidity",
                "publish_workflow",
                "actions_account",
                "actions_subscription",
                "subscribe",
                "expire",
                "buyback",
                "revenue",
            ],
        ),
        (
            "two tokens",
            &TWO_TOKENS,
            &[
                "mint",
                "transfer",
                "swap_exact_in",
                "swap_exact_out",
                "add_liquidity",
                "remove_liquidity",
                "actions_account",
                "buyback",
            ],
        ),
        (
            "ast",
            &AST,
            &[
                "set_price",
                "mint",
                "transfer",
                "swap_exact_in",
                "swap_exact_out",
                "buyback",
                "revenue",
                "purchase",
                "redeem",
            ],
        ),
        (
            "rewards",
            &REWARDS,
            &[
                "transfer",
                "actions_account",
                "buyback",
                "revenue",
                "open_position",
                "set_weight",
                "add_to_position",
                "withdraw",
                "claim",
                "fund_reward_pool",
                "emit",
            ],
        ),
    ];
    for (name, world, kinds) in worlds {
        let mut runner = TestRunner::deterministic();
        let strategy = events(world);
        // [accepted, rejected] per kind, for the random part only.
        let mut seen: std::collections::BTreeMap<&'static str, [u32; 2]> = Default::default();
        for _ in 0..150 {
            let events = strategy.new_tree(&mut runner).unwrap().current();
            let mut s = State::genesis(&world.e);
            for (i, ev) in events.iter().enumerate() {
                let ok = apply(&world.e, &mut s, ev).is_ok();
                if i < world.opening.len() {
                    assert!(ok, "{name}: opening event {ev:?} rejected");
                    continue;
                }
                seen.entry(kind(ev)).or_default()[usize::from(!ok)] += 1;
            }
        }
        for kind in kinds {
            let [accepted, rejected] = seen.get(kind).copied().unwrap_or_default();
            assert!(
                accepted > 0 && rejected > 0,
                "{name}: {kind}: {accepted} accepted, {rejected} rejected ({seen:?})"
            );
        }
        eprintln!("{name}: [accepted, rejected] by kind: {seen:?}");
    }
}

// ---------------------------------------------------------------------------
// Exact 256-bit mul_div

fn wide_sub(x: (u128, u128), y: (u128, u128)) -> (u128, u128) {
    let (lo, borrow) = x.1.overflowing_sub(y.1);
    (x.0 - y.0 - u128::from(borrow), lo)
}

#[test]
fn reference_mul_is_right() {
    assert_eq!(wide_mul(u128::MAX, u128::MAX), (u128::MAX - 1, 1));
    assert_eq!(wide_mul(1 << 127, 6), (3, 0));
    assert_eq!(wide_mul(1 << 127, 3), (1, 1 << 127));
    assert_eq!(wide_mul(1 << 64, 1 << 64), (1, 0));
    assert_eq!(wide_mul(12_345, 678), (0, 12_345 * 678));
}

fn operand() -> impl Strategy<Value = u128> {
    prop_oneof![
        any::<u128>(),
        0u128..=1_000_000,
        (0u32..128).prop_map(|k| 1u128 << k),
        (0u32..128, any::<u128>()).prop_map(|(k, x)| x >> k),
    ]
}

proptest! {
    #![proptest_config(config(2_000))]

    #[test]
    fn mul_div_is_exact(a in operand(), b in operand(), d in operand()) {
        use furnace_core::units::mul_div_ceil;
        let product = wide_mul(a, b);
        let floor = mul_div_floor(a, b, d);
        let ceil = mul_div_ceil(a, b, d);
        if d == 0 || product.0 >= d {
            // Division by zero, or a quotient of 2^128 or more.
            prop_assert_eq!(floor, None);
            prop_assert_eq!(ceil, None);
        } else {
            let q = floor.expect("the quotient fits");
            // q * d <= a * b < (q + 1) * d
            let qd = wide_mul(q, d);
            prop_assert!(qd <= product, "q * d > a * b");
            let rest = wide_sub(product, qd);
            prop_assert!(rest.0 == 0 && rest.1 < d, "remainder {:?} >= {}", rest, d);
            let expected_ceil = if rest.1 == 0 { Some(q) } else { q.checked_add(1) };
            prop_assert_eq!(ceil, expected_ceil);
        }
    }
}
