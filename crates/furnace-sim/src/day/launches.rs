//! Step 10 of a day (crate docs): the scenario's `[[launches]]` drivers.
//! The rules are the economy's `[launches.X]` spec, applied by the core
//! (`CreateLaunch`, `BuyOnCurve`, `GraduateLaunch`, `FailLaunch`); this
//! step only decides who sends what, in this order, each step:
//!
//! Every payer (issuer or buyer) first gets what its balance lacks: the
//! entry's `funds` account sends it (`Transfer`), or with `buy_with` it
//! buys it on that market with numeraire from outside (`Mint` as
//! `external_inflow`, then an exact-out `Swap`); if that cannot be done,
//! the payment is skipped and counted (`launch_unfunded`).
//!
//! 1. **Create** the launches due this step, entry by entry in file order:
//!    the issuer (an account opened at setup, one per launch) is given the
//!    spec's launch fee, sends `CreateLaunch`, then its first buy
//!    (`issuer_buy`).
//! 2. **Buy**: every launch still raising gets `buyers_per_day` purchases,
//!    buyers taken round robin over the entry's buyer accounts, each paying
//!    a drawn quote amount (`BuyOnCurve`). A purchase the core refuses (the
//!    window closed this step, above the maximum raise, a per-buyer or
//!    issuer cap, nothing bought) changes nothing and is counted
//!    (`launch_buys_refused`); the run goes on.
//! 3. **Settle**: a raising launch whose window has closed graduates if its
//!    raise reached the minimum, else fails (every principal refunded,
//!    fees kept); with `graduate = "at_minimum"` one that reached its
//!    minimum graduates now, window open or not. (A purchase that reaches
//!    the maximum graduated inside the core.) The driver sends these
//!    events; the core checks them (`below_min_raise`,
//!    `launch_window_open` would be a bug here, and stop the run).
//!    At graduation (here or inside the purchase that reached the
//!    maximum), if the spec has a stake pool, the issuer and each buyer
//!    stake `stake_share` of their tokens in it (`OpenPosition`, no lock).
//! 4. **Trade** graduated launches: each issuer credits its token's stake
//!    pool `stake_rewards_per_day` of its reward asset (`FundRewardPool`), then
//!    `trade_buyers_per_day` buyers buy the token on its pool with drawn
//!    quote amounts (`Swap` exact-in), then every buyer account sells
//!    `trade_sell_share` of what it holds of it (staked tokens stay).
//!
//! Randomness: stream 10 (`drivers::LAUNCH_STREAM`) of the run's seed, one
//! standard normal per purchase attempted, in the order above, so a
//! scenario without launches draws nothing and keeps its bits, and the
//! other streams (0 price and demand, 1 trainers, 2 shocks) are untouched.
//!
//! Storage: the launches (at most `MAX_LAUNCHES_PER_RUN`), their issuers,
//! records and the core's launch, token and pool tables are reserved at
//! setup. What still allocates is bounded by launches, never by steps: the
//! core's per-buyer commitment node (a buyer's first purchase of a launch)
//! and a holding entry for the new token (at graduation, or a buyer's first
//! trade of it).

use crate::drivers::{rng, standard_normal, LAUNCH_STREAM};
use crate::error::{unexpected, SimError};
use crate::sim::{Sim, StepRow};
use furnace_config::scenario::{BuyDraw, Funding, Graduate, LaunchDrivers};
use furnace_config::Scenario;
use furnace_core::engine::quote_swap;
use furnace_core::event::{MintReason, Order};
use furnace_core::ids::{AccountId, AssetId, LaunchId, MarketId, RewardPoolId};
use furnace_core::state::LaunchStatus;
use furnace_core::units::units_from_f64;
use furnace_core::{Event, Receipt, State};
use rand_chacha::ChaCha8Rng;

