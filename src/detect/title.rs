//! Table titles and number markers: which canonical table a title names
//! (the longest pattern title it ends with, unless a stopword before it
//! belongs to a longer title), and which number a marker stands for.

use super::items::Item;
use crate::model::{CodeKind, ReportKind};
use crate::patterns::{Patterns, TablePattern};
use crate::text::{levenshtein_by, normalise};

/// A marker as printed and the table number it stands for.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Marker {
    pub(super) printed: String,
    pub(super) number: u32,
}

/// The text of an item that could be a title: a paragraph, or a row with one
/// text cell (and perhaps a marker cell).
pub(super) fn title_candidate(item: &Item, patterns: &Patterns) -> Option<String> {
    match item {
        Item::Text(text, _) => Some(text.to_string()),
        Item::Row(row) => {
            let cells: Vec<&str> = row.non_empty_cells().map(|(_, c)| c).collect();
            match cells.as_slice() {
                [one] => Some(one.to_string()),
                [a, b] if match_marker(b, patterns).is_some() => Some(a.to_string()),
                [a, b] if match_marker(a, patterns).is_some() => Some(b.to_string()),
                _ => None,
            }
        }
    }
}

/// Match a title: the longest pattern title it ends with, else what the
/// title grammar of `report.toml`'s `[title_grammar]` reads in it:
/// [ordinal or marker] [year] [body] SUBJECT [endings] [qualifiers], each
/// table naming its subjects and marks (`[title]`), the qualifiers (in
/// brackets, or endings such as 经济分类) telling two tables of one subject
/// apart by the classification their rows follow. The report kind
/// is the list's, or the grammar's reading of the title's words (none when
/// the title says neither 预算 nor 决算).
pub fn match_title(text: &str, patterns: &Patterns) -> Option<(String, Option<ReportKind>)> {
    let full = normalise(text);
    let normalised = strip_title_decorations(&full);
    if normalised.chars().count() > 60 || normalised.contains(['。', ',', '，', ';', '；']) {
        return None;
    }
    let reading = read_title(&full, patterns);
    match match_listed_title(&normalised, patterns) {
        // a listed title qualified by the other classification (一般公共预算
        // 支出表 + (按经济分类)) is the grammar's: the by-class twin
        Some((key, _))
            if reading
                .as_ref()
                .is_some_and(|r| r.names_other_class_than(&key, patterns)) =>
        {
            reading.and_then(|r| r.table(&full, patterns))
        }
        Some((key, kind)) => Some((key, Some(kind))),
        None => reading.and_then(|r| r.table(&full, patterns)),
    }
}

/// The longest title of a table's list that the (normalised) text ends
/// with, unless a stopword before it belongs to a longer title.
fn match_listed_title(normalised: &str, patterns: &Patterns) -> Option<(String, ReportKind)> {
    let mut best: Option<(usize, String, ReportKind)> = None;
    for table in &patterns.tables {
        for kind in [ReportKind::Final, ReportKind::Budget] {
            for title in table.titles(kind) {
                let Some(prefix) = normalised.strip_suffix(title.as_str()) else {
                    continue;
                };
                if patterns
                    .report
                    .title_prefix_stopwords
                    .iter()
                    .any(|w| prefix.contains(w.as_str()))
                {
                    continue;
                }
                if best.as_ref().is_none_or(|(len, _, _)| title.len() > *len) {
                    best = Some((title.len(), table.key.clone(), kind));
                }
            }
        }
    }
    best.map(|(_, key, kind)| (key, kind))
}

/// A title taken apart by the grammar: what it is about (the year and body
/// before the subject still on it) and what qualifies it.
struct TitleReading {
    /// Without ordinal, marker, trailing statement, brackets and endings;
    /// fund words after a fund's name taken out (一般公共预算财政拨款支出 →
    /// 一般公共预算支出).
    core: String,
    /// The brackets' contents and the endings taken off.
    qualifiers: String,
}

