//! Quotes: what `apply` would do, computed with the same functions and no
//! state change. `furnace quote` formats these; the audit's engine
//! functions call them; nothing redoes their arithmetic.

use crate::economy::{Destination, Economy, Payee};
use crate::engine::{
    revenue_split, split, subscription_tokens, tokens_for_value_floor, tokens_per_action, Price,
    Rejection, RevenueParts, SplitReceipt,
};
use crate::ids::{AccountId, PlanId, ProgramId, VersionId};
use crate::units::{BaseUnits, Ppm, PPM_ONE};

/// Stand-in for "the workflow's creator" in a quote: quotes have no state,
/// so the creator is not a real account.
pub const QUOTE_CREATOR: AccountId = AccountId(u32::MAX);

/// `actions` actions of a version at a token price.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ActionQuote {
    pub version: VersionId,
    pub price: Price,
    pub actions: u64,
    /// The USD (numeraire) price of all the actions.
    pub value: BaseUnits,
    pub tokens_per_action: BaseUnits,
    pub tokens: BaseUnits,
    /// The Creator Epoch of the marketplace workflow used (None: no
    /// marketplace workflow).
    pub creator_epoch: Option<u32>,
    /// The creator's share at that epoch (0 without a workflow).
    pub creator_share: Ppm,
    /// The split, creator postings to [`QUOTE_CREATOR`].
    pub split: SplitReceipt,
}

pub fn quote_actions(
    e: &Economy,
    version: VersionId,
    price: Price,
    actions: u64,
    creator_epoch: Option<u32>,
) -> Result<ActionQuote, Rejection> {
    let spec = e
        .versions
        .get(version.index())
        .ok_or(Rejection::UnknownVersion(version))?;
    if actions == 0 {
        return Err(Rejection::ZeroAmount);
    }
    if creator_epoch == Some(0) {
        return Err(Rejection::InvalidEpoch(0));
    }
    let rate = tokens_per_action(spec.price, price)?;
    let tokens = rate
        .checked_mul(u128::from(actions))
        .ok_or(Rejection::Overflow("tokens consumed"))?;
    let value = spec
        .price
        .checked_mul(u128::from(actions))
        .ok_or(Rejection::Overflow("value of the actions"))?;
    let the_split = e.split(spec.split);
    let receipt = split(
        the_split,
        tokens,
        creator_epoch.map(|epoch| (QUOTE_CREATOR, epoch)),
        None,
    )?;
    Ok(ActionQuote {
        version,
        price,
        actions,
        value,
        tokens_per_action: rate,
        tokens,
        creator_epoch,
        creator_share: creator_epoch.map_or(Ppm::ZERO, |ep| the_split.creator_share_for_epoch(ep)),
        split: receipt,
    })
}

/// What one buyback program would do with a plan's numeraire payment.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PlanBuyback {
    pub program: ProgramId,
    /// The part of the payment the revenue rule credits to its budget.
    pub budget: BaseUnits,
    /// Tokens that budget buys at the quoted price (rounded down).
    pub tokens: BaseUnits,
    pub destination: Destination,
    /// Actions of the plan's version those tokens pay for.
    pub actions_funded: BaseUnits,
}

/// A subscription plan, both ways of paying for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanQuote {
    pub plan: PlanId,
    /// Tokens to pay the plan in its token: `ceil(S (1 - d) / P)`.
    pub tokens: BaseUnits,
    /// The payment's value after the discount, rounded down.
    pub discounted_value: BaseUnits,
    /// `floor(tokens / actions_included)`: informative (releases are exact
    /// pro rata of the escrow, so one action may release a unit more).
    pub release_per_action: BaseUnits,
    /// A numeraire payment divided by the plan's revenue rule.
    pub revenue: RevenueParts,
    /// Programs whose budget the revenue rule feeds.
    pub buybacks: Vec<PlanBuyback>,
    /// What the included actions are worth at the version's price.
    pub allowance_value: BaseUnits,
}

/// Quote `plan` at `price` (the plan token's price).
pub fn quote_plan(e: &Economy, plan_id: PlanId, price: Price) -> Result<PlanQuote, Rejection> {
    let plan = e
        .plans
        .get(plan_id.index())
        .ok_or(Rejection::UnknownPlan(plan_id))?;
    let version = e.version(plan.version);
    let tokens = subscription_tokens(plan.price, plan.token_discount, price)?;
    let discounted_value = discounted(plan.price, plan.token_discount)?;
    let mut revenue = revenue_split(e.rule(plan.revenue), plan.price)?;
    revenue.rule = plan.revenue;
    let rate = tokens_per_action(version.price, price)?;
    let mut buybacks = Vec::new();
    for (i, b) in e.buybacks.iter().enumerate() {
        let budget: BaseUnits = revenue
            .parts()
            .iter()
            .filter(|(p, _)| *p == Payee::Account(b.budget))
            .map(|(_, a)| a)
            .sum();
        if budget == 0 || b.pay != e.numeraire || b.token != plan.token {
            continue;
        }
        let bought = tokens_for_value_floor(budget, price)?;
        buybacks.push(PlanBuyback {
            program: ProgramId::from_index(i).ok_or(Rejection::Overflow("program id"))?,
            budget,
            tokens: bought,
            destination: b.destination,
            actions_funded: bought / rate.max(1),
        });
    }
    Ok(PlanQuote {
        plan: plan_id,
        tokens,
        discounted_value,
        release_per_action: tokens / u128::from(plan.actions_included.max(1)),
        revenue,
        buybacks,
        allowance_value: version
            .price
            .checked_mul(u128::from(plan.actions_included))
            .ok_or(Rejection::Overflow("allowance value"))?,
    })
}

/// `floor(value * (1 - discount))`.
pub(crate) fn discounted(value: BaseUnits, discount: Ppm) -> Result<BaseUnits, Rejection> {
    crate::units::mul_div_floor(
        value,
        u128::from(PPM_ONE - discount.0.min(PPM_ONE)),
        u128::from(PPM_ONE),
    )
    .ok_or(Rejection::Overflow("discounted value"))
}
