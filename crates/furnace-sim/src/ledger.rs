//! Generic per-step columns read from the ledger, for any economy: every
//! pool's reserves, every token's oracle price, every declared asset's
//! supply and its flows by reason, every named account's balances. Names
//! come from the economy file; nothing here knows an economy.
//!
//! Column names (whole units, exact decimals in the CSV):
//! - `<pool>_reserve_<ASSET>`: the reserve at the end of the step;
//! - `<TOKEN>_price`: the oracle price in the numeraire at the end of the
//!   step (empty when it has none);
//! - `<ASSET>_supply`; `<ASSET>_minted`, `<ASSET>_burned` and
//!   `<ASSET>_minted_<reason>`, `<ASSET>_burned_<reason>`: during the step;
//! - for the numeraire, `<N>_inflow` and `<N>_outflow`: paid in and paid
//!   out during the step (`<N>_burned_cost`, costs a revenue rule pays out,
//!   is part of the outflow, as is `<N>_burned_external_outflow`);
//! - `<account>_<ASSET>`: named accounts' balances at the end of the step.
//!
//! Storage is one flat `Vec<u128>` reserved for every step at setup, so
//! recording a step never allocates.

use furnace_core::economy::{MarketKind, ValidEconomy};
use furnace_core::engine::{decimals_of, pico_den, price_of};
use furnace_core::event::{BurnReason, MintReason};
use furnace_core::ids::{AccountId, AssetId, MarketId};
use furnace_core::units::{mul_div_floor, PRICE_DECIMALS};
use furnace_core::State;

/// What one column reads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Source {
    Reserve(MarketId, usize),
    /// Pico-numeraire per whole token; `u128::MAX` when unavailable.
    Price(AssetId),
    Supply(AssetId),
    Minted(AssetId, Option<MintReason>),
    Burned(AssetId, Option<BurnReason>),
    Balance(AccountId, AssetId),
}

#[derive(Clone, Debug)]
pub struct Ledger {
    /// Column names, in order.
    pub names: Vec<String>,
    /// Decimals to format each column with.
    pub decimals: Vec<u8>,
    sources: Vec<Source>,
    /// `steps x columns`, row-major.
    values: Vec<u128>,
    /// Minted and burned totals of each declared asset after the last
    /// recorded step (the flows are their differences).
    last_minted: Vec<[u128; MintReason::COUNT]>,
    last_burned: Vec<[u128; BurnReason::COUNT]>,
    last_minted_total: Vec<u128>,
    last_burned_total: Vec<u128>,
    declared: Vec<AssetId>,
}

/// The marker of an unavailable value (a price without an oracle).
pub const MISSING: u128 = u128::MAX;

