//! The exogenous drivers of a scenario, day by day: token price,
//! pay-as-you-go demand, emissions and shocks. Floats live here and only
//! here; they enter the ledger through
//! [`furnace_core::units::units_from_f64`] (prices) or rounded to whole
//! actions (demand). Every `exp`, `ln` and `pow` is `libm`'s and every
//! normal draw the ziggurat of `normal.rs`, so a seed gives the same bits
//! on every machine.
//!
//! Randomness: a run's seed keys `ChaCha8Rng` streams. Stream 0 draws,
//! each day and in this order: the GBM price shock (days 1.., a GBM price
//! path only), the demand model's draw (days 1.., `random_growth` and
//! `gbm`), the demand noise (`noise > 0`). Stream 2 draws one uniform per
//! probabilistic shock per day, in file order. (Stream 1 draws the
//! trainers' weights at setup; 3 and 4 `[rewards]`, 5 `[training]`, 10 the
//! `[[launches]]` purchases: the constants below.) So adding a
//! shock or a launch does not move the price
//! or demand paths, and each stream is a pure function of the scenario and
//! the seed. [`Drivers::reset`] starts a run afresh without allocating.

mod normal;

pub(crate) use normal::{standard_normal, uniform};

use furnace_config::scenario::{
    Demand, DemandPath, EmissionSchedule, PricePath, Seasonality, Shock, ShockWhen,
};
use furnace_core::units::{mul_div_floor, units_from_f64, PRICE_DECIMALS};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

// The file bound and the driver cap are one number (10^9 is exact in f64).
const _: () =
    assert!(MAX_PRICE_PICO as f64 == furnace_config::scenario::MAX_TOKEN_PRICE_USD * 1e12);

/// The lowest price a driver sets: one pico-dollar per whole token. A path
/// that falls below it (a GBM at 1000% volatility over a year, a growth of
/// -50% a day) is floored here, and the run's warnings say on how many days.
pub const MIN_PRICE_PICO: u128 = 1;

/// The highest price a driver sets: the bound a scenario file may write
/// (`MAX_TOKEN_PRICE_USD`, $10^9 per whole token = 10^21 pico). The file's
/// paths are checked against it at load; a GBM may still wander above it,
/// and is then capped here and counted.
pub const MAX_PRICE_PICO: u128 = 1_000_000_000 * 1_000_000_000_000;

/// The most pay-as-you-go actions a driver demands in a day: the bound a
/// scenario file may write (10^12). Paths are checked at load; demand
/// noise may still draw above it, and the day is then capped and counted.
pub use furnace_config::scenario::MAX_ACTIONS_PER_DAY;

/// The ceiling of a random demand level (`random_growth`, `gbm`, `rates`):
/// twice [`MAX_ACTIONS_PER_DAY`], so a walk that passes the daily bound
/// keeps being capped and counted, and never reaches infinity (1% a day
/// for 36,500 days would be 10^157).
const LEVEL_CEILING: f64 = 2.0 * MAX_ACTIONS_PER_DAY as f64;

/// The ChaCha8 streams of a run's seed, one per kind of driver, so adding
/// one kind of behaviour never moves another's draws (see the module docs).
const DEMAND_STREAM: u64 = 0;
pub(crate) const TRAINER_STREAM: u64 = 1;
const SHOCK_STREAM: u64 = 2;
/// `[rewards]` setup draws (lock lengths).
pub(crate) const REWARDS_SETUP_STREAM: u64 = 3;
/// `[rewards]` epochs' draws (turnouts, votes, scores).
pub(crate) const REWARDS_EPOCH_STREAM: u64 = 4;
/// `[training]`: the referral graph at setup and each trainer's day.
pub(crate) const TRAINING_STREAM: u64 = 5;
/// `[[launches]]` purchases (6 to 9 are free).
pub(crate) const LAUNCH_STREAM: u64 = 10;

/// Days a driver's value was pushed back into range, for the warnings.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct DriverClips {
    /// Days the price path was below [`MIN_PRICE_PICO`].
    pub price_floored_days: u32,
    pub first_price_floored_step: Option<u32>,
    /// Days the price path was above [`MAX_PRICE_PICO`].
    pub price_capped_days: u32,
    pub first_price_capped_step: Option<u32>,
    /// Days demand was above [`MAX_ACTIONS_PER_DAY`].
    pub demand_capped_days: u32,
    pub first_demand_capped_step: Option<u32>,
}

