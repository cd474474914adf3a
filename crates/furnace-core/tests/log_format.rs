//! The event log format: every event variant round-trips through
//! `log::LogWriter` / `log::read_log` in both encodings; golden bytes pin
//! the binary encoding; `IdMap` maps a log's ids to an economy's by name;
//! corrupt logs are refused with the record or line that is wrong.

mod common;

use common::*;
use furnace_core::event::{BurnReason, MintReason, Order, TrainerWeight};
use furnace_core::ids::{
    LaunchId, LaunchSpecId, PathId, PositionId, RedemptionId, RewardPoolId, RuleId, SaleId,
    ScheduleId, SubscriptionId, WorkflowId,
};
use furnace_core::log::{read_log, IdMap, LogFormat, LogHeader, LogWriter, FORMAT_VERSION, MAGIC};
use furnace_core::{
    apply, AccountId, AssetId, Event, MarketId, Payer, Payment, PlanId, ProgramId, State, VersionId,
};

/// The position of `ev`'s variant in `Event`, which is what the binary
/// encoding writes. The match has no wildcard: a new variant does not
/// compile until it is added here and to [`every_variant`].
fn variant_index(ev: &Event) -> usize {
    match ev {
        Event::OpenAccount => 0,
        Event::LaunchToken { .. } => 1,
        Event::SetPrice { .. } => 2,
        Event::Tick => 3,
        Event::Mint { .. } => 4,
        Event::Burn { .. } => 5,
        Event::Transfer { .. } => 6,
        Event::Swap { .. } => 7,
        Event::AddLiquidity { .. } => 8,
        Event::RemoveLiquidity { .. } => 9,
        Event::PublishWorkflow { .. } => 10,
        Event::RegisterTrainerPath { .. } => 11,
        Event::Actions { .. } => 12,
        Event::Subscribe { .. } => 13,
        Event::ExpireSubscription { .. } => 14,
        Event::Buyback { .. } => 15,
        Event::Revenue { .. } => 16,
        Event::Purchase { .. } => 17,
        Event::Redeem { .. } => 18,
        Event::OpenPosition { .. } => 19,
        Event::SetWeight { .. } => 20,
        Event::AddToPosition { .. } => 21,
        Event::Withdraw { .. } => 22,
        Event::Claim { .. } => 23,
        Event::FundRewardPool { .. } => 24,
        Event::Emit { .. } => 25,
        Event::CreatePool { .. } => 26,
        Event::CreateLaunch { .. } => 27,
        Event::BuyOnCurve { .. } => 28,
        Event::SellOnCurve { .. } => 29,
        Event::GraduateLaunch { .. } => 30,
        Event::FailLaunch { .. } => 31,
        Event::RebalanceStakeCaps { .. } => 32,
        Event::RegisterPooledPath { .. } => 33,
        Event::EndLock { .. } => 34,
        Event::EarnPoints { .. } => 35,
        Event::Refer { .. } => 36,
        Event::QualifyReferral { .. } => 37,
        Event::LaunchUsage { .. } => 38,
    }
}

const VARIANTS: usize = 39;

