//! Markets through `apply`: constant-product swaps, oracles that follow
//! pools, liquidity, multi-token price chains, buyback programs with their
//! guards, external venues and launched tokens.
//!
//! Every expected number is computed by hand or with python3 integer
//! arithmetic, independently of the engine; the expression is in the
//! comment next to it. Python helpers used in those comments:
//!
//! ```python
//! ONE = 10**6
//! def out(a, ri, ro, fee=3000):            # Uniswap v2 getAmountOut
//!     ae = a * (ONE - fee); return ae * ro // (ri * ONE + ae)
//! def inn(o, ri, ro, fee=3000):            # exact-out input, a true ceiling
//!     return -(-(ri * ONE * o) // ((ro - o) * (ONE - fee)))
//! def pico(lam, usd): return usd * 10**24 // lam   # LAM/USD spot, pico-$ per LAM
//! X0, Y0 = 5 * 10**25, 5 * 10**12                  # lam_usd genesis reserves
//! ```

mod common;

use common::*;
use furnace_core::economy::{BuybackProgram, Destination, Oracle, Venue};
use furnace_core::engine::{
    version_tokens_per_action, BuybackReceipt, Limit, LiquidityReceipt, SwapQuote,
};
use furnace_core::event::{BurnReason, MintReason, Order};
use furnace_core::units::Ppm;
use furnace_core::{AccountId, AssetId, Event, MarketId, Payer, Receipt, State, ValidEconomy};

const X0: u128 = 50_000_000 * T;
const Y0: u128 = 5_000_000 * USD;

fn swap(
    e: &ValidEconomy,
    s: &mut State,
    market: MarketId,
    trader: AccountId,
    sell: AssetId,
    order: Order,
) -> SwapQuote {
    match must(
        e,
        s,
        Event::Swap {
            market,
            trader,
            sell,
            order,
        },
    ) {
        Receipt::Swapped(q) => q,
        r => panic!("unexpected receipt {r:?}"),
    }
}

fn exact_in(amount_in: u128) -> Order {
    Order::ExactIn {
        amount_in,
        min_out: 0,
    }
}

fn buyback(e: &ValidEconomy, s: &mut State, program: &str, amount: u128) -> BuybackReceipt {
    match must(
        e,
        s,
        Event::Buyback {
            program: common::program(e, program),
            amount_base_units: amount,
        },
    ) {
        Receipt::BoughtBack(b) => b,
        r => panic!("unexpected receipt {r:?}"),
    }
}

/// A new account holding `lam` of LAM (from the outside market's float) and
/// `usd` brought in from outside.
fn funded_trader(e: &ValidEconomy, s: &mut State, lam: u128, usd: u128) -> AccountId {
    let trader = open(e, s);
    must(
        e,
        s,
        Event::Transfer {
            asset: asset(e, "LAM"),
            from: acct(e, "market"),
            to: trader,
            amount_base_units: lam,
        },
    );
    mint_usd(e, s, trader, usd);
    trader
}

/// Apply an `AddLiquidity` or `RemoveLiquidity` and return its receipt.
fn liquidity(e: &ValidEconomy, s: &mut State, event: Event) -> LiquidityReceipt {
    match must(e, s, event) {
        Receipt::LiquidityAdded(l) | Receipt::LiquidityRemoved(l) => l,
        r => panic!("unexpected receipt {r:?}"),
    }
}

fn set_price(e: &ValidEconomy, s: &mut State, token: AssetId, pico: u128) {
    must(
        e,
        s,
        Event::SetPrice {
            token,
            price_usd_pico: pico,
        },
    );
}

fn actions(e: &ValidEconomy, s: &mut State, payer: AccountId, version: &str, count: u64) -> u128 {
    match must(
        e,
        s,
        Event::Actions {
            payer: Payer::Account(payer),
            version: common::version(e, version),
            count,
            workflow: None,
            path: None,
        },
    ) {
        Receipt::Actions(r) => {
            assert_eq!(r.split.total, r.tokens_per_action * u128::from(count));
            r.tokens_per_action
        }
        r => panic!("unexpected receipt {r:?}"),
    }
}

// ---------------------------------------------------------------------------
// Constant-product swaps

#[test]
fn a_1000_by_1000_genesis_is_refused_and_reached_by_removing_liquidity() {
    // sqrt(1000 * 1000) = 1000 does not exceed the 1000 locked shares.
    let mut spec = small_spec();
    if let furnace_core::economy::MarketKind::Pool { genesis, .. } = &mut spec.markets[0].kind {
        *genesis = [1_000, 1_000];
    }
    let errors = spec.validate().unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, "markets.a_usd.reserves");

    // The 10,000 / 10,000 pool minted sqrt(10^8) = 10,000 shares, 1,000
    // locked: `lp` holds 9,000. Burning them all leaves 1,000 / 1,000.
    let e = small();
    let mut s = State::genesis(&e);
    let (usd, a) = (e.numeraire, asset(&e, "A"));
    let pool = market(&e, "a_usd");
    let (lp, trader) = (acct(&e, "lp"), acct(&e, "trader"));
    let lp_asset = AssetId::lp(pool);
    assert_eq!(s.balance(lp_asset, lp), 9_000);
    assert_eq!(s.pool(pool).unwrap().shares, 10_000);
    let l = liquidity(
        &e,
        &mut s,
        Event::RemoveLiquidity {
            market: pool,
            provider: lp,
            shares: 9_000,
            min_amounts: [9_000, 9_000],
        },
    );
    // floor(9000 * 10000 / 10000) = 9000 of each.
    assert_eq!((l.amounts, l.shares), ([9_000, 9_000], 9_000));
    assert_eq!(s.pool(pool).unwrap().reserves, [1_000, 1_000]);
    assert_eq!(s.pool(pool).unwrap().shares, 1_000);
    assert_eq!(s.supply(lp_asset), 0);

    // 100 USD in, 0.3% fee: floor(100*997000*1000 / (1000*10^6 + 100*997000))
    // = floor(99_700_000_000 / 1_099_700_000) = floor(90.66) = 90 A out.
    let q = swap(&e, &mut s, pool, trader, usd, exact_in(100));
    assert_eq!((q.amount_in, q.amount_out), (100, 90));
    assert_eq!(q.fee_micro_units, 100 * 3_000);
    assert_eq!((q.sell, q.buy), (usd, a));
    assert_eq!(q.reserves_before, [1_000, 1_000]);
    assert_eq!(q.reserves_after, [910, 1_100]);
    assert_eq!(s.pool(pool).unwrap().reserves, [910, 1_100]);
    assert_eq!(s.balance(a, trader), 100_090);
    assert_eq!(s.balance(usd, trader), 99_900);
    s.check_invariants(&e).unwrap();
}

