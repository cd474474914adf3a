//! The sections that use the declarations: consumption splits, versions,
//! revenue rules, plans, buyback programs, sales and redemptions. Each is
//! compiled in file order; keys are spelled as the core's validation spells
//! them, so its errors find their lines.

use super::names::{Ctx, Names, BURN, CREATOR, TRAINERS};
use super::raw::{RawEconomy, RawStakeBurn};
use furnace_core::economy::{
    BuybackProgram, ConsumptionSplit, Destination, Leg, LegKind, PlanSpec, RedemptionSpec,
    RevenuePart, RevenueRule, SaleSpec, StakeBurn, Venue, VersionSpec,
};
use furnace_core::ids::AssetId;
use furnace_core::units::Ppm;
use toml::Spanned;

pub(crate) fn splits(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<ConsumptionSplit> {
    let mut splits = Vec::new();
    for (name, s) in &raw.splits {
        let key = format!("splits.{}", name.get_ref());
        let legs_key = format!("{key}.legs");
        cx.at(&legs_key, &s.legs);
        let mut legs = Vec::new();
        let mut shares = Vec::new();
        for (i, leg) in s.legs.get_ref().iter().enumerate() {
            let leg_key = format!("{legs_key}[{i}]");
            cx.at(&format!("{leg_key}.name"), &leg.name);
            let to_key = format!("{leg_key}.to");
            let kind = match leg.to.get_ref().as_str() {
                BURN => LegKind::Burn,
                CREATOR => LegKind::Creator,
                TRAINERS => LegKind::Trainers,
                _ => match names.pool(cx, &to_key, &leg.to) {
                    Some(pool) => LegKind::RewardPool(pool),
                    None => LegKind::Account(names.account(cx, &to_key, &leg.to)),
                },
            };
            cx.at(&to_key, &leg.to);
            let share = cx.share_or_none(&format!("{leg_key}.share"), &leg.share);
            shares.push((leg.name.get_ref().as_str(), share));
            legs.push(Leg {
                name: leg.name.get_ref().clone(),
                kind,
                share: share.unwrap_or(Ppm::ZERO),
            });
        }
        cx.shares_sum(&legs_key, "leg shares", &shares);
        let creator_max = shares
            .iter()
            .all(|(_, s)| s.is_some())
            .then(|| legs.iter().find(|l| l.kind == LegKind::Creator))
            .map(|leg| leg.map_or(Ppm::ZERO, |l| l.share));
        let mut creator_epochs = Vec::new();
        for (i, e) in s.creator_epochs.iter().enumerate() {
            let ekey = format!("{key}.creator_epochs[{i}]");
            let share = cx.share_or_none(&ekey, e);
            if let (Some(share), Some(max)) = (share, creator_max) {
                if share > max {
                    let message = format!(
                        "epoch {} pays {share} but the creator leg is only {max}",
                        i + 1
                    );
                    cx.rules
                        .push(cx.source.error(Some(e.span()), &ekey, message));
                }
            }
            creator_epochs.push(share.unwrap_or(Ppm::ZERO));
        }
        let has = |kind: LegKind| legs.iter().any(|l: &Leg| l.kind == kind);
        let (has_creator, has_trainers) = (has(LegKind::Creator), has(LegKind::Trainers));
        let mut route = |field: &str, value: &Option<Spanned<String>>, needed: bool| match value {
            Some(v) => names.destination(cx, &format!("{key}.{field}"), v),
            None => {
                if needed {
                    cx.err(
                        Some(s.legs.span()),
                        &format!("{key}.{field}"),
                        format!("missing: the split has a leg that needs `{field}`"),
                    );
                }
                Destination::Burn
            }
        };
        let creator_shortfall_to =
            route("creator_shortfall_to", &s.creator_shortfall_to, has_creator);
        let no_marketplace_to = route("no_marketplace_to", &s.no_marketplace_to, has_creator);
        let no_trainers_to = route("no_trainers_to", &s.no_trainers_to, has_trainers);
        let dust_to = names.destination(cx, &format!("{key}.dust_to"), &s.dust_to);
        splits.push(ConsumptionSplit {
            name: name.get_ref().clone(),
            legs,
            creator_epochs,
            creator_shortfall_to,
            no_marketplace_to,
            no_trainers_to,
            dust_to,
        });
    }
    splits
}

pub(crate) fn versions(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<VersionSpec> {
    let mut versions = Vec::new();
    for (name, v) in &raw.versions {
        let key = format!("versions.{}", name.get_ref());
        let token = names.token(cx, &format!("{key}.token"), &v.token);
        let price = names.price(cx, &format!("{key}.price_usd"), &v.price_usd);
        let split = names.splits.resolve(cx, &format!("{key}.split"), &v.split);
        versions.push(VersionSpec {
            name: name.get_ref().clone(),
            token,
            price,
            split,
        });
    }
    versions
}

pub(crate) fn revenue(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<RevenueRule> {
    let mut rules = Vec::new();
    for (name, r) in &raw.revenue {
        let parts_key = format!("revenue.{}.parts", name.get_ref());
        cx.at(&parts_key, &r.parts);
        let mut parts = Vec::new();
        let mut shares = Vec::new();
        for (i, p) in r.parts.get_ref().iter().enumerate() {
            let key = format!("{parts_key}[{i}]");
            let part_name = match &p.name {
                Some(n) => {
                    cx.at(&format!("{key}.name"), n);
                    n.get_ref().clone()
                }
                None => p.to.get_ref().clone(),
            };
            let share = cx.share_or_none(&format!("{key}.share"), &p.share);
            shares.push(share);
            parts.push(RevenuePart {
                name: part_name,
                to: names.payee(cx, &format!("{key}.to"), &p.to),
                share: share.unwrap_or(Ppm::ZERO),
            });
        }
        let named: Vec<(&str, Option<Ppm>)> =
            parts.iter().map(|p| p.name.as_str()).zip(shares).collect();
        cx.shares_sum(&parts_key, "shares", &named);
        rules.push(RevenueRule {
            name: name.get_ref().clone(),
            parts,
        });
    }
    rules
}

pub(crate) fn plans(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<PlanSpec> {
    let mut plans = Vec::new();
    for (name, p) in &raw.plans {
        let key = format!("plans.{}", name.get_ref());
        let k = |field: &str| format!("{key}.{field}");
        let price = names.price(cx, &k("price_usd"), &p.price_usd);
        cx.at(&k("actions_included"), &p.actions_included);
        let period_days = match &p.period_days {
            Some(d) => {
                cx.at(&k("period_days"), d);
                *d.get_ref()
            }
            None => 30,
        };
        let funded_from = p
            .funded_from
            .as_ref()
            .map(|f| names.account(cx, &k("funded_from"), f));
        plans.push(PlanSpec {
            name: name.get_ref().clone(),
            price,
            actions_included: *p.actions_included.get_ref(),
            period_days,
            version: names.versions.resolve(cx, &k("version"), &p.version),
            token: names.token(cx, &k("token"), &p.token),
            token_discount: cx.share(&k("token_discount"), &p.token_discount),
            escrow: names.account(cx, &k("escrow"), &p.escrow),
            revenue: names.rules.resolve(cx, &k("revenue"), &p.revenue),
            funded_from,
        });
    }
    plans
}

pub(crate) fn buybacks(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<BuybackProgram> {
    let mut programs = Vec::new();
    for (name, b) in &raw.buybacks {
        let key = format!("buybacks.{}", name.get_ref());
        let k = |field: &str| format!("{key}.{field}");
        let pay = match &b.pay {
            Some(p) => names.asset(cx, &k("pay"), p),
            None => names.numeraire.unwrap_or(AssetId(0)),
        };
        let pay_decimals = names.decimals(pay);
        let venues_key = k("venues");
        cx.at(&venues_key, &b.venues);
        let mut venues = Vec::new();
        let mut weights = Vec::new();
        for (i, v) in b.venues.get_ref().iter().enumerate() {
            let vkey = format!("{venues_key}[{i}]");
            let weight = cx.share_or_none(&format!("{vkey}.weight"), &v.weight);
            weights.push((v.market.get_ref().as_str(), weight));
            venues.push(Venue {
                market: names
                    .markets
                    .resolve(cx, &format!("{vkey}.market"), &v.market),
                weight: weight.unwrap_or(Ppm::ZERO),
                cap_per_step: v
                    .cap_per_day
                    .as_ref()
                    .and_then(|c| cx.amount(&format!("{vkey}.cap_per_day"), c, pay_decimals)),
            });
        }
        cx.shares_sum(&venues_key, "venue weights", &weights);
        let max_impact = b.max_impact.as_ref().map(|m| cx.share(&k("max_impact"), m));
        let max_spend_per_step = b
            .max_spend_per_day
            .as_ref()
            .and_then(|m| cx.amount(&k("max_spend_per_day"), m, pay_decimals));
        programs.push(BuybackProgram {
            name: name.get_ref().clone(),
            budget: names.account(cx, &k("budget"), &b.budget),
            pay,
            token: names.token(cx, &k("token"), &b.token),
            venues,
            max_impact,
            max_spend_per_step,
            destination: names.destination(cx, &k("destination"), &b.destination),
            stake_burn: b
                .stake_burn
                .as_ref()
                .map(|sb| stake_burn(cx, names, &key, sb)),
        });
    }
    programs
}

/// `stake_burn = { pool, excluded }`: the pool by name (a stake pool of the
/// bought token is the core's rule, reported at `.pool`), the excluded
/// accounts by name.
fn stake_burn(cx: &mut Ctx, names: &Names, key: &str, sb: &RawStakeBurn) -> StakeBurn {
    let key = format!("{key}.stake_burn");
    let pool = names.pools.resolve(cx, &format!("{key}.pool"), &sb.pool);
    let excluded = sb.excluded.as_ref().map_or_else(Vec::new, |list| {
        cx.at(&format!("{key}.excluded"), list);
        list.get_ref()
            .iter()
            .enumerate()
            .map(|(i, a)| names.account(cx, &format!("{key}.excluded[{i}]"), a))
            .collect()
    });
    StakeBurn { pool, excluded }
}

pub(crate) fn sales(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<SaleSpec> {
    let mut sales = Vec::new();
    for (name, s) in &raw.sales {
        let key = format!("sales.{}", name.get_ref());
        sales.push(SaleSpec {
            name: name.get_ref().clone(),
            token: names.token(cx, &format!("{key}.token"), &s.token),
            price: names.price(cx, &format!("{key}.price_usd"), &s.price_usd),
            revenue: names
                .rules
                .resolve(cx, &format!("{key}.revenue"), &s.revenue),
        });
    }
    sales
}

pub(crate) fn redemptions(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<RedemptionSpec> {
    let mut redemptions = Vec::new();
    for (name, r) in &raw.redemptions {
        let key = format!("redemptions.{}", name.get_ref());
        redemptions.push(RedemptionSpec {
            name: name.get_ref().clone(),
            token: names.token(cx, &format!("{key}.token"), &r.token),
            destination: names.destination(cx, &format!("{key}.to"), &r.to),
        });
    }
    redemptions
}
