//! The scenario drivers that trade: which market pay-as-you-go users buy
//! from, who sells what they receive and where, mint-on-purchase sales,
//! and how buyback programs spread their budget.

use super::raw::{RawBuybackDrivers, RawHolders, RawSales};
use super::{Holders, SalesDrivers, SellBasis, MAX_DAYS};
use crate::source::{ConfigError, Source};
use crate::values::{amount, share, Number};
use furnace_core::economy::Economy;
use furnace_core::ids::{AssetId, MarketId};
use furnace_core::units::{parse_decimal, Ppm, PPM_ONE};
use toml::Spanned;

/// The market named at `key`, which must trade `token`.
pub(super) fn market(
    e: &Economy,
    source: &Source,
    errors: &mut Vec<ConfigError>,
    key: &str,
    name: &Spanned<String>,
    token: AssetId,
) -> Option<MarketId> {
    let Some(id) = e.market_by_name(name.get_ref()) else {
        let known: Vec<&str> = e.markets.iter().map(|m| m.name.as_str()).collect();
        errors.push(source.error(
            Some(name.span()),
            key,
            format!(
                "the economy has no market `{}` (markets: {})",
                name.get_ref(),
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ),
        ));
        return None;
    };
    if !e.sells_for_numeraire(e.market(id), token) {
        errors.push(source.error(
            Some(name.span()),
            key,
            format!(
                "market `{}` does not sell {} for {}",
                name.get_ref(),
                e.asset_name(token),
                e.asset_name(e.numeraire)
            ),
        ));
        return None;
    }
    Some(id)
}

pub(super) fn holders(
    e: &Economy,
    source: &Source,
    errors: &mut Vec<ConfigError>,
    raw: &RawHolders,
    token: AssetId,
) -> Holders {
    let mut fraction = |key: &str, v: &Option<Spanned<Number>>| match v {
        None => Ppm::ONE,
        Some(v) => share(source, key, v).unwrap_or_else(|err| {
            errors.push(err);
            Ppm::ONE
        }),
    };
    let creators = fraction("holders.creators", &raw.creators);
    let accounts = fraction("holders.accounts", &raw.accounts);
    let emissions = fraction("holders.emissions", &raw.emissions);
    let market = raw
        .market
        .as_ref()
        .and_then(|m| market(e, source, errors, "holders.market", m, token));
    let basis = match raw.sell.as_ref().map(|s| (s, s.get_ref().as_str())) {
        None | Some((_, "balance")) => SellBasis::Balance,
        Some((_, "received")) => SellBasis::Received,
        Some((s, other)) => {
            errors.push(source.error(
                Some(s.span()),
                "holders.sell",
                format!("unknown basis `{other}` (balance: a share of the balance each day; received: a share of what came in that day)"),
            ));
            SellBasis::Balance
        }
    };
    Holders {
        basis,
        sell_back: raw.sell_back,
        market,
        creators,
        accounts,
        emissions,
    }
}

/// A growth rate written as a signed percentage ("200%", "-50%"), in ppm.
fn rate(source: &Source, key: &str, v: &Spanned<Number>) -> Result<i64, ConfigError> {
    let raw = v.get_ref().text();
    let bad = |why: String| source.error(Some(v.span()), key, why);
    let text = raw.trim().strip_suffix('%').ok_or_else(|| {
        bad(format!(
            "write a growth rate as a percentage such as \"200%\", not `{raw}`"
        ))
    })?;
    let (negative, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    let ppm = parse_decimal(digits, 4).map_err(|err| bad(format!("`{raw}`: {err}")))?;
    let ppm = i64::try_from(ppm).map_err(|_| bad(format!("`{raw}` is out of range")))?;
    if negative && ppm > i64::from(PPM_ONE) {
        return Err(bad(format!(
            "`{raw}`: a quantity cannot fall by more than 100%"
        )));
    }
    Ok(if negative { -ppm } else { ppm })
}

/// `round_half_even(n * (10^6 + g) / 10^6)`, exactly.
fn grow(n: u128, g: i64) -> Option<u128> {
    let factor = u128::try_from(i128::from(PPM_ONE) + i128::from(g)).ok()?;
    let scaled = n.checked_mul(factor)?;
    let one = u128::from(PPM_ONE);
    let (q, r) = (scaled / one, scaled % one);
    Some(match (2 * r).cmp(&one) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q % 2),
    })
}