#[test]
fn small_pool_exact_in_and_exact_out_by_hand() {
    let e = small();
    let mut s = State::genesis(&e);
    let (usd, a) = (e.numeraire, asset(&e, "A"));
    let pool = market(&e, "a_usd");
    let trader = acct(&e, "trader");

    // Exact-out of a single A from 10,000 / 10,000 costs
    // ceil(10000*1*10^6 / (9999*997000)) = ceil(1.0031) = 2 USD: the input is
    // rounded up (1 USD would buy floor(997000*10000/(10^10+997000)) = 0 A).
    let mut fresh = s.clone();
    let q = swap(
        &e,
        &mut fresh,
        pool,
        trader,
        usd,
        Order::ExactOut {
            amount_out: 1,
            max_in: 2,
        },
    );
    assert_eq!((q.amount_in, q.amount_out), (2, 1));
    assert_eq!(fresh.pool(pool).unwrap().reserves, [9_999, 10_002]);

    // 1,000 USD in: out(1000, 10000, 10000) = floor(9.97e12 / 10_997_000_000) = 906.
    let q = swap(
        &e,
        &mut s,
        pool,
        trader,
        usd,
        Order::ExactIn {
            amount_in: 1_000,
            min_out: 906,
        },
    );
    assert_eq!(q.amount_out, 906);
    assert_eq!(s.pool(pool).unwrap().reserves, [9_094, 11_000]);
    // k = 9094 * 11000 = 100,034,000 >= 10^8.
    let [x, y] = s.pool(pool).unwrap().reserves;
    assert_eq!(x * y, 100_034_000);

    // Exactly 100 A out: inn(100, 11000, 9094) = ceil(1.1e12 / 8_967_018_000)
    // = ceil(122.67) = 123 USD; out(122, 11000, 9094) = 99 < 100, so 123 is
    // the least input that buys 100.
    let q = swap(
        &e,
        &mut s,
        pool,
        trader,
        usd,
        Order::ExactOut {
            amount_out: 100,
            max_in: 123,
        },
    );
    assert_eq!((q.amount_in, q.amount_out), (123, 100));
    assert_eq!(s.pool(pool).unwrap().reserves, [8_994, 11_123]);
    assert_eq!(s.balance(a, trader), 100_000 + 906 + 100);
    assert_eq!(s.balance(usd, trader), 100_000 - 1_000 - 123);
    s.check_invariants(&e).unwrap();
}

#[test]
fn lam_usd_swaps_match_uniswap_v2_in_base_units() {
    let e = lam();
    let pool = market(&e, "lam_usd");
    let (usd, lam_id) = (e.numeraire, asset(&e, "LAM"));
    let mut s = State::genesis(&e);
    let trader = funded_trader(&e, &mut s, 10_000_000 * T, 1_000_000 * USD);
    let start = s.clone();

    // Sell 1,000,000 LAM: out(10**24, X0, Y0) = 97_750_848_089 ($97,750.85).
    let q = swap(&e, &mut s, pool, trader, lam_id, exact_in(1_000_000 * T));
    assert_eq!(q.amount_out, 97_750_848_089);
    assert_eq!(q.reserves_after, [X0 + 1_000_000 * T, Y0 - 97_750_848_089]);

    // Buy with $10,000: out(10**10, Y0, X0) = 99_501_593_821_919_093_327_904.
    let mut s = start.clone();
    let q = swap(&e, &mut s, pool, trader, usd, exact_in(10_000 * USD));
    assert_eq!(q.amount_out, 99_501_593_821_919_093_327_904);
    assert_eq!(
        s.balance(lam_id, trader),
        10_000_000 * T + 99_501_593_821_919_093_327_904
    );

    // Exactly $10,000 out for LAM: inn(10**10, X0, Y0)
    // = 100_501_906_521_166_706_532_423 LAM base units in.
    let mut s = start.clone();
    let q = swap(
        &e,
        &mut s,
        pool,
        trader,
        lam_id,
        Order::ExactOut {
            amount_out: 10_000 * USD,
            max_in: u128::MAX,
        },
    );
    assert_eq!(q.amount_in, 100_501_906_521_166_706_532_423);
    assert_eq!(s.balance(usd, trader), 1_010_000 * USD);

    // Exactly 1,000,000 LAM out for USD: inn(10**24, Y0, X0) = 102_347_859_907.
    let mut s = start.clone();
    let q = swap(
        &e,
        &mut s,
        pool,
        trader,
        usd,
        Order::ExactOut {
            amount_out: 1_000_000 * T,
            max_in: 102_347_859_907,
        },
    );
    assert_eq!(q.amount_in, 102_347_859_907);
    assert_eq!(
        s.pool(pool).unwrap().reserves,
        [X0 - 1_000_000 * T, Y0 + 102_347_859_907]
    );
    s.check_invariants(&e).unwrap();
}

