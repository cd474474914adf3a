//! One cell of a report: its value before formatting ([`Raw`]), a signed
//! amount ([`Change`]), and how amounts are written ([`AmountFormat`]).

use super::Total;
use crate::ledger::{Unit, MISSING};
use crate::sim::Regime;

/// How amount columns are written.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum AmountFormat {
    /// Exact decimals of whole units (`1.5` LAM).
    #[default]
    WholeUnits,
    /// Integers of the asset's base unit, `10^-decimals` (`1500000000000000000`).
    BaseUnits,
}

/// A signed amount: `after - before`, exact at any size.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub negative: bool,
    pub magnitude: u128,
}

impl Change {
    pub fn between(before: u128, after: u128) -> Change {
        Change {
            negative: after < before,
            magnitude: after.abs_diff(before),
        }
    }

    pub fn regime(self) -> Regime {
        match (self.negative, self.magnitude) {
            (_, 0) => Regime::Neutral,
            (true, _) => Regime::Deflationary,
            (false, _) => Regime::Inflationary,
        }
    }

    pub(super) fn text(self, digits: String) -> String {
        if self.negative && self.magnitude > 0 {
            format!("-{digits}")
        } else {
            digits
        }
    }
}

/// One cell before formatting.
#[derive(Copy, Clone, Debug)]
pub enum Raw {
    /// A count, an amount or a price in base units.
    Value(u128),
    /// A total over steps, exact at any size.
    Total(Total),
    Signed(Change),
    Word(&'static str),
    /// No value (a price without an oracle): an empty cell.
    Missing,
}

impl Raw {
    /// The cell's text for a column of `unit`.
    pub fn format(self, unit: &Unit, format: AmountFormat) -> String {
        let number = |t: Total| match (format, unit.decimals()) {
            (AmountFormat::WholeUnits, Some(d)) => t.decimal(d),
            _ => t.digits(),
        };
        match self {
            Raw::Value(MISSING) | Raw::Missing => String::new(),
            Raw::Value(v) => number(v.into()),
            Raw::Total(t) => number(t),
            Raw::Signed(c) => c.text(number(c.magnitude.into())),
            Raw::Word(w) => w.to_string(),
        }
    }
}
