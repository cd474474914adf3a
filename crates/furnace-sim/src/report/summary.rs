//! `summary.json`: the [`Summary`] of a run, its parts, and the units map
//! that records the asset of every amount it writes.

use super::{Change, Total};
use crate::sim::SimResult;
use furnace_core::event::{BurnReason, MintReason};
use furnace_core::units::format_decimal;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// `summary.json`'s `schema`.
pub const SUMMARY_SCHEMA: &str = "furnace-summary";
/// `summary.json`'s `format_version`: 2 is the first with a version, the
/// `units` and `assets` maps, counts as strings and `periods.csv`.
pub const SUMMARY_FORMAT_VERSION: u32 = 2;

/// One period in `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct PeriodSummary {
    pub period: u32,
    pub first_step: u32,
    pub last_step: u32,
    pub burned: String,
    pub emitted: String,
    pub net_supply_change: String,
    pub regime: &'static str,
    pub unfunded_actions: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct BreakEven {
    pub whole_run: String,
    pub last_period: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionCounts {
    pub total: String,
    pub api: String,
    pub subscription: String,
    pub failed: String,
    pub unfunded_api: String,
    pub unfunded_subscription: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct AssetSummary {
    pub decimals: u8,
    pub supply_start: String,
    pub supply_end: String,
    pub minted: String,
    pub burned: String,
}

/// `summary.json`. Conventions (docs/outputs.md): amounts are exact
/// decimal strings of whole units, their unit in `units`; counts that may
/// exceed 2^53 are decimal strings; step and day counts are integers; the
/// only float is `half_life_days_projected`.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    pub format_version: u32,
    pub economy: String,
    pub scenario: String,
    pub token: String,
    pub numeraire: String,
    pub version: String,
    pub days: u32,
    pub period_days: u32,
    pub seed: String,
    /// Recipients sell their tokens back to the market daily.
    pub sell_back: bool,
    pub units: BTreeMap<String, String>,
    pub assets: BTreeMap<String, AssetSummary>,
    pub initial_supply: String,
    pub final_supply: String,
    pub net_supply_change: String,
    pub cumulative_tokens_consumed: String,
    pub cumulative_burned: String,
    pub cumulative_burned_by_reason: BTreeMap<&'static str, String>,
    pub cumulative_emitted: String,
    pub cumulative_emitted_by_reason: BTreeMap<&'static str, String>,
    pub cumulative_creator: String,
    pub cumulative_trainers: String,
    pub cumulative_legs: BTreeMap<String, String>,
    pub cumulative_purchased: String,
    pub cumulative_redeemed: String,
    pub cumulative_sold_back: String,
    pub cumulative_emission_cut: String,
    pub cumulative_sales_cut: String,
    pub cumulative_usd_revenue: String,
    pub cumulative_usd_sales: String,
    pub cumulative_usd_market_buys: String,
    pub cumulative_buyback_usd: String,
    pub cumulative_buyback_tokens: String,
    pub deflationary_days: u32,
    pub neutral_days: u32,
    pub inflationary_days: u32,
    pub periods: Vec<PeriodSummary>,
    pub break_even_emissions_per_step: BreakEven,
    pub half_life_days_projected: Option<f64>,
    pub simulated_half_life_day: Option<u32>,
    pub actions: ActionCounts,
    pub unfunded_actions: String,
    pub market_short_days: u32,
    pub token_subscriptions_not_bought: String,
    pub balances: Map<String, Value>,
    pub emission_schedules: Map<String, Value>,
    pub invariants: String,
    pub warnings: Vec<String>,
}

/// Why a schedule stopped, in the words of `emission_schedules.*.stopped_because`.
pub(crate) fn stop_reason(limited_by: Option<furnace_core::engine::EmissionLimit>) -> &'static str {
    use furnace_core::engine::EmissionLimit;
    match limited_by {
        Some(EmissionLimit::ScheduleCap) => "cap",
        Some(EmissionLimit::Source) => "source_ran_out",
        Some(EmissionLimit::MaxSupply) => "max_supply",
        None => "curve_ended",
    }
}

/// Formats amounts and records each one's unit under its key.
struct Amounts {
    units: BTreeMap<String, String>,
    token: (String, u8),
    numeraire: (String, u8),
}

impl Amounts {
    fn of(&mut self, key: impl Into<String>, asset: &str, text: String) -> String {
        self.units.insert(key.into(), asset.to_string());
        text
    }

