//! The plain ledger events: launching a token, setting a price, minting,
//! burning, transferring, creating a pool at run time, and the registries
//! (workflows, trainer paths). Each validates, then mutates.

use super::rewards::pool_spec;
use super::{check_account, check_asset, check_funds, check_mint, Receipt, Rejection};
use crate::economy::{Economy, Oracle, PoolWeight, MAX_TRAINERS_PER_PATH};
use crate::event::{BurnReason, MintReason, TrainerWeight};
use crate::ids::{AccountId, AssetId, AssetSlot, PathId, RewardPoolId, WorkflowId};
use crate::state::{LaunchedToken, State, TrainerPath, Workflow};
use crate::units::{BaseUnits, Ppm, MAX_DECIMALS, PPM_ONE};

pub(crate) fn apply_launch_token(
    state: &mut State,
    decimals: u8,
    max_supply: Option<BaseUnits>,
) -> Result<Receipt, Rejection> {
    if decimals > MAX_DECIMALS {
        return Err(Rejection::InvalidDecimals(decimals));
    }
    if max_supply == Some(0) {
        return Err(Rejection::ZeroAmount);
    }
    state
        .launch(LaunchedToken {
            decimals,
            max_supply,
            oracle: None,
            launch: None,
        })
        .map(Receipt::TokenLaunched)
        .ok_or(Rejection::TooMany("tokens"))
}

pub(crate) fn apply_set_price(
    e: &Economy,
    state: &mut State,
    token: AssetId,
    price_usd_pico: u128,
) -> Result<Receipt, Rejection> {
    let slot = match token.slot() {
        AssetSlot::Declared(i) if token != e.numeraire && i < e.assets.len() => {
            if e.oracles[i] != Oracle::Exogenous {
                return Err(Rejection::PriceNotExogenous(token));
            }
            &mut state.declared_prices[i]
        }
        AssetSlot::Launched(i) if i < state.launched.len() => {
            // A graduated launch's token is priced by its pool.
            if state.launched[i].oracle.is_some() {
                return Err(Rejection::PriceNotExogenous(token));
            }
            &mut state.launched_prices[i]
        }
        AssetSlot::Declared(i) if i < e.assets.len() => return Err(Rejection::NotAToken(token)),
        AssetSlot::Lp(_) => return Err(Rejection::NotAToken(token)),
        _ => return Err(Rejection::UnknownAsset(token)),
    };
    if price_usd_pico == 0 {
        return Err(Rejection::ZeroPrice);
    }
    *slot = price_usd_pico;
    Ok(Receipt::PriceSet)
}

pub(crate) fn apply_mint(
    e: &Economy,
    state: &mut State,
    asset: AssetId,
    to: AccountId,
    amount: BaseUnits,
    reason: MintReason,
) -> Result<Receipt, Rejection> {
    check_asset(state, asset)?;
    check_account(state, to)?;
    if amount == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let is_numeraire = asset == e.numeraire;
    if matches!(asset.slot(), AssetSlot::Lp(_)) {
        return Err(Rejection::InvalidReason(
            "LP shares are minted only by adding liquidity",
        ));
    }
    if let AssetSlot::Launched(i) = asset.slot() {
        // Its fixed supply is the allocation table's: emitting more, or
        // minting before graduation, would break both.
        if state.launched[i].launch.is_some() {
            return Err(Rejection::InvalidReason(
                "a launch's token is minted only by its graduation",
            ));
        }
    }
    if !(reason.is_emission() || is_numeraire && reason == MintReason::ExternalInflow) {
        return Err(Rejection::InvalidReason(
            "events mint tokens as emissions and the numeraire as external_inflow; genesis, purchases and LP shares have events of their own",
        ));
    }
    if is_numeraire && reason.is_emission() {
        return Err(Rejection::InvalidReason(
            "the numeraire is not emitted: use external_inflow",
        ));
    }
    check_mint(e, state, asset, amount)?;
    state
        .mint(asset, to, amount, reason)
        .ok_or(Rejection::Overflow("supply"))?;
    Ok(Receipt::Minted)
}

