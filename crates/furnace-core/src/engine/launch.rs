//! Bonding-curve launches: creation, purchases along the curve, refusal of
//! sales, and refunds of a failed raise. Graduation is `graduate.rs`. The
//! rules and the curve's formulas are documented on
//! `economy::LaunchSpec` (`economy/launch.rs`).
//!
//! Exact arithmetic of one purchase `BuyOnCurve { quote_in }` at curve
//! reserves `(x, y) = (virtual_quote + raised, virtual_tokens - sold)`:
//! - `principal = floor(quote_in (10^6 - fee_ppm) / 10^6)`, `fee =
//!   quote_in - principal` (the fee rounds up, against the buyer);
//! - `tokens = floor(principal y / (x + principal))`
//!   (`pool_math::amount_out` with no fee; the curve keeps the remainder);
//! - the raise becomes `raised + principal`, at most `max_raise`; reaching
//!   it exactly graduates the launch in the same event.

use super::graduate::{execute, plan, Graduation};
use super::rewards::{check_destination, deliver};
use super::{check_account, check_funds, Receipt, Rejection};
use crate::economy::{Economy, LaunchSpec};
use crate::event::BurnReason;
use crate::ids::{AccountId, AssetId, LaunchId, LaunchSpecId};
use crate::pool_math::amount_out;
use crate::state::{LaunchState, LaunchStatus, LaunchedToken, State};
use crate::units::{mul_div_ceil, mul_div_floor, BaseUnits, Ppm, PPM_ONE};
use std::collections::BTreeMap;

/// A purchase along a launch's curve, as applied (or quoted).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CurveBuy {
    pub launch: LaunchId,
    pub buyer: AccountId,
    /// What the buyer paid: `principal + fee`.
    pub paid: BaseUnits,
    pub fee: BaseUnits,
    pub principal: BaseUnits,
    /// Tokens the curve owes the buyer for this purchase.
    pub tokens: BaseUnits,
    /// The raise after this purchase.
    pub raised: BaseUnits,
    /// The purchase reached the maximum raise: the launch graduated.
    pub graduation: Option<Graduation>,
}

/// A failed launch's refunds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    pub launch: LaunchId,
    /// Principal returned, in total: exactly what was raised.
    pub refunded: BaseUnits,
    pub buyers: u64,
    /// Purchase fees paid during the raise, not refunded.
    pub fees_kept: BaseUnits,
}

/// The least `quote_in` that commits `principal` under a purchase fee:
/// `ceil(principal 10^6 / (10^6 - fee))` (its principal is exactly
/// `principal`: one unit less commits less). None for a fee of 100%.
pub fn quote_in_for_principal(fee: Ppm, principal: BaseUnits) -> Option<BaseUnits> {
    let kept = PPM_ONE.checked_sub(fee.0).filter(|k| *k > 0)?;
    mul_div_ceil(principal, u128::from(PPM_ONE), u128::from(kept))
}

pub(super) fn launch_of<'e, 's>(
    e: &'e Economy,
    state: &'s State,
    launch: LaunchId,
) -> Result<(&'e LaunchSpec, &'s LaunchState), Rejection> {
    let l = state
        .launches
        .get(launch.index())
        .ok_or(Rejection::UnknownLaunch(launch))?;
    Ok((e.launch_spec(l.spec), l))
}

/// Refuse anything but a raising launch.
pub(super) fn check_raising(launch: LaunchId, l: &LaunchState) -> Result<(), Rejection> {
    match l.status {
        LaunchStatus::Raising => Ok(()),
        LaunchStatus::Graduated { pool, .. } => Err(Rejection::LaunchGraduated { launch, pool }),
        LaunchStatus::Failed { .. } => Err(Rejection::LaunchFailed(launch)),
    }
}

