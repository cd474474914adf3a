//! A run: the day loop ([`simulate_logged`] and its wrappers), what it
//! produces ([`StepRow`], [`RunInfo`], [`SimResult`]) and the simulator's
//! state between days ([`Sim`]). Setup is in `setup.rs`, one day in
//! `day/` (one method per step), the errors in `error.rs`. See the crate docs for the exact
//! semantics.

use crate::describe::describe;
use crate::drivers::{DriverClips, Drivers};
use crate::error::{SimError, Stopped};
use crate::ledger::Ledger;
use furnace_config::Scenario;
use furnace_core::economy::{ValidEconomy, MAX_LEGS};
use furnace_core::ids::{AccountId, AssetId, MarketId, PlanId, SplitId, VersionId};
use furnace_core::ids::{PathId, SubscriptionId, WorkflowId};
use furnace_core::state::InvariantViolation;
use furnace_core::units::Ppm;
use furnace_core::{apply, Event, Payment, Receipt, State};

/// Supply regime of one day or period: burned `B` against emitted `E`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Regime {
    /// `B > E`.
    Deflationary,
    /// `B == E`.
    Neutral,
    /// `B < E`.
    Inflationary,
}

impl Regime {
    pub fn of(burned: u128, emitted: u128) -> Regime {
        match burned.cmp(&emitted) {
            std::cmp::Ordering::Greater => Regime::Deflationary,
            std::cmp::Ordering::Equal => Regime::Neutral,
            std::cmp::Ordering::Less => Regime::Inflationary,
        }
    }

    /// The regime of a net supply change.
    pub fn of_change(net: i128) -> Regime {
        match net.cmp(&0) {
            std::cmp::Ordering::Less => Regime::Deflationary,
            std::cmp::Ordering::Equal => Regime::Neutral,
            std::cmp::Ordering::Greater => Regime::Inflationary,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Regime::Deflationary => "deflationary",
            Regime::Neutral => "neutral",
            Regime::Inflationary => "inflationary",
        }
    }
}

