//! Money paid in: revenue rules, mint on purchase, and redemption.
//!
//! A payment in the numeraire enters the economy (minted, reason
//! `external_inflow`) and is divided by a revenue rule: each part
//! `floor(amount * share)`, the dust to the first part. A part paid out of
//! the economy (a cost bucket: compute, API) is minted and burned at once
//! (reason `cost`), so for the numeraire `paid in == held + paid out`
//! always balances and the cost is on the record.

use super::rewards::{check_destination, check_pool_credit, credit_pool, deliver};
use super::split::share_floor;
use super::{check_account, check_funds, check_mint, Receipt, Rejection};
use crate::economy::{Economy, Payee, RevenueRule, MAX_REVENUE_PARTS};
use crate::event::{BurnReason, MintReason};
use crate::ids::{AccountId, RedemptionId, RuleId, SaleId};
use crate::state::State;
use crate::units::{mul_div_ceil, pow10, BaseUnits};

/// A payment divided by a revenue rule: one amount per part of the rule,
/// in the rule's order. Fixed size: dividing allocates nothing.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RevenueParts {
    pub rule: RuleId,
    pub total: BaseUnits,
    pub parts: [(Payee, BaseUnits); MAX_REVENUE_PARTS],
    pub n: u8,
}

impl RevenueParts {
    pub fn parts(&self) -> &[(Payee, BaseUnits)] {
        &self.parts[..usize::from(self.n)]
    }

    /// Paid out of the economy (cost buckets).
    pub fn paid_out(&self) -> BaseUnits {
        self.parts()
            .iter()
            .filter(|(p, _)| *p == Payee::PayOut)
            .map(|(_, a)| a)
            .sum()
    }

    /// Credited to `account`.
    pub fn to_account(&self, account: AccountId) -> BaseUnits {
        self.parts()
            .iter()
            .filter(|(p, _)| *p == Payee::Account(account))
            .map(|(_, a)| a)
            .sum()
    }
}

/// Divide `amount` by `rule`: each part `floor(amount * share)`, the dust
/// to the first part, so the parts sum exactly to `amount`.
pub fn revenue_split(rule: &RevenueRule, amount: BaseUnits) -> Result<RevenueParts, Rejection> {
    let mut out = RevenueParts {
        rule: RuleId(0),
        total: amount,
        parts: [(Payee::PayOut, 0); MAX_REVENUE_PARTS],
        n: 0,
    };
    let mut paid: BaseUnits = 0;
    for (slot, part) in out.parts.iter_mut().zip(&rule.parts) {
        let a = share_floor(amount, part.share)?;
        *slot = (part.to, a);
        paid += a;
        out.n += 1;
    }
    if out.n > 0 {
        out.parts[0].1 += amount - paid;
    }
    Ok(out)
}

/// Book a divided payment: mint each part into its account, or mint and
/// pay it out. The caller checked the numeraire's supply can take it.
pub(crate) fn credit_revenue(economy: &Economy, state: &mut State, parts: &RevenueParts) {
    let n = economy.numeraire;
    let mut booked: BaseUnits = 0;
    for &(payee, amount) in parts.parts() {
        booked += amount;
        if amount == 0 {
            continue;
        }
        state.mint_into_flow(n, amount, MintReason::ExternalInflow);
        match payee {
            Payee::Account(a) => state.credit(n, a, amount),
            Payee::PayOut => state.burn_from_flow(n, amount, BurnReason::Cost),
            Payee::RewardPool(p) => {
                credit_pool(economy, state, p, amount);
            }
        }
    }
    assert_eq!(booked, parts.total, "revenue parts must sum to the payment");
}

/// Every payee can be credited (a pool: the whole payment, conservatively).
pub(crate) fn check_payees(state: &State, parts: &RevenueParts) -> Result<(), Rejection> {
    for (payee, _) in parts.parts() {
        match *payee {
            Payee::Account(a) => check_account(state, a)?,
            Payee::RewardPool(p) => check_pool_credit(state, p, parts.total)?,
            Payee::PayOut => {}
        }
    }
    Ok(())
}

pub(crate) fn apply_revenue(
    economy: &Economy,
    state: &mut State,
    rule: RuleId,
    amount: BaseUnits,
) -> Result<RevenueParts, Rejection> {
    let spec = economy
        .rules
        .get(rule.index())
        .ok_or(Rejection::UnknownRule(rule))?;
    if amount == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let mut parts = revenue_split(spec, amount)?;
    parts.rule = rule;
    check_payees(state, &parts)?;
    check_mint(economy, state, economy.numeraire, amount)?;
    credit_revenue(economy, state, &parts);
    Ok(parts)
}

/// The numeraire a purchase of `tokens` base units costs at a sale's price
/// (per whole token), rounded up: the buyer never pays less than the price.
pub fn purchase_cost(
    price_per_whole: BaseUnits,
    token_decimals: u8,
    tokens: BaseUnits,
) -> Result<BaseUnits, Rejection> {
    mul_div_ceil(tokens, price_per_whole, pow10(token_decimals))
        .ok_or(Rejection::Overflow("purchase cost"))
}

pub(crate) fn apply_purchase(
    economy: &Economy,
    state: &mut State,
    sale: SaleId,
    buyer: AccountId,
    tokens: BaseUnits,
) -> Result<Receipt, Rejection> {
    let spec = economy
        .sales
        .get(sale.index())
        .ok_or(Rejection::UnknownSale(sale))?;
    check_account(state, buyer)?;
    if tokens == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let decimals = super::decimals_of(economy, state, spec.token)?;
    let paid = purchase_cost(spec.price, decimals, tokens)?;
    let mut revenue = revenue_split(economy.rule(spec.revenue), paid)?;
    revenue.rule = spec.revenue;
    check_payees(state, &revenue)?;
    check_mint(economy, state, spec.token, tokens)?;
    check_mint(economy, state, economy.numeraire, paid)?;
    // Validated: mutate.
    state
        .mint(spec.token, buyer, tokens, MintReason::Purchase)
        .expect("checked by check_mint");
    credit_revenue(economy, state, &revenue);
    Ok(Receipt::Purchased {
        tokens,
        paid,
        revenue,
    })
}

pub(crate) fn apply_redeem(
    economy: &Economy,
    state: &mut State,
    redemption: RedemptionId,
    holder: AccountId,
    tokens: BaseUnits,
) -> Result<Receipt, Rejection> {
    let spec = economy
        .redemptions
        .get(redemption.index())
        .ok_or(Rejection::UnknownRedemption(redemption))?;
    check_account(state, holder)?;
    if tokens == 0 {
        return Err(Rejection::ZeroAmount);
    }
    check_funds(state, spec.token, holder, tokens)?;
    check_destination(state, spec.destination, tokens)?;
    // Validated: mutate.
    state.debit_checked(spec.token, holder, tokens);
    deliver(
        economy,
        state,
        spec.token,
        spec.destination,
        tokens,
        BurnReason::Redeemed,
    );
    Ok(Receipt::Redeemed { tokens })
}
