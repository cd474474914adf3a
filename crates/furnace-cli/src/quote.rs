//! `furnace quote`: exactly what N actions cost in tokens and where every
//! base unit goes. Uses the engine's own pure functions
//! ([`tokens_per_action`], [`split`]): the same numbers `apply` settles.

use crate::{emit, parse_overrides, Failure};
use clap::Args;
use furnace_config::scenario::apply_overrides;
use furnace_config::{compile_economy, Source};
use furnace_core::economy::{AccountId, Destination, Economy, LegKind};
use furnace_core::engine::{split, tokens_per_action, Role, Sink, SplitReceipt};
use furnace_core::units::{format_decimal, mul_div_floor, parse_decimal, pow10, PRICE_DECIMALS};
use serde_json::{json, Map, Value};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct QuoteArgs {
    /// Economy file (economies/*.toml).
    pub economy: PathBuf,
    /// Model version (e.g. LAM-1).
    #[arg(long)]
    pub version: String,
    /// Market price of the token in USD per whole token (e.g. 0.01).
    #[arg(long, value_name = "USD")]
    pub token_price: String,
    /// Number of actions.
    #[arg(long, default_value_t = 1)]
    pub actions: u64,
    /// No marketplace workflow is used: the creator share is routed as the
    /// economy says (`no_marketplace_to`).
    #[arg(long, conflicts_with = "creator_epoch")]
    pub no_marketplace: bool,
    /// Creator Epoch (publish month) of the marketplace workflow used.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub creator_epoch: u32,
    /// Print JSON (amounts as exact decimal strings in whole tokens).
    #[arg(long)]
    pub json: bool,
    /// Override an economy key (`versions.LAM-1.price_usd=0.01`). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// Stand-in account id for "the workflow's creator" in a quote: quotes have
/// no state, so the creator is not a real account.
const QUOTE_CREATOR: AccountId = AccountId(u32::MAX);

pub fn run(args: &QuoteArgs) -> Result<(), Failure> {
    let overrides = parse_overrides(&args.set)?;
    let mut source = Source::read(&args.economy)?;
    apply_overrides(&mut source, &overrides)?;
    let loaded = compile_economy(source)?;
    let quote = compute(&loaded.economy, args)?;
    let mut out = String::new();
    if args.json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&quote).expect("JSON values always serialise")
        );
    } else {
        print_human(&mut out, &quote);
    }
    emit(&out);
    Ok(())
}

