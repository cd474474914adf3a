//! Bonding-curve launches: one mechanism for AImagine's agent tokens and
//! FOMO's model-token raises (seed 004, `shared/reference/flock-fomo.md`).
//! The engine's side is `engine/launch.rs` and `engine/graduate.rs`; the
//! state's is `state/launch.rs`.
//!
//! A [`LaunchSpec`] is declared (FOMO's pricing tiers are one spec each);
//! `CreateLaunch { spec, issuer }` creates a launch from it at run time:
//! a new token (the `LaunchToken` machinery, its maximum supply the spec's
//! `total_supply`), the curve's state, and the launch fee paid.
//!
//! **Nothing is minted during the raise.** A purchase records what the
//! buyer committed (principal, in the quote asset, held by the launch) and
//! the tokens the curve owes them. Graduation mints the allocation table at
//! once; a failed launch refunds every unit of principal and mints nothing
//! (FOMO's docs: "no MT minted"). So buyers cannot sell during the raise:
//! they hold nothing yet, and the curve never buys back (`SellOnCurve` is
//! refused with `sell_during_raise`).
//!
//! **The curve** is a constant product on virtual reserves (pump.fun's
//! shape): before a purchase the curve holds `x = virtual_quote + raised`
//! and `y = virtual_tokens - sold`; a principal `q` buys
//! `floor(q y / (x + q))` tokens, exactly `pool_math::amount_out(q, x, y,
//! 0)`, rounded down against the buyer, so the curve's `x y` never falls.
//! The marginal price rises from `virtual_quote / virtual_tokens` to
//! `(virtual_quote + max_raise)^2 / (virtual_quote virtual_tokens)` at the
//! maximum raise. Chosen over a linear price because its exact-in purchase
//! is one floored division (a linear curve needs an integer square root per
//! purchase) and its rounding is already tested with the pools'.
//! Validation checks the curve can never sell more than the sale
//! allocation: `floor(max_raise virtual_tokens / (virtual_quote +
//! max_raise)) <= sale` (several purchases sell at most what one purchase
//! of their sum would, because each floor only raises `x y`). To sell the
//! whole sale allocation `S` exactly at the maximum `M`, take
//! `virtual_tokens = S (virtual_quote + M) / M`.
//!
//! **The purchase fee** is taken from what the buyer pays: of `quote_in`,
//! the principal is `floor(quote_in (10^6 - fee) / 10^6)` and the fee the
//! rest (rounded against the buyer); the smallest payment committing a
//! principal `p` is `ceil(p 10^6 / (10^6 - fee))`
//! (`engine::quote_in_for_principal`), so every principal is reachable,
//! the maximum raise exactly.

use super::Destination;
use crate::ids::{AccountId, AssetId};
use crate::units::{BaseUnits, Ppm};

/// The stake asset a launch spec's `staking` template names: the launch's
/// own token, which exists only once the launch is created (the engine
/// reads the run-time pool's token instead; `engine/launch_stake.rs`).
pub const LAUNCH_TOKEN: AssetId = AssetId(u32::MAX);

/// Bound on the entries of one allocation table (graduation walks it).
pub const MAX_ALLOCATIONS: usize = 8;

/// Where one entry of a launch's allocation table goes at graduation.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AllocationTarget {
    /// Sold along the curve: each buyer receives the tokens the curve owed
    /// them; what the curve did not sell is never minted. Exactly one entry.
    Sale,
    /// Seeds the new pool, with the raise's `raise_to_liquidity` share.
    /// Exactly one entry.
    Liquidity,
    /// The launch's issuer (FOMO's operator, the model owner).
    Issuer,
    /// A named account (treasury, incentives...).
    Account(AccountId),
}

/// One entry of an allocation table: `floor(total_supply x share)` tokens
/// (the rounding dust to the first entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocation {
    pub name: String,
    pub share: Ppm,
    pub to: AllocationTarget,
}

/// Who receives a launch's LP shares or the part of its raise that does not
/// seed the pool.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LaunchParty {
    /// The launch's issuer.
    Issuer,
    /// A named account.
    Account(AccountId),
}

