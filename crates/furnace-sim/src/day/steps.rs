//! The first steps of a day (crate docs 0 to 4): the tick, the price,
//! emissions, subscriptions renewing, sales and buybacks.

use crate::drivers::{BadPrice, Drivers};
use crate::error::{unexpected, SimError};
use crate::sim::{ScheduleStop, Sim, StepRow};
use furnace_config::scenario::ShockKind;
use furnace_core::engine::subscription_tokens;
use furnace_core::engine::EmissionLimit;
use furnace_core::ids::ScheduleId;
use furnace_core::{Event, Payment, Receipt};

impl Sim<'_> {
    /// 0. A step passes: TWAP oracles sample, per-step limits reset.
    pub(super) fn tick(&mut self, step: u32) -> Result<(), SimError> {
        self.apply(step, &Event::Tick)?;
        Ok(())
    }

    /// 0b. Shocks that happen today: a demand or price shock changes the
    ///     drivers from today on; a whale sells its share of the supply (at
    ///     most what it holds) on the sell market, before the price is read.
    pub(super) fn shocks(
        &mut self,
        row: &mut StepRow,
        drivers: &mut Drivers,
        t: u32,
    ) -> Result<(), SimError> {
        let scenario = self.scenario;
        for shock in &scenario.shocks {
            if !drivers.shock_fires(shock, t) {
                continue;
            }
            if let ShockKind::Whale { account } = shock.kind {
                let share = shock
                    .size
                    .of_floor(self.state.supply(self.token))
                    .unwrap_or(0);
                let amount = share.min(self.state.balance(self.token, account));
                row.shock_sold += self.sell(row.step, account, amount)?;
            }
        }
        Ok(())
    }

    /// 1. Price: the scenario's path sets an exogenous oracle; a pool
    ///    oracle prices itself. The row takes the oracle's price and tokens
    ///    per action at this point.
    pub(super) fn price(
        &mut self,
        row: &mut StepRow,
        drivers: &mut Drivers,
        t: u32,
    ) -> Result<(), SimError> {
        let step = row.step;
        if self.info.exogenous_price {
            let price = drivers
                .price_pico(&self.scenario.price, t)
                .map_err(|BadPrice(usd)| SimError::BadPrice { step, usd })?;
            self.apply(
                step,
                &Event::SetPrice {
                    token: self.token,
                    price_usd_pico: price,
                },
            )?;
        }
        let price = self.oracle(step)?;
        row.price_usd_pico = price
            .pico(self.info.numeraire_decimals, self.info.token_decimals)
            .unwrap_or(u128::MAX);
        if let Some(version) = self.version {
            row.tokens_per_action = self.tokens_per_action(step, version)?;
        }
        Ok(())
    }

    /// 2. Emissions. First the economy's schedules: each whose epoch is due
    ///    (and that has not stopped) emits one epoch with `Emit`, exactly as
    ///    a service would; a stop is recorded for the warnings. Then the
    ///    scenario's own schedule, up to the token's maximum supply: what
    ///    the cap refuses, here or in a schedule of the scenario's token, is
    ///    counted (`emission_cut`), never an error.
    pub(super) fn emissions(
        &mut self,
        row: &mut StepRow,
        drivers: &mut Drivers,
        t: u32,
    ) -> Result<(), SimError> {
        let step = row.step;
        for i in 0..self.economy.emissions.len() {
            let id = ScheduleId::from_index(i).expect("the economy's schedules are counted in ids");
            let due = self
                .state
                .schedule(id)
                .is_some_and(|s| s.stopped_at.is_none() && self.state.step() >= s.next_due_step);
            if !due {
                continue;
            }
            let r = match self.apply(step, &Event::Emit { schedule: id })? {
                Receipt::Emitted(r) => r,
                other => return Err(unexpected(step, other)),
            };
            let spec = &self.economy.emissions[i];
            self.schedule_emitted[i] += r.emitted;
            if spec.token == self.token && r.limited_by == Some(EmissionLimit::MaxSupply) {
                row.emission_cut += r.cut;
            }
            if r.stopped {
                self.schedule_stops[i] = Some(ScheduleStop {
                    step,
                    epoch: r.epoch,
                    limited_by: r.limited_by,
                });
            }
        }
        let token = self.token;
        let scheduled = drivers.emission(&self.scenario.emissions.schedule, t);
        let emission = scheduled.min(self.headroom(token));
        row.emission_cut += scheduled - emission;
        if emission > 0 {
            self.apply(
                row.step,
                &Event::Mint {
                    asset: token,
                    to: self.scenario.emissions.to,
                    amount_base_units: emission,
                    reason: self.scenario.emissions.reason,
                },
            )?;
        }
        Ok(())
    }

    /// 3. Subscriptions renew at each period start: last period's expire
    ///    (their escrow left goes through the split), then the numeraire
    ///    agents subscribe, then the token agents, each buying first what
    ///    it lacks.
    pub(super) fn subscriptions(&mut self, row: &mut StepRow, t: u32) -> Result<(), SimError> {
        let Some(s) = self.subs else { return Ok(()) };
        if t % s.period != 0 {
            return Ok(());
        }
        let step = row.step;
        for i in 0..self.active.len() {
            let (subscription, _) = self.active[i];
            match self.apply(step, &Event::ExpireSubscription { subscription })? {
                Receipt::Expired {
                    released: Some(r), ..
                } => {
                    let split_id = self.economy.version(s.version).split;
                    self.absorb(row, split_id, &r);
                }
                Receipt::Expired { released: None, .. } => {}
                other => return Err(unexpected(step, other)),
            }
        }
        self.active.clear();
        for _ in 0..s.usd_agents {
            let event = Event::Subscribe {
                subscriber: self.usd_subscriber,
                plan: s.plan,
                payment: Payment::Numeraire,
            };
            match self.apply(step, &event)? {
                Receipt::Subscribed {
                    subscription, paid, ..
                } => {
                    row.usd_revenue += paid;
                    self.active.push((subscription, Payment::Numeraire));
                }
                other => return Err(unexpected(step, other)),
            }
        }
        for _ in 0..s.token_agents {
            let price = self.oracle(step)?;
            let tokens = subscription_tokens(s.price, s.discount, price).map_err(|rejection| {
                SimError::rejected(step, || "subscription_tokens".into(), rejection)
            })?;
            let held = self.state.balance(self.token, self.token_subscriber);
            let short = tokens.saturating_sub(held);
            if short > self.market_capacity() {
                self.token_subscriptions_not_bought += 1;
                continue;
            }
            self.buy(row, step, self.token_subscriber, short)?;
            let event = Event::Subscribe {
                subscriber: self.token_subscriber,
                plan: s.plan,
                payment: Payment::Token,
            };
            match self.apply(step, &event)? {
                Receipt::Subscribed { subscription, .. } => {
                    self.active.push((subscription, Payment::Token))
                }
                other => return Err(unexpected(step, other)),
            }
        }
        Ok(())
    }

    /// 3b. Sales: the customer buys the step's tokens (minted on purchase,
    ///     the payment divided by the sale's revenue rule) and redeems its
    ///     share of them for the unit of service.
    pub(super) fn sales(&mut self, row: &mut StepRow, t: u32) -> Result<(), SimError> {
        let Some(sales) = &self.scenario.sales else {
            return Ok(());
        };
        let step = row.step;
        let wanted = sales.tokens_per_step.get(t as usize).copied().unwrap_or(0);
        // A sale stops at the token's maximum supply.
        let bought = wanted.min(self.headroom(sales.token));
        row.sales_cut = wanted - bought;
        if bought > 0 {
            match self.apply(
                step,
                &Event::Purchase {
                    sale: sales.sale,
                    buyer: self.customers,
                    amount_base_units: bought,
                },
            )? {
                Receipt::Purchased { paid, .. } => row.usd_sales += paid,
                other => return Err(unexpected(step, other)),
            }
            row.purchased = bought;
        }
        let redeem = sales
            .redeem_share
            .of_floor(self.state.balance(sales.token, self.customers))
            .unwrap_or(0);
        if let (Some(redemption), true) = (sales.redemption, redeem > 0) {
            self.apply(
                step,
                &Event::Redeem {
                    redemption,
                    holder: self.customers,
                    amount_base_units: redeem,
                },
            )?;
            row.redeemed = redeem;
        }
        Ok(())
    }

    /// 4. Buybacks: each program spends its budget spread over the days
    ///    left of its spread (the plan's period by default; the whole rest
    ///    on the last day).
    pub(super) fn buybacks(&mut self, row: &mut StepRow, t: u32) -> Result<(), SimError> {
        let step = row.step;
        let spread = self.buyback_spread;
        let days_left = u128::from(spread - t % spread);
        for (i, program) in self.economy.buybacks.iter().enumerate() {
            let spend = self.state.balance(program.pay, program.budget) / days_left;
            if spend == 0 {
                continue;
            }
            let id = furnace_core::ProgramId::from_index(i).expect("bounded by the economy");
            let counts = program.token == self.token && program.pay == self.usd;
            match self.apply(
                step,
                &Event::Buyback {
                    program: id,
                    amount_base_units: spend,
                },
            )? {
                Receipt::BoughtBack(r) if counts => {
                    row.buyback_usd += r.spent;
                    row.buyback_tokens += r.bought;
                    row.buyback_unspent += r.unspent;
                }
                Receipt::BoughtBack(_) => {}
                other => return Err(unexpected(step, other)),
            }
        }
        Ok(())
    }
}
