//! `apply`: the one function that changes an economy's state. Every rule of
//! every economy lives here or in the pure helpers it calls ([`split`],
//! [`tokens_per_action`]); the simulator, the CLI's quote and the metering
//! service all go through them, so the rules are written once.
//!
//! Shape of every arm: validate and compute everything (pure, may reject),
//! then mutate (cannot fail). A rejected event therefore changes nothing.

use crate::economy::{
    AccountId, AssetId, AssetKind, ConsumptionSplit, Destination, Economy, LegKind, PlanId,
    RevenueSplit, VersionId, MAX_LEGS, MAX_TRAINERS_PER_PATH,
};
use crate::event::{
    BurnReason, Event, MintReason, PathId, Payer, Payment, SubscriptionId, TrainerWeight,
    WorkflowId,
};
use crate::state::{State, Subscription, TrainerPath, Workflow};
use crate::units::{mul_div_ceil, mul_div_floor, pow10, BaseUnits, Ppm, PPM_ONE};
use std::fmt;

/// Why an event was refused. `code()` is stable (API and log consumers may
/// match on it); the `Display` text is for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    UnknownAsset(AssetId),
    UnknownAccount(AccountId),
    UnknownVersion(VersionId),
    UnknownPlan(PlanId),
    UnknownWorkflow(WorkflowId),
    UnknownPath(PathId),
    UnknownSubscription(SubscriptionId),
    NotAToken(AssetId),
    ZeroAmount,
    ZeroPrice,
    PriceNotSet(AssetId),
    InvalidEpoch(u32),
    InvalidReason(&'static str),
    InsufficientBalance {
        account: AccountId,
        asset: AssetId,
        needed: BaseUnits,
        available: BaseUnits,
    },
    AllowanceExceeded {
        subscription: SubscriptionId,
        included: u64,
        used: u64,
        requested: u64,
    },
    SubscriptionInactive(SubscriptionId),
    PlanVersionMismatch {
        plan_version: VersionId,
        requested: VersionId,
    },
    TooManyTrainers(usize),
    NotConfigured(&'static str),
    Overflow(&'static str),
}

impl Rejection {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::UnknownAsset(_) => "unknown_asset",
            Rejection::UnknownAccount(_) => "unknown_account",
            Rejection::UnknownVersion(_) => "unknown_version",
            Rejection::UnknownPlan(_) => "unknown_plan",
            Rejection::UnknownWorkflow(_) => "unknown_workflow",
            Rejection::UnknownPath(_) => "unknown_path",
            Rejection::UnknownSubscription(_) => "unknown_subscription",
            Rejection::NotAToken(_) => "not_a_token",
            Rejection::ZeroAmount => "zero_amount",
            Rejection::ZeroPrice => "zero_price",
            Rejection::PriceNotSet(_) => "price_not_set",
            Rejection::InvalidEpoch(_) => "invalid_epoch",
            Rejection::InvalidReason(_) => "invalid_reason",
            Rejection::InsufficientBalance { .. } => "insufficient_balance",
            Rejection::AllowanceExceeded { .. } => "allowance_exceeded",
            Rejection::SubscriptionInactive(_) => "subscription_inactive",
            Rejection::PlanVersionMismatch { .. } => "plan_version_mismatch",
            Rejection::TooManyTrainers(_) => "too_many_trainers",
            Rejection::NotConfigured(_) => "not_configured",
            Rejection::Overflow(_) => "overflow",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::UnknownAsset(a) => write!(f, "no asset with id {}", a.0),
            Rejection::UnknownAccount(a) => write!(f, "no account with id {}", a.0),
            Rejection::UnknownVersion(v) => write!(f, "no model version with id {}", v.0),
            Rejection::UnknownPlan(p) => write!(f, "no subscription plan with id {}", p.0),
            Rejection::UnknownWorkflow(w) => write!(f, "no workflow with id {}", w.0),
            Rejection::UnknownPath(p) => write!(f, "no trainer path with id {}", p.0),
            Rejection::UnknownSubscription(s) => write!(f, "no subscription with id {}", s.0),
            Rejection::NotAToken(a) => write!(f, "asset {} is not a token", a.0),
            Rejection::ZeroAmount => write!(f, "the amount must be greater than zero"),
            Rejection::ZeroPrice => write!(f, "the price must be greater than zero"),
            Rejection::PriceNotSet(a) => {
                write!(f, "token {} has no price yet: send SetPrice first", a.0)
            }
            Rejection::InvalidEpoch(e) => {
                write!(f, "creator epoch {e} is invalid: epochs start at 1")
            }
            Rejection::InvalidReason(why) => write!(f, "invalid reason: {why}"),
            Rejection::InsufficientBalance {
                account,
                asset,
                needed,
                available,
            } => write!(
                f,
                "account {} holds {} base units of asset {}, {} needed",
                account.0, available, asset.0, needed
            ),
            Rejection::AllowanceExceeded {
                subscription,
                included,
                used,
                requested,
            } => write!(
                f,
                "subscription {} includes {included} actions, {used} used, {requested} more requested",
                subscription.0
            ),
            Rejection::SubscriptionInactive(s) => write!(f, "subscription {} has expired", s.0),
            Rejection::PlanVersionMismatch {
                plan_version,
                requested,
            } => write!(
                f,
                "the subscription's plan runs version {}, not {}",
                plan_version.0, requested.0
            ),
            Rejection::TooManyTrainers(n) => write!(
                f,
                "{n} trainers on one path; at most {MAX_TRAINERS_PER_PATH}"
            ),
            Rejection::NotConfigured(what) => write!(f, "this economy has no {what}"),
            Rejection::Overflow(what) => write!(f, "arithmetic overflow computing {what}"),
        }
    }
}

