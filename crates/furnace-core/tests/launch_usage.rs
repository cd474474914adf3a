//! `LaunchUsage`: FOMO's inference on a model (seed 004) through the
//! generic usage rule of `common::fomo`'s `rmo` spec, with hand-computed
//! figures.
//!
//! The economy: `common::fomo` plus a declared pool `flock_usd` of 1,000,000
//! FLOCK and $100,000 (0.3% fee), the `rmo` spec's stake-pool template and
//! its usage rule: $0.01 a call, $0.004 of compute, the net 30% buys FLOCK
//! on `flock_usd` (burned), 30% to `treasury` in USD, 30% buys the model
//! token (USD -> FLOCK on `flock_usd`, FLOCK -> MT on the model's pool,
//! burned), 10% to the issuer in USD; discounts 10% from 1,000 MT staked,
//! 25% from 10,000, 40% from 50,000, capped at 50%.
//!
//! The raise (as `tests/launch_stake.rs`): bob commits 20,000 FLOCK
//! (82,289.05... MT), carol brings the raise to exactly 100,000 FLOCK;
//! graduation seeds the model pool with 200,000 MT (the 20% liquidity
//! allocation) and 50,000 FLOCK (50% of the raise).

mod common;

use common::fomo::*;
use common::*;
use furnace_core::economy::{
    DiscountTier, MarketKind, MarketSpec, UsageBuy, UsagePart, UsageRule, UsageTo,
};
use furnace_core::engine::{quote_in_for_principal, UsageReceipt};
use furnace_core::ids::{LaunchId, MarketId, RewardPoolId};
use furnace_core::units::Ppm;
use furnace_core::{AccountId, AssetId, Economy, Event, Receipt};

const FLOCK_USD: MarketId = MarketId(0);

fn usage_rule(e: &Economy) -> UsageRule {
    let part = |name: &str, share, buy, to| UsagePart {
        name: name.into(),
        share: pct(share),
        buy,
        to,
    };
    let tier = |mt: u128, discount| DiscountTier {
        min_staked: mt * T,
        discount: pct(discount),
    };
    UsageRule {
        price_per_call: 10_000,
        cost_per_call: 4_000,
        via: Some(FLOCK_USD),
        parts: vec![
            part(
                "flock_buyback",
                30,
                UsageBuy::Market(FLOCK_USD),
                UsageTo::Burn,
            ),
            part(
                "treasury",
                30,
                UsageBuy::Nothing,
                UsageTo::Account(acct(e, "treasury")),
            ),
            part("model_burn", 30, UsageBuy::LaunchToken, UsageTo::Burn),
            part("owner", 10, UsageBuy::Nothing, UsageTo::Issuer),
        ],
        discounts: vec![tier(1_000, 10), tier(10_000, 25), tier(50_000, 40)],
        max_discount: pct(50),
    }
}

fn usage_spec() -> Economy {
    let mut e = fomo_spec();
    let (flock, usd) = (asset(&e, "FLOCK"), asset(&e, "USD"));
    e.markets = vec![MarketSpec {
        name: "flock_usd".into(),
        kind: MarketKind::Pool {
            assets: [flock, usd],
            fee: ppm(3_000),
            genesis: [1_000_000 * T, 100_000 * USD],
            lp_to: acct(&e, "holders"),
        },
    }];
    e.launches[0].staking = Some(rmo_staking(&e));
    e.launches[0].usage = Some(usage_rule(&e));
    e
}

struct Live {
    x: Fx,
    alice: AccountId,
    bob: AccountId,
    carol: AccountId,
    launch: LaunchId,
    token: AssetId,
    usd: AssetId,
    model_pool: MarketId,
    stake_pool: RewardPoolId,
}

