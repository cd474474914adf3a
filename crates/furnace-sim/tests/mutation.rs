//! Mutation test: randomly damaged copies of the bundled economy and
//! scenario files, and random `--set` overrides with hostile values. For
//! every mutant: loading never panics; a mutant that loads (what `furnace
//! check` accepts) simulates without panic and without an internal error
//! (an input out of range is allowed, and is the input's fault); a run that
//! finishes conserves every asset step by step, and its reports render.
//!
//! Bounded for CI: `FURNACE_MUTATIONS` cases (default 240) of at most
//! `MAX_DAYS` days each. A longer hunt, as documented in the README:
//!
//! ```sh
//! FURNACE_MUTATIONS=20000 cargo test --release -p furnace-sim --test mutation
//! ```
//!
//! A failing case prints its number, the mutation and the mutant text;
//! `FURNACE_MUTATION_CASE=N` replays just that case.

use furnace_config::load_scenario;
use furnace_sim::{simulate, SimErrorKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Days simulated per mutant: enough for a subscription period (30) to
/// renew, short enough for hundreds of cases in a debug build.
const MAX_DAYS: u32 = 35;

/// (scenario file, its economy file), as bundled.
const PAIRS: &[(&str, &str)] = &[
    ("lam-baseline.toml", "lam.toml"),
    ("lam-market.toml", "lam.toml"),
    ("lam-volatile.toml", "lam.toml"),
    ("ast-report.toml", "ast.toml"),
];

/// Values that have broken parsers and ledgers before: signs, limits of
/// every integer width, percentages out of range, wrong types, floats that
/// are not numbers.
const HOSTILE: &[&str] = &[
    "0",
    "-1",
    "1",
    "\"0\"",
    "\"-1\"",
    "255",
    "256",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "18446744073709551615",
    "340282366920938463463374607431768211455",
    "\"340282366920938463463374607431768211456\"",
    "1e308",
    "1e400",
    "-1e-300",
    "nan",
    "inf",
    "0.000000000000000000001",
    "\"0%\"",
    "\"100%\"",
    "\"100.0001%\"",
    "\"-5%\"",
    "\"10000%\"",
    "\"abc\"",
    "\"\"",
    "[]",
    "[1, 2]",
    "{}",
    "true",
    "\"1_000_000_000_000_000_000_000\"",
    "\"gbm\"",
    "\"growth\"",
    "\"table\"",
    "\"burn\"",
    "\"market\"",
    "\"USD\"",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `key = value` lines: the byte offset where the value starts.
fn value_start(line: &str) -> Option<usize> {
    let t = line.trim_start();
    if t.starts_with('#') || t.starts_with('[') {
        return None;
    }
    line.find('=').map(|i| i + 1)
}

/// One random edit of `text`, and its description.
fn mutate(text: &str, rng: &mut ChaCha8Rng) -> (String, String) {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len();
    let i = rng.gen_range(0..n);
    let what = match rng.gen_range(0..7) {
        0 => {
            let gone = lines.remove(i);
            format!("deleted line {}: {gone}", i + 1)
        }
        1 => {
            let copy = lines[i].clone();
            lines.insert(i, copy);
            format!("duplicated line {}", i + 1)
        }
        2 | 3 => {
            // Replace a value (the most fruitful edit: twice as likely).
            let Some(at) = (0..n)
                .map(|k| (i + k) % n)
                .find(|&k| value_start(&lines[k]).is_some())
            else {
                return (text.to_string(), "unchanged".into());
            };
            let v = HOSTILE[rng.gen_range(0..HOSTILE.len())];
            let start = value_start(&lines[at]).unwrap();
            lines[at] = format!("{} {v}", &lines[at][..start]);
            format!("line {}: {}", at + 1, lines[at])
        }
        4 => {
            let Some(at) = (0..n)
                .map(|k| (i + k) % n)
                .find(|&k| value_start(&lines[k]).is_some())
            else {
                return (text.to_string(), "unchanged".into());
            };
            lines[at] = format!("x{}", lines[at].trim_start());
            format!("renamed a key on line {}", at + 1)
        }
        5 => {
            let j = rng.gen_range(0..n);
            lines.swap(i, j);
            format!("swapped lines {} and {}", i + 1, j + 1)
        }
        _ => {
            // Truncate at a random character boundary.
            let cut = rng.gen_range(0..text.len());
            let cut = (0..=cut)
                .rev()
                .find(|&c| text.is_char_boundary(c))
                .unwrap_or(0);
            return (text[..cut].to_string(), format!("truncated at byte {cut}"));
        }
    };
    let mut out = lines.join("\n");
    out.push('\n');
    (out, what)
}

/// Every `a.b.c` key of a TOML document (tables and arrays of tables
/// walked), for random `--set`s.
fn keys(value: &toml::Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(key.clone());
                keys(v, &key, out);
            }
        }
        toml::Value::Array(a) => {
            for (i, v) in a.iter().enumerate().take(3) {
                keys(v, &format!("{prefix}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// One mutant: files written under `dir`, overrides to apply.
struct Mutant {
    scenario: PathBuf,
    overrides: Vec<(String, String)>,
    what: String,
    text: String,
}

fn make(case: u64, dir: &Path) -> Mutant {
    let mut rng = ChaCha8Rng::seed_from_u64(case);
    let (scenario_name, economy_name) = PAIRS[rng.gen_range(0..PAIRS.len())];
    let scenario_text =
        std::fs::read_to_string(repo().join("scenarios").join(scenario_name)).unwrap();
    let economy_text =
        std::fs::read_to_string(repo().join("economies").join(economy_name)).unwrap();
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    std::fs::create_dir_all(dir.join("economies")).unwrap();
    let (mut scenario, mut economy) = (scenario_text.clone(), economy_text.clone());
    let mut overrides = Vec::new();
    let (what, text) = match rng.gen_range(0..3) {
        0 => {
            let (t, w) = mutate(&scenario_text, &mut rng);
            scenario = t.clone();
            (format!("{scenario_name}: {w}"), t)
        }
        1 => {
            let (t, w) = mutate(&economy_text, &mut rng);
            economy = t.clone();
            (format!("{economy_name}: {w}"), t)
        }
        _ => {
            // One or two `--set`s on keys the files have, scenario or economy.
            let mut all = Vec::new();
            keys(&scenario_text.parse::<toml::Value>().unwrap(), "", &mut all);
            let mut econ = Vec::new();
            keys(&economy_text.parse::<toml::Value>().unwrap(), "", &mut econ);
            all.extend(econ.into_iter().map(|k| format!("economy.{k}")));
            for _ in 0..rng.gen_range(1..=2) {
                let k = all[rng.gen_range(0..all.len())].clone();
                let v = HOSTILE[rng.gen_range(0..HOSTILE.len())]
                    .trim_matches('"')
                    .to_string();
                overrides.push((k, v));
            }
            (
                format!("{scenario_name}: --set {overrides:?}"),
                String::new(),
            )
        }
    };
    let scenario_path = dir.join("scenarios").join(scenario_name);
    std::fs::write(&scenario_path, scenario).unwrap();
    std::fs::write(dir.join("economies").join(economy_name), economy).unwrap();
    Mutant {
        scenario: scenario_path,
        overrides,
        what,
        text,
    }
}

/// Check one mutant: `Ok(true)` if it loaded (and ran by the rules),
/// `Ok(false)` if it was refused as it should be; `Err` says what broke.
fn check(m: &Mutant) -> Result<bool, String> {
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        load_scenario(&m.scenario, &m.overrides)
    }))
    .map_err(|_| "loading panicked".to_string())?;
    let Ok(mut scenario) = loaded else {
        // Refused: every problem must say where (a line, or the --set).
        let errors = loaded.unwrap_err();
        if errors.0.is_empty() {
            return Err("refused with no error".into());
        }
        // In words a user knows: no Rust type names leak.
        const RUST: &[&str] = &[
            "expected u8",
            "expected u32",
            "expected u64",
            "expected i64",
            "expected struct",
            "Raw",
            "Spanned",
        ];
        for e in &errors.0 {
            let text = e.to_string();
            if RUST.iter().any(|rust| text.contains(rust)) {
                return Err(format!("an error leaks Rust types: {text}"));
            }
        }
        return Ok(false);
    };
    scenario.days = scenario.days.min(MAX_DAYS);
    let run = catch_unwind(AssertUnwindSafe(|| simulate(&scenario)))
        .map_err(|_| "a loaded scenario panicked while running".to_string())?;
    let result = match run {
        Err(e) if e.kind() == SimErrorKind::Internal => {
            return Err(format!(
                "check accepts it, run fails with an internal error: {e}"
            ))
        }
        Err(_) => return Ok(true),
        Ok(r) => r,
    };
    result
        .invariants
        .clone()
        .map_err(|v| format!("invariants broken at the end: {v:?}"))?;
    // Conservation step by step: supply_t = supply_{t-1} + minted_t - burned_t.
    let ledger = &result.ledger;
    let economy = &scenario.economy.economy;
    for a in 0..economy.assets.len() {
        let name = economy.asset_name(furnace_core::AssetId::declared(a).unwrap());
        let col = |c: &str| ledger.column(&format!("{name}_{c}"));
        let (Some(s), Some(mi), Some(b)) = (col("supply"), col("minted"), col("burned")) else {
            return Err(format!("no supply columns for {name}"));
        };
        for t in 1..ledger.steps() {
            let expect = ledger.value(t - 1, s) + ledger.value(t, mi) - ledger.value(t, b);
            if ledger.value(t, s) != expect {
                return Err(format!("{name}: supply not conserved on step {}", t + 1));
            }
        }
    }
    catch_unwind(AssertUnwindSafe(|| {
        let _ = (
            result.summary_json(),
            result.summary_text(),
            result.csv_string(),
        );
    }))
    .map_err(|_| "rendering the reports panicked".to_string())?;
    Ok(true)
}

#[test]
fn damaged_inputs_never_crash_and_accepted_ones_run_and_conserve() {
    let cases: u64 = std::env::var("FURNACE_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(240);
    let only: Option<u64> = std::env::var("FURNACE_MUTATION_CASE")
        .ok()
        .and_then(|v| v.parse().ok());
    let root = std::env::temp_dir().join(format!("furnace-mutation-{}", std::process::id()));
    let mut failures = Vec::new();
    let (mut loaded, mut refused) = (0u32, 0u32);
    for case in only.map_or(0..cases, |c| c..c + 1) {
        let dir = root.join(case.to_string());
        let m = make(case, &dir);
        match check(&m) {
            Ok(true) => loaded += 1,
            Ok(false) => refused += 1,
            Err(why) => failures.push(format!(
                "case {case} ({}): {why}\n--- mutant\n{}",
                m.what, m.text
            )),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    let _ = std::fs::remove_dir_all(&root);
    eprintln!("mutants: {loaded} loaded and ran, {refused} refused");
    assert!(
        failures.is_empty(),
        "{} of {} mutants broke a rule:\n{}",
        failures.len(),
        loaded + refused,
        failures.join("\n\n")
    );
    // The generator must exercise both sides, or the test proves nothing.
    if only.is_none() && cases >= 100 {
        assert!(
            loaded >= 10 && refused >= 10,
            "loaded {loaded}, refused {refused}"
        );
    }
}