impl std::error::Error for Rejection {}

/// What a posting is, within a consumption split.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// A leg paid in full to its destination (burn or a named account).
    Leg(u8),
    /// The creator's epoch share.
    CreatorPaid,
    /// The part of the creator leg a later epoch does not pay.
    CreatorShortfall,
    /// The creator leg when no marketplace workflow was used.
    NoMarketplace,
    /// The trainer leg, paid out pro rata to the path's trainers.
    TrainersPaid,
    /// The trainer leg when the path has no trainers.
    NoTrainers,
    /// Rounding dust.
    Dust,
}

/// Where a posting's tokens go.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Sink {
    Burn,
    Account(AccountId),
    /// The trainers of a path, pro rata (the amount is what they receive;
    /// `leg` is the index of the trainer leg it is computed from, whose
    /// amount is in [`SplitReceipt::leg_amounts`]). An index, not the
    /// amount, keeps a posting at 32 bytes: receipts are copied on every
    /// event, and copying was 41% of the apply benchmark's time.
    Trainers {
        path: PathId,
        leg: u8,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Posting {
    pub role: Role,
    pub sink: Sink,
    pub amount: BaseUnits,
}

const EMPTY_POSTING: Posting = Posting {
    role: Role::Dust,
    sink: Sink::Burn,
    amount: 0,
};

/// Bound on postings of one split: every leg, the creator leg's second part
/// and the dust.
pub const MAX_POSTINGS: usize = MAX_LEGS + 2;

/// How one batch of consumed tokens was (or would be) distributed. A fixed
/// size value: computing it allocates nothing.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SplitReceipt {
    pub total: BaseUnits,
    /// `floor(total * share)` of each leg, in the economy's leg order.
    pub leg_amounts: [BaseUnits; MAX_LEGS],
    postings: [Posting; MAX_POSTINGS],
    n_postings: u8,
}

impl SplitReceipt {
    pub fn postings(&self) -> &[Posting] {
        &self.postings[..self.n_postings as usize]
    }

    fn amount_where(&self, pred: impl Fn(&Posting) -> bool) -> BaseUnits {
        self.postings()
            .iter()
            .filter(|p| pred(p))
            .map(|p| p.amount)
            .sum()
    }

    /// Everything destroyed: the burn leg and whatever else the economy
    /// routes to burn (shortfall, dust...).
    pub fn burned(&self) -> BaseUnits {
        self.amount_where(|p| p.sink == Sink::Burn)
    }

    pub fn amount_of(&self, role: Role) -> BaseUnits {
        self.amount_where(|p| p.role == role)
    }

    /// Total credited to `account` (all roles).
    pub fn credited_to(&self, account: AccountId) -> BaseUnits {
        self.amount_where(|p| p.sink == Sink::Account(account))
    }
}

