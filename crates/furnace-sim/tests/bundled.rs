//! Every bundled economy and scenario stays valid: each economy compiles;
//! each scenario loads and runs its whole
//! horizon with the ledger invariants intact. Data-driven: a file added to
//! `economies/` or `scenarios/` is tested without touching this file.

use furnace_config::{load_economy, load_scenario};
use furnace_sim::simulate;
use std::path::{Path, PathBuf};

fn toml_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .toml files in {}", dir.display());
    files
}

#[test]
fn every_bundled_economy_compiles() {
    for path in toml_files("economies") {
        load_economy(&path).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn every_bundled_scenario_runs_with_the_ledger_intact() {
    for path in toml_files("scenarios") {
        let scenario = load_scenario(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
        let result = simulate(&scenario).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            result.rows.len(),
            scenario.days as usize,
            "{}",
            path.display()
        );
        assert!(
            result.invariants.is_ok(),
            "{}: {:?}",
            path.display(),
            result.invariants
        );
        let last = result.rows.last().unwrap();
        assert_eq!(
            last.supply,
            result.state.supply(result.info.token),
            "{}: the last row's supply is the ledger's",
            path.display()
        );
    }
}
