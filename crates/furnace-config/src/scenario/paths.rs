//! The paths a scenario drives day by day, compiled from their sections:
//! the token's price ([`PricePath`]) and the emission schedule
//! ([`Emissions`]); pay-as-you-go demand is in `demand.rs`. Each parameter is checked
//! against its bound, a growth path on every day of the horizon.

use super::raw::{RawEmissions, RawPrice};
use super::{
    EmissionSchedule, Emissions, PricePath, MAX_EMITTED_UNITS, MAX_SIGMA, MAX_TOKEN_PRICE_USD,
};
use crate::source::{ConfigError, Source};
use crate::values::{amount, float, power_of_ten, share, Number};
use furnace_core::economy::Economy;
use furnace_core::event::MintReason;
use furnace_core::ids::{AccountId, AssetId};
use furnace_core::units::{format_decimal, parse_decimal, Ppm, PRICE_DECIMALS};
use toml::Spanned;

/// A float driver parameter inside its range: `ok` says whether a value
/// is, `range` how the message says it. `None` (error recorded) if not.
pub(super) fn within(
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
pub(super) fn first_day_past(start: f64, growth: f64, days: u32, cap: f64) -> Option<u32> {
    (0..days)
        .find(|t| start * (1.0 + growth).powf(f64::from(*t)) > cap)
        .map(|t| t + 1)
}

/// A daily growth rate: above -100% (at -100% the quantity is gone the
/// next day).
pub(super) fn growth_rate(
    source: &Source,
    errors: &mut Vec<ConfigError>,
    key: &str,
    v: &Spanned<Number>,
) -> Option<f64> {
    within(source, errors, key, v, |g| g > -1.0, "greater than -100%")
}

/// The error of a growth path that passes its bound on `day`.
pub(super) fn passes(
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

/// The parameter `key` a `model` needs, or `None` with the error
/// recorded: like every helper here it returns a neutral value, so every
/// problem is reported in one pass.
pub(super) fn need(
    source: &Source,
    errors: &mut Vec<ConfigError>,
    key: &str,
    model: &Spanned<String>,
    value: Option<&Spanned<Number>>,
) -> Option<Spanned<Number>> {
    if value.is_none() {
        errors.push(source.error(
            Some(model.span()),
            key,
            format!("model `{}` needs `{key}`", model.get_ref()),
        ));
    }
    value.cloned()
}

/// A volatility or a noise: from 0% to [`MAX_SIGMA`].
pub(super) fn sigma_ok(x: f64) -> bool {
    (0.0..=MAX_SIGMA).contains(&x)
}

/// [`sigma_ok`]'s range in words.
pub(super) fn sigma_range() -> String {
    format!("from 0% to {}%", MAX_SIGMA * 100.0)
}

/// `[price]`: the token's price path, in the numeraire.
pub(super) fn price(
    e: &Economy,
    source: &Source,
    errors: &mut Vec<ConfigError>,
    p: &RawPrice,
    days: u32,
) -> PricePath {
    let numeraire = e.asset_name(e.numeraire).to_string();
    let max_price = format!("{} {numeraire}", power_of_ten(1_000_000_000));
    let price_range = format!("greater than 0 and at most {max_price}");
    let price_ok = |x: f64| x > 0.0 && x <= MAX_TOKEN_PRICE_USD;
    match p.model.get_ref().as_str() {
        "constant" => {
            let start = need(
                source,
                errors,
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
                source,
                errors,
                "price.start_usd",
                &p.model,
                p.start_usd.as_ref(),
            );
            let g = need(
                source,
                errors,
                "price.daily_growth",
                &p.model,
                p.daily_growth.as_ref(),
            );
            let start = s
                .as_ref()
                .and_then(|v| within(source, errors, "price.start_usd", v, price_ok, &price_range));
            let growth = g
                .as_ref()
                .and_then(|v| growth_rate(source, errors, "price.daily_growth", v));
            if let (Some(start), Some(growth), Some(g)) = (start, growth, &g) {
                if let Some(day) = first_day_past(start, growth, days, MAX_TOKEN_PRICE_USD) {
                    let what = ("the price", max_price.clone());
                    errors.push(passes(source, "price.daily_growth", g, what, (day, days)));
                }
            }
            PricePath::Growth {
                start_usd: start.unwrap_or(1.0),
                daily_growth: growth.unwrap_or(0.0),
            }
        }
        "gbm" => {
            let s = need(
                source,
                errors,
                "price.start_usd",
                &p.model,
                p.start_usd.as_ref(),
            );
            let v = need(
                source,
                errors,
                "price.annual_volatility",
                &p.model,
                p.annual_volatility.as_ref(),
            );
            let drift_range = format!("from -{0}% to {0}%", MAX_SIGMA * 100.0);
            let drift_ok = |x: f64| (-MAX_SIGMA..=MAX_SIGMA).contains(&x);
            let mut get =
                |key: &str, v: Option<Spanned<Number>>, ok: &dyn Fn(f64) -> bool, range: &str| {
                    v.and_then(|v| within(source, errors, key, &v, ok, range))
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
                annual_volatility: get("price.annual_volatility", v, &sigma_ok, &sigma_range())
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
                        within(source, errors, &key, v, price_ok, &price_range).unwrap_or(1.0)
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
    }
}

/// `[emissions]`: the schedule minted to an account, in whole units of
/// the scenario's `token` (none without the section).
pub(super) fn emissions(
    e: &Economy,
    source: &Source,
    errors: &mut Vec<ConfigError>,
    raw: Option<&RawEmissions>,
    (token, token_decimals): (AssetId, u8),
    days: u32,
) -> Emissions {
    match raw {
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
                    Some(v) => amount(source, key, v, token_decimals).unwrap_or_else(|e| {
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
                    per_day: bounded(errors, "emissions.per_day", &em.per_day),
                },
                "halving" => {
                    let per_day = bounded(errors, "emissions.per_day", &em.per_day);
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
                    let per_day = bounded(errors, "emissions.per_day", &em.per_day);
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
                "decay" => {
                    let per_day = bounded(errors, "emissions.per_day", &em.per_day);
                    let factor = match &em.factor {
                        Some(v) => share(source, "emissions.factor", v).unwrap_or_else(|err| {
                            errors.push(err);
                            Ppm::ONE
                        }),
                        None => {
                            errors.push(source.error(
                                Some(em.model.span()),
                                "emissions.factor",
                                "model `decay` needs `factor`, each day's emission as a share of the day before's (\"99.9%\")".into(),
                            ));
                            Ppm::ONE
                        }
                    };
                    EmissionSchedule::Decay { per_day, factor }
                }
                "table" => {
                    let table = em.table.clone().unwrap_or_default();
                    let per_day: Vec<u128> = table
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let key = format!("emissions.table[{i}]");
                            tokens(errors, &key, &Some(v.clone()))
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
                            "unknown emission model `{other}` (none, constant, halving, linear_decay, table, decay)"
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
    }
}