/// `tokens per action = ceil(price_usd / token_price)` in base units.
///
/// Rounding: up, to the next base unit, so an action never costs less than
/// its USD price (the payer bears at most one base unit, 10^-18 of a token).
pub fn tokens_per_action(
    price_usd_micros: BaseUnits,
    token_decimals: u8,
    price_usd_pico: u128,
) -> Result<BaseUnits, Rejection> {
    if price_usd_pico == 0 {
        return Err(Rejection::ZeroPrice);
    }
    // whole tokens = (micros * 10^-6) / (pico * 10^-12) = micros * 10^6 / pico
    mul_div_ceil(price_usd_micros, pow10(6 + token_decimals), price_usd_pico)
        .ok_or(Rejection::Overflow("tokens per action"))
}

/// USD value in micro-dollars of `amount` base units at `price_usd_pico`,
/// rounded up (what a buyer pays).
pub fn usd_value_ceil(
    amount: BaseUnits,
    token_decimals: u8,
    price_usd_pico: u128,
) -> Result<BaseUnits, Rejection> {
    mul_div_ceil(amount, price_usd_pico, pow10(6 + token_decimals))
        .ok_or(Rejection::Overflow("USD value"))
}

/// Tokens that `usd_micros` buys at `price_usd_pico`, rounded down.
pub fn tokens_for_usd_floor(
    usd_micros: BaseUnits,
    token_decimals: u8,
    price_usd_pico: u128,
) -> Result<BaseUnits, Rejection> {
    if price_usd_pico == 0 {
        return Err(Rejection::ZeroPrice);
    }
    mul_div_floor(usd_micros, pow10(6 + token_decimals), price_usd_pico)
        .ok_or(Rejection::Overflow("tokens bought"))
}

/// Tokens to pay a subscription of `price_usd_micros` in tokens at a
/// discount: `ceil(S * (1 - d) / P)`, rounded up so the discount is never
/// exceeded.
pub fn subscription_tokens(
    price_usd_micros: BaseUnits,
    discount: Ppm,
    token_decimals: u8,
    price_usd_pico: u128,
) -> Result<BaseUnits, Rejection> {
    if price_usd_pico == 0 {
        return Err(Rejection::ZeroPrice);
    }
    // tokens = S_micros * (10^6 - d_ppm) / 10^6 * 10^6 / pico * 10^dec
    //        = S_micros * (10^6 - d_ppm) * 10^dec / pico
    let discounted = price_usd_micros
        .checked_mul((PPM_ONE - discount.0.min(PPM_ONE)) as u128)
        .ok_or(Rejection::Overflow("subscription price"))?;
    mul_div_ceil(discounted, pow10(token_decimals), price_usd_pico)
        .ok_or(Rejection::Overflow("subscription tokens"))
}

/// Divide a USD payment by the revenue split: each part
/// `floor(usd * share)`, the dust to the first part, so the parts sum
/// exactly to `usd`. Returns the parts and how many there are.
pub fn revenue_split(
    revenue: &RevenueSplit,
    usd_micros: BaseUnits,
) -> Result<([(AccountId, BaseUnits); MAX_LEGS], usize), Rejection> {
    let mut parts = [(AccountId(0), 0u128); MAX_LEGS];
    let n = revenue.parts.len().min(MAX_LEGS);
    let mut paid = 0;
    for (slot, &(account, share)) in parts.iter_mut().zip(&revenue.parts) {
        let amount = share_floor(usd_micros, share)?;
        *slot = (account, amount);
        paid += amount;
    }
    if n > 0 {
        parts[0].1 += usd_micros - paid;
    }
    Ok((parts, n))
}

/// The USD of a subscription payment of `usd_micros` that reaches the
/// buyback budget, exactly as `apply` credits it (the revenue split's
/// floors and dust). None without both `[subscriptions]` and `[buyback]`.
pub fn buyback_budget_of(
    economy: &Economy,
    usd_micros: BaseUnits,
) -> Result<Option<BaseUnits>, Rejection> {
    let (Some(sub), Some(buyback)) = (&economy.subscriptions, &economy.buyback) else {
        return Ok(None);
    };
    let (parts, n) = revenue_split(&sub.revenue, usd_micros)?;
    Ok(Some(
        parts[..n]
            .iter()
            .filter(|(a, _)| *a == buyback.budget)
            .map(|(_, amount)| amount)
            .sum(),
    ))
}

