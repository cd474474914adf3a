//! The column tables: each fixed column of `timeseries.csv`
//! ([`FIXED_HEAD`], the `leg_<name>` family, [`FIXED_TAIL`], then the
//! ledger's columns), `periods.csv`'s columns ([`PERIOD_COLUMNS`]) and
//! `summary.json`'s keys ([`SUMMARY_KEYS`]) with unit, meaning and (for a
//! column) what it reads; and the [`Dictionary`] built from them
//! (`furnace columns`). The writers read the same tables.

use super::{Change, Raw, RowView};
use crate::error::SimError;
use crate::ledger::Unit;
use crate::sim::{RunInfo, SimResult};
use furnace_config::Scenario;

/// The unit of a fixed column or summary key, before names are known.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Step,
    Count,
    /// Whole units of the scenario's token.
    Token,
    /// Whole units of the numeraire ("USD").
    Numeraire,
    /// The numeraire per whole token (12 decimals).
    Price,
    /// The asset named in the key (`<ASSET>`).
    Asset,
    /// An asset named elsewhere: `units[<key>]` says which (a schedule's
    /// token).
    NamedAsset,
    Regime,
    /// Whole units of the `[[launches]]` entries' quote asset (one for all).
    LaunchQuote,
    /// Anything else, described in words.
    Other(&'static str),
}

impl SimResult {
    pub(super) fn unit(&self, kind: Kind) -> Unit {
        unit_of(&self.info, kind)
    }
}

/// The unit of a column or key of this kind in a run of `info`.
pub fn unit_of(info: &RunInfo, kind: Kind) -> Unit {
    match kind {
        Kind::Step => Unit::Step,
        Kind::Count => Unit::Count,
        Kind::Token => Unit::Amount {
            asset: info.token_name.clone(),
            decimals: info.token_decimals,
        },
        Kind::Numeraire => Unit::Amount {
            asset: info.numeraire_name.clone(),
            decimals: info.numeraire_decimals,
        },
        Kind::Price => Unit::Price {
            numeraire: info.numeraire_name.clone(),
            token: info.token_name.clone(),
        },
        Kind::Asset => Unit::Other("whole units of the <ASSET> in the key"),
        Kind::NamedAsset => Unit::Other("whole units of the asset units[<key>] names"),
        Kind::Regime => Unit::Text("deflationary, neutral or inflationary"),
        Kind::LaunchQuote => match &info.launch_quote {
            Some((asset, decimals)) => Unit::Amount {
                asset: asset.clone(),
                decimals: *decimals,
            },
            None => Unit::Other("whole units of the launches' quote asset"),
        },
        Kind::Other(what) => Unit::Other(what),
    }
}

/// A fixed column of `timeseries.csv`.
pub struct Fixed {
    pub name: &'static str,
    pub kind: Kind,
    pub meaning: &'static str,
    pub read: fn(&RowView) -> Raw,
}

const fn fixed(
    name: &'static str,
    kind: Kind,
    meaning: &'static str,
    read: fn(&RowView) -> Raw,
) -> Fixed {
    Fixed {
        name,
        kind,
        meaning,
        read,
    }
}

