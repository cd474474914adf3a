//! The tornado chart: one outcome's swing as each parameter moves alone
//! from its low to its high value, widest swing on top. Each row has two
//! bars from the base value: to the outcome at the low value (blue) and at
//! the high value (orange); when both lie on one side of the base, the
//! shorter is drawn over the longer so both stay visible.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart::{
    png_with, svg_with, title_band, MARGIN_RIGHT, MARGIN_TOP, MUTED, PALETTE, SMALL_PX, TEXT,
    TEXT_PX, TITLE_H, WIDTH, X_LABEL_H,
};
use crate::format;
use crate::model::{Tornado, TornadoBar};
use crate::Error;

/// Height of one parameter's row in pixels: two lines of 15-pixel text.
pub const ROW_H: u32 = 40;
/// Left of the plot: the parameter's name and its two values.
const LABEL_W: u32 = 300;
/// Characters of a row label before it is cut with "…": what fits in
/// [`LABEL_W`] at 15 pixels.
const LABEL_CHARS: usize = 38;
/// Colour of the bar to the outcome at the parameter's low value.
pub const LOW: RGBColor = PALETTE[0];
/// Colour of the bar to the outcome at the parameter's high value.
pub const HIGH: RGBColor = PALETTE[1];

/// The chart's size: [`WIDTH`] wide, a [`ROW_H`] row per bar.
pub fn tornado_size(t: &Tornado) -> (u32, u32) {
    let rows = u32::try_from(t.bars.len()).unwrap_or(u32::MAX / ROW_H);
    (WIDTH, TITLE_H + MARGIN_TOP + rows * ROW_H + X_LABEL_H)
}

/// Bars widest swing first; ties keep the caller's order.
pub fn sorted_bars(t: &Tornado) -> Vec<&TornadoBar> {
    let mut bars: Vec<&TornadoBar> = t.bars.iter().collect();
    bars.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    bars
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn to_err<E: std::fmt::Display>(e: E) -> Error {
    Error::Chart(e.to_string())
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, t: &Tornado) -> Result<(), Error> {
    root.fill(&WHITE).map_err(to_err)?;
    let legend = [
        ("at the low value".to_string(), LOW),
        ("at the high value".to_string(), HIGH),
    ];
    let note = format!("base {} {}", format::number(t.base_value), t.unit);
    let title = format!("Sensitivity of {}", t.outcome);
    let body = title_band(root, &title, &legend, &note)?;

    let bars = sorted_bars(t);
    let mut lo = t.base_value;
    let mut hi = t.base_value;
    for b in &bars {
        lo = lo.min(b.outcome_at_low).min(b.outcome_at_high);
        hi = hi.max(b.outcome_at_low).max(b.outcome_at_high);
    }
    // Pad like the band charts, but around the data only: a tornado's
    // outcome need not be a quantity, and bars start at the base anyway.
    let pad = if hi > lo {
        (hi - lo) * 0.05
    } else {
        lo.abs().max(1.0) * 0.1
    };
    let n = bars.len() as f64;
    let mut chart = ChartBuilder::on(&body)
        .margin_top(MARGIN_TOP)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(X_LABEL_H)
        .y_label_area_size(LABEL_W)
        .build_cartesian_2d((lo - pad)..(hi + pad), 0.0..n)
        .map_err(to_err)?;
    let axis_fmt = |v: &f64| format::axis(*v);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xE4, 0xE4, 0xE4))
        .axis_style(MUTED)
        .x_labels(8)
        .x_label_formatter(&axis_fmt)
        .label_style(("sans-serif", SMALL_PX).into_font().color(&TEXT))
        .axis_desc_style(("sans-serif", TEXT_PX).into_font().color(&TEXT))
        .x_desc(format!("{} ({})", t.outcome, t.unit))
        .draw()
        .map_err(to_err)?;

    let name_style = ("sans-serif", SMALL_PX)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Right, VPos::Bottom));
    let values_style = ("sans-serif", SMALL_PX)
        .into_font()
        .color(&MUTED)
        .pos(Pos::new(HPos::Right, VPos::Top));
    for (i, b) in bars.iter().enumerate() {
        // Row 0 (the widest) is at the top: y runs from n at the top down.
        let top = n - i as f64 - 0.2;
        let bottom = n - i as f64 - 0.8;
        let mut ends = [(b.outcome_at_low, LOW), (b.outcome_at_high, HIGH)];
        // The farther end first, so the nearer one is drawn over it.
        ends.sort_by(|x, y| {
            let dx = (x.0 - t.base_value).abs();
            let dy = (y.0 - t.base_value).abs();
            dy.total_cmp(&dx)
        });
        for (end, colour) in ends {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    // Corners as upper-left, lower-right: a backend takes
                    // a reversed rectangle's width as negative.
                    [
                        (t.base_value.min(end), top),
                        (t.base_value.max(end), bottom),
                    ],
                    colour.filled(),
                )))
                .map_err(to_err)?;
        }
        let (px, py) = chart.backend_coord(&(lo - pad, n - i as f64 - 0.5));
        let x = px - 8;
        root.draw_text(&cut(&b.parameter, LABEL_CHARS), &name_style, (x, py - 1))
            .map_err(to_err)?;
        let values = cut(&format!("{} … {}", b.low_value, b.high_value), LABEL_CHARS);
        root.draw_text(&values, &values_style, (x, py + 1))
            .map_err(to_err)?;
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(t.base_value, 0.0), (t.base_value, n)],
            TEXT.stroke_width(1),
        )))
        .map_err(to_err)?;
    root.present().map_err(to_err)?;
    Ok(())
}

