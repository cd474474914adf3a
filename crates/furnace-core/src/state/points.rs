//! The state of points rules: per account its lifetime points, referrer,
//! referral count, qualification and position in the rule's pool. Dense:
//! named accounts by index, opened accounts by their offset from
//! `AccountId::OPENED_BASE`, so an event finds an account's entry without
//! hashing. The opened table grows when an opened account is first
//! touched (or at once, `State::reserve_points`).

use super::InvariantViolation;
use crate::economy::PointsRules;
use crate::ids::{AccountId, PositionId};

/// One account's points under one rule.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PointsAccount {
    /// Every point ever credited: earned, commissions and bonuses. Decides
    /// the badge, and is the account's weight in the rule's pool.
    pub lifetime: u128,
    /// Who referred this account (at most one, for ever).
    pub referrer: Option<AccountId>,
    /// Accounts this one referred.
    pub referrals: u32,
    /// The qualification bonus was paid for this account (as a referee).
    pub qualified: bool,
    /// Its position in the rule's pool, opened at its first points.
    pub position: Option<PositionId>,
}

/// One rule's accounts and counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PointsState {
    pub(crate) named: Vec<PointsAccount>,
    pub(crate) opened: Vec<PointsAccount>,
    /// Σ lifetime points (equals the pool's total weight).
    pub(crate) total: u128,
    /// Points earned by `EarnPoints` (the earners' part), commissions, and
    /// bonuses: `earned + commissions + bonuses == total`.
    pub(crate) earned: u128,
    pub(crate) commissions: u128,
    pub(crate) bonuses: u128,
}

impl PointsState {
    pub(crate) fn new(named_accounts: usize) -> PointsState {
        PointsState {
            named: vec![PointsAccount::default(); named_accounts],
            ..PointsState::default()
        }
    }

    /// An account's entry (default when never touched).
    pub fn account(&self, a: AccountId) -> PointsAccount {
        let table = match a.slot() {
            Ok(i) => self.named.get(i),
            Err(i) => self.opened.get(i),
        };
        table.copied().unwrap_or_default()
    }

    /// Store an account's entry, growing the opened table if needed.
    pub(crate) fn set(&mut self, a: AccountId, entry: PointsAccount) {
        let (table, i) = match a.slot() {
            Ok(i) => (&mut self.named, i),
            Err(i) => (&mut self.opened, i),
        };
        if table.len() <= i {
            table.resize(i + 1, PointsAccount::default());
        }
        table[i] = entry;
    }

    pub(crate) fn reserve_opened(&mut self, opened: usize) {
        if self.opened.len() < opened {
            self.opened.resize(opened, PointsAccount::default());
        }
    }

    pub fn total(&self) -> u128 {
        self.total
    }
    pub fn earned(&self) -> u128 {
        self.earned
    }
    pub fn commissions(&self) -> u128 {
        self.commissions
    }
    pub fn bonuses(&self) -> u128 {
        self.bonuses
    }

    /// Every account with an entry, named then opened.
    pub fn accounts(&self) -> impl Iterator<Item = (AccountId, &PointsAccount)> {
        let named = self
            .named
            .iter()
            .enumerate()
            .filter_map(|(i, p)| AccountId::named(i).map(|a| (a, p)));
        let opened = self
            .opened
            .iter()
            .enumerate()
            .filter_map(|(i, p)| AccountId::opened(i).map(|a| (a, p)));
        named.chain(opened)
    }

    /// The full check, O(accounts): lifetime points sum to the total, the
    /// parts sum to the total, each account with points has a position
    /// whose weight is exactly its lifetime points, the pool's total
    /// weight is the total, referral counts match the referrers recorded.
    pub(crate) fn check(
        &self,
        rules: &PointsRules,
        pool: &super::RewardPoolState,
    ) -> Result<(), InvariantViolation> {
        let fail = |m: String| Err(InvariantViolation(format!("points `{}`: {m}", rules.name)));
        let mut sum: u128 = 0;
        let mut referred: u64 = 0;
        let mut referrals: u64 = 0;
        for (a, p) in self.accounts() {
            sum = sum.checked_add(p.lifetime).ok_or_else(|| {
                InvariantViolation(format!("points `{}`: total overflows", rules.name))
            })?;
            referred += u64::from(p.referrer.is_some());
            referrals += u64::from(p.referrals);
            match p.position.and_then(|id| pool.position(id)) {
                Some(pos) if pos.owner == a && pos.weight == p.lifetime => {}
                None if p.lifetime == 0 => {}
                other => {
                    return fail(format!(
                        "account {} has {} points but its position is {other:?}",
                        a.0, p.lifetime
                    ))
                }
            }
        }
        if sum != self.total {
            return fail(format!("Σ lifetime {sum} != total {}", self.total));
        }
        if self
            .earned
            .checked_add(self.commissions)
            .and_then(|x| x.checked_add(self.bonuses))
            != Some(self.total)
        {
            return fail("earned + commissions + bonuses != total".into());
        }
        if pool.totals().total_weight != self.total {
            return fail(format!(
                "the pool's total weight {} != total points {}",
                pool.totals().total_weight,
                self.total
            ));
        }
        if referred != referrals {
            return fail(format!(
                "{referred} referees but {referrals} referrals counted"
            ));
        }
        Ok(())
    }
}
