//! Band charts with plotters, the same drawing code for both backends: SVG
//! (inlined in `report.html`) and PNG (plotters' bitmap backend into a
//! buffer, encoded with the `png` crate).
//!
//! A chart shows, per series, the p5–p95 band, the p25–p75 band on top of
//! it, and the p50 line on top of every band; a [`SeriesValues::Line`] is
//! the line alone. Layout is in fixed pixels so that a band's geometry is
//! predictable (tested: a known band lands on known SVG coordinates).
//!
//! Text: plotters measures text (to place labels) with the font registered
//! for "sans-serif". With its `ab_glyph` feature that is a font we embed,
//! Noto Sans Regular (`ttf-noto-sans`, Apache-2.0), so PNG text renders the
//! same on any machine without system fonts or fontconfig. SVG text stays
//! `<text font-family="sans-serif">`, drawn by the viewer's own font.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::format;
use crate::model::{Report, Series, SeriesValues};
use crate::Error;

/// Chart width in pixels: the report's 960-pixel column less its padding.
pub const WIDTH: u32 = 900;
/// Band chart height in pixels: with the title band and axis labels, a
/// 792 × 276 plot, about 2 pixels a step for a year of days.
pub const HEIGHT: u32 = 380;
/// The band above the plot holding the title (y 6) and legend (y 32).
pub(crate) const TITLE_H: u32 = 52;
/// Space right of the plot so the last x tick label is not cut.
pub(crate) const MARGIN_RIGHT: u32 = 24;
/// Space above the plot, below the legend.
pub(crate) const MARGIN_TOP: u32 = 8;
/// Left of the plot: tick labels up to `-1.25M` and the rotated unit.
pub(crate) const Y_LABEL_W: u32 = 84;
/// Below the plot: tick labels and the step unit.
pub(crate) const X_LABEL_H: u32 = 44;

/// Opacity of the p5–p95 band; the p25–p75 band is drawn over it at
/// [`INNER_ALPHA`], so the middle half reads darker (0.15 then 0.30 gives
/// 0.405 where they overlap).
pub const OUTER_ALPHA: f64 = 0.15;
/// Opacity of the p25–p75 band.
pub const INNER_ALPHA: f64 = 0.30;
/// Width of the p50 line in pixels.
pub const LINE_WIDTH: u32 = 2;

/// Series colours in order (Tableau 10): blue, orange, green, red, purple,
/// brown, pink, grey; distinct in print and for the commonest colour
/// blindness between the first two.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x1F, 0x77, 0xB4),
    RGBColor(0xFF, 0x7F, 0x0E),
    RGBColor(0x2C, 0xA0, 0x2C),
    RGBColor(0xD6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xBD),
    RGBColor(0x8C, 0x56, 0x4B),
    RGBColor(0xE3, 0x77, 0xC2),
    RGBColor(0x7F, 0x7F, 0x7F),
];

/// Font sizes as plotters takes them; its SVG backend writes them divided by
/// 1.24 (a 22 title is `font-size="17.7"`), so they read at 12–18 CSS
/// pixels in a browser, about the size the PNG draws them.
pub(crate) const TITLE_PX: u32 = 22;
pub(crate) const TEXT_PX: u32 = 16;
pub(crate) const SMALL_PX: u32 = 15;

pub(crate) const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(crate) const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);

/// Registers the embedded font once; plotters needs it before measuring
/// any text, for either backend.
pub(crate) fn ensure_font() -> Result<(), Error> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, ttf_noto_sans::REGULAR)
            .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Chart(
            "the embedded Noto Sans font did not load".into(),
        ))
    }
}

/// Series that share a chart, in the order their first series appears.
#[derive(Clone, Debug)]
pub struct ChartGroup<'a> {
    /// The chart's title: the series' `chart` hint, or the series' name.
    pub title: &'a str,
    /// The y axis unit, shared by every series on the chart.
    pub unit: &'a str,
    pub series: Vec<&'a Series>,
}

