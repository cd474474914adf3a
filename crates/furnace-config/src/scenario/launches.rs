//! `[[launches]]`: scenario drivers that create bonding-curve launches from
//! the economy's `[launches.X]` specs and buy along their curves (issue 7's
//! agent tokens; FOMO's model tokens later). Rules stay in the economy (the
//! curve, window, minimum and maximum raise, fees, caps); a scenario only
//! says when launches happen, who pays, how much buyers commit and when the
//! launch is graduated.
//!
//! ```toml
//! [[launches]]
//! spec = "agent"             # a [launches.X] of the economy
//! days = [2, 40]             # one launch on each of these steps; or
//! # count = 12, first_day = 1, every_days = 30
//! funds = "market"           # a named account holding the spec's quote asset:
//!                            # it pays the issuers' and buyers' purchases (Transfer);
//! # or buy_with = "aimg_usd": a market selling the quote for the numeraire, where
//! # each payer buys what it lacks with numeraire from outside (external_inflow)
//! issuer_buy = "1_000"       # quote paid by the issuer on the creation step (default 0)
//! buyers = 20                # buyer accounts opened at setup, shared by the entry's launches
//! buyers_per_day = 5         # purchases per step and open launch, round robin over them
//! buy = "lognormal"          # or "normal": the quote paid per purchase, drawn
//! buy_mean = "300"           # whole units of the quote asset
//! buy_sd = "150"
//! buy_floor = "10"           # a draw below it pays the floor (default 0: no purchase)
//! graduate = "at_minimum"    # or "at_close" (default): see [`Graduate`]
//! trade_buyers_per_day = 2   # after graduation: buys on the new pool (default 0)
//! trade_sell_share = "5%"    # after graduation: each buyer sells this share of
//!                            # its tokens each step (default 0%)
//! stake_share = "50%"        # at graduation the issuer and each buyer stake this
//!                            # share of their tokens in the launch's stake pool
//!                            # (the spec's [launches.X.staking]; default 0%)
//! stake_rewards_per_day = "20"  # the issuer credits its token's stake pool this
//!                            # much of the reward asset each step, topped up like
//!                            # a purchase (FundRewardPool; default 0)
//! ```
//!
//! Bounds, checked here: at most [`MAX_LAUNCHES_PER_RUN`] launches over all
//! entries (the simulator reserves their storage at setup), `buyers` at
//! most [`MAX_LAUNCH_BUYERS`] per entry, `buyers_per_day` and
//! `trade_buyers_per_day` at most `buyers`, every day within the horizon.
//! All entries buy with one quote asset, so the per-step launch columns
//! have one unit.

use crate::read::{Fields, Reader};
use crate::source::{ConfigError, Source};
use crate::values::{float, share, Number};
use furnace_core::economy::Economy;
use furnace_core::ids::{AccountId, AssetId, LaunchSpecId, MarketId};
use furnace_core::units::Ppm;
use toml::Spanned;

/// The most launches one run may create, over every `[[launches]]` entry:
/// 1,000. The simulator reserves a record, an issuer account and the
/// core's launch, token and pool slots for each at setup; FOMO's "any
/// number of model tokens" over a year of daily launches is 365.
pub const MAX_LAUNCHES_PER_RUN: u32 = 1_000;

/// The most buyer accounts one entry may open: 10,000. Each launch keeps a
/// commitment per buyer (the core's `BTreeMap`), so a run keeps at most
/// 10^3 launches x 10^4 buyers = 10^7 of them.
pub const MAX_LAUNCH_BUYERS: u32 = 10_000;

/// When the driver sends `GraduateLaunch`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Graduate {
    /// At the end of the step on which the raise reaches the spec's
    /// minimum (FOMO: "reaching the minimum allows graduation by anyone").
    AtMinimum,
    /// When the window closes: graduate if the minimum was reached, else
    /// `FailLaunch` (the default; a launch at its maximum graduates inside
    /// the purchase that reached it, either way).
    AtClose,
}

