//! `[rewards]`: the populations that hold positions in an economy's reward
//! pools (issue 7), generic over the pools the economy file declares:
//!
//! ```toml
//! [rewards]
//! epoch_days = 7                 # default 7: votes, scores, stake-cap rebalances
//! revenue_rule = "fees"          # optional: `Revenue` paid in every day under this rule
//! revenue_per_day = "20_000"     # whole numeraire units a day
//!
//! [[rewards.stakers]]            # N accounts staking in a stake pool
//! pool = "aimg_stakers"
//! accounts = 50                  # 1 to MAX_AGENTS (with every other group)
//! funded_from = "market"         # a named account holding the staked asset, or
//! # buy_on = "aimg_usd"          # a market selling it for the numeraire: each buys
//!                                # tokens_each there at setup, paying from outside
//! tokens_each = "100_000"        # whole units each account receives at setup
//! stake_share = "80%"            # of which staked (the rest held)
//! lock_days = [0, 90, 365]       # each account draws one (stream 3); at most the pool's longest lock
//! claim_every_days = 7           # claims (staking and, if voting, vote rewards)
//! restake_share = "50%"          # of claimed rewards added to the position (same asset); the rest sold
//! withdraw_at_lock_end = "0%"    # of the deposit withdrawn the day the lock ends
//!
//! [[rewards.liquidity]]          # N liquidity providers mining with LP shares
//! market = "aimg_usd"            # a pool market pairing the token with the numeraire
//! pool = "lp_miners"             # a stake pool with `stake = { lp = "aimg_usd" }`
//! accounts = 10
//! funded_from = "market"
//! tokens_each = "200_000"        # the token side; the numeraire side is paid in from outside at the pool's ratio
//! claim_every_days = 7
//! sell_share = "100%"            # of claimed rewards sold
//!
//! [rewards.voters]               # governance: the stakers of `stakers` vote
//! pool = "voters"                # a points pool
//! stakers = "aimg_stakers"
//! turnout_min = "20%"            # each epoch a turnout is drawn uniformly in [min, max],
//! turnout_max = "60%"            # each staker votes with that probability: weight = deposit, else 0
//!
//! [rewards.contributors]         # contributors scored each epoch
//! pool = "contributors"          # a points pool
//! accounts = 20
//! score_max = 100                # scores drawn uniformly from 0 to score_max
//! claim_every_days = 7
//! sell_share = "100%"
//! ```
//!
//! Read in `rewards_read.rs`; every named pool, account and market is
//! resolved here with its line;
//! the simulator (`furnace-sim`'s `day/rewards.rs`) sends the events.

use super::launches::Funding;
use super::rewards_read::RawRewards;
use super::MAX_AGENTS;
use crate::source::{ConfigError, Source};
use crate::values::{amount, share, Number};
use furnace_core::economy::{Economy, MarketKind, PoolWeight};
use furnace_core::ids::{AccountId, AssetId, MarketId, RewardPoolId, RuleId};
use furnace_core::units::Ppm;
use toml::Spanned;