/// The title's reading, or `None` unless it ends with 表 once its ordinal
/// or marker, the statement printed after it (单位：万元) and its brackets
/// are taken off.
fn read_title(normalised: &str, patterns: &Patterns) -> Option<TitleReading> {
    let grammar = &patterns.report.title_grammar;
    let (mut core, mut qualifiers) = without_brackets(normalised);
    for regex in &grammar.cut_at {
        if let Some(found) = regex.find(&core).filter(|m| m.start() > 0) {
            core.truncate(found.start());
        }
    }
    loop {
        let before = core.len();
        for regex in &grammar.prefixes {
            if let Some(found) = regex.find(&core).filter(|m| m.end() < core.len()) {
                core = core[found.end()..].to_string();
            }
        }
        if core.len() == before {
            break;
        }
    }
    if !core.ends_with('表') {
        return None;
    }
    // the endings: 表, then 情况, 明细, 预算, 经济, 分类 … in any order
    'ending: loop {
        for ending in &grammar.endings {
            if core.len() > ending.len() && core.ends_with(ending.as_str()) {
                core.truncate(core.len() - ending.len());
                qualifiers.push_str(ending);
                continue 'ending;
            }
        }
        break;
    }
    for fund in &grammar.fund_names {
        for word in &grammar.appropriation_words {
            core = core.replace(&format!("{fund}{word}"), fund);
        }
    }
    Some(TitleReading { core, qualifiers })
}

impl TitleReading {
    /// The table the title names, and the report kind it says.
    fn table(&self, normalised: &str, patterns: &Patterns) -> Option<(String, Option<ReportKind>)> {
        let key = marked_table(&self.core, patterns)
            .or_else(|| subject_table(&self.core, self.class(patterns), patterns))?;
        Some((key, title_kind(normalised, patterns)))
    }

    /// The classification the qualifiers name, if exactly one.
    fn class(&self, patterns: &Patterns) -> Option<CodeKind> {
        let grammar = &patterns.report.title_grammar;
        let says = |words: &[String]| words.iter().any(|w| self.qualifiers.contains(w.as_str()));
        match (says(&grammar.function_words), says(&grammar.economic_words)) {
            (true, false) => Some(CodeKind::Function),
            (false, true) => Some(CodeKind::Economic),
            _ => None,
        }
    }

    /// Whether the qualifiers name a classification other than the one
    /// table `key`'s rows follow.
    fn names_other_class_than(&self, key: &str, patterns: &Patterns) -> bool {
        let own = patterns.table(key).and_then(|t| t.code_kind);
        matches!((self.class(patterns), own), (Some(stated), Some(own)) if stated != own)
    }
}

/// The text with every (…) group taken out, and the groups' contents.
fn without_brackets(text: &str) -> (String, String) {
    let (mut kept, mut inside) = (String::new(), String::new());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth > 0 => inside.push(c),
            _ => kept.push(c),
        }
    }
    (kept, inside)
}

/// The first table (in pattern order) one of whose marks the title holds.
fn marked_table(core: &str, patterns: &Patterns) -> Option<String> {
    patterns
        .tables
        .iter()
        .find(|t| t.title.marks.iter().any(|m| core.contains(m.as_str())))
        .map(|t| t.key.clone())
}

/// The table whose subject is the longest that the core ends with, the
/// text before it being a year and body (no word of another table's
/// title); of two tables with that subject, the one of the stated class.
fn subject_table(core: &str, class: Option<CodeKind>, patterns: &Patterns) -> Option<String> {
    let grammar = &patterns.report.title_grammar;
    let mut best: Vec<(usize, &TablePattern)> = Vec::new();
    for table in &patterns.tables {
        let not_after = table
            .title
            .not_after
            .as_ref()
            .unwrap_or(&patterns.report.title_prefix_stopwords);
        for subject in &table.title.subjects {
            let Some(prefix) = core.strip_suffix(subject.as_str()) else {
                continue;
            };
            if prefix.chars().count() > grammar.max_prefix_chars
                || not_after.iter().any(|w| prefix.contains(w.as_str()))
            {
                continue;
            }
            let length = subject.chars().count();
            match best.first() {
                Some((longest, _)) if *longest > length => {}
                Some((longest, _)) if *longest == length => best.push((length, table)),
                _ => best = vec![(length, table)],
            }
        }
    }
    let fits = |t: &TablePattern| match class {
        Some(class) => t.code_kind == Some(class),
        None => !t.title.qualified_only,
    };
    let tables = || best.iter().map(|(_, t)| *t);
    tables()
        .find(|t| fits(t))
        .or_else(|| tables().find(|t| !t.title.qualified_only))
        .map(|t| t.key.clone())
}

