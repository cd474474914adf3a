//! Reports of a run: `timeseries.csv`, `periods.csv`, `summary.json`, a
//! short text summary, and the dictionary of every column and key
//! (`furnace columns`, `docs/outputs.md`).
//!
//! One table per file says each column's name, unit and meaning, and the
//! same table writes the header and the values ([`SimResult::columns`],
//! [`PERIOD_COLUMNS`], [`SUMMARY_KEYS`]), so the dictionary cannot drift
//! from the files.
//!
//! Amounts are exact: whole units as decimal strings (or, with
//! [`AmountFormat::BaseUnits`], integers of the base unit). Totals over
//! steps are summed in 256 bits ([`Total`]): no count or amount can wrap.

use crate::ledger::{Unit, MISSING};
use crate::sim::{Regime, SimError, SimResult, StepRow};
use furnace_config::Scenario;
use furnace_core::event::{BurnReason, MintReason};
use furnace_core::units::{format_decimal, PRICE_DECIMALS};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// `summary.json`'s `schema`.
pub const SUMMARY_SCHEMA: &str = "furnace-summary";
/// `summary.json`'s `format_version`: 2 is the first with a version, the
/// `units` and `assets` maps, counts as strings and `periods.csv`.
pub const SUMMARY_FORMAT_VERSION: u32 = 2;

/// An exact sum of `u128` values in 256 bits: it cannot overflow before
/// 2^128 terms, so a total over any run is exact.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Total {
    // Field order makes the derived `Ord` numeric.
    hi: u128,
    lo: u128,
}

impl Total {
    pub const ZERO: Total = Total { hi: 0, lo: 0 };

    pub fn add(&mut self, v: u128) {
        let (lo, carry) = self.lo.overflowing_add(v);
        self.lo = lo;
        // At most one carry per term: `hi` counts terms at the most.
        self.hi += u128::from(carry);
    }

    /// `a * b` exactly.
    pub fn product(a: u128, b: u128) -> Total {
        let (a1, a0) = (a >> 64, a & u128::from(u64::MAX));
        let (b1, b0) = (b >> 64, b & u128::from(u64::MAX));
        let mut t = Total {
            hi: a1 * b1,
            lo: a0 * b0,
        };
        for cross in [a1 * b0, a0 * b1] {
            t.hi += cross >> 64;
            t.add(cross << 64);
        }
        t
    }

    /// `self - other`, or `None` below zero.
    pub fn checked_sub(self, other: Total) -> Option<Total> {
        let (lo, borrow) = self.lo.overflowing_sub(other.lo);
        let hi = self.hi.checked_sub(other.hi)?;
        Some(Total {
            hi: hi.checked_sub(u128::from(borrow))?,
            lo,
        })
    }

    pub fn to_u128(self) -> Option<u128> {
        (self.hi == 0).then_some(self.lo)
    }

    pub fn is_zero(self) -> bool {
        self == Total::ZERO
    }

    /// Approximately, for display ratios.
    pub fn to_f64(self) -> f64 {
        self.hi as f64 * 2f64.powi(128) + self.lo as f64
    }

    /// Four 64-bit limbs, most significant first.
    fn limbs(self) -> [u64; 4] {
        let part = |v: u128, shift: u32| u64::try_from((v >> shift) & u128::from(u64::MAX));
        [
            part(self.hi, 64).expect("masked"),
            part(self.hi, 0).expect("masked"),
            part(self.lo, 64).expect("masked"),
            part(self.lo, 0).expect("masked"),
        ]
    }

    fn from_limbs(l: [u64; 4]) -> Total {
        Total {
            hi: u128::from(l[0]) << 64 | u128::from(l[1]),
            lo: u128::from(l[2]) << 64 | u128::from(l[3]),
        }
    }

    /// `(floor(self / d), self % d)` for a non-zero `d`.
    pub fn div_rem(self, d: u64) -> (Total, u64) {
        assert!(d > 0, "division by zero");
        let mut q = [0u64; 4];
        let mut rem: u128 = 0;
        for (i, limb) in self.limbs().into_iter().enumerate() {
            let cur = rem << 64 | u128::from(limb);
            q[i] = u64::try_from(cur / u128::from(d)).expect("rem < d, so the quotient limb fits");
            rem = cur % u128::from(d);
        }
        (Total::from_limbs(q), u64::try_from(rem).expect("rem < d"))
    }

    /// The integer in decimal digits.
    pub fn digits(self) -> String {
        if let Some(v) = self.to_u128() {
            return v.to_string();
        }
        const CHUNK: u64 = 10_000_000_000_000_000_000; // 10^19
        let mut chunks = Vec::new();
        let mut rest = self;
        while !rest.is_zero() {
            let (q, r) = rest.div_rem(CHUNK);
            chunks.push(r);
            rest = q;
        }
        let mut text = chunks.pop().map_or_else(String::new, |c| c.to_string());
        for c in chunks.iter().rev() {
            text.push_str(&format!("{c:019}"));
        }
        text
    }

    /// Whole units with `decimals` decimals, exactly (trailing zeros dropped).
    pub fn decimal(self, decimals: u8) -> String {
        match self.to_u128() {
            Some(v) => format_decimal(v, decimals),
            None => with_point(&self.digits(), decimals),
        }
    }
}

impl From<u128> for Total {
    fn from(v: u128) -> Total {
        Total { hi: 0, lo: v }
    }
}

impl From<u64> for Total {
    fn from(v: u64) -> Total {
        Total::from(u128::from(v))
    }
}

impl std::iter::Sum<u128> for Total {
    fn sum<I: Iterator<Item = u128>>(iter: I) -> Total {
        let mut t = Total::ZERO;
        iter.for_each(|v| t.add(v));
        t
    }
}

/// Digits of an integer of base units as whole units (`"1500", 3` -> `"1.5"`).
fn with_point(digits: &str, decimals: u8) -> String {
    let d = usize::from(decimals);
    let padded = format!("{digits:0>width$}", width = d + 1);
    let (int, frac) = padded.split_at(padded.len() - d);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

/// How amount columns are written.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum AmountFormat {
    /// Exact decimals of whole units (`1.5` LAM).
    #[default]
    WholeUnits,
    /// Integers of the asset's base unit, `10^-decimals` (`1500000000000000000`).
    BaseUnits,
}

/// A signed amount: `after - before`, exact at any size.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub negative: bool,
    pub magnitude: u128,
}

impl Change {
    pub fn between(before: u128, after: u128) -> Change {
        Change {
            negative: after < before,
            magnitude: after.abs_diff(before),
        }
    }

    pub fn regime(self) -> Regime {
        match (self.negative, self.magnitude) {
            (_, 0) => Regime::Neutral,
            (true, _) => Regime::Deflationary,
            (false, _) => Regime::Inflationary,
        }
    }

    fn text(self, digits: String) -> String {
        if self.negative && self.magnitude > 0 {
            format!("-{digits}")
        } else {
            digits
        }
    }
}

