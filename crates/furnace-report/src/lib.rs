//! Reports people can look at, from what a Monte Carlo run, a sweep or one
//! deterministic run produced: band charts (SVG and PNG), a self-contained
//! `report.html`, and the data behind them as Parquet and CSV.
//!
//! This crate knows no economy and runs nothing: the caller (the Monte
//! Carlo runner) converts its aggregates into a [`Report`] (per-step
//! quantile bands, detector frequencies, a sweep, a tornado) and per-run
//! finals into a [`Table`], and calls [`write_report`]. It does not depend
//! on `furnace-sim`, so the two can change apart.
//!
//! ```
//! use furnace_report::{render_html, sample::sample_report, write_report};
//! let report = sample_report();
//! let html = render_html(&report).unwrap();
//! assert!(html.contains("<svg") && !html.contains("<script"));
//! let dir = std::env::temp_dir().join(format!("furnace-report-doc-{}", std::process::id()));
//! let files = write_report(&report, None, &dir).unwrap();
//! assert!(files.iter().any(|f| f.ends_with("report.html")));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
//!
//! | module | what |
//! |---|---|
//! | [`model`] | the input: [`Report`], [`Series`], [`Detector`], [`SweepTable`], [`Tornado`]; [`Report::validate`] |
//! | [`chart`] | band charts: series grouped by their `chart` hint, SVG and PNG |
//! | [`tornado`] | the sensitivity chart, SVG and PNG |
//! | [`html`] | `report.html` and [`html::escape`] |
//! | [`table`] | [`Table`], the long-format bands and sweep tables, CSV |
//! | [`parquet_io`] | Parquet writer and reader for [`Table`] |
//! | [`write`] | [`write_report`]: every file of a report into one directory |
//! | [`format`] | numbers for axes and table cells |
//! | [`sample`] | a synthetic report with every part filled in |

// Counts and sizes convert with checks, never a truncating `as`.
#![deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
#![forbid(unsafe_code)]

pub mod chart;
pub mod format;
pub mod html;
pub mod model;
pub mod parquet_io;
pub mod sample;
pub mod table;
pub mod tornado;
pub mod write;

use std::fmt;
use std::path::PathBuf;

pub use html::render_html;
pub use model::*;
pub use parquet_io::{read_parquet, write_parquet, ParquetStream};
pub use table::{ColumnData, Table};
pub use write::{write_page, write_report};

/// Why a report could not be rendered or written.
#[derive(Debug)]
pub enum Error {
    /// The input breaks a rule of the model; every problem is listed.
    Invalid(Invalid),
    /// plotters failed to draw or the PNG encoder failed (a bug here, or
    /// the embedded font did not load).
    Chart(String),
    /// A data file could not be made from a table (a ragged table, or the
    /// Parquet writer failed).
    Data { path: PathBuf, message: String },
    /// Creating or writing a file failed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(e) => e.fmt(f),
            Error::Chart(m) => write!(f, "drawing a chart: {m}"),
            Error::Data { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e)
    }
}
