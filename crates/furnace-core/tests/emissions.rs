//! Emission schedules through `apply`, against figures computed
//! independently (by hand, or with Python's integers as quoted):
//! Helium's halving every two years from 5M HNT a month, Bittensor's
//! halvings at 10.5M and 15.75M of 21M TAO, Curve's 274,815,283 CRV a year
//! reduced by 2^(1/4) yearly, LAM's 350M community pool vested daily over
//! four years; caps (the schedule's, a maximum supply, a holding account
//! running dry), channels, rejections and validation.

mod common;

use common::*;
use furnace_core::economy::{
    AccountSpec, AssetSpec, CurveStep, Destination, EmissionChannel, EmissionCurve,
    EmissionSchedule, EmissionSource, Oracle,
};
use furnace_core::engine::{EmissionLimit, EmissionReceipt};
use furnace_core::event::{BurnReason, MintReason};
use furnace_core::ids::ScheduleId;
use furnace_core::units::Ppm;
use furnace_core::{AccountId, AssetId, Economy, Event, Receipt, State, ValidEconomy};

const TOKEN: AssetId = AssetId(1);
const HOLDER: AccountId = AccountId(0);
const REWARDS: AccountId = AccountId(1);
const S0: ScheduleId = ScheduleId(0);

/// USD and one token of `decimals`, two accounts (`holder`, `rewards`), `genesis` of the token held by `holder`, and `schedules`.
fn economy(
    decimals: u8,
    max_supply: Option<u128>,
    genesis: u128,
    schedules: Vec<EmissionSchedule>,
) -> Economy {
    let account = |name: &str| AccountSpec {
        name: name.into(),
        description: String::new(),
    };
    Economy {
        name: "emissions".into(),
        assets: vec![
            AssetSpec {
                name: "USD".into(),
                decimals: 6,
                max_supply: None,
            },
            AssetSpec {
                name: "TOKEN".into(),
                decimals,
                max_supply,
            },
        ],
        numeraire: AssetId(0),
        oracles: vec![Oracle::Exogenous; 2],
        accounts: vec![account("holder"), account("rewards")],
        genesis: if genesis > 0 {
            vec![(TOKEN, HOLDER, genesis)]
        } else {
            vec![]
        },
        versions: vec![],
        splits: vec![],
        rules: vec![],
        plans: vec![],
        markets: vec![],
        buybacks: vec![],
        sales: vec![],
        redemptions: vec![],
        reward_pools: vec![],
        emissions: schedules,
        launches: vec![],
        points: vec![],
    }
}

/// A schedule minting (as staking rewards) into `rewards`, one epoch a step.
fn schedule(curve: EmissionCurve) -> EmissionSchedule {
    EmissionSchedule {
        name: "main".into(),
        token: TOKEN,
        source: EmissionSource::Mint(MintReason::Staking),
        channels: vec![EmissionChannel {
            name: "rewards".into(),
            to: Destination::Account(REWARDS),
            share: Ppm::ONE,
        }],
        curve,
        cap: None,
        already_emitted: 0,
        epoch_steps: 1,
    }
}

struct Fx {
    e: ValidEconomy,
    s: State,
}

impl Fx {
    fn new(e: Economy) -> Fx {
        let e = valid(e);
        Fx {
            s: State::genesis(&e),
            e,
        }
    }

    /// Emit schedule 0's next epoch, then tick so the next is due.
    fn emit(&mut self) -> EmissionReceipt {
        let r = match must(&self.e, &mut self.s, Event::Emit { schedule: S0 }) {
            Receipt::Emitted(r) => r,
            r => panic!("{r:?}"),
        };
        must(&self.e, &mut self.s, Event::Tick);
        r
    }

    fn reject_emit(&mut self, code: &str) -> String {
        reject(&self.e, &mut self.s, Event::Emit { schedule: S0 }, code).to_string()
    }
}

