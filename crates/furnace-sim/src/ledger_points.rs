//! The ledger columns of points rules (`ledger.rs`'s families `POINTS`,
//! `PTS_EARN`, `PTS_REF`, `PER_POINT`): per points rule its points and the
//! step's conversion of its pool's credit into points. What a points pool
//! holds unclaimed is `<ASSET>_in_reward_pools` (`ledger_rewards.rs`).

use super::{Family, Unit};
use furnace_core::economy::ValidEconomy;
use furnace_core::ids::{PointsRulesId, RewardPoolId};
use furnace_core::State;

pub const POINTS: Family = Family {
    pattern: "<points>_points",
    meaning: "the points rule's lifetime points of every account at the end of the step (its pool's total weight)",
};
pub const PTS_EARN: Family = Family {
    pattern: "<points>_points_earned",
    meaning: "points earned during the step by EarnPoints (the earners' own, before commissions)",
};
pub const PTS_REF: Family = Family {
    pattern: "<points>_points_referral",
    meaning: "points credited to referrers during the step: commissions and sign-up and qualification bonuses",
};
pub const PER_POINT: Family = Family {
    pattern: "<points>_paid_per_point",
    meaning: "what the points rule's pool was credited during the step (not counting what went to its empty_to) divided by the points at the end of the step, floored to the base unit of the pool's reward asset",
};

/// Where one of these columns reads from: a points rule (by index) and
/// which of its figures.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) struct PointsSource(usize, PointsColumn);

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) enum PointsColumn {
    Total,
    Earned,
    Referral,
    PaidPerPoint,
}

/// One column: name, unit, family, meaning, source.
pub(super) type Column = (String, Unit, &'static Family, String, PointsSource);

/// The columns of every points rule, in declaration order;
/// `amount` gives an asset's unit.
pub(super) fn columns(
    economy: &ValidEconomy,
    amount: impl Fn(furnace_core::ids::AssetId) -> Unit,
) -> Vec<Column> {
    let mut out = Vec::new();
    for (i, r) in economy.points.iter().enumerate() {
        let reward = economy.reward_pool(r.pool).reward;
        let asset = economy.asset_name(reward);
        let rule = &r.name;
        let counts = [
            (
                "points",
                &POINTS,
                "lifetime points of every account at the end of the step",
                PointsColumn::Total,
            ),
            (
                "points_earned",
                &PTS_EARN,
                "points earned during the step (before commissions)",
                PointsColumn::Earned,
            ),
            (
                "points_referral",
                &PTS_REF,
                "commissions and referral bonuses credited during the step",
                PointsColumn::Referral,
            ),
        ];
        for (suffix, family, meaning, column) in counts {
            out.push((
                format!("{rule}_{suffix}"),
                Unit::Count,
                family,
                format!("points rule `{rule}`: {meaning}"),
                PointsSource(i, column),
            ));
        }
        out.push((
            format!("{rule}_paid_per_point"),
            amount(reward),
            &PER_POINT,
            format!("points rule `{rule}`: {asset} credited to its pool during the step per point at the end of the step, floored"),
            PointsSource(i, PointsColumn::PaidPerPoint),
        ));
    }
    out
}

/// A points rule's counters: total, earned, commissions + bonuses, and
/// what its pool was credited net of `to_empty`.
fn counters(state: &State, i: usize, pool: RewardPoolId) -> [u128; 4] {
    let id = PointsRulesId::from_index(i).expect("bounded");
    let p = state.points(id).expect("validated");
    let t = state.reward_pool(pool).expect("validated").totals();
    [
        p.total(),
        p.earned(),
        p.commissions() + p.bonuses(),
        t.credited - t.to_empty,
    ]
}

/// Per points rule, its pool and its counters at the last sample (the
/// per-step columns are differences).
#[derive(Clone, Debug)]
pub(super) struct Last {
    pools: Vec<RewardPoolId>,
    counters: Vec<[u128; 4]>,
}

impl Last {
    pub(super) fn new(economy: &ValidEconomy) -> Last {
        Last {
            pools: economy.points.iter().map(|r| r.pool).collect(),
            counters: vec![[0; 4]; economy.points.len()],
        }
    }

    pub(super) fn remember(&mut self, state: &State) {
        for (i, pool) in self.pools.iter().enumerate() {
            self.counters[i] = counters(state, i, *pool);
        }
    }

    /// The value of `source` at the end of the step.
    pub(super) fn sample(&self, state: &State, source: PointsSource) -> u128 {
        let PointsSource(i, column) = source;
        let [total, earned, referral, credited] = counters(state, i, self.pools[i]);
        let last = self.counters[i];
        match column {
            PointsColumn::Total => total,
            PointsColumn::Earned => earned - last[1],
            PointsColumn::Referral => referral - last[2],
            PointsColumn::PaidPerPoint => (credited - last[3]).checked_div(total).unwrap_or(0),
        }
    }
}
