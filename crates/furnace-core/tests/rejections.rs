//! Every refused event changes nothing: the state after a rejection is equal
//! (`==`, every field, including the applied-event counter) to a clone taken
//! before it, and the rejection carries its stable `code()`
//! (`common::reject` checks both, and the invariants).

mod common;

use common::*;
use furnace_core::economy::Oracle;
use furnace_core::event::{BurnReason, MintReason, Order, TrainerWeight};
use furnace_core::ids::{PathId, RedemptionId, RuleId, SaleId, SubscriptionId, WorkflowId};
use furnace_core::{
    AccountId, AssetId, Event, MarketId, Payer, Payment, PlanId, ProgramId, Receipt, Rejection,
    State, ValidEconomy, VersionId,
};

struct Fx {
    e: ValidEconomy,
    s: State,
    lam: AssetId,
    usd: AssetId,
    v1: VersionId,
    agent: PlanId,
    market: AccountId,
    pool: MarketId,
    otc: MarketId,
}

impl Fx {
    /// LAM with an exogenous price.
    fn new() -> Fx {
        Fx::with(lam())
    }

    fn with(e: ValidEconomy) -> Fx {
        Fx {
            s: State::genesis(&e),
            lam: asset(&e, "LAM"),
            usd: e.numeraire,
            v1: version(&e, "LAM-1"),
            agent: plan(&e, "agent"),
            market: acct(&e, "market"),
            pool: market(&e, "lam_usd"),
            otc: market(&e, "otc"),
            e,
        }
    }

    fn ok(&mut self, ev: Event) -> Receipt {
        must(&self.e, &mut self.s, ev)
    }

    fn reject(&mut self, ev: Event, code: &str) -> Rejection {
        reject(&self.e, &mut self.s, ev, code)
    }

    fn open(&mut self) -> AccountId {
        open(&self.e, &mut self.s)
    }

    fn price(&mut self, pico: u128) {
        let token = self.lam;
        self.ok(Event::SetPrice {
            token,
            price_usd_pico: pico,
        });
    }

    /// Give `to` LAM from the market account.
    fn give(&mut self, to: AccountId, amount: u128) {
        let (asset, from) = (self.lam, self.market);
        self.ok(Event::Transfer {
            asset,
            from,
            to,
            amount_base_units: amount,
        });
    }

