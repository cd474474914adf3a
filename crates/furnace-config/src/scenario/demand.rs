//! `[demand]`: pay-as-you-go actions a day. Deterministic paths
//! (constant, growth, table, a table of rates) are checked against
//! [`MAX_ACTIONS_PER_DAY`] on every day of the horizon; random ones
//! (random growth draws, a GBM) cannot be, and the simulator caps and
//! counts the days they pass it.

use super::paths::{first_day_past, growth_rate, need, passes, sigma_ok, sigma_range, within};
use super::raw::RawDemand;
use super::stochastic::seasonality;
use super::{Demand, DemandPath, MAX_ACTIONS_PER_DAY, MAX_SIGMA};
use crate::source::{ConfigError, Source};
use crate::values::{power_of_ten, share, Number};
use furnace_core::ids::VersionId;
use furnace_core::units::Ppm;
use toml::Spanned;

/// The models, for the unknown-model message.
const MODELS: &str = "constant, growth, table, random_growth, gbm, rates";

/// A daily growth mean or drift: within ±[`MAX_SIGMA`] (1000% a day is
/// already a slip for "10%").
fn drift_ok(x: f64) -> bool {
    (-MAX_SIGMA..=MAX_SIGMA).contains(&x)
}

fn drift_range() -> String {
    format!("from -{0}% to {0}%", MAX_SIGMA * 100.0)
}

/// The error of a deterministic path that passes the daily bound on `day`.
fn past_bound(
    source: &Source,
    key: &str,
    at: &Spanned<Number>,
    day: u32,
    days: u32,
) -> ConfigError {
    let max = power_of_ten(u128::from(MAX_ACTIONS_PER_DAY));
    passes(
        source,
        key,
        at,
        ("demand", format!("{max} actions a day")),
        (day, days),
    )
}

