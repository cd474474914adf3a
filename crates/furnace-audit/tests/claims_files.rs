//! The bundled claims files, audited against a test host. This is the
//! specification the real host (the CLI, with the engine and simulator)
//! must also satisfy: same series values, same function results, same
//! verdicts.
//!
//! - AST (`claims/ast-report.toml`): the series are the values of the
//!   report's stated assumptions, computed independently (Python, exact
//!   fractions): 1,197 tokens in month 1; x3 into months 2-3, x2 into 4-6,
//!   x1.5 into 7-12, whole tokens half-to-even; $0.10 a token; 50% compute
//!   paid out, 20/15/5% to development/treasury/community, 10% buys tokens
//!   back at $0.10 and burns them; tokens redeemed for hours the same month.
//! - LAM (`claims/lam.toml`): the engine functions, by plain arithmetic on
//!   `economies/lam.toml`'s figures with its rounding rules (tokens per
//!   action and subscriptions rounded up, split legs floored, to 10^-18).

use furnace_audit::claims;
use furnace_audit::{
    audit, render_json, render_table, validate, Host, NoHost, Outcome, Rational, Value, Verdict,
};
use std::path::PathBuf;

fn q(text: &str) -> Rational {
    Rational::parse_decimal(text).unwrap()
}

fn workspace_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// The AST run: one value per month, months 1 to 12.
const AST_SERIES: &[(&str, [&str; 12])] = &[
    (
        "AST_minted_purchase",
        [
            "1197", "3591", "10773", "21546", "43092", "86184", "129276", "193914", "290871",
            "436306", "654459", "981688",
        ],
    ),
    (
        "AST_burned_buyback",
        [
            "119.7", "359.1", "1077.3", "2154.6", "4309.2", "8618.4", "12927.6", "19391.4",
            "29087.1", "43630.6", "65445.9", "98168.8",
        ],
    ),
    (
        "AST_minted",
        [
            "1197", "3591", "10773", "21546", "43092", "86184", "129276", "193914", "290871",
            "436306", "654459", "981688",
        ],
    ),
    (
        "AST_burned",
        [
            "119.7", "359.1", "1077.3", "2154.6", "4309.2", "8618.4", "12927.6", "19391.4",
            "29087.1", "43630.6", "65445.9", "98168.8",
        ],
    ),
    (
        "AST_supply",
        [
            "1077.3",
            "4309.2",
            "14004.9",
            "33396.3",
            "72179.1",
            "149744.7",
            "266093.1",
            "440615.7",
            "702399.6",
            "1095075",
            "1684088.1",
            "2567607.3",
        ],
    ),
    (
        "redeemed",
        [
            "1197", "3591", "10773", "21546", "43092", "86184", "129276", "193914", "290871",
            "436306", "654459", "981688",
        ],
    ),
    (
        "USD_inflow",
        [
            "119.7", "359.1", "1077.3", "2154.6", "4309.2", "8618.4", "12927.6", "19391.4",
            "29087.1", "43630.6", "65445.9", "98168.8",
        ],
    ),
    (
        "USD_burned_cost",
        [
            "59.85", "179.55", "538.65", "1077.3", "2154.6", "4309.2", "6463.8", "9695.7",
            "14543.55", "21815.3", "32722.95", "49084.4",
        ],
    ),
    (
        "treasury_USD",
        [
            "17.955",
            "71.82",
            "233.415",
            "556.605",
            "1202.985",
            "2495.745",
            "4434.885",
            "7343.595",
            "11706.66",
            "18251.25",
            "28068.135",
            "42793.455",
        ],
    ),
    (
        "development_USD",
        [
            "23.94", "95.76", "311.22", "742.14", "1603.98", "3327.66", "5913.18", "9791.46",
            "15608.88", "24335", "37424.18", "57057.94",
        ],
    ),
    (
        "community_USD",
        [
            "5.985",
            "23.94",
            "77.805",
            "185.535",
            "400.995",
            "831.915",
            "1478.295",
            "2447.865",
            "3902.22",
            "6083.75",
            "9356.045",
            "14264.485",
        ],
    ),
    (
        "buyback_budget_USD",
        ["0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
    ),
];

struct AstRun(Vec<(String, Vec<Rational>)>);

impl AstRun {
    fn new() -> AstRun {
        AstRun(
            AST_SERIES
                .iter()
                .map(|(n, v)| (n.to_string(), v.iter().map(|x| q(x)).collect()))
                .collect(),
        )
    }
}

impl Host for AstRun {
    fn series(&self, name: &str) -> Option<&[Rational]> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }
    fn series_names(&self) -> Vec<String> {
        self.0.iter().map(|(n, _)| n.clone()).collect()
    }
    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
        None
    }
}

