//! Reports of a run: `timeseries.csv`, `summary.json` and a short text
//! summary. Token and USD amounts are exact decimal strings; only the token
//! price and the projected half-life are floats.

use crate::sim::{Regime, SimResult, StepRow};
use furnace_core::event::{BurnReason, MintReason};
use furnace_core::units::{format_decimal, units_to_f64, PRICE_DECIMALS};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Format a signed amount exactly.
fn signed_decimal(v: i128, decimals: u8) -> String {
    let text = format_decimal(v.unsigned_abs(), decimals);
    if v < 0 {
        format!("-{text}")
    } else {
        text
    }
}

/// `after - before` exactly, with its sign (no wrap at any size).
fn signed_difference(after: u128, before: u128, decimals: u8) -> String {
    if after >= before {
        format_decimal(after - before, decimals)
    } else {
        format!("-{}", format_decimal(before - after, decimals))
    }
}

impl SimResult {
    /// An amount of the numeraire as an exact decimal.
    fn usd(&self, units: u128) -> String {
        format_decimal(units, self.info.numeraire_decimals)
    }
}

/// Price per whole token in USD, for display.
fn price_f64(pico: u128) -> f64 {
    units_to_f64(pico, PRICE_DECIMALS)
}

/// One reporting period (a plan period, or 30 days).
#[derive(Clone, Debug, Serialize)]
pub struct PeriodSummary {
    pub period: u32,
    pub first_step: u32,
    pub last_step: u32,
    pub burned: String,
    pub emitted: String,
    pub net_supply_change: String,
    pub regime: &'static str,
    pub unfunded_actions: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct BreakEven {
    pub first: String,
    pub last: String,
    /// `floor(sum / days)`.
    pub mean: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionCounts {
    pub total: u64,
    pub api: u64,
    pub subscription: u64,
    pub unfunded_api: u64,
    pub unfunded_subscription: u64,
}

/// `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub economy: String,
    pub scenario: String,
    pub days: u32,
    pub seed: u64,
    pub token: String,
    pub version: String,
    /// Recipients sell their tokens back to the market daily.
    pub sell_back: bool,
    pub initial_supply: String,
    pub final_supply: String,
    pub net_supply_change: String,
    pub cumulative_tokens_consumed: String,
    pub cumulative_burned: String,
    pub cumulative_burned_by_reason: BTreeMap<&'static str, String>,
    pub cumulative_emitted: String,
    pub cumulative_emitted_by_reason: BTreeMap<&'static str, String>,
    pub cumulative_creator: String,
    /// Paid to trainers of the trained path.
    pub cumulative_trainers: String,
    /// Per leg of the version's split, `leg_<name>`.
    pub cumulative_legs: BTreeMap<String, String>,
    pub cumulative_usd_revenue: String,
    pub cumulative_usd_market_buys: String,
    pub cumulative_buyback_usd: String,
    pub cumulative_buyback_tokens: String,
    pub deflationary_days: u32,
    pub neutral_days: u32,
    pub inflationary_days: u32,
    pub periods: Vec<PeriodSummary>,
    pub break_even_emissions_per_day: BreakEven,
    /// `S_0 / (2 * B_1)`, with `B_1` the day-1 action burn; null if zero.
    pub half_life_days_projected: Option<f64>,
    /// First day whose closing supply is at most `S_0 / 2`; null if none.
    pub simulated_half_life_day: Option<u32>,
    pub actions: ActionCounts,
    pub unfunded_actions: u64,
    pub market_short_days: u32,
    pub token_subscriptions_not_bought: u64,
    /// Final balances of every account, whole units per asset.
    pub balances: Map<String, Value>,
    /// "ok", or the violated invariant.
    pub invariants: String,
    pub warnings: Vec<String>,
}

impl SimResult {
    /// The CSV header: fixed columns with one `leg_<name>` per split leg.
    pub fn csv_header(&self) -> String {
        self.header_with(&self.ledger_columns())
    }

