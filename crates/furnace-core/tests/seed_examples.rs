//! The seeds' worked examples, run through `apply` on the hand-built LAM
//! and AST economies (`common`), with exact base-unit amounts computed by
//! hand (or by the python3 expression in the comment next to them).
//!
//! Units: LAM has 18 decimals (`T` = one whole LAM); USD amounts are
//! micro-dollars (`USD` = $1); prices are pico-dollars per whole token
//! (`CENT` = $0.01).

mod common;

use common::*;
use furnace_core::engine::{
    split, subscription_tokens, tokens_per_action, version_tokens_per_action, ActionsReceipt,
    Price, Receipt, Rejection, Role, Sink,
};
use furnace_core::event::{BurnReason, MintReason, Order, TrainerWeight};
use furnace_core::ids::{PathId, SubscriptionId, WorkflowId};
use furnace_core::units::Ppm;
use furnace_core::{
    AccountId, AssetId, Event, MarketId, Payer, Payment, State, ValidEconomy, VersionId,
};

/// An economy and its state, with the helpers the examples need.
struct Lam {
    e: ValidEconomy,
    s: State,
    lam: AssetId,
    usd: AssetId,
    v1: VersionId,
    otc: MarketId,
}

impl Lam {
    fn new() -> Lam {
        Lam::with(lam())
    }

    fn with(e: ValidEconomy) -> Lam {
        let s = State::genesis(&e);
        Lam {
            lam: asset(&e, "LAM"),
            usd: e.numeraire,
            v1: version(&e, "LAM-1"),
            otc: market(&e, "otc"),
            s,
            e,
        }
    }

    fn ok(&mut self, ev: Event) -> Receipt {
        must(&self.e, &mut self.s, ev)
    }

    fn rejected(&mut self, ev: Event, code: &str) -> Rejection {
        reject(&self.e, &mut self.s, ev, code)
    }

    fn set_price(&mut self, pico: u128) {
        let token = self.lam;
        self.ok(Event::SetPrice {
            token,
            price_usd_pico: pico,
        });
    }

    fn open(&mut self) -> AccountId {
        open(&self.e, &mut self.s)
    }

    fn acct(&self, name: &str) -> AccountId {
        acct(&self.e, name)
    }

    /// A new account given `amount` LAM base units by the `market` account.
    fn funded(&mut self, amount: u128) -> AccountId {
        let a = self.open();
        let (lam, market) = (self.lam, self.acct("market"));
        self.ok(Event::Transfer {
            asset: lam,
            from: market,
            to: a,
            amount_base_units: amount,
        });
        assert_eq!(self.lam_of(a), amount);
        a
    }

    fn lam_of(&self, a: AccountId) -> u128 {
        self.s.balance(self.lam, a)
    }

    fn lam_at(&self, name: &str) -> u128 {
        self.lam_of(self.acct(name))
    }

    fn usd_at(&self, name: &str) -> u128 {
        self.s.balance(self.usd, self.acct(name))
    }

    fn supply(&self) -> u128 {
        self.s.supply(self.lam)
    }

    fn publish(&mut self, epoch: u32) -> (AccountId, WorkflowId) {
        let creator = self.open();
        match self.ok(Event::PublishWorkflow { creator, epoch }) {
            Receipt::WorkflowPublished(w) => (creator, w),
            r => panic!("unexpected receipt {r:?}"),
        }
    }

    fn actions(
        &mut self,
        payer: Payer,
        count: u64,
        workflow: Option<WorkflowId>,
        path: Option<PathId>,
    ) -> ActionsReceipt {
        let version = self.v1;
        match self.ok(Event::Actions {
            payer,
            version,
            count,
            workflow,
            path,
        }) {
            Receipt::Actions(r) => r,
            r => panic!("unexpected receipt {r:?}"),
        }
    }

