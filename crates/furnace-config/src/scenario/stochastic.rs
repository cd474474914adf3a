//! The drivers that happen to a run rather than follow a path: demand
//! seasonality, shocks (`[[shocks]]`) at a day or with a probability, and
//! what the Monte Carlo runner watches for (`[detectors]`).

use super::raw::{RawDemand, RawDetectors, RawShock};
use super::MAX_TOKEN_PRICE_USD;
use crate::source::{ConfigError, Source};
use crate::values::{amount, float, share, Number};
use furnace_core::economy::{Economy, Oracle};
use furnace_core::ids::{AccountId, AssetId};
use furnace_core::units::{parse_decimal, Ppm, PRICE_DECIMALS};
use toml::Spanned;

/// The most `[[shocks]]` a scenario may list: each is checked every day of
/// every run, and 64 is far more than a stress test names (the bundled
/// fuel-sweep stress has 3).
pub const MAX_SHOCKS: usize = 64;

/// `[detectors] inflationary_periods` when not written: three reporting
/// periods in a row (a quarter of 30-day periods) of rising supply.
pub const DEFAULT_INFLATIONARY_PERIODS: u32 = 3;
/// `[detectors] price_drop` when not written: the price at half its step-1
/// value or less.
pub const DEFAULT_PRICE_DROP: Ppm = Ppm(500_000);
/// `[detectors] pool_drained` when not written: a pool reserve below 10%
/// of its genesis reserve.
pub const DEFAULT_POOL_DRAINED: Ppm = Ppm(100_000);

/// A periodic factor on demand: `1 + amplitude x sin(2 pi (t + phase) /
/// period)` on day `t` (0-based).
#[derive(Clone, Debug, PartialEq)]
pub struct Seasonality {
    /// From 0 to 1 (demand never negative).
    pub amplitude: f64,
    pub period_days: u32,
    pub phase_days: u32,
}

/// What a shock does.
#[derive(Clone, Debug, PartialEq)]
pub enum ShockKind {
    /// Demand falls by `size` from that day on (a level shift of the path).
    Demand,
    /// An exogenous price falls by `size` from that day on.
    Price,
    /// `account` sells `size` of the token's supply (at most what it
    /// holds) on the holders' sell market.
    Whale { account: AccountId },
}

