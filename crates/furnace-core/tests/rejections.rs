//! Every refused event changes nothing: the state after a rejection is equal
//! (`==`, all fields, including the applied-event counter) to a clone taken
//! before it, and the rejection carries its stable `code()`.

use furnace_config::load_economy;
use furnace_core::economy::{AccountId, AssetId, Economy, PlanId, VersionId};
use furnace_core::engine::Rejection;
use furnace_core::event::{
    BurnReason, Event, MintReason, PathId, Payer, Payment, SubscriptionId, TrainerWeight,
    WorkflowId,
};
use furnace_core::{apply, State};
use std::path::Path;

const T: u128 = 1_000_000_000_000_000_000;
const CENT: u128 = 10_000_000_000;

struct Fx {
    e: Economy,
    s: State,
    lam: AssetId,
    usd: AssetId,
    v1: VersionId,
    agent: PlanId,
    market: AccountId,
}

impl Fx {
    fn new() -> Fx {
        let e = load_economy(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../economies/lam.toml"
        )))
        .unwrap_or_else(|e| panic!("{e}"))
        .economy;
        Fx::with(e)
    }

    fn with(e: Economy) -> Fx {
        Fx {
            s: State::genesis(&e),
            lam: e.asset_by_name("LAM").unwrap(),
            usd: e.usd,
            v1: e.version_by_name("LAM-1").unwrap(),
            agent: e.plan_by_name("agent").unwrap(),
            market: e.account_by_name("market").unwrap(),
            e,
        }
    }

    fn ok(&mut self, ev: Event) -> furnace_core::Receipt {
        apply(&self.e, &mut self.s, &ev).unwrap_or_else(|r| panic!("{ev:?} rejected: {r}"))
    }

    /// Apply `ev`, which must be rejected with `code`, leaving the state as it was.
    fn reject(&mut self, ev: Event, code: &str) -> Rejection {
        let before = self.s.clone();
        let r = match apply(&self.e, &mut self.s, &ev) {
            Ok(receipt) => panic!("{ev:?} was accepted: {receipt:?}"),
            Err(r) => r,
        };
        assert_eq!(r.code(), code, "{ev:?}: {r}");
        assert_eq!(
            self.s, before,
            "{ev:?} was rejected ({r}) but changed state"
        );
        assert!(!r.to_string().is_empty());
        self.s.check_invariants().unwrap();
        r
    }

    fn open(&mut self) -> AccountId {
        match self.ok(Event::OpenAccount) {
            furnace_core::Receipt::AccountOpened(a) => a,
            r => panic!("{r:?}"),
        }
    }

    fn price(&mut self, pico: u128) {
        let token = self.lam;
        self.ok(Event::SetPrice {
            token,
            price_usd_pico: pico,
        });
    }

    fn buy(&mut self, buyer: AccountId, amount: u128) {
        let token = self.lam;
        self.ok(Event::MarketBuy {
            token,
            buyer,
            amount_base_units: amount,
        });
    }

    fn actions(&self, payer: Payer, count: u64) -> Event {
        Event::Actions {
            payer,
            version: self.v1,
            count,
            workflow: None,
            path: None,
        }
    }

    fn subscribe(&mut self, subscriber: AccountId, payment: Payment) -> SubscriptionId {
        let plan = self.agent;
        match self.ok(Event::Subscribe {
            subscriber,
            plan,
            payment,
        }) {
            furnace_core::Receipt::Subscribed { subscription, .. } => subscription,
            r => panic!("{r:?}"),
        }
    }
}

#[test]
fn unknown_version() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let payer = fx.open();
    fx.buy(payer, 100 * T);
    let r = fx.reject(
        Event::Actions {
            payer: Payer::Account(payer),
            version: VersionId(7),
            count: 1,
            workflow: None,
            path: None,
        },
        "unknown_version",
    );
    assert_eq!(r, Rejection::UnknownVersion(VersionId(7)));
}

