//! Validation of launch specs (`launches.<name>...`). What it guarantees
//! the engine:
//! - the quote asset is declared; decimals at most 18; a positive supply;
//! - the allocation table has 1 to `MAX_ALLOCATIONS` entries whose shares
//!   sum to exactly 100%, exactly one `sale` and one `liquidity` entry, and
//!   named accounts that exist;
//! - the curve's virtual reserves are positive and the maximum raise sells
//!   at most the sale allocation (`floor(M y0 / (x0 + M)) <= sale`: several
//!   purchases sell at most what one of their sum would);
//! - `0 < min_raise <= max_raise`; fees below 100%, routed where the quote
//!   asset may go (burned only if it is a token, not the numeraire);
//! - the pool can be seeded at the minimum raise: `floor(sqrt(L Q)) >
//!   1000` with `Q = floor(min_raise x raise_to_liquidity)`, so graduation
//!   never fails for want of liquidity (a larger raise only adds to `Q`).

use super::Errors;
use crate::economy::*;
use crate::ids::LaunchSpecId;
use crate::pool_math::{amount_out, initial_shares, MINIMUM_LIQUIDITY};
use crate::units::{mul_div_floor, Ppm, MAX_DECIMALS, PPM_ONE};

impl Economy {
    pub(super) fn check_launches(&self, e: &mut Errors) {
        if LaunchSpecId::from_index(self.launches.len()).is_none() {
            e.err("launches", "too many launch specs");
        }
        for s in &self.launches {
            self.check_launch(e, s);
        }
    }

    fn check_launch(&self, e: &mut Errors, s: &LaunchSpec) {
        let path = format!("launches.{}", s.name);
        let positive = |e: &mut Errors, key: &str, zero: bool| {
            if zero {
                e.err(format!("{path}.{key}"), "must be greater than zero");
            }
        };
        if self.declared_asset(s.quote).is_none() {
            e.err(format!("{path}.quote"), "must name a declared asset");
        }
        if s.decimals > MAX_DECIMALS {
            e.err(
                format!("{path}.decimals"),
                format!("at most {MAX_DECIMALS} decimals"),
            );
        }
        if let Some(t) = &s.staking {
            self.check_staking_template(e, &path, t);
        }
        if let Some(u) = &s.usage {
            self.check_usage(e, &path, s, u);
        }
        positive(e, "total_supply", s.total_supply == 0);
        positive(e, "curve.virtual_quote", s.curve.virtual_quote == 0);
        positive(e, "curve.virtual_tokens", s.curve.virtual_tokens == 0);
        positive(e, "window_steps", s.window_steps == 0);
        positive(e, "min_raise", s.min_raise == 0);
        positive(e, "max_commit_per_buyer", s.max_commit_per_buyer == Some(0));
        positive(e, "raise_to_liquidity", s.raise_to_liquidity == Ppm::ZERO);
        if s.max_raise < s.min_raise {
            e.err(
                format!("{path}.max_raise"),
                "the maximum raise is at least the minimum",
            );
        }
        for (key, share) in [
            ("issuer_max_share", s.issuer_max_share),
            ("raise_to_liquidity", s.raise_to_liquidity),
        ] {
            if share > Ppm::ONE {
                e.err(format!("{path}.{key}"), "at most 100%");
            }
        }
        for (key, fee) in [("purchase_fee", s.purchase_fee), ("pool_fee", s.pool_fee)] {
            if fee >= Ppm::ONE {
                e.err(format!("{path}.{key}"), "must be below 100%");
            }
        }
        for (key, d) in [
            ("purchase_fee_to", s.purchase_fee_to),
            ("launch_fee_to", s.launch_fee_to),
        ] {
            if d == Destination::Burn && !self.is_token(s.quote) {
                e.err(
                    format!("{path}.{key}"),
                    "only a declared token is burned: the numeraire leaves as an outflow",
                );
            }
            self.check_routed(e, format!("{path}.{key}"), d, &[s.quote]);
        }
        for (key, p) in [("lp_to", s.lp_to), ("raise_rest_to", s.raise_rest_to)] {
            if let LaunchParty::Account(a) = p {
                if !self.account_ok(a) {
                    e.err(format!("{path}.{key}"), "unknown account");
                }
            }
        }
        if self.check_allocations(e, &path, s) {
            self.check_curve_and_pool(e, &path, s);
        }
    }

