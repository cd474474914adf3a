//! Emission schedules: `Emit { schedule }` emits the schedule's next epoch.
//!
//! One epoch, in order:
//! 1. Refused if the schedule stopped (`schedule_stopped`) or its next
//!    epoch is not due (`epoch_not_due`: fewer than `epoch_steps` ticks since
//!    the last). Explicit per schedule, so a log says which schedule emitted.
//! 2. The curve's amount for epoch `n` (`EmissionCurve`; a geometric rate
//!    is state, reduced with a floor once per period, so an epoch costs
//!    O(1) however late it is).
//! 3. Caps, in this order: the schedule's `cap` (minus `already_emitted`
//!    and what it emitted), then the source: a minted token's maximum
//!    supply, or a holding account's balance. What they remove is the
//!    receipt's `cut`, and `limited_by` names the binding one.
//! 4. The amount is divided among the channels, each `floor(amount x
//!    share)`, the dust to the first, and credited (an account, or a
//!    reward pool in O(1)).
//! 5. The schedule **stops** with this epoch (`stopped_at`, and the
//!    receipt's `stopped`) when its cap is reached, when its holding
//!    account could not pay the whole amount, or when its curve has nothing
//!    more to emit (a linear vesting's last epoch, a geometric rate floored
//!    to zero, a step table ending at zero, issuance at the halving cap).
//!    A maximum supply only cuts: burns may make room again.

use super::rewards::{check_destination, deliver};
use super::split::share_floor;
use super::{check_funds, max_supply_of, Receipt, Rejection};
use crate::economy::{Economy, EmissionCurve, EmissionSchedule, EmissionSource, MAX_CHANNELS};
use crate::event::BurnReason;
use crate::ids::ScheduleId;
use crate::state::{ScheduleState, State};
use crate::units::{mul_div_floor, BaseUnits};

/// What cut an epoch's emission.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EmissionLimit {
    /// The schedule's own cap.
    ScheduleCap,
    /// The token's maximum supply (minted schedules).
    MaxSupply,
    /// The holding account's balance (transferred schedules).
    Source,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct EmissionReceipt {
    pub schedule: ScheduleId,
    /// This epoch's index (0-based).
    pub epoch: u64,
    /// What the curve asked for.
    pub scheduled: BaseUnits,
    pub emitted: BaseUnits,
    /// `scheduled - emitted`.
    pub cut: BaseUnits,
    pub limited_by: Option<EmissionLimit>,
    /// The schedule stopped with this epoch: later `Emit`s are refused.
    pub stopped: bool,
    channels: [BaseUnits; MAX_CHANNELS],
    n: u8,
}

impl EmissionReceipt {
    /// What each channel received, in the schedule's channel order.
    pub fn channels(&self) -> &[BaseUnits] {
        &self.channels[..usize::from(self.n)]
    }
}

/// The curve's amount for epoch `st.epochs`, whether the curve has nothing
/// to emit after it, and the geometric rate for the next epoch.
fn curve_amount(
    curve: &EmissionCurve,
    st: &ScheduleState,
    supply: BaseUnits,
) -> Result<(BaseUnits, bool, BaseUnits), Rejection> {
    let n = st.epochs;
    Ok(match curve {
        EmissionCurve::Constant { per_epoch } => (*per_epoch, false, 0),
        EmissionCurve::Geometric {
            numerator,
            denominator,
            every_epochs,
            ..
        } => {
            // Reduced after the last epoch of each period.
            let next = if n.saturating_add(1) % every_epochs == 0 {
                mul_div_floor(st.rate, *numerator, *denominator)
                    .ok_or(Rejection::Overflow("emission rate"))?
            } else {
                st.rate
            };
            (st.rate, next == 0, next)
        }
        EmissionCurve::IssuanceHalving { base, cap } => {
            if supply >= *cap {
                (0, true, 0)
            } else {
                // floor(log2(cap / (cap - supply))) halvings: floor(log2 x)
                // of a real x >= 1 is that of floor(x).
                let halvings = (cap / (cap - supply)).ilog2();
                (base.checked_shr(halvings).unwrap_or(0), false, 0)
            }
        }
        EmissionCurve::Steps(steps) => {
            let at = |e: u64| {
                steps
                    .iter()
                    .rev()
                    .find(|s| s.from_epoch <= e)
                    .map_or(0, |s| s.per_epoch)
            };
            let last = steps.last().expect("validated: not empty");
            let finished = last.per_epoch == 0 && n.saturating_add(1) >= last.from_epoch;
            (at(n), finished, 0)
        }
        EmissionCurve::Linear { total, epochs } => {
            let each = total / u128::from(*epochs);
            let amount = match n.cmp(&(epochs - 1)) {
                std::cmp::Ordering::Less => each,
                // The last epoch takes the remainder: exactly `total` in all.
                std::cmp::Ordering::Equal => total - each * u128::from(epochs - 1),
                std::cmp::Ordering::Greater => 0,
            };
            (amount, n.saturating_add(1) >= *epochs, 0)
        }
    })
}

