//! Training points (issue 7, LAM's earning side): the `[training]`
//! drivers. Setup opens the trainers and draws who referred whom
//! (`Refer`, sign-up bonuses at step 0); each day, before the emissions
//! (so a day's distribution is paid pro rata to the points including that
//! day's), every trainer earns points with `EarnPoints`, and a referee
//! whose lifetime points reach `qualify_points` qualifies
//! (`QualifyReferral`); every `claim_every_days` steps each trainer
//! `Claim`s what its points earned. The rules (multipliers, badges, commissions,
//! bonuses) are the economy's; this file only decides behaviour.
//!
//! Randomness: stream 5 (`drivers::TRAINING_STREAM`) of the run's seed, its own,
//! so a scenario without `[training]` draws exactly what it drew before
//! and one with it keeps its price, demand and shock paths. Per day and
//! trainer, in trainer order: an active trainer draws one normal for its
//! actions (none when `actions_sigma` is 0), then one uniform per bounty
//! tier in file order until one fires, and one uniform for that bounty's
//! multiplier; a background trainer draws nothing. Setup draws, for each
//! trainer after the first, one uniform (referred or not) and one for the
//! referrer.
//!
//! Nothing here allocates per step: the trainers are a vector built at
//! setup, events are built on the stack, and the engine's per-account
//! points and the pool's positions are reserved at setup
//! (`State::reserve_points`).

use crate::drivers::{rng, standard_normal, uniform, TRAINING_STREAM};
use crate::error::{unexpected, SimError};
use crate::sim::Sim;
use furnace_config::scenario::TrainingDrivers;
use furnace_core::engine::claimable;
use furnace_core::event::BountyClaim;
use furnace_core::ids::AccountId;
use furnace_core::{Event, Receipt, State};
use rand_chacha::ChaCha8Rng;

/// The trainers of a `[training]` section and their random stream.
pub(crate) struct Training {
    pub(crate) trainers: Vec<AccountId>,
    /// The first `active` trainers train actively.
    active: usize,
    rng: ChaCha8Rng,
}

impl Training {
    /// Open the trainers and apply the referral graph drawn from `seed`
    /// (the setup's events, through `setup_event`).
    pub(crate) fn setup(
        d: &TrainingDrivers,
        seed: u64,
        state: &mut State,
        mut setup_event: impl FnMut(&mut State, &Event) -> Result<Receipt, SimError>,
    ) -> Result<Training, SimError> {
        let n = d.trainers as usize;
        let mut trainers = Vec::with_capacity(n);
        for _ in 0..n {
            match setup_event(state, &Event::OpenAccount)? {
                Receipt::AccountOpened(id) => trainers.push(id),
                other => return Err(unexpected(0, other)),
            }
        }
        let mut draws = rng(seed, TRAINING_STREAM);
        for i in 1..n {
            let referred = uniform(&mut draws) < f64::from(d.referred_share.0) / 1e6;
            let pick = uniform(&mut draws);
            if referred {
                // An earlier trainer, uniformly: floor(u x i) < i.
                let j = usize::try_from(to_u64(libm::floor(pick * i as f64)))
                    .unwrap_or(i)
                    .min(i - 1);
                let refer = Event::Refer {
                    rules: d.rules,
                    referrer: trainers[j],
                    referee: trainers[i],
                };
                match setup_event(state, &refer)? {
                    Receipt::Referred { .. } => {}
                    other => return Err(unexpected(0, other)),
                }
            }
        }
        let active = usize::try_from(d.active_share.of_floor(n as u128).unwrap_or(0))
            .unwrap_or(n)
            .min(n);
        Ok(Training {
            trainers,
            active,
            rng: rng(seed, TRAINING_STREAM),
        })
    }

    /// A Monte Carlo run with `seed` draws its days afresh (the referral
    /// graph, part of setup, stays).
    pub(crate) fn reset(&mut self, seed: u64) {
        self.rng = rng(seed, TRAINING_STREAM);
    }
}