/// How a purchase's quote is drawn (whole units of the quote asset).
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum BuyDraw {
    /// `max(floor, N(mean, sd))`.
    Normal { mean: f64, sd: f64, floor: f64 },
    /// `max(floor, X)` with `X` log-normal of this mean and standard
    /// deviation: `sigma^2 = ln(1 + sd^2 / mean^2)`, `mu = ln(mean) -
    /// sigma^2 / 2`.
    LogNormal { mean: f64, sd: f64, floor: f64 },
}

/// Where a payer's tokens come from: a launch's buyers and issuer for
/// their quote, `[rewards]` stakers for their stake at setup.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Funding {
    /// A named account sends each payer what it lacks (`Transfer`).
    Account(AccountId),
    /// Each payer buys what it lacks on this market with numeraire minted
    /// as `external_inflow` (a swap, exact out).
    Market(MarketId),
}

/// One `[[launches]]` entry, compiled.
#[derive(Clone, Debug, PartialEq)]
pub struct LaunchDrivers {
    pub spec: LaunchSpecId,
    /// The spec's quote asset.
    pub quote: AssetId,
    /// Steps (1-based, ascending) on which one launch each is created.
    pub days: Vec<u32>,
    /// Launches the entry schedules after the run's last step, left out.
    pub after_horizon: u32,
    /// Pays every purchase of this entry (issuer's and buyers').
    pub funds: Funding,
    /// Quote base units the issuer pays on the creation step (0: none).
    pub issuer_buy: u128,
    pub buyers: u32,
    pub buyers_per_day: u32,
    pub buy: BuyDraw,
    pub graduate: Graduate,
    pub trade_buyers_per_day: u32,
    pub trade_sell_share: Ppm,
    /// Share of their tokens the issuer and each buyer stake at graduation.
    pub stake_share: Ppm,
    /// Base units of the stake pool's reward asset `funds` credits it each
    /// step after graduation.
    pub stake_rewards_per_day: u128,
}

/// The entry as read.
pub(crate) struct RawLaunch {
    pub spec: Spanned<String>,
    pub days: Option<Spanned<Vec<Spanned<u32>>>>,
    pub count: Option<Spanned<u32>>,
    pub first_day: Option<Spanned<u32>>,
    pub every_days: Option<Spanned<u32>>,
    pub funds: Option<Spanned<String>>,
    pub buy_with: Option<Spanned<String>>,
    pub issuer_buy: Option<Spanned<Number>>,
    pub buyers: Spanned<u32>,
    pub buyers_per_day: Spanned<u32>,
    pub buy: Spanned<String>,
    pub buy_mean: Spanned<Number>,
    pub buy_sd: Spanned<Number>,
    pub buy_floor: Option<Spanned<Number>>,
    pub graduate: Option<Spanned<String>>,
    pub trade_buyers_per_day: Option<Spanned<u32>>,
    pub trade_sell_share: Option<Spanned<Number>>,
    pub stake_share: Option<Spanned<Number>>,
    pub stake_rewards_per_day: Option<Spanned<Number>>,
}

