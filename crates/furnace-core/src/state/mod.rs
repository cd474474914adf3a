//! The state of one economy: holdings, supply counters, pools (declared and
//! created at run time, `markets.rs`), oracle samples, buyback counters,
//! reward pools and their positions, emission schedules' counters,
//! bonding-curve launches (`launch.rs`), and the registries events create
//! (accounts, launched tokens, workflows, trainer paths, subscriptions).
//!
//! Layout. Holdings are sparse: each account keeps a short `Vec` of
//! `(asset, balance)` sorted by asset id, so memory grows with the balances
//! accounts actually hold, not with tokens x accounts (1,000 tokens and
//! 1,000,000 accounts cost 1,000,000 short vectors, not 10^9 zeros). An
//! account holds a handful of assets, so a lookup is a scan of a few
//! entries in one cache line: no hashing. An entry stays when its balance
//! returns to zero, so a steady-state loop never allocates; iteration is in
//! (account id, asset id) order, deterministic.
//!
//! Invariant (checked by [`State::check_invariants`]): for every asset,
//! `supply == minted - burned == Σ balances + Σ pool reserves + Σ reward
//! pool custody` (rewards held, deposits and unbonding) `+ Σ launch
//! custody` (principal raised and not yet graduated or refunded), and the
//! per-reason counters sum to `minted` and `burned`. `apply` asserts the
//! O(1) part for the assets an event touches in every build; the O(accounts)
//! sum runs after every event in debug builds and in tests.

mod invariants;
mod launch;
mod markets;
mod points;
mod rewards;

use crate::economy::{Economy, EmissionCurve, MarketKind, Oracle, ValidEconomy, MAX_VENUES};
use crate::event::{BurnReason, MintReason, Payment, TrainerWeight};
use crate::ids::{AccountId, AssetId, AssetSlot, PlanId, RewardPoolId, ScheduleId};
use crate::pool_math::{initial_shares, MINIMUM_LIQUIDITY};
use crate::units::BaseUnits;
pub use launch::{Commitment, LaunchState, LaunchStatus, RuntimeRewardPool};
pub use markets::{PoolState, RuntimePool, Twap};
pub use points::{PointsAccount, PointsState};
pub use rewards::{
    CapState, Position, RewardPoolState, RewardPoolTotals, ScheduleState, ACC_SHIFT,
};
use std::fmt;

/// Supply counters of one asset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssetTotals {
    pub supply: BaseUnits,
    pub minted: BaseUnits,
    pub burned: BaseUnits,
    pub minted_by_reason: [BaseUnits; MintReason::COUNT],
    pub burned_by_reason: [BaseUnits; BurnReason::COUNT],
}

impl AssetTotals {
    /// The O(1) ledger identity, asserted for touched assets after every event.
    #[inline]
    pub fn consistent(&self) -> bool {
        self.minted.checked_sub(self.burned) == Some(self.supply)
    }
}

/// A token created by `LaunchToken`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaunchedToken {
    pub decimals: u8,
    pub max_supply: Option<BaseUnits>,
    /// The pool pricing it (its spot against the pool's other asset), set
    /// when a launch graduates; None: its price is exogenous (`SetPrice`).
    pub oracle: Option<crate::ids::MarketId>,
    /// The launch that created it (`CreateLaunch`): such a token is minted
    /// only by its graduation, never by `Mint`.
    pub launch: Option<crate::ids::LaunchId>,
}

