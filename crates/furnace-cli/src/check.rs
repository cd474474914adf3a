//! `furnace check FILE`: validate an economy, a scenario or a claims file,
//! explain every problem (file:line:column, key, message), and audit the
//! claims: a claims file's own, or, for an economy, those of every claims
//! file beside it (`../claims/*.toml`) that names it.

use crate::audit::audit_file;
use crate::run::sim_failure;
use crate::{emit, exit, parse_overrides, shown, Failure};
use clap::Args;
use furnace_audit::{render_json, render_table, Outcome, Verdict};
use furnace_config::scenario::apply_overrides;
use furnace_config::{compile_economy, file_kind, load_scenario, FileKind, LoadedEconomy, Source};
use furnace_core::economy::{MarketKind, Oracle};
use furnace_core::engine::decimals_of;
use furnace_core::units::format_decimal;
use furnace_core::{AssetId, State};
use serde_json::json;
use std::fmt::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Economy (economies/*.toml), scenario (scenarios/*.toml) or claims
    /// (claims/*.toml) file.
    pub file: PathBuf,
    /// Override a key before checking (`key=value`). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Exit with status 1 when a claim is contradicted.
    #[arg(long)]
    pub deny_contradictions: bool,
}

/// A claims file is told apart by its `[[claims]]`.
fn is_claims_file(source: &Source) -> bool {
    source
        .text
        .parse::<toml::Table>()
        .is_ok_and(|t| t.get("claims").is_some_and(toml::Value::is_array))
}

/// Claims files in `<economy dir>/../claims/` whose `economy` is `economy`.
fn claims_files_for(economy: &Path) -> Vec<PathBuf> {
    let Some(dir) = economy.parent().map(|d| d.join("../claims")) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let target = std::fs::canonicalize(economy).ok();
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| {
            furnace_audit::claims::load(p).is_ok_and(|f| {
                f.economy_path().and_then(|e| std::fs::canonicalize(e).ok()) == target
            })
        })
        .collect();
    found.sort();
    found
}

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    match check(args) {
        // `--json` readers get JSON either way: the problems, located.
        Err(failure) if args.json && failure.exit_code() == exit::INVALID => {
            let mut errors = failure.problems();
            for e in errors.iter_mut().filter(|e| e.file.is_empty()) {
                e.file = shown(&args.file);
            }
            let report = json!({ "file": shown(&args.file), "valid": false, "errors": errors });
            emit(&format!(
                "{}\n",
                serde_json::to_string_pretty(&report).expect("JSON values serialise")
            ))?;
            Err(failure)
        }
        other => other,
    }
}

fn check(args: &CheckArgs) -> Result<(), Failure> {
    let overrides = parse_overrides(&args.set)?;
    let source = Source::read(&args.file)?;
    let mut out = String::new();
    let mut audits: Vec<(PathBuf, String, Vec<Outcome>)> = Vec::new();
    let mut report = json!({ "file": shown(&args.file), "valid": true });
    if is_claims_file(&source) {
        if !overrides.is_empty() {
            return Err(Failure::Input(format!(
                "{}: --set does not apply to a claims file (its scenario and economy are read as they are)",
                shown(&args.file)
            )));
        }
        let (file, outcomes) = audit_file(&args.file)?;
        report["kind"] = json!("claims");
        let _ = writeln!(out, "{}: ok ({} claims)", shown(&args.file), outcomes.len());
        audits.push((args.file.clone(), file.title, outcomes));
    } else {
        let (kind, loaded, scenario_line) = match file_kind(&source) {
            FileKind::Economy => {
                let mut source = source;
                apply_overrides(&mut source, &overrides)?;
                ("economy", compile_economy(source)?, None)
            }
            FileKind::Scenario => {
                let s = load_scenario(&args.file, &overrides)?;
                // Run it once with its own seed: what the file asks for may
                // only go out of range (or find no market) while running,
                // and `check` promises `run` will not fail on it.
                let result = furnace_sim::simulate(&s).map_err(|e| sim_failure(&args.file, &e))?;
                if let Err(violation) = &result.invariants {
                    return Err(Failure::Internal(format!(
                        "{}: the ledger invariants do not hold after the run: {violation:?} (a bug)",
                        shown(&args.file)
                    )));
                }
                report["ran_days"] = json!(result.rows.len());
                let what = match s.version {
                    Some(v) => s.economy.economy.version(v).name.clone(),
                    None => format!("{} sales", s.economy.economy.asset_name(s.token)),
                };
                let line = format!(
                    "scenario `{}`: {} days of {what} (economy {}), seed {}: ran to the end, ledger invariants hold",
                    s.name,
                    s.days,
                    shown(&s.economy_path),
                    s.seed
                );
                ("scenario", s.economy, Some(line))
            }
        };
        report["kind"] = json!(kind);
        report["economy"] = json!(loaded.economy.name);
        let _ = writeln!(out, "{}: ok", shown(&args.file));
        if let Some(line) = scenario_line {
            let _ = writeln!(out, "  {line}");
        }
        describe_economy(&mut out, &loaded);
        if kind == "economy" && overrides.is_empty() {
            for path in claims_files_for(&args.file) {
                let (file, outcomes) = audit_file(&path)?;
                audits.push((path, file.title, outcomes));
            }
        }
    }
    let mut contradicted = 0;
    let mut claims = Vec::new();
    for (path, title, outcomes) in &audits {
        contradicted += outcomes
            .iter()
            .filter(|o| o.verdict == Verdict::Contradicted)
            .count();
        claims.push(
            json!({ "claims_file": shown(path), "title": title, "claims": render_json(outcomes) }),
        );
        let _ = writeln!(out, "\nclaims of {}:", shown(path));
        out.push_str(&render_table(outcomes, title));
    }
    report["audits"] = json!(claims);
    report["claims_contradicted"] = json!(contradicted);
    if args.json {
        out = format!(
            "{}\n",
            serde_json::to_string_pretty(&report).expect("JSON values serialise")
        );
    }
    emit(&out)?;
    if contradicted > 0 && args.deny_contradictions {
        return Err(Failure::Contradicted(format!(
            "{contradicted} claim(s) contradicted (--deny-contradictions)"
        )));
    }
    Ok(())
}

fn describe_economy(out: &mut String, loaded: &LoadedEconomy) {
    let e = &loaded.economy;
    let state = State::genesis(e);
    let dec = |a: AssetId| decimals_of(e, &state, a).unwrap_or(0);
    let nd = dec(e.numeraire);
    let money = |v: u128| format_decimal(v, nd);
    let _ = writeln!(out, "  economy `{}`: {}", e.name, loaded.description);
    let tokens: Vec<String> = (0..e.assets.len())
        .filter_map(AssetId::declared)
        .filter(|a| *a != e.numeraire)
        .map(|a| {
            let oracle = match e.oracles[a.0 as usize] {
                Oracle::Exogenous => "exogenous price".to_string(),
                Oracle::Spot(m) => format!("priced by pool {}", e.market(m).name),
                Oracle::Twap { market, window } => {
                    format!(
                        "priced by a {window}-step TWAP of pool {}",
                        e.market(market).name
                    )
                }
            };
            format!("{} ({} decimals, {oracle})", e.asset_name(a), dec(a))
        })
        .collect();
    let _ = writeln!(
        out,
        "  numeraire {}; tokens: {}",
        e.asset_name(e.numeraire),
        tokens.join(", ")
    );
    let _ = writeln!(out, "  accounts: {}", e.accounts.len());
    let dest = |d| e.destination_name(d);
    for v in &e.versions {
        let _ = writeln!(
            out,
            "  version {}: {} {} per action in {}, split `{}`",
            v.name,
            money(v.price),
            e.asset_name(e.numeraire),
            e.asset_name(v.token),
            e.split(v.split).name
        );
    }
    for s in &e.splits {
        let legs: Vec<String> = s
            .legs
            .iter()
            .map(|l| format!("{} {} -> {}", l.name, l.share, e.leg_target_name(l.kind)))
            .collect();
        let _ = writeln!(out, "  split {}: {}", s.name, legs.join(", "));
        if !s.creator_epochs.is_empty() {
            let epochs: Vec<String> = s.creator_epochs.iter().map(|p| p.to_string()).collect();
            let _ = writeln!(
                out,
                "    creator epochs 1..{}: {}",
                epochs.len(),
                epochs.join(", ")
            );
        }
        let _ = writeln!(
            out,
            "    creator shortfall -> {}, no marketplace -> {}, dust -> {}",
            dest(s.creator_shortfall_to),
            dest(s.no_marketplace_to),
            dest(s.dust_to)
        );
    }
    for r in &e.rules {
        let parts: Vec<String> = r
            .parts
            .iter()
            .map(|p| format!("{} -> {}", p.share, e.payee_name(p.to)))
            .collect();
        let _ = writeln!(out, "  revenue rule {}: {}", r.name, parts.join(", "));
    }
    for p in &e.plans {
        let _ = writeln!(
            out,
            "  plan {}: {} per {} days, {} actions of {}; in {} at {} off (escrow {}), else revenue rule {}",
            p.name,
            money(p.price),
            p.period_days,
            p.actions_included,
            e.version(p.version).name,
            e.asset_name(p.token),
            p.token_discount,
            e.account_name(p.escrow),
            e.rule(p.revenue).name
        );
    }
    for m in &e.markets {
        match &m.kind {
            MarketKind::Pool {
                assets,
                fee,
                genesis,
                ..
            } => {
                let _ = writeln!(
                    out,
                    "  pool {}: {} {} / {} {}, fee {fee}",
                    m.name,
                    format_decimal(genesis[0], dec(assets[0])),
                    e.asset_name(assets[0]),
                    format_decimal(genesis[1], dec(assets[1])),
                    e.asset_name(assets[1]),
                );
            }
            MarketKind::External { token, account } => {
                let _ = writeln!(
                    out,
                    "  external market {}: {} held by {}, at the oracle price",
                    m.name,
                    e.asset_name(*token),
                    e.account_name(*account)
                );
            }
        }
    }
    for b in &e.buybacks {
        let venues: Vec<String> = b
            .venues
            .iter()
            .map(|v| format!("{} {}", e.market(v.market).name, v.weight))
            .collect();
        let _ = writeln!(
            out,
            "  buyback {}: {} spends {} on {} at {} -> {}",
            b.name,
            e.account_name(b.budget),
            e.asset_name(b.pay),
            e.asset_name(b.token),
            venues.join(", "),
            dest(b.destination)
        );
    }
    for s in &e.sales {
        let _ = writeln!(
            out,
            "  sale {}: {} minted on purchase at {} {}, revenue rule {}",
            s.name,
            e.asset_name(s.token),
            money(s.price),
            e.asset_name(e.numeraire),
            e.rule(s.revenue).name
        );
    }
    for p in &e.reward_pools {
        let weight = match p.weight {
            furnace_core::economy::PoolWeight::Stake { asset } => {
                format!("stake {}", e.asset_name(asset))
            }
            furnace_core::economy::PoolWeight::Points => "points".to_string(),
        };
        let cap = if p.stake_cap.is_some() {
            ", stakes capped"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  reward pool {}: {weight}, pays {}{cap}; empty -> {}",
            p.name,
            e.asset_name(p.reward),
            e.account_name(p.empty_to)
        );
    }
    for s in &e.emissions {
        let channels: Vec<String> = s
            .channels
            .iter()
            .map(|c| format!("{} {} -> {}", c.name, c.share, e.destination_name(c.to)))
            .collect();
        let _ = writeln!(
            out,
            "  emissions {}: {} every {} step(s), {}",
            s.name,
            e.asset_name(s.token),
            s.epoch_steps,
            channels.join(", ")
        );
    }
    for l in &e.launches {
        let _ = writeln!(
            out,
            "  launch {}: a bonding-curve raise in {} open {} step(s)",
            l.name,
            e.asset_name(l.quote),
            l.window_steps
        );
    }
    for r in &e.points {
        let _ = writeln!(
            out,
            "  points {}: weights of reward pool {}; {} epoch(s) of {} step(s), {} badge(s), modes {}, {} bounty tier(s), {} referral tier(s)",
            r.name,
            e.reward_pool(r.pool).name,
            r.epochs.len(),
            r.epoch_steps,
            r.badges.len(),
            r.modes.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join("/"),
            r.bounties.len(),
            r.referrals.len()
        );
    }
    for a in state.assets() {
        let supply = state.supply(a);
        if supply > 0 {
            let _ = writeln!(
                out,
                "  genesis supply: {} {}",
                format_decimal(supply, dec(a)),
                e.asset_name(a)
            );
        }
    }
}