    fn header_with(&self, ledger_columns: &[usize]) -> String {
        let mut h = String::from(
            "step,actions,api_actions,subscription_actions,failed_actions,unfunded_actions,\
             token_price_usd,tokens_per_action,tokens_consumed,burned,burned_action,\
             burned_buyback,burned_failed_action,burned_voluntary,burned_penalty,creator,\
             creator_shortfall,no_marketplace,trainers,no_trainers",
        );
        for name in &self.info.leg_names {
            h.push_str(",leg_");
            h.push_str(name);
        }
        h.push_str(
            ",dust,emitted,supply,net_supply_change,regime,break_even_emissions,\
             usd_revenue,purchased,usd_sales,redeemed,emission_cut,sales_cut,usd_market_buys,buyback_usd,buyback_tokens,buyback_unspent,sold_back,market_tokens,\
             cum_tokens_consumed,cum_burned,cum_emitted,cum_creator,cum_usd_revenue",
        );
        for &c in ledger_columns {
            h.push(',');
            h.push_str(&self.ledger.names[c]);
        }
        h
    }

    /// The generic ledger columns worth writing: those not zero at every step.
    pub fn ledger_columns(&self) -> Vec<usize> {
        (0..self.ledger.names.len())
            .filter(|c| !self.ledger.all_zero(*c))
            .collect()
    }

    /// Write `timeseries.csv`: the header, then one row per day. Ledger
    /// columns that are zero at every step are left out.
    pub fn write_csv<W: Write>(&self, w: W) -> io::Result<()> {
        self.write_csv_with(w, &self.ledger_columns())
    }

    /// Every column, the all-zero ledger columns included (the audit reads
    /// a series by name whatever its values).
    pub fn csv_string_full(&self) -> String {
        let all: Vec<usize> = (0..self.ledger.names.len()).collect();
        let mut out = Vec::new();
        self.write_csv_with(&mut out, &all)
            .expect("writing to memory");
        String::from_utf8(out).expect("CSV is ASCII")
    }

    fn write_csv_with<W: Write>(&self, mut w: W, columns: &[usize]) -> io::Result<()> {
        writeln!(w, "{}", self.header_with(columns))?;
        let d = self.info.token_decimals;
        let tok = |v: u128| format_decimal(v, d);
        for (step, r) in self.rows.iter().enumerate() {
            write!(
                w,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                r.step,
                r.actions,
                r.api_actions,
                r.subscription_actions,
                r.failed_actions,
                r.unfunded_actions,
                price_f64(r.price_usd_pico),
                tok(r.tokens_per_action),
                tok(r.tokens_consumed),
                tok(r.burned),
                tok(r.burned_action),
                tok(r.burned_buyback),
                tok(r.burned_failed_action),
                tok(r.burned_voluntary),
                tok(r.burned_penalty),
                tok(r.creator),
                tok(r.creator_shortfall),
                tok(r.no_marketplace),
                tok(r.trainers),
                tok(r.no_trainers),
            )?;
            for amount in &r.legs[..self.info.leg_names.len()] {
                write!(w, ",{}", tok(*amount))?;
            }
            write!(
                w,
                ",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                tok(r.dust),
                tok(r.emitted),
                tok(r.supply),
                signed_decimal(r.net_supply_change, d),
                r.regime().name(),
                tok(r.break_even_emissions),
                self.usd(r.usd_revenue),
                tok(r.purchased),
                self.usd(r.usd_sales),
                tok(r.redeemed),
                tok(r.emission_cut),
                tok(r.sales_cut),
                self.usd(r.usd_market_buys),
                self.usd(r.buyback_usd),
                tok(r.buyback_tokens),
                self.usd(r.buyback_unspent),
                tok(r.sold_back),
                tok(r.market_tokens),
                tok(r.cum_tokens_consumed),
                tok(r.cum_burned),
                tok(r.cum_emitted),
                tok(r.cum_creator),
                self.usd(r.cum_usd_revenue),
            )?;
            for &c in columns {
                let v = self.ledger.value(step, c);
                if v == crate::ledger::MISSING {
                    write!(w, ",")?;
                } else {
                    write!(w, ",{}", format_decimal(v, self.ledger.decimals[c]))?;
                }
            }
            writeln!(w)?;
        }
        Ok(())
    }