    /// The table's rules; true when it is sound enough to compute amounts.
    fn check_allocations(&self, e: &mut Errors, path: &str, s: &LaunchSpec) -> bool {
        let key = format!("{path}.allocations");
        let before = e.0.len();
        if s.allocations.is_empty() || s.allocations.len() > MAX_ALLOCATIONS {
            e.err(
                key.clone(),
                format!(
                    "needs 1 to {MAX_ALLOCATIONS} entries, found {}",
                    s.allocations.len()
                ),
            );
        }
        e.shares_sum(
            &key,
            s.allocations.iter().map(|a| (a.name.as_str(), a.share)),
            "allocation shares",
        );
        for (role, target) in [
            ("sale", AllocationTarget::Sale),
            ("liquidity", AllocationTarget::Liquidity),
        ] {
            let n = s.allocations.iter().filter(|a| a.to == target).count();
            if n != 1 {
                e.err(
                    key.clone(),
                    format!("needs exactly one `{role}` entry, found {n}"),
                );
            }
        }
        for (i, a) in s.allocations.iter().enumerate() {
            if s.allocations[..i].iter().any(|o| o.name == a.name) {
                e.err(
                    format!("{key}[{i}].name"),
                    format!("two entries are named `{}`", a.name),
                );
            }
            if let AllocationTarget::Account(acct) = a.to {
                if !self.account_ok(acct) {
                    e.err(format!("{key}[{i}].to"), "unknown account");
                }
            }
        }
        e.0.len() == before && s.allocation_amounts().is_some()
    }

    fn check_curve_and_pool(&self, e: &mut Errors, path: &str, s: &LaunchSpec) {
        let sale = s.allocated_to(AllocationTarget::Sale);
        let liquidity = s.allocated_to(AllocationTarget::Liquidity);
        let c = s.curve;
        if c.virtual_quote > 0 && c.virtual_tokens > 0 && s.max_raise > 0 {
            match amount_out(s.max_raise, c.virtual_quote, c.virtual_tokens, 0) {
                Some(sold) if sold <= sale => {}
                Some(sold) => e.err(
                    format!("{path}.curve"),
                    format!(
                        "the maximum raise would sell {sold} base units, more than the sale allocation's {sale}: raise virtual_tokens' ratio to the sale or lower the maximum"
                    ),
                ),
                None => e.err(format!("{path}.curve"), "the curve's arithmetic overflows"),
            }
        }
        let quote = mul_div_floor(
            s.min_raise,
            u128::from(s.raise_to_liquidity.0),
            u128::from(PPM_ONE),
        );
        if s.min_raise > 0
            && s.raise_to_liquidity > Ppm::ZERO
            && quote
                .and_then(|q| initial_shares(liquidity, q, MINIMUM_LIQUIDITY))
                .is_none()
        {
            e.err(
                format!("{path}.allocations"),
                format!(
                    "the pool cannot be seeded at the minimum raise: sqrt(liquidity x quote) must exceed the {MINIMUM_LIQUIDITY} locked LP shares"
                ),
            );
        }
    }
}

impl Economy {
    /// A launch spec's `staking` template: a stake pool of the launch's
    /// token (`LAUNCH_TOKEN`), paying a declared asset, with accounts for
    /// rewards nobody can earn and for dust; a lock table, unbonding and an
    /// early-withdrawal fee as a declared pool's; no stake cap (its
    /// surplus position would need checks against an asset that does not
    /// exist yet).
    fn check_staking_template(&self, e: &mut Errors, path: &str, t: &RewardPoolSpec) {
        let path = format!("{path}.staking");
        if self.declared_asset(t.reward).is_none() {
            e.err(format!("{path}.reward"), "must name a declared asset");
        }
        for (key, a) in [("empty_to", t.empty_to), ("dust_to", t.dust_to)] {
            if !self.account_ok(a) {
                e.err(format!("{path}.{key}"), "unknown account");
            }
        }
        if t.weight
            != (PoolWeight::Stake {
                asset: LAUNCH_TOKEN,
            })
        {
            e.err(path.clone(), "must stake the launch's token");
        }
        // A lock table, unbonding and an early-withdrawal fee do not depend
        // on the staked asset (FOMO's model-token pools take gmFLOCK's
        // locks): checked as a declared pool's. The fee is burned (a
        // launched token is a token) or paid to an account; a reward pool
        // would have to stake a token that does not exist yet.
        self.check_lock(e, &path, t);
        if t.early_withdrawal_fee >= Ppm::ONE {
            e.err(format!("{path}.early_withdrawal_fee"), "must be below 100%");
        }
        match t.early_withdrawal_fee_to {
            Destination::Burn => {}
            Destination::Account(a) if self.account_ok(a) => {}
            Destination::Account(_) => {
                e.err(format!("{path}.early_withdrawal_fee_to"), "unknown account");
            }
            Destination::RewardPool(_) => e.err(
                format!("{path}.early_withdrawal_fee_to"),
                "a launch's stake pool burns its early-withdrawal fee or pays it to an account",
            ),
        }
        if t.stake_cap.is_some() {
            e.err(path, "a launch's stake pool takes no stake cap");
        }
    }
}