    fn give_usd(&mut self, to: AccountId, amount: u128) {
        let asset = self.usd;
        self.ok(Event::Mint {
            asset,
            to,
            amount_base_units: amount,
            reason: MintReason::ExternalInflow,
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
            Receipt::Subscribed { subscription, .. } => subscription,
            r => panic!("{r:?}"),
        }
    }

    fn swap(&self, market: MarketId, trader: AccountId, sell: AssetId, order: Order) -> Event {
        Event::Swap {
            market,
            trader,
            sell,
            order,
        }
    }
}

fn exact_in(amount_in: u128, min_out: u128) -> Order {
    Order::ExactIn { amount_in, min_out }
}

fn exact_out(amount_out: u128, max_in: u128) -> Order {
    Order::ExactOut { amount_out, max_in }
}

// ---------------------------------------------------------------------------
// Markets

#[test]
fn unknown_market_and_asset_not_in_market() {
    let mut fx = Fx::new();
    fx.price(10 * CENT);
    let trader = fx.open();
    fx.give(trader, 1_000 * T);
    let (lam, usd, pool, otc) = (fx.lam, fx.usd, fx.pool, fx.otc);
    let ghost = MarketId(9);
    let r = fx.reject(
        fx.swap(ghost, trader, lam, exact_in(T, 0)),
        "unknown_market",
    );
    assert_eq!(r, Rejection::UnknownMarket(ghost));
    for ev in [
        Event::AddLiquidity {
            market: ghost,
            provider: trader,
            amounts: [T, USD],
            min_shares: 0,
        },
        Event::RemoveLiquidity {
            market: ghost,
            provider: trader,
            shares: 1,
            min_amounts: [0, 0],
        },
    ] {
        fx.reject(ev, "unknown_market");
    }
    // An external market has no liquidity to add or remove.
    for ev in [
        Event::AddLiquidity {
            market: otc,
            provider: trader,
            amounts: [T, USD],
            min_shares: 0,
        },
        Event::RemoveLiquidity {
            market: otc,
            provider: trader,
            shares: 1,
            min_amounts: [0, 0],
        },
    ] {
        fx.reject(ev, "not_configured");
    }
    // Selling what the market does not trade: the pool's own LP shares, an
    // unknown asset.
    let lp = AssetId::lp(pool);
    let r = fx.reject(
        fx.swap(pool, trader, lp, exact_in(1, 0)),
        "asset_not_in_market",
    );
    assert_eq!(
        r,
        Rejection::AssetNotInMarket {
            market: pool,
            asset: lp
        }
    );
    fx.reject(
        fx.swap(otc, trader, AssetId(7), exact_in(1, 0)),
        "asset_not_in_market",
    );
    // The two-token economy: USD is not traded on mod_net.
    let e = two_tokens();
    let mut s = State::genesis(&e);
    let holders = acct(&e, "holders");
    reject(
        &e,
        &mut s,
        Event::Swap {
            market: market(&e, "mod_net"),
            trader: holders,
            sell: usd,
            order: exact_in(USD, 0),
        },
        "asset_not_in_market",
    );
}

#[test]
fn insufficient_liquidity() {
    let mut fx = Fx::new();
    fx.price(10 * CENT);
    let trader = fx.open();
    fx.give_usd(trader, 100_000_000 * USD);
    let (lam, usd, pool, otc) = (fx.lam, fx.usd, fx.pool, fx.otc);
    let reserve = 50_000_000 * T;
    // The whole reserve (or more) cannot be bought, whatever the price.
    for amount_out in [reserve, reserve + 1] {
        let r = fx.reject(
            fx.swap(pool, trader, usd, exact_out(amount_out, u128::MAX)),
            "insufficient_liquidity",
        );
        assert_eq!(
            r,
            Rejection::InsufficientLiquidity {
                market: pool,
                requested: amount_out,
                reserve,
            }
        );
    }
    // otc sells at most what the market account holds (600M LAM).
    let held = 600_000_000 * T;
    let r = fx.reject(
        fx.swap(otc, trader, usd, exact_out(held + 1, u128::MAX)),
        "insufficient_liquidity",
    );
    assert_eq!(
        r,
        Rejection::InsufficientLiquidity {
            market: otc,
            requested: held + 1,
            reserve: held,
        }
    );
    // $60,000,001 at $0.10 would buy 600,000,010 LAM.
    fx.reject(
        fx.swap(otc, trader, usd, exact_in(60_000_001 * USD, 0)),
        "insufficient_liquidity",
    );
    // Exactly the market's balance is fine: $60M at $0.10.
    fx.ok(fx.swap(otc, trader, usd, exact_out(held, 60_000_000 * USD)));
    fx.reject(
        fx.swap(otc, trader, usd, exact_out(1, u128::MAX)),
        "insufficient_liquidity",
    );
    assert_eq!(fx.s.balance(lam, trader), held);

    // An empty pool has nothing to trade.
    let e = small();
    let mut s = State::genesis(&e);
    let r = reject(
        &e,
        &mut s,
        Event::Swap {
            market: market(&e, "a_b"),
            trader: acct(&e, "trader"),
            sell: asset(&e, "A"),
            order: exact_in(10, 0),
        },
        "insufficient_liquidity",
    );
    assert!(matches!(
        r,
        Rejection::InsufficientLiquidity { reserve: 0, .. }
    ));
}

#[test]
fn slippage_and_max_in() {
    let e = small();
    let mut s = State::genesis(&e);
    let pool = market(&e, "a_usd");
    let trader = acct(&e, "trader");
    let (usd, a) = (e.numeraire, asset(&e, "A"));
    let swap = |order| Event::Swap {
        market: pool,
        trader,
        sell: usd,
        order,
    };
    // 1,000 USD buys floor(9.97e12 / 10_997_000_000) = 906 A (see markets.rs).
    let r = reject(&e, &mut s, swap(exact_in(1_000, 907)), "slippage_exceeded");
    assert_eq!(
        r,
        Rejection::SlippageExceeded {
            limit: 907,
            actual: 906
        }
    );
    // A dust input buys nothing: floor(997000*10000 / (10^10 + 997000)) = 0.
    let r = reject(&e, &mut s, swap(exact_in(1, 0)), "slippage_exceeded");
    assert_eq!(
        r,
        Rejection::SlippageExceeded {
            limit: 0,
            actual: 0
        }
    );
    // 906 A out costs ceil(10000*906*10^6 / (9094*997000)) = 1,000 USD: a
    // max_in of 999 is exceeded.
    let r = reject(&e, &mut s, swap(exact_out(906, 999)), "slippage_exceeded");
    assert_eq!(
        r,
        Rejection::SlippageExceeded {
            limit: 999,
            actual: 1_000
        }
    );
    must(&e, &mut s, swap(exact_out(906, 1_000)));
    assert_eq!(s.balance(a, trader), 100_906);

    // Liquidity limits.
    let lp = acct(&e, "lp");
    let a_b = market(&e, "a_b");
    // A first deposit of 1,000 / 1,000 mints sqrt = 1,000 shares, all locked.
    reject(
        &e,
        &mut s,
        Event::AddLiquidity {
            market: a_b,
            provider: lp,
            amounts: [1_000, 1_000],
            min_shares: 0,
        },
        "slippage_exceeded",
    );
    // 4,000 / 9,000 mints 5,000 shares: asking 5,001 is refused.
    let r = reject(
        &e,
        &mut s,
        Event::AddLiquidity {
            market: a_b,
            provider: lp,
            amounts: [4_000, 9_000],
            min_shares: 5_001,
        },
        "slippage_exceeded",
    );
    assert_eq!(
        r,
        Rejection::SlippageExceeded {
            limit: 5_001,
            actual: 5_000
        }
    );
    must(
        &e,
        &mut s,
        Event::AddLiquidity {
            market: a_b,
            provider: lp,
            amounts: [4_000, 9_000],
            min_shares: 5_000,
        },
    );
    // A deposit too small for one share: desired (1, 1) takes
    // (floor(1*4000/9000), 1) = (0, 1) at the pool's ratio, for
    // min(0*6000/4000, 1*6000/9000) = 0 shares.
    reject(
        &e,
        &mut s,
        Event::AddLiquidity {
            market: a_b,
            provider: lp,
            amounts: [1, 1],
            min_shares: 0,
        },
        "slippage_exceeded",
    );
    // 600 shares return floor(600*4000/6000) = 400 A and 900 B.
    let r = reject(
        &e,
        &mut s,
        Event::RemoveLiquidity {
            market: a_b,
            provider: lp,
            shares: 600,
            min_amounts: [400, 901],
        },
        "slippage_exceeded",
    );
    assert_eq!(
        r,
        Rejection::SlippageExceeded {
            limit: 901,
            actual: 900
        }
    );
}

#[test]
fn price_not_exogenous_for_a_pool_priced_token() {
    let mut fx = Fx::with(lam_with_pool_oracle());
    let lam = fx.lam;
    let r = fx.reject(
        Event::SetPrice {
            token: lam,
            price_usd_pico: CENT,
        },
        "price_not_exogenous",
    );
    assert_eq!(r, Rejection::PriceNotExogenous(lam));
    // And in the two-token economy, for both chained tokens.
    let e = two_tokens();
    let mut s = State::genesis(&e);
    for name in ["NET", "MOD"] {
        reject(
            &e,
            &mut s,
            Event::SetPrice {
                token: asset(&e, name),
                price_usd_pico: CENT,
            },
            "price_not_exogenous",
        );
    }
    let mut spec = lam_spec();
    spec.oracles[1] = Oracle::Twap {
        market: MarketId(0),
        window: 5,
    };
    let e = valid(spec);
    let mut s = State::genesis(&e);
    reject(
        &e,
        &mut s,
        Event::SetPrice {
            token: AssetId(1),
            price_usd_pico: CENT,
        },
        "price_not_exogenous",
    );
}

// ---------------------------------------------------------------------------
// Supply

#[test]
fn max_supply_exceeded() {
    let mut fx = Fx::new();
    let lam = fx.lam;
    let holder = fx.open();
    // All 10^9 LAM were allocated at genesis: not one base unit more.
    let max = 1_000_000_000 * T;
    let r = fx.reject(
        Event::Mint {
            asset: lam,
            to: holder,
            amount_base_units: 1,
            reason: MintReason::TrainingReward,
        },
        "max_supply_exceeded",
    );
    assert_eq!(
        r,
        Rejection::MaxSupplyExceeded {
            asset: lam,
            max_supply: max,
            supply_after: max + 1,
        }
    );
    // After a burn there is room for exactly what was burned.
    let community = acct(&fx.e, "community");
    fx.ok(Event::Burn {
        asset: lam,
        from: community,
        amount_base_units: 5 * T,
        reason: BurnReason::Voluntary,
    });
    let grant = |amount| Event::Mint {
        asset: lam,
        to: holder,
        amount_base_units: amount,
        reason: MintReason::Grant,
    };
    fx.reject(grant(5 * T + 1), "max_supply_exceeded");
    fx.ok(grant(5 * T));
    fx.reject(grant(1), "max_supply_exceeded");
    // 128-bit overflow is its own code, checked first.
    fx.reject(grant(u128::MAX), "overflow");

    // Mint on purchase respects the cap too.
    let mut spec = ast_spec();
    spec.assets[1].max_supply = Some(whole(1_000, 6));
    let e = valid(spec);
    let mut s = State::genesis(&e);
    let buyer = open(&e, &mut s);
    let buy = |amount| Event::Purchase {
        sale: AST_SALE,
        buyer,
        amount_base_units: amount,
    };
    must(&e, &mut s, buy(whole(999, 6)));
    let r = reject(&e, &mut s, buy(whole(1, 6) + 1), "max_supply_exceeded");
    assert!(
        matches!(r, Rejection::MaxSupplyExceeded { supply_after, .. } if supply_after == whole(1_000, 6) + 1)
    );
    must(&e, &mut s, buy(whole(1, 6)));
}

// ---------------------------------------------------------------------------
// Ported from the old suite

#[test]
fn unknown_version() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let payer = fx.open();
    fx.give(payer, 100 * T);
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
    fx.give(payer, 100 * T);
    let ghost = AccountId::opened(fx.s.opened_accounts()).unwrap();
    let named_ghost = AccountId(LAM_ACCOUNTS.len() as u32);
    let (lam, usd, pool, otc) = (fx.lam, fx.usd, fx.pool, fx.otc);
    let r = fx.reject(fx.actions(Payer::Account(ghost), 1), "unknown_account");
    assert_eq!(r, Rejection::UnknownAccount(ghost));
    fx.reject(
        fx.actions(Payer::Account(named_ghost), 1),
        "unknown_account",
    );
    let agent = fx.agent;
    for ev in [
        Event::Transfer {
            asset: lam,
            from: payer,
            to: ghost,
            amount_base_units: T,
        },
        Event::Transfer {
            asset: lam,
            from: ghost,
            to: payer,
            amount_base_units: T,
        },
        Event::Mint {
            asset: usd,
            to: ghost,
            amount_base_units: 1,
            reason: MintReason::ExternalInflow,
        },
        Event::Burn {
            asset: lam,
            from: ghost,
            amount_base_units: 1,
            reason: BurnReason::Voluntary,
        },
        fx.swap(otc, ghost, usd, exact_in(1, 0)),
        fx.swap(pool, ghost, usd, exact_in(USD, 0)),
        Event::AddLiquidity {
            market: pool,
            provider: ghost,
            amounts: [T, USD],
            min_shares: 0,
        },
        Event::RemoveLiquidity {
            market: pool,
            provider: ghost,
            shares: 1,
            min_amounts: [0, 0],
        },
        Event::PublishWorkflow {
            creator: ghost,
            epoch: 1,
        },
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
        Event::Subscribe {
            subscriber: ghost,
            plan: agent,
            payment: Payment::Numeraire,
        },
    ] {
        fx.reject(ev, "unknown_account");
    }
    // AST: purchases and redemptions name accounts too.
    let e = ast();
    let mut s = State::genesis(&e);
    let ghost = AccountId::opened(0).unwrap();
    reject(
        &e,
        &mut s,
        Event::Purchase {
            sale: AST_SALE,
            buyer: ghost,
            amount_base_units: 1,
        },
        "unknown_account",
    );
    reject(
        &e,
        &mut s,
        Event::Redeem {
            redemption: AST_REDEMPTION,
            holder: ghost,
            amount_base_units: 1,
        },
        "unknown_account",
    );
    // The account that opens next is known from then on.
    assert_eq!(open(&e, &mut s), ghost);
}

