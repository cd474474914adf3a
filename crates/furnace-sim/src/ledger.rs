//! Generic per-step columns read from the ledger, for any economy: every
//! pool's reserves, every token's oracle price, every declared asset's
//! supply and its flows by reason, every named account's balances, and
//! what the accounts opened by events hold. Names come from the economy
//! file; nothing here knows an economy.
//!
//! Every column belongs to one of the [`FAMILIES`] (its name pattern, unit
//! and meaning): the CSV header, `furnace columns` and `docs/outputs.md`
//! all read that one table.
//!
//! Storage is one flat `Vec<u128>` reserved for every step at setup, so
//! recording a step never allocates.

use furnace_core::economy::{MarketKind, ValidEconomy};
use furnace_core::engine::{decimals_of, pico_den, price_of};
use furnace_core::event::{BurnReason, MintReason};
use furnace_core::ids::{AccountId, AssetId, MarketId};
use furnace_core::units::{mul_div_floor, PRICE_DECIMALS};
use furnace_core::State;

use crate::ledger_rewards as rw;
#[path = "ledger_points.rs"]
mod points;
pub use points::{PER_POINT, POINTS, PTS_EARN, PTS_REF};

/// What a column (or a summary key) measures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    /// The simulator's step number, 1-based.
    Step,
    /// A number of things (actions, days, subscriptions).
    Count,
    /// An amount of an asset, written in whole units with up to `decimals`
    /// decimals (or, with `--base-units`, as an integer of `10^-decimals`).
    Amount { asset: String, decimals: u8 },
    /// The numeraire per whole token, exact to `PRICE_DECIMALS` (12)
    /// decimals, floored.
    Price { numeraire: String, token: String },
    /// A fraction (an APR, a share), written with 6 decimals, floored (or,
    /// with `--base-units`, as an integer of millionths).
    Fraction,
    /// A word, one of the listed values.
    Text(&'static str),
    /// Anything else, in words (summary keys: "true or false", ...).
    Other(&'static str),
}

impl Unit {
    /// The unit as a reader needs it ("LAM", "USD per LAM", "count").
    pub fn name(&self) -> String {
        match self {
            Unit::Step => "step".into(),
            Unit::Count => "count".into(),
            Unit::Amount { asset, .. } => asset.clone(),
            Unit::Price { numeraire, token } => format!("{numeraire} per {token}"),
            Unit::Fraction => "fraction".into(),
            Unit::Text(values) => format!("text ({values})"),
            Unit::Other(what) => (*what).to_string(),
        }
    }

    /// Decimals of an amount or a price; `None` for counts and words.
    pub fn decimals(&self) -> Option<u8> {
        match self {
            Unit::Amount { decimals, .. } => Some(*decimals),
            Unit::Price { .. } => Some(PRICE_DECIMALS),
            Unit::Fraction => Some(6),
            _ => None,
        }
    }

    /// What one integer means under `--base-units` ("1e-18 LAM"); empty
    /// for counts and words, which are written the same either way.
    pub fn base_unit(&self) -> String {
        match self.decimals() {
            Some(0) => self.name(),
            Some(d) => format!("1e-{d} {}", self.name()),
            None => String::new(),
        }
    }
}

/// A family of ledger columns: its name pattern and meaning. Placeholders:
/// `<pool>` a pool market, `<TOKEN>` a declared token other than the
/// numeraire, `<ASSET>` any declared asset, `<N>` the numeraire, `<reason>`
/// a mint or burn reason, `<account>` a named account, `<schedule>` and
/// `<channel>` an emission schedule and its channel, `<rewardpool>` a
/// reward pool, `<program>` a buyback program.
#[derive(Debug)]
pub struct Family {
    pub pattern: &'static str,
    pub meaning: &'static str,
}

pub const RESERVE: Family = Family {
    pattern: "<pool>_reserve_<ASSET>",
    meaning: "the pool's reserve of the asset at the end of the step",
};
pub const PRICE: Family = Family {
    pattern: "<TOKEN>_price",
    meaning: "the token's oracle price in the numeraire at the end of the step, floored to 12 decimals; empty when the token has no price",
};
pub const SUPPLY: Family = Family {
    pattern: "<ASSET>_supply",
    meaning: "the asset's supply at the end of the step (everything minted minus everything burned, genesis included)",
};
pub const MINTED: Family = Family {
    pattern: "<ASSET>_minted",
    meaning: "minted during the step, every reason",
};
pub const BURNED: Family = Family {
    pattern: "<ASSET>_burned",
    meaning: "burned during the step, every reason",
};
pub const INFLOW: Family = Family {
    pattern: "<N>_inflow",
    meaning: "numeraire paid into the economy from outside during the step (the same figure as <N>_minted_external_inflow)",
};
pub const OUTFLOW: Family = Family {
    pattern: "<N>_outflow",
    meaning: "numeraire paid out of the economy during the step: every burn of the numeraire (<N>_burned_external_outflow, costs in <N>_burned_cost); the same figure as <N>_burned",
};
pub const MINTED_BY: Family = Family {
    pattern: "<ASSET>_minted_<reason>",
    meaning: "minted during the step for one reason",
};
pub const BURNED_BY: Family = Family {
    pattern: "<ASSET>_burned_<reason>",
    meaning: "burned during the step for one reason",
};
pub const IN_OPENED: Family = Family {
    pattern: "<ASSET>_in_opened_accounts",
    meaning: "held at the end of the step by the accounts events opened (the simulator's api_users, creator, usd_subscriber, token_subscriber, customers and trainers), which have no column of their own",
};
pub const BALANCE: Family = Family {
    pattern: "<account>_<ASSET>",
    meaning: "the named account's balance at the end of the step",
};

/// Every ledger column family, in header order.
pub const FAMILIES: &[&Family] = &[
    &RESERVE,
    &PRICE,
    &SUPPLY,
    &MINTED,
    &BURNED,
    &INFLOW,
    &OUTFLOW,
    &MINTED_BY,
    &BURNED_BY,
    &IN_OPENED,
    &BALANCE,
    // The reward families (`ledger_rewards.rs`).
    &rw::IN_REWARD_POOLS,
    &rw::CHANNEL_EMITTED,
    &rw::POOL_REWARDS,
    &rw::POOL_STAKED,
    &rw::POOL_STAKED_VALUE,
    &rw::POOL_APR,
    &rw::STAKED_SHARE,
    &rw::BURN_RATE,
    // The points families (`ledger_points.rs`).
    &POINTS,
    &PTS_EARN,
    &PTS_REF,
    &PER_POINT,
];

/// What a mint reason means, for the column dictionary.
pub fn mint_reason_meaning(reason: MintReason) -> &'static str {
    match reason {
        MintReason::Genesis => {
            "the economy file's initial allocation (before step 1, so 0 in every step)"
        }
        MintReason::TrainingReward => "emission: training rewards",
        MintReason::Grant => "emission: grants",
        MintReason::Referral => "emission: referral commissions",
        MintReason::Staking => "emission: staking rewards",
        MintReason::ExternalInflow => "numeraire paid in from outside the economy",
        MintReason::Purchase => "tokens minted because they were bought (a sale)",
        MintReason::Liquidity => "LP shares for liquidity added",
    }
}