/// One cell before formatting.
#[derive(Copy, Clone, Debug)]
pub enum Raw {
    /// A count, an amount or a price in base units.
    Value(u128),
    /// A total over steps, exact at any size.
    Total(Total),
    Signed(Change),
    Word(&'static str),
    /// No value (a price without an oracle): an empty cell.
    Missing,
}

impl Raw {
    /// The cell's text for a column of `unit`.
    pub fn format(self, unit: &Unit, format: AmountFormat) -> String {
        let number = |t: Total| match (format, unit.decimals()) {
            (AmountFormat::WholeUnits, Some(d)) => t.decimal(d),
            _ => t.digits(),
        };
        match self {
            Raw::Value(MISSING) | Raw::Missing => String::new(),
            Raw::Value(v) => number(v.into()),
            Raw::Total(t) => number(t),
            Raw::Signed(c) => c.text(number(c.magnitude.into())),
            Raw::Word(w) => w.to_string(),
        }
    }
}

/// A row and what the report derives around it.
pub struct RowView<'a> {
    pub row: &'a StepRow,
    /// Supply at the end of the previous step (after setup for step 1).
    pub prev_supply: u128,
    /// See `break_even_emissions_trailing`.
    pub break_even: u128,
}

/// The unit of a fixed column or summary key, before names are known.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Step,
    Count,
    /// Whole units of the scenario's token.
    Token,
    /// Whole units of the numeraire ("USD").
    Numeraire,
    /// The numeraire per whole token (12 decimals).
    Price,
    /// The asset named in the key (`<ASSET>`).
    Asset,
    Regime,
    /// Anything else, described in words.
    Other(&'static str),
}

impl SimResult {
    fn unit(&self, kind: Kind) -> Unit {
        let info = &self.info;
        match kind {
            Kind::Step => Unit::Step,
            Kind::Count => Unit::Count,
            Kind::Token => Unit::Amount {
                asset: info.token_name.clone(),
                decimals: info.token_decimals,
            },
            Kind::Numeraire => Unit::Amount {
                asset: info.numeraire_name.clone(),
                decimals: info.numeraire_decimals,
            },
            Kind::Price => Unit::Price {
                numeraire: info.numeraire_name.clone(),
                token: info.token_name.clone(),
            },
            Kind::Asset => Unit::Other("whole units of the <ASSET> in the key"),
            Kind::Regime => Unit::Text("deflationary, neutral or inflationary"),
            Kind::Other(what) => Unit::Other(what),
        }
    }
}

/// A fixed column of `timeseries.csv`.
pub struct Fixed {
    pub name: &'static str,
    pub kind: Kind,
    pub meaning: &'static str,
    pub read: fn(&RowView) -> Raw,
}

const fn fixed(
    name: &'static str,
    kind: Kind,
    meaning: &'static str,
    read: fn(&RowView) -> Raw,
) -> Fixed {
    Fixed {
        name,
        kind,
        meaning,
        read,
    }
}

/// The fixed columns before the `leg_<name>` family.
pub const FIXED_HEAD: &[Fixed] = &[
    fixed("step", Kind::Step, "the simulator's step, 1-based: one pass of the day loop (scenarios call it a day; `ast-report` uses it as a month)", |v| Raw::Value(u128::from(v.row.step))),
    fixed("actions", Kind::Count, "actions that ran: api_actions + subscription_actions (failed actions are not included)", |v| Raw::Value(v.row.actions)),
    fixed("api_actions", Kind::Count, "pay-as-you-go actions that ran and succeeded", |v| Raw::Value(v.row.api_actions)),
    fixed("subscription_actions", Kind::Count, "subscribers' actions that ran (token-paid and funded numeraire-paid)", |v| Raw::Value(v.row.subscription_actions)),
    fixed("failed_actions", Kind::Count, "pay-as-you-go actions that failed: paid for and burned whole (burned_failed_action); not in actions nor tokens_consumed", |v| Raw::Value(v.row.failed_actions)),
    fixed("unfunded_actions", Kind::Count, "actions demanded that could not be paid for: pay-as-you-go ones the market could not sell tokens for, plus numeraire subscribers' ones their inventory could not fund", |v| Raw::Value(v.row.unfunded_actions)),
    fixed("token_price_usd", Kind::Price, "the token's oracle price at the start of the step (after the step's Tick and SetPrice, before any trade), floored to 12 decimals", |v| Raw::Value(v.row.price_usd_pico)),
    fixed("tokens_per_action", Kind::Token, "tokens per action of the scenario's version at token_price_usd: ceil(price per action / token price) to the base unit; actions that ran later in the step at another price paid that moment's (see docs/outputs.md)", |v| Raw::Value(v.row.tokens_per_action)),
    fixed("tokens_consumed", Kind::Token, "tokens that went through a consumption split: actions paid by accounts or inventories (count x tokens per action when they ran), token subscriptions' escrow released per action, and escrow released at expiry", |v| Raw::Value(v.row.tokens_consumed)),
    fixed("burned", Kind::Token, "every burn of the token during the step, every reason", |v| Raw::Value(v.row.burned)),
    fixed("burned_action", Kind::Token, "burned by the burn legs of consumption", |v| Raw::Value(v.row.burned_action)),
    fixed("burned_buyback", Kind::Token, "bought back and burned", |v| Raw::Value(v.row.burned_buyback)),
    fixed("burned_failed_action", Kind::Token, "the tokens of failed actions", |v| Raw::Value(v.row.burned_failed_action)),
    fixed("burned_voluntary", Kind::Token, "burned by outside holders (the external demand market's account)", |v| Raw::Value(v.row.burned_voluntary)),
    fixed("burned_penalty", Kind::Token, "penalty burns", |v| Raw::Value(v.row.burned_penalty)),
    fixed("creator", Kind::Token, "consumption paid to workflow creators at their epoch's share", |v| Raw::Value(v.row.creator)),
    fixed("creator_shortfall", Kind::Token, "the creator leg's part the epoch does not pay (to the split's creator_shortfall_to)", |v| Raw::Value(v.row.creator_shortfall)),
    fixed("no_marketplace", Kind::Token, "the creator leg of actions run without a workflow (to no_marketplace_to)", |v| Raw::Value(v.row.no_marketplace)),
    fixed("trainers", Kind::Token, "paid to the trainers of the trained path", |v| Raw::Value(v.row.trainers)),
    fixed("no_trainers", Kind::Token, "the trainers leg of actions without a trained path (to no_trainers_to)", |v| Raw::Value(v.row.no_trainers)),
];

/// The `leg_<name>` family (between the head and the tail).
pub const LEG_PATTERN: &str = "leg_<name>";
const LEG_MEANING: &str = "floor(consumed x share) of this leg of the scenario version's split, before the creator and trainer legs are divided (consumption of that split only)";

