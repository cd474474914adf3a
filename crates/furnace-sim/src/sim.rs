//! The day loop: scenario drivers -> events -> [`furnace_core::apply`].
//! See the crate docs for the exact semantics.

use crate::drivers::{emissions_on, BadPrice, Drivers};
use furnace_config::Scenario;
use furnace_core::economy::{
    AccountId, AssetId, Destination, Economy, LegKind, PlanId, SplitId, VersionId, MAX_LEGS,
};
use furnace_core::engine::{subscription_tokens, Role, SplitReceipt};
use furnace_core::event::{
    BurnReason, MintReason, PathId, SubscriptionId, TrainerWeight, WorkflowId,
};
use furnace_core::state::InvariantViolation;
use furnace_core::{apply, Event, Payer, Payment, Receipt, Rejection, State};
use std::fmt;

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
    /// A price path produced a price that cannot be represented.
    BadPrice { step: u32, usd: f64 },
    /// The economy cannot run this scenario.
    Setup(String),
    /// An amount does not fit in 128 bits.
    Overflow { step: u32, what: &'static str },
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
            SimError::BadPrice { step, usd } => write!(
                f,
                "{}: the price path produced {usd} USD, which is not a valid token price",
                step_name(*step)
            ),
            SimError::Setup(message) => write!(f, "{message}"),
            SimError::Overflow { step, what } => {
                write!(f, "{}: {what} overflows 128 bits", step_name(*step))
            }
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
    /// Actions that ran (pay-as-you-go + subscriptions).
    pub actions: u64,
    pub api_actions: u64,
    pub subscription_actions: u64,
    /// Pay-as-you-go actions that failed: paid for, and their tokens burned.
    pub failed_actions: u64,
    /// Actions demanded that could not be paid for (API + subscription).
    pub unfunded_actions: u64,
    /// Of which pay-as-you-go (the market could not sell the tokens).
    pub unfunded_api: u64,
    /// Of which USD subscriptions (the fuel inventory ran short).
    pub unfunded_subscription: u64,
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
    pub ecosystem: u128,
    pub dust: u128,
    /// New supply (emission reasons only).
    pub emitted: u128,
    /// Supply at the end of the day.
    pub supply: u128,
    pub net_supply_change: i128,
    /// The burn legs of this day's consumption (`beta * tau * A_t`): the
    /// emissions that would make the day neutral.
    pub break_even_emissions: u128,
    /// USD paid for subscriptions in USD.
    pub usd_revenue: u128,
    /// USD paid (from outside) to the market for tokens bought by API users
    /// and token subscribers.
    pub usd_market_buys: u128,
    pub buyback_usd: u128,
    pub buyback_tokens: u128,
    /// Tokens sold back to the market by recipients (the scenario's `[holders] sell_back`).
    pub sold_back: u128,
    /// Tokens the market account holds at the end of the day.
    pub market_tokens: u128,
    pub cum_tokens_consumed: u128,
    pub cum_burned: u128,
    pub cum_emitted: u128,
    pub cum_creator: u128,
    pub cum_usd_revenue: u128,
}