/// What a burn reason means, for the column dictionary.
pub fn burn_reason_meaning(reason: BurnReason) -> &'static str {
    match reason {
        BurnReason::Action => "the burn legs of consumed tokens",
        BurnReason::Buyback => "tokens bought back and burned",
        BurnReason::Voluntary => "holders burning their own tokens",
        BurnReason::Penalty => "penalty burns",
        BurnReason::FailedAction => "the tokens of failed actions",
        BurnReason::ExternalOutflow => {
            "numeraire paid to the outside (an outside market, a seller)"
        }
        BurnReason::Redeemed => "tokens redeemed for their unit of service",
        BurnReason::Liquidity => "LP shares for liquidity removed",
        BurnReason::Cost => "numeraire paid out as a cost by a revenue rule",
    }
}

/// What one column reads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Source {
    Reserve(MarketId, usize),
    /// Pico-numeraire per whole token; `MISSING` when unavailable.
    Price(AssetId),
    Supply(AssetId),
    Minted(AssetId, Option<MintReason>),
    Burned(AssetId, Option<BurnReason>),
    Balance(AccountId, AssetId),
    /// The sum over opened accounts (index into `declared`).
    InOpened(usize),
    /// A reward column (`ledger_rewards.rs`), by its index there.
    Reward(usize),
    /// Points rules (`ledger_points.rs`).
    Points(points::PointsSource),
}

