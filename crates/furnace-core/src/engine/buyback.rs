//! Buyback programs: spend a budget buying a token across weighted venues
//! (seed 000: "Multiple DEX/CEX execution"), within guards.
//!
//! One execution of `Buyback { program, amount }`:
//! 1. `want = min(amount, budget balance, max_spend_per_step - spent this step)`.
//! 2. Each venue is allotted `floor(want * weight)`; the dust goes to the
//!    first venue.
//! 3. A venue's allotment is capped by its own per-step cap, and at a pool
//!    by the program's `max_impact` (the largest input that moves the
//!    token's price up by at most that much, exactly, `pool_math`).
//! 4. The venue fills by an exact-in swap of the capped allotment: at a pool
//!    by the constant product; at an external market at the oracle price,
//!    at most what the market holds. A fill of zero tokens spends nothing.
//! 5. The tokens bought are burned (`buyback`) or credited to the
//!    destination. With a stake burn (`economy::StakeBurn`), only
//!    `floor(bought (circulating - staked) / circulating)` are burned and
//!    the rest goes to the destination (everything burns when nothing is
//!    staked), both read before the execution. What was not spent stays in
//!    the budget: it carries over, and the receipt reports it as `unspent`.
//!
//! Nothing is rejected for being capped: a buyback that can spend nothing
//! succeeds with zero fills (the budget simply carries over).

use super::market::{quote_swap, settle_fill, SwapQuote};
use super::rewards::{check_destination, deliver};
use super::split::share_floor;
use super::Rejection;
use crate::economy::{BuybackProgram, Destination, Economy, MarketKind, MAX_VENUES};
use crate::event::{BurnReason, Order};
use crate::ids::{MarketId, ProgramId};
use crate::pool_math::max_in_within_impact;
use crate::state::State;
use crate::units::{mul_div_floor, BaseUnits};

/// Why a venue spent less than its allotment.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Limit {
    /// The venue's own cap per step.
    VenueCap,
    /// The program's maximum price impact at a pool.
    PriceImpact,
    /// What the market holds (or a dust amount that buys nothing).
    MarketDepth,
}

impl Limit {
    pub fn name(self) -> &'static str {
        match self {
            Limit::VenueCap => "venue cap per step",
            Limit::PriceImpact => "maximum price impact",
            Limit::MarketDepth => "market depth",
        }
    }
}

/// One venue's part of an execution.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BuybackFill {
    pub market: MarketId,
    /// Why this venue spent less than its allotment, if it did.
    pub limited_by: Option<Limit>,
    /// Spent at this venue (budget asset base units).
    pub spent: BaseUnits,
    /// Tokens bought here.
    pub bought: BaseUnits,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BuybackReceipt {
    pub program: ProgramId,
    pub requested: BaseUnits,
    pub spent: BaseUnits,
    pub bought: BaseUnits,
    /// `requested - spent`: left in the budget, carried over.
    pub unspent: BaseUnits,
    /// The destination is burn (everything bought is burned).
    pub burned: bool,
    /// Of `bought`, burned (the rest, [`BuybackReceipt::to_destination`],
    /// is credited to the destination).
    pub burned_units: BaseUnits,
    fills: [BuybackFill; MAX_VENUES],
    n: u8,
}

/// An execution computed: the receipt, and the swaps `apply` settles
/// (kept out of the receipt, which every `apply` returns by value).
struct Execution {
    receipt: BuybackReceipt,
    quotes: [Option<SwapQuote>; MAX_VENUES],
}

impl BuybackReceipt {
    pub fn fills(&self) -> &[BuybackFill] {
        &self.fills[..usize::from(self.n)]
    }

    /// What was credited to the destination: `bought - burned_units`.
    pub fn to_destination(&self) -> BaseUnits {
        self.bought - self.burned_units
    }
}

/// Compute an execution without changing anything.
pub fn quote_buyback(
    economy: &Economy,
    state: &State,
    program: ProgramId,
    requested: BaseUnits,
) -> Result<BuybackReceipt, Rejection> {
    execution(economy, state, program, requested).map(|x| x.receipt)
}

