//! The exogenous drivers of a scenario, day by day: token price, pay-as-you-go
//! demand and emissions. Floats live here and only here; they enter the
//! ledger through [`furnace_core::units::units_from_f64`].
//!
//! Randomness: one `ChaCha8Rng` seeded with the run's seed. Each day draws,
//! in this order, at most two standard normals: the GBM price shock (days
//! 1.., only for a GBM price path) and the demand noise (only when
//! `demand.noise > 0`). The stream is therefore a pure function of the
//! scenario and the seed.

use furnace_config::scenario::{Demand, DemandPath, EmissionSchedule, PricePath};
use furnace_core::units::{mul_div_floor, units_from_f64, PRICE_DECIMALS};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// The random state of one run and the GBM's current price.
pub(crate) struct Drivers {
    rng: ChaCha8Rng,
    gbm_usd: f64,
}

/// A price path produced a value that is not a positive, finite price.
#[derive(Copy, Clone, Debug, PartialEq)]
pub(crate) struct BadPrice(pub f64);

impl Drivers {
    pub(crate) fn new(seed: u64, price: &PricePath) -> Drivers {
        let gbm_usd = match price {
            PricePath::Gbm { start_usd, .. } => *start_usd,
            _ => 0.0,
        };
        Drivers {
            rng: ChaCha8Rng::seed_from_u64(seed),
            gbm_usd,
        }
    }

    /// `P_t` in pico-dollars per whole token (at least 1).
    ///
    /// - Constant: the exact configured price.
    /// - Growth: `start * (1 + g)^t`.
    /// - GBM: `P_0 = start`; for `t >= 1`,
    ///   `P_t = P_{t-1} * exp((mu - sigma^2/2)/365 + sigma/sqrt(365) * Z_t)`.
    /// - Table: `usd[t]`, the last entry repeating.
    pub(crate) fn price_pico(&mut self, path: &PricePath, t: u32) -> Result<u128, BadPrice> {
        let usd = match path {
            PricePath::Constant { price_usd_pico } => return Ok((*price_usd_pico).max(1)),
            PricePath::Growth {
                start_usd,
                daily_growth,
            } => start_usd * (1.0 + daily_growth).powf(t as f64),
            PricePath::Gbm {
                annual_drift,
                annual_volatility,
                ..
            } => {
                if t > 0 {
                    let z: f64 = self.rng.sample(StandardNormal);
                    let sigma = *annual_volatility;
                    let log_return =
                        (annual_drift - sigma * sigma / 2.0) / 365.0 + sigma / 365f64.sqrt() * z;
                    self.gbm_usd *= log_return.exp();
                }
                self.gbm_usd
            }
            PricePath::Table { usd } => usd.get(t as usize).or(usd.last()).copied().unwrap_or(0.0),
        };
        match units_from_f64(usd, PRICE_DECIMALS) {
            Some(p) => Ok(p.max(1)),
            None => Err(BadPrice(usd)),
        }
    }

    /// `A_t`: pay-as-you-go actions demanded on day `t`.
    ///
    /// The path (Constant; Growth `round(start * (1 + g)^t)`; Table, the last
    /// entry repeating) times, when `noise > 0`, the mean-one log-normal
    /// factor `exp(sigma * Z - sigma^2 / 2)`, rounded to whole actions.
    pub(crate) fn demand(&mut self, demand: &Demand, t: u32) -> u64 {
        let base = match &demand.path {
            DemandPath::Constant { actions } => *actions,
            DemandPath::Growth {
                start,
                daily_growth,
            } => round_to_u64(*start as f64 * (1.0 + daily_growth).powf(t as f64)),
            DemandPath::Table { actions } => actions
                .get(t as usize)
                .or(actions.last())
                .copied()
                .unwrap_or(0),
        };
        if demand.noise > 0.0 {
            let z: f64 = self.rng.sample(StandardNormal);
            let sigma = demand.noise;
            round_to_u64(base as f64 * (sigma * z - sigma * sigma / 2.0).exp())
        } else {
            base
        }
    }
}

/// Round half away from zero to a non-negative whole number (saturating; NaN
/// is 0).
fn round_to_u64(v: f64) -> u64 {
    if v.is_nan() || v <= 0.0 {
        0
    } else {
        // A float driver's value, rounded: `as` saturates at u64::MAX,
        // which is the documented behaviour.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = v.round() as u64;
        n
    }
}

