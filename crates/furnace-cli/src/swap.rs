//! `furnace swap ECONOMY --pool NAME --sell AMOUNT ASSET` (exact in) or
//! `--buy AMOUNT ASSET` (exact out): quote one swap on a pool at its genesis
//! reserves, with the engine's own `quote_swap` (the numbers `apply` would
//! settle). Amounts are exact decimal strings in whole units.

use crate::{emit, parse_overrides, Failure};
use clap::Args;
use furnace_core::economy::MarketKind;
use furnace_core::engine::{decimals_of, quote_swap, SwapQuote};
use furnace_core::units::{format_decimal, mul_div_floor, parse_decimal, pow10};
use furnace_core::{AssetId, Economy, Order, State};
use serde_json::{json, Map, Value};
use std::path::PathBuf;

/// Decimals shown for a price (a ratio of reserves, rounded down).
const PRICE_DIGITS: u8 = 18;

#[derive(Args, Debug)]
pub struct SwapArgs {
    /// Economy file (economies/*.toml), or a scenario (its economy, with its `[economy_set]`).
    pub economy: PathBuf,
    /// The pool (a market of kind "pool").
    #[arg(long)]
    pub pool: String,
    /// Sell exactly AMOUNT of ASSET (exact in).
    #[arg(long, num_args = 2, value_names = ["AMOUNT", "ASSET"], required_unless_present = "buy", conflicts_with = "buy")]
    pub sell: Vec<String>,
    /// Buy exactly AMOUNT of ASSET (exact out).
    #[arg(long, num_args = 2, value_names = ["AMOUNT", "ASSET"])]
    pub buy: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Override an economy key (`markets.lam_usd.fee=1%`). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

pub fn run(args: &SwapArgs) -> Result<(), Failure> {
    let overrides = parse_overrides(&args.set)?;
    let loaded = furnace_config::load_any_economy(&args.economy, &overrides)?;
    let e = &loaded.economy;
    let state = State::genesis(e);
    let market = e.market_by_name(&args.pool).ok_or_else(|| {
        let pools: Vec<&str> = e
            .markets
            .iter()
            .filter(|m| matches!(m.kind, MarketKind::Pool { .. }))
            .map(|m| m.name.as_str())
            .collect();
        Failure::Usage(format!(
            "no pool named `{}` (pools: {})",
            args.pool,
            if pools.is_empty() {
                "none".to_string()
            } else {
                pools.join(", ")
            }
        ))
    })?;
    let MarketKind::Pool { assets, .. } = e.market(market).kind else {
        return Err(Failure::Usage(format!(
            "`{}` is an external market, not a pool",
            args.pool
        )));
    };
    let (exact_in, words) = if args.sell.is_empty() {
        (false, &args.buy)
    } else {
        (true, &args.sell)
    };
    let asset = e
        .asset_by_name(&words[1])
        .filter(|a| assets.contains(a))
        .ok_or_else(|| {
            Failure::Usage(format!(
                "pool `{}` trades {} and {}, not `{}`",
                args.pool,
                e.asset_name(assets[0]),
                e.asset_name(assets[1]),
                words[1]
            ))
        })?;
    let decimals = |a: AssetId| decimals_of(e, &state, a).expect("declared asset");
    let amount = parse_decimal(&words[0], decimals(asset)).map_err(|err| {
        Failure::Usage(format!(
            "`{}` is not an amount of {}: {err}",
            words[0], words[1]
        ))
    })?;
    let other = if assets[0] == asset {
        assets[1]
    } else {
        assets[0]
    };
    let (sell, order) = if exact_in {
        (
            asset,
            Order::ExactIn {
                amount_in: amount,
                min_out: 0,
            },
        )
    } else {
        (
            other,
            Order::ExactOut {
                amount_out: amount,
                max_in: u128::MAX,
            },
        )
    };
    let q = quote_swap(e, &state, market, sell, order)
        .map_err(|r| Failure::Usage(format!("the pool cannot do this swap: {r} ({})", r.code())))?;
    let out = report(e, &state, &q);
    if args.json {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&out).expect("JSON values serialise")
        ))?;
    } else {
        emit(&human(&out))?;
    }
    Ok(())
}

/// The price of `assets[0]` in `assets[1]` (whole units), rounded down to
/// `PRICE_DIGITS` decimals.
fn price(e: &Economy, state: &State, assets: [AssetId; 2], reserves: [u128; 2]) -> String {
    let d0 = decimals_of(e, state, assets[0]).unwrap_or(0);
    let d1 = decimals_of(e, state, assets[1]).unwrap_or(0);
    // (r1 / 10^d1) / (r0 / 10^d0) scaled by 10^PRICE_DIGITS.
    let scaled =
        mul_div_floor(reserves[1], pow10(d0 + PRICE_DIGITS), reserves[0]).map(|v| v / pow10(d1));
    match scaled {
        Some(v) if reserves[0] > 0 => format_decimal(v, PRICE_DIGITS),
        _ => "n/a".into(),
    }
}

fn report(e: &Economy, state: &State, q: &SwapQuote) -> Value {
    let dec = |a: AssetId| decimals_of(e, state, a).unwrap_or(0);
    let amounts = |r: [u128; 2]| {
        let mut m = Map::new();
        for (a, v) in q.assets.iter().zip(r) {
            m.insert(e.asset_name(*a), Value::String(format_decimal(v, dec(*a))));
        }
        Value::Object(m)
    };
    json!({
        "pool": e.market(q.market).name,
        "sell": e.asset_name(q.sell),
        "buy": e.asset_name(q.buy),
        "amount_in": format_decimal(q.amount_in, dec(q.sell)),
        "amount_out": format_decimal(q.amount_out, dec(q.buy)),
        "fee": format_decimal(q.fee_micro_units, dec(q.sell) + 6),
        "price_of": e.asset_name(q.assets[0]),
        "price_in": e.asset_name(q.assets[1]),
        "price_before": price(e, state, q.assets, q.reserves_before),
        "price_after": price(e, state, q.assets, q.reserves_after),
        "reserves_before": amounts(q.reserves_before),
        "reserves_after": amounts(q.reserves_after),
    })
}

fn human(v: &Value) -> String {
    let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
    let reserves = |k: &str| {
        v[k].as_object()
            .map(|m| {
                m.iter()
                    .map(|(a, x)| format!("{} {a}", x.as_str().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    format!(
        "swap on `{}`: sell {} {} -> buy {} {} (fee {} {})\n  price of {} in {}: {} -> {}\n  reserves: {} -> {}\n",
        s("pool"),
        s("amount_in"),
        s("sell"),
        s("amount_out"),
        s("buy"),
        s("fee"),
        s("sell"),
        s("price_of"),
        s("price_in"),
        s("price_before"),
        s("price_after"),
        reserves("reserves_before"),
        reserves("reserves_after"),
    )
}