impl StepRow {
    pub fn regime(&self) -> Regime {
        Regime::of(self.burned, self.emitted)
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
    pub version_name: String,
    /// Per-action price of the version, micro-dollars.
    pub version_price_usd_micros: u128,
    /// Leg names of the version's split, in order.
    pub leg_names: Vec<String>,
    /// Every account's name, by id (named accounts, then those opened).
    pub account_names: Vec<String>,
    /// (name, decimals) of every asset, by id.
    pub assets: Vec<(String, u8)>,
    /// The reporting period: the plan's period, or 30 days.
    pub period_days: u32,
    /// The scenario's `[holders] sell_back`.
    pub sell_back: bool,
    /// The subscription plan and its drivers, if the scenario has any.
    pub plan: Option<PlanInfo>,
}

/// A subscription plan as the reports need it.
#[derive(Clone, Debug)]
pub struct PlanInfo {
    pub name: String,
    pub price_usd_micros: u128,
    pub actions_included: u64,
    pub period_days: u32,
    pub usd_agents: u32,
    pub token_agents: u32,
    /// What the USD revenue's buyback share is (ppm), if a buyback exists.
    pub buyback_share_ppm: Option<u32>,
    /// USD subscribers' actions can be funded at all (buyback into an account).
    pub fuel_configured: bool,
}

/// Everything a run produced.
#[derive(Clone, Debug)]
pub struct SimResult {
    pub info: RunInfo,
    /// Token supply before day 1 (after genesis).
    pub initial_supply: u128,
    pub rows: Vec<StepRow>,
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
    /// Actions USD subscriptions were entitled to on the simulated days.
    pub usd_subscription_actions_due: u64,
}

/// Simulate `scenario` with its own seed.
pub fn simulate(scenario: &Scenario) -> Result<SimResult, SimError> {
    simulate_seeded(scenario, scenario.seed)
}

/// Simulate `scenario` with another seed (Monte Carlo). Pure: no I/O, no
/// global state; the same inputs give the same result on every run.
pub fn simulate_seeded(scenario: &Scenario, seed: u64) -> Result<SimResult, SimError> {
    let mut sim = Sim::setup(scenario, seed)?;
    let mut drivers = Drivers::new(seed, &scenario.price);
    let mut rows = Vec::with_capacity(scenario.days as usize);
    let mut cum = StepRow::default();
    for t in 0..scenario.days {
        let row = sim.day(&mut drivers, t, &cum)?;
        cum = row;
        rows.push(row);
    }
    let invariants = sim.state.check_invariants();
    let mut info = sim.info;
    info.seed = seed;
    Ok(SimResult {
        info,
        initial_supply: sim.initial_supply,
        rows,
        state: sim.state,
        invariants,
        market_short_days: sim.market_short_days,
        first_market_short_step: sim.first_market_short_step,
        token_subscriptions_not_bought: sim.token_subscriptions_not_bought,
        usd_subscription_actions_due: sim.usd_subscription_actions_due,
    })
}

/// The subscription drivers, resolved.
#[derive(Copy, Clone)]
struct Subs {
    plan: PlanId,
    version: VersionId,
    /// Token the plan's version is paid in.
    token: AssetId,
    /// Token the subscriptions are paid in.
    pay_token: AssetId,
    pay_token_decimals: u8,
    discount: furnace_core::units::Ppm,
    price_usd_micros: u128,
    included: u128,
    period: u32,
    usd_agents: u32,
    token_agents: u32,
}

struct Sim<'a> {
    economy: &'a Economy,
    scenario: &'a Scenario,
    state: State,
    info: RunInfo,
    initial_supply: u128,
    token: AssetId,
    usd: AssetId,
    version: VersionId,
    split_id: SplitId,
    market: AccountId,
    api_users: AccountId,
    usd_subscriber: AccountId,
    token_subscriber: AccountId,
    workflow: WorkflowId,
    /// The trained action path and the share of actions using it.
    path: Option<(PathId, furnace_core::units::Ppm)>,
    fuel: Option<AccountId>,
    ecosystem_account: Option<AccountId>,
    ecosystem_leg: Option<usize>,
    burn_legs: [bool; MAX_LEGS],
    /// Who sells back at day end (empty without sell-back).
    recipients: Vec<AccountId>,
    subs: Option<Subs>,
    /// Subscriptions opened this period, in opening order.
    active: Vec<(SubscriptionId, Payment)>,
    market_short_days: u32,
    first_market_short_step: Option<u32>,
    token_subscriptions_not_bought: u64,
    usd_subscription_actions_due: u64,
}

