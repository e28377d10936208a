//! The layout-text reader on small texts of the shapes real reports take.

use super::token::{tokenize, Kind, Token};
use super::{layout, layout_text, Words};
use crate::model::{Block, Document};
use crate::patterns::Patterns;

/// The built-in patterns, compiled once for all the tests (the property
/// below lays out hundreds of texts).
fn words() -> Words<'static> {
    static PATTERNS: std::sync::OnceLock<Patterns> = std::sync::OnceLock::new();
    Words::of(&PATTERNS.get_or_init(Patterns::builtin).report)
}

/// [`layout`] with the built-in words.
fn read(text: &str) -> Document {
    layout(text, &words())
}

/// [`layout_text`] with the built-in words.
fn read_text(text: &str) -> Document {
    layout_text(text, &words())
}

fn texts(tokens: &[Token]) -> Vec<(&str, Kind)> {
    tokens.iter().map(|t| (t.text.as_str(), t.kind)).collect()
}

proptest::proptest! {
    #[test]
    fn any_text_is_laid_out_without_panicking(text in "(( {1,4}|[0-9.,]{1,6}|[收入支出合计：年度元一、（）注]{1,5}|\n|\u{c})){0,80}") {
        let _ = read(&text);
        let _ = read_text(&text);
    }
}

/// Found by the property above: a header of statements only over lines
/// that give no column.
#[test]
fn regions_without_columns_are_laid_out() {
    let document = read("：年注   ：注\n0000  .\n");
    let text: String = document
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t.rows.iter().map(|r| r.cells.concat()).collect::<String>()),
            _ => None,
        })
        .collect();
    // nothing lost, though such a region has no columns to stand in
    for piece in ["：年注", "：注", "0000", "."] {
        assert!(text.contains(piece), "{piece} missing from {text}");
    }
}

#[test]
fn lines_are_cut_into_tokens() {
    assert_eq!(
        texts(&tokenize(
            "201   06   01   行政运行           1,511.90     1,511.89"
        )),
        vec![
            ("201", Kind::Code),
            ("06", Kind::Code),
            ("01", Kind::Code),
            ("行政运行", Kind::Text),
            ("1,511.90", Kind::Amount),
            ("1,511.89", Kind::Amount),
        ]
    );
    assert_eq!(
        texts(&tokenize("栏次      1 2 3")),
        vec![
            ("栏次", Kind::Text),
            ("1", Kind::Amount),
            ("2", Kind::Amount),
            ("3", Kind::Amount)
        ]
    );
    assert_eq!(
        texts(&tokenize("  一般公共服务 支出 12.50")),
        vec![
            ("一般公共服务", Kind::Text),
            ("支出", Kind::Text),
            ("12.50", Kind::Amount)
        ]
    );
    assert_eq!(
        texts(&tokenize("  other income 12.50")),
        vec![("other income", Kind::Text), ("12.50", Kind::Amount)]
    );
}

#[test]
fn a_wrapped_header_and_a_floating_line_of_figures() {
    let text = "\
收入决算表

                 本年收入合     财政拨款
  科目名称           计             收入

                 2,946.25      2,940.05
  合计
  一般公共服务支出   2,112.86      2,106.66
  社会保障和就业支出   326.72        326.72
";
    let document = read(text);
    let Block::Table(table) = &document.blocks[1] else {
        panic!("{:?}", document.blocks)
    };
    let rows: Vec<Vec<&str>> = table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.as_str()).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["科目名称", "本年收入合计", "财政拨款收入"],
            vec!["合计", "2,946.25", "2,940.05"],
            vec!["一般公共服务支出", "2,112.86", "2,106.66"],
            vec!["社会保障和就业支出", "326.72", "326.72"],
        ]
    );
}