/// At least one event of every variant (and of every payer, payment and
/// order kind), with values at the edges of their types.
fn every_variant() -> Vec<Event> {
    let opened = AccountId::opened(3).unwrap();
    vec![
        Event::OpenAccount,
        Event::LaunchToken {
            decimals: 18,
            max_supply: Some(u128::MAX),
        },
        Event::LaunchToken {
            decimals: 0,
            max_supply: None,
        },
        Event::SetPrice {
            token: AssetId(1),
            price_usd_pico: 10 * CENT,
        },
        Event::Tick,
        Event::Mint {
            asset: AssetId::launched(2).unwrap(),
            to: opened,
            amount_base_units: u128::MAX,
            reason: MintReason::Staking,
        },
        Event::Burn {
            asset: AssetId(1),
            from: AccountId(1),
            amount_base_units: 1,
            reason: BurnReason::FailedAction,
        },
        Event::Transfer {
            asset: AssetId::lp(MarketId(0)),
            from: AccountId(10),
            to: opened,
            amount_base_units: 12_345,
        },
        Event::Swap {
            market: MarketId(0),
            trader: opened,
            sell: AssetId(0),
            order: Order::ExactIn {
                amount_in: 10 * USD,
                min_out: 0,
            },
        },
        Event::Swap {
            market: MarketId(1),
            trader: opened,
            sell: AssetId(1),
            order: Order::ExactOut {
                amount_out: USD,
                max_in: u128::MAX,
            },
        },
        Event::AddLiquidity {
            market: MarketId(0),
            provider: opened,
            amounts: [T, USD],
            min_shares: 7,
        },
        Event::RemoveLiquidity {
            market: MarketId(0),
            provider: opened,
            shares: 1_000,
            min_amounts: [1, 2],
        },
        Event::PublishWorkflow {
            creator: opened,
            epoch: u32::MAX,
        },
        Event::RegisterTrainerPath { trainers: vec![] },
        Event::RegisterTrainerPath {
            trainers: vec![
                TrainerWeight {
                    trainer: opened,
                    quality: 90,
                    usage: u64::MAX,
                },
                TrainerWeight {
                    trainer: AccountId(2),
                    quality: 0,
                    usage: 1,
                },
            ],
        },
        Event::Actions {
            payer: Payer::Account(opened),
            version: VersionId(0),
            count: 1,
            workflow: Some(WorkflowId(4)),
            path: Some(PathId(2)),
        },
        Event::Actions {
            payer: Payer::Subscription(SubscriptionId(9)),
            version: VersionId(0),
            count: u64::MAX,
            workflow: None,
            path: None,
        },
        Event::Subscribe {
            subscriber: opened,
            plan: PlanId(0),
            payment: Payment::Token,
        },
        Event::Subscribe {
            subscriber: AccountId(1),
            plan: PlanId(0),
            payment: Payment::Numeraire,
        },
        Event::ExpireSubscription {
            subscription: SubscriptionId(0),
        },
        Event::Buyback {
            program: ProgramId(0),
            amount_base_units: 800 * USD,
        },
        Event::Revenue {
            rule: RuleId(0),
            amount_base_units: 1,
        },
        Event::Purchase {
            sale: SaleId(0),
            buyer: opened,
            amount_base_units: 1_197_000_000,
        },
        Event::Redeem {
            redemption: RedemptionId(0),
            holder: opened,
            amount_base_units: 197_000_000,
        },
        Event::OpenPosition {
            pool: RewardPoolId(0),
            owner: opened,
            amount_base_units: T,
            lock_steps: 365,
        },
        Event::OpenPosition {
            pool: RewardPoolId(1),
            owner: AccountId(2),
            amount_base_units: 0,
            lock_steps: 0,
        },
        Event::SetWeight {
            pool: RewardPoolId(1),
            position: PositionId(7),
            weight: u128::MAX,
        },
        Event::AddToPosition {
            pool: RewardPoolId(0),
            position: PositionId(0),
            amount_base_units: 5,
        },
        Event::Withdraw {
            pool: RewardPoolId(0),
            position: PositionId(u32::MAX),
            amount_base_units: u128::MAX,
        },
        Event::Claim {
            pool: RewardPoolId(0),
            position: PositionId(3),
        },
        Event::FundRewardPool {
            pool: RewardPoolId(0),
            from: AccountId(1),
            amount_base_units: 1_000 * T,
        },
        Event::Emit {
            schedule: ScheduleId(0),
        },
        Event::CreatePool {
            assets: [AssetId::launched(0).unwrap(), AssetId(1)],
            fee_ppm: 999_999,
        },
        Event::CreateLaunch {
            spec: LaunchSpecId(0),
            issuer: opened,
        },
        Event::BuyOnCurve {
            launch: LaunchId(u32::MAX),
            buyer: opened,
            quote_in: u128::MAX,
            min_tokens_out: 0,
        },
        Event::SellOnCurve {
            launch: LaunchId(0),
            seller: AccountId(1),
            tokens_in: T,
        },
        Event::GraduateLaunch {
            launch: LaunchId(1),
        },
        Event::FailLaunch {
            launch: LaunchId(2),
        },
        Event::RebalanceStakeCaps {
            pool: RewardPoolId(0),
        },
        Event::RegisterPooledPath {
            pool: RewardPoolId(1),
        },
        Event::EndLock {
            pool: RewardPoolId(0),
            position: PositionId(u32::MAX),
        },
        Event::EarnPoints {
            rules: furnace_core::ids::PointsRulesId(0),
            account: opened,
            base: u64::MAX,
            mode: u8::MAX,
            bounty: Some(furnace_core::event::BountyClaim {
                tier: 3,
                multiplier_ppm: u32::MAX,
            }),
        },
        Event::Refer {
            rules: furnace_core::ids::PointsRulesId(0),
            referrer: AccountId(0),
            referee: opened,
        },
        Event::QualifyReferral {
            rules: furnace_core::ids::PointsRulesId(0),
            referee: opened,
        },
        Event::LaunchUsage {
            launch: LaunchId(7),
            payer: AccountId(1),
            calls: u64::MAX,
        },
    ]
}