    /// The CSV as a string.
    pub fn csv_string(&self) -> String {
        let mut out = Vec::with_capacity(self.rows.len() * 400 + 1024);
        self.write_csv(&mut out).expect("writing to memory");
        String::from_utf8(out).expect("CSV is ASCII")
    }

    /// The last row (all zeros for a run of zero days).
    fn last(&self) -> StepRow {
        self.rows.last().copied().unwrap_or_default()
    }

    /// `S_0 / (2 * B_1)`, `B_1` being day 1's action burn.
    pub fn half_life_days_projected(&self) -> Option<f64> {
        let b1 = self.rows.first()?.burned_action;
        if b1 == 0 {
            return None;
        }
        Some(self.initial_supply as f64 / (2.0 * b1 as f64))
    }

    /// The first day whose closing supply is at most half the initial one.
    pub fn simulated_half_life_day(&self) -> Option<u32> {
        // For whole base units, `supply <= S_0 / 2` is `supply <= floor(S_0 / 2)`.
        let half = self.initial_supply / 2;
        self.rows.iter().find(|r| r.supply <= half).map(|r| r.step)
    }

    /// Day counts per regime: (deflationary, neutral, inflationary).
    pub fn regime_days(&self) -> (u32, u32, u32) {
        let mut c = (0, 0, 0);
        for r in &self.rows {
            match r.regime() {
                Regime::Deflationary => c.0 += 1,
                Regime::Neutral => c.1 += 1,
                Regime::Inflationary => c.2 += 1,
            }
        }
        c
    }