fn share_floor(total: BaseUnits, share: Ppm) -> Result<BaseUnits, Rejection> {
    mul_div_floor(total, share.0 as u128, PPM_ONE as u128).ok_or(Rejection::Overflow("split"))
}

fn sink_of(d: Destination) -> Sink {
    match d {
        Destination::Burn => Sink::Burn,
        Destination::Account(a) => Sink::Account(a),
    }
}

/// Distribute `total` consumed tokens by `split`. Pure: it is the quote, and
/// `apply` settles exactly what it returns.
///
/// `creator` is the marketplace workflow's creator and Creator Epoch (None:
/// no marketplace workflow); `path` the trained action path used.
#[inline]
pub fn split(
    split: &ConsumptionSplit,
    total: BaseUnits,
    creator: Option<(AccountId, u32)>,
    path: Option<(PathId, &TrainerPath)>,
) -> Result<SplitReceipt, Rejection> {
    let mut receipt = SplitReceipt {
        total,
        leg_amounts: [0; MAX_LEGS],
        postings: [EMPTY_POSTING; MAX_POSTINGS],
        n_postings: 0,
    };
    let post = |r: &mut SplitReceipt, role: Role, sink: Sink, amount: BaseUnits| {
        if amount > 0 {
            r.postings[r.n_postings as usize] = Posting { role, sink, amount };
            r.n_postings += 1;
        }
    };
    let mut distributed: BaseUnits = 0;
    let mut dust: BaseUnits = 0;
    for (i, leg) in split.legs.iter().enumerate() {
        let amount = share_floor(total, leg.share)?;
        receipt.leg_amounts[i] = amount;
        distributed += amount;
        match leg.kind {
            LegKind::Burn => post(&mut receipt, Role::Leg(i as u8), Sink::Burn, amount),
            LegKind::Account(a) => post(&mut receipt, Role::Leg(i as u8), Sink::Account(a), amount),
            LegKind::Creator => match creator {
                Some((creator, epoch)) => {
                    let paid =
                        share_floor(total, split.creator_share_for_epoch(epoch))?.min(amount);
                    post(
                        &mut receipt,
                        Role::CreatorPaid,
                        Sink::Account(creator),
                        paid,
                    );
                    post(
                        &mut receipt,
                        Role::CreatorShortfall,
                        sink_of(split.creator_shortfall_to),
                        amount - paid,
                    );
                }
                None => post(
                    &mut receipt,
                    Role::NoMarketplace,
                    sink_of(split.no_marketplace_to),
                    amount,
                ),
            },
            LegKind::Trainers => match path {
                Some((path_id, p)) if p.total_weight > 0 => {
                    let mut paid: BaseUnits = 0;
                    for &(_, weight) in &p.trainers {
                        paid += mul_div_floor(amount, weight, p.total_weight)
                            .ok_or(Rejection::Overflow("trainer reward"))?;
                    }
                    dust += amount - paid;
                    post(
                        &mut receipt,
                        Role::TrainersPaid,
                        Sink::Trainers {
                            path: path_id,
                            leg: i as u8,
                        },
                        paid,
                    );
                }
                _ => post(
                    &mut receipt,
                    Role::NoTrainers,
                    sink_of(split.no_trainers_to),
                    amount,
                ),
            },
        }
    }
    dust += total - distributed;
    post(&mut receipt, Role::Dust, sink_of(split.dust_to), dust);
    debug_assert_eq!(
        receipt
            .postings()
            .iter()
            .map(|p| p.amount)
            .sum::<BaseUnits>(),
        total,
        "split postings must sum to the whole"
    );
    Ok(receipt)
}