/// The fixed columns before the `leg_<name>` family.
pub const FIXED_HEAD: &[Fixed] = &[
    fixed("step", Kind::Step, "the simulator's step, 1-based: one pass of the day loop (scenarios call it a day; `ast-report` uses it as a month)", |v| Raw::Value(u128::from(v.row.step))),
    fixed("actions", Kind::Count, "actions that ran: api_actions + subscription_actions (failed actions are not included)", |v| Raw::Value(v.row.actions)),
    fixed("api_actions", Kind::Count, "pay-as-you-go actions that ran and succeeded", |v| Raw::Value(v.row.api_actions)),
    fixed("subscription_actions", Kind::Count, "subscribers' actions that ran (token-paid and funded numeraire-paid)", |v| Raw::Value(v.row.subscription_actions)),
    fixed("failed_actions", Kind::Count, "pay-as-you-go actions that failed: paid for and burned whole (burned_failed_action); not in actions nor tokens_consumed", |v| Raw::Value(v.row.failed_actions)),
    fixed("unfunded_actions", Kind::Count, "actions demanded that could not be paid for: pay-as-you-go ones the market could not sell tokens for, plus numeraire subscribers' ones their inventory could not fund", |v| Raw::Value(v.row.unfunded_actions)),
    fixed("token_price_usd", Kind::Price, "the token's oracle price at the start of the step (after the step's Tick and SetPrice, before any trade), floored to 12 decimals", |v| Raw::Value(v.row.price_usd_pico)),
    fixed("tokens_per_action", Kind::Token, "tokens per action of the scenario's version at token_price_usd: ceil(price per action / token price) to the base unit; actions that ran later in the step at another price paid that moment's (see docs/outputs.md)", |v| Raw::Value(v.row.tokens_per_action)),
    fixed("tokens_consumed", Kind::Token, "tokens that went through a consumption split: actions paid by accounts or inventories (count x tokens per action when they ran), token subscriptions' escrow released per action, and escrow released at expiry", |v| Raw::Value(v.row.tokens_consumed)),
    fixed("burned", Kind::Token, "every burn of the token during the step, every reason", |v| Raw::Value(v.row.burned)),
    fixed("burned_action", Kind::Token, "burned by the burn legs of consumption", |v| Raw::Value(v.row.burned_action)),
    fixed("burned_buyback", Kind::Token, "bought back and burned", |v| Raw::Value(v.row.burned_buyback)),
    fixed("burned_failed_action", Kind::Token, "the tokens of failed actions", |v| Raw::Value(v.row.burned_failed_action)),
    fixed("burned_voluntary", Kind::Token, "burned by outside holders (the external demand market's account)", |v| Raw::Value(v.row.burned_voluntary)),
    fixed("burned_penalty", Kind::Token, "penalty burns", |v| Raw::Value(v.row.burned_penalty)),
    fixed("creator", Kind::Token, "consumption paid to workflow creators at their epoch's share", |v| Raw::Value(v.row.creator)),
    fixed("creator_shortfall", Kind::Token, "the creator leg's part the epoch does not pay (to the split's creator_shortfall_to)", |v| Raw::Value(v.row.creator_shortfall)),
    fixed("no_marketplace", Kind::Token, "the creator leg of actions run without a workflow (to no_marketplace_to)", |v| Raw::Value(v.row.no_marketplace)),
    fixed("trainers", Kind::Token, "paid to the trainers of the trained path", |v| Raw::Value(v.row.trainers)),
    fixed("no_trainers", Kind::Token, "the trainers leg of actions without a trained path (to no_trainers_to)", |v| Raw::Value(v.row.no_trainers)),
];

/// The `leg_<name>` family (between the head and the tail).
pub const LEG_PATTERN: &str = "leg_<name>";
const LEG_MEANING: &str = "floor(consumed x share) of this leg of the scenario version's split, before the creator and trainer legs are divided (consumption of that split only)";

