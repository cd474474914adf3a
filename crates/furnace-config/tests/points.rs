//! `[points.X]` (economies/lam.toml's training points and referrals) and a
//! scenario's `[training]`: the public LAM tables compile to the core's
//! exact numbers, and every mistake is reported at its file:line:column
//! and key.

mod common;

use common::*;

#[test]
fn lam_points_compile_to_the_public_tables_exactly() {
    let loaded = compiles(FILE, LAM);
    let e = &loaded.economy;
    let r = &e.points[0];
    assert_eq!(r.name, "training");
    assert_eq!(e.reward_pools[r.pool.index()].name, "training_points");
    assert_eq!(r.epoch_steps, 30);
    // Founding 5x, epochs 1-8 2.0 .. 1.3, 9 1.25, 10 1.2, 11 1.1, 12+ 1x.
    assert_eq!(
        r.epochs,
        [
            5_000_000, 2_000_000, 1_900_000, 1_800_000, 1_700_000, 1_600_000, 1_500_000, 1_400_000,
            1_300_000, 1_250_000, 1_200_000, 1_100_000, 1_000_000
        ]
    );
    let badges: Vec<(u128, u32)> = r
        .badges
        .iter()
        .map(|b| (b.from_points, b.bonus_ppm))
        .collect();
    assert_eq!(
        badges,
        [
            (0, 0),
            (10_000, 50_000),
            (50_000, 100_000),
            (250_000, 150_000),
            (1_000_000, 200_000),
            (5_000_000, 300_000),
            (25_000_000, 400_000),
            (100_000_000, 500_000),
        ]
    );
    let modes: Vec<(&str, u32)> = r
        .modes
        .iter()
        .map(|m| (m.name.as_str(), m.bonus_ppm))
        .collect();
    assert_eq!(modes, [("background", 0), ("active", 1_000_000)]);
    let bounties: Vec<(u32, u32)> = r.bounties.iter().map(|b| (b.min_ppm, b.max_ppm)).collect();
    assert_eq!(
        bounties,
        [
            (1_000_000, 2_000_000),
            (3_000_000, 10_000_000),
            (10_000_000, 20_000_000),
            (20_000_000, 100_000_000)
        ]
    );
    let tiers: Vec<(u32, u32, u128, u128)> = r
        .referrals
        .iter()
        .map(|t| {
            (
                t.from_referrals,
                t.commission_ppm,
                t.signup_bonus,
                t.qualified_bonus,
            )
        })
        .collect();
    assert_eq!(
        tiers,
        [
            (0, 50_000, 1_000, 4_000),
            (6, 100_000, 2_000, 8_000),
            (21, 150_000, 4_000, 16_000),
            (101, 200_000, 8_000, 32_000),
            (1_000, 250_000, 16_000, 64_000),
        ]
    );
}

#[test]
fn the_extension_pages_100x_reading_is_a_bonus_of_9900_percent() {
    let text = edit(
        LAM,
        r#"{ name = "active", bonus = "+100%" }"#,
        r#"{ name = "active", bonus = "+9900%" }"#,
    );
    let e = compiles(FILE, &text).economy;
    assert_eq!(e.points[0].modes[1].bonus_ppm, 99_000_000);
}