/// One day. Token amounts are base units of the scenario's token, USD
/// amounts micro-dollars; `cum_*` run from day 1 to this day inclusive.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct StepRow {
    /// 1-based day number.
    pub step: u32,
    /// Actions that ran (pay-as-you-go + subscriptions). Counts are
    /// `u128`: a day's subscription actions are agents x allowance, more
    /// than a `u64` can hold.
    pub actions: u128,
    pub api_actions: u128,
    pub subscription_actions: u128,
    /// Pay-as-you-go actions that failed: paid for, and their tokens burned.
    pub failed_actions: u128,
    /// Actions demanded that could not be paid for (API + subscription).
    pub unfunded_actions: u128,
    /// Of which pay-as-you-go (the market could not sell the tokens).
    pub unfunded_api: u128,
    /// Of which USD subscriptions (the fuel inventory ran short).
    pub unfunded_subscription: u128,
    /// The token's oracle price at the start of the day (pico-USD per token).
    pub price_usd_pico: u128,
    /// Tokens per action of the scenario's version at this day's price.
    pub tokens_per_action: u128,
    /// Tokens that went through the consumption split (actions and escrow
    /// released at expiry).
    pub tokens_consumed: u128,
    /// All burns of the token this day (every reason).
    pub burned: u128,
    pub burned_action: u128,
    pub burned_buyback: u128,
    pub burned_failed_action: u128,
    pub burned_voluntary: u128,
    pub burned_penalty: u128,
    /// Paid to marketplace creators.
    pub creator: u128,
    pub creator_shortfall: u128,
    pub no_marketplace: u128,
    /// Paid to the trainers of the trained path, pro rata by quality x usage.
    pub trainers: u128,
    /// The trainer leg of actions that used no trained path.
    pub no_trainers: u128,
    /// `floor(consumed * share)` of each leg of the scenario version's split.
    pub legs: [u128; MAX_LEGS],
    pub dust: u128,
    /// New supply (emission reasons only).
    pub emitted: u128,
    /// Scheduled emissions the token's maximum supply refused.
    pub emission_cut: u128,
    /// Tokens a sale could not mint: the maximum supply was reached.
    pub sales_cut: u128,
    /// Supply at the end of the day.
    pub supply: u128,
    pub net_supply_change: i128,
    /// USD paid for subscriptions in USD.
    pub usd_revenue: u128,
    /// Tokens bought from a sale (minted on purchase), and the USD paid.
    pub purchased: u128,
    pub usd_sales: u128,
    /// Tokens redeemed for their unit of service.
    pub redeemed: u128,
    /// USD paid (from outside) to the market for tokens bought by API users
    /// and token subscribers.
    pub usd_market_buys: u128,
    pub buyback_usd: u128,
    pub buyback_tokens: u128,
    /// What the day's buybacks were asked to spend but could not (venue
    /// caps, the impact guard, market depth): it stays in the budget and
    /// carries over.
    pub buyback_unspent: u128,
    /// Tokens sold back to the market by recipients (the scenario's `[holders] sell_back`).
    pub sold_back: u128,
    /// Tokens whale shocks sold on the sell market (`[[shocks]] kind = "whale"`).
    pub shock_sold: u128,
    /// Tokens the demand market holds at the end of the day (an external
    /// market's account, or a pool's token reserve).
    pub market_tokens: u128,
    pub cum_tokens_consumed: u128,
    pub cum_burned: u128,
    pub cum_emitted: u128,
    pub cum_creator: u128,
    pub cum_usd_revenue: u128,
    /// `[[launches]]` (`day/launches.rs`): launches created, graduated,
    /// failed this step, and raising at its end.
    pub launches_created: u64,
    pub launches_graduated: u64,
    pub launches_failed: u64,
    pub launches_raising: u64,
    /// Curve purchases accepted and refused by the core (refused: pool
    /// trades too), and purchases the funds account could not pay.
    pub launch_buys: u64,
    pub launch_buys_refused: u64,
    pub launch_unfunded: u64,
    /// Quote base units: principal committed, purchase fees, principal
    /// refunded by failed launches.
    pub launch_committed: u128,
    pub launch_fees: u128,
    pub launch_refunded: u128,
    /// Swaps on graduated launches' pools.
    pub launch_trades: u64,
    /// Quote base units at the end of the step held by raising launches
    /// (their custody), and in the pools graduated launches created: with
    /// the ledger's balances, declared pools and opened accounts, the
    /// quote's whole supply.
    pub launch_custody: u128,
    pub launch_pools_quote: u128,
    /// Positions opened in launches' stake pools this step, and the quote
    /// base units those pools hold as rewards at its end (pools paying the
    /// quote asset; the staked tokens are the launched token's).
    pub launch_stakes: u64,
    pub launch_stake_custody: u128,
    /// Numeraire base units paid (from outside) to a `buy_with` market for
    /// the quote the launch drivers' payers lacked.
    pub launch_usd_buys: u128,
}

impl StepRow {
    /// Deflationary when the supply fell over the day. With emissions as
    /// the only mint (LAM) this is the seed's `B_t > E_t`; it also counts
    /// tokens minted on purchase (AST).
    pub fn regime(&self) -> Regime {
        Regime::of_change(self.net_supply_change)
    }
}

