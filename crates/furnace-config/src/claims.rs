//! Claims: figures a seed document asserts, recorded in the economy file as
//! `[[claims]]` and recomputed with the engine's own functions by
//! `furnace check`. A claim either holds or is contradicted, with the
//! numbers that show it. This is how Furnace reports a seed whose figures
//! contradict its own assumptions.
//!
//! Kinds:
//! - `tokens_per_action`: `version`, `token_price_usd` -> `expect_tokens`.
//! - `split`: `version`, `tokens` consumed, optional `creator_epoch` (absent:
//!   no marketplace workflow) -> `expect_burned`, `expect_creator`,
//!   `expect_ecosystem` (any subset; "ecosystem" is the leg of that name).
//! - `subscription_tokens`: `usd`, `token_price_usd` -> `expect_tokens`
//!   (at the economy's token discount).
//! - `version_price`: `version` -> `expect_usd` per action.
//! - `plan_funds_allowance`: `plan`: the plan's price times the revenue
//!   share that funds buybacks must buy the plan's included actions at the
//!   plan version's price.
//! - `product`: `factors` multiplied -> `expect` (plain arithmetic a seed
//!   states, such as agents x actions per agent).

use crate::source::Source;
use crate::values::Number;
use furnace_core::economy::{Destination, Economy};
use furnace_core::engine::{
    buyback_budget_of, split, subscription_tokens, tokens_per_action, Role,
};
use furnace_core::units::{
    format_decimal, mul_div_floor, parse_decimal, pow10, PRICE_DECIMALS, USD_DECIMALS,
};
use serde::Deserialize;
use toml::Spanned;

/// Decimals used for `product` arithmetic.
const PRODUCT_DECIMALS: u8 = 6;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    /// The seed's words.
    pub text: String,
    /// Which seed (file name or short id).
    #[serde(default)]
    pub source: String,
    pub kind: Spanned<String>,
    pub version: Option<String>,
    pub plan: Option<String>,
    pub token_price_usd: Option<Number>,
    pub tokens: Option<Number>,
    pub usd: Option<Number>,
    pub creator_epoch: Option<u32>,
    pub factors: Option<Vec<Number>>,
    pub expect: Option<Number>,
    pub expect_tokens: Option<Number>,
    pub expect_usd: Option<Number>,
    pub expect_burned: Option<Number>,
    pub expect_creator: Option<Number>,
    pub expect_ecosystem: Option<Number>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Holds,
    Contradicted,
    /// The claim itself is malformed (unknown version, missing field...).
    Invalid,
}

#[derive(Clone, Debug)]
pub struct ClaimOutcome {
    pub text: String,
    pub source: String,
    pub kind: String,
    /// 1-based line of the claim's `kind` in the economy file.
    pub line: usize,
    pub verdict: Verdict,
    /// What was computed, in words and numbers.
    pub detail: String,
}

/// Recompute every claim against the compiled economy.
pub fn evaluate(economy: &Economy, source: &Source, claims: &[RawClaim]) -> Vec<ClaimOutcome> {
    claims
        .iter()
        .map(|c| {
            let (verdict, detail) = match evaluate_one(economy, c) {
                Ok((true, d)) => (Verdict::Holds, d),
                Ok((false, d)) => (Verdict::Contradicted, d),
                Err(d) => (Verdict::Invalid, d),
            };
            ClaimOutcome {
                text: c.text.clone(),
                source: c.source.clone(),
                kind: c.kind.get_ref().clone(),
                line: source.line_col(c.kind.span().start).0,
                verdict,
                detail,
            }
        })
        .collect()
}

fn need_name<'a>(v: &'a Option<String>, key: &str) -> Result<&'a str, String> {
    v.as_deref()
        .ok_or_else(|| format!("this kind of claim needs `{key}`"))
}

fn need(v: &Option<Number>, key: &str) -> Result<String, String> {
    v.as_ref()
        .map(Number::text)
        .ok_or_else(|| format!("this kind of claim needs `{key}`"))
}