/// A buyback program's counters.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgramState {
    /// Spent in the current step (reset by `Tick`), overall and per venue.
    pub spent_this_step: BaseUnits,
    pub venue_spent_this_step: [BaseUnits; MAX_VENUES],
    pub spent_total: BaseUnits,
    pub bought_total: BaseUnits,
    /// Of `bought_total`, burned (everything for a burn destination; the
    /// unstaked fraction under a stake burn).
    pub burned_total: BaseUnits,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workflow {
    pub creator: AccountId,
    /// The Creator Epoch the workflow was published in (1-based), locked.
    pub epoch: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainerPath {
    /// (trainer, weight = quality x usage).
    pub trainers: Vec<(AccountId, u128)>,
    pub total_weight: u128,
    /// A pooled path (`RegisterPooledPath`): its trainers are the positions
    /// of this points pool, weighted by `SetWeight` (quality x usage), and
    /// the trainers leg credits the pool in O(1); `trainers` is empty.
    pub pool: Option<crate::ids::RewardPoolId>,
}

impl TrainerPath {
    pub fn new(trainers: &[TrainerWeight]) -> TrainerPath {
        let trainers: Vec<(AccountId, u128)> = trainers
            .iter()
            .map(|t| (t.trainer, u128::from(t.quality) * u128::from(t.usage)))
            .collect();
        // Cannot overflow: at most MAX_TRAINERS_PER_PATH (10^5) weights of
        // at most 2^96 each.
        let total_weight = trainers.iter().map(|(_, w)| *w).sum();
        TrainerPath {
            trainers,
            total_weight,
            pool: None,
        }
    }

    /// A path whose trainers are `pool`'s positions.
    pub fn pooled(pool: crate::ids::RewardPoolId) -> TrainerPath {
        TrainerPath {
            trainers: Vec::new(),
            total_weight: 0,
            pool: Some(pool),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    pub subscriber: AccountId,
    pub plan: PlanId,
    pub payment: Payment,
    /// Tokens escrowed at payment (token-paid only).
    pub escrow_base_units: BaseUnits,
    /// Tokens released from escrow so far.
    pub released_base_units: BaseUnits,
    /// Actions run against the allowance.
    pub actions_used: u64,
    pub active: bool,
}

impl Subscription {
    /// Tokens to release from escrow for the next `count` actions: the pro
    /// rata share `floor(escrow * used / included)` differenced, so the
    /// releases sum exactly to the escrow when the allowance is used up.
    pub fn release_for(&self, count: u64, included: u64) -> Option<BaseUnits> {
        let used_after = self.actions_used.checked_add(count)?;
        if used_after > included {
            return None;
        }
        let target = crate::units::mul_div_floor(
            self.escrow_base_units,
            u128::from(used_after),
            u128::from(included),
        )?;
        target.checked_sub(self.released_base_units)
    }
}

/// One account's holdings: `(asset, balance)` sorted by asset id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holdings(Vec<(AssetId, BaseUnits)>);

impl Holdings {
    #[inline]
    fn get(&self, asset: AssetId) -> BaseUnits {
        // Linear: an account holds a few assets, sorted; faster than a
        // binary search at these sizes and branch-predictable.
        for &(a, b) in &self.0 {
            if a == asset {
                return b;
            }
        }
        0
    }

    #[inline]
    fn entry(&mut self, asset: AssetId) -> &mut BaseUnits {
        let at = match self.0.binary_search_by_key(&asset, |(a, _)| *a) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (asset, 0));
                i
            }
        };
        &mut self.0[at].1
    }

    /// Every non-zero balance, by asset id.
    pub fn iter(&self) -> impl Iterator<Item = (AssetId, BaseUnits)> + '_ {
        self.0.iter().copied().filter(|(_, b)| *b > 0)
    }
}

/// The whole mutable state of an economy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub(crate) named: Vec<Holdings>,
    pub(crate) opened: Vec<Holdings>,
    /// Totals of declared assets, LP assets (by market) and launched tokens.
    pub(crate) declared_totals: Vec<AssetTotals>,
    pub(crate) lp_totals: Vec<AssetTotals>,
    pub(crate) launched_totals: Vec<AssetTotals>,
    pub(crate) launched: Vec<LaunchedToken>,
    /// Exogenous prices (pico-numeraire per whole token; 0 = not set), of
    /// declared then launched tokens.
    pub(crate) declared_prices: Vec<u128>,
    pub(crate) launched_prices: Vec<u128>,
    /// By market id; `None` for external markets.
    pub(crate) pools: Vec<Option<PoolState>>,
    /// Pools created at run time (`MarketId::runtime(i)` is the `i`-th).
    pub(crate) runtime_pools: Vec<RuntimePool>,
    /// By declared asset index; `Some` for time-weighted oracles.
    pub(crate) twaps: Vec<Option<Twap>>,
    pub(crate) programs: Vec<ProgramState>,
    pub(crate) workflows: Vec<Workflow>,
    pub(crate) paths: Vec<TrainerPath>,
    pub(crate) subscriptions: Vec<Subscription>,
    /// By reward pool id.
    pub(crate) reward_pools: Vec<RewardPoolState>,
    /// Reward pools created at run time (`RewardPoolId::runtime(i)` is the
    /// `i`-th): a graduated launch's stake pool.
    pub(crate) runtime_reward_pools: Vec<RuntimeRewardPool>,
    /// By schedule id.
    pub(crate) schedules: Vec<ScheduleState>,
    /// Launches, in creation order (`LaunchId(i)` is the `i`-th).
    pub(crate) launches: Vec<LaunchState>,
    /// By points rules id.
    pub(crate) points: Vec<PointsState>,
    /// `Tick`s applied.
    pub(crate) step: u64,
    /// Events applied successfully (genesis counts as none).
    pub(crate) events_applied: u64,
}

