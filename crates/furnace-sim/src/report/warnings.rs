//! The run's warnings (`summary.json`'s `warnings`, the text summary's
//! `warning:` lines): unfunded demand and the plan inconsistencies behind
//! it, clipped drivers, refused mints, buybacks cut short, a broken
//! invariant.

use super::text::count;
use super::{human, human_total, Total};
use crate::sim::{SimResult, StepRow};
use furnace_core::engine::EmissionLimit;
use furnace_core::units::format_decimal;

impl SimResult {
    /// An amount of the numeraire as an exact decimal.
    pub(super) fn usd(&self, units: impl Into<Total>) -> String {
        units.into().decimal(self.info.numeraire_decimals)
    }

    /// Problems worth a reader's attention: unfunded demand and the seed
    /// inconsistencies behind it.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        let info = &self.info;
        if info.voluntary_burns_without_holders {
            w.push(format!(
                "burns.voluntary_per_day: no voluntary burns happened: the demand market `{}` is a pool, and voluntary burns are made by an external market's holders",
                info.demand_market_name
            ));
        }
        for (i, (name, token, decimals, from)) in info.schedules.iter().enumerate() {
            let Some(stop) = self.schedule_stops.get(i).copied().flatten() else {
                continue;
            };
            let emitted = human(
                self.schedule_emitted.get(i).copied().unwrap_or(0),
                *decimals,
            );
            let why = match (stop.limited_by, from) {
                (Some(EmissionLimit::Source), Some(from)) => {
                    format!("its source account `{from}` ran out")
                }
                (Some(EmissionLimit::ScheduleCap), _) => "it reached its cap".to_string(),
                _ => "its curve ended".to_string(),
            };
            w.push(format!(
                "emissions `{name}`: stopped on day {} (epoch {}): {why}, after {emitted} {token} in this run",
                stop.step,
                stop.epoch + 1
            ));
        }
        if info.launches_after_horizon > 0 {
            w.push(format!(
                "launches: {} scheduled after the run's last step (day {}) were not made",
                info.launches_after_horizon, info.days
            ));
        }
        let c = &self.clips;
        if let Some(first) = c.first_price_floored_step {
            w.push(format!(
                "price: the price path fell below $0.000000000001 per {} on {} days (first on day {first}) and was floored there, where an action costs an enormous number of tokens; the path's parameters (volatility, growth) make it collapse",
                info.token_name, c.price_floored_days
            ));
        }
        if let Some(first) = c.first_price_capped_step {
            w.push(format!(
                "price: the price path rose above $1,000,000,000 per {} on {} days (first on day {first}) and was capped there",
                info.token_name, c.price_capped_days
            ));
        }
        if let Some(first) = c.first_demand_capped_step {
            w.push(format!(
                "demand: more than {} actions were drawn on {} days (first on day {first}); those days ran {} (the demand noise or growth is extreme)",
                human(u128::from(crate::MAX_ACTIONS_PER_DAY), 0),
                c.demand_capped_days,
                human(u128::from(crate::MAX_ACTIONS_PER_DAY), 0)
            ));
        }
        let emission_cut = |r: &StepRow| r.emission_cut;
        let sales_cut = |r: &StepRow| r.sales_cut;
        for (what, of) in [
            ("emissions", &emission_cut as &dyn Fn(&StepRow) -> u128),
            ("sales", &sales_cut),
        ] {
            let cut = self.total(of);
            if !cut.is_zero() {
                let first = self.rows.iter().find(|r| of(r) > 0).map_or(0, |r| r.step);
                w.push(format!(
                    "{what}: {} {} were not minted: {} reached its maximum supply (first on day {first})",
                    human_total(cut, info.token_decimals),
                    info.token_name,
                    info.token_name
                ));
            }
        }
        let short_days = self.rows.iter().filter(|r| r.buyback_unspent > 0).count();
        if short_days > 0 {
            w.push(format!(
                "buybacks: on {short_days} days the spend was cut short (venue caps, the price-impact guard or market depth); the rest carried over, and {} is left in the budgets at the end",
                info.buyback_budgets
                    .iter()
                    .map(|(name, account, asset)| format!(
                        "{name} ${}",
                        self.usd(self.state.balance(*asset, *account))
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let unfunded_api = self.total(|r| r.unfunded_api);
        let unfunded_sub = self.total(|r| r.unfunded_subscription);
        if let Some(plan) = &info.plan {
            let value = Total::product(u128::from(plan.actions_included), info.version_price);
            if value > Total::from(plan.price) {
                w.push(format!(
                    "plan `{}`: {} actions of {} are worth ${} at ${}/action, but the plan costs ${} per {} days (${} per action)",
                    plan.name,
                    count(plan.actions_included.into()),
                    info.version_name,
                    self.usd(value),
                    self.usd(info.version_price),
                    self.usd(plan.price),
                    plan.period_days,
                    self.usd(plan.price / u128::from(plan.actions_included.max(1))),
                ));
            }
            if plan.usd_agents > 0 && !unfunded_sub.is_zero() {
                let share = plan.buyback_share.to_string();
                let due = self.usd_subscription_actions_due.max(1);
                w.push(format!(
                    "USD subscriptions: {} of {} actions due ({:.1}%) were unfunded: {} of each ${} payment goes to buybacks, which {}",
                    count(unfunded_sub),
                    count(self.usd_subscription_actions_due.into()),
                    unfunded_sub.to_f64() * 100.0 / due as f64,
                    share,
                    self.usd(plan.price),
                    if plan.fuel_configured {
                        format!(
                            "cannot buy the {} x {} tokens per action the allowance needs",
                            count(plan.actions_included.into()),
                            format_decimal(self.rows.first().map_or(0, |r| r.tokens_per_action), info.token_decimals)
                        )
                    } else {
                        "do not fund any account (buyback destination is burn or missing)".to_string()
                    }
                ));
            }
            let token_sub = self
                .state
                .subscriptions()
                .iter()
                .find(|s| s.payment == furnace_core::Payment::Token);
            if let (Some(sub), Some(first)) = (token_sub, self.rows.first()) {
                let per_action = sub.escrow_base_units / u128::from(plan.actions_included.max(1));
                if per_action < first.tokens_per_action {
                    w.push(format!(
                        "token subscriptions: the escrow releases {} {} per action, against {} {} per pay-as-you-go action (day 1 price)",
                        format_decimal(per_action, info.token_decimals),
                        info.token_name,
                        format_decimal(first.tokens_per_action, info.token_decimals),
                        info.token_name,
                    ));
                }
            }
        }
        if !unfunded_api.is_zero() {
            w.push(format!(
                "pay-as-you-go: {} actions unfunded on {} days (first on day {}): the market account ran out of {}; {}",
                count(unfunded_api),
                self.market_short_days,
                self.first_market_short_step.unwrap_or(0),
                info.token_name,
                if info.sell_back {
                    format!(
                        "the rest of the supply is held by accounts that never sell ({})",
                        self.largest_holders(3)
                    )
                } else {
                    "sell-back is off, so recipients hold what they receive".to_string()
                }
            ));
        }
        if self.token_subscriptions_not_bought > 0 {
            w.push(format!(
                "{} token subscriptions were not opened: the market could not sell their tokens",
                self.token_subscriptions_not_bought
            ));
        }
        if let Err(e) = &self.invariants {
            w.push(e.to_string());
        }
        w
    }

    /// The `n` accounts other than the market holding the most of the
    /// token at the end, as "name: amount" text.
    fn largest_holders(&self, n: usize) -> String {
        let info = &self.info;
        let mut holders: Vec<(u128, &str)> = info
            .accounts
            .iter()
            .filter(|(a, _)| Some(*a) != info.outside_account)
            .map(|(a, name)| (self.state.balance(info.token, *a), name.as_str()))
            .filter(|(b, _)| *b > 0)
            .collect();
        holders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let parts: Vec<String> = holders
            .iter()
            .take(n)
            .map(|(b, name)| format!("{name}: {}", human(*b, info.token_decimals)))
            .collect();
        parts.join(", ")
    }
}
