//! Resolving names to ids and text to exact numbers, collecting every error
//! (one pass reports them all) and recording the span of every key read.
//!
//! A name that does not resolve records an error and yields a placeholder
//! id: the compiled economy is then never validated nor returned, so the
//! placeholder cannot reach the engine.

use super::spans::Spans;
use super::MAX_PRICE_USD;
use crate::source::{ConfigError, Source};
use crate::values::{amount, share, Number};
use furnace_core::economy::{Destination, Payee};
use furnace_core::ids::{AccountId, AssetId, MarketId, RewardPoolId, RuleId, SplitId, VersionId};
use furnace_core::units::{format_decimal, pow10, Ppm, PPM_ONE};
use indexmap::IndexMap;
use std::ops::Range;
use toml::Spanned;

/// The destination word that destroys tokens.
pub const BURN: &str = "burn";
/// The split leg word for the marketplace workflow's creator.
pub const CREATOR: &str = "creator";
/// The split leg word for the trainers of the action path used.
pub const TRAINERS: &str = "trainers";
/// The revenue payee word for money paid out of the economy (a cost).
pub const PAY_OUT: &str = "pay_out";
/// Words with a meaning of their own where accounts are named: no account
/// may take them.
pub const RESERVED: [&str; 4] = [BURN, CREATOR, TRAINERS, PAY_OUT];

/// The errors and spans of one compilation.
pub(crate) struct Ctx<'a> {
    pub source: &'a Source,
    /// What does not resolve or convert: the economy then holds
    /// placeholders, and the core's rules are not checked.
    pub errors: Vec<ConfigError>,
    /// Rules of the core checked here too (share sums, creator epochs), on
    /// values that did convert: reported with everything else.
    pub rules: Vec<ConfigError>,
    pub spans: Spans,
}