pub(super) fn demand(
    source: &Source,
    errors: &mut Vec<ConfigError>,
    raw: Option<&RawDemand>,
    version: Option<VersionId>,
    days: u32,
) -> Demand {
    let Some(d) = raw else {
        return Demand {
            path: DemandPath::Constant { actions: 0 },
            noise: 0.0,
            marketplace_share: Ppm::ZERO,
            creator_epoch: 1,
            seasonality: None,
        };
    };
    if version.is_none() {
        errors.push(source.error(
            Some(d.model.span()),
            "demand",
            "pay-as-you-go demand needs a `version` to run on".into(),
        ));
    }
    let model = d.model.get_ref().as_str();
    let start = || -> u64 {
        match &d.actions_per_day {
            Some(a) => *a.get_ref(),
            None => 0,
        }
    };
    if model != "table" && DemandPath::is_model(model) && d.actions_per_day.is_none() {
        errors.push(source.error(
            Some(d.model.span()),
            "demand.actions_per_day",
            format!("model `{model}` needs `actions_per_day`"),
        ));
    }
    let mut get =
        |key: &str, v: Option<&Spanned<Number>>, ok: &dyn Fn(f64) -> bool, range: &str| {
            need(source, errors, key, &d.model, v)
                .and_then(|v| within(source, errors, key, &v, ok, range))
        };
    let path = match model {
        "constant" => DemandPath::Constant { actions: start() },
        "growth" => {
            let key = "demand.daily_growth";
            let g = need(source, errors, key, &d.model, d.daily_growth.as_ref());
            let growth = g.as_ref().and_then(|v| growth_rate(source, errors, key, v));
            if let (Some(growth), Some(g)) = (growth, &g) {
                // Exact in f64: both are at most 10^12.
                let (s, cap) = (start() as f64, MAX_ACTIONS_PER_DAY as f64);
                if let Some(day) = first_day_past(s, growth, days, cap) {
                    errors.push(past_bound(source, key, g, day, days));
                }
            }
            DemandPath::Growth {
                start: start(),
                daily_growth: growth.unwrap_or(0.0),
            }
        }
        "table" => {
            let actions: Vec<u64> = d.table.iter().flatten().map(|a| *a.get_ref()).collect();
            if actions.is_empty() {
                errors.push(source.error(
                    Some(d.model.span()),
                    "demand.table",
                    "model `table` needs a non-empty `table`".into(),
                ));
            }
            DemandPath::Table { actions }
        }
        "random_growth" => {
            let mean = get(
                "demand.growth_mean",
                d.growth_mean.as_ref(),
                &drift_ok,
                &drift_range(),
            );
            let sd = get(
                "demand.growth_sd",
                d.growth_sd.as_ref(),
                &sigma_ok,
                &sigma_range(),
            );
            // A floor of -100% lets a day's demand reach 0 and stay there;
            // below it demand would turn negative.
            let floor = match &d.growth_floor {
                None => -1.0,
                Some(v) => within(
                    source,
                    errors,
                    "demand.growth_floor",
                    v,
                    |f| (-1.0..=MAX_SIGMA).contains(&f),
                    &format!("from -100% to {}%", MAX_SIGMA * 100.0),
                )
                .unwrap_or(-1.0),
            };
            DemandPath::RandomGrowth {
                start: start(),
                mean: mean.unwrap_or(0.0),
                sd: sd.unwrap_or(0.0),
                floor,
            }
        }
        "gbm" => {
            let drift = get(
                "demand.daily_drift",
                d.daily_drift.as_ref(),
                &drift_ok,
                &drift_range(),
            );
            let volatility = get(
                "demand.daily_volatility",
                d.daily_volatility.as_ref(),
                &sigma_ok,
                &sigma_range(),
            );
            DemandPath::Gbm {
                start: start(),
                drift: drift.unwrap_or(0.0),
                volatility: volatility.unwrap_or(0.0),
            }
        }
        "rates" => {
            let written = d.rates.clone().unwrap_or_default();
            if written.is_empty() {
                errors.push(source.error(
                    Some(d.model.span()),
                    "demand.rates",
                    "model `rates` needs a non-empty `rates` (one daily growth rate per day, the last repeating)".into(),
                ));
            }
            let rates: Vec<f64> = written
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    growth_rate(source, errors, &format!("demand.rates[{i}]"), v).unwrap_or(0.0)
                })
                .collect();
            // The path is deterministic: check it on every day, as growth.
            let mut a = start() as f64;
            for t in 0..days {
                if a > MAX_ACTIONS_PER_DAY as f64 {
                    let i = (t as usize)
                        .saturating_sub(1)
                        .min(written.len().saturating_sub(1));
                    if let Some(at) = written.get(i) {
                        errors.push(past_bound(
                            source,
                            &format!("demand.rates[{i}]"),
                            at,
                            t + 1,
                            days,
                        ));
                    }
                    break;
                }
                a *= 1.0
                    + rates
                        .get(t as usize)
                        .or(rates.last())
                        .copied()
                        .unwrap_or(0.0);
            }
            DemandPath::Rates {
                start: start(),
                rates,
            }
        }
        other => {
            errors.push(source.error(
                Some(d.model.span()),
                "demand.model",
                format!("unknown demand model `{other}` ({MODELS})"),
            ));
            DemandPath::Constant { actions: 0 }
        }
    };
    let marketplace_share = share(source, "demand.marketplace_share", &d.marketplace_share)
        .unwrap_or_else(|e| {
            errors.push(e);
            Ppm::ZERO
        });
    if *d.creator_epoch.get_ref() == 0 {
        errors.push(source.error(
            Some(d.creator_epoch.span()),
            "demand.creator_epoch",
            "Creator Epochs start at 1".into(),
        ));
    }
    let noise = d
        .noise
        .as_ref()
        .and_then(|v| within(source, errors, "demand.noise", v, sigma_ok, &sigma_range()));
    Demand {
        path,
        noise: noise.unwrap_or(0.0),
        marketplace_share,
        creator_epoch: *d.creator_epoch.get_ref(),
        seasonality: seasonality(source, errors, d),
    }
}

impl DemandPath {
    /// Whether `model` names a demand model.
    fn is_model(model: &str) -> bool {
        MODELS.split(", ").any(|m| m == model)
    }
}