    fn token(&mut self, key: impl Into<String>, v: impl Into<Total>) -> String {
        let (name, d) = self.token.clone();
        self.of(key, &name, v.into().decimal(d))
    }

    fn usd(&mut self, key: impl Into<String>, v: impl Into<Total>) -> String {
        let (name, d) = self.numeraire.clone();
        self.of(key, &name, v.into().decimal(d))
    }

    fn token_change(&mut self, key: impl Into<String>, c: Change) -> String {
        let (name, d) = self.token.clone();
        self.of(key, &name, c.text(format_decimal(c.magnitude, d)))
    }
}

/// A count as JSON text (exact at any size).
fn count_text(t: Total) -> String {
    t.digits()
}

impl SimResult {
    /// The whole summary (`summary.json`).
    pub fn summary(&self) -> Summary {
        let info = &self.info;
        let mut a = Amounts {
            units: BTreeMap::new(),
            token: (info.token_name.clone(), info.token_decimals),
            numeraire: (info.numeraire_name.clone(), info.numeraire_decimals),
        };
        let last = self.last();
        let totals = self.state.totals(info.token);
        let mut burned_by_reason = BTreeMap::new();
        for reason in BurnReason::ALL {
            let key = format!("cumulative_burned_by_reason.{}", reason.name());
            let v = totals.burned_by_reason[reason.index()];
            burned_by_reason.insert(reason.name(), a.token(key, v));
        }
        let mut emitted_by_reason = BTreeMap::new();
        for reason in MintReason::ALL.iter().filter(|r| r.is_emission()) {
            let key = format!("cumulative_emitted_by_reason.{}", reason.name());
            let v = totals.minted_by_reason[reason.index()];
            emitted_by_reason.insert(reason.name(), a.token(key, v));
        }
        let mut legs = BTreeMap::new();
        for (i, name) in info.leg_names.iter().enumerate() {
            let key = format!("leg_{name}");
            let v = self.total(|r| r.legs[i]);
            legs.insert(key.clone(), a.token(format!("cumulative_legs.{key}"), v));
        }
        let (deflationary_days, neutral_days, inflationary_days) = self.regime_days();
        let mut balances = Map::new();
        for (account, name) in &info.accounts {
            let mut per_asset = Map::new();
            for (asset, asset_name, decimals) in &info.assets {
                let b = self.state.balance(*asset, *account);
                let key = format!("balances.{name}.{asset_name}");
                let text = a.of(key, asset_name, format_decimal(b, *decimals));
                per_asset.insert(asset_name.clone(), Value::String(text));
            }
            balances.insert(name.clone(), Value::Object(per_asset));
        }
        let mut emission_schedules = Map::new();
        for (i, (name, token, decimals, _)) in info.schedules.iter().enumerate() {
            let emitted = self.schedule_emitted.get(i).copied().unwrap_or(0);
            let key = format!("emission_schedules.{name}.emitted");
            let stop = self.schedule_stops.get(i).copied().flatten();
            emission_schedules.insert(
                name.clone(),
                serde_json::json!({
                    "token": token,
                    "emitted": a.of(key, token, format_decimal(emitted, *decimals)),
                    "stopped_on_step": stop.map(|s| s.step),
                    "stopped_because": stop.map(|s| stop_reason(s.limited_by)),
                }),
            );
        }
        let mut assets = BTreeMap::new();
        for f in self.ledger.asset_flows() {
            let Some((_, name, d)) = info.assets.iter().find(|(id, _, _)| *id == f.asset) else {
                continue;
            };
            let mut amount = |what: &str, v: u128| {
                a.of(format!("assets.{name}.{what}"), name, format_decimal(v, *d))
            };
            let summary = AssetSummary {
                decimals: *d,
                supply_start: amount("supply_start", f.supply_start),
                supply_end: amount("supply_end", self.state.supply(f.asset)),
                minted: amount("minted", f.minted),
                burned: amount("burned", f.burned),
            };
            assets.insert(name.clone(), summary);
        }
        let periods = self
            .periods()
            .into_iter()
            .map(|p| PeriodSummary {
                period: p.period,
                first_step: p.first_step,
                last_step: p.last_step,
                burned: a.token("periods[].burned", p.burned),
                emitted: a.token("periods[].emitted", p.emitted),
                net_supply_change: a
                    .token_change("periods[].net_supply_change", p.net_supply_change),
                regime: p.net_supply_change.regime().name(),
                unfunded_actions: count_text(p.unfunded_actions),
            })
            .collect();
        let unfunded_api = self.total(|r| r.unfunded_api);
        let unfunded_sub = self.total(|r| r.unfunded_subscription);
        let final_supply = self.state.supply(info.token);
        Summary {
            schema: SUMMARY_SCHEMA,
            format_version: SUMMARY_FORMAT_VERSION,
            economy: info.economy.clone(),
            scenario: info.scenario.clone(),
            token: info.token_name.clone(),
            numeraire: info.numeraire_name.clone(),
            version: info.version_name.clone(),
            days: info.days,
            period_days: info.period_days,
            seed: info.seed.to_string(),
            sell_back: info.sell_back,
            initial_supply: a.token("initial_supply", self.initial_supply),
            final_supply: a.token("final_supply", final_supply),
            net_supply_change: a.token_change(
                "net_supply_change",
                Change::between(self.initial_supply, final_supply),
            ),
            cumulative_tokens_consumed: a
                .token("cumulative_tokens_consumed", last.cum_tokens_consumed),
            cumulative_burned: a.token("cumulative_burned", last.cum_burned),
            cumulative_burned_by_reason: burned_by_reason,
            cumulative_emitted: a.token("cumulative_emitted", last.cum_emitted),
            cumulative_emitted_by_reason: emitted_by_reason,
            cumulative_creator: a.token("cumulative_creator", last.cum_creator),
            cumulative_trainers: a.token("cumulative_trainers", self.total(|r| r.trainers)),
            cumulative_legs: legs,
            cumulative_purchased: a.token("cumulative_purchased", self.total(|r| r.purchased)),
            cumulative_redeemed: a.token("cumulative_redeemed", self.total(|r| r.redeemed)),
            cumulative_sold_back: a.token("cumulative_sold_back", self.total(|r| r.sold_back)),
            cumulative_emission_cut: a
                .token("cumulative_emission_cut", self.total(|r| r.emission_cut)),
            cumulative_sales_cut: a.token("cumulative_sales_cut", self.total(|r| r.sales_cut)),
            cumulative_usd_revenue: a.usd("cumulative_usd_revenue", last.cum_usd_revenue),
            cumulative_usd_sales: a.usd("cumulative_usd_sales", self.total(|r| r.usd_sales)),
            cumulative_usd_market_buys: a.usd(
                "cumulative_usd_market_buys",
                self.total(|r| r.usd_market_buys),
            ),
            cumulative_buyback_usd: a.usd("cumulative_buyback_usd", self.total(|r| r.buyback_usd)),
            cumulative_buyback_tokens: a.token(
                "cumulative_buyback_tokens",
                self.total(|r| r.buyback_tokens),
            ),
            deflationary_days,
            neutral_days,
            inflationary_days,
            periods,
            break_even_emissions_per_step: BreakEven {
                whole_run: a.token(
                    "break_even_emissions_per_step.whole_run",
                    self.whole_run_break_even(),
                ),
                last_period: a.token(
                    "break_even_emissions_per_step.last_period",
                    self.last_break_even(),
                ),
            },
            half_life_days_projected: self
                .half_life_days_projected()
                .map(|v| (v * 100.0).round() / 100.0),
            simulated_half_life_day: self.simulated_half_life_day(),
            actions: ActionCounts {
                total: count_text(self.total(|r| r.actions)),
                api: count_text(self.total(|r| r.api_actions)),
                subscription: count_text(self.total(|r| r.subscription_actions)),
                failed: count_text(self.total(|r| r.failed_actions)),
                unfunded_api: count_text(unfunded_api),
                unfunded_subscription: count_text(unfunded_sub),
            },
            unfunded_actions: count_text(self.total(|r| r.unfunded_actions)),
            market_short_days: self.market_short_days,
            token_subscriptions_not_bought: self.token_subscriptions_not_bought.to_string(),
            units: a.units,
            assets,
            balances,
            emission_schedules,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::PERIOD_COLUMNS;

    #[test]
    fn period_cells_follow_the_period_columns() {
        // serde's field names are the CSV's column names, in order.
        let p = PeriodSummary {
            period: 1,
            first_step: 1,
            last_step: 30,
            burned: "0".into(),
            emitted: "0".into(),
            net_supply_change: "0".into(),
            regime: "neutral",
            unfunded_actions: "0".into(),
        };
        let json = serde_json::to_string(&p).unwrap();
        let mut at = 0;
        for k in PERIOD_COLUMNS {
            let found = json[at..]
                .find(&format!("\"{}\":", k.pattern))
                .unwrap_or_else(|| panic!("{} out of order in {json}", k.pattern));
            at += found;
        }
    }
}
