//! `gongkai site OUT`: a static review site for one run — plain HTML and
//! CSS, inline SVG charts, a little vanilla JavaScript for sorting and
//! filtering; no network, opens from the file system. Pages are written
//! with `maud`, which escapes every text it is given: a report's item names
//! (`<script>`, `"><img onerror=…>`, `=SUM(…)`) are shown as text.
//!
//! The site, under `SITE` (default `OUT/site`):
//! - `index.html` — every document ([`index`]);
//! - `overview.html` — reports per province and year, failed-check share,
//!   the most frequent findings ([`overview`]);
//! - `report/DOC_ID.html` — a report's findings and tables, failed cells
//!   marked ([`report`], [`grid`]);
//! - `department/KEY.html` — a department across years ([`department`]);
//!   `KEY` is the first 16 hex digits of the SHA-256 of `department_key`;
//! - `pages/DOC_ID-N.png` — the printed pages the report pages show, when
//!   `--sources` names the folder that was extracted and poppler's
//!   `pdftoppm` is found (`GONGKAI_PDFTOPPM` or the `PATH`); without it a
//!   page is a link to the source file at `#page=N`, without `--sources`
//!   its number;
//! - `assets/site.css`, `assets/site.js`.
//!
//! Everything is read from the output folder ([`data`]); nothing is
//! re-extracted. The folder is read holding its lock, and only when it has
//! its `datapackage.json` (a folder mid-publish, or not gongkai's, is
//! refused), so a site never shows the files of two runs. The same output gives the same site, byte for byte
//! (page images aside, which are poppler's).

pub mod chart;
pub mod data;
pub mod department;
pub mod grid;
pub mod index;
pub mod overview;
pub mod report;
mod shell;

use crate::external::{find_program, run};
use crate::model::CheckStatus;
use crate::patterns::Patterns;
use data::Run;
use maud::{html, Markup};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How a site is made.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// The folder that was extracted (the root `source` paths are relative
    /// to): page images and links to the files.
    pub sources: Option<PathBuf>,
    /// Render the printed pages beside the tables (needs `sources` and
    /// `pdftoppm`).
    pub images: bool,
}

/// What was written.
#[derive(Debug, Default)]
pub struct SiteSummary {
    pub documents: usize,
    pub departments: usize,
    pub images: usize,
    /// Why there are no page images, when asked for and there are none.
    pub images_note: Option<String>,
    pub elapsed: Duration,
}

/// A site that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Read(#[from] data::ReadError),
    #[error("{}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The folder is no finished output, or a run is writing it.
    #[error("{}: {why}", path.display())]
    NotReady { path: PathBuf, why: String },
}

/// Hold the output folder still while it is read: refused when it has no
/// `datapackage.json` (not a gongkai output, or one caught mid-publish)
/// or another gongkai holds its lock. The lock is taken where the folder
/// can be written; a read-only folder has no writer to wait for.
fn hold_still(output: &Path) -> Result<Option<crate::pipeline::lock::OutputLock>, SiteError> {
    let not_ready = |why: String| SiteError::NotReady {
        path: output.to_path_buf(),
        why,
    };
    if !output.join("datapackage.json").is_file() {
        return Err(not_ready(
            "no datapackage.json: not a finished gongkai output (a run writing it, or killed while publishing: run gongkai check on it to finish)".into(),
        ));
    }
    match crate::pipeline::lock::OutputLock::take(output) {
        Ok(lock) => Ok(Some(lock)),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => Ok(None),
        Err(e) => Err(not_ready(e.to_string())),
    }
}

/// The file name of a report's page.
pub fn report_file(doc_id: &str) -> String {
    let safe: String = doc_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    format!("{safe}.html")
}

/// The file name of a department's page.
pub fn department_file(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{hex}.html")
}

/// What the pages need beyond the run: where the sources are, the page
/// images rendered.
pub struct Context<'p> {
    /// The patterns the run was extracted with (which figures a
    /// cross-table rule compares).
    pub patterns: &'p Patterns,
    /// From `report/` to the extracted folder, as a relative URL prefix.
    sources_url: Option<String>,
    images: BTreeMap<(String, u32), String>,
}

