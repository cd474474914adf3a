//! Hand-built economies for the core's tests and benchmark.
//!
//! The core must not depend on `furnace-config` (not even for tests), so
//! every economy here is an [`Economy`] literal, validated with
//! [`Economy::validate`]. Names are resolved by position in the lists below,
//! so an economy with one more account (see `log_format.rs`) is built by the
//! same function.
//!
//! Units used throughout: USD has 6 decimals ([`USD`] = $1 in micro-dollars),
//! LAM and NET have 18 ([`T`] = one whole token), MOD and AST have 6; prices
//! are pico-dollars per whole token ([`CENT`] = $0.01).

#![allow(dead_code)]

pub mod fomo;

use furnace_core::economy::{
    AccountSpec, AssetSpec, BuybackProgram, ConsumptionSplit, Destination, EmissionChannel,
    EmissionCurve, EmissionSchedule, EmissionSource, Leg, LegKind, LockPoint, MarketKind,
    MarketSpec, Oracle, Payee, PlanSpec, PoolWeight, RedemptionSpec, RevenuePart, RevenueRule,
    RewardPoolSpec, SaleSpec, Venue, VersionSpec,
};
use furnace_core::ids::{PositionId, RedemptionId, RewardPoolId, RuleId, SaleId, SplitId};
use furnace_core::state::Position;
use furnace_core::units::Ppm;
use furnace_core::{
    apply, AccountId, AssetId, Economy, Event, MarketId, PlanId, ProgramId, Receipt, Rejection,
    State, ValidEconomy, VersionId,
};

/// One whole 18-decimal token (LAM, NET) in base units.
pub const T: u128 = 1_000_000_000_000_000_000;
/// One dollar in micro-dollars.
pub const USD: u128 = 1_000_000;
/// $0.01 per whole token, in pico-dollars.
pub const CENT: u128 = 10_000_000_000;

/// `n` whole units of an asset with `decimals` decimals.
pub fn whole(n: u128, decimals: u8) -> u128 {
    n * 10u128.pow(u32::from(decimals))
}

/// A share in parts per million (`ppm(175_000)` is 17.5%).
pub const fn ppm(parts: u32) -> Ppm {
    Ppm(parts)
}

/// `p` percent (whole percentages only).
pub const fn pct(p: u32) -> Ppm {
    Ppm(p * 10_000)
}

pub fn valid(e: Economy) -> ValidEconomy {
    let name = e.name.clone();
    e.validate()
        .unwrap_or_else(|errors| panic!("economy {name} is invalid: {errors:?}"))
}

/// Apply an event that must be accepted.
pub fn must(e: &ValidEconomy, s: &mut State, ev: Event) -> Receipt {
    apply(e, s, &ev).unwrap_or_else(|r| panic!("{ev:?} rejected: {r} ({})", r.code()))
}

/// Apply an event that must be rejected with `code`; the state must be
/// bit-identical afterwards.
pub fn reject(e: &ValidEconomy, s: &mut State, ev: Event, code: &str) -> Rejection {
    let before = s.clone();
    let r = match apply(e, s, &ev) {
        Ok(receipt) => panic!("{ev:?} was accepted: {receipt:?}"),
        Err(r) => r,
    };
    assert_eq!(r.code(), code, "{ev:?}: {r}");
    assert!(
        *s == before,
        "{ev:?} was rejected ({r}) but changed the state"
    );
    assert!(!r.to_string().is_empty());
    s.check_invariants(e).unwrap();
    r
}

/// Open a new account.
pub fn open(e: &ValidEconomy, s: &mut State) -> AccountId {
    match must(e, s, Event::OpenAccount) {
        Receipt::AccountOpened(a) => a,
        r => panic!("unexpected receipt {r:?}"),
    }
}

pub fn acct(e: &Economy, name: &str) -> AccountId {
    e.account_by_name(name)
        .unwrap_or_else(|| panic!("no account {name}"))
}

pub fn asset(e: &Economy, name: &str) -> AssetId {
    e.asset_by_name(name)
        .unwrap_or_else(|| panic!("no asset {name}"))
}

pub fn market(e: &Economy, name: &str) -> MarketId {
    e.market_by_name(name)
        .unwrap_or_else(|| panic!("no market {name}"))
}