/// The fixed columns after the `leg_<name>` family.
pub const FIXED_TAIL: &[Fixed] = &[
    fixed("dust", Kind::Token, "the split's rounding remainders (to dust_to)", |v| Raw::Value(v.row.dust)),
    fixed("emitted", Kind::Token, "minted for emission reasons (training_reward, grant, referral, staking)", |v| Raw::Value(v.row.emitted)),
    fixed("supply", Kind::Token, "the token's supply at the end of the step", |v| Raw::Value(v.row.supply)),
    fixed("net_supply_change", Kind::Token, "supply minus the previous step's supply (after setup for step 1), signed", |v| Raw::Signed(Change::between(v.prev_supply, v.row.supply))),
    fixed("regime", Kind::Regime, "deflationary if the supply fell during the step, inflationary if it rose, else neutral", |v| Raw::Word(Change::between(v.prev_supply, v.row.supply).regime().name())),
    fixed("break_even_emissions_trailing", Kind::Token, "the emission per step that would have kept the supply flat over the trailing reporting period (the last period_days steps up to this one, fewer at the start): max(0, sum of (emitted - net_supply_change)) / steps in the window, floored", |v| Raw::Value(v.break_even)),
    fixed("usd_revenue", Kind::Numeraire, "paid in the numeraire for subscriptions", |v| Raw::Value(v.row.usd_revenue)),
    fixed("purchased", Kind::Token, "tokens bought from a sale (minted on purchase)", |v| Raw::Value(v.row.purchased)),
    fixed("usd_sales", Kind::Numeraire, "paid for them", |v| Raw::Value(v.row.usd_sales)),
    fixed("redeemed", Kind::Token, "tokens redeemed for their unit of service", |v| Raw::Value(v.row.redeemed)),
    fixed("emission_cut", Kind::Token, "scheduled emission the token's maximum supply refused", |v| Raw::Value(v.row.emission_cut)),
    fixed("sales_cut", Kind::Token, "sale tokens the maximum supply refused", |v| Raw::Value(v.row.sales_cut)),
    fixed("usd_market_buys", Kind::Numeraire, "paid (from outside) to the demand market for tokens bought by api users and token subscribers", |v| Raw::Value(v.row.usd_market_buys)),
    fixed("buyback_usd", Kind::Numeraire, "spent by buyback programs paying the numeraire for the token", |v| Raw::Value(v.row.buyback_usd)),
    fixed("buyback_tokens", Kind::Token, "tokens those buybacks bought", |v| Raw::Value(v.row.buyback_tokens)),
    fixed("buyback_unspent", Kind::Numeraire, "what those buybacks were asked to spend but could not (venue caps, the impact guard, market depth): it stays in the budget", |v| Raw::Value(v.row.buyback_unspent)),
    fixed("sold_back", Kind::Token, "tokens recipients sold on the sell market", |v| Raw::Value(v.row.sold_back)),
    fixed("market_tokens", Kind::Token, "tokens the demand market holds at the end of the step (an external market's account, or a pool's token reserve)", |v| Raw::Value(v.row.market_tokens)),
    fixed("cum_tokens_consumed", Kind::Token, "tokens_consumed from step 1 to this step", |v| Raw::Value(v.row.cum_tokens_consumed)),
    fixed("cum_burned", Kind::Token, "burned from step 1 to this step", |v| Raw::Value(v.row.cum_burned)),
    fixed("cum_emitted", Kind::Token, "emitted from step 1 to this step", |v| Raw::Value(v.row.cum_emitted)),
    fixed("cum_creator", Kind::Token, "creator from step 1 to this step", |v| Raw::Value(v.row.cum_creator)),
    fixed("cum_usd_revenue", Kind::Numeraire, "usd_revenue from step 1 to this step", |v| Raw::Value(v.row.cum_usd_revenue)),
];

/// Where a column's values come from.
#[derive(Copy, Clone)]
enum Read {
    Row(fn(&RowView) -> Raw),
    Leg(usize),
    Ledger(usize),
}

/// One column of a file: its name, the family it belongs to (its name
/// pattern; the name itself for a fixed column), unit and meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub family: String,
    pub unit: Unit,
    pub meaning: String,
}

/// The dictionary of a scenario's output files.
#[derive(Clone, Debug)]
pub struct Dictionary {
    /// Every column `timeseries.csv` may have (a run leaves out the ledger
    /// columns that are zero at every step).
    pub timeseries: Vec<Entry>,
    pub periods: Vec<Entry>,
    /// Every key of `summary.json`, as dotted paths (`<...>` placeholders
    /// for names; `[]` for the items of a list).
    pub summary: Vec<Entry>,
}

/// The dictionary of `scenario`'s output files, without simulating it
/// (setup only: the columns are named at setup).
pub fn dictionary(scenario: &Scenario) -> Result<Dictionary, SimError> {
    let mut setup_only = scenario.clone();
    setup_only.days = 0;
    Ok(crate::simulate(&setup_only)?.dictionary())
}

impl SimResult {
    /// Every column of `timeseries.csv` in order with what it reads.
    fn all_columns(&self) -> Vec<(Entry, Read)> {
        let mut out = Vec::new();
        let fixed = |table: &[Fixed], out: &mut Vec<(Entry, Read)>| {
            for f in table {
                let entry = Entry {
                    name: f.name.into(),
                    family: f.name.into(),
                    unit: self.unit(f.kind),
                    meaning: f.meaning.into(),
                };
                out.push((entry, Read::Row(f.read)));
            }
        };
        fixed(FIXED_HEAD, &mut out);
        for (i, name) in self.info.leg_names.iter().enumerate() {
            let entry = Entry {
                name: format!("leg_{name}"),
                family: LEG_PATTERN.into(),
                unit: self.unit(Kind::Token),
                meaning: format!("leg `{name}`: {LEG_MEANING}"),
            };
            out.push((entry, Read::Leg(i)));
        }
        fixed(FIXED_TAIL, &mut out);
        let l = &self.ledger;
        for c in 0..l.names.len() {
            let entry = Entry {
                name: l.names[c].clone(),
                family: l.families[c].pattern.into(),
                unit: l.units[c].clone(),
                meaning: l.meanings[c].clone(),
            };
            out.push((entry, Read::Ledger(c)));
        }
        out
    }

    /// The columns `timeseries.csv` has: ledger columns zero at every step
    /// are left out.
    fn written_columns(&self) -> Vec<(Entry, Read)> {
        self.all_columns()
            .into_iter()
            .filter(|(_, read)| match read {
                Read::Ledger(c) => !self.ledger.all_zero(*c),
                _ => true,
            })
            .collect()
    }

    /// The columns of this run's `timeseries.csv`, in order.
    pub fn columns(&self) -> Vec<Entry> {
        self.written_columns().into_iter().map(|(e, _)| e).collect()
    }

    /// The dictionary: every column this scenario's files may have.
    pub fn dictionary(&self) -> Dictionary {
        let resolve = |table: &[KeyDoc]| {
            table
                .iter()
                .map(|k| Entry {
                    name: k.pattern.into(),
                    family: k.pattern.into(),
                    unit: self.unit(k.kind),
                    meaning: k.meaning.into(),
                })
                .collect()
        };
        Dictionary {
            timeseries: self.all_columns().into_iter().map(|(e, _)| e).collect(),
            periods: resolve(PERIOD_COLUMNS),
            summary: resolve(SUMMARY_KEYS),
        }
    }

