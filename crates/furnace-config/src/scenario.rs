//! Scenario files (`scenarios/*.toml`): which economy to run, for how long,
//! and the exogenous drivers (token price path, demand, emissions,
//! subscriptions). Parsed into [`Scenario`], which `furnace-sim` runs.

use crate::economy::{compile_economy, parse_toml, LoadedEconomy};
use crate::source::{ConfigError, ConfigErrors, Source};
use crate::values::{amount, float, share, Number};
use furnace_core::economy::{AccountId, LegKind, PlanId, VersionId, MAX_TRAINERS_PER_PATH};
use furnace_core::event::MintReason;
use furnace_core::units::{parse_decimal, Ppm, PRICE_DECIMALS};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Bound on a scenario's horizon: 100 years of days.
pub const MAX_DAYS: u32 = 36_500;

/// The token price, USD per whole token, day by day.
#[derive(Clone, Debug, PartialEq)]
pub enum PricePath {
    /// The same price every day (pico-dollars per token, exact).
    Constant { price_usd_pico: u128 },
    /// `start * (1 + daily_growth)^day`.
    Growth { start_usd: f64, daily_growth: f64 },
    /// Geometric Brownian motion, seeded: daily log-return
    /// `(mu - sigma^2/2)/365 + sigma/sqrt(365) * Z`.
    Gbm {
        start_usd: f64,
        annual_drift: f64,
        annual_volatility: f64,
    },
    /// One price per day; the last repeats.
    Table { usd: Vec<f64> },
}

