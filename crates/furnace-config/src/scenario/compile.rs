//! A parsed scenario, compiled against its economy: drivers resolved to
//! the economy's ids, numbers converted, every error located. The version,
//! the token, subscriptions, trainers and burns are compiled here; the
//! price, demand and emission paths in `paths.rs`, the drivers that trade
//! (markets, sell-back, sales, buyback spread) in `markets.rs`.

use super::raw::RawScenario;
use super::{OtherBurns, Scenario, SubscriptionDrivers, TrainerDrivers, MAX_AGENTS};
use crate::economy::{LoadedEconomy, DEFAULT_DECIMALS};
use crate::overrides::blame_overrides;
use crate::read::merge;
use crate::source::{ConfigError, ConfigErrors, Source};
use crate::values::{amount, share, Number};
use furnace_core::economy::{Economy, LegKind, PoolWeight};
use furnace_core::ids::VersionId;
use furnace_core::units::Ppm;
use std::path::PathBuf;
use toml::Spanned;

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
        (None, None) if raw.token.is_some() => {
            let name = raw.token.as_ref().expect("matched");
            match e.asset_by_name(name.get_ref()) {
                Some(a) if a != e.numeraire => a,
                _ => {
                    errors.push(source.error(
                        Some(name.span()),
                        "token",
                        format!("the economy has no token `{}`", name.get_ref()),
                    ));
                    e.numeraire
                }
            }
        }
        (None, None) => {
            if raw.version.is_none() && raw.sales.is_none() {
                errors.push(source.error(
                    Some(raw.name.span()),
                    "version",
                    "a scenario needs a `version` (pay-as-you-go actions), `[sales]` or the `token` it follows".into(),
                ));
            }
            e.numeraire
        }
    };
    // `token` is for scenarios without a version or sale; with one it may
    // only repeat the token they follow.
    if let Some(name) = raw
        .token
        .as_ref()
        .filter(|_| version.is_some() || sales.is_some())
    {
        if e.asset_by_name(name.get_ref()) != Some(token) {
            errors.push(source.error(
                Some(name.span()),
                "token",
                format!(
                    "the scenario follows {}, its version's or sale's token, not `{}`",
                    e.asset_name(token),
                    name.get_ref()
                ),
            ));
        }
    }
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

    let price = super::paths::price(e, &source, &mut errors, &raw.price, days);
    let demand = super::demand::demand(&source, &mut errors, raw.demand.as_ref(), version, days);
    let emissions = super::paths::emissions(
        e,
        &source,
        &mut errors,
        raw.emissions.as_ref(),
        (token, token_decimals),
        days,
    );

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
        let pool = t.pool.as_ref().and_then(|name| {
            let fail = |message: String| source.error(Some(name.span()), "trainers.pool", message);
            let Some(id) = e.reward_pool_by_name(name.get_ref()) else {
                let pools: Vec<&str> = e.reward_pools.iter().map(|p| p.name.as_str()).collect();
                let listing = if pools.is_empty() {
                    "the economy declares no [reward_pools]".to_string()
                } else {
                    format!("reward pools: {}", pools.join(", "))
                };
                errors.push(fail(format!("no reward pool named `{}` ({listing})", name.get_ref())));
                return None;
            };
            let spec = &e.reward_pools[id.index()];
            let token = version.and_then(|v| e.versions.get(v.index())).map(|v| v.token);
            if spec.weight != PoolWeight::Points {
                errors.push(fail(format!(
                    "reward pool `{}` is a stake pool: pooled trainers need a points pool (`points = true`), whose weights are quality x usage",
                    spec.name
                )));
                None
            } else if token.is_some_and(|t| t != spec.reward) {
                errors.push(fail(format!(
                    "reward pool `{}` pays in {}, but the trainers leg pays in {}",
                    spec.name,
                    e.asset_name(spec.reward),
                    e.asset_name(token.unwrap_or(spec.reward))
                )));
                None
            } else {
                Some(id)
            }
        });
        TrainerDrivers {
            trainers: n,
            path_share,
            pool,
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

    let shocks = super::stochastic::shocks(e, &source, &mut errors, &raw.shocks, (token, days));
    let detectors = super::stochastic::detectors(e, &source, &mut errors, raw.detectors.as_ref());
    let launches = super::launches::compile(e, &source, &mut errors, &raw.launches, days);
    let training = super::training::training(e, &source, &mut errors, raw.training.as_ref());

    let rewards = super::rewards::compile(e, &source, &mut errors, raw.rewards.as_ref());
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
        training,
        burns,
        shocks,
        detectors,
        launches,
        source,
        rewards,
    })
}
