//! Ids: small integers that name everything an event can refer to.
//!
//! Stability rule (what a durable log relies on): an id never depends on
//! names sorting, and adding a declaration never renumbers what a log
//! already holds.
//! - Things an economy file declares (tokens, named accounts, versions,
//!   markets...) are numbered in **declaration order**; a new declaration
//!   appended to its section takes the next id. The event log's header
//!   records every declared name with its id, and replay maps the log's ids
//!   to the current file's by name, so even a declaration inserted in the
//!   middle of a section cannot make a log credit the wrong account.
//! - Things events create live in their own id range, so declaring one more
//!   named account or token never shifts them: accounts opened at run time
//!   are numbered from [`AccountId::OPENED_BASE`], tokens launched at run
//!   time from [`AssetId::LAUNCHED_BASE`], pools created at run time (a
//!   graduated launch's, a `CreatePool`) from [`MarketId::RUNTIME_BASE`],
//!   and each pool's LP-share asset is [`AssetId::LP_BASE`] + the pool's
//!   market id (declared or run-time: market ids are below 2^16, so LP ids
//!   stay below the launched range); reward pools created at run time (a
//!   graduated launch's stake pool, from its spec's `staking` template)
//!   from [`RewardPoolId::RUNTIME_BASE`], in creation order.
//! - Launches (`CreateLaunch`) are numbered in creation order, from 0;
//!   their specs (`LaunchSpecId`) are declared.
//!
//! Positions are numbered per reward pool, in the order `OpenPosition`
//! events created them, and are never removed (a closed position stays,
//! empty), so a position id is stable for the life of the state.
//!
//! Every conversion between an id and an index is checked (`try_from`),
//! never a truncating `as` cast.

use serde::{Deserialize, Serialize};

/// Which id range an asset id falls in, with its offset in that range.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AssetSlot {
    /// Declared in the economy file: `assets[i]`.
    Declared(usize),
    /// The LP shares of pool (market) `i`.
    Lp(usize),
    /// Launched at run time: the `i`-th launch.
    Launched(usize),
}

/// An asset: a declared token (the numeraire is one), a pool's LP shares, or
/// a token launched at run time.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AssetId(pub u32);

impl AssetId {
    /// First id of the LP-share assets (one per pool, by market id).
    pub const LP_BASE: u32 = 1 << 30;
    /// First id of tokens launched by events.
    pub const LAUNCHED_BASE: u32 = 1 << 31;

    pub fn declared(index: usize) -> Option<AssetId> {
        u32::try_from(index)
            .ok()
            .filter(|i| *i < Self::LP_BASE)
            .map(AssetId)
    }

    pub fn lp(market: MarketId) -> AssetId {
        AssetId(Self::LP_BASE + u32::from(market.0))
    }

    pub fn launched(index: usize) -> Option<AssetId> {
        u32::try_from(index)
            .ok()
            .and_then(|i| Self::LAUNCHED_BASE.checked_add(i))
            .map(AssetId)
    }

    #[inline]
    pub fn slot(self) -> AssetSlot {
        if self.0 >= Self::LAUNCHED_BASE {
            AssetSlot::Launched((self.0 - Self::LAUNCHED_BASE) as usize)
        } else if self.0 >= Self::LP_BASE {
            AssetSlot::Lp((self.0 - Self::LP_BASE) as usize)
        } else {
            AssetSlot::Declared(self.0 as usize)
        }
    }
}

/// An account: named in the economy file, or opened by an event.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub u32);

impl AccountId {
    /// First id of accounts opened by `OpenAccount`.
    pub const OPENED_BASE: u32 = 1 << 31;

    pub fn named(index: usize) -> Option<AccountId> {
        u32::try_from(index)
            .ok()
            .filter(|i| *i < Self::OPENED_BASE)
            .map(AccountId)
    }

    pub fn opened(index: usize) -> Option<AccountId> {
        u32::try_from(index)
            .ok()
            .and_then(|i| Self::OPENED_BASE.checked_add(i))
            .map(AccountId)
    }

    /// `Ok(named index)` or `Err(opened index)`.
    #[inline]
    pub fn slot(self) -> Result<usize, usize> {
        if self.0 >= Self::OPENED_BASE {
            Err((self.0 - Self::OPENED_BASE) as usize)
        } else {
            Ok(self.0 as usize)
        }
    }
}

macro_rules! table_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u16);
        impl $name {
            /// The id of table entry `index`; `None` past `u16::MAX`.
            pub fn from_index(index: usize) -> Option<$name> {
                u16::try_from(index).ok().map($name)
            }
            #[inline]
            pub fn index(self) -> usize {
                usize::from(self.0)
            }
        }
    };
}

table_id!(
    /// A model version with a fixed USD price per action.
    VersionId
);
table_id!(
    /// A consumption split.
    SplitId
);
table_id!(
    /// A subscription plan.
    PlanId
);
table_id!(
    /// A market: a constant-product pool or an external venue.
    MarketId
);
/// Which id range a market id falls in, with its offset in that range.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MarketSlot {
    /// Declared in the economy file: `markets[i]`.
    Declared(usize),
    /// The `i`-th pool created at run time.
    Runtime(usize),
}

impl MarketId {
    /// First id of pools created at run time. 2^15 leaves 32,768 ids for
    /// declared markets and as many for run-time pools (FOMO's network
    /// benchmark launches 1,000 models, one pool each).
    pub const RUNTIME_BASE: u16 = 1 << 15;

