//! Launch specs that cannot run are refused at load (allocation tables not
//! summing to 100%, a curve that would oversell, a pool that could not be
//! seeded...); pools created at run time trade like declared ones; a
//! launch's events replay from the log to the same state.

mod common;

use common::fomo::*;
use common::*;
use furnace_core::economy::{AllocationTarget, Destination, LaunchParty};
use furnace_core::log::{read_log, IdMap, LogFormat, LogHeader, LogWriter};
use furnace_core::{apply, AssetId, Event, MarketId, Order, Receipt, State};

#[test]
fn launch_specs_that_cannot_run_are_refused_at_load() {
    let errors_of = |edit: &dyn Fn(&mut furnace_core::economy::LaunchSpec)| {
        let mut e = fomo_spec();
        edit(&mut e.launches[0]);
        validation_errors(e)
    };
    let key = "launches.rmo.allocations";
    // 40 + 20 + 20 + 10 + 15 = 105%.
    let errors = errors_of(&|s| s.allocations[4].share = pct(15));
    has_error(&errors, key, "must sum to exactly 100%, they sum to 105%");
    // Two sale entries, no liquidity entry.
    let errors = errors_of(&|s| s.allocations[1].to = AllocationTarget::Sale);
    has_error(&errors, key, "exactly one `sale` entry, found 2");
    has_error(&errors, key, "exactly one `liquidity` entry, found 0");
    // A maximum raise of 500,000 FLOCK would sell floor(500,000 x 500,000 /
    // 600,000) = 416,666.67 tokens, more than the 400,000 for sale.
    let errors = errors_of(&|s| s.max_raise = 500_000 * T);
    has_error(
        &errors,
        "launches.rmo.curve",
        "more than the sale allocation",
    );
    // A supply of 100 base units (20 for liquidity) and a minimum raise of
    // 1,000 base units of which 1% seeds the pool: sqrt(20 x 10) = 14, not
    // above the 1,000 locked shares. (The curve still fits: the maximum
    // sells floor(400,000 T x 50 / 500,000 T) = 40, the sale allocation.)
    let errors = errors_of(&|s| {
        s.total_supply = 100;
        s.curve.virtual_tokens = 50;
        s.min_raise = 1000;
        s.raise_to_liquidity = pct(1);
    });
    has_error(
        &errors,
        key,
        "the pool cannot be seeded at the minimum raise",
    );
    let errors = errors_of(&|s| s.min_raise = 500_000 * T);
    has_error(&errors, "launches.rmo.max_raise", "at least the minimum");
    let errors = errors_of(&|s| s.purchase_fee = pct(100));
    has_error(&errors, "launches.rmo.purchase_fee", "below 100%");
    let errors = errors_of(&|s| s.window_steps = 0);
    has_error(&errors, "launches.rmo.window_steps", "greater than zero");
    let errors = errors_of(&|s| s.lp_to = LaunchParty::Account(furnace_core::AccountId(99)));
    has_error(&errors, "launches.rmo.lp_to", "unknown account");
    // The numeraire is never burned: a fee in USD goes to an account.
    let errors = errors_of(&|s| {
        s.quote = furnace_core::AssetId(0);
        s.launch_fee_to = Destination::Burn;
    });
    has_error(
        &errors,
        "launches.rmo.launch_fee_to",
        "only a declared token is burned",
    );
    // The unchanged spec is valid.
    assert!(validation_errors(fomo_spec()).is_empty());
}

/// A burned launch fee is destroyed as `voluntary`; a second launch gets
/// the next launch id and the next launched token.
#[test]
fn a_burned_launch_fee_and_a_second_launch() {
    let mut spec = fomo_spec();
    spec.launches[0].launch_fee_to = Destination::Burn;
    let mut x = Fx::with(valid(spec));
    let alice = x.holder(70_000);
    let (first, token) = x.launch(alice);
    let (second, token2) = x.launch(alice);
    assert_eq!((first.0, second.0), (0, 1));
    assert_eq!(token2, AssetId(token.0 + 1));
    let burned =
        x.s.totals(x.flock).burned_by_reason[furnace_core::event::BurnReason::Voluntary.index()];
    assert_eq!(burned, 2 * 32_768 * T);
    assert_eq!(x.flock_of(alice), (70_000 - 2 * 32_768) * T);
}

