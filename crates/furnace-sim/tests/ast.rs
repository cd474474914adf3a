//! AST (seed 003) simulated from the report's stated assumptions: the
//! month-by-month figures computed independently (by hand and with exact
//! Python fractions; the same figures are the `# model:` comments of
//! claims/ast-report.toml): month 1
//! sells 1,197 tokens, months 2-3 triple, 4-6 double, 7-12 grow by half
//! (whole tokens, half to even); $0.10 a token; 50/20/15/10/5.

use furnace_config::load_scenario;
use furnace_sim::simulate;
use std::path::Path;

/// Micro-dollars and micro-tokens (AST has 6 decimals, like USD).
const M: u128 = 1_000_000;

fn column(r: &furnace_sim::SimResult, name: &str) -> Vec<u128> {
    let c = r
        .ledger
        .column(name)
        .unwrap_or_else(|| panic!("no column {name}"));
    (0..r.ledger.steps())
        .map(|s| r.ledger.value(s, c))
        .collect()
}

#[test]
fn the_report_assumptions_month_by_month() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/ast-report.toml");
    let scenario = load_scenario(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
    let r = simulate(&scenario).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.invariants.is_ok(), "{:?}", r.invariants);

    // Tokens sold per month: 1197 x3 x3 x2 x2 x2 x1.5 ... (10: 436,306.5
    // and 12: 981,688.5 round half to even).
    let sold = [
        1_197u128, 3_591, 10_773, 21_546, 43_092, 86_184, 129_276, 193_914, 290_871, 436_306,
        654_459, 981_688,
    ];
    let purchased: Vec<u128> = r.rows.iter().map(|row| row.purchased).collect();
    assert_eq!(purchased, sold.map(|n| n * M).to_vec());
    assert_eq!(
        column(&r, "AST_minted_purchase"),
        sold.map(|n| n * M).to_vec()
    );

    // Month 1 exactly: $119.70 in; $59.85 compute paid out; $23.94
    // development; $17.955 treasury; $11.97 buybacks (spent the same month
    // on 119.7 AST, burned); $5.985 community.
    assert_eq!(column(&r, "USD_inflow")[0], 119_700_000);
    assert_eq!(column(&r, "USD_burned_cost")[0], 59_850_000);
    assert_eq!(column(&r, "development_USD")[0], 23_940_000);
    assert_eq!(column(&r, "treasury_USD")[0], 17_955_000);
    assert_eq!(column(&r, "community_USD")[0], 5_985_000);
    assert_eq!(r.rows[0].buyback_usd, 11_970_000);
    assert_eq!(column(&r, "AST_burned_buyback")[0], 119_700_000);
    assert_eq!(column(&r, "buyback_budget_USD")[0], 0);

    // Every month: revenue = tokens x $0.10; the treasury accumulates 15%;
    // the buyback burns 10% of the tokens sold; supply = sold - burned.
    let mut treasury = 0;
    let mut supply = 0;
    for (m, n) in sold.iter().enumerate() {
        let revenue = n * M / 10;
        assert_eq!(column(&r, "USD_inflow")[m], revenue, "month {}", m + 1);
        treasury += revenue * 15 / 100;
        assert_eq!(column(&r, "treasury_USD")[m], treasury, "month {}", m + 1);
        supply += n * M - n * M / 10;
        assert_eq!(column(&r, "AST_supply")[m], supply, "month {}", m + 1);
        assert_eq!(r.rows[m].redeemed, n * M, "month {}", m + 1);
    }
    // Month 12: treasury $42,793.455, supply 2,567,607.3 AST.
    assert_eq!(treasury, 42_793_455_000);
    assert_eq!(supply, 2_567_607_300_000);
    // USD is conserved: paid in = held + paid out.
    let usd = r.state.totals(r.info.numeraire);
    assert_eq!(usd.minted, usd.burned + usd.supply);
}

/// A sale stops at the token's maximum supply instead of failing the run.
#[test]
fn sales_stop_at_the_maximum_supply() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/ast-report.toml");
    // 5,000 AST: month 1 sells 1,197 (buyback burns 119.7); month 2 wants
    // 3,591 of the 5,000 - 1,077.3 = 3,922.7 left: all; month 3 wants
    // 10,773 of 5,000 - (1,077.3 + 3,231.9) = 690.8.
    let sets = [(
        "economy.tokens.AST.max_supply".to_string(),
        "5000".to_string(),
    )];
    let scenario = load_scenario(&path, &sets).unwrap_or_else(|e| panic!("{e}"));
    let r = simulate(&scenario).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.rows[1].purchased, 3_591 * M);
    assert_eq!(r.rows[1].sales_cut, 0);
    assert_eq!(r.rows[2].purchased, 690_800_000);
    assert_eq!(r.rows[2].sales_cut, 10_773 * M - 690_800_000);
    assert!(r.invariants.is_ok());
    assert!(r
        .warnings()
        .iter()
        .any(|w| w.starts_with("sales: ") && w.contains("maximum supply (first on day 3)")));
}
