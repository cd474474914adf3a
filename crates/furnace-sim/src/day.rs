//! One simulated day: scenario drivers -> events -> [`furnace_core::apply`].
//! See the crate docs for the exact order and semantics.

use crate::drivers::{emissions_on, BadPrice, Drivers};
use crate::error::{unexpected, SimError};
use crate::sim::{apply_at, Sim, StepRow};
use furnace_core::economy::{MarketKind, MAX_LEGS};
use furnace_core::engine::{
    price_of, quote_swap, subscription_tokens, version_tokens_per_action, Price, Role, SplitReceipt,
};
use furnace_core::event::{BurnReason, MintReason};
use furnace_core::ids::{AccountId, AssetId, SplitId, VersionId};
use furnace_core::units::{mul_div_floor, Ppm};
use furnace_core::{Event, Order, Payer, Payment, Receipt, Rejection};

/// At most this share of a pool's token reserve is bought in one day: a
/// demand that would buy the whole reserve is capped, as the fuel-sweep
/// benchmark model does (`../shared/reference/fuel-sweep.md`: "capped at
/// 0.5*X"), and the rest of the day's actions go unfunded.
const MAX_POOL_BUY_SHARE: Ppm = Ppm(500_000);

impl Sim<'_> {
    pub(crate) fn apply(&mut self, step: u32, event: &Event) -> Result<Receipt, SimError> {
        apply_at(self.economy, &mut self.state, &mut *self.log, step, event)
    }

    fn oracle(&self, step: u32) -> Result<Price, SimError> {
        price_of(self.economy, &self.state, self.token)
            .map_err(|rejection| SimError::rejected(step, || "oracle price".into(), rejection))
    }

    fn tokens_per_action(&self, step: u32, version: VersionId) -> Result<u128, SimError> {
        version_tokens_per_action(self.economy, &self.state, version)
            .map_err(|rejection| SimError::rejected(step, || "tokens per action".into(), rejection))
    }

    /// How much more of `token` may be minted before its maximum supply.
    fn headroom(&self, token: AssetId) -> u128 {
        match furnace_core::engine::max_supply_of(self.economy, &self.state, token) {
            Some(max) => max.saturating_sub(self.state.supply(token)),
            None => u128::MAX,
        }
    }

    /// Tokens the demand market can sell today: an external market's
    /// holdings, or `MAX_POOL_BUY_SHARE` of a pool's token reserve.
    fn market_capacity(&self) -> u128 {
        let held = self.market_tokens();
        match self.economy.market(self.market).kind {
            MarketKind::External { .. } => held,
            MarketKind::Pool { .. } => MAX_POOL_BUY_SHARE.of_floor(held).unwrap_or(0),
        }
    }

    /// Tokens the demand market holds (an external market's account, or a
    /// pool's token reserve).
    fn market_tokens(&self) -> u128 {
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
    fn buy(
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
    fn absorb(&self, row: &mut StepRow, split_id: SplitId, r: &SplitReceipt) {
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
    fn run_actions(
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

    pub(crate) fn day(
        &mut self,
        drivers: &mut Drivers,
        t: u32,
        prev: &StepRow,
    ) -> Result<StepRow, SimError> {
        let step = t + 1;
        let token = self.token;
        let mut row = StepRow {
            step,
            ..StepRow::default()
        };
        let supply_start = self.state.supply(token);
        let start = self.state.totals(token).clone();

        // 0. A step passes: TWAP oracles sample, per-step limits reset.
        self.apply(step, &Event::Tick)?;

        // 1. Price: the scenario's path sets an exogenous oracle; a pool
        //    oracle prices itself.
        if self.info.exogenous_price {
            let price = drivers
                .price_pico(&self.scenario.price, t)
                .map_err(|BadPrice(usd)| SimError::BadPrice { step, usd })?;
            self.apply(
                step,
                &Event::SetPrice {
                    token,
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

        // 2. Emissions, up to the token's maximum supply: what the cap
        //    refuses is counted (`emission_cut`), never an error.
        let scheduled = emissions_on(&self.scenario.emissions.schedule, t);
        let emission = scheduled.min(self.headroom(token));
        row.emission_cut = scheduled - emission;
        if emission > 0 {
            self.apply(
                step,
                &Event::Mint {
                    asset: token,
                    to: self.scenario.emissions.to,
                    amount_base_units: emission,
                    reason: self.scenario.emissions.reason,
                },
            )?;
        }

        // 3. Subscriptions renew at each period start.
        if let Some(s) = self.subs {
            if t % s.period == 0 {
                for i in 0..self.active.len() {
                    let (subscription, _) = self.active[i];
                    match self.apply(step, &Event::ExpireSubscription { subscription })? {
                        Receipt::Expired {
                            released: Some(r), ..
                        } => {
                            let split_id = self.economy.version(s.version).split;
                            self.absorb(&mut row, split_id, &r);
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
                    let tokens =
                        subscription_tokens(s.price, s.discount, price).map_err(|rejection| {
                            SimError::rejected(step, || "subscription_tokens".into(), rejection)
                        })?;
                    let held = self.state.balance(token, self.token_subscriber);
                    let short = tokens.saturating_sub(held);
                    if short > self.market_capacity() {
                        self.token_subscriptions_not_bought += 1;
                        continue;
                    }
                    self.buy(&mut row, step, self.token_subscriber, short)?;
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
            }
        }

        // 3b. Sales: the customer buys the step's tokens (minted on
        //     purchase, the payment divided by the sale's revenue rule) and
        //     redeems its share of them for the unit of service.
        if let Some(sales) = &self.scenario.sales {
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
        }

        // 4. Buybacks: each program spends its budget spread over the days
        //    left of its spread (the plan's period by default; the whole
        //    rest on the last day).
        let spread = self.buyback_spread;
        let days_left = u128::from(spread - t % spread);
        for (i, program) in self.economy.buybacks.iter().enumerate() {
            let spend = self.state.balance(program.pay, program.budget) / days_left;
            if spend == 0 {
                continue;
            }
            let id = furnace_core::ProgramId::from_index(i).expect("bounded by the economy");
            let counts = program.token == token && program.pay == self.usd;
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

        // 5. Subscribers' actions, evenly over the period.
        if let Some(s) = self.subs {
            let d = u128::from(t % s.period);
            let p = u128::from(s.period);
            let due = u64::try_from(s.included * (d + 1) / p - s.included * d / p)
                .expect("at most the plan's u64 allowance");
            if due > 0 {
                let tau = self.tokens_per_action(step, s.version)?;
                for i in 0..self.active.len() {
                    let (id, payment) = self.active[i];
                    let run = match payment {
                        Payment::Token => due,
                        Payment::Numeraire => {
                            self.usd_subscription_actions_due += u128::from(due);
                            let affordable = match s.fuel {
                                Some(fuel) if tau > 0 => self.state.balance(token, fuel) / tau,
                                _ => 0,
                            };
                            let run = u64::try_from(affordable.min(u128::from(due)))
                                .expect("at most due");
                            row.unfunded_subscription += u128::from(due - run);
                            run
                        }
                    };
                    if run > 0 {
                        self.run_actions(&mut row, step, Payer::Subscription(id), s.version, run)?;
                        row.subscription_actions += u128::from(run);
                    }
                }
            }
        }

        // 6. Pay-as-you-go: buy what `tau * A_t` needs beyond the users'
        //    leftover tokens, then run the actions at the oracle price
        //    (which a purchase from a pool has just raised, so they cost at
        //    most what was bought); the failed ones burn their tokens whole.
        let demand = drivers.demand(&self.scenario.demand, t);
        if let (Some(version), true) = (self.version, demand > 0) {
            let tau = row.tokens_per_action;
            let held = self.state.balance(token, self.api_users);
            let can = (held + self.market_capacity()) / tau;
            let run = u64::try_from(can.min(u128::from(demand))).expect("at most demand");
            if run < demand {
                row.unfunded_api += u128::from(demand - run);
                self.market_short_days += 1;
                self.first_market_short_step.get_or_insert(step);
            }
            if run > 0 {
                let need = tau
                    .checked_mul(u128::from(run))
                    .ok_or_else(|| SimError::Overflow {
                        step,
                        what: "tokens bought".into(),
                    })?;
                self.buy(&mut row, step, self.api_users, need.saturating_sub(held))?;
                let failed = of_count(self.scenario.burns.failed_action_share, run);
                let ran = run - failed;
                if ran > 0 {
                    self.run_actions(&mut row, step, Payer::Account(self.api_users), version, ran)?;
                }
                if failed > 0 {
                    let tau_now = self.tokens_per_action(step, version)?;
                    self.apply(
                        step,
                        &Event::Burn {
                            asset: token,
                            from: self.api_users,
                            amount_base_units: tau_now * u128::from(failed),
                            reason: BurnReason::FailedAction,
                        },
                    )?;
                }
                row.api_actions = u128::from(ran);
                row.failed_actions = u128::from(failed);
            }
        }

        // 6b. Voluntary burns by outside holders, and penalty burns.
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
            let amount = per_day.min(self.state.balance(token, from));
            if amount > 0 {
                self.apply(
                    step,
                    &Event::Burn {
                        asset: token,
                        from,
                        amount_base_units: amount,
                        reason,
                    },
                )?;
            }
        }

        // 7. Recipients sell their fraction of what they hold on the sell
        //    market.
        for i in 0..self.recipients.len() {
            let (from, fraction) = self.recipients[i];
            let amount = fraction
                .of_floor(self.state.balance(token, from))
                .unwrap_or(0);
            if amount == 0 {
                continue;
            }
            let order = Order::ExactIn {
                amount_in: amount,
                min_out: 0,
            };
            match quote_swap(self.economy, &self.state, self.sell_market, token, order) {
                Ok(_) => {}
                // Dust that buys nothing stays with its holder.
                Err(Rejection::SlippageExceeded { .. }) => continue,
                Err(rejection) => {
                    return Err(SimError::rejected(
                        step,
                        || "quote of a sale".into(),
                        rejection,
                    ))
                }
            }
            self.apply(
                step,
                &Event::Swap {
                    market: self.sell_market,
                    trader: from,
                    sell: token,
                    order,
                },
            )?;
            row.sold_back += amount;
        }

        // The day's row, from the ledger's own counters.
        let end = self.state.totals(token);
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
        Ok(row)
    }
}

/// `floor(count * share)`: exact, and at most `count`.
fn of_count(share: Ppm, count: u64) -> u64 {
    let n = mul_div_floor(u128::from(count), u128::from(share.0), 1_000_000).unwrap_or(0);
    u64::try_from(n).unwrap_or(count).min(count)
}
