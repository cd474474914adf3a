//! `[points.X]` -> the core's `PointsRules` (LAM's training points and
//! referrals, `furnace_core::economy::points`). Keys are spelled as the
//! core's validation spells them (`points.training.badges[1].from`), so its
//! errors find their lines; a simulator step is a day, so `epoch_days` is
//! the core's `epoch_steps`.
//!
//! Multipliers are decimals ("2.0", "1.25": epochs, bounty ranges), bonuses
//! percentages that may pass 100% ("5%", "100%": badges, modes),
//! commissions shares ("5%"), thresholds and bonuses whole points.

use super::names::{Ctx, Names};
use super::raw::{RawEconomy, RawPoints};
use super::rewards::multiplier;
use crate::values::Number;
use furnace_core::economy::{
    BadgeTier, BountyTier, PointsRules, ReferralTier, RewardPoolId, TrainingMode,
};
use furnace_core::units::parse_decimal;
use toml::Spanned;

pub(crate) fn points(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<PointsRules> {
    raw.points
        .iter()
        .map(|(name, p)| rules(cx, names, name, p))
        .collect()
}

fn rules(cx: &mut Ctx, names: &Names, name: &Spanned<String>, p: &RawPoints) -> PointsRules {
    let key = format!("points.{}", name.get_ref());
    let pool_key = format!("{key}.pool");
    let pool = names.pool(cx, &pool_key, &p.pool).unwrap_or_else(|| {
        cx.err(
            Some(p.pool.span()),
            &pool_key,
            format!(
                "unknown reward pool `{}`: declare it as [reward_pools.{}] with `points = true`",
                p.pool.get_ref(),
                p.pool.get_ref()
            ),
        );
        RewardPoolId(0)
    });
    cx.at(&format!("{key}.epoch_steps"), &p.epoch_days);
    let epochs = match &p.epochs {
        Some(list) => {
            cx.at(&format!("{key}.epochs"), list);
            list.get_ref()
                .iter()
                .enumerate()
                .map(|(i, m)| located_multiplier(cx, &format!("{key}.epochs[{i}]"), m))
                .collect()
        }
        None => {
            cx.err(
                Some(name.span()),
                &format!("{key}.epochs"),
                "missing: points rules need `epochs = [\"2.0\", ...]`, the multiplier of each epoch (the last continues)".into(),
            );
            vec![1_000_000]
        }
    };
    let list_key = |what: &str| format!("{key}.{what}");
    cx.at(&list_key("badges"), &p.badges);
    let badges = p
        .badges
        .get_ref()
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let k = format!("{key}.badges[{i}]");
            BadgeTier {
                name: b.name.get_ref().clone(),
                from_points: whole(cx, &format!("{k}.from"), &b.from),
                bonus_ppm: bonus(cx, &format!("{k}.bonus"), &b.bonus),
            }
        })
        .collect();
    cx.at(&list_key("modes"), &p.modes);
    let modes = p
        .modes
        .get_ref()
        .iter()
        .enumerate()
        .map(|(i, m)| TrainingMode {
            name: m.name.get_ref().clone(),
            bonus_ppm: bonus(cx, &format!("{key}.modes[{i}].bonus"), &m.bonus),
        })
        .collect();
    let bounties = p
        .bounties
        .as_ref()
        .map(|list| {
            cx.at(&list_key("bounties"), list);
            list.get_ref()
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let k = format!("{key}.bounties[{i}]");
                    BountyTier {
                        name: b.name.get_ref().clone(),
                        min_ppm: located_multiplier(cx, &format!("{k}.min"), &b.min),
                        max_ppm: located_multiplier(cx, &format!("{k}.max"), &b.max),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    cx.at(&list_key("referrals"), &p.referrals);
    let referrals = p
        .referrals
        .get_ref()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let k = format!("{key}.referrals[{i}]");
            cx.at(&format!("{k}.from"), &t.from);
            ReferralTier {
                from_referrals: *t.from.get_ref(),
                commission_ppm: cx.share(&format!("{k}.commission"), &t.commission).0,
                signup_bonus: whole(cx, &format!("{k}.signup_bonus"), &t.signup_bonus),
                qualified_bonus: whole(cx, &format!("{k}.qualified_bonus"), &t.qualified_bonus),
            }
        })
        .collect();
    PointsRules {
        name: name.get_ref().clone(),
        pool,
        epoch_steps: *p.epoch_days.get_ref(),
        epochs,
        badges,
        modes,
        bounties,
        referrals,
    }
}

/// A decimal multiplier in millionths, its span recorded so the core's
/// "at least 1x" finds its line.
fn located_multiplier(cx: &mut Ctx, key: &str, value: &Spanned<Number>) -> u32 {
    cx.at(key, value);
    multiplier(cx, key, value)
}

/// Bound on a points threshold or bonus: 10^30 points, as a genesis
/// entry's bound (`MAX_GENESIS_UNITS`), far above LAM's 100M Evergreen.
const MAX_POINTS: u128 = 1_000_000_000_000_000_000_000_000_000_000;

/// Whole points (`10_000`, `"1_000_000"`).
fn whole(cx: &mut Ctx, key: &str, value: &Spanned<Number>) -> u128 {
    cx.amount_at_most(key, value, 0, MAX_POINTS, "points")
        .unwrap_or(0)
}

/// A bonus percentage in millionths, with an optional `+` as the docs
/// write them ("+5%"), which may pass 100% ("+100%" for active training;
/// "+9900%" would be the extension page's "100x").
fn bonus(cx: &mut Ctx, key: &str, value: &Spanned<Number>) -> u32 {
    cx.at(key, value);
    let raw = value.get_ref().text();
    let parsed = raw
        .trim()
        .strip_suffix('%')
        .map(|t| t.strip_prefix('+').unwrap_or(t))
        .and_then(|t| parse_decimal(t.trim(), 4).ok())
        .and_then(|ppm| u32::try_from(ppm).ok());
    parsed.unwrap_or_else(|| {
        cx.err(
            Some(value.span()),
            key,
            format!("`{raw}` is not a bonus: write a percentage such as \"+5%\" or \"+100%\" (at most 4 decimals, at most 429,496%)"),
        );
        0
    })
}
