//! `furnace quote`: exactly what N actions cost in tokens and where every
//! base unit goes. Uses the engine's own pure functions
//! ([`tokens_per_action`], [`split`]): the same numbers `apply` settles.

use crate::{emit, parse_overrides, Failure};
use clap::Args;
use furnace_config::load_any_economy;
use furnace_core::economy::LegKind;
use furnace_core::engine::{decimals_of, value_floor, Price, Role, Sink, SplitReceipt};
use furnace_core::quote::{quote_actions, quote_plan, QUOTE_CREATOR};
use furnace_core::units::{format_decimal, parse_decimal, PRICE_DECIMALS};
use furnace_core::{State, ValidEconomy};
use serde_json::{json, Map, Value};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct QuoteArgs {
    /// Economy file (economies/*.toml), or a scenario (its economy is quoted).
    pub economy: PathBuf,
    /// Model version (e.g. LAM-1).
    #[arg(long, required_unless_present = "plan")]
    pub version: Option<String>,
    /// Quote a subscription plan instead (e.g. agent): what it costs paid in
    /// USD (the revenue split and what the buyback budget buys) and paid in
    /// tokens at the economy's discount (escrowed, released per action).
    #[arg(long, conflicts_with_all = ["version", "actions", "no_marketplace"])]
    pub plan: Option<String>,
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
    /// Override an economy key (`versions.LAM-1.price_usd=0.01`, or as `run`
    /// spells it, `economy.versions.LAM-1.price_usd=0.01`). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

pub fn run(args: &QuoteArgs) -> Result<(), Failure> {
    let overrides = parse_overrides(&args.set)?;
    let loaded = load_any_economy(&args.economy, &overrides)?;
    let price_usd_pico = parse_price(&args.token_price)?;
    let quote = match &args.plan {
        Some(plan) => compute_plan(&loaded.economy, plan, price_usd_pico)?,
        None => compute(&loaded.economy, args, price_usd_pico)?,
    };
    let mut out = String::new();
    if args.json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&quote).expect("JSON values always serialise")
        );
    } else if args.plan.is_some() {
        print_plan(&mut out, &quote);
    } else {
        print_human(&mut out, &quote);
    }
    emit(&out)?;
    Ok(())
}

/// The token price from `--token-price`, in pico-dollars per whole token.
fn parse_price(text: &str) -> Result<u128, Failure> {
    match parse_decimal(text, PRICE_DECIMALS) {
        Ok(0) => Err(Failure::Usage(
            "--token-price: must be greater than zero".into(),
        )),
        Ok(p) => Ok(p),
        Err(err) => Err(Failure::Usage(format!("--token-price: `{text}`: {err}"))),
    }
}

