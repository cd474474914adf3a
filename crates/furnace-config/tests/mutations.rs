//! Every single-line deletion and every key rename of the bundled LAM
//! economy and baseline scenario either loads or is refused with errors
//! that all say where: a line of a file, or the `--set` that caused them.
//! Nothing panics. Exhaustive (some hundreds of cases), so it runs in
//! seconds.

mod common;

use common::{FILE, LAM};
use furnace_config::{compile_economy, load_scenario, ConfigErrors, Source};
use std::path::{Path, PathBuf};

/// The text with line `i` removed, and with each key written on it renamed
/// (`key =` -> `keyx =`, `[a.b]` -> `[a.bx]`), one mutation at a time.
fn mutations(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let with_line = |i: usize, line: &str| {
        let mut out: Vec<&str> = lines.clone();
        out[i] = line;
        out.join("\n") + "\n"
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut without: Vec<&str> = lines.clone();
        without.remove(i);
        out.push((format!("line {} deleted", i + 1), without.join("\n") + "\n"));
        if trimmed.starts_with('[') {
            if let Some(close) = line.find(']') {
                let renamed = format!("{}x{}", &line[..close], &line[close..]);
                out.push((format!("line {} renamed", i + 1), with_line(i, &renamed)));
            }
            continue;
        }
        // Every `key =` on the line: the first key, and those of inline
        // tables (`{ name = ..., share = ... }`).
        for (eq, _) in line.match_indices(" = ") {
            let key_end = line[..eq].trim_end().len();
            if key_end == 0 {
                continue;
            }
            let insert = if line[..key_end].ends_with('"') {
                key_end - 1
            } else {
                key_end
            };
            let renamed = format!("{}x{}", &line[..insert], &line[insert..]);
            out.push((
                format!("line {} key at {} renamed", i + 1, insert),
                with_line(i, &renamed),
            ));
        }
    }
    out
}

/// Every error says where it is.
fn all_located(what: &str, result: Result<(), ConfigErrors>) {
    if let Err(ConfigErrors(errors)) = result {
        assert!(!errors.is_empty(), "{what}: refused without an error");
        for e in &errors {
            let shown = e.to_string();
            assert!(
                e.line.is_some() || e.set.is_some(),
                "{what}: `{shown}` says no line"
            );
            assert!(
                !shown.contains("Raw") && !shown.contains("invalid type"),
                "{what}: {shown}"
            );
        }
    }
}

#[test]
fn every_deletion_and_rename_of_lam_is_located() {
    let cases = mutations(LAM);
    assert!(cases.len() > 150, "{} cases", cases.len());
    for (what, text) in cases {
        all_located(
            &what,
            compile_economy(Source::from_text(FILE, text)).map(|_| ()),
        );
    }
}

#[test]
fn every_deletion_and_rename_of_the_baseline_is_located() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let baseline = std::fs::read_to_string(root.join("scenarios/lam-baseline.toml")).unwrap();
    let economy = root.join("economies/lam.toml").display().to_string();
    let baseline = baseline.replace("\"../economies/lam.toml\"", &format!("{economy:?}"));
    let path: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutated-baseline.toml");
    let cases = mutations(&baseline);
    assert!(cases.len() > 40, "{} cases", cases.len());
    for (what, text) in cases {
        std::fs::write(&path, text).unwrap();
        all_located(&what, load_scenario(&path, &[]).map(|_| ()));
    }
}
