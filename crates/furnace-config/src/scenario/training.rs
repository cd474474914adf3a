//! `[training]`: trainers earning points under an economy's points rules
//! (LAM's training points and referrals, issue 7). The rules (multipliers,
//! badges, referral tiers) are the economy's; this section holds the
//! behaviour: how many trainers, how many train actively, how much they do
//! a day, how often they take bounties, who referred whom, when a referee
//! qualifies. Names (the rules, its modes, its bounty tiers) resolve here,
//! at load.

use super::raw::RawTraining;
use super::MAX_AGENTS;
use crate::source::{ConfigError, Source};
use crate::values::{amount, float, share, Number};
use furnace_core::economy::Economy;
use furnace_core::ids::PointsRulesId;
use furnace_core::units::Ppm;
use toml::Spanned;

/// The most actions (base points) an active trainer may average a day:
/// 10^6, a GUI action every 0.09 s around the clock, so a day's points
/// stay far inside `u64` even at a Platinum 100x.
pub const MAX_TRAINER_ACTIONS_PER_DAY: u64 = 1_000_000;
/// The most a lognormal draw's sigma may be (1000%, as `MAX_SIGMA`).
pub const MAX_TRAINING_SIGMA: f64 = 10.0;

/// One bounty tier's participation: each active trainer takes a bounty of
/// that tier on a day with `probability` (tiers drawn in file order, the
/// first taken wins), its multiplier uniform in the tier's range.
#[derive(Clone, Debug, PartialEq)]
pub struct BountyDriver {
    /// An index into the rules' bounty tiers.
    pub tier: u8,
    pub probability: f64,
}

/// The compiled `[training]` section.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingDrivers {
    pub rules: PointsRulesId,
    pub trainers: u32,
    /// Trainers (the first `floor(trainers x share)`) who train actively;
    /// the rest train in the background.
    pub active_share: Ppm,
    /// Indexes of the rules' modes for active and background training.
    pub active_mode: u8,
    pub background_mode: u8,
    /// Mean base points (actions) of an active trainer a day.
    pub actions_per_day: u64,
    /// Lognormal dispersion of an active trainer's day (0: every day the
    /// mean exactly).
    pub actions_sigma: f64,
    /// Base points a background trainer earns a day: hours x rate.
    pub background_points_per_day: u64,
    pub bounties: Vec<BountyDriver>,
    /// Each trainer after the first is referred, with this probability, by
    /// an earlier trainer drawn uniformly (at setup).
    pub referred_share: Ppm,
    /// A referee qualifies when its lifetime points reach this.
    pub qualify_points: u128,
    /// Every this many steps (on steps divisible by it) each trainer
    /// `Claim`s what its points earned so far; 0: trainers never claim and
    /// their tokens stay in the pool's custody.
    pub claim_every_days: u32,
}

pub(super) fn training(
    e: &Economy,
    source: &Source,
    errors: &mut Vec<ConfigError>,
    raw: Option<&RawTraining>,
) -> Option<TrainingDrivers> {
    let t = raw?;
    let Some(rules) = e.points_rules_by_name(t.rules.get_ref()) else {
        let names: Vec<&str> = e.points.iter().map(|r| r.name.as_str()).collect();
        let listing = if names.is_empty() {
            "the economy declares no [points] rules".to_string()
        } else {
            format!("points rules: {}", names.join(", "))
        };
        errors.push(source.error(
            Some(t.rules.span()),
            "training.rules",
            format!("no points rules named `{}` ({listing})", t.rules.get_ref()),
        ));
        return None;
    };
    let r = &e.points[rules.index()];
    let mut mode = |key: &str, name: &Spanned<String>| -> u8 {
        match r.modes.iter().position(|m| m.name == *name.get_ref()) {
            Some(i) => u8::try_from(i).unwrap_or(0),
            None => {
                let modes: Vec<&str> = r.modes.iter().map(|m| m.name.as_str()).collect();
                errors.push(source.error(
                    Some(name.span()),
                    key,
                    format!(
                        "points rules `{}` have no mode `{}` (modes: {})",
                        r.name,
                        name.get_ref(),
                        modes.join(", ")
                    ),
                ));
                0
            }
        }
    };
    let active_mode = mode("training.active_mode", &t.active_mode);
    let background_mode = mode("training.background_mode", &t.background_mode);
    let mut ppm = |key: &str, v: &Option<Spanned<Number>>| -> Ppm {
        v.as_ref().map_or(Ppm::ZERO, |v| {
            share(source, key, v).unwrap_or_else(|e| {
                errors.push(e);
                Ppm::ZERO
            })
        })
    };
    let active_share = ppm("training.active_share", &Some(t.active_share.clone()));
    let referred_share = ppm("training.referred_share", &t.referred_share);
    let actions_sigma = t.actions_sigma.as_ref().map_or(0.0, |v| {
        match float(source, "training.actions_sigma", v) {
            Ok(s) if (0.0..=MAX_TRAINING_SIGMA).contains(&s) => s,
            Ok(s) => {
                errors.push(source.error(
                    Some(v.span()),
                    "training.actions_sigma",
                    format!("must be from 0% to 1000%, found {}%", s * 100.0),
                ));
                0.0
            }
            Err(e) => {
                errors.push(e);
                0.0
            }
        }
    });
    let hours = t.background_hours.as_ref().map_or(0, |h| *h.get_ref());
    // The public LAM docs: "Background training base rate 10 points/hour".
    let rate = t.background_rate.as_ref().map_or(10, |r| *r.get_ref());
    let qualify_points = t.qualify_points.as_ref().map_or(0, |v| {
        amount(source, "training.qualify_points", v, 0).unwrap_or_else(|e| {
            errors.push(e);
            0
        })
    });
    let bounties = t
        .bounties
        .as_ref()
        .map(|list| {
            list.get_ref()
                .iter()
                .enumerate()
                .filter_map(|(i, b)| {
                    let key = format!("training.bounties[{i}]");
                    let tier = r.bounties.iter().position(|x| x.name == *b.tier.get_ref());
                    let Some(tier) = tier else {
                        let tiers: Vec<&str> = r.bounties.iter().map(|x| x.name.as_str()).collect();
                        errors.push(source.error(
                            Some(b.tier.span()),
                            &format!("{key}.tier"),
                            format!(
                                "points rules `{}` have no bounty tier `{}` (tiers: {})",
                                r.name,
                                b.tier.get_ref(),
                                tiers.join(", ")
                            ),
                        ));
                        return None;
                    };
                    let p = share(source, &format!("{key}.probability"), &b.probability)
                        .unwrap_or_else(|e| {
                            errors.push(e);
                            Ppm::ZERO
                        });
                    Some(BountyDriver {
                        tier: u8::try_from(tier).unwrap_or(0),
                        probability: f64::from(p.0) / 1e6,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Some(TrainingDrivers {
        rules,
        trainers: *t.trainers.get_ref(),
        active_share,
        active_mode,
        background_mode,
        actions_per_day: *t.actions_per_day.get_ref(),
        actions_sigma,
        background_points_per_day: u64::from(hours) * rate,
        bounties,
        referred_share,
        qualify_points,
        claim_every_days: t.claim_every_days.as_ref().map_or(0, |c| *c.get_ref()),
    })
}

/// The trainers a `[training]` section may open (as subscription agents).
pub const MAX_TRAINING_TRAINERS: u32 = MAX_AGENTS;
