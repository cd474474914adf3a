//! The event log's golden cases for the events appended after `Emit`
//! (launches, run-time pools, stake caps, pooled trainer paths: variants 26
//! to 33), in both encodings, and a header written before launch specs
//! existed. `log_format.rs` has the older variants and the round trip of
//! every variant.

mod common;

use common::*;
use furnace_core::ids::{LaunchId, LaunchSpecId, RewardPoolId};
use furnace_core::log::{read_log, LogFormat, LogHeader, LogWriter, FORMAT_VERSION, MAGIC};
use furnace_core::{AccountId, AssetId, Event};

fn write_log(format: LogFormat, header: &LogHeader, events: &[Event]) -> Vec<u8> {
    let mut w = LogWriter::new(Vec::new(), format, header).unwrap();
    for ev in events {
        w.write(ev).unwrap();
    }
    w.finish().unwrap()
}

/// The binary records after the header.
fn records(bytes: &[u8]) -> &[u8] {
    assert_eq!(&bytes[..8], MAGIC);
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), FORMAT_VERSION);
    let len = u32::from_le_bytes(bytes[10..14].try_into().unwrap()) as usize;
    &bytes[14 + len..]
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One event of each launch, run-time pool, stake-cap and pooled-path
/// variant (26 to 33, appended after `Emit`), for the golden tests.
fn launch_events() -> [Event; 8] {
    [
        Event::CreatePool {
            assets: [AssetId::launched(0).unwrap(), AssetId(1)],
            fee_ppm: 3000,
        },
        Event::CreateLaunch {
            spec: LaunchSpecId(0),
            issuer: AccountId(7),
        },
        Event::BuyOnCurve {
            launch: LaunchId(0),
            buyer: AccountId::opened(0).unwrap(),
            quote_in: 1000,
            min_tokens_out: 1,
        },
        Event::SellOnCurve {
            launch: LaunchId(1),
            seller: AccountId(2),
            tokens_in: 128,
        },
        Event::GraduateLaunch {
            launch: LaunchId(3),
        },
        Event::FailLaunch {
            launch: LaunchId(300),
        },
        Event::RebalanceStakeCaps {
            pool: RewardPoolId(2),
        },
        Event::RegisterPooledPath {
            pool: RewardPoolId(1),
        },
    ]
}

/// Golden bytes of the launch, pool, stake-cap and pooled-path events,
/// checked by hand as the others (variant index, then each field a varint;
/// an array is its elements, no length):
///
/// - `CreatePool { [launched #0 = 2^31, 1], 3000 }`: `1a`, `80 80 80 80
///   08`, `01`, 3000 = 0xbb8 = `b8 17` (9 bytes).
/// - `CreateLaunch { spec 0, issuer 7 }`: `1b 00 07`.
/// - `BuyOnCurve { 0, opened #0, 1000, 1 }`: `1c 00`, `80 80 80 80 08`,
///   1000 = `e8 07`, `01`.
/// - `SellOnCurve { 1, 2, 128 }`: `1d 01 02`, 128 = `80 01`.
/// - `GraduateLaunch { 3 }`: `1e 03`; `FailLaunch { 300 }`: `1f ac 02`.
/// - `RebalanceStakeCaps { 2 }`: `20 02`; `RegisterPooledPath { 1 }`:
///   `21 01`.
#[test]
fn golden_binary_bytes_of_launch_events() {
    let events = launch_events();
    let bytes = write_log(LogFormat::Binary, &LogHeader::of(&lam()), &events);
    assert_eq!(
        hex(records(&bytes)),
        concat!(
            "09000000",
            "1a",
            "8080808008",
            "01",
            "b817",
            "03000000",
            "1b",
            "00",
            "07",
            "0a000000",
            "1c",
            "00",
            "8080808008",
            "e807",
            "01",
            "05000000",
            "1d",
            "01",
            "02",
            "8001",
            "02000000",
            "1e",
            "03",
            "03000000",
            "1f",
            "ac02",
            "02000000",
            "20",
            "02",
            "02000000",
            "21",
            "01",
        )
    );
    let (_, read) = read_log(&bytes).unwrap();
    assert_eq!(read, events);
}

/// The same events in JSON lines; a header written before launch specs
/// existed still reads.
#[test]
fn golden_json_lines_of_launch_events() {
    let header = LogHeader::of(&lam());
    let events = launch_events();
    let bytes = write_log(LogFormat::Json, &header, &events);
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        &lines[1..],
        [
            r#"{"create_pool":{"assets":[2147483648,1],"fee_ppm":3000}}"#,
            r#"{"create_launch":{"spec":0,"issuer":7}}"#,
            r#"{"buy_on_curve":{"launch":0,"buyer":2147483648,"quote_in":1000,"min_tokens_out":1}}"#,
            r#"{"sell_on_curve":{"launch":1,"seller":2,"tokens_in":128}}"#,
            r#"{"graduate_launch":{"launch":3}}"#,
            r#"{"fail_launch":{"launch":300}}"#,
            r#"{"rebalance_stake_caps":{"pool":2}}"#,
            r#"{"register_pooled_path":{"pool":1}}"#,
        ]
    );
    let old_header = lines[0].replace(r#","launch_specs":[]"#, "");
    assert_ne!(old_header, lines[0]);
    let old = format!("{old_header}\n{}\n", lines[1]);
    let (h, read) = read_log(old.as_bytes()).unwrap();
    assert_eq!(h, header);
    assert_eq!(read, events[..1]);
}
