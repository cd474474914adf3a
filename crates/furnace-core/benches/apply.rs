//! The hot paths of `engine::apply`: metered actions (one event, one
//! action) with the price from `SetPrice` and from the `lam_usd` pool's spot
//! price, the pure `split` they settle, and pool swaps. Run with
//! `cargo bench -p furnace-core --bench apply`; see BENCHMARKS.md.
//!
//! Setup (outside the timed loop): the hand-built LAM economy of
//! `tests/common` with LAM's maximum supply lifted, so one payer can hold
//! 10^18 LAM (minted as a grant) and no iteration count can exhaust it; a
//! marketplace workflow published at Creator Epoch 4 (the creator leg split
//! in two). Each iteration applies one event to the same state; the state
//! does not grow with actions, so every iteration does the same work.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use furnace_core::engine::split;
use furnace_core::event::{MintReason, Order};
use furnace_core::ids::WorkflowId;
use furnace_core::{apply, AccountId, Economy, Event, Payer, Receipt, State, ValidEconomy};
use std::hint::black_box;
use std::time::Duration;

struct Setup {
    e: ValidEconomy,
    s: State,
    payer: AccountId,
    creator: AccountId,
    workflow: WorkflowId,
}

/// `spec` with no cap on LAM, a rich payer and a workflow at epoch 4;
/// `price` sets LAM's exogenous price (None: the oracle needs none).
fn setup(mut spec: Economy, price: Option<u128>) -> Setup {
    spec.assets[1].max_supply = None;
    let e = valid(spec);
    let mut s = State::genesis(&e);
    let lam = asset(&e, "LAM");
    if let Some(pico) = price {
        must(
            &e,
            &mut s,
            Event::SetPrice {
                token: lam,
                price_usd_pico: pico,
            },
        );
    }
    let payer = open(&e, &mut s);
    must(
        &e,
        &mut s,
        Event::Mint {
            asset: lam,
            to: payer,
            amount_base_units: T * T,
            reason: MintReason::Grant,
        },
    );
    mint_usd(&e, &mut s, payer, 10u128.pow(30));
    let creator = open(&e, &mut s);
    let workflow = match must(&e, &mut s, Event::PublishWorkflow { creator, epoch: 4 }) {
        Receipt::WorkflowPublished(w) => w,
        r => panic!("{r:?}"),
    };
    Setup {
        e,
        s,
        payer,
        creator,
        workflow,
    }
}

fn bench_actions(c: &mut Criterion) {
    let mut group = c.benchmark_group("apply");
    let setups = [
        // $1.00 per LAM: 0.1 LAM per action.
        ("exogenous", setup(lam_spec(), Some(100 * CENT))),
        // The pool's spot: 5,000,000 USD / 50,000,000 LAM, 1 LAM per action.
        ("pool_oracle", setup(lam_with_pool_oracle_spec(), None)),
    ];
    for (oracle, x) in &setups {
        let version = version(&x.e, "LAM-1");
        let actions = |count: u64, workflow: Option<WorkflowId>| Event::Actions {
            payer: Payer::Account(x.payer),
            version,
            count,
            workflow,
            path: None,
        };
        for (name, event, elements) in [
            ("actions", actions(1, None), 1),
            ("actions_marketplace", actions(1, Some(x.workflow)), 1),
            ("actions_batch_1000", actions(1_000, None), 1_000),
        ] {
            let mut s = x.s.clone();
            group.throughput(Throughput::Elements(elements));
            group.bench_function(format!("{name}/{oracle}"), |b| {
                b.iter(|| apply(&x.e, &mut s, black_box(&event)).is_ok())
            });
            // Every iteration was accepted and consumed tokens.
            assert!(s.events_applied() > x.s.events_applied());
            assert!(s.balance(asset(&x.e, "LAM"), x.payer) < T * T);
            s.check_invariants(&x.e).unwrap();
        }
    }
    group.finish();

    let mut group = c.benchmark_group("split");
    group.throughput(Throughput::Elements(1));
    let (_, x) = &setups[0];
    let action = x.e.split(x.e.version(version(&x.e, "LAM-1")).split);
    let tau = T / 10;
    let creator = Some((x.creator, 4));
    group.bench_function("lam", |b| {
        b.iter(|| split(action, black_box(tau), black_box(creator), None))
    });
    group.finish();
}

fn bench_swaps(c: &mut Criterion) {
    let x = setup(lam_with_pool_oracle_spec(), None);
    let (usd, lam) = (x.e.numeraire, asset(&x.e, "LAM"));
    let pool = market(&x.e, "lam_usd");
    let swap = |sell, amount_in| Event::Swap {
        market: pool,
        trader: x.payer,
        sell,
        order: Order::ExactIn {
            amount_in,
            min_out: 0,
        },
    };
    // About the same value each way ($1,000 vs 10,000 LAM at $0.10), so the
    // price stays near $0.10 however many iterations run (the reserves grow
    // only by the fees they keep).
    let both = [swap(usd, 1_000 * USD), swap(lam, 10_000 * T)];
    let mut s = x.s.clone();
    let mut flip = 0usize;
    let mut group = c.benchmark_group("swap");
    group.throughput(Throughput::Elements(1));
    group.bench_function("exact_in_alternating", |b| {
        b.iter(|| {
            flip ^= 1;
            apply(&x.e, &mut s, black_box(&both[flip])).is_ok()
        })
    });
    group.finish();
    assert!(s.events_applied() > x.s.events_applied());
    // $0.09 < USD / LAM < $0.11, i.e. 9 * LAM < USD * 10^14 < 11 * LAM in base units.
    let [r_lam, r_usd] = s.pool(pool).unwrap().reserves;
    let scaled = r_usd * 10u128.pow(14);
    assert!(
        9 * r_lam < scaled && scaled < 11 * r_lam,
        "{r_lam} LAM, {r_usd} USD"
    );
    s.check_invariants(&x.e).unwrap();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = bench_actions, bench_swaps
}
criterion_main!(benches);
