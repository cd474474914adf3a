//! `scenarios/aimagine-baseline.toml` simulated: the first day by hand
//! (each channel's emission, the buyback's fill and its 1 - S burn, every
//! LP's and staker's pro-rata reward, the stake cap's geometric mean),
//! conservation of every asset on every step, and the APR columns
//! recomputed from the other columns.

use furnace_config::{load_scenario, Scenario};
use furnace_core::engine::claimable;
use furnace_core::ids::{PositionId, RewardPoolId};
use furnace_sim::{simulate, SimResult};
use std::path::Path;

const E18: u128 = 1_000_000_000_000_000_000;
const USD: u128 = 1_000_000;

fn scenario(sets: &[(&str, &str)]) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/aimagine-baseline.toml");
    let sets: Vec<(String, String)> = sets
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    load_scenario(&path, &sets).unwrap_or_else(|e| panic!("{e}"))
}

fn run(sets: &[(&str, &str)]) -> (Scenario, SimResult) {
    let s = scenario(sets);
    let r = simulate(&s).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.invariants.is_ok(), "{:?}", r.invariants);
    (s, r)
}

/// Column `name` at step `t` (0-based), base units.
fn col(r: &SimResult, t: usize, name: &str) -> u128 {
    let c = r
        .ledger
        .column(name)
        .unwrap_or_else(|| panic!("no column {name}"));
    r.ledger.value(t, c)
}

/// What the agent-token launches hold of their quote asset (AIMG) at the
/// end of step `t + 1`: raising curves, the graduated pools' AIMG side,
/// the agent stake pools' AIMG rewards.
fn launch_held(r: &SimResult, t: usize, asset: &str) -> u128 {
    if asset != "AIMG" {
        return 0;
    }
    let row = &r.rows[t];
    row.launch_custody + row.launch_pools_quote + row.launch_stake_custody
}

fn pool(s: &Scenario, name: &str) -> RewardPoolId {
    s.economy.economy.reward_pool_by_name(name).unwrap()
}

