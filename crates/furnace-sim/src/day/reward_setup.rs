//! Setup of `[rewards]` (the module docs of `rewards.rs`): open, fund and
//! stake every holder before day 1, with the lock draws on stream 3.

use super::rewards::{below, Behaviour, Holder, Staker};
use crate::drivers::{rng, REWARDS_EPOCH_STREAM, REWARDS_SETUP_STREAM};
use crate::error::{unexpected, SimError};
use furnace_config::scenario::Funding;
use furnace_config::Scenario;
use furnace_core::economy::{MarketKind, ValidEconomy};
use furnace_core::engine::quote_swap;
use furnace_core::event::MintReason;
use furnace_core::ids::{AccountId, AssetId, MarketId, PositionId, RewardPoolId};
use furnace_core::units::mul_div_ceil;
use furnace_core::{Event, Order, Receipt, State};

type SetupApply<'a> = dyn FnMut(&mut State, &Event) -> Result<Receipt, SimError> + 'a;

fn opened(state: &mut State, apply: &mut SetupApply) -> Result<AccountId, SimError> {
    match apply(state, &Event::OpenAccount)? {
        Receipt::AccountOpened(a) => Ok(a),
        other => Err(unexpected(0, other)),
    }
}

fn open_position(
    state: &mut State,
    apply: &mut SetupApply,
    pool: RewardPoolId,
    owner: AccountId,
    amount: u128,
    lock_days: u32,
) -> Result<PositionId, SimError> {
    let event = Event::OpenPosition {
        pool,
        owner,
        amount_base_units: amount,
        lock_steps: lock_days,
    };
    match apply(state, &event)? {
        Receipt::PositionOpened { position, .. } => Ok(position),
        other => Err(unexpected(0, other)),
    }
}

/// Give `to` `amount` of `asset` from `from`, or say who is short.
fn fund(
    economy: &ValidEconomy,
    state: &mut State,
    apply: &mut SetupApply,
    (asset, from, to): (AssetId, AccountId, AccountId),
    amount: u128,
    group: &str,
) -> Result<(), SimError> {
    if amount == 0 {
        return Ok(());
    }
    if state.balance(asset, from) < amount {
        return Err(SimError::Setup(format!(
            "{group}: account `{}` holds {} base units of {}, too few to fund every account with {amount}",
            economy.account_name(from),
            state.balance(asset, from),
            economy.asset_name(asset)
        )));
    }
    apply(
        state,
        &Event::Transfer {
            asset,
            from,
            to,
            amount_base_units: amount,
        },
    )?;
    Ok(())
}

/// `to` buys exactly `amount` of `asset` on `market`, paying numeraire
/// brought in from outside (`Mint` as `external_inflow`, the exact input
/// the swap takes), as pay-as-you-go users buy.
fn buy(
    economy: &ValidEconomy,
    state: &mut State,
    apply: &mut SetupApply,
    (market, asset, to): (MarketId, AssetId, AccountId),
    amount: u128,
    group: &str,
) -> Result<(), SimError> {
    let order = Order::ExactOut {
        amount_out: amount,
        max_in: u128::MAX,
    };
    let usd = economy.numeraire;
    let q = quote_swap(economy, state, market, usd, order).map_err(|r| {
        SimError::Setup(format!(
            "{group}: market `{}` cannot sell {amount} base units of {} ({r})",
            economy.market(market).name,
            economy.asset_name(asset)
        ))
    })?;
    apply(
        state,
        &Event::Mint {
            asset: usd,
            to,
            amount_base_units: q.amount_in,
            reason: MintReason::ExternalInflow,
        },
    )?;
    apply(
        state,
        &Event::Swap {
            market,
            trader: to,
            sell: usd,
            order: Order::ExactOut {
                amount_out: amount,
                max_in: q.amount_in,
            },
        },
    )?;
    Ok(())
}