#[test]
fn unknown_plan_program_rule_sale_redemption_subscription_workflow_path() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let payer = fx.open();
    fx.give(payer, 100 * T);
    let v1 = fx.v1;
    let cases: Vec<(Event, &str, Rejection)> = vec![
        (
            Event::Subscribe {
                subscriber: payer,
                plan: PlanId(3),
                payment: Payment::Numeraire,
            },
            "unknown_plan",
            Rejection::UnknownPlan(PlanId(3)),
        ),
        (
            Event::Buyback {
                program: ProgramId(1),
                amount_base_units: USD,
            },
            "unknown_program",
            Rejection::UnknownProgram(ProgramId(1)),
        ),
        (
            Event::Revenue {
                rule: RuleId(1),
                amount_base_units: USD,
            },
            "unknown_rule",
            Rejection::UnknownRule(RuleId(1)),
        ),
        (
            Event::Purchase {
                sale: SaleId(0),
                buyer: payer,
                amount_base_units: T,
            },
            "unknown_sale",
            Rejection::UnknownSale(SaleId(0)),
        ),
        (
            Event::Redeem {
                redemption: RedemptionId(0),
                holder: payer,
                amount_base_units: T,
            },
            "unknown_redemption",
            Rejection::UnknownRedemption(RedemptionId(0)),
        ),
        (
            Event::ExpireSubscription {
                subscription: SubscriptionId(0),
            },
            "unknown_subscription",
            Rejection::UnknownSubscription(SubscriptionId(0)),
        ),
        (
            fx.actions(Payer::Subscription(SubscriptionId(0)), 1),
            "unknown_subscription",
            Rejection::UnknownSubscription(SubscriptionId(0)),
        ),
        (
            Event::Actions {
                payer: Payer::Account(payer),
                version: v1,
                count: 1,
                workflow: Some(WorkflowId(0)),
                path: None,
            },
            "unknown_workflow",
            Rejection::UnknownWorkflow(WorkflowId(0)),
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
            Rejection::UnknownPath(PathId(0)),
        ),
    ];
    for (ev, code, expected) in cases {
        let r = fx.reject(ev, code);
        assert_eq!(r, expected);
    }
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
    assert_eq!(fx.s.exogenous_price_pico(lam), CENT);
}