fn write_log(format: LogFormat, header: &LogHeader, events: &[Event]) -> Vec<u8> {
    let mut w = LogWriter::new(Vec::new(), format, header).unwrap();
    for ev in events {
        w.write(ev).unwrap();
    }
    w.finish().unwrap()
}

/// The binary records after the header: `MAGIC`, a `u16` version, a `u32`
/// header length, the header.
fn records(bytes: &[u8]) -> &[u8] {
    assert_eq!(&bytes[..8], MAGIC);
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), FORMAT_VERSION);
    let len = u32::from_le_bytes(bytes[10..14].try_into().unwrap()) as usize;
    &bytes[14 + len..]
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_variant_round_trips_in_both_encodings() {
    let events = every_variant();
    let mut seen = [false; VARIANTS];
    for ev in &events {
        seen[variant_index(ev)] = true;
    }
    assert!(
        seen.iter().all(|s| *s),
        "every_variant() misses a variant: {seen:?}"
    );
    let header = LogHeader::of(&lam());
    for format in [LogFormat::Binary, LogFormat::Json] {
        let bytes = write_log(format, &header, &events);
        let (h, read) = read_log(&bytes).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!(h, header, "{format:?}");
        assert_eq!(read, events, "{format:?}");
        // An empty log (header only) reads as no events.
        let empty = write_log(format, &header, &[]);
        assert_eq!(read_log(&empty).unwrap(), (header.clone(), vec![]));
    }
}

/// Golden bytes of the binary encoding. The binary form (postcard) numbers
/// variants by position and writes integers as LEB128 varints, so
/// reordering `Event`'s variants or fields, or changing a field's type,
/// changes these bytes and fails this test: events may only be added at the
/// end (see event.rs). The literals were generated once from the encoder
/// and checked by hand against the format:
///
/// - `OpenAccount`: a 1-byte record `00` (variant 0), framed by its `u32`
///   little-endian length `01000000`.
/// - `SetPrice { token: 1, price_usd_pico: 10^11 }`: variant `02`, token
///   `01`, 10^11 as a varint `80 d0 db c3 f4 02` (10^11 = 0x17_4876_e800,
///   7 bits at a time from the low end, the high bit set on all but the
///   last byte: 0x00, 0x50, 0x5b, 0x43, 0x74, 0x02).
/// - `Tick`: `03`.
/// - `Transfer { asset: 1, from: 0, to: opened #0 = 2^31, amount: 300 }`:
///   `06 01 00`, 2^31 as `80 80 80 80 08`, 300 as `ac 02`.
/// - `Swap { market: 0, trader: 5, sell: 0, ExactOut { 1, 2 } }`:
///   `07 00 05 00`, order variant `01`, `01 02`.
/// - `Actions { Subscription(3), version 0, count 150000, None, Some(1) }`:
///   `0c`, payer variant `01` `03`, `00`, 150000 = `f0 93 09`, `00`, `01 01`.
#[test]
fn golden_binary_bytes() {
    let events = [
        Event::OpenAccount,
        Event::SetPrice {
            token: AssetId(1),
            price_usd_pico: 10 * CENT,
        },
        Event::Tick,
        Event::Transfer {
            asset: AssetId(1),
            from: AccountId(0),
            to: AccountId::opened(0).unwrap(),
            amount_base_units: 300,
        },
        Event::Swap {
            market: MarketId(0),
            trader: AccountId(5),
            sell: AssetId(0),
            order: Order::ExactOut {
                amount_out: 1,
                max_in: 2,
            },
        },
        Event::Actions {
            payer: Payer::Subscription(SubscriptionId(3)),
            version: VersionId(0),
            count: 150_000,
            workflow: None,
            path: Some(PathId(1)),
        },
    ];
    let bytes = write_log(LogFormat::Binary, &LogHeader::of(&lam()), &events);
    assert_eq!(
        hex(records(&bytes)),
        concat!(
            "01000000",
            "00",
            "08000000",
            "02",
            "01",
            "80d0dbc3f402",
            "01000000",
            "03",
            "0a000000",
            "06",
            "01",
            "00",
            "8080808008",
            "ac02",
            "07000000",
            "07",
            "00",
            "05",
            "00",
            "01",
            "01",
            "02",
            "0a000000",
            "0c",
            "01",
            "03",
            "00",
            "f09309",
            "00",
            "0101",
        )
    );
}

