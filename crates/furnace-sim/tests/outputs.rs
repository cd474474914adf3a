//! The output files a reader relies on: totals that cannot wrap, exact
//! conservation in base units, and a column dictionary (`furnace columns`,
//! `docs/outputs.md`) that covers every column and key a run writes.

use furnace_config::{load_scenario, Scenario};
use furnace_core::units::parse_decimal;
use furnace_sim::ledger::FAMILIES;
use furnace_sim::report::{FIXED_HEAD, FIXED_TAIL, LEG_PATTERN, PERIOD_COLUMNS, SUMMARY_KEYS};
use furnace_sim::{dictionary, simulate, AmountFormat, SimResult, MAX_ACTIONS_PER_DAY};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(file: &str, settings: &[(&str, &str)]) -> Scenario {
    let overrides: Vec<(String, String)> = settings
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    load_scenario(&repo().join("scenarios").join(file), &overrides)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn run(file: &str, settings: &[(&str, &str)]) -> SimResult {
    simulate(&load(file, settings)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Every bundled scenario's file name.
fn bundled() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    names
}

fn summary(r: &SimResult) -> Value {
    serde_json::from_str(&r.summary_json()).unwrap()
}

/// A CSV as a header and rows of cells.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

/// `timeseries.csv` as `--base-units` writes it, parsed.
fn base_units_csv(r: &SimResult) -> (Vec<String>, Vec<Vec<String>>) {
    let mut out = Vec::new();
    r.write_csv_as(&mut out, AmountFormat::BaseUnits).unwrap();
    parse_csv(&String::from_utf8(out).unwrap())
}

/// Regression: 3 days of 2^63 - 1 actions a day made the unfunded total
/// wrap (or panic "attempt to add with overflow"). Demand is now bounded
/// (`MAX_ACTIONS_PER_DAY`, 10^12 a day); at the bound the totals are the
/// exact sums of the days.
#[test]
fn the_unfunded_total_is_the_sum_of_the_days_at_the_demand_bound() {
    let demand = u128::from(MAX_ACTIONS_PER_DAY);
    let r = run(
        "lam-baseline.toml",
        &[
            ("demand.actions_per_day", &MAX_ACTIONS_PER_DAY.to_string()),
            ("days", "3"),
        ],
    );
    // Independently: each day's demand either ran, failed or went unfunded.
    let ran: u128 = r
        .rows
        .iter()
        .map(|x| x.api_actions + x.failed_actions)
        .sum();
    let unfunded_api = 3 * demand - ran;
    let unfunded_sub: u128 = r.rows.iter().map(|x| x.unfunded_subscription).sum();
    let s = summary(&r);
    assert_eq!(s["actions"]["unfunded_api"], unfunded_api.to_string());
    assert_eq!(
        s["unfunded_actions"],
        (unfunded_api + unfunded_sub).to_string()
    );
    assert_eq!(
        s["periods"][0]["unfunded_actions"],
        (unfunded_api + unfunded_sub).to_string()
    );
    // The printed summary shows the same exact figure, digits grouped.
    let text = r.summary_text();
    let grouped = furnace_sim::human(unfunded_api + unfunded_sub, 0);
    assert!(text.contains(&format!("{grouped} unfunded")), "{text}");
}

/// Demand noise that would push a day past the bound is capped there and
/// the day counted; the reported totals are still the exact sums.
#[test]
fn capped_demand_is_counted_and_totals_stay_exact() {
    let r = run(
        "lam-baseline.toml",
        &[
            ("demand.actions_per_day", &MAX_ACTIONS_PER_DAY.to_string()),
            ("demand.noise", "300%"),
            ("days", "120"),
        ],
    );
    assert!(r.clips.demand_capped_days > 0, "{:?}", r.clips);
    assert!(r
        .rows
        .iter()
        .all(|x| x.api_actions + x.failed_actions + x.unfunded_api
            <= u128::from(MAX_ACTIONS_PER_DAY)));
    let independent: u128 = r.rows.iter().map(|x| x.unfunded_actions).sum();
    let s = summary(&r);
    assert_eq!(s["unfunded_actions"], independent.to_string());
    let periods = s["periods"].as_array().unwrap();
    let by_period: u128 = periods
        .iter()
        .map(|p| {
            p["unfunded_actions"]
                .as_str()
                .unwrap()
                .parse::<u128>()
                .unwrap()
        })
        .sum();
    assert_eq!(by_period, independent);
}

/// With `[[launches]]`, the columns holding the launches' quote asset
/// (raising curves, graduated pools' quote side, the launched tokens'
/// stake pools' rewards) when `asset` is that quote asset.
fn launch_holders(r: &SimResult, header: &[String], asset: &str) -> Vec<usize> {
    let entries = r.columns();
    [
        "launch_custody",
        "launch_pools_quote",
        "launch_stake_custody",
    ]
    .iter()
    .filter_map(|name| {
        let unit = &entries.iter().find(|e| e.name == *name)?.unit;
        (unit.name() == asset).then(|| header.iter().position(|h| h == name))?
    })
    .collect()
}

/// `--base-units`: every amount an integer, and for every asset and step
/// `supply == previous supply + minted - burned` (supply before step 1 is
/// `assets.<A>.supply_start`), `minted` and `burned` are the sums of their
/// per-reason columns, and `supply` is what the named accounts, the pools,
/// the opened accounts, the reward pools' custody and the launches hold.
#[test]
fn base_units_conserve_every_asset_exactly() {
    for file in bundled() {
        let r = run(&file, &[]);
        let (header, rows) = base_units_csv(&r);
        let s = summary(&r);
        for (asset, a) in s["assets"].as_object().unwrap() {
            let d = u8::try_from(a["decimals"].as_u64().unwrap()).unwrap();
            let whole = |key: &str| parse_decimal(a[key].as_str().unwrap(), d).unwrap();
            let column = |name: String| header.iter().position(|h| *h == name);
            // The balance, reserve and opened-accounts columns of this asset.
            let holders: Vec<usize> = header
                .iter()
                .enumerate()
                .filter(|(_, h)| {
                    r.ledger.column(h).is_some_and(|c| {
                        let family = r.ledger.families[c].pattern;
                        [
                            "<account>_<ASSET>",
                            "<pool>_reserve_<ASSET>",
                            "<ASSET>_in_opened_accounts",
                            "<ASSET>_in_reward_pools",
                        ]
                        .contains(&family)
                            && r.ledger.units[c].name() == *asset
                    })
                })
                .map(|(i, _)| i)
                .chain(launch_holders(&r, &header, asset))
                .collect();
            let by_reason = |prefix: &str| -> Vec<usize> {
                header
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| {
                        h.strip_prefix(prefix).is_some_and(|rest| {
                            rest.starts_with('_')
                                && r.ledger.column(h).is_some_and(|c| {
                                    r.ledger.families[c].pattern.ends_with("_<reason>")
                                })
                        })
                    })
                    .map(|(i, _)| i)
                    .collect()
            };
            let minted_by = by_reason(&format!("{asset}_minted"));
            let burned_by = by_reason(&format!("{asset}_burned"));
            let mut supply = whole("supply_start");
            let (mut minted_total, mut burned_total) = (0u128, 0u128);
            for row in &rows {
                let int = |c: Option<usize>| -> u128 {
                    c.map_or(0, |c| {
                        row[c].parse().unwrap_or_else(|e| panic!("{file}: {e}"))
                    })
                };
                let sum = |cols: &[usize]| cols.iter().map(|c| int(Some(*c))).sum::<u128>();
                let minted = int(column(format!("{asset}_minted")));
                let burned = int(column(format!("{asset}_burned")));
                let now = int(column(format!("{asset}_supply")));
                assert_eq!(
                    now,
                    supply + minted - burned,
                    "{file}: {asset} step {}",
                    row[0]
                );
                assert_eq!(minted, sum(&minted_by), "{file}: {asset} minted by reason");
                assert_eq!(burned, sum(&burned_by), "{file}: {asset} burned by reason");
                assert_eq!(now, sum(&holders), "{file}: {asset} held, step {}", row[0]);
                supply = now;
                minted_total += minted;
                burned_total += burned;
            }
            assert_eq!(supply, whole("supply_end"), "{file}: {asset}");
            assert_eq!(minted_total, whole("minted"), "{file}: {asset}");
            assert_eq!(burned_total, whole("burned"), "{file}: {asset}");
        }
        // The fixed columns repeat the scenario token's ledger columns.
        let token = s["token"].as_str().unwrap();
        for (fixed, ledger) in [("supply", "supply"), ("burned", "burned")] {
            let a = header.iter().position(|h| h == fixed).unwrap();
            let b = header
                .iter()
                .position(|h| *h == format!("{token}_{ledger}"));
            for row in &rows {
                assert_eq!(
                    row[a],
                    b.map_or("0", |b| row[b].as_str()),
                    "{file}: {fixed}"
                );
            }
        }
        // The numeraire's inflow and outflow are its external mints and its burns.
        let n = s["numeraire"].as_str().unwrap();
        for (flow, same) in [("inflow", "minted_external_inflow"), ("outflow", "burned")] {
            let a = r.ledger.column(&format!("{n}_{flow}")).unwrap();
            let b = r.ledger.column(&format!("{n}_{same}")).unwrap();
            for step in 0..r.ledger.steps() {
                assert_eq!(r.ledger.value(step, a), r.ledger.value(step, b), "{file}");
            }
        }
    }
}

/// Whole units and base units write the same numbers.
#[test]
fn whole_and_base_units_agree_cell_by_cell() {
    let r = run("lam-market.toml", &[("days", "40")]);
    let (header, base_rows) = base_units_csv(&r);
    let (whole_header, whole_rows) = parse_csv(&r.csv_string());
    assert_eq!(header, whole_header);
    let entries = r.columns();
    for (b, w) in base_rows.iter().zip(&whole_rows) {
        for (c, e) in entries.iter().enumerate() {
            match e.unit.decimals() {
                Some(d) if !w[c].is_empty() => {
                    let magnitude = |t: &str| t.trim_start_matches('-').to_string();
                    assert_eq!(
                        parse_decimal(&magnitude(&w[c]), d).unwrap().to_string(),
                        magnitude(&b[c]),
                        "{}",
                        e.name
                    );
                }
                _ => assert_eq!(b[c], w[c], "{}", e.name),
            }
        }
    }
}

/// `tokens_per_action` is the step's start-of-day price's: with an
/// exogenous price (set once a step) and no token-paid subscriptions (whose
/// escrow releases its own amount per action), every action consumed it.
#[test]
fn consumption_is_actions_times_tokens_per_action_without_token_subscriptions() {
    let r = run("lam-baseline.toml", &[("subscriptions.token_agents", "0")]);
    for row in &r.rows {
        assert_eq!(
            row.tokens_consumed,
            row.actions * row.tokens_per_action,
            "step {}",
            row.step
        );
    }
    // With token subscriptions it is not: each of their actions releases
    // escrow / allowance (0.6 LAM at day 1's price), not 10 LAM.
    let r = run("lam-baseline.toml", &[]);
    let first = r.rows[0];
    assert!(first.tokens_consumed < first.actions * first.tokens_per_action);
}

/// `<...>` placeholders stand for one or more characters.
fn matches(pattern: &str, name: &str) -> bool {
    match pattern.find('<') {
        None => pattern == name,
        Some(open) => {
            let close = pattern[open..].find('>').unwrap() + open;
            let (literal, rest) = (&pattern[..open], &pattern[close + 1..]);
            name.strip_prefix(literal).is_some_and(|tail| {
                (1..=tail.len()).any(|n| tail.is_char_boundary(n) && matches(rest, &tail[n..]))
            })
        }
    }
}

/// `summary.json` flattened as `pandas.json_normalize` names its columns
/// (list items as `[]`).
fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, Value>) {
    match v {
        // `units` is keyed by dotted paths: its keys are leaves.
        Value::Object(m) if prefix == "units" => {
            for (k, x) in m {
                out.insert(format!("units.{k}"), x.clone());
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        Value::Array(items) => {
            for x in items {
                flatten(&format!("{prefix}[]"), x, out);
            }
            if items.is_empty() {
                out.insert(format!("{prefix}[]"), Value::Null);
            }
        }
        _ => {
            out.insert(prefix.to_string(), v.clone());
        }
    }
}

#[test]
fn the_dictionary_covers_every_column_and_key_of_every_bundled_scenario() {
    for file in bundled() {
        let scenario = load(&file, &[]);
        let d = dictionary(&scenario).unwrap();
        let r = simulate(&scenario).unwrap();
        let names: Vec<&str> = d.timeseries.iter().map(|e| e.name.as_str()).collect();
        let header = r.csv_header();
        for column in header.split(',') {
            assert!(
                names.contains(&column),
                "{file}: no dictionary entry for {column}"
            );
        }
        assert_eq!(
            r.columns()
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(","),
            header
        );
        let periods: Vec<&str> = d.periods.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            r.periods_csv_string().lines().next().unwrap(),
            periods.join(",")
        );

        let s = summary(&r);
        assert_eq!(s["schema"], "furnace-summary");
        assert_eq!(s["format_version"], 2);
        let mut flat = BTreeMap::new();
        flatten("", &s, &mut flat);
        let units = s["units"].as_object().unwrap();
        for (key, value) in &flat {
            let doc = SUMMARY_KEYS
                .iter()
                .find(|k| matches(k.pattern, key))
                .unwrap_or_else(|| panic!("{file}: summary key {key} is not in SUMMARY_KEYS"));
            let period_column = key.strip_prefix("periods[].");
            let is_amount = matches!(
                doc.kind,
                furnace_sim::report::Kind::Token
                    | furnace_sim::report::Kind::Numeraire
                    | furnace_sim::report::Kind::Asset
                    | furnace_sim::report::Kind::NamedAsset
            ) || period_column.is_some_and(|c| {
                PERIOD_COLUMNS
                    .iter()
                    .any(|p| p.pattern == c && p.kind == furnace_sim::report::Kind::Token)
            });
            assert_eq!(units.contains_key(key), is_amount, "{file}: units of {key}");
            if is_amount {
                // An exact decimal string, never a JSON number.
                let text = value.as_str().unwrap_or_else(|| panic!("{key}: {value}"));
                assert!(
                    parse_decimal(text.trim_start_matches('-'), 18).is_ok(),
                    "{key}: {text}"
                );
            }
            if let Value::Number(n) = value {
                // Every JSON number is exact in a float64.
                assert!(
                    n.as_u64().is_some_and(|v| v < 1 << 53) || key == "half_life_days_projected",
                    "{key}: {n}"
                );
            }
        }
        for key in units.keys() {
            assert!(
                flat.contains_key(key),
                "{file}: units names a missing key {key}"
            );
        }
    }
}

/// docs/outputs.md names every column, family and key in backquotes, so
/// adding one without documenting it fails here.
#[test]
fn docs_outputs_md_mentions_every_column_family_and_key() {
    let doc = std::fs::read_to_string(repo().join("docs/outputs.md")).unwrap();
    let mut names: Vec<&str> = FIXED_HEAD
        .iter()
        .chain(FIXED_TAIL)
        .map(|f| f.name)
        .collect();
    names.extend(furnace_sim::report::LAUNCH_COLUMNS.iter().map(|f| f.name));
    names.extend(
        furnace_sim::report::LAUNCHES_CSV_COLUMNS
            .iter()
            .map(|(n, _)| *n),
    );
    names.push(LEG_PATTERN);
    names.extend(FAMILIES.iter().map(|f| f.pattern));
    names.extend(PERIOD_COLUMNS.iter().map(|k| k.pattern));
    names.extend(SUMMARY_KEYS.iter().map(|k| k.pattern));
    let missing: Vec<&&str> = names
        .iter()
        .filter(|n| !doc.contains(&format!("`{n}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/outputs.md does not mention {missing:?}"
    );
}

/// `break_even_emissions_trailing`, recomputed from the rows: over the last
/// `period_days` steps, `max(0, emitted - supply change) / steps`.
#[test]
fn the_trailing_break_even_is_the_windows_net_burn_per_step() {
    for file in bundled() {
        let r = run(&file, &[]);
        let (header, rows) = base_units_csv(&r);
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        let s = summary(&r);
        let window = s["period_days"].as_u64().unwrap() as usize;
        let supply_before = |i: usize| {
            if i == 0 {
                r.initial_supply
            } else {
                r.rows[i - 1].supply
            }
        };
        let flat = |from: usize, to: usize| -> u128 {
            let emitted: u128 = r.rows[from..=to].iter().map(|x| x.emitted).sum();
            (emitted + supply_before(from)).saturating_sub(r.rows[to].supply)
                / (to + 1 - from) as u128
        };
        for (i, row) in rows.iter().enumerate() {
            let expected = flat((i + 1).saturating_sub(window), i);
            assert_eq!(
                row[at("break_even_emissions_trailing")],
                expected.to_string(),
                "{file} step {}",
                i + 1
            );
        }
        let whole_run = flat(0, r.rows.len() - 1);
        let d = r.info.token_decimals;
        let reported = &s["break_even_emissions_per_step"];
        assert_eq!(
            parse_decimal(reported["whole_run"].as_str().unwrap(), d).unwrap(),
            whole_run,
            "{file}"
        );
        assert_eq!(
            reported["last_period"].as_str().unwrap(),
            furnace_core::units::format_decimal(
                flat(r.rows.len().saturating_sub(window), r.rows.len() - 1),
                d
            )
        );
    }
}

/// Regression: a collapsing price path was floored at $10^-12 silently.
/// $0.01 halving daily is `10^10 / 2^t` pico-dollars on day index `t`, which
/// rounds to 0 (and is floored to 1) once `2^t > 2 * 10^10`: t = 35..44 of
/// a 45-day run, 10 days, the first being step 36 (t = 34 gives 0.58
/// pico, which rounds to 1: not floored).
#[test]
fn a_floored_price_path_is_warned_about() {
    let r = run(
        "lam-baseline.toml",
        &[
            ("price.model", "growth"),
            ("price.daily_growth", "-50%"),
            ("days", "45"),
        ],
    );
    assert_eq!(r.clips.price_floored_days, 10);
    assert_eq!(r.clips.first_price_floored_step, Some(36));
    let w = r.warnings();
    assert!(
        w.iter()
            .any(|w| w.starts_with("price: the price path fell below")
                && w.contains("on 10 days (first on day 36)")),
        "{w:?}"
    );
}

/// A GBM may wander above the $10^9 a file may write: capped and warned.
#[test]
fn a_price_path_above_the_bound_is_capped_and_warned_about() {
    let r = run(
        "lam-volatile.toml",
        &[
            ("price.start_usd", "900000000"),
            ("price.annual_drift", "1000%"),
            ("days", "60"),
        ],
    );
    let capped = r
        .rows
        .iter()
        .filter(|x| x.price_usd_pico == furnace_sim::MAX_PRICE_PICO)
        .count();
    assert!(capped > 0);
    assert_eq!(r.clips.price_capped_days as usize, capped);
    let w = r.warnings();
    assert!(
        w.iter()
            .any(|w| w.starts_with("price: the price path rose above $1,000,000,000 per LAM")),
        "{w:?}"
    );
}
