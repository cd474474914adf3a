//! The `[[launches]]` drivers end to end (`tests/data/launches.toml` on
//! `tests/data/launchpad.toml`): one launch that graduates at its minimum,
//! one that fails and refunds, refusals counted without stopping the run,
//! conservation under random draws, and `launches.csv`.
//!
//! The spec: virtual reserves 1,000 TOK / 1,000,000 tokens, raise 1,000
//! to 4,000 TOK, 1% purchase fee, window 5 steps, 80% sale / 20% liquidity,
//! the whole raise into the pool. Buys are drawn with `buy_sd = 0`, so each
//! pays exactly `buy_mean`. Figures are computed independently (python3,
//! the expressions next to them: `p = q 990000 // 10^6`, `t = p y // (x +
//! p)`, then `x += p`, `y -= t`, from `x = 1000 T`, `y = 10^6 T`).

use furnace_config::load_scenario;
use furnace_core::ids::{AccountId, AssetId, LaunchId};
use furnace_core::state::LaunchStatus;
use furnace_core::State;
use furnace_sim::{simulate, SimResult};
use proptest::prelude::*;
use std::path::Path;

const T: u128 = 1_000_000_000_000_000_000;

fn load(settings: &[(&str, &str)]) -> furnace_config::Scenario {
    load_file("launches.toml", settings)
}

