//! Reports people can look at, from what a Monte Carlo run, a sweep or one
//! deterministic run produced.

// Counts and sizes convert with checks, never a truncating `as`.
#![deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
#![forbid(unsafe_code)]

pub mod chart;
pub mod format;
pub mod model;
pub mod parquet_io;
pub mod sample;
pub mod table;
pub mod tornado;

use std::fmt;

pub use model::*;

/// Why a report could not be rendered or written.
#[derive(Debug)]
pub enum Error {
    /// The input breaks a rule of the model; every problem is listed.
    Invalid(Invalid),
    /// plotters failed to draw or the PNG encoder failed (a bug here, or
    /// the embedded font did not load).
    Chart(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(e) => e.fmt(f),
            Error::Chart(m) => write!(f, "drawing a chart: {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e)
    }
}