    /// The CSV header (the columns this run writes).
    pub fn csv_header(&self) -> String {
        header(&self.written_columns())
    }

    /// Each row with the supply before it and the trailing break-even.
    fn views(&self) -> Vec<RowView<'_>> {
        let window = self.period_days();
        let mut prev = self.initial_supply;
        // What the trailing window emitted, slid one step at a time.
        let mut emitted = Total::ZERO;
        let mut views = Vec::with_capacity(self.rows.len());
        for (i, row) in self.rows.iter().enumerate() {
            emitted.add(row.emitted);
            let start = (i + 1).saturating_sub(window);
            let before = match start.checked_sub(1) {
                None => self.initial_supply,
                Some(left) => {
                    emitted = emitted
                        .checked_sub(Total::from(self.rows[left].emitted))
                        .expect("added when it entered the window");
                    self.rows[left].supply
                }
            };
            views.push(RowView {
                row,
                prev_supply: prev,
                break_even: break_even(emitted, before, row.supply, i + 1 - start),
            });
            prev = row.supply;
        }
        views
    }

    /// The reporting period in steps (the plan's period, or 30).
    fn period_days(&self) -> usize {
        usize::try_from(self.info.period_days.max(1)).unwrap_or(usize::MAX)
    }

    fn write_columns<W: Write>(
        &self,
        mut w: W,
        columns: &[(Entry, Read)],
        format: AmountFormat,
    ) -> io::Result<()> {
        writeln!(w, "{}", header(columns))?;
        for (step, view) in self.views().iter().enumerate() {
            for (i, (entry, read)) in columns.iter().enumerate() {
                let raw = match read {
                    Read::Row(f) => f(view),
                    Read::Leg(k) => Raw::Value(view.row.legs[*k]),
                    Read::Ledger(c) => Raw::Value(self.ledger.value(step, *c)),
                };
                if i > 0 {
                    w.write_all(b",")?;
                }
                w.write_all(raw.format(&entry.unit, format).as_bytes())?;
            }
            writeln!(w)?;
        }
        Ok(())
    }

    /// Write `timeseries.csv` in whole units.
    pub fn write_csv<W: Write>(&self, w: W) -> io::Result<()> {
        self.write_csv_as(w, AmountFormat::WholeUnits)
    }

    /// Write `timeseries.csv`: the header, then one row per step. Ledger
    /// columns that are zero at every step are left out.
    pub fn write_csv_as<W: Write>(&self, w: W, format: AmountFormat) -> io::Result<()> {
        self.write_columns(w, &self.written_columns(), format)
    }

    /// Every column, the all-zero ledger columns included (the audit reads
    /// a series by name whatever its values).
    pub fn csv_string_full(&self) -> String {
        let mut out = Vec::new();
        self.write_columns(&mut out, &self.all_columns(), AmountFormat::WholeUnits)
            .expect("writing to memory");
        String::from_utf8(out).expect("CSV is ASCII")
    }

    /// The CSV as a string.
    pub fn csv_string(&self) -> String {
        let mut out = Vec::with_capacity(self.rows.len() * 400 + 1024);
        self.write_csv(&mut out).expect("writing to memory");
        String::from_utf8(out).expect("CSV is ASCII")
    }

    /// The last row (all zeros for a run of zero days).
    fn last(&self) -> StepRow {
        self.rows.last().copied().unwrap_or_default()
    }

    /// `S_0 / (2 * B_1)`, `B_1` being day 1's action burn.
    pub fn half_life_days_projected(&self) -> Option<f64> {
        let b1 = self.rows.first()?.burned_action;
        if b1 == 0 {
            return None;
        }
        Some(self.initial_supply as f64 / (2.0 * b1 as f64))
    }

    /// The first day whose closing supply is at most half the initial one.
    pub fn simulated_half_life_day(&self) -> Option<u32> {
        // For whole base units, `supply <= S_0 / 2` is `supply <= floor(S_0 / 2)`.
        let half = self.initial_supply / 2;
        self.rows.iter().find(|r| r.supply <= half).map(|r| r.step)
    }

    /// Day counts per regime: (deflationary, neutral, inflationary).
    pub fn regime_days(&self) -> (u32, u32, u32) {
        let mut c = (0, 0, 0);
        for v in self.views() {
            match Change::between(v.prev_supply, v.row.supply).regime() {
                Regime::Deflationary => c.0 += 1,
                Regime::Neutral => c.1 += 1,
                Regime::Inflationary => c.2 += 1,
            }
        }
        c
    }

    /// A column's total over the run, exactly.
    fn total(&self, f: impl Fn(&StepRow) -> u128) -> Total {
        self.rows.iter().map(f).sum()
    }

    /// The reporting periods (a plan period, or 30 steps, each).
    pub fn periods(&self) -> Vec<Period> {
        let mut before = self.initial_supply;
        self.rows
            .chunks(self.period_days())
            .enumerate()
            .map(|(i, chunk)| {
                let last = &chunk[chunk.len() - 1];
                let change = Change::between(before, last.supply);
                before = last.supply;
                Period {
                    period: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    first_step: chunk[0].step,
                    last_step: last.step,
                    burned: chunk.iter().map(|r| r.burned).sum(),
                    emitted: chunk.iter().map(|r| r.emitted).sum(),
                    net_supply_change: change,
                    unfunded_actions: chunk.iter().map(|r| r.unfunded_actions).sum(),
                }
            })
            .collect()
    }

    /// Write `periods.csv`: one row per reporting period.
    pub fn write_periods_csv<W: Write>(&self, mut w: W, format: AmountFormat) -> io::Result<()> {
        let names: Vec<&str> = PERIOD_COLUMNS.iter().map(|k| k.pattern).collect();
        writeln!(w, "{}", names.join(","))?;
        let units: Vec<Unit> = PERIOD_COLUMNS.iter().map(|k| self.unit(k.kind)).collect();
        for p in self.periods() {
            let cells: Vec<String> = p
                .raw()
                .iter()
                .zip(&units)
                .map(|(raw, unit)| raw.format(unit, format))
                .collect();
            writeln!(w, "{}", cells.join(","))?;
        }
        Ok(())
    }

    /// `periods.csv` as a string, in whole units.
    pub fn periods_csv_string(&self) -> String {
        let mut out = Vec::new();
        self.write_periods_csv(&mut out, AmountFormat::WholeUnits)
            .expect("writing to memory");
        String::from_utf8(out).expect("CSV is ASCII")
    }
}

fn header(columns: &[(Entry, Read)]) -> String {
    let names: Vec<&str> = columns.iter().map(|(e, _)| e.name.as_str()).collect();
    names.join(",")
}

/// The emission per step that keeps the supply flat over `steps` steps
/// that emitted `emitted` and took the supply from `before` to `after`:
/// `max(0, emitted - (after - before)) / steps`, floored.
fn break_even(emitted: Total, before: u128, after: u128, steps: usize) -> u128 {
    let mut flat = emitted;
    flat.add(before);
    match (flat.checked_sub(Total::from(after)), u64::try_from(steps)) {
        // The emissions of a window are at most the supply they created,
        // so the quotient fits; saturate rather than trust that.
        (Some(t), Ok(n)) if n > 0 => t.div_rem(n).0.to_u128().unwrap_or(u128::MAX),
        _ => 0,
    }
}