/// One launch the drivers created, for `launches.csv`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LaunchRecord {
    /// The `[[launches]]` entry (0-based, file order).
    pub entry: usize,
    pub launch: LaunchId,
    pub issuer: AccountId,
    /// Purchases the core refused (curve and, after graduation, pool).
    pub buys_refused: u64,
    /// Swaps on the graduated pool (buys and sells).
    pub trades: u64,
    /// The launch's stake pool, once graduated (its spec's `staking`).
    pub stake_pool: Option<RewardPoolId>,
}

/// An entry's accounts and cursors.
struct Entry {
    /// Buyer accounts opened at setup.
    buyers: Vec<AccountId>,
    /// One issuer per scheduled launch, opened at setup.
    issuers: Vec<AccountId>,
    /// The next scheduled launch (index into `days` and `issuers`).
    next: usize,
    /// The next buyer, round robin: of curve purchases, of pool trades
    /// (apart, so the steps' purchases visit every buyer whatever the
    /// trades take).
    cursor: usize,
    trade_cursor: usize,
    quote_decimals: u8,
}

/// The launch drivers' state during a run.
pub(crate) struct LaunchDriver {
    rng: ChaCha8Rng,
    entries: Vec<Entry>,
    /// Every launch created, in creation order (reserved at setup).
    pub(crate) records: Vec<LaunchRecord>,
    /// Launches the scenario schedules (the reservation).
    pub(crate) reserved: usize,
}

/// What a setup event returns: setup applies through the simulator's log.
pub(crate) type SetupApply<'s> = dyn FnMut(&mut State, &Event) -> Result<Receipt, SimError> + 's;

impl LaunchDriver {
    /// Open the entries' buyer and issuer accounts (named for the reports
    /// in `accounts`) and reserve every launch's storage.
    pub(crate) fn setup(
        scenario: &Scenario,
        seed: u64,
        state: &mut State,
        apply: &mut SetupApply<'_>,
        accounts: &mut Vec<(AccountId, String)>,
    ) -> Result<LaunchDriver, SimError> {
        let economy = &scenario.economy.economy;
        let mut open = |state: &mut State| match apply(state, &Event::OpenAccount)? {
            Receipt::AccountOpened(id) => Ok(id),
            other => Err(unexpected(0, other)),
        };
        let mut entries = Vec::with_capacity(scenario.launches.len());
        let mut reserved = 0;
        for (i, l) in scenario.launches.iter().enumerate() {
            let spec = &economy.launch_spec(l.spec).name;
            let mut buyers = Vec::with_capacity(l.buyers as usize);
            for b in 0..l.buyers {
                let a = open(state)?;
                accounts.push((a, format!("launches[{i}] buyer {}", b + 1)));
                buyers.push(a);
            }
            let mut issuers = Vec::with_capacity(l.days.len());
            for k in 0..l.days.len() {
                let a = open(state)?;
                accounts.push((a, format!("{spec} issuer {}", k + 1)));
                issuers.push(a);
            }
            reserved += l.days.len();
            entries.push(Entry {
                buyers,
                issuers,
                next: 0,
                cursor: 0,
                trade_cursor: 0,
                quote_decimals: furnace_core::engine::decimals_of(economy, state, l.quote)
                    .unwrap_or(0),
            });
        }
        state.reserve_launches(reserved);
        Ok(LaunchDriver {
            rng: rng(seed, LAUNCH_STREAM),
            entries,
            records: Vec::with_capacity(reserved),
            reserved,
        })
    }

    /// Back to the start of a run with `seed` (Monte Carlo), keeping the
    /// accounts and the storage.
    pub(crate) fn reset(&mut self, seed: u64) {
        self.rng = rng(seed, LAUNCH_STREAM);
        self.records.clear();
        for e in &mut self.entries {
            e.next = 0;
            e.cursor = 0;
            e.trade_cursor = 0;
        }
    }

