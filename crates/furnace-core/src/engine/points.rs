//! Points rules (`economy/points.rs`): `EarnPoints`, `Refer`,
//! `QualifyReferral`. Points are whole numbers; an account's lifetime
//! points are its weight in the rule's points pool, so whatever the pool is
//! credited (an emission channel, a split leg) is paid pro rata to points
//! in O(1), and a points event costs O(1) too: one or two positions
//! settled and reweighed, no scan.
//!
//! Rounding: `points = floor(base x multiplier_ppm / 10^6)` (the earner
//! loses less than one point); a commission is `floor(points x
//! commission_ppm / 10^6)`, credited to the referrer on top (the referee
//! keeps all its points: "the referee loses nothing").
//!
//! ASSUMPTIONS (the public LAM pages leave them open), each a choice of
//! this module:
//! - the badge is the one held *before* the event: points that cross a
//!   tier's threshold are earned at the old tier, the next ones at the new;
//! - every point counts toward lifetime points and the pool weight:
//!   earned, commission and bonus alike;
//! - commissions are one level deep (on points earned, never on a
//!   commission or a bonus);
//! - a referral's tier counts the referrals the referrer has including
//!   this one (the 6th referral is in the 6-20 tier); the sign-up bonus is
//!   the tier's at `Refer`, the qualification bonus the tier's at
//!   `QualifyReferral`, both credited to the referrer.

use super::rewards::settle;
use super::{check_account, Receipt, Rejection};
use crate::economy::{Economy, PointsRules};
use crate::event::BountyClaim;
use crate::ids::{AccountId, PointsRulesId, PositionId, RewardPoolId};
use crate::state::{PointsAccount, Position, RewardPoolTotals, State};
use crate::units::PPM_ONE;
use std::fmt;

/// Why a points event was refused; `code()` is stable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PointsRejection {
    UnknownRules(PointsRulesId),
    UnknownMode(u8),
    UnknownBountyTier(u8),
    /// The bounty's multiplier lies outside its tier's range.
    BountyOutOfRange {
        tier: u8,
        multiplier_ppm: u32,
        min_ppm: u32,
        max_ppm: u32,
    },
    SelfReferral(AccountId),
    AlreadyReferred {
        referee: AccountId,
        referrer: AccountId,
    },
    NotReferred(AccountId),
    AlreadyQualified(AccountId),
    /// `SetWeight` on a pool whose weights are a points rule's.
    WeightFromPoints(RewardPoolId),
}

impl PointsRejection {
    pub fn code(&self) -> &'static str {
        match self {
            PointsRejection::UnknownRules(_) => "unknown_points_rules",
            PointsRejection::UnknownMode(_) => "unknown_training_mode",
            PointsRejection::UnknownBountyTier(_) => "unknown_bounty_tier",
            PointsRejection::BountyOutOfRange { .. } => "bounty_out_of_range",
            PointsRejection::SelfReferral(_) => "self_referral",
            PointsRejection::AlreadyReferred { .. } => "already_referred",
            PointsRejection::NotReferred(_) => "not_referred",
            PointsRejection::AlreadyQualified(_) => "already_qualified",
            PointsRejection::WeightFromPoints(_) => "weight_from_points",
        }
    }
}

impl fmt::Display for PointsRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointsRejection::UnknownRules(r) => write!(f, "no points rules with id {}", r.0),
            PointsRejection::UnknownMode(m) => write!(f, "no training mode {m}"),
            PointsRejection::UnknownBountyTier(t) => write!(f, "no bounty tier {t}"),
            PointsRejection::BountyOutOfRange {
                tier,
                multiplier_ppm,
                min_ppm,
                max_ppm,
            } => write!(
                f,
                "bounty tier {tier} pays {min_ppm} to {max_ppm} ppm, not {multiplier_ppm}"
            ),
            PointsRejection::SelfReferral(a) => write!(f, "account {} cannot refer itself", a.0),
            PointsRejection::AlreadyReferred { referee, referrer } => write!(
                f,
                "account {} was already referred by account {}",
                referee.0, referrer.0
            ),
            PointsRejection::NotReferred(a) => write!(f, "account {} was not referred", a.0),
            PointsRejection::AlreadyQualified(a) => {
                write!(f, "account {}'s referral already qualified", a.0)
            }
            PointsRejection::WeightFromPoints(p) => write!(
                f,
                "reward pool {}'s weights are points: only points events change them",
                p.0
            ),
        }
    }
}