/// `path` as a URL path: each component kept, the characters a URL gives
/// meaning to escaped.
fn url_path(path: &str) -> String {
    path.chars()
        .map(|c| match c {
            '%' => "%25".to_string(),
            '#' => "%23".to_string(),
            '?' => "%3F".to_string(),
            ' ' => "%20".to_string(),
            '\\' => "/".to_string(),
            other => other.to_string(),
        })
        .collect()
}

/// The relative path from folder `from` to `to` (both absolute).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part);
    }
    out
}

impl Context<'_> {
    /// A link to the source file (at a page), or the text alone when the
    /// sources are not known.
    pub fn source_link(&self, source: &str, page: Option<u32>, text: &str) -> Markup {
        match &self.sources_url {
            Some(prefix) => {
                let fragment = page.map(|p| format!("#page={p}")).unwrap_or_default();
                html! { a.source href=(format!("{prefix}{}{fragment}", url_path(source))) { (text) } }
            }
            None => html! { span.source { (text) } },
        }
    }

    /// A printed page beside its table: the image, or a link to it.
    pub fn page_view(&self, document: &data::DocumentRow, page: u32) -> Markup {
        let label = format!("第{page}页 p. {page}");
        match self.images.get(&(document.doc_id.clone(), page)) {
            Some(image) => html! {
                figure.page {
                    img src=(format!("../{image}")) alt=(label) loading="lazy";
                    figcaption { (self.source_link(&document.source, Some(page), &label)) }
                }
            },
            None => html! { p.page { (self.source_link(&document.source, Some(page), &label)) } },
        }
    }
}

fn write(path: &Path, text: &str) -> Result<(), SiteError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| SiteError::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| SiteError::Write {
        path: path.to_path_buf(),
        source,
    })
}

fn by_doc<T, F: Fn(&T) -> &str>(rows: &[T], id: F) -> BTreeMap<&str, Vec<&T>> {
    let mut out: BTreeMap<&str, Vec<&T>> = BTreeMap::new();
    for row in rows {
        out.entry(id(row)).or_default().push(row);
    }
    out
}

/// The pages of each PDF report worth showing: those its facts and failed
/// checks are on.
fn pages_to_show(run: &Run) -> BTreeSet<(String, u32)> {
    let pdf: BTreeSet<&str> = run
        .documents
        .iter()
        .filter(|d| d.format == "pdf")
        .map(|d| d.doc_id.as_str())
        .collect();
    let facts = run
        .facts
        .iter()
        .filter(|f| f.table != "narrative")
        .map(|f| (&f.doc_id, &f.page));
    let checks = run
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail && c.table != "narrative")
        .map(|c| (&c.doc_id, &c.page));
    facts
        .chain(checks)
        .filter(|(doc, _)| pdf.contains(doc.as_str()))
        .filter_map(|(doc, page)| Some((doc.clone(), (*page)?)))
        .collect()
}

/// Render the pages to show as small PNGs under `site/pages/`; the images
/// made, or why none were.
fn render_pages(
    run: &Run,
    sources: &Path,
    site: &Path,
) -> Result<BTreeMap<(String, u32), String>, String> {
    let pdftoppm = find_program("GONGKAI_PDFTOPPM", &["pdftoppm"])
        .ok_or("pdftoppm not found (apt-get install poppler-utils, or set GONGKAI_PDFTOPPM): pages are linked, not shown")?;
    let folder = site.join("pages");
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let source_of: BTreeMap<&str, &str> = run
        .documents
        .iter()
        .map(|d| (d.doc_id.as_str(), d.source.as_str()))
        .collect();
    let made: Vec<((String, u32), String)> = pages_to_show(run)
        .into_par_iter()
        .filter_map(|(doc, page)| {
            let file = sources.join(source_of.get(doc.as_str())?);
            let name = format!(
                "{}-{page}",
                doc.chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
            );
            let mut command = Command::new(&pdftoppm);
            command.args([
                "-png",
                "-scale-to",
                "900",
                "-f",
                &page.to_string(),
                "-l",
                &page.to_string(),
                "-singlefile",
            ]);
            command.arg(&file).arg(folder.join(&name));
            run_quietly(&mut command)?;
            folder
                .join(format!("{name}.png"))
                .is_file()
                .then(|| ((doc, page), format!("pages/{name}.png")))
        })
        .collect();
    Ok(made.into_iter().collect())
}

