//! [`Economy::validate`]: every rule an economy must keep before events are
//! applied with it. Each error names the key a file would spell
//! (`splits.action.legs`) so `furnace-config` can point at its line.
//!
//! What validation guarantees `apply` (so the engine need not re-check):
//! - ids inside the economy index their tables (versions -> splits, plans ->
//!   versions and rules, venues -> markets, oracles -> pools...);
//! - shares of every split, revenue rule and venue list sum to exactly 100%,
//!   within the fixed bounds (`MAX_LEGS`, `MAX_REVENUE_PARTS`, `MAX_VENUES`);
//! - genesis (balances and pool reserves) fits in `u128` and under every
//!   maximum supply, so `State::genesis` cannot fail;
//! - oracle chains end at the numeraire within `MAX_ORACLE_DEPTH` hops;
//! - every reward pool a rule routes tokens to pays in those tokens, and
//!   emission schedules and reward pools keep their bounds (`rewards.rs`);
//! - launch specs can always graduate or refund (`launch.rs`).

use crate::economy::*;
use crate::ids::{AccountId, AssetId, AssetSlot, MarketId};
use crate::pool_math::{initial_shares, MINIMUM_LIQUIDITY};
use crate::units::{Ppm, MAX_DECIMALS, PPM_ONE};
use std::fmt;

mod launch;
mod points;
mod rewards;
mod usage;

/// A rule the economy breaks; `path` names the offending key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EconomyError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for EconomyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for EconomyError {}

struct Errors(Vec<EconomyError>);

impl Errors {
    fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(EconomyError {
            path: path.into(),
            message: message.into(),
        });
    }

    /// Shares must sum to exactly 100%; the message lists them by name.
    fn shares_sum<'a>(
        &mut self,
        path: &str,
        shares: impl Iterator<Item = (&'a str, Ppm)>,
        what: &str,
    ) {
        let shares: Vec<(&str, Ppm)> = shares.collect();
        let sum: u64 = shares.iter().map(|(_, s)| u64::from(s.0)).sum();
        if sum != u64::from(PPM_ONE) {
            let shown = Ppm(u32::try_from(sum).unwrap_or(u32::MAX));
            let listing: Vec<String> = shares.iter().map(|(n, s)| format!("{n} {s}")).collect();
            self.err(
                path,
                format!(
                    "{what} must sum to exactly 100%, they sum to {shown} ({})",
                    listing.join(" + ")
                ),
            );
        }
    }
}

impl Economy {
    /// Check every rule; on success the economy becomes a [`ValidEconomy`].
    pub fn validate(self) -> Result<ValidEconomy, Vec<EconomyError>> {
        let errors = self.check();
        if errors.is_empty() {
            Ok(ValidEconomy(self))
        } else {
            Err(errors)
        }
    }

    fn is_token(&self, a: AssetId) -> bool {
        self.declared_asset(a).is_some() && a != self.numeraire
    }

    fn account_ok(&self, a: AccountId) -> bool {
        matches!(a.slot(), Ok(i) if i < self.accounts.len())
    }

    /// Check a destination tokens of every asset in `assets` are routed
    /// to: an account that exists, or a reward pool paying in that asset.
    fn check_routed(&self, e: &mut Errors, key: String, d: Destination, assets: &[AssetId]) {
        match d {
            Destination::Burn => {}
            Destination::Account(a) => {
                if !self.account_ok(a) {
                    e.err(key, "unknown account");
                }
            }
            Destination::RewardPool(p) => match self.reward_pools.get(p.index()) {
                None => e.err(key, "unknown reward pool"),
                Some(pool) => {
                    if let Some(a) = assets.iter().find(|a| **a != pool.reward) {
                        e.err(
                            key,
                            format!(
                                "reward pool `{}` pays in {}, but {} is routed here",
                                pool.name,
                                self.asset_name(pool.reward),
                                self.asset_name(*a)
                            ),
                        );
                    }
                }
            },
        }
    }