/// Helium (HIP-20): 5,000,000 HNT a month (8 decimals), halving every 24
/// months: 120M in the first two years, 60M in the next two... With a cap
/// of 223M (HIP-20's effective cap), the 93rd month finds 13M of room after
/// 210M: months 72-91 emit 625,000 each (12.5M), month 92 has 500,000 of
/// room for its 625,000: cut 125,000, and the schedule stops.
#[test]
fn helium_halves_every_two_years() {
    let hnt = |n: u128| whole(n, 8);
    let mut s = schedule(EmissionCurve::Geometric {
        initial: hnt(5_000_000),
        numerator: 1,
        denominator: 2,
        every_epochs: 24,
    });
    s.cap = Some(hnt(223_000_000));
    let mut fx = Fx::new(economy(8, None, 0, vec![s]));
    let mut amounts = Vec::new();
    loop {
        let r = fx.emit();
        amounts.push(r.emitted);
        if r.stopped {
            assert_eq!(r.epoch, 92);
            assert_eq!(r.scheduled, hnt(625_000));
            assert_eq!(r.emitted, hnt(500_000));
            assert_eq!(r.cut, hnt(125_000));
            assert_eq!(r.limited_by, Some(EmissionLimit::ScheduleCap));
            break;
        }
        assert_eq!((r.cut, r.limited_by), (0, None));
    }
    assert_eq!(amounts[23], hnt(5_000_000));
    assert_eq!(amounts[24], hnt(2_500_000));
    assert_eq!(amounts[48], hnt(1_250_000));
    assert_eq!(amounts[..24].iter().sum::<u128>(), hnt(120_000_000));
    assert_eq!(amounts[..48].iter().sum::<u128>(), hnt(180_000_000));
    assert_eq!(amounts[..72].iter().sum::<u128>(), hnt(210_000_000));
    assert_eq!(fx.s.balance(TOKEN, REWARDS), hnt(223_000_000));
    let st = *fx.s.schedule(S0).unwrap();
    assert_eq!(
        (st.epochs, st.emitted, st.cut),
        (93, hnt(223_000_000), hnt(125_000))
    );
    assert_eq!(st.stopped_at, Some(92));
    assert_eq!(
        fx.s.totals(TOKEN).minted_by_reason[MintReason::Staking.index()],
        hnt(223_000_000)
    );
    let text = fx.reject_emit("schedule_stopped");
    assert!(text.contains("stopped at epoch 92"), "{text}");
}

/// Bittensor: `base / 2^floor(log2(21M / (21M - issuance)))`, 9 decimals,
/// 7,200 TAO a day (one TAO a block), issuance read at the start of the
/// day. At 10,499,000 TAO the ratio is 21 / 10.501 = 1.9998: no halving,
/// 7,200; the next day, at 10,506,200, 21 / 10.4938 = 2.0012: one halving,
/// 3,600. At exactly 10.5M the ratio is 2: 3,600. From 15.75M (ratio 4):
/// 1,800; from 18.375M (ratio 8): 900.
#[test]
fn bittensor_halves_at_issuance_thresholds() {
    let tao = |n: u128| whole(n, 9);
    let curve = || EmissionCurve::IssuanceHalving {
        base: tao(7_200),
        cap: tao(21_000_000),
    };
    let run = |issued: u128, days: usize| -> Vec<u128> {
        let mut fx = Fx::new(economy(
            9,
            Some(tao(21_000_000)),
            issued,
            vec![schedule(curve())],
        ));
        (0..days).map(|_| fx.emit().emitted).collect()
    };
    assert_eq!(run(tao(10_499_000), 2), [tao(7_200), tao(3_600)]);
    assert_eq!(run(tao(10_499_999), 1), [tao(7_200)]);
    assert_eq!(run(tao(10_500_000), 1), [tao(3_600)]);
    assert_eq!(run(tao(15_748_000), 2), [tao(3_600), tao(1_800)]);
    assert_eq!(run(tao(15_750_000), 1), [tao(1_800)]);
    assert_eq!(run(tao(18_375_000), 1), [tao(900)]);
    // At the cap the curve is done: nothing, and the schedule stops.
    let mut fx = Fx::new(economy(9, None, tao(21_000_000), vec![schedule(curve())]));
    let r = fx.emit();
    assert_eq!((r.scheduled, r.emitted, r.stopped), (0, 0, true));
    fx.reject_emit("schedule_stopped");
}

