//! The day loop: scenario drivers -> events -> [`furnace_core::apply`].
//! See the crate docs for the exact semantics.

use crate::describe::describe;
use crate::drivers::{DriverClips, Drivers};
use crate::ledger::Ledger;
use furnace_config::Scenario;
use furnace_core::economy::{Destination, LegKind, MarketKind, Oracle, ValidEconomy, MAX_LEGS};
use furnace_core::event::TrainerWeight;
use furnace_core::ids::{AccountId, AssetId, MarketId, PlanId, SplitId, VersionId};
use furnace_core::ids::{PathId, SubscriptionId, WorkflowId};
use furnace_core::state::InvariantViolation;
use furnace_core::units::Ppm;
use furnace_core::{apply, Event, Payment, Receipt, Rejection, State};
use std::fmt;

/// Subscriptions one run may open: each is a ledger record of ~64 bytes,
/// so at most 64 MB of them (LAM's baseline opens 30 agents x 13 periods =
/// 390).
pub const MAX_SUBSCRIPTIONS_PER_RUN: u64 = 1_000_000;

/// Why a run could not complete.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// The engine refused an event the simulator built: a bug in the
    /// simulator or the engine, never a user error. `step` 0 is setup.
    Rejected {
        step: u32,
        event: String,
        rejection: Rejection,
    },
    /// The engine answered with a receipt of another kind: a bug.
    Unexpected { step: u32, receipt: String },
    /// A price path produced a price that cannot be represented.
    BadPrice { step: u32, usd: f64 },
    /// The economy cannot run this scenario.
    Setup(String),
    /// An amount the scenario drove does not fit in 128 bits: the input is
    /// out of the ledger's range, not a bug.
    Overflow { step: u32, what: String },
    /// Writing the event log failed.
    Log { step: u32, message: String },
}

/// Whose fault a [`SimError`] is: what `furnace run` exits with.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SimErrorKind {
    /// A bug in the simulator or the engine.
    Internal,
    /// The scenario (or its economy) asks for something the ledger cannot
    /// represent or the economy cannot do.
    Input,
    /// Writing the event log failed.
    Io,
}

impl SimError {
    pub fn kind(&self) -> SimErrorKind {
        match self {
            SimError::Rejected { .. } | SimError::Unexpected { .. } => SimErrorKind::Internal,
            SimError::BadPrice { .. } | SimError::Setup(_) | SimError::Overflow { .. } => {
                SimErrorKind::Input
            }
            SimError::Log { .. } => SimErrorKind::Io,
        }
    }

    /// The engine refused `event` at `step`: an arithmetic overflow means
    /// the scenario's amounts left the ledger's range (input); any other
    /// refusal is a bug, since the simulator checks what it sends.
    pub(crate) fn rejected(
        step: u32,
        event: impl FnOnce() -> String,
        rejection: Rejection,
    ) -> Self {
        match rejection {
            Rejection::Overflow(what) => SimError::Overflow {
                step,
                what: format!("{what} (in {})", event()),
            },
            rejection => SimError::Rejected {
                step,
                event: event(),
                rejection,
            },
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Rejected {
                step,
                event,
                rejection,
            } => write!(
                f,
                "{}: the engine rejected {event}: {rejection} ({}); this is a bug in the simulator or the engine",
                step_name(*step),
                rejection.code()
            ),
            SimError::Unexpected { step, receipt } => write!(
                f,
                "{}: unexpected receipt {receipt}; this is a bug in the simulator or the engine",
                step_name(*step)
            ),
            SimError::BadPrice { step, usd } => write!(
                f,
                "{}: the price path produced {usd} USD, which is not a valid token price",
                step_name(*step)
            ),
            SimError::Setup(message) => write!(f, "{message}"),
            SimError::Overflow { step, what } => write!(
                f,
                "{}: {what} does not fit in the ledger's 128-bit amounts: the scenario's amounts are too large to simulate exactly; make them smaller",
                step_name(*step)
            ),
            SimError::Log { step, message } => write!(
                f,
                "{}: writing the event log: {message}",
                step_name(*step)
            ),
        }
    }
}

fn step_name(step: u32) -> String {
    if step == 0 {
        "setup".into()
    } else {
        format!("day {step}")
    }
}