#[test]
fn unknown_account() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let payer = fx.open();
    fx.buy(payer, 100 * T);
    let ghost = AccountId(fx.s.account_count() as u32);
    let (lam, usd) = (fx.lam, fx.usd);
    let r = fx.reject(fx.actions(Payer::Account(ghost), 1), "unknown_account");
    assert_eq!(r, Rejection::UnknownAccount(ghost));
    fx.reject(
        Event::Transfer {
            asset: lam,
            from: payer,
            to: ghost,
            amount_base_units: T,
        },
        "unknown_account",
    );
    fx.reject(
        Event::Transfer {
            asset: lam,
            from: ghost,
            to: payer,
            amount_base_units: T,
        },
        "unknown_account",
    );
    fx.reject(
        Event::Mint {
            asset: usd,
            to: ghost,
            amount_base_units: 1,
            reason: MintReason::ExternalInflow,
        },
        "unknown_account",
    );
    fx.reject(
        Event::Burn {
            asset: lam,
            from: ghost,
            amount_base_units: 1,
            reason: BurnReason::Voluntary,
        },
        "unknown_account",
    );
    fx.reject(
        Event::MarketBuy {
            token: lam,
            buyer: ghost,
            amount_base_units: 1,
        },
        "unknown_account",
    );
    fx.reject(
        Event::PublishWorkflow {
            creator: ghost,
            epoch: 1,
        },
        "unknown_account",
    );
    fx.reject(
        Event::RegisterTrainerPath {
            trainers: vec![
                TrainerWeight {
                    trainer: payer,
                    quality: 1,
                    usage: 1,
                },
                TrainerWeight {
                    trainer: ghost,
                    quality: 1,
                    usage: 1,
                },
            ],
        },
        "unknown_account",
    );
    let agent = fx.agent;
    fx.reject(
        Event::Subscribe {
            subscriber: ghost,
            plan: agent,
            payment: Payment::Usd,
        },
        "unknown_account",
    );
    // The account that opens next is known from then on.
    assert_eq!(fx.open(), ghost);
}

#[test]
fn zero_price() {
    let mut fx = Fx::new();
    let lam = fx.lam;
    let r = fx.reject(
        Event::SetPrice {
            token: lam,
            price_usd_pico: 0,
        },
        "zero_price",
    );
    assert_eq!(r, Rejection::ZeroPrice);
    // A set price is not unset by a later zero.
    fx.price(CENT);
    fx.reject(
        Event::SetPrice {
            token: lam,
            price_usd_pico: 0,
        },
        "zero_price",
    );
    assert_eq!(fx.s.price_usd_pico(lam), CENT);
    assert_eq!(fx.s.tokens_per_action(fx.v1), 10 * T);
}

#[test]
fn price_not_set() {
    let mut fx = Fx::new();
    let (lam, market) = (fx.lam, fx.market);
    let community = fx.e.account_by_name("community").unwrap();
    let r = fx.reject(fx.actions(Payer::Account(community), 1), "price_not_set");
    assert_eq!(r, Rejection::PriceNotSet(lam));
    let buyer = fx.open();
    fx.reject(
        Event::MarketBuy {
            token: lam,
            buyer,
            amount_base_units: T,
        },
        "price_not_set",
    );
    fx.reject(
        Event::Subscribe {
            subscriber: community,
            plan: fx.agent,
            payment: Payment::Token,
        },
        "price_not_set",
    );
    // A USD subscription needs no price to start, but its actions do.
    let sub = fx.subscribe(buyer, Payment::Usd);
    fx.reject(fx.actions(Payer::Subscription(sub), 1), "price_not_set");
    fx.reject(
        Event::Buyback {
            usd_micros: 1_000_000,
        },
        "price_not_set",
    );
    assert_eq!(fx.s.balance(lam, market), 650_000_000 * T);
}

