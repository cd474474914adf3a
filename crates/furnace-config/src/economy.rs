//! Economy files (`economies/*.toml`) -> [`furnace_core::Economy`].
//!
//! Two stages: serde reads the TOML into `Raw*` structs that keep every
//! value's span; `compile` resolves names to dense ids and converts numbers
//! exactly, collecting every error with its file, line and key. Finally the
//! core's own [`Economy::validate`] runs, and its errors are mapped back to
//! the key's line.

use crate::claims::RawClaim;
use crate::source::{ConfigError, ConfigErrors, Source};
use crate::values::{amount, share, Number};
use furnace_core::economy::{
    AccountId, AccountSpec, AssetId, AssetKind, AssetSpec, BuybackSpec, ConsumptionSplit,
    Destination, Economy, Leg, LegKind, PlanSpec, RevenueSplit, SplitId, SubscriptionSpec,
    VersionSpec,
};
use furnace_core::units::{Ppm, MAX_DECIMALS, USD_DECIMALS};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The reserved asset name of US dollars.
pub const USD: &str = "USD";
/// The reserved destination name that destroys tokens.
pub const BURN: &str = "burn";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEconomy {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sources: Vec<String>,
    tokens: BTreeMap<String, Spanned<RawToken>>,
    #[serde(default)]
    accounts: BTreeMap<String, RawAccount>,
    #[serde(default)]
    market: Option<Spanned<String>>,
    #[serde(default)]
    genesis: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<Number>>>,
    #[serde(default)]
    versions: BTreeMap<Spanned<String>, RawVersion>,
    #[serde(default)]
    splits: BTreeMap<Spanned<String>, RawSplit>,
    #[serde(default)]
    subscriptions: Option<RawSubscriptions>,
    #[serde(default)]
    buyback: Option<RawBuyback>,
    /// Figures the seed documents assert, recomputed by `furnace check`.
    #[serde(default)]
    claims: Vec<RawClaim>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawToken {
    #[serde(default = "default_decimals")]
    decimals: u8,
    /// What the token is for (documentation only).
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
}

fn default_decimals() -> u8 {
    18
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccount {
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    token: Spanned<String>,
    price_usd: Spanned<Number>,
    split: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeg {
    name: Spanned<String>,
    /// "burn", "creator", "trainers" or an account name.
    to: Spanned<String>,
    share: Spanned<Number>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSplit {
    legs: Spanned<Vec<RawLeg>>,
    #[serde(default)]
    creator_epochs: Vec<Spanned<Number>>,
    creator_shortfall_to: Option<Spanned<String>>,
    no_marketplace_to: Option<Spanned<String>>,
    no_trainers_to: Option<Spanned<String>>,
    dust_to: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRevenuePart {
    to: Spanned<String>,
    share: Spanned<Number>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    price_usd: Spanned<Number>,
    actions_included: Spanned<u64>,
    #[serde(default = "default_period")]
    period_days: Spanned<u32>,
    version: Spanned<String>,
}

fn default_period() -> Spanned<u32> {
    Spanned::new(0..0, 30)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubscriptions {
    token: Spanned<String>,
    token_discount: Spanned<Number>,
    escrow: Spanned<String>,
    revenue: Spanned<Vec<RawRevenuePart>>,
    #[serde(default)]
    plans: BTreeMap<Spanned<String>, RawPlan>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuyback {
    token: Spanned<String>,
    budget: Spanned<String>,
    destination: Spanned<String>,
}

/// An economy file, compiled, with what `furnace check` needs besides.
#[derive(Clone, Debug)]
pub struct LoadedEconomy {
    pub economy: Economy,
    pub description: String,
    pub sources: Vec<String>,
    /// The `[[claims]]` of the file; see [`crate::claims`].
    pub claims: Vec<RawClaim>,
    pub source: Source,
}

/// Parse TOML with serde, mapping its error to file:line.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    source: &Source,
) -> Result<T, ConfigErrors> {
    toml::from_str::<T>(&source.text).map_err(|e| {
        let message = e.message().to_string();
        ConfigErrors::one(source.error(e.span(), "", message))
    })
}

/// Read and compile an economy file.
pub fn load_economy(path: &std::path::Path) -> Result<LoadedEconomy, ConfigErrors> {
    compile_economy(Source::read(path)?)
}

struct Names<'a> {
    source: &'a Source,
    accounts: BTreeMap<String, AccountId>,
    assets: BTreeMap<String, AssetId>,
    errors: Vec<ConfigError>,
}

impl Names<'_> {
    fn err(&mut self, span: Option<std::ops::Range<usize>>, key: &str, message: String) {
        self.errors.push(self.source.error(span, key, message));
    }

    fn account(&mut self, key: &str, name: &Spanned<String>) -> AccountId {
        match self.accounts.get(name.get_ref()) {
            Some(id) => *id,
            None => {
                let known: Vec<&str> = self.accounts.keys().map(String::as_str).collect();
                let hint = if known.is_empty() {
                    "the file declares no [accounts]".to_string()
                } else {
                    format!("accounts: {}", known.join(", "))
                };
                self.err(
                    Some(name.span()),
                    key,
                    format!("no account named `{}` ({hint})", name.get_ref()),
                );
                AccountId(0)
            }
        }
    }

    fn destination(&mut self, key: &str, name: &Spanned<String>) -> Destination {
        if name.get_ref() == BURN {
            Destination::Burn
        } else {
            Destination::Account(self.account(key, name))
        }
    }

    fn token(&mut self, key: &str, name: &Spanned<String>) -> AssetId {
        match self.assets.get(name.get_ref()) {
            Some(id) if name.get_ref() != USD => *id,
            _ => {
                let known: Vec<&str> = self
                    .assets
                    .keys()
                    .filter(|k| *k != USD)
                    .map(String::as_str)
                    .collect();
                self.err(
                    Some(name.span()),
                    key,
                    format!(
                        "no token named `{}` (tokens: {})",
                        name.get_ref(),
                        known.join(", ")
                    ),
                );
                AssetId(0)
            }
        }
    }
}

/// Compile an economy from its source text.
pub fn compile_economy(source: Source) -> Result<LoadedEconomy, ConfigErrors> {
    let raw: RawEconomy = parse_toml(&source)?;
    let mut names = Names {
        source: &source,
        accounts: BTreeMap::new(),
        assets: BTreeMap::new(),
        errors: Vec::new(),
    };

    // Assets: tokens in name order, then USD.
    let mut assets = Vec::new();
    for (name, token) in &raw.tokens {
        let key = format!("tokens.{name}");
        if name == USD || name == BURN {
            names.err(
                Some(token.span()),
                &key,
                format!("`{name}` is a reserved name"),
            );
        }
        if token.get_ref().decimals > MAX_DECIMALS {
            names.err(
                Some(token.span()),
                &format!("{key}.decimals"),
                format!("at most {MAX_DECIMALS} decimals"),
            );
        }
        names
            .assets
            .insert(name.clone(), AssetId(assets.len() as u16));
        assets.push(AssetSpec {
            name: name.clone(),
            kind: AssetKind::Token,
            decimals: token.get_ref().decimals.min(MAX_DECIMALS),
        });
    }
    if raw.tokens.is_empty() {
        names.err(None, "tokens", "an economy needs at least one token".into());
    }
    let usd = AssetId(assets.len() as u16);
    names.assets.insert(USD.into(), usd);
    assets.push(AssetSpec {
        name: USD.into(),
        kind: AssetKind::Usd,
        decimals: USD_DECIMALS,
    });

    let mut accounts = Vec::new();
    for (name, account) in &raw.accounts {
        if name == BURN || name == "creator" || name == "trainers" {
            names.err(
                None,
                &format!("accounts.{name}"),
                format!("`{name}` is a reserved destination name"),
            );
        }
        names
            .accounts
            .insert(name.clone(), AccountId(accounts.len() as u32));
        accounts.push(AccountSpec {
            name: name.clone(),
            description: account.description.clone(),
        });
    }

    let market = raw.market.as_ref().map(|m| names.account("market", m));

    let mut genesis = Vec::new();
    for (account, holdings) in &raw.genesis {
        let key = format!("genesis.{}", account.get_ref());
        let account_id = names.account(&key, account);
        for (asset, value) in holdings {
            let key = format!("{key}.{}", asset.get_ref());
            let Some(&asset_id) = names.assets.get(asset.get_ref()) else {
                names.err(
                    Some(asset.span()),
                    &key,
                    format!("no asset named `{}`", asset.get_ref()),
                );
                continue;
            };
            let decimals = assets[asset_id.index()].decimals;
            match amount(&source, &key, value, decimals) {
                Ok(units) => genesis.push((asset_id, account_id, units)),
                Err(e) => names.errors.push(e),
            }
        }
    }

    let split_ids: BTreeMap<String, SplitId> = raw
        .splits
        .keys()
        .enumerate()
        .map(|(i, k)| (k.get_ref().clone(), SplitId(i as u16)))
        .collect();
    let mut splits = Vec::new();
    for (name, s) in &raw.splits {
        let key = format!("splits.{}", name.get_ref());
        let mut legs = Vec::new();
        for (i, leg) in s.legs.get_ref().iter().enumerate() {
            let leg_key = format!("{key}.legs[{i}]");
            let kind = match leg.to.get_ref().as_str() {
                BURN => LegKind::Burn,
                "creator" => LegKind::Creator,
                "trainers" => LegKind::Trainers,
                _ => LegKind::Account(names.account(&format!("{leg_key}.to"), &leg.to)),
            };
            let share =
                share(&source, &format!("{leg_key}.share"), &leg.share).unwrap_or_else(|e| {
                    names.errors.push(e);
                    Ppm::ZERO
                });
            legs.push(Leg {
                name: leg.name.get_ref().clone(),
                kind,
                share,
            });
        }
        let mut creator_epochs = Vec::new();
        for (i, e) in s.creator_epochs.iter().enumerate() {
            match share(&source, &format!("{key}.creator_epochs[{i}]"), e) {
                Ok(p) => creator_epochs.push(p),
                Err(e) => names.errors.push(e),
            }
        }
        let has = |kind: LegKind| legs.iter().any(|l: &Leg| l.kind == kind);
        let has_creator = has(LegKind::Creator);
        let has_trainers = has(LegKind::Trainers);
        let mut route = |field: &str, value: &Option<Spanned<String>>, needed: bool| match value {
            Some(v) => names.destination(&format!("{key}.{field}"), v),
            None => {
                if needed {
                    names.err(
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
        let dust_to = names.destination(&format!("{key}.dust_to"), &s.dust_to);
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

    let version_ids: BTreeMap<String, furnace_core::VersionId> = raw
        .versions
        .keys()
        .enumerate()
        .map(|(i, k)| (k.get_ref().clone(), furnace_core::VersionId(i as u16)))
        .collect();
    let mut versions = Vec::new();
    for (name, v) in &raw.versions {
        let key = format!("versions.{}", name.get_ref());
        let token = names.token(&format!("{key}.token"), &v.token);
        let price_usd_micros = amount(
            &source,
            &format!("{key}.price_usd"),
            &v.price_usd,
            USD_DECIMALS,
        )
        .unwrap_or_else(|e| {
            names.errors.push(e);
            1
        });
        let split = match split_ids.get(v.split.get_ref()) {
            Some(id) => *id,
            None => {
                names.err(
                    Some(v.split.span()),
                    &format!("{key}.split"),
                    format!("no split named `{}`", v.split.get_ref()),
                );
                SplitId(0)
            }
        };
        versions.push(VersionSpec {
            name: name.get_ref().clone(),
            token,
            price_usd_micros,
            split,
        });
    }
    if raw.versions.is_empty() {
        names.err(
            None,
            "versions",
            "an economy needs at least one model version".into(),
        );
    }

    let mut plans = Vec::new();
    let subscriptions = raw.subscriptions.as_ref().map(|s| {
        let token = names.token("subscriptions.token", &s.token);
        let token_discount = share(&source, "subscriptions.token_discount", &s.token_discount)
            .unwrap_or_else(|e| {
                names.errors.push(e);
                Ppm::ZERO
            });
        let escrow = names.account("subscriptions.escrow", &s.escrow);
        let mut parts = Vec::new();
        for (i, p) in s.revenue.get_ref().iter().enumerate() {
            let key = format!("subscriptions.revenue[{i}]");
            let account = names.account(&format!("{key}.to"), &p.to);
            match share(&source, &format!("{key}.share"), &p.share) {
                Ok(sh) => parts.push((account, sh)),
                Err(e) => names.errors.push(e),
            }
        }
        for (name, p) in &s.plans {
            let key = format!("subscriptions.plans.{}", name.get_ref());
            let price_usd_micros = amount(
                &source,
                &format!("{key}.price_usd"),
                &p.price_usd,
                USD_DECIMALS,
            )
            .unwrap_or_else(|e| {
                names.errors.push(e);
                1
            });
            let version = match version_ids.get(p.version.get_ref()) {
                Some(v) => *v,
                None => {
                    names.err(
                        Some(p.version.span()),
                        &format!("{key}.version"),
                        format!("no version named `{}`", p.version.get_ref()),
                    );
                    furnace_core::VersionId(0)
                }
            };
            plans.push(PlanSpec {
                name: name.get_ref().clone(),
                price_usd_micros,
                actions_included: *p.actions_included.get_ref(),
                period_days: *p.period_days.get_ref(),
                version,
            });
        }
        SubscriptionSpec {
            token_discount,
            token,
            escrow,
            revenue: RevenueSplit { parts },
        }
    });

    let buyback = raw.buyback.as_ref().map(|b| BuybackSpec {
        token: names.token("buyback.token", &b.token),
        budget: names.account("buyback.budget", &b.budget),
        destination: names.destination("buyback.destination", &b.destination),
    });

    let economy = Economy {
        name: raw.name.get_ref().clone(),
        assets,
        usd,
        accounts,
        genesis,
        versions,
        splits,
        plans,
        subscriptions,
        buyback,
        market,
    };
    let mut errors = names.errors;
    if errors.is_empty() {
        for e in economy.validate() {
            let span = span_of_key(&raw, &e.path);
            errors.push(source.error(span, &e.path, e.message));
        }
    }
    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
    }
    Ok(LoadedEconomy {
        economy,
        description: raw.description,
        sources: raw.sources,
        claims: raw.claims,
        source,
    })
}

/// The span of the value a core validation path names, best effort: the
/// core speaks in keys ("splits.action.legs"), the user wants a line.
fn span_of_key(raw: &RawEconomy, path: &str) -> Option<std::ops::Range<usize>> {
    let parts: Vec<&str> = path.split('.').collect();
    let find = |map: &dyn Fn(&str) -> Option<std::ops::Range<usize>>| {
        parts.get(1).and_then(|name| map(name))
    };
    match parts.first().copied() {
        Some("splits") => find(&|name| {
            raw.splits
                .iter()
                .find(|(k, _)| k.get_ref() == name)
                .map(|(k, s)| {
                    let field = parts.get(2).copied().unwrap_or("");
                    if field.starts_with("creator_epochs") {
                        let i: usize = field
                            .trim_start_matches("creator_epochs[")
                            .trim_end_matches(']')
                            .parse()
                            .unwrap_or(0);
                        s.creator_epochs
                            .get(i)
                            .map_or_else(|| k.span(), |e| e.span())
                    } else if field == "legs" {
                        s.legs.span()
                    } else {
                        k.span()
                    }
                })
        }),
        Some("versions") => find(&|name| {
            raw.versions
                .iter()
                .find(|(k, _)| k.get_ref() == name)
                .map(|(k, v)| match parts.get(2).copied() {
                    Some("price_usd") => v.price_usd.span(),
                    _ => k.span(),
                })
        }),
        Some("subscriptions") => raw
            .subscriptions
            .as_ref()
            .map(|s| match parts.get(1).copied() {
                Some("plans") => parts
                    .get(2)
                    .and_then(|name| s.plans.iter().find(|(k, _)| k.get_ref() == *name))
                    .map_or_else(
                        || s.revenue.span(),
                        |(k, p)| match parts.get(3).copied() {
                            Some("version") => p.version.span(),
                            Some("price_usd") => p.price_usd.span(),
                            Some("actions_included") => p.actions_included.span(),
                            Some("period_days") => p.period_days.span(),
                            _ => k.span(),
                        },
                    ),
                Some("token_discount") => s.token_discount.span(),
                _ => s.revenue.span(),
            }),
        Some("buyback") => raw.buyback.as_ref().map(|b| b.token.span()),
        Some("market") => raw.market.as_ref().map(|m| m.span()),
        _ => Some(raw.name.span()),
    }
}
