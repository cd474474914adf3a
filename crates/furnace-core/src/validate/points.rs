//! Validation of points rules (`points.<name>...`). What it guarantees the
//! engine (`engine/points.rs`):
//! - the pool is a declared points pool, and no two rules share one (each
//!   position's weight is exactly its owner's lifetime points);
//! - an epoch is at least one step; every table is non-empty and at most
//!   `MAX_POINTS_TIERS` long (modes and bounties fit a `u8` index);
//! - every epoch multiplier and bounty multiplier is at least 1x (so the
//!   formula's sum is at least 1x and never underflows), a bounty tier's
//!   range is ordered;
//! - badge and referral tables start at 0 and rise strictly, so a lookup
//!   always finds a tier;
//! - commissions are at most 100% (a referee's points are never taken, but
//!   a referrer earning more than its referee is not a commission).

use super::Errors;
use crate::economy::*;
use crate::ids::PointsRulesId;
use crate::units::PPM_ONE;

impl Economy {
    pub(super) fn check_points(&self, e: &mut Errors) {
        if PointsRulesId::from_index(self.points.len()).is_none() {
            e.err("points", "too many points rules");
        }
        for (i, r) in self.points.iter().enumerate() {
            let path = format!("points.{}", r.name);
            match self.reward_pools.get(r.pool.index()) {
                None => e.err(format!("{path}.pool"), "unknown reward pool"),
                Some(p) if p.weight != PoolWeight::Points => e.err(
                    format!("{path}.pool"),
                    format!(
                        "reward pool `{}` is a stake pool: points rules need a points pool (`points = true`)",
                        p.name
                    ),
                ),
                Some(p) => {
                    if let Some(other) = self.points[..i].iter().find(|o| o.pool == r.pool) {
                        e.err(
                            format!("{path}.pool"),
                            format!(
                                "reward pool `{}` already holds the points of `{}`: each points rule needs its own pool",
                                p.name, other.name
                            ),
                        );
                    }
                }
            }
            if r.epoch_steps == 0 {
                e.err(
                    format!("{path}.epoch_steps"),
                    "an epoch is at least one step",
                );
            }
            let sizes = [
                ("epochs", r.epochs.len(), MAX_POINTS_TIERS),
                ("badges", r.badges.len(), MAX_POINTS_TIERS),
                ("modes", r.modes.len(), MAX_POINTS_TIERS),
                ("bounties", r.bounties.len(), MAX_POINTS_TIERS),
                ("referrals", r.referrals.len(), MAX_POINTS_TIERS),
            ];
            for (key, len, max) in sizes {
                if len > max {
                    e.err(
                        format!("{path}.{key}"),
                        format!("at most {max} entries, found {len}"),
                    );
                }
            }
            // Bounties may be empty (no bounty program); the others may not.
            for (key, len, _) in sizes.iter().filter(|s| s.0 != "bounties") {
                if *len == 0 {
                    e.err(format!("{path}.{key}"), "needs at least one entry");
                }
            }
            for (k, m) in r.epochs.iter().enumerate() {
                if *m < PPM_ONE {
                    e.err(
                        format!("{path}.epochs[{k}]"),
                        "an epoch multiplier is at least 1x",
                    );
                }
            }
            for (k, b) in r.bounties.iter().enumerate() {
                if b.min_ppm < PPM_ONE {
                    e.err(
                        format!("{path}.bounties[{k}].min"),
                        "a bounty multiplier is at least 1x",
                    );
                }
                if b.max_ppm < b.min_ppm {
                    e.err(format!("{path}.bounties[{k}].max"), "below the tier's min");
                }
            }
            for (k, c) in r.referrals.iter().enumerate() {
                if c.commission_ppm > PPM_ONE {
                    e.err(
                        format!("{path}.referrals[{k}].commission"),
                        "a commission is at most 100%",
                    );
                }
            }
            let badges: Vec<u128> = r.badges.iter().map(|b| b.from_points).collect();
            check_rising(e, &format!("{path}.badges"), &badges);
            let referrals: Vec<u128> = r
                .referrals
                .iter()
                .map(|t| u128::from(t.from_referrals))
                .collect();
            check_rising(e, &format!("{path}.referrals"), &referrals);
        }
    }
}

/// A tier table's thresholds start at 0 and rise strictly.
fn check_rising(e: &mut Errors, path: &str, from: &[u128]) {
    if from.first().is_some_and(|f| *f != 0) {
        e.err(format!("{path}[0].from"), "the first tier starts at 0");
    }
    for (k, pair) in from.windows(2).enumerate() {
        if pair[1] <= pair[0] {
            e.err(
                format!("{path}[{}].from", k + 1),
                format!("tiers rise strictly: {} after {}", pair[1], pair[0]),
            );
        }
    }
}