#[test]
fn price_not_set() {
    let mut fx = Fx::new();
    let (lam, usd, otc) = (fx.lam, fx.usd, fx.otc);
    let community = acct(&fx.e, "community");
    let r = fx.reject(fx.actions(Payer::Account(community), 1), "price_not_set");
    assert_eq!(r, Rejection::PriceNotSet(lam));
    let buyer = fx.open();
    fx.give_usd(buyer, 100 * USD);
    fx.reject(fx.swap(otc, buyer, usd, exact_in(USD, 0)), "price_not_set");
    let agent = fx.agent;
    fx.reject(
        Event::Subscribe {
            subscriber: community,
            plan: agent,
            payment: Payment::Token,
        },
        "price_not_set",
    );
    // A USD subscription needs no price to start, but its actions do.
    let sub = fx.subscribe(buyer, Payment::Numeraire);
    fx.reject(fx.actions(Payer::Subscription(sub), 1), "price_not_set");
    // The buyback's only venue is `otc`, which trades at the oracle price.
    fx.reject(
        Event::Buyback {
            program: ProgramId(0),
            amount_base_units: USD,
        },
        "price_not_set",
    );
    // The pool trades without any price.
    let pool = fx.pool;
    fx.ok(fx.swap(pool, buyer, usd, exact_in(USD, 0)));
}

