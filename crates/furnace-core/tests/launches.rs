//! Bonding-curve launches end to end: a raise that reaches its maximum and
//! graduates at once, one that fails and refunds, the caps, graduation at
//! the minimum, and the pool each graduation seeds. Every figure is
//! computed independently (python3, shown next to it).
//!
//! The economy is `common::fomo`: FOMO's raise with ASSUMPTION figures
//! (virtual reserves 100,000 FLOCK / 500,000 tokens, raise 100,000 to
//! 400,000 FLOCK, 1.5% purchase fee, 32,768 FLOCK launch fee).

mod common;

use common::fomo::*;
use common::*;
use furnace_core::engine::{quote_in_for_principal, Graduation, Refund};
use furnace_core::event::MintReason;
use furnace_core::ids::{LaunchId, LaunchSpecId};
use furnace_core::state::LaunchStatus;
use furnace_core::{AssetId, Event, MarketId, Order, Receipt};

/// FOMO's raise to its maximum. Purchases (python3, `x0 = 10^5 T`, `y0 =
/// 5 10^5 T`; each `p = q 985000 // 10^6`, `t = p y // (x + p)`, then `x +=
/// p`, `y -= t`):
///
/// | buyer | pays (FLOCK) | principal | fee | tokens (base units) |
/// |---|---|---|---|---|
/// | alice (issuer) | 50,000 | 49,250 | 750 | 164,991,624,790,619,765,494,137 |
/// | bob | 100,000 | 98,500 | 1,500 | 133,192,028,085,263,181,024,530 |
/// | carol | 120,000 | 118,200 | 1,800 | 65,185,659,871,760,174,126,229 |
/// | dave | 136,091.370558375634517767 | 134,050 | 2,041.370558375634517767 | 36,630,687,252,356,879,355,103 |
///
/// Dave pays `ceil(134,050 T 10^6 / 985,000)`, the least payment whose
/// principal (`floor(q 0.985)`) is the 134,050 FLOCK left; the raise is
/// then exactly 400,000 FLOCK and the launch graduates in his purchase.
/// Sold: 399,999.999999999999999999 tokens, 1 base unit of the sale never
/// minted. The pool: 200,000 tokens and `floor(400,000 x 50%)` = 200,000
/// FLOCK, `isqrt(2 10^23 x 2 10^23) - 1000` = 199,999.999999999999999 LP
/// shares to alice.
#[test]
fn a_raise_reaching_its_maximum_graduates_at_once() {
    let mut x = Fx::new();
    let alice = x.holder(100_000);
    let (bob, carol, dave) = (x.holder(200_000), x.holder(200_000), x.holder(200_000));
    let (launch, token) = x.launch(alice);
    assert_eq!(x.flock_of(alice), (100_000 - 32_768) * T);
    assert_eq!(x.s.supply(token), 0);

    let a = x.buy(launch, alice, 50_000 * T);
    assert_eq!(
        (a.principal, a.fee, a.tokens),
        (49_250 * T, 750 * T, 164_991_624_790_619_765_494_137)
    );
    let b = x.buy(launch, bob, 100_000 * T);
    assert_eq!(
        (b.principal, b.fee, b.tokens),
        (98_500 * T, 1_500 * T, 133_192_028_085_263_181_024_530)
    );
    let c = x.buy(launch, carol, 120_000 * T);
    assert_eq!(
        (c.principal, c.fee, c.tokens),
        (118_200 * T, 1_800 * T, 65_185_659_871_760_174_126_229)
    );
    assert_eq!(c.raised, 265_950 * T);
    assert!(c.graduation.is_none());
    // Nothing is minted during the raise; the principal is in custody.
    assert_eq!(x.s.supply(token), 0);
    let l = x.s.launch_state(launch).unwrap();
    assert_eq!((l.held, l.buyers()), (265_950 * T, 3));

    let left = 400_000 * T - c.raised;
    let pay = quote_in_for_principal(ppm(15_000), left).unwrap();
    assert_eq!(pay, 136_091_370_558_375_634_517_767);
    let d = x.buy(launch, dave, pay);
    assert_eq!(
        (d.principal, d.fee, d.tokens, d.raised),
        (
            134_050 * T,
            2_041_370_558_375_634_517_767,
            36_630_687_252_356_879_355_103,
            400_000 * T
        )
    );
    let g: Graduation = d.graduation.expect("the maximum graduates at once");
    let sold = 399_999_999_999_999_999_999_999;
    assert_eq!((g.sold, g.unsold, g.buyers), (sold, 1, 4));
    assert_eq!(g.minted, 1_000_000 * T - 1);
    assert_eq!(g.reserves, [200_000 * T, 200_000 * T]);
    assert_eq!(g.lp_shares, 199_999_999_999_999_999_999_000);
    assert_eq!(g.raise_rest, 200_000 * T);

    // Every holding, exactly.
    let (pool, lp) = (g.pool, AssetId::lp(g.pool));
    assert_eq!(pool, MarketId(MarketId::RUNTIME_BASE));
    assert_eq!(x.s.balance(token, alice), a.tokens + 100_000 * T);
    assert_eq!(x.s.balance(lp, alice), g.lp_shares);
    assert_eq!(x.s.balance(token, bob), b.tokens);
    assert_eq!(x.s.balance(token, carol), c.tokens);
    assert_eq!(x.s.balance(token, dave), d.tokens);
    assert_eq!(x.s.balance(token, x.incentives), 200_000 * T);
    assert_eq!(x.s.balance(token, x.treasury), 100_000 * T);
    assert_eq!(x.flock_of(x.treasury), 200_000 * T);
    // Fees: 750 + 1,500 + 1,800 + 2,041.37... FLOCK, and the launch fee.
    let fees = 6_091_370_558_375_634_517_767;
    assert_eq!(x.flock_of(x.platform), 32_768 * T + fees);
    assert_eq!(x.s.supply(token), 1_000_000 * T - 1);
    assert_eq!(x.s.pool(pool).unwrap().reserves, g.reserves);
    assert_eq!(
        x.s.pool(pool).unwrap().shares,
        200_000 * T,
        "isqrt(L Q) with the 1,000 locked"
    );
    let l = x.s.launch_state(launch).unwrap();
    assert_eq!(l.held, 0);
    assert!(matches!(l.status, LaunchStatus::Graduated { .. }));

    // The token is priced by its pool from now on: 1 FLOCK per token at
    // $0.05 a FLOCK is $0.05, i.e. 5 * 10^10 pico.
    let flock = x.flock;
    x.ok(Event::SetPrice {
        token: flock,
        price_usd_pico: 5 * CENT,
    });
    let price = furnace_core::engine::price_of(&x.e, &x.s, token).unwrap();
    assert_eq!(price.pico(6, 18), Some(5 * CENT));
    x.reject(
        Event::SetPrice {
            token,
            price_usd_pico: CENT,
        },
        "price_not_exogenous",
    );

    // It trades: bob sells 1,000 tokens into the pool, exact in. python3:
    // a=10**21*997000; print(a*2*10**23 // (2*10**23*10**6 + a))
    let sold_for = match x.ok(Event::Swap {
        market: pool,
        trader: bob,
        sell: token,
        order: Order::ExactIn {
            amount_in: 1_000 * T,
            min_out: 0,
        },
    }) {
        Receipt::Swapped(q) => q.amount_out,
        r => panic!("{r:?}"),
    };
    assert_eq!(sold_for, 992_054_607_780_215_625_108);

    // Its supply is the table's: no `Mint` adds to it, before graduation
    // (`caps_and_refusals_during_the_raise`) or after.
    x.reject(
        Event::Mint {
            asset: token,
            to: bob,
            amount_base_units: 1,
            reason: MintReason::Grant,
        },
        "invalid_reason",
    );
    // A graduated launch takes no purchase, refund or second graduation.
    let erin = x.holder(1_000);
    for ev in [
        Event::BuyOnCurve {
            launch,
            buyer: erin,
            quote_in: T,
            min_tokens_out: 0,
        },
        Event::GraduateLaunch { launch },
        Event::FailLaunch { launch },
        Event::SellOnCurve {
            launch,
            seller: bob,
            tokens_in: T,
        },
    ] {
        x.reject(ev, "launch_graduated");
    }
}

