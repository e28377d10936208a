//! Bar charts as inline SVG, labelled in Chinese: stacked bars (a
//! department's spending by functional class, one bar per year and report
//! kind) and plain bars (reports per province and year). Amounts are summed
//! exactly (`Decimal`); only the drawing turns them into pixels.

use maud::{html, Markup};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// One bar: its label under it and its parts, bottom up.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub parts: Vec<(String, Decimal)>,
}

impl Bar {
    pub fn total(&self) -> Decimal {
        self.parts.iter().map(|(_, v)| *v).sum()
    }
}

/// Colours of the series, in turn.
const PALETTE: [&str; 12] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
];

const HEIGHT: f64 = 260.0;
const TOP: f64 = 24.0;
const BAR: f64 = 46.0;
const GAP: f64 = 26.0;
const LEFT: f64 = 70.0;

/// The series in order of first appearance.
fn series(bars: &[Bar]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for bar in bars {
        for (name, _) in &bar.parts {
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

fn colour(series: &[String], name: &str) -> &'static str {
    let index = series.iter().position(|s| s == name).unwrap_or(0);
    PALETTE[index % PALETTE.len()]
}

/// A stacked bar chart; `unit` names the amounts (万元).
pub fn stacked(title: &str, bars: &[Bar], unit: &str) -> Markup {
    let names = series(bars);
    let top = bars.iter().map(Bar::total).max().unwrap_or_default();
    let scale = match top.to_f64() {
        Some(t) if t > 0.0 => HEIGHT / t,
        _ => 0.0,
    };
    let width = LEFT + bars.len() as f64 * (BAR + GAP) + GAP;
    let base = TOP + HEIGHT;
    html! {
        figure.chart {
            svg role="img" aria-label=(title) width=(width) height=(base + 40.0)
                viewBox=(format!("0 0 {width} {}", base + 40.0)) xmlns="http://www.w3.org/2000/svg" {
                title { (title) }
                line x1=(LEFT) y1=(base) x2=(width) y2=(base) stroke="#555" {}
                text x=(LEFT - 6.0) y=(TOP + 4.0) text-anchor="end" font-size="11" { (top.round_dp(2)) }
                text x=(LEFT - 6.0) y=(base) text-anchor="end" font-size="11" { "0" }
                text x="4" y="14" font-size="11" { (unit) }
                @for (i, bar) in bars.iter().enumerate() {
                    @let x = LEFT + GAP + i as f64 * (BAR + GAP);
                    (bar_parts(bar, &names, x, base, scale, unit))
                    text x=(x + BAR / 2.0) y=(base + 16.0) text-anchor="middle" font-size="11" { (bar.label) }
                    text x=(x + BAR / 2.0) y=(base + 30.0) text-anchor="middle" font-size="10" fill="#555" { (bar.total().round_dp(2)) }
                }
            }
            figcaption {
                (title)
                ul.legend {
                    @for name in &names {
                        li { span.swatch style=(format!("background:{}", colour(&names, name))) {} (name) }
                    }
                }
            }
        }
    }
}

fn bar_parts(bar: &Bar, names: &[String], x: f64, base: f64, scale: f64, unit: &str) -> Markup {
    let mut y = base;
    html! {
        @for (name, value) in &bar.parts {
            @let h = value.to_f64().unwrap_or(0.0).max(0.0) * scale;
            @let top = { y -= h; y };
            rect x=(x) y=(top) width=(BAR) height=(h) fill=(colour(names, name)) {
                title { (bar.label) " " (name) ": " (value.round_dp(2)) " " (unit) }
            }
        }
    }
}

/// A plain bar chart of counts.
pub fn counts(title: &str, bars: &[(String, usize)]) -> Markup {
    let as_bars: Vec<Bar> = bars
        .iter()
        .map(|(label, n)| Bar {
            label: label.clone(),
            parts: vec![("报告数".to_string(), Decimal::from(*n))],
        })
        .collect();
    stacked(title, &as_bars, "份")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stacked_chart_has_a_rectangle_per_part_and_escapes_its_labels() {
        let bars = vec![
            Bar {
                label: "2017 预算".into(),
                parts: vec![
                    ("一般公共服务支出".into(), Decimal::new(30000, 2)),
                    ("<b>".into(), Decimal::new(10000, 2)),
                ],
            },
            Bar {
                label: "2018 预算".into(),
                parts: vec![("一般公共服务支出".into(), Decimal::new(20000, 2))],
            },
        ];
        let svg = stacked("支出", &bars, "万元").into_string();
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("&lt;b&gt;"), "{svg}");
        assert!(!svg.contains("<b>"));
        // the tallest bar (400.00) is the full height
        assert!(svg.contains(">400.00<"), "{svg}");
    }
}