/// The fixed columns after the `leg_<name>` family.
pub const FIXED_TAIL: &[Fixed] = &[
    fixed("dust", Kind::Token, "the split's rounding remainders (to dust_to)", |v| Raw::Value(v.row.dust)),
    fixed("emitted", Kind::Token, "minted for emission reasons (training_reward, grant, referral, staking)", |v| Raw::Value(v.row.emitted)),
    fixed("supply", Kind::Token, "the token's supply at the end of the step", |v| Raw::Value(v.row.supply)),
    fixed("net_supply_change", Kind::Token, "supply minus the previous step's supply (after setup for step 1), signed", |v| Raw::Signed(Change::between(v.prev_supply, v.row.supply))),
    fixed("regime", Kind::Regime, "deflationary if the supply fell during the step, inflationary if it rose, else neutral", |v| Raw::Word(Change::between(v.prev_supply, v.row.supply).regime().name())),
    fixed("break_even_emissions_trailing", Kind::Token, "the emission per step that would have kept the supply flat over the trailing reporting period (the last period_days steps up to this one, fewer at the start): max(0, sum of (emitted - net_supply_change)) / steps in the window, floored", |v| Raw::Value(v.break_even)),
    fixed("usd_revenue", Kind::Numeraire, "paid in the numeraire for subscriptions", |v| Raw::Value(v.row.usd_revenue)),
    fixed("purchased", Kind::Token, "tokens bought from a sale (minted on purchase)", |v| Raw::Value(v.row.purchased)),
    fixed("usd_sales", Kind::Numeraire, "paid for them", |v| Raw::Value(v.row.usd_sales)),
    fixed("redeemed", Kind::Token, "tokens redeemed for their unit of service", |v| Raw::Value(v.row.redeemed)),
    fixed("emission_cut", Kind::Token, "scheduled emission the token's maximum supply refused", |v| Raw::Value(v.row.emission_cut)),
    fixed("sales_cut", Kind::Token, "sale tokens the maximum supply refused", |v| Raw::Value(v.row.sales_cut)),
    fixed("usd_market_buys", Kind::Numeraire, "paid (from outside) to the demand market for tokens bought by api users and token subscribers", |v| Raw::Value(v.row.usd_market_buys)),
    fixed("buyback_usd", Kind::Numeraire, "spent by buyback programs paying the numeraire for the token", |v| Raw::Value(v.row.buyback_usd)),
    fixed("buyback_tokens", Kind::Token, "tokens those buybacks bought", |v| Raw::Value(v.row.buyback_tokens)),
    fixed("buyback_unspent", Kind::Numeraire, "what those buybacks were asked to spend but could not (venue caps, the impact guard, market depth): it stays in the budget", |v| Raw::Value(v.row.buyback_unspent)),
    fixed("sold_back", Kind::Token, "tokens recipients sold on the sell market: sell-back ([holders]) and the reward holders' claimed rewards sold ([rewards])", |v| Raw::Value(v.row.sold_back)),
    fixed("shock_sold", Kind::Token, "tokens whale shocks sold on the sell market", |v| Raw::Value(v.row.shock_sold)),
    fixed("market_tokens", Kind::Token, "tokens the demand market holds at the end of the step (an external market's account, or a pool's token reserve)", |v| Raw::Value(v.row.market_tokens)),
    fixed("cum_tokens_consumed", Kind::Token, "tokens_consumed from step 1 to this step", |v| Raw::Value(v.row.cum_tokens_consumed)),
    fixed("cum_burned", Kind::Token, "burned from step 1 to this step", |v| Raw::Value(v.row.cum_burned)),
    fixed("cum_emitted", Kind::Token, "emitted from step 1 to this step", |v| Raw::Value(v.row.cum_emitted)),
    fixed("cum_creator", Kind::Token, "creator from step 1 to this step", |v| Raw::Value(v.row.cum_creator)),
    fixed("cum_usd_revenue", Kind::Numeraire, "usd_revenue from step 1 to this step", |v| Raw::Value(v.row.cum_usd_revenue)),
];

/// The `[[launches]]` columns (`day/launches.rs`), after [`FIXED_TAIL`]
/// in a scenario with launch drivers only (the per-launch figures are
/// `launches.csv`'s rows).
pub const LAUNCH_COLUMNS: &[Fixed] = &[
    fixed("launches_created", Kind::Count, "launches the [[launches]] drivers created during the step (CreateLaunch)", |v| Raw::Value(u128::from(v.row.launches_created))),
    fixed("launches_graduated", Kind::Count, "launches that graduated during the step: their pool seeded, their tokens minted (at the maximum raise inside a purchase, or GraduateLaunch)", |v| Raw::Value(u128::from(v.row.launches_graduated))),
    fixed("launches_failed", Kind::Count, "launches that failed during the step: window closed below the minimum raise, every principal refunded", |v| Raw::Value(u128::from(v.row.launches_failed))),
    fixed("launches_raising", Kind::Count, "launches still raising at the end of the step", |v| Raw::Value(u128::from(v.row.launches_raising))),
    fixed("launch_buys", Kind::Count, "curve purchases (BuyOnCurve) the core accepted during the step", |v| Raw::Value(u128::from(v.row.launch_buys))),
    fixed("launch_buys_refused", Kind::Count, "purchases the core refused during the step (window closed, above the maximum raise, a buyer or issuer cap, nothing bought; trades on a graduated pool and stakes too): nothing changed, the run goes on", |v| Raw::Value(u128::from(v.row.launch_buys_refused))),
    fixed("launch_unfunded", Kind::Count, "purchases, launch fees and stake-pool rewards that could not be paid (the funds account short, or the buy_with market unable to sell the quote): skipped", |v| Raw::Value(u128::from(v.row.launch_unfunded))),
    fixed("launch_committed", Kind::LaunchQuote, "principal committed to launch curves during the step (what buyers paid less the purchase fee)", |v| Raw::Value(v.row.launch_committed)),
    fixed("launch_fees", Kind::LaunchQuote, "purchase fees paid during the step (never refunded)", |v| Raw::Value(v.row.launch_fees)),
    fixed("launch_refunded", Kind::LaunchQuote, "principal refunded by launches that failed during the step", |v| Raw::Value(v.row.launch_refunded)),
    fixed("launch_trades", Kind::Count, "swaps on graduated launches' pools during the step (buys and sells)", |v| Raw::Value(u128::from(v.row.launch_trades))),
    fixed("launch_custody", Kind::LaunchQuote, "principal held by launches still raising at the end of the step (part of the quote's supply, in no account)", |v| Raw::Value(v.row.launch_custody)),
    fixed("launch_pools_quote", Kind::LaunchQuote, "the quote in the pools graduated launches created, at the end of the step (run-time pools: no ledger column of their own)", |v| Raw::Value(v.row.launch_pools_quote)),
    fixed("launch_stakes", Kind::Count, "positions opened during the step in launches' stake pools (the issuer and buyers staking stake_share at graduation)", |v| Raw::Value(u128::from(v.row.launch_stakes))),
    fixed("launch_usd_buys", Kind::Numeraire, "numeraire paid (from outside: minted as external_inflow) to a buy_with market for the quote the launch drivers' payers lacked", |v| Raw::Value(v.row.launch_usd_buys)),
    fixed("launch_stake_custody", Kind::LaunchQuote, "rewards held at the end of the step by launches' stake pools that pay the quote asset (funded, not yet claimed)", |v| Raw::Value(v.row.launch_stake_custody)),
];