pub(crate) fn apply_create(
    e: &Economy,
    state: &mut State,
    spec_id: LaunchSpecId,
    issuer: AccountId,
) -> Result<Receipt, Rejection> {
    let spec = e
        .launches
        .get(spec_id.index())
        .ok_or(Rejection::UnknownLaunchSpec(spec_id))?;
    check_account(state, issuer)?;
    let launch =
        LaunchId::from_index(state.launches.len()).ok_or(Rejection::TooMany("launches"))?;
    AssetId::launched(state.launched.len()).ok_or(Rejection::TooMany("tokens"))?;
    let closes_step = state
        .step
        .checked_add(u64::from(spec.window_steps))
        .ok_or(Rejection::Overflow("launch window"))?;
    let fee = spec.launch_fee;
    if fee > 0 {
        check_funds(state, spec.quote, issuer, fee)?;
        check_destination(state, spec.launch_fee_to, fee)?;
    }
    // Validated: mutate.
    if fee > 0 {
        state.debit_checked(spec.quote, issuer, fee);
        // A burned launch fee is the issuer's choice to launch: `voluntary`.
        deliver(
            e,
            state,
            spec.quote,
            spec.launch_fee_to,
            fee,
            BurnReason::Voluntary,
        );
    }
    let token = state
        .launch(LaunchedToken {
            decimals: spec.decimals,
            max_supply: Some(spec.total_supply),
            oracle: None,
            launch: Some(launch),
        })
        .expect("checked: the launched range has room");
    state.launches.push(LaunchState {
        spec: spec_id,
        issuer,
        token,
        created_step: state.step,
        closes_step,
        status: LaunchStatus::Raising,
        raised: 0,
        sold: 0,
        fees: 0,
        held: 0,
        commitments: BTreeMap::new(),
        stake_pool: None,
        usage: BTreeMap::new(),
        gross_usage: 0,
    });
    Ok(Receipt::LaunchCreated { launch, token, fee })
}

/// A purchase computed without changing anything (every rejection
/// `BuyOnCurve` can give, except the graduation's own).
pub fn quote_buy(
    e: &Economy,
    state: &State,
    launch: LaunchId,
    buyer: AccountId,
    quote_in: BaseUnits,
    min_tokens_out: BaseUnits,
) -> Result<CurveBuy, Rejection> {
    let (spec, l) = launch_of(e, state, launch)?;
    check_raising(launch, l)?;
    if state.step >= l.closes_step {
        return Err(Rejection::LaunchWindowClosed {
            launch,
            closed_at: l.closes_step,
        });
    }
    check_account(state, buyer)?;
    if quote_in == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let kept = u128::from(PPM_ONE - spec.purchase_fee.0);
    let principal = mul_div_floor(quote_in, kept, u128::from(PPM_ONE))
        .ok_or(Rejection::Overflow("principal"))?;
    let fee = quote_in - principal;
    let raised = l
        .raised
        .checked_add(principal)
        .filter(|r| *r <= spec.max_raise)
        .ok_or(Rejection::AboveMaxRaise {
            launch,
            max_raise: spec.max_raise,
            raised: l.raised,
            principal,
        })?;
    let (x, y) = l
        .curve_reserves(spec)
        .ok_or(Rejection::Overflow("curve reserves"))?;
    let tokens = if principal == 0 {
        0
    } else {
        amount_out(principal, x, y, 0).ok_or(Rejection::Overflow("curve purchase"))?
    };
    if tokens == 0 || tokens < min_tokens_out {
        return Err(Rejection::SlippageExceeded {
            limit: min_tokens_out.max(1),
            actual: tokens,
        });
    }
    // Validation bounds what the maximum raise sells by the sale
    // allocation; checked again rather than trusted.
    let sold = l.sold.checked_add(tokens);
    if sold.is_none_or(|s| s > spec.allocated_to(crate::economy::AllocationTarget::Sale)) {
        return Err(Rejection::Overflow("sale allocation"));
    }
    let c = l.commitment(buyer);
    if buyer == l.issuer {
        let cap = spec.issuer_cap();
        if c.tokens.checked_add(tokens).is_none_or(|t| t > cap) {
            return Err(Rejection::IssuerCapExceeded {
                launch,
                cap,
                owed: c.tokens,
                tokens,
            });
        }
    } else if let Some(cap) = spec.max_commit_per_buyer {
        if c.principal.checked_add(principal).is_none_or(|p| p > cap) {
            return Err(Rejection::BuyerCapExceeded {
                launch,
                cap,
                committed: c.principal,
                principal,
            });
        }
    }
    check_funds(state, spec.quote, buyer, quote_in)?;
    if fee > 0 {
        check_destination(state, spec.purchase_fee_to, fee)?;
    }
    Ok(CurveBuy {
        launch,
        buyer,
        paid: quote_in,
        fee,
        principal,
        tokens,
        raised,
        graduation: None,
    })
}