/// One reporting period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub period: u32,
    pub first_step: u32,
    pub last_step: u32,
    pub burned: Total,
    pub emitted: Total,
    pub net_supply_change: Change,
    pub unfunded_actions: Total,
}

impl Period {
    /// The cells in [`PERIOD_COLUMNS`] order.
    fn raw(&self) -> [Raw; 8] {
        let v = Raw::Total;
        [
            Raw::Value(u128::from(self.period)),
            Raw::Value(u128::from(self.first_step)),
            Raw::Value(u128::from(self.last_step)),
            v(self.burned),
            v(self.emitted),
            Raw::Signed(self.net_supply_change),
            Raw::Word(self.net_supply_change.regime().name()),
            v(self.unfunded_actions),
        ]
    }
}

/// A column or key documented by pattern: `<...>` stands for a name.
pub struct KeyDoc {
    pub pattern: &'static str,
    pub kind: Kind,
    pub meaning: &'static str,
}

const fn key(pattern: &'static str, kind: Kind, meaning: &'static str) -> KeyDoc {
    KeyDoc {
        pattern,
        kind,
        meaning,
    }
}

/// `periods.csv`'s columns (and the keys of `summary.json`'s `periods[]`).
pub const PERIOD_COLUMNS: &[KeyDoc] = &[
    key("period", Kind::Count, "the period's number, from 1"),
    key("first_step", Kind::Step, "its first step"),
    key(
        "last_step",
        Kind::Step,
        "its last step (the last period may be shorter)",
    ),
    key(
        "burned",
        Kind::Token,
        "the token burned during the period, every reason",
    ),
    key(
        "emitted",
        Kind::Token,
        "the token minted for emission reasons during the period",
    ),
    key(
        "net_supply_change",
        Kind::Token,
        "supply at the period's end minus supply before its first step, signed",
    ),
    key("regime", Kind::Regime, "of net_supply_change"),
    key(
        "unfunded_actions",
        Kind::Count,
        "unfunded actions during the period",
    ),
];

const COUNT_TEXT: Kind = Kind::Other("count, as a decimal string (may exceed 2^53)");

/// Every key of `summary.json`, flattened with dots (the column names
/// `pandas.json_normalize` gives), list items as `[]`.
pub const SUMMARY_KEYS: &[KeyDoc] = &[
    key("schema", Kind::Other("text"), "always \"furnace-summary\""),
    key("format_version", Kind::Other("integer"), "2: this layout (bumped when a key changes meaning or type)"),
    key("economy", Kind::Other("text"), "the economy's name"),
    key("scenario", Kind::Other("text"), "the scenario's name"),
    key("token", Kind::Other("text"), "the scenario's token: the unit of every token amount"),
    key("numeraire", Kind::Other("text"), "the numeraire (USD): the unit of every *usd* amount"),
    key("version", Kind::Other("text"), "the model version actions run on (empty in a sales-only scenario)"),
    key("days", Kind::Count, "steps simulated (a step is a day, a month in ast-report)"),
    key("period_days", Kind::Count, "steps per reporting period: the plan's period, else 30"),
    key("seed", Kind::Other("integer as a decimal string (a u64)"), "the random seed"),
    key("sell_back", Kind::Other("true or false"), "whether recipients sell their tokens back each step"),
    key("units.<key>", Kind::Other("text"), "the asset whose whole units the amount at <key> (a dotted path; periods[].<column> for periods) is written in"),
    key("assets.<ASSET>.decimals", Kind::Count, "decimals of the asset: its base unit is 10^-decimals"),
    key("assets.<ASSET>.supply_start", Kind::Asset, "supply before step 1 (after genesis)"),
    key("assets.<ASSET>.supply_end", Kind::Asset, "supply after the last step: supply_start + minted - burned"),
    key("assets.<ASSET>.minted", Kind::Asset, "minted during the run, every reason"),
    key("assets.<ASSET>.burned", Kind::Asset, "burned during the run, every reason"),
    key("initial_supply", Kind::Token, "the token's supply before step 1"),
    key("final_supply", Kind::Token, "the token's supply after the last step"),
    key("net_supply_change", Kind::Token, "final_supply - initial_supply, signed"),
    key("cumulative_tokens_consumed", Kind::Token, "sum of tokens_consumed"),
    key("cumulative_burned", Kind::Token, "sum of burned"),
    key("cumulative_burned_by_reason.<reason>", Kind::Token, "the token burned during the run for each burn reason"),
    key("cumulative_emitted", Kind::Token, "sum of emitted"),
    key("cumulative_emitted_by_reason.<reason>", Kind::Token, "the token minted during the run for each emission reason"),
    key("cumulative_creator", Kind::Token, "sum of creator"),
    key("cumulative_trainers", Kind::Token, "sum of trainers"),
    key("cumulative_legs.leg_<name>", Kind::Token, "sum of each leg_<name> column"),
    key("cumulative_purchased", Kind::Token, "sum of purchased"),
    key("cumulative_redeemed", Kind::Token, "sum of redeemed"),
    key("cumulative_sold_back", Kind::Token, "sum of sold_back"),
    key("cumulative_emission_cut", Kind::Token, "sum of emission_cut"),
    key("cumulative_sales_cut", Kind::Token, "sum of sales_cut"),
    key("cumulative_usd_revenue", Kind::Numeraire, "sum of usd_revenue"),
    key("cumulative_usd_sales", Kind::Numeraire, "sum of usd_sales"),
    key("cumulative_usd_market_buys", Kind::Numeraire, "sum of usd_market_buys"),
    key("cumulative_buyback_usd", Kind::Numeraire, "sum of buyback_usd"),
    key("cumulative_buyback_tokens", Kind::Token, "sum of buyback_tokens"),
    key("deflationary_days", Kind::Count, "steps whose supply fell"),
    key("neutral_days", Kind::Count, "steps whose supply did not change"),
    key("inflationary_days", Kind::Count, "steps whose supply rose"),
    key("periods[].<column>", Kind::Other("as in periods.csv"), "one object per reporting period with the columns of periods.csv (counts as decimal strings)"),
    key("break_even_emissions_per_step.whole_run", Kind::Token, "the emission per step that would have kept the supply flat over the whole run: max(0, cumulative_emitted - net_supply_change) / days, floored"),
    key("break_even_emissions_per_step.last_period", Kind::Token, "the last row's break_even_emissions_trailing (the trailing period_days steps)"),
    key("half_life_days_projected", Kind::Other("steps, a float rounded to 2 decimals, or null"), "initial_supply / (2 x burned_action of step 1): the seed's T = S0 / (2 beta tau A); null without a step-1 burn"),
    key("simulated_half_life_day", Kind::Other("step, or null"), "the first step whose supply is at most half of initial_supply; null if none"),
    key("actions.total", COUNT_TEXT, "sum of actions"),
    key("actions.api", COUNT_TEXT, "sum of api_actions"),
    key("actions.subscription", COUNT_TEXT, "sum of subscription_actions"),
    key("actions.failed", COUNT_TEXT, "sum of failed_actions"),
    key("actions.unfunded_api", COUNT_TEXT, "pay-as-you-go actions unfunded during the run"),
    key("actions.unfunded_subscription", COUNT_TEXT, "numeraire subscribers' actions unfunded during the run"),
    key("unfunded_actions", COUNT_TEXT, "sum of unfunded_actions (= actions.unfunded_api + actions.unfunded_subscription)"),
    key("market_short_days", Kind::Count, "steps on which the demand market could not sell every token demanded"),
    key("token_subscriptions_not_bought", COUNT_TEXT, "token subscriptions not opened because the market could not sell their tokens"),
    key("balances.<account>.<ASSET>", Kind::Asset, "every account's final balance of every asset (named accounts, then the opened ones; LP shares as <pool>.LP)"),
    key("invariants", Kind::Other("text"), "\"ok\", or the ledger invariant that does not hold"),
    key("warnings[]", Kind::Other("text"), "problems worth a reader's attention"),
];