/// `CreatePool` makes an empty pool of any two assets; the first deposit
/// seeds it (`isqrt(a b) - 1000` shares) and it swaps like a declared one.
/// Refused: the same asset twice, LP shares, a fee of 100%, unknown ids.
#[test]
fn pools_created_at_run_time_trade_like_declared_ones() {
    let mut x = Fx::new();
    let lp = x.holder(1_000);
    let (usd, flock) = (AssetId(0), x.flock);
    mint_usd(&x.e, &mut x.s, lp, 500 * 1_000_000);
    let market = match x.ok(Event::CreatePool {
        assets: [flock, usd],
        fee_ppm: 3000,
    }) {
        Receipt::PoolCreated { market, lp } => {
            assert_eq!(lp, AssetId::lp(market));
            market
        }
        r => panic!("{r:?}"),
    };
    assert_eq!(market, MarketId::runtime(0).unwrap());
    // 1,000 FLOCK and $500: isqrt(10^21 x 5 10^8) = 707,106,781,186,547
    // (python3: math.isqrt(10**21 * 5 * 10**8)), less the 1,000 locked.
    let shares = match x.ok(Event::AddLiquidity {
        market,
        provider: lp,
        amounts: [1_000 * T, 500 * 1_000_000],
        min_shares: 0,
    }) {
        Receipt::LiquidityAdded(r) => r.shares,
        r => panic!("{r:?}"),
    };
    assert_eq!(shares, 707_106_781_186_547 - 1000);
    // Sell 10 FLOCK: python3 -c
    // "a=10**19*997000; print(a*5*10**8 // (10**21*10**6 + a))"
    let trader = x.holder(10);
    let out = match x.ok(Event::Swap {
        market,
        trader,
        sell: flock,
        order: Order::ExactIn {
            amount_in: 10 * T,
            min_out: 0,
        },
    }) {
        Receipt::Swapped(q) => q.amount_out,
        r => panic!("{r:?}"),
    };
    assert_eq!(out, 4_935_790);
    assert_eq!(x.s.balance(usd, trader), out);
    for (assets, fee_ppm, code) in [
        ([flock, flock], 3000, "invalid_pool"),
        ([AssetId::lp(market), usd], 3000, "invalid_pool"),
        ([flock, usd], 1_000_000, "invalid_pool"),
        ([flock, AssetId(7)], 3000, "unknown_asset"),
    ] {
        x.reject(Event::CreatePool { assets, fee_ppm }, code);
    }
    x.reject(
        Event::Swap {
            market: MarketId::runtime(1).unwrap(),
            trader,
            sell: flock,
            order: Order::ExactIn {
                amount_in: T,
                min_out: 0,
            },
        },
        "unknown_market",
    );
}

/// A launch through graduation and a swap on its pool, written to a log
/// and replayed against the same economy, reaches the same state: launch
/// ids, launched tokens and run-time pools are the log's own.
#[test]
fn a_launch_replays_from_the_log_to_the_same_state() {
    let mut x = Fx::new();
    let start = x.s.clone();
    let mut applied = Vec::new();
    let mut apply_logged = |x: &mut Fx, ev: Event| {
        x.ok(ev.clone());
        applied.push(ev);
    };
    let (holders, flock) = (acct(&x.e, "holders"), x.flock);
    apply_logged(&mut x, Event::OpenAccount);
    let alice = furnace_core::AccountId::opened(0).unwrap();
    apply_logged(
        &mut x,
        Event::Transfer {
            asset: flock,
            from: holders,
            to: alice,
            amount_base_units: 500_000 * T,
        },
    );
    apply_logged(&mut x, Event::OpenAccount);
    let bob = furnace_core::AccountId::opened(1).unwrap();
    apply_logged(
        &mut x,
        Event::Transfer {
            asset: flock,
            from: holders,
            to: bob,
            amount_base_units: 100_000 * T,
        },
    );
    apply_logged(
        &mut x,
        Event::CreateLaunch {
            spec: RMO,
            issuer: alice,
        },
    );
    let launch = furnace_core::LaunchId(0);
    for (buyer, quote_in) in [(alice, 100_000 * T), (bob, 60_000 * T)] {
        apply_logged(
            &mut x,
            Event::BuyOnCurve {
                launch,
                buyer,
                quote_in,
                min_tokens_out: 0,
            },
        );
    }
    apply_logged(&mut x, Event::GraduateLaunch { launch });
    apply_logged(
        &mut x,
        Event::Swap {
            market: MarketId::runtime(0).unwrap(),
            trader: alice,
            sell: flock,
            order: Order::ExactIn {
                amount_in: 1_000 * T,
                min_out: 1,
            },
        },
    );
    let header = LogHeader::of(&x.e);
    assert_eq!(header.launch_specs, ["rmo"]);
    let mut w = LogWriter::new(Vec::new(), LogFormat::Binary, &header).unwrap();
    for ev in &applied {
        w.write(ev).unwrap();
    }
    let bytes = w.finish().unwrap();
    let (h, events) = read_log(&bytes).unwrap();
    let map = IdMap::new(&h, &x.e).unwrap();
    assert!(map.is_identity());
    let mut replayed: State = start;
    for ev in &events {
        apply(&x.e, &mut replayed, &map.event(ev).unwrap()).unwrap();
    }
    assert!(replayed == x.s);
}