impl std::error::Error for SimError {}

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
    /// Tokens the demand market holds at the end of the day (an external
    /// market's account, or a pool's token reserve).
    pub market_tokens: u128,
    pub cum_tokens_consumed: u128,
    pub cum_burned: u128,
    pub cum_emitted: u128,
    pub cum_creator: u128,
    pub cum_usd_revenue: u128,
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

/// A run that could not finish: why, and the days it did finish.
#[derive(Clone, Debug)]
pub struct Stopped {
    pub error: SimError,
    /// The run up to the last finished day (`None` if setup failed or no
    /// day finished), so a report can still show it.
    pub finished: Option<Box<SimResult>>,
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Stopped {}

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
    let mut drivers = Drivers::new(seed, &scenario.price);
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
    pub(crate) subs: Option<Subs>,
    /// Subscriptions opened this period, in opening order.
    pub(crate) active: Vec<(SubscriptionId, Payment)>,
    pub(crate) market_short_days: u32,
    pub(crate) first_market_short_step: Option<u32>,
    pub(crate) token_subscriptions_not_bought: u64,
    pub(crate) usd_subscription_actions_due: u128,
}

/// The market pay-as-you-go users buy `token` from: the scenario's choice,
/// else the first external market trading it, else the first pool.
fn demand_market(economy: &ValidEconomy, token: AssetId) -> Option<MarketId> {
    let external =
        |m: &&furnace_core::economy::MarketSpec| matches!(m.kind, MarketKind::External { .. });
    [true, false].into_iter().find_map(|want_external| {
        economy
            .markets
            .iter()
            .position(|m| external(&m) == want_external && economy.sells_for_numeraire(m, token))
            .and_then(MarketId::from_index)
    })
}

impl<'a> Sim<'a> {
    fn setup(
        scenario: &'a Scenario,
        seed: u64,
        log: &'a mut dyn FnMut(&Event) -> std::io::Result<()>,
    ) -> Result<Sim<'a>, SimError> {
        let economy = &scenario.economy.economy;
        let version = scenario.version;
        let vspec = version.map(|v| economy.version(v));
        let token = scenario.token;
        let market = scenario.demand_market.or_else(|| demand_market(economy, token)).ok_or_else(|| {
            SimError::Setup(format!(
                "economy `{}` has no market selling {} for {}: pay-as-you-go users cannot buy tokens",
                economy.name,
                economy.asset_name(token),
                economy.asset_name(economy.numeraire)
            ))
        })?;
        let mut state = State::genesis(economy);
        // A token priced by a pool needs the pool to hold reserves from
        // genesis: the simulator adds no liquidity, so an empty pool would
        // leave every day without a price. (An exogenous price is set on
        // day 1, before it is read.)
        let exogenous = economy
            .declared_asset(token)
            .and_then(|_| economy.oracles.get(token.0 as usize))
            .is_some_and(|o| *o == Oracle::Exogenous);
        if !exogenous {
            if let Err(rejection) = furnace_core::engine::price_of(economy, &state, token) {
                return Err(SimError::Setup(format!(
                    "{} has no price at genesis ({rejection}): its oracle reads a pool, which must hold reserves from genesis (`reserves` in its [markets] entry)",
                    economy.asset_name(token)
                )));
            }
        }
        let mut setup_event =
            |state: &mut State, event: &Event| apply_at(economy, state, &mut *log, 0, event);
        let mut accounts: Vec<(AccountId, String)> = state
            .accounts()
            .map(|a| (a, economy.account_name(a)))
            .collect();
        let mut opened = [AccountId(0); 5];
        for (slot, name) in opened.iter_mut().zip([
            "api_users",
            "creator",
            "usd_subscriber",
            "token_subscriber",
            "customers",
        ]) {
            *slot = match setup_event(&mut state, &Event::OpenAccount)? {
                Receipt::AccountOpened(id) => id,
                other => return Err(unexpected(0, other)),
            };
            accounts.push((*slot, name.to_string()));
        }
        let [api_users, creator, usd_subscriber, token_subscriber, customers] = opened;
        let mut trainer_accounts = Vec::new();
        let mut weights = Vec::new();
        if let Some(t) = &scenario.trainers {
            for (i, (quality, usage)) in crate::drivers::trainer_weights(seed, t.trainers)
                .into_iter()
                .enumerate()
            {
                let trainer = match setup_event(&mut state, &Event::OpenAccount)? {
                    Receipt::AccountOpened(id) => id,
                    other => return Err(unexpected(0, other)),
                };
                accounts.push((trainer, format!("trainer {}", i + 1)));
                trainer_accounts.push(trainer);
                weights.push(TrainerWeight {
                    trainer,
                    quality,
                    usage,
                });
            }
        }
        let workflow = match setup_event(
            &mut state,
            &Event::PublishWorkflow {
                creator,
                epoch: scenario.demand.creator_epoch,
            },
        )? {
            Receipt::WorkflowPublished(w) => w,
            other => return Err(unexpected(0, other)),
        };
        let path = match &scenario.trainers {
            None => None,
            Some(t) => match setup_event(
                &mut state,
                &Event::RegisterTrainerPath { trainers: weights },
            )? {
                Receipt::PathRegistered(p) => Some((p, t.path_share)),
                other => return Err(unexpected(0, other)),
            },
        };

