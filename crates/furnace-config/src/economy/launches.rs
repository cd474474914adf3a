//! `[launches.X]` -> the core's `LaunchSpec` (bonding-curve launches,
//! `furnace_core::economy::launch`). Keys are spelled as the core's
//! validation spells them (`launches.fomo.allocations`,
//! `launches.fomo.curve.virtual_quote`), so its errors find their lines; a
//! simulator step is a day, so `window_days` is the core's `window_steps`.
//!
//! Amounts are whole units: `total_supply`, `curve.virtual_tokens` of the
//! launched token (its `decimals`), every raise, cap and fee of the quote
//! asset. The words `sale`, `liquidity` and `issuer` name the allocation
//! targets (and `issuer` the launch's issuer in `lp_to` and
//! `raise_rest_to`) before any account of that name.
//!
//! `[launches.X.staking]` (`reward`, `empty_to`, `dust_to`, and a reward
//! pool's lock fields) is the template of the stake pool each graduated
//! token gets: a `RewardPoolSpec` named `X.staking` staking `LAUNCH_TOKEN`
//! (the core reads the launch's token at graduation), without a stake cap.
//! `[launches.X.usage]` is read by `usage.rs`.

use super::names::{Ctx, Names};
use super::raw::{RawEconomy, RawLaunch};
use super::{DEFAULT_DECIMALS, MAX_GENESIS_UNITS};
use crate::values::Number;
use furnace_core::economy::{
    Allocation, AllocationTarget, BondingCurve, Destination, LaunchParty, LaunchSpec, PoolWeight,
    RewardPoolSpec, LAUNCH_TOKEN,
};
use furnace_core::units::{Ppm, MAX_DECIMALS};
use toml::Spanned;

/// The allocation target words.
const SALE: &str = "sale";
const LIQUIDITY: &str = "liquidity";
const ISSUER: &str = "issuer";

pub(crate) fn launches(cx: &mut Ctx, names: &Names, raw: &RawEconomy) -> Vec<LaunchSpec> {
    raw.launches
        .iter()
        .map(|(name, l)| launch(cx, names, name, l))
        .collect()
}

