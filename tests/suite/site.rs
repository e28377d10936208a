//! `gongkai site`: the review site for the corpus and the seed, opened in
//! headless Chromium and asserted on the DOM it renders (after the page's
//! own script has run). Screenshots of the index, a report page and a
//! department page are written to `target/tmp/site/` (the copies in
//! `docs/` are from there). Skips, saying so, without `../shared` or
//! Chromium (`apt-get install chromium`; `GONGKAI_CHROMIUM` names another).

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("GONGKAI_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        });
    if found.is_none() {
        skip("Chromium is not installed (apt-get install chromium): the site is not opened in a browser");
    }
    found
}

fn headless(chromium: &Path) -> Command {
    let mut command = Command::new(chromium);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--allow-file-access-from-files",
    ]);
    command
}

/// The DOM Chromium renders for `page`, scripts run.
fn dom(chromium: &Path, page: &Path) -> String {
    let output = headless(chromium)
        .arg("--virtual-time-budget=3000")
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        text.contains("</html>"),
        "{}: no DOM: {}",
        page.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    text
}

fn screenshot(chromium: &Path, page: &Path, png: &Path, height: u32) {
    let status = headless(chromium)
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size=1400,{height}"))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(png.is_file(), "{}", String::from_utf8_lossy(&status.stderr));
}