pub(crate) fn apply_emit(
    economy: &Economy,
    state: &mut State,
    schedule: ScheduleId,
) -> Result<Receipt, Rejection> {
    let spec: &EmissionSchedule = economy
        .emissions
        .get(schedule.index())
        .ok_or(Rejection::UnknownSchedule(schedule))?;
    let st = state.schedules[schedule.index()];
    if let Some(epoch) = st.stopped_at {
        return Err(Rejection::ScheduleStopped {
            schedule,
            stopped_at_epoch: epoch,
        });
    }
    if state.step < st.next_due_step {
        return Err(Rejection::EpochNotDue {
            schedule,
            due_step: st.next_due_step,
            step: state.step,
        });
    }
    let token = spec.token;
    let supply = state.supply(token);
    let (scheduled, curve_done, next_rate) = curve_amount(&spec.curve, &st, supply)?;

    let mut amount = scheduled;
    let mut limited_by = None;
    let mut limit = |room: BaseUnits, why: EmissionLimit| {
        if room < amount {
            amount = room;
            limited_by = Some(why);
        }
    };
    let cap_room = spec.cap.map(|cap| {
        // Validated: cap >= already_emitted; emitted never passes the room.
        cap - spec.already_emitted - st.emitted
    });
    if let Some(room) = cap_room {
        limit(room, EmissionLimit::ScheduleCap);
    }
    match spec.source {
        EmissionSource::Mint(_) => {
            if let Some(max) = max_supply_of(economy, state, token) {
                limit(max.saturating_sub(supply), EmissionLimit::MaxSupply);
            }
        }
        EmissionSource::Account(from) => limit(state.balance(token, from), EmissionLimit::Source),
    }
    let cut = scheduled - amount;
    let stopped =
        curve_done || cap_room == Some(amount) || limited_by == Some(EmissionLimit::Source);

    // The channels: each floored, the dust to the first.
    let mut channels = [0; MAX_CHANNELS];
    let mut shared: BaseUnits = 0;
    for (slot, c) in channels.iter_mut().zip(&spec.channels) {
        *slot = share_floor(amount, c.share)?;
        shared += *slot;
        check_destination(state, c.to, amount)?;
    }
    channels[0] += amount - shared;

    let overflow = || Rejection::Overflow("emission counters");
    let next = ScheduleState {
        epochs: st.epochs.checked_add(1).ok_or_else(overflow)?,
        emitted: st.emitted.checked_add(amount).ok_or_else(overflow)?,
        cut: st.cut.checked_add(cut).ok_or_else(overflow)?,
        rate: next_rate,
        next_due_step: state
            .step
            .checked_add(u64::from(spec.epoch_steps))
            .ok_or_else(overflow)?,
        stopped_at: stopped.then_some(st.epochs),
    };
    match spec.source {
        EmissionSource::Mint(_) => super::check_mint(economy, state, token, amount)?,
        EmissionSource::Account(from) => check_funds(state, token, from, amount)?,
    }

    // Validated: mutate.
    if amount > 0 {
        match spec.source {
            EmissionSource::Mint(reason) => state.mint_into_flow(token, amount, reason),
            EmissionSource::Account(from) => state.debit_checked(token, from, amount),
        }
    }
    for (c, &part) in spec.channels.iter().zip(&channels) {
        // Never burned: validation refuses burn channels.
        deliver(economy, state, token, c.to, part, BurnReason::Action);
    }
    state.schedules[schedule.index()] = next;
    Ok(Receipt::Emitted(EmissionReceipt {
        schedule,
        epoch: st.epochs,
        scheduled,
        emitted: amount,
        cut,
        limited_by,
        stopped,
        channels,
        n: u8::try_from(spec.channels.len()).expect("at most MAX_CHANNELS"),
    }))
}