    fn subscribe(&mut self, subscriber: AccountId, payment: Payment) -> (SubscriptionId, Receipt) {
        let plan = plan(&self.e, "agent");
        let r = self.ok(Event::Subscribe {
            subscriber,
            plan,
            payment,
        });
        match r {
            Receipt::Subscribed { subscription, .. } => (subscription, r),
            r => panic!("unexpected receipt {r:?}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Tokens per action

#[test]
fn tokens_per_action_for_lam1_at_one_cent_ten_cents_one_dollar() {
    let mut lam = Lam::new();
    let price = lam.e.version(lam.v1).price;
    assert_eq!(price, 100_000, "LAM-1 is $0.10 per action");
    // 10 / 1 / 0.1 tokens at $0.01 / $0.10 / $1.00 (seed 001).
    let cases = [(CENT, 10 * T), (10 * CENT, T), (100 * CENT, T / 10)];
    for (pico, expected) in cases {
        assert_eq!(
            tokens_per_action(price, Price::from_pico(pico, 6, 18)),
            Ok(expected)
        );
        lam.set_price(pico);
        assert_eq!(
            version_tokens_per_action(&lam.e, &lam.s, lam.v1),
            Ok(expected)
        );
        assert_eq!(lam.s.exogenous_price_pico(lam.lam), pico);
    }
    // And one action really debits that much at each price.
    let payer = lam.funded(100 * T);
    for (pico, expected) in cases {
        lam.set_price(pico);
        let before = lam.lam_of(payer);
        let r = lam.actions(Payer::Account(payer), 1, None, None);
        assert_eq!(r.tokens_per_action, expected);
        assert_eq!(r.split.total, expected);
        assert_eq!(before - lam.lam_of(payer), expected);
    }
}

// ---------------------------------------------------------------------------
// The 34 / 33 / 33 split

/// (consumed, burned, creator, ecosystem), in tenths of a LAM.
const SPLIT_TABLE: [(u128, u128, u128, u128); 4] = [
    (100, 34, 33, 33),
    (1_000, 340, 330, 330),
    (10_000, 3_400, 3_300, 3_300),
    (100_000, 34_000, 33_000, 33_000),
];

#[test]
fn split_table_pure() {
    let e = lam();
    let action = e.split(e.version(version(&e, "LAM-1")).split);
    let creator = AccountId::opened(999).unwrap(); // any account: split() is pure
    let ecosystem = acct(&e, "ecosystem");
    for (consumed, burned, to_creator, to_ecosystem) in SPLIT_TABLE {
        let total = consumed * T / 10;
        let r = split(action, total, Some((creator, 1)), None).unwrap();
        assert_eq!(r.total, total);
        assert_eq!(r.burned(), burned * T / 10, "burned of {total}");
        assert_eq!(r.amount_of(Role::CreatorPaid), to_creator * T / 10);
        assert_eq!(r.credited_to(creator), to_creator * T / 10);
        assert_eq!(r.credited_to(ecosystem), to_ecosystem * T / 10);
        assert_eq!(r.amount_of(Role::CreatorShortfall), 0);
        assert_eq!(r.amount_of(Role::Dust), 0);
        assert_eq!(
            r.leg_amounts[..4],
            [
                burned * T / 10,
                to_creator * T / 10,
                to_ecosystem * T / 10,
                0
            ]
        );
        let sum: u128 = r.postings().iter().map(|p| p.amount).sum();
        assert_eq!(sum, total);
    }
}

#[test]
fn split_table_through_apply() {
    let mut lam = Lam::new();
    lam.set_price(CENT); // 10 LAM per action
                         // 1 + 10 + 100 + 1,000 actions = 1,111 actions = 11,110 LAM, bought on
                         // `otc` at $0.01: $111.10, paid from outside and leaving the economy.
    let payer = lam.open();
    let (usd, lam_id, otc) = (lam.usd, lam.lam, lam.otc);
    lam.ok(Event::Mint {
        asset: usd,
        to: payer,
        amount_base_units: 111_100_000,
        reason: MintReason::ExternalInflow,
    });
    let market0 = lam.lam_at("market");
    let r = lam.ok(Event::Swap {
        market: otc,
        trader: payer,
        sell: usd,
        order: Order::ExactOut {
            amount_out: 11_110 * T,
            max_in: 111_100_000,
        },
    });
    let Receipt::Swapped(q) = r else {
        panic!("{r:?}")
    };
    assert_eq!((q.amount_in, q.amount_out), (111_100_000, 11_110 * T));
    assert_eq!(lam.lam_of(payer), 11_110 * T);
    assert_eq!(lam.s.balance(usd, payer), 0);
    assert_eq!(market0 - lam.lam_at("market"), 11_110 * T);
    let usd_totals = lam.s.totals(usd);
    assert_eq!(
        usd_totals.burned_by_reason[BurnReason::ExternalOutflow.index()],
        111_100_000
    );

    let (creator, wf) = lam.publish(1);
    let mut count = 1u64;
    for (consumed, burned, to_creator, to_ecosystem) in SPLIT_TABLE {
        let (payer0, creator0, eco0, supply0) = (
            lam.lam_of(payer),
            lam.lam_of(creator),
            lam.lam_at("ecosystem"),
            lam.supply(),
        );
        let burned_action0 = lam.s.totals(lam_id).burned_by_reason[BurnReason::Action.index()];
        let r = lam.actions(Payer::Account(payer), count, Some(wf), None);
        assert_eq!(r.count, count);
        assert_eq!(r.split.total, consumed * T / 10);
        assert_eq!(payer0 - lam.lam_of(payer), consumed * T / 10);
        assert_eq!(lam.lam_of(creator) - creator0, to_creator * T / 10);
        assert_eq!(lam.lam_at("ecosystem") - eco0, to_ecosystem * T / 10);
        assert_eq!(
            supply0 - lam.supply(),
            burned * T / 10,
            "supply falls by the burn"
        );
        assert_eq!(
            lam.s.totals(lam_id).burned_by_reason[BurnReason::Action.index()] - burned_action0,
            burned * T / 10
        );
        assert_eq!(lam.lam_at("ecosystem_rewards"), 0);
        assert_eq!(lam.lam_at("unallocated"), 0);
        count *= 10;
    }
    assert_eq!(lam.lam_of(payer), 0);
    // 3.3 + 33 + 330 + 3,300 = 3,666.3 LAM each; 3.4 + ... + 3,400 = 3,777.4 burned.
    assert_eq!(lam.lam_of(creator), 36_663 * T / 10);
    assert_eq!(lam.lam_at("ecosystem"), 36_663 * T / 10);
    assert_eq!(lam.s.totals(lam_id).burned, 37_774 * T / 10);
    assert_eq!(lam.supply(), 1_000_000_000 * T - 37_774 * T / 10);
    lam.s.check_invariants(&lam.e).unwrap();
}

// ---------------------------------------------------------------------------
// Creator Epochs

#[test]
fn creator_epoch_table_on_ten_tokens() {
    let mut lam = Lam::new();
    lam.set_price(CENT); // one action = 10 LAM
                         // Creator share per epoch 1..=10 in hundredths of a LAM, on 10 LAM.
    let creator_gets: [u128; 10] = [330, 250, 200, 175, 150, 125, 100, 75, 50, 50];
    let ppm = [
        330_000, 250_000, 200_000, 175_000, 150_000, 125_000, 100_000, 75_000, 50_000, 50_000,
    ];
    let payer = lam.funded(1_000 * T);
    let action = lam.e.split(lam.e.version(lam.v1).split).clone();
    for (i, (&hundredths, &share)) in creator_gets.iter().zip(&ppm).enumerate() {
        let epoch = i as u32 + 1;
        assert_eq!(
            action.creator_share_for_epoch(epoch).0,
            share,
            "epoch {epoch}"
        );
        let (creator, wf) = lam.publish(epoch);
        let rewards0 = lam.lam_at("ecosystem_rewards");
        let eco0 = lam.lam_at("ecosystem");
        let supply0 = lam.supply();
        let r = lam.actions(Payer::Account(payer), 1, Some(wf), None);
        let paid = hundredths * T / 100;
        assert_eq!(lam.lam_of(creator), paid, "creator of epoch {epoch}");
        assert_eq!(r.split.amount_of(Role::CreatorPaid), paid);
        assert_eq!(
            lam.lam_at("ecosystem_rewards") - rewards0,
            33 * T / 10 - paid
        );
        assert_eq!(
            r.split.amount_of(Role::CreatorShortfall),
            33 * T / 10 - paid
        );
        assert_eq!(lam.lam_at("ecosystem") - eco0, 33 * T / 10);
        assert_eq!(supply0 - lam.supply(), 34 * T / 10);
        assert_eq!(lam.lam_at("unallocated"), 0);
    }
    // Past the end of the table: the last entry (5%).
    for epoch in [11, 100, u32::MAX] {
        let (creator, wf) = lam.publish(epoch);
        lam.actions(Payer::Account(payer), 1, Some(wf), None);
        assert_eq!(lam.lam_of(creator), T / 2, "epoch {epoch}");
    }
    // The epoch is locked at publication: a later price changes amounts, not shares.
    let (creator, wf) = lam.publish(4);
    lam.set_price(10 * CENT); // one action = 1 LAM
    lam.actions(Payer::Account(payer), 1, Some(wf), None);
    assert_eq!(lam.lam_of(creator), 175 * T / 1000);
}

#[test]
fn without_marketplace_workflow_creator_leg_goes_to_ecosystem_rewards() {
    let mut lam = Lam::new();
    lam.set_price(CENT);
    let payer = lam.funded(10 * T);
    let supply0 = lam.supply();
    let r = lam.actions(Payer::Account(payer), 1, None, None);
    assert_eq!(r.split.amount_of(Role::NoMarketplace), 33 * T / 10);
    assert_eq!(r.split.amount_of(Role::CreatorPaid), 0);
    assert_eq!(lam.lam_at("ecosystem_rewards"), 33 * T / 10);
    assert_eq!(lam.lam_at("ecosystem"), 33 * T / 10);
    assert_eq!(supply0 - lam.supply(), 34 * T / 10);
    assert_eq!(lam.lam_of(payer), 0);
    let paid_out: u128 = r
        .split
        .postings()
        .iter()
        .filter(|p| matches!(p.sink, Sink::Account(_)))
        .map(|p| p.amount)
        .sum();
    assert_eq!(paid_out, 66 * T / 10);
}

// ---------------------------------------------------------------------------
// Subscriptions

#[test]
fn token_subscription_escrows_9000_lam_and_releases_exactly() {
    let mut lam = Lam::new();
    lam.set_price(10 * CENT); // $0.10
                              // $1,000 less 10% = $900, at $0.10 = 9,000 LAM.
    assert_eq!(
        subscription_tokens(
            1_000 * USD,
            Ppm(100_000),
            Price::from_pico(10 * CENT, 6, 18)
        ),
        Ok(9_000 * T)
    );
    let subscriber = lam.funded(10_000 * T);
    let (sub, receipt) = lam.subscribe(subscriber, Payment::Token);
    assert_eq!(
        receipt,
        Receipt::Subscribed {
            subscription: sub,
            tokens_escrowed: 9_000 * T,
            paid: 0,
        }
    );
    assert_eq!(lam.lam_at("escrow"), 9_000 * T);
    assert_eq!(lam.lam_of(subscriber), 1_000 * T);
    let supply0 = lam.supply();

    // Uneven batches summing to the 150,000 included actions; the price moves
    // in between, which must not change what the escrow releases.
    let batches: [u64; 9] = [1, 7, 333, 4_999, 12_345, 1, 50_000, 2, 82_312];
    assert_eq!(batches.iter().sum::<u64>(), 150_000);
    let mut released = 0u128;
    for (i, &n) in batches.iter().enumerate() {
        if i == 4 {
            lam.set_price(CENT);
        }
        let r = lam.actions(Payer::Subscription(sub), n, None, None);
        assert_eq!(
            r.tokens_per_action, 0,
            "escrow releases are priced at payment"
        );
        // 9,000 LAM / 150,000 actions = 0.06 LAM per action.
        assert_eq!(r.split.total, n as u128 * 6 * T / 100);
        released += r.split.total;
    }
    assert_eq!(released, 9_000 * T);
    assert_eq!(lam.lam_at("escrow"), 0);
    let s = &lam.s.subscriptions()[sub.index()];
    assert_eq!(s.actions_used, 150_000);
    assert_eq!(s.released_base_units, 9_000 * T);
    // Everything released went through the split: 34% burned, 33% each to
    // the ecosystem and (no marketplace) the ecosystem rewards.
    assert_eq!(supply0 - lam.supply(), 3_060 * T);
    assert_eq!(lam.lam_at("ecosystem"), 2_970 * T);
    assert_eq!(lam.lam_at("ecosystem_rewards"), 2_970 * T);
    assert_eq!(
        lam.lam_of(subscriber),
        1_000 * T,
        "the subscriber paid once"
    );

    // The 150,001st action is refused and changes nothing.
    let v1 = lam.v1;
    let r = lam.rejected(
        Event::Actions {
            payer: Payer::Subscription(sub),
            version: v1,
            count: 1,
            workflow: None,
            path: None,
        },
        "allowance_exceeded",
    );
    assert_eq!(
        r,
        Rejection::AllowanceExceeded {
            subscription: sub,
            included: 150_000,
            used: 150_000,
            requested: 1,
        }
    );
}

#[test]
fn token_subscription_with_indivisible_escrow_releases_exactly() {
    let mut lam = Lam::new();
    lam.set_price(7 * CENT); // $0.07: 900 / 0.07 LAM does not terminate
                             // python3 -c "s=-(-(1000*10**6*900000*10**24)//(7*10**10)); print(-(-s//10**6))"
    let escrow = 12_857_142_857_142_857_142_858u128;
    let subscriber = lam.funded(20_000 * T);
    let (sub, receipt) = lam.subscribe(subscriber, Payment::Token);
    assert!(matches!(
        receipt,
        Receipt::Subscribed { tokens_escrowed, .. } if tokens_escrowed == escrow
    ));
    assert_eq!(20_000 * T - lam.lam_of(subscriber), escrow);
    let batches: [u64; 6] = [1, 2, 3, 149_990, 3, 1];
    let mut released = 0u128;
    let mut used = 0u128;
    for n in batches {
        let r = lam.actions(Payer::Subscription(sub), n, None, None);
        // Each batch releases floor(escrow * used / included), differenced.
        used += u128::from(n);
        released += r.split.total;
        assert_eq!(released, escrow * used / 150_000);
        let parts: u128 = r.split.postings().iter().map(|p| p.amount).sum();
        assert_eq!(parts, r.split.total);
    }
    assert_eq!(released, escrow);
    assert_eq!(lam.lam_at("escrow"), 0);
}

#[test]
fn expiring_a_token_subscription_releases_the_rest_into_the_split() {
    let mut lam = Lam::new();
    lam.set_price(10 * CENT);
    let subscriber = lam.funded(9_000 * T);
    let (sub, _) = lam.subscribe(subscriber, Payment::Token);
    lam.actions(Payer::Subscription(sub), 50_000, None, None); // 3,000 LAM
    let supply0 = lam.supply();
    let r = lam.ok(Event::ExpireSubscription { subscription: sub });
    match r {
        Receipt::Expired {
            subscription,
            released: Some(split),
        } => {
            assert_eq!(subscription, sub);
            assert_eq!(split.total, 6_000 * T);
            assert_eq!(split.burned(), 2_040 * T);
        }
        r => panic!("unexpected receipt {r:?}"),
    }
    assert_eq!(lam.lam_at("escrow"), 0);
    assert_eq!(supply0 - lam.supply(), 2_040 * T);
    assert!(!lam.s.subscriptions()[sub.index()].active);
    let v1 = lam.v1;
    lam.rejected(
        Event::Actions {
            payer: Payer::Subscription(sub),
            version: v1,
            count: 1,
            workflow: None,
            path: None,
        },
        "subscription_inactive",
    );
}

#[test]
fn usd_subscription_splits_revenue_and_buyback_buys_80000_lam() {
    let mut lam = Lam::new();
    let subscriber = lam.open();
    let usd_supply0 = lam.s.supply(lam.usd);
    let (sub, receipt) = lam.subscribe(subscriber, Payment::Numeraire);
    assert_eq!(
        receipt,
        Receipt::Subscribed {
            subscription: sub,
            tokens_escrowed: 0,
            paid: 1_000 * USD,
        }
    );
    assert_eq!(lam.usd_at("buyback_budget"), 800 * USD);
    assert_eq!(lam.usd_at("operator_revenue"), 200 * USD);
    assert_eq!(lam.s.supply(lam.usd) - usd_supply0, 1_000 * USD);
    assert_eq!(
        lam.s.totals(lam.usd).minted_by_reason[MintReason::ExternalInflow.index()],
        1_000 * USD
    );

    lam.set_price(CENT);
    let lam_supply0 = lam.supply();
    let market0 = lam.lam_at("market");
    let program = program(&lam.e, "subscription_revenue");
    let r = lam.ok(Event::Buyback {
        program,
        amount_base_units: 800 * USD,
    });
    let Receipt::BoughtBack(b) = r else {
        panic!("{r:?}")
    };
    // $800 at $0.01 = 80,000 LAM, all at `otc`.
    assert_eq!(
        (b.requested, b.spent, b.bought, b.unspent),
        (800 * USD, 800 * USD, 80_000 * T, 0)
    );
    assert!(!b.burned);
    assert_eq!(b.fills().len(), 1);
    assert_eq!(b.fills()[0].market, lam.otc);
    assert_eq!(
        (b.fills()[0].spent, b.fills()[0].bought),
        (800 * USD, 80_000 * T)
    );
    assert_eq!(market0 - lam.lam_at("market"), 80_000 * T);
    assert_eq!(lam.lam_at("fuel"), 80_000 * T);
    assert_eq!(lam.usd_at("buyback_budget"), 0);
    // The $800 left the economy (paid to the outside sellers).
    assert_eq!(
        lam.s.totals(lam.usd).burned_by_reason[BurnReason::ExternalOutflow.index()],
        800 * USD
    );
    assert_eq!(lam.s.supply(lam.usd) - usd_supply0, 200 * USD);
    assert_eq!(lam.supply(), lam_supply0, "stocked, not burned");
    assert_eq!(lam.s.program(program).unwrap().bought_total, 80_000 * T);
    // The budget is spent: a second buyback buys nothing and is not refused.
    let r = lam.ok(Event::Buyback {
        program,
        amount_base_units: 800 * USD,
    });
    let Receipt::BoughtBack(b) = r else {
        panic!("{r:?}")
    };
    assert_eq!((b.spent, b.bought, b.unspent), (0, 0, 800 * USD));
}

#[test]
fn usd_subscription_actions_are_funded_from_fuel_at_the_current_price() {
    let mut lam = Lam::new();
    lam.set_price(CENT);
    let subscriber = lam.open();
    let (sub, _) = lam.subscribe(subscriber, Payment::Numeraire);
    let fuel = lam.acct("fuel");
    let v1 = lam.v1;
    let actions = |count| Event::Actions {
        payer: Payer::Subscription(sub),
        version: v1,
        count,
        workflow: None,
        path: None,
    };
    // Fuel is empty: refused, nothing changes.
    let r = lam.rejected(actions(1), "insufficient_balance");
    assert_eq!(
        r,
        Rejection::InsufficientBalance {
            account: fuel,
            asset: lam.lam,
            needed: 10 * T,
            available: 0,
        }
    );
    assert_eq!(lam.s.subscriptions()[sub.index()].actions_used, 0);

    let program = program(&lam.e, "subscription_revenue");
    lam.ok(Event::Buyback {
        program,
        amount_base_units: 800 * USD,
    });
    assert_eq!(lam.lam_at("fuel"), 80_000 * T);
    // 100 actions at $0.01 = 1,000 LAM.
    let r = lam.actions(Payer::Subscription(sub), 100, None, None);
    assert_eq!(r.tokens_per_action, 10 * T);
    assert_eq!(r.split.total, 1_000 * T);
    assert_eq!(lam.lam_at("fuel"), 79_000 * T);
    // At $0.10 the same 100 actions take 100 LAM.
    lam.set_price(10 * CENT);
    let r = lam.actions(Payer::Subscription(sub), 100, None, None);
    assert_eq!(r.split.total, 100 * T);
    assert_eq!(lam.lam_at("fuel"), 78_900 * T);
    assert_eq!(lam.s.subscriptions()[sub.index()].actions_used, 200);
    assert_eq!(lam.lam_of(subscriber), 0);
}

// ---------------------------------------------------------------------------
// Burns

#[test]
fn voluntary_penalty_and_failed_action_burns_reduce_supply() {
    let mut lam = Lam::new();
    lam.set_price(CENT);
    let holder = lam.funded(100 * T);
    let lam_id = lam.lam;
    let supply0 = lam.supply();
    let burns = [
        (BurnReason::Voluntary, 15 * T / 10),
        (BurnReason::Penalty, 2 * T),
        (BurnReason::FailedAction, T / 4),
        (BurnReason::Voluntary, 1),
    ];
    for (reason, amount) in burns {
        let r = lam.ok(Event::Burn {
            asset: lam_id,
            from: holder,
            amount_base_units: amount,
            reason,
        });
        assert_eq!(r, Receipt::Burned);
    }
    let totals = lam.s.totals(lam_id);
    assert_eq!(
        totals.burned_by_reason[BurnReason::Voluntary.index()],
        15 * T / 10 + 1
    );
    assert_eq!(totals.burned_by_reason[BurnReason::Penalty.index()], 2 * T);
    assert_eq!(
        totals.burned_by_reason[BurnReason::FailedAction.index()],
        T / 4
    );
    assert_eq!(totals.burned_by_reason[BurnReason::Action.index()], 0);
    assert_eq!(totals.burned, 375 * T / 100 + 1);
    assert_eq!(supply0 - lam.supply(), 375 * T / 100 + 1);
    assert_eq!(lam.lam_of(holder), 100 * T - 375 * T / 100 - 1);
    // Action burns add to the same total, under their own reason.
    lam.actions(Payer::Account(holder), 1, None, None);
    let totals = lam.s.totals(lam_id);
    assert_eq!(
        totals.burned_by_reason[BurnReason::Action.index()],
        34 * T / 10
    );
    assert_eq!(totals.burned, 375 * T / 100 + 1 + 34 * T / 10);
    assert_eq!(totals.supply, totals.minted - totals.burned);
}

// ---------------------------------------------------------------------------
// Rounding

#[test]
fn non_terminating_price_rounds_tau_up_and_dust_goes_to_unallocated() {
    let mut lam = Lam::new();
    // $0.10 / $0.03 = 3.333... LAM: rounded UP to the base unit.
    let tau = 3_333_333_333_333_333_334u128;
    assert_eq!(
        tokens_per_action(100_000, Price::from_pico(3 * CENT, 6, 18)),
        Ok(tau)
    );
    lam.set_price(3 * CENT);
    assert_eq!(version_tokens_per_action(&lam.e, &lam.s, lam.v1), Ok(tau));
    // The payer never pays less than the USD price: tau * $0.03 >= $0.10.
    assert!(tau * 3 * CENT >= 100_000 * 1_000_000 * T);
    let payer = lam.funded(20 * T);
    let (creator, wf) = lam.publish(1);
    let supply0 = lam.supply();
    let r = lam.actions(Payer::Account(payer), 1, Some(wf), None);
    // floor(tau * 34%), floor(tau * 33%) twice, and 1 base unit of dust.
    let burn = 1_133_333_333_333_333_333u128;
    let third = 1_100_000_000_000_000_000u128;
    assert_eq!(r.split.leg_amounts[..3], [burn, third, third]);
    assert_eq!(r.split.amount_of(Role::Dust), 1);
    assert_eq!(burn + third + third + 1, tau);
    assert_eq!(20 * T - lam.lam_of(payer), tau);
    assert_eq!(supply0 - lam.supply(), burn);
    assert_eq!(lam.lam_of(creator), third);
    assert_eq!(lam.lam_at("ecosystem"), third);
    assert_eq!(lam.lam_at("unallocated"), 1);
    // Two actions consume exactly 2 * tau (no re-rounding per batch).
    let r = lam.actions(Payer::Account(payer), 2, Some(wf), None);
    assert_eq!(r.split.total, 2 * tau);
}

#[test]
fn split_dust_parts_sum_exactly() {
    let e = lam();
    let action = e.split(e.version(version(&e, "LAM-1")).split);
    let unallocated = acct(&e, "unallocated");
    let rewards = acct(&e, "ecosystem_rewards");
    let creator = AccountId::opened(999).unwrap();
    // (total, epoch) -> (burn, creator paid, shortfall, ecosystem, dust)
    // e.g. 7 at epoch 4: floor(7*.34)=2, leg floor(7*.33)=2 of which
    // floor(7*.175)=1 paid and 1 short, floor(7*.33)=2, dust 7-6=1.
    let cases: [(u128, Option<u32>, [u128; 5]); 6] = [
        (1, Some(1), [0, 0, 0, 0, 1]),
        (7, Some(1), [2, 2, 0, 2, 1]),
        (7, Some(4), [2, 1, 1, 2, 1]),
        (99, None, [33, 0, 32, 32, 2]),
        (
            3_333_333,
            Some(8),
            [1_133_333, 249_999, 850_000, 1_099_999, 2],
        ),
        (u128::MAX / 1_000_000, Some(1), [0, 0, 0, 0, 0]),
    ];
    for (total, epoch, expected) in cases {
        let r = split(action, total, epoch.map(|e| (creator, e)), None).unwrap();
        let sum: u128 = r.postings().iter().map(|p| p.amount).sum();
        assert_eq!(sum, total, "parts of {total} sum to the whole");
        if total == u128::MAX / 1_000_000 {
            continue; // only the sum matters at the extreme
        }
        let shortfall = r.amount_of(Role::CreatorShortfall) + r.amount_of(Role::NoMarketplace);
        let got = [
            r.burned(),
            r.amount_of(Role::CreatorPaid),
            shortfall,
            r.amount_of(Role::Leg(2)),
            r.amount_of(Role::Dust),
        ];
        assert_eq!(got, expected, "total {total}, epoch {epoch:?}");
        assert_eq!(r.credited_to(unallocated), expected[4]);
        assert_eq!(r.credited_to(rewards), expected[2]);
    }
}

// ---------------------------------------------------------------------------
// Trainer rewards

/// LAM with a 5% trainer leg taken from the ecosystem's 33% (28% left).
fn lam_with_trainers() -> ValidEconomy {
    let mut e = lam_spec();
    let legs = &mut e.splits[0].legs;
    assert_eq!(
        (legs[2].name.as_str(), legs[3].name.as_str()),
        ("ecosystem", "trainers")
    );
    legs[2].share = Ppm(280_000);
    legs[3].share = Ppm(50_000);
    valid(e)
}

#[test]
fn trainer_rewards_are_pro_rata_by_quality_times_usage() {
    let mut lam = Lam::with(lam_with_trainers());
    lam.set_price(CENT); // one action = 10 LAM; the trainer leg is 0.5 LAM
    let payer = lam.funded(100 * T);
    let trainers = [lam.open(), lam.open(), lam.open()];
    let weights = [(90, 10), (50, 4), (10, 1)];
    let path = match lam.ok(Event::RegisterTrainerPath {
        trainers: trainers
            .iter()
            .zip(weights)
            .map(|(&trainer, (quality, usage))| TrainerWeight {
                trainer,
                quality,
                usage,
            })
            .collect(),
    }) {
        Receipt::PathRegistered(p) => p,
        r => panic!("unexpected receipt {r:?}"),
    };
    let p = &lam.s.paths()[path.index()];
    assert_eq!(
        p.trainers.iter().map(|t| t.1).collect::<Vec<_>>(),
        [900, 200, 10]
    );
    assert_eq!(p.total_weight, 1_110);

    let supply0 = lam.supply();
    let r = lam.actions(Payer::Account(payer), 1, None, Some(path));
    let leg = T / 2;
    assert_eq!(r.split.leg_amounts[3], leg);
    // floor(0.5 LAM * w / 1110) each; 1 base unit of dust:
    // python3 -c "print([5*10**17*w//1110 for w in (900,200,10)])"
    let shares = [
        405_405_405_405_405_405u128,
        90_090_090_090_090_090,
        4_504_504_504_504_504,
    ];
    for (i, (&t, &share)) in trainers.iter().zip(&shares).enumerate() {
        assert_eq!(lam.lam_of(t), share, "trainer {i}");
    }
    let paid: u128 = shares.iter().sum();
    assert_eq!(paid, leg - 1);
    assert_eq!(r.split.amount_of(Role::TrainersPaid), paid);
    assert!(matches!(
        r.split.postings().iter().find(|p| p.role == Role::TrainersPaid).unwrap().sink,
        Sink::Trainers { leg: l, .. } if r.split.leg_amounts[l as usize] == leg
    ));
    assert_eq!(r.split.amount_of(Role::Dust), 1);
    assert_eq!(lam.lam_at("unallocated"), 1);
    assert_eq!(lam.lam_at("ecosystem"), 28 * T / 10);
    assert_eq!(lam.lam_at("ecosystem_rewards"), 33 * T / 10);
    assert_eq!(supply0 - lam.supply(), 34 * T / 10);

    // Without a path, the trainer leg goes to no_trainers_to (ecosystem).
    let eco0 = lam.lam_at("ecosystem");
    let r = lam.actions(Payer::Account(payer), 1, None, None);
    assert_eq!(r.split.amount_of(Role::NoTrainers), leg);
    assert_eq!(r.split.amount_of(Role::TrainersPaid), 0);
    assert_eq!(lam.lam_at("ecosystem") - eco0, 28 * T / 10 + leg);
    assert_eq!(lam.lam_at("unallocated"), 1, "no dust this time");
    for (&t, &share) in trainers.iter().zip(&shares) {
        assert_eq!(lam.lam_of(t), share, "trainers unpaid without a path");
    }

    // A path whose trainers all weigh 0 behaves as no path.
    let zero = match lam.ok(Event::RegisterTrainerPath {
        trainers: vec![TrainerWeight {
            trainer: trainers[0],
            quality: 0,
            usage: 7,
        }],
    }) {
        Receipt::PathRegistered(p) => p,
        r => panic!("unexpected receipt {r:?}"),
    };
    let r = lam.actions(Payer::Account(payer), 1, None, Some(zero));
    assert_eq!(r.split.amount_of(Role::NoTrainers), leg);
    lam.s.check_invariants(&lam.e).unwrap();
}

// ---------------------------------------------------------------------------
// AST: mint on purchase, revenue split, redemption

#[test]
fn ast_month_one_exactly() {
    let e = ast();
    let mut s = State::genesis(&e);
    let (usd, ast_token) = (e.numeraire, asset(&e, "AST"));
    let buyer = open(&e, &mut s);
    // 1,197 AST at $0.10 = $119.70.
    let r = must(
        &e,
        &mut s,
        Event::Purchase {
            sale: AST_SALE,
            buyer,
            amount_base_units: whole(1_197, 6),
        },
    );
    let Receipt::Purchased {
        tokens,
        paid,
        revenue,
    } = r
    else {
        panic!("{r:?}")
    };
    assert_eq!(tokens, 1_197_000_000);
    assert_eq!(paid, 119_700_000);
    // 50% / 20% / 15% / 10% / 5% of $119.70, exact micro-dollars.
    let (paid_out, development, treasury, buyback, community) =
        (59_850_000, 23_940_000, 17_955_000, 11_970_000, 5_985_000);
    assert_eq!(
        paid_out + development + treasury + buyback + community,
        paid
    );
    assert_eq!(revenue.total, paid);
    assert_eq!(revenue.paid_out(), paid_out);
    assert_eq!(
        revenue.parts().iter().map(|(_, a)| *a).collect::<Vec<_>>(),
        [paid_out, development, treasury, buyback, community]
    );
    let at = |s: &State, name: &str| s.balance(usd, acct(&e, name));
    assert_eq!(at(&s, "development"), development);
    assert_eq!(at(&s, "treasury"), treasury);
    assert_eq!(at(&s, "buyback_budget"), buyback);
    assert_eq!(at(&s, "community"), community);
    assert_eq!(s.balance(usd, buyer), 0, "the buyer paid from outside");
    // AST supply is what was bought, minted on purchase.
    assert_eq!(s.supply(ast_token), 1_197_000_000);
    assert_eq!(s.balance(ast_token, buyer), 1_197_000_000);
    assert_eq!(
        s.totals(ast_token).minted_by_reason[MintReason::Purchase.index()],
        1_197_000_000
    );
    // USD conserved: everything paid in is held or was paid out.
    let u = s.totals(usd);
    assert_eq!(u.minted, paid);
    assert_eq!(u.minted_by_reason[MintReason::ExternalInflow.index()], paid);
    // The compute cost leaves the economy, booked as a cost.
    assert_eq!(u.burned_by_reason[BurnReason::Cost.index()], paid_out);
    assert_eq!(u.burned, paid_out);
    let held = development + treasury + buyback + community;
    assert_eq!(u.supply, held);
    assert_eq!(u.minted, held + u.burned);

    // Redeeming 197 compute hours: kept by `redeemed`, still in supply.
    let r = must(
        &e,
        &mut s,
        Event::Redeem {
            redemption: AST_REDEMPTION,
            holder: buyer,
            amount_base_units: whole(197, 6),
        },
    );
    assert_eq!(
        r,
        Receipt::Redeemed {
            tokens: 197_000_000
        }
    );
    assert_eq!(s.balance(ast_token, acct(&e, "redeemed")), 197_000_000);
    assert_eq!(s.balance(ast_token, buyer), 1_000_000_000);
    assert_eq!(s.supply(ast_token), 1_197_000_000);

    // The buyback budget ($11.97) buys redeemed AST back at $0.10 on the
    // external market and burns it: 119.7 AST.
    must(
        &e,
        &mut s,
        Event::SetPrice {
            token: ast_token,
            price_usd_pico: 10 * CENT,
        },
    );
    let r = must(
        &e,
        &mut s,
        Event::Buyback {
            program: program(&e, "ast_buyback"),
            amount_base_units: buyback,
        },
    );
    let Receipt::BoughtBack(b) = r else {
        panic!("{r:?}")
    };
    assert_eq!((b.spent, b.bought, b.unspent), (11_970_000, 119_700_000, 0));
    assert!(b.burned);
    assert_eq!(s.balance(ast_token, acct(&e, "redeemed")), 77_300_000);
    assert_eq!(s.supply(ast_token), 1_077_300_000);
    assert_eq!(
        s.totals(ast_token).burned_by_reason[BurnReason::Buyback.index()],
        119_700_000
    );
    let u = s.totals(usd);
    assert_eq!(u.burned, paid_out + buyback);
    assert_eq!(u.supply, development + treasury + community);
    s.check_invariants(&e).unwrap();
}

#[test]
fn tokens_and_accounts_are_numbered_in_declaration_order() {
    let e = lam();
    assert_eq!(e.numeraire, AssetId(0));
    assert_eq!(asset(&e, "LAM"), AssetId(1));
    for (i, name) in LAM_ACCOUNTS.iter().enumerate() {
        assert_eq!(acct(&e, name), AccountId(i as u32));
    }
    // The pool's reserves are minted at genesis: 50M + 600M + 350M LAM is
    // the whole maximum supply.
    let s = State::genesis(&e);
    assert_eq!(s.supply(AssetId(1)), 1_000_000_000 * T);
    assert_eq!(s.supply(AssetId(0)), 5_000_000 * USD);
    assert_eq!(
        s.pool(market(&e, "lam_usd")).unwrap().reserves,
        [50_000_000 * T, 5_000_000 * USD]
    );
    s.check_invariants(&e).unwrap();
}
