//! `[reward_pools.X]` and `[emissions.X]` -> the core's `RewardPoolSpec`
//! and `EmissionSchedule`. Keys are spelled as the core's validation
//! spells them (`reward_pools.stakers.empty_to`, `emissions.x.curve.total`),
//! so its errors find their lines. A simulator step is a day: `days` here
//! are the core's steps, `epoch_days` its `epoch_steps`.

use super::names::{Ctx, Names};
use super::raw::{
    RawCurve, RawEconomy, RawEmission, RawLockPoint, RawRewardPool, RawStake, RawStakeCap,
};
use crate::values::Number;
use furnace_core::economy::{
    CurveStep, Destination, EmissionChannel, EmissionCurve, EmissionSchedule, EmissionSource,
    LockPoint, PoolWeight, RewardPoolSpec, StakeCap,
};
use furnace_core::event::MintReason;
use furnace_core::ids::AssetId;
use furnace_core::units::{parse_decimal, pow10, Ppm, MAX_DECIMALS};
use toml::Spanned;

/// The source word for minted emissions.
const MINT: &str = "mint";

pub(crate) fn reward_pools(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<RewardPoolSpec> {
    raw.reward_pools
        .iter()
        .map(|(name, p)| reward_pool(cx, names, name, p))
        .collect()
}

fn reward_pool(
    cx: &mut Ctx,
    names: &Names,
    name: &Spanned<String>,
    p: &RawRewardPool,
) -> RewardPoolSpec {
    let key = format!("reward_pools.{}", name.get_ref());
    if names.accounts.get(name.get_ref()).is_some() {
        cx.err(
            Some(name.span()),
            &key,
            format!(
                "`{}` names both an account and a reward pool: a leg or destination `to = \"{}\"` would be ambiguous",
                name.get_ref(),
                name.get_ref()
            ),
        );
    }
    let reward = names.asset(cx, &format!("{key}.reward"), &p.reward);
    let weight = match (&p.stake, p.points) {
        (Some(RawStake::Asset(asset)), None | Some(false)) => PoolWeight::Stake {
            asset: names.asset(cx, &format!("{key}.stake"), asset),
        },
        (Some(RawStake::Lp(market)), None | Some(false)) => PoolWeight::Stake {
            // A pool market's LP shares (`AssetId::LP_BASE + m`); the core's
            // validation refuses an external market, which has no shares.
            asset: AssetId::lp(names.markets.resolve(cx, &format!("{key}.stake"), market)),
        },
        (None, Some(true)) => PoolWeight::Points,
        (Some(stake), Some(true)) => {
            cx.err(
                Some(stake.name().span()),
                &format!("{key}.stake"),
                "a pool is either a stake pool (`stake = \"ASSET\"`) or a points pool (`points = true`), not both".into(),
            );
            PoolWeight::Points
        }
        (None, _) => {
            cx.err(
                Some(name.span()),
                &key,
                "missing: a reward pool needs `stake = \"ASSET\"` (positions deposit it) or `points = true` (weights set by events)".into(),
            );
            PoolWeight::Points
        }
    };
    let (lock_multipliers, unbonding_steps, early_withdrawal_fee, early_withdrawal_fee_to) = locks(
        cx,
        names,
        &key,
        LockFields {
            lock_multipliers: &p.lock_multipliers,
            unbonding_days: &p.unbonding_days,
            early_withdrawal_fee: &p.early_withdrawal_fee,
            early_withdrawal_fee_to: &p.early_withdrawal_fee_to,
        },
    );
    RewardPoolSpec {
        name: name.get_ref().clone(),
        reward,
        weight,
        empty_to: names.account(cx, &format!("{key}.empty_to"), &p.empty_to),
        dust_to: names.account(cx, &format!("{key}.dust_to"), &p.dust_to),
        lock_multipliers,
        unbonding_steps,
        early_withdrawal_fee,
        early_withdrawal_fee_to,
        stake_cap: p.stake_cap.as_ref().map(|c| stake_cap(cx, names, &key, c)),
    }
}

/// A pool's lock fields as a file writes them (`[reward_pools.X]` and a
/// launch's `[launches.X.staking]` template).
pub(super) struct LockFields<'a> {
    pub lock_multipliers: &'a Option<Spanned<Vec<RawLockPoint>>>,
    pub unbonding_days: &'a Option<Spanned<u32>>,
    pub early_withdrawal_fee: &'a Option<Spanned<Number>>,
    pub early_withdrawal_fee_to: &'a Option<Spanned<String>>,
}