pub fn program(e: &Economy, name: &str) -> ProgramId {
    e.program_by_name(name)
        .unwrap_or_else(|| panic!("no program {name}"))
}

pub fn version(e: &Economy, name: &str) -> VersionId {
    e.version_by_name(name)
        .unwrap_or_else(|| panic!("no version {name}"))
}

pub fn plan(e: &Economy, name: &str) -> PlanId {
    e.plan_by_name(name)
        .unwrap_or_else(|| panic!("no plan {name}"))
}

/// `a * b` as a 256-bit `(high, low)` pair, by 64-bit limbs: for comparing
/// pool products (`k`) exactly, independently of the engine's arithmetic.
pub fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    let limbs = |x: u128| [x as u64 as u128, x >> 64];
    let (a, b) = (limbs(a), limbs(b));
    let mut out = [0u128; 4];
    for i in 0..2 {
        let mut carry = 0u128;
        for j in 0..2 {
            let t = a[i] * b[j] + out[i + j] + carry;
            out[i + j] = t & u64::MAX as u128;
            carry = t >> 64;
        }
        out[i + 2] += carry;
    }
    (out[2] | (out[3] << 64), out[0] | (out[1] << 64))
}

fn asset_spec(name: &str, decimals: u8, max_supply: Option<u128>) -> AssetSpec {
    AssetSpec {
        name: name.into(),
        decimals,
        max_supply,
    }
}

fn accounts(names: &[&str]) -> Vec<AccountSpec> {
    names
        .iter()
        .map(|n| AccountSpec {
            name: (*n).into(),
            description: String::new(),
        })
        .collect()
}

/// Resolves an account name against a list of names (panics if absent).
fn by_name<'a>(names: &'a [&'a str]) -> impl Fn(&str) -> AccountId + 'a {
    move |name| {
        let i = names
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("no account {name} in {names:?}"));
        AccountId::named(i).unwrap()
    }
}

// ---------------------------------------------------------------------------
// LAM

/// The LAM economy's named accounts, in declaration order.
pub const LAM_ACCOUNTS: [&str; 11] = [
    "market",
    "community",
    "ecosystem",
    "ecosystem_rewards",
    "unallocated",
    "training_rewards",
    "escrow",
    "fuel",
    "buyback_budget",
    "operator_revenue",
    "liquidity",
];