/// The LAM engine functions, by arithmetic on economies/lam.toml's figures.
struct Lam;

const BASE: i128 = 1_000_000_000_000_000_000; // 10^18 base units per LAM

fn floor_units(x: Rational) -> Rational {
    let units = x.checked_mul(Rational::from_integer(BASE)).unwrap().floor();
    Rational::new(units, BASE).unwrap()
}

fn ceil_units(x: Rational) -> Rational {
    let units = -x
        .checked_mul(Rational::from_integer(-BASE))
        .unwrap()
        .floor();
    Rational::new(units, BASE).unwrap()
}

fn mul(a: Rational, b: &str) -> Rational {
    a.checked_mul(q(b)).unwrap()
}

fn div(a: Rational, b: Rational) -> Result<Rational, String> {
    a.checked_div(b).map_err(|e| e.to_string())
}

impl Lam {
    fn version_price(version: &str) -> Result<Rational, String> {
        match version {
            "LAM-1" => Ok(q("0.10")),
            v => Err(format!("no version `{v}`")),
        }
    }

    fn tokens_per_action(version: &str, price: Rational) -> Result<Rational, String> {
        Ok(ceil_units(div(Lam::version_price(version)?, price)?))
    }

    fn leg_share(leg: &str) -> Result<Rational, String> {
        match leg {
            "burn" => Ok(q("0.34")),
            "creator" | "ecosystem" => Ok(q("0.33")),
            "trainers" => Ok(q("0")),
            l => Err(format!("no leg `{l}`")),
        }
    }

    fn run(name: &str, args: &[Value]) -> Result<Value, String> {
        use Value::{Number as N, Str as S};
        let n = |x: Rational| Ok(N(x));
        match (name, args) {
            ("tokens_per_action", [S(v), N(p)]) => n(Lam::tokens_per_action(v, *p)?),
            ("version_price", [S(v)]) => n(Lam::version_price(v)?),
            ("leg_share", [S(split), S(leg)]) if split == "action" => n(Lam::leg_share(leg)?),
            ("split", [S(v), N(tokens), S(part), N(epoch)]) => {
                Lam::version_price(v)?;
                let share = match part.as_str() {
                    "creator" => {
                        let epochs = [
                            "0.33", "0.25", "0.20", "0.175", "0.15", "0.125", "0.10", "0.075",
                            "0.05",
                        ];
                        match epoch.numer() {
                            0 => "0",
                            e => epochs[(e.clamp(1, 9) - 1) as usize],
                        }
                    }
                    other => {
                        return n(floor_units(
                            tokens.checked_mul(Lam::leg_share(other)?).unwrap(),
                        ))
                    }
                };
                n(floor_units(mul(*tokens, share)))
            }
            ("plan_actions", [S(p)]) if p == "agent" => n(q("150000")),
            ("subscription_tokens", [S(p), N(price)]) if p == "agent" => {
                n(ceil_units(div(mul(q("1000"), "0.9"), *price)?))
            }
            ("plan_funded_actions", [S(p), N(price)]) if p == "agent" => {
                let tokens = floor_units(div(mul(q("1000"), "0.8"), *price)?);
                let per_action = Lam::tokens_per_action("LAM-1", *price)?;
                n(Rational::from_integer(div(tokens, per_action)?.floor()))
            }
            (name, args) => Err(format!("{name} does not take {args:?}")),
        }
    }
}