pub(super) fn sales(
    e: &Economy,
    source: &Source,
    errors: &mut Vec<ConfigError>,
    raw: &RawSales,
    days: u32,
) -> Option<SalesDrivers> {
    let Some(sale) = e.sale_by_name(raw.sale.get_ref()) else {
        let known: Vec<&str> = e.sales.iter().map(|s| s.name.as_str()).collect();
        errors.push(source.error(
            Some(raw.sale.span()),
            "sales.sale",
            format!(
                "the economy has no sale `{}` (sales: {})",
                raw.sale.get_ref(),
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ),
        ));
        return None;
    };
    let token = e.sales[sale.index()].token;
    let decimals = e.declared_asset(token).map_or(0, |a| a.decimals);
    let first = amount(source, "sales.first_step", &raw.first_step, 0).unwrap_or_else(|err| {
        errors.push(err);
        0
    });
    let mut rates = Vec::with_capacity(raw.growth.len());
    for (i, g) in raw.growth.iter().enumerate() {
        match rate(source, &format!("sales.growth[{i}]"), g) {
            Ok(r) => rates.push(r),
            Err(err) => errors.push(err),
        }
    }
    // Whole tokens per step: step 1 sells `first`; step k+1 sells step k
    // grown by rate k (the last rate repeating), rounded half to even.
    let steps = usize::try_from(days.min(MAX_DAYS)).unwrap_or(0);
    let mut tokens_per_step = Vec::with_capacity(steps);
    let mut n = first;
    for step in 0..steps {
        let grown = if step == 0 {
            Some(n)
        } else {
            let g = rates.get(step - 1).or(rates.last()).copied().unwrap_or(0);
            grow(n, g)
        };
        let units = grown.and_then(|g| {
            n = g;
            g.checked_mul(furnace_core::units::pow10(decimals))
        });
        match units {
            Some(units) => tokens_per_step.push(units),
            None => {
                errors.push(source.error(
                    Some(raw.first_step.span()),
                    "sales.growth",
                    format!("the tokens sold overflow by step {}", step + 1),
                ));
                break;
            }
        }
    }
    let redemption = match &raw.redemption {
        None => None,
        Some(name) => match e.redemption_by_name(name.get_ref()) {
            Some(r) if e.redemptions[r.index()].token == token => Some(r),
            Some(_) => {
                errors.push(source.error(
                    Some(name.span()),
                    "sales.redemption",
                    format!(
                        "redemption `{}` takes another token than the sale sells",
                        name.get_ref()
                    ),
                ));
                None
            }
            None => {
                errors.push(source.error(
                    Some(name.span()),
                    "sales.redemption",
                    format!("the economy has no redemption `{}`", name.get_ref()),
                ));
                None
            }
        },
    };
    let redeem_share = match &raw.redeem_share {
        None => Ppm::ONE,
        Some(v) => share(source, "sales.redeem_share", v).unwrap_or_else(|err| {
            errors.push(err);
            Ppm::ONE
        }),
    };
    Some(SalesDrivers {
        sale,
        token,
        tokens_per_step,
        redemption,
        redeem_share,
    })
}

pub(super) fn spread_days(
    source: &Source,
    errors: &mut Vec<ConfigError>,
    raw: &Option<RawBuybackDrivers>,
) -> Option<u32> {
    let b = raw.as_ref()?;
    let days = *b.spread_days.get_ref();
    if days == 0 {
        errors.push(source.error(
            Some(b.spread_days.span()),
            "buybacks.spread_days",
            "must be at least 1".into(),
        ));
        return None;
    }
    Some(days)
}

#[cfg(test)]
mod tests {
    use super::grow;

    #[test]
    fn growth_rounds_half_to_even() {
        // AST: 1,197 x3 = 3,591; 86,184 x1.5 = 129,276; 290,871 x1.5 =
        // 436,306.5 -> 436,306 (even); 654,459 x1.5 = 981,688.5 -> 981,688.
        assert_eq!(grow(1197, 2_000_000), Some(3591));
        assert_eq!(grow(86_184, 500_000), Some(129_276));
        assert_eq!(grow(290_871, 500_000), Some(436_306));
        assert_eq!(grow(654_459, 500_000), Some(981_688));
        assert_eq!(grow(3, 500_000), Some(4)); // 4.5 -> 4
        assert_eq!(grow(5, 500_000), Some(8)); // 7.5 -> 8
        assert_eq!(grow(10, -500_000), Some(5));
    }
}