/// The LAM economy (seeds 000/001), with its accounts declared as `names`
/// (which must include every name of [`LAM_ACCOUNTS`]; extra names are
/// plain accounts).
///
/// - USD (6 decimals) is declared first and is the numeraire; LAM has 18
///   decimals and a maximum supply of 10^9 whole LAM, all of it allocated
///   at genesis: market 600M, community 350M, the `lam_usd` pool 50M.
/// - Split `action`: burn 34% / creator 33% / ecosystem 33% / trainers 0%,
///   Creator Epochs 33, 25, 20, 17.5, 15, 12.5, 10, 7.5, 5%.
/// - Version `LAM-1`: $0.10 per action, paid in LAM.
/// - Revenue rule `subscriptions`: 80% buyback_budget / 20% operator_revenue.
/// - Plan `agent`: $1,000 for 150,000 actions over 30 days, 10% discount in
///   LAM, escrowed in `escrow`; USD-paid subscriptions run on `fuel`.
/// - Pool `lam_usd` (LAM, USD): 50,000,000 LAM and 5,000,000 USD ($0.10),
///   fee 0.3%, genesis LP shares to `liquidity`.
/// - External market `otc`: LAM held by `market`, at LAM's oracle price.
/// - Buyback `subscription_revenue`: spends buyback_budget's USD on LAM at
///   `otc`, credited to `fuel`.
/// - LAM's oracle is exogenous (`SetPrice`).
pub fn lam_spec_with_accounts(names: &[&str]) -> Economy {
    let a = by_name(names);
    let usd = AssetId(0);
    let lam = AssetId(1);
    let otc = MarketId(1);
    Economy {
        name: "LAM".into(),
        assets: vec![
            asset_spec("USD", 6, None),
            asset_spec("LAM", 18, Some(whole(1_000_000_000, 18))),
        ],
        numeraire: usd,
        oracles: vec![Oracle::Exogenous, Oracle::Exogenous],
        accounts: accounts(names),
        genesis: vec![
            (lam, a("market"), whole(600_000_000, 18)),
            (lam, a("community"), whole(350_000_000, 18)),
        ],
        versions: vec![VersionSpec {
            name: "LAM-1".into(),
            token: lam,
            price: 100_000,
            split: SplitId(0),
        }],
        splits: vec![ConsumptionSplit {
            name: "action".into(),
            legs: vec![
                Leg {
                    name: "burn".into(),
                    kind: LegKind::Burn,
                    share: pct(34),
                },
                Leg {
                    name: "creator".into(),
                    kind: LegKind::Creator,
                    share: pct(33),
                },
                Leg {
                    name: "ecosystem".into(),
                    kind: LegKind::Account(a("ecosystem")),
                    share: pct(33),
                },
                Leg {
                    name: "trainers".into(),
                    kind: LegKind::Trainers,
                    share: pct(0),
                },
            ],
            creator_epochs: [
                330_000, 250_000, 200_000, 175_000, 150_000, 125_000, 100_000, 75_000, 50_000,
            ]
            .map(Ppm)
            .to_vec(),
            creator_shortfall_to: Destination::Account(a("ecosystem_rewards")),
            no_marketplace_to: Destination::Account(a("ecosystem_rewards")),
            no_trainers_to: Destination::Account(a("ecosystem")),
            dust_to: Destination::Account(a("unallocated")),
        }],
        rules: vec![RevenueRule {
            name: "subscriptions".into(),
            parts: vec![
                RevenuePart {
                    name: "buyback".into(),
                    to: Payee::Account(a("buyback_budget")),
                    share: pct(80),
                },
                RevenuePart {
                    name: "operator".into(),
                    to: Payee::Account(a("operator_revenue")),
                    share: pct(20),
                },
            ],
        }],
        plans: vec![PlanSpec {
            name: "agent".into(),
            price: 1_000 * USD,
            actions_included: 150_000,
            period_days: 30,
            version: VersionId(0),
            token: lam,
            token_discount: pct(10),
            escrow: a("escrow"),
            revenue: RuleId(0),
            funded_from: Some(a("fuel")),
        }],
        markets: vec![
            MarketSpec {
                name: "lam_usd".into(),
                kind: MarketKind::Pool {
                    assets: [lam, usd],
                    fee: ppm(3_000),
                    genesis: [whole(50_000_000, 18), whole(5_000_000, 6)],
                    lp_to: a("liquidity"),
                },
            },
            MarketSpec {
                name: "otc".into(),
                kind: MarketKind::External {
                    token: lam,
                    account: a("market"),
                },
            },
        ],
        buybacks: vec![BuybackProgram {
            name: "subscription_revenue".into(),
            budget: a("buyback_budget"),
            pay: usd,
            token: lam,
            venues: vec![Venue {
                market: otc,
                weight: pct(100),
                cap_per_step: None,
            }],
            max_impact: None,
            max_spend_per_step: None,
            destination: Destination::Account(a("fuel")),
            stake_burn: None,
        }],
        sales: vec![],
        redemptions: vec![],
        reward_pools: vec![],
        emissions: vec![],
        launches: vec![],
        points: vec![],
    }
}

pub fn lam_spec() -> Economy {
    lam_spec_with_accounts(&LAM_ACCOUNTS)
}

pub fn lam() -> ValidEconomy {
    valid(lam_spec())
}

/// LAM priced by the `lam_usd` pool's spot price instead of `SetPrice`.
pub fn lam_with_pool_oracle_spec() -> Economy {
    let mut e = lam_spec();
    e.oracles[1] = Oracle::Spot(MarketId(0));
    e
}

pub fn lam_with_pool_oracle() -> ValidEconomy {
    valid(lam_with_pool_oracle_spec())
}

// ---------------------------------------------------------------------------
// Two tokens: a network token and a model token priced through it

/// Named accounts of [`two_tokens`].
pub const TWO_TOKEN_ACCOUNTS: [&str; 4] = ["treasury", "ecosystem", "liquidity", "holders"];