/// Static facts about the run (names resolved at setup) for reports.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// Launches `[[launches]]` scheduled after the last step (left out).
    pub launches_after_horizon: u64,
    /// The economy's emission schedules: name, token name, token decimals,
    /// and the source account's name if it vests from one.
    pub schedules: Vec<(String, String, u8, Option<String>)>,
    pub economy: String,
    pub scenario: String,
    pub days: u32,
    pub seed: u64,
    pub token: AssetId,
    pub token_name: String,
    pub token_decimals: u8,
    pub numeraire: AssetId,
    pub numeraire_name: String,
    pub numeraire_decimals: u8,
    pub version_name: String,
    /// Per-action price of the version, numeraire base units.
    pub version_price: u128,
    /// Leg names of the version's split, in order.
    pub leg_names: Vec<String>,
    /// Whether each leg pays a named account (not burn, creator, trainers).
    pub leg_pays_account: Vec<bool>,
    /// Every account with its name (named accounts, then those opened).
    pub accounts: Vec<(AccountId, String)>,
    /// Every asset with its name and decimals.
    pub assets: Vec<(AssetId, String, u8)>,
    /// The market pay-as-you-go users buy from, and its name.
    pub demand_market: MarketId,
    pub demand_market_name: String,
    /// The account that stands for outside holders (an external market's
    /// account), excluded from "largest holders".
    pub outside_account: Option<AccountId>,
    /// The reporting period: the plan's period, or 30 days.
    pub period_days: u32,
    /// The scenario's `[holders] sell_back`.
    pub sell_back: bool,
    /// Each buyback program paying the numeraire for the token: its name,
    /// budget account and the asset it spends.
    pub buyback_budgets: Vec<(String, AccountId, AssetId)>,
    /// The scenario asks for voluntary burns by outside holders, but its
    /// demand market is a pool, which has no holders to burn: none happen.
    pub voluntary_burns_without_holders: bool,
    /// The token's price comes from `SetPrice` (the scenario's price path).
    pub exogenous_price: bool,
    /// The subscription plan and its drivers, if the scenario has any.
    pub plan: Option<PlanInfo>,
    /// The `[[launches]]` entries' quote asset (name, decimals); None
    /// without launch drivers (and then no launch columns).
    pub launch_quote: Option<(String, u8)>,
}

/// A subscription plan as the reports need it.
#[derive(Clone, Debug)]
pub struct PlanInfo {
    pub name: String,
    pub price: u128,
    pub actions_included: u64,
    pub period_days: u32,
    pub usd_agents: u32,
    pub token_agents: u32,
    /// What share of a numeraire payment reaches a buyback budget.
    pub buyback_share: Ppm,
    /// Numeraire subscribers' actions can be funded at all.
    pub fuel_configured: bool,
}

/// Everything a run produced.
#[derive(Clone, Debug)]
pub struct SimResult {
    pub info: RunInfo,
    /// Token supply before day 1 (after genesis).
    pub initial_supply: u128,
    pub rows: Vec<StepRow>,
    /// Per-step generic columns: pool reserves, oracle prices, supply and
    /// flows by reason of every asset, balances of named accounts.
    pub ledger: Ledger,
    /// The state after the last day.
    pub state: State,
    /// `State::check_invariants()` after the last day.
    pub invariants: Result<(), InvariantViolation>,
    /// Days on which the market could not sell all the tokens demanded.
    pub market_short_days: u32,
    pub first_market_short_step: Option<u32>,
    /// Token subscriptions not opened because the market could not sell
    /// their tokens.
    pub token_subscriptions_not_bought: u64,
    /// Actions numeraire subscriptions were entitled to on the simulated days.
    pub usd_subscription_actions_due: u128,
    /// Days a driver's price or demand was moved back into range.
    pub clips: DriverClips,
    /// By emission schedule of the economy: where it stopped, if it did.
    pub schedule_stops: Vec<Option<ScheduleStop>>,
    /// By emission schedule: what it emitted over the run (base units of
    /// its token).
    pub schedule_emitted: Vec<u128>,
    /// Every launch the `[[launches]]` drivers created, in creation order
    /// (`launches.csv`).
    pub launches: Vec<crate::day::launches::LaunchRecord>,
}

/// An economy emission schedule that stopped during the run.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ScheduleStop {
    /// The step of the `Emit` that stopped it.
    pub step: u32,
    /// The epoch (0-based) it stopped with.
    pub epoch: u64,
    /// Why: its cap, its source account running out, or (None) its curve ended.
    pub limited_by: Option<furnace_core::engine::EmissionLimit>,
}