/// The launch graduated; bob stakes `bob_stakes` MT.
fn live(bob_stakes: u128) -> Live {
    let mut x = Fx::with(valid(usage_spec()));
    let alice = x.holder(40_000);
    let (bob, carol) = (x.holder(200_000), x.holder(200_000));
    let (launch, token) = x.launch(alice);
    // Not live during the raise.
    x.reject(
        Event::LaunchUsage {
            launch,
            payer: bob,
            calls: 1,
        },
        "launch_not_live",
    );
    x.buy(launch, bob, 20_000 * T);
    let q = quote_in_for_principal(ppm(15_000), 80_300 * T).unwrap();
    x.buy(launch, carol, q);
    let g = match x.ok(Event::GraduateLaunch { launch }) {
        Receipt::Graduated(g) => g,
        r => panic!("{r:?}"),
    };
    let stake_pool = g.stake_pool.unwrap();
    if bob_stakes > 0 {
        x.ok(Event::OpenPosition {
            pool: stake_pool,
            owner: bob,
            amount_base_units: bob_stakes,
            lock_steps: 0,
        });
    }
    let usd = asset(&x.e, "USD");
    Live {
        alice,
        bob,
        carol,
        launch,
        token,
        usd,
        model_pool: g.pool,
        stake_pool,
        x,
    }
}

fn used(l: &mut Live, payer: AccountId, calls: u64) -> UsageReceipt {
    match l.x.ok(Event::LaunchUsage {
        launch: l.launch,
        payer,
        calls,
    }) {
        Receipt::LaunchUsed(r) => r,
        r => panic!("{r:?}"),
    }
}

/// Uniswap v2's exact-in output with a fee in ppm, written out here
/// independently of `pool_math` (its products pass 128 bits: a plain
/// 256-bit product and a bitwise long division).
fn cp_out(a: u128, r_in: u128, r_out: u128, fee_ppm: u128) -> u128 {
    let a_fee = a * (1_000_000 - fee_ppm);
    mul_div(a_fee, r_out, r_in * 1_000_000 + a_fee)
}

fn mul_div(x: u128, y: u128, d: u128) -> u128 {
    // x * y as four 64-bit limbs, little end first.
    let (x0, x1, y0, y1) = (x as u64 as u128, x >> 64, y as u64 as u128, y >> 64);
    let mut limbs = [0u128; 4];
    for (i, xi) in [x0, x1].into_iter().enumerate() {
        let mut carry = 0u128;
        for (j, yj) in [y0, y1].into_iter().enumerate() {
            let t = xi * yj + limbs[i + j] + carry;
            limbs[i + j] = t & u128::from(u64::MAX);
            carry = t >> 64;
        }
        limbs[i + 2] += carry;
    }
    let (mut q, mut r) = (0u128, 0u128);
    for bit in (0..256).rev() {
        let b = (limbs[bit / 64] >> (bit % 64)) & 1;
        let carry_out = r >> 127;
        r = (r << 1) | b;
        q <<= 1;
        if carry_out == 1 || r >= d {
            r = r.wrapping_sub(d);
            q |= 1;
        }
    }
    q
}