fn execution(
    economy: &Economy,
    state: &State,
    program: ProgramId,
    requested: BaseUnits,
) -> Result<Execution, Rejection> {
    let spec: &BuybackProgram = economy
        .buybacks
        .get(program.index())
        .ok_or(Rejection::UnknownProgram(program))?;
    if requested == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let counters = state.programs[program.index()];
    let mut want = requested.min(state.balance(spec.pay, spec.budget));
    if let Some(max) = spec.max_spend_per_step {
        want = want.min(max.saturating_sub(counters.spent_this_step));
    }
    let mut receipt = BuybackReceipt {
        program,
        requested,
        spent: 0,
        bought: 0,
        unspent: 0,
        burned: spec.destination == Destination::Burn,
        burned_units: 0,
        fills: [BuybackFill {
            market: MarketId(0),
            limited_by: None,
            spent: 0,
            bought: 0,
        }; MAX_VENUES],
        n: 0,
    };
    let mut quotes = [None; MAX_VENUES];
    let mut allotted: BaseUnits = 0;
    let mut allotments = [0u128; MAX_VENUES];
    for (slot, v) in allotments.iter_mut().zip(&spec.venues) {
        *slot = share_floor(want, v.weight)?;
        allotted += *slot;
    }
    allotments[0] += want - allotted;
    for (i, v) in spec.venues.iter().enumerate() {
        let mut amount = allotments[i];
        let mut limited_by = None;
        if let Some(cap) = v.cap_per_step {
            let left = cap.saturating_sub(counters.venue_spent_this_step[i]);
            if amount > left {
                amount = left;
                limited_by = Some(Limit::VenueCap);
            }
        }
        if let (Some(impact), MarketKind::Pool { assets, fee, .. }) =
            (spec.max_impact, &economy.market(v.market).kind)
        {
            let r = state.pool(v.market).map_or([0, 0], |p| p.reserves);
            let (r_in, r_out) = if assets[0] == spec.pay {
                (r[0], r[1])
            } else {
                (r[1], r[0])
            };
            let within = max_in_within_impact(r_in, r_out, fee.0, impact.0, amount);
            if within < amount {
                amount = within;
                limited_by = Some(Limit::PriceImpact);
            }
        }
        let quote = if amount == 0 {
            None
        } else {
            fill(economy, state, v.market, spec.pay, amount)?
        };
        let (spent, bought) = quote.map_or((0, 0), |q| (q.amount_in, q.amount_out));
        if spent < allotments[i] && limited_by.is_none() {
            limited_by = Some(Limit::MarketDepth);
        }
        receipt.fills[i] = BuybackFill {
            market: v.market,
            spent,
            bought,
            limited_by,
        };
        quotes[i] = quote;
        receipt.spent += spent;
        receipt.bought += bought;
        receipt.n += 1;
    }
    receipt.unspent = requested - receipt.spent;
    receipt.burned_units = burned_part(state, spec, receipt.bought)?;
    Ok(Execution { receipt, quotes })
}

/// What is burned of `bought` tokens: all for a burn destination, none
/// for another without a stake burn, else `floor(bought (circulating -
/// staked) / circulating)`.
fn burned_part(
    state: &State,
    spec: &BuybackProgram,
    bought: BaseUnits,
) -> Result<BaseUnits, Rejection> {
    let Some(stake_burn) = &spec.stake_burn else {
        return Ok(match spec.destination {
            Destination::Burn => bought,
            _ => 0,
        });
    };
    let staked = state
        .reward_pool(stake_burn.pool)
        .map_or(0, |p| p.totals.staked);
    let mut circulating = state.supply(spec.token);
    for a in &stake_burn.excluded {
        circulating = circulating.saturating_sub(state.balance(spec.token, *a));
    }
    if staked == 0 || circulating == 0 {
        return Ok(bought);
    }
    // staked <= circulating: staked tokens are in the pool's custody, never
    // in an excluded account's balance.
    mul_div_floor(bought, circulating.saturating_sub(staked), circulating)
        .ok_or(Rejection::Overflow("buyback burn"))
}