/// 决算 in a title makes it a final account's; 预算 outside a fund's name
/// (一般公共预算) a budget's; else the title does not say.
fn title_kind(normalised: &str, patterns: &Patterns) -> Option<ReportKind> {
    let report = &patterns.report;
    if report
        .final_words
        .iter()
        .any(|w| normalised.contains(w.as_str()))
    {
        return Some(ReportKind::Final);
    }
    let mut text = normalised.to_string();
    for fund in &report.title_grammar.fund_names {
        text = text.replace(fund.as_str(), "");
    }
    report
        .budget_words
        .iter()
        .any(|w| text.contains(w.as_str()))
        .then_some(ReportKind::Budget)
}

/// Match a title read by OCR: as [`match_title`], or a longer pattern
/// title the text's end differs from by a character or two (one in five
/// at most; a character read as its look-alike, `look_alikes` in
/// `report.toml`, not counted: 财政拨和歌文出预算表 is two from 财政拨款支出预算表)
/// — a misread character must not turn 财政拨款收入支出决算总表
/// into the 收入支出决算总表 it ends with. A near title counts when its
/// length less its differences beats the exact match's length; of those,
/// the one matching the most characters so, then with the fewest
/// differences, is taken (a tie between two tables takes none):
/// 财政拨和歌文出预算表 is 财政拨款支出预算表 with two differences, not
/// 支出预算总表 with one. A title listed with a qualifier in
/// brackets (财政拨款支出预算表(功能科目)) is measured against the text with
/// its brackets, and its length bounds the differences. A bar read from a
/// rule's stub (收入预算局总|表) is left out.
pub fn match_title_read(text: &str, patterns: &Patterns) -> Option<(String, Option<ReportKind>)> {
    let exact = match_title(text, patterns);
    // what a rule's stub beside a title reads as is no part of it
    let full: String = normalise(text)
        .chars()
        .filter(|c| !matches!(c, '|' | '丨'))
        .collect();
    let whole: Vec<char> = full.chars().collect();
    let normalised: Vec<char> = strip_title_decorations(&full).chars().collect();
    if normalised.len() > 60 || normalised.iter().any(|c| "。,，;；".contains(*c)) {
        return exact;
    }
    let exact_score = exact.as_ref().map_or(0, |(key, kind)| {
        kind.map_or(0, |kind| longest_title_in(&normalised, patterns, key, kind))
    });
    let look_alike =
        |read: char, printed: char| patterns.report.look_alikes.contains(&(printed, read));
    // the most characters matched (a title's length less its
    // differences), then the fewest differences
    let mut best: Option<(usize, usize, String, ReportKind)> = None;
    let mut tied = false;
    for table in &patterns.tables {
        for kind in [ReportKind::Final, ReportKind::Budget] {
            for title in table.titles(kind) {
                let title: Vec<char> = title.chars().collect();
                // a title listed with its qualifier (…预算表(功能科目)) is
                // measured against the text with its own
                let Some(distance) = [&normalised, &whole]
                    .into_iter()
                    .filter_map(|text| suffix_distance(text, &title, &look_alike))
                    .min()
                else {
                    continue;
                };
                // near enough, and able to beat the exact match
                if distance == 0
                    || distance > (title.len() / 5).max(1)
                    || title.len() - distance <= exact_score
                {
                    continue;
                }
                // the most characters matched, then the fewest differences
                let rank = (usize::MAX - (title.len() - distance), distance);
                match &best {
                    Some((d, l, key, _)) if rank == (*d, *l) && *key != table.key => tied = true,
                    Some((d, l, _, _)) if rank >= (*d, *l) => {}
                    _ => {
                        best = Some((rank.0, rank.1, table.key.clone(), kind));
                        tied = false;
                    }
                }
            }
        }
    }
    match best {
        Some((_, _, key, kind)) if !tied => Some((key, Some(kind))),
        _ => exact,
    }
}

