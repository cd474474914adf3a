//! Exit statuses, one meaning each (`furnace --help`, README), and what a
//! failing command still owes its reader: JSON on stdout for `--json`, the
//! finished days of a run stopped by its input, a warning when rounding
//! eats a quote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn furnace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_furnace"))
        .current_dir(repo())
        .args(args)
        .output()
        .expect("run furnace")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("furnace-exit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `o` exited with `code` and its stderr says `says`.
fn fails(o: &Output, code: i32, says: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert!(err.contains(says), "expected `{says}` in: {err}");
}

#[test]
fn help_lists_every_exit_status() {
    let o = furnace(&["--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    for line in [
        "0  success",
        "1  internal error",
        "2  usage error",
        "3  invalid input",
        "4  I/O error",
        "5  --deny-contradictions",
    ] {
        assert!(help.contains(line), "--help lacks `{line}`:\n{help}");
    }
}

#[test]
fn usage_errors_exit_2() {
    // clap's own usage errors and a malformed --set share the status.
    assert_eq!(furnace(&["run", "--no-such-flag"]).status.code(), Some(2));
    let o = furnace(&["check", "scenarios/lam-baseline.toml", "--set", "days"]);
    fails(&o, 2, "not of the form key=value");
}

#[test]
fn a_missing_file_is_an_io_error_and_a_full_disk_too() {
    let o = furnace(&["check", "scenarios/no-such-file.toml"]);
    fails(&o, 4, "cannot read the file");

    // Output lost to a full device is not success.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not Linux: nothing to test against
    };
    let o = Command::new(env!("CARGO_BIN_EXE_furnace"))
        .current_dir(repo())
        .args(["check", "scenarios/lam-baseline.toml"])
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    fails(&o, 4, "cannot write to standard output");
}

#[test]
fn a_closed_pipe_is_not_a_failure() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_furnace"))
        .current_dir(repo())
        .args(["check", "economies/lam.toml"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader leaves before reading
    assert!(child.wait().unwrap().success());
}

#[test]
fn check_json_reports_invalid_files_on_stdout() {
    let o = furnace(&[
        "check",
        "scenarios/lam-baseline.toml",
        "--set",
        "days=0",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(report["valid"], false);
    assert_eq!(report["file"], "scenarios/lam-baseline.toml");
    let errors = report["errors"].as_array().unwrap();
    assert!(!errors.is_empty());
    assert!(errors
        .iter()
        .any(|e| e["key"].as_str().unwrap_or_default().contains("days")));
}

#[test]
fn a_malformed_claim_is_invalid_not_ok() {
    let dir = temp("claim");
    let text = std::fs::read_to_string(repo().join("claims/lam.toml"))
        .unwrap()
        .replace(
            "../economies/lam.toml",
            repo().join("economies/lam.toml").to_str().unwrap(),
        )
        .replace("../../shared", repo().join("../shared").to_str().unwrap())
        .replacen(
            r#"computed = 'tokens_per_action("LAM-1", 0.01)'"#,
            r#"computed = 'tokens_per_action("LAM-1", 0.01'"#,
            1,
        );
    let file = dir.join("broken.toml");
    std::fs::write(&file, text).unwrap();
    let o = furnace(&["check", file.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(report["valid"], false);
    let e = &report["errors"][0];
    assert_eq!(e["key"], "claims[0].computed");
    assert_eq!(e["line"], 31);
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
}

/// A run whose amounts leave the ledger's range is the input's fault (exit
/// 3, never "a bug"), keeps the days it finished, and `check` finds it first.
#[test]
fn a_run_out_of_range_keeps_its_finished_days() {
    // $0.01 halving every day is floored at $10^-12 from day 35 (warned);
    // a $1,000 plan then costs 10^15 LAM = 10^33 base units, and by day 61
    // the arithmetic of the token subscription passes 128 bits.
    let sets = [
        "--set",
        "price.model=growth",
        "--set",
        "price.daily_growth=-50%",
    ];
    let dir = temp("range");
    let out = dir.join("out");
    let mut args = vec![
        "run",
        "scenarios/lam-baseline.toml",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(sets);
    let o = furnace(&args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("day 61"), "{err}");
    assert!(
        err.contains("(in subscription_tokens) does not fit"),
        "{err}"
    );
    assert!(!err.contains("bug"), "{err}");
    let csv = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + 60,
        "header and the 60 finished days"
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("stopped      after day 60 of 365"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: price: the price path fell below"),
        "{stdout}"
    );

    let mut args = vec!["check", "scenarios/lam-baseline.toml"];
    args.extend(sets);
    let o = furnace(&args);
    assert_eq!(
        o.status.code(),
        Some(3),
        "check runs the scenario: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("day 61"));
}

#[test]
fn a_quote_eaten_by_rounding_says_so() {
    // A 0-decimal LAM at $3: a $0.10 action costs 1 whole LAM ($3), and
    // every leg (34%, 33%, 33% of 1) floors to 0: all of it is dust.
    let o = furnace(&[
        "quote",
        "economies/lam.toml",
        "--version",
        "LAM-1",
        "--token-price",
        "3",
        "--set",
        "tokens.LAM.decimals=0",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let q: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(q["tokens"], "1");
    assert_eq!(q["charged_usd"], "3");
    assert_eq!(q["dust"], "1");
    let warnings: Vec<&str> = q["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(warnings.len(), 5, "{warnings:?}");
    assert!(
        warnings[0].contains("charges 1 LAM per action, worth $3"),
        "{warnings:?}"
    );
    assert!(warnings[1].contains("leg `burn` (34%) rounds down to 0 LAM"));
    assert!(warnings[4].contains("dust of 1 of the 1 LAM paid goes to unallocated"));

    // The default 18 decimals: no warning.
    let o = furnace(&[
        "quote",
        "economies/lam.toml",
        "--version",
        "LAM-1",
        "--token-price",
        "0.03",
        "--json",
    ]);
    let q: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(q["warnings"], serde_json::json!([]));
}