// ---------------------------------------------------------------------------
// Oracles

#[test]
fn pool_oracle_follows_the_pool_after_every_swap() {
    let e = lam_with_pool_oracle();
    let pool = market(&e, "lam_usd");
    let (usd, lam_id) = (e.numeraire, asset(&e, "LAM"));
    let mut s = State::genesis(&e);
    let trader = open(&e, &mut s);
    let payer = open(&e, &mut s);
    must(
        &e,
        &mut s,
        Event::Transfer {
            asset: lam_id,
            from: acct(&e, "community"),
            to: payer,
            amount_base_units: 1_000 * T,
        },
    );
    must(
        &e,
        &mut s,
        Event::Transfer {
            asset: lam_id,
            from: acct(&e, "market"),
            to: trader,
            amount_base_units: 2_000_000 * T,
        },
    );
    mint_usd(&e, &mut s, trader, 10_000 * USD);
    let v1 = common::version(&e, "LAM-1");

    // tokens per action = ceil($0.10 * reserve_LAM / reserve_USD):
    // ceil(10**5 * X0 / Y0) = 10**18, one LAM at $0.10.
    assert_eq!(version_tokens_per_action(&e, &s, v1), Ok(T));
    assert_eq!(actions(&e, &mut s, payer, "LAM-1", 3), T);
    assert_eq!(s.balance(lam_id, payer), 997 * T);

    // Buy LAM with $10,000: reserves (X0 - out(10**10, Y0, X0), Y0 + 10**10)
    // = (49_900_498_406_178_080_906_672_096, 5_010_000_000_000); tokens per
    // action ceil(10**5 * 49900498406178080906672096 / 5010000000000)
    // = 996_017_932_259_043_532.
    swap(&e, &mut s, pool, trader, usd, exact_in(10_000 * USD));
    let l1 = 49_900_498_406_178_080_906_672_096u128;
    assert_eq!(s.pool(pool).unwrap().reserves, [l1, 5_010_000_000_000]);
    let tpa1 = 996_017_932_259_043_532u128;
    assert_eq!(version_tokens_per_action(&e, &s, v1), Ok(tpa1));
    assert_eq!(actions(&e, &mut s, payer, "LAM-1", 2), tpa1);
    assert_eq!(s.balance(lam_id, payer), 997 * T - 2 * tpa1);

    // `otc` trades at the same oracle: $100 buys floor(10**8 * l1 / 5010000000000)
    // = 996_017_932_259_043_531_071 LAM from the market account.
    mint_usd(&e, &mut s, trader, 100 * USD);
    let q = swap(
        &e,
        &mut s,
        market(&e, "otc"),
        trader,
        usd,
        exact_in(100 * USD),
    );
    assert_eq!(q.amount_out, 996_017_932_259_043_531_071);

    // Sell 2,000,000 LAM back: out(2*10**24, l1, 5010000000000) = 192_504_799_291
    // USD; reserves (51_900_498_406_178_080_906_672_096, 4_817_495_200_709);
    // tokens per action ceil(10**5 * 51900498406178080906672096 / 4817495200709)
    // = 1_077_333_681_589_133_397.
    let q = swap(&e, &mut s, pool, trader, lam_id, exact_in(2_000_000 * T));
    assert_eq!(q.amount_out, 192_504_799_291);
    assert_eq!(
        s.pool(pool).unwrap().reserves,
        [51_900_498_406_178_080_906_672_096, 4_817_495_200_709]
    );
    let tpa2 = 1_077_333_681_589_133_397u128;
    assert_eq!(actions(&e, &mut s, payer, "LAM-1", 1), tpa2);
    assert_eq!(s.balance(lam_id, payer), 997 * T - 2 * tpa1 - tpa2);
    s.check_invariants(&e).unwrap();
}

#[test]
fn twap_oracle_averages_exactly_the_samples_taken_at_ticks() {
    let mut spec = lam_spec();
    spec.oracles[1] = Oracle::Twap {
        market: MarketId(0),
        window: 3,
    };
    let e = valid(spec);
    let pool = market(&e, "lam_usd");
    let (usd, lam_id) = (e.numeraire, asset(&e, "LAM"));
    let v1 = common::version(&e, "LAM-1");
    let mut s = State::genesis(&e);
    let trader = funded_trader(&e, &mut s, 2_000_000 * T, 20_000 * USD);
    let tpa = |s: &State| version_tokens_per_action(&e, s, v1).unwrap();

    // Before the first tick there is no sample: the spot price (1 LAM).
    assert_eq!(tpa(&s), T);
    // Spot prices sampled at ticks (python3, see the module comment):
    // p1 = pico(X0, Y0) = 100_000_000_000; buy $10k: p2 = 100_399_798_799;
    // buy $10k: p3 = 100_800_394_001; sell 2M LAM: p4 = 93_177_840_168.
    must(&e, &mut s, Event::Tick);
    assert_eq!(s.step(), 1);
    swap(&e, &mut s, pool, trader, usd, exact_in(10_000 * USD));
    // The swap moved the spot, but the average holds only p1 until the next tick.
    assert_eq!(tpa(&s), T);
    must(&e, &mut s, Event::Tick);
    // Mean of p1, p2: ceil(10**5 * 2 * 10**24 / (p1 + p2)) = 998_004_994_009_994_012.
    assert_eq!(tpa(&s), 998_004_994_009_994_012);
    swap(&e, &mut s, pool, trader, usd, exact_in(10_000 * USD));
    must(&e, &mut s, Event::Tick);
    swap(&e, &mut s, pool, trader, lam_id, exact_in(2_000_000 * T));
    assert_eq!(
        s.pool(pool).unwrap().reserves,
        [51_801_392_640_783_149_170_697_674, 4_826_741_883_986]
    );
    must(&e, &mut s, Event::Tick);
    // Window 3 after four ticks: the mean of p2..p4 (p1 has left the window):
    // ceil(10**5 * 3 * 10**24 / 294_378_032_968) = 1_019_097_780_412_885_391,
    // not the spot's ceil(10**5 * 51801392640783149170697674 / 4826741883986)
    // = 1_073_216_548_261_013_236.
    assert_eq!(
        100_399_798_799u128 + 100_800_394_001 + 93_177_840_168,
        294_378_032_968
    );
    let expected = 1_019_097_780_412_885_391u128;
    assert_eq!(tpa(&s), expected);
    let payer = acct(&e, "community");
    assert_eq!(actions(&e, &mut s, payer, "LAM-1", 1), expected);
    // SetPrice does not apply to a pool-priced token.
    reject(
        &e,
        &mut s,
        Event::SetPrice {
            token: lam_id,
            price_usd_pico: CENT,
        },
        "price_not_exogenous",
    );
}

