//! The event log: one format for the simulator's `--events` files, `furnace
//! replay`, and the metering service. Versioned, in two encodings:
//!
//! - **binary** (compact): `FNEVLOG\0`, a little-endian `u16` format
//!   version, a `u32` header length and the header as JSON; then one record
//!   per event: a `u32` length and the event in postcard (serde, varints).
//! - **JSON lines** (readable): the header object on the first line, then
//!   one event object per line.
//!
//! The header names every declared asset, account, market, version, plan,
//! revenue rule, buyback program, sale, redemption, reward pool, emission
//! schedule and launch spec by id (the last three were added later: a
//! header without them reads as declaring none). Reading a log
//! against an economy maps the log's ids to the economy's **by name**
//! ([`IdMap`]), so a log stays valid when the file gains declarations, even
//! in the middle of a section; a log naming something the file no longer
//! declares is refused with the name. Ids in the opened-account,
//! launched-token and run-time pool ranges (and those pools' LP assets),
//! launch ids, and position ids (numbered per pool by the log's own
//! `OpenPosition`s), are the log's own and never remapped.

use crate::economy::Economy;
use crate::event::{Event, Order, Payer};
use crate::ids::{AccountId, AssetId, AssetSlot, MarketId, MarketSlot, RewardPoolId};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Write;

pub const MAGIC: &[u8; 8] = b"FNEVLOG\0";
/// Bumped when a change would make old logs read differently.
pub const FORMAT_VERSION: u16 = 1;
/// Bound on one record: an event is at most a trainer path of
/// `MAX_TRAINERS_PER_PATH` (10^5) weights, each under 32 bytes.
pub const MAX_RECORD_BYTES: usize = 4 << 20;

/// What a log was written against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogHeader {
    pub format: String,
    pub version: u16,
    pub economy: String,
    pub assets: Vec<String>,
    pub accounts: Vec<String>,
    pub markets: Vec<String>,
    pub versions: Vec<String>,
    pub plans: Vec<String>,
    pub rules: Vec<String>,
    pub programs: Vec<String>,
    pub sales: Vec<String>,
    pub redemptions: Vec<String>,
    /// Absent from logs written before reward pools existed.
    #[serde(default)]
    pub reward_pools: Vec<String>,
    #[serde(default)]
    pub schedules: Vec<String>,
    /// Absent from logs written before launches existed.
    #[serde(default)]
    pub launch_specs: Vec<String>,
    /// Absent from logs written before points rules existed, and from
    /// headers of economies without any (so their bytes are unchanged).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<String>,
}

impl LogHeader {
    pub fn of(e: &Economy) -> LogHeader {
        fn names<T>(items: &[T], name: impl Fn(&T) -> &String) -> Vec<String> {
            items.iter().map(|i| name(i).clone()).collect()
        }
        LogHeader {
            format: "furnace-events".into(),
            version: FORMAT_VERSION,
            economy: e.name.clone(),
            assets: names(&e.assets, |a| &a.name),
            accounts: names(&e.accounts, |a| &a.name),
            markets: names(&e.markets, |m| &m.name),
            versions: names(&e.versions, |v| &v.name),
            plans: names(&e.plans, |p| &p.name),
            rules: names(&e.rules, |r| &r.name),
            programs: names(&e.buybacks, |b| &b.name),
            sales: names(&e.sales, |s| &s.name),
            redemptions: names(&e.redemptions, |r| &r.name),
            reward_pools: names(&e.reward_pools, |p| &p.name),
            schedules: names(&e.emissions, |s| &s.name),
            launch_specs: names(&e.launches, |s| &s.name),
            points: names(&e.points, |r| &r.name),
        }
    }
}

/// Why a log could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogError(pub String);

impl fmt::Display for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LogError {}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Binary,
    Json,
}

/// Writes events as they are applied. Reuses one buffer: writing does not
/// allocate per event once the buffer has grown to the largest event.
pub struct LogWriter<W: Write> {
    out: W,
    format: LogFormat,
    buf: Vec<u8>,
}

impl<W: Write> LogWriter<W> {
    pub fn new(mut out: W, format: LogFormat, header: &LogHeader) -> std::io::Result<Self> {
        let head = serde_json::to_vec(header)?;
        match format {
            LogFormat::Binary => {
                out.write_all(MAGIC)?;
                out.write_all(&FORMAT_VERSION.to_le_bytes())?;
                out.write_all(&len_u32(head.len())?.to_le_bytes())?;
                out.write_all(&head)?;
            }
            LogFormat::Json => {
                out.write_all(&head)?;
                out.write_all(b"\n")?;
            }
        }
        Ok(LogWriter {
            out,
            format,
            buf: Vec::with_capacity(256),
        })
    }

