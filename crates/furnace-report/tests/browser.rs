//! report.html in a real browser: headless Chromium parses the page (its
//! DOM holds the charts' SVG and band polygons, and no element of a
//! `<script>` name) and renders it (a 1200 × 2000 screenshot, not blank,
//! with the charts' colours in it).
//!
//! Needs Debian's chromium at /usr/bin/chromium: `scripts/install-chromium.sh`
//! installs it. Without it this test fails rather than passing unchecked.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use furnace_report::sample::sample_report;
use furnace_report::write_report;

const CHROMIUM: &str = "/usr/bin/chromium";
/// Window (and so screenshot) size: the 960-pixel page column with room,
/// and tall enough for the summary and the first four charts.
const SIZE: (u32, u32) = (1200, 2000);
/// A cold headless start takes 2-5 s here; 120 s allows for a machine
/// shared with builds before calling it hung.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Runs Chromium headless on `url` with `extra` flags and a fresh profile;
/// returns its stdout. Kills it (only the process it started) on timeout.
fn chromium(work: &Path, name: &str, extra: &[String], url: &str) -> String {
    let profile = work.join(format!("profile-{name}"));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).unwrap();
    let out_path = work.join(format!("{name}.stdout"));
    let err_path = work.join(format!("{name}.stderr"));
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.push(format!("--window-size={},{}", SIZE.0, SIZE.1));
    args.extend(extra.iter().cloned());
    args.push(url.to_string());
    let mut child = Command::new(CHROMIUM)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {CHROMIUM}: {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium ({name}) still running after {TIMEOUT:?}; stderr:\n{}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.success(),
        "chromium ({name}) exited with {status}; stderr:\n{}",
        std::fs::read_to_string(&err_path).unwrap_or_default()
    );
    std::fs::read_to_string(&out_path).unwrap()
}

/// Pixels within `tol` of `rgb` on every channel.
fn count_near(px: &[u8], rgb: [u8; 3], tol: u8) -> usize {
    px.chunks_exact(3)
        .filter(|p| p.iter().zip(rgb).all(|(&a, b)| a.abs_diff(b) <= tol))
        .count()
}

#[test]
fn chromium_renders_report_html() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: run scripts/install-chromium.sh (it installs Debian's chromium) \
         and run the tests again"
    );
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("furnace-report-browser");
    let _ = std::fs::remove_dir_all(&work);
    let mut report = sample_report();
    // A hostile name, as a user's file could give: the browser must show it
    // as text, never run it.
    report.title = "Sample <script>document.title='pwned'</script>".into();
    report.series[0].name = "supply <script>document.title='pwned'</script>".into();
    let dir = work.join("report");
    write_report(&report, None, &dir).unwrap();
    let page = dir.join("report.html");
    let url = format!("file://{}", page.display());

    let dom = chromium(&work, "dom", &["--dump-dom".to_string()], &url);
    // Six band charts (burned and emitted share one) and the tornado.
    assert_eq!(dom.matches("<svg").count(), 7, "svg elements in the DOM");
    // Two band polygons per banded series: six of the seven series have
    // bands (emitted is a line).
    assert_eq!(dom.matches("<polygon").count(), 12, "band polygons");
    assert!(dom.contains("fill=\"#1F77B4\""), "the first series' colour");
    assert!(
        !dom.to_ascii_lowercase().contains("<script"),
        "a script element in the DOM"
    );
    assert!(!dom.contains("pwned</title>"), "the script ran");
    assert!(
        dom.contains("&lt;script&gt;document.title"),
        "the name shown as text"
    );

    let shot = work.join("screenshot.png");
    chromium(
        &work,
        "shot",
        &[format!("--screenshot={}", shot.display())],
        &url,
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        File::open(&shot).unwrap_or_else(|e| panic!("no screenshot {}: {e}", shot.display())),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), SIZE, "screenshot size");
    // Compare as RGB whatever Chromium wrote (RGB or RGBA, 8 bits).
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = info.color_type.samples();
    let px: Vec<u8> = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let total = px.len() / 3;
    let ink = px
        .chunks_exact(3)
        .filter(|p| p.iter().any(|&c| c < 235))
        .count();
    // Text, tables and four charts ink 15.5% of the window with Chromium
    // 156; a blank or error page far less than the 8% asked.
    assert!(ink * 100 > total * 8, "{ink} of {total} pixels not white");
    // The p50 lines in the first colour (blue) and the emission line in the
    // second (orange), 2 pixels wide; the thresholds are half of what
    // Chromium 156 shows (blue 4,949, orange 1,722, band 172,343 pixels),
    // leaving room for another version's anti-aliasing.
    let blue = count_near(&px, [0x1F, 0x77, 0xB4], 8);
    let orange = count_near(&px, [0xFF, 0x7F, 0x0E], 8);
    // The light band: blue at 15% over white is (221, 235, 244).
    let band = count_near(&px, [221, 235, 244], 6);
    eprintln!(
        "screenshot: {ink} of {total} pixels inked, blue {blue}, orange {orange}, band {band}"
    );
    assert!(blue > 2500, "{blue} pixels of the p50 lines' blue");
    assert!(
        orange > 850,
        "{orange} pixels of the emission line's orange"
    );
    assert!(band > 85_000, "{band} pixels of the p5–p95 band");
}
