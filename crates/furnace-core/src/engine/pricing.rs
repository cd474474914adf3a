//! Prices: where a token's price comes from (its oracle) and the exact
//! conversions between token amounts and numeraire value.
//!
//! A [`Price`] is a ratio: one base unit of the token is worth `num / den`
//! base units of the numeraire. Keeping the ratio instead of a rounded
//! price makes a pool's spot price exact (`num` = numeraire reserve, `den` =
//! token reserve), and an exogenous price in pico-dollars per whole token is
//! `num = pico`, `den = 10^(12 - numeraire decimals + token decimals)`.
//!
//! Tokens per action follow the oracle at every event: there is no cache
//! to go stale when a swap moves a pool.

use super::Rejection;
use crate::economy::{Economy, Oracle, MAX_ORACLE_DEPTH};
use crate::ids::{AssetId, AssetSlot, MarketId};
use crate::state::State;
use crate::units::{mul_div_ceil, mul_div_floor, pow10, BaseUnits, Ppm, PPM_ONE, PRICE_DECIMALS};

/// One base unit of a token is worth `num / den` numeraire base units.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Price {
    pub num: u128,
    pub den: u128,
}

impl Price {
    /// An exogenous price: `pico` numeraire per whole token (10^-12 USD).
    pub fn from_pico(pico: u128, numeraire_decimals: u8, token_decimals: u8) -> Price {
        Price {
            num: pico,
            den: pico_den(numeraire_decimals, token_decimals),
        }
    }

    /// The price in pico-numeraire per whole token, rounded down (reports,
    /// TWAP samples, receipts).
    pub fn pico(self, numeraire_decimals: u8, token_decimals: u8) -> Option<u128> {
        mul_div_floor(
            self.num,
            pico_den(numeraire_decimals, token_decimals),
            self.den,
        )
    }
}

/// `10^(12 - numeraire decimals + token decimals)`: base units of a token
/// per whole token, times pico per numeraire base unit. Validation bounds
/// the numeraire at 12 decimals and tokens at 18, so this is at most 10^30.
#[inline]
pub fn pico_den(numeraire_decimals: u8, token_decimals: u8) -> u128 {
    pow10(PRICE_DECIMALS - numeraire_decimals.min(PRICE_DECIMALS) + token_decimals)
}

/// Decimals of any asset id (declared, LP, launched).
pub fn decimals_of(economy: &Economy, state: &State, asset: AssetId) -> Result<u8, Rejection> {
    match asset.slot() {
        AssetSlot::Declared(i) => economy.assets.get(i).map(|a| a.decimals),
        AssetSlot::Launched(i) => state.launched.get(i).map(|t| t.decimals),
        // LP shares are sqrt(x * y): their unit is the geometric mean of
        // the two assets' units (display only).
        AssetSlot::Lp(i) => match MarketId::from_index(i)
            .and_then(|m| super::market::pool_assets(economy, state, m))
        {
            Some(assets) => {
                let d0 = decimals_of(economy, state, assets[0])?;
                let d1 = decimals_of(economy, state, assets[1])?;
                Some((d0 + d1) / 2)
            }
            None => None,
        },
    }
    .ok_or(Rejection::UnknownAsset(asset))
}

/// The current price of `token` by its oracle.
#[inline]
pub fn price_of(economy: &Economy, state: &State, token: AssetId) -> Result<Price, Rejection> {
    price_at_depth(economy, state, token, 0, false)
}

/// `instant`: read every pool oracle as its spot, a time-weighted one too.
/// A TWAP samples the instantaneous chain, so a sample depends on pool
/// reserves only, never on another TWAP's ring (which a tick is updating).
fn price_at_depth(
    economy: &Economy,
    state: &State,
    token: AssetId,
    depth: usize,
    instant: bool,
) -> Result<Price, Rejection> {
    if token == economy.numeraire {
        return Ok(Price { num: 1, den: 1 });
    }
    let nd = economy.assets[numeraire_index(economy)].decimals;
    let exogenous = |decimals: u8| {
        let pico = state.exogenous_price_pico(token);
        if pico == 0 {
            Err(Rejection::PriceNotSet(token))
        } else {
            Ok(Price::from_pico(pico, nd, decimals))
        }
    };
    match token.slot() {
        AssetSlot::Launched(i) => {
            let t = state
                .launched
                .get(i)
                .ok_or(Rejection::UnknownAsset(token))?;
            match t.oracle {
                // A graduated launch's token: its pool's spot.
                Some(market) => spot(economy, state, token, market, depth),
                None => exogenous(t.decimals),
            }
        }
        AssetSlot::Lp(_) => Err(Rejection::NotAToken(token)),
        AssetSlot::Declared(i) => {
            let spec = economy
                .assets
                .get(i)
                .ok_or(Rejection::UnknownAsset(token))?;
            match economy.oracles[i] {
                Oracle::Exogenous => exogenous(spec.decimals),
                Oracle::Spot(m) => spot(economy, state, token, m, depth),
                Oracle::Twap { market, .. } if instant => {
                    spot(economy, state, token, market, depth)
                }
                Oracle::Twap { market, .. } => {
                    match state.twaps[i].as_ref().filter(|t| t.count > 0) {
                        Some(t) => Ok(Price {
                            num: t.sum,
                            den: (t.count as u128)
                                .checked_mul(pico_den(nd, spec.decimals))
                                .ok_or(Rejection::Overflow("TWAP"))?,
                        }),
                        // No sample yet (before the first tick): the spot.
                        None => spot(economy, state, token, market, depth),
                    }
                }
            }
        }
    }
}

