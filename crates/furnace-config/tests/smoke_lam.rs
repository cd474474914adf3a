use furnace_config::load_economy;
use furnace_core::engine::{split, tokens_per_action};
use std::path::Path;

#[test]
fn lam_loads_and_quotes_seed_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../economies/lam.toml");
    let loaded = load_economy(&root).unwrap_or_else(|e| panic!("{e}"));
    let e = &loaded.economy;
    let v = e.version_by_name("LAM-1").unwrap();
    let tau = tokens_per_action(e.version(v).price_usd_micros, 18, 10_000_000_000).unwrap();
    assert_eq!(tau, 10_000_000_000_000_000_000);
    let r = split(e.split(e.version(v).split), tau, None, None).unwrap();
    assert_eq!(r.burned(), 3_400_000_000_000_000_000);
}
