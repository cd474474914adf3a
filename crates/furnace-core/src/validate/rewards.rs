//! Validation of reward pools (`reward_pools.<name>...`) and emission
//! schedules (`emissions.<name>...`). What it guarantees the engine:
//! - every id indexes its table; a pool's reward asset is declared, its
//!   staked asset declared or a pool's LP shares;
//! - a lock table starts at 0 steps, rises strictly in steps (at most
//!   `MAX_LOCK_STEPS`) and never falls in multiplier, which is at least 1x,
//!   so `RewardPoolSpec::multiplier_ppm` is total and weight >= deposit;
//! - a points pool has no lock, unbonding or fee;
//! - an early-withdrawal fee is below 100% and routed where the staked
//!   asset may go (a charged fee is burned only for a declared token, not
//!   LP shares or the numeraire, whose supplies other rules account for);
//! - a schedule's channels sum to exactly 100% (at most `MAX_CHANNELS`),
//!   never burn, and their pools pay in the schedule's token; its curve's
//!   parameters make every epoch computable (no division by zero, a
//!   geometric factor at most 1); its cap is not below what it already
//!   emitted; an epoch is at least one step.

use super::Errors;
use crate::economy::*;
use crate::ids::{AssetSlot, RewardPoolId, ScheduleId};
use crate::units::{Ppm, PPM_ONE};

impl Economy {
    pub(super) fn check_reward_pools(&self, e: &mut Errors) {
        if RewardPoolId::from_index(self.reward_pools.len()).is_none() {
            e.err("reward_pools", "too many reward pools");
        }
        for p in &self.reward_pools {
            let path = format!("reward_pools.{}", p.name);
            if self.declared_asset(p.reward).is_none() {
                e.err(format!("{path}.reward"), "must name a declared asset");
            }
            for (key, a) in [("empty_to", p.empty_to), ("dust_to", p.dust_to)] {
                if !self.account_ok(a) {
                    e.err(format!("{path}.{key}"), "unknown account");
                }
            }
            match p.weight {
                PoolWeight::Stake { asset } => {
                    let ok = match asset.slot() {
                        AssetSlot::Declared(i) => i < self.assets.len(),
                        AssetSlot::Lp(m) => self
                            .markets
                            .get(m)
                            .is_some_and(|m| matches!(m.kind, MarketKind::Pool { .. })),
                        AssetSlot::Launched(_) => false,
                    };
                    if !ok {
                        e.err(
                            format!("{path}.stake"),
                            "must name a declared asset or a pool's LP shares",
                        );
                    }
                    self.check_lock(e, &path, p);
                    self.check_fee_route(e, &path, p, asset);
                    self.check_stake_cap(e, &path, p);
                }
                PoolWeight::Points => {
                    if p.stake_cap.is_some() {
                        e.err(
                            format!("{path}.stake_cap"),
                            "a points pool holds no stakes to cap",
                        );
                    }
                    for (key, set) in [
                        ("lock_multipliers", !p.lock_multipliers.is_empty()),
                        ("unbonding_steps", p.unbonding_steps > 0),
                        ("early_withdrawal_fee", p.early_withdrawal_fee > Ppm::ZERO),
                    ] {
                        if set {
                            e.err(
                                format!("{path}.{key}"),
                                "a points pool holds no deposits: no lock, unbonding or fee",
                            );
                        }
                    }
                }
            }
        }
    }

    fn check_stake_cap(&self, e: &mut Errors, path: &str, p: &RewardPoolSpec) {
        let Some(cap) = p.stake_cap else {
            return;
        };
        let key = format!("{path}.stake_cap");
        if cap.cap_ppm == 0 {
            e.err(format!("{key}.cap"), "must be greater than zero");
        }
        if cap.limit_ppm < cap.cap_ppm {
            e.err(format!("{key}.limit"), "the limit is at least the cap");
        }
        if cap.excess_rate > Ppm::ONE {
            e.err(format!("{key}.excess_rate"), "at most 100%");
        }
        if !self.account_ok(cap.surplus_to) {
            e.err(format!("{key}.surplus_to"), "unknown account");
        }
    }