fn launch(cx: &mut Ctx, names: &Names, name: &Spanned<String>, l: &RawLaunch) -> LaunchSpec {
    let key = format!("launches.{}", name.get_ref());
    let k = |field: &str| format!("{key}.{field}");
    let quote = names.asset(cx, &k("quote"), &l.quote);
    let quote_decimals = names.decimals(quote);
    let quote_unit = l.quote.get_ref().clone();
    let decimals = match &l.decimals {
        None => DEFAULT_DECIMALS,
        Some(d) => {
            cx.at(&k("decimals"), d);
            // Checked here too: the supply is parsed with these decimals.
            if *d.get_ref() > MAX_DECIMALS {
                cx.err(
                    Some(d.span()),
                    &k("decimals"),
                    format!("at most {MAX_DECIMALS} decimals"),
                );
                MAX_DECIMALS
            } else {
                *d.get_ref()
            }
        }
    };
    let token_unit = format!("{} tokens", name.get_ref());
    let amount = |cx: &mut Ctx, field: &str, v: &Spanned<Number>, d: u8, unit: &str| {
        cx.amount_at_most(&k(field), v, d, MAX_GENESIS_UNITS, unit)
            .unwrap_or(0)
    };
    let total_supply = amount(cx, "total_supply", &l.total_supply, decimals, &token_unit);
    let curve = match &l.curve {
        Some(c) => {
            cx.spans.record(&k("curve"), c.at.clone());
            BondingCurve {
                virtual_quote: amount(
                    cx,
                    "curve.virtual_quote",
                    &c.virtual_quote,
                    quote_decimals,
                    &quote_unit,
                ),
                virtual_tokens: amount(
                    cx,
                    "curve.virtual_tokens",
                    &c.virtual_tokens,
                    decimals,
                    &token_unit,
                ),
            }
        }
        None => {
            cx.err(
                Some(name.span()),
                &k("curve"),
                "missing: a launch needs `curve = { virtual_quote = \"...\", virtual_tokens = \"...\" }` (whole units of the quote asset and of the launched token)".into(),
            );
            BondingCurve {
                virtual_quote: 1,
                virtual_tokens: 1,
            }
        }
    };
    let allocations = allocations(cx, names, &key, l);
    cx.at(&k("window_steps"), &l.window_days);
    let min_raise = amount(cx, "min_raise", &l.min_raise, quote_decimals, &quote_unit);
    let max_raise = amount(cx, "max_raise", &l.max_raise, quote_decimals, &quote_unit);
    let max_commit_per_buyer = l
        .max_commit_per_buyer
        .as_ref()
        .map(|v| amount(cx, "max_commit_per_buyer", v, quote_decimals, &quote_unit));
    let launch_fee = l.launch_fee.as_ref().map_or(0, |v| {
        amount(cx, "launch_fee", v, quote_decimals, &quote_unit)
    });
    let purchase_fee_to = names.destination(cx, &k("purchase_fee_to"), &l.purchase_fee_to);
    let launch_fee_to: Destination = match &l.launch_fee_to {
        Some(to) => names.destination(cx, &k("launch_fee_to"), to),
        None => purchase_fee_to,
    };
    let raise_to_liquidity = cx.share(&k("raise_to_liquidity"), &l.raise_to_liquidity);
    let raise_rest_to = match &l.raise_rest_to {
        Some(to) => party(cx, names, &k("raise_rest_to"), to),
        None => {
            if raise_to_liquidity != Ppm::ONE {
                cx.err(
                    Some(l.raise_to_liquidity.span()),
                    &k("raise_rest_to"),
                    "missing: a launch whose raise does not all seed the pool needs `raise_rest_to` (\"issuer\" or an account)".into(),
                );
            }
            LaunchParty::Issuer
        }
    };
    LaunchSpec {
        name: name.get_ref().clone(),
        quote,
        decimals,
        total_supply,
        allocations,
        curve,
        window_steps: *l.window_days.get_ref(),
        min_raise,
        max_raise,
        max_commit_per_buyer,
        issuer_max_share: l
            .issuer_max_share
            .as_ref()
            .map_or(Ppm::ZERO, |s| cx.share(&k("issuer_max_share"), s)),
        purchase_fee: cx.share(&k("purchase_fee"), &l.purchase_fee),
        purchase_fee_to,
        launch_fee,
        launch_fee_to,
        raise_to_liquidity,
        raise_rest_to,
        pool_fee: cx.share(&k("pool_fee"), &l.pool_fee),
        lp_to: party(cx, names, &k("lp_to"), &l.lp_to),
        staking: l.staking.as_ref().map(|t| {
            cx.spans.record(&k("staking"), t.at.clone());
            let (lock_multipliers, unbonding_steps, early_withdrawal_fee, early_withdrawal_fee_to) =
                super::rewards::locks(
                    cx,
                    names,
                    &k("staking"),
                    super::rewards::LockFields {
                        lock_multipliers: &t.lock_multipliers,
                        unbonding_days: &t.unbonding_days,
                        early_withdrawal_fee: &t.early_withdrawal_fee,
                        early_withdrawal_fee_to: &t.early_withdrawal_fee_to,
                    },
                );
            RewardPoolSpec {
                name: format!("{}.staking", name.get_ref()),
                reward: names.asset(cx, &k("staking.reward"), &t.reward),
                weight: PoolWeight::Stake {
                    asset: LAUNCH_TOKEN,
                },
                empty_to: names.account(cx, &k("staking.empty_to"), &t.empty_to),
                dust_to: names.account(cx, &k("staking.dust_to"), &t.dust_to),
                lock_multipliers,
                unbonding_steps,
                early_withdrawal_fee,
                early_withdrawal_fee_to,
                stake_cap: None,
            }
        }),
        usage: l
            .usage
            .as_ref()
            .map(|u| super::usage::usage(cx, names, &key, decimals, u)),
    }
}

fn allocations(cx: &mut Ctx, names: &Names, key: &str, l: &RawLaunch) -> Vec<Allocation> {
    let table_key = format!("{key}.allocations");
    cx.at(&table_key, &l.allocations);
    let mut out = Vec::new();
    let mut shares = Vec::new();
    for (i, a) in l.allocations.get_ref().iter().enumerate() {
        let akey = format!("{table_key}[{i}]");
        let name = match &a.name {
            Some(n) => {
                cx.at(&format!("{akey}.name"), n);
                n.get_ref().clone()
            }
            None => a.to.get_ref().clone(),
        };
        let to_key = format!("{akey}.to");
        cx.at(&to_key, &a.to);
        let to = match a.to.get_ref().as_str() {
            SALE => AllocationTarget::Sale,
            LIQUIDITY => AllocationTarget::Liquidity,
            ISSUER => AllocationTarget::Issuer,
            _ => AllocationTarget::Account(names.account(cx, &to_key, &a.to)),
        };
        let share = cx.share_or_none(&format!("{akey}.share"), &a.share);
        shares.push((name.clone(), share));
        out.push(Allocation {
            name,
            share: share.unwrap_or(Ppm::ZERO),
            to,
        });
    }
    let listing: Vec<(&str, Option<Ppm>)> = shares.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    cx.shares_sum(&table_key, "allocation shares", &listing);
    out
}

/// "issuer" or an account.
fn party(cx: &mut Ctx, names: &Names, key: &str, to: &Spanned<String>) -> LaunchParty {
    if to.get_ref() == ISSUER {
        cx.at(key, to);
        LaunchParty::Issuer
    } else {
        LaunchParty::Account(names.account(cx, key, to))
    }
}