/// A network token NET (18 decimals) and a model token MOD (6 decimals),
/// quoted in USD (6 decimals).
///
/// - Pool `mod_net` (MOD, NET): 4,000,000 MOD and 1,000,000 NET, 0.3%:
///   1 MOD = 0.25 NET.
/// - Pool `net_usd` (NET, USD): 1,000,000 NET and 2,000,000 USD, 0.3%:
///   1 NET = $2.
/// - MOD's oracle is `Spot(mod_net)`, NET's `Spot(net_usd)`: MOD is priced
///   through the chain, $0.50 at genesis.
/// - Version `MOD-1`: $0.05 per action paid in MOD, split `mod_action`
///   burn 50% / ecosystem 50%.
/// - Buyback `mod_buyback`: spends the treasury's NET buying MOD on
///   `mod_net`, and burns it.
/// - Genesis: treasury 100,000 NET; holders 1,000,000 NET, 10,000,000 MOD
///   and 1,000,000 USD.
pub fn two_tokens_spec() -> Economy {
    let a = by_name(&TWO_TOKEN_ACCOUNTS);
    let (usd, net, md) = (AssetId(0), AssetId(1), AssetId(2));
    let (mod_net, net_usd) = (MarketId(0), MarketId(1));
    Economy {
        name: "two tokens".into(),
        assets: vec![
            asset_spec("USD", 6, None),
            asset_spec("NET", 18, Some(whole(1_000_000_000, 18))),
            asset_spec("MOD", 6, Some(whole(1_000_000_000, 6))),
        ],
        numeraire: usd,
        oracles: vec![
            Oracle::Exogenous,
            Oracle::Spot(net_usd),
            Oracle::Spot(mod_net),
        ],
        accounts: accounts(&TWO_TOKEN_ACCOUNTS),
        genesis: vec![
            (net, a("treasury"), whole(100_000, 18)),
            (net, a("holders"), whole(1_000_000, 18)),
            (md, a("holders"), whole(10_000_000, 6)),
            (usd, a("holders"), whole(1_000_000, 6)),
        ],
        versions: vec![VersionSpec {
            name: "MOD-1".into(),
            token: md,
            price: 50_000,
            split: SplitId(0),
        }],
        splits: vec![ConsumptionSplit {
            name: "mod_action".into(),
            legs: vec![
                Leg {
                    name: "burn".into(),
                    kind: LegKind::Burn,
                    share: pct(50),
                },
                Leg {
                    name: "ecosystem".into(),
                    kind: LegKind::Account(a("ecosystem")),
                    share: pct(50),
                },
            ],
            creator_epochs: vec![],
            creator_shortfall_to: Destination::Account(a("ecosystem")),
            no_marketplace_to: Destination::Account(a("ecosystem")),
            no_trainers_to: Destination::Account(a("ecosystem")),
            dust_to: Destination::Account(a("ecosystem")),
        }],
        rules: vec![],
        plans: vec![],
        markets: vec![
            MarketSpec {
                name: "mod_net".into(),
                kind: MarketKind::Pool {
                    assets: [md, net],
                    fee: ppm(3_000),
                    genesis: [whole(4_000_000, 6), whole(1_000_000, 18)],
                    lp_to: a("liquidity"),
                },
            },
            MarketSpec {
                name: "net_usd".into(),
                kind: MarketKind::Pool {
                    assets: [net, usd],
                    fee: ppm(3_000),
                    genesis: [whole(1_000_000, 18), whole(2_000_000, 6)],
                    lp_to: a("liquidity"),
                },
            },
        ],
        buybacks: vec![BuybackProgram {
            name: "mod_buyback".into(),
            budget: a("treasury"),
            pay: net,
            token: md,
            venues: vec![Venue {
                market: mod_net,
                weight: pct(100),
                cap_per_step: None,
            }],
            max_impact: None,
            max_spend_per_step: None,
            destination: Destination::Burn,
            stake_burn: None,
        }],
        sales: vec![],
        redemptions: vec![],
        reward_pools: vec![],
        emissions: vec![],
        launches: vec![],
        points: vec![],
    }
}

pub fn two_tokens() -> ValidEconomy {
    valid(two_tokens_spec())
}