/// Bob (10,000 MT staked: the 25% tier) makes 100,000 calls:
/// - gross 100,000 x $0.01 = $1,000 (10^9 micro-dollars), recorded;
/// - charged $1,000 - 25% = $750; compute 100,000 x $0.004 = $400 paid out;
///   net $350;
/// - parts: $105 FLOCK buyback, $105 treasury, $105 model burn, $35 to
///   alice (10% of the net);
/// - $105 into flock_usd (1,000,000 FLOCK / $100,000):
///   floor(105 x 10^6 x 0.997 x 10^24 / (10^11 x 10^6 + 104,685,000 x
///   10^6)) = 1,045.755251115369875046 FLOCK, burned;
/// - the next $105 on the moved pool (1e11 + 1.05e8 micro-dollars,
///   998,954.24... FLOCK): 1,043.567047551711069689 FLOCK, then on the model
///   pool (50,000 FLOCK / 200,000 MT): 4,076.910077130466055174 MT, burned.
///
/// (Computed with Python's integers, and again below with `cp_out`.)
#[test]
fn one_call_batch_splits_the_net_exactly() {
    let mut l = live(10_000 * T);
    let (alice, bob, usd, token) = (l.alice, l.bob, l.usd, l.token);
    let flock = l.x.flock;
    let treasury = l.x.treasury;
    let usd_supply = l.x.s.totals(usd).supply;
    let flock_supply = l.x.s.totals(flock).supply;
    let mt_supply = l.x.s.totals(token).supply;
    let treasury_usd = l.x.s.balance(usd, treasury);
    let pool_before = l.x.s.pool(FLOCK_USD).unwrap().reserves;
    assert_eq!(pool_before, [1_000_000 * T, 100_000 * USD]);
    let model_before = l.x.s.pool(l.model_pool).unwrap().reserves;
    assert_eq!(model_before, [200_000 * T, 50_000 * T]);

    let r = used(&mut l, bob, 100_000);
    assert_eq!(r.gross, 1_000 * USD);
    assert_eq!(r.staked, 10_000 * T);
    assert_eq!(r.discount, pct(25));
    assert_eq!(r.charged, 750 * USD);
    assert_eq!(r.cost, 400 * USD);
    assert_eq!(r.net, 350 * USD);
    let amounts: Vec<u128> = r.parts().iter().map(|p| p.amount).collect();
    assert_eq!(amounts, [105 * USD, 105 * USD, 105 * USD, 35 * USD]);

    let flock_bought = 1_045_755_251_115_369_875_046;
    let flock_for_model = 1_043_567_047_551_711_069_689;
    let mt_burned = 4_076_910_077_130_466_055_174;
    // The same by the formula, independently of the engine.
    assert_eq!(
        cp_out(105 * USD, 100_000 * USD, 1_000_000 * T, 3_000),
        flock_bought
    );
    assert_eq!(
        cp_out(
            105 * USD,
            100_105 * USD,
            1_000_000 * T - flock_bought,
            3_000
        ),
        flock_for_model
    );
    assert_eq!(
        cp_out(flock_for_model, 50_000 * T, 200_000 * T, 3_000),
        mt_burned
    );
    let delivered: Vec<u128> = r.parts().iter().map(|p| p.delivered).collect();
    assert_eq!(delivered, [flock_bought, 105 * USD, mt_burned, 35 * USD]);

    // Alice's yield, the treasury's share, the burns.
    assert_eq!(l.x.s.balance(usd, alice), 35 * USD);
    assert_eq!(l.x.s.balance(usd, treasury), treasury_usd + 105 * USD);
    assert_eq!(l.x.s.totals(flock).supply, flock_supply - flock_bought);
    assert_eq!(l.x.s.totals(token).supply, mt_supply - mt_burned);
    // USD: $750 paid in, $400 paid out as compute; $210 into flock_usd.
    assert_eq!(l.x.s.totals(usd).supply, usd_supply + 350 * USD);
    assert_eq!(
        l.x.s.pool(FLOCK_USD).unwrap().reserves,
        [
            1_000_000 * T - flock_bought - flock_for_model,
            100_210 * USD
        ]
    );
    assert_eq!(
        l.x.s.pool(l.model_pool).unwrap().reserves,
        [200_000 * T - mt_burned, 50_000 * T + flock_for_model]
    );
    // Bob's gross usage, as if he paid full price.
    let state = l.x.s.launch_state(l.launch).unwrap();
    assert_eq!(state.usage_of(bob), 1_000 * USD);
    assert_eq!(state.gross_usage, 1_000 * USD);
    assert_eq!(state.stake_pool, Some(l.stake_pool));
}

/// The tiers by the amount staked: nothing below 1,000 MT, each tier from
/// its minimum exactly; a payer who stakes nothing pays full price. Gross
/// usage adds up per payer.
#[test]
fn discounts_follow_the_stake_tiers() {
    // 999.999... MT: no tier; 7 calls, $0.07 charged, $0.028 compute,
    // $0.042 net: 12,600 / 12,600 / 12,600 / 4,200 micro-dollars.
    let mut l = live(1_000 * T - 1);
    let (bob, carol) = (l.bob, l.carol);
    let r = used(&mut l, bob, 7);
    assert_eq!((r.discount, r.charged, r.net), (Ppm::ZERO, 70_000, 42_000));
    let amounts: Vec<u128> = r.parts().iter().map(|p| p.amount).collect();
    assert_eq!(amounts, [12_600, 12_600, 12_600, 4_200]);
    // One more base unit staked: 1,000 MT, the 10% tier. 3 calls: gross
    // 30,000; discount floor(30,000 x 10%) = 3,000; charged 27,000; cost
    // 12,000; net 15,000: floor(4,500) x 3 and 1,500, no dust.
    let pool = l.stake_pool;
    let position = furnace_core::ids::PositionId(0);
    l.x.ok(Event::AddToPosition {
        pool,
        position,
        amount_base_units: 1,
    });
    let r = used(&mut l, bob, 3);
    assert_eq!((r.staked, r.discount), (1_000 * T, pct(10)));
    assert_eq!(
        (r.gross, r.charged, r.cost, r.net),
        (30_000, 27_000, 12_000, 15_000)
    );
    // Carol stakes nothing: full price.
    let r = used(&mut l, carol, 1);
    assert_eq!((r.discount, r.charged), (Ppm::ZERO, 10_000));
    let state = l.x.s.launch_state(l.launch).unwrap();
    assert_eq!(state.usage_of(bob), 100_000);
    assert_eq!(state.usage_of(carol), 10_000);
    assert_eq!(state.gross_usage, 110_000);
}