#[test]
fn the_first_day_by_hand() {
    let (s, r) = run(&[("days", "1")]);
    let e = &s.economy.economy;
    // The schedule's first epoch: 500,000 AIMG, 40/10/10/25/15%.
    for (channel, whole) in [
        ("staking", 200_000),
        ("governance", 50_000),
        ("subdao", 50_000),
        ("liquidity_mining", 125_000),
        ("contributors", 75_000),
    ] {
        assert_eq!(col(&r, 0, &format!("aimg_{channel}_emitted")), whole * E18);
    }
    // Every pool had weight when the emission arrived (the epoch's votes
    // and scores come first): each received its channel, none went to the
    // treasury, which keeps its 300M.
    assert_eq!(col(&r, 0, "aimg_stakers_rewards"), 200_000 * E18);
    assert_eq!(col(&r, 0, "voters_rewards"), 50_000 * E18);
    assert_eq!(col(&r, 0, "lp_miners_rewards"), 125_000 * E18);
    assert_eq!(col(&r, 0, "contributors_rewards"), 75_000 * E18);
    assert_eq!(col(&r, 0, "treasury_AIMG"), 300_000_000 * E18);
    // Revenue $20,000: 50% to the buyback budget, spent the same day. The
    // pool holds 50M + 10 x 1M AIMG and 5M + 10 x $100,000 after the LPs:
    // out = floor(10^10 x 997 x 60M e18 / (6e12 x 1000 + 10^10 x 997))
    //     = 99,534.606661930092829082 AIMG.
    assert_eq!(r.rows[0].buyback_usd, 10_000 * USD);
    let bought = 99_534_606_661_930_092_829_082;
    assert_eq!(r.rows[0].buyback_tokens, bought);
    // 1 - S: 100 stakers x 400,000 = 40M staked; circulating = 500.5M
    // supply - the treasury's 300M (the LP holder `liquidity` holds no
    // AIMG) = 200.5M; burned = floor(bought x 160.5 / 200.5).
    assert_eq!(col(&r, 0, "aimg_stakers_staked"), 40_000_000 * E18);
    let burned = 79_677_328_524_886_682_788_367;
    assert_eq!(burned, bought * 1605 / 2005);
    assert_eq!(r.rows[0].burned_buyback, burned);
    assert_eq!(col(&r, 0, "creators_AIMG"), bought - burned);
    // The pool after the buyback and the SubDAOs selling 10% of 50,000.
    assert_eq!(
        col(&r, 0, "aimg_usd_reserve_AIMG"),
        60_000_000 * E18 - bought + 5_000 * E18
    );
    // S at the end of the day, by its definition.
    let circulating = col(&r, 0, "AIMG_supply") - col(&r, 0, "treasury_AIMG");
    assert_eq!(
        col(&r, 0, "recycled_aimg_staked_share"),
        40_000_000 * E18 * 1_000_000 / circulating
    );
    assert_eq!(
        col(&r, 0, "recycled_aimg_burn_rate"),
        (circulating - 40_000_000 * E18) * 1_000_000 / circulating
    );

    // LPs: each added 1M AIMG and $100,000 at the pool's exact 10:1 ratio:
    // shares floor(10^24 x T / R) = 316,227,766,016,837,933 each (T the
    // genesis isqrt(50e24 x 5e12) = 15,811,388,300,841,896,659, growing
    // pro rata). 125,000 AIMG over ten equal stakes: the accumulator
    // floor(125,000e18 x 2^96 / W) pays each 12,499.999999999999999999
    // (one base unit below 12,500, waiting in the carry: 10 units).
    let lp = pool(&s, "lp_miners");
    let state = &r.state;
    for i in 0..10 {
        let p = PositionId(i);
        assert_eq!(
            state.reward_pool(lp).unwrap().position(p).unwrap().amount,
            316_227_766_016_837_933
        );
        assert_eq!(
            claimable(e, state, lp, p).unwrap().0,
            12_499_999_999_999_999_999_999
        );
    }

    // Voters and contributors: 50,000 and 75,000 AIMG pro rata to the
    // day's votes (a voter weighs its deposit) and scores, each position
    // the naive floor(R w / W) or one unit below.
    for (name, reward) in [("voters", 50_000 * E18), ("contributors", 75_000 * E18)] {
        let id = pool(&s, name);
        let p = state.reward_pool(id).unwrap();
        let total: u128 = p.positions().iter().map(|x| x.weight).sum();
        assert_eq!(total, p.totals().total_weight);
        assert!(total > 0);
        for (i, x) in p.positions().iter().enumerate() {
            let naive = mul_div(reward, x.weight, total);
            let got = claimable(e, state, id, PositionId(i as u32)).unwrap().0;
            assert!(
                got == naive || got + 1 == naive,
                "{name} {i}: {got} vs {naive}"
            );
        }
    }
    let votes = state.reward_pool(pool(&s, "voters")).unwrap();
    assert!(votes
        .positions()
        .iter()
        .all(|v| v.weight == 0 || v.weight == 400_000 * E18));

    // Stakers: the epoch's rebalance fixed G, the geometric mean of the
    // 100 uncapped weights (400,000 AIMG x the lock multiplier): recomputed
    // here in floats. Each weight is then min(w, G) + floor((min(w, 2G) -
    // G)+ / 2), the rest (the excess) the treasury's surplus position's.
    let stakers = pool(&s, "aimg_stakers");
    let sp = state.reward_pool(stakers).unwrap();
    let spec = e.reward_pool(stakers);
    let uncapped: Vec<u128> = sp
        .positions()
        .iter()
        .map(|p| p.amount * u128::from(p.multiplier_ppm) / 1_000_000)
        .collect();
    let ln_mean = uncapped.iter().map(|w| (*w as f64).ln()).sum::<f64>() / 100.0;
    let g = sp.caps().expect("rebalanced on day 1").geometric_mean;
    assert!(((g as f64) / ln_mean.exp() - 1.0).abs() < 1e-9, "{g}");
    let total = sp.totals().total_weight;
    assert_eq!(total, uncapped.iter().sum::<u128>());
    let mut paid = 0;
    for (i, (p, w)) in sp.positions().iter().zip(&uncapped).enumerate() {
        let capped = (*w).min(g) + (*w).min(2 * g).saturating_sub(g) / 2;
        assert_eq!(p.weight, capped, "position {i}");
        assert_eq!(p.weight + p.excess, *w);
        // Pro rata: the naive floor(R w / W), or one unit below it.
        let naive = mul_div(200_000 * E18, p.weight, total);
        let got = claimable(e, state, stakers, PositionId(i as u32))
            .unwrap()
            .0;
        assert!(got == naive || got + 1 == naive, "{i}: {got} vs {naive}");
        paid += got;
    }
    assert!(spec.stake_cap.is_some());
    // What the capped weights did not earn is the surplus's (at most one
    // unit per position lost to the floors, which the pool still holds).
    let excess: u128 = sp.positions().iter().map(|p| p.excess).sum();
    let surplus_share = mul_div(200_000 * E18, excess, total);
    assert!(paid + surplus_share <= 200_000 * E18);
    assert!(200_000 * E18 - paid - surplus_share <= 102);
}