impl<'a> Ctx<'a> {
    pub fn new(source: &'a Source) -> Ctx<'a> {
        Ctx {
            source,
            errors: Vec::new(),
            rules: Vec::new(),
            spans: Spans::default(),
        }
    }

    pub fn err(&mut self, span: Option<Range<usize>>, key: &str, message: String) {
        self.errors.push(self.source.error(span, key, message));
    }

    /// Record where `key` is written.
    pub fn at<T>(&mut self, key: &str, value: &Spanned<T>) {
        self.spans.record(key, value.span());
    }

    /// An exact amount in `10^-decimals` units; `None` (error recorded) if
    /// the text is not one.
    pub fn amount(&mut self, key: &str, value: &Spanned<Number>, decimals: u8) -> Option<u128> {
        self.at(key, value);
        amount(self.source, key, value, decimals)
            .map_err(|e| self.errors.push(e))
            .ok()
    }

    /// An amount of at most `max` base units of `unit` (with `decimals`);
    /// `None` (error recorded) if it is not one.
    pub fn amount_at_most(
        &mut self,
        key: &str,
        value: &Spanned<Number>,
        decimals: u8,
        max: u128,
        unit: &str,
    ) -> Option<u128> {
        let units = self.amount(key, value, decimals)?;
        if units <= max {
            return Some(units);
        }
        let whole = format_decimal(max, decimals);
        let written = value.get_ref().text();
        let message = if decimals == 0 {
            format!("must be at most {whole} {unit}, found {written}")
        } else {
            let max = crate::values::power_of_ten(max);
            format!(
                "must be at most {whole} {unit} ({max} base units at {decimals} decimals), found {written}"
            )
        };
        self.err(Some(value.span()), key, message);
        None
    }

    /// A percentage share; `None` (error recorded) if the text is not one.
    pub fn share_or_none(&mut self, key: &str, value: &Spanned<Number>) -> Option<Ppm> {
        self.at(key, value);
        share(self.source, key, value)
            .map_err(|e| self.errors.push(e))
            .ok()
    }

    /// A percentage share; zero (error recorded) if the text is not one.
    pub fn share(&mut self, key: &str, value: &Spanned<Number>) -> Ppm {
        self.share_or_none(key, value).unwrap_or(Ppm::ZERO)
    }

    /// Shares that must sum to exactly 100%, named for the message: the
    /// core's rule, checked here too so that it is reported with every
    /// other problem of the file (the core validates only a clean
    /// compile). `None` among them: a share did not parse (reported), so
    /// the sum means nothing.
    pub fn shares_sum(&mut self, key: &str, what: &str, shares: &[(&str, Option<Ppm>)]) {
        let Some(values) = shares.iter().map(|(_, s)| *s).collect::<Option<Vec<Ppm>>>() else {
            return;
        };
        let sum: u64 = values.iter().map(|s| u64::from(s.0)).sum();
        if sum == u64::from(PPM_ONE) {
            return;
        }
        let shown = Ppm(u32::try_from(sum).unwrap_or(u32::MAX));
        let listing: Vec<String> = shares
            .iter()
            .zip(&values)
            .map(|((name, _), s)| format!("{name} {s}"))
            .collect();
        let span = self.spans.get(key);
        let message = format!(
            "{what} must sum to exactly 100%, they sum to {shown} ({})",
            listing.join(" + ")
        );
        self.rules.push(self.source.error(span, key, message));
    }
}

/// One section's names in declaration order, and their ids.
pub(crate) struct Table<I> {
    /// "account", "market"...
    noun: &'static str,
    /// How the hint names the section: "accounts", "markets"...
    plural: &'static str,
    ids: IndexMap<String, I>,
    /// What an unresolved name yields.
    placeholder: I,
}

impl<I: Copy> Table<I> {
    /// Number `names` in order with `id` (None: past the id type's range,
    /// an error at `section.name`).
    pub fn new<'n>(
        cx: &mut Ctx,
        (noun, plural): (&'static str, &'static str),
        names: impl Iterator<Item = &'n Spanned<String>>,
        id: impl Fn(usize) -> Option<I>,
        placeholder: I,
    ) -> Table<I> {
        let mut ids = IndexMap::new();
        for (i, name) in names.enumerate() {
            if i == 0 {
                // The section as a whole (`accounts`: too many) is
                // reported at its first entry.
                cx.at(plural, name);
            }
            let key = format!("{plural}.{}", name.get_ref());
            cx.at(&key, name);
            match id(i) {
                Some(id) => {
                    ids.insert(name.get_ref().clone(), id);
                }
                None => cx.err(
                    Some(name.span()),
                    &key,
                    format!(
                        "too many {plural}: `{}` is number {}",
                        name.get_ref(),
                        i + 1
                    ),
                ),
            }
        }
        Table {
            noun,
            plural,
            ids,
            placeholder,
        }
    }

    pub fn get(&self, name: &str) -> Option<I> {
        self.ids.get(name).copied()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.ids.keys().map(String::as_str)
    }

    fn hint(&self) -> String {
        if self.ids.is_empty() {
            format!("the file declares no [{}]", self.plural)
        } else {
            format!(
                "{}: {}",
                self.plural,
                self.names().collect::<Vec<_>>().join(", ")
            )
        }
    }

    /// The id of `name`, or an error at `key` listing the names that exist.
    pub fn resolve(&self, cx: &mut Ctx, key: &str, name: &Spanned<String>) -> I {
        cx.at(key, name);
        match self.get(name.get_ref()) {
            Some(id) => id,
            None => {
                let message = format!(
                    "no {} named `{}` ({})",
                    self.noun,
                    name.get_ref(),
                    self.hint()
                );
                cx.err(Some(name.span()), key, message);
                self.placeholder
            }
        }
    }
}

/// The names an economy declares: the tables that other sections refer to.
pub(crate) struct Names {
    pub assets: Table<AssetId>,
    pub decimals: Vec<u8>,
    /// None until resolved (or if `numeraire` names no declared asset).
    pub numeraire: Option<AssetId>,
    pub accounts: Table<AccountId>,
    pub markets: Table<MarketId>,
    pub versions: Table<VersionId>,
    pub splits: Table<SplitId>,
    pub rules: Table<RuleId>,
    /// Reward pools, which split legs, revenue parts and destinations may
    /// name where an account could stand (names distinct from accounts).
    pub pools: Table<RewardPoolId>,
}