fn load_file(file: &str, settings: &[(&str, &str)]) -> furnace_config::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let overrides: Vec<(String, String)> = settings
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    load_scenario(&path, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn run(settings: &[(&str, &str)]) -> SimResult {
    simulate(&load(settings)).unwrap_or_else(|e| panic!("{e}"))
}

fn account(r: &SimResult, name: &str) -> AccountId {
    r.info
        .accounts
        .iter()
        .find(|(_, n)| n == name)
        .unwrap_or_else(|| panic!("no account {name}"))
        .0
}

fn tok(r: &SimResult) -> AssetId {
    r.info.token
}

/// What every account, run-time pool and launch holds of `asset`, summed
/// here from the state's parts (not its counters): conservation's
/// right-hand side. Launches hold their principal in TOK, the quote, and
/// their stake pools pay TOK (the test economy declares no pool and no
/// reward pool of its own).
fn held(s: &State, asset: AssetId) -> u128 {
    let balances: u128 = s.accounts().map(|a| s.balance(asset, a)).sum();
    let pools: u128 = (0..s.runtime_pools().len())
        .filter_map(furnace_core::ids::MarketId::runtime)
        .filter_map(|m| {
            let rp = s.runtime_pool(m)?;
            let i = rp.assets.iter().position(|a| *a == asset)?;
            Some(rp.pool.reserves[i])
        })
        .sum();
    let tok = AssetId::declared(1).unwrap();
    let custody: u128 = if asset == tok {
        s.launches().iter().map(|l| l.held).sum()
    } else {
        0
    };
    // Launch stake pools: the launched token staked, their TOK rewards.
    let stakes: u128 = s
        .runtime_reward_pools()
        .iter()
        .map(|r| {
            let t = r.pool.totals();
            (if r.token == asset { t.staked } else { 0 })
                + (if asset == tok { t.rewards_held } else { 0 })
        })
        .sum();
    balances + pools + custody + stakes
}

/// The graduating launch. Step 1: the issuer pays 100 TOK (principal 99,
/// fee 1), buyers 1 and 2 pay 250 each (principal 247.5, fee 2.5): raised
/// 594. Step 2: two more purchases, raised 1,089 >= 1,000: graduated at
/// the end of step 2 (`graduate = "at_minimum"`).
///
/// | purchase | tokens (base units) |
/// |---|---|
/// | issuer, 100 | 90,081,892,629,663,330,300,272 |
/// | buyer 1, 250 | 167,251,935,814,451,040,290,146 |
/// | buyer 2, 250 | 115,313,599,410,339,832,671,814 |
/// | buyer 1, 250 | 84,317,003,315,787,447,565,896 |
/// | buyer 2, 250 | 64,337,627,230,907,224,231,708 |
///
/// Sold 521,302.058401148875059836 tokens; the pool gets the 200,000
/// liquidity tokens and all 1,089 TOK, and `isqrt(200000 T x 1089 T) -
/// 1000` = 14,758,048,651,498,611,995,300 LP shares go to `platform`.
#[test]
fn a_launch_graduates_at_its_minimum_with_the_curves_figures() {
    let r = run(&[]);
    assert!(r.invariants.is_ok(), "{:?}", r.invariants);
    let s = &r.state;
    let l = s.launch_state(LaunchId(0)).unwrap();
    let token = l.token;
    let LaunchStatus::Graduated { pool, step } = l.status else {
        panic!("{:?}", l.status)
    };
    assert_eq!(step, 2);
    assert_eq!((l.raised, l.fees, l.buyers()), (1_089 * T, 11 * T, 3));
    let issuer = account(&r, "agent issuer 1");
    let (b1, b2) = (
        account(&r, "launches[0] buyer 1"),
        account(&r, "launches[0] buyer 2"),
    );
    assert_eq!(s.balance(token, issuer), 90_081_892_629_663_330_300_272);
    assert_eq!(
        s.balance(token, b1),
        167_251_935_814_451_040_290_146 + 84_317_003_315_787_447_565_896
    );
    assert_eq!(
        s.balance(token, b2),
        115_313_599_410_339_832_671_814 + 64_337_627_230_907_224_231_708
    );
    assert_eq!(l.sold, 521_302_058_401_148_875_059_836);
    // Supply: what the curve sold plus the 200,000 liquidity tokens; the
    // unsold rest of the sale allocation is never minted.
    assert_eq!(s.supply(token), 721_302_058_401_148_875_059_836);
    let p = s.pool(pool).unwrap();
    assert_eq!(p.reserves, [200_000 * T, 1_089 * T]);
    let platform = account(&r, "platform");
    assert_eq!(
        s.balance(AssetId::lp(pool), platform),
        14_758_048_651_498_611_995_300
    );
    // The fees stay with `fees`; `market` paid exactly what was spent.
    assert_eq!(s.balance(tok(&r), account(&r, "fees")), 11 * T);
    assert_eq!(
        s.balance(tok(&r), account(&r, "market")),
        (10_000_000 - 1_100) * T
    );
    // Per-step columns.
    let rows = &r.rows;
    assert_eq!(
        (
            rows[0].launches_created,
            rows[0].launch_buys,
            rows[0].launches_raising
        ),
        (1, 3, 1)
    );
    assert_eq!(
        (rows[0].launch_committed, rows[0].launch_fees),
        (594 * T, 6 * T)
    );
    assert_eq!(
        (
            rows[1].launch_buys,
            rows[1].launches_graduated,
            rows[1].launches_raising
        ),
        (2, 1, 0)
    );
    assert_eq!(
        (rows[1].launch_committed, rows[1].launch_fees),
        (495 * T, 5 * T)
    );
    assert!(rows[2..].iter().all(|row| row.launch_buys == 0));
    for a in [tok(&r), token] {
        assert_eq!(held(s, a), s.supply(a));
    }
    // launches.csv: its row, exact (price 1,089 / 200,000 = 0.005445 TOK).
    let csv = r.launches_csv_string(&load(&[]));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "launch,spec,entry,token,quote,issuer,created_step,closes_step,status,settled_step,raised,fees,buyers,buys_refused,tokens_sold,pool,final_price,supply,trades,stake_pool,staked,stake_rewards,stake_reward_asset"
    );
    assert_eq!(
        lines.next().unwrap(),
        "1,agent,0,launched#0,TOK,agent issuer 1,1,6,graduated,2,1089,11,3,0,521302.058401148875059836,runtime#0,0.005445,721302.058401148875059836,0,staking#0,0,0,TOK"
    );
    assert_eq!(lines.next(), None);
    // The step columns are in timeseries.csv and its dictionary.
    let header = r.csv_header();
    for c in furnace_sim::report::LAUNCH_COLUMNS {
        assert!(header.contains(c.name), "{}", c.name);
    }
}