    /// The id of declared market `index` (None from `RUNTIME_BASE` on).
    pub fn declared(index: usize) -> Option<MarketId> {
        u16::try_from(index)
            .ok()
            .filter(|i| *i < Self::RUNTIME_BASE)
            .map(MarketId)
    }

    /// The id of the `index`-th pool created at run time.
    pub fn runtime(index: usize) -> Option<MarketId> {
        u16::try_from(index)
            .ok()
            .and_then(|i| Self::RUNTIME_BASE.checked_add(i))
            .map(MarketId)
    }

    #[inline]
    pub fn slot(self) -> MarketSlot {
        if self.0 >= Self::RUNTIME_BASE {
            MarketSlot::Runtime(usize::from(self.0 - Self::RUNTIME_BASE))
        } else {
            MarketSlot::Declared(usize::from(self.0))
        }
    }
}

table_id!(
    /// A buyback program.
    ProgramId
);
table_id!(
    /// A revenue allocation rule.
    RuleId
);
table_id!(
    /// A mint-on-purchase sale.
    SaleId
);
table_id!(
    /// A redemption (a token exchanged for its unit of service).
    RedemptionId
);
table_id!(
    /// A reward pool (stakers, LPs, voters, contributors, trainers).
    RewardPoolId
);
/// Which id range a reward pool id falls in, with its offset in it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RewardPoolSlot {
    /// Declared in the economy file: `reward_pools[i]`.
    Declared(usize),
    /// The `i`-th reward pool created at run time (a graduated launch's).
    Runtime(usize),
}

impl RewardPoolId {
    /// First id of reward pools created at run time, as
    /// [`MarketId::RUNTIME_BASE`]: 32,768 declared pools and as many
    /// run-time ones (one per graduated launch whose spec stakes).
    pub const RUNTIME_BASE: u16 = 1 << 15;

    /// The id of the `index`-th reward pool created at run time.
    pub fn runtime(index: usize) -> Option<RewardPoolId> {
        u16::try_from(index)
            .ok()
            .and_then(|i| Self::RUNTIME_BASE.checked_add(i))
            .map(RewardPoolId)
    }

    #[inline]
    pub fn slot(self) -> RewardPoolSlot {
        if self.0 >= Self::RUNTIME_BASE {
            RewardPoolSlot::Runtime(usize::from(self.0 - Self::RUNTIME_BASE))
        } else {
            RewardPoolSlot::Declared(usize::from(self.0))
        }
    }
}

table_id!(
    /// An emission schedule.
    ScheduleId
);
table_id!(
    /// A declared launch spec (a bonding-curve raise's rules; FOMO's
    /// pricing tiers are one spec each).
    LaunchSpecId
);

table_id!(
    /// A declared set of points rules (LAM's training points and referrals).
    PointsRulesId
);

macro_rules! registry_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);
        impl $name {
            pub fn from_index(index: usize) -> Option<$name> {
                u32::try_from(index).ok().map($name)
            }
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

registry_id!(
    /// A marketplace workflow (assigned by `PublishWorkflow`).
    WorkflowId
);
registry_id!(
    /// A trained action path (assigned by `RegisterTrainerPath`).
    PathId
);
registry_id!(
    /// A subscription (assigned by `Subscribe`).
    SubscriptionId
);
registry_id!(
    /// A launch (assigned by `CreateLaunch`, in creation order).
    LaunchId
);
registry_id!(
    /// A position in one reward pool (assigned by `OpenPosition`, numbered
    /// per pool from 0: a position id means nothing without its pool).
    PositionId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_do_not_overlap() {
        assert_eq!(AssetId::declared(3).unwrap().slot(), AssetSlot::Declared(3));
        assert_eq!(AssetId::lp(MarketId(2)).slot(), AssetSlot::Lp(2));
        assert_eq!(AssetId::launched(0).unwrap().slot(), AssetSlot::Launched(0));
        assert_eq!(AssetId::declared(1 << 30), None);
        assert_eq!(AccountId::named(5).unwrap().slot(), Ok(5));
        assert_eq!(AccountId::opened(7).unwrap().slot(), Err(7));
        assert_eq!(AccountId::named(1 << 31), None);
        assert_eq!(AccountId::opened(1 << 31), None);
        assert_eq!(VersionId::from_index(70_000), None);
        assert_eq!(
            MarketId::declared(5).unwrap().slot(),
            MarketSlot::Declared(5)
        );
        assert_eq!(MarketId::declared(1 << 15), None);
        assert_eq!(MarketId::runtime(0), Some(MarketId(1 << 15)));
        assert_eq!(MarketId::runtime(3).unwrap().slot(), MarketSlot::Runtime(3));
        assert_eq!(MarketId::runtime(1 << 15), None);
        // The last run-time pool's LP asset is still below the launched range.
        let last = MarketId::runtime((1 << 15) - 1).unwrap();
        assert_eq!(AssetId::lp(last).slot(), AssetSlot::Lp(u16::MAX as usize));
        assert_eq!(RewardPoolId(3).slot(), RewardPoolSlot::Declared(3));
        assert_eq!(RewardPoolId::runtime(0), Some(RewardPoolId(1 << 15)));
        assert_eq!(
            RewardPoolId::runtime(4).unwrap().slot(),
            RewardPoolSlot::Runtime(4)
        );
        assert_eq!(RewardPoolId::runtime(1 << 15), None);
    }
}