    /// The next buyer of entry `e`, round robin (on the curve, or on a
    /// graduated pool).
    fn next_buyer(&mut self, e: usize, trade: bool) -> AccountId {
        let entry = &mut self.entries[e];
        let cursor = if trade {
            &mut entry.trade_cursor
        } else {
            &mut entry.cursor
        };
        let buyer = entry.buyers[*cursor];
        *cursor = (*cursor + 1) % entry.buyers.len();
        buyer
    }

    /// One purchase's quote, drawn (one standard normal, always), in base
    /// units of the quote asset; 0 buys nothing.
    fn draw(&mut self, buy: &BuyDraw, decimals: u8) -> u128 {
        let z = standard_normal(&mut self.rng);
        let whole = match *buy {
            BuyDraw::Normal { mean, sd, floor } => (mean + sd * z).max(floor),
            BuyDraw::LogNormal { mean, sd, floor } => {
                let s2 = libm::log(1.0 + (sd * sd) / (mean * mean));
                let mu = libm::log(mean) - s2 / 2.0;
                libm::exp(mu + libm::sqrt(s2) * z).max(floor)
            }
        };
        units_from_f64(whole.max(0.0), decimals).unwrap_or(0)
    }
}

/// The launch's status now.
fn status(state: &State, launch: LaunchId) -> Option<LaunchStatus> {
    state.launch_state(launch).map(|l| l.status)
}