/// One event of each reward and emission variant, with small ids and
/// amounts, for the golden tests of both encodings.
fn reward_events() -> [Event; 7] {
    [
        Event::OpenPosition {
            pool: RewardPoolId(0),
            owner: AccountId::opened(0).unwrap(),
            amount_base_units: 300,
            lock_steps: 30,
        },
        Event::SetWeight {
            pool: RewardPoolId(1),
            position: PositionId(2),
            weight: 1_000,
        },
        Event::AddToPosition {
            pool: RewardPoolId(0),
            position: PositionId(0),
            amount_base_units: 1,
        },
        Event::Withdraw {
            pool: RewardPoolId(0),
            position: PositionId(1),
            amount_base_units: 128,
        },
        Event::Claim {
            pool: RewardPoolId(0),
            position: PositionId(1),
        },
        Event::FundRewardPool {
            pool: RewardPoolId(0),
            from: AccountId(3),
            amount_base_units: 5,
        },
        Event::Emit {
            schedule: ScheduleId(2),
        },
    ]
}

/// Golden bytes of the reward and emission events (variants 19 to 25,
/// appended after `Redeem`), checked by hand like the others: each record
/// is its `u32` length, the variant index, then the fields in order, every
/// integer a varint (ids included: `u16` and `u32` are varints too).
///
/// - `OpenPosition { pool 0, owner opened #0 = 2^31, amount 300, lock 30 }`:
///   `13 00`, `80 80 80 80 08`, 300 = `ac 02`, 30 = `1e` (10 bytes).
/// - `SetWeight { pool 1, position 2, weight 1000 }`: `14 01 02`, 1000 =
///   `e8 07`.
/// - `AddToPosition { 0, 0, 1 }`: `15 00 00 01`.
/// - `Withdraw { 0, 1, 128 }`: `16 00 01`, 128 = `80 01`.
/// - `Claim { 0, 1 }`: `17 00 01`.
/// - `FundRewardPool { pool 0, from 3, amount 5 }`: `18 00 03 05`.
/// - `Emit { schedule 2 }`: `19 02`.
#[test]
fn golden_binary_bytes_of_reward_events() {
    let events = reward_events();
    let bytes = write_log(LogFormat::Binary, &LogHeader::of(&lam()), &events);
    assert_eq!(
        hex(records(&bytes)),
        concat!(
            "0a000000",
            "13",
            "00",
            "8080808008",
            "ac02",
            "1e",
            "05000000",
            "14",
            "01",
            "02",
            "e807",
            "04000000",
            "15",
            "00",
            "00",
            "01",
            "05000000",
            "16",
            "00",
            "01",
            "8001",
            "03000000",
            "17",
            "00",
            "01",
            "04000000",
            "18",
            "00",
            "03",
            "05",
            "02000000",
            "19",
            "02",
        )
    );
    let (_, read) = read_log(&bytes).unwrap();
    assert_eq!(read, events);
}