fn count(days: &mut u32, first: &mut Option<u32>, t: u32) {
    *days += 1;
    first.get_or_insert(t + 1);
}

/// The random state of one run: the streams, the GBM's price, a random
/// demand level, the shocks' factors and the decay emission's last day.
pub(crate) struct Drivers {
    rng: ChaCha8Rng,
    shock_rng: ChaCha8Rng,
    gbm_usd: f64,
    /// `A_t` of a stateful demand model, unrounded.
    demand_level: f64,
    /// Products of `1 - size` of the demand and price shocks so far.
    demand_factor: f64,
    price_factor: f64,
    /// `(t, E_t)` of a decay schedule, the last day computed.
    decay: Option<(u32, u128)>,
    pub(crate) clips: DriverClips,
}

/// A price path produced a value that is not a positive, finite price.
#[derive(Copy, Clone, Debug, PartialEq)]
pub(crate) struct BadPrice(pub f64);

/// Stream `stream` of `seed`: every driver's generator.
pub(crate) fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// `A_0` of a stateful demand model.
fn demand_start(path: &DemandPath) -> f64 {
    match path {
        DemandPath::RandomGrowth { start, .. }
        | DemandPath::Gbm { start, .. }
        | DemandPath::Rates { start, .. } => *start as f64,
        _ => 0.0,
    }
}

impl Drivers {
    pub(crate) fn new(seed: u64, price: &PricePath, demand: &Demand) -> Drivers {
        let mut d = Drivers {
            rng: rng(seed, DEMAND_STREAM),
            shock_rng: rng(seed, SHOCK_STREAM),
            gbm_usd: 0.0,
            demand_level: 0.0,
            demand_factor: 1.0,
            price_factor: 1.0,
            decay: None,
            clips: DriverClips::default(),
        };
        d.reset(seed, price, demand);
        d
    }

    /// Start a run with `seed`, as [`Drivers::new`] would.
    pub(crate) fn reset(&mut self, seed: u64, price: &PricePath, demand: &Demand) {
        self.rng = rng(seed, DEMAND_STREAM);
        self.shock_rng = rng(seed, SHOCK_STREAM);
        self.gbm_usd = match price {
            PricePath::Gbm { start_usd, .. } => *start_usd,
            _ => 0.0,
        };
        self.demand_level = demand_start(&demand.path);
        self.demand_factor = 1.0;
        self.price_factor = 1.0;
        self.decay = None;
        self.clips = DriverClips::default();
    }

    /// `P_t` in pico-dollars per whole token, within [`MIN_PRICE_PICO`] and
    /// [`MAX_PRICE_PICO`] (a value outside is moved to the bound and the
    /// day counted in `clips`), times the price shocks so far.
    ///
    /// - Constant: the exact configured price.
    /// - Growth: `start * (1 + g)^t`.
    /// - GBM: `P_0 = start`; for `t >= 1`,
    ///   `P_t = P_{t-1} * exp((mu - sigma^2/2)/365 + sigma/sqrt(365) * Z_t)`.
    /// - Table: `usd[t]`, the last entry repeating.
    pub(crate) fn price_pico(&mut self, path: &PricePath, t: u32) -> Result<u128, BadPrice> {
        let usd = match path {
            PricePath::Constant { price_usd_pico } if self.price_factor == 1.0 => {
                return Ok(self.clip_price(*price_usd_pico, t));
            }
            PricePath::Constant { price_usd_pico } => *price_usd_pico as f64 / 1e12,
            PricePath::Growth {
                start_usd,
                daily_growth,
            } => start_usd * libm::pow(1.0 + daily_growth, f64::from(t)),
            PricePath::Gbm {
                annual_drift,
                annual_volatility,
                ..
            } => {
                if t > 0 {
                    let z = standard_normal(&mut self.rng);
                    let sigma = *annual_volatility;
                    let log_return = (annual_drift - sigma * sigma / 2.0) / 365.0
                        + sigma / libm::sqrt(365.0) * z;
                    self.gbm_usd *= libm::exp(log_return);
                }
                self.gbm_usd
            }
            PricePath::Table { usd } => usd.get(t as usize).or(usd.last()).copied().unwrap_or(0.0),
        } * self.price_factor;
        match units_from_f64(usd, PRICE_DECIMALS) {
            Some(p) => Ok(self.clip_price(p, t)),
            // Too large for 128 bits, or +inf: above the cap all the same.
            None if usd > 0.0 => Ok(self.clip_price(u128::MAX, t)),
            None => Err(BadPrice(usd)),
        }
    }