pub(crate) fn apply_buy(
    e: &Economy,
    state: &mut State,
    launch: LaunchId,
    buyer: AccountId,
    quote_in: BaseUnits,
    min_tokens_out: BaseUnits,
) -> Result<Receipt, Rejection> {
    let mut q = quote_buy(e, state, launch, buyer, quote_in, min_tokens_out)?;
    let (spec, l) = launch_of(e, state, launch)?;
    let plan = if q.raised == spec.max_raise {
        // The sums cannot overflow: quote_buy checked them.
        Some(plan(e, state, launch, q.raised, l.sold + q.tokens)?)
    } else {
        None
    };
    // Validated: mutate.
    state.debit_checked(spec.quote, buyer, quote_in);
    deliver(
        e,
        state,
        spec.quote,
        spec.purchase_fee_to,
        q.fee,
        BurnReason::Voluntary,
    );
    let l = &mut state.launches[launch.index()];
    l.raised = q.raised;
    l.held = q.raised;
    l.sold += q.tokens;
    l.fees += q.fee;
    let c = l.commitments.entry(buyer).or_default();
    c.principal += q.principal;
    c.tokens += q.tokens;
    c.fees += q.fee;
    if let Some(plan) = plan {
        q.graduation = Some(execute(e, state, &plan));
    }
    Ok(Receipt::BoughtOnCurve(q))
}

/// `SellOnCurve` is always refused, with the reason that applies.
pub(crate) fn refuse_sell(state: &State, launch: LaunchId) -> Result<Receipt, Rejection> {
    let l = state
        .launches
        .get(launch.index())
        .ok_or(Rejection::UnknownLaunch(launch))?;
    check_raising(launch, l)?;
    Err(Rejection::SellDuringRaise(launch))
}

pub(crate) fn apply_fail(
    e: &Economy,
    state: &mut State,
    launch: LaunchId,
) -> Result<Receipt, Rejection> {
    let (spec, l) = launch_of(e, state, launch)?;
    check_raising(launch, l)?;
    if state.step < l.closes_step {
        return Err(Rejection::LaunchWindowOpen {
            launch,
            closes_at: l.closes_step,
        });
    }
    if l.raised >= spec.min_raise {
        return Err(Rejection::MinRaiseReached {
            launch,
            min_raise: spec.min_raise,
            raised: l.raised,
        });
    }
    let quote = spec.quote;
    // Validated: mutate. Every buyer exists (they bought); each gets back
    // exactly the principal they committed, which sums to `held`.
    let step = state.step;
    let l = &mut state.launches[launch.index()];
    let commitments = std::mem::take(&mut l.commitments);
    let receipt = Refund {
        launch,
        refunded: l.held,
        buyers: commitments.len() as u64,
        fees_kept: l.fees,
    };
    l.held = 0;
    l.status = LaunchStatus::Failed { step };
    let mut refunded: BaseUnits = 0;
    for (buyer, c) in &commitments {
        if c.principal > 0 {
            state.credit(quote, *buyer, c.principal);
            refunded += c.principal;
        }
    }
    assert_eq!(refunded, receipt.refunded, "refunds must return the raise");
    state.launches[launch.index()].commitments = commitments;
    Ok(Receipt::LaunchRefunded(receipt))
}