/// A broken ledger invariant: a bug, never a user error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvariantViolation(pub String);

impl fmt::Display for InvariantViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ledger invariant violated: {}", self.0)
    }
}

impl std::error::Error for InvariantViolation {}

impl State {
    /// The state right after genesis: named accounts exist, the genesis
    /// allocation and pool reserves are minted, no exogenous price is set.
    /// Cannot fail: validation checked every genesis sum.
    pub fn genesis(economy: &ValidEconomy) -> State {
        let e: &Economy = economy;
        let mut state = State {
            named: vec![Holdings::default(); e.accounts.len()],
            opened: Vec::new(),
            declared_totals: vec![AssetTotals::default(); e.assets.len()],
            lp_totals: vec![AssetTotals::default(); e.markets.len()],
            launched_totals: Vec::new(),
            launched: Vec::new(),
            declared_prices: vec![0; e.assets.len()],
            launched_prices: Vec::new(),
            pools: Vec::with_capacity(e.markets.len()),
            runtime_pools: Vec::new(),
            twaps: e
                .oracles
                .iter()
                .map(|o| match o {
                    Oracle::Twap { window, .. } => Some(Twap {
                        samples: vec![0; *window as usize],
                        next: 0,
                        count: 0,
                        sum: 0,
                    }),
                    _ => None,
                })
                .collect(),
            programs: vec![ProgramState::default(); e.buybacks.len()],
            workflows: Vec::new(),
            paths: Vec::new(),
            subscriptions: Vec::new(),
            reward_pools: vec![RewardPoolState::default(); e.reward_pools.len()],
            runtime_reward_pools: Vec::new(),
            schedules: e
                .emissions
                .iter()
                .map(|s| ScheduleState {
                    rate: match s.curve {
                        EmissionCurve::Geometric { initial, .. } => initial,
                        _ => 0,
                    },
                    ..ScheduleState::default()
                })
                .collect(),
            launches: Vec::new(),
            points: vec![PointsState::new(e.accounts.len()); e.points.len()],
            step: 0,
            events_applied: 0,
        };
        for &(asset, account, amount) in &e.genesis {
            state
                .mint(asset, account, amount, MintReason::Genesis)
                .expect("validated: genesis fits");
        }
        for (i, m) in e.markets.iter().enumerate() {
            let pool = match &m.kind {
                MarketKind::External { .. } => None,
                MarketKind::Pool {
                    assets,
                    genesis,
                    lp_to,
                    ..
                } => {
                    let mut pool = PoolState::default();
                    if genesis[0] > 0 {
                        for (a, g) in assets.iter().zip(genesis) {
                            state
                                .totals_mut(*a)
                                .expect("validated asset")
                                .add_minted(*g, MintReason::Genesis);
                        }
                        let shares = initial_shares(genesis[0], genesis[1], MINIMUM_LIQUIDITY)
                            .expect("validated: reserves above the locked minimum");
                        let lp = AssetId::lp(crate::ids::MarketId::from_index(i).expect("bounded"));
                        state.lp_totals[i]
                            .add_minted(shares + MINIMUM_LIQUIDITY, MintReason::Genesis);
                        state.lp_totals[i].add_burned(MINIMUM_LIQUIDITY, BurnReason::Liquidity);
                        *state
                            .holdings_mut(*lp_to)
                            .expect("validated account")
                            .entry(lp) += shares;
                        pool.reserves = *genesis;
                        pool.shares = shares + MINIMUM_LIQUIDITY;
                    }
                    Some(pool)
                }
            };
            state.pools.push(pool);
        }
        state
    }

    /// Balance of `asset` held by `account` (0 for unknown ids).
    #[inline]
    pub fn balance(&self, asset: AssetId, account: AccountId) -> BaseUnits {
        self.holdings(account).map_or(0, |h| h.get(asset))
    }

    #[inline]
    pub(crate) fn holdings(&self, account: AccountId) -> Option<&Holdings> {
        match account.slot() {
            Ok(i) => self.named.get(i),
            Err(i) => self.opened.get(i),
        }
    }

    #[inline]
    fn holdings_mut(&mut self, account: AccountId) -> Option<&mut Holdings> {
        match account.slot() {
            Ok(i) => self.named.get_mut(i),
            Err(i) => self.opened.get_mut(i),
        }
    }

    /// Supply counters of any asset id (None if unknown).
    #[inline]
    pub fn asset_totals(&self, asset: AssetId) -> Option<&AssetTotals> {
        match asset.slot() {
            AssetSlot::Declared(i) => self.declared_totals.get(i),
            AssetSlot::Lp(i) => self.lp_totals_at(i),
            AssetSlot::Launched(i) => self.launched_totals.get(i),
        }
    }