/// Curve (ERC20CRV.vy): 274,815,283 CRV the first year, each later year the
/// last divided by 2^(1/4), in the contract's own arithmetic:
/// `rate * 10^18 // 1189207115002721024` (2^(1/4) = 1.18920711500272106672
/// to 18 decimals, rounded down by 4.27e-17). Python, year by year:
/// 274815283000000000000000000, 231091186331635087245339218,
/// 194323750183000147671771430, 163406144927543185469148582. Against the
/// exact 274,815,283 / 2^(n/4) (231091186331635078944314425.56 for year 1)
/// the coefficient's rounding adds 8.3e-9 CRV in year 1 (3.6e-17 of it).
#[test]
fn curve_reduces_its_rate_yearly_by_the_fourth_root_of_two() {
    let crv = |n: u128| whole(n, 18);
    let s = schedule(EmissionCurve::Geometric {
        initial: crv(274_815_283),
        numerator: 10u128.pow(18),
        denominator: 1_189_207_115_002_721_024,
        every_epochs: 1,
    });
    let mut fx = Fx::new(economy(18, None, 0, vec![s]));
    let years: Vec<u128> = (0..4).map(|_| fx.emit().emitted).collect();
    assert_eq!(
        years,
        [
            274_815_283_000_000_000_000_000_000,
            231_091_186_331_635_087_245_339_218,
            194_323_750_183_000_147_671_771_430,
            163_406_144_927_543_185_469_148_582,
        ]
    );
}

/// A geometric decay floors at each reduction, from the last rate: 10% a
/// period from 1,000 gives 1000, 900, 810, 729, 656, 590, 531, 477 (the
/// 8th is floor(531 x 0.9) = 477, where floor(1000 x 0.9^7) would be 478).
#[test]
fn decay_floors_each_reduction() {
    let s = schedule(EmissionCurve::Geometric {
        initial: 1_000,
        numerator: 900_000,
        denominator: 1_000_000,
        every_epochs: 1,
    });
    let mut fx = Fx::new(economy(0, None, 0, vec![s]));
    let got: Vec<u128> = (0..8).map(|_| fx.emit().emitted).collect();
    assert_eq!(got, [1000, 900, 810, 729, 656, 590, 531, 477]);
}

/// LAM's community allocation: 350M LAM (18 decimals) vested daily over
/// four years, 1,461 days (one leap day), transferred from `community`
/// where genesis put it. Daily floor(350e24 / 1461) =
/// 239,561,943,874,058,863,791,923 base units (239,561.94 LAM); the
/// remainder, 497 base units, is added on the last day: the total is
/// exactly 350M and `community` ends at zero. (Seed 000's "~1M tokens a
/// day" would empty it in 350 days.)
#[test]
fn lam_community_pool_vests_daily_over_four_years() {
    let lam = |n: u128| whole(n, 18);
    let mut s = schedule(EmissionCurve::Linear {
        total: lam(350_000_000),
        epochs: 1_461,
    });
    s.source = EmissionSource::Account(HOLDER);
    let mut fx = Fx::new(economy(
        18,
        Some(lam(1_000_000_000)),
        lam(350_000_000),
        vec![s],
    ));
    let daily = 239_561_943_874_058_863_791_923;
    for day in 0..1_460 {
        let r = fx.emit();
        assert_eq!((r.epoch, r.emitted, r.stopped), (day, daily, false));
    }
    let last = fx.emit();
    assert_eq!(last.emitted, daily + 497);
    assert!(last.stopped);
    assert_eq!(fx.s.balance(TOKEN, REWARDS), lam(350_000_000));
    assert_eq!(fx.s.balance(TOKEN, HOLDER), 0);
    // Transferred, not minted: the supply never moved.
    assert_eq!(fx.s.supply(TOKEN), lam(350_000_000));
    assert_eq!(fx.s.schedule(S0).unwrap().stopped_at, Some(1_460));
    fx.reject_emit("schedule_stopped");
}

/// A holding account that runs dry stops the schedule: 100 an epoch from
/// 250 gives 100, 100, then 50 (cut 50) and the schedule stops there.
#[test]
fn a_dry_source_stops_the_schedule() {
    let mut s = schedule(EmissionCurve::Constant { per_epoch: 100 });
    s.source = EmissionSource::Account(HOLDER);
    let mut fx = Fx::new(economy(0, None, 250, vec![s]));
    assert_eq!(fx.emit().emitted, 100);
    assert_eq!(fx.emit().emitted, 100);
    let r = fx.emit();
    assert_eq!((r.epoch, r.emitted, r.cut), (2, 50, 50));
    assert_eq!(
        (r.limited_by, r.stopped),
        (Some(EmissionLimit::Source), true)
    );
    fx.reject_emit("schedule_stopped");
}