/// `mean x exp(sigma Z - sigma^2 / 2)` (a lognormal with that mean),
/// rounded half away from zero; the mean itself when sigma is 0.
fn actions(d: &TrainingDrivers, rng: &mut ChaCha8Rng) -> u64 {
    if d.actions_sigma == 0.0 {
        return d.actions_per_day;
    }
    let z = standard_normal(rng);
    let s = d.actions_sigma;
    let x = d.actions_per_day as f64 * libm::exp(s * z - s * s / 2.0);
    to_u64(libm::round(x))
}

/// A whole, non-negative float as a `u64`, saturating (a lognormal day can
/// pass 2^64 only at absurd sigmas; NaN is 0).
fn to_u64(v: f64) -> u64 {
    if v.is_nan() || v <= 0.0 {
        0
    } else if v >= u64::MAX as f64 {
        u64::MAX
    } else {
        // In range and whole (callers round or floor first): exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = v as u64;
        n
    }
}

impl Sim<'_> {
    /// 1b. Training: every trainer earns its day's points; referees that
    ///     reach `qualify_points` qualify.
    pub(super) fn training(&mut self, step: u32) -> Result<(), SimError> {
        let scenario = self.scenario;
        let Some(d) = &scenario.training else {
            return Ok(());
        };
        let Some(mut t) = self.training.take() else {
            return Ok(());
        };
        let result = self.training_day(d, &mut t, step);
        self.training = Some(t);
        result
    }

    fn training_day(
        &mut self,
        d: &TrainingDrivers,
        t: &mut Training,
        step: u32,
    ) -> Result<(), SimError> {
        let economy = self.economy;
        let rules = &economy.points[d.rules.index()];
        for (i, &account) in t.trainers.iter().enumerate() {
            let (base, mode, bounty) = if i < t.active {
                let base = actions(d, &mut t.rng);
                let mut bounty = None;
                for b in &d.bounties {
                    if uniform(&mut t.rng) < b.probability {
                        let tier = &rules.bounties[usize::from(b.tier)];
                        let span = f64::from(tier.max_ppm - tier.min_ppm);
                        let up =
                            u32::try_from(to_u64(libm::floor(uniform(&mut t.rng) * (span + 1.0))))
                                .unwrap_or(u32::MAX);
                        bounty = Some(BountyClaim {
                            tier: b.tier,
                            multiplier_ppm: tier.min_ppm.saturating_add(up).min(tier.max_ppm),
                        });
                        break;
                    }
                }
                (base, d.active_mode, bounty)
            } else {
                (d.background_points_per_day, d.background_mode, None)
            };
            if base == 0 {
                continue;
            }
            let earn = Event::EarnPoints {
                rules: d.rules,
                account,
                base,
                mode,
                bounty,
            };
            match self.apply(step, &earn)? {
                Receipt::PointsEarned(_) => {}
                other => return Err(unexpected(step, other)),
            }
            let entry = self
                .state
                .points(d.rules)
                .map(|p| p.account(account))
                .unwrap_or_default();
            if entry.referrer.is_some() && !entry.qualified && entry.lifetime >= d.qualify_points {
                let qualify = Event::QualifyReferral {
                    rules: d.rules,
                    referee: account,
                };
                match self.apply(step, &qualify)? {
                    Receipt::ReferralQualified { .. } => {}
                    other => return Err(unexpected(step, other)),
                }
            }
        }
        if d.claim_every_days > 0 && step % d.claim_every_days == 0 {
            self.training_claims(d, t, step)?;
        }
        Ok(())
    }

    /// Every trainer with a position claims what it has earned (what
    /// `claimable` shows: a claim is never refused for being empty).
    fn training_claims(
        &mut self,
        d: &TrainingDrivers,
        t: &Training,
        step: u32,
    ) -> Result<(), SimError> {
        let pool = self.economy.points[d.rules.index()].pool;
        for &account in &t.trainers {
            let Some(position) = self
                .state
                .points(d.rules)
                .and_then(|p| p.account(account).position)
            else {
                continue;
            };
            let (rewards, unbonded) = claimable(self.economy, &self.state, pool, position)
                .map_err(|r| SimError::rejected(step, || "claimable".into(), r))?;
            if rewards == 0 && unbonded == 0 {
                continue;
            }
            match self.apply(step, &Event::Claim { pool, position })? {
                Receipt::Claimed { .. } => {}
                other => return Err(unexpected(step, other)),
            }
        }
        Ok(())
    }
}