// ---------------------------------------------------------------------------
// AST: a compute-hour token sold at a fixed price and redeemed

/// Named accounts of [`ast`].
pub const AST_ACCOUNTS: [&str; 5] = [
    "redeemed",
    "development",
    "treasury",
    "buyback_budget",
    "community",
];

/// AST: 1 token = 1 compute hour, 6 decimals, minted when bought.
///
/// - Sale `ast_sale` at $0.10 per AST; revenue rule `ast_revenue`: 50% paid
///   out (compute cost), 20% development, 15% treasury, 10% buyback_budget,
///   5% community.
/// - Redemption `compute_hours`: redeemed AST is kept by `redeemed`.
/// - External market `ast_market`: sells `redeemed`'s AST at the exogenous
///   price (and buys AST into it).
/// - Buyback `ast_buyback`: spends buyback_budget's USD on AST at
///   `ast_market`, and burns it.
pub fn ast_spec() -> Economy {
    let a = by_name(&AST_ACCOUNTS);
    let (usd, ast) = (AssetId(0), AssetId(1));
    Economy {
        name: "AST".into(),
        assets: vec![asset_spec("USD", 6, None), asset_spec("AST", 6, None)],
        numeraire: usd,
        oracles: vec![Oracle::Exogenous, Oracle::Exogenous],
        accounts: accounts(&AST_ACCOUNTS),
        genesis: vec![],
        versions: vec![],
        splits: vec![],
        rules: vec![RevenueRule {
            name: "ast_revenue".into(),
            parts: vec![
                RevenuePart {
                    name: "compute".into(),
                    to: Payee::PayOut,
                    share: pct(50),
                },
                RevenuePart {
                    name: "development".into(),
                    to: Payee::Account(a("development")),
                    share: pct(20),
                },
                RevenuePart {
                    name: "treasury".into(),
                    to: Payee::Account(a("treasury")),
                    share: pct(15),
                },
                RevenuePart {
                    name: "buyback".into(),
                    to: Payee::Account(a("buyback_budget")),
                    share: pct(10),
                },
                RevenuePart {
                    name: "community".into(),
                    to: Payee::Account(a("community")),
                    share: pct(5),
                },
            ],
        }],
        plans: vec![],
        markets: vec![MarketSpec {
            name: "ast_market".into(),
            kind: MarketKind::External {
                token: ast,
                account: a("redeemed"),
            },
        }],
        buybacks: vec![BuybackProgram {
            name: "ast_buyback".into(),
            budget: a("buyback_budget"),
            pay: usd,
            token: ast,
            venues: vec![Venue {
                market: MarketId(0),
                weight: pct(100),
                cap_per_step: None,
            }],
            max_impact: None,
            max_spend_per_step: None,
            destination: Destination::Burn,
            stake_burn: None,
        }],
        sales: vec![SaleSpec {
            name: "ast_sale".into(),
            token: ast,
            price: 100_000,
            revenue: RuleId(0),
        }],
        redemptions: vec![RedemptionSpec {
            name: "compute_hours".into(),
            token: ast,
            destination: Destination::Account(a("redeemed")),
        }],
        reward_pools: vec![],
        emissions: vec![],
        launches: vec![],
        points: vec![],
    }
}

pub fn ast() -> ValidEconomy {
    valid(ast_spec())
}

pub const AST_SALE: SaleId = SaleId(0);
pub const AST_REDEMPTION: RedemptionId = RedemptionId(0);

// ---------------------------------------------------------------------------
// Small: whole-unit pools for hand arithmetic

/// Named accounts of [`small`].
pub const SMALL_ACCOUNTS: [&str; 3] = ["lp", "trader", "budget"];

