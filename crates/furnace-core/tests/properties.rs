//! Properties of the ledger under random event sequences on the LAM economy
//! (valid and invalid events mixed), and of `split` under random splits.
//!
//! - after every event, accepted or not, `check_invariants()` holds and no
//!   balance exceeds its asset's supply;
//! - a rejected event leaves the state equal to before;
//! - the same sequence applied twice gives equal states and receipts;
//! - split postings sum exactly to the total for any total and valid split.
//!
//! Case counts are modest so the suite stays fast in debug builds; raise
//! them with `PROPTEST_CASES=...`.

use furnace_config::load_economy;
use furnace_core::economy::{
    AccountId, AssetId, ConsumptionSplit, Destination, Economy, Leg, LegKind, PlanId, VersionId,
    MAX_LEGS,
};
use furnace_core::engine::{split, Receipt, Rejection, Role, Sink};
use furnace_core::event::{
    BurnReason, Event, MintReason, PathId, Payer, Payment, SubscriptionId, TrainerWeight,
    WorkflowId,
};
use furnace_core::state::TrainerPath;
use furnace_core::units::{Ppm, PPM_ONE};
use furnace_core::{apply, State};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use std::path::Path;
use std::sync::LazyLock;

const T: u128 = 1_000_000_000_000_000_000;
const CENT: u128 = 10_000_000_000;

static LAM: LazyLock<Economy> = LazyLock::new(|| {
    load_economy(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../economies/lam.toml"
    )))
    .unwrap_or_else(|e| panic!("{e}"))
    .economy
});

/// Named accounts of lam.toml, plus room for ones events open (and a few
/// ids that never exist).
const MAX_ACCOUNT: u32 = 24;

fn account() -> impl Strategy<Value = AccountId> {
    // Bias towards the funded named accounts and the first opened ones.
    let e = &*LAM;
    let market = e.account_by_name("market").unwrap();
    let community = e.account_by_name("community").unwrap();
    let first_opened = e.accounts.len() as u32;
    prop_oneof![
        2 => Just(market),
        2 => Just(community),
        4 => (first_opened..first_opened + 4).prop_map(AccountId),
        3 => (0..MAX_ACCOUNT).prop_map(AccountId),
    ]
}

fn asset() -> impl Strategy<Value = AssetId> {
    // LAM (0), USD (1), and an unknown asset.
    prop_oneof![6 => Just(AssetId(0)), 3 => Just(AssetId(1)), 1 => Just(AssetId(2))]
}

fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![
        1 => Just(0u128),
        3 => 1u128..=1_000,
        6 => (1u128..=100_000).prop_map(|x| x * T / 100),
        1 => (1u128..=1_000_000_000).prop_map(|x| x * T),
        1 => Just(u128::MAX),
        1 => any::<u128>(),
    ]
}