        let split = vspec.map(|v| economy.split(v.split));
        let subs = match &scenario.subscriptions {
            None => None,
            Some(d) => {
                let plan = economy.plan(d.plan);
                if plan.token != token {
                    return Err(SimError::Setup(format!(
                        "the plan `{}` is paid in another token than the scenario follows ({}): not supported",
                        plan.name, economy.asset_name(token)
                    )));
                }
                Some(Subs {
                    plan: d.plan,
                    version: plan.version,
                    discount: plan.token_discount,
                    price: plan.price,
                    included: u128::from(plan.actions_included),
                    period: plan.period_days.max(1),
                    usd_agents: d.usd_agents,
                    token_agents: d.token_agents,
                    fuel: plan.funded_from,
                })
            }
        };

        let outside_account = match &economy.market(market).kind {
            MarketKind::External { account, .. } => Some(*account),
            MarketKind::Pool { .. } => None,
        };
        let holders = &scenario.holders;
        let mut recipients: Vec<(AccountId, Ppm)> = Vec::new();
        if holders.sell_back {
            let mut add = |a: AccountId, fraction: Ppm| {
                if !recipients.iter().any(|(r, _)| *r == a) {
                    recipients.push((a, fraction));
                }
            };
            add(creator, holders.creators);
            let mut splits: Vec<SplitId> = vspec.map(|v| v.split).into_iter().collect();
            if let Some(s) = &subs {
                splits.push(economy.version(s.version).split);
            }
            for sid in splits {
                let sp = economy.split(sid);
                for leg in &sp.legs {
                    if let LegKind::Account(a) = leg.kind {
                        add(a, holders.accounts);
                    }
                }
                for d in [
                    sp.creator_shortfall_to,
                    sp.no_marketplace_to,
                    sp.no_trainers_to,
                    sp.dust_to,
                ] {
                    if let Destination::Account(a) = d {
                        add(a, holders.accounts);
                    }
                }
            }
            if scenario.emissions.schedule != furnace_config::scenario::EmissionSchedule::None {
                add(scenario.emissions.to, holders.emissions);
            }
            // Accounts the economy gives a role keep what they hold: the
            // outside market itself, escrows, inventories, budgets.
            let mut keep: Vec<AccountId> = outside_account.into_iter().collect();
            for p in &economy.plans {
                keep.push(p.escrow);
                keep.extend(p.funded_from);
            }
            for b in &economy.buybacks {
                keep.push(b.budget);
                if let Destination::Account(a) = b.destination {
                    keep.push(a);
                }
            }
            recipients.retain(|(a, _)| !keep.contains(a));
            recipients.retain(|(_, fraction)| *fraction > Ppm::ZERO);
            // Trainers last: a path may have 100,000 of them, and they are
            // distinct by construction (no `contains` scan).
            if holders.creators > Ppm::ZERO {
                recipients.extend(trainer_accounts.iter().map(|t| (*t, holders.creators)));
            }
        }