    pub fn write(&mut self, event: &Event) -> std::io::Result<()> {
        self.buf.clear();
        match self.format {
            LogFormat::Binary => {
                let bytes = postcard::to_extend(event, std::mem::take(&mut self.buf))
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                self.out.write_all(&len_u32(bytes.len())?.to_le_bytes())?;
                self.out.write_all(&bytes)?;
                self.buf = bytes;
            }
            LogFormat::Json => {
                serde_json::to_writer(&mut self.buf, event)?;
                self.buf.push(b'\n');
                self.out.write_all(&self.buf)?;
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

fn len_u32(n: usize) -> std::io::Result<u32> {
    u32::try_from(n).map_err(|_| std::io::Error::other("record too large"))
}

/// Read a whole log (either encoding, told apart by its first bytes).
pub fn read_log(bytes: &[u8]) -> Result<(LogHeader, Vec<Event>), LogError> {
    if bytes.starts_with(MAGIC) {
        read_binary(bytes)
    } else {
        read_json(bytes)
    }
}

fn read_binary(bytes: &[u8]) -> Result<(LogHeader, Vec<Event>), LogError> {
    let mut at = MAGIC.len();
    let take = |at: &mut usize, n: usize| -> Result<&[u8], LogError> {
        let end = at
            .checked_add(n)
            .filter(|e| *e <= bytes.len())
            .ok_or_else(|| LogError(format!("truncated log: {n} bytes expected at offset {at}")))?;
        let s = &bytes[*at..end];
        *at = end;
        Ok(s)
    };
    let version = u16::from_le_bytes(take(&mut at, 2)?.try_into().expect("2 bytes"));
    check_version(version)?;
    let head_len = u32::from_le_bytes(take(&mut at, 4)?.try_into().expect("4 bytes"));
    let head_len = usize::try_from(head_len).map_err(|_| LogError("header too large".into()))?;
    if head_len > MAX_RECORD_BYTES {
        return Err(LogError(format!(
            "header of {head_len} bytes is over the bound"
        )));
    }
    let header: LogHeader = serde_json::from_slice(take(&mut at, head_len)?)
        .map_err(|e| LogError(format!("bad header: {e}")))?;
    let mut events = Vec::new();
    while at < bytes.len() {
        let offset = at;
        // A cut log names the record it ends in.
        let in_record = |e: LogError| LogError(format!("record {}: {}", events.len() + 1, e.0));
        let len = u32::from_le_bytes(
            take(&mut at, 4)
                .map_err(in_record)?
                .try_into()
                .expect("4 bytes"),
        );
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        if len > MAX_RECORD_BYTES {
            return Err(LogError(format!(
                "record {} at offset {offset}: {len} bytes is over the bound",
                events.len() + 1
            )));
        }
        let record = take(&mut at, len).map_err(in_record)?;
        let event = postcard::from_bytes(record).map_err(|e| {
            LogError(format!(
                "record {} at offset {offset}: {e}",
                events.len() + 1
            ))
        })?;
        events.push(event);
    }
    Ok((header, events))
}

fn read_json(bytes: &[u8]) -> Result<(LogHeader, Vec<Event>), LogError> {
    let text = std::str::from_utf8(bytes).map_err(|e| LogError(format!("not UTF-8: {e}")))?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, first) = lines
        .next()
        .ok_or_else(|| LogError("empty log: no header".into()))?;
    let header: LogHeader = serde_json::from_str(first)
        .map_err(|e| LogError(format!("line 1: not a furnace event log header: {e}")))?;
    check_version(header.version)?;
    let mut events = Vec::new();
    for (i, line) in lines {
        let event =
            serde_json::from_str(line).map_err(|e| LogError(format!("line {}: {e}", i + 1)))?;
        events.push(event);
    }
    Ok((header, events))
}

fn check_version(version: u16) -> Result<(), LogError> {
    if version == FORMAT_VERSION {
        Ok(())
    } else {
        Err(LogError(format!(
            "log format version {version}; this build reads version {FORMAT_VERSION}"
        )))
    }
}

/// How a log's declared ids become the economy's: by name, table by table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdMap {
    assets: Vec<u32>,
    accounts: Vec<u32>,
    markets: Vec<u16>,
    versions: Vec<u16>,
    plans: Vec<u16>,
    rules: Vec<u16>,
    programs: Vec<u16>,
    sales: Vec<u16>,
    redemptions: Vec<u16>,
    reward_pools: Vec<u16>,
    schedules: Vec<u16>,
    launch_specs: Vec<u16>,
    points: Vec<u16>,
    identity: bool,
}

impl IdMap {
    /// Map `header`'s names onto `economy`'s ids; an error names every
    /// declaration the log's header lists that the economy lacks (strict on
    /// purpose: a declaration removed from the file is refused even if no
    /// event of this log used it, so a log is never half-understood).
    pub fn new(header: &LogHeader, economy: &Economy) -> Result<IdMap, LogError> {
        let now = LogHeader::of(economy);
        let mut missing = Vec::new();
        fn table<T: TryFrom<usize>>(
            what: &str,
            old: &[String],
            new: &[String],
            missing: &mut Vec<String>,
        ) -> Vec<T> {
            old.iter()
                .map(|name| match new.iter().position(|n| n == name) {
                    Some(i) => T::try_from(i).ok(),
                    None => {
                        missing.push(format!("{what} `{name}`"));
                        None
                    }
                })
                .map(|id| id.unwrap_or_else(|| T::try_from(0).ok().expect("0 fits")))
                .collect()
        }
        let map = IdMap {
            assets: table("token", &header.assets, &now.assets, &mut missing),
            accounts: table("account", &header.accounts, &now.accounts, &mut missing),
            markets: table("market", &header.markets, &now.markets, &mut missing),
            versions: table("version", &header.versions, &now.versions, &mut missing),
            plans: table("plan", &header.plans, &now.plans, &mut missing),
            rules: table("revenue rule", &header.rules, &now.rules, &mut missing),
            programs: table(
                "buyback program",
                &header.programs,
                &now.programs,
                &mut missing,
            ),
            sales: table("sale", &header.sales, &now.sales, &mut missing),
            redemptions: table(
                "redemption",
                &header.redemptions,
                &now.redemptions,
                &mut missing,
            ),
            reward_pools: table(
                "reward pool",
                &header.reward_pools,
                &now.reward_pools,
                &mut missing,
            ),
            schedules: table(
                "emission schedule",
                &header.schedules,
                &now.schedules,
                &mut missing,
            ),
            launch_specs: table(
                "launch spec",
                &header.launch_specs,
                &now.launch_specs,
                &mut missing,
            ),
            points: table("points rules", &header.points, &now.points, &mut missing),
            identity: false,
        };
        if !missing.is_empty() {
            return Err(LogError(format!(
                "the log uses declarations the economy `{}` no longer has: {}",
                economy.name,
                missing.join(", ")
            )));
        }
        let identity = is_prefix(&header.assets, &now.assets)
            && is_prefix(&header.accounts, &now.accounts)
            && is_prefix(&header.markets, &now.markets)
            && is_prefix(&header.versions, &now.versions)
            && is_prefix(&header.plans, &now.plans)
            && is_prefix(&header.rules, &now.rules)
            && is_prefix(&header.programs, &now.programs)
            && is_prefix(&header.sales, &now.sales)
            && is_prefix(&header.redemptions, &now.redemptions)
            && is_prefix(&header.reward_pools, &now.reward_pools)
            && is_prefix(&header.schedules, &now.schedules)
            && is_prefix(&header.launch_specs, &now.launch_specs)
            && is_prefix(&header.points, &now.points);
        Ok(IdMap { identity, ..map })
    }

    /// True when no id moves (declarations were only appended).
    pub fn is_identity(&self) -> bool {
        self.identity
    }

    fn asset(&self, a: AssetId) -> Result<AssetId, LogError> {
        match a.slot() {
            AssetSlot::Declared(i) => {
                self.assets.get(i).map(|n| AssetId(*n)).ok_or_else(|| {
                    LogError(format!("the log refers to undeclared token id {}", a.0))
                })
            }
            AssetSlot::Lp(i) => Ok(AssetId::lp(
                self.market(
                    MarketId::from_index(i)
                        .ok_or_else(|| LogError(format!("LP asset id {} out of range", a.0)))?,
                )?,
            )),
            AssetSlot::Launched(_) => Ok(a),
        }
    }

    fn account(&self, a: AccountId) -> Result<AccountId, LogError> {
        match a.slot() {
            Ok(i) => self.accounts.get(i).map(|n| AccountId(*n)).ok_or_else(|| {
                LogError(format!("the log refers to undeclared account id {}", a.0))
            }),
            Err(_) => Ok(a),
        }
    }

    /// A declared market by name; a run-time pool's id is the log's own.
    fn market(&self, m: MarketId) -> Result<MarketId, LogError> {
        match m.slot() {
            MarketSlot::Declared(_) => small(&self.markets, m.0, "market").map(MarketId),
            MarketSlot::Runtime(_) => Ok(m),
        }
    }

    /// A declared reward pool by name; a run-time pool's id (a graduated
    /// launch's stake pool) is the log's own.
    fn pool(&self, p: RewardPoolId) -> Result<RewardPoolId, LogError> {
        match p.slot() {
            crate::ids::RewardPoolSlot::Declared(_) => {
                small(&self.reward_pools, p.0, "reward pool").map(RewardPoolId)
            }
            crate::ids::RewardPoolSlot::Runtime(_) => Ok(p),
        }
    }

    /// The event with its ids in the economy's numbering.
    pub fn event(&self, event: &Event) -> Result<Event, LogError> {
        if self.identity {
            return Ok(event.clone());
        }
        let mut e = event.clone();
        match &mut e {
            Event::OpenAccount | Event::LaunchToken { .. } | Event::Tick => {}
            Event::SetPrice { token, .. } => *token = self.asset(*token)?,
            Event::Mint { asset, to: a, .. } | Event::Burn { asset, from: a, .. } => {
                *asset = self.asset(*asset)?;
                *a = self.account(*a)?;
            }
            Event::Transfer {
                asset, from, to, ..
            } => {
                *asset = self.asset(*asset)?;
                *from = self.account(*from)?;
                *to = self.account(*to)?;
            }
            Event::Swap {
                market,
                trader,
                sell,
                order: Order::ExactIn { .. } | Order::ExactOut { .. },
            } => {
                *market = self.market(*market)?;
                *trader = self.account(*trader)?;
                *sell = self.asset(*sell)?;
            }
            Event::AddLiquidity {
                market, provider, ..
            }
            | Event::RemoveLiquidity {
                market, provider, ..
            } => {
                *market = self.market(*market)?;
                *provider = self.account(*provider)?;
            }
            Event::PublishWorkflow { creator, .. } => *creator = self.account(*creator)?,
            Event::RegisterTrainerPath { trainers } => {
                for t in trainers {
                    t.trainer = self.account(t.trainer)?;
                }
            }
            Event::Actions { payer, version, .. } => {
                version.0 = small(&self.versions, version.0, "version")?;
                if let Payer::Account(a) = payer {
                    *a = self.account(*a)?;
                }
            }
            Event::Subscribe {
                subscriber, plan, ..
            } => {
                *subscriber = self.account(*subscriber)?;
                plan.0 = small(&self.plans, plan.0, "plan")?;
            }
            Event::ExpireSubscription { .. } => {}
            Event::Buyback { program, .. } => {
                program.0 = small(&self.programs, program.0, "buyback program")?
            }
            Event::Revenue { rule, .. } => rule.0 = small(&self.rules, rule.0, "revenue rule")?,
            Event::Purchase { sale, buyer, .. } => {
                sale.0 = small(&self.sales, sale.0, "sale")?;
                *buyer = self.account(*buyer)?;
            }
            Event::Redeem {
                redemption, holder, ..
            } => {
                redemption.0 = small(&self.redemptions, redemption.0, "redemption")?;
                *holder = self.account(*holder)?;
            }
            Event::OpenPosition { pool, owner: a, .. }
            | Event::FundRewardPool { pool, from: a, .. } => {
                *pool = self.pool(*pool)?;
                *a = self.account(*a)?;
            }
            Event::SetWeight { pool, .. }
            | Event::AddToPosition { pool, .. }
            | Event::Withdraw { pool, .. }
            | Event::Claim { pool, .. }
            | Event::EndLock { pool, .. } => *pool = self.pool(*pool)?,
            Event::Emit { schedule } => {
                schedule.0 = small(&self.schedules, schedule.0, "emission schedule")?
            }
            Event::CreatePool { assets, .. } => {
                for a in assets {
                    *a = self.asset(*a)?;
                }
            }
            Event::CreateLaunch { spec, issuer } => {
                spec.0 = small(&self.launch_specs, spec.0, "launch spec")?;
                *issuer = self.account(*issuer)?;
            }
            Event::BuyOnCurve { buyer: a, .. }
            | Event::SellOnCurve { seller: a, .. }
            | Event::LaunchUsage { payer: a, .. } => *a = self.account(*a)?,
            Event::GraduateLaunch { .. } | Event::FailLaunch { .. } => {}
            Event::RebalanceStakeCaps { pool } | Event::RegisterPooledPath { pool } => {
                *pool = self.pool(*pool)?
            }
            Event::EarnPoints { rules, account, .. } => {
                rules.0 = small(&self.points, rules.0, "points rules")?;
                *account = self.account(*account)?;
            }
            Event::Refer {
                rules,
                referrer,
                referee,
            } => {
                rules.0 = small(&self.points, rules.0, "points rules")?;
                *referrer = self.account(*referrer)?;
                *referee = self.account(*referee)?;
            }
            Event::QualifyReferral { rules, referee } => {
                rules.0 = small(&self.points, rules.0, "points rules")?;
                *referee = self.account(*referee)?;
            }
        }
        Ok(e)
    }
}

fn small(table: &[u16], id: u16, what: &str) -> Result<u16, LogError> {
    table
        .get(usize::from(id))
        .copied()
        .ok_or_else(|| LogError(format!("the log refers to undeclared {what} id {id}")))
}

fn is_prefix(old: &[String], new: &[String]) -> bool {
    old.len() <= new.len() && old.iter().zip(new).all(|(a, b)| a == b)
}