/// The failing launch: no issuer buy, two buyers paying 10 TOK a step
/// (principal 9.9, fee 0.1) on steps 1 to 5: raised 99 < 1,000. On step
/// 6 the window has closed (`closes_step` = 1 + 5): both purchases are
/// refused and counted, then `FailLaunch` refunds the 99 TOK. Each buyer
/// was sent 6 x 10 = 60 TOK (it keeps the 10 of its refused purchase),
/// paid 5 x 10 and gets back its 5 x 9.9 = 49.5 of principal: it holds
/// 59.5. The 1 TOK of fees stays with `fees`; nothing of the token is
/// ever minted.
#[test]
fn a_launch_below_its_minimum_fails_and_refunds_every_principal() {
    let r = run(&[
        ("days", "8"),
        ("launches[0].issuer_buy", "0"),
        ("launches[0].buy_mean", "10"),
        ("launches[0].graduate", "at_close"),
    ]);
    assert!(r.invariants.is_ok(), "{:?}", r.invariants);
    let s = &r.state;
    let l = s.launch_state(LaunchId(0)).unwrap();
    assert_eq!(l.status, LaunchStatus::Failed { step: 6 });
    assert_eq!((l.raised, l.held, l.fees, l.buyers()), (99 * T, 0, T, 2));
    for b in ["launches[0] buyer 1", "launches[0] buyer 2"] {
        let b = account(&r, b);
        assert_eq!(
            l.commitments().find(|(a, _)| *a == b).unwrap().1.principal,
            99 * T / 2
        );
        assert_eq!(s.balance(tok(&r), b), 119 * T / 2);
    }
    assert_eq!(s.balance(tok(&r), account(&r, "fees")), T);
    assert_eq!(
        s.balance(tok(&r), account(&r, "market")),
        (10_000_000 - 120) * T
    );
    assert_eq!(s.supply(l.token), 0);
    assert_eq!(s.runtime_pools().len(), 0);
    let row6 = r.rows[5];
    assert_eq!(
        (
            row6.launch_buys,
            row6.launch_buys_refused,
            row6.launches_failed
        ),
        (0, 2, 1)
    );
    assert_eq!(row6.launch_refunded, 99 * T);
    assert_eq!(r.rows.iter().map(|row| row.launch_buys).sum::<u64>(), 10);
    // After the failure nothing is tried any more.
    assert!(r.rows[6..].iter().all(|row| row.launch_buys_refused == 0));
    assert_eq!(held(s, tok(&r)), s.supply(tok(&r)));
}

/// The issuer's first buy of 5,000 TOK commits 4,950 > the 4,000 maximum:
/// the core refuses it (`above_max_raise`), the run counts it and goes on.
/// The buyers alone raise 495 a step: 990 after step 2, 1,485 after step
/// 3, graduated then. The issuer keeps the 5,000 TOK it was sent.
#[test]
fn a_purchase_above_the_maximum_is_refused_and_counted_not_fatal() {
    let r = run(&[("launches[0].issuer_buy", "5000")]);
    assert!(r.invariants.is_ok());
    assert_eq!(r.rows[0].launch_buys_refused, 1);
    assert_eq!(r.rows[0].launch_buys, 2);
    let l = r.state.launch_state(LaunchId(0)).unwrap();
    assert!(matches!(l.status, LaunchStatus::Graduated { step: 3, .. }));
    assert_eq!(l.raised, 1_485 * T);
    assert_eq!(r.launches[0].buys_refused, 1);
    let issuer = account(&r, "agent issuer 1");
    assert_eq!(r.state.balance(tok(&r), issuer), 5_000 * T);
    assert_eq!(r.state.balance(l.token, issuer), 0);
}