    fn clip_price(&mut self, pico: u128, t: u32) -> u128 {
        let c = &mut self.clips;
        if pico < MIN_PRICE_PICO {
            count(
                &mut c.price_floored_days,
                &mut c.first_price_floored_step,
                t,
            );
        } else if pico > MAX_PRICE_PICO {
            count(&mut c.price_capped_days, &mut c.first_price_capped_step, t);
        }
        pico.clamp(MIN_PRICE_PICO, MAX_PRICE_PICO)
    }

    /// `A_t`: pay-as-you-go actions demanded on day `t`.
    ///
    /// The path (Constant; Growth `start * (1 + g)^t`; Table, the last
    /// entry repeating; RandomGrowth `A_t = A_{t-1} (1 + max(floor, mean +
    /// sd Z))`; Gbm `A_t = A_{t-1} exp(drift - vol^2/2 + vol Z)`; Rates
    /// `A_t = A_{t-1} (1 + rates[t-1])`) times the seasonality and the
    /// demand shocks so far, rounded half away from zero to whole actions;
    /// then, when `noise > 0`, times the mean-one log-normal factor
    /// `exp(sigma * Z - sigma^2 / 2)`, rounded; at most
    /// [`MAX_ACTIONS_PER_DAY`] (a day above is capped and counted).
    pub(crate) fn demand(&mut self, demand: &Demand, t: u32) -> u64 {
        let n = self.demand_unclipped(demand, t);
        if n > MAX_ACTIONS_PER_DAY {
            let c = &mut self.clips;
            count(
                &mut c.demand_capped_days,
                &mut c.first_demand_capped_step,
                t,
            );
        }
        n.min(MAX_ACTIONS_PER_DAY)
    }

    fn demand_unclipped(&mut self, demand: &Demand, t: u32) -> u64 {
        let factor = self.demand_factor * demand.seasonality.as_ref().map_or(1.0, |s| season(s, t));
        let exact = |n: u64| {
            if factor == 1.0 {
                n
            } else {
                round_to_u64(n as f64 * factor)
            }
        };
        let base = match &demand.path {
            DemandPath::Constant { actions } => exact(*actions),
            DemandPath::Growth {
                start,
                daily_growth,
            } => round_to_u64(*start as f64 * libm::pow(1.0 + daily_growth, f64::from(t)) * factor),
            DemandPath::Table { actions } => exact(
                actions
                    .get(t as usize)
                    .or(actions.last())
                    .copied()
                    .unwrap_or(0),
            ),
            DemandPath::RandomGrowth {
                mean, sd, floor, ..
            } => {
                if t > 0 {
                    let g = (mean + sd * standard_normal(&mut self.rng)).max(*floor);
                    self.step_level(1.0 + g);
                }
                round_to_u64(self.demand_level * factor)
            }
            DemandPath::Gbm {
                drift, volatility, ..
            } => {
                if t > 0 {
                    let z = standard_normal(&mut self.rng);
                    self.step_level(libm::exp(
                        drift - volatility * volatility / 2.0 + volatility * z,
                    ));
                }
                round_to_u64(self.demand_level * factor)
            }
            DemandPath::Rates { rates, .. } => {
                if t > 0 {
                    let i = t as usize - 1;
                    let r = rates.get(i).or(rates.last()).copied().unwrap_or(0.0);
                    self.step_level(1.0 + r);
                }
                round_to_u64(self.demand_level * factor)
            }
        };
        if demand.noise > 0.0 {
            let z = standard_normal(&mut self.rng);
            let sigma = demand.noise;
            round_to_u64(base as f64 * libm::exp(sigma * z - sigma * sigma / 2.0))
        } else {
            base
        }
    }

