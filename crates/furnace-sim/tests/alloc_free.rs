//! The day loop allocates nothing: a run of 300 days makes exactly as many
//! heap allocations as a run of 30 (setup and the preallocated rows only).
//! Its own test binary, because it installs a counting global allocator.

use furnace_config::load_scenario;
use furnace_sim::simulate;
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `simulate` (setup included) for a bundled scenario.
fn allocations_for(scenario: &str, days: &str, settings: &[(&str, &str)]) -> u64 {
    // A bundled scenario, or a test's (`tests/data/...`).
    let path = match scenario.strip_prefix("tests/") {
        Some(_) => Path::new(env!("CARGO_MANIFEST_DIR")).join(scenario),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios")
            .join(scenario),
    };
    let mut overrides: Vec<(String, String)> = vec![("days".into(), days.into())];
    overrides.extend(settings.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let scenario = load_scenario(&path, &overrides).unwrap_or_else(|e| panic!("{e}"));
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let result = simulate(&scenario).unwrap();
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert!(result.invariants.is_ok());
    after - before
}

fn assert_flat(scenario: &str, settings: &[(&str, &str)]) {
    let short = allocations_for(scenario, "30", settings);
    let long = allocations_for(scenario, "300", settings);
    assert_eq!(
        short, long,
        "{scenario}: allocations grow with the number of days"
    );
}

/// One test, run in sequence: the counter is global, so concurrent tests
/// would count each other's allocations. Subscriptions are on: the
/// simulator reserves their registry (one record per subscription) at
/// setup, in one allocation whatever the number of days.
#[test]
fn the_day_loop_does_not_allocate() {
    day_loop();
    market_loop();
    sales_loop();
    launch_loop();
    rewards_loop();
    training_loop();
}

/// Training points (`[training]`): every trainer earns each day (bounties,
/// referral commissions, qualifications), the vesting pays the points pool.
fn training_loop() {
    assert_flat("lam-earning.toml", &[("training.trainers", "40")]);
}

fn day_loop() {
    // GBM price and demand noise exercise every driver; the external market.
    assert_flat(
        "lam-baseline.toml",
        &[
            ("price.model", "gbm"),
            ("price.annual_volatility", "80%"),
            ("demand.noise", "20%"),
            ("subscriptions.usd_agents", "20"),
            ("subscriptions.token_agents", "10"),
        ],
    );
}

fn market_loop() {
    // The pool prices LAM; users buy from it, recipients sell into it, the
    // buyback program runs over two venues with its impact guard.
    assert_flat("lam-market.toml", &[]);
    // The same with a time-weighted oracle (a ring buffer sampled by Tick).
    assert_flat(
        "lam-market.toml",
        &[(
            "economy.tokens.LAM.oracle",
            "{ twap = \"lam_usd\", window = 7 }",
        )],
    );
}

fn sales_loop() {
    // Mint on purchase, the revenue rule with a pay-out part, redemption,
    // buyback-and-burn at an external market.
    assert_flat("ast-report.toml", &[("sales.growth", "[\"0%\"]")]);
}

fn launch_loop() {
    // Three launches (steps 2, 12, 22: within both horizons), log-normal
    // purchases on their curves, graduation, then trading on each pool every
    // step: the launches' tables are reserved at setup, and what a launch
    // allocates (a buyer's commitment, a new token's holding entries) is
    // bounded by launches and buyers, so 300 days allocate as 30 do.
    assert_flat("tests/data/launches-scheduled.toml", &[]);
    // One AImagine agent token, its window cut to 5 days and purchases
    // averaging 600 AIMG so it graduates (24,697.7 AIMG raised) within both
    // horizons; its buyers buy AIMG on the aimg_usd pool with USD from
    // outside, stake, fund the stake pool and trade every step.
    assert_flat(
        "tests/data/aimagine-launches.toml",
        &[
            ("launches[0].count", "1"),
            ("launches[0].buy_mean", "600"),
            ("economy.launches.agent.window_days", "5"),
        ],
    );
}

/// `[rewards]` on: stakers (locks ending, withdrawals, claims restaked and
/// sold), voters, LP miners, contributors, weekly stake-cap rebalances,
/// daily revenue and its 1 - S buyback (AImagine).
fn rewards_loop() {
    // Its agent-token launches are left out (scheduled past both
    // horizons): what a launch allocates grows with launches, which
    // `launch_loop` bounds on its own.
    assert_flat(
        "aimagine-baseline.toml",
        &[("launches[0].first_day", "1000")],
    );
}