/// Where a column's values come from.
#[derive(Copy, Clone)]
pub(super) enum Read {
    Row(fn(&RowView) -> Raw),
    Leg(usize),
    Ledger(usize),
}

/// One column of a file: its name, the family it belongs to (its name
/// pattern; the name itself for a fixed column), unit and meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub family: String,
    pub unit: Unit,
    pub meaning: String,
}

/// The dictionary of a scenario's output files.
#[derive(Clone, Debug)]
pub struct Dictionary {
    /// Every column `timeseries.csv` may have (a run leaves out the ledger
    /// columns that are zero at every step).
    pub timeseries: Vec<Entry>,
    pub periods: Vec<Entry>,
    /// Every key of `summary.json`, as dotted paths (`<...>` placeholders
    /// for names; `[]` for the items of a list).
    pub summary: Vec<Entry>,
}

/// The dictionary of `scenario`'s output files, without simulating it
/// (setup only: the columns are named at setup).
pub fn dictionary(scenario: &Scenario) -> Result<Dictionary, SimError> {
    let mut setup_only = scenario.clone();
    setup_only.days = 0;
    Ok(crate::simulate(&setup_only)?.dictionary())
}

impl SimResult {
    /// Every column of `timeseries.csv` in order with what it reads.
    pub(super) fn all_columns(&self) -> Vec<(Entry, Read)> {
        let mut out = Vec::new();
        let fixed = |table: &[Fixed], out: &mut Vec<(Entry, Read)>| {
            for f in table {
                let entry = Entry {
                    name: f.name.into(),
                    family: f.name.into(),
                    unit: self.unit(f.kind),
                    meaning: f.meaning.into(),
                };
                out.push((entry, Read::Row(f.read)));
            }
        };
        fixed(FIXED_HEAD, &mut out);
        for (i, name) in self.info.leg_names.iter().enumerate() {
            let entry = Entry {
                name: format!("leg_{name}"),
                family: LEG_PATTERN.into(),
                unit: self.unit(Kind::Token),
                meaning: format!("leg `{name}`: {LEG_MEANING}"),
            };
            out.push((entry, Read::Leg(i)));
        }
        fixed(FIXED_TAIL, &mut out);
        if self.info.launch_quote.is_some() {
            fixed(LAUNCH_COLUMNS, &mut out);
        }
        let l = &self.ledger;
        for c in 0..l.names.len() {
            let entry = Entry {
                name: l.names[c].clone(),
                family: l.families[c].pattern.into(),
                unit: l.units[c].clone(),
                meaning: l.meanings[c].clone(),
            };
            out.push((entry, Read::Ledger(c)));
        }
        out
    }

    /// The columns `timeseries.csv` has: ledger columns zero at every step
    /// are left out.
    pub(super) fn written_columns(&self) -> Vec<(Entry, Read)> {
        self.all_columns()
            .into_iter()
            .filter(|(_, read)| match read {
                Read::Ledger(c) => !self.ledger.all_zero(*c),
                _ => true,
            })
            .collect()
    }

