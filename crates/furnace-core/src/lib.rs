//! Furnace's deterministic core: an economy's rules ([`economy::Economy`]),
//! its state ([`state::State`]), the events that change it
//! ([`event::Event`]) and the one function that applies them
//! ([`engine::apply`]).
//!
//! Pure: no I/O, no clocks, no randomness, no floats in the ledger. Given the
//! same economy, genesis and events, every build on every machine reaches a
//! bit-identical state. See ARCHITECTURE.md.

pub mod economy;
pub mod engine;
pub mod event;
pub mod state;
pub mod units;

pub use economy::{AccountId, AssetId, Economy, PlanId, VersionId};
pub use engine::{apply, Receipt, Rejection};
pub use event::{Event, Payer, Payment};
pub use state::State;