impl Sim<'_> {
    /// Apply `event`; a rejection is `None` (nothing changed, nothing
    /// logged), counted by the caller. An overflow is still an input error.
    fn apply_or_refused(&mut self, step: u32, event: &Event) -> Result<Option<Receipt>, SimError> {
        match self.apply_logged(step, event)? {
            Ok(receipt) => Ok(Some(receipt)),
            Err(furnace_core::Rejection::Overflow(what)) => Err(SimError::Overflow {
                step,
                what: what.to_string(),
            }),
            Err(_) => Ok(None),
        }
    }

    /// Give `to` what its balance of `asset` lacks of `amount`: sent by
    /// the `funds` account, or bought on the `buy_with` market with
    /// numeraire from outside (minted as `external_inflow`, exactly what
    /// the exact-out swap takes). False (nothing done) if that cannot be.
    fn fund(
        &mut self,
        row: &mut StepRow,
        asset: AssetId,
        funding: Funding,
        to: AccountId,
        amount: u128,
    ) -> Result<bool, SimError> {
        let step = row.step;
        let lacks = amount.saturating_sub(self.state.balance(asset, to));
        if lacks == 0 {
            return Ok(true);
        }
        match funding {
            Funding::Account(funds) => {
                if self.state.balance(asset, funds) < lacks {
                    return Ok(false);
                }
                self.apply(
                    step,
                    &Event::Transfer {
                        asset,
                        from: funds,
                        to,
                        amount_base_units: lacks,
                    },
                )?;
            }
            Funding::Market(market) => {
                let order = Order::ExactOut {
                    amount_out: lacks,
                    max_in: u128::MAX,
                };
                let sells = match self.economy.market(market).kind {
                    furnace_core::economy::MarketKind::External { token, .. } => token == asset,
                    furnace_core::economy::MarketKind::Pool { assets, .. } => {
                        assets.contains(&asset)
                    }
                };
                let quote = quote_swap(self.economy, &self.state, market, self.usd, order);
                let Some(q) = quote.ok().filter(|_| sells) else {
                    // The market cannot sell that much (or not this asset).
                    return Ok(false);
                };
                self.apply(
                    step,
                    &Event::Mint {
                        asset: self.usd,
                        to,
                        amount_base_units: q.amount_in,
                        reason: MintReason::ExternalInflow,
                    },
                )?;
                self.apply(
                    step,
                    &Event::Swap {
                        market,
                        trader: to,
                        sell: self.usd,
                        order: Order::ExactOut {
                            amount_out: lacks,
                            max_in: q.amount_in,
                        },
                    },
                )?;
                row.launch_usd_buys += q.amount_in;
            }
        }
        Ok(true)
    }

    /// 10. Launches: create, buy, settle, trade (module docs).
    pub(super) fn launches(&mut self, row: &mut StepRow) -> Result<(), SimError> {
        let scenario = self.scenario;
        if scenario.launches.is_empty() {
            return Ok(());
        }
        for (e, l) in scenario.launches.iter().enumerate() {
            self.create_due(row, e, l)?;
        }
        for r in 0..self.launch_driver.records.len() {
            let rec = self.launch_driver.records[r];
            if status(&self.state, rec.launch) == Some(LaunchStatus::Raising) {
                let l = &scenario.launches[rec.entry];
                for _ in 0..l.buyers_per_day {
                    let buyer = self.launch_driver.next_buyer(rec.entry, false);
                    self.buy_on_curve(row, r, l, buyer, None)?;
                }
            }
        }
        for r in 0..self.launch_driver.records.len() {
            self.settle(row, r)?;
        }
        for r in 0..self.launch_driver.records.len() {
            let rec = self.launch_driver.records[r];
            if let Some(LaunchStatus::Graduated { pool, .. }) = status(&self.state, rec.launch) {
                self.trade(row, r, pool)?;
            }
        }
        // Where the quote is at the end of the step (the ledger's columns
        // know declared pools only): O(launches).
        for l in self.state.launches() {
            match l.status {
                LaunchStatus::Raising => {
                    row.launches_raising += 1;
                    row.launch_custody += l.held;
                }
                LaunchStatus::Graduated { pool, .. } => {
                    let quote = self.economy.launch_spec(l.spec).quote;
                    if let Some(rp) = self.state.runtime_pool(pool) {
                        if let Some(i) = rp.assets.iter().position(|a| *a == quote) {
                            row.launch_pools_quote += rp.pool.reserves[i];
                        }
                    }
                }
                LaunchStatus::Failed { .. } => {}
            }
        }
        // Rewards the launches' stake pools hold in the quote asset (every
        // entry buys with one): with the above, the quote's whole supply.
        let quote = scenario.launches[0].quote;
        for p in self.state.runtime_reward_pools() {
            let staking = self.economy.launch_spec(p.spec).staking.as_ref();
            if staking.is_some_and(|t| t.reward == quote) {
                row.launch_stake_custody += p.pool.totals().rewards_held;
            }
        }
        Ok(())
    }

    /// 10.1 Create entry `e`'s launches due this step.
    fn create_due(
        &mut self,
        row: &mut StepRow,
        e: usize,
        l: &LaunchDrivers,
    ) -> Result<(), SimError> {
        let step = row.step;
        let spec = self.economy.launch_spec(l.spec);
        while let Some(&day) = l.days.get(self.launch_driver.entries[e].next) {
            if day > step {
                break;
            }
            let k = self.launch_driver.entries[e].next;
            self.launch_driver.entries[e].next += 1;
            let issuer = self.launch_driver.entries[e].issuers[k];
            if !self.fund(row, spec.quote, l.funds, issuer, spec.launch_fee)? {
                row.launch_unfunded += 1;
                continue;
            }
            let created = self.apply(
                step,
                &Event::CreateLaunch {
                    spec: l.spec,
                    issuer,
                },
            )?;
            let Receipt::LaunchCreated { launch, .. } = created else {
                return Err(unexpected(step, created));
            };
            row.launches_created += 1;
            let r = self.launch_driver.records.len();
            self.launch_driver.records.push(LaunchRecord {
                entry: e,
                launch,
                issuer,
                buys_refused: 0,
                trades: 0,
                stake_pool: None,
            });
            if l.issuer_buy > 0 {
                self.buy_on_curve(row, r, l, issuer, Some(l.issuer_buy))?;
            }
        }
        Ok(())
    }

    /// One purchase of record `r`'s launch by `buyer`: `quote_in` given
    /// (the issuer's first buy) or drawn.
    fn buy_on_curve(
        &mut self,
        row: &mut StepRow,
        r: usize,
        l: &LaunchDrivers,
        buyer: AccountId,
        quote_in: Option<u128>,
    ) -> Result<(), SimError> {
        let step = row.step;
        let rec = self.launch_driver.records[r];
        let quote_in = match quote_in {
            Some(q) => q,
            None => {
                let d = self.launch_driver.entries[rec.entry].quote_decimals;
                self.launch_driver.draw(&l.buy, d)
            }
        };
        if quote_in == 0 {
            return Ok(());
        }
        if !self.fund(row, l.quote, l.funds, buyer, quote_in)? {
            row.launch_unfunded += 1;
            return Ok(());
        }
        let event = Event::BuyOnCurve {
            launch: rec.launch,
            buyer,
            quote_in,
            min_tokens_out: 0,
        };
        match self.apply_or_refused(step, &event)? {
            Some(Receipt::BoughtOnCurve(b)) => {
                row.launch_buys += 1;
                row.launch_committed += b.principal;
                row.launch_fees += b.fee;
                if let Some(g) = b.graduation {
                    row.launches_graduated += 1;
                    self.graduated(row, r, g.stake_pool)?;
                }
            }
            Some(other) => return Err(unexpected(step, other)),
            None => {
                row.launch_buys_refused += 1;
                self.launch_driver.records[r].buys_refused += 1;
            }
        }
        Ok(())
    }

    /// 10.3 Graduate or fail record `r`'s launch if its time has come.
    fn settle(&mut self, row: &mut StepRow, r: usize) -> Result<(), SimError> {
        let step = row.step;
        let rec = self.launch_driver.records[r];
        let Some(l) = self.state.launch_state(rec.launch) else {
            return Ok(());
        };
        if l.status != LaunchStatus::Raising {
            return Ok(());
        }
        let spec = self.economy.launch_spec(l.spec);
        let reached = l.raised >= spec.min_raise;
        let closed = self.state.step() >= l.closes_step;
        let at_minimum = self.scenario.launches[rec.entry].graduate == Graduate::AtMinimum;
        let event = match (reached, closed) {
            (true, true) => Event::GraduateLaunch { launch: rec.launch },
            (true, false) if at_minimum => Event::GraduateLaunch { launch: rec.launch },
            (false, true) => Event::FailLaunch { launch: rec.launch },
            _ => return Ok(()),
        };
        match self.apply(step, &event)? {
            Receipt::Graduated(g) => {
                row.launches_graduated += 1;
                self.graduated(row, r, g.stake_pool)?;
            }
            Receipt::LaunchRefunded(refund) => {
                row.launches_failed += 1;
                row.launch_refunded += refund.refunded;
            }
            other => return Err(unexpected(step, other)),
        }
        Ok(())
    }

    /// 10.4 Trade record `r`'s graduated launch on its `pool`.
    fn trade(&mut self, row: &mut StepRow, r: usize, pool: MarketId) -> Result<(), SimError> {
        let step = row.step;
        let scenario = self.scenario;
        let rec = self.launch_driver.records[r];
        let l = &scenario.launches[rec.entry];
        let Some(token) = self.state.launch_state(rec.launch).map(|s| s.token) else {
            return Ok(());
        };
        if let (Some(pool), true) = (rec.stake_pool, l.stake_rewards_per_day > 0) {
            let reward = self
                .economy
                .launch_spec(l.spec)
                .staking
                .as_ref()
                .map(|t| t.reward);
            let amount = l.stake_rewards_per_day;
            // The issuer rewards its token's stakers, topped up as a buyer.
            let funded = match reward {
                Some(a) => self.fund(row, a, l.funds, rec.issuer, amount)?,
                None => false,
            };
            if funded {
                let event = Event::FundRewardPool {
                    pool,
                    from: rec.issuer,
                    amount_base_units: amount,
                };
                match self.apply(step, &event)? {
                    Receipt::RewardPoolFunded { .. } => {}
                    other => return Err(unexpected(step, other)),
                }
            } else {
                row.launch_unfunded += 1;
            }
        }
        for _ in 0..l.trade_buyers_per_day {
            let buyer = self.launch_driver.next_buyer(rec.entry, true);
            let d = self.launch_driver.entries[rec.entry].quote_decimals;
            let amount_in = self.launch_driver.draw(&l.buy, d);
            if amount_in == 0 {
                continue;
            }
            if !self.fund(row, l.quote, l.funds, buyer, amount_in)? {
                row.launch_unfunded += 1;
                continue;
            }
            self.swap(row, r, pool, buyer, l.quote, amount_in)?;
        }
        if l.trade_sell_share > furnace_core::units::Ppm::ZERO {
            for b in 0..self.launch_driver.entries[rec.entry].buyers.len() {
                let seller = self.launch_driver.entries[rec.entry].buyers[b];
                let held = self.state.balance(token, seller);
                let amount_in = l.trade_sell_share.of_floor(held).unwrap_or(0);
                if amount_in > 0 {
                    self.swap(row, r, pool, seller, token, amount_in)?;
                }
            }
        }
        Ok(())
    }

    /// Record `r`'s launch graduated (its stake pool, if any): the issuer
    /// and every buyer of the entry stake `stake_share` of their tokens.
    fn graduated(
        &mut self,
        row: &mut StepRow,
        r: usize,
        stake_pool: Option<RewardPoolId>,
    ) -> Result<(), SimError> {
        let rec = self.launch_driver.records[r];
        self.launch_driver.records[r].stake_pool = stake_pool;
        let l = &self.scenario.launches[rec.entry];
        let (Some(pool), Some(token)) = (
            stake_pool,
            self.state.launch_state(rec.launch).map(|s| s.token),
        ) else {
            return Ok(());
        };
        if l.stake_share == furnace_core::units::Ppm::ZERO {
            return Ok(());
        }
        let buyers = self.launch_driver.entries[rec.entry].buyers.len();
        // One position per staker: reserved once per launch.
        self.state.reserve_positions(pool, buyers + 1);
        for b in 0..=buyers {
            let owner = match b {
                0 => rec.issuer,
                _ => self.launch_driver.entries[rec.entry].buyers[b - 1],
            };
            let amount = l
                .stake_share
                .of_floor(self.state.balance(token, owner))
                .unwrap_or(0);
            if amount == 0 {
                continue;
            }
            let event = Event::OpenPosition {
                pool,
                owner,
                amount_base_units: amount,
                lock_steps: 0,
            };
            match self.apply_or_refused(row.step, &event)? {
                Some(Receipt::PositionOpened { .. }) => row.launch_stakes += 1,
                Some(other) => return Err(unexpected(row.step, other)),
                None => {
                    row.launch_buys_refused += 1;
                    self.launch_driver.records[r].buys_refused += 1;
                }
            }
        }
        Ok(())
    }

    fn swap(
        &mut self,
        row: &mut StepRow,
        r: usize,
        market: MarketId,
        trader: AccountId,
        sell: AssetId,
        amount_in: u128,
    ) -> Result<(), SimError> {
        let event = Event::Swap {
            market,
            trader,
            sell,
            order: Order::ExactIn {
                amount_in,
                min_out: 1,
            },
        };
        match self.apply_or_refused(row.step, &event)? {
            Some(Receipt::Swapped(_)) => {
                row.launch_trades += 1;
                self.launch_driver.records[r].trades += 1;
            }
            Some(other) => return Err(unexpected(row.step, other)),
            None => {
                row.launch_buys_refused += 1;
                self.launch_driver.records[r].buys_refused += 1;
            }
        }
        Ok(())
    }
}
