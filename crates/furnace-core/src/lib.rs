//! Furnace's deterministic core: an economy's rules ([`economy::Economy`],
//! applied only once validated into a [`ValidEconomy`]), its state
//! ([`state::State`]), the events that change it ([`event::Event`]), the one
//! function that applies them ([`engine::apply`]), and the log format
//! events are stored in ([`log`]).
//!
//! Pure: no I/O beyond the log codec's `Write`, no clocks, no randomness,
//! no floats in the ledger. Given the same economy, genesis and events,
//! every build on every machine reaches a bit-identical state. See
//! ARCHITECTURE.md.

// Ids and counts convert with checks, never a truncating `as` (ids.rs).
#![deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]

pub mod economy;
pub mod engine;
pub mod event;
pub mod geomean;
pub mod ids;
pub mod log;
pub mod pool_math;
pub mod quote;
pub mod state;
pub mod units;
mod validate;
mod wide;

pub use economy::{Economy, ValidEconomy};
pub use engine::{apply, Receipt, Rejection};
pub use event::{Event, Order, Payer, Payment};
pub use ids::{
    AccountId, AssetId, LaunchId, LaunchSpecId, MarketId, PlanId, PositionId, ProgramId,
    RewardPoolId, ScheduleId, VersionId,
};
pub use state::State;
pub use validate::EconomyError;