/// The compiled `[rewards]` drivers.
#[derive(Clone, Debug, PartialEq)]
pub struct RewardDrivers {
    /// Votes, scores and stake-cap rebalances happen on days `t` with
    /// `t % epoch_days == 0` (day 1 is `t = 0`).
    pub epoch_days: u32,
    /// A revenue rule and the numeraire base units paid in under it a day.
    pub revenue: Option<(RuleId, u128)>,
    pub stakers: Vec<StakerDrivers>,
    pub liquidity: Vec<LiquidityDrivers>,
    pub voters: Option<VoterDrivers>,
    pub contributors: Option<ContributorDrivers>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StakerDrivers {
    pub pool: RewardPoolId,
    /// The staked asset (a declared token).
    pub asset: AssetId,
    pub accounts: u32,
    pub funding: Funding,
    /// Base units of `asset` each account receives at setup.
    pub tokens_each: u128,
    pub stake_share: Ppm,
    /// Lock lengths in days (steps), one drawn per account.
    pub lock_days: Vec<u32>,
    pub claim_every_days: u32,
    pub restake_share: Ppm,
    pub withdraw_at_lock_end: Ppm,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LiquidityDrivers {
    pub market: MarketId,
    pub pool: RewardPoolId,
    pub accounts: u32,
    pub funded_from: AccountId,
    /// Base units of the market's non-numeraire asset each provider adds.
    pub tokens_each: u128,
    pub claim_every_days: u32,
    pub sell_share: Ppm,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VoterDrivers {
    pub pool: RewardPoolId,
    /// The stake pool whose stakers vote.
    pub stakers: RewardPoolId,
    pub turnout_min: Ppm,
    pub turnout_max: Ppm,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContributorDrivers {
    pub pool: RewardPoolId,
    pub accounts: u32,
    pub score_max: u32,
    pub claim_every_days: u32,
    pub sell_share: Ppm,
}

/// What a pool must be for a group.
#[derive(Copy, Clone, PartialEq)]
enum Want {
    /// A stake pool of a declared token.
    TokenStake,
    /// A stake pool of this market's LP shares.
    LpStake(MarketId),
    Points,
}

struct Cx<'a> {
    e: &'a Economy,
    source: &'a Source,
    errors: &'a mut Vec<ConfigError>,
}

impl Cx<'_> {
    fn err(&mut self, span: std::ops::Range<usize>, key: &str, message: String) {
        self.errors
            .push(self.source.error(Some(span), key, message));
    }

    fn pool(&mut self, key: &str, name: &Spanned<String>, want: Want) -> Option<RewardPoolId> {
        let e = self.e;
        let Some(id) = e.reward_pool_by_name(name.get_ref()) else {
            let pools: Vec<&str> = e.reward_pools.iter().map(|p| p.name.as_str()).collect();
            self.err(
                name.span(),
                key,
                format!(
                    "no reward pool named `{}` ({})",
                    name.get_ref(),
                    if pools.is_empty() {
                        "the economy declares no [reward_pools]".into()
                    } else {
                        format!("reward pools: {}", pools.join(", "))
                    }
                ),
            );
            return None;
        };
        let spec = &e.reward_pools[id.index()];
        let problem = match (want, spec.weight) {
            (Want::Points, PoolWeight::Points) => None,
            (Want::Points, PoolWeight::Stake { .. }) => {
                Some("is a stake pool; this group sets weights, which needs a points pool (`points = true`)".to_string())
            }
            (_, PoolWeight::Points) => Some(
                "is a points pool; this group deposits, which needs a stake pool (`stake = ...`)"
                    .to_string(),
            ),
            (Want::TokenStake, PoolWeight::Stake { asset }) => {
                (e.declared_asset(asset).is_none() || asset == e.numeraire).then(|| {
                    "stakes LP shares or the numeraire; stakers need a pool staking a declared token"
                        .to_string()
                })
            }
            (Want::LpStake(m), PoolWeight::Stake { asset }) => (asset != AssetId::lp(m)).then(|| {
                format!(
                    "does not stake `{}`'s LP shares (write `stake = {{ lp = \"{}\" }}` in the economy file)",
                    e.market(m).name,
                    e.market(m).name
                )
            }),
        };
        match problem {
            Some(p) => {
                self.err(name.span(), key, format!("reward pool `{}` {p}", spec.name));
                None
            }
            None => Some(id),
        }
    }

    fn account(&mut self, key: &str, name: &Spanned<String>) -> Option<AccountId> {
        let found = self.e.account_by_name(name.get_ref());
        if found.is_none() {
            self.err(
                name.span(),
                key,
                format!("the economy has no account `{}`", name.get_ref()),
            );
        }
        found
    }

    fn share_or(&mut self, key: &str, v: &Option<Spanned<Number>>, default: Ppm) -> Ppm {
        match v {
            None => default,
            Some(v) => share(self.source, key, v).unwrap_or_else(|e| {
                self.errors.push(e);
                Ppm::ZERO
            }),
        }
    }

    fn amount(&mut self, key: &str, v: &Spanned<Number>, asset: AssetId) -> u128 {
        let decimals = self.e.declared_asset(asset).map_or(0, |a| a.decimals);
        amount(self.source, key, v, decimals).unwrap_or_else(|e| {
            self.errors.push(e);
            0
        })
    }

    /// [`Cx::amount`], above 0: each account of a group receives it.
    fn positive(&mut self, key: &str, v: &Spanned<Number>, asset: AssetId) -> u128 {
        let before = self.errors.len();
        let units = self.amount(key, v, asset);
        if units == 0 && self.errors.len() == before {
            self.err(
                v.span(),
                key,
                format!(
                    "must be above 0 (found {}): each account receives it",
                    v.get_ref().text()
                ),
            );
        }
        units
    }
}

fn days_or(v: &Option<Spanned<u32>>, default: u32) -> u32 {
    v.as_ref().map_or(default, |v| *v.get_ref())
}

/// Compile `[rewards]` against the economy.
pub(crate) fn compile(
    e: &Economy,
    source: &Source,
    errors: &mut Vec<ConfigError>,
    raw: Option<&RawRewards>,
) -> Option<RewardDrivers> {
    let raw = raw?;
    let mut cx = Cx { e, source, errors };
    let mut agents: u64 = 0;
    let revenue = match (&raw.revenue_rule, &raw.revenue_per_day) {
        (None, None) => None,
        (Some(rule), Some(per_day)) => {
            let id = e.rule_by_name(rule.get_ref());
            if id.is_none() {
                cx.err(
                    rule.span(),
                    "rewards.revenue_rule",
                    format!("the economy has no revenue rule `{}`", rule.get_ref()),
                );
            }
            let units = cx.amount("rewards.revenue_per_day", per_day, e.numeraire);
            id.map(|id| (id, units))
        }
        (Some(rule), None) => {
            cx.err(
                rule.span(),
                "rewards.revenue_per_day",
                "`revenue_rule` needs `revenue_per_day`, the numeraire paid in a day".into(),
            );
            None
        }
        (None, Some(v)) => {
            cx.err(
                v.span(),
                "rewards.revenue_rule",
                "`revenue_per_day` needs `revenue_rule`, the rule that divides it".into(),
            );
            None
        }
    };
    let mut stakers = Vec::new();
    for (i, s) in raw.stakers.iter().enumerate() {
        let key = |k: &str| format!("rewards.stakers[{i}].{k}");
        agents += u64::from(*s.accounts.get_ref());
        let pool = cx.pool(&key("pool"), &s.pool, Want::TokenStake);
        let Some(pool) = pool else { continue };
        let spec = &e.reward_pools[pool.index()];
        let asset = spec.stake_asset().expect("a stake pool");
        let funding = match (&s.funded_from, &s.buy_on) {
            (Some(from), None) => cx.account(&key("funded_from"), from).map(Funding::Account),
            (None, Some(market)) => match e.market_by_name(market.get_ref()) {
                Some(m) if e.sells_for_numeraire(e.market(m), asset) => Some(Funding::Market(m)),
                _ => {
                    cx.err(
                        market.span(),
                        &key("buy_on"),
                        format!(
                            "the economy has no market `{}` selling {} for {}",
                            market.get_ref(),
                            e.asset_name(asset),
                            e.asset_name(e.numeraire)
                        ),
                    );
                    None
                }
            },
            (Some(from), Some(_)) => {
                cx.err(
                    from.span(),
                    &key("funded_from"),
                    "a staker group is funded from an account (`funded_from`) or buys on a market (`buy_on`), not both".into(),
                );
                None
            }
            (None, None) => {
                cx.err(
                    s.pool.span(),
                    &key("funded_from"),
                    "missing: a staker group needs `funded_from` (an account) or `buy_on` (a market)".into(),
                );
                None
            }
        };
        let max = spec.max_lock_steps();
        for d in &s.lock_days {
            if *d.get_ref() > max {
                cx.err(
                    d.span(),
                    &key("lock_days"),
                    format!(
                        "a lock of {} days is longer than reward pool `{}` allows ({max} days)",
                        d.get_ref(),
                        spec.name
                    ),
                );
            }
        }
        let tokens_each = cx.positive(&key("tokens_each"), &s.tokens_each, asset);
        let driver = StakerDrivers {
            pool,
            asset,
            accounts: *s.accounts.get_ref(),
            funding: funding.unwrap_or(Funding::Account(AccountId(0))),
            tokens_each,
            stake_share: cx.share_or(&key("stake_share"), &s.stake_share, Ppm(1_000_000)),
            lock_days: if s.lock_days.is_empty() {
                vec![0]
            } else {
                s.lock_days.iter().map(|d| *d.get_ref()).collect()
            },
            claim_every_days: days_or(&s.claim_every_days, 7),
            restake_share: cx.share_or(&key("restake_share"), &s.restake_share, Ppm::ZERO),
            withdraw_at_lock_end: cx.share_or(
                &key("withdraw_at_lock_end"),
                &s.withdraw_at_lock_end,
                Ppm::ZERO,
            ),
        };
        stakers.push(driver);
    }
    let mut liquidity = Vec::new();
    for (i, l) in raw.liquidity.iter().enumerate() {
        let key = |k: &str| format!("rewards.liquidity[{i}].{k}");
        agents += u64::from(*l.accounts.get_ref());
        let market = match e.market_by_name(l.market.get_ref()) {
            Some(m) => match &e.market(m).kind {
                MarketKind::Pool { assets, .. } if assets.contains(&e.numeraire) => {
                    Some((m, *assets))
                }
                _ => {
                    cx.err(
                        l.market.span(),
                        &key("market"),
                        format!(
                            "market `{}` is not a pool pairing a token with {}: providers add the token and pay in the numeraire",
                            l.market.get_ref(),
                            e.asset_name(e.numeraire)
                        ),
                    );
                    None
                }
            },
            None => {
                cx.err(
                    l.market.span(),
                    &key("market"),
                    format!("the economy has no market `{}`", l.market.get_ref()),
                );
                None
            }
        };
        let funded_from = cx.account(&key("funded_from"), &l.funded_from);
        let Some((market, assets)) = market else {
            continue;
        };
        let pool = cx.pool(&key("pool"), &l.pool, Want::LpStake(market));
        let token = if assets[0] == e.numeraire {
            assets[1]
        } else {
            assets[0]
        };
        let tokens_each = cx.positive(&key("tokens_each"), &l.tokens_each, token);
        if let Some(pool) = pool {
            liquidity.push(LiquidityDrivers {
                market,
                pool,
                accounts: *l.accounts.get_ref(),
                funded_from: funded_from.unwrap_or(AccountId(0)),
                tokens_each,
                claim_every_days: days_or(&l.claim_every_days, 7),
                sell_share: cx.share_or(&key("sell_share"), &l.sell_share, Ppm(1_000_000)),
            });
        }
    }
    let voters = raw.voters.as_ref().and_then(|v| {
        let pool = cx.pool("rewards.voters.pool", &v.pool, Want::Points);
        let staking = cx.pool("rewards.voters.stakers", &v.stakers, Want::TokenStake);
        let turnout_min = cx.share_or(
            "rewards.voters.turnout_min",
            &Some(v.turnout_min.clone()),
            Ppm::ZERO,
        );
        let turnout_max = cx.share_or(
            "rewards.voters.turnout_max",
            &Some(v.turnout_max.clone()),
            Ppm::ZERO,
        );
        if turnout_min > turnout_max {
            cx.err(
                v.turnout_max.span(),
                "rewards.voters.turnout_max",
                format!(
                    "the turnout range is empty: turnout_max ({}) is below turnout_min ({})",
                    v.turnout_max.get_ref().text(),
                    v.turnout_min.get_ref().text()
                ),
            );
        }
        let staking = staking?;
        // By name: a group whose pool failed to resolve was reported.
        if !raw
            .stakers
            .iter()
            .any(|s| s.pool.get_ref() == v.stakers.get_ref())
        {
            cx.err(
                v.stakers.span(),
                "rewards.voters.stakers",
                format!(
                    "no [[rewards.stakers]] group stakes in `{}`: nobody would vote",
                    v.stakers.get_ref()
                ),
            );
        }
        Some(VoterDrivers {
            pool: pool?,
            stakers: staking,
            turnout_min,
            turnout_max,
        })
    });
    let contributors = raw.contributors.as_ref().and_then(|c| {
        agents += u64::from(*c.accounts.get_ref());
        let pool = cx.pool("rewards.contributors.pool", &c.pool, Want::Points)?;
        Some(ContributorDrivers {
            pool,
            accounts: *c.accounts.get_ref(),
            score_max: *c.score_max.get_ref(),
            claim_every_days: days_or(&c.claim_every_days, 7),
            sell_share: cx.share_or(
                "rewards.contributors.sell_share",
                &c.sell_share,
                Ppm(1_000_000),
            ),
        })
    });
    if agents > u64::from(MAX_AGENTS) {
        cx.err(
            raw.at.clone(),
            "rewards",
            format!("the reward groups open {agents} accounts in all, at most {MAX_AGENTS}"),
        );
    }
    Some(RewardDrivers {
        epoch_days: days_or(&raw.epoch_days, 7),
        revenue,
        stakers,
        liquidity,
        voters,
        contributors,
    })
}
