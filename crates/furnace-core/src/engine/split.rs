//! Consumption splits: how the tokens an action consumes are distributed.
//! [`split`] is pure (it is the quote); `apply` settles exactly what it
//! returns with [`settle`].

use super::rewards::{check_pool_credit, credit_pool};
use super::{check_account, Rejection};
use crate::economy::{ConsumptionSplit, Destination, Economy, LegKind, MAX_LEGS};
use crate::event::BurnReason;
use crate::ids::{AccountId, AssetId, PathId, RewardPoolId};
use crate::state::{State, TrainerPath};
use crate::units::{mul_div_floor, BaseUnits, Ppm, PPM_ONE};

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
    /// The trainer leg, paid out pro rata to the path's trainers (or, for a
    /// pooled path, credited whole to its reward pool).
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
    /// A reward pool, shared by its positions in O(1).
    RewardPool(RewardPoolId),
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

pub(crate) fn share_floor(total: BaseUnits, share: Ppm) -> Result<BaseUnits, Rejection> {
    mul_div_floor(total, share.0 as u128, PPM_ONE as u128).ok_or(Rejection::Overflow("split"))
}

pub(crate) fn sink_of(d: Destination) -> Sink {
    match d {
        Destination::Burn => Sink::Burn,
        Destination::Account(a) => Sink::Account(a),
        Destination::RewardPool(p) => Sink::RewardPool(p),
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
        // Validated: at most MAX_LEGS (8) legs, so the index fits a u8.
        let leg_index = u8::try_from(i).expect("at most MAX_LEGS legs");
        let amount = share_floor(total, leg.share)?;
        receipt.leg_amounts[i] = amount;
        distributed += amount;
        match leg.kind {
            LegKind::Burn => post(&mut receipt, Role::Leg(leg_index), Sink::Burn, amount),
            LegKind::Account(a) => {
                post(&mut receipt, Role::Leg(leg_index), Sink::Account(a), amount)
            }
            LegKind::RewardPool(p) => post(
                &mut receipt,
                Role::Leg(leg_index),
                Sink::RewardPool(p),
                amount,
            ),
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
                // A pooled path: the whole leg to the pool, O(1); its
                // positions share it (its `empty_to` while none weighs).
                Some((
                    _,
                    TrainerPath {
                        pool: Some(pool), ..
                    },
                )) => post(
                    &mut receipt,
                    Role::TrainersPaid,
                    Sink::RewardPool(*pool),
                    amount,
                ),
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
                            leg: leg_index,
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

/// Check every posting can be credited: its account exists; a reward pool
/// can take the split's whole total (conservative: two postings may go to
/// the same pool).
#[inline]
pub(crate) fn check_sinks(state: &State, receipt: &SplitReceipt) -> Result<(), Rejection> {
    for p in receipt.postings() {
        match p.sink {
            Sink::Account(a) => check_account(state, a)?,
            Sink::RewardPool(pool) => check_pool_credit(state, pool, receipt.total)?,
            Sink::Burn | Sink::Trainers { .. } => {}
        }
    }
    Ok(())
}

/// Settle a computed split: the payer has already been debited `total`.
///
/// Asserted in every build (O(postings), free next to the credits): the
/// postings sum to the debit, and the trainers are credited exactly their
/// posting. A failure here is an engine bug; better a stopped service
/// than a ledger that silently creates or loses tokens.
#[inline]
pub(crate) fn settle(economy: &Economy, state: &mut State, token: AssetId, receipt: &SplitReceipt) {
    let mut settled: BaseUnits = 0;
    for p in receipt.postings() {
        settled += p.amount;
        match p.sink {
            Sink::Burn => state.burn_from_flow(token, p.amount, BurnReason::Action),
            Sink::Account(a) => state.credit(token, a, p.amount),
            Sink::RewardPool(pool) => {
                credit_pool(economy, state, pool, p.amount);
            }
            Sink::Trainers { path, leg } => {
                // Recomputes the same floors `split` summed into `p.amount`.
                let leg = receipt.leg_amounts[usize::from(leg)];
                let path = path.index();
                let total_weight = state.paths[path].total_weight;
                let mut paid: BaseUnits = 0;
                for i in 0..state.paths[path].trainers.len() {
                    let (trainer, weight) = state.paths[path].trainers[i];
                    let reward =
                        mul_div_floor(leg, weight, total_weight).expect("validated by split()");
                    state.credit(token, trainer, reward);
                    paid += reward;
                }
                assert_eq!(paid, p.amount, "trainer payouts differ from their posting");
            }
        }
    }
    assert_eq!(
        settled, receipt.total,
        "split postings must sum to the debit"
    );
}
