//! The incentive rules of an economy: reward pools (one mechanism for
//! stakers, LPs, governance voters, contributors and trainers) and emission
//! schedules. The engine's side is `engine/rewards.rs` and
//! `engine/emission.rs`; the state's is `state/rewards.rs`.

use super::Destination;
use crate::event::MintReason;
use crate::ids::{AccountId, AssetId};
use crate::units::{BaseUnits, Ppm, PPM_ONE};

/// Bound on the points of one lock-multiplier table (a lookup scans them).
pub const MAX_LOCK_POINTS: usize = 16;
/// Bound on a lock and on unbonding, in steps: 100 years of daily steps,
/// as furnace-config's `MAX_DAYS` (36,500).
pub const MAX_LOCK_STEPS: u32 = 36_500;
/// Bound on the channels of one emission schedule (its receipt is a
/// fixed-size array).
pub const MAX_CHANNELS: usize = 8;
/// Bound on the entries of a step-table curve (a lookup scans them).
pub const MAX_CURVE_STEPS: usize = 64;

/// What gives a position its weight in a reward pool.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PoolWeight {
    /// Positions deposit `asset` (the token, an LP-share asset...), which
    /// the pool holds in custody; weight = deposit x lock multiplier.
    Stake { asset: AssetId },
    /// Nothing is deposited: `SetWeight` events set each position's weight
    /// (governance votes, contributor scores, quality x usage).
    Points,
}

/// One point of a piecewise-linear lock-multiplier table: a lock of
/// `steps` weighs `multiplier_ppm / 10^6` times its deposit.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LockPoint {
    pub steps: u32,
    /// 1,000,000 is 1x. At least 1x, non-decreasing along the table.
    pub multiplier_ppm: u32,
}

/// A reward pool: rewards credited to it are shared pro rata to the
/// positions' weights, in O(1) per credit (an accumulator of reward per
/// weight; each position settles what it earned when it is next touched).
///
/// Rounding (see `engine/rewards.rs`): the accumulator is exact to 2^-96
/// units per weight unit, the division remainder carried in the pool;
/// positions keep their fraction of a unit, so a position's rewards are
/// never more than one base unit below its exact pro-rata share. Whole
/// units left over (a fraction of a position whose weight fell to zero, the
/// remainder when the pool empties) are booked to `dust_to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewardPoolSpec {
    pub name: String,
    /// The asset rewards are paid in.
    pub reward: AssetId,
    pub weight: PoolWeight,
    /// Where rewards go that arrive while the total weight is zero (never
    /// stranded in the pool, unlike Synthetix's StakingRewards).
    pub empty_to: AccountId,
    /// Where booked rounding dust goes.
    pub dust_to: AccountId,
    /// Lock multipliers by lock length; the last point's `steps` is the
    /// longest lock allowed. Empty: no locks (only `lock_steps = 0`, 1x).
    pub lock_multipliers: Vec<LockPoint>,
    /// A withdrawal becomes claimable this many steps (`Tick`s) after it
    /// is made; 0: paid at once.
    pub unbonding_steps: u32,
    /// Charged on the amount withdrawn before the position's lock ends,
    /// `floor(amount x fee)`, in the staked asset.
    pub early_withdrawal_fee: Ppm,
    pub early_withdrawal_fee_to: Destination,
    /// Stake pools only: weights above a multiple of the geometric mean of
    /// the positions' weights are decayed, and what the excess would have
    /// earned goes to a treasury (AImagine's "stake capital efficiency").
    pub stake_cap: Option<StakeCap>,
}

/// Stake caps by geometric mean (`engine/stake_cap.rs`). A position's
/// *uncapped* weight `w` is its deposit times its lock multiplier (the
/// "stake"); `RebalanceStakeCaps` computes `G`, the geometric mean of the
/// uncapped weights of the positions that have one, and from then on a
/// position weighs
///
/// `min(w, C) + floor((min(w, L) - C)+ x excess_rate)`
///
/// with `C = floor(G cap_ppm / 10^6)` and `L = floor(G limit_ppm / 10^6)`.
/// The difference `w - weight` counts for `surplus_to`: the pool's total
/// weight stays the sum of uncapped weights, so every other position earns
/// exactly what it would without caps, and the treasury earns what the
/// excess would have. ASSUMPTION (AImagine publishes no equation): the
/// defaults the economy files use are `cap = 1x G`, `excess_rate = 50%`,
/// `limit = 2x G`: the part of a stake between G and 2G counts half, above
/// 2G nothing. Before the first rebalance, and when no position has
/// weight, nothing is capped.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct StakeCap {
    /// `c`: a weight counts in full up to `c G` (10^6 is G itself; > 0).
    pub cap_ppm: u32,
    /// The rate at which the part of a weight between `c G` and `l G`
    /// counts (at most 100%).
    pub excess_rate: Ppm,
    /// `l`: nothing beyond `l G` counts (`l >= c`).
    pub limit_ppm: u32,
    /// Receives what the excess earns, paid at each rebalance.
    pub surplus_to: AccountId,
}

