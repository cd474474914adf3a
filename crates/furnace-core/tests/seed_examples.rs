//! The seeds' worked examples, run through the real `economies/lam.toml` and
//! `engine::apply`, with exact base-unit amounts.
//!
//! Units: LAM has 18 decimals (`T` = one whole LAM); USD amounts are
//! micro-dollars (`USD` = $1); prices are pico-dollars per whole token
//! (`CENT` = $0.01).

use furnace_config::{compile_economy, load_economy, Source};
use furnace_core::economy::{AccountId, AssetId, Economy, PlanId, VersionId};
use furnace_core::engine::{
    split, subscription_tokens, tokens_per_action, ActionsReceipt, Receipt, Rejection, Role, Sink,
};
use furnace_core::event::{
    BurnReason, Event, MintReason, PathId, Payer, Payment, SubscriptionId, TrainerWeight,
    WorkflowId,
};
use furnace_core::{apply, State};
use std::path::Path;

/// One whole LAM in base units.
const T: u128 = 1_000_000_000_000_000_000;
/// One dollar in micro-dollars.
const USD: u128 = 1_000_000;
/// $0.01 per whole token, in pico-dollars.
const CENT: u128 = 10_000_000_000;

const LAM_TOML: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../economies/lam.toml");

fn lam_economy() -> Economy {
    load_economy(Path::new(LAM_TOML))
        .unwrap_or_else(|e| panic!("{e}"))
        .economy
}

/// An economy and its state, with the helpers the examples need.
struct Lam {
    e: Economy,
    s: State,
    lam: AssetId,
    usd: AssetId,
    v1: VersionId,
}

impl Lam {
    fn new() -> Lam {
        Lam::with(lam_economy())
    }

    fn with(e: Economy) -> Lam {
        let s = State::genesis(&e);
        let lam = e.asset_by_name("LAM").expect("LAM token");
        let usd = e.usd;
        let v1 = e.version_by_name("LAM-1").expect("LAM-1 version");
        Lam { e, s, lam, usd, v1 }
    }

    fn agent(&self) -> PlanId {
        self.e.plan_by_name("agent").expect("agent plan")
    }

    fn acct(&self, name: &str) -> AccountId {
        self.e
            .account_by_name(name)
            .unwrap_or_else(|| panic!("no account {name}"))
    }

    fn ok(&mut self, ev: Event) -> Receipt {
        apply(&self.e, &mut self.s, &ev).unwrap_or_else(|r| panic!("{ev:?} rejected: {r}"))
    }

    /// Apply an event that must be rejected, and check it changed nothing.
    fn rejected(&mut self, ev: Event) -> Rejection {
        let before = self.s.clone();
        let r = apply(&self.e, &mut self.s, &ev).expect_err("event should be rejected");
        assert_eq!(
            self.s, before,
            "{ev:?} was rejected ({r}) but changed state"
        );
        r
    }

    fn set_price(&mut self, pico: u128) {
        let lam = self.lam;
        self.ok(Event::SetPrice {
            token: lam,
            price_usd_pico: pico,
        });
    }

    fn open(&mut self) -> AccountId {
        match self.ok(Event::OpenAccount) {
            Receipt::AccountOpened(a) => a,
            r => panic!("unexpected receipt {r:?}"),
        }
    }