/// The report's charts: series grouped by [`Series::chart_key`].
pub fn chart_groups(report: &Report) -> Vec<ChartGroup<'_>> {
    let mut groups: Vec<ChartGroup<'_>> = Vec::new();
    for s in &report.series {
        match groups.iter_mut().find(|g| g.title == s.chart_key()) {
            Some(g) => g.series.push(s),
            None => groups.push(ChartGroup {
                title: s.chart_key(),
                unit: &s.unit,
                series: vec![s],
            }),
        }
    }
    groups
}

/// The y axis range for values from `lo` to `hi`: padded by 5% of the span
/// each side so no band touches the frame, never below 0 when every value
/// is ≥ 0 (supply, price and reserves cannot be negative, and an axis
/// starting at -3% suggests they could). A flat series gets ±10% of its
/// value (±1 at 0) so it is drawn mid-plot rather than on an empty range.
pub fn y_range(lo: f64, hi: f64) -> (f64, f64) {
    let span = hi - lo;
    let (lo2, hi2) = if span > 0.0 {
        (lo - span * 0.05, hi + span * 0.05)
    } else {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - d, hi + d)
    };
    if lo >= 0.0 {
        (lo2.max(0.0), hi2)
    } else {
        (lo2, hi2)
    }
}

fn data_range(series: &[&Series]) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for s in series {
        for i in 0..s.values.len() {
            if let Some(b) = s.values.band(i) {
                lo = lo.min(b[0]);
                hi = hi.max(b[4]);
            }
        }
    }
    if lo.is_finite() {
        (lo, hi)
    } else {
        (0.0, 0.0)
    }
}

fn to_err<E: std::fmt::Display>(e: E) -> Error {
    Error::Chart(e.to_string())
}

/// Draws the title, a legend and, right-aligned, what the bands mean.
/// Returns the area below the title band.
pub(crate) fn title_band<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    legend: &[(String, RGBColor)],
    note: &str,
) -> Result<DrawingArea<DB, Shift>, Error> {
    let (top, body) = root.split_vertically(TITLE_H);
    let title_style = ("sans-serif", TITLE_PX).into_font().color(&TEXT);
    top.draw_text(title, &title_style, (12, 6))
        .map_err(to_err)?;
    let small = ("sans-serif", TEXT_PX).into_font().color(&TEXT);
    let mut x = 12;
    for (name, colour) in legend {
        top.draw(&Rectangle::new([(x, 35), (x + 14, 45)], colour.filled()))
            .map_err(to_err)?;
        top.draw_text(name, &small, (x + 19, 32)).map_err(to_err)?;
        // Measured with the embedded Noto Sans; a browser draws the SVG's
        // text in its own sans-serif, and DejaVu Sans (Debian's) overlapped
        // the next swatch at 1.0x, so leave half as much again.
        let (w, _) = top.estimate_text_size(name, &small).map_err(to_err)?;
        let w = i32::try_from(w).unwrap_or(i32::MAX / 4);
        x = x.saturating_add(19 + w.saturating_mul(3) / 2 + 16);
    }
    let note_style = ("sans-serif", SMALL_PX)
        .into_font()
        .color(&MUTED)
        .pos(Pos::new(HPos::Right, VPos::Top));
    let right = i32::try_from(WIDTH - MARGIN_RIGHT).unwrap_or(0);
    top.draw_text(note, &note_style, (right, 12))
        .map_err(to_err)?;
    Ok(body)
}

/// What the bands mean, for the title band's note.
fn band_note(report: &Report, group: &ChartGroup<'_>) -> String {
    let banded = group
        .series
        .iter()
        .any(|s| matches!(s.values, SeriesValues::Bands(_)));
    if banded {
        format!(
            "line p50 · dark band p25–p75 · light band p5–p95 · {} runs",
            report.runs
        )
    } else if report.runs == 1 {
        "one run".into()
    } else {
        String::new()
    }
}

