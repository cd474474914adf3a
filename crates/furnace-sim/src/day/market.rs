//! What the steps of a day share: applying an event, the oracle, the
//! token's headroom, the demand market (what it can sell, buying from it)
//! and running a batch of actions through the split.

use super::of_count;
use crate::error::{unexpected, SimError};
use crate::sim::{apply_at, Sim, StepRow};
use furnace_core::economy::{MarketKind, MAX_LEGS};
use furnace_core::engine::{
    price_of, quote_swap, version_tokens_per_action, Price, Role, SplitReceipt,
};
use furnace_core::event::MintReason;
use furnace_core::ids::{AccountId, AssetId, SplitId, VersionId};
use furnace_core::units::Ppm;
use furnace_core::{Event, Order, Payer, Receipt, Rejection};

/// At most this share of a pool's token reserve is bought in one day: a
/// demand that would buy the whole reserve is capped, as the fuel-sweep
/// benchmark model does (`../shared/reference/fuel-sweep.md`: "capped at
/// 0.5*X"), and the rest of the day's actions go unfunded.
const MAX_POOL_BUY_SHARE: Ppm = Ppm(500_000);

impl Sim<'_> {
    pub(crate) fn apply(&mut self, step: u32, event: &Event) -> Result<Receipt, SimError> {
        apply_at(self.economy, &mut self.state, &mut *self.log, step, event)
    }

    /// Apply `event` and log it if it was applied; a rejection is handed
    /// back (nothing changed, nothing logged) for the caller to judge.
    pub(crate) fn apply_logged(
        &mut self,
        step: u32,
        event: &Event,
    ) -> Result<Result<Receipt, Rejection>, SimError> {
        match furnace_core::apply(self.economy, &mut self.state, event) {
            Ok(receipt) => {
                (self.log)(event).map_err(|e| SimError::Log {
                    step,
                    message: e.to_string(),
                })?;
                Ok(Ok(receipt))
            }
            Err(rejection) => Ok(Err(rejection)),
        }
    }

    /// Apply `event` as [`Sim::apply`] does, except that a swap its
    /// `min_out` refuses (`SlippageExceeded`: dust that buys nothing) is
    /// `None`: nothing changed and nothing is logged. One pricing instead
    /// of a quote and then the swap.
    pub(crate) fn apply_unless_slippage(
        &mut self,
        step: u32,
        event: &Event,
    ) -> Result<Option<Receipt>, SimError> {
        match self.apply_logged(step, event)? {
            Ok(receipt) => Ok(Some(receipt)),
            Err(Rejection::SlippageExceeded { .. }) => Ok(None),
            Err(rejection) => Err(SimError::rejected(
                step,
                || crate::describe::describe(self.economy, &self.state, event),
                rejection,
            )),
        }
    }

    pub(super) fn oracle(&self, step: u32) -> Result<Price, SimError> {
        price_of(self.economy, &self.state, self.token)
            .map_err(|rejection| SimError::rejected(step, || "oracle price".into(), rejection))
    }

    pub(super) fn tokens_per_action(
        &self,
        step: u32,
        version: VersionId,
    ) -> Result<u128, SimError> {
        version_tokens_per_action(self.economy, &self.state, version)
            .map_err(|rejection| SimError::rejected(step, || "tokens per action".into(), rejection))
    }

    /// How much more of `token` may be minted before its maximum supply.
    pub(super) fn headroom(&self, token: AssetId) -> u128 {
        match furnace_core::engine::max_supply_of(self.economy, &self.state, token) {
            Some(max) => max.saturating_sub(self.state.supply(token)),
            None => u128::MAX,
        }
    }

    /// Tokens the demand market can sell today: an external market's
    /// holdings, or `MAX_POOL_BUY_SHARE` of a pool's token reserve.
    pub(super) fn market_capacity(&self) -> u128 {
        let held = self.market_tokens();
        match self.economy.market(self.market).kind {
            MarketKind::External { .. } => held,
            MarketKind::Pool { .. } => MAX_POOL_BUY_SHARE.of_floor(held).unwrap_or(0),
        }
    }

    /// Tokens the demand market holds (an external market's account, or a
    /// pool's token reserve).
    pub(super) fn market_tokens(&self) -> u128 {
        match &self.economy.market(self.market).kind {
            MarketKind::External { account, .. } => self.state.balance(self.token, *account),
            MarketKind::Pool { assets, .. } => {
                let r = self.state.pool(self.market).map_or([0, 0], |p| p.reserves);
                if assets[0] == self.token {
                    r[0]
                } else {
                    r[1]
                }
            }
        }
    }

    /// `buyer` buys exactly `tokens` on the demand market, paying with
    /// numeraire brought in from outside (minted as `external_inflow`, the
    /// exact amount the swap takes). The caller checked the capacity.
    pub(super) fn buy(
        &mut self,
        row: &mut StepRow,
        step: u32,
        buyer: AccountId,
        tokens: u128,
    ) -> Result<(), SimError> {
        if tokens == 0 {
            return Ok(());
        }
        let order = Order::ExactOut {
            amount_out: tokens,
            max_in: u128::MAX,
        };
        let q = quote_swap(self.economy, &self.state, self.market, self.usd, order).map_err(
            |rejection| SimError::rejected(step, || "quote of a purchase".into(), rejection),
        )?;
        self.apply(
            step,
            &Event::Mint {
                asset: self.usd,
                to: buyer,
                amount_base_units: q.amount_in,
                reason: MintReason::ExternalInflow,
            },
        )?;
        self.apply(
            step,
            &Event::Swap {
                market: self.market,
                trader: buyer,
                sell: self.usd,
                order: Order::ExactOut {
                    amount_out: tokens,
                    max_in: q.amount_in,
                },
            },
        )?;
        row.usd_market_buys += q.amount_in;
        Ok(())
    }

    /// Add a consumption split's distribution to the day's row.
    pub(super) fn absorb(&self, row: &mut StepRow, split_id: SplitId, r: &SplitReceipt) {
        row.tokens_consumed += r.total;
        row.creator += r.amount_of(Role::CreatorPaid);
        row.creator_shortfall += r.amount_of(Role::CreatorShortfall);
        row.no_marketplace += r.amount_of(Role::NoMarketplace);
        row.trainers += r.amount_of(Role::TrainersPaid);
        row.no_trainers += r.amount_of(Role::NoTrainers);
        row.dust += r.amount_of(Role::Dust);
        let split = self.economy.split(split_id);
        if Some(split_id) == self.split_id {
            for (i, amount) in r.leg_amounts[..split.legs.len()].iter().enumerate() {
                row.legs[i] += amount;
            }
        }
        debug_assert!(split.legs.len() <= MAX_LEGS);
    }

    /// Run `count` actions for `payer`: `floor(count * marketplace_share)`
    /// through the marketplace workflow, the rest without; within each,
    /// `floor(n * path_share)` through the trained path when there is one.
    pub(super) fn run_actions(
        &mut self,
        row: &mut StepRow,
        step: u32,
        payer: Payer,
        version: VersionId,
        count: u64,
    ) -> Result<(), SimError> {
        let with_workflow = of_count(self.scenario.demand.marketplace_share, count);
        let split_id = self.economy.version(version).split;
        for (n, workflow) in [
            (with_workflow, Some(self.workflow)),
            (count - with_workflow, None),
        ] {
            let with_path = self.path.map_or(0, |(_, share)| of_count(share, n));
            for (m, path) in [
                (with_path, self.path.map(|(p, _)| p)),
                (n - with_path, None),
            ] {
                if m == 0 {
                    continue;
                }
                let event = Event::Actions {
                    payer,
                    version,
                    count: m,
                    workflow,
                    path,
                };
                match self.apply(step, &event)? {
                    Receipt::Actions(r) => self.absorb(row, split_id, &r.split),
                    other => return Err(unexpected(step, other)),
                }
            }
        }
        Ok(())
    }
}
