//! FOMO's raise as a hand-built economy (`fomo()`), shared by the launch
//! tests: USD (6 decimals, the numeraire) and FLOCK (18, exogenous price,
//! 10M FLOCK with `holders`); one launch spec `rmo`, FOMO's raise with
//! ASSUMPTION figures that make the curve easy to follow:
//! - 1,000,000 tokens of 18 decimals: sale 40%, liquidity 20%, incentives
//!   20% (account), operator 10% (the issuer), treasury 10% (account);
//! - curve: virtual reserves 100,000 FLOCK and 500,000 tokens, so the
//!   maximum raise of 400,000 FLOCK sells exactly `400,000 x 500,000 /
//!   500,000` = the 400,000-token sale allocation;
//! - minimum 100,000 FLOCK, window 7 steps, 150,000 FLOCK per buyer, the
//!   issuer at most 25% of supply (250,000 tokens);
//! - fees: 1.5% per purchase and 32,768 FLOCK at launch, to `platform`;
//! - graduation: 50% of the raise into the pool (0.3% fee), the rest to
//!   `treasury`, LP shares to the issuer.

use super::*;
use furnace_core::economy::{
    AccountSpec, Allocation, AllocationTarget, AssetSpec, BondingCurve, Destination, LaunchParty,
    LaunchSpec, Oracle,
};
use furnace_core::engine::CurveBuy;
use furnace_core::ids::{LaunchId, LaunchSpecId};
use furnace_core::{AccountId, AssetId, Economy, Event, Receipt, State, ValidEconomy};

pub const FOMO_ACCOUNTS: [&str; 4] = ["platform", "treasury", "incentives", "holders"];
pub const RMO: LaunchSpecId = LaunchSpecId(0);

pub fn rmo_spec(e: &Economy) -> LaunchSpec {
    let a = |n| acct(e, n);
    let entry = |name: &str, share: u32, to| Allocation {
        name: name.into(),
        share: pct(share),
        to,
    };
    LaunchSpec {
        name: "rmo".into(),
        quote: asset(e, "FLOCK"),
        decimals: 18,
        total_supply: 1_000_000 * T,
        allocations: vec![
            entry("sale", 40, AllocationTarget::Sale),
            entry("liquidity", 20, AllocationTarget::Liquidity),
            entry("incentives", 20, AllocationTarget::Account(a("incentives"))),
            entry("operator", 10, AllocationTarget::Issuer),
            entry("treasury", 10, AllocationTarget::Account(a("treasury"))),
        ],
        curve: BondingCurve {
            virtual_quote: 100_000 * T,
            virtual_tokens: 500_000 * T,
        },
        window_steps: 7,
        min_raise: 100_000 * T,
        max_raise: 400_000 * T,
        max_commit_per_buyer: Some(150_000 * T),
        issuer_max_share: pct(25),
        purchase_fee: ppm(15_000),
        purchase_fee_to: Destination::Account(a("platform")),
        launch_fee: 32_768 * T,
        launch_fee_to: Destination::Account(a("platform")),
        raise_to_liquidity: pct(50),
        raise_rest_to: LaunchParty::Account(a("treasury")),
        pool_fee: ppm(3000),
        lp_to: LaunchParty::Issuer,
        staking: None,
        usage: None,
    }
}

/// A stake pool template for `rmo`'s token: rewards in FLOCK, no locks,
/// nothing staked to `treasury`, dust to `platform` (the launch stake and
/// usage tests start from it).
pub fn rmo_staking(e: &Economy) -> furnace_core::economy::RewardPoolSpec {
    use furnace_core::economy::{PoolWeight, RewardPoolSpec, LAUNCH_TOKEN};
    RewardPoolSpec {
        name: "rmo.staking".into(),
        reward: asset(e, "FLOCK"),
        weight: PoolWeight::Stake {
            asset: LAUNCH_TOKEN,
        },
        empty_to: acct(e, "treasury"),
        dust_to: acct(e, "platform"),
        lock_multipliers: vec![],
        unbonding_steps: 0,
        early_withdrawal_fee: furnace_core::units::Ppm::ZERO,
        early_withdrawal_fee_to: Destination::Burn,
        stake_cap: None,
    }
}

pub fn fomo_spec() -> Economy {
    let mut e = Economy {
        name: "FOMO".into(),
        assets: vec![
            AssetSpec {
                name: "USD".into(),
                decimals: 6,
                max_supply: None,
            },
            AssetSpec {
                name: "FLOCK".into(),
                decimals: 18,
                max_supply: Some(1_000_000_000 * T),
            },
        ],
        numeraire: AssetId(0),
        oracles: vec![Oracle::Exogenous, Oracle::Exogenous],
        accounts: FOMO_ACCOUNTS
            .iter()
            .map(|n| AccountSpec {
                name: (*n).into(),
                description: String::new(),
            })
            .collect(),
        genesis: vec![(AssetId(1), AccountId(3), 10_000_000 * T)],
        versions: vec![],
        splits: vec![],
        rules: vec![],
        plans: vec![],
        markets: vec![],
        buybacks: vec![],
        sales: vec![],
        redemptions: vec![],
        reward_pools: vec![],
        emissions: vec![],
        launches: vec![],
        points: vec![],
    };
    e.launches = vec![rmo_spec(&e)];
    e
}

pub struct Fx {
    pub e: ValidEconomy,
    pub s: State,
    pub flock: AssetId,
    pub platform: AccountId,
    pub treasury: AccountId,
    pub incentives: AccountId,
}

impl Fx {
    pub fn new() -> Fx {
        Fx::with(valid(fomo_spec()))
    }

    pub fn with(e: ValidEconomy) -> Fx {
        Fx {
            s: State::genesis(&e),
            flock: asset(&e, "FLOCK"),
            platform: acct(&e, "platform"),
            treasury: acct(&e, "treasury"),
            incentives: acct(&e, "incentives"),
            e,
        }
    }

    pub fn ok(&mut self, ev: Event) -> Receipt {
        must(&self.e, &mut self.s, ev)
    }

    pub fn reject(&mut self, ev: Event, code: &str) {
        reject(&self.e, &mut self.s, ev, code);
    }

    /// An opened account holding `flock` whole FLOCK.
    pub fn holder(&mut self, flock: u128) -> AccountId {
        let who = open(&self.e, &mut self.s);
        let (asset, from) = (self.flock, acct(&self.e, "holders"));
        self.ok(Event::Transfer {
            asset,
            from,
            to: who,
            amount_base_units: flock * T,
        });
        who
    }

    pub fn flock_of(&self, who: AccountId) -> u128 {
        self.s.balance(self.flock, who)
    }

    /// A launch of `rmo` by `issuer`: its id and token.
    pub fn launch(&mut self, issuer: AccountId) -> (LaunchId, AssetId) {
        match self.ok(Event::CreateLaunch { spec: RMO, issuer }) {
            Receipt::LaunchCreated { launch, token, fee } => {
                assert_eq!(fee, 32_768 * T);
                (launch, token)
            }
            r => panic!("{r:?}"),
        }
    }

    pub fn buy(&mut self, launch: LaunchId, buyer: AccountId, quote_in: u128) -> CurveBuy {
        let ev = Event::BuyOnCurve {
            launch,
            buyer,
            quote_in,
            min_tokens_out: 0,
        };
        match self.ok(ev) {
            Receipt::BoughtOnCurve(b) => b,
            r => panic!("{r:?}"),
        }
    }
}