/// Draws one band chart on `root` (which must be [`WIDTH`] × [`HEIGHT`]).
pub(crate) fn draw_bands<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    report: &Report,
    group: &ChartGroup<'_>,
) -> Result<(), Error> {
    root.fill(&WHITE).map_err(to_err)?;
    // One series named like its chart needs no legend.
    let alone = group.series.len() == 1 && group.series[0].name == group.title;
    let legend: Vec<(String, RGBColor)> = if alone {
        vec![]
    } else {
        group
            .series
            .iter()
            .zip(PALETTE)
            .map(|(s, c)| (s.name.clone(), c))
            .collect()
    };
    let body = title_band(root, group.title, &legend, &band_note(report, group))?;

    let steps = i64::try_from(report.steps).map_err(to_err)?;
    // A one-step report still needs a non-empty x range to map onto.
    let x_end = steps.max(2);
    let (lo, hi) = data_range(&group.series);
    let (y0, y1) = y_range(lo, hi);
    let mut chart = ChartBuilder::on(&body)
        .margin_top(MARGIN_TOP)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(X_LABEL_H)
        .y_label_area_size(Y_LABEL_W)
        .build_cartesian_2d(1i64..x_end, y0..y1)
        .map_err(to_err)?;
    let axis_fmt = |v: &f64| format::axis(*v);
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .x_labels(10)
        .y_labels(6)
        .y_label_formatter(&axis_fmt)
        .label_style(("sans-serif", SMALL_PX).into_font().color(&TEXT))
        .axis_desc_style(("sans-serif", TEXT_PX).into_font().color(&TEXT))
        .x_desc(report.step_unit.as_str())
        .y_desc(group.unit)
        .draw()
        .map_err(to_err)?;

    let step_of = |i: usize| i64::try_from(i).map_or(i64::MAX, |i| i + 1);
    for (s, colour) in group.series.iter().zip(PALETTE) {
        let SeriesValues::Bands(bands) = &s.values else {
            continue;
        };
        for (lo_q, hi_q, alpha) in [(0, 4, OUTER_ALPHA), (1, 3, INNER_ALPHA)] {
            let upper = bands.iter().enumerate().map(|(i, b)| (step_of(i), b[hi_q]));
            let lower = bands
                .iter()
                .enumerate()
                .rev()
                .map(|(i, b)| (step_of(i), b[lo_q]));
            let outline: Vec<(i64, f64)> = upper.chain(lower).collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    outline,
                    colour.mix(alpha).filled(),
                )))
                .map_err(to_err)?;
        }
    }
    for (s, colour) in group.series.iter().zip(PALETTE) {
        let line: Vec<(i64, f64)> = (0..s.values.len())
            .filter_map(|i| s.values.band(i).map(|b| (step_of(i), b[2])))
            .collect();
        chart
            .draw_series(std::iter::once(PathElement::new(
                line,
                colour.stroke_width(LINE_WIDTH),
            )))
            .map_err(to_err)?;
    }
    root.present().map_err(to_err)?;
    Ok(())
}

/// Renders with `draw` onto an SVG document of `size` pixels.
pub(crate) fn svg_with(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), Error>,
) -> Result<String, Error> {
    ensure_font()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root)?;
    }
    Ok(out)
}

/// Renders with `draw` into an RGB buffer of `size` pixels, encoded as PNG.
pub(crate) fn png_with(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), Error>,
) -> Result<Vec<u8>, Error> {
    ensure_font()?;
    let (w, h) = size;
    let pixels = usize::try_from(u64::from(w) * u64::from(h) * 3).map_err(to_err)?;
    let mut rgb = vec![255u8; pixels];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
        draw(&root)?;
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(to_err)?;
    writer.write_image_data(&rgb).map_err(to_err)?;
    writer.finish().map_err(to_err)?;
    Ok(out)
}

/// One band chart as an SVG document ([`WIDTH`] × [`HEIGHT`]).
pub fn chart_svg(report: &Report, group: &ChartGroup<'_>) -> Result<String, Error> {
    svg_with((WIDTH, HEIGHT), |root| draw_bands(root, report, group))
}

