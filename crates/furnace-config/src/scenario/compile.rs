//! A parsed scenario, compiled against its economy: drivers resolved to
//! the economy's ids, numbers converted, every error located.

use super::raw::RawScenario;
use super::{
    Demand, DemandPath, EmissionSchedule, Emissions, OtherBurns, PricePath, Scenario,
    SubscriptionDrivers, TrainerDrivers, MAX_DAYS,
};
use crate::economy::{LoadedEconomy, DEFAULT_DECIMALS};
use crate::source::{ConfigError, ConfigErrors, Source};
use crate::values::{amount, float, share, Number};
use furnace_core::economy::{Economy, LegKind, MAX_TRAINERS_PER_PATH};
use furnace_core::event::MintReason;
use furnace_core::ids::{AccountId, VersionId};
use furnace_core::units::{parse_decimal, Ppm, PRICE_DECIMALS};
use std::path::PathBuf;
use toml::Spanned;

pub(crate) fn compile_scenario(
    source: Source,
    raw: RawScenario,
    economy_path: PathBuf,
    economy: LoadedEconomy,
) -> Result<Scenario, ConfigErrors> {
    let mut errors: Vec<ConfigError> = Vec::new();
    let e: &Economy = &economy.economy;
    let days = *raw.days.get_ref();
    if days == 0 || days > MAX_DAYS {
        errors.push(source.error(
            Some(raw.days.span()),
            "days",
            format!("must be between 1 and {MAX_DAYS}"),
        ));
    }
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
    let f = |errors: &mut Vec<ConfigError>, key: &str, v: Option<Spanned<Number>>| -> f64 {
        v.map_or(0.0, |v| {
            float(&source, key, &v).unwrap_or_else(|e| {
                errors.push(e);
                0.0
            })
        })
    };

    let p = &raw.price;
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
                match parse_decimal(&text, PRICE_DECIMALS) {
                    Ok(0) => {
                        errors.push(source.error(
                            Some(v.span()),
                            "price.start_usd",
                            "the token price must be greater than zero".into(),
                        ));
                        1
                    }
                    Ok(p) => p,
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
            PricePath::Growth {
                start_usd: f(&mut errors, "price.start_usd", s),
                daily_growth: f(&mut errors, "price.daily_growth", g),
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
            PricePath::Gbm {
                start_usd: f(&mut errors, "price.start_usd", s),
                annual_drift: f(&mut errors, "price.annual_drift", p.annual_drift.clone()),
                annual_volatility: f(&mut errors, "price.annual_volatility", v),
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
                    .into_iter()
                    .map(|v| f(&mut errors, "price.table_usd", Some(v)))
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
    let start_positive = match &price {
        PricePath::Growth { start_usd, .. } | PricePath::Gbm { start_usd, .. } => *start_usd > 0.0,
        PricePath::Table { usd } => usd.iter().all(|p| *p > 0.0),
        PricePath::Constant { .. } => true,
    };
    if !start_positive {
        errors.push(source.error(
            Some(p.model.span()),
            "price",
            "token prices must be greater than zero".into(),
        ));
    }

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
                        DemandPath::Growth {
                            start: actions,
                            daily_growth: f(&mut errors, "demand.daily_growth", g),
                        }
                    }
                }
                "table" => {
                    let actions = d.table.clone().unwrap_or_default();
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
            Demand {
                path,
                noise: f(&mut errors, "demand.noise", d.noise.clone()),
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
            let schedule = match em.model.get_ref().as_str() {
                "none" => EmissionSchedule::None,
                "constant" => EmissionSchedule::Constant {
                    per_day: tokens(&mut errors, "emissions.per_day", &em.per_day),
                },
                "halving" => {
                    let per_day = tokens(&mut errors, "emissions.per_day", &em.per_day);
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
                    let per_day = tokens(&mut errors, "emissions.per_day", &em.per_day);
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
                "table" => EmissionSchedule::Table {
                    per_day: em
                        .table
                        .clone()
                        .unwrap_or_default()
                        .iter()
                        .map(|v| tokens(&mut errors, "emissions.table", &Some(v.clone())))
                        .collect(),
                },
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
        match e.plan_by_name(s.plan.get_ref()) {
            Some(plan) => Some(SubscriptionDrivers {
                plan,
                usd_agents: s.usd_agents,
                token_agents: s.token_agents,
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
        let n = *t.trainers.get_ref();
        if n == 0 || n as usize > MAX_TRAINERS_PER_PATH {
            errors.push(source.error(
                Some(t.trainers.span()),
                "trainers.trainers",
                format!("must be between 1 and {MAX_TRAINERS_PER_PATH}"),
            ));
        }
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

    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
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