// ---------------------------------------------------------------------------
// Liquidity

#[test]
fn first_deposit_locks_1000_shares_and_later_deposits_take_the_ratio() {
    let e = small();
    let mut s = State::genesis(&e);
    let pool = market(&e, "a_b");
    let (a, b) = (asset(&e, "A"), asset(&e, "B"));
    let (lp, trader) = (acct(&e, "lp"), acct(&e, "trader"));
    let lp_asset = AssetId::lp(pool);
    assert_eq!(s.pool(pool).unwrap().shares, 0);

    // First deposit 4,000 A + 9,000 B: sqrt(36,000,000) = 6,000 shares, of
    // which 1,000 are locked (burned) and 5,000 go to the provider.
    let l = liquidity(
        &e,
        &mut s,
        Event::AddLiquidity {
            market: pool,
            provider: lp,
            amounts: [4_000, 9_000],
            min_shares: 5_000,
        },
    );
    assert_eq!((l.amounts, l.shares), ([4_000, 9_000], 5_000));
    assert_eq!(s.pool(pool).unwrap().reserves, [4_000, 9_000]);
    assert_eq!(s.pool(pool).unwrap().shares, 6_000);
    assert_eq!(s.balance(lp_asset, lp), 5_000);
    let t = s.totals(lp_asset);
    assert_eq!((t.minted, t.burned, t.supply), (6_000, 1_000, 5_000));
    assert_eq!(t.burned_by_reason[BurnReason::Liquidity.index()], 1_000);

    // Later: desired (400, 1000). b_opt = floor(400 * 9000 / 4000) = 900 <= 1000,
    // so (400, 900) is taken; shares min(400*6000/4000, 900*6000/9000) = 600.
    let l = liquidity(
        &e,
        &mut s,
        Event::AddLiquidity {
            market: pool,
            provider: trader,
            amounts: [400, 1_000],
            min_shares: 600,
        },
    );
    assert_eq!((l.amounts, l.shares), ([400, 900], 600));
    assert_eq!(
        s.balance(b, trader),
        100_000 - 900,
        "the excess B stays with the provider"
    );
    assert_eq!(s.pool(pool).unwrap().reserves, [4_400, 9_900]);
    assert_eq!(s.pool(pool).unwrap().shares, 6_600);

    // Desired (1000, 900): b_opt = floor(1000*9900/4400) = 2250 > 900, so
    // a_opt = floor(900*4400/9900) = 400: (400, 900) again, 600 shares.
    let mut other = s.clone();
    let r = must(
        &e,
        &mut other,
        Event::AddLiquidity {
            market: pool,
            provider: trader,
            amounts: [1_000, 900],
            min_shares: 0,
        },
    );
    let Receipt::LiquidityAdded(l) = r else {
        panic!("{r:?}")
    };
    assert_eq!((l.amounts, l.shares), ([400, 900], 600));

    // Removal returns floor(s * R / T): 300 shares of 6,600 ->
    // floor(300*4400/6600) = 200 A and floor(300*9900/6600) = 450 B.
    let l = liquidity(
        &e,
        &mut s,
        Event::RemoveLiquidity {
            market: pool,
            provider: trader,
            shares: 300,
            min_amounts: [200, 450],
        },
    );
    assert_eq!((l.amounts, l.shares), ([200, 450], 300));
    assert_eq!(s.pool(pool).unwrap().reserves, [4_200, 9_450]);
    assert_eq!(s.pool(pool).unwrap().shares, 6_300);
    assert_eq!(s.balance(lp_asset, trader), 300);
    assert_eq!(s.balance(a, trader), 100_000 - 400 + 200);
    assert_eq!(s.balance(b, trader), 100_000 - 900 + 450);
    // The rest back: floor(300*4200/6300) = 200, floor(300*9450/6300) = 450,
    // never more than the 400 / 900 deposited.
    let l = liquidity(
        &e,
        &mut s,
        Event::RemoveLiquidity {
            market: pool,
            provider: trader,
            shares: 300,
            min_amounts: [0, 0],
        },
    );
    assert_eq!(l.amounts, [200, 450]);
    assert_eq!(s.balance(a, trader), 100_000);
    assert_eq!(s.balance(b, trader), 100_000);
    s.check_invariants(&e).unwrap();
}

