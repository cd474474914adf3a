//! The golden replay: a bundled scenario's event log, written as the run
//! applies it, replays through the same `apply` to the identical state, in
//! both encodings. This is the promise the metering service relies on: the
//! log is the ledger.

use furnace_config::load_scenario;
use furnace_core::log::{read_log, IdMap, LogFormat, LogHeader, LogWriter};
use furnace_core::{apply, State};
use furnace_sim::simulate_logged;
use std::path::Path;

fn replays_to_the_same_state(scenario_file: &str, format: LogFormat) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(scenario_file);
    let scenario = load_scenario(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
    let economy = &scenario.economy.economy;
    let mut writer = LogWriter::new(Vec::new(), format, &LogHeader::of(economy)).unwrap();
    let result = simulate_logged(&scenario, scenario.seed, &mut |e| writer.write(e))
        .unwrap_or_else(|e| panic!("{e}"));
    let bytes = writer.finish().unwrap();

    let (header, events) = read_log(&bytes).unwrap();
    assert_eq!(header, LogHeader::of(economy));
    let map = IdMap::new(&header, economy).unwrap();
    assert!(map.is_identity());
    let mut state = State::genesis(economy);
    for event in &events {
        apply(economy, &mut state, &map.event(event).unwrap()).unwrap();
    }
    assert_eq!(state.events_applied(), result.state.events_applied());
    assert!(
        state == result.state,
        "{scenario_file}: the replayed state differs"
    );
}

#[test]
fn the_baseline_log_replays_to_the_identical_state() {
    replays_to_the_same_state("lam-baseline.toml", LogFormat::Binary);
    replays_to_the_same_state("lam-baseline.toml", LogFormat::Json);
}

#[test]
fn the_volatile_log_replays_to_the_identical_state() {
    replays_to_the_same_state("lam-volatile.toml", LogFormat::Binary);
}

#[test]
fn the_market_and_sales_logs_replay_to_the_identical_state() {
    // A scenario that changes its economy ([economy_set]) replays under the
    // changed rules: `scenario.economy` is what the run applied.
    replays_to_the_same_state("lam-market.toml", LogFormat::Binary);
    replays_to_the_same_state("ast-report.toml", LogFormat::Json);
}