/// `E_t` in base units: Constant; Halving `per_day >> (t / half_life_days)`;
/// LinearDecay `per_day * (end_day - t) / end_day` (floored), 0 from
/// `end_day` on; Table `table[t]`, 0 after the table ends.
pub fn emissions_on(schedule: &EmissionSchedule, t: u32) -> u128 {
    match schedule {
        EmissionSchedule::None => 0,
        EmissionSchedule::Constant { per_day } => *per_day,
        EmissionSchedule::Halving {
            per_day,
            half_life_days,
        } => per_day
            .checked_shr(t / (*half_life_days).max(1))
            .unwrap_or(0),
        EmissionSchedule::LinearDecay { per_day, end_day } => {
            if t >= *end_day {
                0
            } else {
                // Exact: the result is at most per_day.
                mul_div_floor(*per_day, (end_day - t) as u128, *end_day as u128).unwrap_or(0)
            }
        }
        EmissionSchedule::Table { per_day } => per_day.get(t as usize).copied().unwrap_or(0),
    }
}

/// Quality scores and usage counts of `n` trainers, each uniform on 1..=100,
/// from stream 1 of the run's seed (stream 0 drives prices and demand, so
/// adding trainers does not change those paths).
pub fn trainer_weights(seed: u64, n: u32) -> Vec<(u32, u64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
    (0..n)
        .map(|_| (rng.gen_range(1..=100u32), rng.gen_range(1..=100u64)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use furnace_core::units::Ppm;

    #[test]
    fn emission_schedules() {
        let h = EmissionSchedule::Halving {
            per_day: 1000,
            half_life_days: 10,
        };
        assert_eq!(emissions_on(&h, 0), 1000);
        assert_eq!(emissions_on(&h, 9), 1000);
        assert_eq!(emissions_on(&h, 10), 500);
        assert_eq!(emissions_on(&h, 25), 250);
        assert_eq!(emissions_on(&h, 10 * 200), 0);
        let l = EmissionSchedule::LinearDecay {
            per_day: 1000,
            end_day: 4,
        };
        let got: Vec<u128> = (0..6).map(|t| emissions_on(&l, t)).collect();
        assert_eq!(got, vec![1000, 750, 500, 250, 0, 0]);
        let tab = EmissionSchedule::Table {
            per_day: vec![5, 6],
        };
        assert_eq!(
            (0..3).map(|t| emissions_on(&tab, t)).collect::<Vec<_>>(),
            vec![5, 6, 0]
        );
    }

    #[test]
    fn demand_paths_and_noise() {
        let mut d = Drivers::new(1, &PricePath::Constant { price_usd_pico: 1 });
        let growth = Demand {
            path: DemandPath::Growth {
                start: 1000,
                daily_growth: 0.1,
            },
            noise: 0.0,
            marketplace_share: Ppm::ZERO,
            creator_epoch: 1,
        };
        assert_eq!(d.demand(&growth, 0), 1000);
        assert_eq!(d.demand(&growth, 2), 1210);
        let table = Demand {
            path: DemandPath::Table {
                actions: vec![3, 4],
            },
            ..growth.clone()
        };
        assert_eq!(d.demand(&table, 0), 3);
        assert_eq!(d.demand(&table, 7), 4);
        // Mean-one noise: the average over many days stays near the path.
        let noisy = Demand {
            path: DemandPath::Constant { actions: 1_000_000 },
            noise: 0.3,
            ..growth
        };
        let n = 4000;
        let mean = (0..n).map(|t| d.demand(&noisy, t) as f64).sum::<f64>() / n as f64;
        assert!((mean / 1e6 - 1.0).abs() < 0.03, "mean {mean}");
    }

    #[test]
    fn prices() {
        let c = PricePath::Constant {
            price_usd_pico: 10_000_000_000,
        };
        let mut d = Drivers::new(7, &c);
        assert_eq!(d.price_pico(&c, 3), Ok(10_000_000_000));
        let g = PricePath::Growth {
            start_usd: 0.01,
            daily_growth: 0.0,
        };
        assert_eq!(d.price_pico(&g, 100), Ok(10_000_000_000));
        let t = PricePath::Table {
            usd: vec![0.01, 0.02],
        };
        assert_eq!(d.price_pico(&t, 9), Ok(20_000_000_000));
        let gbm = PricePath::Gbm {
            start_usd: 0.01,
            annual_drift: 0.0,
            annual_volatility: 0.8,
        };
        let mut a = Drivers::new(7, &gbm);
        let mut b = Drivers::new(7, &gbm);
        assert_eq!(a.price_pico(&gbm, 0), Ok(10_000_000_000));
        let pa: Vec<_> = (1..50).map(|t| a.price_pico(&gbm, t).unwrap()).collect();
        let pb: Vec<_> = (0..50).map(|t| b.price_pico(&gbm, t).unwrap()).collect();
        assert_eq!(pa, pb[1..]);
        assert!(pa.iter().any(|p| *p != 10_000_000_000));
    }
}
