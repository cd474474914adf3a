//! `furnace audit CLAIMS [--json] [--deny-contradictions]`: check a
//! document's figures against its own stated assumptions (see
//! `furnace-audit`). This module is the audit's [`Host`]: the series of the
//! claims file's scenario, simulated by `furnace-sim`, and the economy's
//! functions, computed by `furnace_core::quote` (the numbers `apply`
//! settles).

use crate::{emit, shown, Failure, Problem};
use clap::Args;
use furnace_audit::{audit, render_json, render_table, Host, Rational, Value, Verdict};
use furnace_core::engine::{decimals_of, Price, Role};
use furnace_core::quote::{quote_actions, quote_plan};
use furnace_core::units::{pow10, PPM_ONE, PRICE_DECIMALS};
use furnace_core::{State, ValidEconomy};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Claims file (claims/*.toml).
    pub claims: PathBuf,
    /// Print JSON: one object per claim.
    #[arg(long)]
    pub json: bool,
    /// Exit with status 1 if any claim is contradicted.
    #[arg(long)]
    pub deny_contradictions: bool,
}

/// The audit's view of an economy and a simulated run.
pub struct EngineHost {
    /// The economy and its genesis state (what decimals are read against),
    /// built once at load.
    economy: Option<(ValidEconomy, State)>,
    series: BTreeMap<String, Vec<Rational>>,
}

impl EngineHost {
    /// Load what a claims file names: its economy (for engine functions)
    /// and its scenario (simulated once, for series). The scenario's
    /// economy serves the functions when the file names no economy.
    pub fn load(file: &furnace_audit::ClaimsFile) -> Result<EngineHost, Failure> {
        let mut host = EngineHost {
            economy: None,
            series: BTreeMap::new(),
        };
        if let Some(path) = file.scenario_path() {
            let scenario = furnace_config::load_scenario(&path, &[])?;
            let result =
                furnace_sim::simulate(&scenario).map_err(|e| crate::run::sim_failure(&path, &e))?;
            host.series = series_of_csv(&result.csv_string_full());
            host.economy = Some(with_genesis(scenario.economy.economy.clone()));
        }
        if let Some(path) = file.economy_path() {
            host.economy = Some(with_genesis(furnace_config::load_economy(&path)?.economy));
        }
        Ok(host)
    }

    fn economy(&self) -> Result<(&ValidEconomy, &State), String> {
        self.economy
            .as_ref()
            .map(|(e, s)| (e, s))
            .ok_or_else(|| "the claims file names no economy".to_string())
    }
}

fn with_genesis(economy: ValidEconomy) -> (ValidEconomy, State) {
    let state = State::genesis(&economy);
    (economy, state)
}

/// Every column of a timeseries CSV whose values are all exact decimals
/// (others, such as `regime`, are words) as a series.
pub fn series_of_csv(csv: &str) -> BTreeMap<String, Vec<Rational>> {
    let mut lines = csv.lines();
    let Some(header) = lines.next() else {
        return BTreeMap::new();
    };
    let names: Vec<&str> = header.split(',').collect();
    let mut columns: Vec<Option<Vec<Rational>>> = vec![Some(Vec::new()); names.len()];
    for line in lines {
        for (column, cell) in columns.iter_mut().zip(line.split(',')) {
            if let Some(values) = column {
                match Rational::parse_decimal(cell) {
                    Ok(v) => values.push(v),
                    Err(_) => *column = None,
                }
            }
        }
    }
    names
        .into_iter()
        .zip(columns)
        .filter_map(|(n, c)| c.map(|c| (n.to_string(), c)))
        .collect()
}

fn text(args: &[Value], i: usize, what: &str) -> Result<String, String> {
    match args.get(i) {
        Some(Value::Str(s)) => Ok(s.clone()),
        Some(v) => Err(format!(
            "argument {} ({what}) must be a string, not {}",
            i + 1,
            v.describe()
        )),
        None => Err(format!("argument {} ({what}) is missing", i + 1)),
    }
}

fn number(args: &[Value], i: usize, what: &str) -> Result<Rational, String> {
    match args.get(i) {
        Some(Value::Number(n)) => Ok(*n),
        Some(v) => Err(format!(
            "argument {} ({what}) must be a number, not {}",
            i + 1,
            v.describe()
        )),
        None => Err(format!("argument {} ({what}) is missing", i + 1)),
    }
}

/// `value * 10^decimals` as an exact non-negative integer.
fn units(value: Rational, decimals: u8, what: &str) -> Result<u128, String> {
    let scaled = value
        .checked_mul(
            Rational::new(i128::try_from(pow10(decimals)).map_err(|_| "overflow")?, 1)
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| format!("{what}: {e}"))?;
    if !scaled.is_integer() || scaled.is_negative() {
        return Err(format!(
            "{what} `{value}` is not a whole number of units at {decimals} decimals"
        ));
    }
    u128::try_from(scaled.numer()).map_err(|_| format!("{what} is negative"))
}

/// `units / 10^decimals` exactly.
fn whole(units: u128, decimals: u8) -> Result<Value, String> {
    let num =
        i128::try_from(units).map_err(|_| "a result overflows the audit's numbers".to_string())?;
    let den = i128::try_from(pow10(decimals)).map_err(|_| "overflow".to_string())?;
    Rational::new(num, den)
        .map(Value::Number)
        .map_err(|e| e.to_string())
}

impl EngineHost {
    fn price(&self, token: furnace_core::AssetId, usd: Rational) -> Result<Price, String> {
        let (e, state) = self.economy()?;
        let pico = units(usd, PRICE_DECIMALS, "token price")?;
        if pico == 0 {
            return Err("the token price must be greater than zero".into());
        }
        let nd = decimals_of(e, state, e.numeraire).map_err(|r| r.to_string())?;
        let td = decimals_of(e, state, token).map_err(|r| r.to_string())?;
        Ok(Price::from_pico(pico, nd, td))
    }

    fn function(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let (e, state) = self.economy()?;
        let dec = |a| decimals_of(e, state, a).map_err(|r| r.to_string());
        let version = |i: usize| -> Result<furnace_core::VersionId, String> {
            let v = text(args, i, "version")?;
            e.version_by_name(&v)
                .ok_or_else(|| format!("no version `{v}` in {}", e.name))
        };
        let plan = |i: usize| -> Result<furnace_core::PlanId, String> {
            let p = text(args, i, "plan")?;
            e.plan_by_name(&p)
                .ok_or_else(|| format!("no plan `{p}` in {}", e.name))
        };
        let engine = |r: furnace_core::Rejection| r.to_string();
        match name {
            "version_price" => {
                let v = e.version(version(0)?);
                whole(v.price, dec(e.numeraire)?)
            }
            "tokens_per_action" => {
                let v = e.version(version(0)?);
                let price = self.price(v.token, number(args, 1, "token price")?)?;
                let q = quote_actions(e, version(0)?, price, 1, None).map_err(engine)?;
                whole(q.tokens_per_action, dec(v.token)?)
            }
            "split" => {
                let id = version(0)?;
                let v = e.version(id);
                let d = dec(v.token)?;
                let tokens = units(number(args, 1, "tokens")?, d, "tokens")?;
                let part = text(args, 2, "part")?;
                let epoch = number(args, 3, "creator epoch")?;
                let epoch = u32::try_from(units(epoch, 0, "creator epoch")?)
                    .map_err(|_| "epoch too large")?;
                let the_split = e.split(v.split);
                let receipt = furnace_core::engine::split(
                    the_split,
                    tokens,
                    (epoch > 0).then_some((furnace_core::quote::QUOTE_CREATOR, epoch)),
                    None,
                )
                .map_err(engine)?;
                let amount = match part.as_str() {
                    "burn" => receipt.burned(),
                    "creator" => receipt.amount_of(Role::CreatorPaid),
                    leg => match the_split.leg_named(leg) {
                        Some((i, _)) => receipt.leg_amounts[i],
                        None => {
                            let legs: Vec<&str> =
                                the_split.legs.iter().map(|l| l.name.as_str()).collect();
                            return Err(format!(
                                "no part `{leg}` (burn, creator, or a leg: {})",
                                legs.join(", ")
                            ));
                        }
                    },
                };
                whole(amount, d)
            }
            "subscription_tokens" | "plan_funded_actions" => {
                let id = plan(0)?;
                let p = e.plan(id);
                let price = self.price(p.token, number(args, 1, "token price")?)?;
                let q = quote_plan(e, id, price).map_err(engine)?;
                if name == "subscription_tokens" {
                    whole(q.tokens, dec(p.token)?)
                } else {
                    whole(q.buybacks.iter().map(|b| b.actions_funded).sum(), 0)
                }
            }
            "plan_actions" => whole(u128::from(e.plan(plan(0)?).actions_included), 0),
            "leg_share" => {
                let s = text(args, 0, "split")?;
                let leg = text(args, 1, "leg")?;
                let sp = e
                    .splits
                    .iter()
                    .find(|x| x.name == s)
                    .ok_or_else(|| format!("no split `{s}` in {}", e.name))?;
                let (_, l) = sp
                    .leg_named(&leg)
                    .ok_or_else(|| format!("no leg `{leg}` in split `{s}`"))?;
                Rational::new(i128::from(l.share.0), i128::from(PPM_ONE))
                    .map(Value::Number)
                    .map_err(|e| e.to_string())
            }
            other => Err(format!("no function `{other}`")),
        }
    }
}

const FUNCTIONS: &[&str] = &[
    "version_price",
    "tokens_per_action",
    "split",
    "subscription_tokens",
    "plan_funded_actions",
    "plan_actions",
    "leg_share",
];

impl Host for EngineHost {
    fn series(&self, name: &str) -> Option<&[Rational]> {
        self.series.get(name).map(Vec::as_slice)
    }

    fn series_names(&self) -> Vec<String> {
        self.series.keys().cloned().collect()
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        FUNCTIONS.contains(&name).then(|| self.function(name, args))
    }
}

/// Load a claims file and its host, and audit it.
pub fn audit_file(
    path: &Path,
) -> Result<(furnace_audit::ClaimsFile, Vec<furnace_audit::Outcome>), Failure> {
    let file = furnace_audit::claims::load(path)?;
    let host = EngineHost::load(&file)?;
    let problems = furnace_audit::validate(&file, &host);
    if !problems.is_empty() {
        return Err(Failure::Invalid(
            problems.iter().map(Problem::from).collect(),
        ));
    }
    let outcomes = audit(&file, &host);
    Ok((file, outcomes))
}

pub fn run(args: &AuditArgs) -> Result<(), Failure> {
    let (file, outcomes) = audit_file(&args.claims)?;
    if args.json {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&render_json(&outcomes)).expect("JSON values serialise")
        ))?;
    } else {
        emit(&render_table(&outcomes, &file.title))?;
    }
    let contradicted = outcomes
        .iter()
        .filter(|o| o.verdict == Verdict::Contradicted)
        .count();
    if args.deny_contradictions && contradicted > 0 {
        return Err(Failure::Contradicted(format!(
            "{contradicted} claims of {} are contradicted",
            shown(&args.claims)
        )));
    }
    Ok(())
}