/// The tornado as an SVG document of [`tornado_size`].
pub fn tornado_svg(t: &Tornado) -> Result<String, Error> {
    svg_with(tornado_size(t), |root| draw(root, t))
}

/// The tornado as PNG bytes of [`tornado_size`].
pub fn tornado_png(t: &Tornado) -> Result<Vec<u8>, Error> {
    png_with(tornado_size(t), |root| draw(root, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(p: &str, lo: f64, hi: f64) -> TornadoBar {
        TornadoBar {
            parameter: p.into(),
            low_value: "low".into(),
            high_value: "high".into(),
            outcome_at_low: lo,
            outcome_at_high: hi,
        }
    }

    #[test]
    fn widest_swing_first_and_bars_from_the_base() {
        let t = Tornado {
            outcome: "final supply".into(),
            unit: "LAM".into(),
            base_value: 100.0,
            bars: vec![
                bar("a", 90.0, 110.0),
                bar("b", 50.0, 160.0),
                bar("c", 99.0, 100.0),
            ],
        };
        let names: Vec<&str> = sorted_bars(&t)
            .iter()
            .map(|b| b.parameter.as_str())
            .collect();
        assert_eq!(names, ["b", "a", "c"]);
        assert_eq!(tornado_size(&t), (900, 52 + 8 + 3 * 40 + 44));
        let svg = tornado_svg(&t).unwrap();
        // Three rows, two bars each, plus the two legend swatches.
        assert_eq!(svg.matches(r##"fill="#1F77B4""##).count(), 3 + 1);
        assert_eq!(svg.matches(r##"fill="#FF7F0E""##).count(), 3 + 1);
        // x spans 50..160 padded by 5.5 each side over pixels 300..=875:
        // the base (100) maps to 300 + floor(575 * 55.5 / 121 + 0.001) = 563,
        // which is where every bar starts or ends.
        let rects: Vec<&str> = svg
            .lines()
            .filter(|l| l.starts_with("<rect") && l.contains("#1F77B4") && !l.contains(r#"y="35""#))
            .collect();
        assert_eq!(rects.len(), 3);
        for r in rects {
            let x = attr(r, "x");
            let w = attr(r, "width");
            assert!(x == 563 || x + w == 563, "{r}");
        }
    }

    fn attr(tag: &str, name: &str) -> i32 {
        let key = format!(" {name}=\"");
        let at = tag.find(&key).unwrap() + key.len();
        tag[at..].split('"').next().unwrap().parse().unwrap()
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
        assert_eq!(cut("ééééé", 3), "éé…");
    }
}