/// What a successfully applied event did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receipt {
    AccountOpened(AccountId),
    PriceSet,
    Minted,
    Burned,
    Transferred,
    Bought {
        tokens: BaseUnits,
        usd_micros: BaseUnits,
    },
    WorkflowPublished(WorkflowId),
    PathRegistered(PathId),
    Actions(ActionsReceipt),
    Subscribed {
        subscription: SubscriptionId,
        /// Tokens moved to escrow (token payment).
        tokens_escrowed: BaseUnits,
        /// USD brought in (USD payment).
        usd_micros: BaseUnits,
    },
    Expired {
        subscription: SubscriptionId,
        released: Option<SplitReceipt>,
    },
    BoughtBack {
        usd_micros: BaseUnits,
        tokens: BaseUnits,
        burned: bool,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ActionsReceipt {
    pub count: u64,
    /// The current price's tokens per action (0 for escrow releases, whose
    /// rate was fixed at payment).
    pub tokens_per_action: BaseUnits,
    pub split: SplitReceipt,
}

fn check_asset(economy: &Economy, asset: AssetId) -> Result<(), Rejection> {
    if asset.index() < economy.assets.len() {
        Ok(())
    } else {
        Err(Rejection::UnknownAsset(asset))
    }
}

fn check_token(economy: &Economy, asset: AssetId) -> Result<u8, Rejection> {
    check_asset(economy, asset)?;
    let spec = economy.asset(asset);
    if spec.kind == AssetKind::Token {
        Ok(spec.decimals)
    } else {
        Err(Rejection::NotAToken(asset))
    }
}

fn check_account(state: &State, account: AccountId) -> Result<(), Rejection> {
    if state.has_account(account) {
        Ok(())
    } else {
        Err(Rejection::UnknownAccount(account))
    }
}

fn check_funds(
    state: &State,
    asset: AssetId,
    account: AccountId,
    needed: BaseUnits,
) -> Result<(), Rejection> {
    let available = state.balance(asset, account);
    if available >= needed {
        Ok(())
    } else {
        Err(Rejection::InsufficientBalance {
            account,
            asset,
            needed,
            available,
        })
    }
}

#[inline]
fn check_sink_accounts(state: &State, receipt: &SplitReceipt) -> Result<(), Rejection> {
    for p in receipt.postings() {
        if let Sink::Account(a) = p.sink {
            check_account(state, a)?;
        }
    }
    Ok(())
}

/// Settle a computed split: the payer has already been debited `total`.
#[inline]
fn settle(state: &mut State, token: AssetId, receipt: &SplitReceipt) {
    for p in receipt.postings() {
        match p.sink {
            Sink::Burn => state.burn_from_flow(token, p.amount, BurnReason::Action),
            Sink::Account(a) => state.credit(token, a, p.amount),
            Sink::Trainers { path, leg } => {
                // Recomputes the same floors `split` summed into `p.amount`.
                let leg = receipt.leg_amounts[leg as usize];
                let path = path.0 as usize;
                let total_weight = state.paths[path].total_weight;
                for i in 0..state.paths[path].trainers.len() {
                    let (trainer, weight) = state.paths[path].trainers[i];
                    let reward =
                        mul_div_floor(leg, weight, total_weight).expect("validated by split()");
                    state.credit(token, trainer, reward);
                }
            }
        }
    }
}

/// Apply one event. On `Ok` the state has changed as the receipt says; on
/// `Err` nothing changed. In debug builds the ledger invariants are checked
/// after every successful event.
pub fn apply(economy: &Economy, state: &mut State, event: &Event) -> Result<Receipt, Rejection> {
    let receipt = apply_inner(economy, state, event)?;
    state.events_applied += 1;
    #[cfg(debug_assertions)]
    if let Err(violation) = state.check_invariants() {
        panic!("{violation} after {event:?}");
    }
    Ok(receipt)
}

fn apply_inner(economy: &Economy, state: &mut State, event: &Event) -> Result<Receipt, Rejection> {
    match *event {
        Event::OpenAccount => Ok(Receipt::AccountOpened(state.open_account())),
        Event::SetPrice {
            token,
            price_usd_pico,
        } => {
            let decimals = check_token(economy, token)?;
            if price_usd_pico == 0 {
                return Err(Rejection::ZeroPrice);
            }
            // Two passes so a version whose rate overflows rejects the whole
            // event before any rate changes. Prices change rarely; the cost
            // is irrelevant next to the actions they price.
            for v in economy.versions.iter().filter(|v| v.token == token) {
                tokens_per_action(v.price_usd_micros, decimals, price_usd_pico)?;
            }
            for (i, v) in economy.versions.iter().enumerate() {
                if v.token == token {
                    state.tokens_per_action[i] =
                        tokens_per_action(v.price_usd_micros, decimals, price_usd_pico)
                            .expect("checked in the first pass");
                }
            }
            state.price_usd_pico[token.index()] = price_usd_pico;
            Ok(Receipt::PriceSet)
        }
        Event::Mint {
            asset,
            to,
            amount_base_units,
            reason,
        } => {
            check_asset(economy, asset)?;
            check_account(state, to)?;
            if amount_base_units == 0 {
                return Err(Rejection::ZeroAmount);
            }
            let is_usd = economy.asset(asset).kind == AssetKind::Usd;
            match reason {
                MintReason::Genesis => {
                    return Err(Rejection::InvalidReason("genesis happens only at load"))
                }
                MintReason::ExternalInflow if !is_usd => {
                    return Err(Rejection::InvalidReason(
                        "tokens are emitted, not brought in: use an emission reason",
                    ))
                }
                r if is_usd && r != MintReason::ExternalInflow => {
                    return Err(Rejection::InvalidReason(
                        "USD is not emitted: use external_inflow",
                    ))
                }
                _ => {}
            }
            state
                .mint(asset, to, amount_base_units, reason)
                .ok_or(Rejection::Overflow("supply"))?;
            Ok(Receipt::Minted)
        }
        Event::Burn {
            asset,
            from,
            amount_base_units,
            reason,
        } => {
            check_asset(economy, asset)?;
            check_account(state, from)?;
            if amount_base_units == 0 {
                return Err(Rejection::ZeroAmount);
            }
            let is_usd = economy.asset(asset).kind == AssetKind::Usd;
            if is_usd != (reason == BurnReason::ExternalOutflow) {
                return Err(Rejection::InvalidReason(
                    "USD leaves only as external_outflow, and tokens never do",
                ));
            }
            check_funds(state, asset, from, amount_base_units)?;
            state.burn_checked(asset, from, amount_base_units, reason);
            Ok(Receipt::Burned)
        }
        Event::Transfer {
            asset,
            from,
            to,
            amount_base_units,
        } => {
            check_asset(economy, asset)?;
            check_account(state, from)?;
            check_account(state, to)?;
            if amount_base_units == 0 {
                return Err(Rejection::ZeroAmount);
            }
            check_funds(state, asset, from, amount_base_units)?;
            state.debit_checked(asset, from, amount_base_units);
            state.credit(asset, to, amount_base_units);
            Ok(Receipt::Transferred)
        }
        Event::MarketBuy {
            token,
            buyer,
            amount_base_units,
        } => {
            let decimals = check_token(economy, token)?;
            check_account(state, buyer)?;
            let market = economy
                .market
                .ok_or(Rejection::NotConfigured("market account"))?;
            if amount_base_units == 0 {
                return Err(Rejection::ZeroAmount);
            }
            let price = state.price_usd_pico(token);
            if price == 0 {
                return Err(Rejection::PriceNotSet(token));
            }
            let usd = usd_value_ceil(amount_base_units, decimals, price)?;
            check_funds(state, token, market, amount_base_units)?;
            let usd_total = state.supply(economy.usd);
            usd_total
                .checked_add(usd)
                .ok_or(Rejection::Overflow("USD supply"))?;
            state.debit_checked(token, market, amount_base_units);
            state.credit(token, buyer, amount_base_units);
            if usd > 0 {
                state
                    .mint(economy.usd, market, usd, MintReason::ExternalInflow)
                    .expect("checked above");
            }
            Ok(Receipt::Bought {
                tokens: amount_base_units,
                usd_micros: usd,
            })
        }
        Event::PublishWorkflow { creator, epoch } => {
            check_account(state, creator)?;
            if epoch == 0 {
                return Err(Rejection::InvalidEpoch(epoch));
            }
            let id = WorkflowId(state.workflows.len() as u32);
            state.workflows.push(Workflow { creator, epoch });
            Ok(Receipt::WorkflowPublished(id))
        }
        Event::RegisterTrainerPath { ref trainers } => {
            if trainers.len() > MAX_TRAINERS_PER_PATH {
                return Err(Rejection::TooManyTrainers(trainers.len()));
            }
            for t in trainers {
                check_account(state, t.trainer)?;
            }
            let path = TrainerPath::new(trainers as &[TrainerWeight]);
            let id = PathId(state.paths.len() as u32);
            state.paths.push(path);
            Ok(Receipt::PathRegistered(id))
        }
        Event::Actions {
            payer,
            version,
            count,
            workflow,
            path,
        } => apply_actions(economy, state, payer, version, count, workflow, path),
        Event::Subscribe {
            subscriber,
            plan,
            payment,
        } => apply_subscribe(economy, state, subscriber, plan, payment),
        Event::ExpireSubscription { subscription } => {
            let sub = state
                .subscriptions
                .get(subscription.0 as usize)
                .ok_or(Rejection::UnknownSubscription(subscription))?;
            if !sub.active {
                return Err(Rejection::SubscriptionInactive(subscription));
            }
            let remaining = sub.escrow_base_units - sub.released_base_units;
            let plan = economy.plan(sub.plan);
            let version = economy.version(plan.version);
            let released = if remaining > 0 {
                let receipt = split(economy.split(version.split), remaining, None, None)?;
                check_sink_accounts(state, &receipt)?;
                Some(receipt)
            } else {
                None
            };
            let escrow = economy
                .subscriptions
                .as_ref()
                .ok_or(Rejection::NotConfigured("subscriptions"))?
                .escrow;
            if let Some(receipt) = &released {
                check_funds(state, version.token, escrow, remaining)?;
                state.debit_checked(version.token, escrow, remaining);
                settle(state, version.token, receipt);
            }
            let sub = &mut state.subscriptions[subscription.0 as usize];
            sub.released_base_units = sub.escrow_base_units;
            sub.active = false;
            Ok(Receipt::Expired {
                subscription,
                released,
            })
        }
        Event::Buyback { usd_micros } => {
            let spec = economy
                .buyback
                .as_ref()
                .ok_or(Rejection::NotConfigured("buyback"))?;
            let market = economy
                .market
                .ok_or(Rejection::NotConfigured("market account"))?;
            if usd_micros == 0 {
                return Err(Rejection::ZeroAmount);
            }
            let decimals = check_token(economy, spec.token)?;
            let price = state.price_usd_pico(spec.token);
            if price == 0 {
                return Err(Rejection::PriceNotSet(spec.token));
            }
            let budget = state.balance(economy.usd, spec.budget);
            let mut spend = usd_micros.min(budget);
            let mut tokens = tokens_for_usd_floor(spend, decimals, price)?;
            let available = state.balance(spec.token, market);
            if tokens > available {
                // The market cannot sell that much: buy what it has.
                tokens = available;
                spend = usd_value_ceil(tokens, decimals, price)?.min(spend);
            }
            if spend > 0 {
                state.debit_checked(economy.usd, spec.budget, spend);
                state.credit(economy.usd, market, spend);
            }
            if tokens > 0 {
                match spec.destination {
                    Destination::Burn => {
                        state.burn_checked(spec.token, market, tokens, BurnReason::Buyback)
                    }
                    Destination::Account(a) => {
                        state.debit_checked(spec.token, market, tokens);
                        state.credit(spec.token, a, tokens);
                    }
                }
            }
            Ok(Receipt::BoughtBack {
                usd_micros: spend,
                tokens,
                burned: spec.destination == Destination::Burn,
            })
        }
    }
}

#[inline]
fn apply_actions(
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
                .get(w.0 as usize)
                .ok_or(Rejection::UnknownWorkflow(w))?;
            Some((wf.creator, wf.epoch))
        }
        None => None,
    };
    let path = match path {
        Some(p) => Some((
            p,
            state
                .paths
                .get(p.0 as usize)
                .ok_or(Rejection::UnknownPath(p))?,
        )),
        None => None,
    };
    let rate = state.tokens_per_action[version.index()];
    let at_current_price = || -> Result<BaseUnits, Rejection> {
        if rate == 0 {
            return Err(Rejection::PriceNotSet(token));
        }
        rate.checked_mul(count as u128)
            .ok_or(Rejection::Overflow("tokens consumed"))
    };
    // (who is debited, how much, which subscription to advance)
    let (debit_from, total, subscription) = match payer {
        Payer::Account(a) => {
            check_account(state, a)?;
            (a, at_current_price()?, None)
        }
        Payer::Subscription(id) => {
            let sub = state
                .subscriptions
                .get(id.0 as usize)
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
                    let escrow = economy
                        .subscriptions
                        .as_ref()
                        .ok_or(Rejection::NotConfigured("subscriptions"))?
                        .escrow;
                    let release = sub
                        .release_for(count, plan.actions_included)
                        .ok_or(exceeded)?;
                    (escrow, release, Some(id))
                }
                Payment::Usd => {
                    // Funded from the operator's inventory of bought-back tokens.
                    let inventory =
                        match economy.buyback.as_ref().map(|b| b.destination) {
                            Some(Destination::Account(a)) => a,
                            _ => return Err(Rejection::NotConfigured(
                                "token inventory (buyback destination) to fund USD subscriptions",
                            )),
                        };
                    (inventory, at_current_price()?, Some(id))
                }
            }
        }
    };
    let from_escrow =
        subscription.is_some_and(|id| state.subscriptions[id.0 as usize].payment == Payment::Token);
    check_funds(state, token, debit_from, total)?;
    let receipt = split(economy.split(spec.split), total, creator, path)?;
    check_sink_accounts(state, &receipt)?;
    // Validated: mutate.
    state.debit_checked(token, debit_from, total);
    settle(state, token, &receipt);
    if let Some(id) = subscription {
        let sub = &mut state.subscriptions[id.0 as usize];
        sub.actions_used += count;
        if from_escrow {
            sub.released_base_units += total;
        }
    }
    Ok(Receipt::Actions(ActionsReceipt {
        count,
        tokens_per_action: if from_escrow { 0 } else { rate },
        split: receipt,
    }))
}