fn compute(e: &Economy, args: &QuoteArgs) -> Result<Value, Failure> {
    let version_id = e.version_by_name(&args.version).ok_or_else(|| {
        let known: Vec<&str> = e.versions.iter().map(|v| v.name.as_str()).collect();
        Failure::Input(format!(
            "error: --version: no version `{}` in {} (versions: {})",
            args.version,
            e.name,
            known.join(", ")
        ))
    })?;
    if args.actions == 0 {
        return Err(Failure::Input(
            "error: --actions: must be at least 1".into(),
        ));
    }
    if args.creator_epoch == 0 {
        return Err(Failure::Input(
            "error: --creator-epoch: Creator Epochs start at 1".into(),
        ));
    }
    let price_usd_pico = match parse_decimal(&args.token_price, PRICE_DECIMALS) {
        Ok(0) => {
            return Err(Failure::Input(
                "error: --token-price: must be greater than zero".into(),
            ))
        }
        Ok(p) => p,
        Err(err) => {
            return Err(Failure::Input(format!(
                "error: --token-price: `{}`: {err}",
                args.token_price
            )))
        }
    };
    let version = e.version(version_id);
    let token = e.asset(version.token);
    let decimals = token.decimals;
    let rate = tokens_per_action(version.price_usd_micros, decimals, price_usd_pico)
        .map_err(|r| Failure::Input(format!("error: {r}")))?;
    let total = rate
        .checked_mul(args.actions as u128)
        .ok_or_else(|| Failure::Input("error: --actions: too many actions to quote".into()))?;
    let the_split = e.split(version.split);
    let creator = (!args.no_marketplace).then_some((QUOTE_CREATOR, args.creator_epoch));
    let receipt = split(the_split, total, creator, None)
        .map_err(|r| Failure::Input(format!("error: {r}")))?;

    let tok = |units: u128| Value::String(format_decimal(units, decimals));
    let usd_of = |units: u128| {
        // USD equivalent at the quoted price, floored to the micro-dollar.
        let micros = mul_div_floor(units, price_usd_pico, pow10(6 + decimals)).unwrap_or(0);
        Value::String(format_decimal(micros, 6))
    };
    let dest_name = |d: Destination| match d {
        Destination::Burn => "burn".to_string(),
        Destination::Account(a) => e.accounts[a.index()].name.clone(),
    };
    let sink_name = |s: Sink| match s {
        Sink::Burn => "burn".to_string(),
        Sink::Account(a) if a == QUOTE_CREATOR => "creator".to_string(),
        Sink::Account(a) => e.accounts[a.index()].name.clone(),
        Sink::Trainers { .. } => "trainers".to_string(),
    };

    let mut legs = Vec::new();
    for (i, leg) in the_split.legs.iter().enumerate() {
        legs.push(json!({
            "name": leg.name,
            "share": leg.share.to_string(),
            "amount": tok(receipt.leg_amounts[i]),
            "usd": usd_of(receipt.leg_amounts[i]),
            "to": match leg.kind {
                LegKind::Burn => "burn".to_string(),
                LegKind::Creator => "creator".to_string(),
                LegKind::Trainers => "trainers".to_string(),
                LegKind::Account(a) => e.accounts[a.index()].name.clone(),
            },
        }));
    }
    let mut credits = Map::new();
    for p in receipt.postings() {
        let name = sink_name(p.sink);
        let prev = credits
            .get(&name)
            .and_then(Value::as_str)
            .and_then(|s| parse_decimal(s, decimals).ok())
            .unwrap_or(0);
        credits.insert(name, tok(prev + p.amount));
    }
    let leg_named = |name: &str| {
        the_split
            .legs
            .iter()
            .position(|l| l.name == name)
            .map_or(0, |i| receipt.leg_amounts[i])
    };
    let creator_share = if args.no_marketplace {
        "0%".to_string()
    } else {
        the_split
            .creator_share_for_epoch(args.creator_epoch)
            .to_string()
    };
    let usd_total = version
        .price_usd_micros
        .checked_mul(args.actions as u128)
        .ok_or_else(|| Failure::Input("error: --actions: too many actions to quote".into()))?;
    let mut out = json!({
        "economy": e.name,
        "version": version.name,
        "token": token.name,
        "token_price_usd": format_decimal(price_usd_pico, PRICE_DECIMALS),
        "actions": args.actions,
        "usd": format_decimal(usd_total, 6),
        "usd_per_action": format_decimal(version.price_usd_micros, 6),
        "tokens_per_action": tok(rate),
        "tokens": tok(total),
        "burned": tok(receipt.burned()),
        "creator": tok(receipt.amount_of(Role::CreatorPaid)),
        "ecosystem": tok(leg_named("ecosystem")),
        "marketplace": !args.no_marketplace,
        "creator_epoch": if args.no_marketplace { Value::Null } else { json!(args.creator_epoch) },
        "creator_share": creator_share,
        "creator_shortfall": tok(receipt.amount_of(Role::CreatorShortfall)),
        "creator_shortfall_to": dest_name(the_split.creator_shortfall_to),
        "no_marketplace": tok(receipt.amount_of(Role::NoMarketplace)),
        "no_marketplace_to": dest_name(the_split.no_marketplace_to),
        "dust": tok(receipt.amount_of(Role::Dust)),
        "dust_to": dest_name(the_split.dust_to),
        "legs": legs,
        "credits": credits,
        "base_units": base_units(&receipt, total, rate),
        "rounding": "tokens per action rounded up to the base unit; each part floored; dust to dust_to",
    });
    // Burn is reported as "burned"; the credits map lists where the rest went.
    if let Some(map) = out.get_mut("credits").and_then(Value::as_object_mut) {
        map.remove("burn");
    }
    Ok(out)
}

/// The same figures as integers (strings, to survive JSON's doubles).
fn base_units(receipt: &SplitReceipt, total: u128, rate: u128) -> Value {
    json!({
        "tokens_per_action": rate.to_string(),
        "tokens": total.to_string(),
        "burned": receipt.burned().to_string(),
        "creator": receipt.amount_of(Role::CreatorPaid).to_string(),
        "dust": receipt.amount_of(Role::Dust).to_string(),
    })
}

fn print_human(out: &mut String, q: &Value) {
    let s = |k: &str| q[k].as_str().unwrap_or_default().to_string();
    let token = s("token");
    let _ = writeln!(
        out,
        "{} x {} action(s) of {} at ${}/{token}: ${} = {} {token} ({} {token} per action)",
        q["actions"],
        q["economy"].as_str().unwrap_or_default(),
        s("version"),
        s("token_price_usd"),
        s("usd"),
        s("tokens"),
        s("tokens_per_action"),
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "  {:<12} {:>8} {:>26} {:>14}  to",
        "leg", "share", "tokens", "USD"
    );
    for leg in q["legs"].as_array().into_iter().flatten() {
        let f = |k: &str| leg[k].as_str().unwrap_or_default().to_string();
        let _ = writeln!(
            out,
            "  {:<12} {:>8} {:>26} {:>14}  {}",
            f("name"),
            f("share"),
            f("amount"),
            f("usd"),
            f("to")
        );
    }
    let _ = writeln!(out);
    if q["marketplace"].as_bool() == Some(true) {
        let _ = writeln!(
            out,
            "  creator (epoch {}, {}): {} {token}; shortfall {} -> {}",
            q["creator_epoch"],
            s("creator_share"),
            s("creator"),
            s("creator_shortfall"),
            s("creator_shortfall_to")
        );
    } else {
        let _ = writeln!(
            out,
            "  no marketplace workflow: creator share {} -> {}",
            s("no_marketplace"),
            s("no_marketplace_to")
        );
    }
    let _ = writeln!(
        out,
        "  burned: {} {token}   dust: {} -> {}",
        s("burned"),
        s("dust"),
        s("dust_to")
    );
    let credits: Vec<String> = q["credits"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or_default()))
        .collect();
    let _ = writeln!(out, "  credited: {}", credits.join(", "));
}