impl Ledger {
    pub fn new(economy: &ValidEconomy, state: &State, steps: usize) -> Ledger {
        let mut names = Vec::new();
        let mut decimals = Vec::new();
        let mut sources = Vec::new();
        let dec = |a: AssetId| decimals_of(economy, state, a).unwrap_or(0);
        let mut col = |name: String, d: u8, s: Source| {
            names.push(name);
            decimals.push(d);
            sources.push(s);
        };
        for (i, m) in economy.markets.iter().enumerate() {
            if let MarketKind::Pool { assets, .. } = &m.kind {
                let id = MarketId::from_index(i).expect("bounded");
                for (k, a) in assets.iter().enumerate() {
                    col(
                        format!("{}_reserve_{}", m.name, economy.asset_name(*a)),
                        dec(*a),
                        Source::Reserve(id, k),
                    );
                }
            }
        }
        let declared: Vec<AssetId> = (0..economy.assets.len())
            .filter_map(AssetId::declared)
            .collect();
        for &a in &declared {
            if a != economy.numeraire {
                col(
                    format!("{}_price", economy.asset_name(a)),
                    PRICE_DECIMALS,
                    Source::Price(a),
                );
            }
        }
        for &a in &declared {
            let name = economy.asset_name(a);
            let d = dec(a);
            col(format!("{name}_supply"), d, Source::Supply(a));
            col(format!("{name}_minted"), d, Source::Minted(a, None));
            col(format!("{name}_burned"), d, Source::Burned(a, None));
            if a == economy.numeraire {
                col(
                    format!("{name}_inflow"),
                    d,
                    Source::Minted(a, Some(MintReason::ExternalInflow)),
                );
                col(format!("{name}_outflow"), d, Source::Burned(a, None));
            }
            for r in MintReason::ALL {
                col(
                    format!("{name}_minted_{}", r.name()),
                    d,
                    Source::Minted(a, Some(*r)),
                );
            }
            for r in BurnReason::ALL {
                col(
                    format!("{name}_burned_{}", r.name()),
                    d,
                    Source::Burned(a, Some(*r)),
                );
            }
        }
        for (i, account) in economy.accounts.iter().enumerate() {
            let id = AccountId::named(i).expect("validated");
            for &a in &declared {
                col(
                    format!("{}_{}", account.name, economy.asset_name(a)),
                    dec(a),
                    Source::Balance(id, a),
                );
            }
        }
        let n = declared.len();
        let mut ledger = Ledger {
            values: Vec::with_capacity(steps.saturating_mul(sources.len())),
            names,
            decimals,
            sources,
            last_minted: vec![[0; MintReason::COUNT]; n],
            last_burned: vec![[0; BurnReason::COUNT]; n],
            last_minted_total: vec![0; n],
            last_burned_total: vec![0; n],
            declared,
        };
        ledger.remember(state);
        ledger
    }

    fn remember(&mut self, state: &State) {
        for (i, &a) in self.declared.iter().enumerate() {
            let t = state.totals(a);
            self.last_minted[i] = t.minted_by_reason;
            self.last_burned[i] = t.burned_by_reason;
            self.last_minted_total[i] = t.minted;
            self.last_burned_total[i] = t.burned;
        }
    }

    /// Append the state at the end of a step.
    pub fn record(&mut self, economy: &ValidEconomy, state: &State) {
        let nd = decimals_of(economy, state, economy.numeraire).unwrap_or(0);
        for s in &self.sources {
            let index = |a: AssetId| a.0 as usize;
            let v = match *s {
                Source::Reserve(m, k) => state.pool(m).map_or(0, |p| p.reserves[k]),
                Source::Price(a) => price_of(economy, state, a)
                    .ok()
                    .and_then(|p| {
                        let td = decimals_of(economy, state, a).ok()?;
                        mul_div_floor(p.num, pico_den(nd, td), p.den)
                    })
                    .unwrap_or(MISSING),
                Source::Supply(a) => state.supply(a),
                Source::Minted(a, None) => {
                    state.totals(a).minted - self.last_minted_total[index(a)]
                }
                Source::Burned(a, None) => {
                    state.totals(a).burned - self.last_burned_total[index(a)]
                }
                Source::Minted(a, Some(r)) => {
                    state.totals(a).minted_by_reason[r.index()]
                        - self.last_minted[index(a)][r.index()]
                }
                Source::Burned(a, Some(r)) => {
                    state.totals(a).burned_by_reason[r.index()]
                        - self.last_burned[index(a)][r.index()]
                }
                Source::Balance(account, a) => state.balance(a, account),
            };
            self.values.push(v);
        }
        self.remember(state);
    }

    pub fn steps(&self) -> usize {
        self.values.len() / self.names.len().max(1)
    }

    /// The value of column `c` at step `s` (0-based).
    pub fn value(&self, s: usize, c: usize) -> u128 {
        self.values[s * self.names.len() + c]
    }

    /// A column's index by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Whether a column is zero at every step (reports leave those out).
    pub fn all_zero(&self, c: usize) -> bool {
        (0..self.steps()).all(|s| self.value(s, c) == 0)
    }
}