/// `floor(a b / c)`, naively: the 256-bit product in four 64-bit limbs,
/// then long division bit by bit (independent of the engine's `wide.rs`).
fn mul_div(a: u128, b: u128, c: u128) -> u128 {
    let limbs = |x: u128| [x as u64 as u128, x >> 64];
    let (a, b) = (limbs(a), limbs(b));
    let mut p = [0u128; 4];
    for (i, ai) in a.iter().enumerate() {
        for (j, bj) in b.iter().enumerate() {
            let mut carry = ai * bj;
            let mut k = i + j;
            while carry > 0 {
                let sum = p[k] + (carry & u64::MAX as u128);
                p[k] = sum & u64::MAX as u128;
                carry = (carry >> 64) + (sum >> 64);
                k += 1;
            }
        }
    }
    let (mut q, mut r) = (0u128, 0u128);
    for bit in (0..256).rev() {
        let b = (p[bit / 64] >> (bit % 64)) & 1;
        let over = r >> 127 == 1;
        r = (r << 1) | b;
        q <<= 1;
        if over || r >= c {
            r = r.wrapping_sub(c);
            q |= 1;
        }
    }
    q
}

#[test]
fn every_asset_is_conserved_on_every_step() {
    let (s, r) = run(&[]);
    let e = &s.economy.economy;
    for asset in ["AIMG", "USD"] {
        let holders: Vec<usize> = (0..r.ledger.names.len())
            .filter(|&c| {
                let family = r.ledger.families[c].pattern;
                r.ledger.units[c].name() == asset
                    && [
                        "<account>_<ASSET>",
                        "<pool>_reserve_<ASSET>",
                        "<ASSET>_in_opened_accounts",
                        "<ASSET>_in_reward_pools",
                    ]
                    .contains(&family)
            })
            .collect();
        for t in 0..r.ledger.steps() {
            let held: u128 = holders.iter().map(|&c| r.ledger.value(t, c)).sum::<u128>()
                + launch_held(&r, t, asset);
            assert_eq!(
                held,
                col(&r, t, &format!("{asset}_supply")),
                "{asset} step {}",
                t + 1
            );
        }
    }
    // Over the year: the token's supply is genesis + emitted - burned.
    let aimg = e.asset_by_name("AIMG").unwrap();
    let totals = r.state.totals(aimg);
    assert_eq!(totals.supply, totals.minted - totals.burned);
    assert_eq!(
        totals.supply,
        500_000_000 * E18 + r.rows.iter().map(|x| x.emitted).sum::<u128>()
            - r.rows.iter().map(|x| x.burned).sum::<u128>()
    );
    // Every lock (at most 365 days, opened at step 0) has ended by day
    // 365, and EndLock brought each position back to 1x.
    let stakers = pool(&s, "aimg_stakers");
    for p in r.state.reward_pool(stakers).unwrap().positions() {
        assert_eq!(p.multiplier_ppm, 1_000_000);
    }
}

/// `floor(x P / 10^18)`: the value in pico-USD of `x` base units of AIMG at
/// `P` pico-USD per AIMG (both at most 10^27 and 10^12 here: no overflow).
fn value(x: u128, p: u128) -> u128 {
    x / E18 * p + x % E18 * p / E18
}

#[test]
fn apr_columns_are_the_documented_formula_of_other_columns() {
    let (s, r) = run(&[]);
    let mut positive = 0;
    for t in 0..r.ledger.steps() {
        let price = col(&r, t, "AIMG_price");
        let rewards = col(&r, t, "aimg_stakers_rewards");
        let staked = col(&r, t, "aimg_stakers_staked");
        let apr = (value(rewards, price) * 365 * 1_000_000) / value(staked, price);
        assert_eq!(col(&r, t, "aimg_stakers_apr"), apr, "step {}", t + 1);
        // The stake's value, in micro-dollars: pico / 10^6.
        assert_eq!(
            col(&r, t, "aimg_stakers_staked_value"),
            value(staked, price) / 1_000_000
        );
        positive += usize::from(apr > 0);
    }
    assert_eq!(positive, r.ledger.steps());
    // LP shares at the last step: the pool's value (AIMG at its price plus
    // USD at 10^12 pico per dollar, i.e. 10^6 per micro-dollar) per share.
    let last = r.ledger.steps() - 1;
    let m = s.economy.economy.market_by_name("aimg_usd").unwrap();
    let shares = r.state.pool(m).unwrap().shares;
    let price = col(&r, last, "AIMG_price");
    let v = value(col(&r, last, "aimg_usd_reserve_AIMG"), price)
        + col(&r, last, "aimg_usd_reserve_USD") * 1_000_000;
    let staked = col(&r, last, "lp_miners_staked");
    let staked_value = staked * (v / shares) + staked * (v % shares) / shares;
    let rewards = value(col(&r, last, "lp_miners_rewards"), price);
    assert_eq!(
        col(&r, last, "lp_miners_apr"),
        rewards * 365 * 1_000_000 / staked_value
    );
}