pub(crate) fn apply_burn(
    e: &Economy,
    state: &mut State,
    asset: AssetId,
    from: AccountId,
    amount: BaseUnits,
    reason: BurnReason,
) -> Result<Receipt, Rejection> {
    check_asset(state, asset)?;
    check_account(state, from)?;
    if amount == 0 {
        return Err(Rejection::ZeroAmount);
    }
    // A burn of LP shares would leave the pool's share count above the LP
    // supply (the pool does not see it).
    if matches!(asset.slot(), AssetSlot::Lp(_)) {
        return Err(Rejection::InvalidReason(
            "LP shares are burned only by removing liquidity",
        ));
    }
    let allowed = if asset == e.numeraire {
        matches!(reason, BurnReason::ExternalOutflow | BurnReason::Cost)
    } else {
        matches!(
            reason,
            BurnReason::Voluntary | BurnReason::Penalty | BurnReason::FailedAction
        )
    };
    if !allowed {
        return Err(Rejection::InvalidReason(
            "the numeraire leaves only as external_outflow or cost; holders burn tokens as voluntary, penalty or failed_action",
        ));
    }
    check_funds(state, asset, from, amount)?;
    state.debit_checked(asset, from, amount);
    state.burn_from_flow(asset, amount, reason);
    Ok(Receipt::Burned)
}

pub(crate) fn apply_transfer(
    state: &mut State,
    asset: AssetId,
    from: AccountId,
    to: AccountId,
    amount: BaseUnits,
) -> Result<Receipt, Rejection> {
    check_asset(state, asset)?;
    check_account(state, from)?;
    check_account(state, to)?;
    if amount == 0 {
        return Err(Rejection::ZeroAmount);
    }
    check_funds(state, asset, from, amount)?;
    state.debit_checked(asset, from, amount);
    state.credit(asset, to, amount);
    Ok(Receipt::Transferred)
}

/// Check two assets can be paired in a pool created at run time: both
/// exist, differ, and neither is an LP asset (a pool of LP shares would
/// make LP supply depend on another pool's); the fee is below 100%.
pub(crate) fn check_pair(state: &State, assets: [AssetId; 2], fee: u32) -> Result<(), Rejection> {
    for a in assets {
        check_asset(state, a)?;
        if matches!(a.slot(), AssetSlot::Lp(_)) {
            return Err(Rejection::InvalidPool("LP shares are not paired in pools"));
        }
    }
    if assets[0] == assets[1] {
        return Err(Rejection::InvalidPool("a pool pairs two different assets"));
    }
    if fee >= PPM_ONE {
        return Err(Rejection::InvalidPool("the fee must be below 100%"));
    }
    Ok(())
}

pub(crate) fn apply_create_pool(
    state: &mut State,
    assets: [AssetId; 2],
    fee_ppm: u32,
) -> Result<Receipt, Rejection> {
    check_pair(state, assets, fee_ppm)?;
    state
        .next_runtime_pool()
        .ok_or(Rejection::TooMany("pools"))?;
    let market = state.create_pool(assets, Ppm(fee_ppm));
    Ok(Receipt::PoolCreated {
        market,
        lp: AssetId::lp(market),
    })
}

pub(crate) fn apply_publish_workflow(
    state: &mut State,
    creator: AccountId,
    epoch: u32,
) -> Result<Receipt, Rejection> {
    check_account(state, creator)?;
    if epoch == 0 {
        return Err(Rejection::InvalidEpoch(epoch));
    }
    let id =
        WorkflowId::from_index(state.workflows.len()).ok_or(Rejection::TooMany("workflows"))?;
    state.workflows.push(Workflow { creator, epoch });
    Ok(Receipt::WorkflowPublished(id))
}

pub(crate) fn apply_register_path(
    state: &mut State,
    trainers: &[TrainerWeight],
) -> Result<Receipt, Rejection> {
    if trainers.len() > MAX_TRAINERS_PER_PATH {
        return Err(Rejection::TooManyTrainers(trainers.len()));
    }
    for t in trainers {
        check_account(state, t.trainer)?;
    }
    let id = PathId::from_index(state.paths.len()).ok_or(Rejection::TooMany("trainer paths"))?;
    state.paths.push(TrainerPath::new(trainers));
    Ok(Receipt::PathRegistered(id))
}

/// A path whose trainers are a points pool's positions. The pool's reward
/// asset is checked against the version's token when an action uses the
/// path (a path is not tied to a version).
pub(crate) fn apply_register_pooled_path(
    e: &Economy,
    state: &mut State,
    pool: RewardPoolId,
) -> Result<Receipt, Rejection> {
    let spec = pool_spec(e, state, pool)?;
    if spec.weight != PoolWeight::Points {
        return Err(Rejection::NotAPointsPool(pool));
    }
    let id = PathId::from_index(state.paths.len()).ok_or(Rejection::TooMany("trainer paths"))?;
    state.paths.push(TrainerPath::pooled(pool));
    Ok(Receipt::PathRegistered(id))
}