/// A raise below its minimum: the window closes, `FailLaunch` returns
/// every unit of principal and keeps the fees; nothing was ever minted.
/// Bob pays 30,000 FLOCK (principal 29,550, fee 450) twice, carol 10,000
/// (9,850 and 150): 68,950 raised, below the 100,000 minimum.
#[test]
fn a_failed_raise_refunds_every_committer_exactly_less_fees() {
    let mut x = Fx::new();
    let alice = x.holder(40_000);
    let (bob, carol) = (x.holder(100_000), x.holder(100_000));
    let (launch, token) = x.launch(alice);
    x.buy(launch, bob, 30_000 * T);
    x.buy(launch, bob, 30_000 * T);
    let c = x.buy(launch, carol, 10_000 * T);
    assert_eq!(c.raised, 68_950 * T);
    let l = x.s.launch_state(launch).unwrap();
    assert_eq!(l.commitment(bob).principal, 59_100 * T);
    assert_eq!(l.commitment(bob).fees, 900 * T);

    // It cannot graduate, nor fail while the window is open.
    x.reject(Event::GraduateLaunch { launch }, "below_min_raise");
    x.reject(Event::FailLaunch { launch }, "launch_window_open");
    ticks(&x.e, &mut x.s, 6);
    x.reject(Event::FailLaunch { launch }, "launch_window_open");
    ticks(&x.e, &mut x.s, 1);
    // Step 7: the window (steps 0 to 6) is closed.
    x.reject(
        Event::BuyOnCurve {
            launch,
            buyer: carol,
            quote_in: T,
            min_tokens_out: 0,
        },
        "launch_window_closed",
    );
    let refund: Refund = match x.ok(Event::FailLaunch { launch }) {
        Receipt::LaunchRefunded(r) => r,
        r => panic!("{r:?}"),
    };
    assert_eq!(
        (refund.refunded, refund.buyers, refund.fees_kept),
        (68_950 * T, 2, 1_050 * T)
    );
    assert_eq!(x.flock_of(bob), (100_000 - 900) * T);
    assert_eq!(x.flock_of(carol), (100_000 - 150) * T);
    assert_eq!(x.flock_of(x.platform), (32_768 + 1_050) * T);
    assert_eq!(x.s.supply(token), 0);
    assert_eq!(x.s.totals(token).minted, 0);
    assert_eq!(x.s.launch_state(launch).unwrap().held, 0);
    for (ev, code) in [
        (Event::FailLaunch { launch }, "launch_failed"),
        (Event::GraduateLaunch { launch }, "launch_failed"),
        (
            Event::SellOnCurve {
                launch,
                seller: bob,
                tokens_in: 1,
            },
            "launch_failed",
        ),
    ] {
        x.reject(ev, code);
    }
}