/// A buyback's burn fraction tied to staking (AImagine's "recycled aimg":
/// the burn rate is `1 - S`, `S` the staked share of circulating supply).
/// Of the `bought` tokens, `floor(bought (circulating - staked) /
/// circulating)` are burned and the rest go to the program's destination
/// (creators: an account or a reward pool). `staked` is `pool`'s custody of
/// the bought token (deposits and unbonding: still locked), `circulating`
/// the token's supply minus the balances of `excluded` accounts (treasury,
/// unvested allocations...), both read before the execution. Nothing
/// staked (or nothing circulating): everything is burned. Staked tokens are
/// in the pool's custody, never in an account, so `staked <= circulating`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StakeBurn {
    /// A stake pool whose staked asset is the program's token.
    pub pool: crate::ids::RewardPoolId,
    /// At most `MAX_EXCLUDED` accounts whose balances are not circulating.
    pub excluded: Vec<AccountId>,
}

/// Bound on a stake burn's excluded accounts (each execution sums their
/// balances).
pub const MAX_EXCLUDED: usize = 16;

impl RewardPoolSpec {
    /// The staked asset (None for a points pool).
    pub fn stake_asset(&self) -> Option<AssetId> {
        match self.weight {
            PoolWeight::Stake { asset } => Some(asset),
            PoolWeight::Points => None,
        }
    }

    /// The longest lock allowed, in steps.
    pub fn max_lock_steps(&self) -> u32 {
        self.lock_multipliers.last().map_or(0, |p| p.steps)
    }

    /// The multiplier (ppm) of a lock of `lock_steps`: linear between the
    /// table's points, floored to the ppm. None past the longest lock.
    /// Validation guarantees the table starts at 0 steps, rises strictly in
    /// steps and never falls in multiplier.
    pub fn multiplier_ppm(&self, lock_steps: u32) -> Option<u32> {
        let points = &self.lock_multipliers;
        if points.is_empty() {
            return (lock_steps == 0).then_some(PPM_ONE);
        }
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if lock_steps <= b.steps {
                // Cannot underflow: a.steps <= lock_steps (the table starts
                // at 0, and earlier segments took smaller locks) and the
                // multipliers never fall.
                let rise = u64::from(b.multiplier_ppm - a.multiplier_ppm);
                let along = u64::from(lock_steps.saturating_sub(a.steps));
                let run = u64::from(b.steps - a.steps);
                // rise < 2^32 and along <= run < 2^32: the product fits u64
                // and the quotient is at most `rise`.
                let up = u32::try_from(rise * along / run).expect("at most rise");
                return Some(a.multiplier_ppm + up);
            }
        }
        (lock_steps <= points[points.len() - 1].steps)
            .then_some(points[points.len() - 1].multiplier_ppm)
    }
}

/// Where an emission schedule's tokens come from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EmissionSource {
    /// Minted, counted under this (emission) reason; capped by the token's
    /// maximum supply.
    Mint(MintReason),
    /// Transferred from a holding account (a vesting allocation minted at
    /// genesis, as LAM's 350M community pool): the schedule stops when the
    /// account runs out.
    Account(AccountId),
}

/// One place a schedule's emission goes, and its share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmissionChannel {
    pub name: String,
    /// An account or a reward pool paying the schedule's token (never burn).
    pub to: Destination,
    pub share: Ppm,
}

/// One entry of a step-table curve.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CurveStep {
    /// The first epoch (0-based) this amount applies to.
    pub from_epoch: u64,
    pub per_epoch: BaseUnits,
}

/// How much a schedule emits in its epoch `n` (0-based), before caps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmissionCurve {
    /// The same amount every epoch.
    Constant { per_epoch: BaseUnits },
    /// `initial` per epoch, multiplied by `numerator / denominator` every
    /// `every_epochs` epochs, the floor taken at each reduction (the rate is
    /// state, reduced once per period, never recomputed from `initial`):
    /// `rate_{k+1} = floor(rate_k x num / den)`. Exponential decay by `r`
    /// per period is `(10^6 - r_ppm) / 10^6`; halving every N epochs
    /// (Helium) is `1 / 2`; Curve's yearly reduction is its contract's
    /// own `10^18 / 1189207115002721024` (2^(1/4) to 18 decimals).
    Geometric {
        initial: BaseUnits,
        numerator: u128,
        denominator: u128,
        every_epochs: u64,
    },
    /// Bittensor: `base / 2^floor(log2(cap / (cap - supply)))`, the
    /// token's supply read at the start of the epoch; halves as the supply
    /// crosses cap/2, 3cap/4, ... (10.5M, 15.75M of 21M); nothing once the
    /// supply reaches `cap`.
    IssuanceHalving { base: BaseUnits, cap: BaseUnits },
    /// A table: each entry's amount from its epoch on (the first entry
    /// starts at epoch 0; the last amount continues).
    Steps(Vec<CurveStep>),
    /// A fixed total over `epochs` epochs: `floor(total / epochs)` each,
    /// the remainder added to the last, so exactly `total` is emitted; then
    /// the schedule stops.
    Linear { total: BaseUnits, epochs: u64 },
}

/// An emission schedule: each `Emit` event emits one epoch of `curve`,
/// divided among `channels` (each `floor(amount x share)`, the dust to the
/// first channel).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmissionSchedule {
    pub name: String,
    pub token: AssetId,
    pub source: EmissionSource,
    pub channels: Vec<EmissionChannel>,
    pub curve: EmissionCurve,
    /// The most this schedule ever emits, `already_emitted` included; the
    /// epoch that reaches it is cut and the schedule stops.
    pub cap: Option<BaseUnits>,
    /// Emitted before this economy's genesis (counts toward `cap`).
    pub already_emitted: BaseUnits,
    /// Steps (`Tick`s) between two epochs: an `Emit` before the next epoch
    /// is due is refused, so a service cannot emit a schedule faster than
    /// its rule.
    pub epoch_steps: u32,
}
