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
//! `State::genesis(economy)`, then four accounts are opened with
//! `OpenAccount`: `api_users` (pays pay-as-you-go actions), `creator`
//! (stands for every marketplace creator), `usd_subscriber` and
//! `token_subscriber`; then one `PublishWorkflow { creator, epoch:
//! demand.creator_epoch }`. The token is the scenario version's token. `S_0`
//! is its supply after genesis.
//!
//! # Each day `t = 0 .. days-1` (CSV `step = t + 1`)
//!
//! 1. **Price.** `SetPrice` to `P_t`. Constant: the exact configured
//!    pico-dollar price. Growth `start * (1+g)^t`, GBM and Table are floats
//!    converted with `units_from_f64(p, PRICE_DECIMALS)`, at least 1 pico.
//!    GBM: `P_0 = start`; for `t >= 1` the daily log-return is
//!    `(mu - sigma^2/2)/365 + sigma/sqrt(365) * Z_t`.
//! 2. **Emissions** `E_t` from the schedule (Constant; Halving `per_day >>
//!    (t / half_life_days)`; LinearDecay `per_day * (end_day - t) / end_day`,
//!    0 from `end_day`; Table `table[t]`, 0 after) are minted to
//!    `emissions.to` with `emissions.reason` when `> 0`.
//! 3. **Subscriptions** (if configured), at each period start (`t %
//!    period_days == 0`): every subscription of the previous period is
//!    expired (`ExpireSubscription`; any escrow left is released into the
//!    split), then `usd_agents` subscriptions are opened paying USD and
//!    `token_agents` paying tokens; for each token one `token_subscriber`
//!    first buys exactly `subscription_tokens(...)` from the market
//!    (`MarketBuy`). If the market cannot sell them, that subscription is
//!    not opened (counted in `token_subscriptions_not_bought`).
//! 4. **Buyback.** `Buyback { usd_micros: budget / days_left_in_period }`
//!    (integer division; on the period's last day the whole budget), when
//!    `> 0` and the economy has a buyback. The period is the plan's, or 30
//!    days without subscriptions.
//! 5. **Subscribers' actions.** On day `d` of its period a subscription
//!    runs `floor(inc*(d+1)/P) - floor(inc*d/P)` actions (`inc` the plan's
//!    included actions, `P` its period), so a full period uses exactly the
//!    allowance. Payer `Payer::Subscription(id)`. Token-paid ones release
//!    their escrow; USD-paid ones are funded from the buyback destination
//!    account (the operator's fuel inventory): each runs at most
//!    `fuel_balance / tokens_per_action` actions, the rest are
//!    `unfunded_actions` (the run never aborts; with a buyback that burns,
//!    or none, all of them are unfunded).
//! 6. **Pay-as-you-go.** `A_t` from the demand path (Constant; Growth
//!    `round(start * (1+g)^t)`; Table, the last entry repeating) times, when
//!    `noise > 0`, `exp(sigma*Z - sigma^2/2)`, rounded. `api_users` buys
//!    exactly `tau * A_t` tokens (`MarketBuy`); if the market holds fewer, it
//!    buys for `floor(market / tau)` actions and the rest are unfunded. Of
//!    the actions bought, `floor(n * burns.failed_action_share)` fail: their
//!    tokens are burned whole (`Burn`, reason `failed_action`); the rest run.
//!    Then the scenario's `[burns]`: the market's holders burn
//!    `voluntary_per_day` (reason `voluntary`) and `penalty_per_day` is burned
//!    from `penalty_from` (reason `penalty`), each capped by the balance.
//! 7. **Sell-back** (the scenario's `[holders] sell_back`, default on): every
//!    account that received tokens from the consumption split (the creator,
//!    the split's named legs and routes) or from emissions transfers its
//!    whole balance of the token to the market account. This is what keeps
//!    the market liquid: the seeds' supply model treats everything not
//!    burned as circulating supply, and without it the market's genesis
//!    stock sells out in weeks at LAM's baseline. The USD the sellers would
//!    receive is not booked.
//!
//! In steps 5 and 6, `floor(n * marketplace_share)` of the `n` actions run
//! with the published workflow (the creator is paid at its epoch's share)
//! and the rest without (the creator leg goes to `no_marketplace_to`):
//! `M_t = mu * D_t * Pr(marketplace)` as in the seed's formal model, for
//! subscription actions too. With a `[trainers]` section, one trained path
//! is registered at setup (its trainers' quality and usage drawn uniformly
//! from 1 to 100 on stream 1 of the seed), and `floor(m * path_share)` of
//! each of those batches runs through it.
//!
//! Randomness: one `ChaCha8Rng::seed_from_u64(seed)`; each day draws the GBM
//! shock (GBM, `t >= 1`) and then the demand noise (`noise > 0`), in that
//! order.
//!
//! # The row of a day ([`StepRow`], `timeseries.csv`)
//!
//! Token amounts are exact decimals of whole tokens, USD exact decimals of
//! dollars; only `token_price_usd` is a float. `burned` is every burn of the
//! token that day (the ledger's per-reason counters, differenced), `emitted`
//! the mints with emission reasons, so `net_supply_change = emitted -
//! burned` and `regime` is deflationary if `burned > emitted`, neutral if
//! equal, inflationary if less. `break_even_emissions` is the burn legs of
//! the day's consumption, `beta * tau * A_t` (`E*_t`). `leg_<name>` is
//! `floor(consumed * share)` per leg of the version's split; `creator`,
//! `creator_shortfall`, `no_marketplace` and `dust` are the split's
//! postings by role; `ecosystem` is what was credited to the account named
//! `ecosystem` (or the leg named `ecosystem`). `cum_*` are running totals.
//!
//! # Summary ([`report::Summary`], `summary.json`)
//!
//! Supply, cumulative consumption, burn (by reason) and emission, regime day
//! counts and per-period regimes, break-even emissions per day
//! (first/last/mean), `half_life_days_projected = S_0 / (2 * B_1)` with
//! `B_1` day 1's action burn (the seed's `T = S_0 / (2 beta tau A)`), the
//! `simulated_half_life_day` (first day whose supply is at most `S_0 / 2`),
//! unfunded actions, every account's final balances, the ledger invariants
//! and warnings (unfunded demand and the plan inconsistencies behind it).

#![deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]

mod day;
mod drivers;
pub mod ledger;
pub mod report;
mod sim;

pub use drivers::emissions_on;
pub use ledger::Ledger;
pub use report::{human, Summary};
pub use sim::{
    simulate, simulate_logged, simulate_seeded, PlanInfo, Regime, RunInfo, SimError, SimResult,
    StepRow,
};
