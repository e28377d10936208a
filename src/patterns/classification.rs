//! `classification.toml`: the names the expenditure classification's codes
//! have officially borne, by year — to tell a name out of date in a
//! report's year from one the dictionary does not know.

use super::{invalid, PatternError};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClassificationFile {
    names: Vec<NameEntry>,
    #[serde(default)]
    standard_items: Vec<StandardItem>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardItem {
    suffix: String,
    name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct NameEntry {
    kind: String,
    code: String,
    name: String,
    from: Option<u16>,
    to: Option<u16>,
}

/// One official name of a code, with the years it was in force.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficialName {
    /// `function` or `economic`.
    pub kind: String,
    pub code: String,
    pub name: String,
    pub from: Option<u16>,
    pub to: Option<u16>,
    /// The name compared ([`comparable`]).
    key: String,
}

impl OfficialName {
    fn in_force(&self, year: u16) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }

    /// The years, as a reader writes them (2019年起, 2014—2018年).
    pub fn years(&self) -> String {
        match (self.from, self.to) {
            (Some(f), Some(t)) => format!("{f}—{t}年"),
            (Some(f), None) => format!("{f}年起"),
            (None, Some(t)) => format!("{t}年及以前"),
            (None, None) => "各年".to_string(),
        }
    }
}

/// What the dictionary says of a name printed with its code in a year.
#[derive(Debug, Clone, PartialEq)]
pub enum NameVerdict<'a> {
    /// The code's name in that year (or the dictionary does not hold the
    /// code: nothing to say).
    Official,
    /// A name the code bore in other years; the names in force that year.
    OutOfDate {
        printed: &'a OfficialName,
        current: Vec<&'a OfficialName>,
    },
    /// A code the dictionary holds, under a name it does not know.
    Unknown,
}

/// The classification's names.
#[derive(Debug, Clone, Default)]
pub struct Classification {
    names: Vec<OfficialName>,
    /// The 项 every 款 may hold under the same last two digits: (digits,
    /// name compared).
    standard_items: Vec<(String, String)>,
}

/// A name as compared: whitespace, a leading ordinal (一、, （一）, 1.),
/// bracket style and a trailing 支出 set aside.
pub fn comparable(name: &str) -> String {
    let squeezed: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect();
    // the leading run of numerals and separators, up to its last separator
    // (一、一般公共服务: the second 一 is the name's)
    let ordinal_end = squeezed
        .char_indices()
        .take_while(|(_, c)| "一二三四五六七八九十百0123456789()、.．".contains(*c))
        .filter(|(_, c)| "、.．)".contains(*c))
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    let rest = &squeezed[ordinal_end..];
    rest.strip_suffix("支出").unwrap_or(rest).to_string()
}

/// A comparable name cut at its first ASCII digit (what follows is a code
/// or a figure run into the cell), its trailing 支出 set aside again.
fn name_before_figures(key: &str) -> String {
    let cut = key.find(|c: char| c.is_ascii_digit()).unwrap_or(key.len());
    let name = &key[..cut];
    name.strip_suffix("支出").unwrap_or(name).to_string()
}

impl Classification {
    /// The code of the class (类, three digits) of `kind` whose name is
    /// `printed`, when exactly one class bears it (in `year`, if known): a
    /// row printed by name alone (工资福利支出) takes the code the name
    /// stands for.
    pub fn class_code(&self, kind: &str, printed: &str, year: Option<u16>) -> Option<&str> {
        self.code_named(kind, 3, printed, year)
    }

