//! Setup of a run ([`Sim::setup`]): the genesis state, the accounts,
//! workflow and trained path the simulator opens, the demand market, the
//! subscription drivers, who sells back, and the run's [`RunInfo`]. See
//! the crate docs' "Setup".

use crate::error::{unexpected, SimError};
use crate::ledger::Ledger;
use crate::sim::{apply_at, PlanInfo, RunInfo, Sim, Subs};
use furnace_config::Scenario;
use furnace_core::economy::{Destination, LegKind, MarketKind, Oracle, ValidEconomy};
use furnace_core::event::TrainerWeight;
use furnace_core::ids::{AccountId, AssetId, MarketId, SplitId};
use furnace_core::units::Ppm;
use furnace_core::{Event, Receipt, State};

/// Subscriptions one run may open: each is a ledger record of ~64 bytes,
/// so at most 64 MB of them (LAM's baseline opens 30 agents x 13 periods =
/// 390).
pub const MAX_SUBSCRIPTIONS_PER_RUN: u64 = 1_000_000;

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
    pub(crate) fn setup(
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
        let launch_driver = crate::day::launches::LaunchDriver::setup(
            scenario,
            seed,
            &mut state,
            &mut setup_event,
            &mut accounts,
        )?;
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
            Some(t) => {
                // Pooled trainers (issue 7): the trainers leg credits a
                // points pool in O(1), each trainer a position weighted
                // quality x usage (the same draws), claimed from the pool.
                let register = match t.pool {
                    None => Event::RegisterTrainerPath {
                        trainers: std::mem::take(&mut weights),
                    },
                    Some(pool) => Event::RegisterPooledPath { pool },
                };
                let path = match setup_event(&mut state, &register)? {
                    Receipt::PathRegistered(p) => p,
                    other => return Err(unexpected(0, other)),
                };
                if let Some(pool) = t.pool {
                    for w in &weights {
                        let open = Event::OpenPosition {
                            pool,
                            owner: w.trainer,
                            amount_base_units: 0,
                            lock_steps: 0,
                        };
                        let position = match setup_event(&mut state, &open)? {
                            Receipt::PositionOpened { position, .. } => position,
                            other => return Err(unexpected(0, other)),
                        };
                        let weight = u128::from(w.quality) * u128::from(w.usage);
                        let set = Event::SetWeight {
                            pool,
                            position,
                            weight,
                        };
                        match setup_event(&mut state, &set)? {
                            Receipt::WeightSet { .. } => {}
                            other => return Err(unexpected(0, other)),
                        }
                    }
                }
                Some((path, t.path_share))
            }
        };
        // Stakers, liquidity providers, voters, contributors (`[rewards]`):
        // their draws on streams 3 and 4 of the seed.
        let reward_behaviour = crate::day::reward_setup::setup_rewards(
            economy,
            scenario,
            seed,
            &mut state,
            &mut setup_event,
            &mut accounts,
        )?;

        // `[training]`: its trainers and the referral graph (issue 7).
        let training = match &scenario.training {
            None => None,
            Some(d) => {
                let t = crate::day::points::Training::setup(d, seed, &mut state, &mut setup_event)?;
                for (i, a) in t.trainers.iter().enumerate() {
                    accounts.push((*a, format!("points trainer {}", i + 1)));
                }
                state.reserve_points(economy, state.opened_accounts());
                Some(t)
            }
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
            // The accounts the economy's schedules pay, of the scenario's
            // token, sell like the scenario's emission recipient.
            for e in economy.emissions.iter().filter(|e| e.token == token) {
                for c in &e.channels {
                    if let Destination::Account(a) = c.to {
                        add(a, holders.emissions);
                    }
                }
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
            launches_after_horizon: scenario
                .launches
                .iter()
                .map(|l| u64::from(l.after_horizon))
                .sum(),
            schedules: economy
                .emissions
                .iter()
                .map(|e| {
                    let decimals =
                        furnace_core::engine::decimals_of(economy, &state, e.token).unwrap_or(0);
                    let from = match e.source {
                        furnace_core::economy::EmissionSource::Account(a) => {
                            Some(economy.account_name(a))
                        }
                        furnace_core::economy::EmissionSource::Mint(_) => None,
                    };
                    (e.name.clone(), economy.asset_name(e.token), decimals, from)
                })
                .collect(),
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
            launch_quote: scenario
                .launches
                .first()
                .map(|l| (economy.asset_name(l.quote), decimals(l.quote))),
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
        let subscriptions_reserved = usize::try_from(subscriptions).expect("bounded above");
        state.reserve_subscriptions(subscriptions_reserved);
        let sell_basis = recipients
            .iter()
            .map(|(a, _)| state.balance(token, *a))
            .collect();
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
            sell_basis,
            subscriptions_reserved,
            recipients,
            subs,
            active: Vec::with_capacity(agents),
            market_short_days: 0,
            first_market_short_step: None,
            token_subscriptions_not_bought: 0,
            usd_subscription_actions_due: 0,
            schedule_stops: vec![None; economy.emissions.len()],
            schedule_emitted: vec![0; economy.emissions.len()],
            launch_driver,
            reward_behaviour,
            training,
        })
    }
}