    /// The tokens a split distributes: those of the versions using it.
    fn split_tokens(&self, split: usize) -> Vec<AssetId> {
        self.versions
            .iter()
            .filter(|v| v.split.index() == split)
            .map(|v| v.token)
            .collect()
    }

    /// The pool market `m`'s two assets, if it is a pool.
    pub fn pool_assets(&self, m: MarketId) -> Option<[AssetId; 2]> {
        match self.markets.get(m.index()).map(|s| &s.kind) {
            Some(MarketKind::Pool { assets, .. }) => Some(*assets),
            _ => None,
        }
    }

    /// Every rule this economy breaks. Empty means valid.
    pub fn check(&self) -> Vec<EconomyError> {
        let mut e = Errors(Vec::new());
        self.check_assets(&mut e);
        self.check_splits(&mut e);
        self.check_versions_rules_plans(&mut e);
        self.check_markets(&mut e);
        self.check_oracles(&mut e);
        self.check_programs(&mut e);
        self.check_genesis(&mut e);
        self.check_reward_pools(&mut e);
        self.check_emissions(&mut e);
        self.check_launches(&mut e);
        self.check_points(&mut e);
        e.0
    }

    fn check_assets(&self, e: &mut Errors) {
        if self.assets.len() < 2 || AssetId::declared(self.assets.len()).is_none() {
            e.err(
                "tokens",
                "an economy needs its numeraire and at least one token",
            );
        }
        match self.declared_asset(self.numeraire) {
            None => e.err("numeraire", "must name a declared asset"),
            Some(n) if n.decimals > MAX_NUMERAIRE_DECIMALS => e.err(
                format!("tokens.{}.decimals", n.name),
                format!("the numeraire has at most {MAX_NUMERAIRE_DECIMALS} decimals (prices are pico-units per whole token)"),
            ),
            Some(_) => {}
        }
        for a in &self.assets {
            if a.decimals > MAX_DECIMALS {
                e.err(
                    format!("tokens.{}.decimals", a.name),
                    format!("at most {MAX_DECIMALS} decimals"),
                );
            }
            if a.max_supply == Some(0) {
                e.err(
                    format!("tokens.{}.max_supply", a.name),
                    "must be greater than zero",
                );
            }
        }
        if AccountId::named(self.accounts.len()).is_none() {
            e.err("accounts", "too many named accounts");
        }
    }

    fn check_splits(&self, e: &mut Errors) {
        for (index, s) in self.splits.iter().enumerate() {
            let path = format!("splits.{}", s.name);
            let tokens = self.split_tokens(index);
            if s.legs.is_empty() || s.legs.len() > MAX_LEGS {
                e.err(
                    format!("{path}.legs"),
                    format!("need 1 to {MAX_LEGS} legs, found {}", s.legs.len()),
                );
            }
            e.shares_sum(
                &format!("{path}.legs"),
                s.legs.iter().map(|l| (l.name.as_str(), l.share)),
                "leg shares",
            );
            for (i, l) in s.legs.iter().enumerate() {
                if s.legs[..i].iter().any(|o| o.name == l.name) {
                    e.err(
                        format!("{path}.legs[{i}].name"),
                        format!("two legs are named `{}`", l.name),
                    );
                }
                let routed = match l.kind {
                    LegKind::Account(a) => Some(Destination::Account(a)),
                    LegKind::RewardPool(p) => Some(Destination::RewardPool(p)),
                    LegKind::Burn | LegKind::Creator | LegKind::Trainers => None,
                };
                if let Some(d) = routed {
                    self.check_routed(e, format!("{path}.legs[{i}].to"), d, &tokens);
                }
            }
            if s.legs.iter().filter(|l| l.kind == LegKind::Creator).count() > 1 {
                e.err(format!("{path}.legs"), "at most one creator leg");
            }
            let creator_max = s.creator_leg_share();
            for (i, share) in s.creator_epochs.iter().enumerate() {
                if *share > creator_max {
                    e.err(
                        format!("{path}.creator_epochs[{i}]"),
                        format!(
                            "epoch {} pays {share} but the creator leg is only {creator_max}",
                            i + 1
                        ),
                    );
                }
            }
            for (key, d) in [
                ("creator_shortfall_to", s.creator_shortfall_to),
                ("no_marketplace_to", s.no_marketplace_to),
                ("no_trainers_to", s.no_trainers_to),
                ("dust_to", s.dust_to),
            ] {
                self.check_routed(e, format!("{path}.{key}"), d, &tokens);
            }
        }
    }

