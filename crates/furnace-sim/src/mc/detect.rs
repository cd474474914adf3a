//! Detectors: what designers fear, watched in every run (`[detectors]`
//! in the scenario, defaults in `furnace_config::scenario::Detectors`).
//! Each fires at most once a run, at the first step its condition holds
//! at the end of the step; across runs the runner counts the runs it fired
//! in and keeps a histogram of first steps (one counter per step, so the
//! median is exact).

use crate::sim::StepRow;
use furnace_config::scenario::Detectors;
use furnace_core::economy::{MarketKind, ValidEconomy};
use furnace_core::ids::MarketId;
use furnace_core::units::Ppm;
use furnace_core::State;

/// The detectors, in report order.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Detector {
    /// Supply rose over `inflationary_periods` reporting periods in a row.
    Inflationary,
    /// The treasury account's balance at or below its floor.
    TreasuryDry,
    /// Numeraire subscribers' actions the buyback-funded inventory could
    /// not fund (`unfunded_subscription > 0`): a buyback budget that cannot
    /// meet the demand it funds.
    BuybackShort,
    /// The demand market could not sell the day's tokens (a pool capped at
    /// half its reserve: the fuel-sweep model's "capped" day).
    MarketShort,
    /// The token's price below `price_below_usd`.
    PriceBelow,
    /// The token's price at or below `(1 - price_drop)` of step 1's.
    PriceDrop,
    /// A pool's reserve of either asset below `pool_drained` of genesis.
    PoolDrained,
}

pub const DETECTORS: [Detector; 7] = [
    Detector::Inflationary,
    Detector::TreasuryDry,
    Detector::BuybackShort,
    Detector::MarketShort,
    Detector::PriceBelow,
    Detector::PriceDrop,
    Detector::PoolDrained,
];