#[test]
fn lam_usd_deposit_and_removal_in_base_units() {
    let e = lam();
    let pool = market(&e, "lam_usd");
    let (usd, lam_id) = (e.numeraire, asset(&e, "LAM"));
    let mut s = State::genesis(&e);
    // Genesis shares: math.isqrt(X0 * Y0) = 15_811_388_300_841_896_659.
    let t0 = 15_811_388_300_841_896_659u128;
    assert_eq!(s.pool(pool).unwrap().shares, t0);
    assert_eq!(
        s.balance(AssetId::lp(pool), acct(&e, "liquidity")),
        t0 - 1_000
    );

    let provider = open(&e, &mut s);
    let a = 123_456 * T + 7;
    let b = 12_345_000_999u128;
    must(
        &e,
        &mut s,
        Event::Transfer {
            asset: lam_id,
            from: acct(&e, "market"),
            to: provider,
            amount_base_units: a,
        },
    );
    mint_usd(&e, &mut s, provider, b);
    // b_opt = a * Y0 // X0 = 12_345_600_000 > b, so a_opt = b * X0 // Y0
    // = 123_450_009_990_000_000_000_000 LAM with all of b; shares
    // min(a_opt * t0 // X0, b * t0 // Y0) = 39_038_320_873_894_025.
    let l = liquidity(
        &e,
        &mut s,
        Event::AddLiquidity {
            market: pool,
            provider,
            amounts: [a, b],
            min_shares: 0,
        },
    );
    let a_opt = 123_450_009_990_000_000_000_000u128;
    let shares = 39_038_320_873_894_025u128;
    assert_eq!((l.amounts, l.shares), ([a_opt, b], shares));
    assert_eq!(s.balance(lam_id, provider), a - a_opt);
    assert_eq!(s.balance(usd, provider), 0);
    // Removing them: floor(shares * (X0 + a_opt) / (t0 + shares))
    // = 123_450_009_989_999_998_866_648 and floor(shares * (Y0 + b) / (t0 + shares))
    // = 12_345_000_998: the round trip loses a little to rounding, never gains.
    let l = liquidity(
        &e,
        &mut s,
        Event::RemoveLiquidity {
            market: pool,
            provider,
            shares,
            min_amounts: [0, 0],
        },
    );
    assert_eq!(l.amounts, [123_450_009_989_999_998_866_648, 12_345_000_998]);
    assert!(l.amounts[0] <= a_opt && l.amounts[1] <= b);
    s.check_invariants(&e).unwrap();
}

// ---------------------------------------------------------------------------
// Two tokens: MOD priced through MOD/NET x NET/USD

#[test]
fn model_token_is_priced_through_the_network_token() {
    let e = two_tokens();
    let (usd, net, md) = (e.numeraire, asset(&e, "NET"), asset(&e, "MOD"));
    let (mod_net, net_usd) = (market(&e, "mod_net"), market(&e, "net_usd"));
    let holders = acct(&e, "holders");
    let mut s = State::genesis(&e);

    // NET = 2,000,000 USD / 1,000,000 NET = $2 = 2 * 10^12 pico; MOD =
    // 1,000,000 NET / 4,000,000 MOD = 0.25 NET = $0.50 = 5 * 10^11 pico.
    // $0.05 per action = ceil(50000 * 10^12 / (5 * 10^11)) = 100,000 base
    // units = 0.1 MOD.
    assert_eq!(actions(&e, &mut s, holders, "MOD-1", 1), 100_000);

    // Buy NET with $100,000: out(10**11, 2*10**12, 10**24)
    // = 47_482_973_758_155_927_037_195 NET. NET's price rises to
    // floor(2.1e12 * 10**24 / 952_517_026_241_844_072_962_805) = 2_204_684_999_999
    // pico, and MOD's with it, through the MOD/NET pool that did not move:
    // floor(floor(2204684999999 * 10**24 / (4 * 10**12)) * 10**6 / 10**18)
    // = 551_171_249_999 pico; ceil(5 * 10**16 / 551171249999) = 90_716.
    let q = swap(&e, &mut s, net_usd, holders, usd, exact_in(100_000 * USD));
    assert_eq!(q.amount_out, 47_482_973_758_155_927_037_195);
    assert_eq!(
        s.pool(mod_net).unwrap().reserves,
        [whole(4_000_000, 6), whole(1_000_000, 18)]
    );
    assert_eq!(actions(&e, &mut s, holders, "MOD-1", 1), 90_716);

    // The buyback offers 10,000 NET for MOD on mod_net and burns it:
    // out(10**22, 10**24, 4*10**12) = 39_486_321_375 MOD base units, which
    // cost only ceil(10**24 * 10**6 * out / ((4*10**12 - out) * 997_000))
    // = 9_999_999_999_774_288_926_154 NET: the program pays that, and the
    // 225_711_073_846 left over stays in its budget.
    let supply0 = s.supply(md);
    let treasury = acct(&e, "treasury");
    let b = buyback(&e, &mut s, "mod_buyback", whole(10_000, 18));
    let spent = 9_999_999_999_774_288_926_154;
    assert_eq!(
        (b.spent, b.bought, b.unspent),
        (spent, 39_486_321_375, whole(10_000, 18) - spent)
    );
    assert!(b.burned);
    assert_eq!(
        s.pool(mod_net).unwrap().reserves,
        [
            4_000_000_000_000 - 39_486_321_375,
            whole(1_000_000, 18) + spent
        ]
    );
    assert_eq!(supply0 - s.supply(md), 39_486_321_375);
    assert_eq!(
        s.totals(md).burned_by_reason[BurnReason::Buyback.index()],
        39_486_321_375
    );
    assert_eq!(s.balance(net, treasury), whole(100_000, 18) - spent);
    assert_eq!(
        s.supply(net),
        whole(3_100_000, 18),
        "NET only changed hands"
    );
    // MOD is dearer again: floor(floor(2204684999999 * (10**24 + spent) // 3960513678625)
    // * 10**6 // 10**18) = 562_233_091_635 pico -> ceil(5e16 / that) = 88_932.
    assert_eq!(actions(&e, &mut s, holders, "MOD-1", 1), 88_932);
    s.check_invariants(&e).unwrap();
}