/// One band chart as PNG bytes ([`WIDTH`] × [`HEIGHT`], RGB).
pub fn chart_png(report: &Report, group: &ChartGroup<'_>) -> Result<Vec<u8>, Error> {
    png_with((WIDTH, HEIGHT), |root| draw_bands(root, report, group))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_series(values: SeriesValues, steps: usize) -> Report {
        Report {
            title: "t".into(),
            scenario_name: "s".into(),
            parameters: vec![],
            summary: vec![],
            warnings: Vec::new(),
            runs: 100,
            steps,
            step_unit: "day".into(),
            series: vec![Series {
                name: "supply".into(),
                unit: "LAM".into(),
                chart: None,
                values,
            }],
            detectors: vec![],
            sweep: None,
            sensitivity: None,
        }
    }

    /// The plot spans x 84..=875 (84 = the y label area; 900 - 24 right
    /// margin - 1) and y 335..=60 (380 - 44 x label area - 1; the 52-pixel
    /// title band plus the 8-pixel margin). Data 0..100 gets the y range
    /// 0..105 (5% padding, floor 0). plotters maps x = 84 + floor(791 t +
    /// 0.001) and y = 335 + ceil(-275 t - 0.001): step 2 of 1..3 is t = 0.5,
    /// x 479; 40 is t = 0.381, y 335 - 104 = 231; 100 gives 335 - 261 = 74.
    #[test]
    fn a_known_band_lands_on_known_pixels() {
        let r = one_series(
            SeriesValues::Bands(vec![
                [0.0, 10.0, 20.0, 30.0, 40.0],
                [10.0, 20.0, 50.0, 60.0, 100.0],
                [0.0, 5.0, 10.0, 15.0, 20.0],
            ]),
            3,
        );
        assert_eq!(y_range(0.0, 100.0), (0.0, 105.0));
        let groups = chart_groups(&r);
        let svg = chart_svg(&r, &groups[0]).unwrap();
        // p95 forward (40, 100, 20), then p5 back (0, 10, 0).
        let outer = r##"<polygon opacity="0.15" fill="#1F77B4" points="84,231 479,74 875,283 875,335 479,309 84,335 "/>"##;
        // p75 forward (30, 60, 15), then p25 back (5, 20, 10).
        let inner = r##"<polygon opacity="0.3" fill="#1F77B4" points="84,257 479,178 875,296 875,322 479,283 84,309 "/>"##;
        // p50: 20, 50, 10.
        let line = r##"<polyline fill="none" opacity="1" stroke="#1F77B4" stroke-width="2" points="84,283 479,205 875,309 "/>"##;
        for want in [outer, inner, line] {
            assert!(svg.contains(want), "missing {want} in\n{svg}");
        }
        // The outer band is drawn first so the inner one sits on top.
        assert!(svg.find(outer) < svg.find(inner) && svg.find(inner) < svg.find(line));
    }

    #[test]
    fn a_line_has_no_band_and_axes_name_units() {
        let r = one_series(SeriesValues::Line(vec![1.0, 2.0, 3.0]), 3);
        let svg = chart_svg(&r, &chart_groups(&r)[0]).unwrap();
        assert!(!svg.contains("<polygon"));
        assert_eq!(svg.matches(r##"stroke="#1F77B4""##).count(), 1);
        assert!(
            svg.contains(">\nLAM\n</text>") || svg.contains(">LAM</text>"),
            "{svg}"
        );
        assert!(svg.contains("day"));
        assert!(svg.contains("one run") || r.runs != 1);
    }

    #[test]
    fn y_ranges() {
        assert_eq!(y_range(10.0, 110.0), (5.0, 115.0));
        assert_eq!(y_range(-10.0, 10.0), (-11.0, 11.0));
        assert_eq!(y_range(0.0, 0.0), (0.0, 1.0));
        assert_eq!(y_range(50.0, 50.0), (45.0, 55.0));
    }

    #[test]
    fn png_has_the_chart_size_and_colours() {
        let r = one_series(
            SeriesValues::Bands(vec![[0.0, 10.0, 20.0, 30.0, 40.0]; 30]),
            30,
        );
        let bytes = chart_png(&r, &chart_groups(&r)[0]).unwrap();
        let dec = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = dec.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        let blue = buf
            .chunks(3)
            .filter(|p| p[0] == 0x1F && p[1] == 0x77 && p[2] == 0xB4)
            .count();
        // The p50 line: 792 pixels long, 2 wide, less anti-aliased edges.
        assert!(blue > 700, "{blue} line pixels");
    }
}
