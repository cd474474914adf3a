//! Metered actions, subscriptions and their escrow, and the step clock.

use super::pricing::{price_of, spot, subscription_tokens, tokens_per_action};
use super::revenue::{check_payees, credit_revenue, revenue_split};
use super::split::{check_sinks, settle, split, SplitReceipt};
use super::{check_account, check_funds, Receipt, Rejection};
use crate::economy::{Economy, Oracle, MAX_VENUES};
use crate::event::{Payer, Payment};
use crate::ids::{AccountId, AssetId, PathId, PlanId, SubscriptionId, VersionId, WorkflowId};
use crate::state::{State, Subscription};
use crate::units::BaseUnits;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ActionsReceipt {
    pub count: u64,
    /// Tokens per action at the oracle price (0 for escrow releases, whose
    /// rate was fixed at payment).
    pub tokens_per_action: BaseUnits,
    pub split: SplitReceipt,
}

/// `Tick`: one step passes. Time-weighted oracles sample their pool's spot
/// price (pico per whole token; an empty pool gives no sample), and each
/// buyback program's per-step spending starts afresh.
pub(crate) fn apply_tick(economy: &Economy, state: &mut State) -> Result<Receipt, Rejection> {
    // Two passes over the same pure computation, so the tick allocates
    // nothing: the first checks every sample fits, the second stores them
    // (the spot prices cannot change in between: nothing is mutated yet).
    for i in 0..economy.oracles.len() {
        if let Some(pico) = twap_sample(economy, state, i)? {
            let twap = state.twaps[i]
                .as_ref()
                .expect("twap state for a twap oracle");
            let old = if twap.count == twap.samples.len() {
                twap.samples[twap.next]
            } else {
                0
            };
            (twap.sum - old)
                .checked_add(pico)
                .ok_or(Rejection::Overflow("TWAP sum"))?;
        }
    }
    let step = state
        .step
        .checked_add(1)
        .ok_or(Rejection::Overflow("step"))?;
    // Validated: mutate.
    for i in 0..economy.oracles.len() {
        let Some(pico) = twap_sample(economy, state, i).expect("checked above") else {
            continue;
        };
        let twap = state.twaps[i].as_mut().expect("checked above");
        let window = twap.samples.len();
        if twap.count == window {
            twap.sum -= twap.samples[twap.next];
        } else {
            twap.count += 1;
        }
        twap.samples[twap.next] = pico;
        twap.sum += pico;
        twap.next = (twap.next + 1) % window;
    }
    for p in &mut state.programs {
        p.spent_this_step = 0;
        p.venue_spent_this_step = [0; MAX_VENUES];
    }
    state.step = step;
    Ok(Receipt::Ticked { step })
}

/// The spot sample a time-weighted oracle takes at a tick (pico-numeraire
/// per whole token), if declared asset `i` has one and its pool is not
/// empty.
fn twap_sample(economy: &Economy, state: &State, i: usize) -> Result<Option<u128>, Rejection> {
    let Oracle::Twap { market, .. } = economy.oracles[i] else {
        return Ok(None);
    };
    let token = AssetId::declared(i).expect("validated");
    let Ok(price) = spot(economy, state, token, market, 0) else {
        return Ok(None);
    };
    let nd = super::decimals_of(economy, state, economy.numeraire)?;
    price
        .pico(nd, economy.assets[i].decimals)
        .map(Some)
        .ok_or(Rejection::Overflow("TWAP sample"))
}

/// The price of `version`'s action in tokens right now.
#[inline]
pub fn version_tokens_per_action(
    economy: &Economy,
    state: &State,
    version: VersionId,
) -> Result<BaseUnits, Rejection> {
    let spec = economy
        .versions
        .get(version.index())
        .ok_or(Rejection::UnknownVersion(version))?;
    tokens_per_action(spec.price, price_of(economy, state, spec.token)?)
}

