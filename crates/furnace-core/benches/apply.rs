//! The metered-action hot path: `engine::apply` on `Event::Actions`, and the
//! pure `split` it settles. Run with
//! `cargo bench -p furnace-core --bench apply`; see BENCHMARKS.md.
//!
//! Setup: the LAM economy loaded from `economies/lam.toml`, the price set
//! once ($1.00, 0.1 LAM per action), one payer holding 10^18 LAM (minted as
//! a grant) so no iteration count can exhaust it. Each iteration applies one
//! event to the same state; the state does not grow with actions, so every
//! iteration does the same work.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use furnace_config::load_economy;
use furnace_core::economy::AccountId;
use furnace_core::engine::split;
use furnace_core::event::{Event, MintReason, Payer, WorkflowId};
use furnace_core::{apply, Economy, State};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const T: u128 = 1_000_000_000_000_000_000;

fn lam() -> Economy {
    load_economy(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../economies/lam.toml"
    )))
    .unwrap_or_else(|e| panic!("{e}"))
    .economy
}

fn must(e: &Economy, s: &mut State, ev: Event) -> furnace_core::Receipt {
    apply(e, s, &ev).unwrap_or_else(|r| panic!("{ev:?}: {r}"))
}

/// The LAM economy with a price set, a rich payer and a published
/// marketplace workflow (epoch 4, so the creator leg is split in two).
fn setup() -> (Economy, State, AccountId, WorkflowId) {
    let e = lam();
    let mut s = State::genesis(&e);
    let lam = e.asset_by_name("LAM").unwrap();
    must(
        &e,
        &mut s,
        Event::SetPrice {
            token: lam,
            price_usd_pico: 1_000_000_000_000, // $1.00
        },
    );
    let payer = match must(&e, &mut s, Event::OpenAccount) {
        furnace_core::Receipt::AccountOpened(a) => a,
        r => panic!("{r:?}"),
    };
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
    let creator = match must(&e, &mut s, Event::OpenAccount) {
        furnace_core::Receipt::AccountOpened(a) => a,
        r => panic!("{r:?}"),
    };
    let workflow = match must(&e, &mut s, Event::PublishWorkflow { creator, epoch: 4 }) {
        furnace_core::Receipt::WorkflowPublished(w) => w,
        r => panic!("{r:?}"),
    };
    (e, s, payer, workflow)
}

fn bench_apply(c: &mut Criterion) {
    let (e, state, payer, workflow) = setup();
    let version = e.version_by_name("LAM-1").unwrap();
    let actions = |count: u64, workflow: Option<WorkflowId>| Event::Actions {
        payer: Payer::Account(payer),
        version,
        count,
        workflow,
        path: None,
    };

    let mut group = c.benchmark_group("apply");
    for (name, event, elements) in [
        ("actions_no_marketplace", actions(1, None), 1),
        ("actions_marketplace", actions(1, Some(workflow)), 1),
        ("actions_batch_1000", actions(1_000, None), 1_000),
    ] {
        let mut s = state.clone();
        group.throughput(Throughput::Elements(elements));
        group.bench_function(name, |b| {
            b.iter(|| apply(&e, &mut s, black_box(&event)).is_ok())
        });
        // Every iteration was accepted and consumed tokens.
        assert!(s.events_applied() > state.events_applied());
        assert!(s.balance(e.asset_by_name("LAM").unwrap(), payer) < T * T);
        s.check_invariants().unwrap();
    }
    group.finish();

    let mut group = c.benchmark_group("split");
    group.throughput(Throughput::Elements(1));
    let action = e.split(e.version(version).split);
    let tau = state.tokens_per_action(version);
    let creator = Some((AccountId(11), 4));
    group.bench_function("lam", |b| {
        b.iter(|| split(action, black_box(tau), black_box(creator), None))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = bench_apply
}
criterion_main!(benches);