/// Assets with 0 decimals, so pool arithmetic is easy to follow by hand:
/// USD (numeraire), A and B, all exogenous.
///
/// - Pool `a_usd` (A, USD): 10,000 A and 10,000 USD, fee 0.3%, shares to `lp`.
///   (A 1,000/1,000 pool is not a valid genesis: `sqrt(1000 * 1000)` does
///   not exceed the 1,000 locked LP shares.)
/// - Pool `a_b` (A, B): empty, fee 0.3%.
/// - Genesis: `lp` and `trader` hold 100,000 of each of A, B and USD.
pub fn small_spec() -> Economy {
    let a = by_name(&SMALL_ACCOUNTS);
    let (usd, ta, tb) = (AssetId(0), AssetId(1), AssetId(2));
    let mut genesis = Vec::new();
    for who in ["lp", "trader"] {
        for asset in [usd, ta, tb] {
            genesis.push((asset, a(who), 100_000));
        }
    }
    Economy {
        name: "small".into(),
        assets: vec![
            asset_spec("USD", 0, None),
            asset_spec("A", 0, None),
            asset_spec("B", 0, None),
        ],
        numeraire: usd,
        oracles: vec![Oracle::Exogenous; 3],
        accounts: accounts(&SMALL_ACCOUNTS),
        genesis,
        versions: vec![],
        splits: vec![],
        rules: vec![],
        plans: vec![],
        markets: vec![
            MarketSpec {
                name: "a_usd".into(),
                kind: MarketKind::Pool {
                    assets: [ta, usd],
                    fee: ppm(3_000),
                    genesis: [10_000, 10_000],
                    lp_to: a("lp"),
                },
            },
            MarketSpec {
                name: "a_b".into(),
                kind: MarketKind::Pool {
                    assets: [ta, tb],
                    fee: ppm(3_000),
                    genesis: [0, 0],
                    lp_to: a("lp"),
                },
            },
        ],
        buybacks: vec![],
        sales: vec![],
        redemptions: vec![],
        reward_pools: vec![],
        emissions: vec![],
        launches: vec![],
        points: vec![],
    }
}

pub fn small() -> ValidEconomy {
    valid(small_spec())
}

/// Bring `amount` of the numeraire into the economy for `to`.
pub fn mint_usd(e: &ValidEconomy, s: &mut State, to: AccountId, amount: u128) {
    must(
        e,
        s,
        Event::Mint {
            asset: e.numeraire,
            to,
            amount_base_units: amount,
            reason: furnace_core::event::MintReason::ExternalInflow,
        },
    );
}

// ---------------------------------------------------------------------------
// Reward pools

/// gmFLOCK's lock multiplier (FLock docs, ai-arena/quickstart/gmflock):
/// 1x for a lock of up to 30 days, then `1 + 2.19 (t - 30) / 365` up to 365
/// days. As a piecewise-linear table: (0, 1x), (30, 1x), (365, 3.01x);
/// `2.19 x 335 / 365 = 2.01` exactly, so the line through the last two
/// points is the formula itself (6,000 ppm per day).
pub fn gmflock_lock() -> Vec<LockPoint> {
    [(0, 1_000_000), (30, 1_000_000), (365, 3_010_000)]
        .map(|(steps, multiplier_ppm)| LockPoint {
            steps,
            multiplier_ppm,
        })
        .to_vec()
}

pub const STAKERS: RewardPoolId = RewardPoolId(0);
pub const VOTERS: RewardPoolId = RewardPoolId(1);
pub const LP_MINERS: RewardPoolId = RewardPoolId(2);
pub const FEE_SHARE: RewardPoolId = RewardPoolId(3);

/// A reward pool paying LAM with LAM's usual sinks: rewards at zero weight
/// to `ecosystem_rewards`, dust to `unallocated`; no lock, unbonding or fee.
pub fn lam_pool(e: &Economy, name: &str, reward: AssetId, weight: PoolWeight) -> RewardPoolSpec {
    RewardPoolSpec {
        name: name.into(),
        reward,
        weight,
        empty_to: acct(e, "ecosystem_rewards"),
        dust_to: acct(e, "unallocated"),
        lock_multipliers: vec![],
        unbonding_steps: 0,
        early_withdrawal_fee: Ppm::ZERO,
        early_withdrawal_fee_to: Destination::Burn,
        stake_cap: None,
    }
}

/// LAM ([`lam_spec`]) with four reward pools:
/// - `stakers` ([`STAKERS`]): LAM staked for LAM, gmFLOCK locks, a 5.13%
///   early-withdrawal fee (gmFLOCK's) burned;
/// - `voters` ([`VOTERS`]): points (governance votes), LAM rewards;
/// - `lp_miners` ([`LP_MINERS`]): `lam_usd` LP shares staked for LAM,
///   unbonding 7 steps;
/// - `fee_share` ([`FEE_SHARE`]): LAM staked for USD (revenue shared).
pub fn lam_rewards_spec() -> Economy {
    lam_rewards_spec_with_accounts(&LAM_ACCOUNTS)
}