fn dec(text: &str, decimals: u8, key: &str) -> Result<u128, String> {
    parse_decimal(text, decimals).map_err(|e| format!("`{key}` = `{text}`: {e}"))
}

/// Compare a computed amount to a claimed one; returns (holds, "key: computed (claimed X)").
fn compare(key: &str, computed: u128, claimed: u128, decimals: u8) -> (bool, String) {
    let sep = if key == "$" { "" } else { " " };
    let c = format_decimal(computed, decimals);
    if computed == claimed {
        (true, format!("{key}{sep}{c}"))
    } else {
        (
            false,
            format!(
                "{key}{sep}{c}, not {key}{sep}{} as claimed",
                format_decimal(claimed, decimals)
            ),
        )
    }
}

fn evaluate_one(e: &Economy, c: &RawClaim) -> Result<(bool, String), String> {
    let version = |c: &RawClaim| -> Result<_, String> {
        let name = need_name(&c.version, "version")?;
        e.version_by_name(name)
            .map(|v| e.version(v))
            .ok_or_else(|| format!("no version `{name}`"))
    };
    match c.kind.get_ref().as_str() {
        "tokens_per_action" => {
            let v = version(c)?;
            let decimals = e.asset(v.token).decimals;
            let price = dec(&need(&c.token_price_usd, "token_price_usd")?, PRICE_DECIMALS, "token_price_usd")?;
            let expected = dec(&need(&c.expect_tokens, "expect_tokens")?, decimals, "expect_tokens")?;
            let rate = tokens_per_action(v.price_usd_micros, decimals, price).map_err(|r| r.to_string())?;
            let (ok, d) = compare("tokens per action", rate, expected, decimals);
            Ok((
                ok,
                format!(
                    "{} at ${}/action and ${}/token: {d}",
                    v.name,
                    format_decimal(v.price_usd_micros, USD_DECIMALS),
                    format_decimal(price, PRICE_DECIMALS)
                ),
            ))
        }
        "split" => {
            let v = version(c)?;
            let decimals = e.asset(v.token).decimals;
            let total = dec(&need(&c.tokens, "tokens")?, decimals, "tokens")?;
            let s = e.split(v.split);
            // A stand-in creator id: the split does not look accounts up.
            let creator = c
                .creator_epoch
                .map(|epoch| (furnace_core::AccountId(u32::MAX), epoch));
            let receipt = split(s, total, creator, None).map_err(|r| r.to_string())?;
            let ecosystem = s
                .legs
                .iter()
                .position(|l| l.name == "ecosystem")
                .map_or(0, |i| receipt.leg_amounts[i]);
            let mut all_ok = true;
            let mut parts = Vec::new();
            for (key, claimed, computed) in [
                ("burned", &c.expect_burned, receipt.burned()),
                ("creator", &c.expect_creator, receipt.amount_of(Role::CreatorPaid)),
                ("ecosystem", &c.expect_ecosystem, ecosystem),
            ] {
                if let Some(text) = claimed {
                    let (ok, d) = compare(key, computed, dec(&text.text(), decimals, key)?, decimals);
                    all_ok &= ok;
                    parts.push(d);
                }
            }
            if parts.is_empty() {
                return Err("a split claim needs expect_burned, expect_creator or expect_ecosystem".into());
            }
            Ok((
                all_ok,
                format!(
                    "{} tokens{}: {}",
                    format_decimal(total, decimals),
                    c.creator_epoch
                        .map_or(" (no marketplace)".to_string(), |ep| format!(" (creator epoch {ep})")),
                    parts.join(", ")
                ),
            ))
        }
        "subscription_tokens" => {
            let sub = e
                .subscriptions
                .as_ref()
                .ok_or("the economy has no [subscriptions]")?;
            let decimals = e.asset(sub.token).decimals;
            let usd = dec(&need(&c.usd, "usd")?, USD_DECIMALS, "usd")?;
            let price = dec(&need(&c.token_price_usd, "token_price_usd")?, PRICE_DECIMALS, "token_price_usd")?;
            let expected = dec(&need(&c.expect_tokens, "expect_tokens")?, decimals, "expect_tokens")?;
            let tokens = subscription_tokens(usd, sub.token_discount, decimals, price)
                .map_err(|r| r.to_string())?;
            let (ok, d) = compare("tokens", tokens, expected, decimals);
            Ok((
                ok,
                format!(
                    "${} at {} discount and ${}/token: {d}",
                    format_decimal(usd, USD_DECIMALS),
                    sub.token_discount,
                    format_decimal(price, PRICE_DECIMALS)
                ),
            ))
        }
        "version_price" => {
            let v = version(c)?;
            let expected = dec(&need(&c.expect_usd, "expect_usd")?, USD_DECIMALS, "expect_usd")?;
            let (ok, d) = compare("$", v.price_usd_micros, expected, USD_DECIMALS);
            Ok((ok, format!("{} per action in this economy: {d}", v.name)))
        }
        "plan_funds_allowance" => {
            let name = need_name(&c.plan, "plan")?;
            let plan = e
                .plan_by_name(name)
                .map(|p| e.plan(p))
                .ok_or_else(|| format!("no plan `{name}`"))?;
            let budget = buyback_budget_of(e, plan.price_usd_micros)
                .map_err(|r| r.to_string())?
                .ok_or("the economy needs both [subscriptions] and [buyback]")?;
            let v = e.version(plan.version);
            let needed = v.price_usd_micros * plan.actions_included as u128;
            let ok = budget >= needed;
            let break_even_price = budget / plan.actions_included as u128;
            let to = match e.buyback.as_ref().map(|b| b.destination) {
                Some(Destination::Burn) => "burned",
                _ => "stocked to fund actions",
            };
            Ok((
                ok,
                format!(
                    "plan `{}`: ${} per {} days, of which ${} buys tokens ({to}); its {} included actions of {} at ${} cost ${}{}",
                    plan.name,
                    format_decimal(plan.price_usd_micros, USD_DECIMALS),
                    plan.period_days,
                    format_decimal(budget, USD_DECIMALS),
                    plan.actions_included,
                    v.name,
                    format_decimal(v.price_usd_micros, USD_DECIMALS),
                    format_decimal(needed, USD_DECIMALS),
                    if ok {
                        String::new()
                    } else {
                        format!(
                            ": the budget covers {} actions; it would balance at ${} per action or less",
                            budget / v.price_usd_micros,
                            format_decimal(break_even_price, USD_DECIMALS)
                        )
                    }
                ),
            ))
        }
        "product" => {
            let factors = c.factors.as_ref().ok_or("a product claim needs `factors`")?;
            if factors.is_empty() {
                return Err("`factors` is empty".into());
            }
            let scale = pow10(PRODUCT_DECIMALS);
            let mut product = scale;
            let mut shown = Vec::new();
            for f in factors {
                let v = dec(&f.text(), PRODUCT_DECIMALS, "factors")?;
                shown.push(format_decimal(v, PRODUCT_DECIMALS));
                product = mul_div_floor(product, v, scale).ok_or("the product overflows")?;
            }
            let expected = dec(&need(&c.expect, "expect")?, PRODUCT_DECIMALS, "expect")?;
            let (ok, d) = compare("=", product, expected, PRODUCT_DECIMALS);
            let ratio = if expected > 0 && !ok {
                format!(" ({:.2}x the claim)", product as f64 / expected as f64)
            } else {
                String::new()
            };
            Ok((ok, format!("{} {d}{ratio}", shown.join(" x "))))
        }
        other => Err(format!(
            "unknown claim kind `{other}` (tokens_per_action, split, subscription_tokens, version_price, plan_funds_allowance, product)"
        )),
    }
}
