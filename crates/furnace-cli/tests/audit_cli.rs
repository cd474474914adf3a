//! `furnace audit` end to end on the bundled claims files, with the real
//! engine and simulator as the host. The expected verdict of every claim
//! is pinned, from an independent host, in
//! crates/furnace-audit/tests/claims_files.rs; here the real run must give
//! the same counts and the same key numbers.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn furnace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_furnace"))
        .args(args)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .expect("run furnace")
}

fn audit_json(file: &str) -> Vec<Value> {
    let out = furnace(&["audit", file, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn count(claims: &[Value], verdict: &str) -> usize {
    claims.iter().filter(|c| c["verdict"] == verdict).count()
}

fn claim<'a>(claims: &'a [Value], id: &str) -> &'a Value {
    claims
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no claim {id}"))
}

#[test]
fn the_ast_report_contradicts_itself() {
    let claims = audit_json("claims/ast-report.toml");
    assert_eq!(claims.len(), 131);
    assert_eq!(count(&claims, "agrees"), 67);
    assert_eq!(count(&claims, "contradicted"), 57);
    assert_eq!(count(&claims, "not checkable"), 7);
    for c in &claims {
        for key in [
            "text",
            "claimed",
            "computed",
            "verdict",
            "relative_difference",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
    }
    // 3x growth from 1,197 tokens gives 10,773 in month 3, not 14,047.
    let m3 = claims
        .iter()
        .find(|c| c["computed"] == "10773" && c["verdict"] == "contradicted")
        .expect("the month-3 token count is contradicted");
    assert_eq!(m3["claimed"], "14047");

    let out = furnace(&["audit", "claims/ast-report.toml", "--deny-contradictions"]);
    assert_eq!(out.status.code(), Some(5), "exit 5: claims contradicted");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("131 claims: 67 agree, 57 contradicted, 7 not checkable"),
        "{text}"
    );
}

#[test]
fn the_lam_claims_are_recomputed_by_the_engine() {
    let claims = audit_json("claims/lam.toml");
    assert_eq!(count(&claims, "contradicted"), 11);
    assert_eq!(claim(&claims, "tau-at-0.01")["computed"], "10");
    assert_eq!(claim(&claims, "subscription-in-lam")["computed"], "9000");
    assert_eq!(
        claim(&claims, "agent-buyback-funds-actions")["computed"],
        "8000"
    );
    // `check` on a claims file audits it too.
    let out = furnace(&["check", "claims/lam.toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_typo_in_a_claims_file_is_located() {
    let dir = std::env::temp_dir().join(format!("furnace-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("typo.toml");
    std::fs::write(
        &file,
        format!(
            "title = \"t\"\nscenario = \"{}\"\n\n[[claims]]\nid = \"a\"\ntext = \"x\"\nclaimed = \"1\"\ncomputed = \"AST_mintd[1]\"\ncheck = \"model\"\n",
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../scenarios/ast-report.toml")
                .display()
        ),
    )
    .unwrap();
    let out = furnace(&["audit", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "exit 3: invalid input");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("typo.toml:8:"), "{err}");
    assert!(err.contains("unknown series `AST_mintd`"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
