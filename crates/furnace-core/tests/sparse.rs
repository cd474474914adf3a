//! Holdings are sparse: 1,000 launched tokens and 1,000,000 opened accounts,
//! each holding one token, cost memory in proportion to the 1,000,000
//! balances, not to 10^9 (token, account) pairs.
//!
//! Memory is measured with a counting global allocator (this test binary's
//! own): the bytes the state holds after the run, per account, must be a
//! small constant, far below the 16,000 bytes per account a dense
//! 1,000-token table of `u128` would take. No timing is asserted.
//!
//! Scale: in debug builds `apply` runs the full invariant check after every
//! event (O(assets x accounts)), which makes a million accounts quadratic;
//! debug builds run 200 accounts (same shape, same 1,000 tokens), release
//! builds the full million: `cargo test -p furnace-core --release --test sparse`.

mod common;

use common::*;
use furnace_core::event::MintReason;
use furnace_core::{AccountId, AssetId, Event, Receipt, State};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const TOKENS: usize = 1_000;
const ACCOUNTS: usize = if cfg!(debug_assertions) {
    200
} else {
    1_000_000
};

/// The token account `i` holds: spread over all 1,000, not in id order.
fn token_of(i: usize) -> usize {
    (i * 7_919) % TOKENS
}

#[test]
fn a_million_accounts_holding_one_token_each_are_sparse() {
    let e = lam();
    // Measured from here: the state, not the test's own allocations.
    let mut s = State::genesis(&e);
    let baseline = LIVE.load(Ordering::Relaxed);

    let mut tokens = Vec::with_capacity(TOKENS);
    for _ in 0..TOKENS {
        match must(
            &e,
            &mut s,
            Event::LaunchToken {
                decimals: 6,
                max_supply: None,
            },
        ) {
            Receipt::TokenLaunched(a) => tokens.push(a),
            r => panic!("{r:?}"),
        }
    }
    let after_tokens = LIVE.load(Ordering::Relaxed);
    for i in 0..ACCOUNTS {
        let a = open(&e, &mut s);
        assert_eq!(a, AccountId::opened(i).unwrap());
        must(
            &e,
            &mut s,
            Event::Mint {
                asset: tokens[token_of(i)],
                to: a,
                amount_base_units: (i as u128 % 997) + 1,
                reason: MintReason::Grant,
            },
        );
    }
    let after_accounts = LIVE.load(Ordering::Relaxed);
    // `tokens` (the test's own list of ids) is counted in the first part.
    let per_token = (after_tokens - baseline) as usize / TOKENS;
    let per_account = (after_accounts - after_tokens) as usize / ACCOUNTS;
    drop(tokens);

    // Every balance, by the public iterators: exactly one per opened account.
    let mut entries = 0usize;
    let mut opened = 0usize;
    let mut last: Option<(AccountId, AssetId)> = None;
    for a in s.accounts() {
        for (asset, balance) in s.holdings_of(a) {
            assert!(balance > 0);
            // Deterministic order: by account, then by asset.
            if let Some(prev) = last {
                assert!(prev < (a, asset), "{prev:?} then {:?}", (a, asset));
            }
            last = Some((a, asset));
            entries += 1;
        }
        if let Err(i) = a.slot() {
            opened += 1;
            let holdings: Vec<_> = s.holdings_of(a).collect();
            assert_eq!(
                holdings,
                [(
                    AssetId::launched(token_of(i)).unwrap(),
                    (i as u128 % 997) + 1
                )]
            );
        }
    }
    assert_eq!(opened, ACCOUNTS);
    // Named accounts: market and community hold LAM, liquidity the LP shares.
    assert_eq!(entries, ACCOUNTS + 3);
    assert_eq!(s.launched_tokens().len(), TOKENS);
    // Each token is held by ACCOUNTS / TOKENS accounts (or one more).
    let supply: u128 = (0..TOKENS)
        .map(|t| s.supply(AssetId::launched(t).unwrap()))
        .sum();
    let expected: u128 = (0..ACCOUNTS as u128).map(|i| (i % 997) + 1).sum();
    assert_eq!(supply, expected);
    s.check_invariants(&e).unwrap();

    // Memory: a small constant per account (a `Vec` header per account plus
    // its one entry) and per token (its supply counters), nothing per
    // (token, account) pair: a dense table would be >= 16 bytes x 1,000
    // tokens = 16,000 bytes per account.
    eprintln!(
        "{ACCOUNTS} accounts x {TOKENS} tokens: {per_account} bytes per account, {per_token} per token"
    );
    assert!(per_account < 400, "{per_account} bytes per account");
    assert!(per_token < 1_000, "{per_token} bytes per token");

    // A second account gets two more tokens, out of order: its holdings
    // stay sorted by asset id.
    let a = AccountId::opened(0).unwrap();
    for t in [999, 3] {
        must(
            &e,
            &mut s,
            Event::Mint {
                asset: AssetId::launched(t).unwrap(),
                to: a,
                amount_base_units: 1,
                reason: MintReason::Grant,
            },
        );
    }
    let assets: Vec<AssetId> = s.holdings_of(a).map(|(x, _)| x).collect();
    assert_eq!(assets, [0, 3, 999].map(|t| AssetId::launched(t).unwrap()));
}