/// The economy's default `issuer_max_share` is 0%: an issuer buy is then
/// refused by the issuer cap, counted the same way.
#[test]
fn an_issuer_buy_above_its_cap_is_refused_and_counted() {
    let r = run(&[("economy.launches.agent.issuer_max_share", "1%")]);
    // 1% of 1,000,000 tokens = 10,000 < the 90,081.89 the 100 TOK buy.
    assert_eq!(r.rows[0].launch_buys_refused, 1);
    assert!(r.invariants.is_ok());
}

/// A drivers' schedule: `count` launches from `first_day` every
/// `every_days`, and trading after graduation.
#[test]
fn scheduled_launches_trade_after_graduation_and_conserve() {
    let r = simulate(&load_file("launches-scheduled.toml", &[])).unwrap();
    assert!(r.invariants.is_ok(), "{:?}", r.invariants);
    let created: Vec<u64> = r.state.launches().iter().map(|l| l.created_step).collect();
    assert_eq!(created, [2, 12, 22]);
    let trades: u64 = r.rows.iter().map(|row| row.launch_trades).sum();
    assert!(trades > 0);
    assert_eq!(trades, r.launches.iter().map(|l| l.trades).sum::<u64>());
    for a in r.state.assets() {
        assert_eq!(held(&r.state, a), r.state.supply(a), "{a:?}");
    }
}

#[test]
fn bad_launch_drivers_are_located_errors() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/launches.toml");
    let err = |k: &str, v: &str| {
        load_scenario(&path, &[(k.to_string(), v.to_string())])
            .err()
            .unwrap_or_else(|| panic!("{k}={v} loaded"))
            .to_string()
    };
    assert!(err("launches[0].spec", "nope")
        .contains("no launch spec `nope` (launch specs: agent, plain)"));
    assert!(err("launches[0].buyers_per_day", "3").contains("at most `buyers` (2)"));
    assert!(err("launches[0].count", "1001").contains("1000"));
    assert!(err("launches[0].buy", "uniform").contains("unknown draw `uniform`"));
    assert!(err("launches[0].funds", "nobody").contains("no account `nobody`"));
    assert!(err("launches[0].buy_with", "otc")
        .contains("`funds` (an account) or `buy_with` (a market), not both"));
    assert!(err("launches[0].graduate", "never").contains("at_minimum, at_close"));
    assert!(err("launches[0].bogus", "1").contains("bogus"));
}

/// Launches scheduled after the last step are left out and counted in a
/// warning, so shortening a run with `--set days=` keeps it running.
#[test]
fn launches_after_the_last_step_are_left_out_with_a_warning() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/launches.toml");
    let s = load_scenario(&path, &[("launches[0].days".into(), "[2, 5, 9]".into())])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.days, 4, "the test scenario's horizon");
    assert_eq!(s.launches[0].days, [2]);
    assert_eq!(s.launches[0].after_horizon, 2);
    let r = simulate(&s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.launches.len(), 1);
    assert!(r
        .warnings()
        .contains(&"launches: 2 scheduled after the run's last step (day 4) were not made".into()));
}