impl<'a> Sim<'a> {
    fn setup(scenario: &'a Scenario, seed: u64) -> Result<Sim<'a>, SimError> {
        let economy = &scenario.economy.economy;
        let problems = economy.validate();
        if !problems.is_empty() {
            let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            return Err(SimError::Setup(format!(
                "the economy is invalid: {}",
                text.join("; ")
            )));
        }
        let version = scenario.version;
        let vspec = economy.version(version);
        let token = vspec.token;
        let market = economy.market.ok_or_else(|| {
            SimError::Setup(format!(
                "economy `{}` has no market account: pay-as-you-go users cannot buy tokens",
                economy.name
            ))
        })?;
        let mut state = State::genesis(economy);
        let open = |state: &mut State| -> Result<AccountId, SimError> {
            match apply_at(economy, state, 0, &Event::OpenAccount)? {
                Receipt::AccountOpened(id) => Ok(id),
                other => Err(unexpected(0, other)),
            }
        };
        let api_users = open(&mut state)?;
        let creator = open(&mut state)?;
        let usd_subscriber = open(&mut state)?;
        let token_subscriber = open(&mut state)?;
        let workflow = match apply_at(
            economy,
            &mut state,
            0,
            &Event::PublishWorkflow {
                creator,
                epoch: scenario.demand.creator_epoch,
            },
        )? {
            Receipt::WorkflowPublished(w) => w,
            other => return Err(unexpected(0, other)),
        };
        let mut account_names: Vec<String> =
            economy.accounts.iter().map(|a| a.name.clone()).collect();
        for name in ["api_users", "creator", "usd_subscriber", "token_subscriber"] {
            account_names.push(if economy.account_by_name(name).is_some() {
                format!("{name} (simulated)")
            } else {
                name.to_string()
            });
        }

        // Trainers of the one trained action path, with seeded weights.
        let mut trainer_accounts = Vec::new();
        let path = match &scenario.trainers {
            None => None,
            Some(t) => {
                let mut weights = Vec::with_capacity(t.trainers as usize);
                for (i, (quality, usage)) in crate::drivers::trainer_weights(seed, t.trainers)
                    .into_iter()
                    .enumerate()
                {
                    let trainer = open(&mut state)?;
                    account_names.push(format!("trainer {}", i + 1));
                    trainer_accounts.push(trainer);
                    weights.push(TrainerWeight {
                        trainer,
                        quality,
                        usage,
                    });
                }
                match apply_at(
                    economy,
                    &mut state,
                    0,
                    &Event::RegisterTrainerPath { trainers: weights },
                )? {
                    Receipt::PathRegistered(p) => Some((p, t.path_share)),
                    other => return Err(unexpected(0, other)),
                }
            }
        };

        let split = economy.split(vspec.split);
        let mut burn_legs = [false; MAX_LEGS];
        for (i, leg) in split.legs.iter().enumerate() {
            burn_legs[i] = leg.kind == LegKind::Burn;
        }
        let ecosystem_account = economy.account_by_name("ecosystem");
        let ecosystem_leg = split.legs.iter().position(|l| l.name == "ecosystem");
        let fuel = match economy.buyback.as_ref().map(|b| b.destination) {
            Some(Destination::Account(a)) => Some(a),
            _ => None,
        };

        let subs = match &scenario.subscriptions {
            None => None,
            Some(d) => {
                let spec = economy.subscriptions.as_ref().ok_or_else(|| {
                    SimError::Setup("the economy has no [subscriptions] section".into())
                })?;
                let plan = economy.plan(d.plan);
                let pv = economy.version(plan.version);
                Some(Subs {
                    plan: d.plan,
                    version: plan.version,
                    token: pv.token,
                    pay_token: spec.token,
                    pay_token_decimals: economy.asset(spec.token).decimals,
                    discount: spec.token_discount,
                    price_usd_micros: plan.price_usd_micros,
                    included: plan.actions_included as u128,
                    period: plan.period_days.max(1),
                    usd_agents: d.usd_agents,
                    token_agents: d.token_agents,
                })
            }
        };
        if let Some(s) = &subs {
            if s.token != token || s.pay_token != token {
                return Err(SimError::Setup(format!(
                    "the plan `{}` runs or is paid in another token than the scenario's version `{}`: not supported",
                    economy.plan(s.plan).name, vspec.name
                )));
            }
        }

        let mut recipients: Vec<AccountId> = Vec::new();
        if scenario.sell_back {
            // A bitmap, not `contains`: a path may have 100,000 trainers.
            let mut seen = vec![false; state.account_count()];
            let mut add = |a: AccountId| {
                if !std::mem::replace(&mut seen[a.index()], true) {
                    recipients.push(a);
                }
            };
            add(creator);
            for &t in &trainer_accounts {
                add(t);
            }
            let mut splits = vec![vspec.split];
            if let Some(s) = &subs {
                splits.push(economy.version(s.version).split);
            }
            for sid in splits {
                let sp = economy.split(sid);
                for leg in &sp.legs {
                    if let LegKind::Account(a) = leg.kind {
                        add(a);
                    }
                }
                for d in [
                    sp.creator_shortfall_to,
                    sp.no_marketplace_to,
                    sp.no_trainers_to,
                    sp.dust_to,
                ] {
                    if let Destination::Account(a) = d {
                        add(a);
                    }
                }
            }
            if scenario.emissions.schedule != furnace_config::scenario::EmissionSchedule::None {
                add(scenario.emissions.to);
            }
            let keep = [
                Some(market),
                fuel,
                economy.buyback.as_ref().map(|b| b.budget),
                economy.subscriptions.as_ref().map(|s| s.escrow),
            ];
            recipients.retain(|a| !keep.contains(&Some(*a)));
        }

        let period_days = subs.as_ref().map_or(30, |s| s.period);
        let plan_info = subs.as_ref().map(|s| {
            let plan = economy.plan(s.plan);
            PlanInfo {
                name: plan.name.clone(),
                price_usd_micros: plan.price_usd_micros,
                actions_included: plan.actions_included,
                period_days: plan.period_days,
                usd_agents: s.usd_agents,
                token_agents: s.token_agents,
                buyback_share_ppm: economy.buyback_revenue_share().map(|p| p.0),
                fuel_configured: fuel.is_some(),
            }
        });
        let info = RunInfo {
            economy: economy.name.clone(),
            scenario: scenario.name.clone(),
            days: scenario.days,
            seed: scenario.seed,
            token,
            token_name: economy.asset(token).name.clone(),
            token_decimals: economy.asset(token).decimals,
            version_name: vspec.name.clone(),
            version_price_usd_micros: vspec.price_usd_micros,
            leg_names: split.legs.iter().map(|l| l.name.clone()).collect(),
            account_names,
            assets: economy
                .assets
                .iter()
                .map(|a| (a.name.clone(), a.decimals))
                .collect(),
            period_days,
            sell_back: scenario.sell_back,
            plan: plan_info,
        };
        let agents = subs
            .as_ref()
            .map_or(0, |s| s.usd_agents as usize + s.token_agents as usize);
        Ok(Sim {
            economy,
            scenario,
            initial_supply: state.supply(token),
            state,
            info,
            token,
            usd: economy.usd,
            version,
            split_id: vspec.split,
            market,
            api_users,
            usd_subscriber,
            token_subscriber,
            workflow,
            path,
            fuel,
            ecosystem_account,
            ecosystem_leg,
            burn_legs,
            recipients,
            subs,
            active: Vec::with_capacity(agents),
            market_short_days: 0,
            first_market_short_step: None,
            token_subscriptions_not_bought: 0,
            usd_subscription_actions_due: 0,
        })
    }

    fn apply(&mut self, step: u32, event: &Event) -> Result<Receipt, SimError> {
        apply_at(self.economy, &mut self.state, step, event)
    }

    /// Add a consumption split's distribution to the day's row.
    fn absorb(&self, row: &mut StepRow, split_id: SplitId, r: &SplitReceipt) {
        row.tokens_consumed += r.total;
        row.creator += r.amount_of(Role::CreatorPaid);
        row.creator_shortfall += r.amount_of(Role::CreatorShortfall);
        row.no_marketplace += r.amount_of(Role::NoMarketplace);
        row.trainers += r.amount_of(Role::TrainersPaid);
        row.no_trainers += r.amount_of(Role::NoTrainers);
        row.dust += r.amount_of(Role::Dust);
        if split_id == self.split_id {
            for i in 0..MAX_LEGS {
                row.legs[i] += r.leg_amounts[i];
                if self.burn_legs[i] {
                    row.break_even_emissions += r.leg_amounts[i];
                }
            }
            row.ecosystem += match (self.ecosystem_account, self.ecosystem_leg) {
                (Some(a), _) => r.credited_to(a),
                (None, Some(i)) => r.leg_amounts[i],
                (None, None) => 0,
            };
        } else {
            let split = self.economy.split(split_id);
            for (i, leg) in split.legs.iter().enumerate() {
                if leg.kind == LegKind::Burn {
                    row.break_even_emissions += r.leg_amounts[i];
                }
            }
            if let Some(a) = self.ecosystem_account {
                row.ecosystem += r.credited_to(a);
            }
        }
    }

    /// Run `count` actions for `payer`: `floor(count * marketplace_share)`
    /// through the marketplace workflow, the rest without; within each,
    /// `floor(n * path_share)` through the trained path when there is one.
    fn run_actions(
        &mut self,
        row: &mut StepRow,
        step: u32,
        payer: Payer,
        version: VersionId,
        count: u64,
    ) -> Result<(), SimError> {
        let overflow = SimError::Overflow {
            step,
            what: "marketplace actions",
        };
        let share = self.scenario.demand.marketplace_share;
        let with_workflow = share.of_floor(count as u128).ok_or(overflow.clone())? as u64;
        let split_id = self.economy.version(version).split;
        for (n, workflow) in [
            (with_workflow, Some(self.workflow)),
            (count - with_workflow, None),
        ] {
            let with_path = match self.path {
                Some((_, path_share)) => {
                    path_share.of_floor(n as u128).ok_or(overflow.clone())? as u64
                }
                None => 0,
            };
            for (m, path) in [
                (with_path, self.path.map(|(p, _)| p)),
                (n - with_path, None),
            ] {
                if m == 0 {
                    continue;
                }
                let event = Event::Actions {
                    payer,
                    version,
                    count: m,
                    workflow,
                    path,
                };
                match self.apply(step, &event)? {
                    Receipt::Actions(r) => self.absorb(row, split_id, &r.split),
                    other => return Err(unexpected(step, other)),
                }
            }
        }
        Ok(())
    }

    fn day(&mut self, drivers: &mut Drivers, t: u32, prev: &StepRow) -> Result<StepRow, SimError> {
        let step = t + 1;
        let token = self.token;
        let mut row = StepRow {
            step,
            ..StepRow::default()
        };
        let supply_start = self.state.supply(token);
        let start = self.state.totals(token);
        let burned_start = start.burned_by_reason;
        let minted_start = start.minted_by_reason;

        // 1. Price.
        let price = drivers
            .price_pico(&self.scenario.price, t)
            .map_err(|BadPrice(usd)| SimError::BadPrice { step, usd })?;
        self.apply(
            step,
            &Event::SetPrice {
                token,
                price_usd_pico: price,
            },
        )?;
        row.price_usd_pico = price;
        row.tokens_per_action = self.state.tokens_per_action(self.version);

        // 2. Emissions.
        let emission = emissions_on(&self.scenario.emissions.schedule, t);
        if emission > 0 {
            self.apply(
                step,
                &Event::Mint {
                    asset: token,
                    to: self.scenario.emissions.to,
                    amount_base_units: emission,
                    reason: self.scenario.emissions.reason,
                },
            )?;
        }

        // 3. Subscriptions renew at each period start.
        let period = self.info.period_days;
        let economy = self.economy;
        if let Some(s) = self.subs {
            if t % s.period == 0 {
                let (plan, usd_agents, token_agents) = (s.plan, s.usd_agents, s.token_agents);
                let (price_usd, discount, decimals) =
                    (s.price_usd_micros, s.discount, s.pay_token_decimals);
                for i in 0..self.active.len() {
                    let (subscription, _) = self.active[i];
                    match self.apply(step, &Event::ExpireSubscription { subscription })? {
                        Receipt::Expired {
                            released: Some(r), ..
                        } => {
                            let split_id = economy.version(s.version).split;
                            self.absorb(&mut row, split_id, &r);
                        }
                        Receipt::Expired { released: None, .. } => {}
                        other => return Err(unexpected(step, other)),
                    }
                }
                self.active.clear();
                for _ in 0..usd_agents {
                    let event = Event::Subscribe {
                        subscriber: self.usd_subscriber,
                        plan,
                        payment: Payment::Usd,
                    };
                    match self.apply(step, &event)? {
                        Receipt::Subscribed {
                            subscription,
                            usd_micros,
                            ..
                        } => {
                            row.usd_revenue += usd_micros;
                            self.active.push((subscription, Payment::Usd));
                        }
                        other => return Err(unexpected(step, other)),
                    }
                }
                for _ in 0..token_agents {
                    let tokens = subscription_tokens(price_usd, discount, decimals, price)
                        .map_err(|rejection| SimError::Rejected {
                            step,
                            event: "subscription_tokens".into(),
                            rejection,
                        })?;
                    if self.state.balance(token, self.market) < tokens {
                        self.token_subscriptions_not_bought += 1;
                        continue;
                    }
                    let buy = Event::MarketBuy {
                        token,
                        buyer: self.token_subscriber,
                        amount_base_units: tokens,
                    };
                    match self.apply(step, &buy)? {
                        Receipt::Bought { usd_micros, .. } => row.usd_market_buys += usd_micros,
                        other => return Err(unexpected(step, other)),
                    }
                    let event = Event::Subscribe {
                        subscriber: self.token_subscriber,
                        plan,
                        payment: Payment::Token,
                    };
                    match self.apply(step, &event)? {
                        Receipt::Subscribed { subscription, .. } => {
                            self.active.push((subscription, Payment::Token))
                        }
                        other => return Err(unexpected(step, other)),
                    }
                }
            }
        }

        // 4. Daily buyback: the budget spread over the period's remaining days.
        if let Some(b) = &economy.buyback {
            let balance = self.state.balance(self.usd, b.budget);
            let days_left = (period - t % period) as u128;
            let spend = balance / days_left;
            if spend > 0 {
                match self.apply(step, &Event::Buyback { usd_micros: spend })? {
                    Receipt::BoughtBack {
                        usd_micros, tokens, ..
                    } => {
                        row.buyback_usd += usd_micros;
                        row.buyback_tokens += tokens;
                    }
                    other => return Err(unexpected(step, other)),
                }
            }
        }

        // 5. Subscribers' actions, evenly over the period.
        if let Some(s) = self.subs {
            let d = (t % s.period) as u128;
            let p = s.period as u128;
            let due = (s.included * (d + 1) / p - s.included * d / p) as u64;
            let version = s.version;
            let tau = self.state.tokens_per_action(version);
            if due > 0 {
                for i in 0..self.active.len() {
                    let (id, payment) = self.active[i];
                    let run = match payment {
                        Payment::Token => due,
                        Payment::Usd => {
                            self.usd_subscription_actions_due += due;
                            let affordable = match self.fuel {
                                Some(fuel) if tau > 0 => self.state.balance(token, fuel) / tau,
                                _ => 0,
                            };
                            let run = (affordable.min(due as u128)) as u64;
                            row.unfunded_subscription += due - run;
                            run
                        }
                    };
                    if run > 0 {
                        self.run_actions(&mut row, step, Payer::Subscription(id), version, run)?;
                        row.subscription_actions += run;
                    }
                }
            }
        }

        // 6. Pay-as-you-go: buy exactly tau * A_t, then run the actions;
        // the failed ones burn their tokens whole.
        let demand = drivers.demand(&self.scenario.demand, t);
        if demand > 0 {
            let tau = row.tokens_per_action;
            let available = self.state.balance(token, self.market);
            let run = (available / tau).min(demand as u128) as u64;
            if run < demand {
                row.unfunded_api += demand - run;
                self.market_short_days += 1;
                self.first_market_short_step.get_or_insert(step);
            }
            if run > 0 {
                let amount = tau.checked_mul(run as u128).ok_or(SimError::Overflow {
                    step,
                    what: "tokens bought",
                })?;
                let buy = Event::MarketBuy {
                    token,
                    buyer: self.api_users,
                    amount_base_units: amount,
                };
                match self.apply(step, &buy)? {
                    Receipt::Bought { usd_micros, .. } => row.usd_market_buys += usd_micros,
                    other => return Err(unexpected(step, other)),
                }
                let failed = self
                    .scenario
                    .burns
                    .failed_action_share
                    .of_floor(run as u128)
                    .ok_or(SimError::Overflow {
                        step,
                        what: "failed actions",
                    })? as u64;
                let ran = run - failed;
                if ran > 0 {
                    self.run_actions(
                        &mut row,
                        step,
                        Payer::Account(self.api_users),
                        self.version,
                        ran,
                    )?;
                }
                if failed > 0 {
                    self.apply(
                        step,
                        &Event::Burn {
                            asset: token,
                            from: self.api_users,
                            amount_base_units: tau * failed as u128,
                            reason: BurnReason::FailedAction,
                        },
                    )?;
                }
                row.api_actions = ran;
                row.failed_actions = failed;
            }
        }

        // 6b. Voluntary burns by the market's holders, and penalty burns.
        let burns = &self.scenario.burns;
        for (from, per_day, reason) in [
            (
                Some(self.market),
                burns.voluntary_per_day,
                BurnReason::Voluntary,
            ),
            (
                burns.penalty_from,
                burns.penalty_per_day,
                BurnReason::Penalty,
            ),
        ] {
            let Some(from) = from else { continue };
            let amount = per_day.min(self.state.balance(token, from));
            if amount > 0 {
                self.apply(
                    step,
                    &Event::Burn {
                        asset: token,
                        from,
                        amount_base_units: amount,
                        reason,
                    },
                )?;
            }
        }

        // 7. Recipients sell what they hold back to the market.
        for i in 0..self.recipients.len() {
            let from = self.recipients[i];
            let amount = self.state.balance(token, from);
            if amount > 0 {
                self.apply(
                    step,
                    &Event::Transfer {
                        asset: token,
                        from,
                        to: self.market,
                        amount_base_units: amount,
                    },
                )?;
                row.sold_back += amount;
            }
        }

        // The day's row, from the ledger's own counters.
        let end = self.state.totals(token);
        for reason in BurnReason::ALL {
            let i = reason as usize;
            row.burned += end.burned_by_reason[i] - burned_start[i];
        }
        row.burned_action = end.burned_by_reason[BurnReason::Action as usize]
            - burned_start[BurnReason::Action as usize];
        let burned_for = |reason: BurnReason| {
            end.burned_by_reason[reason as usize] - burned_start[reason as usize]
        };
        row.burned_buyback = burned_for(BurnReason::Buyback);
        row.burned_failed_action = burned_for(BurnReason::FailedAction);
        row.burned_voluntary = burned_for(BurnReason::Voluntary);
        row.burned_penalty = burned_for(BurnReason::Penalty);
        for reason in MintReason::ALL {
            if reason.is_emission() {
                let i = reason as usize;
                row.emitted += end.minted_by_reason[i] - minted_start[i];
            }
        }
        row.supply = end.supply;
        row.net_supply_change = end.supply as i128 - supply_start as i128;
        row.market_tokens = self.state.balance(token, self.market);
        row.actions = row.api_actions + row.subscription_actions;
        row.unfunded_actions = row.unfunded_api + row.unfunded_subscription;
        row.cum_tokens_consumed = prev.cum_tokens_consumed + row.tokens_consumed;
        row.cum_burned = prev.cum_burned + row.burned;
        row.cum_emitted = prev.cum_emitted + row.emitted;
        row.cum_creator = prev.cum_creator + row.creator;
        row.cum_usd_revenue = prev.cum_usd_revenue + row.usd_revenue;
        Ok(row)
    }
}

/// Apply one event; a rejection is a bug (the simulator checks funds
/// before it sends anything that could be refused).
fn apply_at(
    economy: &Economy,
    state: &mut State,
    step: u32,
    event: &Event,
) -> Result<Receipt, SimError> {
    apply(economy, state, event).map_err(|rejection| SimError::Rejected {
        step,
        event: format!("{event:?}"),
        rejection,
    })
}

fn unexpected(step: u32, receipt: Receipt) -> SimError {
    SimError::Setup(format!(
        "{}: unexpected receipt {receipt:?} (a bug)",
        step_name(step)
    ))
}