/// The caps, each refused with its code and the state unchanged: the
/// issuer's 25% (250,000 tokens), 150,000 FLOCK of principal per buyer, the
/// 400,000 maximum, the buyer's own slippage limit, selling back.
#[test]
fn caps_and_refusals_during_the_raise() {
    let mut x = Fx::new();
    let alice = x.holder(400_000);
    let (bob, carol) = (x.holder(400_000), x.holder(400_000));
    let (launch, token) = x.launch(alice);
    // Nothing mints the token before graduation.
    x.reject(
        Event::Mint {
            asset: token,
            to: bob,
            amount_base_units: T,
            reason: MintReason::Staking,
        },
        "invalid_reason",
    );
    let buy = |buyer, quote_in, min_tokens_out| Event::BuyOnCurve {
        launch,
        buyer,
        quote_in,
        min_tokens_out,
    };
    // The issuer: 120,000 FLOCK (principal 118,200) would buy
    // 118,200 x 500,000 / 218,200 = 270,852.43 tokens > 250,000.
    x.reject(buy(alice, 120_000 * T, 0), "issuer_cap_exceeded");
    // ... and 100,000 (98,500): 98,500 x 500,000 / 198,500 = 248,110.83.
    let a = x.buy(launch, alice, 100_000 * T);
    assert_eq!(a.tokens, 248_110_831_234_256_926_952_141);
    // Any more passes 250,000 tokens: 2,000 FLOCK buys about 2,000 / 2.6.
    x.reject(buy(alice, 2_000 * T, 0), "issuer_cap_exceeded");
    // A buyer's principal: 152,284.26 FLOCK pays 150,000.0001 principal.
    x.reject(buy(bob, 152_285 * T, 0), "buyer_cap_exceeded");
    let b = x.buy(launch, bob, 150_000 * T);
    assert_eq!(b.principal, 147_750 * T);
    x.reject(buy(bob, 3_000 * T, 0), "buyer_cap_exceeded");
    // 98,500 + 147,750 = 246,250 raised; carol's 160,000 (157,600) would
    // pass 400,000 (and her cap, checked after the maximum).
    x.reject(buy(carol, 160_000 * T, 0), "above_max_raise");
    // Her own limit: 1 FLOCK (0.985 principal) buys well under 1 token.
    x.reject(buy(carol, T, T), "slippage_exceeded");
    x.reject(buy(carol, 0, 0), "zero_amount");
    // One base unit of FLOCK commits nothing after the fee.
    x.reject(buy(carol, 1, 0), "slippage_exceeded");
    // More than she holds: 2 FLOCK (0.82 tokens) from a holder of 1.
    let poor = x.holder(1);
    x.reject(buy(poor, 2 * T, 0), "insufficient_balance");
    x.reject(
        Event::SellOnCurve {
            launch,
            seller: bob,
            tokens_in: T,
        },
        "sell_during_raise",
    );
    let unknown = LaunchId(9);
    for (ev, code) in [
        (
            Event::BuyOnCurve {
                launch: unknown,
                buyer: bob,
                quote_in: T,
                min_tokens_out: 0,
            },
            "unknown_launch",
        ),
        (Event::GraduateLaunch { launch: unknown }, "unknown_launch"),
        (Event::FailLaunch { launch: unknown }, "unknown_launch"),
        (
            Event::CreateLaunch {
                spec: LaunchSpecId(1),
                issuer: alice,
            },
            "unknown_launch_spec",
        ),
    ] {
        x.reject(ev, code);
    }
    // A launch fee the issuer cannot pay.
    let broke = x.holder(32_767);
    x.reject(
        Event::CreateLaunch {
            spec: RMO,
            issuer: broke,
        },
        "insufficient_balance",
    );
}