        let period_days = subs.as_ref().map_or(30, |s| s.period);
        let plan_info = subs.as_ref().map(|s| {
            let plan = economy.plan(s.plan);
            let buyback_share = economy
                .buybacks
                .iter()
                .filter(|b| b.pay == economy.numeraire)
                .map(|b| economy.rule_share_to(plan.revenue, b.budget).0)
                .sum::<u32>();
            PlanInfo {
                name: plan.name.clone(),
                price: plan.price,
                actions_included: plan.actions_included,
                period_days: plan.period_days,
                usd_agents: s.usd_agents,
                token_agents: s.token_agents,
                buyback_share: Ppm(buyback_share),
                fuel_configured: s.fuel.is_some(),
            }
        });
        let decimals = |a: AssetId| {
            furnace_core::engine::decimals_of(economy, &state, a).expect("declared asset")
        };
        let info = RunInfo {
            economy: economy.name.clone(),
            scenario: scenario.name.clone(),
            days: scenario.days,
            seed: scenario.seed,
            token,
            token_name: economy.asset_name(token),
            token_decimals: decimals(token),
            numeraire: economy.numeraire,
            numeraire_name: economy.asset_name(economy.numeraire),
            numeraire_decimals: decimals(economy.numeraire),
            version_name: vspec.map_or_else(String::new, |v| v.name.clone()),
            version_price: vspec.map_or(0, |v| v.price),
            leg_names: split.map_or_else(Vec::new, |s| {
                s.legs.iter().map(|l| l.name.clone()).collect()
            }),
            leg_pays_account: split.map_or_else(Vec::new, |s| {
                s.legs
                    .iter()
                    .map(|l| matches!(l.kind, LegKind::Account(_)))
                    .collect()
            }),
            accounts,
            assets: state
                .assets()
                .map(|a| (a, economy.asset_name(a), decimals(a)))
                .collect(),
            demand_market: market,
            demand_market_name: economy.market(market).name.clone(),
            outside_account,
            period_days,
            sell_back: holders.sell_back,
            buyback_budgets: economy
                .buybacks
                .iter()
                .filter(|b| b.token == token && b.pay == economy.numeraire)
                .map(|b| (b.name.clone(), b.budget, b.pay))
                .collect(),
            voluntary_burns_without_holders: scenario.burns.voluntary_per_day > 0
                && outside_account.is_none(),
            exogenous_price: exogenous,
            plan: plan_info,
        };
        let agents = subs
            .as_ref()
            .map_or(0, |s| s.usd_agents as usize + s.token_agents as usize);
        // Every agent subscribes once a period, and the engine keeps a record
        // of each subscription: reserve them all now, so the day loop never
        // reallocates, within a bound on the run's memory.
        let periods = subs
            .as_ref()
            .map_or(0, |s| scenario.days.div_ceil(s.period));
        let subscriptions = (agents as u64).saturating_mul(u64::from(periods));
        if subscriptions > MAX_SUBSCRIPTIONS_PER_RUN {
            return Err(SimError::Setup(format!(
                "subscriptions: {agents} agents x {periods} periods = {subscriptions} subscriptions; a run keeps at most {MAX_SUBSCRIPTIONS_PER_RUN} (one ledger record each): fewer agents, a longer plan period or fewer days"
            )));
        }
        state.reserve_subscriptions(usize::try_from(subscriptions).expect("bounded above"));
        let ledger = Ledger::new(economy, &state, scenario.days as usize);
        Ok(Sim {
            economy,
            scenario,
            log,
            initial_supply: state.supply(token),
            state,
            info,
            ledger,
            token,
            usd: economy.numeraire,
            version,
            split_id: vspec.map(|v| v.split),
            market,
            sell_market: holders.market.unwrap_or(market),
            customers,
            buyback_spread: scenario.buyback_spread_days.unwrap_or(period_days),
            api_users,
            usd_subscriber,
            token_subscriber,
            workflow,
            path,
            recipients,
            subs,
            active: Vec::with_capacity(agents),
            market_short_days: 0,
            first_market_short_step: None,
            token_subscriptions_not_bought: 0,
            usd_subscription_actions_due: 0,
        })
    }
}

/// Apply one event and hand it to the log; a rejection is a bug (the
/// simulator checks funds before it sends anything that could be refused).
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

pub(crate) fn unexpected(step: u32, receipt: Receipt) -> SimError {
    SimError::Unexpected {
        step,
        receipt: format!("{receipt:?}"),
    }
}
