//! `launches.csv`: one row per launch the `[[launches]]` drivers created,
//! in creation order, read from the final state (the core's launch record,
//! its token's supply, its pool's reserves) and the driver's counters.
//! Its columns vary with nothing but the run: a row per launch, so a run
//! with many launches keeps a fixed `timeseries.csv` (whose launch columns
//! are per-step totals, `LAUNCH_COLUMNS`).

use super::AmountFormat;
use super::Raw;
use crate::ledger::Unit;
use crate::sim::SimResult;
use furnace_config::Scenario;
use furnace_core::ids::RewardPoolId;
use furnace_core::state::LaunchStatus;
use furnace_core::units::{mul_div_floor, pow10, PRICE_DECIMALS};
use std::io::{self, Write};

/// `launches.csv`'s columns with their meaning (the unit in words: a
/// launch's own token and quote asset vary by row).
pub const LAUNCHES_CSV_COLUMNS: &[(&str, &str)] = &[
    ("launch", "the launch's number in the run, from 1 (creation order; the core's LaunchId + 1)"),
    ("spec", "the economy's [launches.X] it follows"),
    ("entry", "the scenario's [[launches]] entry that created it, from 0 in file order"),
    ("token", "the launched token's name in the reports (launched#k: the k-th token created at run time)"),
    ("quote", "the asset buyers paid in: the unit of raised, fees and final_price"),
    ("issuer", "the issuer's account (opened at setup)"),
    ("created_step", "the step CreateLaunch was applied on"),
    ("closes_step", "the first step on which purchases are refused: created_step + window_days"),
    ("status", "raising, graduated or failed, at the end of the run"),
    ("settled_step", "the step it graduated or failed on; empty while raising"),
    ("raised", "principal committed along the curve (quote, whole units); a failed launch refunded all of it"),
    ("fees", "purchase fees paid (quote, whole units), never refunded"),
    ("buyers", "accounts that bought along the curve (the issuer included if it did)"),
    ("buys_refused", "purchases the core refused (curve and pool; stakes too): counted, not fatal"),
    ("tokens_sold", "tokens the curve sold (the launched token's whole units), minted to buyers at graduation"),
    ("pool", "the constant-product pool graduation created (a run-time market); empty if none"),
    ("final_price", "the pool's spot price at the end of the run: quote per whole launched token, floored to 12 decimals; empty without a pool"),
    ("supply", "the launched token's supply at the end of the run (whole units): 0 unless it graduated"),
    ("trades", "swaps the drivers made on its pool (buys and sells)"),
    ("stake_pool", "its stake pool (the spec's [launches.X.staking], created at graduation): staking#k, the reward pool with run-time id 32,768 + k; empty if none"),
    ("staked", "the launched token staked in that pool at the end of the run (whole units)"),
    ("stake_rewards", "rewards credited to that pool over the run, in stake_reward_asset (whole units): funded by the drivers, or routed to it"),
    ("stake_reward_asset", "the asset the stake pool pays"),
];

impl SimResult {
    /// Write `launches.csv` (`format` as for `timeseries.csv`): the header,
    /// then one row per launch the drivers created.
    pub fn write_launches_csv<W: Write>(
        &self,
        mut w: W,
        scenario: &Scenario,
        format: AmountFormat,
    ) -> io::Result<()> {
        let economy = &scenario.economy.economy;
        let names: Vec<&str> = LAUNCHES_CSV_COLUMNS.iter().map(|(n, _)| *n).collect();
        writeln!(w, "{}", names.join(","))?;
        let account = |a| {
            self.info
                .accounts
                .iter()
                .find(|(id, _)| *id == a)
                .map_or_else(|| economy.account_name(a), |(_, n)| n.clone())
        };
        for rec in &self.launches {
            let Some(l) = self.state.launch_state(rec.launch) else {
                continue;
            };
            let spec = economy.launch_spec(l.spec);
            let quote = economy.asset_name(spec.quote);
            let qd =
                furnace_core::engine::decimals_of(economy, &self.state, spec.quote).unwrap_or(0);
            let token = economy.asset_name(l.token);
            let amount = |v: u128, asset: &str, decimals: u8| {
                Raw::Value(v).format(
                    &Unit::Amount {
                        asset: asset.to_string(),
                        decimals,
                    },
                    format,
                )
            };
            let (status, settled, pool) = match l.status {
                LaunchStatus::Raising => ("raising", String::new(), None),
                LaunchStatus::Graduated { pool, step } => {
                    ("graduated", step.to_string(), Some(pool))
                }
                LaunchStatus::Failed { step } => ("failed", step.to_string(), None),
            };
            // Spot: Q / L in base units, as quote per whole token in
            // 10^-12 units: Q 10^(12 + td - qd) / L (td <= 18, qd <= 18).
            let price = pool
                .and_then(|p| self.state.pool(p))
                .and_then(|p| {
                    let [tokens, quote_reserve] = p.reserves;
                    let up = u32::from(PRICE_DECIMALS) + u32::from(spec.decimals);
                    let down = u32::from(qd);
                    if tokens == 0 {
                        None
                    } else if up >= down {
                        mul_div_floor(quote_reserve, pow10(u8::try_from(up - down).ok()?), tokens)
                    } else {
                        let den = tokens.checked_mul(pow10(u8::try_from(down - up).ok()?))?;
                        mul_div_floor(quote_reserve, 1, den)
                    }
                })
                .map_or_else(String::new, |pico| {
                    Raw::Value(pico).format(
                        &Unit::Price {
                            numeraire: quote.clone(),
                            token: token.clone(),
                        },
                        format,
                    )
                });
            let stake = match (rec.stake_pool, spec.staking.as_ref()) {
                (Some(id), Some(t)) => {
                    let totals = self.state.reward_pool(id).map(|p| *p.totals());
                    let reward = economy.asset_name(t.reward);
                    let rd = furnace_core::engine::decimals_of(economy, &self.state, t.reward)
                        .unwrap_or(0);
                    (
                        format!("staking#{}", id.0 - RewardPoolId::RUNTIME_BASE),
                        amount(totals.map_or(0, |t| t.staked), &token, spec.decimals),
                        amount(totals.map_or(0, |t| t.credited), &reward, rd),
                        reward,
                    )
                }
                _ => Default::default(),
            };
            let cells = [
                (rec.launch.index() + 1).to_string(),
                spec.name.clone(),
                rec.entry.to_string(),
                token.clone(),
                quote.clone(),
                account(rec.issuer),
                l.created_step.to_string(),
                l.closes_step.to_string(),
                status.to_string(),
                settled,
                amount(l.raised, &quote, qd),
                amount(l.fees, &quote, qd),
                l.buyers().to_string(),
                rec.buys_refused.to_string(),
                amount(l.sold, &token, spec.decimals),
                pool.map_or_else(String::new, |p| economy.market_name(p)),
                price,
                amount(self.state.supply(l.token), &token, spec.decimals),
                rec.trades.to_string(),
                stake.0,
                stake.1,
                stake.2,
                stake.3,
            ];
            writeln!(w, "{}", cells.join(","))?;
        }
        Ok(())
    }

    /// `launches.csv` as a string, in whole units.
    pub fn launches_csv_string(&self, scenario: &Scenario) -> String {
        let mut out = Vec::new();
        self.write_launches_csv(&mut out, scenario, AmountFormat::WholeUnits)
            .expect("writing to memory");
        String::from_utf8(out).expect("CSV is ASCII")
    }
}