impl Host for Lam {
    fn series(&self, _: &str) -> Option<&[Rational]> {
        None
    }
    fn series_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        const NAMES: &[&str] = &[
            "tokens_per_action",
            "split",
            "subscription_tokens",
            "version_price",
            "plan_actions",
            "plan_funded_actions",
            "leg_share",
        ];
        NAMES.contains(&name).then(|| Lam::run(name, args))
    }
}

const A: Verdict = Verdict::Agrees;
const C: Verdict = Verdict::Contradicted;
const N: Verdict = Verdict::NotCheckable;

/// Every AST claim and its verdict under the stated assumptions.
const AST_EXPECTED: &[(&str, Verdict)] = &[
    ("summary-m1-revenue", A),
    ("summary-m1-profit", A),
    ("summary-growth", C),
    ("summary-margin", A),
    ("summary-treasury", C),
    ("summary-treasury-vs-minted", C),
    ("summary-treasury-vs-hours", A),
    ("summary-price", A),
    ("table-m1-tokens", A),
    ("table-m1-revenue", A),
    ("table-m1-sessions", N),
    ("table-m1-profit", A),
    ("table-m1-treasury", A),
    ("table-m3-tokens", C),
    ("table-m3-tokens-from-m1", C),
    ("table-m3-revenue", C),
    ("table-m3-revenue-from-tokens", A),
    ("table-m3-sessions", N),
    ("table-m3-profit", C),
    ("table-m3-profit-from-tokens", A),
    ("table-m3-treasury", C),
    ("table-m6-tokens", C),
    ("table-m6-tokens-from-m3", C),
    ("table-m6-revenue", C),
    ("table-m6-revenue-from-tokens", A),
    ("table-m6-sessions", N),
    ("table-m6-profit", C),
    ("table-m6-profit-from-tokens", A),
    ("table-m6-treasury", C),
    ("table-m12-tokens", C),
    ("table-m12-tokens-from-m6", C),
    ("table-m12-revenue", C),
    ("table-m12-revenue-from-tokens", A),
    ("table-m12-sessions", N),
    ("table-m12-profit", C),
    ("table-m12-profit-from-tokens", A),
    ("table-m12-treasury", C),
    ("growth-m1-m12", C),
    ("growth-m1-m12-table", A),
    ("growth-assumptions-compound", C),
    ("growth-early", A),
    ("growth-early-table", A),
    ("growth-mature", A),
    ("growth-mature-table", A),
    ("growth-sessions", A),
    ("unit-price", A),
    ("unit-api-cost", A),
    ("unit-gross-margin", A),
    ("unit-gross-margin-pct", A),
    ("allocation-compute", A),
    ("allocation-development", A),
    ("allocation-treasury", A),
    ("allocation-buybacks", A),
    ("allocation-community", A),
    ("allocation-total", A),
    ("m1-revenue", A),
    ("m1-api-cost", A),
    ("m1-gross-profit", A),
    ("m1-margin", A),
    ("m1-break-even-day-1", N),
    ("m12-revenue", C),
    ("m12-revenue-from-tokens", A),
    ("m12-api-cost", C),
    ("m12-api-cost-from-revenue", A),
    ("m12-gross-profit", C),
    ("m12-gross-profit-from-revenue", A),
    ("m12-margin", A),
    ("m12-monthly-profit", C),
    ("m12-monthly-profit-rounded", A),
    ("average-monthly-profit", C),
    ("average-monthly-profit-vs-minted", C),
    ("average-monthly-profit-vs-hours", A),
    ("treasury-growth", C),
    ("treasury-growth-table", A),
    ("treasury-share", A),
    ("treasury-share-m1", A),
    ("treasury-share-m12", C),
    ("demand-m1-per-session", A),
    ("demand-m6-per-session", A),
    ("demand-m12-per-session", A),
    ("sessions-m4", A),
    ("sessions-m7", C),
    ("sessions-m12", A),
    ("milestone-break-even", A),
    ("milestone-m4-revenue", C),
    ("milestone-m4-revenue-from-m3", C),
    ("milestone-m4-profit", C),
    ("milestone-m4-profit-from-revenue", A),
    ("milestone-m4-treasury", C),
    ("milestone-m4-treasury-from-m3", A),
    ("milestone-10k-month", A),
    ("milestone-10k-month-table", A),
    ("milestone-m7-tokens", C),
    ("milestone-m7-tokens-from-m6", C),
    ("milestone-m7-revenue", C),
    ("milestone-m7-revenue-from-tokens", A),
    ("milestone-m7-treasury", C),
    ("milestone-m7-treasury-from-m6", A),
    ("milestone-100k", C),
    ("milestone-m12-tokens", C),
    ("milestone-m12-tokens-table", A),
    ("compute-hours", C),
    ("compute-hours-vs-minted", C),
    ("cost-per-hour", C),
    ("cost-per-hour-from-allocation", C),
    ("savings-vs-030", A),
    ("savings-vs-015", A),
    ("hours-per-dollar", A),
    ("dollar-buys-10-hours", A),
    ("supply-minted", C),
    ("supply-burned", C),
    ("supply-burned-share", C),
    ("supply-net", C),
    ("supply-net-from-totals", A),
    ("supply-deflation-rate", C),
    ("supply-deflation-rate-from-totals", A),
    ("supply-deflationary", C),
    ("supply-deflationary-from-totals", C),
    ("supply-net-inflation", A),
    ("supply-slight", N),
    ("token-sale-cap", C),
    ("target-phase1-tokens", A),
    ("target-phase2-revenue", A),
    ("target-phase3-tokens", A),
    ("target-phase3-sessions", N),
    ("conclusion-growth", C),
    ("conclusion-compute-hours", C),
    ("conclusion-compute-hours-vs-minted", C),
    ("conclusion-treasury", C),
    ("conclusion-income", C),
    ("conclusion-income-unallocated", C),
];

