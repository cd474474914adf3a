//! Paid usage of a launched token's service (FOMO's inference on a model,
//! seed 004): a rule a launch spec carries (`[launches.X.usage]`), applied
//! by `Event::LaunchUsage { launch, payer, calls }` (`engine/usage.rs`).
//!
//! The payer pays `price_per_call` per call in the numeraire, less a
//! discount by tiers of what they stake in the launch's stake pool; the
//! compute cost (`cost_per_call` per call) is paid out of the economy; the
//! net is divided by `parts`, each `floor(net x share)`, the dust to the
//! first part. A part is paid in the numeraire (to an account or the
//! launch's issuer) or buys a token first: a declared pool's other asset,
//! or the launch's own token on the launch's run-time pool (through `via`,
//! a declared pool of the numeraire and the launch's quote, when the quote
//! is not the numeraire). Nothing here names an economy: FOMO's 30/30/30/10
//! is its file's data.

use super::Destination;
use crate::ids::{AccountId, MarketId};
use crate::units::{BaseUnits, Ppm};

/// Bound on a usage rule's parts (the receipt is a fixed array).
pub const MAX_USAGE_PARTS: usize = 8;
/// Bound on a discount table (the engine walks it per event).
pub const MAX_DISCOUNT_TIERS: usize = 16;

/// What a part of the net buys before delivering it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UsageBuy {
    /// Nothing: the numeraire itself is delivered.
    Nothing,
    /// The other asset of a declared pool of the numeraire.
    Market(MarketId),
    /// The launch's own token, on its run-time pool.
    LaunchToken,
}

/// Who receives a part (what it bought, or the numeraire).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UsageTo {
    /// Destroyed (a bought token only: the numeraire is never burned here).
    Burn,
    Account(AccountId),
    /// The launch's issuer (FOMO: the model owner's 10% yield).
    Issuer,
}

impl UsageTo {
    /// As a `Destination`, the issuer resolved.
    pub fn destination(self, issuer: AccountId) -> Destination {
        match self {
            UsageTo::Burn => Destination::Burn,
            UsageTo::Account(a) => Destination::Account(a),
            UsageTo::Issuer => Destination::Account(issuer),
        }
    }
}

/// One part of the net revenue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsagePart {
    pub name: String,
    pub share: Ppm,
    pub buy: UsageBuy,
    pub to: UsageTo,
}

/// From `min_staked` (launch-token base units staked in the launch's stake
/// pool, the payer's positions summed) up, calls are discounted by
/// `discount`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DiscountTier {
    pub min_staked: BaseUnits,
    pub discount: Ppm,
}

/// A launch spec's usage rule (module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageRule {
    /// Numeraire base units a call costs the payer before any discount.
    pub price_per_call: BaseUnits,
    /// Numeraire base units a call costs in compute, paid out.
    pub cost_per_call: BaseUnits,
    /// A declared pool of the numeraire and the launch's quote, for parts
    /// buying the launch's token when the quote is not the numeraire.
    pub via: Option<MarketId>,
    pub parts: Vec<UsagePart>,
    /// Tiers rising strictly in `min_staked`, each at most `max_discount`.
    pub discounts: Vec<DiscountTier>,
    /// Below 100%: usage is never free (seed 004: "capped discounts").
    pub max_discount: Ppm,
}

impl UsageRule {
    /// The discount for `staked`: the last tier whose minimum it reaches
    /// (none: 0).
    pub fn discount_for(&self, staked: BaseUnits) -> Ppm {
        self.discounts
            .iter()
            .take_while(|t| t.min_staked <= staked)
            .last()
            .map_or(Ppm::ZERO, |t| t.discount)
    }
}
