//! The house has floors (issue 26): each module of `src/` stands on a floor,
//! imports only from its own floor or those below, and no two files import
//! each other, directly or round a circle.
//!
//! Read from the sources: every `crate::…` and `super::…` path outside
//! comments, string literals and the test module at a file's end, resolved
//! to the file that defines it (the longest module path that is a file).
//! A folder's `mod.rs` is the module itself: its own parts may use it and
//! it them (that is no circle). `lib.rs` and `main.rs` stand above all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The floors, lowest first: a module imports from its own floor or lower.
const FLOORS: &[&[&str]] = &[
    &["number", "text", "model", "budget", "external", "folder"],
    &["patterns"],
    &["decode"],
    &["limits", "layout", "ocr"],
    &["read"],
    &["detect"],
    &["parse"],
    &["check"],
    &["review"],
    &["write"],
    &["reconcile"],
    &["pipeline"],
    &["site"],
];

fn floor_of(module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or(module);
    FLOORS.iter().position(|floor| floor.contains(&top))
}

/// Every `.rs` file of `src/`, by module path (`decode::pdf::content`,
/// `decode::pdf` for `decode/pdf/mod.rs`).
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<String, PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut inner = prefix.to_vec();
                inner.push(name);
                walk(&path, &inner, out);
            } else if let Some(stem) = name.strip_suffix(".rs") {
                let mut parts = prefix.to_vec();
                if stem != "mod" {
                    parts.push(stem.to_string());
                }
                out.insert(parts.join("::"), path);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, &[], &mut out);
    out.remove("lib");
    out.remove("main");
    out
}

/// The code of a file: comments, string and char literals blanked, the
/// test module at its end cut off.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// The module paths a file names: `crate::a::b` and `super::c` paths, with
/// the items of a `{…}` group each (`use super::{x, y::z}`).
fn named_paths(module: &str, is_mod_rs: bool, code: &str) -> BTreeSet<String> {
    let path = regex_lite_paths(code);
    let mut out = BTreeSet::new();
    let parent: Vec<&str> = {
        let mut parts: Vec<&str> = module.split("::").collect();
        // `super` of a mod.rs is its folder's parent; of a file, its folder
        if !is_mod_rs || !parts.is_empty() {
            parts.pop();
        }
        parts
    };
    for p in path {
        let (base, rest) = if let Some(rest) = p.strip_prefix("crate::") {
            (Vec::new(), rest.to_string())
        } else if let Some(rest) = p.strip_prefix("super::") {
            (parent.clone(), rest.to_string())
        } else {
            continue;
        };
        for item in expand_groups(&rest) {
            let mut full: Vec<String> = base.iter().map(|s| s.to_string()).collect();
            full.extend(item.split("::").map(str::to_string));
            out.insert(full.join("::"));
        }
    }
    out
}

/// The paths starting at each `crate::` or `super::` of the code, with
/// their `{…}` groups.
fn regex_lite_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(start) {
            let begin = from + at;
            from = begin + start.len();
            let before = code[..begin].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut depth = 0;
            let mut end = begin;
            for (i, c) in code[begin..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth > 0 => depth -= 1,
                    c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') => {
                        end = begin + i;
                        break;
                    }
                    _ => {}
                }
                end = begin + i + c.len_utf8();
            }
            out.push(code[begin..end].split_whitespace().collect());
        }
    }
    out
}

/// `a::{b, c::d}` → `a::b`, `a::c::d`.
fn expand_groups(path: &str) -> Vec<String> {
    let Some(open) = path.find('{') else {
        return vec![path.trim_end_matches("::").to_string()];
    };
    let head = &path[..open];
    let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|i| !i.trim().is_empty() && i.trim() != "self")
        .flat_map(|i| expand_groups(&format!("{head}{}", i.trim())))
        .chain(std::iter::once(head.trim_end_matches("::").to_string()))
        .collect()
}

/// The file a module path names: its longest prefix that is a module.
fn resolve<'a>(path: &str, modules: &'a BTreeMap<String, PathBuf>) -> Option<&'a str> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find_map(|candidate| modules.get_key_value(&candidate).map(|(k, _)| k.as_str()))
}

/// Whether `a` and `b` are a module and one of its own parts.
fn module_and_part(a: &str, b: &str) -> bool {
    let inside = |outer: &str, inner: &str| inner.starts_with(&format!("{outer}::"));
    inside(a, b) || inside(b, a)
}

/// Every import between two files: `(importer, imported)`.
fn imports() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    let mut edges = BTreeSet::new();
    for (module, path) in &modules {
        let text = std::fs::read_to_string(path).unwrap();
        let is_mod_rs = path.file_name().is_some_and(|n| n == "mod.rs");
        for named in named_paths(module, is_mod_rs, &code(&text)) {
            if let Some(target) = resolve(&named, &modules) {
                if target != module {
                    edges.insert((module.clone(), target.to_string()));
                }
            }
        }
    }
    edges
}

#[test]
fn no_module_imports_from_a_floor_above_its_own() {
    let mut up = Vec::new();
    for (from, to) in imports() {
        let (Some(a), Some(b)) = (floor_of(&from), floor_of(&to)) else {
            panic!("{from} or {to} stands on no floor: add it to FLOORS");
        };
        if b > a {
            up.push(format!("{from} (floor {a}) imports {to} (floor {b})"));
        }
    }
    assert!(up.is_empty(), "imports up:\n{}", up.join("\n"));
}

#[test]
fn no_two_files_import_each_other_round_a_circle() {
    let edges: Vec<(String, String)> = imports()
        .into_iter()
        .filter(|(a, b)| !module_and_part(a, b))
        .collect();
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in &edges {
        next.entry(a).or_default().push(b);
    }
    // a circle: a path from a file back to itself
    let mut circles = BTreeSet::new();
    for start in next.keys() {
        let mut stack = vec![(*start, vec![*start])];
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for &to in next.get(at).map_or(&[][..], Vec::as_slice) {
                if to == *start {
                    let mut circle: Vec<&str> = path.clone();
                    let first = circle.iter().min().copied().unwrap();
                    let turn = circle.iter().position(|m| *m == first).unwrap();
                    circle.rotate_left(turn);
                    circles.insert(circle.join(" → "));
                } else if seen.insert(to) {
                    let mut longer = path.clone();
                    longer.push(to);
                    stack.push((to, longer));
                }
            }
        }
    }
    assert!(
        circles.is_empty(),
        "files importing each other:\n{}",
        circles.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn paths_are_read_as_written() {
    assert_eq!(
        expand_groups("a::{b, c::{d, e}}"),
        ["a::b", "a::c::d", "a::c::e", "a::c", "a"]
    );
    let named = named_paths(
        "layout::aligned::header",
        false,
        "use super::region::Region;\nlet x = crate::text::unify(y);",
    );
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        ["layout::aligned::region::Region", "text::unify"]
    );
    assert_eq!(code("a // crate::x\n\"crate::y\" b"), "a \n\"\" b");
}