/// Simulate `scenario` with its own seed.
pub fn simulate(scenario: &Scenario) -> Result<SimResult, SimError> {
    simulate_seeded(scenario, scenario.seed)
}

/// Simulate `scenario` with another seed (Monte Carlo). Pure: no I/O, no
/// global state; the same inputs give the same result on every run.
pub fn simulate_seeded(scenario: &Scenario, seed: u64) -> Result<SimResult, SimError> {
    simulate_logged(scenario, seed, &mut |_| Ok(())).map_err(|stopped| stopped.error)
}

/// Simulate, handing every applied event to `log` (in order) as it is
/// applied: `furnace run --events` writes them; `furnace replay` applies
/// them again to the same state. A run stopped by an error keeps the days
/// it finished.
pub fn simulate_logged(
    scenario: &Scenario,
    seed: u64,
    log: &mut dyn FnMut(&Event) -> std::io::Result<()>,
) -> Result<SimResult, Stopped> {
    let mut sim = Sim::setup(scenario, seed, log).map_err(|error| Stopped {
        error,
        finished: None,
    })?;
    let mut drivers = Drivers::new(seed, &scenario.price, &scenario.demand);
    let mut rows = Vec::with_capacity(scenario.days as usize);
    let mut cum = StepRow::default();
    let mut error = None;
    for t in 0..scenario.days {
        // A failed day may have applied some of its events: the state is
        // then the ledger's exact state mid-day, still conserved (every
        // event is all-or-nothing), but the day has no row.
        match sim.day(&mut drivers, t, &cum) {
            Ok(row) => {
                sim.ledger.record(sim.economy, &sim.state);
                cum = row;
                rows.push(row);
            }
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    let invariants = sim.state.check_invariants(sim.economy);
    let mut info = sim.info;
    info.seed = seed;
    let result = SimResult {
        info,
        initial_supply: sim.initial_supply,
        rows,
        ledger: sim.ledger,
        state: sim.state,
        invariants,
        market_short_days: sim.market_short_days,
        first_market_short_step: sim.first_market_short_step,
        token_subscriptions_not_bought: sim.token_subscriptions_not_bought,
        usd_subscription_actions_due: sim.usd_subscription_actions_due,
        clips: drivers.clips,
        schedule_stops: sim.schedule_stops,
        schedule_emitted: sim.schedule_emitted,
        launches: sim.launch_driver.records,
    };
    match error {
        None => Ok(result),
        Some(error) => Err(Stopped {
            error,
            finished: (!result.rows.is_empty()).then(|| Box::new(result)),
        }),
    }
}

/// The subscription drivers, resolved.
#[derive(Copy, Clone)]
pub(crate) struct Subs {
    pub(crate) plan: PlanId,
    pub(crate) version: VersionId,
    pub(crate) discount: Ppm,
    pub(crate) price: u128,
    pub(crate) included: u128,
    pub(crate) period: u32,
    pub(crate) usd_agents: u32,
    pub(crate) token_agents: u32,
    pub(crate) fuel: Option<AccountId>,
}

pub(crate) struct Sim<'a> {
    pub(crate) economy: &'a ValidEconomy,
    pub(crate) scenario: &'a Scenario,
    pub(crate) log: &'a mut dyn FnMut(&Event) -> std::io::Result<()>,
    pub(crate) state: State,
    pub(crate) info: RunInfo,
    pub(crate) ledger: Ledger,
    pub(crate) initial_supply: u128,
    pub(crate) token: AssetId,
    pub(crate) usd: AssetId,
    /// The version pay-as-you-go actions run on, and its split (None in a
    /// sales-only scenario).
    pub(crate) version: Option<VersionId>,
    pub(crate) split_id: Option<SplitId>,
    /// Where pay-as-you-go users and token subscribers buy.
    pub(crate) market: MarketId,
    /// Where holders sell (`[holders] market`, default the demand market).
    pub(crate) sell_market: MarketId,
    /// The customer of a `[sales]` driver.
    pub(crate) customers: AccountId,
    /// Days over which buyback programs spread their budget.
    pub(crate) buyback_spread: u32,
    pub(crate) api_users: AccountId,
    pub(crate) usd_subscriber: AccountId,
    pub(crate) token_subscriber: AccountId,
    pub(crate) workflow: WorkflowId,
    /// The trained action path and the share of actions using it.
    pub(crate) path: Option<(PathId, Ppm)>,
    /// Who sells back at day end, and what fraction of their balance
    /// (empty without sell-back).
    pub(crate) recipients: Vec<(AccountId, Ppm)>,
    /// Each recipient's balance after its last sale (or at setup): what it
    /// received since is its balance above this (`[holders] sell =
    /// "received"`).
    pub(crate) sell_basis: Vec<u128>,
    /// Subscription records reserved at setup.
    pub(crate) subscriptions_reserved: usize,
    pub(crate) subs: Option<Subs>,
    /// Subscriptions opened this period, in opening order.
    pub(crate) active: Vec<(SubscriptionId, Payment)>,
    pub(crate) market_short_days: u32,
    pub(crate) first_market_short_step: Option<u32>,
    pub(crate) token_subscriptions_not_bought: u64,
    pub(crate) usd_subscription_actions_due: u128,
    pub(crate) schedule_stops: Vec<Option<ScheduleStop>>,
    pub(crate) schedule_emitted: Vec<u128>,
    /// The `[[launches]]` drivers (`day/launches.rs`).
    pub(crate) launch_driver: crate::day::launches::LaunchDriver,
    /// The holders of `[rewards]` (`day/rewards.rs`).
    pub(crate) reward_behaviour: Option<crate::day::rewards::Behaviour>,
    /// `[training]`'s trainers and stream (`day/points.rs`).
    pub(crate) training: Option<crate::day::points::Training>,
}

/// What a Monte Carlo run resets a [`Sim`] to: its state and sell-back
/// bases right after setup.
pub(crate) struct Snapshot {
    state: State,
    sell_basis: Vec<u128>,
}

impl Sim<'_> {
    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            state: self.state.clone(),
            sell_basis: self.sell_basis.clone(),
        }
    }

    /// Back to the state after setup, for a run with `seed`: what setup
    /// did is not done again (accounts, workflow, reservations), and the
    /// day loop's buffers keep their storage.
    pub(crate) fn reset(&mut self, snapshot: &Snapshot, seed: u64) {
        self.state.clone_from(&snapshot.state);
        // A clone keeps no spare capacity: reserve again, so the days
        // never reallocate (once per run, not per step).
        self.state
            .reserve_subscriptions(self.subscriptions_reserved);
        self.state.reserve_launches(self.launch_driver.reserved);
        self.launch_driver.reset(seed);
        if let Some(t) = &mut self.training {
            self.state
                .reserve_points(self.economy, self.state.opened_accounts());
            t.reset(seed);
        }
        self.sell_basis.copy_from_slice(&snapshot.sell_basis);
        self.active.clear();
        self.market_short_days = 0;
        self.first_market_short_step = None;
        self.token_subscriptions_not_bought = 0;
        self.usd_subscription_actions_due = 0;
        self.ledger.restart(&self.state);
        if let Some(b) = &mut self.reward_behaviour {
            b.reset(seed);
        }
        self.info.seed = seed;
    }
}

/// Apply one event and hand it to the log; a rejection is a bug (the
/// simulator checks funds before it sends anything that could be refused).
#[inline]
pub(crate) fn apply_at(
    economy: &ValidEconomy,
    state: &mut State,
    log: &mut dyn FnMut(&Event) -> std::io::Result<()>,
    step: u32,
    event: &Event,
) -> Result<Receipt, SimError> {
    let receipt = apply(economy, state, event).map_err(|rejection| {
        SimError::rejected(step, || describe(economy, state, event), rejection)
    })?;
    log(event).map_err(|e| SimError::Log {
        step,
        message: e.to_string(),
    })?;
    Ok(receipt)
}