fn numeraire_index(economy: &Economy) -> usize {
    match economy.numeraire.slot() {
        AssetSlot::Declared(i) => i,
        _ => unreachable!("validated: the numeraire is declared"),
    }
}

/// The spot price of `token` in pool `market`: against the numeraire
/// directly (exact ratio of reserves), or against the pool's other token
/// times that token's own spot price (rounded down to a pico per hop).
pub fn spot(
    economy: &Economy,
    state: &State,
    token: AssetId,
    market: MarketId,
    depth: usize,
) -> Result<Price, Rejection> {
    let (assets, pool) = match (
        super::market::pool_assets(economy, state, market),
        state.pool(market),
    ) {
        (Some(assets), Some(p)) => (assets, p),
        _ => return Err(Rejection::UnknownMarket(market)),
    };
    let (mine, other) = if assets[0] == token { (0, 1) } else { (1, 0) };
    let (r_token, r_other) = (pool.reserves[mine], pool.reserves[other]);
    if r_token == 0 || r_other == 0 {
        return Err(Rejection::PriceNotSet(token));
    }
    if assets[other] == economy.numeraire {
        return Ok(Price {
            num: r_other,
            den: r_token,
        });
    }
    if depth >= MAX_ORACLE_DEPTH {
        return Err(Rejection::Overflow("oracle chain"));
    }
    let nd = economy.assets[numeraire_index(economy)].decimals;
    let other_price = price_at_depth(economy, state, assets[other], depth + 1, true)?;
    let od = decimals_of(economy, state, assets[other])?;
    let td = decimals_of(economy, state, token)?;
    let other_pico = other_price
        .pico(nd, od)
        .ok_or(Rejection::Overflow("price"))?;
    // pico(token) = pico(other) * r_other / r_token * 10^td / 10^od
    let pico = mul_div_floor(other_pico, r_other, r_token)
        .and_then(|p| mul_div_floor(p, pow10(td), pow10(od)))
        .ok_or(Rejection::Overflow("price"))?;
    if pico == 0 {
        return Err(Rejection::ZeroPrice);
    }
    Ok(Price::from_pico(pico, nd, td))
}

/// Tokens worth `value` numeraire base units, rounded **up** (what a payer
/// owes: an action never costs less than its price).
#[inline]
pub fn tokens_for_value_ceil(value: BaseUnits, price: Price) -> Result<BaseUnits, Rejection> {
    if price.num == 0 {
        return Err(Rejection::ZeroPrice);
    }
    mul_div_ceil(value, price.den, price.num).ok_or(Rejection::Overflow("tokens for value"))
}

/// Tokens that `value` buys, rounded **down** (what a buyer receives).
pub fn tokens_for_value_floor(value: BaseUnits, price: Price) -> Result<BaseUnits, Rejection> {
    if price.num == 0 {
        return Err(Rejection::ZeroPrice);
    }
    mul_div_floor(value, price.den, price.num).ok_or(Rejection::Overflow("tokens for value"))
}

/// Numeraire value of `tokens`, rounded up (what a buyer pays).
pub fn value_ceil(tokens: BaseUnits, price: Price) -> Result<BaseUnits, Rejection> {
    mul_div_ceil(tokens, price.num, price.den).ok_or(Rejection::Overflow("value"))
}

/// Numeraire value of `tokens`, rounded down (what a seller receives).
pub fn value_floor(tokens: BaseUnits, price: Price) -> Result<BaseUnits, Rejection> {
    mul_div_floor(tokens, price.num, price.den).ok_or(Rejection::Overflow("value"))
}

/// `tokens per action = ceil(price per action / token price)` in base
/// units. Rounding: up, so an action never costs less than its USD price
/// (the payer bears at most one base unit).
#[inline]
pub fn tokens_per_action(
    price_per_action: BaseUnits,
    price: Price,
) -> Result<BaseUnits, Rejection> {
    tokens_for_value_ceil(price_per_action, price)
}

/// Tokens to pay a plan of `plan_price` in tokens at a discount:
/// `ceil(S * (1 - d) / P)`, rounded up so the discount is never exceeded.
/// (`ceil(ceil(a / b) / c) == ceil(a / (b c))`, so dividing in two steps is
/// exact.)
pub fn subscription_tokens(
    plan_price: BaseUnits,
    discount: Ppm,
    price: Price,
) -> Result<BaseUnits, Rejection> {
    let discounted = plan_price
        .checked_mul(u128::from(PPM_ONE - discount.0.min(PPM_ONE)))
        .ok_or(Rejection::Overflow("subscription price"))?;
    let scaled = tokens_for_value_ceil(discounted, price)?;
    Ok(scaled.div_ceil(u128::from(PPM_ONE)))
}