/// Read `[[launches]]` (empty when not written).
pub(crate) fn read(r: &mut Reader, f: &mut Fields) -> Vec<RawLaunch> {
    let days_max = super::MAX_DAYS;
    f.opt_tables(r, "launches", "a launch driver", |r, l| RawLaunch {
        spec: l.req_str(r, "spec"),
        days: l.ints(r, "days", 1, days_max),
        count: l.int(r, "count", 1, MAX_LAUNCHES_PER_RUN),
        first_day: l.int(r, "first_day", 1, days_max),
        every_days: l.int(r, "every_days", 1, days_max),
        funds: l.str(r, "funds"),
        buy_with: l.str(r, "buy_with"),
        issuer_buy: l.num(r, "issuer_buy"),
        buyers: l.req_int(r, "buyers", 1, MAX_LAUNCH_BUYERS),
        buyers_per_day: l.req_int(r, "buyers_per_day", 0, MAX_LAUNCH_BUYERS),
        buy: l.req_str(r, "buy"),
        buy_mean: l.req_num(r, "buy_mean"),
        buy_sd: l.req_num(r, "buy_sd"),
        buy_floor: l.num(r, "buy_floor"),
        graduate: l.str(r, "graduate"),
        trade_buyers_per_day: l.int(r, "trade_buyers_per_day", 0, MAX_LAUNCH_BUYERS),
        trade_sell_share: l.num(r, "trade_sell_share"),
        stake_share: l.num(r, "stake_share"),
        stake_rewards_per_day: l.num(r, "stake_rewards_per_day"),
    })
    .map(Spanned::into_inner)
    .unwrap_or_default()
}