/// [`lam_rewards_spec`] with its accounts declared as `names` (as
/// [`lam_spec_with_accounts`]).
pub fn lam_rewards_spec_with_accounts(names: &[&str]) -> Economy {
    let mut e = lam_spec_with_accounts(names);
    let lam = asset(&e, "LAM");
    let stake = PoolWeight::Stake { asset: lam };
    let mut stakers = lam_pool(&e, "stakers", lam, stake);
    stakers.lock_multipliers = gmflock_lock();
    stakers.early_withdrawal_fee = ppm(51_300);
    let mut lp = lam_pool(
        &e,
        "lp_miners",
        lam,
        PoolWeight::Stake {
            asset: AssetId::lp(market(&e, "lam_usd")),
        },
    );
    lp.unbonding_steps = 7;
    e.reward_pools = vec![
        stakers,
        lam_pool(&e, "voters", lam, PoolWeight::Points),
        lp,
        lam_pool(&e, "fee_share", e.numeraire, stake),
    ];
    e
}

pub fn lam_rewards() -> ValidEconomy {
    valid(lam_rewards_spec())
}

/// A schedule of LAM for [`lam_rewards_spec`]: one epoch a step, no cap,
/// `to_stakers` of each epoch to the `stakers` pool and the rest to
/// `ecosystem`.
pub fn lam_schedule(
    e: &Economy,
    source: EmissionSource,
    curve: EmissionCurve,
    to_stakers: Ppm,
) -> EmissionSchedule {
    EmissionSchedule {
        name: "lam_emission".into(),
        token: asset(e, "LAM"),
        source,
        channels: vec![
            EmissionChannel {
                name: "stakers".into(),
                to: Destination::RewardPool(STAKERS),
                share: to_stakers,
            },
            EmissionChannel {
                name: "ecosystem".into(),
                to: Destination::Account(acct(e, "ecosystem")),
                share: Ppm(Ppm::ONE.0 - to_stakers.0),
            },
        ],
        curve,
        cap: None,
        already_emitted: 0,
        epoch_steps: 1,
    }
}

/// Open a position; its id.
pub fn open_position(
    e: &ValidEconomy,
    s: &mut State,
    pool: RewardPoolId,
    owner: AccountId,
    amount: u128,
    lock_steps: u32,
) -> PositionId {
    match must(
        e,
        s,
        Event::OpenPosition {
            pool,
            owner,
            amount_base_units: amount,
            lock_steps,
        },
    ) {
        Receipt::PositionOpened { position, .. } => position,
        r => panic!("unexpected receipt {r:?}"),
    }
}

/// A position of a pool (panics if absent).
pub fn position(s: &State, pool: RewardPoolId, id: PositionId) -> Position {
    *s.reward_pool(pool).unwrap().position(id).unwrap()
}

/// Apply `n` ticks.
pub fn ticks(e: &ValidEconomy, s: &mut State, n: u64) {
    for _ in 0..n {
        must(e, s, Event::Tick);
    }
}

/// A new account holding `amount` of `asset` taken from `from`.
pub fn funded_account(
    e: &ValidEconomy,
    s: &mut State,
    asset: AssetId,
    from: AccountId,
    amount: u128,
) -> AccountId {
    let who = open(e, s);
    must(
        e,
        s,
        Event::Transfer {
            asset,
            from,
            to: who,
            amount_base_units: amount,
        },
    );
    who
}

/// Every validation error of `e`, as (key, message).
pub fn validation_errors(e: Economy) -> Vec<(String, String)> {
    e.validate()
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.path, e.message))
        .collect()
}

/// `errors` has one at `path` whose message contains `words`.
pub fn has_error(errors: &[(String, String)], path: &str, words: &str) {
    assert!(
        errors.iter().any(|(p, m)| p == path && m.contains(words)),
        "no `{path}: ...{words}...` in {errors:#?}"
    );
}
