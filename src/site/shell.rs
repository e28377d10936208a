//! The frame every page shares: the document head (the site's style sheet
//! and script, relative to the page), the navigation and the title.

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
pub fn kind(report: &str) -> &str {
    match report {
        "budget" => "预算",
        "final" => "决算",
        other => other,
    }
}