/// A maximum supply cuts a minted schedule without stopping it: burns make
/// room again.
#[test]
fn a_maximum_supply_cuts_without_stopping() {
    let s = schedule(EmissionCurve::Constant { per_epoch: 100 });
    let mut fx = Fx::new(economy(0, Some(1_150), 1_000, vec![s]));
    assert_eq!(fx.emit().emitted, 100);
    let r = fx.emit();
    assert_eq!(
        (r.emitted, r.cut, r.limited_by),
        (50, 50, Some(EmissionLimit::MaxSupply))
    );
    assert!(!r.stopped);
    let r = fx.emit();
    assert_eq!((r.emitted, r.cut, r.stopped), (0, 100, false));
    must(
        &fx.e,
        &mut fx.s,
        Event::Burn {
            asset: TOKEN,
            from: HOLDER,
            amount_base_units: 30,
            reason: BurnReason::Voluntary,
        },
    );
    assert_eq!(fx.emit().emitted, 30);
    assert_eq!(fx.s.schedule(S0).unwrap().cut, 220);
}

/// The schedule's cap counts what was emitted before genesis.
#[test]
fn the_cap_counts_what_was_already_emitted() {
    let mut s = schedule(EmissionCurve::Constant { per_epoch: 60 });
    s.cap = Some(1_000);
    s.already_emitted = 900;
    let mut fx = Fx::new(economy(0, None, 0, vec![s]));
    assert_eq!(fx.emit().emitted, 60);
    let r = fx.emit();
    assert_eq!((r.emitted, r.cut, r.stopped), (40, 20, true));
    assert_eq!(r.limited_by, Some(EmissionLimit::ScheduleCap));
}

/// A step table: 100 for epochs 0-1, 50 for 2-3, then 0: the schedule
/// stops with epoch 3, the last that emits.
#[test]
fn step_tables_end_where_their_last_step_is_zero() {
    let steps = [(0, 100), (2, 50), (4, 0)]
        .map(|(from_epoch, per_epoch)| CurveStep {
            from_epoch,
            per_epoch,
        })
        .to_vec();
    let mut fx = Fx::new(economy(
        0,
        None,
        0,
        vec![schedule(EmissionCurve::Steps(steps))],
    ));
    let got: Vec<(u128, bool)> = (0..4)
        .map(|_| {
            let r = fx.emit();
            (r.emitted, r.stopped)
        })
        .collect();
    assert_eq!(got, [(100, false), (100, false), (50, false), (50, true)]);
    fx.reject_emit("schedule_stopped");
}

/// Channels: each floor(amount x share), the dust to the first; a channel
/// may be a reward pool, credited in O(1).
#[test]
fn channels_divide_each_epoch_exactly() {
    let mut spec = lam_rewards_spec();
    spec.assets[1].max_supply = None;
    let lam = asset(&spec, "LAM");
    let minted = EmissionSource::Mint(MintReason::Staking);
    let curve = EmissionCurve::Constant { per_epoch: 101 };
    let mut s = lam_schedule(&spec, minted, curve, pct(50));
    s.channels[1].share = pct(30);
    s.channels.push(EmissionChannel {
        name: "treasury".into(),
        to: Destination::Account(acct(&spec, "unallocated")),
        share: pct(20),
    });
    spec.emissions = vec![s];
    let e = valid(spec);
    let mut s = State::genesis(&e);
    let staker = funded_account(&e, &mut s, lam, acct(&e, "market"), 1 << 60);
    let p = open_position(&e, &mut s, STAKERS, staker, 1 << 60, 0);
    let Receipt::Emitted(r) = must(&e, &mut s, Event::Emit { schedule: S0 }) else {
        panic!()
    };
    // 50.5, 30.3, 20.2 floored: 50, 30, 20; the unit of dust to the first.
    assert_eq!(r.channels(), [51, 30, 20]);
    assert_eq!(
        furnace_core::engine::claimable(&e, &s, STAKERS, p).unwrap(),
        (51, 0)
    );
    assert_eq!(s.balance(lam, acct(&e, "ecosystem")), 30);
    // One epoch a step: a second Emit before the next Tick is refused.
    let text = reject(&e, &mut s, Event::Emit { schedule: S0 }, "epoch_not_due").to_string();
    assert!(text.contains("due at step 1"), "{text}");
    reject(
        &e,
        &mut s,
        Event::Emit {
            schedule: ScheduleId(7),
        },
        "unknown_schedule",
    );
}