impl Names {
    /// Decimals of a declared asset (18 for a placeholder: amounts of an
    /// unresolved asset are then never refused as too precise).
    pub fn decimals(&self, asset: AssetId) -> u8 {
        usize::try_from(asset.0)
            .ok()
            .and_then(|i| self.decimals.get(i))
            .copied()
            .unwrap_or(furnace_core::units::MAX_DECIMALS)
    }

    /// Decimals of the numeraire, in which every `price_usd` is written.
    pub fn numeraire_decimals(&self) -> u8 {
        self.numeraire
            .map_or(furnace_core::units::MAX_DECIMALS, |n| self.decimals(n))
    }

    /// A `price_usd`: an amount of the numeraire, at most
    /// [`MAX_PRICE_USD`] whole units; 1 (error recorded) if not one.
    pub fn price(&self, cx: &mut Ctx, key: &str, value: &Spanned<Number>) -> u128 {
        let decimals = self.numeraire_decimals();
        let unit = self
            .numeraire
            .and_then(|n| usize::try_from(n.0).ok())
            .and_then(|i| self.assets.names().nth(i))
            .unwrap_or("");
        let max = MAX_PRICE_USD * pow10(decimals);
        cx.amount_at_most(key, value, decimals, max, unit)
            .unwrap_or(1)
    }

    pub fn asset(&self, cx: &mut Ctx, key: &str, name: &Spanned<String>) -> AssetId {
        self.assets.resolve(cx, key, name)
    }

    /// A declared asset other than the numeraire.
    pub fn token(&self, cx: &mut Ctx, key: &str, name: &Spanned<String>) -> AssetId {
        let id = self.asset(cx, key, name);
        if self.assets.get(name.get_ref()).is_some() && Some(id) == self.numeraire {
            let tokens: Vec<&str> = self
                .assets
                .names()
                .filter(|n| *n != name.get_ref())
                .collect();
            cx.err(
                Some(name.span()),
                key,
                format!(
                    "`{}` is the numeraire, not a token (tokens: {})",
                    name.get_ref(),
                    tokens.join(", ")
                ),
            );
        }
        id
    }

    pub fn account(&self, cx: &mut Ctx, key: &str, name: &Spanned<String>) -> AccountId {
        if RESERVED.contains(&name.get_ref().as_str()) {
            cx.at(key, name);
            cx.err(
                Some(name.span()),
                key,
                format!(
                    "`{}` is a reserved word, not an account here",
                    name.get_ref()
                ),
            );
            return self.accounts.placeholder;
        }
        self.accounts.resolve(cx, key, name)
    }

    /// A reward pool named `name`, if one is declared (recording where).
    pub fn pool(&self, cx: &mut Ctx, key: &str, name: &Spanned<String>) -> Option<RewardPoolId> {
        let id = self.pools.get(name.get_ref())?;
        cx.at(key, name);
        Some(id)
    }

    /// `burn`, a reward pool or an account.
    pub fn destination(&self, cx: &mut Ctx, key: &str, name: &Spanned<String>) -> Destination {
        if name.get_ref() == BURN {
            cx.at(key, name);
            Destination::Burn
        } else if let Some(pool) = self.pool(cx, key, name) {
            Destination::RewardPool(pool)
        } else {
            Destination::Account(self.account(cx, key, name))
        }
    }

    /// A reward pool or an account (where burning makes no sense).
    pub fn holder(&self, cx: &mut Ctx, key: &str, name: &Spanned<String>) -> Destination {
        match self.pool(cx, key, name) {
            Some(pool) => Destination::RewardPool(pool),
            None => Destination::Account(self.account(cx, key, name)),
        }
    }

    /// `pay_out`, a reward pool or an account.
    pub fn payee(&self, cx: &mut Ctx, key: &str, name: &Spanned<String>) -> Payee {
        if name.get_ref() == PAY_OUT {
            cx.at(key, name);
            Payee::PayOut
        } else if let Some(pool) = self.pool(cx, key, name) {
            Payee::RewardPool(pool)
        } else {
            Payee::Account(self.account(cx, key, name))
        }
    }
}
