//! A launch spec's usage rule (`economy/usage.rs`): what `LaunchUsage`
//! relies on. Prices positive and the compute cost within the price; parts
//! summing to exactly 100%, the numeraire never burned, every market a
//! declared pool of the numeraire, a launch-token buy reachable from the
//! numeraire; discount tiers rising strictly, each at most the cap, the cap
//! below 100% (usage is never free).

use super::Errors;
use crate::economy::*;
use crate::units::Ppm;

impl Economy {
    /// The declared pool `m` trades the numeraire against `other` (any
    /// asset but the numeraire when `other` is None).
    fn numeraire_pool(&self, m: MarketId, other: Option<AssetId>) -> bool {
        match self.markets.get(m.index()).map(|s| &s.kind) {
            Some(MarketKind::Pool { assets, .. }) => {
                assets.contains(&self.numeraire)
                    && assets[0] != assets[1]
                    && other.is_none_or(|o| assets.contains(&o))
            }
            _ => false,
        }
    }

    pub(super) fn check_usage(&self, e: &mut Errors, path: &str, s: &LaunchSpec, u: &UsageRule) {
        let path = format!("{path}.usage");
        if u.price_per_call == 0 {
            e.err(
                format!("{path}.price_per_call"),
                "must be greater than zero",
            );
        }
        if u.cost_per_call > u.price_per_call {
            e.err(
                format!("{path}.cost_per_call"),
                "a call's compute cost may not exceed its price",
            );
        }
        if u.parts.is_empty() || u.parts.len() > MAX_USAGE_PARTS {
            e.err(
                format!("{path}.parts"),
                format!("between 1 and {MAX_USAGE_PARTS} parts"),
            );
        }
        e.shares_sum(
            &format!("{path}.parts"),
            u.parts.iter().map(|p| (p.name.as_str(), p.share)),
            "usage parts",
        );
        let buys_launch_token = u.parts.iter().any(|p| p.buy == UsageBuy::LaunchToken);
        for (i, p) in u.parts.iter().enumerate() {
            let key = format!("{path}.parts[{i}]");
            match p.buy {
                UsageBuy::Nothing if p.to == UsageTo::Burn => e.err(
                    format!("{key}.to"),
                    "the numeraire is not burned: pay it to an account or the issuer, or buy a token to burn",
                ),
                UsageBuy::Market(m) if !self.numeraire_pool(m, None) => e.err(
                    format!("{key}.buy"),
                    "must name a declared pool of the numeraire",
                ),
                _ => {}
            }
            if let UsageTo::Account(a) = p.to {
                if !self.account_ok(a) {
                    e.err(format!("{key}.to"), "unknown account");
                }
            }
        }
        if buys_launch_token && s.quote != self.numeraire {
            match u.via {
                Some(m) if self.numeraire_pool(m, Some(s.quote)) => {}
                Some(_) => e.err(
                    format!("{path}.via"),
                    "must name a declared pool of the numeraire and the launch's quote",
                ),
                None => e.err(
                    format!("{path}.via"),
                    "missing: buying the launch's token needs a pool of the numeraire and the launch's quote",
                ),
            }
        }
        self.check_discounts(e, &path, s, u);
    }

    fn check_discounts(&self, e: &mut Errors, path: &str, s: &LaunchSpec, u: &UsageRule) {
        if u.max_discount >= Ppm::ONE {
            e.err(
                format!("{path}.max_discount"),
                "must be below 100%: usage is never free",
            );
        }
        if u.discounts.len() > MAX_DISCOUNT_TIERS {
            e.err(
                format!("{path}.discounts"),
                format!("at most {MAX_DISCOUNT_TIERS} tiers"),
            );
        }
        if !u.discounts.is_empty() && s.staking.is_none() {
            e.err(
                format!("{path}.discounts"),
                "discounts go by what a payer stakes: the launch needs a `staking` pool",
            );
        }
        for (i, t) in u.discounts.iter().enumerate() {
            if t.discount > u.max_discount {
                e.err(
                    format!("{path}.discounts[{i}].discount"),
                    format!(
                        "{} is above the cap, max_discount = {}",
                        t.discount, u.max_discount
                    ),
                );
            }
            if i > 0 && t.min_staked <= u.discounts[i - 1].min_staked {
                e.err(
                    format!("{path}.discounts[{i}].staked"),
                    "tiers must rise strictly in the amount staked",
                );
            }
        }
    }
}
