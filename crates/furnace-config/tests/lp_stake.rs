//! `stake = { lp = "MARKET" }`: a reward pool whose positions deposit a
//! pool market's LP shares (liquidity mining), and its located errors.

mod common;

use common::*;
use furnace_core::economy::PoolWeight;
use furnace_core::ids::{AssetId, MarketId};

fn lp_pool(stake: &str) -> String {
    format!(
        "{LAM}\n[reward_pools.lp_miners]\nreward = \"LAM\"\nstake = {stake}\nempty_to = \"ecosystem\"\ndust_to = \"unallocated\"\n"
    )
}

#[test]
fn an_lp_stake_is_the_pools_lp_share_asset() {
    let loaded = compiles(FILE, &lp_pool(r#"{ lp = "lam_usd" }"#));
    let e = &loaded.economy;
    let m = e.market_by_name("lam_usd").unwrap();
    // lam_usd is lam.toml's first market: its LP shares are asset 2^30 + 0.
    assert_eq!(m, MarketId(0));
    let pool = e.reward_pool_by_name("lp_miners").unwrap();
    assert_eq!(
        e.reward_pools[pool.index()].weight,
        PoolWeight::Stake {
            asset: AssetId(1 << 30)
        }
    );
}

#[test]
fn a_bad_lp_stake_is_located() {
    // A market that does not exist: at its name.
    let text = lp_pool(r#"{ lp = "lam_eur" }"#);
    let e = only_error(&text);
    assert_at(&e, at(&text, "\"lam_eur\""), "reward_pools.lp_miners.stake");
    assert!(e.message.contains("no market named `lam_eur`"), "{e}");
    // An unknown key inside the table, with a suggestion.
    let text = lp_pool(r#"{ lpp = "lam_usd" }"#);
    let errors = errors(&text);
    assert!(
        errors
            .iter()
            .any(|e| e.key == "reward_pools.lp_miners.stake.lpp" && e.message.contains("lp")),
        "{errors:#?}"
    );
    // An external market has no LP shares: the core refuses it, on the
    // pool's stake line.
    let text = lp_pool(r#"{ lp = "otc" }"#);
    let e = only_error(&text);
    assert_eq!(e.key, "reward_pools.lp_miners.stake", "{e}");
    assert_eq!(e.line, Some(at(&text, "{ lp = \"otc\" }").0), "{e}");
}
