//! Simulation: scenario drivers -> synthetic events -> the core engine.
//!
//! [`simulate`] runs a [`furnace_config::Scenario`] day by day. Every change
//! of state goes through [`furnace_core::apply`], so the simulator follows
//! exactly the rules the metering service does; it only decides *which*
//! events happen. The run is a pure function of the scenario, the seed and
//! nothing else: no I/O, no global state, no clock.
//!
//! # Setup
//!
//! `State::genesis(economy)`, then five accounts are opened with
//! `OpenAccount`: `api_users` (pays pay-as-you-go actions), `creator`
//! (stands for every marketplace creator), `usd_subscriber`,
//! `token_subscriber` and `customers` (buys from a `[sales]` driver); the
//! trainers of a `[trainers]` path; one `PublishWorkflow { creator, epoch:
//! demand.creator_epoch }` and the trained path: `RegisterTrainerPath`, or
//! with `[trainers] pool` `RegisterPooledPath { pool }` followed, per
//! trainer, by `OpenPosition` (0 deposited, a points pool) and `SetWeight`
//! quality x usage, so the trainers leg credits the pool in O(1) and the
//! trainers claim from it. Then the holders of `[rewards]` (`day/rewards.rs`):
//! stakers funded from their `funded_from` account (or buying on `buy_on`)
//! and staking with a lock
//! drawn on stream 3 of the seed (and a weight-0 vote position), liquidity
//! providers adding to their pool (the numeraire side paid in from
//! outside) and staking the LP shares, contributors with weight-0
//! positions. The scenario's token is its version's token (or its sale's,
//! in a sales-only scenario, or the file's `token`). `S_0` is its supply
//! after genesis.
//!
//! The **demand market** is `[demand] market`, else the first external
//! market selling the token, else the first pool pairing it with the
//! numeraire. Holders sell on `[holders] market`, else the demand market.
//!
//! # Each day `t = 0 .. days-1` (CSV `step = t + 1`)
//!
//! 0. **Tick.** Time-weighted oracles sample their pools; per-step buyback
//!    limits start afresh.
//! 1. **Price.** If the token's oracle is exogenous, `SetPrice` to `P_t`
//!    (Constant: the exact configured price; Growth `start * (1+g)^t`, GBM
//!    and Table: floats converted with `units_from_f64(p, PRICE_DECIMALS)`).
//!    GBM: `P_0 = start`; for `t >= 1` the daily log-return is
//!    `(mu - sigma^2/2)/365 + sigma/sqrt(365) * Z_t`. A pool oracle prices
//!    itself: the path is not used. The row's price and tokens per action
//!    are the oracle's at this point.
//!    **Reward positions** (`[rewards]`): every staker whose lock has ended
//!    goes back to 1x (`EndLock`) and once withdraws `withdraw_at_lock_end`
//!    of its deposit; on epoch days voters vote (a turnout drawn on stream
//!    4, each staker voting with that probability: `SetWeight` to its
//!    deposit, else 0), contributors are scored, and every stake-capped
//!    pool is rebalanced (`RebalanceStakeCaps`); every `claim_every_days`
//!    holders `Claim`, stakers restake `restake_share` (`AddToPosition`)
//!    and everyone sells the rest of the scenario's token on the sell
//!    market (counted in `sold_back`).
//! 2. **Emissions.** First the economy's `[emissions.X]` schedules: each
//!    whose epoch is due and that has not stopped applies `Emit` (the
//!    service applies the same event); a stop (cap, source account empty,
//!    curve ended) is recorded for the summary and warnings. Then the
//!    scenario's own `E_t` (Constant; Halving `per_day >> (t /
//!    half_life_days)`; LinearDecay `per_day * (end_day - t) / end_day`;
//!    Table `table[t]`, 0 after), minted to `emissions.to`.
//! 3. **Subscriptions** at each period start: last period's are expired
//!    (escrow left is released into the split), then `usd_agents` pay in the
//!    numeraire and `token_agents` in tokens, each token subscriber first
//!    buying what it lacks on the demand market (not opened, and counted,
//!    if the market cannot sell it).
//!    **Sales** (`[sales]`): `customers` buys the step's tokens
//!    (`Purchase`, minted, the payment divided by the sale's revenue rule)
//!    and redeems `redeem_share` of its balance (`Redeem`).
//!    **Revenue** (`[rewards] revenue_rule`): `Revenue` of
//!    `revenue_per_day`, divided by the rule (a buyback budget's share is
//!    spent in step 4).
//! 4. **Buybacks.** Every program spends `budget / days_left` of its spread
//!    (`[buybacks] spread_days`, else the plan's period, else 30; the whole
//!    rest on the last day) with `Buyback { program, amount }`: the engine
//!    routes it over the program's venues within its guards.
//! 5. **Subscribers' actions.** On day `d` of its period a subscription
//!    runs `floor(inc*(d+1)/P) - floor(inc*d/P)` actions. Token-paid ones
//!    release their escrow; numeraire-paid ones are funded from the plan's
//!    `funded_from` inventory: at most `inventory / tokens_per_action`, the
//!    rest unfunded.
//! 6. **Pay-as-you-go.** `A_t` from the demand path times, when `noise >
//!    0`, `exp(sigma*Z - sigma^2/2)`, rounded. The market can sell its
//!    account's holdings (external) or half of its token reserve (a pool, as
//!    the fuel-sweep model caps it); `api_users` buys exactly what
//!    `tau * run` needs beyond its leftover tokens, paying numeraire minted
//!    as `external_inflow` (the swap's exact input). Then the actions run at
//!    the oracle price of that moment (a purchase from a pool has just
//!    raised it, so they cost at most what was bought; the saving stays
//!    with the users). `floor(n * failed_action_share)` of them fail and
//!    burn their tokens whole. Then the scenario's voluntary burns (by the
//!    external market's holders) and penalty burns.
//! 7. **Sell-back** (`[holders]`, on by default): creators and trainers,
//!    the accounts the split pays, and the emission recipients (the
//!    scenario's, and the accounts the economy's schedules of the token
//!    pay) each sell
//!    their configured fraction of their balance on the sell market
//!    (`Swap`, exact in; they receive the numeraire). Accounts with a role
//!    (escrows, inventories, budgets, the external market's account) keep
//!    theirs.
//! 8. **Launches** (`[[launches]]`, `day/launches.rs`), last, so a scenario
//!    without them runs as before. Every payer first gets what it lacks:
//!    from the `funds` account (`Transfer`), or bought on the `buy_with`
//!    market with numeraire minted as `external_inflow`. The launches due
//!    this step are created (an issuer opened at setup pays the launch fee,
//!    `CreateLaunch`, its first buy); every launch still raising gets
//!    `buyers_per_day` purchases (`BuyOnCurve`, amounts drawn on stream
//!    10, buyers round robin); a launch whose window has closed graduates
//!    at its minimum or fails (`GraduateLaunch` / `FailLaunch`), and with
//!    `graduate = "at_minimum"` one that reached its minimum graduates at
//!    once; at graduation the issuer and buyers stake `stake_share` of
//!    their tokens in the token's stake pool (`OpenPosition`); each
//!    graduated launch's issuer credits that pool `stake_rewards_per_day`
//!    (`FundRewardPool`), and the drivers trade on its pool (`Swap`). A
//!    purchase the core refuses is counted (`launch_buys_refused`), never
//!    fatal.
//!
//! In steps 5 and 6, `floor(n * marketplace_share)` of the `n` actions run
//! with the published workflow and the rest without; with a `[trainers]`
//! section, `floor(m * path_share)` of each batch runs through the trained
//! path (trainer weights drawn from 1 to 100 on stream 1 of the seed).
//!
//! Randomness: `ChaCha8Rng::seed_from_u64(seed)` streams. Stream 0: each day
//! draws the GBM shock (GBM, `t >= 1`) and then the demand noise (`noise >
//! 0`), in that order; 1 the trainers' weights, 2 the shocks, 3 the
//! stakers' lock lengths (setup), 4 the epochs' turnouts, votes and scores,
//! 5 the training points (`day/points.rs`), 10 the launches' purchases
//! (`drivers/mod.rs`). A scenario without `[rewards]` draws nothing from 3
//! and 4, one without `[training]` nothing from 5, one without
//! `[[launches]]` nothing from 10.
//!
//! # The row of a day ([`StepRow`], `timeseries.csv`)
//!
//! Every column's unit and meaning is in `docs/outputs.md` and printed by
//! `furnace columns`, from the tables in [`report`] and [`ledger`] that
//! also write the files. Amounts are exact decimals of whole units (or,
//! with [`AmountFormat::BaseUnits`], integers of the base unit). `burned`
//! is every burn of the token that day (the ledger's per-reason counters,
//! differenced), `emitted` the mints with emission reasons; `regime` is
//! deflationary when the day's supply fell. `break_even_emissions_trailing`
//! is the emission per day that would have kept the supply flat over the
//! trailing reporting period. `leg_<name>` is `floor(consumed * share)` per
//! leg of the version's split; `creator`, `creator_shortfall`,
//! `no_marketplace` and `dust` are the split's postings by role. `cum_*` are
//! running totals. After them come the generic ledger columns
//! ([`ledger`]): pool reserves, oracle prices, supply and flows by reason,
//! what opened accounts hold, named accounts' balances, those not zero on
//! every day.
//!
//! # Summary ([`report::Summary`], `summary.json`, `periods.csv`)
//!
//! Supply (of the token and of every declared asset), cumulative
//! consumption, burn (by reason) and emission, regime day counts and
//! per-period regimes (also `periods.csv`), break-even emissions per step
//! (whole run, last period), `half_life_days_projected = S_0 / (2 * B_1)`
//! with `B_1` day 1's action burn (the seed's `T = S_0 / (2 beta tau A)`),
//! the `simulated_half_life_day` (first day whose supply is at most
//! `S_0 / 2`), unfunded actions, every account's final balances, the ledger
//! invariants and warnings (unfunded demand and the plan inconsistencies
//! behind it). Counts and totals are summed in 256 bits ([`Total`]).

#![deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]

mod day;
mod describe;
mod drivers;
mod error;
pub mod ledger;
mod ledger_rewards;
pub mod mc;
pub mod report;
mod setup;
mod sim;

pub use day::launches::LaunchRecord;
pub use drivers::{emissions_on, DriverClips, MAX_ACTIONS_PER_DAY, MAX_PRICE_PICO, MIN_PRICE_PICO};
pub use error::{SimError, SimErrorKind, Stopped};
pub use ledger::Ledger;
pub use report::{dictionary, human, AmountFormat, Dictionary, Entry, Summary, Total};
pub use sim::{
    simulate, simulate_logged, simulate_seeded, PlanInfo, Regime, RunInfo, ScheduleStop, SimResult,
    StepRow,
};