    /// The code of `digits` digits of `kind` whose name is `printed`,
    /// when exactly one such code bears it (in `year`, if known): 机关事业
    /// 单位职业年金缴费支出 → 2080506.
    pub fn code_named(
        &self,
        kind: &str,
        digits: usize,
        printed: &str,
        year: Option<u16>,
    ) -> Option<&str> {
        let key = comparable(printed);
        let mut codes: Vec<&str> = self
            .names
            .iter()
            .filter(|n| n.kind == kind && n.code.len() == digits && n.key == key)
            .filter(|n| year.is_none_or(|y| n.in_force(y)))
            .map(|n| n.code.as_str())
            .collect();
        codes.dedup();
        match codes.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// The one name `code` of `kind` bears in `year` (in every year the
    /// dictionary holds, when the year is not known), if the dictionary
    /// holds exactly one; `None` also when `printed` is a name the code
    /// has borne (printed right, if perhaps out of date: left for the
    /// review to judge).
    pub fn name_for(
        &self,
        kind: &str,
        code: &str,
        printed: &str,
        year: Option<u16>,
    ) -> Option<&str> {
        let of_code = || {
            self.names
                .iter()
                .filter(|n| n.kind == kind && n.code == code)
        };
        let key = comparable(printed);
        if of_code().any(|n| n.key == key) {
            return None;
        }
        let mut names: Vec<&str> = of_code()
            .filter(|n| year.is_none_or(|y| n.in_force(y)))
            .map(|n| n.name.as_str())
            .collect();
        names.dedup();
        match names.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// The last two digits a 项 (a 7-digit functional code) printed with
    /// `printed` has, when it is one of the names every 款 gives the same
    /// digits (事业运行 → 50).
    pub fn standard_suffix(&self, printed: &str) -> Option<&str> {
        let key = comparable(printed);
        self.standard_items
            .iter()
            .find(|(_, name)| *name == key)
            .map(|(suffix, _)| suffix.as_str())
    }

    /// Judge `printed`, the name a report of `year` prints for `code`.
    pub fn judge(&self, kind: &str, code: &str, printed: &str, year: u16) -> NameVerdict<'_> {
        let of_code: Vec<&OfficialName> = self
            .names
            .iter()
            .filter(|n| n.kind == kind && n.code == code)
            .collect();
        if of_code.is_empty() {
            return NameVerdict::Official;
        }
        let key = comparable(printed);
        let mut matching: Vec<&&OfficialName> = of_code.iter().filter(|n| n.key == key).collect();
        if matching.is_empty() {
            // a cell that ran into the next one (事业运行 50501工资福利支出,
            // 退休费478680.00): the name is what comes before the first
            // figure, as no name of the classification holds a digit
            let name_part = name_before_figures(&key);
            matching = of_code.iter().filter(|n| n.key == name_part).collect();
        }
        if matching.is_empty() {
            return NameVerdict::Unknown;
        }
        if matching.iter().any(|n| n.in_force(year)) {
            return NameVerdict::Official;
        }
        NameVerdict::OutOfDate {
            printed: matching[0],
            current: of_code.into_iter().filter(|n| n.in_force(year)).collect(),
        }
    }
}

pub(super) fn compile_classification(
    file: &str,
    parsed: ClassificationFile,
) -> Result<Classification, PatternError> {
    let mut names = Vec::new();
    for entry in parsed.names {
        if !matches!(entry.kind.as_str(), "function" | "economic") {
            return Err(invalid(
                file,
                "names.kind",
                format!("{:?}: kind is `function` or `economic`", entry.kind),
            ));
        }
        if entry.code.is_empty() || !entry.code.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid(
                file,
                "names.code",
                format!("{:?}: a code is digits", entry.code),
            ));
        }
        if let (Some(from), Some(to)) = (entry.from, entry.to) {
            if from > to {
                return Err(invalid(
                    file,
                    "names.from",
                    format!("{} {}: from {from} after to {to}", entry.code, entry.name),
                ));
            }
        }
        names.push(OfficialName {
            key: comparable(&entry.name),
            kind: entry.kind,
            code: entry.code,
            name: entry.name,
            from: entry.from,
            to: entry.to,
        });
    }
    let mut standard_items = Vec::new();
    for item in parsed.standard_items {
        if item.suffix.len() != 2 || !item.suffix.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid(
                file,
                "standard_items.suffix",
                format!("{:?}: a suffix is two digits", item.suffix),
            ));
        }
        standard_items.push((item.suffix, comparable(&item.name)));
    }
    Ok(Classification {
        names,
        standard_items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Patterns;

    #[test]
    fn a_name_is_compared_without_its_ordinal_brackets_and_suffix() {
        assert_eq!(comparable("九、卫生健康支出"), "卫生健康");
        assert_eq!(comparable("维修（护）费"), comparable("维修(护)费"));
        assert_eq!(comparable("（一）一般公共服务"), "一般公共服务");
        assert_eq!(comparable("10、公共安全支出"), "公共安全");
        assert_eq!(comparable("一、一般公共服务支出"), "一般公共服务");
    }

    #[test]
    fn a_name_of_other_years_is_out_of_date() {
        let patterns = Patterns::builtin_shared();
        let names = &patterns.classification;
        assert_eq!(
            names.judge("function", "210", "卫生健康支出", 2026),
            NameVerdict::Official
        );
        let NameVerdict::OutOfDate { printed, current } =
            names.judge("function", "210", "医疗卫生与计划生育支出", 2026)
        else {
            panic!("out of date");
        };
        assert_eq!(printed.years(), "2014—2018年");
        assert_eq!(current[0].name, "卫生健康支出");
        assert_eq!(
            names.judge("function", "210", "医疗卫生与计划生育支出", 2018),
            NameVerdict::Official
        );
        assert_eq!(
            names.judge("function", "20805", "八、行政事业单位离退休", 2019),
            NameVerdict::Official
        );
        assert_eq!(
            names.judge("function", "210", "卫生与健康", 2026),
            NameVerdict::Unknown
        );
        assert_eq!(
            names.judge("function", "2010101", "行政运行", 2026),
            NameVerdict::Official
        );
    }

    /// A cell run into the next (a code and name of another classification,
    /// a figure — the national corpus's 广州 and 深圳 rows) is judged by
    /// the name before the figures; a wrong name stays wrong.
    #[test]
    fn a_name_with_a_code_or_figure_run_into_it_is_judged_by_its_name() {
        let names = &Patterns::builtin_shared().classification;
        for printed in [
            "行政运行 50501工资福利支出 30101基本工资",
            "行政运行478680.00",
        ] {
            assert_eq!(
                names.judge("function", "2010101", printed, 2026),
                NameVerdict::Official,
                "{printed}"
            );
        }
        assert_eq!(
            names.judge("function", "210", "卫生与健康 50501工资福利支出", 2026),
            NameVerdict::Unknown
        );
    }
}
