//! LAM with a live market (`scenarios/lam-market.toml`): the lam_usd pool
//! prices LAM, users buy from it, creators sell into it, and tokens per
//! action follow the pool at every event. Expected values are computed
//! independently with Python integer arithmetic (the expressions are in
//! the comments), from the Uniswap v2 formulas in
//! ../shared/reference/mechanisms.md.

use furnace_config::load_scenario;
use furnace_sim::{simulate, SimResult};
use std::path::Path;

fn run(settings: &[(&str, &str)]) -> SimResult {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/lam-market.toml");
    let overrides: Vec<(String, String)> = settings
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let scenario = load_scenario(&path, &overrides).unwrap_or_else(|e| panic!("{e}"));
    simulate(&scenario).unwrap_or_else(|e| panic!("{e}"))
}

fn at(r: &SimResult, name: &str, step: usize) -> u128 {
    let c = r
        .ledger
        .column(name)
        .unwrap_or_else(|| panic!("no column {name}"));
    r.ledger.value(step, c)
}

#[test]
fn day_one_follows_the_pool_exactly() {
    // One day, no emissions, no subscriptions: 1,000,000 actions bought
    // from the 50M LAM / 5M USD pool, then run at the moved price.
    let r = run(&[
        ("days", "1"),
        ("emissions.model", "none"),
        ("subscriptions.usd_agents", "0"),
        ("subscriptions.token_agents", "0"),
    ]);
    let row = r.rows[0];
    // $0.10 = 5e12 micro-USD / 5e25 LAM base units: 1 LAM per $0.10 action.
    assert_eq!(row.price_usd_pico, 100_000_000_000);
    assert_eq!(row.tokens_per_action, 1_000_000_000_000_000_000);
    // Exact-out 10^24: X = ceil(5e12 * 1e24 * 1e6 / ((5e25 - 1e24) * 997000)).
    assert_eq!(row.usd_market_buys, 102_347_859_907);
    // After the buy: tau = ceil(1e5 * 4.9e25 / (5e12 + X)).
    let tau: u128 = 960_342_206_085_751_242;
    assert_eq!(row.tokens_consumed, 1_000_000 * tau);
    // Two batches of 500,000 (with and without the marketplace workflow):
    // each burns floor(500,000 tau * 34%); the creator gets 33% of one.
    assert_eq!(row.burned, 326_516_350_069_155_422_280_000);
    assert_eq!(row.creator, 158_456_464_004_148_954_930_000);
    // The creator sells half into the pool: 79,228,232,002,074,477,465,000
    // LAM in, floor(a * 997000 * R_usd / (R_lam * 1e6 + a * 997000)) out.
    assert_eq!(row.sold_back, 79_228_232_002_074_477_465_000);
    assert_eq!(
        at(&r, "lam_usd_reserve_LAM", 0),
        49_079_228_232_002_074_477_465_000
    );
    assert_eq!(at(&r, "lam_usd_reserve_USD", 0), 5_094_135_848_097);
    // The users keep what the price rise saved them: 10^24 - consumed.
    let api_users = r
        .info
        .accounts
        .iter()
        .find(|(_, n)| n == "api_users")
        .unwrap()
        .0;
    assert_eq!(
        r.state.balance(r.info.token, api_users),
        39_657_793_914_248_758_000_000
    );
    assert!(r.invariants.is_ok());
}

#[test]
fn a_year_of_price_feedback_keeps_the_ledger_exact() {
    let r = run(&[]);
    assert!(r.invariants.is_ok(), "{:?}", r.invariants);
    // Each day's tokens per action is the oracle at the start of the day:
    // ceil($0.10 * R_LAM / R_USD) of the previous day's closing reserves.
    for t in 1..r.rows.len() {
        let lam = at(&r, "lam_usd_reserve_LAM", t - 1);
        let usd = at(&r, "lam_usd_reserve_USD", t - 1);
        let tau = (100_000 * lam).div_ceil(usd);
        assert_eq!(r.rows[t].tokens_per_action, tau, "day {}", t + 1);
    }
    // Usage buys LAM out of the pool: its price rises over the year.
    let first = r.rows[0].price_usd_pico;
    let last = r.rows.last().unwrap().price_usd_pico;
    assert!(last > first, "{first} -> {last}");
    // Conservation across the pool: LAM supply = balances + reserve.
    let supply = r.state.supply(r.info.token);
    let held: u128 = r
        .info
        .accounts
        .iter()
        .map(|(a, _)| r.state.balance(r.info.token, *a))
        .sum();
    let reserve = at(&r, "lam_usd_reserve_LAM", r.rows.len() - 1);
    assert_eq!(supply, held + reserve);
}

#[test]
fn the_impact_guard_caps_the_pool_venue_and_the_rest_carries_over() {
    // Day 1 with only the 20 USD agents: $16,000 to the buyback budget,
    // $533.333333 spent today (a 30-day spread), half at each venue. The
    // pool half may move LAM's price up by at most 0.01%; no other trade
    // touches the pool (no demand, no sellers, no token agents).
    let r = run(&[
        ("days", "1"),
        ("economy.buybacks.subscription_revenue.max_impact", "0.01%"),
        ("demand.actions_per_day", "0"),
        ("emissions.model", "none"),
        ("holders.creators", "0%"),
        ("holders.emissions", "0%"),
        ("subscriptions.token_agents", "0"),
    ]);
    let row = r.rows[0];
    let (lam0, usd0) = (
        50_000_000u128 * 10u128.pow(18),
        5_000_000u128 * 10u128.pow(6),
    );
    let (lam1, usd1) = (
        at(&r, "lam_usd_reserve_LAM", 0),
        at(&r, "lam_usd_reserve_USD", 0),
    );
    // price_after / price_before = (usd1 / lam1) / (usd0 / lam0) <= 1.0001.
    // Exactly, in 256 bits: usd1 * 10,000 * lam0 <= usd0 * 10,001 * lam1.
    assert_ne!(
        furnace_core::pool_math::cmp_products(usd1 * 10_000, lam0, usd0 * 10_001, lam1),
        std::cmp::Ordering::Greater,
        "{usd1} {lam1}"
    );
    assert!(usd1 > usd0, "the pool venue bought something");
    // The day's spend: floor(16,000,000,000 / 30) = 533,333,333 micro-USD;
    // what the guard left unspent stays in the budget.
    assert_eq!(row.buyback_usd + row.buyback_unspent, 533_333_333);
    assert!(row.buyback_unspent > 0);
    assert_eq!(
        at(&r, "buyback_budget_USD", 0),
        16_000_000_000 - row.buyback_usd
    );
    assert!(r
        .warnings()
        .iter()
        .any(|w| w.starts_with("buybacks: on 1 days the spend was cut short")));
}