impl From<PointsRejection> for Rejection {
    fn from(r: PointsRejection) -> Rejection {
        Rejection::Points(r)
    }
}

/// What `EarnPoints` credited.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PointsEarned {
    /// The earner's points.
    pub points: u128,
    /// The multiplier sum applied, in millionths.
    pub multiplier_ppm: u64,
    /// Its referrer and the commission credited to it (0 without one).
    pub referrer: Option<AccountId>,
    pub commission: u128,
}

/// The rules, or `unknown_points_rules`.
pub(crate) fn rules_of(e: &Economy, rules: PointsRulesId) -> Result<&PointsRules, Rejection> {
    Ok(e.points
        .get(rules.index())
        .ok_or(PointsRejection::UnknownRules(rules))?)
}

/// `SetWeight` is refused on a pool whose weights are points.
pub(crate) fn check_set_weight(e: &Economy, pool: RewardPoolId) -> Result<(), Rejection> {
    if e.points.iter().any(|r| r.pool == pool) {
        return Err(PointsRejection::WeightFromPoints(pool).into());
    }
    Ok(())
}

/// `floor(base x multiplier_ppm / 10^6)`: base < 2^64 and the multiplier
/// < 2^35, so the product fits in 128 bits.
pub fn points_for(base: u64, multiplier_ppm: u64) -> u128 {
    u128::from(base) * u128::from(multiplier_ppm) / u128::from(PPM_ONE)
}

/// The multiplier sum `EarnPoints` would apply, checked.
fn multiplier(
    r: &PointsRules,
    step: u64,
    lifetime: u128,
    mode: u8,
    bounty: Option<BountyClaim>,
) -> Result<u64, Rejection> {
    let mode_bonus = r
        .modes
        .get(usize::from(mode))
        .ok_or(PointsRejection::UnknownMode(mode))?
        .bonus_ppm;
    let bounty_ppm = match bounty {
        None => PPM_ONE,
        Some(BountyClaim {
            tier,
            multiplier_ppm,
        }) => {
            let t = r
                .bounties
                .get(usize::from(tier))
                .ok_or(PointsRejection::UnknownBountyTier(tier))?;
            if multiplier_ppm < t.min_ppm || multiplier_ppm > t.max_ppm {
                return Err(PointsRejection::BountyOutOfRange {
                    tier,
                    multiplier_ppm,
                    min_ppm: t.min_ppm,
                    max_ppm: t.max_ppm,
                }
                .into());
            }
            multiplier_ppm
        }
    };
    Ok(r.multiplier_ppm(
        r.badge(lifetime).bonus_ppm,
        r.epoch_multiplier_ppm(step),
        mode_bonus,
        bounty_ppm,
    ))
}

/// Points credited to accounts, computed (pure), stored by [`Plan::commit`]
/// (which cannot fail). Small and `Copy` inside: an `EarnPoints` moves it
/// around, and copies were half its cost when it carried whole pool
/// changes.
struct Plan {
    rules: usize,
    pool: RewardPoolId,
    /// The pool's counters after the event (only `total_weight` changes:
    /// weights only grow here, so no fraction is orphaned and no dust
    /// booked, unlike `rewards.rs`'s general reweighing).
    totals: RewardPoolTotals,
    /// The positions credited, settled and reweighed.
    credits: [Option<(PositionId, Position)>; 2],
    entries: [(AccountId, PointsAccount); 2],
    n_entries: usize,
    /// Positions this plan opens (numbered after the pool's last).
    opened: usize,
    /// The rule's counters after the event.
    total: u128,
    earned: u128,
    commissions: u128,
    bonuses: u128,
}