#[test]
fn insufficient_balance() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let payer = fx.open();
    fx.buy(payer, 10 * T - 1); // one base unit short of one action
    let lam = fx.lam;
    let r = fx.reject(fx.actions(Payer::Account(payer), 1), "insufficient_balance");
    assert_eq!(
        r,
        Rejection::InsufficientBalance {
            account: payer,
            asset: lam,
            needed: 10 * T,
            available: 10 * T - 1,
        }
    );
    let other = fx.open();
    for ev in [
        Event::Transfer {
            asset: lam,
            from: payer,
            to: other,
            amount_base_units: 10 * T,
        },
        Event::Burn {
            asset: lam,
            from: payer,
            amount_base_units: 10 * T,
            reason: BurnReason::Penalty,
        },
        Event::Subscribe {
            subscriber: payer,
            plan: fx.agent,
            payment: Payment::Token,
        },
    ] {
        fx.reject(ev, "insufficient_balance");
    }
    // The last base unit can be moved; then it is gone.
    fx.ok(Event::Transfer {
        asset: lam,
        from: payer,
        to: other,
        amount_base_units: 10 * T - 1,
    });
    fx.reject(
        Event::Transfer {
            asset: lam,
            from: payer,
            to: other,
            amount_base_units: 1,
        },
        "insufficient_balance",
    );
}

#[test]
fn zero_amount() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let payer = fx.open();
    fx.buy(payer, 100 * T);
    let (lam, usd) = (fx.lam, fx.usd);
    let r = fx.reject(fx.actions(Payer::Account(payer), 0), "zero_amount");
    assert_eq!(r, Rejection::ZeroAmount);
    for ev in [
        Event::Transfer {
            asset: lam,
            from: payer,
            to: payer,
            amount_base_units: 0,
        },
        Event::Mint {
            asset: lam,
            to: payer,
            amount_base_units: 0,
            reason: MintReason::Grant,
        },
        Event::Mint {
            asset: usd,
            to: payer,
            amount_base_units: 0,
            reason: MintReason::ExternalInflow,
        },
        Event::Burn {
            asset: lam,
            from: payer,
            amount_base_units: 0,
            reason: BurnReason::Voluntary,
        },
        Event::MarketBuy {
            token: lam,
            buyer: payer,
            amount_base_units: 0,
        },
        Event::Buyback { usd_micros: 0 },
    ] {
        fx.reject(ev, "zero_amount");
    }
}

#[test]
fn allowance_exceeded() {
    let mut fx = Fx::new();
    fx.price(10 * CENT);
    let subscriber = fx.open();
    fx.buy(subscriber, 9_000 * T);
    let sub = fx.subscribe(subscriber, Payment::Token);
    // More than the whole allowance at once.
    let r = fx.reject(
        fx.actions(Payer::Subscription(sub), 150_001),
        "allowance_exceeded",
    );
    assert_eq!(
        r,
        Rejection::AllowanceExceeded {
            subscription: sub,
            included: 150_000,
            used: 0,
            requested: 150_001,
        }
    );
    // A count so large it would overflow the counter.
    fx.reject(
        fx.actions(Payer::Subscription(sub), u64::MAX),
        "allowance_exceeded",
    );
    fx.ok(fx.actions(Payer::Subscription(sub), 149_999));
    fx.reject(
        fx.actions(Payer::Subscription(sub), 2),
        "allowance_exceeded",
    );
    fx.ok(fx.actions(Payer::Subscription(sub), 1));
    fx.reject(
        fx.actions(Payer::Subscription(sub), 1),
        "allowance_exceeded",
    );
    // USD subscriptions have the same allowance.
    let usd_sub = fx.subscribe(subscriber, Payment::Usd);
    fx.reject(
        fx.actions(Payer::Subscription(usd_sub), 150_001),
        "allowance_exceeded",
    );
}

#[test]
fn expired_subscription() {
    let mut fx = Fx::new();
    fx.price(10 * CENT);
    let subscriber = fx.open();
    fx.buy(subscriber, 9_000 * T);
    let sub = fx.subscribe(subscriber, Payment::Token);
    fx.ok(Event::ExpireSubscription { subscription: sub });
    let r = fx.reject(
        fx.actions(Payer::Subscription(sub), 1),
        "subscription_inactive",
    );
    assert_eq!(r, Rejection::SubscriptionInactive(sub));
    fx.reject(
        Event::ExpireSubscription { subscription: sub },
        "subscription_inactive",
    );
    let ghost = SubscriptionId(sub.0 + 1);
    fx.reject(
        Event::ExpireSubscription {
            subscription: ghost,
        },
        "unknown_subscription",
    );
    fx.reject(
        fx.actions(Payer::Subscription(ghost), 1),
        "unknown_subscription",
    );
}