// ---------------------------------------------------------------------------
// Buyback programs

/// LAM (exogenous $0.10) with extra programs: `two_venues` (lam_usd 60%,
/// otc 40%, burned), `impact` (lam_usd only, at most 1% price impact per
/// execution, burned), `daily` (otc, at most $500 per step, to fuel) and
/// `otc_capped` (otc capped at $100 per step, to fuel).
fn lam_with_programs() -> ValidEconomy {
    let mut spec = lam_spec();
    let (lam_usd, otc) = (MarketId(0), MarketId(1));
    let budget = acct(&spec, "buyback_budget");
    let fuel = acct(&spec, "fuel");
    let program = |name: &str, venues: Vec<Venue>, destination| BuybackProgram {
        name: name.into(),
        budget,
        pay: AssetId(0),
        token: AssetId(1),
        venues,
        max_impact: None,
        max_spend_per_step: None,
        destination,
        stake_burn: None,
    };
    let venue = |market, weight: u32, cap_per_step| Venue {
        market,
        weight: Ppm(weight),
        cap_per_step,
    };
    spec.buybacks.push(program(
        "two_venues",
        vec![venue(lam_usd, 600_000, None), venue(otc, 400_000, None)],
        Destination::Burn,
    ));
    let mut impact = program(
        "impact",
        vec![venue(lam_usd, 1_000_000, None)],
        Destination::Burn,
    );
    impact.max_impact = Some(Ppm(10_000));
    spec.buybacks.push(impact);
    let mut daily = program(
        "daily",
        vec![venue(otc, 1_000_000, None)],
        Destination::Account(fuel),
    );
    daily.max_spend_per_step = Some(500 * USD);
    spec.buybacks.push(daily);
    spec.buybacks.push(program(
        "otc_capped",
        vec![
            venue(lam_usd, 500_000, None),
            venue(otc, 500_000, Some(100 * USD)),
        ],
        Destination::Account(fuel),
    ));
    valid(spec)
}

/// State of [`lam_with_programs`] at $0.10 with `usd` in the budget.
fn funded_budget(e: &ValidEconomy, usd: u128) -> State {
    let mut s = State::genesis(e);
    set_price(e, &mut s, AssetId(1), 10 * CENT);
    mint_usd(e, &mut s, acct(e, "buyback_budget"), usd);
    s
}

#[test]
fn buyback_across_two_venues_by_weight_with_dust_to_the_first() {
    let e = lam_with_programs();
    let lam_id = asset(&e, "LAM");
    let pool = market(&e, "lam_usd");
    let want = 1_000_000_001u128; // $1,000.000001
    let mut s = funded_budget(&e, want);
    let supply0 = s.supply(lam_id);
    let market0 = s.balance(lam_id, acct(&e, "market"));
    let b = buyback(&e, &mut s, "two_venues", want);
    // floor(want * 60%) = 600,000,000, floor(want * 40%) = 400,000,000, and
    // the 1 micro-dollar of dust to the first venue.
    // Pool: out(600000001, Y0, X0) = 5_981_284_409_102_102_356_362.
    // otc at $0.10: 4 * 10**8 * 10**24 // 10**11 = 4,000 LAM.
    let pool_bought = 5_981_284_409_102_102_356_362u128;
    assert_eq!(b.fills().len(), 2);
    assert_eq!(
        (b.fills()[0].market, b.fills()[0].spent, b.fills()[0].bought),
        (pool, 600_000_001, pool_bought)
    );
    assert_eq!(
        (b.fills()[1].spent, b.fills()[1].bought),
        (400_000_000, 4_000 * T)
    );
    assert_eq!(b.fills()[0].limited_by, None);
    assert_eq!((b.spent, b.unspent), (want, 0));
    assert_eq!(b.bought, pool_bought + 4_000 * T);
    assert!(b.burned);
    assert_eq!(supply0 - s.supply(lam_id), pool_bought + 4_000 * T);
    assert_eq!(
        s.totals(lam_id).burned_by_reason[BurnReason::Buyback.index()],
        b.bought
    );
    assert_eq!(
        s.pool(pool).unwrap().reserves,
        [X0 - pool_bought, Y0 + 600_000_001]
    );
    assert_eq!(market0 - s.balance(lam_id, acct(&e, "market")), 4_000 * T);
    // The otc part left the economy; the pool part is in the pool.
    assert_eq!(
        s.totals(AssetId(0)).burned_by_reason[BurnReason::ExternalOutflow.index()],
        400_000_000
    );
    assert_eq!(s.balance(AssetId(0), acct(&e, "buyback_budget")), 0);
    s.check_invariants(&e).unwrap();
}

#[test]
fn buyback_max_impact_bounds_the_price_move_and_keeps_the_rest() {
    let e = lam_with_programs();
    let pool = market(&e, "lam_usd");
    let budget = acct(&e, "buyback_budget");
    let mut s = funded_budget(&e, 100_000 * USD);
    let b = buyback(&e, &mut s, "impact", 100_000 * USD);
    // The largest x with (Y0 + x) * X0 * 10**6 <= Y0 * (X0 - out(x, Y0, X0)) * 1_010_000,
    // by binary search over exact integers in python: x = 24_975_273_610
    // (x + 1 fails); out(x, Y0, X0) = 247_769_568_207_711_103_063_099.
    let x = 24_975_273_610u128;
    let bought = 247_769_568_207_711_103_063_099u128;
    assert_eq!((b.spent, b.bought), (x, bought));
    assert_eq!(b.unspent, 100_000 * USD - x);
    assert_eq!(b.fills()[0].limited_by, Some(Limit::PriceImpact));
    // The unspent budget stays in the budget, and the program counts what it did.
    assert_eq!(s.balance(AssetId(0), budget), 100_000 * USD - x);
    let counters = s.program(common::program(&e, "impact")).unwrap();
    assert_eq!((counters.spent_total, counters.bought_total), (x, bought));
    // The price moved by at most 1%: (U1 / L1) <= 1.01 * (Y0 / X0), i.e.
    // 100 * U1 * X0 <= 101 * Y0 * L1, compared exactly in 256 bits.
    let [l1, u1] = s.pool(pool).unwrap().reserves;
    assert_eq!([l1, u1], [X0 - bought, Y0 + x]);
    assert!(wide_mul(100 * u1, X0) <= wide_mul(101 * Y0, l1));
    s.check_invariants(&e).unwrap();
}