impl Plan {
    fn new(state: &State, rules: PointsRulesId, pool: RewardPoolId) -> Plan {
        let s = &state.points[rules.index()];
        Plan {
            rules: rules.index(),
            pool,
            totals: state.reward_pools[pool.index()].totals,
            credits: [None, None],
            entries: [(AccountId(0), PointsAccount::default()); 2],
            n_entries: 0,
            opened: 0,
            total: s.total,
            earned: s.earned,
            commissions: s.commissions,
            bonuses: s.bonuses,
        }
    }

    /// Record an account's new entry (no points added).
    fn entry(&mut self, account: AccountId, entry: PointsAccount) {
        self.entries[self.n_entries] = (account, entry);
        self.n_entries += 1;
    }

    /// Add `points` to `entry`'s lifetime and to its position's weight in
    /// the pool (opening one at its first points): the position settled at
    /// the pool's accumulator first, so it keeps what it earned at its old
    /// weight.
    fn credit(
        &mut self,
        state: &State,
        account: AccountId,
        entry: &mut PointsAccount,
        points: u128,
    ) -> Result<(), Rejection> {
        if points == 0 {
            return Ok(());
        }
        let overflow = || Rejection::Overflow("points");
        entry.lifetime = entry.lifetime.checked_add(points).ok_or_else(overflow)?;
        self.total = self.total.checked_add(points).ok_or_else(overflow)?;
        let p = &state.reward_pools[self.pool.index()];
        let (id, mut position) = match entry.position {
            Some(id) => {
                let current = p
                    .positions
                    .get(id.index())
                    .ok_or(Rejection::UnknownPosition {
                        pool: self.pool,
                        position: id,
                    })?;
                (id, settle(&self.totals, current)?)
            }
            None => {
                let next = p.positions.len() + self.opened;
                let id = PositionId::from_index(next).ok_or(Rejection::TooMany("positions"))?;
                self.opened += 1;
                entry.position = Some(id);
                (
                    id,
                    Position::new(account, PPM_ONE, state.step, self.totals.acc),
                )
            }
        };
        // The position weighs its lifetime points (the invariant
        // `state/points.rs` checks), so it grows by exactly `points`.
        self.totals.total_weight = (self.totals.total_weight - position.weight)
            .checked_add(entry.lifetime)
            .ok_or(Rejection::Overflow("total weight"))?;
        position.weight = entry.lifetime;
        let slot = usize::from(self.credits[0].is_some());
        self.credits[slot] = Some((id, position));
        Ok(())
    }

    fn commit(&self, state: &mut State) {
        let pool = &mut state.reward_pools[self.pool.index()];
        pool.totals = self.totals;
        // In id order: a new position's id is the next one.
        for &(id, position) in self.credits.iter().flatten() {
            match pool.positions.get_mut(id.index()) {
                Some(slot) => *slot = position,
                None => pool.positions.push(position),
            }
        }
        let s = &mut state.points[self.rules];
        for &(account, entry) in &self.entries[..self.n_entries] {
            s.set(account, entry);
        }
        s.total = self.total;
        s.earned = self.earned;
        s.commissions = self.commissions;
        s.bonuses = self.bonuses;
    }
}