/// A constant product on virtual reserves (module docs). Both > 0.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BondingCurve {
    /// Virtual quote reserve before the first purchase (quote base units).
    pub virtual_quote: BaseUnits,
    /// Virtual token reserve before the first purchase (token base units).
    pub virtual_tokens: BaseUnits,
}

/// A launch's rules, declared; `CreateLaunch` instantiates it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaunchSpec {
    pub name: String,
    /// The asset buyers pay in (AIMG, FLOCK, or the numeraire).
    pub quote: AssetId,
    /// The launched token's decimals (at most 18).
    pub decimals: u8,
    /// The token's fixed supply (FOMO: 1,000,000 whole tokens), its maximum
    /// supply; the allocation table divides it.
    pub total_supply: BaseUnits,
    pub allocations: Vec<Allocation>,
    pub curve: BondingCurve,
    /// Purchases are accepted for this many steps (`Tick`s) after creation
    /// (FOMO: 7 daily steps).
    pub window_steps: u32,
    /// Principal the raise needs to graduate (quote base units, > 0).
    pub min_raise: BaseUnits,
    /// Principal at which the raise graduates at once; a purchase beyond
    /// it is refused.
    pub max_raise: BaseUnits,
    /// The most principal one buyer may commit in total (None: no cap). Not
    /// applied to the issuer, whose cap is `issuer_max_share`.
    pub max_commit_per_buyer: Option<BaseUnits>,
    /// The issuer's purchases may owe them at most `floor(total_supply x
    /// share)` tokens (FOMO: the first buy is capped at 25% of supply).
    pub issuer_max_share: Ppm,
    /// Charged on each purchase (FOMO: 1.5%), never refunded.
    pub purchase_fee: Ppm,
    pub purchase_fee_to: Destination,
    /// Paid by the issuer in the quote asset at creation (FOMO: 32,768
    /// FLOCK), never refunded; 0 for none.
    pub launch_fee: BaseUnits,
    pub launch_fee_to: Destination,
    /// The share of the raised principal that seeds the pool,
    /// `floor(raised x share)` (> 0); the rest goes to `raise_rest_to`.
    pub raise_to_liquidity: Ppm,
    pub raise_rest_to: LaunchParty,
    /// The graduated pool's swap fee.
    pub pool_fee: Ppm,
    /// Who receives the pool's first LP shares.
    pub lp_to: LaunchParty,
    /// A reward pool created at graduation, staking the launched token
    /// (its `weight` is `Stake { asset: LAUNCH_TOKEN }`), with a run-time
    /// id (`RewardPoolId::runtime`); None: no stake pool.
    pub staking: Option<super::RewardPoolSpec>,
    /// Paid usage of the launched token's service (`economy/usage.rs`):
    /// `LaunchUsage` is refused for a spec without one.
    pub usage: Option<super::UsageRule>,
}

impl LaunchSpec {
    /// Each allocation's amount, in table order: `floor(total x share)`,
    /// the dust to the first entry, so they sum exactly to `total_supply`
    /// once validation checked the shares sum to 100%.
    pub fn allocation_amounts(&self) -> Option<[BaseUnits; MAX_ALLOCATIONS]> {
        let mut out = [0; MAX_ALLOCATIONS];
        let mut given: BaseUnits = 0;
        for (slot, a) in out.iter_mut().zip(&self.allocations) {
            *slot = crate::units::mul_div_floor(
                self.total_supply,
                u128::from(a.share.0),
                u128::from(crate::units::PPM_ONE),
            )?;
            given = given.checked_add(*slot)?;
        }
        out[0] = out[0].checked_add(self.total_supply.checked_sub(given)?)?;
        Some(out)
    }

    /// The amount allocated to the first entry going to `target`.
    pub fn allocated_to(&self, target: AllocationTarget) -> BaseUnits {
        let Some(amounts) = self.allocation_amounts() else {
            return 0;
        };
        self.allocations
            .iter()
            .zip(amounts)
            .find(|(a, _)| a.to == target)
            .map_or(0, |(_, amount)| amount)
    }

    /// The most tokens the issuer's purchases may owe them.
    pub fn issuer_cap(&self) -> BaseUnits {
        crate::units::mul_div_floor(
            self.total_supply,
            u128::from(self.issuer_max_share.0),
            u128::from(crate::units::PPM_ONE),
        )
        .unwrap_or(0)
    }
}