    /// The columns of this run's `timeseries.csv`, in order.
    pub fn columns(&self) -> Vec<Entry> {
        self.written_columns().into_iter().map(|(e, _)| e).collect()
    }

    /// The dictionary: every column this scenario's files may have.
    pub fn dictionary(&self) -> Dictionary {
        let resolve = |table: &[KeyDoc]| {
            table
                .iter()
                .map(|k| Entry {
                    name: k.pattern.into(),
                    family: k.pattern.into(),
                    unit: self.unit(k.kind),
                    meaning: k.meaning.into(),
                })
                .collect()
        };
        Dictionary {
            timeseries: self.all_columns().into_iter().map(|(e, _)| e).collect(),
            periods: resolve(PERIOD_COLUMNS),
            summary: resolve(SUMMARY_KEYS),
        }
    }
}

/// A column or key documented by pattern: `<...>` stands for a name.
pub struct KeyDoc {
    pub pattern: &'static str,
    pub kind: Kind,
    pub meaning: &'static str,
}

const fn key(pattern: &'static str, kind: Kind, meaning: &'static str) -> KeyDoc {
    KeyDoc {
        pattern,
        kind,
        meaning,
    }
}

/// `periods.csv`'s columns (and the keys of `summary.json`'s `periods[]`).
pub const PERIOD_COLUMNS: &[KeyDoc] = &[
    key("period", Kind::Count, "the period's number, from 1"),
    key("first_step", Kind::Step, "its first step"),
    key(
        "last_step",
        Kind::Step,
        "its last step (the last period may be shorter)",
    ),
    key(
        "burned",
        Kind::Token,
        "the token burned during the period, every reason",
    ),
    key(
        "emitted",
        Kind::Token,
        "the token minted for emission reasons during the period",
    ),
    key(
        "net_supply_change",
        Kind::Token,
        "supply at the period's end minus supply before its first step, signed",
    ),
    key("regime", Kind::Regime, "of net_supply_change"),
    key(
        "unfunded_actions",
        Kind::Count,
        "unfunded actions during the period",
    ),
];

const COUNT_TEXT: Kind = Kind::Other("count, as a decimal string (may exceed 2^53)");

