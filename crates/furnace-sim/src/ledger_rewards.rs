//! The ledger's reward columns (issue 7), named from the economy file:
//! emissions by schedule channel, each reward pool's rewards, stake, its
//! value and APR, and each stake-burn program's staked share and burn
//! rate. `ledger.rs` lists the families in `FAMILIES` and asks this module
//! for the columns and their values.
//!
//! **Values and APR.** A value is in pico-numeraire: `floor(x P / 10^d)`
//! for `x` base units of an asset of `d` decimals whose oracle price is `P`
//! pico-numeraire per whole unit (the `<TOKEN>_price` column; the numeraire
//! is 10^12); an LP share of pool `m` is worth the pool's value per share,
//! `floor(x V / T)` with `V` the sum of its reserves' values and `T` its
//! share count. A pool's APR in the step is
//!
//! `floor(value(rewards) x 365 x 10^6 / value(staked)) / 10^6`
//!
//! (a step is a day: 365 a year), with `rewards` what the step credited to
//! positions (its credits less what went to `empty_to`) and `staked` the
//! pool's custody of its staked asset at the end of the step (deposits and
//! unbonding), both valued at the end-of-step prices. Empty when the stake
//! or a price is missing or worth nothing.

use crate::ledger::{Family, Unit, MISSING};
use furnace_core::economy::{MarketKind, PoolWeight, ValidEconomy};
use furnace_core::engine::{decimals_of, pico_den, price_of};
use furnace_core::ids::{AssetId, AssetSlot, MarketId, RewardPoolId, ScheduleId};
use furnace_core::units::{mul_div_floor, pow10, PPM_ONE, PRICE_DECIMALS};
use furnace_core::State;

pub const IN_REWARD_POOLS: Family = Family {
    pattern: "<ASSET>_in_reward_pools",
    meaning: "held at the end of the step in the custody of reward pools: rewards not yet claimed and deposits (staked and unbonding), for the declared assets a reward pool pays or stakes",
};
pub const CHANNEL_EMITTED: Family = Family {
    pattern: "<schedule>_<channel>_emitted",
    meaning: "what the emission schedule's channel received during the step: floor(emitted x share), the dust to the first channel, as the engine splits an epoch (the simulator emits at most one epoch of a schedule a step)",
};
pub const POOL_REWARDS: Family = Family {
    pattern: "<rewardpool>_rewards",
    meaning: "rewards credited to the reward pool's positions during the step (credits less what went to its empty_to), in its reward asset",
};
pub const POOL_STAKED: Family = Family {
    pattern: "<rewardpool>_staked",
    meaning: "the stake pool's custody of its staked asset at the end of the step (deposits and unbonding)",
};
pub const POOL_STAKED_VALUE: Family = Family {
    pattern: "<rewardpool>_staked_value",
    meaning: "<rewardpool>_staked valued in the numeraire at the end-of-step prices (an LP share at its pool's value per share), floored",
};
pub const POOL_APR: Family = Family {
    pattern: "<rewardpool>_apr",
    meaning: "the stake pool's APR in the step, a fraction: floor(value(rewards) x 365 x 10^6 / value(staked)) / 10^6, values in pico-numeraire at end-of-step prices (value(x) = floor(x x price / 10^decimals); an LP share is worth its pool's reserves' value / shares); empty when nothing is staked or unpriced",
};
pub const STAKED_SHARE: Family = Family {
    pattern: "<program>_staked_share",
    meaning: "the stake-burn buyback program's S at the end of the step, a fraction floored to 10^-6: its pool's staked tokens / circulating supply (supply less the balances of its excluded accounts)",
};
pub const BURN_RATE: Family = Family {
    pattern: "<program>_burn_rate",
    meaning: "the share 1 - S the program's next buyback would burn, at the end of the step, a fraction floored to 10^-6 (1 when nothing is staked or circulating)",
};

/// What one reward column reads.
#[derive(Copy, Clone, Debug)]
enum Read {
    /// Schedule `s`'s channel `c`.
    Channel(usize, usize),
    Rewards(usize),
    Staked(usize),
    StakedValue(usize),
    Apr(usize),
    StakedShare(usize),
    BurnRate(usize),
    InPools(AssetId),
}