fn run_quietly(command: &mut Command) -> Option<()> {
    run(command, Duration::from_secs(60)).ok().map(|_| ())
}

/// Write the site for the run in `output` into `site`; `patterns` are
/// those the run was extracted with.
pub fn generate(
    output: &Path,
    site: &Path,
    options: &SiteOptions,
    patterns: &Patterns,
) -> Result<SiteSummary, SiteError> {
    let started = Instant::now();
    let _lock = hold_still(output)?;
    let run = Run::read(output)?;
    let mut summary = SiteSummary::default();
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let sources = options.sources.as_deref().map(absolute);
    let images = match (&sources, options.images) {
        (Some(sources), true) => render_pages(&run, sources, site).unwrap_or_else(|note| {
            summary.images_note = Some(note);
            BTreeMap::new()
        }),
        (None, true) => {
            summary.images_note = Some("no --sources: pages are not shown".into());
            BTreeMap::new()
        }
        _ => BTreeMap::new(),
    };
    let sources_url = sources.map(|s| {
        let rel = relative(&absolute(site).join("report"), &s);
        format!("{}/", url_path(&rel.to_string_lossy()))
    });
    let context = Context {
        patterns,
        sources_url,
        images,
    };
    summary.images = context.images.len();
    write_pages(&run, site, &context, &mut summary)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

fn write_pages(
    run: &Run,
    site: &Path,
    context: &Context,
    summary: &mut SiteSummary,
) -> Result<(), SiteError> {
    write(
        &site.join("assets/site.css"),
        include_str!("assets/site.css"),
    )?;
    write(&site.join("assets/site.js"), include_str!("assets/site.js"))?;
    write(&site.join("index.html"), &index::render(run).into_string())?;
    write(
        &site.join("overview.html"),
        &overview::render(run).into_string(),
    )?;
    let facts = by_doc(&run.facts, |f| &f.doc_id);
    let checks = by_doc(&run.checks, |c| &c.doc_id);
    let findings = by_doc(&run.findings, |f| &f.doc_id);
    let pages: Vec<(String, String)> = run
        .documents
        .par_iter()
        .map(|document| {
            let id = document.doc_id.as_str();
            let page = report::Report {
                document,
                facts: facts.get(id).cloned().unwrap_or_default(),
                checks: checks.get(id).cloned().unwrap_or_default(),
                findings: findings.get(id).cloned().unwrap_or_default(),
            };
            (
                report_file(id),
                report::render(&page, context).into_string(),
            )
        })
        .collect();
    for (name, html) in &pages {
        write(&site.join("report").join(name), html)?;
    }
    summary.documents = pages.len();
    let mut departments: BTreeMap<&str, Vec<&data::DocumentRow>> = BTreeMap::new();
    for document in run
        .documents
        .iter()
        .filter(|d| !d.department_key.is_empty())
    {
        departments
            .entry(&document.department_key)
            .or_default()
            .push(document);
    }
    for (key, mut documents) in departments {
        documents
            .sort_by(|a, b| (&a.year, &a.report, &a.source).cmp(&(&b.year, &b.report, &b.source)));
        let department = department::Department {
            key,
            facts: documents
                .iter()
                .map(|d| {
                    (
                        d.doc_id.as_str(),
                        facts.get(d.doc_id.as_str()).cloned().unwrap_or_default(),
                    )
                })
                .collect(),
            comparisons: run
                .reconciliation
                .iter()
                .filter(|r| {
                    r.expected_department_key == key
                        || r.actual_department_key.split(';').any(|k| k == key)
                })
                .collect(),
            documents,
        };
        write(
            &site.join("department").join(department_file(key)),
            &department::render(&department).into_string(),
        )?;
        summary.departments += 1;
    }
    Ok(())
}