    /// A buyback's stake burn: a stake pool of the bought token, a few
    /// distinct excluded accounts, and a destination for the unburned part.
    pub(super) fn check_stake_burn(&self, e: &mut Errors, path: &str, b: &BuybackProgram) {
        let Some(sb) = &b.stake_burn else {
            return;
        };
        let key = format!("{path}.stake_burn");
        match self.reward_pools.get(sb.pool.index()) {
            None => e.err(format!("{key}.pool"), "unknown reward pool"),
            Some(pool) if pool.stake_asset() != Some(b.token) => e.err(
                format!("{key}.pool"),
                format!(
                    "reward pool `{}` does not stake {}, the token bought",
                    pool.name,
                    self.asset_name(b.token)
                ),
            ),
            Some(_) => {}
        }
        if sb.excluded.len() > MAX_EXCLUDED {
            e.err(
                format!("{key}.excluded"),
                format!("at most {MAX_EXCLUDED} accounts"),
            );
        }
        for (i, a) in sb.excluded.iter().enumerate() {
            if !self.account_ok(*a) || sb.excluded[..i].contains(a) {
                e.err(
                    format!("{key}.excluded[{i}]"),
                    "an unknown or repeated account",
                );
            }
        }
        if b.destination == Destination::Burn {
            e.err(
                format!("{path}.destination"),
                "with a stake burn, the destination receives the unburned part: name an account or a reward pool",
            );
        }
    }

    pub(super) fn check_lock(&self, e: &mut Errors, path: &str, p: &RewardPoolSpec) {
        let key = format!("{path}.lock_multipliers");
        let points = &p.lock_multipliers;
        if points.len() > MAX_LOCK_POINTS {
            e.err(key.clone(), format!("at most {MAX_LOCK_POINTS} points"));
        }
        if points.first().is_some_and(|f| f.steps != 0) {
            e.err(key.clone(), "the first point is the lock of 0 steps");
        }
        for (i, pair) in points.windows(2).enumerate() {
            let (a, b) = (pair[0], pair[1]);
            if b.steps <= a.steps {
                e.err(
                    format!("{key}[{}].steps", i + 1),
                    "locks must lengthen from point to point",
                );
            }
            if b.multiplier_ppm < a.multiplier_ppm {
                e.err(
                    format!("{key}[{}].multiplier", i + 1),
                    "a longer lock never weighs less",
                );
            }
        }
        for (i, point) in points.iter().enumerate() {
            if point.multiplier_ppm < PPM_ONE {
                e.err(format!("{key}[{i}].multiplier"), "at least 1x");
            }
        }
        if p.max_lock_steps() > MAX_LOCK_STEPS {
            e.err(key, format!("locks of at most {MAX_LOCK_STEPS} steps"));
        }
        if p.unbonding_steps > MAX_LOCK_STEPS {
            e.err(
                format!("{path}.unbonding_steps"),
                format!("at most {MAX_LOCK_STEPS} steps"),
            );
        }
    }

    fn check_fee_route(&self, e: &mut Errors, path: &str, p: &RewardPoolSpec, stake: AssetId) {
        if p.early_withdrawal_fee >= Ppm::ONE {
            e.err(format!("{path}.early_withdrawal_fee"), "must be below 100%");
        }
        let key = format!("{path}.early_withdrawal_fee_to");
        // No fee, nothing routed: burn is the harmless default.
        let charged = p.early_withdrawal_fee > Ppm::ZERO;
        if charged && p.early_withdrawal_fee_to == Destination::Burn && !self.is_token(stake) {
            e.err(
                key.clone(),
                "only a declared token can be burned: LP shares leave by removing liquidity, the numeraire as an outflow",
            );
        }
        self.check_routed(e, key, p.early_withdrawal_fee_to, &[stake]);
    }