#[test]
fn insufficient_balance() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let payer = fx.open();
    fx.give(payer, 10 * T - 1); // one base unit short of one action
    let (lam, usd, pool) = (fx.lam, fx.usd, fx.pool);
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
    let agent = fx.agent;
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
            plan: agent,
            payment: Payment::Token,
        },
        fx.swap(pool, payer, lam, exact_in(10 * T, 0)),
        fx.swap(pool, payer, usd, exact_in(USD, 0)),
        // 1 LAM from the pool costs about $0.10 the payer does not have.
        fx.swap(pool, payer, usd, exact_out(T, u128::MAX)),
        Event::AddLiquidity {
            market: pool,
            provider: payer,
            amounts: [T, USD],
            min_shares: 0,
        },
        Event::RemoveLiquidity {
            market: pool,
            provider: payer,
            shares: 1,
            min_amounts: [0, 0],
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
    // Redeeming more AST than held.
    let e = ast();
    let mut s = State::genesis(&e);
    let holder = open(&e, &mut s);
    must(
        &e,
        &mut s,
        Event::Purchase {
            sale: AST_SALE,
            buyer: holder,
            amount_base_units: 10,
        },
    );
    reject(
        &e,
        &mut s,
        Event::Redeem {
            redemption: AST_REDEMPTION,
            holder,
            amount_base_units: 11,
        },
        "insufficient_balance",
    );
}

