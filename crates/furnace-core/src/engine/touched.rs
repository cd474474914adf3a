//! What `apply` asserts after every event in every build, O(1): the assets
//! whose totals the event can change keep `supply == minted - burned`, and
//! a reward pool it names keeps `credited == paid + to_empty + dust +
//! held`.

use super::market::market_assets;
use crate::economy::Economy;
use crate::event::Event;
use crate::ids::{AssetId, RewardPoolId};
use crate::state::{LaunchStatus, State};

/// The reward pool an event names, if any (its O(1) identity is asserted
/// after the event in every build).
pub(super) fn pool_of(event: &Event) -> Option<RewardPoolId> {
    match *event {
        Event::OpenPosition { pool, .. }
        | Event::SetWeight { pool, .. }
        | Event::AddToPosition { pool, .. }
        | Event::Withdraw { pool, .. }
        | Event::Claim { pool, .. }
        | Event::FundRewardPool { pool, .. }
        | Event::RebalanceStakeCaps { pool }
        | Event::EndLock { pool, .. } => Some(pool),
        _ => None,
    }
}

/// The assets whose totals an event can change (at most three: a token or
/// two, the numeraire, a pool's LP asset).
pub(super) fn touched(economy: &Economy, state: &State, event: &Event) -> [AssetId; 3] {
    let n = economy.numeraire;
    if let Some(pool) = pool_of(event) {
        if let Some(spec) = super::launch_stake::reward_spec(economy, state, pool) {
            let stake = super::launch_stake::stake_asset(spec, state, pool);
            return [spec.reward, stake.unwrap_or(n), n];
        }
    }
    match *event {
        Event::ExpireSubscription { subscription } => [
            state
                .subscriptions
                .get(subscription.index())
                .map_or(n, |s| economy.plan(s.plan).token),
            n,
            n,
        ],
        Event::Swap { market, .. } => match market_assets(economy, state, market) {
            Ok((assets, _, true)) => [assets[0], assets[1], AssetId::lp(market)],
            Ok((assets, _, false)) => [assets[0], n, n],
            Err(_) => [n, n, n],
        },
        Event::Mint { asset, .. } | Event::Burn { asset, .. } => [asset, n, n],
        Event::Actions { version, .. } => [
            economy.versions.get(version.index()).map_or(n, |v| v.token),
            n,
            n,
        ],
        Event::AddLiquidity { market, .. } | Event::RemoveLiquidity { market, .. } => {
            [AssetId::lp(market), n, n]
        }
        Event::Buyback { program, .. } => [
            economy.buybacks.get(program.index()).map_or(n, |b| b.token),
            n,
            n,
        ],
        Event::Purchase { sale, .. } => {
            [economy.sales.get(sale.index()).map_or(n, |s| s.token), n, n]
        }
        Event::Redeem { redemption, .. } => [
            economy
                .redemptions
                .get(redemption.index())
                .map_or(n, |r| r.token),
            n,
            n,
        ],
        Event::Emit { schedule } => [
            economy
                .emissions
                .get(schedule.index())
                .map_or(n, |s| s.token),
            n,
            n,
        ],
        Event::CreateLaunch { .. } => match state.launches.last() {
            Some(l) => [economy.launch_spec(l.spec).quote, l.token, n],
            None => [n, n, n],
        },
        // Usage mints the numeraire, moves the quote and burns the token (a
        // part buying another declared pool's token is covered by the full
        // check in debug builds).
        Event::LaunchUsage { launch, .. } => match state.launches.get(launch.index()) {
            Some(l) => [economy.launch_spec(l.spec).quote, l.token, n],
            None => [n, n, n],
        },
        Event::BuyOnCurve { launch, .. }
        | Event::GraduateLaunch { launch }
        | Event::FailLaunch { launch } => match state.launches.get(launch.index()) {
            Some(l) => {
                let lp = match l.status {
                    LaunchStatus::Graduated { pool, .. } => AssetId::lp(pool),
                    _ => n,
                };
                [economy.launch_spec(l.spec).quote, l.token, lp]
            }
            None => [n, n, n],
        },
        _ => [n, n, n],
    }
}
