//! Reading `[rewards]` (schema in `rewards.rs`): the raw groups, spans
//! kept, every whole number range-checked where it is read.

use super::MAX_AGENTS;
use crate::doc::Node;
use crate::read::{Fields, Reader};
use crate::values::Number;
use furnace_core::economy::MAX_LOCK_STEPS;
use toml::Spanned;

pub(crate) struct RawRewards {
    pub(crate) epoch_days: Option<Spanned<u32>>,
    pub(crate) revenue_rule: Option<Spanned<String>>,
    pub(crate) revenue_per_day: Option<Spanned<Number>>,
    pub(crate) stakers: Vec<RawStakers>,
    pub(crate) liquidity: Vec<RawLiquidity>,
    pub(crate) voters: Option<RawVoters>,
    pub(crate) contributors: Option<RawContributors>,
    pub(crate) at: std::ops::Range<usize>,
}

pub(crate) struct RawStakers {
    pub(crate) pool: Spanned<String>,
    pub(crate) accounts: Spanned<u32>,
    pub(crate) funded_from: Option<Spanned<String>>,
    pub(crate) buy_on: Option<Spanned<String>>,
    pub(crate) tokens_each: Spanned<Number>,
    pub(crate) stake_share: Option<Spanned<Number>>,
    pub(crate) lock_days: Vec<Spanned<u32>>,
    pub(crate) claim_every_days: Option<Spanned<u32>>,
    pub(crate) restake_share: Option<Spanned<Number>>,
    pub(crate) withdraw_at_lock_end: Option<Spanned<Number>>,
}

pub(crate) struct RawLiquidity {
    pub(crate) market: Spanned<String>,
    pub(crate) pool: Spanned<String>,
    pub(crate) accounts: Spanned<u32>,
    pub(crate) funded_from: Spanned<String>,
    pub(crate) tokens_each: Spanned<Number>,
    pub(crate) claim_every_days: Option<Spanned<u32>>,
    pub(crate) sell_share: Option<Spanned<Number>>,
}

pub(crate) struct RawVoters {
    pub(crate) pool: Spanned<String>,
    pub(crate) stakers: Spanned<String>,
    pub(crate) turnout_min: Spanned<Number>,
    pub(crate) turnout_max: Spanned<Number>,
}

pub(crate) struct RawContributors {
    pub(crate) pool: Spanned<String>,
    pub(crate) accounts: Spanned<u32>,
    pub(crate) score_max: Spanned<u32>,
    pub(crate) claim_every_days: Option<Spanned<u32>>,
    pub(crate) sell_share: Option<Spanned<Number>>,
}

/// Read `[rewards]` from the scenario's root table.
pub(crate) fn read(r: &mut Reader, f: &mut Fields, root: &Node) -> Option<RawRewards> {
    let at = match &root.kind {
        crate::doc::Kind::Table(t) => t.get("rewards").map(|e| e.key_span.clone()),
        _ => None,
    }
    .unwrap_or(0..0);
    let days = |r: &mut Reader, f: &mut Fields, name| f.int(r, name, 1, super::MAX_DAYS);
    f.table(r, "rewards", "the reward drivers", |r, t| RawRewards {
        epoch_days: days(r, t, "epoch_days"),
        revenue_rule: t.str(r, "revenue_rule"),
        revenue_per_day: t.num(r, "revenue_per_day"),
        stakers: t
            .opt_tables(r, "stakers", "a staker group", |r, s| RawStakers {
                pool: s.req_str(r, "pool"),
                accounts: s.req_int(r, "accounts", 1, MAX_AGENTS),
                funded_from: s.str(r, "funded_from"),
                buy_on: s.str(r, "buy_on"),
                tokens_each: s.req_num(r, "tokens_each"),
                stake_share: s.num(r, "stake_share"),
                lock_days: s
                    .ints(r, "lock_days", 0, MAX_LOCK_STEPS)
                    .map(Spanned::into_inner)
                    .unwrap_or_default(),
                claim_every_days: days(r, s, "claim_every_days"),
                restake_share: s.num(r, "restake_share"),
                withdraw_at_lock_end: s.num(r, "withdraw_at_lock_end"),
            })
            .map(Spanned::into_inner)
            .unwrap_or_default(),
        liquidity: t
            .opt_tables(r, "liquidity", "a liquidity provider group", |r, l| {
                RawLiquidity {
                    market: l.req_str(r, "market"),
                    pool: l.req_str(r, "pool"),
                    accounts: l.req_int(r, "accounts", 1, MAX_AGENTS),
                    funded_from: l.req_str(r, "funded_from"),
                    tokens_each: l.req_num(r, "tokens_each"),
                    claim_every_days: days(r, l, "claim_every_days"),
                    sell_share: l.num(r, "sell_share"),
                }
            })
            .map(Spanned::into_inner)
            .unwrap_or_default(),
        voters: t.table(r, "voters", "the voters", |r, v| RawVoters {
            pool: v.req_str(r, "pool"),
            stakers: v.req_str(r, "stakers"),
            turnout_min: v.req_num(r, "turnout_min"),
            turnout_max: v.req_num(r, "turnout_max"),
        }),
        contributors: t.table(r, "contributors", "the contributors", |r, c| {
            RawContributors {
                pool: c.req_str(r, "pool"),
                accounts: c.req_int(r, "accounts", 1, MAX_AGENTS),
                score_max: c.req_int(r, "score_max", 1, u32::MAX),
                claim_every_days: days(r, c, "claim_every_days"),
                sell_share: c.num(r, "sell_share"),
            }
        }),
        at,
    })
}