/// The same scenario and seed give the same run; another seed draws other
/// amounts (lognormal) from stream 10 without touching the price path.
#[test]
fn draws_are_deterministic_per_seed() {
    let set = [
        ("launches[0].buy", "lognormal"),
        ("launches[0].buy_sd", "200"),
        ("days", "6"),
    ];
    let a = run(&set);
    let b = run(&set);
    assert_eq!(a.rows, b.rows);
    assert_eq!(a.state, b.state);
    let mut other = load(&set);
    other.seed = 8;
    let c = simulate(&other).unwrap();
    assert_ne!(a.rows[0].launch_committed, c.rows[0].launch_committed);
    assert_eq!(a.rows[0].price_usd_pico, c.rows[0].price_usd_pico);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Money invariants under random drivers: every asset's supply is
    /// exactly what accounts, pools and launches hold, after runs with
    /// random seeds, draws, graduation rules and trading.
    #[test]
    fn every_asset_is_conserved_under_random_launch_drivers(
        seed in 0u64..1_000_000,
        mean in 1u32..2_000,
        sd in 0u32..2_000,
        lognormal in any::<bool>(),
        at_minimum in any::<bool>(),
        sell in 0u32..100,
        issuer in 0u32..2_000,
    ) {
        let mut scenario = load(&[
            ("days", "20"),
            ("launches[0].days", "[1, 3, 9]"),
            ("launches[0].buy", if lognormal { "lognormal" } else { "normal" }),
            ("launches[0].buy_mean", &mean.to_string()),
            ("launches[0].buy_sd", &sd.to_string()),
            ("launches[0].issuer_buy", &issuer.to_string()),
            ("launches[0].graduate", if at_minimum { "at_minimum" } else { "at_close" }),
            ("launches[0].trade_buyers_per_day", "1"),
            ("launches[0].trade_sell_share", &format!("{sell}%")),
        ]);
        scenario.seed = seed;
        let r = simulate(&scenario).unwrap();
        prop_assert!(r.invariants.is_ok());
        for a in r.state.assets() {
            prop_assert_eq!(held(&r.state, a), r.state.supply(a));
        }
        // Each step's committed principal is what the launches raised.
        let committed: u128 = r.rows.iter().map(|row| row.launch_committed).sum();
        let raised: u128 = r.state.launches().iter().map(|l| l.raised).sum();
        prop_assert_eq!(committed, raised);
        let refunded: u128 = r.rows.iter().map(|row| row.launch_refunded).sum();
        let failed: u128 = r.state.launches().iter()
            .filter(|l| matches!(l.status, LaunchStatus::Failed { .. }))
            .map(|l| l.raised).sum();
        prop_assert_eq!(refunded, failed);
    }
}

/// The output identity with launches: every step, TOK's supply is what
/// the named accounts, the opened accounts (buyers, issuers), the raising
/// launches' custody, the graduated launches' pools and their stake
/// pools' rewards hold, read from
/// `timeseries.csv`'s own columns (the economy declares no pool).
#[test]
fn the_quote_supply_is_accounted_for_in_the_columns_every_step() {
    let r = simulate(&load_file("launches-scheduled.toml", &[])).unwrap();
    let l = &r.ledger;
    let holders: Vec<usize> = (0..l.names.len())
        .filter(|c| {
            ["<account>_<ASSET>", "<ASSET>_in_opened_accounts"].contains(&l.families[*c].pattern)
                && l.units[*c].name() == "TOK"
        })
        .collect();
    assert_eq!(holders.len(), 5, "market, ops, fees, platform, opened");
    let supply = l.column("TOK_supply").unwrap();
    let mut custody_seen = false;
    for (step, row) in r.rows.iter().enumerate() {
        let held: u128 = holders.iter().map(|c| l.value(step, *c)).sum();
        assert_eq!(
            l.value(step, supply),
            held + row.launch_custody + row.launch_pools_quote + row.launch_stake_custody,
            "step {}",
            row.step
        );
        custody_seen |= row.launch_custody > 0 && row.launch_pools_quote > 0;
    }
    assert!(
        custody_seen,
        "a step with both a raising and a graduated launch"
    );
}

/// `furnace columns` (the dictionary, from setup alone) names every column
/// a launch scenario writes, in the same order.
#[test]
fn the_dictionary_names_the_launch_columns() {
    let scenario = load_file("launches-scheduled.toml", &[]);
    let d = furnace_sim::dictionary(&scenario).unwrap();
    let r = simulate(&scenario).unwrap();
    let names: Vec<&str> = d.timeseries.iter().map(|e| e.name.as_str()).collect();
    for column in r.csv_header().split(',') {
        assert!(names.contains(&column), "no dictionary entry for {column}");
    }
    let committed = d
        .timeseries
        .iter()
        .find(|e| e.name == "launch_committed")
        .unwrap();
    assert_eq!(committed.unit.name(), "TOK");
}