fn site(output: &Path, site: &Path, sources: &Path) {
    let result = gongkai(&[
        "site",
        output.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
        "--sources",
        sources.to_str().unwrap(),
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Link every file under `from` into `to`, folders made (extract follows
/// linked files, not linked folders).
fn link_files(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            link_files(&path, &target);
        } else {
            std::os::unix::fs::symlink(&path, &target).unwrap();
        }
    }
}

/// The corpus and the seed in one folder (links, nothing copied).
fn corpus_and_seed(dir: &Path) -> Option<()> {
    link_files(&shared_corpus("")?, &dir.join("corpus"));
    std::os::unix::fs::symlink(seed_path(), dir.join(SEED_NAME)).unwrap();
    Some(())
}

fn department_page(site: &Path, key: &str) -> PathBuf {
    site.join("department")
        .join(gongkai::site::department_file(key))
}

#[test]
#[ignore = "long test: run by `cargo test --locked -- --ignored` (README, .ci/run)"]
fn the_corpus_site_lists_every_report_marks_failed_cells_and_draws_departments() {
    let _machine = machine_shared();
    let Some(chromium) = chromium() else { return };
    let input = tempfile::tempdir().unwrap();
    if corpus_and_seed(input.path()).is_none() {
        return;
    }
    let out = extract_ok(input.path(), &["--no-parquet"]);
    let site_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("site");
    let _ = std::fs::remove_dir_all(&site_dir);
    site(out.path(), &site_dir, input.path());
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents.len(), 31);

    // The index lists every document, and its script counts them.
    let index = dom(&chromium, &site_dir.join("index.html"));
    for document in &documents {
        let source = document["source"].replace('&', "&amp;");
        assert!(index.contains(&source), "index lacks {source}");
    }
    assert_eq!(index.matches("<tr class=\"status-").count(), 31);
    assert!(
        index.contains("<span class=\"shown\">31 / 31</span>"),
        "the filter script ran"
    );

    // The altered Shanghai copy: the 收入支出总计0万元 sentence and the
    // summary's 总计 it contradicts marked; the empty 三公 table listed as
    // failing.
    let altered = documents
        .iter()
        .find(|d| d["source"].ends_with("_TESTERRORS.pdf"))
        .unwrap();
    let report = site_dir
        .join("report")
        .join(format!("{}.html", altered["doc_id"]));
    let page = dom(&chromium, &report);
    let failed_cells: Vec<&str> = page.split("<td class=\"n fail").skip(1).collect();
    assert!(
        failed_cells.len() >= 3,
        "{} failed cells",
        failed_cells.len()
    );
    let zero = failed_cells
        .iter()
        .find(|c| c.contains("收入支出总计0万元"))
        .expect("the narrative total marked");
    assert!(zero.contains(">0</td>"), "{zero}");
    assert!(
        failed_cells
            .iter()
            .any(|c| c.contains(">2995.39</td>") && c.contains("收入支出总计0万元")),
        "the summary's 总计 marked with the same message"
    );
    let three_public = page
        .split("id=\"check-three_public\"")
        .nth(1)
        .expect("a section for the empty 三公 table");
    assert!(
        three_public.contains("三公") && three_public.contains("table has no figures"),
        "{}",
        &three_public[..400.min(three_public.len())]
    );
    assert!(page.contains("收入支出总计0万元"), "the finding listed");

    // The Jiangsu 委办公厅: three years of budgets in its chart.
    let department = dom(&chromium, &department_page(&site_dir, "320000:委办公厅"));
    for year in ["2017 预算", "2018 预算", "2019 预算"] {
        assert!(
            department.contains(&format!(">{year}</text>")),
            "no bar for {year}"
        );
    }
    assert!(
        department.matches("<rect").count() >= 3 * 3,
        "stacked bars of several classes"
    );

    screenshot(
        &chromium,
        &site_dir.join("index.html"),
        &site_dir.join("index.png"),
        1000,
    );
    screenshot(&chromium, &report, &site_dir.join("report.png"), 2200);
    screenshot(
        &chromium,
        &department_page(&site_dir, "320000:委办公厅"),
        &site_dir.join("department.png"),
        1000,
    );
}

/// Rewrite one column of a CSV file, every row.
fn rewrite(path: &Path, column: &str, value: impl Fn(&str) -> String) {
    let rows = read_csv(path);
    let at = rows[0].iter().position(|c| c == column).unwrap();
    let mut writer = csv::Writer::from_path(path).unwrap();
    for (i, mut row) in rows.into_iter().enumerate() {
        if i > 0 {
            row[at] = value(&row[at]);
        }
        writer.write_record(&row).unwrap();
    }
    writer.flush().unwrap();
}

#[test]
#[ignore = "long test: run by `cargo test --locked -- --ignored` (README, .ci/run)"]
fn markup_in_a_report_is_shown_as_text() {
    let _machine = machine_shared();
    let out = extract_ok(&seed_path(), &["--no-parquet"]);
    let script = "<script>document.title='pwned'</script>";
    let image = "\"><img src=x onerror=alert(1)>";
    rewrite(&out.path().join("facts.csv"), "item", |item| {
        format!("{item}{script}{image}")
    });
    rewrite(&out.path().join("documents.csv"), "department", |d| {
        format!("{d}{image}&amp;")
    });
    let site_dir = tempfile::tempdir().unwrap();
    site(out.path(), site_dir.path(), &repo_root().join("samples"));
    let html = |name: &str| std::fs::read_to_string(site_dir.path().join(name)).unwrap();
    let report_name = std::fs::read_dir(site_dir.path().join("report"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name();
    let report = html(&format!("report/{}", report_name.to_string_lossy()));
    assert!(report.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"));
    assert!(!report.contains("<script>document"));
    assert!(!report.contains("<img src=x") && !report.contains("<img src=\"x\""));
    assert!(html("index.html").contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"));
    let Some(chromium) = chromium() else { return };
    let page = dom(
        &chromium,
        &site_dir.path().join("report").join(&report_name),
    );
    assert!(
        !page.contains("<img src=\"x\""),
        "no image element from a report's text"
    );
    assert!(page.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"));
    assert!(!page.contains("<title>pwned"), "the script did not run");
}

#[test]
fn a_folder_that_is_not_an_output_is_an_error_naming_the_file() {
    let empty = tempfile::tempdir().unwrap();
    let result = gongkai(&["site", empty.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains(&format!("{}", empty.path().display()))
            && stderr.contains("no datapackage.json: not a finished gongkai output"),
        "{stderr}"
    );
    assert!(!empty.path().join("site").exists(), "nothing written");
}

/// A site is drawn from one run's files only (issue 25): an output whose
/// lock another gongkai holds, or caught mid-publish (no
/// `datapackage.json`), is refused and nothing is written.
#[test]
fn a_folder_being_written_is_not_drawn() {
    let out = extract_ok(&seed_path(), &["--no-parquet"]);
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(out.path().join(".gongkai/lock"))
        .unwrap();
    lock.lock().unwrap();
    let result = gongkai(&["site", out.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("another gongkai run is writing"),
        "{stderr}"
    );
    assert!(!out.path().join("site").exists());
    lock.unlock().unwrap();

    std::fs::remove_file(out.path().join("datapackage.json")).unwrap();
    let result = gongkai(&["site", out.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(2));
    assert!(!out.path().join("site").exists());
}
