//! `economies/fomo.toml`: every sourced figure read back exactly (seed 004,
//! `shared/reference/flock-fomo.md`), and the file's own choices.

use furnace_core::economy::{
    AllocationTarget, Destination, EmissionCurve, LaunchParty, LockPoint, PoolWeight, LAUNCH_TOKEN,
};
use furnace_core::units::Ppm;

const T: u128 = 1_000_000_000_000_000_000;

fn fomo() -> furnace_core::ValidEconomy {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    furnace_config::load_economy(&root.join("economies/fomo.toml"))
        .unwrap()
        .economy
}

#[test]
fn fomo_toml_declares_the_sourced_figures() {
    let e = fomo();
    let flock = e.asset_by_name("FLOCK").unwrap();
    // Docs: FLOCK capped at 1,000,000,000.
    assert_eq!(
        e.declared_asset(flock).unwrap().max_supply,
        Some(1_000_000_000 * T)
    );
    assert_eq!(e.numeraire, e.asset_by_name("USD").unwrap());
    assert!(e.market_by_name("flock_usd").is_some());
    let spec = &e.launches[e.launch_spec_by_name("model").unwrap().index()];
    assert_eq!(spec.quote, flock);
    // Seed 004: 1,000,000 MT, 40% sold.
    assert_eq!(spec.total_supply, 1_000_000 * T);
    assert_eq!(spec.allocations[0].to, AllocationTarget::Sale);
    assert_eq!(spec.allocations[0].share, Ppm(400_000));
    assert_eq!(spec.allocated_to(AllocationTarget::Sale), 400_000 * T);
    let total: u32 = spec.allocations.iter().map(|a| a.share.0).sum();
    assert_eq!(total, 1_000_000);
    assert_eq!(spec.allocated_to(AllocationTarget::Issuer), 100_000 * T);
    // Docs: 7 days, 1.5%, 32,768 FLOCK, the issuer at most 25% (250,000 MT).
    assert_eq!(spec.window_steps, 7);
    assert_eq!(spec.purchase_fee, Ppm(15_000));
    assert_eq!(spec.launch_fee, 32_768 * T);
    assert_eq!(spec.issuer_cap(), 250_000 * T);
    let platform = e.account_by_name("platform").unwrap();
    assert_eq!(spec.launch_fee_to, Destination::Account(platform));
    assert_eq!(
        spec.raise_rest_to,
        LaunchParty::Account(e.account_by_name("treasury").unwrap())
    );
    // The curve sells exactly the sale allocation at the maximum raise:
    // floor(400,000 x 500,000 / (100,000 + 400,000)) = 400,000 MT.
    // In whole tokens (the base units' product overflows u128).
    let (m, vq, vt) = (
        spec.max_raise / T,
        spec.curve.virtual_quote / T,
        spec.curve.virtual_tokens / T,
    );
    assert_eq!((m, vq, vt), (400_000, 100_000, 500_000));
    assert_eq!(m * vt / (vq + m), 400_000);
    // gmFLOCK's locks on the model token's stake pool.
    let t = spec.staking.as_ref().unwrap();
    assert_eq!(
        t.weight,
        PoolWeight::Stake {
            asset: LAUNCH_TOKEN
        }
    );
    assert_eq!(t.reward, flock);
    assert_eq!(
        t.lock_multipliers,
        vec![
            LockPoint {
                steps: 0,
                multiplier_ppm: 1_000_000
            },
            LockPoint {
                steps: 30,
                multiplier_ppm: 1_000_000
            },
            LockPoint {
                steps: 365,
                multiplier_ppm: 3_010_000
            },
        ]
    );
    assert_eq!(t.early_withdrawal_fee, Ppm(51_300));
    assert_eq!(t.early_withdrawal_fee_to, Destination::Burn);
    assert_eq!(t.unbonding_steps, 7);
    // The daily emission: the seed's constant, 100,000 FLOCK (ASSUMPTION).
    let s = &e.emissions[e.schedule_by_name("flock").unwrap().index()];
    assert_eq!(s.epoch_steps, 1);
    assert_eq!(
        s.curve,
        EmissionCurve::Constant {
            per_epoch: 100_000 * T
        }
    );
}

/// A stake-pool template's lock table is located like a declared pool's.
#[test]
fn a_template_lock_table_error_is_located() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut source = furnace_config::Source::read(&root.join("economies/fomo.toml")).unwrap();
    source.overrides = vec![(
        "launches.model.staking.lock_multipliers".into(),
        "[{ days = 3, multiplier = \"1\" }]".into(),
    )];
    let err = furnace_config::compile_economy(source)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("launches.model.staking.lock_multipliers")
            && err.contains("the first point is the lock of 0 steps"),
        "{err}"
    );
}

/// FOMO's inference rule (seed 004's 30/30/30/10) read back exactly.
#[test]
fn fomo_toml_declares_the_inference_split() {
    use furnace_core::economy::{UsageBuy, UsageTo};
    let e = fomo();
    let spec = &e.launches[e.launch_spec_by_name("model").unwrap().index()];
    let u = spec.usage.as_ref().expect("a usage rule");
    // $0.01 and $0.004 in micro-dollars (ASSUMPTION figures).
    assert_eq!((u.price_per_call, u.cost_per_call), (10_000, 4_000));
    let flock_usd = e.market_by_name("flock_usd").unwrap();
    assert_eq!(u.via, Some(flock_usd));
    let parts: Vec<(&str, u32, UsageBuy, UsageTo)> = u
        .parts
        .iter()
        .map(|p| (p.name.as_str(), p.share.0, p.buy, p.to))
        .collect();
    let treasury = e.account_by_name("treasury").unwrap();
    assert_eq!(
        parts,
        vec![
            (
                "flock_buyback",
                300_000,
                UsageBuy::Market(flock_usd),
                UsageTo::Burn
            ),
            (
                "treasury",
                300_000,
                UsageBuy::Nothing,
                UsageTo::Account(treasury)
            ),
            ("model_burn", 300_000, UsageBuy::LaunchToken, UsageTo::Burn),
            ("owner", 100_000, UsageBuy::Nothing, UsageTo::Issuer),
        ]
    );
    assert_eq!(u.max_discount, Ppm(500_000));
    let tiers: Vec<(u128, u32)> = u
        .discounts
        .iter()
        .map(|t| (t.min_staked / T, t.discount.0))
        .collect();
    assert_eq!(
        tiers,
        vec![(1_000, 100_000), (10_000, 250_000), (50_000, 400_000)]
    );
}

/// The bad input: a discount table above the cap, and usage parts
/// not summing to 100%, each located at its file, line and key.
#[test]
fn a_discount_above_the_cap_is_located() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join("economies/fomo.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut source = furnace_config::Source::read(&path).unwrap();
    source.text = text.replace(
        "{ staked = \"50_000\", discount = \"40%\" }",
        "{ staked = \"50_000\", discount = \"60%\" }",
    );
    let err = furnace_config::compile_economy(source)
        .err()
        .unwrap()
        .to_string();
    let line = text
        .lines()
        .position(|l| l.contains("staked = \"50_000\""))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("fomo.toml:{line}:"))
            && err.contains("launches.model.usage.discounts[2].discount")
            && err.contains("60% is above the cap, max_discount = 50%"),
        "{err}"
    );
    // A misspelt key names the right one.
    let mut source = furnace_config::Source::read(&path).unwrap();
    source.text = text.replace("max_discount = ", "max_discont = ");
    let err = furnace_config::compile_economy(source)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("max_discont") && err.contains("max_discount"),
        "{err}"
    );
}