#[test]
fn a_stake_pool_is_refused_at_the_pool_key() {
    // The core's rule, reported at the line of `pool`.
    let text = format!(
        "{}\n[reward_pools.stakers]\nreward = \"LAM\"\nstake = \"LAM\"\nempty_to = \"ecosystem\"\ndust_to = \"unallocated\"\n",
        edit(LAM, r#"pool = "training_points""#, r#"pool = "stakers""#)
    );
    let e = only_error(&text);
    assert_at(&e, at(&text, r#""stakers""#), "points.training.pool");
    assert!(e.message.contains("stake pool"), "{e}");
}

#[test]
fn an_unknown_pool_is_located() {
    in_lam(
        &[(r#"pool = "training_points""#, r#"pool = "trainig_points""#)],
        r#""trainig_points""#,
        "points.training.pool",
        "unknown reward pool `trainig_points`",
    );
}

#[test]
fn an_epoch_below_1x_is_located() {
    in_lam(
        &[(r#""1.1", "1"]"#, r#""1.1", "0.9"]"#)],
        r#""0.9""#,
        "points.training.epochs[12]",
        "at least 1x",
    );
}

#[test]
fn badges_must_rise_and_bonuses_be_percentages() {
    in_lam(
        &[(
            r#"{ name = "Sprout", from = "50_000""#,
            r#"{ name = "Sprout", from = "5_000""#,
        )],
        r#""5_000""#,
        "points.training.badges[2].from",
        "rise strictly",
    );
    in_lam(
        &[(
            r#"{ name = "Root", from = "10_000", bonus = "+5%" }"#,
            r#"{ name = "Root", from = "10_000", bonus = "0.05" }"#,
        )],
        r#""0.05""#,
        "points.training.badges[1].bonus",
        "is not a bonus",
    );
}

#[test]
fn a_bounty_range_upside_down_and_a_commission_above_100_are_located() {
    in_lam(
        &[(
            r#"{ name = "gold", min = "10", max = "20" }"#,
            r#"{ name = "gold", min = "10", max = "9" }"#,
        )],
        r#""9" }"#,
        "points.training.bounties[2].max",
        "below the tier's min",
    );
    in_lam(
        &[(r#"commission = "25%""#, r#"commission = "125%""#)],
        r#""125%""#,
        "points.training.referrals[4].commission",
        "between 0% and 100%",
    );
}

#[test]
fn unknown_keys_are_refused_with_a_suggestion() {
    let text = edit(LAM, "epoch_days = 30", "epoch_days = 30\nepoch_dayz = 31");
    let errors = errors(&text);
    let e = errors
        .iter()
        .find(|e| e.key.contains("epoch_dayz"))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert_eq!(e.line, Some(at(&text, "epoch_dayz").0), "{e}");
    assert!(e.message.contains("did you mean"), "{e}");
}

#[test]
fn training_names_resolve_at_load_and_mistakes_are_located() {
    let path = repo("scenarios/lam-earning.toml");
    let s = load(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
    let t = s.training.as_ref().unwrap();
    assert_eq!((t.active_mode, t.background_mode), (1, 0));
    // 8 hours at the docs' 10 points an hour.
    assert_eq!(t.background_points_per_day, 80);
    let tiers: Vec<u8> = t.bounties.iter().map(|b| b.tier).collect();
    assert_eq!(tiers, [3, 2, 1, 0]);
    assert_eq!(t.qualify_points, 10_000);

    let text = std::fs::read_to_string(&path).unwrap();
    for (old, new, needle, key, says) in [
        (
            r#"active_mode = "active""#,
            r#"active_mode = "actve""#,
            r#""actve""#,
            "training.active_mode",
            "no mode `actve`",
        ),
        (
            r#"{ tier = "gold", probability = "0.5%" }"#,
            r#"{ tier = "golden", probability = "0.5%" }"#,
            r#""golden""#,
            "training.bounties[1].tier",
            "no bounty tier `golden`",
        ),
        (
            r#"rules = "training""#,
            r#"rules = "trainig""#,
            r#""trainig""#,
            "training.rules",
            "no points rules named `trainig`",
        ),
    ] {
        let edited = edit(&text, old, new);
        let dir = std::env::temp_dir().join(format!("furnace-points-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("scenarios")).unwrap();
        std::fs::create_dir_all(dir.join("economies")).unwrap();
        std::fs::copy(repo("economies/lam.toml"), dir.join("economies/lam.toml")).unwrap();
        let file = dir.join("scenarios/lam-earning.toml");
        std::fs::write(&file, &edited).unwrap();
        let errors = load(&file, &[]).unwrap_err().0;
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let e = &errors[0];
        let (line, column) = at(&edited, needle);
        assert_eq!((e.line, e.column), (Some(line), Some(column)), "{e}");
        assert_eq!(e.key, key, "{e}");
        assert!(e.message.contains(says), "{e}");
    }
}