    pub(super) fn check_emissions(&self, e: &mut Errors) {
        if ScheduleId::from_index(self.emissions.len()).is_none() {
            e.err("emissions", "too many emission schedules");
        }
        for s in &self.emissions {
            let path = format!("emissions.{}", s.name);
            if !self.is_token(s.token) {
                e.err(format!("{path}.token"), "must name a declared token");
            }
            match s.source {
                EmissionSource::Mint(reason) if !reason.is_emission() => e.err(
                    format!("{path}.source"),
                    "a minted schedule mints as an emission reason (training_reward, grant, referral, staking)",
                ),
                EmissionSource::Account(a) if !self.account_ok(a) => {
                    e.err(format!("{path}.source"), "unknown account")
                }
                _ => {}
            }
            if s.channels.is_empty() || s.channels.len() > MAX_CHANNELS {
                e.err(
                    format!("{path}.channels"),
                    format!("needs 1 to {MAX_CHANNELS} channels"),
                );
            }
            e.shares_sum(
                &format!("{path}.channels"),
                s.channels.iter().map(|c| (c.name.as_str(), c.share)),
                "channel shares",
            );
            for (i, c) in s.channels.iter().enumerate() {
                let key = format!("{path}.channels[{i}].to");
                if c.to == Destination::Burn {
                    e.err(
                        key.clone(),
                        "an emission goes to an account or a reward pool",
                    );
                }
                self.check_routed(e, key, c.to, &[s.token]);
            }
            check_curve(e, &format!("{path}.curve"), &s.curve);
            if let Some(cap) = s.cap.filter(|cap| *cap < s.already_emitted) {
                e.err(
                    format!("{path}.cap"),
                    format!(
                        "the cap {cap} is below the {} already emitted",
                        s.already_emitted
                    ),
                );
            }
            if s.epoch_steps == 0 {
                e.err(
                    format!("{path}.epoch_steps"),
                    "an epoch is at least one step",
                );
            }
        }
    }
}

fn check_curve(e: &mut Errors, path: &str, curve: &EmissionCurve) {
    let mut positive = |key: &str, zero: bool| {
        if zero {
            e.err(format!("{path}.{key}"), "must be greater than zero");
        }
    };
    match curve {
        EmissionCurve::Constant { per_epoch } => positive("per_epoch", *per_epoch == 0),
        EmissionCurve::Geometric {
            initial,
            numerator,
            denominator,
            every_epochs,
        } => {
            positive("initial", *initial == 0);
            positive("denominator", *denominator == 0);
            positive("every_epochs", *every_epochs == 0);
            if numerator > denominator {
                e.err(
                    format!("{path}.numerator"),
                    "the factor is at most 1: a schedule decays or stays",
                );
            }
        }
        EmissionCurve::IssuanceHalving { base, cap } => {
            positive("base", *base == 0);
            positive("cap", *cap == 0);
        }
        EmissionCurve::Steps(steps) => {
            if steps.is_empty() || steps.len() > MAX_CURVE_STEPS {
                e.err(
                    format!("{path}.steps"),
                    format!("needs 1 to {MAX_CURVE_STEPS} steps"),
                );
            }
            if steps.first().is_some_and(|s| s.from_epoch != 0) {
                e.err(
                    format!("{path}.steps[0].from_epoch"),
                    "the first step starts at epoch 0",
                );
            }
            for (i, pair) in steps.windows(2).enumerate() {
                if pair[1].from_epoch <= pair[0].from_epoch {
                    e.err(
                        format!("{path}.steps[{}].from_epoch", i + 1),
                        "steps must start at later and later epochs",
                    );
                }
            }
        }
        EmissionCurve::Linear { total, epochs } => {
            positive("total", *total == 0);
            positive("epochs", *epochs == 0);
        }
    }
}