/// Rounding, on a rule priced $0.010001 a call with $0.004001 of compute:
/// the discount is floored, so the charge rounds up, and the parts' dust
/// goes to the first part.
#[test]
fn the_first_part_takes_the_dust_and_the_charge_rounds_up() {
    let mut e = usage_spec();
    if let Some(u) = e.launches[0].usage.as_mut() {
        u.price_per_call = 10_001;
        u.cost_per_call = 4_001;
    }
    let mut x = Fx::with(valid(e));
    let alice = x.holder(40_000);
    let (bob, carol) = (x.holder(200_000), x.holder(200_000));
    let (launch, _) = x.launch(alice);
    x.buy(launch, bob, 20_000 * T);
    let q = quote_in_for_principal(ppm(15_000), 80_300 * T).unwrap();
    x.buy(launch, carol, q);
    let pool = match x.ok(Event::GraduateLaunch { launch }) {
        Receipt::Graduated(g) => g.stake_pool.unwrap(),
        r => panic!("{r:?}"),
    };
    x.ok(Event::OpenPosition {
        pool,
        owner: bob,
        amount_base_units: 10_000 * T,
        lock_steps: 0,
    });
    // 1 call at 25%: discount floor(10,001 / 4) = 2,500, charged 7,501
    // (7,500.75 rounded up); cost 4,001; net 3,500: 1,050 x 3 + 350 = 3,500
    // exactly. 3 calls: gross 30,003, discount floor(7,500.75) = 7,500,
    // charged 22,503, cost 12,003, net 10,500 again. 7 calls: gross
    // 70,007, discount 17,501, charged 52,506, cost 28,007, net 24,499:
    // floor(7,349.7) = 7,349 x 3 = 22,047, floor(2,449.9) = 2,449; dust 3
    // to the first part: 7,352.
    let r = match x.ok(Event::LaunchUsage {
        launch,
        payer: bob,
        calls: 1,
    }) {
        Receipt::LaunchUsed(r) => r,
        r => panic!("{r:?}"),
    };
    assert_eq!((r.charged, r.net), (7_501, 3_500));
    let r = match x.ok(Event::LaunchUsage {
        launch,
        payer: bob,
        calls: 7,
    }) {
        Receipt::LaunchUsed(r) => r,
        r => panic!("{r:?}"),
    };
    assert_eq!(
        (r.gross, r.charged, r.cost, r.net),
        (70_007, 52_506, 28_007, 24_499)
    );
    let amounts: Vec<u128> = r.parts().iter().map(|p| p.amount).collect();
    assert_eq!(amounts, [7_352, 7_349, 7_349, 2_449]);
    assert_eq!(amounts.iter().sum::<u128>(), 24_499);
}

/// Refusals leave the state `==` (checked by `reject`), each with its code.
#[test]
fn usage_refusals_leave_the_state_unchanged() {
    let mut l = live(0);
    let (launch, bob) = (l.launch, l.bob);
    l.x.reject(
        Event::LaunchUsage {
            launch,
            payer: bob,
            calls: 0,
        },
        "zero_amount",
    );
    l.x.reject(
        Event::LaunchUsage {
            launch: LaunchId(9),
            payer: bob,
            calls: 1,
        },
        "unknown_launch",
    );
    l.x.reject(
        Event::LaunchUsage {
            launch,
            payer: AccountId::opened(999).unwrap(),
            calls: 1,
        },
        "unknown_account",
    );
    // A spec without a usage rule.
    let mut plain = Fx::new();
    let alice = plain.holder(40_000);
    let carol = plain.holder(200_000);
    let (launch, _) = plain.launch(alice);
    let q = quote_in_for_principal(ppm(15_000), 100_000 * T).unwrap();
    plain.buy(launch, carol, q);
    plain.ok(Event::GraduateLaunch { launch });
    plain.reject(
        Event::LaunchUsage {
            launch,
            payer: carol,
            calls: 1,
        },
        "no_usage_rule",
    );
    // Staking more than one holds is refused by the stake pool.
    let held = l.x.s.balance(l.token, bob);
    l.x.reject(
        Event::OpenPosition {
            pool: l.stake_pool,
            owner: bob,
            amount_base_units: held + 1,
            lock_steps: 0,
        },
        "insufficient_balance",
    );
}

