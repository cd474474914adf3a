//! The text summary for people ([`SimResult::summary_text`]) and the
//! human number format: thousands separators, at most 2 decimals
//! ([`human`], [`human_total`]).

use super::Total;
use crate::ledger::MISSING;
use crate::sim::SimResult;
use furnace_core::event::BurnReason;
use furnace_core::units::{format_decimal, PRICE_DECIMALS};

impl SimResult {
    /// A dozen lines for people.
    pub fn summary_text(&self) -> String {
        let info = &self.info;
        let d = info.token_decimals;
        let t = &info.token_name;
        let s = self.summary();
        let last = self.last();
        let first = self.rows.first().copied().unwrap_or_default();
        let h = |v: u128| human(v, d);
        let ht = |v: Total| human_total(v, d);
        let supply_end = self.state.supply(info.token);
        let change = if self.initial_supply == 0 {
            String::new()
        } else {
            format!(
                " ({:+.2}%)",
                supply_end as f64 / self.initial_supply as f64 * 100.0 - 100.0
            )
        };
        let price = |pico: u128| {
            if pico == MISSING {
                "n/a".to_string()
            } else {
                format!("${}", format_decimal(pico, PRICE_DECIMALS))
            }
        };
        let mut out = String::new();
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        line(format!(
            "{} ({} economy): {} days, seed {}, {}{}",
            info.scenario,
            info.economy,
            info.days,
            info.seed,
            t,
            if info.version_name.is_empty() {
                String::new()
            } else {
                format!(" at {}", info.version_name)
            }
        ));
        let purchased = self.total(|r| r.purchased);
        if !purchased.is_zero() {
            line(format!(
                "  sales        {} {t} bought for ${}, {} {t} redeemed",
                ht(purchased),
                self.usd(self.total(|r| r.usd_sales)),
                ht(self.total(|r| r.redeemed)),
            ));
        }
        let actions = !info.version_name.is_empty();
        line(format!(
            "  price        {} -> {} per {t}{}",
            price(first.price_usd_pico),
            price(last.price_usd_pico),
            if actions {
                format!(
                    "; {} -> {} {t} per action",
                    h(first.tokens_per_action),
                    h(last.tokens_per_action)
                )
            } else {
                String::new()
            }
        ));
        line(format!(
            "  supply       {} -> {} {t}{change}",
            h(self.initial_supply),
            h(supply_end)
        ));
        line(format!(
            "  burned       {} {t} ({}); emitted {} {t}",
            h(last.cum_burned),
            {
                // Action and buyback always; the other reasons when they occurred.
                let by_reason = &self.state.totals(info.token).burned_by_reason;
                BurnReason::ALL
                    .iter()
                    .filter(|r| {
                        matches!(r, BurnReason::Action | BurnReason::Buyback)
                            || by_reason[r.index()] > 0
                    })
                    .map(|r| format!("{} {}", r.name().replace('_', " "), h(by_reason[r.index()])))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            h(last.cum_emitted),
        ));
        line(format!(
            "  regime       {} deflationary, {} neutral, {} inflationary days",
            s.deflationary_days, s.neutral_days, s.inflationary_days
        ));
        if actions {
            line(format!(
                "  actions      {} run ({} pay-as-you-go, {} subscription); {} unfunded",
                count(self.total(|r| r.actions)),
                count(self.total(|r| r.api_actions)),
                count(self.total(|r| r.subscription_actions)),
                count(self.total(|r| r.unfunded_actions))
            ));
            let trainers = self.total(|r| r.trainers);
            line(format!(
                "  consumed     {} {t}: creators {}{}{}",
                h(last.cum_tokens_consumed),
                h(last.cum_creator),
                info.leg_names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| info.leg_pays_account[*i])
                    .map(|(i, n)| format!(", {n} {}", ht(self.total(|r| r.legs[i]))))
                    .collect::<String>(),
                if trainers.is_zero() {
                    String::new()
                } else {
                    format!(", trainers {}", ht(trainers))
                }
            ));
        }
        line(format!(
            "  break-even   emissions of {} {t}/day keep the supply flat over the run, {} over its last {} days",
            h(self.whole_run_break_even()),
            h(self.last_break_even()),
            self.period_days().min(self.rows.len()),
        ));
        line(format!(
            "  half-life    projected {}, simulated {}",
            match s.half_life_days_projected {
                Some(v) => format!("{v:.1} days (S0 / 2 x day-1 burn)"),
                None => "n/a (no burn on day 1)".into(),
            },
            match s.simulated_half_life_day {
                Some(day) => format!("day {day}"),
                None => format!("not within {} days", info.days),
            }
        ));
        line(format!(
            "  USD          subscriptions ${}, buybacks ${} for {} {t}",
            human(last.cum_usd_revenue, info.numeraire_decimals),
            human_total(self.total(|r| r.buyback_usd), info.numeraire_decimals),
            ht(self.total(|r| r.buyback_tokens)),
        ));
        line(format!("  invariants   {}", s.invariants));
        for warning in &s.warnings {
            line(format!("  warning: {warning}"));
        }
        out
    }
}

pub(super) fn count(n: Total) -> String {
    human_total(n, 0)
}

/// Whole units with thousands separators and at most 2 decimals (display
/// only; rounds half up).
pub fn human(units: u128, decimals: u8) -> String {
    human_decimal(&format_decimal(units, decimals))
}

/// [`human`] for a [`Total`].
pub fn human_total(units: Total, decimals: u8) -> String {
    human_decimal(&units.decimal(decimals))
}

/// An exact non-negative decimal, rounded half up to 2 decimals, with
/// thousands separators and trailing zeros dropped.
fn human_decimal(exact: &str) -> String {
    let (int, frac) = exact.split_once('.').unwrap_or((exact, ""));
    // The integer part and two decimals as digits, then round on the third.
    let mut digits: Vec<u8> = int
        .bytes()
        .chain(frac.bytes().chain(std::iter::repeat(b'0')).take(2))
        .collect();
    if frac.as_bytes().get(2).is_some_and(|d| *d >= b'5') {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let (int, cents) = digits.split_at(digits.len() - 2);
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.iter().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(char::from(*c));
    }
    let cents = std::str::from_utf8(cents).expect("ASCII digits");
    match cents.trim_end_matches('0') {
        "" => grouped,
        frac => format!("{grouped}.{frac}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Change;
    use crate::sim::Regime;
    use furnace_core::units::pow10;

    #[test]
    fn human_numbers() {
        assert_eq!(human(0, 18), "0");
        assert_eq!(human(1_234_567_890 * pow10(18), 18), "1,234,567,890");
        assert_eq!(human(1_234_567_890_000_000_000_000_000, 18), "1,234,567.89");
        assert_eq!(human(1_500_000, 6), "1.5");
        assert_eq!(human(1_234_560_000, 6), "1,234.56");
        assert_eq!(human(5, 0), "5");
        assert_eq!(human(999_995, 6), "1");
        assert_eq!(human(99_995, 3), "100");
        assert_eq!(human(994, 3), "0.99");
        assert_eq!(
            human(u128::MAX, 0),
            "340,282,366,920,938,463,463,374,607,431,768,211,455"
        );
        assert_eq!(human(u128::MAX, 18), "340,282,366,920,938,463,463.37");
        let c = Change::between(3_400_000, 0);
        assert_eq!(c.text(format_decimal(c.magnitude, 6)), "-3.4");
        assert_eq!(Change::between(0, 0).regime(), Regime::Neutral);
    }
}