/// An exact-in fill of `amount` at `market`, or the most the market can
/// sell; None when it would buy nothing. Either way it pays only what the
/// tokens bought cost: an exact-in spends all of `amount` for
/// `floor(amount / price)` base units, and with a coarse token (0 decimals
/// at $1, a $1.999999 allotment) that would pay $1.999999 for one token.
/// So the bought amount is quoted again exact-out and the cheaper input
/// taken; the rest stays in the budget. (Buying out a market's whole
/// holding is already an exact-out quote: its input is the least.)
fn fill(
    economy: &Economy,
    state: &State,
    market: MarketId,
    pay: crate::ids::AssetId,
    amount: BaseUnits,
) -> Result<Option<SwapQuote>, Rejection> {
    let exact_out = |amount_out, max_in| {
        let order = Order::ExactOut { amount_out, max_in };
        quote_swap(economy, state, market, pay, order)
    };
    let order = Order::ExactIn {
        amount_in: amount,
        min_out: 0,
    };
    let quote = match quote_swap(economy, state, market, pay, order) {
        Ok(q) => Ok(match exact_out(q.amount_out, q.amount_in) {
            Ok(cheaper) if cheaper.amount_in < q.amount_in => cheaper,
            _ => q,
        }),
        // An external market holds fewer tokens than the amount buys: buy
        // what it has (an empty pool has nothing to sell).
        Err(Rejection::InsufficientLiquidity { reserve, .. }) if reserve > 0 => {
            exact_out(reserve, amount)
        }
        Err(Rejection::InsufficientLiquidity { .. }) => return Ok(None),
        Err(e) => Err(e),
    };
    match quote {
        Ok(q) => Ok(Some(q)),
        // Dust: the amount buys less than one base unit.
        Err(Rejection::SlippageExceeded { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

pub(crate) fn apply_buyback(
    economy: &Economy,
    state: &mut State,
    program: ProgramId,
    requested: BaseUnits,
) -> Result<BuybackReceipt, Rejection> {
    let Execution { receipt, quotes } = execution(economy, state, program, requested)?;
    let spec = &economy.buybacks[program.index()];
    // The program's counters after this execution, checked before anything
    // changes (their overflow would take ~10^6 maximal executions, but a
    // counter that wraps is a ledger that lies).
    let mut counters = state.programs[program.index()];
    let overflow = || Rejection::Overflow("buyback counters");
    counters.spent_this_step = counters
        .spent_this_step
        .checked_add(receipt.spent)
        .ok_or_else(overflow)?;
    counters.spent_total = counters
        .spent_total
        .checked_add(receipt.spent)
        .ok_or_else(overflow)?;
    counters.bought_total = counters
        .bought_total
        .checked_add(receipt.bought)
        .ok_or_else(overflow)?;
    for (i, f) in receipt.fills().iter().enumerate() {
        counters.venue_spent_this_step[i] = counters.venue_spent_this_step[i]
            .checked_add(f.spent)
            .ok_or_else(overflow)?;
    }
    counters.burned_total = counters
        .burned_total
        .checked_add(receipt.burned_units)
        .ok_or_else(overflow)?;
    check_destination(state, spec.destination, receipt.to_destination())?;
    // Validated: mutate. The quote spent at most the budget's balance.
    if receipt.spent > 0 {
        state.debit_checked(spec.pay, spec.budget, receipt.spent);
    }
    for q in quotes.iter().flatten() {
        settle_fill(economy, state, q);
    }
    if receipt.burned_units > 0 {
        state.burn_from_flow(spec.token, receipt.burned_units, BurnReason::Buyback);
    }
    if receipt.to_destination() > 0 {
        deliver(
            economy,
            state,
            spec.token,
            spec.destination,
            receipt.to_destination(),
            BurnReason::Buyback,
        );
    }
    state.programs[program.index()] = counters;
    Ok(receipt)
}