pub(crate) fn apply_earn(
    e: &Economy,
    state: &mut State,
    rules: PointsRulesId,
    account: AccountId,
    base: u64,
    mode: u8,
    bounty: Option<BountyClaim>,
) -> Result<Receipt, Rejection> {
    let r = rules_of(e, rules)?;
    check_account(state, account)?;
    if base == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let s = &state.points[rules.index()];
    let mut earner = s.account(account);
    let multiplier_ppm = multiplier(r, state.step, earner.lifetime, mode, bounty)?;
    let points = points_for(base, multiplier_ppm);
    let mut plan = Plan::new(state, rules, r.pool);
    plan.credit(state, account, &mut earner, points)?;
    plan.earned = plan
        .earned
        .checked_add(points)
        .ok_or(Rejection::Overflow("points"))?;
    plan.entry(account, earner);
    let mut commission = 0;
    if let Some(referrer) = earner.referrer {
        let mut entry = s.account(referrer);
        let rate = r.referral_tier(entry.referrals).commission_ppm;
        // points < 2^99 and rate <= 10^6 < 2^20: the product fits.
        commission = points * u128::from(rate) / u128::from(PPM_ONE);
        plan.credit(state, referrer, &mut entry, commission)?;
        plan.commissions = plan
            .commissions
            .checked_add(commission)
            .ok_or(Rejection::Overflow("points"))?;
        plan.entry(referrer, entry);
    }
    // Validated: mutate.
    plan.commit(state);
    Ok(Receipt::PointsEarned(PointsEarned {
        points,
        multiplier_ppm,
        referrer: earner.referrer,
        commission,
    }))
}

pub(crate) fn apply_refer(
    e: &Economy,
    state: &mut State,
    rules: PointsRulesId,
    referrer: AccountId,
    referee: AccountId,
) -> Result<Receipt, Rejection> {
    let r = rules_of(e, rules)?;
    check_account(state, referrer)?;
    check_account(state, referee)?;
    if referrer == referee {
        return Err(PointsRejection::SelfReferral(referee).into());
    }
    let s = &state.points[rules.index()];
    let mut ee = s.account(referee);
    if let Some(earlier) = ee.referrer {
        return Err(PointsRejection::AlreadyReferred {
            referee,
            referrer: earlier,
        }
        .into());
    }
    let mut er = s.account(referrer);
    er.referrals = er
        .referrals
        .checked_add(1)
        .ok_or(Rejection::Overflow("referrals"))?;
    ee.referrer = Some(referrer);
    let bonus = r.referral_tier(er.referrals).signup_bonus;
    let er = pay_bonus(state, rules, r.pool, (referrer, er), (referee, ee), bonus)?;
    Ok(Receipt::Referred {
        referrer,
        referrals: er.referrals,
        bonus,
    })
}

/// Credit `bonus` points to the referrer and record both entries: the
/// tail `Refer` and `QualifyReferral` share (validated, then committed).
/// Returns the referrer's entry as committed.
fn pay_bonus(
    state: &mut State,
    rules: PointsRulesId,
    pool: RewardPoolId,
    (referrer, mut er): (AccountId, PointsAccount),
    (referee, ee): (AccountId, PointsAccount),
    bonus: u128,
) -> Result<PointsAccount, Rejection> {
    let mut plan = Plan::new(state, rules, pool);
    plan.credit(state, referrer, &mut er, bonus)?;
    plan.bonuses = plan
        .bonuses
        .checked_add(bonus)
        .ok_or(Rejection::Overflow("points"))?;
    plan.entry(referrer, er);
    plan.entry(referee, ee);
    plan.commit(state);
    Ok(er)
}

pub(crate) fn apply_qualify(
    e: &Economy,
    state: &mut State,
    rules: PointsRulesId,
    referee: AccountId,
) -> Result<Receipt, Rejection> {
    let r = rules_of(e, rules)?;
    check_account(state, referee)?;
    let s = &state.points[rules.index()];
    let mut ee = s.account(referee);
    let referrer = ee.referrer.ok_or(PointsRejection::NotReferred(referee))?;
    if ee.qualified {
        return Err(PointsRejection::AlreadyQualified(referee).into());
    }
    ee.qualified = true;
    let er = s.account(referrer);
    let bonus = r.referral_tier(er.referrals).qualified_bonus;
    pay_bonus(state, rules, r.pool, (referrer, er), (referee, ee), bonus)?;
    Ok(Receipt::ReferralQualified { referrer, bonus })
}