#[test]
fn buyback_spend_per_step_and_venue_caps_reset_at_tick() {
    let e = lam_with_programs();
    let lam_id = asset(&e, "LAM");
    let budget = acct(&e, "buyback_budget");
    let fuel = acct(&e, "fuel");

    // `daily`: at most $500 per step, at otc ($0.10: 10 LAM per dollar).
    let mut s = funded_budget(&e, 800 * USD);
    let b = buyback(&e, &mut s, "daily", 800 * USD);
    assert_eq!(
        (b.spent, b.bought, b.unspent),
        (500 * USD, 5_000 * T, 300 * USD)
    );
    let b = buyback(&e, &mut s, "daily", 800 * USD);
    assert_eq!(
        (b.spent, b.bought, b.unspent),
        (0, 0, 800 * USD),
        "the step's limit is used"
    );
    assert_eq!(s.balance(AssetId(0), budget), 300 * USD);
    must(&e, &mut s, Event::Tick);
    let b = buyback(&e, &mut s, "daily", 800 * USD);
    assert_eq!(
        (b.spent, b.bought, b.unspent),
        (300 * USD, 3_000 * T, 500 * USD)
    );
    assert_eq!(s.balance(lam_id, fuel), 8_000 * T);
    assert_eq!(s.balance(AssetId(0), budget), 0);
    let counters = s.program(common::program(&e, "daily")).unwrap();
    assert_eq!(counters.spent_this_step, 300 * USD);
    assert_eq!(counters.spent_total, 800 * USD);

    // `otc_capped`: 50/50 between the pool and otc, otc capped at $100 per step.
    let mut s = funded_budget(&e, 1_000 * USD);
    let b = buyback(&e, &mut s, "otc_capped", 400 * USD);
    // Pool: out(2*10**8, Y0, X0) = 1_993_920_482_451_159_847_745; otc: $100 -> 1,000 LAM.
    assert_eq!(b.fills()[0].spent, 200 * USD);
    assert_eq!(b.fills()[0].bought, 1_993_920_482_451_159_847_745);
    assert_eq!(
        (b.fills()[1].spent, b.fills()[1].bought),
        (100 * USD, 1_000 * T)
    );
    assert_eq!(b.fills()[1].limited_by, Some(Limit::VenueCap));
    assert_eq!((b.spent, b.unspent), (300 * USD, 100 * USD));
    // The cap is used up for this step: otc fills nothing.
    let b = buyback(&e, &mut s, "otc_capped", 100 * USD);
    assert_eq!(b.fills()[1].spent, 0);
    assert_eq!(b.fills()[1].limited_by, Some(Limit::VenueCap));
    assert_eq!((b.spent, b.unspent), (50 * USD, 50 * USD));
    must(&e, &mut s, Event::Tick);
    let b = buyback(&e, &mut s, "otc_capped", 100 * USD);
    assert_eq!(
        (b.fills()[1].spent, b.fills()[1].bought),
        (50 * USD, 500 * T)
    );
    assert_eq!(b.fills()[1].limited_by, None);
    assert_eq!(b.spent, 100 * USD);
    assert_eq!(s.balance(AssetId(0), budget), 550 * USD);
    s.check_invariants(&e).unwrap();
}

// ---------------------------------------------------------------------------
// External markets

#[test]
fn external_market_trades_at_the_oracle_price_across_the_boundary() {
    let e = lam();
    let (usd, lam_id) = (e.numeraire, asset(&e, "LAM"));
    let otc = market(&e, "otc");
    let market_acct = acct(&e, "market");
    let mut s = State::genesis(&e);
    set_price(&e, &mut s, lam_id, 10 * CENT);
    let trader = open(&e, &mut s);
    mint_usd(&e, &mut s, trader, 100 * USD);
    let market0 = s.balance(lam_id, market_acct);

    // Buy: $100 at $0.10 = 1,000 LAM from the market account; the $100
    // leaves the economy.
    let q = swap(&e, &mut s, otc, trader, usd, exact_in(100 * USD));
    assert_eq!((q.amount_in, q.amount_out), (100 * USD, 1_000 * T));
    assert!(!q.is_pool);
    assert_eq!(s.balance(lam_id, trader), 1_000 * T);
    assert_eq!(market0 - s.balance(lam_id, market_acct), 1_000 * T);
    assert_eq!(s.balance(usd, trader), 0);
    let u = s.totals(usd);
    assert_eq!(
        u.burned_by_reason[BurnReason::ExternalOutflow.index()],
        100 * USD
    );
    assert_eq!(
        u.minted_by_reason[MintReason::ExternalInflow.index()],
        100 * USD
    );

    // Sell: 500 LAM at $0.10 = $50, entering from outside.
    let q = swap(&e, &mut s, otc, trader, lam_id, exact_in(500 * T));
    assert_eq!(q.amount_out, 50 * USD);
    assert_eq!(s.balance(usd, trader), 50 * USD);
    assert_eq!(market0 - s.balance(lam_id, market_acct), 500 * T);
    assert_eq!(
        s.totals(usd).minted_by_reason[MintReason::ExternalInflow.index()],
        150 * USD
    );
    // Exact-out sell: exactly $10 costs 10 * 10**6 * 10**24 / 10**11 = 100 LAM.
    let q = swap(
        &e,
        &mut s,
        otc,
        trader,
        lam_id,
        Order::ExactOut {
            amount_out: 10 * USD,
            max_in: 100 * T,
        },
    );
    assert_eq!(q.amount_in, 100 * T);

    // At $0.03 one LAM costs exactly 3 cents (value rounded up for the
    // buyer: ceil(10**18 * 3*10**10 / 10**24) = 30,000 micro-dollars), and
    // selling a base unit is worth floor(3*10**10 / 10**24) = 0: refused.
    set_price(&e, &mut s, lam_id, 3 * CENT);
    let q = swap(
        &e,
        &mut s,
        otc,
        trader,
        usd,
        Order::ExactOut {
            amount_out: T,
            max_in: 30_000,
        },
    );
    assert_eq!(q.amount_in, 30_000);
    reject(
        &e,
        &mut s,
        Event::Swap {
            market: otc,
            trader,
            sell: lam_id,
            order: exact_in(1),
        },
        "slippage_exceeded",
    );
    s.check_invariants(&e).unwrap();
}