#[inline]
pub(crate) fn apply_actions(
    economy: &Economy,
    state: &mut State,
    payer: Payer,
    version: VersionId,
    count: u64,
    workflow: Option<WorkflowId>,
    path: Option<PathId>,
) -> Result<Receipt, Rejection> {
    let spec = economy
        .versions
        .get(version.index())
        .ok_or(Rejection::UnknownVersion(version))?;
    if count == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let token = spec.token;
    let creator = match workflow {
        Some(w) => {
            let wf = state
                .workflows
                .get(w.index())
                .ok_or(Rejection::UnknownWorkflow(w))?;
            Some((wf.creator, wf.epoch))
        }
        None => None,
    };
    let path = match path {
        Some(p) => {
            let trainers = state
                .paths
                .get(p.index())
                .ok_or(Rejection::UnknownPath(p))?;
            // A pooled path's pool must pay in the token consumed.
            if let Some(pool) = trainers.pool {
                let reward = super::launch_stake::reward_spec(economy, state, pool)
                    .ok_or(Rejection::UnknownRewardPool(pool))?
                    .reward;
                if reward != token {
                    return Err(Rejection::RewardAssetMismatch { pool, asset: token });
                }
            }
            Some((p, trainers))
        }
        None => None,
    };
    let at_oracle_price = || -> Result<(BaseUnits, BaseUnits), Rejection> {
        let rate = tokens_per_action(spec.price, price_of(economy, state, token)?)?;
        let total = rate
            .checked_mul(u128::from(count))
            .ok_or(Rejection::Overflow("tokens consumed"))?;
        Ok((rate, total))
    };
    // (who is debited, tokens per action, total, subscription to advance, from escrow)
    let (debit_from, rate, total, subscription, from_escrow) = match payer {
        Payer::Account(a) => {
            check_account(state, a)?;
            let (rate, total) = at_oracle_price()?;
            (a, rate, total, None, false)
        }
        Payer::Subscription(id) => {
            let sub = state
                .subscriptions
                .get(id.index())
                .ok_or(Rejection::UnknownSubscription(id))?;
            if !sub.active {
                return Err(Rejection::SubscriptionInactive(id));
            }
            let plan = economy.plan(sub.plan);
            if plan.version != version {
                return Err(Rejection::PlanVersionMismatch {
                    plan_version: plan.version,
                    requested: version,
                });
            }
            let exceeded = Rejection::AllowanceExceeded {
                subscription: id,
                included: plan.actions_included,
                used: sub.actions_used,
                requested: count,
            };
            if sub.actions_used.saturating_add(count) > plan.actions_included {
                return Err(exceeded);
            }
            match sub.payment {
                Payment::Token => {
                    let release = sub
                        .release_for(count, plan.actions_included)
                        .ok_or(exceeded)?;
                    (plan.escrow, 0, release, Some(id), true)
                }
                Payment::Numeraire => {
                    // Funded from the operator's inventory (LAM: bought back
                    // with the subscription revenue) at the oracle price.
                    let inventory = plan.funded_from.ok_or(Rejection::NotConfigured(
                        "inventory (`funded_from`) for this plan's numeraire-paid subscriptions",
                    ))?;
                    let (rate, total) = at_oracle_price()?;
                    (inventory, rate, total, Some(id), false)
                }
            }
        }
    };
    check_funds(state, token, debit_from, total)?;
    let receipt = split(economy.split(spec.split), total, creator, path)?;
    check_sinks(state, &receipt)?;
    // Validated: mutate.
    state.debit_checked(token, debit_from, total);
    settle(economy, state, token, &receipt);
    if let Some(id) = subscription {
        let sub = &mut state.subscriptions[id.index()];
        sub.actions_used += count;
        if from_escrow {
            sub.released_base_units += total;
        }
    }
    Ok(Receipt::Actions(ActionsReceipt {
        count,
        tokens_per_action: rate,
        split: receipt,
    }))
}

pub(crate) fn apply_subscribe(
    economy: &Economy,
    state: &mut State,
    subscriber: AccountId,
    plan_id: PlanId,
    payment: Payment,
) -> Result<Receipt, Rejection> {
    let plan = economy
        .plans
        .get(plan_id.index())
        .ok_or(Rejection::UnknownPlan(plan_id))?;
    check_account(state, subscriber)?;
    let id = SubscriptionId::from_index(state.subscriptions.len())
        .ok_or(Rejection::TooMany("subscriptions"))?;
    let mut subscription = Subscription {
        subscriber,
        plan: plan_id,
        payment,
        escrow_base_units: 0,
        released_base_units: 0,
        actions_used: 0,
        active: true,
    };
    match payment {
        Payment::Token => {
            let price = price_of(economy, state, plan.token)?;
            let tokens = subscription_tokens(plan.price, plan.token_discount, price)?;
            check_funds(state, plan.token, subscriber, tokens)?;
            state.debit_checked(plan.token, subscriber, tokens);
            state.credit(plan.token, plan.escrow, tokens);
            subscription.escrow_base_units = tokens;
            state.subscriptions.push(subscription);
            Ok(Receipt::Subscribed {
                subscription: id,
                tokens_escrowed: tokens,
                paid: 0,
            })
        }
        Payment::Numeraire => {
            let parts = revenue_split(economy.rule(plan.revenue), plan.price)?;
            check_payees(state, &parts)?;
            super::check_mint(economy, state, economy.numeraire, plan.price)?;
            credit_revenue(economy, state, &parts);
            state.subscriptions.push(subscription);
            Ok(Receipt::Subscribed {
                subscription: id,
                tokens_escrowed: 0,
                paid: plan.price,
            })
        }
    }
}

pub(crate) fn apply_expire(
    economy: &Economy,
    state: &mut State,
    subscription: SubscriptionId,
) -> Result<Receipt, Rejection> {
    let sub = state
        .subscriptions
        .get(subscription.index())
        .ok_or(Rejection::UnknownSubscription(subscription))?;
    if !sub.active {
        return Err(Rejection::SubscriptionInactive(subscription));
    }
    let remaining = sub.escrow_base_units - sub.released_base_units;
    let plan = economy.plan(sub.plan);
    let version = economy.version(plan.version);
    let released = if remaining > 0 {
        let receipt = split(economy.split(version.split), remaining, None, None)?;
        check_sinks(state, &receipt)?;
        check_funds(state, version.token, plan.escrow, remaining)?;
        Some(receipt)
    } else {
        None
    };
    // Validated: mutate.
    if let Some(receipt) = &released {
        state.debit_checked(version.token, plan.escrow, remaining);
        settle(economy, state, version.token, receipt);
    }
    let sub = &mut state.subscriptions[subscription.index()];
    sub.released_base_units = sub.escrow_base_units;
    sub.active = false;
    Ok(Receipt::Expired {
        subscription,
        released,
    })
}