/// Every key of `summary.json`, flattened with dots (the column names
/// `pandas.json_normalize` gives), list items as `[]`.
pub const SUMMARY_KEYS: &[KeyDoc] = &[
    key("schema", Kind::Other("text"), "always \"furnace-summary\""),
    key("format_version", Kind::Other("integer"), "2: this layout (bumped when a key changes meaning or type)"),
    key("economy", Kind::Other("text"), "the economy's name"),
    key("scenario", Kind::Other("text"), "the scenario's name"),
    key("token", Kind::Other("text"), "the scenario's token: the unit of every token amount"),
    key("numeraire", Kind::Other("text"), "the numeraire (USD): the unit of every *usd* amount"),
    key("version", Kind::Other("text"), "the model version actions run on (empty in a sales-only scenario)"),
    key("days", Kind::Count, "steps simulated (a step is a day, a month in ast-report)"),
    key("period_days", Kind::Count, "steps per reporting period: the plan's period, else 30"),
    key("seed", Kind::Other("integer as a decimal string (a u64)"), "the random seed"),
    key("sell_back", Kind::Other("true or false"), "whether recipients sell their tokens back each step"),
    key("units.<key>", Kind::Other("text"), "the asset whose whole units the amount at <key> (a dotted path; periods[].<column> for periods) is written in"),
    key("assets.<ASSET>.decimals", Kind::Count, "decimals of the asset: its base unit is 10^-decimals"),
    key("assets.<ASSET>.supply_start", Kind::Asset, "supply before step 1 (after genesis)"),
    key("assets.<ASSET>.supply_end", Kind::Asset, "supply after the last step: supply_start + minted - burned"),
    key("assets.<ASSET>.minted", Kind::Asset, "minted during the run, every reason"),
    key("assets.<ASSET>.burned", Kind::Asset, "burned during the run, every reason"),
    key("initial_supply", Kind::Token, "the token's supply before step 1"),
    key("final_supply", Kind::Token, "the token's supply after the last step"),
    key("net_supply_change", Kind::Token, "final_supply - initial_supply, signed"),
    key("cumulative_tokens_consumed", Kind::Token, "sum of tokens_consumed"),
    key("cumulative_burned", Kind::Token, "sum of burned"),
    key("cumulative_burned_by_reason.<reason>", Kind::Token, "the token burned during the run for each burn reason"),
    key("cumulative_emitted", Kind::Token, "sum of emitted"),
    key("cumulative_emitted_by_reason.<reason>", Kind::Token, "the token minted during the run for each emission reason"),
    key("cumulative_creator", Kind::Token, "sum of creator"),
    key("cumulative_trainers", Kind::Token, "sum of trainers"),
    key("cumulative_legs.leg_<name>", Kind::Token, "sum of each leg_<name> column"),
    key("cumulative_purchased", Kind::Token, "sum of purchased"),
    key("cumulative_redeemed", Kind::Token, "sum of redeemed"),
    key("cumulative_sold_back", Kind::Token, "sum of sold_back"),
    key("cumulative_emission_cut", Kind::Token, "sum of emission_cut"),
    key("cumulative_sales_cut", Kind::Token, "sum of sales_cut"),
    key("cumulative_usd_revenue", Kind::Numeraire, "sum of usd_revenue"),
    key("cumulative_usd_sales", Kind::Numeraire, "sum of usd_sales"),
    key("cumulative_usd_market_buys", Kind::Numeraire, "sum of usd_market_buys"),
    key("cumulative_buyback_usd", Kind::Numeraire, "sum of buyback_usd"),
    key("cumulative_buyback_tokens", Kind::Token, "sum of buyback_tokens"),
    key("deflationary_days", Kind::Count, "steps whose supply fell"),
    key("neutral_days", Kind::Count, "steps whose supply did not change"),
    key("inflationary_days", Kind::Count, "steps whose supply rose"),
    key("periods[].<column>", Kind::Other("as in periods.csv"), "one object per reporting period with the columns of periods.csv (counts as decimal strings)"),
    key("break_even_emissions_per_step.whole_run", Kind::Token, "the emission per step that would have kept the supply flat over the whole run: max(0, cumulative_emitted - net_supply_change) / days, floored"),
    key("break_even_emissions_per_step.last_period", Kind::Token, "the last row's break_even_emissions_trailing (the trailing period_days steps)"),
    key("half_life_days_projected", Kind::Other("steps, a float rounded to 2 decimals, or null"), "initial_supply / (2 x burned_action of step 1): the seed's T = S0 / (2 beta tau A); null without a step-1 burn"),
    key("simulated_half_life_day", Kind::Other("step, or null"), "the first step whose supply is at most half of initial_supply; null if none"),
    key("actions.total", COUNT_TEXT, "sum of actions"),
    key("actions.api", COUNT_TEXT, "sum of api_actions"),
    key("actions.subscription", COUNT_TEXT, "sum of subscription_actions"),
    key("actions.failed", COUNT_TEXT, "sum of failed_actions"),
    key("actions.unfunded_api", COUNT_TEXT, "pay-as-you-go actions unfunded during the run"),
    key("actions.unfunded_subscription", COUNT_TEXT, "numeraire subscribers' actions unfunded during the run"),
    key("unfunded_actions", COUNT_TEXT, "sum of unfunded_actions (= actions.unfunded_api + actions.unfunded_subscription)"),
    key("market_short_days", Kind::Count, "steps on which the demand market could not sell every token demanded"),
    key("token_subscriptions_not_bought", COUNT_TEXT, "token subscriptions not opened because the market could not sell their tokens"),
    key("balances.<account>.<ASSET>", Kind::Asset, "every account's final balance of every asset (named accounts, then the opened ones; LP shares as <pool>.LP)"),
    key("emission_schedules.<schedule>.token", Kind::Other("text"), "the token the economy's emission schedule emits"),
    key("emission_schedules.<schedule>.emitted", Kind::NamedAsset, "what the schedule emitted over the run (minted, or paid from its source account)"),
    key("emission_schedules.<schedule>.stopped_on_step", Kind::Other("step, or null"), "the step whose epoch stopped the schedule; null if it runs on"),
    key("emission_schedules.<schedule>.stopped_because", Kind::Other("text, or null"), "cap, source_ran_out, max_supply or curve_ended; null if it runs on"),
    key("invariants", Kind::Other("text"), "\"ok\", or the ledger invariant that does not hold"),
    key("warnings[]", Kind::Other("text"), "problems worth a reader's attention"),
];