// ---------------------------------------------------------------------------
// Launched tokens

#[test]
fn launched_tokens_live_in_their_own_range_with_their_own_cap() {
    let e = lam();
    let mut s = State::genesis(&e);
    let holder = open(&e, &mut s);
    let launch = |s: &mut State, decimals, max_supply| match must(
        &e,
        s,
        Event::LaunchToken {
            decimals,
            max_supply,
        },
    ) {
        Receipt::TokenLaunched(a) => a,
        r => panic!("{r:?}"),
    };
    let first = launch(&mut s, 6, Some(whole(1_000, 6)));
    let second = launch(&mut s, 18, None);
    assert_eq!(first, AssetId(1 << 31));
    assert_eq!(second, AssetId((1 << 31) + 1));
    assert_eq!(s.launched_tokens().len(), 2);
    assert_eq!(s.supply(first), 0);

    let mint = |asset, amount| Event::Mint {
        asset,
        to: holder,
        amount_base_units: amount,
        reason: MintReason::Grant,
    };
    must(&e, &mut s, mint(first, whole(999, 6)));
    must(&e, &mut s, mint(first, whole(1, 6)));
    assert_eq!(s.supply(first), whole(1_000, 6));
    let r = reject(&e, &mut s, mint(first, 1), "max_supply_exceeded");
    assert_eq!(
        r,
        furnace_core::Rejection::MaxSupplyExceeded {
            asset: first,
            max_supply: whole(1_000, 6),
            supply_after: whole(1_000, 6) + 1,
        }
    );
    must(&e, &mut s, mint(second, whole(5, 30)));
    // Its price is exogenous.
    set_price(&e, &mut s, first, 2 * 10u128.pow(12));
    assert_eq!(s.exogenous_price_pico(first), 2 * 10u128.pow(12));
    reject(
        &e,
        &mut s,
        Event::LaunchToken {
            decimals: 19,
            max_supply: None,
        },
        "invalid_decimals",
    );
    reject(
        &e,
        &mut s,
        Event::LaunchToken {
            decimals: 6,
            max_supply: Some(0),
        },
        "zero_amount",
    );
    reject(&e, &mut s, mint(AssetId((1 << 31) + 2), 1), "unknown_asset");
    assert_eq!(s.balance(first, holder), whole(1_000, 6));
    s.check_invariants(&e).unwrap();
}

/// A TWAP of a token priced through another TWAP token samples the
/// *instantaneous* chain: its sample depends on the pools' reserves only,
/// never on the other token's ring (which the same tick updates), so the
/// result does not depend on the order the tokens are declared in.
#[test]
fn a_chained_twap_samples_the_spot_chain() {
    let mut spec = two_tokens_spec();
    spec.oracles[1] = Oracle::Twap {
        market: MarketId(1),
        window: 4,
    };
    spec.oracles[2] = Oracle::Twap {
        market: MarketId(0),
        window: 4,
    };
    let e = valid(spec);
    let (net, net_usd) = (asset(&e, "NET"), market(&e, "net_usd"));
    let v = common::version(&e, "MOD-1");
    let mut s = State::genesis(&e);
    // Tick 1: NET $2 (2e12 pico), MOD 0.25 NET = $0.50 (5e11 pico).
    must(&e, &mut s, Event::Tick);
    // Holders sell 100,000 NET into net_usd: out = floor(1e23 * 997000 *
    // 2e12 / (1e24 * 1e6 + 1e23 * 997000)) = 181,322,178,776 micro-USD.
    swap(
        &e,
        &mut s,
        net_usd,
        acct(&e, "holders"),
        net,
        exact_in(100_000 * T),
    );
    // Tick 2: NET spot floor(1,818,677,821,224 * 1e24 / 1.1e24) =
    // 1,653,343,473,840 pico; MOD through the spot chain:
    // floor(floor(p * 1e24 / 4e12) * 1e6 / 1e18) = 413,335,868,460 pico.
    must(&e, &mut s, Event::Tick);
    // MOD's TWAP is (5e11 + 413,335,868,460) / 2: tokens per $0.05 action
    // = ceil(50,000 * 2 * 1e12 / (5e11 + 413,335,868,460)) = 109,489 base
    // units. (Had the sample read NET's own TWAP, the mean of $2 and the
    // new spot, it would be 104,530.)
    assert_eq!(version_tokens_per_action(&e, &s, v), Ok(109_489));
}