/// Open and fund every holder of `[rewards]` (module docs).
pub(crate) fn setup_rewards(
    economy: &ValidEconomy,
    scenario: &Scenario,
    seed: u64,
    state: &mut State,
    apply: &mut SetupApply,
    names: &mut Vec<(AccountId, String)>,
) -> Result<Option<Behaviour>, SimError> {
    let Some(d) = &scenario.rewards else {
        return Ok(None);
    };
    let mut draws = rng(seed, REWARDS_SETUP_STREAM);
    let mut stakers = Vec::new();
    for (g, s) in d.stakers.iter().enumerate() {
        let pool_name = &economy.reward_pool(s.pool).name;
        let vote_pool = d
            .voters
            .as_ref()
            .filter(|v| v.stakers == s.pool)
            .map(|v| v.pool);
        let stake = s.stake_share.of_floor(s.tokens_each).unwrap_or(0);
        if stake == 0 {
            return Err(SimError::Setup(format!(
                "[[rewards.stakers]] of `{pool_name}`: stake_share of tokens_each stakes nothing"
            )));
        }
        for k in 0..s.accounts {
            let account = opened(state, apply)?;
            names.push((account, format!("{pool_name} staker {}", k + 1)));
            let group = format!("[[rewards.stakers]] of `{pool_name}`");
            match s.funding {
                Funding::Account(from) => fund(
                    economy,
                    state,
                    apply,
                    (s.asset, from, account),
                    s.tokens_each,
                    &group,
                )?,
                Funding::Market(market) => buy(
                    economy,
                    state,
                    apply,
                    (market, s.asset, account),
                    s.tokens_each,
                    &group,
                )?,
            }
            let n = s.lock_days.len() as u64;
            let pick = usize::try_from(below(&mut draws, n)).expect("below the list's length");
            let lock_days = s.lock_days[pick];
            let position = open_position(state, apply, s.pool, account, stake, lock_days)?;
            let vote = match vote_pool {
                Some(p) => Some(open_position(state, apply, p, account, 0, 0)?),
                None => None,
            };
            stakers.push(Staker {
                group: g,
                account,
                position,
                lock_days,
                vote,
                withdrawn: false,
            });
        }
    }
    let mut liquidity = Vec::new();
    for (g, l) in d.liquidity.iter().enumerate() {
        let MarketKind::Pool { assets, .. } = economy.market(l.market).kind else {
            unreachable!("config checked a pool market");
        };
        let pool_name = &economy.reward_pool(l.pool).name;
        let k_token = usize::from(assets[0] == economy.numeraire);
        let token = assets[k_token];
        for k in 0..l.accounts {
            let account = opened(state, apply)?;
            names.push((account, format!("{pool_name} provider {}", k + 1)));
            let group = format!("[[rewards.liquidity]] of `{pool_name}`");
            fund(
                economy,
                state,
                apply,
                (token, l.funded_from, account),
                l.tokens_each,
                &group,
            )?;
            let reserves = state.pool(l.market).map_or([0, 0], |p| p.reserves);
            let numeraire = mul_div_ceil(
                l.tokens_each,
                reserves[1 - k_token],
                reserves[k_token].max(1),
            )
            .ok_or_else(|| SimError::Setup(format!("{group}: the numeraire side overflows")))?;
            if numeraire == 0 {
                return Err(SimError::Setup(format!(
                    "{group}: pool `{}` holds no reserves to add to",
                    economy.market(l.market).name
                )));
            }
            apply(
                state,
                &Event::Mint {
                    asset: economy.numeraire,
                    to: account,
                    amount_base_units: numeraire,
                    reason: MintReason::ExternalInflow,
                },
            )?;
            let mut amounts = [0; 2];
            amounts[k_token] = l.tokens_each;
            amounts[1 - k_token] = numeraire;
            let add = Event::AddLiquidity {
                market: l.market,
                provider: account,
                amounts,
                min_shares: 0,
            };
            let shares = match apply(state, &add)? {
                Receipt::LiquidityAdded(r) => r.shares,
                other => return Err(unexpected(0, other)),
            };
            if shares == 0 {
                return Err(SimError::Setup(format!(
                    "{group}: tokens_each buys no LP share of `{}`",
                    economy.market(l.market).name
                )));
            }
            let position = open_position(state, apply, l.pool, account, shares, 0)?;
            liquidity.push(Holder {
                group: g,
                account,
                position,
            });
        }
    }
    let mut contributors = Vec::new();
    if let Some(c) = &d.contributors {
        let pool_name = &economy.reward_pool(c.pool).name;
        for k in 0..c.accounts {
            let account = opened(state, apply)?;
            names.push((account, format!("{pool_name} contributor {}", k + 1)));
            let position = open_position(state, apply, c.pool, account, 0, 0)?;
            contributors.push(Holder {
                group: 0,
                account,
                position,
            });
        }
    }
    let capped = (0..economy.reward_pools.len())
        .filter(|&i| economy.reward_pools[i].stake_cap.is_some())
        .filter_map(RewardPoolId::from_index)
        .collect();
    Ok(Some(Behaviour {
        rng: rng(seed, REWARDS_EPOCH_STREAM),
        stakers,
        liquidity,
        contributors,
        capped,
    }))
}
