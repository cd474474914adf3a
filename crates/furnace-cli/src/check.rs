//! `furnace check FILE`: validate an economy or scenario, explain every
//! problem (file:line:column, key, message), and recompute the claims the
//! economy records from its seed documents.

use crate::{emit, parse_overrides, shown, Failure};
use clap::Args;
use furnace_config::claims::{evaluate, ClaimOutcome, Verdict};
use furnace_config::scenario::apply_overrides;
use furnace_config::{compile_economy, file_kind, load_scenario, FileKind, LoadedEconomy, Source};
use furnace_core::units::{format_decimal, USD_DECIMALS};
use serde_json::json;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Economy (economies/*.toml) or scenario (scenarios/*.toml) file.
    pub file: PathBuf,
    /// Override a key before checking (`key=value`). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Exit with status 1 when a seed claim is contradicted.
    #[arg(long)]
    pub deny_contradictions: bool,
}

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let overrides = parse_overrides(&args.set)?;
    let source = Source::read(&args.file)?;
    let (kind, loaded, scenario_line) = match file_kind(&source) {
        FileKind::Economy => {
            let mut source = source;
            apply_overrides(&mut source, &overrides)?;
            (FileKind::Economy, compile_economy(source)?, None)
        }
        FileKind::Scenario => {
            let s = load_scenario(&args.file, &overrides)?;
            let line = format!(
                "scenario `{}`: {} days of {} (economy {}), seed {}",
                s.name,
                s.days,
                s.economy.economy.version(s.version).name,
                shown(&s.economy_path),
                s.seed
            );
            (FileKind::Scenario, s.economy, Some(line))
        }
    };
    let outcomes = evaluate(&loaded.economy, &loaded.source, &loaded.claims);
    let count = |v: Verdict| outcomes.iter().filter(|o| o.verdict == v).count();
    let (holds, contradicted, invalid) = (
        count(Verdict::Holds),
        count(Verdict::Contradicted),
        count(Verdict::Invalid),
    );
    let mut out = String::new();
    if args.json {
        let claims: Vec<_> = outcomes
            .iter()
            .map(|o| {
                json!({
                    "source": o.source,
                    "line": o.line,
                    "kind": o.kind,
                    "text": o.text,
                    "verdict": match o.verdict {
                        Verdict::Holds => "holds",
                        Verdict::Contradicted => "contradicted",
                        Verdict::Invalid => "invalid",
                    },
                    "detail": o.detail,
                })
            })
            .collect();
        let report = json!({
            "file": shown(&args.file),
            "kind": match kind { FileKind::Economy => "economy", FileKind::Scenario => "scenario" },
            "valid": true,
            "economy": loaded.economy.name,
            "claims": claims,
            "claims_hold": holds,
            "claims_contradicted": contradicted,
            "claims_invalid": invalid,
        });
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&report).expect("JSON")
        );
    } else {
        let _ = writeln!(out, "{}: ok", shown(&args.file));
        if let Some(line) = scenario_line {
            let _ = writeln!(out, "  {line}");
        }
        describe_economy(&mut out, &loaded);
        if !outcomes.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "claims from the seeds: {} checked, {holds} hold, {contradicted} contradicted{}",
                outcomes.len(),
                if invalid > 0 {
                    format!(", {invalid} malformed")
                } else {
                    String::new()
                }
            );
            for o in &outcomes {
                print_outcome(&mut out, o, &loaded);
            }
        }
    }
    emit(&out);
    if invalid > 0 {
        return Err(Failure::Input(format!(
            "{}: {invalid} malformed claim(s); see above",
            shown(&args.file)
        )));
    }
    if contradicted > 0 && args.deny_contradictions {
        return Err(Failure::Runtime(format!(
            "{contradicted} seed claim(s) contradicted (--deny-contradictions)"
        )));
    }
    Ok(())
}

fn print_outcome(out: &mut String, o: &ClaimOutcome, loaded: &LoadedEconomy) {
    let tag = match o.verdict {
        Verdict::Holds => "holds       ",
        Verdict::Contradicted => "CONTRADICTED",
        Verdict::Invalid => "MALFORMED   ",
    };
    let _ = writeln!(
        out,
        "  {tag} {}:{} [seed {}] \"{}\"",
        shown(&loaded.source.path),
        o.line,
        o.source,
        o.text
    );
    let _ = writeln!(out, "               -> {}", o.detail);
}

fn describe_economy(out: &mut String, loaded: &LoadedEconomy) {
    let e = &loaded.economy;
    let _ = writeln!(out, "  economy `{}`: {}", e.name, loaded.description);
    let tokens: Vec<String> = e
        .assets
        .iter()
        .filter(|a| a.name != "USD")
        .map(|a| format!("{} ({} decimals)", a.name, a.decimals))
        .collect();
    let _ = writeln!(out, "  tokens: {}", tokens.join(", "));
    let _ = writeln!(out, "  accounts: {}", e.accounts.len());
    let dest = |d| e.destination_name(d);
    for v in &e.versions {
        let _ = writeln!(
            out,
            "  version {}: ${} per action in {}, split `{}`",
            v.name,
            format_decimal(v.price_usd_micros, USD_DECIMALS),
            e.asset(v.token).name,
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
    for p in &e.plans {
        let _ = writeln!(
            out,
            "  plan {}: ${} per {} days, {} actions of {}",
            p.name,
            format_decimal(p.price_usd_micros, USD_DECIMALS),
            p.period_days,
            p.actions_included,
            e.version(p.version).name
        );
    }
    if let Some(sub) = &e.subscriptions {
        let parts: Vec<String> = sub
            .revenue
            .parts
            .iter()
            .map(|(a, s)| format!("{s} -> {}", e.accounts[a.index()].name))
            .collect();
        let _ = writeln!(
            out,
            "  subscriptions: pay in {} at {} discount (escrow {}); USD revenue {}",
            e.asset(sub.token).name,
            sub.token_discount,
            e.accounts[sub.escrow.index()].name,
            parts.join(", ")
        );
    }
    if let Some(b) = &e.buyback {
        let _ = writeln!(
            out,
            "  buyback: {} spends on {} -> {}",
            e.accounts[b.budget.index()].name,
            e.asset(b.token).name,
            dest(b.destination)
        );
    }
    for (i, a) in e.assets.iter().enumerate() {
        let total: u128 = e
            .genesis
            .iter()
            .filter(|(asset, _, _)| asset.index() == i)
            .map(|(_, _, v)| *v)
            .sum();
        if total > 0 {
            let _ = writeln!(
                out,
                "  genesis supply: {} {}",
                format_decimal(total, a.decimals),
                a.name
            );
        }
    }
}
