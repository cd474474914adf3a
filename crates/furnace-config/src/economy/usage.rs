//! `[launches.X.usage]` -> the core's `UsageRule` (`economy/usage.rs`):
//! paid usage of a launched token's service (FOMO's inference). Prices are
//! whole numeraire units (`price_per_call = "0.002"`), `discounts`'
//! `staked` whole launched tokens; a part's `buy` is a declared pool of the
//! numeraire or the word `launch_token`, its `to` is `burn`, `issuer` or an
//! account. Keys are spelled as the core's validation spells them
//! (`launches.model.usage.discounts[2].discount`).

use super::names::{Ctx, Names};
use super::raw::RawLaunchUsage;
use furnace_core::economy::{DiscountTier, UsageBuy, UsagePart, UsageRule, UsageTo};
use furnace_core::units::Ppm;

/// The words a part's `buy` and `to` take before any name.
const LAUNCH_TOKEN: &str = "launch_token";
const BURN: &str = "burn";
const ISSUER: &str = "issuer";

pub(super) fn usage(
    cx: &mut Ctx,
    names: &Names,
    key: &str,
    token_decimals: u8,
    u: &RawLaunchUsage,
) -> UsageRule {
    let key = format!("{key}.usage");
    let k = |field: &str| format!("{key}.{field}");
    let price_per_call = names.price(cx, &k("price_per_call"), &u.price_per_call);
    let cost_per_call = u
        .cost_per_call
        .as_ref()
        .map_or(0, |c| names.price(cx, &k("cost_per_call"), c));
    let via = u
        .via
        .as_ref()
        .map(|m| names.markets.resolve(cx, &k("via"), m));
    cx.at(&k("parts"), &u.parts);
    let mut parts = Vec::new();
    let mut shares = Vec::new();
    for (i, p) in u.parts.get_ref().iter().enumerate() {
        let pkey = format!("{key}.parts[{i}]");
        let name = match &p.name {
            Some(n) => {
                cx.at(&format!("{pkey}.name"), n);
                n.get_ref().clone()
            }
            None => p.to.get_ref().clone(),
        };
        let buy = match &p.buy {
            None => UsageBuy::Nothing,
            Some(b) if b.get_ref() == LAUNCH_TOKEN => {
                cx.at(&format!("{pkey}.buy"), b);
                UsageBuy::LaunchToken
            }
            Some(b) => UsageBuy::Market(names.markets.resolve(cx, &format!("{pkey}.buy"), b)),
        };
        let to_key = format!("{pkey}.to");
        cx.at(&to_key, &p.to);
        let to = match p.to.get_ref().as_str() {
            BURN => UsageTo::Burn,
            ISSUER => UsageTo::Issuer,
            _ => UsageTo::Account(names.account(cx, &to_key, &p.to)),
        };
        let share = cx.share_or_none(&format!("{pkey}.share"), &p.share);
        shares.push((name.clone(), share));
        parts.push(UsagePart {
            name,
            share: share.unwrap_or(Ppm::ZERO),
            buy,
            to,
        });
    }
    let listing: Vec<(&str, Option<Ppm>)> = shares.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    cx.shares_sum(&k("parts"), "usage parts", &listing);
    let discounts = u
        .discounts
        .as_ref()
        .map(|tiers| {
            cx.at(&k("discounts"), tiers);
            tiers
                .get_ref()
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let tkey = format!("{key}.discounts[{i}]");
                    DiscountTier {
                        min_staked: cx
                            .amount(&format!("{tkey}.staked"), &t.staked, token_decimals)
                            .unwrap_or(0),
                        discount: cx.share(&format!("{tkey}.discount"), &t.discount),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let max_discount = u
        .max_discount
        .as_ref()
        .map_or(Ppm::ZERO, |m| cx.share(&k("max_discount"), m));
    UsageRule {
        price_per_call,
        cost_per_call,
        via,
        parts,
        discounts,
        max_discount,
    }
}