    fn check_versions_rules_plans(&self, e: &mut Errors) {
        for v in &self.versions {
            let path = format!("versions.{}", v.name);
            if v.price == 0 {
                e.err(
                    format!("{path}.price_usd"),
                    "the price per action must be greater than zero",
                );
            }
            if !self.is_token(v.token) {
                e.err(format!("{path}.token"), "must name a declared token");
            }
            if v.split.index() >= self.splits.len() {
                e.err(format!("{path}.split"), "unknown split");
            }
        }
        for r in &self.rules {
            let path = format!("revenue.{}", r.name);
            if r.parts.is_empty() || r.parts.len() > MAX_REVENUE_PARTS {
                e.err(
                    format!("{path}.parts"),
                    format!("needs 1 to {MAX_REVENUE_PARTS} parts"),
                );
            }
            e.shares_sum(
                &format!("{path}.parts"),
                r.parts.iter().map(|p| (p.name.as_str(), p.share)),
                "shares",
            );
            for (i, p) in r.parts.iter().enumerate() {
                let routed = match p.to {
                    Payee::Account(a) => Destination::Account(a),
                    Payee::RewardPool(pool) => Destination::RewardPool(pool),
                    Payee::PayOut => continue,
                };
                self.check_routed(
                    e,
                    format!("{path}.parts[{i}].to"),
                    routed,
                    &[self.numeraire],
                );
            }
        }
        for p in &self.plans {
            let path = format!("plans.{}", p.name);
            for (key, zero) in [
                ("price_usd", p.price == 0),
                ("actions_included", p.actions_included == 0),
                ("period_days", p.period_days == 0),
            ] {
                if zero {
                    e.err(format!("{path}.{key}"), "must be greater than zero");
                }
            }
            if p.token_discount >= Ppm::ONE {
                e.err(
                    format!("{path}.token_discount"),
                    "must be below 100%: a plan paid in tokens cannot be free",
                );
            }
            match self.versions.get(p.version.index()) {
                None => e.err(format!("{path}.version"), "unknown version"),
                Some(v) if v.token != p.token => e.err(
                    format!("{path}.token"),
                    format!(
                        "the plan is paid in another token than its version `{}` consumes",
                        v.name
                    ),
                ),
                Some(_) => {}
            }
            if !self.account_ok(p.escrow) {
                e.err(format!("{path}.escrow"), "unknown account");
            }
            if p.revenue.index() >= self.rules.len() {
                e.err(format!("{path}.revenue"), "unknown revenue rule");
            }
            if p.funded_from.is_some_and(|a| !self.account_ok(a)) {
                e.err(format!("{path}.funded_from"), "unknown account");
            }
        }
        for s in &self.sales {
            let path = format!("sales.{}", s.name);
            if !self.is_token(s.token) {
                e.err(format!("{path}.token"), "must name a declared token");
            }
            if s.price == 0 {
                e.err(format!("{path}.price_usd"), "must be greater than zero");
            }
            if s.revenue.index() >= self.rules.len() {
                e.err(format!("{path}.revenue"), "unknown revenue rule");
            }
        }
        for r in &self.redemptions {
            let path = format!("redemptions.{}", r.name);
            if !self.is_token(r.token) {
                e.err(format!("{path}.token"), "must name a declared token");
            }
            self.check_routed(e, format!("{path}.to"), r.destination, &[r.token]);
        }
    }