fn compute(e: &ValidEconomy, args: &QuoteArgs, price_usd_pico: u128) -> Result<Value, Failure> {
    let version_name = args.version.as_deref().unwrap_or_default();
    let version_id = e.version_by_name(version_name).ok_or_else(|| {
        let known: Vec<&str> = e.versions.iter().map(|v| v.name.as_str()).collect();
        Failure::Usage(format!(
            "--version: no version `{}` in {} (versions: {})",
            version_name,
            e.name,
            known.join(", ")
        ))
    })?;
    if args.actions == 0 {
        return Err(Failure::Usage("--actions: must be at least 1".into()));
    }
    if args.creator_epoch == 0 {
        return Err(Failure::Usage(
            "--creator-epoch: Creator Epochs start at 1".into(),
        ));
    }
    let version = e.version(version_id);
    let state = State::genesis(e);
    let decimals = decimals_of(e, &state, version.token).map_err(engine_error)?;
    let nd = decimals_of(e, &state, e.numeraire).map_err(engine_error)?;
    let price = Price::from_pico(price_usd_pico, nd, decimals);
    let epoch = (!args.no_marketplace).then_some(args.creator_epoch);
    let q = quote_actions(e, version_id, price, args.actions, epoch).map_err(|r| match r {
        furnace_core::Rejection::Overflow(_) => {
            Failure::Usage("--actions: too many actions to quote".into())
        }
        r => engine_error(r),
    })?;
    let receipt = &q.split;
    let the_split = e.split(version.split);

    let tok = |units: u128| Value::String(format_decimal(units, decimals));
    let usd_of = |units: u128| {
        // Value at the quoted price, floored to the numeraire's base unit.
        Value::String(format_decimal(value_floor(units, price).unwrap_or(0), nd))
    };
    let dest_name = |d| e.destination_name(d);
    let sink_name = |s: Sink| match s {
        Sink::Burn => "burn".to_string(),
        Sink::Account(a) if a == QUOTE_CREATOR => "creator".to_string(),
        Sink::Account(a) => e.account_name(a),
        Sink::Trainers { .. } => "trainers".to_string(),
        Sink::RewardPool(p) => e.reward_pool_name(p),
    };

    let mut legs = Vec::new();
    for (i, leg) in the_split.legs.iter().enumerate() {
        legs.push(json!({
            "name": leg.name,
            "share": leg.share.to_string(),
            "amount": tok(receipt.leg_amounts[i]),
            "usd": usd_of(receipt.leg_amounts[i]),
            "to": e.leg_target_name(leg.kind),
        }));
    }
    // Where the tokens that were not burned went (burn is "burned").
    let mut credited = std::collections::BTreeMap::<String, u128>::new();
    for p in receipt.postings().iter().filter(|p| p.sink != Sink::Burn) {
        *credited.entry(sink_name(p.sink)).or_default() += p.amount;
    }
    let credits: Map<String, Value> = credited
        .into_iter()
        .map(|(name, amount)| (name, tok(amount)))
        .collect();
    let mut out = json!({
        "economy": e.name,
        "version": version.name,
        "token": e.asset_name(version.token),
        "token_price_usd": format_decimal(price_usd_pico, PRICE_DECIMALS),
        "actions": args.actions,
        "usd": format_decimal(q.value, nd),
        "usd_per_action": format_decimal(version.price, nd),
        "tokens_per_action": tok(q.tokens_per_action),
        "tokens": tok(q.tokens),
        "burned": tok(receipt.burned()),
        "creator": tok(receipt.amount_of(Role::CreatorPaid)),
        "marketplace": !args.no_marketplace,
        "creator_epoch": if args.no_marketplace { Value::Null } else { json!(args.creator_epoch) },
        "creator_share": q.creator_share.to_string(),
        "creator_shortfall": tok(receipt.amount_of(Role::CreatorShortfall)),
        "creator_shortfall_to": dest_name(the_split.creator_shortfall_to),
        "no_marketplace": tok(receipt.amount_of(Role::NoMarketplace)),
        "no_marketplace_to": dest_name(the_split.no_marketplace_to),
        "dust": tok(receipt.amount_of(Role::Dust)),
        "dust_to": dest_name(the_split.dust_to),
        "legs": legs,
        "credits": credits,
        "base_units": base_units(receipt, q.tokens, q.tokens_per_action),
        "rounding": "tokens per action rounded up to the base unit; each part floored; dust to dust_to",
    });
    let charged = value_floor(q.tokens, price).unwrap_or(u128::MAX);
    out["charged_usd"] = Value::String(format_decimal(charged, nd));
    out["warnings"] = json!(rounding_warnings(e, &q, charged, nd, decimals));
    // Each leg paid to a named account also appears at the top level under
    // its own name (LAM: "ecosystem"), as the file names it.
    for (i, leg) in the_split.legs.iter().enumerate() {
        if let LegKind::Account(_) = leg.kind {
            if out.get(&leg.name).is_none() {
                out[&leg.name] = tok(receipt.leg_amounts[i]);
            }
        }
    }
    Ok(out)
}

/// What rounding to the token's base unit did to a quote, when it matters:
/// a charge worth more than 1% over the USD price (a coarse token at a high
/// price), legs with a share that round to nothing, or dust that takes at
/// least half of what was paid.
fn rounding_warnings(
    e: &ValidEconomy,
    q: &furnace_core::quote::ActionQuote,
    charged: u128,
    nd: u8,
    decimals: u8,
) -> Vec<String> {
    let version = e.version(q.version);
    let token = e.asset_name(version.token);
    let mut warnings = Vec::new();
    // charged > value * 1.01, in integers.
    if charged.saturating_mul(100) > q.value.saturating_mul(101) {
        warnings.push(format!(
            "rounding up to the token's base unit (10^-{decimals} {token}) charges {} {token} per action, worth ${} at this price, for an action priced ${}",
            format_decimal(q.tokens_per_action, decimals),
            format_decimal(charged / u128::from(q.actions.max(1)), nd),
            format_decimal(version.price, nd),
        ));
    }
    let the_split = e.split(version.split);
    for (i, leg) in the_split.legs.iter().enumerate() {
        if leg.share.0 > 0 && q.split.leg_amounts[i] == 0 {
            warnings.push(format!(
                "leg `{}` ({}) rounds down to 0 {token}",
                leg.name, leg.share
            ));
        }
    }
    let dust = q.split.amount_of(Role::Dust);
    if dust > 0 && dust.saturating_mul(2) >= q.tokens {
        warnings.push(format!(
            "dust of {} of the {} {token} paid goes to {}, not to the legs",
            format_decimal(dust, decimals),
            format_decimal(q.tokens, decimals),
            e.destination_name(the_split.dust_to)
        ));
    }
    warnings
}