/// Validation: a discount above the cap, a cap of 100%, tiers not rising,
/// parts not summing to 100%, burning the numeraire, a `via` that is not a
/// pool of the numeraire and the quote, discounts without a stake pool.
#[test]
fn a_usage_rule_is_validated() {
    let mut e = usage_spec();
    {
        let u = e.launches[0].usage.as_mut().unwrap();
        u.discounts[2].discount = pct(60);
        u.discounts[1].min_staked = u.discounts[0].min_staked;
        u.parts[3].share = pct(11);
        u.parts[1].to = UsageTo::Burn;
        u.via = Some(MarketId(5));
    }
    let errors = validation_errors(e);
    let has = |path: &str, text: &str| errors.iter().any(|(p, m)| p == path && m.contains(text));
    let u = "launches.rmo.usage";
    assert!(
        has(&format!("{u}.discounts[2].discount"), "above the cap"),
        "{errors:?}"
    );
    assert!(
        has(&format!("{u}.discounts[1].staked"), "rise strictly"),
        "{errors:?}"
    );
    assert!(
        has(&format!("{u}.parts"), "sum to exactly 100%"),
        "{errors:?}"
    );
    assert!(has(&format!("{u}.parts[1].to"), "not burned"), "{errors:?}");
    assert!(
        has(&format!("{u}.via"), "pool of the numeraire"),
        "{errors:?}"
    );

    let mut e = usage_spec();
    e.launches[0].usage.as_mut().unwrap().max_discount = Ppm::ONE;
    e.launches[0].staking = None;
    let errors = validation_errors(e);
    assert!(
        errors
            .iter()
            .any(|(p, m)| p == "launches.rmo.usage.max_discount" && m.contains("never free")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|(p, m)| p == "launches.rmo.usage.discounts" && m.contains("staking")),
        "{errors:?}"
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Under random stakes and call batches: the charge is the gross
        /// less its floored discount, at most the cap; charge = compute +
        /// net; the parts sum exactly to the net; the numeraire's supply
        /// grows by the net exactly; the model token's supply falls by
        /// what was burned; gross usage adds up per payer. (The full ledger
        /// check runs after every event in test builds.)
        #[test]
        fn usage_conserves_money(
            bob_stake in 0u128..60_000,
            batches in proptest::collection::vec((0usize..2, 1u64..2_000_000), 1..12),
        ) {
            let mut l = live(bob_stake * T);
            let payers = [l.bob, l.carol];
            let mut gross_of = [0u128; 2];
            for (who, calls) in batches {
                let usd_before = l.x.s.totals(l.usd).supply;
                let mt_before = l.x.s.totals(l.token).supply;
                let r = used(&mut l, payers[who], calls);
                let gross = 10_000 * u128::from(calls);
                prop_assert_eq!(r.gross, gross);
                let d = u128::from(r.discount.0);
                prop_assert!(d <= 500_000);
                prop_assert_eq!(r.charged, gross - gross * d / 1_000_000);
                prop_assert_eq!(r.cost, (4_000 * u128::from(calls)).min(r.charged));
                prop_assert_eq!(r.charged, r.cost + r.net);
                prop_assert_eq!(r.parts().iter().map(|p| p.amount).sum::<u128>(), r.net);
                prop_assert_eq!(l.x.s.totals(l.usd).supply, usd_before + r.net);
                prop_assert_eq!(l.x.s.totals(l.token).supply, mt_before - r.parts()[2].delivered);
                gross_of[who] += gross;
            }
            let state = l.x.s.launch_state(l.launch).unwrap();
            prop_assert_eq!(state.usage_of(l.bob), gross_of[0]);
            prop_assert_eq!(state.usage_of(l.carol), gross_of[1]);
            prop_assert_eq!(state.gross_usage, gross_of[0] + gross_of[1]);
        }
    }
}
