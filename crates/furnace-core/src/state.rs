//! The state of one economy: balances, supply counters, prices, and the
//! registries events create (workflows, trainer paths, subscriptions).
//!
//! Layout: balances are one `Vec<u128>` per asset indexed by account id, so
//! the hot path (debit one account, credit a handful of pool accounts)
//! touches a few cache lines and never hashes. Registries are dense `Vec`s.
//!
//! Invariant (checked by [`State::check_invariants`], after every event in
//! debug builds): for every asset,
//! `supply == minted - burned == sum of all balances`.

use crate::economy::{AccountId, AssetId, Economy, PlanId};
use crate::event::{BurnReason, MintReason, Payment, TrainerWeight};
use crate::units::BaseUnits;
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
}

impl TrainerPath {
    pub fn new(trainers: &[TrainerWeight]) -> TrainerPath {
        let trainers: Vec<(AccountId, u128)> = trainers
            .iter()
            .map(|t| (t.trainer, t.quality as u128 * t.usage as u128))
            .collect();
        let total_weight = trainers.iter().map(|(_, w)| *w).sum();
        TrainerPath {
            trainers,
            total_weight,
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
            used_after as u128,
            included as u128,
        )?;
        target.checked_sub(self.released_base_units)
    }
}

/// The whole mutable state of an economy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// `balances[asset][account]`, in base units.
    pub(crate) balances: Vec<Vec<BaseUnits>>,
    pub(crate) totals: Vec<AssetTotals>,
    /// Price of each token in pico-dollars per whole token; 0 = not set.
    pub(crate) price_usd_pico: Vec<u128>,
    /// Cached tokens per action for each version at its token's current
    /// price (base units, rounded up); 0 while the price is unset.
    pub(crate) tokens_per_action: Vec<BaseUnits>,
    pub(crate) workflows: Vec<Workflow>,
    pub(crate) paths: Vec<TrainerPath>,
    pub(crate) subscriptions: Vec<Subscription>,
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
    /// allocation is minted, no price is set.
    ///
    /// Panics if `economy` has not been validated (genesis overflow).
    pub fn genesis(economy: &Economy) -> State {
        let n_assets = economy.assets.len();
        let n_accounts = economy.accounts.len();
        let mut state = State {
            balances: vec![vec![0; n_accounts]; n_assets],
            totals: vec![AssetTotals::default(); n_assets],
            price_usd_pico: vec![0; n_assets],
            tokens_per_action: vec![0; economy.versions.len()],
            workflows: Vec::new(),
            paths: Vec::new(),
            subscriptions: Vec::new(),
            events_applied: 0,
        };
        for &(asset, account, amount) in &economy.genesis {
            state
                .mint(asset, account, amount, MintReason::Genesis)
                .expect("genesis allocation overflows u128");
        }
        state
    }

    pub fn balance(&self, asset: AssetId, account: AccountId) -> BaseUnits {
        self.balances[asset.index()]
            .get(account.index())
            .copied()
            .unwrap_or(0)
    }

    pub fn totals(&self, asset: AssetId) -> &AssetTotals {
        &self.totals[asset.index()]
    }

    pub fn supply(&self, asset: AssetId) -> BaseUnits {
        self.totals[asset.index()].supply
    }

    pub fn price_usd_pico(&self, token: AssetId) -> u128 {
        self.price_usd_pico[token.index()]
    }

    pub fn tokens_per_action(&self, version: crate::economy::VersionId) -> BaseUnits {
        self.tokens_per_action[version.index()]
    }

    pub fn account_count(&self) -> usize {
        self.balances.first().map_or(0, Vec::len)
    }

    pub fn workflows(&self) -> &[Workflow] {
        &self.workflows
    }

    pub fn paths(&self) -> &[TrainerPath] {
        &self.paths
    }

    pub fn subscriptions(&self) -> &[Subscription] {
        &self.subscriptions
    }

    pub fn events_applied(&self) -> u64 {
        self.events_applied
    }

    pub(crate) fn has_account(&self, account: AccountId) -> bool {
        account.index() < self.account_count()
    }

    pub(crate) fn open_account(&mut self) -> AccountId {
        let id = AccountId(self.account_count() as u32);
        for b in &mut self.balances {
            b.push(0);
        }
        id
    }

    /// Credit newly created units. Fails only on supply overflow, before
    /// changing anything.
    pub(crate) fn mint(
        &mut self,
        asset: AssetId,
        to: AccountId,
        amount: BaseUnits,
        reason: MintReason,
    ) -> Option<()> {
        let t = &mut self.totals[asset.index()];
        let supply = t.supply.checked_add(amount)?;
        let minted = t.minted.checked_add(amount)?;
        t.supply = supply;
        t.minted = minted;
        // Cannot overflow: the per-reason counter is at most `minted`.
        t.minted_by_reason[reason as usize] += amount;
        // Cannot overflow: a balance is at most the supply.
        self.balances[asset.index()][to.index()] += amount;
        Some(())
    }

    /// Destroy units the caller has checked `from` holds.
    #[inline]
    pub(crate) fn burn_checked(
        &mut self,
        asset: AssetId,
        from: AccountId,
        amount: BaseUnits,
        reason: BurnReason,
    ) {
        self.debit_checked(asset, from, amount);
        self.burn_from_flow(asset, amount, reason);
    }

    /// Account for `amount` units that were already debited from a payer and
    /// are now destroyed.
    #[inline]
    pub(crate) fn burn_from_flow(&mut self, asset: AssetId, amount: BaseUnits, reason: BurnReason) {
        let t = &mut self.totals[asset.index()];
        t.supply -= amount;
        t.burned += amount;
        t.burned_by_reason[reason as usize] += amount;
    }

    /// Debit an account the caller has checked holds `amount`.
    #[inline]
    pub(crate) fn debit_checked(&mut self, asset: AssetId, from: AccountId, amount: BaseUnits) {
        let b = &mut self.balances[asset.index()][from.index()];
        debug_assert!(*b >= amount, "debit beyond balance");
        *b -= amount;
    }

    /// Credit units that were debited elsewhere in the same event (so the
    /// supply is unchanged and the credit cannot overflow).
    #[inline]
    pub(crate) fn credit(&mut self, asset: AssetId, to: AccountId, amount: BaseUnits) {
        self.balances[asset.index()][to.index()] += amount;
    }

    /// `supply == minted - burned == sum of balances` for every asset.
    pub fn check_invariants(&self) -> Result<(), InvariantViolation> {
        for (i, (t, balances)) in self.totals.iter().zip(&self.balances).enumerate() {
            let sum = balances
                .iter()
                .try_fold(0u128, |acc, b| acc.checked_add(*b))
                .ok_or_else(|| InvariantViolation(format!("asset {i}: balances overflow")))?;
            if t.minted.checked_sub(t.burned) != Some(t.supply) {
                return Err(InvariantViolation(format!(
                    "asset {i}: supply {} != minted {} - burned {}",
                    t.supply, t.minted, t.burned
                )));
            }
            if sum != t.supply {
                return Err(InvariantViolation(format!(
                    "asset {i}: sum of balances {sum} != supply {}",
                    t.supply
                )));
            }
            let by_reason: u128 = t.burned_by_reason.iter().sum();
            let minted_by_reason: u128 = t.minted_by_reason.iter().sum();
            if by_reason != t.burned || minted_by_reason != t.minted {
                return Err(InvariantViolation(format!(
                    "asset {i}: per-reason counters do not sum to the totals"
                )));
            }
        }
        for (i, s) in self.subscriptions.iter().enumerate() {
            if s.released_base_units > s.escrow_base_units {
                return Err(InvariantViolation(format!(
                    "subscription {i}: released more than escrowed"
                )));
            }
        }
        Ok(())
    }
}
