//! The last steps of a day (crate docs 5 to 7): subscribers' actions,
//! pay-as-you-go, other burns and the sell-back.

use super::of_count;
use crate::drivers::Drivers;
use crate::error::SimError;
use crate::sim::{Sim, StepRow};
use furnace_config::scenario::SellBasis;
use furnace_core::event::BurnReason;
use furnace_core::ids::AccountId;
use furnace_core::{Event, Order, Payer, Payment};

impl Sim<'_> {
    /// 5. Subscribers' actions, evenly over the period; numeraire-paid ones
    ///    only as far as the plan's inventory funds them.
    pub(super) fn subscriber_actions(&mut self, row: &mut StepRow, t: u32) -> Result<(), SimError> {
        let Some(s) = self.subs else { return Ok(()) };
        let step = row.step;
        let d = u128::from(t % s.period);
        let p = u128::from(s.period);
        let due = u64::try_from(s.included * (d + 1) / p - s.included * d / p)
            .expect("at most the plan's u64 allowance");
        if due == 0 {
            return Ok(());
        }
        let tau = self.tokens_per_action(step, s.version)?;
        for i in 0..self.active.len() {
            let (id, payment) = self.active[i];
            let run = match payment {
                Payment::Token => due,
                Payment::Numeraire => {
                    self.usd_subscription_actions_due += u128::from(due);
                    let affordable = match s.fuel {
                        Some(fuel) if tau > 0 => self.state.balance(self.token, fuel) / tau,
                        _ => 0,
                    };
                    let run = u64::try_from(affordable.min(u128::from(due))).expect("at most due");
                    row.unfunded_subscription += u128::from(due - run);
                    run
                }
            };
            if run > 0 {
                self.run_actions(row, step, Payer::Subscription(id), s.version, run)?;
                row.subscription_actions += u128::from(run);
            }
        }
        Ok(())
    }

    /// 6. Pay-as-you-go: buy what `tau * A_t` needs beyond the users'
    ///    leftover tokens, then run the actions at the oracle price (which
    ///    a purchase from a pool has just raised, so they cost at most what
    ///    was bought); the failed ones burn their tokens whole.
    pub(super) fn pay_as_you_go(
        &mut self,
        row: &mut StepRow,
        drivers: &mut Drivers,
        t: u32,
    ) -> Result<(), SimError> {
        let step = row.step;
        let demand = drivers.demand(&self.scenario.demand, t);
        let Some(version) = self.version else {
            return Ok(());
        };
        if demand == 0 {
            return Ok(());
        }
        let tau = row.tokens_per_action;
        let held = self.state.balance(self.token, self.api_users);
        let can = (held + self.market_capacity()) / tau;
        let run = u64::try_from(can.min(u128::from(demand))).expect("at most demand");
        if run < demand {
            row.unfunded_api += u128::from(demand - run);
            self.market_short_days += 1;
            self.first_market_short_step.get_or_insert(step);
        }
        if run == 0 {
            return Ok(());
        }
        let need = tau
            .checked_mul(u128::from(run))
            .ok_or_else(|| SimError::Overflow {
                step,
                what: "tokens bought".into(),
            })?;
        self.buy(row, step, self.api_users, need.saturating_sub(held))?;
        let failed = of_count(self.scenario.burns.failed_action_share, run);
        let ran = run - failed;
        if ran > 0 {
            self.run_actions(row, step, Payer::Account(self.api_users), version, ran)?;
        }
        if failed > 0 {
            let tau_now = self.tokens_per_action(step, version)?;
            self.apply(
                step,
                &Event::Burn {
                    asset: self.token,
                    from: self.api_users,
                    amount_base_units: tau_now * u128::from(failed),
                    reason: BurnReason::FailedAction,
                },
            )?;
        }
        row.api_actions = u128::from(ran);
        row.failed_actions = u128::from(failed);
        Ok(())
    }

    /// 6b. Voluntary burns by outside holders, and penalty burns, each up
    ///     to what the account holds.
    pub(super) fn burns(&mut self, step: u32) -> Result<(), SimError> {
        let burns = &self.scenario.burns;
        for (from, per_day, reason) in [
            (
                self.info.outside_account,
                burns.voluntary_per_day,
                BurnReason::Voluntary,
            ),
            (
                burns.penalty_from,
                burns.penalty_per_day,
                BurnReason::Penalty,
            ),
        ] {
            let Some(from) = from else { continue };
            let amount = per_day.min(self.state.balance(self.token, from));
            if amount > 0 {
                self.apply(
                    step,
                    &Event::Burn {
                        asset: self.token,
                        from,
                        amount_base_units: amount,
                        reason,
                    },
                )?;
            }
        }
        Ok(())
    }

    /// 7. Recipients sell their fraction of what they hold, or of what
    ///    they received since their last sale (`[holders] sell`), on the
    ///    sell market.
    pub(super) fn sell_back(&mut self, row: &mut StepRow, step: u32) -> Result<(), SimError> {
        let token = self.token;
        let received = self.scenario.holders.basis == SellBasis::Received;
        for i in 0..self.recipients.len() {
            let (from, fraction) = self.recipients[i];
            let held = self.state.balance(token, from);
            let base = if received {
                held.saturating_sub(self.sell_basis[i])
            } else {
                held
            };
            let amount = fraction.of_floor(base).unwrap_or(0);
            row.sold_back += self.sell(step, from, amount)?;
            self.sell_basis[i] = self.state.balance(token, from);
        }
        Ok(())
    }

    /// `from` sells `amount` of the token on the sell market (exact in; it
    /// receives the numeraire). Dust that buys nothing stays with its
    /// holder: what was sold is returned.
    pub(super) fn sell(
        &mut self,
        step: u32,
        from: AccountId,
        amount: u128,
    ) -> Result<u128, SimError> {
        if amount == 0 {
            return Ok(0);
        }
        let token = self.token;
        let order = Order::ExactIn {
            amount_in: amount,
            min_out: 0,
        };
        let event = Event::Swap {
            market: self.sell_market,
            trader: from,
            sell: token,
            order,
        };
        if self.apply_unless_slippage(step, &event)?.is_none() {
            return Ok(0);
        }
        Ok(amount)
    }
}