impl Detector {
    pub fn name(self) -> &'static str {
        match self {
            Detector::Inflationary => "inflationary",
            Detector::TreasuryDry => "treasury_dry",
            Detector::BuybackShort => "buyback_short",
            Detector::MarketShort => "market_short",
            Detector::PriceBelow => "price_below",
            Detector::PriceDrop => "price_drop",
            Detector::PoolDrained => "pool_drained",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What a scenario's detectors watch, resolved once.
#[derive(Clone, Debug)]
pub(crate) struct Watch {
    pub(crate) config: Detectors,
    /// `period_days` of the run (the inflation detector's period).
    period: u32,
    /// Each pool and its genesis reserves.
    pools: Vec<(MarketId, [u128; 2])>,
}

impl Watch {
    pub(crate) fn new(config: &Detectors, period: u32, economy: &ValidEconomy) -> Watch {
        let pools = economy
            .markets
            .iter()
            .enumerate()
            .filter_map(|(i, m)| match &m.kind {
                MarketKind::Pool { genesis, .. } => Some((MarketId::from_index(i)?, *genesis)),
                MarketKind::External { .. } => None,
            })
            .collect();
        Watch {
            config: config.clone(),
            period: period.max(1),
            pools,
        }
    }

    /// Whether detector `d` is on at all for this scenario.
    pub(crate) fn enabled(&self, d: Detector) -> bool {
        match d {
            Detector::Inflationary => self.config.inflationary_periods > 0,
            Detector::TreasuryDry => self.config.treasury.is_some(),
            Detector::PriceBelow => self.config.price_below_pico.is_some(),
            Detector::PriceDrop => self.config.price_drop > Ppm::ZERO,
            Detector::PoolDrained => !self.pools.is_empty() && self.config.pool_drained > Ppm::ZERO,
            Detector::BuybackShort | Detector::MarketShort => true,
        }
    }

    /// What each detector means, with its threshold, for the reports.
    pub(crate) fn describe(&self, d: Detector, price_name: &str) -> String {
        let c = &self.config;
        match d {
            Detector::Inflationary => format!(
                "supply rose over {} reporting periods of {} steps in a row",
                c.inflationary_periods, self.period
            ),
            Detector::TreasuryDry => "the treasury account's balance at or below its floor".into(),
            Detector::BuybackShort => "numeraire subscribers' actions went unfunded: the buyback-funded inventory could not meet them".into(),
            Detector::MarketShort => "the demand market could not sell the tokens a day's pay-as-you-go demand needed".into(),
            Detector::PriceBelow => format!("{price_name} below the scenario's price_below_usd"),
            Detector::PriceDrop => format!("{price_name} at or below {} of its step-1 price", Ppm(1_000_000 - c.price_drop.0)),
            Detector::PoolDrained => format!("a pool's reserve below {} of its genesis reserve", c.pool_drained),
        }
    }
}

/// One run's detector state.
#[derive(Clone, Debug, Default)]
pub(crate) struct RunWatch {
    /// The step each detector first fired (1-based), if it did.
    pub(crate) fired: [Option<u32>; DETECTORS.len()],
    first_price: Option<u128>,
    period_start_supply: u128,
    streak: u32,
}

impl RunWatch {
    pub(crate) fn reset(&mut self, initial_supply: u128) {
        *self = RunWatch {
            period_start_supply: initial_supply,
            ..RunWatch::default()
        };
    }

    fn fire(&mut self, d: Detector, step: u32) {
        self.fired[d.index()].get_or_insert(step);
    }

    /// Check the end of `row`'s step.
    pub(crate) fn observe(&mut self, w: &Watch, row: &StepRow, state: &State) {
        let step = row.step;
        let c = &w.config;
        if c.inflationary_periods > 0 && step % w.period == 0 {
            if row.supply > self.period_start_supply {
                self.streak += 1;
            } else {
                self.streak = 0;
            }
            self.period_start_supply = row.supply;
            if self.streak >= c.inflationary_periods {
                self.fire(Detector::Inflationary, step);
            }
        }
        if let Some((account, asset, floor)) = c.treasury {
            if state.balance(asset, account) <= floor {
                self.fire(Detector::TreasuryDry, step);
            }
        }
        if row.unfunded_subscription > 0 {
            self.fire(Detector::BuybackShort, step);
        }
        if row.unfunded_api > 0 {
            self.fire(Detector::MarketShort, step);
        }
        let price = row.price_usd_pico;
        if c.price_below_pico.is_some_and(|p| price < p) {
            self.fire(Detector::PriceBelow, step);
        }
        let first = *self.first_price.get_or_insert(price);
        let keep = Ppm(1_000_000 - c.price_drop.0);
        if c.price_drop > Ppm::ZERO && keep.of_floor(first).is_some_and(|limit| price <= limit) {
            self.fire(Detector::PriceDrop, step);
        }
        if c.pool_drained > Ppm::ZERO {
            for (m, genesis) in &w.pools {
                let now = state.pool(*m).map_or([0, 0], |p| p.reserves);
                let drained = (0..2).any(|k| {
                    c.pool_drained
                        .of_floor(genesis[k])
                        .is_some_and(|limit| now[k] < limit)
                });
                if drained {
                    self.fire(Detector::PoolDrained, step);
                }
            }
        }
    }
}

/// Detector frequencies across runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetectorCounts {
    pub runs: u64,
    /// Per detector: how many runs it fired in.
    pub fired: [u64; DETECTORS.len()],
    /// Per detector: runs whose first firing was at each step (index =
    /// step, 1-based; index 0 unused).
    pub first_steps: Vec<Vec<u64>>,
}

impl DetectorCounts {
    pub(crate) fn new(steps: u32) -> DetectorCounts {
        DetectorCounts {
            runs: 0,
            fired: [0; DETECTORS.len()],
            first_steps: vec![vec![0; steps as usize + 1]; DETECTORS.len()],
        }
    }

    pub(crate) fn add(&mut self, run: &RunWatch) {
        self.runs += 1;
        for (i, f) in run.fired.iter().enumerate() {
            if let Some(step) = f {
                self.fired[i] += 1;
                if let Some(slot) = self.first_steps[i].get_mut(*step as usize) {
                    *slot += 1;
                }
            }
        }
    }

    pub(crate) fn merge(&mut self, o: &DetectorCounts) {
        self.runs += o.runs;
        for i in 0..DETECTORS.len() {
            self.fired[i] += o.fired[i];
            for (a, b) in self.first_steps[i].iter_mut().zip(&o.first_steps[i]) {
                *a += b;
            }
        }
    }

    /// The first step detector `d` fired, across the runs it fired in:
    /// (min, median, max); the median of an even count is the mean of the
    /// two middle steps.
    pub fn first_step(&self, d: Detector) -> Option<(u32, f64, u32)> {
        let hist = &self.first_steps[d.index()];
        let n = self.fired[d.index()];
        if n == 0 {
            return None;
        }
        let nth = |k: u64| -> u32 {
            let mut seen = 0;
            for (step, c) in hist.iter().enumerate() {
                seen += c;
                if seen > k {
                    return u32::try_from(step).unwrap_or(u32::MAX);
                }
            }
            0
        };
        let median = if n % 2 == 1 {
            f64::from(nth(n / 2))
        } else {
            (f64::from(nth(n / 2 - 1)) + f64::from(nth(n / 2))) / 2.0
        };
        Some((nth(0), median, nth(n - 1)))
    }

    pub fn fired(&self, d: Detector) -> u64 {
        self.fired[d.index()]
    }
}