    /// Supply counters of a known asset. Panics on an unknown id: callers
    /// hold ids from the economy or from receipts.
    pub fn totals(&self, asset: AssetId) -> &AssetTotals {
        self.asset_totals(asset).expect("known asset")
    }

    #[inline]
    pub(crate) fn totals_mut(&mut self, asset: AssetId) -> Option<&mut AssetTotals> {
        match asset.slot() {
            AssetSlot::Declared(i) => self.declared_totals.get_mut(i),
            AssetSlot::Lp(i) => self.lp_totals_at_mut(i),
            AssetSlot::Launched(i) => self.launched_totals.get_mut(i),
        }
    }

    pub fn supply(&self, asset: AssetId) -> BaseUnits {
        self.asset_totals(asset).map_or(0, |t| t.supply)
    }

    /// The exogenous price last set for `token` (0 = never set).
    #[inline]
    pub fn exogenous_price_pico(&self, token: AssetId) -> u128 {
        match token.slot() {
            AssetSlot::Declared(i) => self.declared_prices.get(i).copied().unwrap_or(0),
            AssetSlot::Launched(i) => self.launched_prices.get(i).copied().unwrap_or(0),
            AssetSlot::Lp(_) => 0,
        }
    }

    pub fn program(&self, program: crate::ids::ProgramId) -> Option<&ProgramState> {
        self.programs.get(program.index())
    }

    pub fn launched_tokens(&self) -> &[LaunchedToken] {
        &self.launched
    }

    pub fn opened_accounts(&self) -> usize {
        self.opened.len()
    }

    pub fn workflows(&self) -> &[Workflow] {
        &self.workflows
    }

    pub fn paths(&self) -> &[TrainerPath] {
        &self.paths
    }

    /// Room for `additional` more subscriptions, so applying that many
    /// `Subscribe` events never reallocates: the registry keeps one record
    /// per subscription ever opened, and a caller that knows how many it
    /// will open (the simulator) reserves them once.
    pub fn reserve_subscriptions(&mut self, additional: usize) {
        self.subscriptions.reserve_exact(additional);
    }

    pub fn subscriptions(&self) -> &[Subscription] {
        &self.subscriptions
    }

    /// A reward pool's counters and positions (None for an unknown id).
    pub fn reward_pool(&self, pool: RewardPoolId) -> Option<&RewardPoolState> {
        match pool.slot() {
            crate::ids::RewardPoolSlot::Declared(i) => self.reward_pools.get(i),
            crate::ids::RewardPoolSlot::Runtime(i) => {
                self.runtime_reward_pools.get(i).map(|r| &r.pool)
            }
        }
    }

    /// Room for `additional` more positions in `pool`, so that many
    /// `OpenPosition` events never reallocate (as `reserve_subscriptions`).
    /// Does nothing for an unknown pool.
    pub fn reserve_positions(&mut self, pool: RewardPoolId, additional: usize) {
        if let Some(p) = self.reward_pool_mut(pool) {
            p.positions.reserve_exact(additional);
        }
    }

    /// A points rule's accounts and counters (None for an unknown id).
    pub fn points(&self, rules: crate::ids::PointsRulesId) -> Option<&PointsState> {
        self.points.get(rules.index())
    }

    /// Room for the first `opened` opened accounts in every points rule
    /// (and `opened` more positions in their pools), so their first points
    /// never reallocate in a simulated step.
    pub fn reserve_points(&mut self, economy: &Economy, opened: usize) {
        for (rules, p) in economy.points.iter().zip(&mut self.points) {
            p.reserve_opened(opened);
            if let Some(pool) = self.reward_pools.get_mut(rules.pool.index()) {
                pool.positions.reserve_exact(opened);
            }
        }
    }

    /// An emission schedule's counters (None for an unknown id).
    pub fn schedule(&self, schedule: ScheduleId) -> Option<&ScheduleState> {
        self.schedules.get(schedule.index())
    }

    /// A launch's state (None for an unknown id).
    pub fn launch_state(&self, launch: crate::ids::LaunchId) -> Option<&LaunchState> {
        self.launches.get(launch.index())
    }

    /// Every launch, in creation order.
    pub fn launches(&self) -> &[LaunchState] {
        &self.launches
    }

    pub fn step(&self) -> u64 {
        self.step
    }

    pub fn events_applied(&self) -> u64 {
        self.events_applied
    }