#[test]
fn voters_weigh_their_deposit_or_nothing() {
    // After day 8 (the second epoch's votes on day 8, t = 7): each voter's
    // weight is its stake position's deposit or 0, and between 20% and 60%
    // of the 100 stakers voted (a turnout drawn in [20%, 60%], then one
    // draw per staker: far from both ends with 100 voters, for this seed).
    let (s, r) = run(&[("days", "8")]);
    let voters = r.state.reward_pool(pool(&s, "voters")).unwrap();
    let stakers = r.state.reward_pool(pool(&s, "aimg_stakers")).unwrap();
    let mut voted = 0;
    for (v, p) in voters.positions().iter().zip(stakers.positions()) {
        assert!(
            v.weight == 0 || v.weight == p.amount,
            "{} vs {}",
            v.weight,
            p.amount
        );
        voted += usize::from(v.weight > 0);
    }
    assert!((10..=70).contains(&voted), "{voted}");
    // Contributors: scores from 0 to 100.
    let c = r.state.reward_pool(pool(&s, "contributors")).unwrap();
    assert!(c.positions().iter().all(|p| p.weight <= 100));
    assert_eq!(c.positions().len(), 20);
}

/// A Monte Carlo run is the single run of its seed: setup draws the locks
/// from the run's seed (stream 3), the days the votes and scores (stream 4).
#[test]
fn monte_carlo_runs_are_their_seeds_single_runs() {
    use furnace_sim::mc::{monte_carlo, run_seed, series_of, McOptions, RunRecord, RunSink};
    struct Finals(Vec<(u64, Vec<Option<u128>>)>);
    impl RunSink for Finals {
        fn run(&mut self, run: &RunRecord) -> std::io::Result<()> {
            let values = run.finals.iter().map(|v| v.map(|v| v.magnitude)).collect();
            self.0.push((run.seed, values));
            Ok(())
        }
    }
    let s = scenario(&[("days", "20")]);
    let series = series_of(&s).unwrap();
    let column = series.iter().position(|i| i.name == "AIMG_supply").unwrap();
    let mut sink = Finals(Vec::new());
    let opts = McOptions {
        first_run: 0,
        runs: 3,
        threads: Some(1),
    };
    monte_carlo(&s, &opts, &mut sink, &|_| {}).unwrap();
    assert_eq!(sink.0.len(), 3);
    for (k, (seed, finals)) in sink.0.iter().enumerate() {
        assert_eq!(*seed, run_seed(s.seed, k as u64));
        let alone = furnace_sim::simulate_seeded(&s, *seed).unwrap();
        assert_eq!(
            finals[column],
            Some(alone.rows.last().unwrap().supply),
            "run {k}"
        );
    }
}

/// `buy_on`: each staker buys its `tokens_each` on the pool at setup,
/// paying from outside. Recomputed here: 100 exact-out purchases of
/// 100,000 AIMG on 50M AIMG / $5M at 0.3%, each paying
/// `floor(Rin x out x 1000 / ((Rout - out) x 997)) + 1` (Uniswap's
/// getAmountIn), then the ten LPs each paying in `ceil(10^24 x Rb / Ra)`
/// micro-dollars and leaving `floor(10^24 x Rb / Ra)` in the pool. At the
/// end of day 1 the USD supply is all of that plus genesis's $5M and the
/// day's $20,000 of revenue (nothing leaves: the buyback's dollars stay in
/// the pool).
#[test]
fn stakers_may_buy_their_stake_on_the_pool() {
    let mut text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/aimagine-baseline.toml"),
    )
    .unwrap();
    text = text.replacen(
        "funded_from = \"market\"\ntokens_each = \"500_000\"",
        "buy_on = \"aimg_usd\"\ntokens_each = \"100_000\"",
        1,
    );
    let economy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../economies/aimagine.toml");
    text = text.replace(
        "\"../economies/aimagine.toml\"",
        &format!("{:?}", economy.display().to_string()),
    );
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("aimagine-buy-on.toml");
    std::fs::write(&path, &text).unwrap();
    let s = load_scenario(&path, &[("days".into(), "1".into())]).unwrap_or_else(|e| panic!("{e}"));
    let r = simulate(&s).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.invariants.is_ok());

    let (mut ra, mut rb) = (50_000_000 * E18, 5_000_000 * USD);
    let out = 100_000 * E18;
    let mut minted = 0;
    for _ in 0..100 {
        let paid = mul_div(rb, out * 1000, (ra - out) * 997) + 1;
        minted += paid;
        rb += paid;
        ra -= out;
    }
    for _ in 0..10 {
        let a = 1_000_000 * E18;
        let used = mul_div(a, rb, ra);
        minted += used + u128::from(used * ra != a * rb);
        ra += a;
        rb += used;
    }
    assert_eq!(
        col(&r, 0, "USD_supply"),
        5_000_000 * USD + minted + 20_000 * USD
    );
    assert_eq!(col(&r, 0, "aimg_stakers_staked"), 8_000_000 * E18);
    // The market account gave only the LPs' 10M.
    assert_eq!(col(&r, 0, "market_AIMG"), 140_000_000 * E18);
}

