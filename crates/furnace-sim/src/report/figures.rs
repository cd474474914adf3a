//! What the report derives from the rows: each row's supply before it
//! and trailing break-even ([`RowView`]), the reporting periods
//! ([`Period`]), exact totals over the run, the half-lives and the regime
//! day counts.

use super::{Change, Total};
use crate::sim::{Regime, SimResult, StepRow};

/// A row and what the report derives around it.
pub struct RowView<'a> {
    pub row: &'a StepRow,
    /// Supply at the end of the previous step (after setup for step 1).
    pub prev_supply: u128,
    /// See `break_even_emissions_trailing`.
    pub break_even: u128,
}

impl SimResult {
    /// Each row with the supply before it and the trailing break-even.
    pub(super) fn views(&self) -> Vec<RowView<'_>> {
        let window = self.period_days();
        let mut prev = self.initial_supply;
        // What the trailing window emitted, slid one step at a time.
        let mut emitted = Total::ZERO;
        let mut views = Vec::with_capacity(self.rows.len());
        for (i, row) in self.rows.iter().enumerate() {
            emitted.add(row.emitted);
            let start = (i + 1).saturating_sub(window);
            let before = match start.checked_sub(1) {
                None => self.initial_supply,
                Some(left) => {
                    emitted = emitted
                        .checked_sub(Total::from(self.rows[left].emitted))
                        .expect("added when it entered the window");
                    self.rows[left].supply
                }
            };
            views.push(RowView {
                row,
                prev_supply: prev,
                break_even: break_even(emitted, before, row.supply, i + 1 - start),
            });
            prev = row.supply;
        }
        views
    }

    /// The reporting period in steps (the plan's period, or 30).
    pub(super) fn period_days(&self) -> usize {
        usize::try_from(self.info.period_days.max(1)).unwrap_or(usize::MAX)
    }

    /// The last row (all zeros for a run of zero days).
    pub(super) fn last(&self) -> StepRow {
        self.rows.last().copied().unwrap_or_default()
    }

    /// `S_0 / (2 * B_1)`, `B_1` being day 1's action burn.
    pub fn half_life_days_projected(&self) -> Option<f64> {
        let b1 = self.rows.first()?.burned_action;
        if b1 == 0 {
            return None;
        }
        Some(self.initial_supply as f64 / (2.0 * b1 as f64))
    }

    /// The first day whose closing supply is at most half the initial one.
    pub fn simulated_half_life_day(&self) -> Option<u32> {
        // For whole base units, `supply <= S_0 / 2` is `supply <= floor(S_0 / 2)`.
        let half = self.initial_supply / 2;
        self.rows.iter().find(|r| r.supply <= half).map(|r| r.step)
    }

    /// Day counts per regime: (deflationary, neutral, inflationary).
    pub fn regime_days(&self) -> (u32, u32, u32) {
        let mut c = (0, 0, 0);
        for v in self.views() {
            match Change::between(v.prev_supply, v.row.supply).regime() {
                Regime::Deflationary => c.0 += 1,
                Regime::Neutral => c.1 += 1,
                Regime::Inflationary => c.2 += 1,
            }
        }
        c
    }

    /// A column's total over the run, exactly.
    pub(super) fn total(&self, f: impl Fn(&StepRow) -> u128) -> Total {
        self.rows.iter().map(f).sum()
    }

    /// The reporting periods (a plan period, or 30 steps, each).
    pub fn periods(&self) -> Vec<Period> {
        let mut before = self.initial_supply;
        self.rows
            .chunks(self.period_days())
            .enumerate()
            .map(|(i, chunk)| {
                let last = &chunk[chunk.len() - 1];
                let change = Change::between(before, last.supply);
                before = last.supply;
                Period {
                    period: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    first_step: chunk[0].step,
                    last_step: last.step,
                    burned: chunk.iter().map(|r| r.burned).sum(),
                    emitted: chunk.iter().map(|r| r.emitted).sum(),
                    net_supply_change: change,
                    unfunded_actions: chunk.iter().map(|r| r.unfunded_actions).sum(),
                }
            })
            .collect()
    }

    /// The last row's trailing break-even.
    pub(super) fn last_break_even(&self) -> u128 {
        self.views().last().map_or(0, |v| v.break_even)
    }

    /// The emission per step that would have kept supply flat over the run.
    pub(super) fn whole_run_break_even(&self) -> u128 {
        let after = self.rows.last().map_or(self.initial_supply, |r| r.supply);
        break_even(
            self.total(|r| r.emitted),
            self.initial_supply,
            after,
            self.rows.len(),
        )
    }
}

/// The emission per step that keeps the supply flat over `steps` steps
/// that emitted `emitted` and took the supply from `before` to `after`:
/// `max(0, emitted - (after - before)) / steps`, floored.
fn break_even(emitted: Total, before: u128, after: u128, steps: usize) -> u128 {
    let mut flat = emitted;
    flat.add(before);
    match (flat.checked_sub(Total::from(after)), u64::try_from(steps)) {
        // The emissions of a window are at most the supply they created,
        // so the quotient fits; saturate rather than trust that.
        (Some(t), Ok(n)) if n > 0 => t.div_rem(n).0.to_u128().unwrap_or(u128::MAX),
        _ => 0,
    }
}

/// One reporting period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub period: u32,
    pub first_step: u32,
    pub last_step: u32,
    pub burned: Total,
    pub emitted: Total,
    pub net_supply_change: Change,
    pub unfunded_actions: Total,
}