/// One period in `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct PeriodSummary {
    pub period: u32,
    pub first_step: u32,
    pub last_step: u32,
    pub burned: String,
    pub emitted: String,
    pub net_supply_change: String,
    pub regime: &'static str,
    pub unfunded_actions: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct BreakEven {
    pub whole_run: String,
    pub last_period: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionCounts {
    pub total: String,
    pub api: String,
    pub subscription: String,
    pub failed: String,
    pub unfunded_api: String,
    pub unfunded_subscription: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct AssetSummary {
    pub decimals: u8,
    pub supply_start: String,
    pub supply_end: String,
    pub minted: String,
    pub burned: String,
}

/// `summary.json`. Conventions (docs/outputs.md): amounts are exact
/// decimal strings of whole units, their unit in `units`; counts that may
/// exceed 2^53 are decimal strings; step and day counts are integers; the
/// only float is `half_life_days_projected`.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    pub format_version: u32,
    pub economy: String,
    pub scenario: String,
    pub token: String,
    pub numeraire: String,
    pub version: String,
    pub days: u32,
    pub period_days: u32,
    pub seed: String,
    /// Recipients sell their tokens back to the market daily.
    pub sell_back: bool,
    pub units: BTreeMap<String, String>,
    pub assets: BTreeMap<String, AssetSummary>,
    pub initial_supply: String,
    pub final_supply: String,
    pub net_supply_change: String,
    pub cumulative_tokens_consumed: String,
    pub cumulative_burned: String,
    pub cumulative_burned_by_reason: BTreeMap<&'static str, String>,
    pub cumulative_emitted: String,
    pub cumulative_emitted_by_reason: BTreeMap<&'static str, String>,
    pub cumulative_creator: String,
    pub cumulative_trainers: String,
    pub cumulative_legs: BTreeMap<String, String>,
    pub cumulative_purchased: String,
    pub cumulative_redeemed: String,
    pub cumulative_sold_back: String,
    pub cumulative_emission_cut: String,
    pub cumulative_sales_cut: String,
    pub cumulative_usd_revenue: String,
    pub cumulative_usd_sales: String,
    pub cumulative_usd_market_buys: String,
    pub cumulative_buyback_usd: String,
    pub cumulative_buyback_tokens: String,
    pub deflationary_days: u32,
    pub neutral_days: u32,
    pub inflationary_days: u32,
    pub periods: Vec<PeriodSummary>,
    pub break_even_emissions_per_step: BreakEven,
    pub half_life_days_projected: Option<f64>,
    pub simulated_half_life_day: Option<u32>,
    pub actions: ActionCounts,
    pub unfunded_actions: String,
    pub market_short_days: u32,
    pub token_subscriptions_not_bought: String,
    pub balances: Map<String, Value>,
    pub invariants: String,
    pub warnings: Vec<String>,
}

/// Formats amounts and records each one's unit under its key.
struct Amounts {
    units: BTreeMap<String, String>,
    token: (String, u8),
    numeraire: (String, u8),
}

impl Amounts {
    fn of(&mut self, key: impl Into<String>, asset: &str, text: String) -> String {
        self.units.insert(key.into(), asset.to_string());
        text
    }

    fn token(&mut self, key: impl Into<String>, v: impl Into<Total>) -> String {
        let (name, d) = self.token.clone();
        self.of(key, &name, v.into().decimal(d))
    }

    fn usd(&mut self, key: impl Into<String>, v: impl Into<Total>) -> String {
        let (name, d) = self.numeraire.clone();
        self.of(key, &name, v.into().decimal(d))
    }

    fn token_change(&mut self, key: impl Into<String>, c: Change) -> String {
        let (name, d) = self.token.clone();
        self.of(key, &name, c.text(format_decimal(c.magnitude, d)))
    }
}

/// A count as JSON text (exact at any size).
fn count_text(t: Total) -> String {
    t.digits()
}

impl SimResult {
    /// An amount of the numeraire as an exact decimal.
    fn usd(&self, units: impl Into<Total>) -> String {
        units.into().decimal(self.info.numeraire_decimals)
    }

    /// The last row's trailing break-even.
    fn last_break_even(&self) -> u128 {
        self.views().last().map_or(0, |v| v.break_even)
    }

    /// The emission per step that would have kept supply flat over the run.
    fn whole_run_break_even(&self) -> u128 {
        let after = self.rows.last().map_or(self.initial_supply, |r| r.supply);
        break_even(
            self.total(|r| r.emitted),
            self.initial_supply,
            after,
            self.rows.len(),
        )
    }

    /// Problems worth a reader's attention: unfunded demand and the seed
    /// inconsistencies behind it.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        let info = &self.info;
        if info.voluntary_burns_without_holders {
            w.push(format!(
                "burns.voluntary_per_day: no voluntary burns happened: the demand market `{}` is a pool, and voluntary burns are made by an external market's holders",
                info.demand_market_name
            ));
        }
        let c = &self.clips;
        if let Some(first) = c.first_price_floored_step {
            w.push(format!(
                "price: the price path fell below $0.000000000001 per {} on {} days (first on day {first}) and was floored there, where an action costs an enormous number of tokens; the path's parameters (volatility, growth) make it collapse",
                info.token_name, c.price_floored_days
            ));
        }
        if let Some(first) = c.first_price_capped_step {
            w.push(format!(
                "price: the price path rose above $1,000,000,000,000 per {} on {} days (first on day {first}) and was capped there",
                info.token_name, c.price_capped_days
            ));
        }
        if let Some(first) = c.first_demand_capped_step {
            w.push(format!(
                "demand: more than {} actions were drawn on {} days (first on day {first}); those days ran {} (the demand noise or growth is extreme)",
                human(u128::from(crate::MAX_ACTIONS_PER_DAY), 0),
                c.demand_capped_days,
                human(u128::from(crate::MAX_ACTIONS_PER_DAY), 0)
            ));
        }
        let emission_cut = |r: &StepRow| r.emission_cut;
        let sales_cut = |r: &StepRow| r.sales_cut;
        for (what, of) in [
            ("emissions", &emission_cut as &dyn Fn(&StepRow) -> u128),
            ("sales", &sales_cut),
        ] {
            let cut = self.total(of);
            if !cut.is_zero() {
                let first = self.rows.iter().find(|r| of(r) > 0).map_or(0, |r| r.step);
                w.push(format!(
                    "{what}: {} {} were not minted: {} reached its maximum supply (first on day {first})",
                    human_total(cut, info.token_decimals),
                    info.token_name,
                    info.token_name
                ));
            }
        }
        let short_days = self.rows.iter().filter(|r| r.buyback_unspent > 0).count();
        if short_days > 0 {
            w.push(format!(
                "buybacks: on {short_days} days the spend was cut short (venue caps, the price-impact guard or market depth); the rest carried over, and {} is left in the budgets at the end",
                info.buyback_budgets
                    .iter()
                    .map(|(name, account, asset)| format!(
                        "{name} ${}",
                        self.usd(self.state.balance(*asset, *account))
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let unfunded_api = self.total(|r| r.unfunded_api);
        let unfunded_sub = self.total(|r| r.unfunded_subscription);
        if let Some(plan) = &info.plan {
            let value = Total::product(u128::from(plan.actions_included), info.version_price);
            if value > Total::from(plan.price) {
                w.push(format!(
                    "plan `{}`: {} actions of {} are worth ${} at ${}/action, but the plan costs ${} per {} days (${} per action)",
                    plan.name,
                    count(plan.actions_included.into()),
                    info.version_name,
                    self.usd(value),
                    self.usd(info.version_price),
                    self.usd(plan.price),
                    plan.period_days,
                    self.usd(plan.price / u128::from(plan.actions_included.max(1))),
                ));
            }
            if plan.usd_agents > 0 && !unfunded_sub.is_zero() {
                let share = plan.buyback_share.to_string();
                let due = self.usd_subscription_actions_due.max(1);
                w.push(format!(
                    "USD subscriptions: {} of {} actions due ({:.1}%) were unfunded: {} of each ${} payment goes to buybacks, which {}",
                    count(unfunded_sub),
                    count(self.usd_subscription_actions_due.into()),
                    unfunded_sub.to_f64() * 100.0 / due as f64,
                    share,
                    self.usd(plan.price),
                    if plan.fuel_configured {
                        format!(
                            "cannot buy the {} x {} tokens per action the allowance needs",
                            count(plan.actions_included.into()),
                            format_decimal(self.rows.first().map_or(0, |r| r.tokens_per_action), info.token_decimals)
                        )
                    } else {
                        "do not fund any account (buyback destination is burn or missing)".to_string()
                    }
                ));
            }
            let token_sub = self
                .state
                .subscriptions()
                .iter()
                .find(|s| s.payment == furnace_core::Payment::Token);
            if let (Some(sub), Some(first)) = (token_sub, self.rows.first()) {
                let per_action = sub.escrow_base_units / u128::from(plan.actions_included.max(1));
                if per_action < first.tokens_per_action {
                    w.push(format!(
                        "token subscriptions: the escrow releases {} {} per action, against {} {} per pay-as-you-go action (day 1 price)",
                        format_decimal(per_action, info.token_decimals),
                        info.token_name,
                        format_decimal(first.tokens_per_action, info.token_decimals),
                        info.token_name,
                    ));
                }
            }
        }
        if !unfunded_api.is_zero() {
            w.push(format!(
                "pay-as-you-go: {} actions unfunded on {} days (first on day {}): the market account ran out of {}; {}",
                count(unfunded_api),
                self.market_short_days,
                self.first_market_short_step.unwrap_or(0),
                info.token_name,
                if info.sell_back {
                    format!(
                        "the rest of the supply is held by accounts that never sell ({})",
                        self.largest_holders(3)
                    )
                } else {
                    "sell-back is off, so recipients hold what they receive".to_string()
                }
            ));
        }
        if self.token_subscriptions_not_bought > 0 {
            w.push(format!(
                "{} token subscriptions were not opened: the market could not sell their tokens",
                self.token_subscriptions_not_bought
            ));
        }
        if let Err(e) = &self.invariants {
            w.push(e.to_string());
        }
        w
    }

    /// The `n` accounts other than the market holding the most of the
    /// token at the end, as "name: amount" text.
    fn largest_holders(&self, n: usize) -> String {
        let info = &self.info;
        let mut holders: Vec<(u128, &str)> = info
            .accounts
            .iter()
            .filter(|(a, _)| Some(*a) != info.outside_account)
            .map(|(a, name)| (self.state.balance(info.token, *a), name.as_str()))
            .filter(|(b, _)| *b > 0)
            .collect();
        holders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let parts: Vec<String> = holders
            .iter()
            .take(n)
            .map(|(b, name)| format!("{name}: {}", human(*b, info.token_decimals)))
            .collect();
        parts.join(", ")
    }

    /// The whole summary (`summary.json`).
    pub fn summary(&self) -> Summary {
        let info = &self.info;
        let mut a = Amounts {
            units: BTreeMap::new(),
            token: (info.token_name.clone(), info.token_decimals),
            numeraire: (info.numeraire_name.clone(), info.numeraire_decimals),
        };
        let last = self.last();
        let totals = self.state.totals(info.token);
        let mut burned_by_reason = BTreeMap::new();
        for reason in BurnReason::ALL {
            let key = format!("cumulative_burned_by_reason.{}", reason.name());
            let v = totals.burned_by_reason[reason.index()];
            burned_by_reason.insert(reason.name(), a.token(key, v));
        }
        let mut emitted_by_reason = BTreeMap::new();
        for reason in MintReason::ALL.iter().filter(|r| r.is_emission()) {
            let key = format!("cumulative_emitted_by_reason.{}", reason.name());
            let v = totals.minted_by_reason[reason.index()];
            emitted_by_reason.insert(reason.name(), a.token(key, v));
        }
        let mut legs = BTreeMap::new();
        for (i, name) in info.leg_names.iter().enumerate() {
            let key = format!("leg_{name}");
            let v = self.total(|r| r.legs[i]);
            legs.insert(key.clone(), a.token(format!("cumulative_legs.{key}"), v));
        }
        let (deflationary_days, neutral_days, inflationary_days) = self.regime_days();
        let mut balances = Map::new();
        for (account, name) in &info.accounts {
            let mut per_asset = Map::new();
            for (asset, asset_name, decimals) in &info.assets {
                let b = self.state.balance(*asset, *account);
                let key = format!("balances.{name}.{asset_name}");
                let text = a.of(key, asset_name, format_decimal(b, *decimals));
                per_asset.insert(asset_name.clone(), Value::String(text));
            }
            balances.insert(name.clone(), Value::Object(per_asset));
        }
        let mut assets = BTreeMap::new();
        for f in self.ledger.asset_flows() {
            let Some((_, name, d)) = info.assets.iter().find(|(id, _, _)| *id == f.asset) else {
                continue;
            };
            let mut amount = |what: &str, v: u128| {
                a.of(format!("assets.{name}.{what}"), name, format_decimal(v, *d))
            };
            let summary = AssetSummary {
                decimals: *d,
                supply_start: amount("supply_start", f.supply_start),
                supply_end: amount("supply_end", self.state.supply(f.asset)),
                minted: amount("minted", f.minted),
                burned: amount("burned", f.burned),
            };
            assets.insert(name.clone(), summary);
        }
        let periods = self
            .periods()
            .into_iter()
            .map(|p| PeriodSummary {
                period: p.period,
                first_step: p.first_step,
                last_step: p.last_step,
                burned: a.token("periods[].burned", p.burned),
                emitted: a.token("periods[].emitted", p.emitted),
                net_supply_change: a
                    .token_change("periods[].net_supply_change", p.net_supply_change),
                regime: p.net_supply_change.regime().name(),
                unfunded_actions: count_text(p.unfunded_actions),
            })
            .collect();
        let unfunded_api = self.total(|r| r.unfunded_api);
        let unfunded_sub = self.total(|r| r.unfunded_subscription);
        let final_supply = self.state.supply(info.token);
        Summary {
            schema: SUMMARY_SCHEMA,
            format_version: SUMMARY_FORMAT_VERSION,
            economy: info.economy.clone(),
            scenario: info.scenario.clone(),
            token: info.token_name.clone(),
            numeraire: info.numeraire_name.clone(),
            version: info.version_name.clone(),
            days: info.days,
            period_days: info.period_days,
            seed: info.seed.to_string(),
            sell_back: info.sell_back,
            initial_supply: a.token("initial_supply", self.initial_supply),
            final_supply: a.token("final_supply", final_supply),
            net_supply_change: a.token_change(
                "net_supply_change",
                Change::between(self.initial_supply, final_supply),
            ),
            cumulative_tokens_consumed: a
                .token("cumulative_tokens_consumed", last.cum_tokens_consumed),
            cumulative_burned: a.token("cumulative_burned", last.cum_burned),
            cumulative_burned_by_reason: burned_by_reason,
            cumulative_emitted: a.token("cumulative_emitted", last.cum_emitted),
            cumulative_emitted_by_reason: emitted_by_reason,
            cumulative_creator: a.token("cumulative_creator", last.cum_creator),
            cumulative_trainers: a.token("cumulative_trainers", self.total(|r| r.trainers)),
            cumulative_legs: legs,
            cumulative_purchased: a.token("cumulative_purchased", self.total(|r| r.purchased)),
            cumulative_redeemed: a.token("cumulative_redeemed", self.total(|r| r.redeemed)),
            cumulative_sold_back: a.token("cumulative_sold_back", self.total(|r| r.sold_back)),
            cumulative_emission_cut: a
                .token("cumulative_emission_cut", self.total(|r| r.emission_cut)),
            cumulative_sales_cut: a.token("cumulative_sales_cut", self.total(|r| r.sales_cut)),
            cumulative_usd_revenue: a.usd("cumulative_usd_revenue", last.cum_usd_revenue),
            cumulative_usd_sales: a.usd("cumulative_usd_sales", self.total(|r| r.usd_sales)),
            cumulative_usd_market_buys: a.usd(
                "cumulative_usd_market_buys",
                self.total(|r| r.usd_market_buys),
            ),
            cumulative_buyback_usd: a.usd("cumulative_buyback_usd", self.total(|r| r.buyback_usd)),
            cumulative_buyback_tokens: a.token(
                "cumulative_buyback_tokens",
                self.total(|r| r.buyback_tokens),
            ),
            deflationary_days,
            neutral_days,
            inflationary_days,
            periods,
            break_even_emissions_per_step: BreakEven {
                whole_run: a.token(
                    "break_even_emissions_per_step.whole_run",
                    self.whole_run_break_even(),
                ),
                last_period: a.token(
                    "break_even_emissions_per_step.last_period",
                    self.last_break_even(),
                ),
            },
            half_life_days_projected: self
                .half_life_days_projected()
                .map(|v| (v * 100.0).round() / 100.0),
            simulated_half_life_day: self.simulated_half_life_day(),
            actions: ActionCounts {
                total: count_text(self.total(|r| r.actions)),
                api: count_text(self.total(|r| r.api_actions)),
                subscription: count_text(self.total(|r| r.subscription_actions)),
                failed: count_text(self.total(|r| r.failed_actions)),
                unfunded_api: count_text(unfunded_api),
                unfunded_subscription: count_text(unfunded_sub),
            },
            unfunded_actions: count_text(self.total(|r| r.unfunded_actions)),
            market_short_days: self.market_short_days,
            token_subscriptions_not_bought: self.token_subscriptions_not_bought.to_string(),
            units: a.units,
            assets,
            balances,
            invariants: match &self.invariants {
                Ok(()) => "ok".into(),
                Err(e) => e.to_string(),
            },
            warnings: self.warnings(),
        }
    }

    /// `summary.json`, pretty-printed, with a final newline.
    pub fn summary_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.summary()).expect("summary serializes");
        s.push('\n');
        s
    }

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

fn count(n: Total) -> String {
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

    #[test]
    fn totals_are_exact_past_128_bits() {
        let mut t = Total::ZERO;
        t.add(u128::MAX);
        t.add(u128::MAX);
        t.add(2);
        // 2 * (2^128 - 1) + 2 = 2^129.
        assert_eq!(t.digits(), "680564733841876926926749214863536422912");
        assert_eq!(t.to_u128(), None);
        assert_eq!(t.decimal(18), "680564733841876926926.749214863536422912");
        assert_eq!(
            t.div_rem(2).0.checked_sub(Total::from(u128::MAX)),
            Some(Total::from(1u128))
        );
        assert_eq!(Total::from(5u128).checked_sub(Total::from(6u128)), None);
        assert_eq!(
            Total::product(u128::MAX, u128::MAX).digits(),
            "115792089237316195423570985008687907852589419931798687112530834793049593217025"
        );
        assert_eq!(Total::product(3, 7), Total::from(21u128));
        assert_eq!(Total::from(1_500u128).decimal(3), "1.5");
        assert_eq!(with_point("5", 3), "0.005");
        assert_eq!(with_point("0", 3), "0");
    }

    #[test]
    fn period_cells_follow_the_period_columns() {
        // serde's field names are the CSV's column names, in order.
        let p = PeriodSummary {
            period: 1,
            first_step: 1,
            last_step: 30,
            burned: "0".into(),
            emitted: "0".into(),
            net_supply_change: "0".into(),
            regime: "neutral",
            unfunded_actions: "0".into(),
        };
        let json = serde_json::to_string(&p).unwrap();
        let mut at = 0;
        for k in PERIOD_COLUMNS {
            let found = json[at..]
                .find(&format!("\"{}\":", k.pattern))
                .unwrap_or_else(|| panic!("{} out of order in {json}", k.pattern));
            at += found;
        }
    }
}
