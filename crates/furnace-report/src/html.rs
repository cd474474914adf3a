//! `report.html`: one self-contained page. Charts are inline SVG, the
//! style sheet is inline, there is no script and nothing is fetched, so the
//! file reads the same offline, attached to a mail or years later.
//!
//! Every text that came from the caller (names come from user files) goes
//! through [`escape`]; the SVG's text is escaped by plotters' SVG backend
//! (tested with a `<script>` name).

use std::fmt::Write as _;

use crate::chart::{chart_groups, chart_svg};
use crate::format;
use crate::model::{Report, SeriesValues, SweepTable, Tornado};
use crate::tornado::{sorted_bars, tornado_svg};
use crate::Error;

/// `s` safe as HTML text and as a quoted attribute value: `&`, `<`, `>`,
/// `"` and `'` become character references.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The page's style sheet: a 960-pixel column, system fonts, tables with
/// right-aligned tabular figures, charts scaled down on narrow screens.
const CSS: &str = r#"
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #222;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px 30px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
.meta, .note { color: #555; }
.note { font-size: 14px; margin: 4px 0 12px; }
nav { margin: 8px 0 0; font-size: 14px; }
nav a { margin-right: 14px; color: #1f5f99; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
th { background: #f5f5f5; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.fired td:first-child { font-weight: 600; }
figure { margin: 0 0 22px; }
figure svg { display: block; max-width: 100%; height: auto; }
code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; }
footer { margin-top: 40px; color: #777; font-size: 13px; }
@media print { figure, table { break-inside: avoid; } }
"#;

/// A count of things with a naive English plural: `1 run`, `365 days`.
fn count(n: usize, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// Inlines an SVG document, labelled for screen readers.
fn inline_svg(out: &mut String, svg: &str, label: &str) {
    let labelled = svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", escape(label)),
        1,
    );
    out.push_str(&labelled);
}

/// A table: `head` cells are `(text, numeric)`; `rows` cells are already
/// escaped HTML, right-aligned where the header is numeric.
fn table(out: &mut String, head: &[(&str, bool)], rows: &[Vec<String>], row_class: &[&str]) {
    out.push_str("<table>\n<thead><tr>");
    for (h, num) in head {
        let class = if *num { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, row) in rows.iter().enumerate() {
        match row_class.get(i).filter(|c| !c.is_empty()) {
            Some(c) => {
                let _ = write!(out, "<tr class=\"{c}\">");
            }
            None => out.push_str("<tr>"),
        }
        for (cell, (_, num)) in row.iter().zip(head) {
            let class = if *num { " class=\"num\"" } else { "" };
            let _ = write!(out, "<td{class}>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn summary(out: &mut String, r: &Report) {
    out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    let rows: Vec<Vec<String>> = r
        .summary
        .iter()
        .map(|s| vec![escape(&s.name), escape(&s.value), escape(&s.unit)])
        .collect();
    table(
        out,
        &[("figure", false), ("value", true), ("unit", false)],
        &rows,
        &[],
    );
    out.push_str("</section>\n");
}

fn warnings(out: &mut String, r: &Report) {
    out.push_str("<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul class=\"warnings\">\n");
    for w in &r.warnings {
        let _ = writeln!(out, "<li>{}</li>", escape(w));
    }
    out.push_str("</ul>\n</section>\n");
}

fn charts(out: &mut String, r: &Report) -> Result<(), Error> {
    out.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    let banded = r
        .series
        .iter()
        .any(|s| matches!(s.values, SeriesValues::Bands(_)));
    if banded {
        let _ = writeln!(
            out,
            "<p class=\"note\">Across {}: the line is the median (p50) at each {}, the dark band \
             holds the middle half of runs (p25–p75), the light band 90% of them (p5–p95). \
             Quantiles are taken per {}, so the line need not be any single run.</p>",
            count(r.runs, "run"),
            escape(&r.step_unit),
            escape(&r.step_unit)
        );
    }
    for (i, group) in chart_groups(r).iter().enumerate() {
        let svg = chart_svg(r, group)?;
        let _ = writeln!(out, "<figure id=\"chart-{}\">", i + 1);
        let label = format!("{} ({}) by {}", group.title, group.unit, r.step_unit);
        inline_svg(out, &svg, &label);
        out.push_str("</figure>\n");
    }
    out.push_str("</section>\n");
    Ok(())
}

fn detectors(out: &mut String, r: &Report) {
    out.push_str("<section id=\"detectors\">\n<h2>Detectors</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">How many runs each condition fired in, and at which {} it first did.</p>",
        escape(&r.step_unit)
    );
    let mut rows = Vec::new();
    let mut classes = Vec::new();
    for d in &r.detectors {
        let first = match &d.first_step {
            Some(f) => format!("{} ({} … {})", format::number(f.median), f.min, f.max),
            None => "–".into(),
        };
        rows.push(vec![
            escape(&d.name),
            escape(&d.description),
            format!("{} of {}", d.runs_triggered, d.runs_total),
            format::percent(d.runs_triggered, d.runs_total),
            first,
        ]);
        classes.push(if d.runs_triggered > 0 { "fired" } else { "" });
    }
    let first_head = format!("first {}: median (min … max)", r.step_unit);
    table(
        out,
        &[
            ("detector", false),
            ("fires when", false),
            ("runs", true),
            ("share", true),
            (&first_head, true),
        ],
        &rows,
        &classes,
    );
    out.push_str("</section>\n");
}

fn sensitivity(out: &mut String, t: &Tornado) -> Result<(), Error> {
    out.push_str("<section id=\"sensitivity\">\n<h2>Sensitivity</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">{} with each parameter moved alone to its low and its high value, \
         the others at base; base {} {}.</p>",
        escape(&t.outcome),
        escape(&format::number(t.base_value)),
        escape(&t.unit)
    );
    out.push_str("<figure id=\"tornado\">\n");
    inline_svg(
        out,
        &tornado_svg(t)?,
        &format!("Sensitivity of {}", t.outcome),
    );
    out.push_str("</figure>\n");
    let rows: Vec<Vec<String>> = sorted_bars(t)
        .iter()
        .map(|b| {
            vec![
                escape(&b.parameter),
                escape(&b.low_value),
                escape(&b.high_value),
                format::number(b.outcome_at_low),
                format::number(b.outcome_at_high),
                format::number(b.swing()),
            ]
        })
        .collect();
    let (at_low, at_high) = (
        format!("at low ({})", t.unit),
        format!("at high ({})", t.unit),
    );
    let swing = format!("swing ({})", t.unit);
    table(
        out,
        &[
            ("parameter", false),
            ("low", true),
            ("high", true),
            (&at_low, true),
            (&at_high, true),
            (&swing, true),
        ],
        &rows,
        &[],
    );
    out.push_str("</section>\n");
    Ok(())
}

fn sweep(out: &mut String, s: &SweepTable) {
    out.push_str("<section id=\"sweep\">\n<h2>Sweep</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">{} points; – where an outcome has no value.</p>",
        s.rows.len()
    );
    let heads: Vec<String> = s
        .outcomes
        .iter()
        .map(|m| format!("{} ({})", m.name, m.unit))
        .collect();
    let mut head: Vec<(&str, bool)> = s
        .parameter_names
        .iter()
        .map(|p| (p.as_str(), true))
        .collect();
    head.extend(heads.iter().map(|h| (h.as_str(), true)));
    let rows: Vec<Vec<String>> = s
        .rows
        .iter()
        .map(|r| {
            r.values
                .iter()
                .map(|v| escape(v))
                .chain(r.outcomes.iter().map(|&v| format::number(v)))
                .collect()
        })
        .collect();
    table(out, &head, &rows, &[]);
    out.push_str("</section>\n");
}

fn parameters(out: &mut String, r: &Report) {
    out.push_str("<section id=\"parameters\">\n<h2>Parameters</h2>\n");
    let rows: Vec<Vec<String>> = r
        .parameters
        .iter()
        .map(|(k, v)| vec![format!("<code>{}</code>", escape(k)), escape(v)])
        .collect();
    table(out, &[("parameter", false), ("value", false)], &rows, &[]);
    out.push_str("</section>\n");
}

fn data(out: &mut String, files: &[(String, String)]) {
    out.push_str("<section id=\"data\">\n<h2>Data</h2>\n");
    out.push_str("<p class=\"note\">Every figure in full precision, beside this page.</p>\n");
    let rows: Vec<Vec<String>> = files
        .iter()
        .map(|(path, what)| {
            let p = escape(path);
            vec![
                format!("<a href=\"{p}\"><code>{p}</code></a>"),
                escape(what),
            ]
        })
        .collect();
    table(out, &[("file", false), ("holds", false)], &rows, &[]);
    out.push_str("</section>\n");
}

/// The whole page. Sections appear only when they have content; charts
/// come right after the summary, where a reader looks first.
pub fn render_html(r: &Report) -> Result<String, Error> {
    page(r, &[])
}

/// The page, with a Data section linking `data_files` (paths relative to
/// the page, with what each holds) when there are any.
pub(crate) fn page(r: &Report, data_files: &[(String, String)]) -> Result<String, Error> {
    r.validate()?;
    let mut out = String::with_capacity(64 * 1024 * (r.series.len() + 2));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} – {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        escape(&r.title),
        escape(&r.scenario_name)
    );
    let _ = writeln!(
        out,
        "<h1>{}</h1>\n<p class=\"meta\">Scenario <b>{}</b> · {} × {}</p>",
        escape(&r.title),
        escape(&r.scenario_name),
        count(r.runs, "run"),
        escape(&count(r.steps, &r.step_unit))
    );
    let mut nav: Vec<(&str, &str)> = Vec::new();
    let has = [
        (!r.summary.is_empty(), "summary", "Summary"),
        (!r.warnings.is_empty(), "warnings", "Warnings"),
        (!r.series.is_empty(), "charts", "Charts"),
        (!r.detectors.is_empty(), "detectors", "Detectors"),
        (r.sensitivity.is_some(), "sensitivity", "Sensitivity"),
        (r.sweep.is_some(), "sweep", "Sweep"),
        (!r.parameters.is_empty(), "parameters", "Parameters"),
        (!data_files.is_empty(), "data", "Data"),
    ];
    for (present, id, name) in has {
        if present {
            nav.push((id, name));
        }
    }
    out.push_str("<nav>");
    for (id, name) in &nav {
        let _ = write!(out, "<a href=\"#{id}\">{name}</a>");
    }
    out.push_str("</nav>\n");
    if !r.summary.is_empty() {
        summary(&mut out, r);
    }
    if !r.warnings.is_empty() {
        warnings(&mut out, r);
    }
    if !r.series.is_empty() {
        charts(&mut out, r)?;
    }
    if !r.detectors.is_empty() {
        detectors(&mut out, r);
    }
    if let Some(t) = &r.sensitivity {
        sensitivity(&mut out, t)?;
    }
    if let Some(s) = &r.sweep {
        sweep(&mut out, s);
    }
    if !r.parameters.is_empty() {
        parameters(&mut out, r);
    }
    if !data_files.is_empty() {
        data(&mut out, data_files);
    }
    let _ = write!(
        out,
        "<footer>Written by furnace-report {}. Charts and tables show rounded figures.</footer>\n\
         </main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape(r#"<a href='x'>&"</a>"#),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(escape("plain ünïcode"), "plain ünïcode");
    }

    #[test]
    fn counts_and_plurals() {
        assert_eq!(count(1, "run"), "1 run");
        assert_eq!(count(365, "day"), "365 days");
        assert_eq!(count(0, "day"), "0 days");
    }

    #[test]
    fn a_svg_is_labelled_once() {
        let mut out = String::new();
        inline_svg(
            &mut out,
            "<svg width=\"1\"><svg x=\"2\"></svg></svg>",
            "a \"b\"",
        );
        assert_eq!(
            out,
            "<svg role=\"img\" aria-label=\"a &quot;b&quot;\" width=\"1\"><svg x=\"2\"></svg></svg>"
        );
    }
}
