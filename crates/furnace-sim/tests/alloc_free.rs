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

fn allocations_for(days: &str) -> u64 {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/lam-baseline.toml");
    // GBM price and demand noise exercise every driver; no subscriptions,
    // whose registry lives in the engine's state and grows with time.
    let overrides: Vec<(String, String)> = [
        ("days", days),
        ("price.model", "gbm"),
        ("price.annual_volatility", "0.8"),
        ("demand.noise", "0.2"),
        ("subscriptions.usd_agents", "0"),
        ("subscriptions.token_agents", "0"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let scenario = load_scenario(&path, &overrides).unwrap_or_else(|e| panic!("{e}"));
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let result = simulate(&scenario).unwrap();
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert!(result.invariants.is_ok());
    after - before
}

#[test]
fn the_day_loop_does_not_allocate() {
    let short = allocations_for("30");
    let long = allocations_for("300");
    assert_eq!(short, long, "allocations grow with the number of days");
}