    fn step_level(&mut self, by: f64) {
        self.demand_level = (self.demand_level * by).clamp(0.0, LEVEL_CEILING);
    }

    /// `E_t` in base units ([`emissions_on`]); a decay schedule advances
    /// from yesterday's figure in O(1) instead of from day 0.
    pub(crate) fn emission(&mut self, schedule: &EmissionSchedule, t: u32) -> u128 {
        let EmissionSchedule::Decay { factor, .. } = schedule else {
            return emissions_on(schedule, t);
        };
        let e = match self.decay {
            Some((last, e)) if last + 1 == t => factor.of_floor(e).unwrap_or(0),
            Some((last, e)) if last == t => e,
            _ => emissions_on(schedule, t),
        };
        self.decay = Some((t, e));
        e
    }

    /// Whether `shock` happens on day `t` (a probabilistic one draws from
    /// stream 2 every day, fired or not); a demand or price shock that
    /// happens takes effect here, from this day on.
    pub(crate) fn shock_fires(&mut self, shock: &Shock, t: u32) -> bool {
        let fires = match shock.when {
            ShockWhen::Day(day) => day == t + 1,
            ShockWhen::Probability(p) => uniform(&mut self.shock_rng) < p,
        };
        if fires {
            let keep = 1.0 - shock.size.as_f64();
            match shock.kind {
                furnace_config::scenario::ShockKind::Demand => self.demand_factor *= keep,
                furnace_config::scenario::ShockKind::Price => self.price_factor *= keep,
                furnace_config::scenario::ShockKind::Whale { .. } => {}
            }
        }
        fires
    }
}

/// The seasonal factor of day `t`: `1 + a sin(2 pi (t + phase) / period)`.
fn season(s: &Seasonality, t: u32) -> f64 {
    let cycle = f64::from((t + s.phase_days) % s.period_days) / f64::from(s.period_days);
    1.0 + s.amplitude * libm::sin(2.0 * std::f64::consts::PI * cycle)
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
        let n = libm::round(v) as u64;
        n
    }
}

/// `E_t` in base units: Constant; Halving `per_day >> (t / half_life_days)`;
/// LinearDecay `per_day * (end_day - t) / end_day` (floored), 0 from
/// `end_day` on; Table `table[t]`, 0 after the table ends; Decay `E_0 =
/// per_day`, `E_t = floor(E_{t-1} * factor)` (O(t) here; the simulator
/// advances it day by day).
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
        EmissionSchedule::Decay { per_day, factor } => {
            let mut e = *per_day;
            for _ in 0..t {
                if e == 0 {
                    break;
                }
                e = factor.of_floor(e).unwrap_or(0);
            }
            e
        }
    }
}

/// Quality scores and usage counts of `n` trainers, each uniform on 1..=100,
/// from stream 1 of the run's seed (stream 0 drives prices and demand, so
/// adding trainers does not change those paths).
pub fn trainer_weights(seed: u64, n: u32) -> Vec<(u32, u64)> {
    use rand::Rng;
    let mut rng = rng(seed, TRAINER_STREAM);
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
        let growth = Demand {
            path: DemandPath::Growth {
                start: 1000,
                daily_growth: 0.1,
            },
            noise: 0.0,
            marketplace_share: Ppm::ZERO,
            creator_epoch: 1,
            seasonality: None,
        };
        let mut d = Drivers::new(1, &PricePath::Constant { price_usd_pico: 1 }, &growth);
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
        let none = Demand {
            path: DemandPath::Constant { actions: 0 },
            noise: 0.0,
            marketplace_share: Ppm::ZERO,
            creator_epoch: 1,
            seasonality: None,
        };
        let mut d = Drivers::new(7, &c, &none);
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
        let mut a = Drivers::new(7, &gbm, &none);
        let mut b = Drivers::new(7, &gbm, &none);
        assert_eq!(a.price_pico(&gbm, 0), Ok(10_000_000_000));
        let pa: Vec<_> = (1..50).map(|t| a.price_pico(&gbm, t).unwrap()).collect();
        let pb: Vec<_> = (0..50).map(|t| b.price_pico(&gbm, t).unwrap()).collect();
        assert_eq!(pa, pb[1..]);
        assert!(pa.iter().any(|p| *p != 10_000_000_000));
    }
}