/// Every LAM claim and its verdict against economies/lam.toml.
const LAM_EXPECTED: &[(&str, Verdict)] = &[
    ("tau-at-0.01", A),
    ("tau-at-0.10", A),
    ("tau-at-1.00", A),
    ("version-price-formal", A),
    ("version-price-overview", C),
    ("split-small-creator", A),
    ("split-small-burn", A),
    ("split-small-ecosystem", A),
    ("split-medium-creator", A),
    ("split-medium-burn", A),
    ("split-medium-ecosystem", A),
    ("split-large-creator", A),
    ("split-large-burn", A),
    ("split-large-ecosystem", A),
    ("split-enterprise-creator", A),
    ("split-enterprise-burn", A),
    ("split-enterprise-ecosystem", A),
    ("split-usd-creator", A),
    ("split-usd-burn", A),
    ("subscription-in-lam", A),
    ("subscription-in-lam-usd", A),
    ("agent-actions-per-day", A),
    ("agent-buyback-funds-actions", C),
    ("agent-buyback-funds-actions-high", C),
    ("daily-actions", A),
    ("annual-revenue-low", C),
    ("annual-revenue-high", C),
    ("daily-distribution-vs-vesting", C),
    ("daily-distribution-vs-pool", C),
    ("creator-epoch-1-example", A),
    ("creator-epoch-1-annual", A),
    ("creator-epoch-9-example", C),
    ("creator-epoch-9-less-income", C),
    ("creator-commission-tiers", C),
    ("training-points-example", A),
    ("active-training-multiplier", C),
];

fn load(relative: &str) -> claims::ClaimsFile {
    claims::load(&workspace_file(relative)).unwrap_or_else(|e| panic!("{e}"))
}

fn verdicts(outcomes: &[Outcome]) -> Vec<(&str, Verdict)> {
    outcomes
        .iter()
        .map(|o| (o.id.as_str(), o.verdict))
        .collect()
}

fn outcome<'a>(outcomes: &'a [Outcome], id: &str) -> &'a Outcome {
    outcomes.iter().find(|o| o.id == id).unwrap()
}

/// Every contradiction says why, and every unchecked claim says why not.
fn assert_explained(file: &claims::ClaimsFile, outcomes: &[Outcome]) {
    for (claim, o) in file.claims.iter().zip(outcomes) {
        match o.verdict {
            Verdict::Contradicted => assert!(
                claim.note.is_some(),
                "{}: contradicted without a note",
                o.id
            ),
            Verdict::NotCheckable => assert!(!o.reason.is_empty(), "{}", o.id),
            Verdict::Agrees => {}
        }
    }
}