/// Pay-as-you-go actions per day (before noise).
#[derive(Clone, Debug, PartialEq)]
pub enum DemandPath {
    Constant {
        actions: u64,
    },
    /// `start * (1 + daily_growth)^day`, rounded to whole actions.
    Growth {
        start: u64,
        daily_growth: f64,
    },
    /// One count per day; the last repeats.
    Table {
        actions: Vec<u64>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Demand {
    pub path: DemandPath,
    /// Sigma of a daily log-normal multiplicative noise (0 = deterministic),
    /// mean-corrected so expected demand follows the path.
    pub noise: f64,
    /// Probability that an action runs through a marketplace workflow.
    pub marketplace_share: Ppm,
    /// The Creator Epoch of the marketplace workflows used.
    pub creator_epoch: u32,
}

/// New tokens minted per day (`E_t`), in base units.
#[derive(Clone, Debug, PartialEq)]
pub enum EmissionSchedule {
    None,
    Constant {
        per_day: u128,
    },
    /// `per_day >> floor(day / half_life_days)`: halves every period.
    Halving {
        per_day: u128,
        half_life_days: u32,
    },
    /// `per_day * (end_day - day) / end_day`, zero from `end_day` on.
    LinearDecay {
        per_day: u128,
        end_day: u32,
    },
    /// One amount per day; zero after the table ends.
    Table {
        per_day: Vec<u128>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Emissions {
    pub schedule: EmissionSchedule,
    pub to: AccountId,
    pub reason: MintReason,
}

/// Subscribed agents (each runs its plan's allowance evenly over the period).
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionDrivers {
    pub plan: PlanId,
    /// Agents paying in USD (revenue funds buybacks).
    pub usd_agents: u32,
    /// Agents paying in tokens at the discount (escrowed).
    pub token_agents: u32,
}

/// Trainers who demonstrated the action path that part of the actions use
/// (seed 001: "1,000 users train 'Create EC2 Instance'"). Their quality
/// scores and usage counts are drawn uniformly from 1 to 100 with the run's
/// seed, and the trainer leg is divided pro rata by quality x usage.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainerDrivers {
    /// Trainers on the path (at most `MAX_TRAINERS_PER_PATH`).
    pub trainers: u32,
    /// Share of actions that run through the trained path.
    pub path_share: Ppm,
}

/// Burns besides the consumption split (seed 000's "Burning Flows"): each
/// goes through the engine as an `Event::Burn` with its reason and shows in
/// the burn totals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OtherBurns {
    /// Share of pay-as-you-go actions that fail: their tokens are bought and
    /// burned whole (reason `failed_action`) instead of being split.
    pub failed_action_share: Ppm,
    /// Tokens the market's holders burn each day (reason `voluntary`).
    pub voluntary_per_day: u128,
    /// Tokens burned each day as penalties (reason `penalty`), from
    /// `penalty_from`.
    pub penalty_per_day: u128,
    pub penalty_from: Option<AccountId>,
}

/// A scenario, compiled against its economy.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub economy_path: PathBuf,
    pub economy: LoadedEconomy,
    pub days: u32,
    pub seed: u64,
    /// The version pay-as-you-go actions run on.
    pub version: VersionId,
    pub price: PricePath,
    pub demand: Demand,
    pub emissions: Emissions,
    pub subscriptions: Option<SubscriptionDrivers>,
    pub trainers: Option<TrainerDrivers>,
    pub burns: OtherBurns,
    /// Holders who receive tokens from consumption splits or emissions sell
    /// them back to the market every day (`[holders] sell_back`, default
    /// true). Without it the market's float only shrinks and runs dry.
    pub sell_back: bool,
    pub source: Source,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    economy: Spanned<String>,
    days: Spanned<u32>,
    #[serde(default)]
    seed: u64,
    version: Spanned<String>,
    price: RawPrice,
    demand: RawDemand,
    #[serde(default)]
    emissions: Option<RawEmissions>,
    #[serde(default)]
    subscriptions: Option<RawSubscriptionDrivers>,
    #[serde(default)]
    holders: RawHolders,
    #[serde(default)]
    trainers: Option<RawTrainers>,
    #[serde(default)]
    burns: Option<RawBurns>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBurns {
    failed_action_share: Option<Spanned<Number>>,
    voluntary_per_day: Option<Spanned<Number>>,
    penalty_per_day: Option<Spanned<Number>>,
    penalty_from: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrainers {
    trainers: Spanned<u32>,
    path_share: Spanned<Number>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHolders {
    #[serde(default = "yes")]
    sell_back: bool,
}

impl Default for RawHolders {
    fn default() -> Self {
        RawHolders { sell_back: true }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrice {
    model: Spanned<String>,
    start_usd: Option<Spanned<Number>>,
    daily_growth: Option<Spanned<Number>>,
    annual_drift: Option<Spanned<Number>>,
    annual_volatility: Option<Spanned<Number>>,
    table_usd: Option<Vec<Spanned<Number>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDemand {
    model: Spanned<String>,
    actions_per_day: Option<Spanned<u64>>,
    daily_growth: Option<Spanned<Number>>,
    table: Option<Vec<u64>>,
    noise: Option<Spanned<Number>>,
    marketplace_share: Spanned<Number>,
    #[serde(default = "one")]
    creator_epoch: Spanned<u32>,
}

fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmissions {
    model: Spanned<String>,
    per_day: Option<Spanned<Number>>,
    half_life_days: Option<Spanned<u32>>,
    end_day: Option<Spanned<u32>>,
    table: Option<Vec<Spanned<Number>>>,
    to: Spanned<String>,
    #[serde(default = "training")]
    reason: Spanned<String>,
}

fn training() -> Spanned<String> {
    Spanned::new(0..0, "training_reward".into())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubscriptionDrivers {
    plan: Spanned<String>,
    #[serde(default)]
    usd_agents: u32,
    #[serde(default)]
    token_agents: u32,
}

/// One step of an override key: a table key, or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Parse `splits.action.legs[2].share` into segments.
fn segments(key: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    for part in key.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() {
            return Err(format!("`{key}` has an empty key"));
        }
        out.push(Segment::Key(name.to_string()));
        while !rest.is_empty() {
            let close = rest
                .find(']')
                .ok_or_else(|| format!("`{key}`: unclosed `[`"))?;
            let index = rest[1..close]
                .parse()
                .map_err(|_| format!("`{key}`: `{}` is not an array index", &rest[1..close]))?;
            out.push(Segment::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(format!("`{key}`: unexpected `{rest}`"));
            }
        }
    }
    Ok(out)
}

fn set_in_item(
    item: &mut toml_edit::Item,
    path: &[Segment],
    value: &toml_edit::Value,
) -> Result<(), String> {
    match &path[0] {
        Segment::Key(k) => {
            let table = item
                .as_table_like_mut()
                .ok_or_else(|| format!("cannot set `{k}`: its parent is not a table"))?;
            set_in_table(table, k, &path[1..], value)
        }
        Segment::Index(i) => match item {
            toml_edit::Item::ArrayOfTables(tables) => {
                let len = tables.len();
                let table = tables
                    .get_mut(*i)
                    .ok_or_else(|| format!("index {i} is out of range (length {len})"))?;
                match path.get(1) {
                    Some(Segment::Key(k)) => set_in_table(table, k, &path[2..], value),
                    _ => Err(format!("element {i} is a table: name one of its keys")),
                }
            }
            toml_edit::Item::Value(v) => set_in_value(v, path, value),
            _ => Err(format!("cannot index [{i}]: not an array")),
        },
    }
}

fn set_in_table(
    table: &mut dyn toml_edit::TableLike,
    key: &str,
    rest: &[Segment],
    value: &toml_edit::Value,
) -> Result<(), String> {
    if rest.is_empty() {
        table.insert(key, toml_edit::Item::Value(value.clone()));
        return Ok(());
    }
    if table.get(key).is_none() {
        if matches!(rest[0], Segment::Index(_)) {
            return Err(format!("`{key}` does not exist, so it cannot be indexed"));
        }
        table.insert(key, toml_edit::Item::Table(toml_edit::Table::new()));
    }
    set_in_item(table.get_mut(key).expect("present"), rest, value)
}

fn set_in_value(
    target: &mut toml_edit::Value,
    path: &[Segment],
    value: &toml_edit::Value,
) -> Result<(), String> {
    let slot = match &path[0] {
        Segment::Index(i) => {
            let array = target
                .as_array_mut()
                .ok_or_else(|| format!("cannot index [{i}]: not an array"))?;
            let len = array.len();
            array
                .get_mut(*i)
                .ok_or_else(|| format!("index {i} is out of range (length {len})"))?
        }
        Segment::Key(k) => {
            let table = target
                .as_inline_table_mut()
                .ok_or_else(|| format!("cannot set `{k}`: its parent is not a table"))?;
            if path.len() == 1 {
                table.insert(k, value.clone());
                return Ok(());
            }
            table
                .get_mut(k)
                .ok_or_else(|| format!("`{k}` does not exist"))?
        }
    };
    if path.len() == 1 {
        // Keep the old value's surrounding whitespace.
        let decor = slot.decor().clone();
        *slot = value.clone();
        *slot.decor_mut() = decor;
        Ok(())
    } else {
        set_in_value(slot, &path[1..], value)
    }
}

/// Apply `key=value` overrides to TOML text, keeping its layout (and so its
/// line numbers) for everything untouched. A key is dotted and may index
/// arrays: `splits.action.legs[2].share`. A value that parses as TOML is
/// taken as such (`30`, `0.02`, `"gbm"`, `[1, 2]`); anything else is a
/// string (`gbm`, `28%`).
pub fn apply_overrides(
    source: &mut Source,
    overrides: &[(String, String)],
) -> Result<(), ConfigErrors> {
    if overrides.is_empty() {
        return Ok(());
    }
    let mut doc: toml_edit::DocumentMut =
        source.text.parse().map_err(|e: toml_edit::TomlError| {
            ConfigErrors::one(source.error(e.span(), "", e.message().to_string()))
        })?;
    for (key, value) in overrides {
        let parsed: toml_edit::Value = value
            .parse()
            .unwrap_or_else(|_| toml_edit::Value::from(value.as_str()));
        segments(key)
            .and_then(|path| set_in_item(doc.as_item_mut(), &path, &parsed))
            .map_err(|why| {
                ConfigErrors::one(source.error(None, key, format!("--set {key}={value}: {why}")))
            })?;
    }
    source.text = doc.to_string();
    source.overrides.extend(overrides.iter().cloned());
    Ok(())
}

/// Split `a.b=c` into (`a.b`, `c`).
pub fn parse_override(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("`{text}` is not of the form key=value")),
    }
}

/// `scenarios/../economies/lam.toml` -> `economies/lam.toml`, lexically (no
/// file system access, so relative paths stay relative in messages).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// Read a scenario and its economy. Overrides whose key starts with
/// `economy.` (and has more after it) apply to the economy file; the rest to
/// the scenario.
pub fn load_scenario(
    path: &Path,
    overrides: &[(String, String)],
) -> Result<Scenario, ConfigErrors> {
    let (economy_overrides, scenario_overrides): (Vec<_>, Vec<_>) = overrides
        .iter()
        .cloned()
        .partition(|(k, _)| k.starts_with("economy."));
    let mut source = Source::read(path)?;
    apply_overrides(&mut source, &scenario_overrides)?;
    let raw: RawScenario = parse_toml(&source)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let economy_path = normalize(&base.join(raw.economy.get_ref()));
    let mut economy_source = Source::read(&economy_path).map_err(|mut e| {
        for err in &mut e.0 {
            let (line, col) = source.line_col(raw.economy.span().start);
            *err = ConfigError {
                file: source.path.clone(),
                line: Some(line),
                column: Some(col),
                key: "economy".into(),
                message: format!("{}: {}", economy_path.display(), err.message),
            };
        }
        e
    })?;
    let economy_overrides: Vec<(String, String)> = economy_overrides
        .into_iter()
        .map(|(k, v)| (k["economy.".len()..].to_string(), v))
        .collect();
    apply_overrides(&mut economy_source, &economy_overrides).map_err(|mut e| {
        // Say the key as the user typed it.
        for err in &mut e.0 {
            err.message = err.message.replacen("--set ", "--set economy.", 1);
            err.key = format!("economy.{}", err.key);
        }
        e
    })?;
    let economy = compile_economy(economy_source)?;
    compile_scenario(source, raw, economy_path, economy)
}

fn compile_scenario(
    source: Source,
    raw: RawScenario,
    economy_path: PathBuf,
    economy: LoadedEconomy,
) -> Result<Scenario, ConfigErrors> {
    let mut errors: Vec<ConfigError> = Vec::new();
    let e = &economy.economy;
    let days = *raw.days.get_ref();
    if days == 0 || days > MAX_DAYS {
        errors.push(source.error(
            Some(raw.days.span()),
            "days",
            format!("must be between 1 and {MAX_DAYS}"),
        ));
    }
    let version = match e.version_by_name(raw.version.get_ref()) {
        Some(v) => v,
        None => {
            let known: Vec<&str> = e.versions.iter().map(|v| v.name.as_str()).collect();
            errors.push(source.error(
                Some(raw.version.span()),
                "version",
                format!(
                    "the economy has no version `{}` (versions: {})",
                    raw.version.get_ref(),
                    known.join(", ")
                ),
            ));
            VersionId(0)
        }
    };
    let token_decimals = e
        .versions
        .get(version.index())
        .map_or(18, |v| e.asset(v.token).decimals);

    // Helpers that record an error and return a neutral value so every
    // problem is reported in one pass.
    let need = |errors: &mut Vec<ConfigError>,
                key: &str,
                model: &Spanned<String>,
                value: Option<&Spanned<Number>>|
     -> Option<Spanned<Number>> {
        if value.is_none() {
            errors.push(source.error(
                Some(model.span()),
                key,
                format!("model `{}` needs `{key}`", model.get_ref()),
            ));
        }
        value.cloned()
    };
    let f = |errors: &mut Vec<ConfigError>, key: &str, v: Option<Spanned<Number>>| -> f64 {
        v.map_or(0.0, |v| {
            float(&source, key, &v).unwrap_or_else(|e| {
                errors.push(e);
                0.0
            })
        })
    };

    let p = &raw.price;
    let price = match p.model.get_ref().as_str() {
        "constant" => {
            let start = need(
                &mut errors,
                "price.start_usd",
                &p.model,
                p.start_usd.as_ref(),
            );
            let price_usd_pico = start.map_or(1, |v| {
                let text = v.get_ref().text();
                match parse_decimal(&text, PRICE_DECIMALS) {
                    Ok(0) => {
                        errors.push(source.error(
                            Some(v.span()),
                            "price.start_usd",
                            "the token price must be greater than zero".into(),
                        ));
                        1
                    }
                    Ok(p) => p,
                    Err(err) => {
                        errors.push(source.error(
                            Some(v.span()),
                            "price.start_usd",
                            format!("`{text}` is not a valid price: {err}"),
                        ));
                        1
                    }
                }
            });
            PricePath::Constant { price_usd_pico }
        }
        "growth" => {
            let s = need(
                &mut errors,
                "price.start_usd",
                &p.model,
                p.start_usd.as_ref(),
            );
            let g = need(
                &mut errors,
                "price.daily_growth",
                &p.model,
                p.daily_growth.as_ref(),
            );
            PricePath::Growth {
                start_usd: f(&mut errors, "price.start_usd", s),
                daily_growth: f(&mut errors, "price.daily_growth", g),
            }
        }
        "gbm" => {
            let s = need(
                &mut errors,
                "price.start_usd",
                &p.model,
                p.start_usd.as_ref(),
            );
            let v = need(
                &mut errors,
                "price.annual_volatility",
                &p.model,
                p.annual_volatility.as_ref(),
            );
            PricePath::Gbm {
                start_usd: f(&mut errors, "price.start_usd", s),
                annual_drift: f(&mut errors, "price.annual_drift", p.annual_drift.clone()),
                annual_volatility: f(&mut errors, "price.annual_volatility", v),
            }
        }
        "table" => {
            let table = p.table_usd.clone().unwrap_or_default();
            if table.is_empty() {
                errors.push(source.error(
                    Some(p.model.span()),
                    "price.table_usd",
                    "model `table` needs a non-empty `table_usd`".into(),
                ));
            }
            PricePath::Table {
                usd: table
                    .into_iter()
                    .map(|v| f(&mut errors, "price.table_usd", Some(v)))
                    .collect(),
            }
        }
        other => {
            errors.push(source.error(
                Some(p.model.span()),
                "price.model",
                format!("unknown price model `{other}` (constant, growth, gbm, table)"),
            ));
            PricePath::Constant { price_usd_pico: 1 }
        }
    };
    let start_positive = match &price {
        PricePath::Growth { start_usd, .. } | PricePath::Gbm { start_usd, .. } => *start_usd > 0.0,
        PricePath::Table { usd } => usd.iter().all(|p| *p > 0.0),
        PricePath::Constant { .. } => true,
    };
    if !start_positive {
        errors.push(source.error(
            Some(p.model.span()),
            "price",
            "token prices must be greater than zero".into(),
        ));
    }

    let d = &raw.demand;
    let path = match d.model.get_ref().as_str() {
        "constant" | "growth" => {
            let actions = match &d.actions_per_day {
                Some(a) => *a.get_ref(),
                None => {
                    errors.push(source.error(
                        Some(d.model.span()),
                        "demand.actions_per_day",
                        format!("model `{}` needs `actions_per_day`", d.model.get_ref()),
                    ));
                    0
                }
            };
            if d.model.get_ref() == "constant" {
                DemandPath::Constant { actions }
            } else {
                let g = need(
                    &mut errors,
                    "demand.daily_growth",
                    &d.model,
                    d.daily_growth.as_ref(),
                );
                DemandPath::Growth {
                    start: actions,
                    daily_growth: f(&mut errors, "demand.daily_growth", g),
                }
            }
        }
        "table" => {
            let actions = d.table.clone().unwrap_or_default();
            if actions.is_empty() {
                errors.push(source.error(
                    Some(d.model.span()),
                    "demand.table",
                    "model `table` needs a non-empty `table`".into(),
                ));
            }
            DemandPath::Table { actions }
        }
        other => {
            errors.push(source.error(
                Some(d.model.span()),
                "demand.model",
                format!("unknown demand model `{other}` (constant, growth, table)"),
            ));
            DemandPath::Constant { actions: 0 }
        }
    };
    let marketplace_share = share(&source, "demand.marketplace_share", &d.marketplace_share)
        .unwrap_or_else(|e| {
            errors.push(e);
            Ppm::ZERO
        });
    if *d.creator_epoch.get_ref() == 0 {
        errors.push(source.error(
            Some(d.creator_epoch.span()),
            "demand.creator_epoch",
            "Creator Epochs start at 1".into(),
        ));
    }
    let demand = Demand {
        path,
        noise: f(&mut errors, "demand.noise", d.noise.clone()),
        marketplace_share,
        creator_epoch: *d.creator_epoch.get_ref(),
    };

    let emissions = match &raw.emissions {
        None => Emissions {
            schedule: EmissionSchedule::None,
            to: AccountId(0),
            reason: MintReason::TrainingReward,
        },
        Some(em) => {
            let to = match e.account_by_name(em.to.get_ref()) {
                Some(a) => a,
                None => {
                    errors.push(source.error(
                        Some(em.to.span()),
                        "emissions.to",
                        format!("the economy has no account `{}`", em.to.get_ref()),
                    ));
                    AccountId(0)
                }
            };
            let reason = match MintReason::parse(em.reason.get_ref()) {
                Some(r) if r.is_emission() => r,
                _ => {
                    errors.push(source.error(
                        Some(em.reason.span()),
                        "emissions.reason",
                        format!(
                            "`{}` is not an emission reason (training_reward, grant, referral, staking)",
                            em.reason.get_ref()
                        ),
                    ));
                    MintReason::TrainingReward
                }
            };
            let tokens =
                |errors: &mut Vec<ConfigError>, key: &str, v: &Option<Spanned<Number>>| match v {
                    Some(v) => amount(&source, key, v, token_decimals).unwrap_or_else(|e| {
                        errors.push(e);
                        0
                    }),
                    None => {
                        errors.push(source.error(
                            Some(em.model.span()),
                            key,
                            format!("model `{}` needs `{key}`", em.model.get_ref()),
                        ));
                        0
                    }
                };
            let schedule = match em.model.get_ref().as_str() {
                "none" => EmissionSchedule::None,
                "constant" => EmissionSchedule::Constant {
                    per_day: tokens(&mut errors, "emissions.per_day", &em.per_day),
                },
                "halving" => {
                    let per_day = tokens(&mut errors, "emissions.per_day", &em.per_day);
                    let half_life_days = em.half_life_days.as_ref().map_or(0, |h| *h.get_ref());
                    if half_life_days == 0 {
                        errors.push(source.error(
                            Some(em.model.span()),
                            "emissions.half_life_days",
                            "model `halving` needs `half_life_days` > 0".into(),
                        ));
                    }
                    EmissionSchedule::Halving {
                        per_day,
                        half_life_days: half_life_days.max(1),
                    }
                }
                "linear_decay" => {
                    let per_day = tokens(&mut errors, "emissions.per_day", &em.per_day);
                    let end_day = em.end_day.as_ref().map_or(0, |h| *h.get_ref());
                    if end_day == 0 {
                        errors.push(source.error(
                            Some(em.model.span()),
                            "emissions.end_day",
                            "model `linear_decay` needs `end_day` > 0".into(),
                        ));
                    }
                    EmissionSchedule::LinearDecay {
                        per_day,
                        end_day: end_day.max(1),
                    }
                }
                "table" => EmissionSchedule::Table {
                    per_day: em
                        .table
                        .clone()
                        .unwrap_or_default()
                        .iter()
                        .map(|v| tokens(&mut errors, "emissions.table", &Some(v.clone())))
                        .collect(),
                },
                other => {
                    errors.push(source.error(
                        Some(em.model.span()),
                        "emissions.model",
                        format!(
                            "unknown emission model `{other}` (none, constant, halving, linear_decay, table)"
                        ),
                    ));
                    EmissionSchedule::None
                }
            };
            Emissions {
                schedule,
                to,
                reason,
            }
        }
    };

    let subscriptions = raw.subscriptions.as_ref().and_then(|s| {
        if e.subscriptions.is_none() {
            errors.push(source.error(
                Some(s.plan.span()),
                "subscriptions",
                "the economy has no [subscriptions] section".into(),
            ));
            return None;
        }
        match e.plan_by_name(s.plan.get_ref()) {
            Some(plan) => Some(SubscriptionDrivers {
                plan,
                usd_agents: s.usd_agents,
                token_agents: s.token_agents,
            }),
            None => {
                errors.push(source.error(
                    Some(s.plan.span()),
                    "subscriptions.plan",
                    format!("the economy has no plan `{}`", s.plan.get_ref()),
                ));
                None
            }
        }
    });

    let trainers = raw.trainers.as_ref().map(|t| {
        let n = *t.trainers.get_ref();
        if n == 0 || n as usize > MAX_TRAINERS_PER_PATH {
            errors.push(source.error(
                Some(t.trainers.span()),
                "trainers.trainers",
                format!("must be between 1 and {MAX_TRAINERS_PER_PATH}"),
            ));
        }
        let has_leg = e.versions.get(version.index()).is_some_and(|v| {
            e.split(v.split)
                .legs
                .iter()
                .any(|l| l.kind == LegKind::Trainers)
        });
        if !has_leg {
            errors.push(source.error(
                Some(t.trainers.span()),
                "trainers",
                format!(
                    "version `{}`'s split has no trainers leg to pay them from",
                    raw.version.get_ref()
                ),
            ));
        }
        let path_share = share(&source, "trainers.path_share", &t.path_share).unwrap_or_else(|e| {
            errors.push(e);
            Ppm::ZERO
        });
        TrainerDrivers {
            trainers: n,
            path_share,
        }
    });

    let mut burns = OtherBurns::default();
    if let Some(b) = &raw.burns {
        if let Some(v) = &b.failed_action_share {
            burns.failed_action_share = share(&source, "burns.failed_action_share", v)
                .unwrap_or_else(|e| {
                    errors.push(e);
                    Ppm::ZERO
                });
        }
        let mut tokens = |key: &str, v: &Option<Spanned<Number>>| {
            v.as_ref().map_or(0, |v| {
                amount(&source, key, v, token_decimals).unwrap_or_else(|e| {
                    errors.push(e);
                    0
                })
            })
        };
        burns.voluntary_per_day = tokens("burns.voluntary_per_day", &b.voluntary_per_day);
        burns.penalty_per_day = tokens("burns.penalty_per_day", &b.penalty_per_day);
        burns.penalty_from = match &b.penalty_from {
            Some(name) => match e.account_by_name(name.get_ref()) {
                Some(a) => Some(a),
                None => {
                    errors.push(source.error(
                        Some(name.span()),
                        "burns.penalty_from",
                        format!("the economy has no account `{}`", name.get_ref()),
                    ));
                    None
                }
            },
            None => None,
        };
        if burns.penalty_per_day > 0 && burns.penalty_from.is_none() && b.penalty_from.is_none() {
            errors.push(source.error(
                b.penalty_per_day.as_ref().map(|v| v.span()),
                "burns.penalty_from",
                "penalty burns need `penalty_from`, the account they are taken from".into(),
            ));
        }
    }

    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
    }
    Ok(Scenario {
        name: raw.name.get_ref().clone(),
        description: raw.description,
        economy_path,
        economy,
        days,
        seed: raw.seed,
        version,
        price,
        demand,
        emissions,
        subscriptions,
        trainers,
        burns,
        sell_back: raw.holders.sell_back,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, key: &str, value: &str) -> Result<String, String> {
        let mut source = Source::from_text("t.toml", text);
        apply_overrides(&mut source, &[(key.into(), value.into())])
            .map(|()| source.text)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn overrides_reach_tables_arrays_and_inline_tables() {
        let text = "a = 1\n[t]\nlegs = [\n  { name = \"x\", share = \"1%\" },\n  { name = \"y\", share = \"2%\" },\n]\n";
        let out = set(text, "t.legs[1].share", "5%").unwrap();
        assert!(out.contains("{ name = \"y\", share = \"5%\" }"), "{out}");
        assert_eq!(out.lines().count(), text.lines().count(), "layout kept");
        assert!(set(text, "a", "2").unwrap().starts_with("a = 2\n"));
        let out = set(text, "new.deep.key", "gbm").unwrap();
        assert!(out.contains("[new.deep]\nkey = \"gbm\""), "{out}");
        let out = set("xs = [1, 2, 3]\n", "xs[2]", "9").unwrap();
        assert_eq!(out, "xs = [1, 2, 9]\n");
        let out = set("[[p]]\nn = 1\n[[p]]\nn = 2\n", "p[1].n", "7").unwrap();
        assert!(out.ends_with("n = 7\n"), "{out}");
    }

    #[test]
    fn economy_paths_are_normalized_lexically() {
        let n = |p: &str| normalize(Path::new(p)).display().to_string();
        assert_eq!(n("scenarios/../economies/lam.toml"), "economies/lam.toml");
        assert_eq!(n("./a/./b/../c.toml"), "a/c.toml");
        assert_eq!(n("../x/../../y.toml"), "../../y.toml");
        assert_eq!(n("/abs/s/../e.toml"), "/abs/e.toml");
    }

    #[test]
    fn bad_override_keys_say_why() {
        let text = "[t]\nlegs = [{ name = \"x\" }]\n";
        let e = set(text, "t.legs[3].name", "z").unwrap_err();
        assert!(e.contains("index 3 is out of range (length 1)"), "{e}");
        let e = set(text, "t.legs[x]", "z").unwrap_err();
        assert!(e.contains("`x` is not an array index"), "{e}");
        let e = set(text, "t.nothing[0]", "z").unwrap_err();
        assert!(e.contains("does not exist"), "{e}");
        let e = set(text, "t.legs[0", "z").unwrap_err();
        assert!(e.contains("unclosed"), "{e}");
    }
}
