//! Why a run stops: [`SimError`] (and whose fault it is, [`SimErrorKind`]),
//! and [`Stopped`], the error with the days that did finish.

use crate::sim::SimResult;
use furnace_core::{Receipt, Rejection};
use std::fmt;

/// Why a run could not complete.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// The engine refused an event the simulator built: a bug in the
    /// simulator or the engine, never a user error. `step` 0 is setup.
    Rejected {
        step: u32,
        event: String,
        rejection: Rejection,
    },
    /// The engine answered with a receipt of another kind: a bug.
    Unexpected { step: u32, receipt: String },
    /// A price path produced a price that cannot be represented.
    BadPrice { step: u32, usd: f64 },
    /// The economy cannot run this scenario.
    Setup(String),
    /// An amount the scenario drove does not fit in 128 bits: the input is
    /// out of the ledger's range, not a bug.
    Overflow { step: u32, what: String },
    /// Writing the event log failed.
    Log { step: u32, message: String },
}

/// Whose fault a [`SimError`] is: what `furnace run` exits with.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SimErrorKind {
    /// A bug in the simulator or the engine.
    Internal,
    /// The scenario (or its economy) asks for something the ledger cannot
    /// represent or the economy cannot do.
    Input,
    /// Writing the event log failed.
    Io,
}

impl SimError {
    pub fn kind(&self) -> SimErrorKind {
        match self {
            SimError::Rejected { .. } | SimError::Unexpected { .. } => SimErrorKind::Internal,
            SimError::BadPrice { .. } | SimError::Setup(_) | SimError::Overflow { .. } => {
                SimErrorKind::Input
            }
            SimError::Log { .. } => SimErrorKind::Io,
        }
    }

    /// The engine refused `event` at `step`: an arithmetic overflow means
    /// the scenario's amounts left the ledger's range (input); any other
    /// refusal is a bug, since the simulator checks what it sends.
    pub(crate) fn rejected(
        step: u32,
        event: impl FnOnce() -> String,
        rejection: Rejection,
    ) -> Self {
        match rejection {
            Rejection::Overflow(what) => SimError::Overflow {
                step,
                what: format!("{what} (in {})", event()),
            },
            rejection => SimError::Rejected {
                step,
                event: event(),
                rejection,
            },
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Rejected {
                step,
                event,
                rejection,
            } => write!(
                f,
                "{}: the engine rejected {event}: {rejection} ({}); this is a bug in the simulator or the engine",
                step_name(*step),
                rejection.code()
            ),
            SimError::Unexpected { step, receipt } => write!(
                f,
                "{}: unexpected receipt {receipt}; this is a bug in the simulator or the engine",
                step_name(*step)
            ),
            SimError::BadPrice { step, usd } => write!(
                f,
                "{}: the price path produced {usd} USD, which is not a valid token price",
                step_name(*step)
            ),
            SimError::Setup(message) => write!(f, "{message}"),
            SimError::Overflow { step, what } => write!(
                f,
                "{}: {what} does not fit in the ledger's 128-bit amounts: the scenario's amounts are too large to simulate exactly; make them smaller",
                step_name(*step)
            ),
            SimError::Log { step, message } => write!(
                f,
                "{}: writing the event log: {message}",
                step_name(*step)
            ),
        }
    }
}

fn step_name(step: u32) -> String {
    if step == 0 {
        "setup".into()
    } else {
        format!("day {step}")
    }
}

impl std::error::Error for SimError {}

/// A run that could not finish: why, and the days it did finish.
#[derive(Clone, Debug)]
pub struct Stopped {
    pub error: SimError,
    /// The run up to the last finished day (`None` if setup failed or no
    /// day finished), so a report can still show it.
    pub finished: Option<Box<SimResult>>,
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Stopped {}

pub(crate) fn unexpected(step: u32, receipt: Receipt) -> SimError {
    SimError::Unexpected {
        step,
        receipt: format!("{receipt:?}"),
    }
}
