//! `claims/fomo.toml`: seed 004 against FOMO's docs, plain arithmetic (no
//! engine function), so the bare host audits it. The three differences the
//! reference lists are contradictions, with their values recomputed here.

use furnace_audit::{audit, claims, validate, NoHost, Verdict};
use std::path::PathBuf;

#[test]
fn fomo_claims_report_the_seed_vs_docs_differences() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../claims/fomo.toml");
    let file = claims::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(validate(&file, &NoHost), vec![]);
    let out = audit(&file, &NoHost);
    let got: Vec<(&str, Verdict, &str)> = out
        .iter()
        .map(|o| (o.id.as_str(), o.verdict, o.computed.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            // 0.3 x 3 + 0.1.
            ("revenue-split-sums", Verdict::Agrees, "1"),
            // 40% of 1,000,000.
            ("sale-allocation", Verdict::Agrees, "400,000"),
            // 20,000 less the 1.5% fee (300).
            ("refund-everyone", Verdict::Contradicted, "19,700"),
            // 500,000^2 / (100,000 x 500,000): the curve's last price.
            ("fair-launch-one-price", Verdict::Contradicted, "5.0"),
            // 100,000 x 0.999.
            ("emission-fixed", Verdict::Contradicted, "99,900"),
        ]
    );
}