/// Compile the entries against the economy; every problem to `errors`.
pub(super) fn compile(
    e: &Economy,
    source: &Source,
    errors: &mut Vec<ConfigError>,
    raw: &[RawLaunch],
    days: u32,
) -> Vec<LaunchDrivers> {
    let mut out = Vec::new();
    let mut total: u64 = 0;
    let mut quote_of_first: Option<AssetId> = None;
    for (i, l) in raw.iter().enumerate() {
        let key = |k: &str| format!("launches[{i}].{k}");
        let mut err = |span: Option<std::ops::Range<usize>>, k: &str, message: String| {
            errors.push(source.error(span, &key(k), message));
        };
        let spec = e.launch_spec_by_name(l.spec.get_ref());
        if spec.is_none() {
            let known: Vec<&str> = e.launches.iter().map(|s| s.name.as_str()).collect();
            err(
                Some(l.spec.span()),
                "spec",
                format!(
                    "the economy has no launch spec `{}` ({})",
                    l.spec.get_ref(),
                    if known.is_empty() {
                        "it declares no [launches]".to_string()
                    } else {
                        format!("launch specs: {}", known.join(", "))
                    }
                ),
            );
        }
        let quote = spec.map(|s| e.launch_spec(s).quote);
        if let (Some(q), Some(first)) = (quote, quote_of_first) {
            if q != first {
                err(
                    Some(l.spec.span()),
                    "spec",
                    format!(
                        "buys with {}, but the first [[launches]] entry buys with {}: every entry must buy with one quote asset (the per-step launch columns have one unit)",
                        e.asset_name(q),
                        e.asset_name(first)
                    ),
                );
            }
        }
        quote_of_first = quote_of_first.or(quote);
        let decimals = quote
            .and_then(|q| e.declared_asset(q))
            .map_or(0, |a| a.decimals);
        // The schedule: `days`, or `count` from `first_day` every `every_days`.
        let mut schedule: Vec<u32> = match (&l.days, &l.count) {
            (Some(d), None) => {
                let mut v: Vec<u32> = d.get_ref().iter().map(|x| *x.get_ref()).collect();
                if v.windows(2).any(|w| w[0] >= w[1]) {
                    err(
                        Some(d.span()),
                        "days",
                        "must be strictly increasing steps".into(),
                    );
                }
                v.dedup();
                v
            }
            (None, Some(c)) => {
                let first = l.first_day.as_ref().map_or(1, |f| *f.get_ref());
                let every = l.every_days.as_ref().map_or(1, |f| *f.get_ref());
                (0..*c.get_ref())
                    .map(|k| {
                        u32::try_from(u64::from(first) + u64::from(k) * u64::from(every))
                            .unwrap_or(u32::MAX)
                    })
                    .collect()
            }
            (Some(d), Some(_)) => {
                err(
                    Some(d.span()),
                    "days",
                    "write `days` or `count` (with `first_day`, `every_days`), not both".into(),
                );
                Vec::new()
            }
            (None, None) => {
                err(
                    Some(l.spec.span()),
                    "days",
                    "a launch driver needs `days` (the steps it launches on) or `count`".into(),
                );
                Vec::new()
            }
        };
        if l.count.is_none() {
            for (k, v) in [("first_day", &l.first_day), ("every_days", &l.every_days)] {
                if let Some(v) = v {
                    err(Some(v.span()), k, "applies only with `count`".into());
                }
            }
        }
        // Launches scheduled after the run's last step are left out, not
        // refused: `--set days=30` on a year's scenario must still run; the
        // run's warnings count them.
        let after_horizon = schedule.iter().filter(|d| **d > days).count();
        schedule.retain(|d| *d <= days);
        total += schedule.len() as u64;
        let funds = match (&l.funds, &l.buy_with) {
            (Some(name), None) => match e.account_by_name(name.get_ref()) {
                Some(a) => Some(Funding::Account(a)),
                None => {
                    err(
                        Some(name.span()),
                        "funds",
                        format!("the economy has no account `{}`", name.get_ref()),
                    );
                    None
                }
            },
            (None, Some(name)) => {
                let market = e.market_by_name(name.get_ref());
                let sells = market.zip(quote).is_some_and(|(m, q)| {
                    e.sells_for_numeraire(e.market(m), q) && q != e.numeraire
                });
                match market {
                    Some(m) if sells => Some(Funding::Market(m)),
                    Some(_) => {
                        err(
                            Some(name.span()),
                            "buy_with",
                            format!(
                                "market `{}` does not sell the launches' quote asset for {}",
                                name.get_ref(),
                                e.asset_name(e.numeraire)
                            ),
                        );
                        None
                    }
                    None => {
                        err(
                            Some(name.span()),
                            "buy_with",
                            format!("the economy has no market `{}`", name.get_ref()),
                        );
                        None
                    }
                }
            }
            (Some(f), Some(_)) => {
                err(
                    Some(f.span()),
                    "funds",
                    "write `funds` (an account) or `buy_with` (a market), not both".into(),
                );
                None
            }
            (None, None) => {
                err(
                    Some(l.spec.span()),
                    "funds",
                    "missing: a launch driver needs `funds` (an account holding the quote asset) or `buy_with` (a market selling it)".into(),
                );
                None
            }
        };
        let whole = |k: &str, v: &Spanned<Number>, errors: &mut Vec<ConfigError>| -> f64 {
            match float(source, &key(k), v) {
                Ok(x) if x >= 0.0 => x,
                Ok(x) => {
                    errors.push(source.error(
                        Some(v.span()),
                        &key(k),
                        format!("must be 0 or more, found {x}"),
                    ));
                    0.0
                }
                Err(e) => {
                    errors.push(e);
                    0.0
                }
            }
        };
        let issuer_buy = l.issuer_buy.as_ref().map_or(0, |v| {
            crate::values::amount(source, &key("issuer_buy"), v, decimals).unwrap_or_else(|e| {
                errors.push(e);
                0
            })
        });
        let mean = whole("buy_mean", &l.buy_mean, errors);
        let sd = whole("buy_sd", &l.buy_sd, errors);
        let floor = l
            .buy_floor
            .as_ref()
            .map_or(0.0, |v| whole("buy_floor", v, errors));
        let mut err = |span: Option<std::ops::Range<usize>>, k: &str, message: String| {
            errors.push(source.error(span, &key(k), message));
        };
        let buy = match l.buy.get_ref().as_str() {
            "normal" => Some(BuyDraw::Normal { mean, sd, floor }),
            "lognormal" if mean > 0.0 => Some(BuyDraw::LogNormal { mean, sd, floor }),
            "lognormal" => {
                err(
                    Some(l.buy_mean.span()),
                    "buy_mean",
                    "a log-normal draw needs a mean above 0".into(),
                );
                None
            }
            other => {
                err(
                    Some(l.buy.span()),
                    "buy",
                    format!("unknown draw `{other}` (normal, lognormal)"),
                );
                None
            }
        };
        let graduate = match l.graduate.as_ref().map(|g| (g.get_ref().as_str(), g)) {
            None | Some(("at_close", _)) => Graduate::AtClose,
            Some(("at_minimum", _)) => Graduate::AtMinimum,
            Some((other, g)) => {
                err(
                    Some(g.span()),
                    "graduate",
                    format!("unknown rule `{other}` (at_minimum, at_close)"),
                );
                Graduate::AtClose
            }
        };
        let buyers = *l.buyers.get_ref();
        let trade_buyers_per_day = l.trade_buyers_per_day.as_ref().map_or(0, |v| *v.get_ref());
        for (k, v) in [
            ("buyers_per_day", Some(&l.buyers_per_day)),
            ("trade_buyers_per_day", l.trade_buyers_per_day.as_ref()),
        ] {
            if let Some(v) = v.filter(|v| *v.get_ref() > buyers) {
                err(
                    Some(v.span()),
                    k,
                    format!(
                        "at most `buyers` ({buyers}): each purchase of a step is a different buyer, found {}",
                        v.get_ref()
                    ),
                );
            }
        }
        let trade_sell_share = l.trade_sell_share.as_ref().map_or(Ppm::ZERO, |v| {
            share(source, &key("trade_sell_share"), v).unwrap_or_else(|e| {
                errors.push(e);
                Ppm::ZERO
            })
        });
        let stake_share = l.stake_share.as_ref().map_or(Ppm::ZERO, |v| {
            share(source, &key("stake_share"), v).unwrap_or_else(|e| {
                errors.push(e);
                Ppm::ZERO
            })
        });
        // Staking needs the spec's stake pool; rewards are its reward asset.
        let template = spec.and_then(|s| e.launch_spec(s).staking.as_ref());
        let staking_keys = [
            ("stake_share", l.stake_share.as_ref()),
            ("stake_rewards_per_day", l.stake_rewards_per_day.as_ref()),
        ];
        if template.is_none() && spec.is_some() {
            for (k, v) in staking_keys {
                if let Some(v) = v {
                    errors.push(source.error(
                        Some(v.span()),
                        &key(k),
                        format!(
                            "launch spec `{}` has no stake pool: declare [launches.{}.staking] in the economy",
                            l.spec.get_ref(),
                            l.spec.get_ref()
                        ),
                    ));
                }
            }
        }
        let reward_decimals = template
            .and_then(|t| e.declared_asset(t.reward))
            .map_or(0, |a| a.decimals);
        let stake_rewards_per_day = match (&l.stake_rewards_per_day, template) {
            (Some(v), Some(_)) => {
                crate::values::amount(source, &key("stake_rewards_per_day"), v, reward_decimals)
                    .unwrap_or_else(|e| {
                        errors.push(e);
                        0
                    })
            }
            _ => 0,
        };
        if let (Some(spec), Some(quote), Some(funds), Some(buy)) = (spec, quote, funds, buy) {
            out.push(LaunchDrivers {
                spec,
                quote,
                days: schedule,
                after_horizon: u32::try_from(after_horizon).unwrap_or(u32::MAX),
                funds,
                issuer_buy,
                buyers,
                buyers_per_day: *l.buyers_per_day.get_ref(),
                buy,
                graduate,
                trade_buyers_per_day,
                trade_sell_share,
                stake_share,
                stake_rewards_per_day,
            });
        }
    }
    if total > u64::from(MAX_LAUNCHES_PER_RUN) {
        errors.push(source.error(
            raw.first().map(|l| l.spec.span()),
            "launches",
            format!(
                "at most {MAX_LAUNCHES_PER_RUN} launches a run over every entry, found {total}"
            ),
        ));
    }
    out
}