/// An epoch of several steps: a weekly schedule on daily ticks.
#[test]
fn epochs_may_span_several_steps() {
    let mut s = schedule(EmissionCurve::Constant { per_epoch: 7 });
    s.epoch_steps = 7;
    let mut fx = Fx::new(economy(0, None, 0, vec![s]));
    must(&fx.e, &mut fx.s, Event::Emit { schedule: S0 });
    for _ in 0..6 {
        must(&fx.e, &mut fx.s, Event::Tick);
        fx.reject_emit("epoch_not_due");
    }
    must(&fx.e, &mut fx.s, Event::Tick);
    must(&fx.e, &mut fx.s, Event::Emit { schedule: S0 });
    assert_eq!(fx.s.balance(TOKEN, REWARDS), 14);
}

// ---------------------------------------------------------------------------
// Validation

#[test]
fn validation_names_the_key_of_each_schedule_error() {
    let mut bad = schedule(EmissionCurve::Geometric {
        initial: 0,
        numerator: 3,
        denominator: 2,
        every_epochs: 0,
    });
    bad.cap = Some(10);
    bad.already_emitted = 11;
    bad.epoch_steps = 0;
    bad.source = EmissionSource::Mint(MintReason::Purchase);
    bad.channels = vec![
        EmissionChannel {
            name: "fire".into(),
            to: Destination::Burn,
            share: pct(50),
        },
        EmissionChannel {
            name: "ghost".into(),
            to: Destination::Account(AccountId(9)),
            share: pct(40),
        },
    ];
    let mut steps = schedule(EmissionCurve::Steps(vec![
        CurveStep {
            from_epoch: 1,
            per_epoch: 5,
        },
        CurveStep {
            from_epoch: 1,
            per_epoch: 5,
        },
    ]));
    steps.name = "steps".into();
    steps.token = AssetId(0);
    let mut linear = schedule(EmissionCurve::Linear {
        total: 5,
        epochs: 0,
    });
    linear.name = "linear".into();
    linear.source = EmissionSource::Account(AccountId(9));
    let e = validation_errors(economy(0, None, 0, vec![bad, steps, linear]));
    has_error(
        &e,
        "emissions.main.cap",
        "the cap 10 is below the 11 already emitted",
    );
    has_error(&e, "emissions.main.epoch_steps", "at least one step");
    has_error(&e, "emissions.main.source", "emission reason");
    has_error(&e, "emissions.main.channels", "sum to exactly 100%");
    has_error(
        &e,
        "emissions.main.channels[0].to",
        "an account or a reward pool",
    );
    has_error(&e, "emissions.main.channels[1].to", "unknown account");
    has_error(&e, "emissions.main.curve.initial", "greater than zero");
    has_error(&e, "emissions.main.curve.every_epochs", "greater than zero");
    has_error(&e, "emissions.main.curve.numerator", "at most 1");
    has_error(&e, "emissions.steps.token", "declared token");
    has_error(&e, "emissions.steps.curve.steps[0].from_epoch", "epoch 0");
    has_error(&e, "emissions.steps.curve.steps[1].from_epoch", "later");
    has_error(&e, "emissions.linear.curve.epochs", "greater than zero");
    has_error(&e, "emissions.linear.source", "unknown account");
    // A channel into a pool paying another asset.
    let mut spec = lam_rewards_spec();
    let lam = asset(&spec, "LAM");
    let mut s = schedule(EmissionCurve::Constant { per_epoch: 1 });
    s.token = lam;
    s.channels[0].to = Destination::RewardPool(FEE_SHARE);
    spec.emissions = vec![s];
    has_error(
        &validation_errors(spec),
        "emissions.main.channels[0].to",
        "`fee_share` pays in USD, but LAM",
    );
}
