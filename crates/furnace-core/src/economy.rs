//! The compiled economy: the rules, with every name already resolved to a
//! dense id. Built once by `furnace-config` from a TOML file (or by hand in
//! tests); immutable while events are applied.
//!
//! Invariants (checked by [`Economy::validate`], which every constructor
//! path must call before use):
//! - ids index their tables: `AssetId(i)` is `assets[i]`, and so on;
//! - every consumption split's legs sum to exactly 100% and there are at most
//!   [`MAX_LEGS`] of them, with exactly one creator leg at most;
//! - every creator-epoch share is at most the creator leg's share;
//! - every per-action price is non-zero;
//! - the revenue split's parts sum to exactly 100%;
//! - each asset's genesis supply fits in a `u128` (so `State::genesis`
//!   cannot fail).

use crate::units::{BaseUnits, Ppm, MAX_DECIMALS, PPM_ONE, USD_DECIMALS};
use std::fmt;

/// Bound on legs in one split: keeps the per-action receipt a fixed-size,
/// allocation-free value.
pub const MAX_LEGS: usize = 8;
/// Bound on trainers on one action path (eager pro-rata payout is O(trainers)).
pub const MAX_TRAINERS_PER_PATH: usize = 100_000;

macro_rules! dense_id {
    ($(#[$m:meta])* $name:ident, $int:ty) => {
        $(#[$m])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub $int);
        impl $name {
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

dense_id!(
    /// An asset: a token, or USD.
    AssetId, u16
);
dense_id!(
    /// An account: a named pool from the economy file, or one opened by an event.
    AccountId, u32
);
dense_id!(
    /// A model version with a fixed USD price per action.
    VersionId, u16
);
dense_id!(
    /// A consumption split (how consumed tokens are distributed).
    SplitId, u16
);
dense_id!(
    /// A subscription plan.
    PlanId, u16
);

/// What kind of asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssetKind {
    /// A token with a floating market price.
    Token,
    /// US dollars (micro-dollar base units). Minting USD means money entering
    /// the modelled economy from outside (a customer paying); burning it
    /// means money leaving (paid to a supplier outside).
    Usd,
}

#[derive(Clone, Debug)]
pub struct AssetSpec {
    pub name: String,
    pub kind: AssetKind,
    pub decimals: u8,
}

/// Where a share of tokens goes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// Destroyed: total supply falls.
    Burn,
    /// Credited to an account.
    Account(AccountId),
}

/// The role of one leg of a consumption split.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LegKind {
    /// Destroyed.
    Burn,
    /// The marketplace workflow's creator, at the workflow's epoch share (up
    /// to this leg's share); the shortfall and the no-marketplace case are
    /// routed by [`ConsumptionSplit::creator_shortfall_to`] and
    /// [`ConsumptionSplit::no_marketplace_to`].
    Creator,
    /// The trainers of the action path used, pro rata by quality x usage; to
    /// [`ConsumptionSplit::no_trainers_to`] when the path has none.
    Trainers,
    /// A named account (ecosystem, foundation, treasury...).
    Account(AccountId),
}

#[derive(Clone, Debug)]
pub struct Leg {
    /// The name of the leg as the economy file spells it ("burn", "creator",
    /// "ecosystem"): used in receipts, quotes and reports.
    pub name: String,
    pub kind: LegKind,
    pub share: Ppm,
}

/// How tokens consumed by actions are distributed.
///
/// Rounding rule: each leg receives `floor(total * share)`; the creator leg's
/// parts (creator, shortfall) are each floored likewise; trainers receive
/// `floor(trainer_leg * weight / total_weight)`. Whatever the floors leave,
/// the dust, goes to [`ConsumptionSplit::dust_to`], so the parts always sum
/// exactly to the tokens consumed.
#[derive(Clone, Debug)]
pub struct ConsumptionSplit {
    pub name: String,
    pub legs: Vec<Leg>,
    /// Creator share by Creator Epoch: `creator_epochs[0]` is epoch 1; epochs
    /// past the end of the table use the last entry.
    pub creator_epochs: Vec<Ppm>,
    /// Where the part of the creator leg that a later epoch does not pay goes.
    pub creator_shortfall_to: Destination,
    /// Where the whole creator leg goes when no marketplace workflow was used.
    pub no_marketplace_to: Destination,
    /// Where the trainer leg goes when the action path has no trainers.
    pub no_trainers_to: Destination,
    /// Where rounding dust goes.
    pub dust_to: Destination,
}

impl ConsumptionSplit {
    /// The creator share for a workflow published in `epoch` (1-based;
    /// epoch 0 is treated as epoch 1).
    pub fn creator_share_for_epoch(&self, epoch: u32) -> Ppm {
        let creator_leg = self.creator_leg_share();
        if self.creator_epochs.is_empty() {
            return creator_leg;
        }
        let index = (epoch.max(1) as usize - 1).min(self.creator_epochs.len() - 1);
        self.creator_epochs[index]
    }

    /// The share of the creator leg (0 if the split has none).
    pub fn creator_leg_share(&self) -> Ppm {
        self.legs
            .iter()
            .find(|l| l.kind == LegKind::Creator)
            .map(|l| l.share)
            .unwrap_or(Ppm::ZERO)
    }

    /// The share of the first leg of this kind (0 if none).
    pub fn share_of(&self, kind: LegKind) -> Ppm {
        self.legs
            .iter()
            .filter(|l| l.kind == kind)
            .fold(Ppm::ZERO, |acc, l| Ppm(acc.0 + l.share.0))
    }
}

/// A model version: a fixed USD price per action, paid in one token.
#[derive(Clone, Debug)]
pub struct VersionSpec {
    pub name: String,
    pub token: AssetId,
    /// USD price of one action, in micro-dollars. Non-zero.
    pub price_usd_micros: BaseUnits,
    pub split: SplitId,
}

/// A named account known when the economy loads.
#[derive(Clone, Debug)]
pub struct AccountSpec {
    pub name: String,
    pub description: String,
}

/// How USD revenue (subscriptions paid in fiat) is divided.
#[derive(Clone, Debug)]
pub struct RevenueSplit {
    /// Each part: a USD account and its share. Shares sum to 100%; dust goes
    /// to the first part.
    pub parts: Vec<(AccountId, Ppm)>,
}

/// What bought-back tokens do.
#[derive(Clone, Debug)]
pub struct BuybackSpec {
    pub token: AssetId,
    /// USD account the budget is spent from.
    pub budget: AccountId,
    /// Where the bought tokens go: burned, or an inventory that funds actions.
    pub destination: Destination,
}

/// A subscription plan (e.g. one AI agent for one month).
#[derive(Clone, Debug)]
pub struct PlanSpec {
    pub name: String,
    /// Price per period in USD micro-dollars.
    pub price_usd_micros: BaseUnits,
    /// Actions the period includes: escrowed tokens are released pro rata to
    /// this allowance.
    pub actions_included: u64,
    /// Length of one period in days (reporting and simulation cadence).
    pub period_days: u32,
    /// The version its actions run on.
    pub version: VersionId,
}

/// Subscriptions: USD revenue split, and the pay-in-token discount.
#[derive(Clone, Debug)]
pub struct SubscriptionSpec {
    /// Discount for paying in tokens (LAM: 10%).
    pub token_discount: Ppm,
    /// The token subscriptions may be paid in.
    pub token: AssetId,
    /// The account holding escrowed tokens of all token-paid subscriptions.
    pub escrow: AccountId,
    /// How a USD payment is divided (LAM: 80% to the buyback budget).
    pub revenue: RevenueSplit,
}

/// An economy: assets, accounts, versions, splits and the rest, compiled.
#[derive(Clone, Debug)]
pub struct Economy {
    pub name: String,
    pub assets: Vec<AssetSpec>,
    pub usd: AssetId,
    pub accounts: Vec<AccountSpec>,
    /// Initial balances: (asset, account, amount). Genesis mints them.
    pub genesis: Vec<(AssetId, AccountId, BaseUnits)>,
    pub versions: Vec<VersionSpec>,
    pub splits: Vec<ConsumptionSplit>,
    pub plans: Vec<PlanSpec>,
    pub subscriptions: Option<SubscriptionSpec>,
    pub buyback: Option<BuybackSpec>,
    /// The account standing for the outside market: it sells tokens to
    /// buyers and buybacks, and receives their USD. Until constant-product
    /// markets arrive, trades happen at the exogenous price.
    pub market: Option<AccountId>,
}

/// A rule the economy breaks; `path` names the offending key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EconomyError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for EconomyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for EconomyError {}

impl Economy {
    pub fn asset_by_name(&self, name: &str) -> Option<AssetId> {
        self.assets
            .iter()
            .position(|a| a.name == name)
            .map(|i| AssetId(i as u16))
    }

    pub fn account_by_name(&self, name: &str) -> Option<AccountId> {
        self.accounts
            .iter()
            .position(|a| a.name == name)
            .map(|i| AccountId(i as u32))
    }

    pub fn version_by_name(&self, name: &str) -> Option<VersionId> {
        self.versions
            .iter()
            .position(|v| v.name == name)
            .map(|i| VersionId(i as u16))
    }

    pub fn plan_by_name(&self, name: &str) -> Option<PlanId> {
        self.plans
            .iter()
            .position(|p| p.name == name)
            .map(|i| PlanId(i as u16))
    }

    /// How a destination is spelled in economy files and reports: "burn",
    /// or the account's name.
    pub fn destination_name(&self, d: Destination) -> &str {
        match d {
            Destination::Burn => "burn",
            Destination::Account(a) => &self.accounts[a.index()].name,
        }
    }

    /// Where a leg goes, as economy files spell it: "burn", "creator",
    /// "trainers", or the account's name.
    pub fn leg_target_name(&self, kind: LegKind) -> &str {
        match kind {
            LegKind::Burn => "burn",
            LegKind::Creator => "creator",
            LegKind::Trainers => "trainers",
            LegKind::Account(a) => &self.accounts[a.index()].name,
        }
    }

    /// The share of a USD subscription payment that reaches the buyback
    /// budget (None without both `[subscriptions]` and `[buyback]`).
    pub fn buyback_revenue_share(&self) -> Option<Ppm> {
        let budget = self.buyback.as_ref()?.budget;
        let parts = &self.subscriptions.as_ref()?.revenue.parts;
        Some(Ppm(parts
            .iter()
            .filter(|(a, _)| *a == budget)
            .map(|(_, s)| s.0)
            .sum()))
    }

    pub fn asset(&self, id: AssetId) -> &AssetSpec {
        &self.assets[id.index()]
    }

    pub fn version(&self, id: VersionId) -> &VersionSpec {
        &self.versions[id.index()]
    }

    pub fn split(&self, id: SplitId) -> &ConsumptionSplit {
        &self.splits[id.index()]
    }

    pub fn plan(&self, id: PlanId) -> &PlanSpec {
        &self.plans[id.index()]
    }

    /// Every rule this economy breaks, each naming its key. Empty means valid.
    pub fn validate(&self) -> Vec<EconomyError> {
        let mut errors = Vec::new();
        let mut err = |path: String, message: String| errors.push(EconomyError { path, message });
        let n_assets = self.assets.len();
        let n_accounts = self.accounts.len();
        if n_assets == 0 || n_assets > u16::MAX as usize {
            err("assets".into(), format!("need 1 to {} assets", u16::MAX));
        }
        if self.usd.index() >= n_assets || self.assets[self.usd.index()].kind != AssetKind::Usd {
            err("assets".into(), "the USD asset is missing".into());
        }
        for (i, a) in self.assets.iter().enumerate() {
            if a.decimals > MAX_DECIMALS {
                err(
                    format!("tokens.{}.decimals", a.name),
                    format!("at most {MAX_DECIMALS} decimals"),
                );
            }
            if a.kind == AssetKind::Usd && a.decimals != USD_DECIMALS {
                err(format!("assets[{i}]"), "USD has 6 decimals".into());
            }
        }
        let account_ok = |a: AccountId| a.index() < n_accounts;
        let dest_ok = |d: Destination| match d {
            Destination::Burn => true,
            Destination::Account(a) => account_ok(a),
        };
        let mut genesis_supply = vec![0u128; n_assets];
        for (i, (asset, account, amount)) in self.genesis.iter().enumerate() {
            if asset.index() >= n_assets || !account_ok(*account) {
                err(format!("genesis[{i}]"), "unknown asset or account".into());
                continue;
            }
            let total = &mut genesis_supply[asset.index()];
            match total.checked_add(*amount) {
                Some(t) => *total = t,
                None => err(
                    format!("genesis.{}", self.accounts[account.index()].name),
                    format!(
                        "the genesis supply of {} overflows 128 bits",
                        self.assets[asset.index()].name
                    ),
                ),
            }
        }
        for v in &self.versions {
            let path = format!("versions.{}", v.name);
            if v.price_usd_micros == 0 {
                err(
                    format!("{path}.price_usd"),
                    "the price per action must be greater than zero".into(),
                );
            }
            if v.token.index() >= n_assets || self.assets[v.token.index()].kind != AssetKind::Token
            {
                err(format!("{path}.token"), "must name a token".into());
            }
            if v.split.index() >= self.splits.len() {
                err(format!("{path}.split"), "unknown split".into());
            }
        }
        for s in &self.splits {
            let path = format!("splits.{}", s.name);
            if s.legs.is_empty() || s.legs.len() > MAX_LEGS {
                err(
                    format!("{path}.legs"),
                    format!("need 1 to {MAX_LEGS} legs, found {}", s.legs.len()),
                );
            }
            let sum: u64 = s.legs.iter().map(|l| l.share.0 as u64).sum();
            if sum != PPM_ONE as u64 {
                let listing: Vec<String> = s
                    .legs
                    .iter()
                    .map(|l| format!("{} {}", l.name, l.share))
                    .collect();
                err(
                    format!("{path}.legs"),
                    format!(
                        "shares must sum to exactly 100%, they sum to {} ({})",
                        Ppm(sum.min(u32::MAX as u64) as u32),
                        listing.join(" + ")
                    ),
                );
            }
            let creators = s.legs.iter().filter(|l| l.kind == LegKind::Creator).count();
            if creators > 1 {
                err(format!("{path}.legs"), "at most one creator leg".into());
            }
            let creator_max = s.creator_leg_share();
            for (i, e) in s.creator_epochs.iter().enumerate() {
                if *e > creator_max {
                    err(
                        format!("{path}.creator_epochs[{i}]"),
                        format!(
                            "epoch {} pays {} but the creator leg is only {}",
                            i + 1,
                            e,
                            creator_max
                        ),
                    );
                }
            }
            for l in &s.legs {
                if let LegKind::Account(a) = l.kind {
                    if !account_ok(a) {
                        err(format!("{path}.legs.{}", l.name), "unknown account".into());
                    }
                }
            }
            for (key, d) in [
                ("creator_shortfall_to", s.creator_shortfall_to),
                ("no_marketplace_to", s.no_marketplace_to),
                ("no_trainers_to", s.no_trainers_to),
                ("dust_to", s.dust_to),
            ] {
                if !dest_ok(d) {
                    err(format!("{path}.{key}"), "unknown account".into());
                }
            }
        }
        for p in &self.plans {
            let path = format!("subscriptions.plans.{}", p.name);
            if p.price_usd_micros == 0 {
                err(
                    format!("{path}.price_usd"),
                    "must be greater than zero".into(),
                );
            }
            if p.actions_included == 0 {
                err(
                    format!("{path}.actions_included"),
                    "must be greater than zero".into(),
                );
            }
            if p.period_days == 0 {
                err(
                    format!("{path}.period_days"),
                    "must be greater than zero".into(),
                );
            }
            if p.version.index() >= self.versions.len() {
                err(format!("{path}.version"), "unknown version".into());
            }
        }
        if let Some(sub) = &self.subscriptions {
            let sum: u64 = sub.revenue.parts.iter().map(|(_, s)| s.0 as u64).sum();
            if sum != PPM_ONE as u64 {
                err(
                    "subscriptions.revenue".into(),
                    format!(
                        "shares must sum to exactly 100%, they sum to {}",
                        Ppm(sum.min(u32::MAX as u64) as u32)
                    ),
                );
            }
            if sub.revenue.parts.is_empty() || sub.revenue.parts.len() > MAX_LEGS {
                err(
                    "subscriptions.revenue".into(),
                    format!("needs 1 to {MAX_LEGS} parts"),
                );
            }
            for (account, _) in &sub.revenue.parts {
                if !account_ok(*account) {
                    err("subscriptions.revenue".into(), "unknown account".into());
                }
            }
            if sub.token_discount > Ppm::ONE {
                err("subscriptions.token_discount".into(), "at most 100%".into());
            }
            if !account_ok(sub.escrow) {
                err("subscriptions.escrow".into(), "unknown account".into());
            }
            // Escrow holds `sub.token`; a plan whose version consumes another
            // token would release the wrong token into its split.
            for p in &self.plans {
                if let Some(v) = self.versions.get(p.version.index()) {
                    if v.token != sub.token {
                        err(
                            format!("subscriptions.plans.{}.version", p.name),
                            format!(
                                "version `{}` consumes another token than subscriptions are paid in",
                                v.name
                            ),
                        );
                    }
                }
            }
        }
        if let Some(b) = &self.buyback {
            if !account_ok(b.budget) || !dest_ok(b.destination) {
                err("buyback".into(), "unknown account".into());
            }
            if self.market.is_none() {
                err(
                    "market".into(),
                    "a buyback needs a market account to buy from".into(),
                );
            }
        }
        errors
    }
}