/// The columns grouped by what they read, each with its place in the row:
/// a step's sample runs one loop per kind, whose branches the predictor
/// learns, instead of one `match` per column in header order (a jump
/// mispredicted at most columns: the `match` was 29% of `sample`, itself
/// 7% of a fuel-sweep Monte Carlo).
#[derive(Clone, Debug, Default)]
struct Plan {
    reserves: Vec<(usize, MarketId, usize)>,
    prices: Vec<(usize, AssetId)>,
    supplies: Vec<(usize, AssetId)>,
    minted: Vec<(usize, AssetId)>,
    burned: Vec<(usize, AssetId)>,
    minted_by: Vec<(usize, AssetId, MintReason)>,
    burned_by: Vec<(usize, AssetId, BurnReason)>,
    balances: Vec<(usize, AccountId, AssetId)>,
    in_opened: Vec<(usize, usize)>,
    rewards: Vec<(usize, usize)>,
    points: Vec<(usize, points::PointsSource)>,
}

impl Plan {
    fn of(sources: &[Source]) -> Plan {
        let mut p = Plan::default();
        for (c, s) in sources.iter().enumerate() {
            match *s {
                Source::Reserve(m, k) => p.reserves.push((c, m, k)),
                Source::Price(a) => p.prices.push((c, a)),
                Source::Supply(a) => p.supplies.push((c, a)),
                Source::Minted(a, None) => p.minted.push((c, a)),
                Source::Burned(a, None) => p.burned.push((c, a)),
                Source::Minted(a, Some(r)) => p.minted_by.push((c, a, r)),
                Source::Burned(a, Some(r)) => p.burned_by.push((c, a, r)),
                Source::Balance(account, a) => p.balances.push((c, account, a)),
                Source::InOpened(i) => p.in_opened.push((c, i)),
                Source::Reward(k) => p.rewards.push((c, k)),
                Source::Points(source) => p.points.push((c, source)),
            }
        }
        p
    }
}

/// One declared asset's supply and flows between setup and the last
/// recorded step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetFlows {
    pub asset: AssetId,
    /// Supply after setup (genesis), before step 1.
    pub supply_start: u128,
    /// Minted and burned during the recorded steps.
    pub minted: u128,
    pub burned: u128,
}

#[derive(Clone, Debug)]
pub struct Ledger {
    /// Column names, in order.
    pub names: Vec<String>,
    /// Decimals to format each column with.
    pub decimals: Vec<u8>,
    /// Each column's unit, family and meaning (the column dictionary).
    pub units: Vec<Unit>,
    pub families: Vec<&'static Family>,
    pub meanings: Vec<String>,
    sources: Vec<Source>,
    plan: Plan,
    /// `steps x columns`, row-major.
    values: Vec<u128>,
    /// Minted and burned totals of each declared asset after the last
    /// recorded step (the flows are their differences).
    last_minted: Vec<[u128; MintReason::COUNT]>,
    last_burned: Vec<[u128; BurnReason::COUNT]>,
    last_minted_total: Vec<u128>,
    last_burned_total: Vec<u128>,
    /// Supply, minted and burned of each declared asset at setup.
    start: Vec<(u128, u128, u128)>,
    /// Per declared asset: what opened accounts hold (scratch, reserved).
    in_opened: Vec<u128>,
    declared: Vec<AssetId>,
    rewards: rw::RewardColumns,
    points_last: points::Last,
}

/// The marker of an unavailable value (a price without an oracle).
pub const MISSING: u128 = u128::MAX;