/// The length in characters of the longest title of table `key` the text
/// ends with.
fn longest_title_in(text: &[char], patterns: &Patterns, key: &str, kind: ReportKind) -> usize {
    let text: String = text.iter().collect();
    patterns
        .tables
        .iter()
        .filter(|t| t.key == key)
        .flat_map(|t| t.titles(kind))
        .filter(|title| text.ends_with(title.as_str()))
        .map(|title| title.chars().count())
        .max()
        .unwrap_or(0)
}

/// The fewest edits (Levenshtein, a character read as its `look_alike`
/// none) that turn some end of `text` (as long as `title`, give or take
/// two characters) into `title`; `None` when the text is too short.
fn suffix_distance(
    text: &[char],
    title: &[char],
    look_alike: &impl Fn(char, char) -> bool,
) -> Option<usize> {
    if text.len() + 2 < title.len() || title.len() < 6 {
        return None;
    }
    let shortest = title.len().saturating_sub(2);
    (shortest..=title.len() + 2)
        .filter(|&n| n <= text.len())
        .map(|n| {
            levenshtein_by(&text[text.len() - n..], title, |read, printed| {
                read == printed || look_alike(read, printed)
            })
        })
        .min()
}

/// Drop a trailing `(续)`, `(2023年度)` or `(单位：万元)` from a title.
pub(super) fn strip_title_decorations(normalised: &str) -> String {
    let mut text = normalised.to_string();
    while text.ends_with(')') {
        match text.rfind('(') {
            Some(open) if open > 0 => text.truncate(open),
            _ => break,
        }
    }
    text
}

/// A title of a table none of the patterns names (部门预算基本支出预算表):
/// short, no sentence, not a number marker, and by the title grammar a
/// subject of its own: at least four characters once the year and the
/// endings are off, and not a heading over the whole set (预算公开表, or a
/// body's name and endings: 无锡市发展和改革委员会部门预算表).
pub(super) fn is_unknown_table_title(text: &str, patterns: &Patterns) -> bool {
    let normalised = normalise(text);
    normalised.chars().count() <= 40
        && !normalised.contains(['。', ',', '，', ';', '；', ':', '：'])
        && match_marker(&normalised, patterns).is_none()
        && read_title(&normalised, patterns).is_some_and(|reading| {
            let core = reading.core.as_str();
            let words = core.chars().filter(|c| crate::text::is_han(*c)).count();
            let report = &patterns.report;
            let ends_with = |list: &[String]| list.iter().any(|w| core.ends_with(w.as_str()));
            // a heading over the set: its words, or nothing but the body's
            // name (无锡市发展和改革委员会部门预算表)
            words >= 4
                && !ends_with(&report.title_grammar.section_words)
                && !ends_with(&report.statement_endings)
        })
}

pub(super) fn is_other_title(text: &str, patterns: &Patterns) -> bool {
    let normalised = normalise(text);
    normalised.chars().count() <= 40
        && !normalised.contains('。')
        && patterns
            .report
            .other_titles
            .iter()
            .any(|t| normalised.contains(t.as_str()))
}

pub(super) fn match_marker(text: &str, patterns: &Patterns) -> Option<Marker> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for regex in &patterns.report.marker {
        if let Some(caps) = regex.captures(&compact) {
            let number = parse_small_number(&caps["number"])?;
            return Some(Marker {
                printed: compact.clone(),
                number,
            });
        }
    }
    None
}

/// `07` → 7, `三` → 3, `十二` → 12.
pub(super) fn parse_small_number(text: &str) -> Option<u32> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}