/// Anyone may graduate a raise that reached its minimum, before or after
/// the window: here at step 2, with 100,000 FLOCK of principal from two
/// buyers (19,700 for 20,000 paid; then 80,300 for `ceil(80,300 T 10^6 /
/// 985,000)`). The pool gets the 200,000-token liquidity allocation and
/// 50,000 FLOCK; `isqrt(2 10^23 x 5 10^22) - 1000` = 10^23 - 1000 LP
/// shares. The curve sold (python3, as above) 82,289.05... and
/// 167,710.94... tokens: 249,999.999999999999999999 in all, the curve's
/// `500,000 - 10^5 x 5 10^5 / 200,000` = 250,000 less one unit of
/// rounding; the other 150,000 sale tokens are never minted.
#[test]
fn graduation_at_the_minimum_seeds_the_pool_with_exact_reserves() {
    let mut x = Fx::new();
    let alice = x.holder(40_000);
    let (bob, carol) = (x.holder(200_000), x.holder(200_000));
    let (launch, token) = x.launch(alice);
    ticks(&x.e, &mut x.s, 2);
    let b = x.buy(launch, bob, 20_000 * T);
    assert_eq!(b.principal, 19_700 * T);
    x.reject(Event::GraduateLaunch { launch }, "below_min_raise");
    // Carol brings it to exactly 100,000: 80,300 more.
    let q = quote_in_for_principal(ppm(15_000), 80_300 * T).unwrap();
    assert_eq!(q, 81_522_842_639_593_908_629_442);
    let c = x.buy(launch, carol, q);
    assert_eq!(c.raised, 100_000 * T);
    assert!(
        c.graduation.is_none(),
        "the minimum does not graduate by itself"
    );
    let g = match x.ok(Event::GraduateLaunch { launch }) {
        Receipt::Graduated(g) => g,
        r => panic!("{r:?}"),
    };
    assert_eq!(b.tokens, 82_289_055_973_266_499_582_289);
    assert_eq!(c.tokens, 167_710_944_026_733_500_417_710);
    assert_eq!(g.sold, 250_000 * T - 1);
    assert_eq!(g.unsold, 150_000 * T + 1);
    assert_eq!(g.reserves, [200_000 * T, 50_000 * T]);
    assert_eq!(g.lp_shares, 100_000 * T - 1000);
    assert_eq!(g.raise_rest, 50_000 * T);
    assert_eq!(x.s.pool(g.pool).unwrap().reserves, g.reserves);
    assert_eq!(x.s.balance(AssetId::lp(g.pool), alice), g.lp_shares);
    assert_eq!(x.s.supply(token), 600_000 * T + g.sold);
    assert_eq!(x.flock_of(x.treasury), 50_000 * T);
}