/// A 90-day lock (1 + 2.19 x 60/365 = 1.36x on gmFLOCK's table) keeps its
/// boost through day 89 and loses it on day 90, the step its lock ends
/// (`EndLock`); that day the staker withdraws 25% of its deposit, which
/// unbonds 7 days (no early fee: the lock has ended).
#[test]
fn locks_end_on_their_day_with_the_withdrawal() {
    let (s, before) = run(&[("days", "89")]);
    let (_, after) = run(&[("days", "90")]);
    let pool = pool(&s, "aimg_stakers");
    let positions = |r: &SimResult| r.state.reward_pool(pool).unwrap().positions().to_vec();
    let (b, a) = (positions(&before), positions(&after));
    let ninety: Vec<usize> = (0..b.len()).filter(|&i| b[i].lock_end_step == 90).collect();
    assert!(!ninety.is_empty(), "seed 7 draws some 90-day locks");
    for i in ninety {
        assert_eq!(b[i].multiplier_ppm, 1_360_000, "position {i}");
        assert_eq!(a[i].multiplier_ppm, 1_000_000, "position {i}");
        // Day 90 is no claim day (90 % 7 != 0): no restake moves the deposit.
        assert_eq!(a[i].amount, b[i].amount - b[i].amount / 4, "position {i}");
        assert_eq!(a[i].unbonding, b[i].amount / 4, "position {i}");
        assert_eq!(a[i].unbonding_until, 97);
    }
    // No early fee was charged by any lock-end withdrawal.
    assert_eq!(after.state.reward_pool(pool).unwrap().totals().fees, 0);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 6, .. Default::default() })]

    /// Any seed, restake share, turnout range, withdrawal share and epoch:
    /// every asset's supply is what the named accounts, the pools, the
    /// opened accounts and the reward pools' custody hold, on every step,
    /// and the ledger's full invariants hold at the end.
    #[test]
    fn rewards_conserve_every_asset_under_any_behaviour(
        seed in 0u64..1_000_000,
        restake in 0u32..=100,
        lo in 0u32..=100,
        width in 0u32..=100,
        withdraw in 0u32..=100,
        epoch in 1u32..=10,
    ) {
        let hi = (lo + width).min(100);
        let sets = [
            ("days", "60".to_string()),
            ("seed", seed.to_string()),
            ("rewards.epoch_days", epoch.to_string()),
            ("rewards.stakers[0].restake_share", format!("\"{restake}%\"")),
            ("rewards.stakers[0].withdraw_at_lock_end", format!("\"{withdraw}%\"")),
            ("rewards.voters.turnout_min", format!("\"{lo}%\"")),
            ("rewards.voters.turnout_max", format!("\"{hi}%\"")),
        ];
        let sets: Vec<(&str, &str)> = sets.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (_, r) = run(&sets);
        for asset in ["AIMG", "USD"] {
            let holders: Vec<usize> = (0..r.ledger.names.len())
                .filter(|&c| {
                    r.ledger.units[c].name() == asset
                        && [
                            "<account>_<ASSET>",
                            "<pool>_reserve_<ASSET>",
                            "<ASSET>_in_opened_accounts",
                            "<ASSET>_in_reward_pools",
                        ]
                        .contains(&r.ledger.families[c].pattern)
                })
                .collect();
            for t in 0..r.ledger.steps() {
                let held: u128 = holders.iter().map(|&c| r.ledger.value(t, c)).sum::<u128>()
                    + launch_held(&r, t, asset);
                proptest::prop_assert_eq!(held, col(&r, t, &format!("{asset}_supply")));
            }
        }
    }
}