/// Staking at graduation: with `stake_share = "50%"` the issuer and both
/// buyers stake half of what the curve sold them (each amount even, so
/// exactly half: 45,040.946314831665150136, 125,784.469565119243928021 and
/// 89,825.613320623528451761 tokens, in all 260,651.029200574437529918 =
/// 521,302.058401148875059836 / 2), in the pool graduation created on
/// step 2 (id 32,768). `funds` credits it 10 TOK on steps 2, 3 and 4: 30
/// TOK, held for the stakers (nobody claims).
#[test]
fn buyers_stake_at_graduation_and_the_pool_is_funded_each_step() {
    let r = run(&[
        ("launches[0].stake_share", "50%"),
        ("launches[0].stake_rewards_per_day", "10"),
    ]);
    assert!(r.invariants.is_ok(), "{:?}", r.invariants);
    let pool = r.launches[0].stake_pool.unwrap();
    assert_eq!(pool.0, 32_768);
    let totals = *r.state.reward_pool(pool).unwrap().totals();
    assert_eq!(totals.staked, 260_651_029_200_574_437_529_918);
    assert_eq!((totals.credited, totals.rewards_held), (30 * T, 30 * T));
    let token = r.state.launch_state(LaunchId(0)).unwrap().token;
    let issuer = account(&r, "agent issuer 1");
    assert_eq!(
        r.state.balance(token, issuer),
        45_040_946_314_831_665_150_136
    );
    assert_eq!(r.rows[1].launch_stakes, 3);
    assert_eq!(r.rows[3].launch_stake_custody, 30 * T);
    assert_eq!(
        r.state.balance(tok(&r), account(&r, "market")),
        (10_000_000 - 1_100 - 30) * T
    );
    for a in r.state.assets() {
        assert_eq!(held(&r.state, a), r.state.supply(a), "{a:?}");
    }
    let csv = r.launches_csv_string(&load(&[]));
    assert!(csv
        .lines()
        .nth(1)
        .unwrap()
        .ends_with(",staking#0,260651.029200574437529918,30,TOK"));
}

/// Staking keys need the spec's stake pool; a spec without one graduates
/// without it.
#[test]
fn staking_without_a_stake_pool_is_a_located_error() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/launches.toml");
    let err = load_scenario(
        &path,
        &[
            ("launches[0].spec".into(), "plain".into()),
            ("launches[0].stake_share".into(), "10%".into()),
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("launches[0].stake_share")
            && err.contains(
                "launch spec `plain` has no stake pool: declare [launches.plain.staking]"
            ),
        "{err}"
    );
    let r = run(&[("launches[0].spec", "plain")]);
    assert_eq!(r.launches[0].stake_pool, None);
    assert!(r.state.runtime_reward_pools().is_empty());
    assert!(r
        .launches_csv_string(&load(&[("launches[0].spec", "plain")]))
        .lines()
        .nth(1)
        .unwrap()
        .ends_with(",0,,,,"));
}

/// The event log of a run with launches, stake pools and trading (run-time
/// markets, tokens and reward pools: ids of their own ranges) replays
/// through `apply` to the identical state, in both encodings.
#[test]
fn a_launch_runs_log_replays_to_the_identical_state() {
    use furnace_core::log::{read_log, IdMap, LogFormat, LogHeader, LogWriter};
    for format in [LogFormat::Binary, LogFormat::Json] {
        let scenario = load_file("launches-scheduled.toml", &[]);
        let economy = &scenario.economy.economy;
        let mut writer = LogWriter::new(Vec::new(), format, &LogHeader::of(economy)).unwrap();
        let result =
            furnace_sim::simulate_logged(&scenario, scenario.seed, &mut |e| writer.write(e))
                .unwrap_or_else(|e| panic!("{e}"));
        assert!(!result.state.runtime_reward_pools().is_empty());
        let bytes = writer.finish().unwrap();
        let (header, events) = read_log(&bytes).unwrap();
        let map = IdMap::new(&header, economy).unwrap();
        let mut state = State::genesis(economy);
        for event in &events {
            furnace_core::apply(economy, &mut state, &map.event(event).unwrap()).unwrap();
        }
        assert!(state == result.state, "the replayed state differs");
    }
}

