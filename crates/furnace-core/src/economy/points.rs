//! Points rules (LAM's "training points" and referrals): how many points
//! an action earns, who is credited a commission on them, and the one-time
//! referral bonuses. Points are the weights of a points reward pool, so an
//! emission channel into that pool pays its token pro rata to points, in
//! O(1) per credit. The engine's side is `engine/points.rs`, the state's
//! `state/points.rs`.
//!
//! Every multiplier is in millionths (`1_000_000` is 1x, a bonus of
//! `50_000` is +5%), points are whole numbers (`u128`), and the formula of
//! the public LAM docs (tokenomics/point-tiers-and-epochs.mdx)
//!
//! `points = floor(base x (1 + badge + (epoch - 1) + mode + (bounty - 1)))`
//!
//! is computed once, exactly, as
//! `floor(base x (10^6 + badge + (epoch - 10^6) + mode + (bounty - 10^6)) / 10^6)`.

use crate::ids::RewardPoolId;

/// Bound on each table of a points rule (lookups scan them; the public LAM
/// tables have at most 13 rows).
pub const MAX_POINTS_TIERS: usize = 64;

/// One badge tier: from `from_points` lifetime points on, `bonus_ppm` is
/// added to every multiplier sum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadgeTier {
    pub name: String,
    pub from_points: u128,
    pub bonus_ppm: u32,
}

/// A training mode (active, background) and its bonus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainingMode {
    pub name: String,
    pub bonus_ppm: u32,
}

/// A bounty tier: a bounty's own multiplier must lie in `[min_ppm, max_ppm]`
/// (Platinum 20-100x, ... Bronze 1-2x), at least 1x.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BountyTier {
    pub name: String,
    pub min_ppm: u32,
    pub max_ppm: u32,
}

/// A referral tier, by the referrer's number of referrals: from
/// `from_referrals` on, the referrer earns `commission_ppm` of its
/// referees' points, and each referral brings `signup_bonus` points when
/// made and `qualified_bonus` when the referee qualifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferralTier {
    pub from_referrals: u32,
    pub commission_ppm: u32,
    pub signup_bonus: u128,
    pub qualified_bonus: u128,
}

/// One set of points rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointsRules {
    pub name: String,
    /// A points reward pool: each account's lifetime points are its
    /// position's weight (no other event may set them).
    pub pool: RewardPoolId,
    /// Steps per points epoch: the epoch is `step / epoch_steps`.
    pub epoch_steps: u32,
    /// Multiplier by epoch, `epochs[0]` the first; the last continues.
    /// Each at least 1x.
    pub epochs: Vec<u32>,
    /// By lifetime points: starts at 0, rising strictly.
    pub badges: Vec<BadgeTier>,
    /// At most 255 (an event names one by its `u8` index).
    pub modes: Vec<TrainingMode>,
    /// At most 255.
    pub bounties: Vec<BountyTier>,
    /// By referral count: starts at 0, rising strictly.
    pub referrals: Vec<ReferralTier>,
}

/// The last entry of a table sorted by `from` whose `from <= value`
/// (validation guarantees the first entry starts at 0).
fn tier_of<T, K: PartialOrd>(table: &[T], value: K, from: impl Fn(&T) -> K) -> &T {
    let i = table.iter().take_while(|t| from(t) <= value).count();
    &table[i.saturating_sub(1)]
}

impl PointsRules {
    /// The epoch multiplier at `step` (the table's last entry continues).
    pub fn epoch_multiplier_ppm(&self, step: u64) -> u32 {
        let epoch = step / u64::from(self.epoch_steps.max(1));
        let last = self.epochs.len() - 1;
        self.epochs[usize::try_from(epoch).map_or(last, |e| e.min(last))]
    }

    /// The badge held with `lifetime` points.
    pub fn badge(&self, lifetime: u128) -> &BadgeTier {
        tier_of(&self.badges, lifetime, |b| b.from_points)
    }

    /// The referral tier of a referrer with `referrals` referrals.
    pub fn referral_tier(&self, referrals: u32) -> &ReferralTier {
        tier_of(&self.referrals, referrals, |r| r.from_referrals)
    }

    /// `1 + badge + (epoch - 1) + mode + (bounty - 1)` in millionths: at
    /// least 10^6 (every multiplier is at least 1x, every bonus at least
    /// 0), below 2^35 (four `u32` terms).
    pub fn multiplier_ppm(&self, badge: u32, epoch: u32, mode: u32, bounty: u32) -> u64 {
        u64::from(badge) + u64::from(epoch) + u64::from(mode) + u64::from(bounty) - 1_000_000
    }
}
