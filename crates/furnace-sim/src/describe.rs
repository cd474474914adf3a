//! Events in words, for messages a user reads ("minting 1,000 LAM to
//! training_rewards"), never Rust's `Debug` of ids.

use furnace_core::economy::ValidEconomy;
use furnace_core::engine::decimals_of;
use furnace_core::ids::AssetId;
use furnace_core::units::format_decimal;
use furnace_core::{Event, Order, State};

/// `amount` base units of `asset` as whole units with its name.
fn amount(economy: &ValidEconomy, state: &State, asset: AssetId, amount: u128) -> String {
    match decimals_of(economy, state, asset) {
        Ok(d) => format!(
            "{} {}",
            format_decimal(amount, d),
            economy.asset_name(asset)
        ),
        Err(_) => format!("{amount} base units of {}", economy.asset_name(asset)),
    }
}

/// What `event` does, in words, with the economy's names.
pub(crate) fn describe(economy: &ValidEconomy, state: &State, event: &Event) -> String {
    let acc = |a| economy.account_name(a);
    match event {
        Event::Mint {
            asset,
            to,
            amount_base_units,
            reason,
        } => format!(
            "minting {} to {} ({reason:?})",
            amount(economy, state, *asset, *amount_base_units),
            acc(*to)
        ),
        Event::Burn {
            asset,
            from,
            amount_base_units,
            reason,
        } => format!(
            "burning {} from {} ({reason:?})",
            amount(economy, state, *asset, *amount_base_units),
            acc(*from)
        ),
        Event::Transfer {
            asset,
            from,
            to,
            amount_base_units,
        } => format!(
            "moving {} from {} to {}",
            amount(economy, state, *asset, *amount_base_units),
            acc(*from),
            acc(*to)
        ),
        Event::Swap {
            market,
            trader,
            sell,
            order,
        } => {
            let size = match order {
                Order::ExactIn { amount_in, .. } => {
                    format!("selling {}", amount(economy, state, *sell, *amount_in))
                }
                Order::ExactOut { amount_out, .. } => {
                    format!(
                        "buying {amount_out} base units for {}",
                        economy.asset_name(*sell)
                    )
                }
            };
            format!(
                "{} {size} on {}",
                acc(*trader),
                economy.market_name(*market)
            )
        }
        Event::Actions { version, count, .. } => {
            format!("{count} actions of {}", economy.version(*version).name)
        }
        Event::Subscribe { plan, .. } => {
            format!("a subscription to plan {}", economy.plan(*plan).name)
        }
        Event::Buyback {
            program,
            amount_base_units,
        } => {
            let p = &economy.buybacks[program.index()];
            format!(
                "buyback {} spending {}",
                p.name,
                amount(economy, state, p.pay, *amount_base_units)
            )
        }
        Event::Purchase {
            sale,
            amount_base_units,
            ..
        } => {
            let s = &economy.sales[sale.index()];
            format!(
                "a purchase of {} from sale {}",
                amount(economy, state, s.token, *amount_base_units),
                s.name
            )
        }
        other => format!("{other:?}"),
    }
}