/// Monte Carlo with launches: a run reset for each seed (the driver's
/// stream, cursors and records, the state's reserved tables) gives the
/// bits a fresh `simulate_seeded` gives, on any number of threads.
#[test]
fn monte_carlo_runs_with_launches_equal_their_single_runs() {
    use furnace_sim::mc::{monte_carlo, run_seed, series_of, CsvRuns, McOptions};
    let scenario = load_file("launches-scheduled.toml", &[("days", "25")]);
    let series = series_of(&scenario).unwrap();
    let runs_csv = |threads| {
        let opts = McOptions {
            first_run: 0,
            runs: 5,
            threads: Some(threads),
        };
        let mut sink = CsvRuns::new(Vec::new(), &series, furnace_sim::AmountFormat::BaseUnits);
        monte_carlo(&scenario, &opts, &mut sink, &|_| {}).unwrap();
        String::from_utf8(sink.into_inner()).unwrap()
    };
    let one = runs_csv(1);
    assert_eq!(one, runs_csv(3));
    let mut lines = one.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (run_col, custody_col) = (col("run"), col("final_launch_custody"));
    let pools_col = col("final_launch_pools_quote");
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let run: u64 = cells[run_col].parse().unwrap();
        let alone = furnace_sim::simulate_seeded(&scenario, run_seed(scenario.seed, run)).unwrap();
        let last = alone.rows.last().unwrap();
        assert_eq!(
            cells[custody_col],
            last.launch_custody.to_string(),
            "run {run}"
        );
        assert_eq!(
            cells[pools_col],
            last.launch_pools_quote.to_string(),
            "run {run}"
        );
        // Step 25: the third launch (step 22) is raising, two have pools.
        assert!(last.launch_custody > 0 && last.launch_pools_quote > 0);
    }
}

/// AImagine's own economy file: agent tokens launched every 30 days,
/// paid in AIMG, staked into AIMG-paying stake pools; every launch
/// settles and the ledger holds.
#[test]
fn aimagine_agent_tokens_launch_graduate_and_stake() {
    let r = simulate(&load_file(
        "aimagine-launches.toml",
        &[("days", "120"), ("launches[0].count", "4")],
    ))
    .unwrap();
    assert!(r.invariants.is_ok(), "{:?}", r.invariants);
    let created: Vec<u64> = r.state.launches().iter().map(|l| l.created_step).collect();
    assert_eq!(created, [1, 31, 61, 91]);
    // Each window is 30 days: the first three have settled by step 120.
    let settled = r
        .state
        .launches()
        .iter()
        .filter(|l| l.status != LaunchStatus::Raising)
        .count();
    assert_eq!(settled, 3);
    assert_eq!(r.state.runtime_reward_pools().len(), settled);
    assert!(r.launches.iter().take(3).all(|l| l.stake_pool.is_some()));
    // `buy_with = "aimg_usd"`: every AIMG the payers lacked was bought on
    // the pool with USD from outside, the only USD entering this run.
    let bought: u128 = r.rows.iter().map(|row| row.launch_usd_buys).sum();
    assert!(bought > 0);
    let usd = r.info.numeraire;
    let inflow = r.state.totals(usd).minted_by_reason
        [furnace_core::event::MintReason::ExternalInflow.index()];
    assert_eq!(bought, inflow);
    assert_eq!(r.state.supply(usd), 5_000_000_000_000 + inflow); // + genesis reserve
                                                                 // ... and it sits in the pool: its USD reserve grew by exactly that.
    let scenario = load_file("aimagine-launches.toml", &[]);
    let pool = scenario.economy.economy.market_by_name("aimg_usd").unwrap();
    assert_eq!(
        r.state.pool(pool).unwrap().reserves[1],
        5_000_000_000_000 + bought
    );
}