    fn check_markets(&self, e: &mut Errors) {
        if self.markets.len() > usize::from(MarketId::RUNTIME_BASE) {
            e.err(
                "markets",
                "at most 32,768 markets: ids from 2^15 are pools created at run time",
            );
        }
        for m in &self.markets {
            let path = format!("markets.{}", m.name);
            match &m.kind {
                MarketKind::Pool {
                    assets,
                    fee,
                    genesis,
                    lp_to,
                } => {
                    if assets[0] == assets[1] {
                        e.err(
                            format!("{path}.assets"),
                            "a pool pairs two different assets",
                        );
                    }
                    if assets.iter().any(|a| self.declared_asset(*a).is_none()) {
                        e.err(format!("{path}.assets"), "must name declared assets");
                    }
                    if *fee >= Ppm::ONE {
                        e.err(format!("{path}.fee"), "must be below 100%");
                    }
                    if !self.account_ok(*lp_to) {
                        e.err(format!("{path}.lp_to"), "unknown account");
                    }
                    let seeded = genesis.iter().filter(|g| **g > 0).count();
                    if seeded == 1 {
                        e.err(format!("{path}.reserves"), "seed both reserves or neither");
                    } else if seeded == 2
                        && initial_shares(genesis[0], genesis[1], MINIMUM_LIQUIDITY).is_none()
                    {
                        e.err(
                            format!("{path}.reserves"),
                            format!("too small: sqrt(x * y) must exceed the {MINIMUM_LIQUIDITY} locked LP shares"),
                        );
                    }
                }
                MarketKind::External { token, account } => {
                    if !self.is_token(*token) {
                        e.err(format!("{path}.token"), "must name a declared token");
                    }
                    if !self.account_ok(*account) {
                        e.err(format!("{path}.account"), "unknown account");
                    }
                }
            }
        }
    }

    fn check_oracles(&self, e: &mut Errors) {
        if self.oracles.len() != self.assets.len() {
            e.err("oracles", "one oracle per declared asset");
            return;
        }
        for (i, a) in self.assets.iter().enumerate() {
            let path = format!("tokens.{}.oracle", a.name);
            let Some(id) = AssetId::declared(i) else {
                continue;
            };
            let market = match self.oracles[i] {
                Oracle::Exogenous => continue,
                Oracle::Spot(m) => m,
                Oracle::Twap { market, window } => {
                    if window == 0 || window > MAX_TWAP_WINDOW {
                        e.err(
                            format!("{path}.window"),
                            format!("between 1 and {MAX_TWAP_WINDOW} steps"),
                        );
                    }
                    market
                }
            };
            if id == self.numeraire {
                e.err(path, "the numeraire is the unit of price: it has no oracle");
                continue;
            }
            match self.pool_assets(market) {
                Some(assets) if assets.contains(&id) => {}
                _ => {
                    e.err(path, "must name a pool that trades this token");
                    continue;
                }
            }
            // Follow the chain: each hop prices the token against the other
            // asset of its pool, which must reach the numeraire.
            let mut current = id;
            let mut hops = 0;
            loop {
                let m = match self.oracles.get(declared_index(current)) {
                    Some(Oracle::Spot(m)) => *m,
                    Some(Oracle::Twap { market, .. }) => *market,
                    _ => {
                        e.err(
                            path.clone(),
                            format!(
                                "the chain reaches `{}`, which has no pool oracle",
                                self.asset_name(current)
                            ),
                        );
                        break;
                    }
                };
                let Some(pair) = self.pool_assets(m) else {
                    break;
                };
                let other = if pair[0] == current { pair[1] } else { pair[0] };
                hops += 1;
                if other == self.numeraire {
                    break;
                }
                if hops >= MAX_ORACLE_DEPTH || self.declared_asset(other).is_none() {
                    e.err(
                        path.clone(),
                        format!("the price chain does not reach the numeraire within {MAX_ORACLE_DEPTH} pools"),
                    );
                    break;
                }
                current = other;
            }
        }
    }