/// The lock table, unbonding steps, early-withdrawal fee and its
/// destination, each error at `KEY.field`.
pub(super) fn locks(
    cx: &mut Ctx,
    names: &Names,
    key: &str,
    p: LockFields<'_>,
) -> (Vec<LockPoint>, u32, Ppm, Destination) {
    let lock_multipliers = p
        .lock_multipliers
        .as_ref()
        .map(|points| {
            cx.at(&format!("{key}.lock_multipliers"), points);
            points
                .get_ref()
                .iter()
                .enumerate()
                .map(|(i, lp)| {
                    let pkey = format!("{key}.lock_multipliers[{i}]");
                    cx.at(&format!("{pkey}.steps"), &lp.days);
                    LockPoint {
                        steps: *lp.days.get_ref(),
                        multiplier_ppm: multiplier(
                            cx,
                            &format!("{pkey}.multiplier"),
                            &lp.multiplier,
                        ),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(d) = &p.unbonding_days {
        cx.at(&format!("{key}.unbonding_steps"), d);
    }
    let early_withdrawal_fee = p.early_withdrawal_fee.as_ref().map_or(Ppm::ZERO, |f| {
        cx.share(&format!("{key}.early_withdrawal_fee"), f)
    });
    let fee_key = format!("{key}.early_withdrawal_fee_to");
    let early_withdrawal_fee_to = match &p.early_withdrawal_fee_to {
        Some(to) => names.destination(cx, &fee_key, to),
        None => {
            if early_withdrawal_fee.0 > 0 {
                cx.err(
                    p.early_withdrawal_fee.as_ref().map(Spanned::span),
                    &fee_key,
                    "missing: a pool with an early_withdrawal_fee needs `early_withdrawal_fee_to` (\"burn\", an account or a reward pool)".into(),
                );
            }
            Destination::Burn
        }
    };
    (
        lock_multipliers,
        p.unbonding_days.as_ref().map_or(0, |d| *d.get_ref()),
        early_withdrawal_fee,
        early_withdrawal_fee_to,
    )
}

/// `stake_cap = { cap, excess_rate, limit, surplus_to }`: `cap` and `limit`
/// are decimal multiples of the geometric mean ("1", "2"), read as the lock
/// multipliers are (millionths); that they are positive and ordered is the
/// core's rule, reported at these keys.
fn stake_cap(cx: &mut Ctx, names: &Names, key: &str, c: &RawStakeCap) -> StakeCap {
    let key = format!("{key}.stake_cap");
    StakeCap {
        cap_ppm: multiplier(cx, &format!("{key}.cap"), &c.cap),
        excess_rate: cx.share(&format!("{key}.excess_rate"), &c.excess_rate),
        limit_ppm: multiplier(cx, &format!("{key}.limit"), &c.limit),
        surplus_to: names.account(cx, &format!("{key}.surplus_to"), &c.surplus_to),
    }
}

/// A decimal multiplier ("3.01") in millionths; at least 1x is the core's
/// rule (checked there, reported at this key).
pub(super) fn multiplier(cx: &mut Ctx, key: &str, value: &Spanned<Number>) -> u32 {
    let text = value.get_ref().text();
    match parse_decimal(&text, 6)
        .ok()
        .and_then(|m| u32::try_from(m).ok())
    {
        Some(m) => m,
        None => {
            cx.err(
                Some(value.span()),
                key,
                format!("`{text}` is not a multiplier: write a decimal such as \"3.01\" (at most 6 decimals, at most 4294)"),
            );
            1_000_000
        }
    }
}

pub(crate) fn emissions(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<EmissionSchedule> {
    raw.emissions
        .iter()
        .map(|(name, e)| emission(cx, names, name, e))
        .collect()
}

fn emission(
    cx: &mut Ctx,
    names: &Names,
    name: &Spanned<String>,
    e: &RawEmission,
) -> EmissionSchedule {
    let key = format!("emissions.{}", name.get_ref());
    let token = names.token(cx, &format!("{key}.token"), &e.token);
    let decimals = names.decimals(token);
    let source_key = format!("{key}.source");
    let source = match &e.source {
        Some(s) if s.get_ref() != MINT => {
            if let Some(r) = &e.reason {
                cx.err(
                    Some(r.span()),
                    &format!("{key}.reason"),
                    format!("a reason applies only to minted emissions; this schedule pays from the account `{}`", s.get_ref()),
                );
            }
            EmissionSource::Account(names.account(cx, &source_key, s))
        }
        _ => EmissionSource::Mint(reason(cx, &format!("{key}.reason"), e.reason.as_ref())),
    };
    let channels_key = format!("{key}.channels");
    cx.at(&channels_key, &e.channels);
    let mut shares = Vec::new();
    let channels: Vec<EmissionChannel> = e
        .channels
        .get_ref()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let ckey = format!("{channels_key}[{i}]");
            let share = cx.share_or_none(&format!("{ckey}.share"), &c.share);
            let name = c.name.as_ref().unwrap_or(&c.to).get_ref().clone();
            shares.push((name.clone(), share));
            EmissionChannel {
                name,
                to: names.holder(cx, &format!("{ckey}.to"), &c.to),
                share: share.unwrap_or(Ppm::ZERO),
            }
        })
        .collect();
    let listing: Vec<(&str, Option<Ppm>)> = shares.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    cx.shares_sum(&channels_key, "channel shares", &listing);
    let curve_key = format!("{key}.curve");
    let curve = match &e.curve {
        Some(c) => curve(cx, &curve_key, c, decimals),
        None => {
            cx.err(
                Some(name.span()),
                &curve_key,
                "missing: an emission schedule needs `curve = { kind = \"constant\" | \"geometric\" | \"issuance_halving\" | \"steps\" | \"linear\", ... }`".into(),
            );
            EmissionCurve::Constant { per_epoch: 0 }
        }
    };
    let tokens = |cx: &mut Ctx, field: &str, v: &Option<Spanned<Number>>| {
        v.as_ref()
            .and_then(|v| cx.amount(&format!("{key}.{field}"), v, decimals))
    };
    let cap = tokens(cx, "cap", &e.cap);
    let already_emitted = tokens(cx, "already_emitted", &e.already_emitted).unwrap_or(0);
    if let Some(d) = &e.epoch_days {
        cx.at(&format!("{key}.epoch_steps"), d);
    }
    EmissionSchedule {
        name: name.get_ref().clone(),
        token,
        source,
        channels,
        curve,
        cap,
        already_emitted,
        epoch_steps: e.epoch_days.as_ref().map_or(1, |d| *d.get_ref()),
    }
}

/// A mint reason that is an emission (default `training_reward`).
fn reason(cx: &mut Ctx, key: &str, value: Option<&Spanned<String>>) -> MintReason {
    let Some(value) = value else {
        return MintReason::TrainingReward;
    };
    cx.at(key, value);
    match MintReason::parse(value.get_ref()) {
        Some(r) if r.is_emission() => r,
        _ => {
            let emission: Vec<&str> = MintReason::ALL
                .iter()
                .filter(|r| r.is_emission())
                .map(|r| r.name())
                .collect();
            cx.err(
                Some(value.span()),
                key,
                format!(
                    "`{}` is not an emission reason ({})",
                    value.get_ref(),
                    emission.join(", ")
                ),
            );
            MintReason::TrainingReward
        }
    }
}

fn curve(cx: &mut Ctx, key: &str, c: &RawCurve, decimals: u8) -> EmissionCurve {
    cx.at(key, &c.kind);
    let amount = |cx: &mut Ctx, field: &str, v: &Option<Spanned<Number>>| -> u128 {
        let fkey = format!("{key}.{field}");
        match v {
            Some(v) => cx.amount(&fkey, v, decimals).unwrap_or(0),
            None => {
                cx.err(
                    Some(c.at.clone()),
                    &fkey,
                    format!("missing: a \"{}\" curve needs `{field}`", c.kind.get_ref()),
                );
                0
            }
        }
    };
    let count = |cx: &mut Ctx, field: &str, v: &Option<Spanned<u64>>| -> u64 {
        match v {
            Some(v) => {
                cx.at(&format!("{key}.{field}"), v);
                *v.get_ref()
            }
            None => {
                cx.err(
                    Some(c.at.clone()),
                    &format!("{key}.{field}"),
                    format!("missing: a \"{}\" curve needs `{field}`", c.kind.get_ref()),
                );
                1
            }
        }
    };
    match c.kind.get_ref().as_str() {
        "constant" => EmissionCurve::Constant {
            per_epoch: amount(cx, "per_epoch", &c.per_epoch),
        },
        "geometric" => {
            let initial = amount(cx, "initial", &c.initial);
            let (numerator, denominator) = factor(cx, &format!("{key}.factor"), c);
            EmissionCurve::Geometric {
                initial,
                numerator,
                denominator,
                every_epochs: c.every_epochs.as_ref().map_or(1, |v| {
                    cx.at(&format!("{key}.every_epochs"), v);
                    *v.get_ref()
                }),
            }
        }
        "issuance_halving" => EmissionCurve::IssuanceHalving {
            base: amount(cx, "base", &c.base),
            cap: amount(cx, "cap", &c.cap),
        },
        "linear" => EmissionCurve::Linear {
            total: amount(cx, "total", &c.total),
            epochs: count(cx, "epochs", &c.epochs),
        },
        "steps" => {
            let Some(steps) = &c.steps else {
                cx.err(
                    Some(c.at.clone()),
                    &format!("{key}.steps"),
                    "missing: a \"steps\" curve needs `steps = [{ from_epoch = 0, per_epoch = \"...\" }, ...]`".into(),
                );
                return EmissionCurve::Steps(Vec::new());
            };
            cx.at(&format!("{key}.steps"), steps);
            EmissionCurve::Steps(
                steps
                    .get_ref()
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let skey = format!("{key}.steps[{i}]");
                        cx.at(&format!("{skey}.from_epoch"), &s.from_epoch);
                        CurveStep {
                            from_epoch: *s.from_epoch.get_ref(),
                            per_epoch: cx
                                .amount(&format!("{skey}.per_epoch"), &s.per_epoch, decimals)
                                .unwrap_or(0),
                        }
                    })
                    .collect(),
            )
        }
        other => {
            cx.err(
                Some(c.kind.span()),
                &format!("{key}.kind"),
                format!("unknown curve kind `{other}` (constant, geometric, issuance_halving, steps, linear)"),
            );
            EmissionCurve::Constant { per_epoch: 0 }
        }
    }
}

/// A geometric curve's `factor`, an exact decimal in (0, 1] ("0.999", or
/// Curve's "0.840896415253714543"), as `numerator / 10^decimals` (at most
/// 18 decimals).
fn factor(cx: &mut Ctx, key: &str, c: &RawCurve) -> (u128, u128) {
    let Some(v) = &c.factor else {
        cx.err(
            Some(c.at.clone()),
            key,
            "missing: a \"geometric\" curve needs `factor` (e.g. \"0.999\": each period's rate is 99.9% of the last)".into(),
        );
        return (1, 1);
    };
    cx.at(key, v);
    let text = v.get_ref().text().replace('_', "");
    let places = text
        .split_once('.')
        .map_or(0, |(_, frac)| frac.trim_end_matches('0').len());
    let places = u8::try_from(places).unwrap_or(u8::MAX);
    let parsed = (places <= MAX_DECIMALS)
        .then(|| parse_decimal(&text, places).ok())
        .flatten();
    let den = pow10(places.min(MAX_DECIMALS));
    match parsed {
        Some(num) if num > 0 && num <= den => (num, den),
        _ => {
            cx.err(
                Some(v.span()),
                key,
                format!("`{text}` is not a factor: write a decimal above 0 and at most 1, with at most {MAX_DECIMALS} decimals (\"0.999\")"),
            );
            (1, 1)
        }
    }
}