    /// Every account id that exists: named, then opened.
    pub fn accounts(&self) -> impl Iterator<Item = AccountId> + '_ {
        (0..self.named.len())
            .filter_map(AccountId::named)
            .chain((0..self.opened.len()).filter_map(AccountId::opened))
    }

    /// Every asset id that exists: declared, LP (declared pools, then pools
    /// created at run time), launched.
    pub fn assets(&self) -> impl Iterator<Item = AssetId> + '_ {
        (0..self.declared_totals.len())
            .filter_map(AssetId::declared)
            .chain(
                self.pools
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.is_some())
                    .filter_map(|(i, _)| crate::ids::MarketId::declared(i).map(AssetId::lp)),
            )
            .chain(
                (0..self.runtime_pools.len())
                    .filter_map(crate::ids::MarketId::runtime)
                    .map(AssetId::lp),
            )
            .chain((0..self.launched.len()).filter_map(AssetId::launched))
    }

    /// Every non-zero balance of `account`, by asset id.
    pub fn holdings_of(
        &self,
        account: AccountId,
    ) -> impl Iterator<Item = (AssetId, BaseUnits)> + '_ {
        self.holdings(account).into_iter().flat_map(Holdings::iter)
    }

    #[inline]
    pub(crate) fn has_account(&self, account: AccountId) -> bool {
        self.holdings(account).is_some()
    }

    pub(crate) fn open_account(&mut self) -> Option<AccountId> {
        let id = AccountId::opened(self.opened.len())?;
        self.opened.push(Holdings::default());
        Some(id)
    }

    pub(crate) fn launch(&mut self, token: LaunchedToken) -> Option<AssetId> {
        let id = AssetId::launched(self.launched.len())?;
        self.launched.push(token);
        self.launched_totals.push(AssetTotals::default());
        self.launched_prices.push(0);
        Some(id)
    }

    /// Create units and credit them. Fails only on supply overflow or an
    /// unknown id, before changing anything. (Maximum supply is the
    /// engine's check: it knows the asset's spec.)
    pub(crate) fn mint(
        &mut self,
        asset: AssetId,
        to: AccountId,
        amount: BaseUnits,
        reason: MintReason,
    ) -> Option<()> {
        let t = self.asset_totals(asset)?;
        t.supply.checked_add(amount)?;
        t.minted.checked_add(amount)?;
        self.holdings(to)?;
        self.totals_mut(asset)?.add_minted(amount, reason);
        // Cannot overflow: a balance is at most the supply.
        *self.holdings_mut(to)?.entry(asset) += amount;
        Some(())
    }

    /// Account for `amount` units already debited from a holder (or a
    /// pool) that are now destroyed.
    #[inline]
    pub(crate) fn burn_from_flow(&mut self, asset: AssetId, amount: BaseUnits, reason: BurnReason) {
        self.totals_mut(asset)
            .expect("validated asset")
            .add_burned(amount, reason);
    }

    /// Account for `amount` units minted straight into a flow (a pool's
    /// reserve, a split) rather than an account.
    #[inline]
    pub(crate) fn mint_into_flow(&mut self, asset: AssetId, amount: BaseUnits, reason: MintReason) {
        self.totals_mut(asset)
            .expect("validated asset")
            .add_minted(amount, reason);
    }

    /// Debit an account the caller has checked holds `amount`.
    #[inline]
    pub(crate) fn debit_checked(&mut self, asset: AssetId, from: AccountId, amount: BaseUnits) {
        let b = self
            .holdings_mut(from)
            .expect("checked account")
            .entry(asset);
        assert!(*b >= amount, "debit beyond balance: a validation bug");
        *b -= amount;
    }

    /// Credit units that left another holder in the same event (so the
    /// supply is unchanged and the credit cannot overflow).
    #[inline]
    pub(crate) fn credit(&mut self, asset: AssetId, to: AccountId, amount: BaseUnits) {
        *self.holdings_mut(to).expect("checked account").entry(asset) += amount;
    }
}

impl AssetTotals {
    /// Count a mint the caller checked fits (supply and minted are checked
    /// before any mutation; per-reason counters are at most `minted`).
    #[inline]
    pub(crate) fn add_minted(&mut self, amount: BaseUnits, reason: MintReason) {
        self.supply += amount;
        self.minted += amount;
        self.minted_by_reason[reason.index()] += amount;
    }

    /// Count a burn of units that were held (so `supply >= amount`).
    #[inline]
    pub(crate) fn add_burned(&mut self, amount: BaseUnits, reason: BurnReason) {
        self.supply -= amount;
        self.burned += amount;
        self.burned_by_reason[reason.index()] += amount;
    }
}