fn price() -> impl Strategy<Value = u128> {
    prop_oneof![
        1 => Just(0u128),
        3 => Just(CENT),
        2 => Just(3 * CENT),
        2 => Just(7 * CENT),
        2 => Just(10 * CENT),
        2 => Just(100 * CENT),
        2 => 1u128..=1_000_000_000_000_000,
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

fn mint_reason() -> impl Strategy<Value = MintReason> {
    proptest::sample::select(MintReason::ALL.to_vec())
}

fn burn_reason() -> impl Strategy<Value = BurnReason> {
    proptest::sample::select(BurnReason::ALL.to_vec())
}

fn payment() -> impl Strategy<Value = Payment> {
    prop_oneof![Just(Payment::Usd), Just(Payment::Token)]
}

fn event() -> impl Strategy<Value = Event> {
    let trainer =
        (account(), 0u32..=100, 0u64..=1_000).prop_map(|(trainer, quality, usage)| TrainerWeight {
            trainer,
            quality,
            usage,
        });
    let payer = prop_oneof![
        3 => account().prop_map(Payer::Account),
        2 => (0u32..6).prop_map(|s| Payer::Subscription(SubscriptionId(s))),
    ];
    prop_oneof![
        2 => Just(Event::OpenAccount),
        1 => (asset(), price()).prop_map(|(token, price_usd_pico)| Event::SetPrice {
            token,
            price_usd_pico
        }),
        1 => (asset(), account(), amount(), mint_reason()).prop_map(
            |(asset, to, amount_base_units, reason)| Event::Mint {
                asset,
                to,
                amount_base_units,
                reason
            }
        ),
        1 => (asset(), account(), amount(), burn_reason()).prop_map(
            |(asset, from, amount_base_units, reason)| Event::Burn {
                asset,
                from,
                amount_base_units,
                reason
            }
        ),
        2 => (asset(), account(), account(), amount()).prop_map(
            |(asset, from, to, amount_base_units)| Event::Transfer {
                asset,
                from,
                to,
                amount_base_units
            }
        ),
        2 => (asset(), account(), amount()).prop_map(|(token, buyer, amount_base_units)| {
            Event::MarketBuy {
                token,
                buyer,
                amount_base_units,
            }
        }),
        1 => (account(), 0u32..=12).prop_map(|(creator, epoch)| Event::PublishWorkflow {
            creator,
            epoch
        }),
        1 => proptest::collection::vec(trainer, 0..5)
            .prop_map(|trainers| Event::RegisterTrainerPath { trainers }),
        8 => (
            payer,
            prop_oneof![9 => Just(VersionId(0)), 1 => Just(VersionId(1))],
            count(),
            proptest::option::of((0u32..4).prop_map(WorkflowId)),
            proptest::option::of((0u32..3).prop_map(PathId)),
        )
            .prop_map(|(payer, version, count, workflow, path)| Event::Actions {
                payer,
                version,
                count,
                workflow,
                path
            }),
        2 => (account(), prop_oneof![9 => Just(PlanId(0)), 1 => Just(PlanId(1))], payment())
            .prop_map(|(subscriber, plan, payment)| Event::Subscribe {
                subscriber,
                plan,
                payment
            }),
        1 => (0u32..6).prop_map(|s| Event::ExpireSubscription {
            subscription: SubscriptionId(s)
        }),
        1 => amount().prop_map(|usd_micros| Event::Buyback { usd_micros }),
    ]
}

/// A fixed opening (a price, three funded users, a token subscription) so that a good share of
/// the random events that follow are valid, then the random events.
fn events() -> impl Strategy<Value = Vec<Event>> {
    let e = &*LAM;
    let lam = e.asset_by_name("LAM").unwrap();
    let first = e.accounts.len() as u32;
    let mut opening = vec![Event::SetPrice {
        token: lam,
        price_usd_pico: CENT,
    }];
    for i in 0..3 {
        opening.push(Event::OpenAccount);
        opening.push(Event::MarketBuy {
            token: lam,
            buyer: AccountId(first + i),
            amount_base_units: 1_000_000 * T,
        });
    }
    // Subscription 0: paid in LAM by the first user.
    opening.push(Event::Subscribe {
        subscriber: AccountId(first),
        plan: PlanId(0),
        payment: Payment::Token,
    });
    proptest::collection::vec(event(), 1..80).prop_map(move |random| {
        let mut all = opening.clone();
        all.extend(random);
        all
    })
}

fn run(e: &Economy, events: &[Event]) -> (State, Vec<Result<Receipt, Rejection>>) {
    let mut s = State::genesis(e);
    let receipts = events.iter().map(|ev| apply(e, &mut s, ev)).collect();
    (s, receipts)
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

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn every_event_keeps_the_ledger_consistent(events in events()) {
        let e = &*LAM;
        let mut s = State::genesis(e);
        for ev in &events {
            let before = s.clone();
            match apply(e, &mut s, ev) {
                Err(rejection) => {
                    prop_assert_eq!(&s, &before, "rejected {:?} ({}) changed state", ev, rejection);
                }
                Ok(receipt) => {
                    prop_assert_eq!(s.events_applied(), before.events_applied() + 1);
                    if let Receipt::Actions(r) = &receipt {
                        let sum: u128 = r.split.postings().iter().map(|p| p.amount).sum();
                        prop_assert_eq!(sum, r.split.total);
                    }
                }
            }
            if let Err(v) = s.check_invariants() {
                return Err(TestCaseError::fail(format!("{v} after {ev:?}")));
            }
            for a in 0..e.assets.len() {
                let asset = AssetId(a as u16);
                let supply = s.supply(asset);
                for i in 0..s.account_count() {
                    let b = s.balance(asset, AccountId(i as u32));
                    prop_assert!(b <= supply, "balance {} > supply {} after {:?}", b, supply, ev);
                }
            }
        }
    }

    #[test]
    fn the_same_events_give_the_same_state_and_receipts(events in events()) {
        let e = &*LAM;
        let (s1, r1) = run(e, &events);
        let (s2, r2) = run(e, &events);
        prop_assert_eq!(&r1, &r2);
        prop_assert_eq!(&s1, &s2);
        // Rejected events are no-ops: applying only the accepted ones again
        // reaches the same state.
        let accepted: Vec<Event> = events
            .iter()
            .zip(&r1)
            .filter(|(_, r)| r.is_ok())
            .map(|(ev, _)| ev.clone())
            .collect();
        let (s3, r3) = run(e, &accepted);
        prop_assert!(r3.iter().all(Result::is_ok));
        prop_assert_eq!(&s3, &s1);
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
            let exact = furnace_core::units::mul_div_floor(total, leg.share.0 as u128, PPM_ONE as u128);
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
        prop_assert!(
            dust < s.legs.len() as u128 + trainer_legs * n_trainers,
            "dust {}",
            dust
        );
        // Trainer postings: what they receive equals the sum of their floors.
        for p in r.postings() {
            if let Sink::Trainers { leg, .. } = p.sink {
                let leg = r.leg_amounts[leg as usize];
                let path = path.as_ref().unwrap();
                let floors: u128 = path
                    .trainers
                    .iter()
                    .map(|&(_, w)| furnace_core::units::mul_div_floor(leg, w, path.total_weight).unwrap())
                    .sum();
                prop_assert_eq!(p.amount, floors);
                prop_assert!(p.amount <= leg);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The generator is not vacuous

/// The event strategy produces both accepted and rejected events of every
/// kind, so the properties above exercise real state changes.
#[test]
fn random_sequences_mix_accepted_and_rejected_events() {
    let e = &*LAM;
    let mut runner = TestRunner::deterministic();
    let strategy = events();
    // [accepted, rejected] per kind.
    let mut seen: std::collections::BTreeMap<&'static str, [u32; 2]> = Default::default();
    for _ in 0..200 {
        let events = strategy.new_tree(&mut runner).unwrap().current();
        let mut s = State::genesis(e);
        for ev in &events {
            let kind = match ev {
                Event::OpenAccount => "open_account",
                Event::SetPrice { .. } => "set_price",
                Event::Mint { .. } => "mint",
                Event::Burn { .. } => "burn",
                Event::Transfer { .. } => "transfer",
                Event::MarketBuy { .. } => "market_buy",
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
            };
            let ok = apply(e, &mut s, ev).is_ok();
            seen.entry(kind).or_default()[usize::from(!ok)] += 1;
        }
    }
    for kind in [
        "set_price",
        "mint",
        "burn",
        "transfer",
        "market_buy",
        "publish_workflow",
        "register_trainer_path",
        "actions_account",
        "actions_subscription",
        "subscribe",
        "expire",
        "buyback",
    ] {
        let [accepted, rejected] = seen.get(kind).copied().unwrap_or_default();
        assert!(
            accepted > 0 && rejected > 0,
            "{kind}: {accepted} accepted, {rejected} rejected ({seen:?})"
        );
    }
    eprintln!("[accepted, rejected] by kind: {seen:?}");
    let [accepted, _] = seen["actions_account"];
    assert!(accepted >= 50, "too few accepted actions: {seen:?}");
}

// ---------------------------------------------------------------------------
// Exact 256-bit mul_div

/// `a * b` as (high, low) 128-bit halves, by 64-bit limbs (an implementation
/// independent of the engine's).
fn reference_mul(a: u128, b: u128) -> (u128, u128) {
    let limbs = |x: u128| [x as u64 as u128, x >> 64];
    let (a, b) = (limbs(a), limbs(b));
    let mut out = [0u128; 4]; // 64-bit limbs, each held in a u128
    for i in 0..2 {
        let mut carry = 0u128;
        for j in 0..2 {
            let t = a[i] * b[j] + out[i + j] + carry;
            out[i + j] = t & u64::MAX as u128;
            carry = t >> 64;
        }
        out[i + 2] += carry;
    }
    (out[2] | (out[3] << 64), out[0] | (out[1] << 64))
}

#[test]
fn reference_mul_is_right() {
    assert_eq!(reference_mul(u128::MAX, u128::MAX), (u128::MAX - 1, 1));
    assert_eq!(reference_mul(1 << 127, 6), (3, 0));
    assert_eq!(reference_mul(1 << 127, 3), (1, 1 << 127));
    assert_eq!(reference_mul(1 << 64, 1 << 64), (1, 0));
    assert_eq!(reference_mul(12_345, 678), (0, 12_345 * 678));
}

fn wide_sub(x: (u128, u128), y: (u128, u128)) -> (u128, u128) {
    let (lo, borrow) = x.1.overflowing_sub(y.1);
    (x.0 - y.0 - borrow as u128, lo)
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
        use furnace_core::units::{mul_div_ceil, mul_div_floor};
        let product = reference_mul(a, b);
        let floor = mul_div_floor(a, b, d);
        let ceil = mul_div_ceil(a, b, d);
        if d == 0 || product.0 >= d {
            // Division by zero, or a quotient of 2^128 or more.
            prop_assert_eq!(floor, None);
            prop_assert_eq!(ceil, None);
        } else {
            let q = floor.expect("the quotient fits");
            // q * d <= a * b < (q + 1) * d
            let qd = reference_mul(q, d);
            prop_assert!(qd <= product, "q * d > a * b");
            let rest = wide_sub(product, qd);
            prop_assert!(rest.0 == 0 && rest.1 < d, "remainder {:?} >= {}", rest, d);
            let expected_ceil = if rest.1 == 0 { Some(q) } else { q.checked_add(1) };
            prop_assert_eq!(ceil, expected_ceil);
        }
    }
}
