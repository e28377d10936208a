//! The frame every page shares: the document head (the site's style sheet
//! and script, relative to the page), the navigation and the title.

use crate::model::ReportKind;
use maud::{html, Markup, DOCTYPE};

/// A whole page; `root` is the path from the page to the site's root
/// (`""` or `"../"`).
pub fn page(title: &str, root: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · gongkai" }
                link rel="stylesheet" href=(format!("{root}assets/site.css"));
            }
            body {
                nav {
                    a href=(format!("{root}index.html")) { "报告 Reports" }
                    a href=(format!("{root}overview.html")) { "概览 Overview" }
                }
                main {
                    h1 { (title) }
                    (body)
                }
                script src=(format!("{root}assets/site.js")) {}
            }
        }
    }
}

/// The report kind in Chinese.
pub fn kind(report: Option<ReportKind>) -> &'static str {
    match report {
        Some(ReportKind::Budget) => "预算",
        Some(ReportKind::Final) => "决算",
        None => "",
    }
}

/// The report kind's key (`budget`, `final`), empty when unknown.
pub fn kind_key(report: Option<ReportKind>) -> &'static str {
    report.map_or("", ReportKind::as_str)
}

/// A year, empty when unknown.
pub fn year(year: Option<u16>) -> String {
    year.map(|y| y.to_string()).unwrap_or_default()
}