#[test]
fn ast_report_claims_against_the_stated_assumptions() {
    let file = load("claims/ast-report.toml");
    let run = AstRun::new();
    assert_eq!(validate(&file, &run), vec![]);
    let out = audit(&file, &run);
    assert_eq!(verdicts(&out), AST_EXPECTED);
    assert_explained(&file, &out);

    // The headline figures, exactly.
    let m3 = outcome(&out, "table-m3-tokens");
    assert_eq!(
        (m3.claimed.as_str(), m3.computed.as_str()),
        ("14,047", "10,773")
    );
    assert_eq!(m3.relative_difference_exact.as_deref(), Some("~-0.233075"));
    assert_eq!(
        outcome(&out, "growth-assumptions-compound").computed,
        "820.125x"
    );
    assert_eq!(outcome(&out, "summary-growth").computed, "~820.124x");
    assert_eq!(outcome(&out, "supply-burned-share").computed, "~3.62424%");
    assert_eq!(outcome(&out, "supply-net").computed, "2,567,607.3");
    assert_eq!(outcome(&out, "treasury-share-m12").computed, "~16.0625%");
    assert_eq!(
        outcome(&out, "average-monthly-profit").computed,
        "~$11,887.1"
    );
    assert_eq!(outcome(&out, "supply-deflationary").computed, "false");
    assert_eq!(
        outcome(&out, "conclusion-income-unallocated").computed,
        "$0"
    );
    assert_eq!(outcome(&out, "milestone-10k-month").computed, "7");

    let table = render_table(&out, &file.title);
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
    assert!(
        table.ends_with("131 claims: 67 agree, 57 contradicted, 7 not checkable\n"),
        "{table}"
    );
    let json = render_json(&out);
    for key in [
        "id",
        "source",
        "text",
        "claimed",
        "computed",
        "verdict",
        "relative_difference",
        "reason",
    ] {
        assert!(json[0].get(key).is_some(), "{key}");
    }
}

#[test]
fn ast_report_without_a_run_checks_only_the_arithmetic() {
    let file = load("claims/ast-report.toml");
    let with_run = audit(&file, &AstRun::new());
    let without = audit(&file, &NoHost);
    for (a, b) in with_run.iter().zip(&without) {
        match file.claims.iter().find(|c| c.id == a.id).unwrap().check {
            Some(claims::Check::Model) => {
                assert_eq!(b.verdict, Verdict::NotCheckable, "{}", b.id);
                assert!(b.reason.starts_with("needs a scenario"), "{}", b.reason);
            }
            _ => assert_eq!(a.verdict, b.verdict, "{}", a.id),
        }
    }
}

#[test]
fn lam_claims_against_the_engine_functions() {
    let file = load("claims/lam.toml");
    assert_eq!(file.scenario, None);
    assert_eq!(validate(&file, &Lam), vec![]);
    let out = audit(&file, &Lam);
    assert_eq!(verdicts(&out), LAM_EXPECTED);
    assert_explained(&file, &out);
    assert_eq!(
        outcome(&out, "annual-revenue-low").computed,
        "$6,000,000,000"
    );
    assert_eq!(
        outcome(&out, "agent-buyback-funds-actions").computed,
        "8,000"
    );
    assert_eq!(outcome(&out, "creator-epoch-9-example").computed, "300,000");
    // Without the engine, its functions are unknown: not checkable, and
    // `validate` reports them as file errors only when they are typos.
    let bare = audit(&file, &NoHost);
    assert!(bare[0]
        .reason
        .starts_with("unknown function `tokens_per_action`"));
    assert_eq!(outcome(&bare, "daily-actions").verdict, Verdict::Agrees);
}

#[test]
fn print_the_tables() {
    // `cargo test -p furnace-audit --test claims_files -- --nocapture print` shows them.
    let ast = load("claims/ast-report.toml");
    println!("{}", render_table(&audit(&ast, &AstRun::new()), &ast.title));
    let lam = load("claims/lam.toml");
    println!("{}", render_table(&audit(&lam, &Lam), &lam.title));
}
