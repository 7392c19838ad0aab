//! Line charts over days, drawn by the server as SVG (plotters): no script, no CDN, and printable. Pages put the
//! same figures in a table beside the chart for screen readers.

use chrono::NaiveDate;
use plotters::prelude::*;

/// Colours told apart also in grey and by most colour-blind readers (Okabe–Ito).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 0, 0),
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(213, 94, 0),
];

/// One line: its name in the legend and a value per day.
pub struct Line<'a> {
    pub name: &'a str,
    pub values: &'a [i64],
}

/// An SVG document of the lines over `days`; empty when there is nothing to draw.
pub fn daily_lines(days: &[NaiveDate], lines: &[Line<'_>], width: u32, height: u32) -> String {
    if days.is_empty() {
        return String::new();
    }
    let top = lines.iter().flat_map(|l| l.values.iter().copied()).max().unwrap_or(0).max(1);
    let mut svg = String::new();
    let drawn = draw(&mut svg, top, days, lines, (width, height));
    if drawn.is_err() {
        return String::new();
    }
    svg
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

/// Days are drawn by their index (one apart), labelled by their date.
fn draw(svg: &mut String, top: i64, days: &[NaiveDate], lines: &[Line<'_>], size: (u32, u32)) -> Drawn {
    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(44)
        .build_cartesian_2d(0..days.len().saturating_sub(1).max(1), 0..top + top / 10 + 1)?;
    chart
        .configure_mesh()
        .x_labels(6)
        .x_label_formatter(&|i: &usize| days.get(*i).map_or_else(String::new, |d| d.format("%m-%d").to_string()))
        .y_labels(6)
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    for (i, line) in lines.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let stroke = colour.stroke_width(if i == 0 { 3 } else { 2 });
        chart
            .draw_series(LineSeries::new(line.values.iter().copied().enumerate(), stroke))?
            .label(line.name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(3)));
    }
    chart.configure_series_labels().background_style(WHITE.mix(0.85)).border_style(BLACK).draw()?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_each_line_with_its_legend_and_nothing_without_days() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let days = [day(1), day(2), day(3)];
        let svg = daily_lines(
            &days,
            &[Line { name: "전체", values: &[3, 5, 4] }, Line { name: "상계1동", values: &[1, 2, 2] }],
            600,
            300,
        );
        assert!(svg.starts_with("<svg") && svg.contains("전체") && svg.contains("상계1동"), "{svg}");
        let three_points = svg
            .split("<polyline")
            .filter_map(|p| p.split("points=\"").nth(1)?.split('"').next())
            .filter(|points| points.split_whitespace().count() == 3)
            .count();
        assert_eq!(three_points, 2, "one line of three days per series (axes and legend are two points)");
        assert!(svg.contains("stroke=\"#0072B2\""), "the second series in its own colour");
        assert_eq!(daily_lines(&[], &[], 600, 300), "");
    }
}
