//! The bands' tests (a file of their own: `bands.rs` is the folding).

use super::*;

const STEPS: usize = 5;
const SERIES: usize = 9;

/// Run `run`'s value of series `j` at step `s`: series 0 never varies,
/// 1 varies from the first run (negative at times), 2 only from run
/// 100 at step 3, 3 is sometimes missing and varies from run 70, 4 is
/// saturated at times. The others repeat earlier ones, so that those
/// follow them (aliases): 5 is always 1, 6 is 1 but differs from run
/// 150 at step 2 (1 follows 5, which follows 6, until 5 splits off),
/// 7 is 4 (saturated) until run 90, 8 is always 3 (missing at times).
fn value(run: u64, s: usize, j: usize) -> Option<Value> {
    match j {
        5 => return value(run, s, 1),
        6 if run >= 150 && s == 2 => {
            let v = value(run, s, 1)?;
            return Some(Value {
                magnitude: v.magnitude + 3,
                ..v
            });
        }
        6 => return value(run, s, 1),
        7 if run >= 90 => return Some(Value::of(u128::from(run))),
        7 => return value(run, s, 4),
        8 => return value(run, s, 3),
        _ => {}
    }
    let x = (run * 7919 + s as u64 * 104_729) % 1000;
    match j {
        0 => Some(Value::of(10u128.pow(27) + s as u128)),
        1 => Some(Value {
            negative: x % 2 == 0,
            magnitude: u128::from(x) << 70,
        }),
        2 if run >= 100 && s == 3 => Some(Value::of(u128::from(x))),
        2 => Some(Value::of(5)),
        3 if run >= 70 && x % 3 == 0 => None,
        3 => Some(Value::of(u128::from(run.min(70)))),
        _ => Some(Value::of(if x % 5 == 0 {
            u128::MAX
        } else {
            u128::from(x)
        })),
    }
}

fn feed(bands: &mut Bands, runs: impl Iterator<Item = u64>) {
    let mut row = [None; SERIES];
    for run in runs {
        for s in 0..STEPS {
            for (j, v) in row.iter_mut().enumerate() {
                *v = value(run, s, j);
            }
            bands.observe(s, &row);
        }
        bands.end_run();
    }
}

#[test]
fn repeated_series_follow_a_later_one_until_they_differ() {
    let mut bands = Bands::new(STEPS, SERIES);
    feed(&mut bands, 0..100);
    // 1 follows 5, which follows 6; 4 follows 7; 3 follows 8; 2 and
    // 0 still equal the reference.
    let aliases: Vec<Option<usize>> = bands.alias_of.clone();
    assert_eq!(
        aliases,
        [
            None,
            Some(5),
            None,
            Some(8),
            None,
            Some(6),
            None,
            None,
            None
        ]
    );
    assert_eq!(
        bands.slot_of[4],
        Some(bands.slots.len() - 1),
        "4 split at run 90"
    );
    feed(&mut bands, 100..200);
    // At run 150 step 2, 6 differs from 5: 5 split off; 1 follows it.
    assert_eq!(bands.alias_of[1], Some(5));
    assert_eq!(bands.alias_of[5], None);
    assert!(bands.slot_of[5].is_some());
}

#[test]
fn untracked_series_give_the_bands_of_folding_every_value() {
    let runs = 300u64;
    let mut whole = Bands::new(STEPS, SERIES);
    feed(&mut whole, 0..runs);
    whole.finish();
    // Two workers with interleaved runs, merged.
    let mut a = Bands::new(STEPS, SERIES);
    let mut b = Bands::new(STEPS, SERIES);
    feed(&mut a, (0..runs).filter(|r| r % 3 == 1));
    feed(&mut b, (0..runs).rev().filter(|r| r % 3 != 1));
    b.merge(a);
    b.finish();
    for s in 0..STEPS {
        for j in 0..SERIES {
            // Every value folded one by one.
            let mut cell = Cell::default();
            let mut exact = Exact::default();
            for run in 0..runs {
                let v = value(run, s, j);
                exact.add_one(v);
                if v.is_some() {
                    cell.insert(code(v));
                }
            }
            let i = s * SERIES + j;
            assert_eq!(whole.cells[i], cell, "cell ({s}, {j})");
            assert_eq!(whole.exact[i], exact, "sums ({s}, {j})");
            assert_eq!(b.cells[i], cell, "merged cell ({s}, {j})");
            assert_eq!(b.exact[i], exact, "merged sums ({s}, {j})");
            if j != 4 && j != 7 {
                // (The sketch's quantiles stop short of i128::MAX.)
                assert_eq!(whole.band(s, j), b.band(s, j));
            }
        }
    }
}