impl Ledger {
    pub fn new(economy: &ValidEconomy, state: &State, steps: usize) -> Ledger {
        let mut names = Vec::new();
        let mut units = Vec::new();
        let mut families = Vec::new();
        let mut meanings = Vec::new();
        let mut sources = Vec::new();
        let amount = |a: AssetId| Unit::Amount {
            asset: economy.asset_name(a),
            decimals: decimals_of(economy, state, a).unwrap_or(0),
        };
        let mut col = |name: String, unit: Unit, family: &'static Family, meaning: String, s| {
            names.push(name);
            units.push(unit);
            families.push(family);
            meanings.push(meaning);
            sources.push(s);
        };
        let numeraire = economy.asset_name(economy.numeraire);
        for (i, m) in economy.markets.iter().enumerate() {
            if let MarketKind::Pool { assets, .. } = &m.kind {
                let id = MarketId::from_index(i).expect("bounded");
                for (k, a) in assets.iter().enumerate() {
                    let asset = economy.asset_name(*a);
                    col(
                        format!("{}_reserve_{asset}", m.name),
                        amount(*a),
                        &RESERVE,
                        format!(
                            "pool `{}`'s reserve of {asset} at the end of the step",
                            m.name
                        ),
                        Source::Reserve(id, k),
                    );
                }
            }
        }
        let declared: Vec<AssetId> = (0..economy.assets.len())
            .filter_map(AssetId::declared)
            .collect();
        for &a in &declared {
            if a != economy.numeraire {
                let token = economy.asset_name(a);
                col(
                    format!("{token}_price"),
                    Unit::Price {
                        numeraire: numeraire.clone(),
                        token: token.clone(),
                    },
                    &PRICE,
                    format!("{token}'s oracle price in {numeraire} at the end of the step, floored to 12 decimals; empty when {token} has no price"),
                    Source::Price(a),
                );
            }
        }
        for (i, &a) in declared.iter().enumerate() {
            let name = economy.asset_name(a);
            let unit = amount(a);
            col(
                format!("{name}_supply"),
                unit.clone(),
                &SUPPLY,
                format!("{name} supply at the end of the step (minted minus burned since genesis, genesis included)"),
                Source::Supply(a),
            );
            col(
                format!("{name}_minted"),
                unit.clone(),
                &MINTED,
                format!("{name} minted during the step, every reason"),
                Source::Minted(a, None),
            );
            col(
                format!("{name}_burned"),
                unit.clone(),
                &BURNED,
                format!("{name} burned during the step, every reason"),
                Source::Burned(a, None),
            );
            if a == economy.numeraire {
                col(
                    format!("{name}_inflow"),
                    unit.clone(),
                    &INFLOW,
                    format!("{name} paid into the economy from outside during the step (= {name}_minted_external_inflow)"),
                    Source::Minted(a, Some(MintReason::ExternalInflow)),
                );
                col(
                    format!("{name}_outflow"),
                    unit.clone(),
                    &OUTFLOW,
                    format!("{name} paid out of the economy during the step (= {name}_burned: outside payments and costs)"),
                    Source::Burned(a, None),
                );
            }
            for r in MintReason::ALL {
                col(
                    format!("{name}_minted_{}", r.name()),
                    unit.clone(),
                    &MINTED_BY,
                    format!("{name} minted during the step: {}", mint_reason_meaning(*r)),
                    Source::Minted(a, Some(*r)),
                );
            }
            for r in BurnReason::ALL {
                col(
                    format!("{name}_burned_{}", r.name()),
                    unit.clone(),
                    &BURNED_BY,
                    format!("{name} burned during the step: {}", burn_reason_meaning(*r)),
                    Source::Burned(a, Some(*r)),
                );
            }
            col(
                format!("{name}_in_opened_accounts"),
                unit,
                &IN_OPENED,
                format!("{name} held at the end of the step by the accounts events opened (api_users, creator, subscribers, customers, trainers)"),
                Source::InOpened(i),
            );
        }
        for (i, account) in economy.accounts.iter().enumerate() {
            let id = AccountId::named(i).expect("validated");
            for &a in &declared {
                let asset = economy.asset_name(a);
                col(
                    format!("{}_{asset}", account.name),
                    amount(a),
                    &BALANCE,
                    format!(
                        "account `{}`'s {asset} balance at the end of the step",
                        account.name
                    ),
                    Source::Balance(id, a),
                );
            }
        }
        let (reward_columns, rewards) = rw::RewardColumns::new(economy, state);
        for (k, (name, unit, family, meaning)) in reward_columns.into_iter().enumerate() {
            col(name, unit, family, meaning, Source::Reward(k));
        }
        for (name, unit, family, meaning, s) in points::columns(economy, amount) {
            col(name, unit, family, meaning, Source::Points(s));
        }
        let n = declared.len();
        let decimals = units.iter().map(|u| u.decimals().unwrap_or(0)).collect();
        let mut ledger = Ledger {
            values: Vec::with_capacity(steps.saturating_mul(sources.len())),
            names,
            decimals,
            units,
            families,
            meanings,
            plan: Plan::of(&sources),
            sources,
            last_minted: vec![[0; MintReason::COUNT]; n],
            last_burned: vec![[0; BurnReason::COUNT]; n],
            last_minted_total: vec![0; n],
            last_burned_total: vec![0; n],
            start: declared
                .iter()
                .map(|&a| {
                    let t = state.totals(a);
                    (t.supply, t.minted, t.burned)
                })
                .collect(),
            in_opened: vec![0; n],
            points_last: points::Last::new(economy),
            declared,
            rewards,
        };
        ledger.remember(state);
        ledger
    }

    /// What the per-step flows are differenced against: every counter,
    /// the reward and points columns' included.
    fn remember(&mut self, state: &State) {
        self.points_last.remember(state);
        self.rewards.remember(state);
        for (i, &a) in self.declared.iter().enumerate() {
            let t = state.totals(a);
            self.last_minted[i] = t.minted_by_reason;
            self.last_burned[i] = t.burned_by_reason;
            self.last_minted_total[i] = t.minted;
            self.last_burned_total[i] = t.burned;
        }
    }

    /// Sum what the opened accounts hold of each declared asset (no
    /// allocation: the scratch is reserved at setup).
    fn sum_opened(&mut self, state: &State) {
        self.in_opened.iter_mut().for_each(|v| *v = 0);
        for account in (0..state.opened_accounts()).filter_map(AccountId::opened) {
            for (asset, balance) in state.holdings_of(account) {
                if let Some(i) = self.declared.iter().position(|&a| a == asset) {
                    // Each balance is part of the asset's supply, which is a
                    // u128: the sum cannot overflow.
                    self.in_opened[i] += balance;
                }
            }
        }
    }

    /// Append the state at the end of a step.
    pub fn record(&mut self, economy: &ValidEconomy, state: &State) {
        let start = self.values.len();
        let mut values = std::mem::take(&mut self.values);
        values.resize(start + self.sources.len(), 0);
        self.sample(economy, state, &mut values[start..]);
        self.values = values;
    }

    /// The state at the end of a step, one value per column, into `out`
    /// (as [`Ledger::record`] would append it), without keeping it: the
    /// Monte Carlo runner folds it instead.
    pub fn sample(&mut self, economy: &ValidEconomy, state: &State, out: &mut [u128]) {
        let nd = decimals_of(economy, state, economy.numeraire).unwrap_or(0);
        self.sum_opened(state);
        let index = |a: AssetId| a.0 as usize;
        let p = &self.plan;
        let out = &mut out[..self.sources.len()];
        for &(c, m, k) in &p.reserves {
            out[c] = state.pool(m).map_or(0, |p| p.reserves[k]);
        }
        for &(c, a) in &p.prices {
            out[c] = price_of(economy, state, a)
                .ok()
                .and_then(|p| {
                    let td = decimals_of(economy, state, a).ok()?;
                    mul_div_floor(p.num, pico_den(nd, td), p.den)
                })
                .unwrap_or(MISSING);
        }
        for &(c, a) in &p.supplies {
            out[c] = state.supply(a);
        }
        // The counters only grow, so every difference is >= 0.
        for &(c, a) in &p.minted {
            out[c] = state.totals(a).minted - self.last_minted_total[index(a)];
        }
        for &(c, a) in &p.burned {
            out[c] = state.totals(a).burned - self.last_burned_total[index(a)];
        }
        for &(c, a, r) in &p.minted_by {
            out[c] =
                state.totals(a).minted_by_reason[r.index()] - self.last_minted[index(a)][r.index()];
        }
        for &(c, a, r) in &p.burned_by {
            out[c] =
                state.totals(a).burned_by_reason[r.index()] - self.last_burned[index(a)][r.index()];
        }
        for &(c, account, a) in &p.balances {
            out[c] = state.balance(a, account);
        }
        for &(c, i) in &p.in_opened {
            out[c] = self.in_opened[i];
        }
        for &(c, k) in &p.rewards {
            out[c] = self.rewards.value(economy, state, k);
        }
        for &(c, source) in &p.points {
            out[c] = self.points_last.sample(state, source);
        }
        self.remember(state);
    }

    /// Start again from `state` (a run's state after setup), keeping the
    /// columns and the storage: a Monte Carlo run resets here.
    pub fn restart(&mut self, state: &State) {
        self.values.clear();
        self.remember(state);
    }

    /// Columns per step.
    pub fn width(&self) -> usize {
        self.sources.len()
    }

    /// Each declared asset's supply at setup and what was minted and
    /// burned over the recorded steps: `supply_start + minted - burned` is
    /// the last step's supply.
    pub fn asset_flows(&self) -> Vec<AssetFlows> {
        self.declared
            .iter()
            .enumerate()
            .map(|(i, &asset)| {
                let (supply_start, minted, burned) = self.start[i];
                AssetFlows {
                    asset,
                    supply_start,
                    minted: self.last_minted_total[i] - minted,
                    burned: self.last_burned_total[i] - burned,
                }
            })
            .collect()
    }

    pub fn steps(&self) -> usize {
        self.values.len() / self.names.len().max(1)
    }

    /// The value of column `c` at step `s` (0-based).
    pub fn value(&self, s: usize, c: usize) -> u128 {
        self.values[s * self.names.len() + c]
    }

    /// A column's index by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Whether a column is zero at every step (reports leave those out).
    pub fn all_zero(&self, c: usize) -> bool {
        (0..self.steps()).all(|s| self.value(s, c) == 0)
    }
}