#[test]
fn zero_amount() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let payer = fx.open();
    fx.give(payer, 100 * T);
    let (lam, usd, pool, otc) = (fx.lam, fx.usd, fx.pool, fx.otc);
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
        fx.swap(pool, payer, lam, exact_in(0, 0)),
        fx.swap(pool, payer, lam, exact_out(0, u128::MAX)),
        fx.swap(otc, payer, lam, exact_in(0, 0)),
        fx.swap(otc, payer, usd, exact_out(0, u128::MAX)),
        Event::AddLiquidity {
            market: pool,
            provider: payer,
            amounts: [T, 0],
            min_shares: 0,
        },
        Event::AddLiquidity {
            market: pool,
            provider: payer,
            amounts: [0, USD],
            min_shares: 0,
        },
        Event::RemoveLiquidity {
            market: pool,
            provider: payer,
            shares: 0,
            min_amounts: [0, 0],
        },
        Event::Buyback {
            program: ProgramId(0),
            amount_base_units: 0,
        },
        Event::Revenue {
            rule: RuleId(0),
            amount_base_units: 0,
        },
        Event::LaunchToken {
            decimals: 6,
            max_supply: Some(0),
        },
    ] {
        fx.reject(ev, "zero_amount");
    }
    let e = ast();
    let mut s = State::genesis(&e);
    let holder = open(&e, &mut s);
    reject(
        &e,
        &mut s,
        Event::Purchase {
            sale: AST_SALE,
            buyer: holder,
            amount_base_units: 0,
        },
        "zero_amount",
    );
    reject(
        &e,
        &mut s,
        Event::Redeem {
            redemption: AST_REDEMPTION,
            holder,
            amount_base_units: 0,
        },
        "zero_amount",
    );
}