#[test]
fn market_buy_beyond_market_balance() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let buyer = fx.open();
    let (lam, market) = (fx.lam, fx.market);
    let in_market = 650_000_000 * T;
    let r = fx.reject(
        Event::MarketBuy {
            token: lam,
            buyer,
            amount_base_units: in_market + 1,
        },
        "insufficient_balance",
    );
    assert_eq!(
        r,
        Rejection::InsufficientBalance {
            account: market,
            asset: lam,
            needed: in_market + 1,
            available: in_market,
        }
    );
    // Exactly the market's balance is fine (and costs $6.5M at $0.01).
    let usd0 = fx.s.balance(fx.usd, market);
    fx.buy(buyer, in_market);
    assert_eq!(fx.s.balance(fx.usd, market) - usd0, 6_500_000_000_000);
    fx.reject(
        Event::MarketBuy {
            token: lam,
            buyer,
            amount_base_units: 1,
        },
        "insufficient_balance",
    );
}

#[test]
fn unknown_ids_and_invalid_arguments() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let payer = fx.open();
    fx.buy(payer, 100 * T);
    let (lam, usd, v1) = (fx.lam, fx.usd, fx.v1);
    let cases: Vec<(Event, &str)> = vec![
        (
            Event::Actions {
                payer: Payer::Account(payer),
                version: v1,
                count: 1,
                workflow: Some(WorkflowId(0)),
                path: None,
            },
            "unknown_workflow",
        ),
        (
            Event::Actions {
                payer: Payer::Account(payer),
                version: v1,
                count: 1,
                workflow: None,
                path: Some(PathId(0)),
            },
            "unknown_path",
        ),
        (
            Event::SetPrice {
                token: AssetId(9),
                price_usd_pico: CENT,
            },
            "unknown_asset",
        ),
        (
            Event::SetPrice {
                token: usd,
                price_usd_pico: CENT,
            },
            "not_a_token",
        ),
        (
            Event::MarketBuy {
                token: usd,
                buyer: payer,
                amount_base_units: 1,
            },
            "not_a_token",
        ),
        (
            Event::Subscribe {
                subscriber: payer,
                plan: PlanId(3),
                payment: Payment::Usd,
            },
            "unknown_plan",
        ),
        (
            Event::PublishWorkflow {
                creator: payer,
                epoch: 0,
            },
            "invalid_epoch",
        ),
        (
            Event::Mint {
                asset: lam,
                to: payer,
                amount_base_units: T,
                reason: MintReason::Genesis,
            },
            "invalid_reason",
        ),
        (
            Event::Mint {
                asset: lam,
                to: payer,
                amount_base_units: T,
                reason: MintReason::ExternalInflow,
            },
            "invalid_reason",
        ),
        (
            Event::Mint {
                asset: usd,
                to: payer,
                amount_base_units: 1,
                reason: MintReason::Grant,
            },
            "invalid_reason",
        ),
        (
            Event::Burn {
                asset: lam,
                from: payer,
                amount_base_units: 1,
                reason: BurnReason::ExternalOutflow,
            },
            "invalid_reason",
        ),
        (
            Event::Mint {
                asset: lam,
                to: payer,
                amount_base_units: u128::MAX,
                reason: MintReason::Grant,
            },
            "overflow",
        ),
    ];
    for (ev, code) in cases {
        fx.reject(ev, code);
    }
}

#[test]
fn not_configured() {
    let mut e = Fx::new().e;
    e.buyback = None;
    e.subscriptions = None;
    e.market = None;
    let mut fx = Fx::with(e);
    fx.price(CENT);
    let buyer = fx.open();
    let lam = fx.lam;
    fx.reject(
        Event::MarketBuy {
            token: lam,
            buyer,
            amount_base_units: 1,
        },
        "not_configured",
    );
    fx.reject(
        Event::Buyback {
            usd_micros: 1_000_000,
        },
        "not_configured",
    );
    fx.reject(
        Event::Subscribe {
            subscriber: buyer,
            plan: PlanId(0),
            payment: Payment::Usd,
        },
        "not_configured",
    );
}