    fn check_programs(&self, e: &mut Errors) {
        for b in &self.buybacks {
            let path = format!("buybacks.{}", b.name);
            if !self.account_ok(b.budget) {
                e.err(format!("{path}.budget"), "unknown account");
            }
            if self.declared_asset(b.pay).is_none() {
                e.err(format!("{path}.pay"), "must name a declared asset");
            }
            if !self.is_token(b.token) || b.token == b.pay {
                e.err(
                    format!("{path}.token"),
                    "must name a declared token other than the one paid",
                );
            }
            self.check_routed(e, format!("{path}.destination"), b.destination, &[b.token]);
            self.check_stake_burn(e, &path, b);
            if b.venues.is_empty() || b.venues.len() > MAX_VENUES {
                e.err(
                    format!("{path}.venues"),
                    format!("needs 1 to {MAX_VENUES} venues"),
                );
            }
            e.shares_sum(
                &format!("{path}.venues"),
                b.venues.iter().map(|v| {
                    (
                        self.markets
                            .get(v.market.index())
                            .map_or("?", |m| m.name.as_str()),
                        v.weight,
                    )
                }),
                "venue weights",
            );
            if b.max_impact == Some(Ppm::ZERO) {
                e.err(format!("{path}.max_impact"), "must be greater than zero");
            }
            for (i, v) in b.venues.iter().enumerate() {
                let key = format!("{path}.venues[{i}].market");
                if b.venues[..i].iter().any(|o| o.market == v.market) {
                    e.err(key.clone(), "each market at most once per program");
                }
                match self.markets.get(v.market.index()).map(|m| &m.kind) {
                    None => e.err(key, "unknown market"),
                    Some(MarketKind::Pool { assets, .. }) => {
                        if !(assets.contains(&b.pay) && assets.contains(&b.token)) {
                            e.err(key, "the pool does not trade the paid asset for the token");
                        }
                    }
                    Some(MarketKind::External { token, .. }) => {
                        if *token != b.token || b.pay != self.numeraire {
                            e.err(
                                key,
                                "an external market sells its token for the numeraire only",
                            );
                        }
                    }
                }
            }
        }
    }

    fn check_genesis(&self, e: &mut Errors) {
        let mut supply = vec![0u128; self.assets.len()];
        let mut add = |e: &mut Errors, asset: AssetId, amount: u128, key: String| {
            let Some(total) = supply.get_mut(declared_index(asset)) else {
                e.err(key, "unknown asset");
                return;
            };
            match total.checked_add(amount) {
                Some(t) => *total = t,
                None => e.err(
                    key,
                    format!(
                        "the genesis supply of {} overflows 128 bits",
                        self.asset_name(asset)
                    ),
                ),
            }
        };
        for (asset, account, amount) in &self.genesis {
            let key = format!(
                "genesis.{}.{}",
                self.account_name(*account),
                self.asset_name(*asset)
            );
            if !self.account_ok(*account) {
                e.err(key.clone(), "unknown account");
            }
            add(e, *asset, *amount, key);
        }
        for m in &self.markets {
            if let MarketKind::Pool {
                assets, genesis, ..
            } = &m.kind
            {
                for (a, g) in assets.iter().zip(genesis) {
                    add(e, *a, *g, format!("markets.{}.reserves", m.name));
                }
            }
        }
        for (a, s) in self.assets.iter().zip(&supply) {
            if a.max_supply.is_some_and(|max| *s > max) {
                e.err(
                    format!("tokens.{}.max_supply", a.name),
                    format!("genesis mints more than the maximum supply of {}", a.name),
                );
            }
        }
    }
}

/// The declared index of `a`, or `usize::MAX` (indexes nothing) otherwise.
fn declared_index(a: AssetId) -> usize {
    match a.slot() {
        AssetSlot::Declared(i) => i,
        _ => usize::MAX,
    }
}
