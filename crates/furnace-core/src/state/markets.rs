//! The state of markets: pool reserves and LP share counts, for pools the
//! economy declares (`State::pools`, by market id) and pools created at run
//! time (`State::runtime_pools`, ids from `MarketId::RUNTIME_BASE`), and
//! time-weighted oracles' samples.
//!
//! A run-time pool carries what a declared one reads from the economy file
//! (its two assets and fee) and its own LP asset's supply counters, so the
//! engine treats both kinds alike through [`State::pool`] and
//! `engine::market`'s lookup of a market's assets.

use super::{AssetTotals, State};
use crate::ids::{AssetId, MarketId, MarketSlot};
use crate::units::{BaseUnits, Ppm};

/// One pool's reserves and LP share count.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolState {
    /// Reserves in the pool's asset order.
    pub reserves: [BaseUnits; 2],
    /// LP shares outstanding, including the `MINIMUM_LIQUIDITY` locked at
    /// the first deposit (which the LP asset's supply does not count: they
    /// are burned, as Uniswap v2 sends them to address zero).
    pub shares: BaseUnits,
}

/// A constant-product pool created by an event (a graduated launch, a
/// `CreatePool`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimePool {
    /// The pool's two assets, in reserve order.
    pub assets: [AssetId; 2],
    /// Charged on the input, stays in the pool.
    pub fee: Ppm,
    pub pool: PoolState,
    /// Supply counters of the pool's LP asset (`AssetId::lp(id)`).
    pub(crate) lp_totals: AssetTotals,
}

/// A time-weighted average's samples: a ring of the last `window` spot
/// prices (pico-numeraire per whole token) and their running sum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Twap {
    pub(crate) samples: Vec<u128>,
    pub(crate) next: usize,
    pub(crate) count: usize,
    pub(crate) sum: u128,
}

impl State {
    /// A pool's reserves and shares, declared or created at run time (None
    /// for external markets and unknown ids).
    #[inline]
    pub fn pool(&self, market: MarketId) -> Option<&PoolState> {
        match market.slot() {
            MarketSlot::Declared(i) => self.pools.get(i).and_then(Option::as_ref),
            MarketSlot::Runtime(i) => self.runtime_pools.get(i).map(|r| &r.pool),
        }
    }

    #[inline]
    pub(crate) fn pool_mut(&mut self, market: MarketId) -> Option<&mut PoolState> {
        match market.slot() {
            MarketSlot::Declared(i) => self.pools.get_mut(i).and_then(Option::as_mut),
            MarketSlot::Runtime(i) => self.runtime_pools.get_mut(i).map(|r| &mut r.pool),
        }
    }

    /// A pool created at run time (None for declared markets).
    pub fn runtime_pool(&self, market: MarketId) -> Option<&RuntimePool> {
        match market.slot() {
            MarketSlot::Runtime(i) => self.runtime_pools.get(i),
            MarketSlot::Declared(_) => None,
        }
    }

    /// Every pool created at run time, in creation order (the `i`-th is
    /// `MarketId::runtime(i)`).
    pub fn runtime_pools(&self) -> &[RuntimePool] {
        &self.runtime_pools
    }

    /// The id the next run-time pool will take (None when the range is
    /// exhausted).
    pub(crate) fn next_runtime_pool(&self) -> Option<MarketId> {
        MarketId::runtime(self.runtime_pools.len())
    }

    /// Create an empty pool; liquidity is added as for any pool. The caller
    /// checked [`State::next_runtime_pool`] and the assets.
    pub(crate) fn create_pool(&mut self, assets: [AssetId; 2], fee: Ppm) -> MarketId {
        let id = self.next_runtime_pool().expect("checked by the caller");
        self.runtime_pools.push(RuntimePool {
            assets,
            fee,
            pool: PoolState::default(),
            lp_totals: AssetTotals::default(),
        });
        id
    }

    /// LP supply counters of market index `i` (declared or run time).
    #[inline]
    pub(super) fn lp_totals_at(&self, i: usize) -> Option<&AssetTotals> {
        let runtime = usize::from(MarketId::RUNTIME_BASE);
        match i.checked_sub(runtime) {
            None => self.lp_totals.get(i),
            Some(k) => self.runtime_pools.get(k).map(|r| &r.lp_totals),
        }
    }

    #[inline]
    pub(super) fn lp_totals_at_mut(&mut self, i: usize) -> Option<&mut AssetTotals> {
        let runtime = usize::from(MarketId::RUNTIME_BASE);
        match i.checked_sub(runtime) {
            None => self.lp_totals.get_mut(i),
            Some(k) => self.runtime_pools.get_mut(k).map(|r| &mut r.lp_totals),
        }
    }
}