/// The JSON-lines encoding, pinned likewise (externally tagged, snake_case).
#[test]
fn golden_json_lines() {
    let header = LogHeader::of(&lam());
    let events = [
        Event::Tick,
        Event::Mint {
            asset: AssetId(0),
            to: AccountId(8),
            amount_base_units: 800 * USD,
            reason: MintReason::ExternalInflow,
        },
        Event::Swap {
            market: MarketId(1),
            trader: AccountId::opened(0).unwrap(),
            sell: AssetId(0),
            order: Order::ExactIn {
                amount_in: 5,
                min_out: 0,
            },
        },
    ];
    let bytes = write_log(LogFormat::Json, &header, &events);
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with(r#"{"format":"furnace-events","version":1,"economy":"LAM","assets":["USD","LAM"],"accounts":["market","#));
    assert_eq!(
        &lines[1..],
        [
            r#""tick""#,
            r#"{"mint":{"asset":0,"to":8,"amount_base_units":800000000,"reason":"external_inflow"}}"#,
            r#"{"swap":{"market":1,"trader":2147483648,"sell":0,"order":{"exact_in":{"amount_in":5,"min_out":0}}}}"#,
        ]
    );
}

/// The reward and emission events in JSON lines, and the header's two
/// newer tables: present (empty) when written, optional when read, so a
/// header written before reward pools existed still reads.
#[test]
fn golden_json_lines_of_reward_events() {
    let header = LogHeader::of(&lam());
    let events = reward_events();
    let bytes = write_log(LogFormat::Json, &header, &events);
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].ends_with(r#""reward_pools":[],"schedules":[],"launch_specs":[]}"#),
        "{}",
        lines[0]
    );
    assert_eq!(
        &lines[1..],
        [
            r#"{"open_position":{"pool":0,"owner":2147483648,"amount_base_units":300,"lock_steps":30}}"#,
            r#"{"set_weight":{"pool":1,"position":2,"weight":1000}}"#,
            r#"{"add_to_position":{"pool":0,"position":0,"amount_base_units":1}}"#,
            r#"{"withdraw":{"pool":0,"position":1,"amount_base_units":128}}"#,
            r#"{"claim":{"pool":0,"position":1}}"#,
            r#"{"fund_reward_pool":{"pool":0,"from":3,"amount_base_units":5}}"#,
            r#"{"emit":{"schedule":2}}"#,
        ]
    );
    let old_header = lines[0].replace(r#","reward_pools":[],"schedules":[],"launch_specs":[]"#, "");
    let old = format!("{old_header}\n{}\n", lines[7]);
    let (h, read) = read_log(old.as_bytes()).unwrap();
    assert_eq!(h, header);
    assert_eq!(read, events[6..]);
}

// ---------------------------------------------------------------------------
// Ids by name

/// Events naming declared accounts, applied to LAM: a transfer from the
/// community to an opened account, a subscription paid in USD (its revenue
/// rule credits buyback_budget and operator_revenue), a buyback into fuel,
/// and a transfer between named accounts.
fn named_events() -> Vec<Event> {
    let e = lam();
    let a = |n| acct(&e, n);
    vec![
        Event::SetPrice {
            token: AssetId(1),
            price_usd_pico: CENT,
        },
        Event::OpenAccount,
        Event::Transfer {
            asset: AssetId(1),
            from: a("community"),
            to: AccountId::opened(0).unwrap(),
            amount_base_units: 1_000 * T,
        },
        Event::Subscribe {
            subscriber: AccountId::opened(0).unwrap(),
            plan: PlanId(0),
            payment: Payment::Numeraire,
        },
        Event::Buyback {
            program: ProgramId(0),
            amount_base_units: 500 * USD,
        },
        Event::Transfer {
            asset: AssetId(1),
            from: a("fuel"),
            to: a("ecosystem"),
            amount_base_units: 7 * T,
        },
        Event::Swap {
            market: MarketId(0),
            trader: AccountId::opened(0).unwrap(),
            sell: AssetId(1),
            order: Order::ExactIn {
                amount_in: 100 * T,
                min_out: 0,
            },
        },
        Event::Transfer {
            asset: AssetId::lp(MarketId(0)),
            from: a("liquidity"),
            to: a("unallocated"),
            amount_base_units: 5,
        },
    ]
}

/// Every named account's balances, by name.
fn by_name(e: &furnace_core::Economy, s: &State) -> Vec<(String, Vec<(AssetId, u128)>)> {
    let mut out: Vec<_> = (0..e.accounts.len())
        .map(|i| {
            let id = AccountId(i as u32);
            (e.account_name(id), s.holdings_of(id).collect::<Vec<_>>())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn id_map_remaps_by_name_when_an_account_is_inserted() {
    let a = lam();
    let header = LogHeader::of(&a);
    let events = named_events();
    let bytes = write_log(LogFormat::Binary, &header, &events);

    // Economy B: A with an account inserted at position 1, so every account
    // from `community` on moves up by one.
    let mut names: Vec<&str> = LAM_ACCOUNTS.to_vec();
    names.insert(1, "newcomer");
    let b = valid(lam_spec_with_accounts(&names));
    assert_eq!(acct(&a, "community"), AccountId(1));
    assert_eq!(acct(&b, "community"), AccountId(2));

    let (h, logged) = read_log(&bytes).unwrap();
    let map = IdMap::new(&h, &b).unwrap();
    assert!(!map.is_identity());
    let mapped: Vec<Event> = logged.iter().map(|ev| map.event(ev).unwrap()).collect();
    // The ids moved to the same names.
    assert_eq!(
        mapped[2],
        Event::Transfer {
            asset: AssetId(1),
            from: AccountId(2),
            to: AccountId::opened(0).unwrap(),
            amount_base_units: 1_000 * T,
        }
    );
    assert_eq!(
        mapped[5],
        Event::Transfer {
            asset: AssetId(1),
            from: acct(&b, "fuel"),
            to: acct(&b, "ecosystem"),
            amount_base_units: 7 * T,
        }
    );
    assert_eq!(
        (acct(&b, "fuel"), acct(&b, "ecosystem")),
        (AccountId(8), AccountId(3))
    );
    // Applying the log to A, and the remapped log to B, gives every named
    // account the same balances (the newcomer none).
    let mut sa = State::genesis(&a);
    let mut sb = State::genesis(&b);
    for (ev, mapped) in logged.iter().zip(&mapped) {
        apply(&a, &mut sa, ev).unwrap_or_else(|r| panic!("A: {ev:?}: {r}"));
        apply(&b, &mut sb, mapped).unwrap_or_else(|r| panic!("B: {mapped:?}: {r}"));
    }
    assert_eq!(sb.holdings_of(acct(&b, "newcomer")).count(), 0);
    let mut in_b = by_name(&b, &sb);
    in_b.retain(|(n, _)| n != "newcomer");
    assert_eq!(by_name(&a, &sa), in_b);
    assert_eq!(sa.balance(AssetId(1), acct(&a, "fuel")), 50_000 * T - 7 * T);
    assert_eq!(sb.balance(AssetId(1), acct(&b, "fuel")), 50_000 * T - 7 * T);

    // Every variant maps; ids of declared accounts from 1 on move up by one
    // (0, `market`, stays), everything else stays.
    let shift = |a: AccountId| match a.slot() {
        Ok(i) if i >= 1 => AccountId(a.0 + 1),
        _ => a,
    };
    for ev in every_variant() {
        // LAM has no sale, redemption, reward pool, emission schedule or
        // launch spec: an event naming one is refused.
        if let Event::Purchase { .. }
        | Event::Redeem { .. }
        | Event::OpenPosition { .. }
        | Event::SetWeight { .. }
        | Event::AddToPosition { .. }
        | Event::Withdraw { .. }
        | Event::Claim { .. }
        | Event::FundRewardPool { .. }
        | Event::Emit { .. }
        | Event::CreateLaunch { .. }
        | Event::RebalanceStakeCaps { .. }
        | Event::RegisterPooledPath { .. }
        | Event::EndLock { .. }
        | Event::EarnPoints { .. }
        | Event::Refer { .. }
        | Event::QualifyReferral { .. } = ev
        {
            let err = map.event(&ev).unwrap_err().to_string();
            assert!(
                err.contains("undeclared points rules id 0")
                    || err.contains("undeclared sale id 0")
                    || err.contains("undeclared redemption id 0")
                    || err.contains("undeclared reward pool id")
                    || err.contains("undeclared emission schedule id 0")
                    || err.contains("undeclared launch spec id 0"),
                "{err}"
            );
            continue;
        }
        let there = map.event(&ev).unwrap_or_else(|err| panic!("{ev:?}: {err}"));
        let expected = match ev.clone() {
            Event::Burn {
                asset,
                from,
                amount_base_units,
                reason,
            } => Event::Burn {
                asset,
                from: shift(from),
                amount_base_units,
                reason,
            },
            Event::Transfer {
                asset,
                from,
                to,
                amount_base_units,
            } => Event::Transfer {
                asset,
                from: shift(from),
                to: shift(to),
                amount_base_units,
            },
            Event::Subscribe {
                subscriber,
                plan,
                payment,
            } => Event::Subscribe {
                subscriber: shift(subscriber),
                plan,
                payment,
            },
            Event::RegisterTrainerPath { trainers } => Event::RegisterTrainerPath {
                trainers: trainers
                    .into_iter()
                    .map(|t| TrainerWeight {
                        trainer: shift(t.trainer),
                        ..t
                    })
                    .collect(),
            },
            Event::SellOnCurve {
                launch,
                seller,
                tokens_in,
            } => Event::SellOnCurve {
                launch,
                seller: shift(seller),
                tokens_in,
            },
            Event::LaunchUsage {
                launch,
                payer,
                calls,
            } => Event::LaunchUsage {
                launch,
                payer: shift(payer),
                calls,
            },
            // The rest name only opened accounts, launched tokens, launches
            // or tables that did not change.
            other => other,
        };
        assert_eq!(there, expected);
    }
    // A trainer on `community` (1 in A) is on 2 in B; opened accounts and
    // launched tokens are the log's own and never move.
    let path = Event::RegisterTrainerPath {
        trainers: vec![
            TrainerWeight {
                trainer: AccountId(1),
                quality: 1,
                usage: 1,
            },
            TrainerWeight {
                trainer: AccountId::opened(0).unwrap(),
                quality: 1,
                usage: 1,
            },
        ],
    };
    let Event::RegisterTrainerPath { trainers } = map.event(&path).unwrap() else {
        unreachable!()
    };
    assert_eq!(
        trainers.iter().map(|t| t.trainer).collect::<Vec<_>>(),
        [AccountId(2), AccountId::opened(0).unwrap()]
    );

    // Only appended: the identity.
    let mut appended: Vec<&str> = LAM_ACCOUNTS.to_vec();
    appended.push("newcomer");
    let c = valid(lam_spec_with_accounts(&appended));
    let map = IdMap::new(&h, &c).unwrap();
    assert!(map.is_identity());
    for ev in &logged {
        assert_eq!(&map.event(ev).unwrap(), ev);
    }
    assert!(IdMap::new(&h, &a).unwrap().is_identity());
}

/// Reward pools and emission schedules are renamed by name too: economy B
/// declares one more pool and one more schedule before A's, and one more
/// account; A's log, remapped, gives B's pools the same books.
#[test]
fn id_map_remaps_reward_pools_and_schedules_by_name() {
    use furnace_core::economy::{
        Destination, EmissionChannel, EmissionCurve, EmissionSchedule, EmissionSource, PoolWeight,
    };
    let vest = |e: &furnace_core::Economy, name: &str| EmissionSchedule {
        name: name.into(),
        token: AssetId(1),
        source: EmissionSource::Account(acct(e, "community")),
        channels: vec![EmissionChannel {
            name: "stakers".into(),
            to: Destination::RewardPool(e.reward_pool_by_name("stakers").unwrap()),
            share: furnace_core::units::Ppm::ONE,
        }],
        curve: EmissionCurve::Linear {
            total: 1_000 * T,
            epochs: 10,
        },
        cap: None,
        already_emitted: 0,
        epoch_steps: 1,
    };
    let mut a = lam_rewards_spec();
    a.emissions = vec![vest(&a, "vest")];
    let a = valid(a);
    let mut names: Vec<&str> = LAM_ACCOUNTS.to_vec();
    names.insert(1, "newcomer");
    let mut b = lam_rewards_spec_with_accounts(&names);
    let boosters = lam_pool(&b, "boosters", AssetId(1), PoolWeight::Points);
    b.reward_pools.insert(0, boosters);
    b.emissions = vec![vest(&b, "other"), vest(&b, "vest")];
    let b = valid(b);
    let (community, ecosystem) = (acct(&a, "community"), acct(&a, "ecosystem"));
    let me = AccountId::opened(0).unwrap();
    let events = vec![
        Event::OpenAccount,
        Event::Transfer {
            asset: AssetId(1),
            from: community,
            to: me,
            amount_base_units: 1_000 * T,
        },
        Event::OpenPosition {
            pool: STAKERS,
            owner: me,
            amount_base_units: 1_000 * T,
            lock_steps: 0,
        },
        Event::OpenPosition {
            pool: VOTERS,
            owner: ecosystem,
            amount_base_units: 0,
            lock_steps: 0,
        },
        Event::SetWeight {
            pool: VOTERS,
            position: PositionId(0),
            weight: 5,
        },
        Event::FundRewardPool {
            pool: STAKERS,
            from: community,
            amount_base_units: 64 * T,
        },
        Event::FundRewardPool {
            pool: VOTERS,
            from: community,
            amount_base_units: 10 * T,
        },
        Event::Emit {
            schedule: ScheduleId(0),
        },
        Event::Claim {
            pool: STAKERS,
            position: PositionId(0),
        },
        Event::Claim {
            pool: VOTERS,
            position: PositionId(0),
        },
        Event::Tick,
        Event::Withdraw {
            pool: STAKERS,
            position: PositionId(0),
            amount_base_units: 500 * T,
        },
    ];
    let bytes = write_log(LogFormat::Binary, &LogHeader::of(&a), &events);
    let (h, logged) = read_log(&bytes).unwrap();
    assert_eq!(
        h.reward_pools,
        ["stakers", "voters", "lp_miners", "fee_share"]
    );
    assert_eq!(h.schedules, ["vest"]);
    let map = IdMap::new(&h, &b).unwrap();
    assert!(!map.is_identity());
    let mapped: Vec<Event> = logged.iter().map(|ev| map.event(ev).unwrap()).collect();
    assert_eq!(
        mapped[3],
        Event::OpenPosition {
            pool: RewardPoolId(2),
            owner: acct(&b, "ecosystem"),
            amount_base_units: 0,
            lock_steps: 0,
        }
    );
    assert_eq!(
        mapped[5],
        Event::FundRewardPool {
            pool: RewardPoolId(1),
            from: acct(&b, "community"),
            amount_base_units: 64 * T,
        }
    );
    assert_eq!(
        mapped[7],
        Event::Emit {
            schedule: ScheduleId(1),
        }
    );
    let mut sa = State::genesis(&a);
    let mut sb = State::genesis(&b);
    for (ev, mapped) in logged.iter().zip(&mapped) {
        apply(&a, &mut sa, ev).unwrap_or_else(|r| panic!("A: {ev:?}: {r}"));
        apply(&b, &mut sb, mapped).unwrap_or_else(|r| panic!("B: {mapped:?}: {r}"));
    }
    let mut in_b = by_name(&b, &sb);
    in_b.retain(|(n, _)| n != "newcomer");
    assert_eq!(by_name(&a, &sa), in_b);
    assert_eq!(
        sa.holdings_of(me).collect::<Vec<_>>(),
        sb.holdings_of(me).collect::<Vec<_>>()
    );
    for (i, pool) in a.reward_pools.iter().enumerate() {
        let there = b.reward_pool_by_name(&pool.name).unwrap();
        let (pa, pb) = (
            sa.reward_pool(RewardPoolId(i as u16)).unwrap(),
            sb.reward_pool(there).unwrap(),
        );
        assert_eq!(pa.totals(), pb.totals(), "{}", pool.name);
        assert_eq!(pa.positions().len(), pb.positions().len());
    }
    assert_eq!(sa.schedule(ScheduleId(0)), sb.schedule(ScheduleId(1)));
    // A log naming a pool the economy lost is refused with its name.
    let mut c = lam_rewards_spec();
    c.reward_pools.truncate(3);
    let err = IdMap::new(&h, &valid(c)).unwrap_err().to_string();
    assert!(err.contains("reward pool `fee_share`"), "{err}");
    assert!(err.contains("emission schedule `vest`"), "{err}");
}

#[test]
fn id_map_names_what_the_economy_no_longer_declares() {
    let header = LogHeader::of(&lam());
    // Without `operator_revenue` (its revenue part now goes to the budget)
    // and without the `otc` market (the buyback buys on the pool).
    let mut spec = lam_spec();
    let removed = acct(&spec, "operator_revenue");
    assert_eq!(removed, AccountId(9));
    spec.accounts.remove(9);
    // `liquidity` moved from 10 to 9.
    if let furnace_core::economy::MarketKind::Pool { lp_to, .. } = &mut spec.markets[0].kind {
        *lp_to = AccountId(9);
    }
    spec.rules[0].parts.truncate(1);
    spec.rules[0].parts[0].share = furnace_core::units::Ppm::ONE;
    spec.markets.truncate(1);
    spec.buybacks[0].venues[0].market = MarketId(0);
    let e = valid(spec);
    let err = IdMap::new(&header, &e).unwrap_err().to_string();
    assert!(err.contains("account `operator_revenue`"), "{err}");
    assert!(err.contains("market `otc`"), "{err}");
    assert!(!err.contains("`market`"), "only what is missing: {err}");
}

// ---------------------------------------------------------------------------
// Corrupt logs

#[test]
fn truncated_binary_log_names_the_record() {
    let header = LogHeader::of(&lam());
    let events = named_events();
    let bytes = write_log(LogFormat::Binary, &header, &events);
    let n = events.len();
    // The last record, cut inside its body.
    let err = read_log(&bytes[..bytes.len() - 1]).unwrap_err().to_string();
    assert!(err.contains("truncated"), "{err}");
    assert!(err.contains(&format!("record {n}")), "{err}");
    // Cut so that only 2 bytes of the last record's 4-byte length remain.
    let last_len = {
        let mut at = 0;
        let recs = records(&bytes);
        let mut last = 0;
        while at < recs.len() {
            last = at;
            let len = u32::from_le_bytes(recs[at..at + 4].try_into().unwrap()) as usize;
            at += 4 + len;
        }
        recs.len() - last
    };
    let err = read_log(&bytes[..bytes.len() - last_len + 2])
        .unwrap_err()
        .to_string();
    assert!(err.contains("truncated"), "{err}");
    assert!(err.contains(&format!("record {n}")), "{err}");
    // Without the last record entirely it is a valid, shorter log.
    let (_, read) = read_log(&bytes[..bytes.len() - last_len]).unwrap();
    assert_eq!(read, events[..n - 1]);
    // A corrupt record body (an unknown variant) names its record too.
    let mut bad = bytes.clone();
    let at = bad.len() - last_len + 4;
    bad[at] = 0x7f;
    let err = read_log(&bad).unwrap_err().to_string();
    assert!(err.contains(&format!("record {n}")), "{err}");
    // A wrong format version is refused.
    let mut bad = bytes.clone();
    bad[8] = 99;
    let err = read_log(&bad).unwrap_err().to_string();
    assert!(err.contains("version 99"), "{err}");
}

#[test]
fn bad_json_line_names_the_line() {
    let header = LogHeader::of(&lam());
    let bytes = write_log(LogFormat::Json, &header, &named_events());
    let text = String::from_utf8(bytes).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    // Line 1 is the header; line 4 is the third event.
    lines[3] = r#"{"transfer":{"asset":1,"from":"community"}}"#;
    let err = read_log(lines.join("\n").as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("line 4:"), "{err}");
    // Blank lines are skipped but still counted.
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "");
    lines[5] = "not json";
    let err = read_log(lines.join("\n").as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("line 6:"), "{err}");
    let err = read_log(b"{\"not\":\"a header\"}\n")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("line 1:"), "{err}");
    assert!(read_log(b"").is_err());
}
