//! A parsed scenario, compiled against its economy: drivers resolved to
//! the economy's ids, numbers converted, every error located.

use super::raw::RawScenario;
use super::{
    Demand, DemandPath, EmissionSchedule, Emissions, OtherBurns, PricePath, Scenario,
    SubscriptionDrivers, TrainerDrivers, MAX_ACTIONS_PER_DAY, MAX_AGENTS, MAX_EMITTED_UNITS,
    MAX_SIGMA, MAX_TOKEN_PRICE_USD,
};
use crate::economy::{LoadedEconomy, DEFAULT_DECIMALS};
use crate::overrides::blame_overrides;
use crate::read::merge;
use crate::source::{ConfigError, ConfigErrors, Source};
use crate::values::{amount, float, power_of_ten, share, Number};
use furnace_core::economy::{Economy, LegKind};
use furnace_core::event::MintReason;
use furnace_core::ids::{AccountId, VersionId};
use furnace_core::units::{format_decimal, parse_decimal, Ppm, PRICE_DECIMALS};
use std::path::PathBuf;
use toml::Spanned;

/// A float driver parameter inside its range: `ok` says whether a value
/// is, `range` how the message says it. `None` (error recorded) if not.
fn within(
    source: &Source,
    errors: &mut Vec<ConfigError>,
    key: &str,
    v: &Spanned<Number>,
    ok: impl Fn(f64) -> bool,
    range: &str,
) -> Option<f64> {
    match float(source, key, v) {
        Ok(x) if ok(x) => Some(x),
        Ok(_) => {
            let found = v.get_ref().text();
            errors.push(source.error(
                Some(v.span()),
                key,
                format!("must be {range}, found {found}"),
            ));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// The first day (1-based, within `days`) on which `start * (1 +
/// growth)^t` (the simulator's growth path, `t` from 0) passes `cap`.
fn first_day_past(start: f64, growth: f64, days: u32, cap: f64) -> Option<u32> {
    (0..days)
        .find(|t| start * (1.0 + growth).powf(f64::from(*t)) > cap)
        .map(|t| t + 1)
}

/// A daily growth rate: above -100% (at -100% the quantity is gone the
/// next day).
fn growth_rate(
    source: &Source,
    errors: &mut Vec<ConfigError>,
    key: &str,
    v: &Spanned<Number>,
) -> Option<f64> {
    within(source, errors, key, v, |g| g > -1.0, "greater than -100%")
}

/// The error of a growth path that passes its bound on `day`.
fn passes(
    source: &Source,
    key: &str,
    v: &Spanned<Number>,
    (what, cap): (&str, String),
    (day, days): (u32, u32),
) -> ConfigError {
    source.error(
        Some(v.span()),
        key,
        format!("grows {what} past {cap} on day {day} of {days}: at most {cap}"),
    )
}

pub(crate) fn compile_scenario(
    source: Source,
    raw: RawScenario,
    read_errors: Vec<ConfigError>,
    economy_path: PathBuf,
    economy: LoadedEconomy,
) -> Result<Scenario, ConfigErrors> {
    let mut errors: Vec<ConfigError> = Vec::new();
    let e: &Economy = &economy.economy;
    // In range (or a placeholder whose error the reader reported).
    let days = *raw.days.get_ref();
    let numeraire = e.asset_name(e.numeraire).to_string();
    let max_price = format!("{} {numeraire}", power_of_ten(1_000_000_000));
    let version = raw
        .version
        .as_ref()
        .map(|name| match e.version_by_name(name.get_ref()) {
            Some(v) => v,
            None => {
                let known: Vec<&str> = e.versions.iter().map(|v| v.name.as_str()).collect();
                errors.push(source.error(
                    Some(name.span()),
                    "version",
                    format!(
                        "the economy has no version `{}` (versions: {})",
                        name.get_ref(),
                        if known.is_empty() {
                            "none".into()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
                VersionId(0)
            }
        });
    let sales = raw
        .sales
        .as_ref()
        .and_then(|s| super::markets::sales(e, &source, &mut errors, s, days));
    // The token the scenario follows: the version's, else the sale's.
    let token = match (version.and_then(|v| e.versions.get(v.index())), &sales) {
        (Some(v), Some(s)) if v.token != s.token => {
            errors.push(source.error(
                raw.sales.as_ref().map(|s| s.sale.span()),
                "sales.sale",
                format!(
                    "the sale sells {} but the version consumes {}: a scenario follows one token",
                    e.asset_name(s.token),
                    e.asset_name(v.token)
                ),
            ));
            v.token
        }
        (Some(v), _) => v.token,
        (None, Some(s)) => s.token,
        (None, None) => {
            if raw.version.is_none() && raw.sales.is_none() {
                errors.push(source.error(
                    Some(raw.name.span()),
                    "version",
                    "a scenario needs a `version` (pay-as-you-go actions) or `[sales]`".into(),
                ));
            }
            e.numeraire
        }
    };
    // Emissions and burns are amounts of that token.
    let token_decimals = e
        .declared_asset(token)
        .map_or(DEFAULT_DECIMALS, |a| a.decimals);
    let demand_market = raw
        .demand
        .as_ref()
        .and_then(|d| d.market.as_ref())
        .and_then(|m| super::markets::market(e, &source, &mut errors, "demand.market", m, token));
    let holders = super::markets::holders(e, &source, &mut errors, &raw.holders, token);
    let buyback_spread_days = super::markets::spread_days(&source, &mut errors, &raw.buybacks);

    // Helpers that record an error and return a neutral value so every
    // problem is reported in one pass.
    let need = |errors: &mut Vec<ConfigError>,
                key: &str,
                model: &Spanned<String>,
                value: Option<&Spanned<Number>>|
     -> Option<Spanned<Number>> {
        if value.is_none() {
            errors.push(source.error(
                Some(model.span()),
                key,
                format!("model `{}` needs `{key}`", model.get_ref()),
            ));
        }
        value.cloned()
    };

    let p = &raw.price;
    let price_range = format!("greater than 0 and at most {max_price}");
    let price_ok = |x: f64| x > 0.0 && x <= MAX_TOKEN_PRICE_USD;
    let sigma_range = format!("from 0% to {}%", MAX_SIGMA * 100.0);
    let sigma_ok = |x: f64| (0.0..=MAX_SIGMA).contains(&x);
    let price = match p.model.get_ref().as_str() {
        "constant" => {
            let start = need(
                &mut errors,
                "price.start_usd",
                &p.model,
                p.start_usd.as_ref(),
            );
            let price_usd_pico = start.map_or(1, |v| {
                let text = v.get_ref().text();
                let max = 1_000_000_000 * furnace_core::units::pow10(PRICE_DECIMALS);
                match parse_decimal(&text, PRICE_DECIMALS) {
                    Ok(p) if p > 0 && p <= max => p,
                    Ok(_) => {
                        errors.push(source.error(
                            Some(v.span()),
                            "price.start_usd",
                            format!("must be {price_range}, found {text}"),
                        ));
                        1
                    }
                    Err(err) => {
                        errors.push(source.error(
                            Some(v.span()),
                            "price.start_usd",
                            format!("`{text}` is not a valid price: {err}"),
                        ));
                        1
                    }
                }
            });
            PricePath::Constant { price_usd_pico }
        }
        "growth" => {
            let s = need(
                &mut errors,
                "price.start_usd",
                &p.model,
                p.start_usd.as_ref(),
            );
            let g = need(
                &mut errors,
                "price.daily_growth",
                &p.model,
                p.daily_growth.as_ref(),
            );
            let start = s.as_ref().and_then(|v| {
                within(
                    &source,
                    &mut errors,
                    "price.start_usd",
                    v,
                    price_ok,
                    &price_range,
                )
            });
            let growth = g
                .as_ref()
                .and_then(|v| growth_rate(&source, &mut errors, "price.daily_growth", v));
            if let (Some(start), Some(growth), Some(g)) = (start, growth, &g) {
                if let Some(day) = first_day_past(start, growth, days, MAX_TOKEN_PRICE_USD) {
                    let what = ("the price", max_price.clone());
                    errors.push(passes(&source, "price.daily_growth", g, what, (day, days)));
                }
            }
            PricePath::Growth {
                start_usd: start.unwrap_or(1.0),
                daily_growth: growth.unwrap_or(0.0),
            }
        }
        "gbm" => {
            let s = need(
                &mut errors,
                "price.start_usd",
                &p.model,
                p.start_usd.as_ref(),
            );
            let v = need(
                &mut errors,
                "price.annual_volatility",
                &p.model,
                p.annual_volatility.as_ref(),
            );
            let drift_range = format!("from -{0}% to {0}%", MAX_SIGMA * 100.0);
            let drift_ok = |x: f64| (-MAX_SIGMA..=MAX_SIGMA).contains(&x);
            let mut get =
                |key: &str, v: Option<Spanned<Number>>, ok: &dyn Fn(f64) -> bool, range: &str| {
                    v.and_then(|v| within(&source, &mut errors, key, &v, ok, range))
                };
            PricePath::Gbm {
                start_usd: get("price.start_usd", s, &price_ok, &price_range).unwrap_or(1.0),
                annual_drift: get(
                    "price.annual_drift",
                    p.annual_drift.clone(),
                    &drift_ok,
                    &drift_range,
                )
                .unwrap_or(0.0),
                annual_volatility: get("price.annual_volatility", v, &sigma_ok, &sigma_range)
                    .unwrap_or(0.0),
            }
        }
        "table" => {
            let table = p.table_usd.clone().unwrap_or_default();
            if table.is_empty() {
                errors.push(source.error(
                    Some(p.model.span()),
                    "price.table_usd",
                    "model `table` needs a non-empty `table_usd`".into(),
                ));
            }
            PricePath::Table {
                usd: table
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let key = format!("price.table_usd[{i}]");
                        within(&source, &mut errors, &key, v, price_ok, &price_range).unwrap_or(1.0)
                    })
                    .collect(),
            }
        }
        other => {
            errors.push(source.error(
                Some(p.model.span()),
                "price.model",
                format!("unknown price model `{other}` (constant, growth, gbm, table)"),
            ));
            PricePath::Constant { price_usd_pico: 1 }
        }
    };

    let demand = match &raw.demand {
        None => Demand {
            path: DemandPath::Constant { actions: 0 },
            noise: 0.0,
            marketplace_share: Ppm::ZERO,
            creator_epoch: 1,
        },
        Some(d) => {
            if version.is_none() {
                errors.push(source.error(
                    Some(d.model.span()),
                    "demand",
                    "pay-as-you-go demand needs a `version` to run on".into(),
                ));
            }
            let path = match d.model.get_ref().as_str() {
                "constant" | "growth" => {
                    let actions = match &d.actions_per_day {
                        Some(a) => *a.get_ref(),
                        None => {
                            errors.push(source.error(
                                Some(d.model.span()),
                                "demand.actions_per_day",
                                format!("model `{}` needs `actions_per_day`", d.model.get_ref()),
                            ));
                            0
                        }
                    };
                    if d.model.get_ref() == "constant" {
                        DemandPath::Constant { actions }
                    } else {
                        let g = need(
                            &mut errors,
                            "demand.daily_growth",
                            &d.model,
                            d.daily_growth.as_ref(),
                        );
                        let key = "demand.daily_growth";
                        let growth = g
                            .as_ref()
                            .and_then(|v| growth_rate(&source, &mut errors, key, v));
                        if let (Some(growth), Some(g)) = (growth, &g) {
                            // Exact in f64: both are at most 10^12.
                            let (start, cap) = (actions as f64, MAX_ACTIONS_PER_DAY as f64);
                            if let Some(day) = first_day_past(start, growth, days, cap) {
                                let max = power_of_ten(u128::from(MAX_ACTIONS_PER_DAY));
                                let cap = format!("{max} actions a day");
                                errors.push(passes(&source, key, g, ("demand", cap), (day, days)));
                            }
                        }
                        DemandPath::Growth {
                            start: actions,
                            daily_growth: growth.unwrap_or(0.0),
                        }
                    }
                }
                "table" => {
                    let actions: Vec<u64> =
                        d.table.iter().flatten().map(|a| *a.get_ref()).collect();
                    if actions.is_empty() {
                        errors.push(source.error(
                            Some(d.model.span()),
                            "demand.table",
                            "model `table` needs a non-empty `table`".into(),
                        ));
                    }
                    DemandPath::Table { actions }
                }
                other => {
                    errors.push(source.error(
                        Some(d.model.span()),
                        "demand.model",
                        format!("unknown demand model `{other}` (constant, growth, table)"),
                    ));
                    DemandPath::Constant { actions: 0 }
                }
            };
            let marketplace_share =
                share(&source, "demand.marketplace_share", &d.marketplace_share).unwrap_or_else(
                    |e| {
                        errors.push(e);
                        Ppm::ZERO
                    },
                );
            if *d.creator_epoch.get_ref() == 0 {
                errors.push(source.error(
                    Some(d.creator_epoch.span()),
                    "demand.creator_epoch",
                    "Creator Epochs start at 1".into(),
                ));
            }
            let noise = d.noise.as_ref().and_then(|v| {
                within(
                    &source,
                    &mut errors,
                    "demand.noise",
                    v,
                    sigma_ok,
                    &sigma_range,
                )
            });
            Demand {
                path,
                noise: noise.unwrap_or(0.0),
                marketplace_share,
                creator_epoch: *d.creator_epoch.get_ref(),
            }
        }
    };

    let emissions = match &raw.emissions {
        None => Emissions {
            schedule: EmissionSchedule::None,
            to: AccountId(0),
            reason: MintReason::TrainingReward,
        },
        Some(em) => {
            let to = match e.account_by_name(em.to.get_ref()) {
                Some(a) => a,
                None => {
                    errors.push(source.error(
                        Some(em.to.span()),
                        "emissions.to",
                        format!("the economy has no account `{}`", em.to.get_ref()),
                    ));
                    AccountId(0)
                }
            };
            let reason = match MintReason::parse(em.reason.get_ref()) {
                Some(r) if r.is_emission() => r,
                _ => {
                    errors.push(source.error(
                        Some(em.reason.span()),
                        "emissions.reason",
                        format!(
                            "`{}` is not an emission reason (training_reward, grant, referral, staking)",
                            em.reason.get_ref()
                        ),
                    ));
                    MintReason::TrainingReward
                }
            };
            let tokens =
                |errors: &mut Vec<ConfigError>, key: &str, v: &Option<Spanned<Number>>| match v {
                    Some(v) => amount(&source, key, v, token_decimals).unwrap_or_else(|e| {
                        errors.push(e);
                        0
                    }),
                    None => {
                        errors.push(source.error(
                            Some(em.model.span()),
                            key,
                            format!("model `{}` needs `{key}`", em.model.get_ref()),
                        ));
                        0
                    }
                };
            // At most MAX_EMITTED_UNITS over the horizon: a day's amount
            // times the days (the most any schedule of it can mint).
            let token_name = e.asset_name(token).to_string();
            let bounded = |errors: &mut Vec<ConfigError>,
                           key: &str,
                           v: &Option<Spanned<Number>>| {
                let per_day = tokens(errors, key, v);
                let total = per_day.checked_mul(u128::from(days.max(1)));
                if total.is_none_or(|t| t > MAX_EMITTED_UNITS) {
                    let max =
                        format_decimal(MAX_EMITTED_UNITS / u128::from(days.max(1)), token_decimals);
                    let all = power_of_ten(MAX_EMITTED_UNITS);
                    let written = v.as_ref().map(|v| v.get_ref().text()).unwrap_or_default();
                    errors.push(source.error(
                        v.as_ref().map(Spanned::span),
                        key,
                        format!(
                            "must be at most {max} {token_name} a day (over {days} days at most {all} base units may be minted), found {written}"
                        ),
                    ));
                }
                per_day
            };
            let schedule = match em.model.get_ref().as_str() {
                "none" => EmissionSchedule::None,
                "constant" => EmissionSchedule::Constant {
                    per_day: bounded(&mut errors, "emissions.per_day", &em.per_day),
                },
                "halving" => {
                    let per_day = bounded(&mut errors, "emissions.per_day", &em.per_day);
                    let half_life_days = em.half_life_days.as_ref().map_or(0, |h| *h.get_ref());
                    if half_life_days == 0 {
                        errors.push(source.error(
                            Some(em.model.span()),
                            "emissions.half_life_days",
                            "model `halving` needs `half_life_days` > 0".into(),
                        ));
                    }
                    EmissionSchedule::Halving {
                        per_day,
                        half_life_days: half_life_days.max(1),
                    }
                }
                "linear_decay" => {
                    let per_day = bounded(&mut errors, "emissions.per_day", &em.per_day);
                    let end_day = em.end_day.as_ref().map_or(0, |h| *h.get_ref());
                    if end_day == 0 {
                        errors.push(source.error(
                            Some(em.model.span()),
                            "emissions.end_day",
                            "model `linear_decay` needs `end_day` > 0".into(),
                        ));
                    }
                    EmissionSchedule::LinearDecay {
                        per_day,
                        end_day: end_day.max(1),
                    }
                }
                "table" => {
                    let table = em.table.clone().unwrap_or_default();
                    let per_day: Vec<u128> = table
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let key = format!("emissions.table[{i}]");
                            tokens(&mut errors, &key, &Some(v.clone()))
                        })
                        .collect();
                    let horizon = usize::try_from(days).unwrap_or(usize::MAX);
                    let total = per_day
                        .iter()
                        .take(horizon)
                        .try_fold(0u128, |sum, d| sum.checked_add(*d));
                    if total.is_none_or(|t| t > MAX_EMITTED_UNITS) {
                        let all = power_of_ten(MAX_EMITTED_UNITS);
                        errors.push(source.error(
                            table.first().map(Spanned::span),
                            "emissions.table",
                            format!(
                                "mints more than {all} base units of {token_name} over {days} days: at most {all} in all"
                            ),
                        ));
                    }
                    EmissionSchedule::Table { per_day }
                }
                other => {
                    errors.push(source.error(
                        Some(em.model.span()),
                        "emissions.model",
                        format!(
                            "unknown emission model `{other}` (none, constant, halving, linear_decay, table)"
                        ),
                    ));
                    EmissionSchedule::None
                }
            };
            Emissions {
                schedule,
                to,
                reason,
            }
        }
    };

    let subscriptions = raw.subscriptions.as_ref().and_then(|s| {
        if e.plans.is_empty() {
            errors.push(source.error(
                Some(s.plan.span()),
                "subscriptions",
                "the economy declares no [plans]".into(),
            ));
            return None;
        }
        let count = |n: &Option<Spanned<u32>>| n.as_ref().map_or(0, |n| *n.get_ref());
        let (usd_agents, token_agents) = (count(&s.usd_agents), count(&s.token_agents));
        if u64::from(usd_agents) + u64::from(token_agents) > u64::from(MAX_AGENTS) {
            let at = s.token_agents.as_ref().or(s.usd_agents.as_ref());
            errors.push(source.error(
                at.map(Spanned::span),
                "subscriptions",
                format!(
                    "usd_agents + token_agents must be at most {MAX_AGENTS} agents in all, found {usd_agents} + {token_agents}"
                ),
            ));
        }
        match e.plan_by_name(s.plan.get_ref()) {
            Some(plan) => Some(SubscriptionDrivers {
                plan,
                usd_agents,
                token_agents,
            }),
            None => {
                errors.push(source.error(
                    Some(s.plan.span()),
                    "subscriptions.plan",
                    format!("the economy has no plan `{}`", s.plan.get_ref()),
                ));
                None
            }
        }
    });

    let trainers = raw.trainers.as_ref().map(|t| {
        // From 1 to MAX_TRAINERS_PER_PATH: the reader checked.
        let n = *t.trainers.get_ref();
        let has_leg = version
            .and_then(|v| e.versions.get(v.index()))
            .is_some_and(|v| {
                e.split(v.split)
                    .legs
                    .iter()
                    .any(|l| l.kind == LegKind::Trainers)
            });
        if !has_leg {
            errors.push(source.error(
                Some(t.trainers.span()),
                "trainers",
                match &raw.version {
                    Some(v) => format!(
                        "version `{}`'s split has no trainers leg to pay them from",
                        v.get_ref()
                    ),
                    None => "trainers need a `version` whose split has a trainers leg".into(),
                },
            ));
        }
        let path_share = share(&source, "trainers.path_share", &t.path_share).unwrap_or_else(|e| {
            errors.push(e);
            Ppm::ZERO
        });
        TrainerDrivers {
            trainers: n,
            path_share,
        }
    });

    let mut burns = OtherBurns::default();
    if let Some(b) = &raw.burns {
        if let Some(v) = &b.failed_action_share {
            burns.failed_action_share = share(&source, "burns.failed_action_share", v)
                .unwrap_or_else(|e| {
                    errors.push(e);
                    Ppm::ZERO
                });
        }
        let mut tokens = |key: &str, v: &Option<Spanned<Number>>| {
            v.as_ref().map_or(0, |v| {
                amount(&source, key, v, token_decimals).unwrap_or_else(|e| {
                    errors.push(e);
                    0
                })
            })
        };
        burns.voluntary_per_day = tokens("burns.voluntary_per_day", &b.voluntary_per_day);
        burns.penalty_per_day = tokens("burns.penalty_per_day", &b.penalty_per_day);
        burns.penalty_from = match &b.penalty_from {
            Some(name) => match e.account_by_name(name.get_ref()) {
                Some(a) => Some(a),
                None => {
                    errors.push(source.error(
                        Some(name.span()),
                        "burns.penalty_from",
                        format!("the economy has no account `{}`", name.get_ref()),
                    ));
                    None
                }
            },
            None => None,
        };
        if burns.penalty_per_day > 0 && burns.penalty_from.is_none() && b.penalty_from.is_none() {
            errors.push(source.error(
                b.penalty_per_day.as_ref().map(|v| v.span()),
                "burns.penalty_from",
                "penalty burns need `penalty_from`, the account they are taken from".into(),
            ));
        }
    }

    let errors = merge(read_errors, errors);
    if !errors.is_empty() {
        return Err(blame_overrides(&source, "", errors));
    }
    Ok(Scenario {
        name: raw.name.get_ref().clone(),
        description: raw.description,
        economy_path,
        economy,
        days,
        seed: raw.seed,
        version,
        token,
        demand_market,
        sales,
        buyback_spread_days,
        holders,
        price,
        demand,
        emissions,
        subscriptions,
        trainers,
        burns,
        source,
    })
}