/// When a shock happens.
#[derive(Clone, Debug, PartialEq)]
pub enum ShockWhen {
    /// On this step (1-based), in every run.
    Day(u32),
    /// On each step independently with this probability.
    Probability(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Shock {
    pub kind: ShockKind,
    pub when: ShockWhen,
    /// The fall (demand, price) or the share of supply sold (whale).
    pub size: Ppm,
}

/// What the Monte Carlo runner watches for in every run. Each fires at
/// most once a run, at the first step its condition holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Detectors {
    /// Supply rose in this many reporting periods in a row (0: off).
    pub inflationary_periods: u32,
    /// A treasury: the account, the asset and the balance at or below
    /// which it counts as dry.
    pub treasury: Option<(AccountId, AssetId, u128)>,
    /// The token's price below this (pico-numeraire per whole token).
    pub price_below_pico: Option<u128>,
    /// The token's price at or below `(1 - price_drop)` of its step-1 price.
    pub price_drop: Ppm,
    /// A pool's reserve below this share of its genesis reserve.
    pub pool_drained: Ppm,
}

impl Default for Detectors {
    fn default() -> Self {
        Detectors {
            inflationary_periods: DEFAULT_INFLATIONARY_PERIODS,
            treasury: None,
            price_below_pico: None,
            price_drop: DEFAULT_PRICE_DROP,
            pool_drained: DEFAULT_POOL_DRAINED,
        }
    }
}

fn share_at(
    source: &Source,
    errors: &mut Vec<ConfigError>,
    key: &str,
    v: &Spanned<Number>,
) -> Option<Ppm> {
    share(source, key, v).map_err(|e| errors.push(e)).ok()
}

/// `[demand] seasonality`, `season_days`, `season_phase_days`.
pub(super) fn seasonality(
    source: &Source,
    errors: &mut Vec<ConfigError>,
    d: &RawDemand,
) -> Option<Seasonality> {
    let Some(a) = &d.seasonality else {
        for (key, v) in [
            ("demand.season_days", &d.season_days),
            ("demand.season_phase_days", &d.season_phase_days),
        ] {
            if let Some(v) = v {
                errors.push(source.error(
                    Some(v.span()),
                    key,
                    "applies only with `seasonality` (the amplitude)".into(),
                ));
            }
        }
        return None;
    };
    let amplitude = share_at(source, errors, "demand.seasonality", a)?.as_f64();
    let Some(period) = &d.season_days else {
        errors.push(source.error(
            Some(a.span()),
            "demand.season_days",
            "`seasonality` needs `season_days`, the length of a season cycle".into(),
        ));
        return None;
    };
    let period_days = *period.get_ref();
    let phase_days = d.season_phase_days.as_ref().map_or(0, |p| *p.get_ref());
    if phase_days >= period_days {
        errors.push(source.error(
            d.season_phase_days.as_ref().map(Spanned::span),
            "demand.season_phase_days",
            format!("must be below season_days ({period_days}), found {phase_days}"),
        ));
    }
    Some(Seasonality {
        amplitude,
        period_days,
        phase_days,
    })
}

/// `[[shocks]]`: kind, `day` or `probability`, size, and a whale's account.
pub(super) fn shocks(
    e: &Economy,
    source: &Source,
    errors: &mut Vec<ConfigError>,
    raw: &[RawShock],
    (token, days): (AssetId, u32),
) -> Vec<Shock> {
    if raw.len() > MAX_SHOCKS {
        errors.push(source.error(
            raw.get(MAX_SHOCKS).map(|s| s.kind.span()),
            "shocks",
            format!("at most {MAX_SHOCKS} shocks, found {}", raw.len()),
        ));
    }
    let exogenous = e
        .oracles
        .get(token.0 as usize)
        .is_some_and(|o| *o == Oracle::Exogenous);
    let mut out = Vec::new();
    for (i, s) in raw.iter().enumerate().take(MAX_SHOCKS) {
        let key = |k: &str| format!("shocks[{i}].{k}");
        let kind = match s.kind.get_ref().as_str() {
            "demand" => Some(ShockKind::Demand),
            "price" if exogenous => Some(ShockKind::Price),
            "price" => {
                errors.push(source.error(
                    Some(s.kind.span()),
                    &key("kind"),
                    format!(
                        "a price shock moves an exogenous price, and {}'s oracle reads a market: make it fall by selling into the pool (kind = \"whale\")",
                        e.asset_name(token)
                    ),
                ));
                None
            }
            "whale" => match &s.account {
                None => {
                    errors.push(source.error(
                        Some(s.kind.span()),
                        &key("account"),
                        "a whale shock needs `account`, the holder who sells".into(),
                    ));
                    None
                }
                Some(name) => match e.account_by_name(name.get_ref()) {
                    Some(account) => Some(ShockKind::Whale { account }),
                    None => {
                        errors.push(source.error(
                            Some(name.span()),
                            &key("account"),
                            format!("the economy has no account `{}`", name.get_ref()),
                        ));
                        None
                    }
                },
            },
            other => {
                errors.push(source.error(
                    Some(s.kind.span()),
                    &key("kind"),
                    format!("unknown shock kind `{other}` (demand, price, whale)"),
                ));
                None
            }
        };
        if let (Some(a), false) = (&s.account, matches!(kind, Some(ShockKind::Whale { .. }))) {
            if s.kind.get_ref() != "whale" {
                errors.push(source.error(
                    Some(a.span()),
                    &key("account"),
                    "applies only to kind = \"whale\"".into(),
                ));
            }
        }
        let when = match (&s.day, &s.probability) {
            (Some(d), None) => {
                let day = *d.get_ref();
                if day > days {
                    errors.push(source.error(
                        Some(d.span()),
                        &key("day"),
                        format!("must be a step of the run, from 1 to {days}, found {day}"),
                    ));
                }
                Some(ShockWhen::Day(day))
            }
            (None, Some(p)) => share_at(source, errors, &key("probability"), p).and_then(|p| {
                if p == Ppm::ZERO {
                    errors.push(source.error(
                        Some(s.kind.span()),
                        &key("probability"),
                        "must be above 0%: a shock that never happens is a slip".into(),
                    ));
                    None
                } else {
                    Some(ShockWhen::Probability(p.as_f64()))
                }
            }),
            (Some(d), Some(_)) => {
                errors.push(source.error(
                    Some(d.span()),
                    &key("day"),
                    "write `day` or `probability`, not both".into(),
                ));
                None
            }
            (None, None) => {
                errors.push(source.error(
                    Some(s.kind.span()),
                    &key("day"),
                    "a shock needs `day` (a step) or `probability` (per step)".into(),
                ));
                None
            }
        };
        let size = share_at(source, errors, &key("size"), &s.size);
        if size == Some(Ppm::ZERO) {
            errors.push(source.error(Some(s.size.span()), &key("size"), "must be above 0%".into()));
        }
        if let (Some(kind), Some(when), Some(size)) = (kind, when, size) {
            out.push(Shock { kind, when, size });
        }
    }
    out
}

/// `[detectors]`, or the defaults without the section.
pub(super) fn detectors(
    e: &Economy,
    source: &Source,
    errors: &mut Vec<ConfigError>,
    raw: Option<&RawDetectors>,
) -> Detectors {
    let mut out = Detectors::default();
    let Some(d) = raw else { return out };
    if let Some(k) = &d.inflationary_periods {
        out.inflationary_periods = *k.get_ref();
    }
    let asset = match &d.treasury_asset {
        None => Some(e.numeraire),
        Some(name) => {
            let found = e.asset_by_name(name.get_ref());
            if found.is_none() {
                errors.push(source.error(
                    Some(name.span()),
                    "detectors.treasury_asset",
                    format!("the economy has no asset `{}`", name.get_ref()),
                ));
            }
            found
        }
    };
    match &d.treasury {
        None => {
            for (key, v) in [
                (
                    "detectors.treasury_asset",
                    d.treasury_asset.as_ref().map(Spanned::span),
                ),
                (
                    "detectors.treasury_floor",
                    d.treasury_floor.as_ref().map(Spanned::span),
                ),
            ] {
                if v.is_some() {
                    errors.push(source.error(
                        v,
                        key,
                        "applies only with `treasury` (the account watched)".into(),
                    ));
                }
            }
        }
        Some(name) => {
            let account = e.account_by_name(name.get_ref());
            if account.is_none() {
                errors.push(source.error(
                    Some(name.span()),
                    "detectors.treasury",
                    format!("the economy has no account `{}`", name.get_ref()),
                ));
            }
            let decimals = asset
                .and_then(|a| e.declared_asset(a))
                .map_or(0, |a| a.decimals);
            let floor = d.treasury_floor.as_ref().map_or(0, |v| {
                amount(source, "detectors.treasury_floor", v, decimals).unwrap_or_else(|err| {
                    errors.push(err);
                    0
                })
            });
            if let (Some(account), Some(asset)) = (account, asset) {
                out.treasury = Some((account, asset, floor));
            }
        }
    }
    if let Some(v) = &d.price_below_usd {
        let text = v.get_ref().text();
        let ok = float(source, "detectors.price_below_usd", v)
            .is_ok_and(|x| x > 0.0 && x <= MAX_TOKEN_PRICE_USD);
        match parse_decimal(&text, PRICE_DECIMALS) {
            Ok(p) if ok => out.price_below_pico = Some(p),
            _ => errors.push(source.error(
                Some(v.span()),
                "detectors.price_below_usd",
                format!(
                    "must be a price above 0 and at most 10^9 with at most {PRICE_DECIMALS} decimals, found {text}"
                ),
            )),
        }
    }
    if let Some(v) = &d.price_drop {
        out.price_drop = share_at(source, errors, "detectors.price_drop", v).unwrap_or_default();
    }
    if let Some(v) = &d.pool_drained {
        out.pool_drained =
            share_at(source, errors, "detectors.pool_drained", v).unwrap_or_default();
    }
    out
}
