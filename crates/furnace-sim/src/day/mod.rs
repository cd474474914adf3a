//! One simulated day: scenario drivers -> events -> [`furnace_core::apply`].
//! [`Sim::day`] is the sequence of the crate docs' steps, one method each:
//! `steps.rs` (tick, price, emissions, subscriptions, sales, buybacks),
//! `rewards.rs` (reward positions: locks, votes, scores, caps, claims; and
//! the scenario's revenue; their setup in `reward_setup.rs`),
//! `usage.rs` (subscribers' actions, pay-as-you-go, burns, sell-back) and
//! `market.rs` (what they share: buying on the demand market, running a
//! batch of actions, the oracle) and `launches.rs` (the `[[launches]]`
//! drivers, last). See the crate docs for the exact order
//! and semantics.

pub(crate) mod launches;
mod market;
pub(crate) mod points;
pub(crate) mod reward_setup;
pub(crate) mod rewards;
mod steps;
mod usage;

use crate::drivers::Drivers;
use crate::error::SimError;
use crate::sim::{Sim, StepRow};
use furnace_core::event::{BurnReason, MintReason};
use furnace_core::state::AssetTotals;
use furnace_core::units::{mul_div_floor, Ppm};

impl Sim<'_> {
    /// Day `t` (step `t + 1`), in the documented order; `prev` is the
    /// previous day's row (its running totals).
    pub(crate) fn day(
        &mut self,
        drivers: &mut Drivers,
        t: u32,
        prev: &StepRow,
    ) -> Result<StepRow, SimError> {
        let mut row = StepRow::default();
        self.day_into(drivers, t, prev, &mut row)?;
        Ok(row)
    }

    /// [`Sim::day`] into `row` (overwritten): a Monte Carlo run keeps two
    /// rows and alternates, instead of moving a kilobyte row per day.
    pub(crate) fn day_into(
        &mut self,
        drivers: &mut Drivers,
        t: u32,
        prev: &StepRow,
        row: &mut StepRow,
    ) -> Result<(), SimError> {
        let step = t + 1;
        *row = StepRow {
            step,
            ..StepRow::default()
        };
        let row = &mut *row;
        let supply_start = self.state.supply(self.token);
        let start = self.state.totals(self.token).clone();
        self.tick(step)?;
        self.shocks(row, drivers, t)?;
        self.price(row, drivers, t)?;
        self.reward_positions(row, t)?;
        self.training(step)?;
        self.emissions(row, drivers, t)?;
        self.subscriptions(row, t)?;
        self.sales(row, t)?;
        self.reward_revenue(row)?;
        self.buybacks(row, t)?;
        self.subscriber_actions(row, t)?;
        self.pay_as_you_go(row, drivers, t)?;
        self.burns(step)?;
        self.sell_back(row, step)?;
        self.launches(row)?;
        self.close_row(row, &start, supply_start, prev)
    }

    /// The day's row, from the ledger's own counters: burns by reason and
    /// emissions differenced against the start of the day, supply, and the
    /// running totals.
    fn close_row(
        &self,
        row: &mut StepRow,
        start: &AssetTotals,
        supply_start: u128,
        prev: &StepRow,
    ) -> Result<(), SimError> {
        let step = row.step;
        let end = self.state.totals(self.token);
        let delta = |reason: BurnReason| {
            end.burned_by_reason[reason.index()] - start.burned_by_reason[reason.index()]
        };
        row.burned = end.burned - start.burned;
        row.burned_action = delta(BurnReason::Action);
        row.burned_buyback = delta(BurnReason::Buyback);
        row.burned_failed_action = delta(BurnReason::FailedAction);
        row.burned_voluntary = delta(BurnReason::Voluntary);
        row.burned_penalty = delta(BurnReason::Penalty);
        for reason in MintReason::ALL {
            if reason.is_emission() {
                row.emitted +=
                    end.minted_by_reason[reason.index()] - start.minted_by_reason[reason.index()];
            }
        }
        row.supply = end.supply;
        row.net_supply_change = i128::try_from(end.supply).unwrap_or(i128::MAX)
            - i128::try_from(supply_start).unwrap_or(i128::MAX);
        row.market_tokens = self.market_tokens();
        row.actions = row.api_actions + row.subscription_actions;
        row.unfunded_actions = row.unfunded_api + row.unfunded_subscription;
        // Running totals fail loudly rather than wrap past 128 bits.
        let cum = |before: u128, today: u128, what: &str| {
            before.checked_add(today).ok_or_else(|| SimError::Overflow {
                step,
                what: format!("the running total {what}"),
            })
        };
        row.cum_tokens_consumed = cum(
            prev.cum_tokens_consumed,
            row.tokens_consumed,
            "cum_tokens_consumed",
        )?;
        row.cum_burned = cum(prev.cum_burned, row.burned, "cum_burned")?;
        row.cum_emitted = cum(prev.cum_emitted, row.emitted, "cum_emitted")?;
        row.cum_creator = cum(prev.cum_creator, row.creator, "cum_creator")?;
        row.cum_usd_revenue = cum(prev.cum_usd_revenue, row.usd_revenue, "cum_usd_revenue")?;
        Ok(())
    }
}

/// `floor(count * share)`: exact, and at most `count`.
fn of_count(share: Ppm, count: u64) -> u64 {
    let n = mul_div_floor(u128::from(count), u128::from(share.0), 1_000_000).unwrap_or(0);
    u64::try_from(n).unwrap_or(count).min(count)
}