fn engine_error(r: furnace_core::Rejection) -> Failure {
    Failure::Input(r.to_string())
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

/// A subscription plan, both ways of paying for it, from
/// `furnace_core::quote::quote_plan`: what `apply` would do with
/// `Subscribe` and `Buyback`.
fn compute_plan(e: &ValidEconomy, name: &str, price_usd_pico: u128) -> Result<Value, Failure> {
    let plan_id = e.plan_by_name(name).ok_or_else(|| {
        let known: Vec<&str> = e.plans.iter().map(|p| p.name.as_str()).collect();
        Failure::Usage(format!(
            "--plan: no plan `{name}` in {} (plans: {})",
            e.name,
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))
    })?;
    let plan = e.plan(plan_id);
    let version = e.version(plan.version);
    let state = State::genesis(e);
    let decimals = decimals_of(e, &state, plan.token).map_err(engine_error)?;
    let nd = decimals_of(e, &state, e.numeraire).map_err(engine_error)?;
    let price = Price::from_pico(price_usd_pico, nd, decimals);
    let q = quote_plan(e, plan_id, price).map_err(engine_error)?;
    let usd = |v: u128| Value::String(format_decimal(v, nd));
    let tok = |units: u128| Value::String(format_decimal(units, decimals));
    let rule = e.rule(plan.revenue);
    let mut revenue = Map::new();
    for (part, (_, amount)) in rule.parts.iter().zip(q.revenue.parts()) {
        revenue.insert(e.payee_name(part.to), usd(*amount));
    }
    let buybacks: Vec<Value> = q
        .buybacks
        .iter()
        .map(|b| {
            json!({
                "program": e.buybacks[b.program.index()].name,
                "budget_usd": usd(b.budget),
                "tokens": tok(b.tokens),
                "to": e.destination_name(b.destination),
                "actions_funded": b.actions_funded.to_string(),
            })
        })
        .collect();
    Ok(json!({
        "economy": e.name,
        "plan": plan.name,
        "price_usd": usd(plan.price),
        "period_days": plan.period_days,
        "actions_included": plan.actions_included,
        "version": version.name,
        "allowance_value_usd": usd(q.allowance_value),
        "token": e.asset_name(plan.token),
        "token_price_usd": format_decimal(price_usd_pico, PRICE_DECIMALS),
        "pay_in_token": {
            "discount": plan.token_discount.to_string(),
            "usd_equivalent": usd(q.discounted_value),
            "tokens": tok(q.tokens),
            "escrow": e.account_name(plan.escrow),
            // Informative: releases are exact pro rata of the escrow, so a
            // single action may release one base unit more than this.
            "release_per_action": tok(q.release_per_action),
        },
        "pay_in_usd": {
            "usd": usd(plan.price),
            "revenue": revenue,
            "buyback": buybacks.first().cloned().unwrap_or(Value::Null),
            "buybacks": buybacks,
        },
        "rounding": "token payment rounded up to the base unit; revenue parts floored, dust to the first part",
    }))
}

fn print_plan(out: &mut String, q: &Value) {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let token = s(&q["token"]);
    let _ = writeln!(
        out,
        "plan `{}` of {}: ${} per {} days, {} actions of {} (worth ${} at its price per action)",
        s(&q["plan"]),
        s(&q["economy"]),
        s(&q["price_usd"]),
        q["period_days"],
        q["actions_included"],
        s(&q["version"]),
        s(&q["allowance_value_usd"]),
    );
    let t = &q["pay_in_token"];
    let _ = writeln!(
        out,
        "  paid in {token} at ${}: {} {token} (${} after the {} discount), escrowed in {}, released {} {token} per action",
        s(&q["token_price_usd"]),
        s(&t["tokens"]),
        s(&t["usd_equivalent"]),
        s(&t["discount"]),
        s(&t["escrow"]),
        s(&t["release_per_action"]),
    );
    let u = &q["pay_in_usd"];
    let parts: Vec<String> = u["revenue"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("${} -> {k}", s(v)))
        .collect();
    let _ = writeln!(
        out,
        "  paid in USD: ${}: {}",
        s(&u["usd"]),
        parts.join(", ")
    );
    if let Some(b) = u["buyback"].as_object() {
        let _ = writeln!(
            out,
            "    the buyback budget ${} buys {} {token} at ${} -> {}, enough for {} actions",
            s(&b["budget_usd"]),
            s(&b["tokens"]),
            s(&q["token_price_usd"]),
            s(&b["to"]),
            s(&b["actions_funded"]),
        );
    }
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
    for w in q["warnings"].as_array().into_iter().flatten() {
        let _ = writeln!(out, "  warning: {}", w.as_str().unwrap_or_default());
    }
}