fn apply_subscribe(
    economy: &Economy,
    state: &mut State,
    subscriber: AccountId,
    plan_id: PlanId,
    payment: Payment,
) -> Result<Receipt, Rejection> {
    let spec = economy
        .subscriptions
        .as_ref()
        .ok_or(Rejection::NotConfigured("subscriptions"))?;
    let plan = economy
        .plans
        .get(plan_id.index())
        .ok_or(Rejection::UnknownPlan(plan_id))?;
    check_account(state, subscriber)?;
    let id = SubscriptionId(state.subscriptions.len() as u32);
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
            let decimals = check_token(economy, spec.token)?;
            let price = state.price_usd_pico(spec.token);
            if price == 0 {
                return Err(Rejection::PriceNotSet(spec.token));
            }
            let tokens =
                subscription_tokens(plan.price_usd_micros, spec.token_discount, decimals, price)?;
            check_funds(state, spec.token, subscriber, tokens)?;
            state.debit_checked(spec.token, subscriber, tokens);
            state.credit(spec.token, spec.escrow, tokens);
            subscription.escrow_base_units = tokens;
            state.subscriptions.push(subscription);
            Ok(Receipt::Subscribed {
                subscription: id,
                tokens_escrowed: tokens,
                usd_micros: 0,
            })
        }
        Payment::Usd => {
            let usd = plan.price_usd_micros;
            state
                .supply(economy.usd)
                .checked_add(usd)
                .ok_or(Rejection::Overflow("USD supply"))?;
            let (parts, n) = revenue_split(&spec.revenue, usd)?;
            for &(account, amount) in &parts[..n] {
                if amount > 0 {
                    state
                        .mint(economy.usd, account, amount, MintReason::ExternalInflow)
                        .expect("checked above");
                }
            }
            state.subscriptions.push(subscription);
            Ok(Receipt::Subscribed {
                subscription: id,
                tokens_escrowed: 0,
                usd_micros: usd,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Receipts are returned by value from every `apply`; their size is a
    /// cost on the hot path. Guard it so a field added carelessly shows up.
    #[test]
    fn receipts_stay_small() {
        assert_eq!(std::mem::size_of::<Posting>(), 32);
        assert!(
            std::mem::size_of::<Receipt>() <= 528,
            "{}",
            std::mem::size_of::<Receipt>()
        );
    }
}