    /// A new account that bought `amount` LAM base units from the market.
    fn funded(&mut self, amount: u128) -> AccountId {
        let a = self.open();
        let lam = self.lam;
        self.ok(Event::MarketBuy {
            token: lam,
            buyer: a,
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
        let plan = self.agent();
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
    let price = lam.e.version(lam.v1).price_usd_micros;
    assert_eq!(price, 100_000, "LAM-1 is $0.10 per action");
    // 10 / 1 / 0.1 tokens at $0.01 / $0.10 / $1.00 (seed 001).
    let cases = [(CENT, 10 * T), (10 * CENT, T), (100 * CENT, T / 10)];
    for (pico, expected) in cases {
        assert_eq!(tokens_per_action(price, 18, pico), Ok(expected));
        lam.set_price(pico);
        assert_eq!(lam.s.tokens_per_action(lam.v1), expected);
        assert_eq!(lam.s.price_usd_pico(lam.lam), pico);
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
    let e = lam_economy();
    let action = e.split(e.version(e.version_by_name("LAM-1").unwrap()).split);
    let creator = AccountId(999); // any account: split() is pure
    let ecosystem = e.account_by_name("ecosystem").unwrap();
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
            r.leg_amounts[..3],
            [burned * T / 10, to_creator * T / 10, to_ecosystem * T / 10]
        );
        let sum: u128 = r.postings().iter().map(|p| p.amount).sum();
        assert_eq!(sum, total);
    }
}

#[test]
fn split_table_through_apply() {
    let mut lam = Lam::new();
    lam.set_price(CENT); // 10 LAM per action
                         // 1 + 10 + 100 + 1,000 actions = 1,111 actions = 11,110 LAM.
    let payer = lam.funded(11_110 * T);
    // Bought at $0.01: $111.10 paid into the market from outside.
    assert_eq!(lam.usd_at("market"), 111_100_000);
    let (creator, wf) = lam.publish(1);
    let mut count = 1u64;
    for (consumed, burned, to_creator, to_ecosystem) in SPLIT_TABLE {
        let (payer0, creator0, eco0, supply0) = (
            lam.lam_of(payer),
            lam.lam_of(creator),
            lam.lam_at("ecosystem"),
            lam.supply(),
        );
        let burned_action0 = lam.s.totals(lam.lam).burned_by_reason[BurnReason::Action as usize];
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
            lam.s.totals(lam.lam).burned_by_reason[BurnReason::Action as usize] - burned_action0,
            burned * T / 10
        );
        assert_eq!(lam.lam_at("ecosystem_rewards"), 0);
        assert_eq!(lam.lam_at("unallocated"), 0);
        count *= 10;
    }
    assert_eq!(lam.lam_of(payer), 0);
    assert_eq!(lam.lam_of(creator), 36_663 * T / 10);
    assert_eq!(lam.lam_at("ecosystem"), 36_663 * T / 10);
    assert_eq!(lam.s.totals(lam.lam).burned, 37_774 * T / 10);
    assert_eq!(lam.supply(), 1_000_000_000 * T - 37_774 * T / 10);
    lam.s.check_invariants().unwrap();
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
    // No account other than the pools received anything.
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
    assert_eq!(
        subscription_tokens(
            1_000 * USD,
            furnace_core::units::Ppm(100_000),
            18,
            10 * CENT
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
            usd_micros: 0,
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
    let s = &lam.s.subscriptions()[sub.0 as usize];
    assert_eq!(s.actions_used, 150_000);
    assert_eq!(s.released_base_units, 9_000 * T);
    // Everything released went through the split: 34% burned.
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
    let r = lam.rejected(Event::Actions {
        payer: Payer::Subscription(sub),
        version: v1,
        count: 1,
        workflow: None,
        path: None,
    });
    assert_eq!(r.code(), "allowance_exceeded");
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
    let escrow = 12_857_142_857_142_857_142_858u128; // ceil(12,857.142857... LAM)
    let subscriber = lam.funded(20_000 * T);
    let (sub, receipt) = lam.subscribe(subscriber, Payment::Token);
    assert!(matches!(
        receipt,
        Receipt::Subscribed { tokens_escrowed, .. } if tokens_escrowed == escrow
    ));
    assert_eq!(20_000 * T - lam.lam_of(subscriber), escrow);
    let batches: [u64; 6] = [1, 2, 3, 149_990, 3, 1];
    let mut released = 0u128;
    for n in batches {
        let r = lam.actions(Payer::Subscription(sub), n, None, None);
        // Each batch releases floor(escrow * used / included), differenced.
        let used: u64 = lam.s.subscriptions()[sub.0 as usize].actions_used;
        let target = escrow * used as u128 / 150_000;
        released += r.split.total;
        assert_eq!(released, target);
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
    assert!(!lam.s.subscriptions()[sub.0 as usize].active);
    let v1 = lam.v1;
    let r = lam.rejected(Event::Actions {
        payer: Payer::Subscription(sub),
        version: v1,
        count: 1,
        workflow: None,
        path: None,
    });
    assert_eq!(r.code(), "subscription_inactive");
}

#[test]
fn usd_subscription_splits_revenue_and_buyback_buys_80000_lam() {
    let mut lam = Lam::new();
    let subscriber = lam.open();
    let usd_supply0 = lam.s.supply(lam.usd);
    let (sub, receipt) = lam.subscribe(subscriber, Payment::Usd);
    assert_eq!(
        receipt,
        Receipt::Subscribed {
            subscription: sub,
            tokens_escrowed: 0,
            usd_micros: 1_000 * USD,
        }
    );
    assert_eq!(lam.usd_at("buyback_budget"), 800 * USD);
    assert_eq!(lam.usd_at("operator_revenue"), 200 * USD);
    assert_eq!(lam.s.supply(lam.usd) - usd_supply0, 1_000 * USD);
    assert_eq!(
        lam.s.totals(lam.usd).minted_by_reason[MintReason::ExternalInflow as usize],
        1_000 * USD
    );

    lam.set_price(CENT);
    let lam_supply0 = lam.supply();
    let market0 = lam.lam_at("market");
    let market_usd0 = lam.usd_at("market");
    let r = lam.ok(Event::Buyback {
        usd_micros: 800 * USD,
    });
    assert_eq!(
        r,
        Receipt::BoughtBack {
            usd_micros: 800 * USD,
            tokens: 80_000 * T,
            burned: false,
        }
    );
    assert_eq!(market0 - lam.lam_at("market"), 80_000 * T);
    assert_eq!(lam.lam_at("fuel"), 80_000 * T);
    assert_eq!(lam.usd_at("buyback_budget"), 0);
    assert_eq!(lam.usd_at("market") - market_usd0, 800 * USD);
    assert_eq!(lam.supply(), lam_supply0, "stocked, not burned");
    // The budget is spent: a second buyback buys nothing.
    let r = lam.ok(Event::Buyback {
        usd_micros: 800 * USD,
    });
    assert_eq!(
        r,
        Receipt::BoughtBack {
            usd_micros: 0,
            tokens: 0,
            burned: false,
        }
    );
}

#[test]
fn usd_subscription_actions_are_funded_from_fuel_at_the_current_price() {
    let mut lam = Lam::new();
    lam.set_price(CENT);
    let subscriber = lam.open();
    let (sub, _) = lam.subscribe(subscriber, Payment::Usd);
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
    let r = lam.rejected(actions(1));
    assert_eq!(r.code(), "insufficient_balance");
    assert_eq!(
        r,
        Rejection::InsufficientBalance {
            account: fuel,
            asset: lam.lam,
            needed: 10 * T,
            available: 0,
        }
    );
    assert_eq!(lam.s.subscriptions()[sub.0 as usize].actions_used, 0);

    lam.ok(Event::Buyback {
        usd_micros: 800 * USD,
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
    assert_eq!(lam.s.subscriptions()[sub.0 as usize].actions_used, 200);
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
        totals.burned_by_reason[BurnReason::Voluntary as usize],
        15 * T / 10 + 1
    );
    assert_eq!(totals.burned_by_reason[BurnReason::Penalty as usize], 2 * T);
    assert_eq!(
        totals.burned_by_reason[BurnReason::FailedAction as usize],
        T / 4
    );
    assert_eq!(totals.burned_by_reason[BurnReason::Action as usize], 0);
    assert_eq!(totals.burned, 375 * T / 100 + 1);
    assert_eq!(supply0 - lam.supply(), 375 * T / 100 + 1);
    assert_eq!(lam.lam_of(holder), 100 * T - 375 * T / 100 - 1);
    // Action burns add to the same total, under their own reason.
    lam.actions(Payer::Account(holder), 1, None, None);
    let totals = lam.s.totals(lam_id);
    assert_eq!(
        totals.burned_by_reason[BurnReason::Action as usize],
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
    assert_eq!(tokens_per_action(100_000, 18, 3 * CENT), Ok(tau));
    lam.set_price(3 * CENT);
    assert_eq!(lam.s.tokens_per_action(lam.v1), tau);
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
    let e = lam_economy();
    let action = e.split(e.version(e.version_by_name("LAM-1").unwrap()).split);
    let unallocated = e.account_by_name("unallocated").unwrap();
    let rewards = e.account_by_name("ecosystem_rewards").unwrap();
    let creator = AccountId(999);
    // (total, epoch) -> (burn, creator paid, shortfall, ecosystem, dust)
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

const TRAINERS_TOML: &str = r#"
name = "LAM with trainers"
market = "market"

[tokens.LAM]
decimals = 18

[accounts.market]
[accounts.ecosystem]
[accounts.ecosystem_rewards]
[accounts.unallocated]

[genesis.market]
LAM = "1_000_000"

[versions.LAM-1]
token = "LAM"
price_usd = "0.10"
split = "action"

[splits.action]
legs = [
  { name = "burn", to = "burn", share = "34%" },
  { name = "creator", to = "creator", share = "33%" },
  { name = "ecosystem", to = "ecosystem", share = "28%" },
  { name = "trainers", to = "trainers", share = "5%" },
]
creator_epochs = ["33%", "25%"]
creator_shortfall_to = "ecosystem_rewards"
no_marketplace_to = "ecosystem_rewards"
no_trainers_to = "ecosystem"
dust_to = "unallocated"
"#;

fn trainers_economy() -> Economy {
    compile_economy(Source::from_text("trainers.toml", TRAINERS_TOML))
        .unwrap_or_else(|e| panic!("{e}"))
        .economy
}

#[test]
fn trainer_rewards_are_pro_rata_by_quality_times_usage() {
    let mut lam = Lam::with(trainers_economy());
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
    let p = &lam.s.paths()[path.0 as usize];
    assert_eq!(
        p.trainers.iter().map(|t| t.1).collect::<Vec<_>>(),
        [900, 200, 10]
    );
    assert_eq!(p.total_weight, 1_110);

    let supply0 = lam.supply();
    let r = lam.actions(Payer::Account(payer), 1, None, Some(path));
    let leg = T / 2;
    assert_eq!(r.split.leg_amounts[3], leg);
    // floor(0.5 LAM * w / 1110) each; 1 base unit of dust.
    let shares = [
        405_405_405_405_405_405u128,
        90_090_090_090_090_090,
        4_504_504_504_504_504,
    ];
    for (i, (&t, &share)) in trainers.iter().zip(&shares).enumerate() {
        assert_eq!(lam.lam_of(t), share, "trainer {i}");
        assert_eq!(share, leg * [900, 200, 10][i] / 1_110);
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
    lam.s.check_invariants().unwrap();
}