/// A column: name, unit, family, meaning.
pub(crate) type Column = (String, Unit, &'static Family, String);

/// The reward columns of one run and what they remember between steps.
#[derive(Clone, Debug)]
pub(crate) struct RewardColumns {
    reads: Vec<Read>,
    /// Per schedule: emitted after the last recorded step.
    last_emitted: Vec<u128>,
    /// Per reward pool: credited and sent to `empty_to` after the last step.
    last_credited: Vec<(u128, u128)>,
}

impl RewardColumns {
    /// The columns and the reader.
    pub(crate) fn new(economy: &ValidEconomy, state: &State) -> (Vec<Column>, RewardColumns) {
        let mut cols = Vec::new();
        let mut reads = Vec::new();
        let amount = |a: AssetId| Unit::Amount {
            asset: economy.asset_name(a),
            decimals: decimals_of(economy, state, a).unwrap_or(0),
        };
        for a in (0..economy.assets.len()).filter_map(AssetId::declared) {
            let held = economy
                .reward_pools
                .iter()
                .any(|p| p.reward == a || p.stake_asset() == Some(a));
            if held {
                let name = economy.asset_name(a);
                cols.push((
                    format!("{name}_in_reward_pools"),
                    amount(a),
                    &IN_REWARD_POOLS,
                    format!("{name} in the custody of reward pools at the end of the step (unclaimed rewards, deposits, unbonding)"),
                ));
                reads.push(Read::InPools(a));
            }
        }
        for (s, spec) in economy.emissions.iter().enumerate() {
            for (c, ch) in spec.channels.iter().enumerate() {
                cols.push((
                    format!("{}_{}_emitted", spec.name, ch.name),
                    amount(spec.token),
                    &CHANNEL_EMITTED,
                    format!(
                        "what schedule `{}`'s channel `{}` received during the step",
                        spec.name, ch.name
                    ),
                ));
                reads.push(Read::Channel(s, c));
            }
        }
        for (p, spec) in economy.reward_pools.iter().enumerate() {
            let n = &spec.name;
            cols.push((
                format!("{n}_rewards"),
                amount(spec.reward),
                &POOL_REWARDS,
                format!("rewards credited to `{n}`'s positions during the step"),
            ));
            reads.push(Read::Rewards(p));
            if let PoolWeight::Stake { asset } = spec.weight {
                let numeraire = amount(economy.numeraire);
                for (name, unit, family, meaning, read) in [
                    (
                        "staked",
                        amount(asset),
                        &POOL_STAKED,
                        "custody of its staked asset at the end of the step",
                        Read::Staked(p),
                    ),
                    (
                        "staked_value",
                        numeraire,
                        &POOL_STAKED_VALUE,
                        "stake valued at the end-of-step prices",
                        Read::StakedValue(p),
                    ),
                    (
                        "apr",
                        Unit::Fraction,
                        &POOL_APR,
                        "APR in the step (a fraction; see the family)",
                        Read::Apr(p),
                    ),
                ] {
                    cols.push((
                        format!("{n}_{name}"),
                        unit,
                        family,
                        format!("`{n}`'s {meaning}"),
                    ));
                    reads.push(read);
                }
            }
        }
        for (b, spec) in economy.buybacks.iter().enumerate() {
            if spec.stake_burn.is_some() {
                let n = &spec.name;
                cols.push((
                    format!("{n}_staked_share"),
                    Unit::Fraction,
                    &STAKED_SHARE,
                    format!("S of buyback `{n}`: staked / circulating at the end of the step"),
                ));
                reads.push(Read::StakedShare(b));
                cols.push((
                    format!("{n}_burn_rate"),
                    Unit::Fraction,
                    &BURN_RATE,
                    format!("1 - S: what buyback `{n}` would burn of what it buys, at the end of the step"),
                ));
                reads.push(Read::BurnRate(b));
            }
        }
        // `Ledger::new` remembers the counters (`Ledger::remember`).
        let me = RewardColumns {
            reads,
            last_emitted: vec![0; economy.emissions.len()],
            last_credited: vec![(0, 0); economy.reward_pools.len()],
        };
        (cols, me)
    }

    /// Remember the counters the step flows are differences of.
    pub(crate) fn remember(&mut self, state: &State) {
        for (i, last) in self.last_emitted.iter_mut().enumerate() {
            *last = ScheduleId::from_index(i)
                .and_then(|s| state.schedule(s))
                .map_or(0, |s| s.emitted);
        }
        for (i, last) in self.last_credited.iter_mut().enumerate() {
            let t = pool_totals(state, i);
            *last = (t.0, t.1);
        }
    }

    /// The value of reward column `k` at the end of the step (before
    /// [`RewardColumns::remember`]).
    pub(crate) fn value(&self, economy: &ValidEconomy, state: &State, k: usize) -> u128 {
        match self.reads[k] {
            Read::Channel(s, c) => {
                let spec = &economy.emissions[s];
                let emitted = ScheduleId::from_index(s)
                    .and_then(|id| state.schedule(id))
                    .map_or(0, |st| st.emitted)
                    - self.last_emitted[s];
                let share = |ch: &furnace_core::economy::EmissionChannel| {
                    ch.share.of_floor(emitted).unwrap_or(0)
                };
                let own = share(&spec.channels[c]);
                if c == 0 {
                    // The dust of the split goes to the first channel.
                    let others: u128 = spec.channels.iter().map(share).sum();
                    own + (emitted - others)
                } else {
                    own
                }
            }
            Read::InPools(a) => (0..economy.reward_pools.len())
                .filter_map(|p| {
                    let spec = &economy.reward_pools[p];
                    let t = state.reward_pool(RewardPoolId::from_index(p)?)?.totals();
                    let reward = if spec.reward == a { t.rewards_held } else { 0 };
                    let stake = if spec.stake_asset() == Some(a) {
                        t.staked
                    } else {
                        0
                    };
                    // Custody is part of the supply: the sum fits.
                    Some(reward + stake)
                })
                .sum(),
            Read::Rewards(p) => self.rewards(state, p),
            Read::Staked(p) => pool_totals(state, p).2,
            Read::StakedValue(p) => {
                let nd = decimals_of(economy, state, economy.numeraire).unwrap_or(0);
                staked_value(economy, state, p).map_or(MISSING, |v| {
                    v / pow10(PRICE_DECIMALS - nd.min(PRICE_DECIMALS))
                })
            }
            Read::Apr(p) => {
                let spec = &economy.reward_pools[p];
                let rewards = value_of(economy, state, spec.reward, self.rewards(state, p));
                match (rewards, staked_value(economy, state, p)) {
                    (Some(r), Some(s)) if s > 0 => {
                        mul_div_floor(r, 365 * u128::from(PPM_ONE), s).unwrap_or(MISSING)
                    }
                    _ => MISSING,
                }
            }
            Read::StakedShare(b) => {
                let (staked, circulating) = stake_burn(economy, state, b);
                if circulating == 0 {
                    0
                } else {
                    mul_div_floor(staked, u128::from(PPM_ONE), circulating).unwrap_or(MISSING)
                }
            }
            Read::BurnRate(b) => {
                let (staked, circulating) = stake_burn(economy, state, b);
                if staked == 0 || circulating == 0 {
                    u128::from(PPM_ONE)
                } else {
                    mul_div_floor(
                        circulating.saturating_sub(staked),
                        u128::from(PPM_ONE),
                        circulating,
                    )
                    .unwrap_or(MISSING)
                }
            }
        }
    }

    fn rewards(&self, state: &State, p: usize) -> u128 {
        let (credited, to_empty, _) = pool_totals(state, p);
        let (c0, e0) = self.last_credited[p];
        (credited - c0) - (to_empty - e0)
    }
}

/// A pool's credited, sent to `empty_to`, and staked.
fn pool_totals(state: &State, p: usize) -> (u128, u128, u128) {
    RewardPoolId::from_index(p)
        .and_then(|id| state.reward_pool(id))
        .map_or((0, 0, 0), |pool| {
            let t = pool.totals();
            (t.credited, t.to_empty, t.staked)
        })
}

/// The stake burn's staked tokens and circulating supply, as the engine
/// reads them (`engine/buyback.rs`).
fn stake_burn(economy: &ValidEconomy, state: &State, b: usize) -> (u128, u128) {
    let spec = &economy.buybacks[b];
    let Some(sb) = &spec.stake_burn else {
        return (0, 0);
    };
    let staked = pool_totals(state, sb.pool.index()).2;
    let mut circulating = state.supply(spec.token);
    for a in &sb.excluded {
        circulating = circulating.saturating_sub(state.balance(spec.token, *a));
    }
    (staked, circulating)
}

/// The oracle price of `a` in pico-numeraire per whole unit, floored (the
/// `<TOKEN>_price` column); the numeraire is 10^12.
fn pico_price(economy: &ValidEconomy, state: &State, a: AssetId) -> Option<u128> {
    if a == economy.numeraire {
        return Some(pow10(PRICE_DECIMALS));
    }
    let nd = decimals_of(economy, state, economy.numeraire).ok()?;
    let td = decimals_of(economy, state, a).ok()?;
    let p = price_of(economy, state, a).ok()?;
    mul_div_floor(p.num, pico_den(nd, td), p.den)
}

/// `floor(x P / 10^d)` pico-numeraire (module docs); LP shares at their
/// pool's value per share.
fn value_of(economy: &ValidEconomy, state: &State, a: AssetId, x: u128) -> Option<u128> {
    if let AssetSlot::Lp(i) = a.slot() {
        // A declared pool's shares (a stake pool's LP asset is declared).
        let m = MarketId::from_index(i)?;
        let MarketKind::Pool { assets, .. } = &economy.markets.get(i)?.kind else {
            return None;
        };
        let pool = state.pool(m)?;
        let mut v: u128 = 0;
        for (asset, reserve) in assets.iter().zip(pool.reserves) {
            v = v.checked_add(value_of(economy, state, *asset, reserve)?)?;
        }
        return mul_div_floor(x, v, pool.shares.max(1));
    }
    let d = decimals_of(economy, state, a).ok()?;
    mul_div_floor(x, pico_price(economy, state, a)?, pow10(d))
}

fn staked_value(economy: &ValidEconomy, state: &State, p: usize) -> Option<u128> {
    let spec = &economy.reward_pools[p];
    let asset = spec.stake_asset()?;
    value_of(economy, state, asset, pool_totals(state, p).2)
}