#[test]
fn allowance_exceeded() {
    let mut fx = Fx::new();
    fx.price(10 * CENT);
    let subscriber = fx.open();
    fx.give(subscriber, 9_000 * T);
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
    let usd_sub = fx.subscribe(subscriber, Payment::Numeraire);
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
    fx.give(subscriber, 9_000 * T);
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
fn plan_version_mismatch_and_not_configured() {
    // A second version and a plan whose USD subscriptions have no inventory.
    let mut spec = lam_spec();
    let mut v2 = spec.versions[0].clone();
    v2.name = "LAM-2".into();
    v2.price = 200_000;
    spec.versions.push(v2);
    let mut unfunded = spec.plans[0].clone();
    unfunded.name = "unfunded".into();
    unfunded.funded_from = None;
    spec.plans.push(unfunded);
    let mut fx = Fx::with(valid(spec));
    fx.price(10 * CENT);
    let subscriber = fx.open();
    let sub = fx.subscribe(subscriber, Payment::Numeraire);
    let v2 = version(&fx.e, "LAM-2");
    let r = fx.reject(
        Event::Actions {
            payer: Payer::Subscription(sub),
            version: v2,
            count: 1,
            workflow: None,
            path: None,
        },
        "plan_version_mismatch",
    );
    assert_eq!(
        r,
        Rejection::PlanVersionMismatch {
            plan_version: fx.v1,
            requested: v2,
        }
    );
    let unfunded = plan(&fx.e, "unfunded");
    let sub = match fx.ok(Event::Subscribe {
        subscriber,
        plan: unfunded,
        payment: Payment::Numeraire,
    }) {
        Receipt::Subscribed { subscription, .. } => subscription,
        r => panic!("{r:?}"),
    };
    fx.reject(fx.actions(Payer::Subscription(sub), 1), "not_configured");
}

#[test]
fn invalid_arguments() {
    let mut fx = Fx::new();
    fx.price(CENT);
    let payer = fx.open();
    fx.give(payer, 100 * T);
    let (lam, usd, pool) = (fx.lam, fx.usd, fx.pool);
    let liquidity = acct(&fx.e, "liquidity");
    let cases: Vec<(Event, &str)> = vec![
        (
            Event::SetPrice {
                token: AssetId(9),
                price_usd_pico: CENT,
            },
            "unknown_asset",
        ),
        (
            Event::Transfer {
                asset: AssetId(9),
                from: payer,
                to: payer,
                amount_base_units: 1,
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
            Event::SetPrice {
                token: AssetId::lp(pool),
                price_usd_pico: CENT,
            },
            "not_a_token",
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
                asset: lam,
                to: payer,
                amount_base_units: T,
                reason: MintReason::Purchase,
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
            Event::Mint {
                asset: AssetId::lp(pool),
                to: payer,
                amount_base_units: 1,
                reason: MintReason::Liquidity,
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
            Event::Burn {
                asset: lam,
                from: payer,
                amount_base_units: 1,
                reason: BurnReason::Buyback,
            },
            "invalid_reason",
        ),
        (
            Event::Burn {
                asset: usd,
                from: payer,
                amount_base_units: 1,
                reason: BurnReason::Voluntary,
            },
            "invalid_reason",
        ),
        // LP shares leave only by removing liquidity: a burn would leave
        // the pool counting shares nobody holds.
        (
            Event::Burn {
                asset: AssetId::lp(pool),
                from: liquidity,
                amount_base_units: 1,
                reason: BurnReason::Voluntary,
            },
            "invalid_reason",
        ),
        (
            Event::LaunchToken {
                decimals: 19,
                max_supply: None,
            },
            "invalid_decimals",
        ),
        (
            Event::RegisterTrainerPath {
                trainers: vec![
                    TrainerWeight {
                        trainer: payer,
                        quality: 1,
                        usage: 1,
                    };
                    100_001
                ],
            },
            "too_many_trainers",
        ),
    ];
    for (ev, code) in cases {
        fx.reject(ev, code);
    }
}

/// A mint's checks cover the cumulative `minted` counter, not only the
/// supply: the counter grows past the supply when units are burned, and
/// these paths used to overflow it (a panic, or a wrapped counter in a
/// build without overflow checks).
#[test]
fn minted_counters_cannot_overflow() {
    // An external market's proceeds enter as minted numeraire.
    let mut fx = Fx::new();
    fx.price(10 * CENT);
    let trader = fx.open();
    let (lam, usd, otc) = (fx.lam, fx.usd, fx.otc);
    // Genesis minted 5,000,000 USD into the pool; mint the rest of u128 and
    // pay it out again: the supply is back to 5 * 10^12, `minted` is u128::MAX.
    let rest = u128::MAX - 5 * 10u128.pow(12);
    fx.give_usd(trader, rest);
    fx.ok(Event::Burn {
        asset: usd,
        from: trader,
        amount_base_units: rest,
        reason: BurnReason::ExternalOutflow,
    });
    assert_eq!(fx.s.totals(usd).minted, u128::MAX);
    fx.give(trader, 100 * T);
    let r = fx.reject(fx.swap(otc, trader, lam, exact_in(10 * T, 0)), "overflow");
    assert_eq!(r, Rejection::Overflow("supply"));
    fx.reject(
        Event::Revenue {
            rule: RuleId(0),
            amount_base_units: 1,
        },
        "overflow",
    );

    // LP shares: every deposit mints, every removal burns.
    let e = small();
    let mut s = State::genesis(&e);
    let (a, b) = (asset(&e, "A"), asset(&e, "B"));
    let trader = acct(&e, "trader");
    let pool = market(&e, "a_b");
    let lp = AssetId::lp(pool);
    for x in [a, b] {
        must(
            &e,
            &mut s,
            Event::Mint {
                asset: x,
                to: trader,
                amount_base_units: 1 << 126,
                reason: MintReason::Grant,
            },
        );
    }
    let mut cycles = 0;
    loop {
        let amounts = [s.balance(a, trader), s.balance(b, trader)];
        let add = Event::AddLiquidity {
            market: pool,
            provider: trader,
            amounts,
            min_shares: 0,
        };
        // Each cycle mints about 2^126 shares; the fourth would pass 2^128.
        if cycles == 3 {
            let r = reject(&e, &mut s, add, "overflow");
            assert_eq!(r, Rejection::Overflow("supply"));
            break;
        }
        must(&e, &mut s, add);
        let shares = s.balance(lp, trader);
        must(
            &e,
            &mut s,
            Event::RemoveLiquidity {
                market: pool,
                provider: trader,
                shares,
                min_amounts: [0, 0],
            },
        );
        cycles += 1;
    }
    assert!(s.totals(lp).minted > 3 << 124);
}
