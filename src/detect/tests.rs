//! Detection on small documents of the shapes real reports take.

use super::meta::{match_metas, Meta};
use super::title::{match_marker, match_title, match_title_read};
use crate::model::Unit;
use crate::patterns::Patterns;

fn title(text: &str) -> Option<String> {
    match_title(text, &Patterns::builtin()).map(|(key, _)| key)
}

/// A title read by OCR with 拨款 misread (坟蒜, the seed's 公开04表 in a
/// 300 dpi scan) names the longer title it nearly is, not the shorter one
/// it ends with; a title read right, or too far off, is matched as
/// printed.
#[test]
fn a_title_read_by_ocr_may_have_a_misread_character_or_two() {
    let patterns = Patterns::builtin();
    let read = |text: &str| match_title_read(text, &patterns).map(|(key, _)| key);
    assert_eq!(
        title("财政坟蒜收入支出决算总表").as_deref(),
        Some("summary")
    );
    assert_eq!(
        read("财政坟蒜收入支出决算总表").as_deref(),
        Some("fiscal_summary")
    );
    assert_eq!(read("收入支出决算总表").as_deref(), Some("summary"));
    assert_eq!(
        read("一般公共预算财政拔款支出决算表").as_deref(),
        Some("gpb_expenditure")
    );
    // four of twelve misread: too far to say
    assert_eq!(read("财政坟蒜收入支土决莫总表"), None);
    assert_eq!(read("本表反映部门本年度的总收支和年末结转结余情况。"), None);
}

#[test]
fn longest_title_wins_and_stopwords_guard_shorter_ones() {
    assert_eq!(title("收入支出决算总表").as_deref(), Some("summary"));
    assert_eq!(
        title("财政拨款收入支出决算总表").as_deref(),
        Some("fiscal_summary")
    );
    assert_eq!(title("支出决算表").as_deref(), Some("expenditure"));
    assert_eq!(
        title("一般公共预算财政拨款支出决算表").as_deref(),
        Some("gpb_expenditure")
    );
    assert_eq!(
        title("财政拨款“三公经费”支出决算明细表").as_deref(),
        Some("three_public")
    );
    assert_eq!(
        title("政府性基金预算财政拨款支出表(续)").as_deref(),
        Some("gov_fund")
    );
    assert_eq!(
        title("江苏省政协办公厅2019年部门收支总表").as_deref(),
        Some("summary")
    );
    assert_eq!(
        title("2019年财政拨款收支总表").as_deref(),
        Some("fiscal_summary")
    );
    // a longer title of another table must not fall back to a shorter one
    assert_eq!(
        title("某某财政拨款支出决算表").as_deref(),
        Some("fiscal_expenditure")
    );
    assert_eq!(title("某某财政专户支出决算表"), None);
    // narrative sentences are not titles
    assert_eq!(title("本表反映部门本年度各项支出情况。支出决算表"), None);
}

#[test]
fn markers_in_their_printed_forms() {
    let patterns = Patterns::builtin();
    let number = |t: &str| match_marker(t, &patterns).map(|m| m.number);
    assert_eq!(number("公开01表"), Some(1));
    assert_eq!(number("表3"), Some(3));
    assert_eq!(number("附表 9"), Some(9));
    assert_eq!(number("表三"), Some(3));
    assert_eq!(number("表十二"), Some(12));
    assert_eq!(number("表格"), None);
}

#[test]
fn meta_cells() {
    let patterns = Patterns::builtin();
    assert_eq!(
        match_metas("金额单位：万元", &patterns),
        [Meta::Unit(Unit::TenThousandYuan)]
    );
    assert_eq!(match_metas("单位：元", &patterns), [Meta::Unit(Unit::Yuan)]);
    assert_eq!(match_metas("2023年度", &patterns), [Meta::Year(2023)]);
    assert_eq!(
        match_metas("部门：辽宁省 盘锦市", &patterns),
        [Meta::Department("辽宁省盘锦市".into())]
    );
    assert_eq!(
        match_metas(
            "部 门 ： 中 共 江 苏 省 委 办 公 厅 单 位 ： 万 元",
            &patterns
        ),
        [
            Meta::Department("中共江苏省委办公厅".into()),
            Meta::Unit(Unit::TenThousandYuan)
        ]
    );
    assert_eq!(
        match_metas("单位：万元部门：江苏省政协办公厅", &patterns),
        [
            Meta::Department("江苏省政协办公厅".into()),
            Meta::Unit(Unit::TenThousandYuan)
        ]
    );
    assert_eq!(
        match_metas("预算主管部门：上海市普陀区司法局", &patterns),
        [Meta::Department("上海市普陀区司法局".into())]
    );
    assert_eq!(match_metas("项目", &patterns), []);
    let sentence = "本表金额单位：万元，因四舍五入可能存在尾差，合计数与分项之和可能不等。";
    assert_eq!(match_metas(sentence, &patterns), []);
}

#[test]
fn a_year_is_taken_from_the_file_name_only_in_range() {
    use super::year_in_file_name;
    assert_eq!(
        year_in_file_name("jiangsu/省法院2018年度部门预算公开.pdf"),
        Some(2018)
    );
    assert_eq!(
        year_in_file_name("2023/report_1234.pdf"),
        None,
        "folders do not count, 1234 is no year"
    );
    assert_eq!(year_in_file_name("report.pdf"), None);
}