    /// Per-period burned, emitted and regime.
    pub fn periods(&self) -> Vec<PeriodSummary> {
        let d = self.info.token_decimals;
        self.rows
            .chunks(self.info.period_days.max(1) as usize)
            .enumerate()
            .map(|(i, chunk)| {
                let burned: u128 = chunk.iter().map(|r| r.burned).sum();
                let emitted: u128 = chunk.iter().map(|r| r.emitted).sum();
                let net: i128 = chunk.iter().map(|r| r.net_supply_change).sum();
                PeriodSummary {
                    period: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    first_step: chunk[0].step,
                    last_step: chunk[chunk.len() - 1].step,
                    burned: format_decimal(burned, d),
                    emitted: format_decimal(emitted, d),
                    net_supply_change: signed_decimal(net, d),
                    regime: Regime::of_change(net).name(),
                    unfunded_actions: chunk.iter().map(|r| r.unfunded_actions).sum(),
                }
            })
            .collect()
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
        let emission_cut = |r: &StepRow| r.emission_cut;
        let sales_cut = |r: &StepRow| r.sales_cut;
        for (what, of) in [
            ("emissions", &emission_cut as &dyn Fn(&StepRow) -> u128),
            ("sales", &sales_cut),
        ] {
            let cut: u128 = self.rows.iter().map(of).sum();
            if cut > 0 {
                let first = self.rows.iter().find(|r| of(r) > 0).map_or(0, |r| r.step);
                w.push(format!(
                    "{what}: {} {} were not minted: {} reached its maximum supply (first on day {first})",
                    human(cut, info.token_decimals),
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
        let unfunded_api: u64 = self.rows.iter().map(|r| r.unfunded_api).sum();
        let unfunded_sub: u64 = self.rows.iter().map(|r| r.unfunded_subscription).sum();
        if let Some(plan) = &info.plan {
            let value = plan.actions_included as u128 * info.version_price;
            if value > plan.price {
                w.push(format!(
                    "plan `{}`: {} actions of {} are worth ${} at ${}/action, but the plan costs ${} per {} days (${} per action)",
                    plan.name,
                    count(plan.actions_included),
                    info.version_name,
                    self.usd(value),
                    self.usd(info.version_price),
                    self.usd(plan.price),
                    plan.period_days,
                    self.usd(plan.price / plan.actions_included.max(1) as u128),
                ));
            }
            if plan.usd_agents > 0 && unfunded_sub > 0 {
                let share = plan.buyback_share.to_string();
                let due = self.usd_subscription_actions_due.max(1);
                w.push(format!(
                    "USD subscriptions: {} of {} actions due ({:.1}%) were unfunded: {} of each ${} payment goes to buybacks, which {}",
                    count(unfunded_sub),
                    count(self.usd_subscription_actions_due),
                    unfunded_sub as f64 * 100.0 / due as f64,
                    share,
                    self.usd(plan.price),
                    if plan.fuel_configured {
                        format!(
                            "cannot buy the {} x {} tokens per action the allowance needs",
                            count(plan.actions_included),
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
                let per_action = sub.escrow_base_units / plan.actions_included.max(1) as u128;
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
        if unfunded_api > 0 {
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

    /// The whole summary (`summary.json`).
    pub fn summary(&self) -> Summary {
        let info = &self.info;
        let d = info.token_decimals;
        let tok = |v: u128| format_decimal(v, d);
        let last = self.last();
        let totals = self.state.totals(info.token);
        let sum = |f: fn(&StepRow) -> u128| -> u128 { self.rows.iter().map(f).sum() };
        let mut burned_by_reason = BTreeMap::new();
        for reason in BurnReason::ALL {
            burned_by_reason.insert(reason.name(), tok(totals.burned_by_reason[reason.index()]));
        }
        let mut emitted_by_reason = BTreeMap::new();
        for reason in MintReason::ALL {
            if reason.is_emission() {
                emitted_by_reason
                    .insert(reason.name(), tok(totals.minted_by_reason[reason.index()]));
            }
        }
        let mut legs = BTreeMap::new();
        for (i, name) in info.leg_names.iter().enumerate() {
            legs.insert(
                format!("leg_{name}"),
                tok(self.rows.iter().map(|r| r.legs[i]).sum()),
            );
        }
        let days = self.rows.len().max(1) as u128;
        let break_even_sum = sum(|r| r.break_even_emissions);
        let (deflationary_days, neutral_days, inflationary_days) = self.regime_days();
        let mut balances = Map::new();
        for (account, name) in &info.accounts {
            let mut per_asset = Map::new();
            for (asset, asset_name, decimals) in &info.assets {
                let b = self.state.balance(*asset, *account);
                per_asset.insert(
                    asset_name.clone(),
                    Value::String(format_decimal(b, *decimals)),
                );
            }
            balances.insert(name.clone(), Value::Object(per_asset));
        }
        let unfunded_api: u64 = self.rows.iter().map(|r| r.unfunded_api).sum();
        let unfunded_sub: u64 = self.rows.iter().map(|r| r.unfunded_subscription).sum();
        Summary {
            economy: info.economy.clone(),
            scenario: info.scenario.clone(),
            days: info.days,
            seed: info.seed,
            token: info.token_name.clone(),
            version: info.version_name.clone(),
            sell_back: info.sell_back,
            initial_supply: tok(self.initial_supply),
            final_supply: tok(self.state.supply(info.token)),
            net_supply_change: signed_difference(
                self.state.supply(info.token),
                self.initial_supply,
                d,
            ),
            cumulative_tokens_consumed: tok(last.cum_tokens_consumed),
            cumulative_burned: tok(last.cum_burned),
            cumulative_burned_by_reason: burned_by_reason,
            cumulative_emitted: tok(last.cum_emitted),
            cumulative_emitted_by_reason: emitted_by_reason,
            cumulative_creator: tok(last.cum_creator),
            cumulative_trainers: tok(sum(|r| r.trainers)),
            cumulative_legs: legs,
            cumulative_usd_revenue: self.usd(last.cum_usd_revenue),
            cumulative_usd_market_buys: self.usd(sum(|r| r.usd_market_buys)),
            cumulative_buyback_usd: self.usd(sum(|r| r.buyback_usd)),
            cumulative_buyback_tokens: tok(sum(|r| r.buyback_tokens)),
            deflationary_days,
            neutral_days,
            inflationary_days,
            periods: self.periods(),
            break_even_emissions_per_day: BreakEven {
                first: tok(self.rows.first().map_or(0, |r| r.break_even_emissions)),
                last: tok(last.break_even_emissions),
                mean: tok(break_even_sum / days),
            },
            half_life_days_projected: self.half_life_days_projected(),
            simulated_half_life_day: self.simulated_half_life_day(),
            actions: ActionCounts {
                total: self.rows.iter().map(|r| r.actions).sum(),
                api: self.rows.iter().map(|r| r.api_actions).sum(),
                subscription: self.rows.iter().map(|r| r.subscription_actions).sum(),
                unfunded_api,
                unfunded_subscription: unfunded_sub,
            },
            unfunded_actions: unfunded_api + unfunded_sub,
            market_short_days: self.market_short_days,
            token_subscriptions_not_bought: self.token_subscriptions_not_bought,
            balances,
            invariants: match &self.invariants {
                Ok(()) => "ok".into(),
                Err(e) => e.to_string(),
            },
            warnings: self.warnings(),
        }
    }

    /// `summary.json`, pretty-printed, with a final newline.
    pub fn summary_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.summary()).expect("summary serializes");
        s.push('\n');
        s
    }

    /// A dozen lines for people.
    pub fn summary_text(&self) -> String {
        let info = &self.info;
        let d = info.token_decimals;
        let t = &info.token_name;
        let s = self.summary();
        let last = self.last();
        let first = self.rows.first().copied().unwrap_or_default();
        let h = |v: u128| human(v, d);
        let supply_end = self.state.supply(info.token);
        let change = if self.initial_supply == 0 {
            String::new()
        } else {
            format!(
                " ({:+.2}%)",
                supply_end as f64 / self.initial_supply as f64 * 100.0 - 100.0
            )
        };
        let mut out = String::new();
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        line(format!(
            "{} ({} economy): {} days, seed {}, {}{}",
            info.scenario,
            info.economy,
            info.days,
            info.seed,
            t,
            if info.version_name.is_empty() {
                String::new()
            } else {
                format!(" at {}", info.version_name)
            }
        ));
        let purchased: u128 = self.rows.iter().map(|r| r.purchased).sum();
        if purchased > 0 {
            line(format!(
                "  sales        {} {t} bought for ${}, {} {t} redeemed",
                h(purchased),
                self.usd(self.rows.iter().map(|r| r.usd_sales).sum()),
                h(self.rows.iter().map(|r| r.redeemed).sum()),
            ));
        }
        let actions = !info.version_name.is_empty();
        line(format!(
            "  price        ${} -> ${} per {t}{}",
            price_f64(first.price_usd_pico),
            price_f64(last.price_usd_pico),
            if actions {
                format!(
                    "; {} -> {} {t} per action",
                    human(first.tokens_per_action, d),
                    human(last.tokens_per_action, d)
                )
            } else {
                String::new()
            }
        ));
        line(format!(
            "  supply       {} -> {} {t}{change}",
            h(self.initial_supply),
            h(supply_end)
        ));
        line(format!(
            "  burned       {} {t} ({}); emitted {} {t}",
            h(last.cum_burned),
            {
                // Action and buyback always; the other reasons when they occurred.
                let by_reason = &self.state.totals(info.token).burned_by_reason;
                BurnReason::ALL
                    .iter()
                    .filter(|r| {
                        matches!(r, BurnReason::Action | BurnReason::Buyback)
                            || by_reason[**r as usize] > 0
                    })
                    .map(|r| {
                        format!(
                            "{} {}",
                            r.name().replace('_', " "),
                            h(by_reason[*r as usize])
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            h(last.cum_emitted),
        ));
        line(format!(
            "  regime       {} deflationary, {} neutral, {} inflationary days",
            s.deflationary_days, s.neutral_days, s.inflationary_days
        ));
        if actions {
            line(format!(
                "  actions      {} run ({} pay-as-you-go, {} subscription); {} unfunded",
                count(s.actions.total),
                count(s.actions.api),
                count(s.actions.subscription),
                count(s.unfunded_actions)
            ));
            let trainers: u128 = self.rows.iter().map(|r| r.trainers).sum();
            line(format!(
                "  consumed     {} {t}: creators {}{}{}",
                h(last.cum_tokens_consumed),
                h(last.cum_creator),
                info.leg_names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| info.leg_pays_account[*i])
                    .map(|(i, n)| format!(", {n} {}", h(self.rows.iter().map(|r| r.legs[i]).sum())))
                    .collect::<String>(),
                if trainers > 0 {
                    format!(", trainers {}", h(trainers))
                } else {
                    String::new()
                }
            ));
            line(format!(
                "  break-even   emissions {} {t}/day on day 1, {} on day {}",
                h(first.break_even_emissions),
                h(last.break_even_emissions),
                last.step
            ));
        }
        line(format!(
            "  half-life    projected {}, simulated {}",
            match s.half_life_days_projected {
                Some(v) => format!("{v:.1} days (S0 / 2 x day-1 burn)"),
                None => "n/a (no burn on day 1)".into(),
            },
            match s.simulated_half_life_day {
                Some(day) => format!("day {day}"),
                None => format!("not within {} days", info.days),
            }
        ));
        line(format!(
            "  USD          subscriptions ${}, buybacks ${} for {} {t}",
            human(last.cum_usd_revenue, self.info.numeraire_decimals),
            human(
                self.rows.iter().map(|r| r.buyback_usd).sum(),
                self.info.numeraire_decimals
            ),
            h(self.rows.iter().map(|r| r.buyback_tokens).sum()),
        ));
        line(format!("  invariants   {}", s.invariants));
        for warning in &s.warnings {
            line(format!("  warning: {warning}"));
        }
        out
    }
}

fn count(n: u64) -> String {
    human(n as u128, 0)
}

/// Whole units with thousands separators and at most 2 decimals (display
/// only; rounds half up).
pub fn human(units: u128, decimals: u8) -> String {
    let cents = if decimals >= 2 {
        let unit = furnace_core::units::pow10(decimals - 2);
        (units + unit / 2) / unit
    } else {
        units * furnace_core::units::pow10(2 - decimals)
    };
    let int = cents / 100;
    let frac = cents % 100;
    let digits = int.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac == 0 {
        grouped
    } else if frac % 10 == 0 {
        format!("{grouped}.{}", frac / 10)
    } else {
        format!("{grouped}.{frac:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use furnace_core::units::pow10;

    #[test]
    fn human_numbers() {
        assert_eq!(human(0, 18), "0");
        assert_eq!(human(1_234_567_890 * pow10(18), 18), "1,234,567,890");
        assert_eq!(human(1_234_567_890_000_000_000_000_000, 18), "1,234,567.89");
        assert_eq!(human(1_500_000, 6), "1.5");
        assert_eq!(human(1_234_560_000, 6), "1,234.56");
        assert_eq!(human(5, 0), "5");
        assert_eq!(signed_decimal(-3_400_000, 6), "-3.4");
        assert_eq!(signed_decimal(1, 0), "1");
    }
}
