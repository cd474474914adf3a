//! `furnace replay ECONOMY FILE [--json]`: apply an event log (written by
//! `furnace run --events`, or by the metering service) again, through the
//! same `apply`, from the economy's genesis, and print the final supply and
//! holdings of every asset. The log's ids are mapped to the economy's by
//! name (see `furnace_core::log`).
//!
//! The rules must be the ones the log was written under: a scenario that
//! changes its economy (`[economy_set]`, `--set economy.…`) wrote its log
//! under the changed rules, so `ECONOMY` may be that scenario file (with
//! the same `--set`s), whose economy is then used.

use crate::{emit, shown, Failure};
use clap::Args;
use furnace_core::engine::decimals_of;
use furnace_core::log::{read_log, IdMap};
use furnace_core::units::format_decimal;
use furnace_core::{apply, Economy, State, ValidEconomy};
use serde_json::{json, Map, Value};
use std::path::PathBuf;

/// Bound on a log file read whole into memory.
const MAX_LOG_BYTES: u64 = 4 << 30;

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Economy file the log was written against (economies/*.toml), or the
    /// scenario that wrote it (its economy, with its `[economy_set]`).
    pub economy: PathBuf,
    /// Event log (binary or JSON lines).
    pub log: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Override a key as the run did (`economy.` keys for a scenario).
    /// Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// Apply a log to a fresh genesis state: the state it leads to, and how
/// many events were applied.
pub fn replay(economy: &ValidEconomy, bytes: &[u8]) -> Result<(State, usize), String> {
    let (header, events) = read_log(bytes).map_err(|e| e.to_string())?;
    let map = IdMap::new(&header, economy).map_err(|e| e.to_string())?;
    let mut state = State::genesis(economy);
    for (i, event) in events.iter().enumerate() {
        let event = map
            .event(event)
            .map_err(|e| format!("event {}: {e}", i + 1))?;
        apply(economy, &mut state, &event).map_err(|r| {
            format!(
                "event {} ({event:?}) was rejected: {r} ({}): the log was written under other rules (if a scenario wrote it, replay it with the scenario file)",
                i + 1,
                r.code()
            )
        })?;
    }
    Ok((state, events.len()))
}

pub fn run(args: &ReplayArgs) -> Result<(), Failure> {
    let overrides = crate::parse_overrides(&args.set)?;
    let loaded = furnace_config::load_any_economy(&args.economy, &overrides)?;
    let size = std::fs::metadata(&args.log)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", shown(&args.log))))?
        .len();
    if size > MAX_LOG_BYTES {
        return Err(Failure::Input(format!(
            "{} is {size} bytes; replay reads logs of at most {MAX_LOG_BYTES}",
            shown(&args.log)
        )));
    }
    let bytes = std::fs::read(&args.log)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", shown(&args.log))))?;
    let (state, n) = replay(&loaded.economy, &bytes)
        .map_err(|e| Failure::Input(format!("{}: {e}", shown(&args.log))))?;
    let report = holdings(&loaded.economy, &state, n);
    if args.json {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&report).expect("JSON values serialise")
        ))?;
    } else {
        emit(&human(&report))?;
    }
    Ok(())
}

/// Every asset's supply, minted, burned, and non-zero holdings by account
/// (and pool), as exact decimal strings.
pub fn holdings(e: &Economy, state: &State, events: usize) -> Value {
    let mut assets = Map::new();
    for asset in state.assets() {
        let d = decimals_of(e, state, asset).unwrap_or(0);
        let t = state.totals(asset);
        let mut holders = Map::new();
        for account in state.accounts() {
            let b = state.balance(asset, account);
            if b > 0 {
                holders.insert(e.account_name(account), Value::String(format_decimal(b, d)));
            }
        }
        for (i, m) in e.markets.iter().enumerate() {
            if let (furnace_core::economy::MarketKind::Pool { assets: pair, .. }, Some(p)) = (
                &m.kind,
                furnace_core::MarketId::from_index(i).and_then(|id| state.pool(id)),
            ) {
                for (a, r) in pair.iter().zip(p.reserves) {
                    if *a == asset && r > 0 {
                        holders.insert(
                            format!("pool {}", m.name),
                            Value::String(format_decimal(r, d)),
                        );
                    }
                }
            }
        }
        assets.insert(
            e.asset_name(asset),
            json!({
                "supply": format_decimal(t.supply, d),
                "minted": format_decimal(t.minted, d),
                "burned": format_decimal(t.burned, d),
                "holders": holders,
            }),
        );
    }
    json!({ "economy": e.name, "events": events, "assets": assets })
}

fn human(v: &Value) -> String {
    let mut out = format!(
        "replayed {} events of `{}`\n",
        v["events"],
        v["economy"].as_str().unwrap_or("")
    );
    if let Some(assets) = v["assets"].as_object() {
        for (name, a) in assets {
            out.push_str(&format!(
                "{name}: supply {} (minted {}, burned {})\n",
                a["supply"].as_str().unwrap_or(""),
                a["minted"].as_str().unwrap_or(""),
                a["burned"].as_str().unwrap_or("")
            ));
            if let Some(h) = a["holders"].as_object() {
                for (holder, amount) in h {
                    out.push_str(&format!(
                        "  {holder:<24} {}\n",
                        amount.as_str().unwrap_or("")
                    ));
                }
            }
        }
    }
    out
}
