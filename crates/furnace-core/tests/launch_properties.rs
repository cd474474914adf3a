//! Launch properties over random sequences of purchases, ticks,
//! graduations, refunds and sales on `common::fomo` (four buyers, the
//! issuer among them): every rejection leaves the state equal; the price
//! along the curve never falls; a failed launch gives each buyer back
//! exactly what they paid less the fees the test computes itself
//! (`q - floor(q 985,000 / 10^6)`); a graduated one mints each buyer
//! exactly the tokens their receipts said, and the supply is the table
//! less the unsold sale. Conservation of every asset is checked after each
//! event by `apply` itself (debug builds).

mod common;

use common::fomo::*;
use common::*;
use furnace_core::ids::LaunchId;
use furnace_core::state::LaunchStatus;
use furnace_core::{apply, AccountId, Event, Receipt};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    /// Buyer `who` (0 is the issuer) pays `whole` FLOCK plus `dust` base
    /// units.
    Buy {
        who: usize,
        whole: u128,
        dust: u128,
    },
    Tick,
    Graduate,
    Fail,
    Sell {
        who: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..4, 0u128..40_000, 0u128..1_000_000)
            .prop_map(|(who, whole, dust)| Op::Buy { who, whole, dust }),
        4 => Just(Op::Tick),
        1 => Just(Op::Graduate),
        2 => Just(Op::Fail),
        1 => (0usize..4).prop_map(|who| Op::Sell { who }),
    ]
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(128);
    ProptestConfig {
        cases,
        max_shrink_iters: 2_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn launches_refund_exactly_and_mint_what_they_sold(ops in prop::collection::vec(op(), 1..40)) {
        let mut x = Fx::new();
        let buyers: Vec<AccountId> = (0..4).map(|_| x.holder(300_000)).collect();
        let (launch, token) = x.launch(buyers[0]);
        let start: Vec<u128> = buyers.iter().map(|b| x.flock_of(*b)).collect();
        let mut fees = [0u128; 4];
        let mut owed = [0u128; 4];
        for op in &ops {
            let ev = match *op {
                Op::Buy { who, whole, dust } => Event::BuyOnCurve {
                    launch,
                    buyer: buyers[who],
                    quote_in: whole * T + dust,
                    min_tokens_out: 0,
                },
                Op::Tick => Event::Tick,
                Op::Graduate => Event::GraduateLaunch { launch },
                Op::Fail => Event::FailLaunch { launch },
                Op::Sell { who } => Event::SellOnCurve {
                    launch,
                    seller: buyers[who],
                    tokens_in: T,
                },
            };
            let before = x.s.clone();
            match apply(&x.e, &mut x.s, &ev) {
                Ok(Receipt::BoughtOnCurve(b)) => {
                    let Op::Buy { who, whole, dust } = *op else { unreachable!() };
                    let q = whole * T + dust;
                    let fee = q - q * 985_000 / 1_000_000;
                    prop_assert_eq!(b.fee, fee);
                    prop_assert_eq!(b.principal + b.fee, q);
                    fees[who] += fee;
                    owed[who] += b.tokens;
                    // The curve before: x = 10^5 T + raised, y = 5 10^5 T - sold.
                    let was = before.launch_state(launch).unwrap();
                    let x_p = 100_000 * T + was.raised + b.principal;
                    let y = 500_000 * T - was.sold;
                    let (t, p) = (b.tokens, b.principal);
                    prop_assert!(wide_mul(t, x_p) <= wide_mul(p, y));
                    prop_assert!(wide_mul(p, y) < wide_mul(t + 1, x_p));
                }
                Ok(_) => {}
                Err(_) => prop_assert!(x.s == before, "a rejection changed the state: {ev:?}"),
            }
        }
        let l = x.s.launch_state(launch).unwrap();
        match l.status {
            LaunchStatus::Failed { .. } => {
                for (i, b) in buyers.iter().enumerate() {
                    prop_assert_eq!(x.flock_of(*b), start[i] - fees[i]);
                }
                prop_assert_eq!(x.s.totals(token).minted, 0);
            }
            LaunchStatus::Graduated { .. } => {
                prop_assert!(l.raised >= 100_000 * T);
                // The issuer also holds the 10% operator allocation.
                prop_assert_eq!(x.s.balance(token, buyers[0]), owed[0] + 100_000 * T);
                for i in 1..4 {
                    prop_assert_eq!(x.s.balance(token, buyers[i]), owed[i]);
                }
                let sold: u128 = owed.iter().sum();
                prop_assert_eq!(x.s.supply(token), 600_000 * T + sold);
            }
            LaunchStatus::Raising => {
                prop_assert_eq!(x.s.supply(token), 0);
                let paid: u128 = (0..4).map(|i| start[i] - x.flock_of(buyers[i])).sum();
                prop_assert_eq!(paid, l.raised + l.fees);
            }
        }
        prop_assert!(l.sold <= 400_000 * T);
        prop_assert_eq!(LaunchId(0), launch);
    }
}
