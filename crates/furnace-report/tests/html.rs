//! report.html: escaped, well formed, self-contained, every section.

use furnace_report::sample::sample_report;
use furnace_report::{render_html, write_report, Report};

const EVIL: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>&\"'";

/// Every user-supplied text in the sample replaced by a hostile one (kept
/// unique where names must be).
fn hostile() -> Report {
    let mut r = sample_report();
    r.title = EVIL.into();
    r.scenario_name = EVIL.into();
    r.step_unit = EVIL.into();
    r.parameters.push((EVIL.into(), EVIL.into()));
    for s in &mut r.summary {
        s.name = EVIL.into();
        s.value = EVIL.into();
        s.unit = EVIL.into();
    }
    for (i, s) in r.series.iter_mut().enumerate() {
        s.name = format!("{EVIL}{i}");
        s.unit = format!("{EVIL}{}", s.unit);
        if s.chart.is_some() {
            s.chart = Some(EVIL.into());
        }
    }
    for d in &mut r.detectors {
        d.name = EVIL.into();
        d.description = EVIL.into();
    }
    let sweep = r.sweep.as_mut().unwrap();
    sweep.parameter_names = vec![EVIL.into(), EVIL.into()];
    for m in &mut sweep.outcomes {
        m.name = EVIL.into();
        m.unit = EVIL.into();
    }
    for row in &mut sweep.rows {
        row.values = vec![EVIL.into(), EVIL.into()];
    }
    let t = r.sensitivity.as_mut().unwrap();
    t.outcome = EVIL.into();
    t.unit = EVIL.into();
    for b in &mut t.bars {
        b.parameter = EVIL.into();
        b.low_value = EVIL.into();
        b.high_value = EVIL.into();
    }
    r
}

/// Tags balance: every opened element is closed in order, except void
/// elements and `<x/>`; no raw `<` in text (it would open a tag here).
fn check_well_formed(html: &str) {
    const VOID: [&str; 2] = ["meta", "br"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').expect("unclosed <") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack.pop().unwrap_or_default();
            assert_eq!(top, name, "</{name}> closes <{top}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!name.is_empty(), "a raw `<` in text: <{tag}>");
        if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn every_user_text_is_escaped() {
    let html = render_html(&hostile()).unwrap();
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script element got through");
    assert!(!lower.contains("<img"), "an img element got through");
    // In the page's own tables and in the SVG text plotters wrote.
    assert!(
        html.matches("&lt;script&gt;alert(1)&lt;/script&gt;")
            .count()
            > 30
    );
    assert!(html.contains("<text") && html.contains("&lt;script&gt;alert(1)"));
    check_well_formed(&html);
}

#[test]
fn the_sample_page_has_every_section_and_fetches_nothing() {
    let r = sample_report();
    let html = render_html(&r).unwrap();
    check_well_formed(&html);
    // 6 band charts (burned and emitted share one) and the tornado.
    assert_eq!(html.matches("<svg ").count(), 7);
    for id in [
        "summary",
        "warnings",
        "charts",
        "detectors",
        "sensitivity",
        "sweep",
        "parameters",
    ] {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    // A warning is listed (its `<` escaped), after the summary.
    assert!(html.contains(
        "<li>emission schedule `community` stopped on day 351: its source &lt;community&gt; ran dry</li>"
    ));
    assert!(html.find("id=\"summary\"") < html.find("id=\"warnings\""));
    // No Data section without files beside the page.
    assert!(!html.contains("<section id=\"data\">"));
    // Nothing to fetch: the only URL is the SVG namespace, a name.
    let urls = html.matches("http").count();
    assert_eq!(
        urls,
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(!html.contains(" src=") && !html.contains("<link") && !html.contains("@import"));
    // Detector frequency and first-step figures.
    assert!(html.contains("<td class=\"num\">37 of 200</td><td class=\"num\">18.5%</td><td class=\"num\">250.5 (180 … 340)</td>"));
    assert!(html.contains(
        "<td class=\"num\">0 of 200</td><td class=\"num\">0.0%</td><td class=\"num\">–</td>"
    ));
    // The tornado's table lists the widest swing first.
    let a = html.find("<td>actions per day</td>").unwrap();
    let b = html.find("<td>splits.action.legs[0].share</td>").unwrap();
    assert!(a < b);
    // Sweep cells, rounded to 6 significant digits.
    assert!(html.contains("<td class=\"num\">410,000,000</td><td class=\"num\">0.02</td>"));
}

#[test]
fn sections_without_content_are_left_out() {
    let mut r = sample_report();
    r.sweep = None;
    r.sensitivity = None;
    r.detectors.clear();
    let html = render_html(&r).unwrap();
    for id in ["detectors", "sensitivity", "sweep"] {
        assert!(!html.contains(&format!("id=\"{id}\"")), "{id}");
        assert!(!html.contains(&format!("href=\"#{id}\"")), "{id}");
    }
    assert_eq!(html.matches("<svg ").count(), 6);
}

#[test]
fn an_invalid_report_is_refused_with_every_problem() {
    let mut r = sample_report();
    r.series[0].values = furnace_report::SeriesValues::Bands(vec![[5.0, 4.0, 3.0, 2.0, 1.0]; 365]);
    r.series[3].unit = "USD".into();
    r.detectors[0].runs_triggered = 201;
    let err = render_html(&r).unwrap_err().to_string();
    assert!(
        err.contains("series[0] `supply`: step 1 is not finite and ordered"),
        "{err}"
    );
    assert!(
        err.contains("series[3] `emitted`: unit `USD` differs from `LAM per day` of `burned`"),
        "{err}"
    );
    assert!(
        err.contains("detectors[0] `supply halves`: triggered in 201 of 200 runs"),
        "{err}"
    );
}

#[test]
fn write_report_writes_every_file_and_links_the_data() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("furnace-report-write");
    let _ = std::fs::remove_dir_all(&dir);
    let finals = furnace_report::Table {
        columns: vec![
            ("run".into(), furnace_report::ColumnData::I64(vec![0, 1])),
            ("seed".into(), furnace_report::ColumnData::U64(vec![42, 43])),
            (
                "final_supply".into(),
                furnace_report::ColumnData::F64(vec![4.0e8, 4.1e8]),
            ),
        ],
    };
    let files = write_report(&sample_report(), Some(&finals), &dir).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(&dir).unwrap().display().to_string())
        .collect();
    let want = [
        "charts/01-supply.svg",
        "charts/01-supply.png",
        "charts/02-price.svg",
        "charts/02-price.png",
        "charts/03-burn-against-emission.svg",
        "charts/03-burn-against-emission.png",
        "charts/04-treasury.svg",
        "charts/04-treasury.png",
        "charts/05-lam-usd-reserve-lam.svg",
        "charts/05-lam-usd-reserve-lam.png",
        "charts/06-lam-usd-reserve-usd.svg",
        "charts/06-lam-usd-reserve-usd.png",
        "charts/tornado.svg",
        "charts/tornado.png",
        "bands.parquet",
        "bands.csv",
        "finals.parquet",
        "finals.csv",
        "sweep.parquet",
        "sweep.csv",
        "report.html",
    ];
    assert_eq!(names, want);
    for f in &files {
        assert!(std::fs::metadata(f).unwrap().len() > 0, "{}", f.display());
    }
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("<a href=\"finals.parquet\"><code>finals.parquet</code></a>"));
    assert_eq!(
        std::fs::read_to_string(dir.join("finals.csv")).unwrap(),
        "run,seed,final_supply\n0,42,400000000.0\n1,43,410000000.0\n"
    );
}
