//! Everything for one report, written into one directory.

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::chart::{chart_groups, chart_png, chart_svg};
use crate::html::page;
use crate::model::Report;
use crate::parquet_io::write_parquet;
use crate::table::{bands_table, sweep_table, write_csv, Table};
use crate::tornado::{tornado_png, tornado_svg};
use crate::Error;

/// Characters of a chart's title kept in its file name.
const SLUG_CHARS: usize = 40;

/// A file name part from a chart title: ASCII letters and digits kept
/// (lower-cased), runs of anything else one `-`. A title from a user's file
/// cannot then name a path (`../x`) or a device; the caller's index prefix
/// keeps two titles that slug alike apart.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= SLUG_CHARS {
            break;
        }
    }
    let t = out.trim_matches('-');
    if t.is_empty() {
        "chart".into()
    } else {
        t.to_string()
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn put(path: &Path, bytes: &[u8], written: &mut Vec<PathBuf>) -> Result<(), Error> {
    fs::write(path, bytes).map_err(io_err(path))?;
    written.push(path.to_path_buf());
    Ok(())
}

fn put_table(dir: &Path, stem: &str, t: &Table, written: &mut Vec<PathBuf>) -> Result<(), Error> {
    let pq = dir.join(format!("{stem}.parquet"));
    let file = File::create(&pq).map_err(io_err(&pq))?;
    write_parquet(t, BufWriter::new(file)).map_err(|e| Error::Data {
        path: pq.clone(),
        message: e.to_string(),
    })?;
    written.push(pq);
    let csv = dir.join(format!("{stem}.csv"));
    let file = File::create(&csv).map_err(io_err(&csv))?;
    write_csv(t, BufWriter::new(file)).map_err(io_err(&csv))?;
    written.push(csv);
    Ok(())
}

/// Writes into `dir` (created if missing) and returns the paths written:
///
/// - `report.html`, the page, linking the data files below;
/// - `charts/NN-<title>.svg` and `.png` per chart (NN from 01, in page
///   order), and `charts/tornado.svg` and `.png` with a sensitivity;
/// - `bands.parquet` and `bands.csv` ([`bands_table`]) when there are series;
/// - `finals.parquet` and `finals.csv` when `finals` is given (the runner's
///   per-run table: `run`, `seed`, `final_<series>`…);
/// - `sweep.parquet` and `sweep.csv` ([`sweep_table`]) with a sweep.
///
/// The report is validated and `finals` checked before anything is written.
pub fn write_report(
    report: &Report,
    finals: Option<&Table>,
    dir: &Path,
) -> Result<Vec<PathBuf>, Error> {
    report.validate()?;
    if let Some(t) = finals {
        t.validate().map_err(|e| Error::Data {
            path: dir.join("finals.parquet"),
            message: e.to_string(),
        })?;
    }
    let mut written = write_charts(report, dir)?;
    let mut data_files: Vec<(String, String)> = Vec::new();
    let mut tables: Vec<(&str, Cow<'_, Table>, &str)> = Vec::new();
    if !report.series.is_empty() {
        tables.push((
            "bands",
            Cow::Owned(bands_table(report)),
            "per step and series: p5, p25, p50, p75, p95 (long format)",
        ));
    }
    if let Some(t) = finals {
        tables.push((
            "finals",
            Cow::Borrowed(t),
            "per run: its seed and final values",
        ));
    }
    if let Some(s) = &report.sweep {
        tables.push((
            "sweep",
            Cow::Owned(sweep_table(s)),
            "per sweep point: parameters and outcomes",
        ));
    }
    for (stem, table, what) in &tables {
        put_table(dir, stem, table, &mut written)?;
        for ext in ["parquet", "csv"] {
            data_files.push((format!("{stem}.{ext}"), (*what).to_string()));
        }
    }
    put(
        &dir.join("report.html"),
        page(report, &data_files)?.as_bytes(),
        &mut written,
    )?;
    Ok(written)
}

/// Writes the page alone into `dir` (created if missing): `charts/` (SVG
/// and PNG per chart, and the tornado's) and `report.html`, whose Data
/// section lists `data_files` (paths relative to `dir`, with what each
/// holds) as given: for a caller that writes its own data files (the
/// `furnace` command keeps its exact CSVs and adds Parquet beside them).
/// Returns the paths written.
pub fn write_page(
    report: &Report,
    dir: &Path,
    data_files: &[(String, String)],
) -> Result<Vec<PathBuf>, Error> {
    report.validate()?;
    let mut written = write_charts(report, dir)?;
    put(
        &dir.join("report.html"),
        page(report, data_files)?.as_bytes(),
        &mut written,
    )?;
    Ok(written)
}

/// `charts/`: each chart's SVG and PNG, and the tornado's.
fn write_charts(report: &Report, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let charts_dir = dir.join("charts");
    fs::create_dir_all(&charts_dir).map_err(io_err(&charts_dir))?;
    let mut written = Vec::new();

    for (i, g) in chart_groups(report).iter().enumerate() {
        let stem = format!("{:02}-{}", i + 1, slug(g.title));
        put(
            &charts_dir.join(format!("{stem}.svg")),
            chart_svg(report, g)?.as_bytes(),
            &mut written,
        )?;
        put(
            &charts_dir.join(format!("{stem}.png")),
            &chart_png(report, g)?,
            &mut written,
        )?;
    }
    if let Some(t) = &report.sensitivity {
        put(
            &charts_dir.join("tornado.svg"),
            tornado_svg(t)?.as_bytes(),
            &mut written,
        )?;
        put(
            &charts_dir.join("tornado.png"),
            &tornado_png(t)?,
            &mut written,
        )?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("burn against emission"), "burn-against-emission");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("<script>"), "script");
        assert_eq!(slug("✓✓"), "chart");
        assert_eq!(slug("lam_usd reserve LAM"), "lam-usd-reserve-lam");
        assert_eq!(slug(&"a".repeat(100)).len(), 40);
    }
}
