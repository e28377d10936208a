//! Detection on small documents of the shapes real reports take.

use super::meta::{match_metas, Meta};
use super::title::{match_marker, match_title, match_title_read};
use crate::model::Unit;
use crate::patterns::Patterns;

fn title(text: &str) -> Option<String> {
    match_title(text, Patterns::builtin_shared()).map(|(key, _)| key)
}

/// A title read by OCR with 拨款 misread (坟蒜, the seed's 公开04表 in a
/// 300 dpi scan) names the longer title it nearly is, not the shorter one
/// it ends with; a title read right, or too far off, is matched as
/// printed.
#[test]
fn a_title_read_by_ocr_may_have_a_misread_character_or_two() {
    let patterns = Patterns::builtin_shared();
    let read = |text: &str| match_title_read(text, patterns).map(|(key, _)| key);
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
    // the Jiangsu report's worn scans (2019 部门预算), brackets as printed
    // (`ocr::correct`): 支 read as its look-alike 文 is no difference
    assert_eq!(
        read("财政拨和歌文出预算表(功能科目)").as_deref(),
        Some("fiscal_expenditure")
    );
    assert_eq!(
        read("拨鞠基本文出预算表(经济科目)").as_deref(),
        Some("fiscal_basic")
    );
    assert_eq!(
        read("一般公共了预算基本文出预算表(经济科目)").as_deref(),
        Some("gpb_basic")
    );
    // worn-06's 收入预算总表 with a speck read as 局 and a rule's stub as |
    assert_eq!(read("收入预算局总|表").as_deref(), Some("income"));
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
    let patterns = Patterns::builtin_shared();
    let number = |t: &str| match_marker(t, patterns).map(|m| m.number);
    assert_eq!(number("公开01表"), Some(1));
    assert_eq!(number("表3"), Some(3));
    assert_eq!(number("附表 9"), Some(9));
    assert_eq!(number("表三"), Some(3));
    assert_eq!(number("表十二"), Some(12));
    assert_eq!(number("表格"), None);
}

#[test]
fn meta_cells() {
    let patterns = Patterns::builtin_shared();
    assert_eq!(
        match_metas("金额单位：万元", patterns),
        [Meta::Unit(Unit::TenThousandYuan)]
    );
    assert_eq!(match_metas("单位：元", patterns), [Meta::Unit(Unit::Yuan)]);
    assert_eq!(match_metas("2023年度", patterns), [Meta::Year(2023)]);
    assert_eq!(
        match_metas("部门：辽宁省 盘锦市", patterns),
        [Meta::Department("辽宁省盘锦市".into())]
    );
    assert_eq!(
        match_metas(
            "部 门 ： 中 共 江 苏 省 委 办 公 厅 单 位 ： 万 元",
            patterns
        ),
        [
            Meta::Department("中共江苏省委办公厅".into()),
            Meta::Unit(Unit::TenThousandYuan)
        ]
    );
    // the same line of the Jiangsu report's worn scans, the unit's colon
    // read as a semicolon or a comma: the unit is no part of the name
    for read in [
        "部门:中共江苏省委办公厅单位;万元",
        "部门:中共江苏省委办公厅单位,万元",
    ] {
        assert_eq!(
            match_metas(read, patterns),
            [
                Meta::Department("中共江苏省委办公厅".into()),
                Meta::Unit(Unit::TenThousandYuan)
            ],
            "{read}"
        );
    }
    // a cell of worn-09's table header, the colon read as a dash
    assert_eq!(
        match_metas("金额单位-万元", patterns),
        [Meta::Unit(Unit::TenThousandYuan)]
    );
    // a comma inside a sentence is no unit statement
    assert_eq!(match_metas("各预算单位,万元以上的项目", patterns), []);
    assert_eq!(
        match_metas("单位：万元部门：江苏省政协办公厅", patterns),
        [
            Meta::Department("江苏省政协办公厅".into()),
            Meta::Unit(Unit::TenThousandYuan)
        ]
    );
    assert_eq!(
        match_metas("预算主管部门：上海市普陀区司法局", patterns),
        [Meta::Department("上海市普陀区司法局".into())]
    );
    assert_eq!(match_metas("项目", patterns), []);
    let sentence = "本表金额单位：万元，因四舍五入可能存在尾差，合计数与分项之和可能不等。";
    assert_eq!(match_metas(sentence, patterns), []);
}

/// The seed's table meta row as a worn scan read it (worn-08: the colon
/// after 部门 lost): a row of statements all the same, the department's
/// name taken; its header rows no longer hold 金额单位 (which made every
/// row a unit's). Without a year or unit beside it, or when what follows
/// 部门 is no body's name, the cell is no statement.
#[test]
fn a_department_cell_without_its_colon_is_read_beside_a_year_or_unit() {
    use super::meta::row_metas;
    use crate::model::Row;
    let patterns = Patterns::builtin_shared();
    let row = |cells: &[&str]| Row::new(cells.iter().map(|c| c.to_string()).collect(), Some(1));
    assert_eq!(
        row_metas(
            &row(&[
                "",
                "部门辽宁省盘锦市大洼区智慧城市运行管理中心",
                "2023年度",
                "金额单位万元"
            ]),
            patterns
        ),
        Some(vec![
            Meta::Department("辽宁省盘锦市大洼区智慧城市运行管理中心".into()),
            Meta::Year(2023),
            Meta::Unit(Unit::TenThousandYuan),
        ])
    );
    assert_eq!(
        row_metas(
            &row(&["部门辽宁省盘锦市大洼区智慧城市运行管理中心"]),
            patterns
        ),
        None
    );
    // the colon read as a quotation mark (worn-04, 05, 06, 08, 10)
    assert_eq!(
        row_metas(
            &row(&["部门”辽宁省盘锦市大洼区智慧城市运行管理中心", "2023年度"]),
            patterns
        ),
        Some(vec![
            Meta::Department("辽宁省盘锦市大洼区智慧城市运行管理中心".into()),
            Meta::Year(2023),
        ])
    );
    assert_eq!(row_metas(&row(&["单位名称", "2023年度"]), patterns), None);
    assert_eq!(
        row_metas(&row(&["部门决算单位构成", "2023年度"]), patterns),
        None
    );
    assert_eq!(row_metas(&row(&["项目", "金额单位：万元"]), patterns), None);
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

/// The title grammar: [ordinal or marker] [year] [body] subject [endings]
/// [qualifiers] names the table whatever the province's wording — titles
/// of the national corpus (广州, 深圳, 烟台, 北京, 福州, 无锡, 上海, 杭州)
/// and, as a province's variant would print them, titles none of its
/// lists holds.
#[test]
fn titles_are_read_by_their_grammar_not_by_a_list() {
    let cases = [
        // 广州: 收支总体情况表 …, qualifiers in brackets
        ("收支总体情况表", Some("summary")),
        ("收入总体情况表", Some("income")),
        ("本年支出总体情况表", Some("expenditure")),
        ("财政拨款收支总体情况表", Some("fiscal_summary")),
        (
            "一般公共预算支出情况表（按功能分类科目）",
            Some("gpb_expenditure"),
        ),
        (
            "一般公共预算基本支出情况表（按经济分类科目）",
            Some("gpb_basic"),
        ),
        (
            "一般公共预算项目支出情况表（按经济分类科目）",
            Some("gpb_project"),
        ),
        (
            "财政拨款安排的行政经费及“三公”经费预算表",
            Some("three_public"),
        ),
        ("政府性基金预算支出情况表", Some("gov_fund")),
        ("国有资本经营预算支出情况表", Some("soe_capital")),
        ("部门预算项目支出及其他支出预算表", Some("special_projects")),
        // a table the schema has no key for is not taken for another
        ("部门预算基本支出预算表", None),
        // 深圳: the same subject by function and by economic class
        ("一般公共预算支出表（按功能分类）", Some("gpb_expenditure")),
        ("一般公共预算支出表（按经济分类）", Some("gpb_economic")),
        ("基本支出总表", None),
        ("项目支出总表", Some("special_projects")),
        // 北京: the marker glued to the title
        ("预算01表收支总表", Some("summary")),
        ("预算06表一般公共预算基本支出表", Some("gpb_basic")),
        // 福州: the qualifier among the endings
        (
            "2026年度一般公共预算支出经济分类情况表",
            Some("gpb_economic"),
        ),
        (
            "2026年度一般公共预算基本支出经济分类情况表",
            Some("gpb_basic"),
        ),
        (
            "2026年度一般公共预算拨款支出预算表",
            Some("gpb_expenditure"),
        ),
        // 无锡, 上海, 杭州
        (
            "一般公共预算“三公”经费、会议费、培训费支出表",
            Some("three_public"),
        ),
        ("2026年预算单位财务收支预算总表", Some("summary")),
        (
            "2026年单位“三公”经费和机关运行经费预算表",
            Some("three_public"),
        ),
        (
            "表7：2026年市级部门一般公共预算“三公”经费预算表单位：万元部门名称：杭州市司法局",
            Some("three_public"),
        ),
        (
            "表10.2026年市级部门项目支出预算表",
            Some("special_projects"),
        ),
        // variants of places not in the corpus
        (
            "2025年XX县农业农村局部门收支预算总体情况表",
            Some("summary"),
        ),
        (
            "一般公共预算基本支出明细表（按支出功能分类科目）",
            Some("gpb_basic_function"),
        ),
        (
            "一般公共预算支出明细表（按支出经济分类科目）",
            Some("gpb_economic"),
        ),
        ("财政拨款上年结转资金支出表", Some("carryover")),
        ("政府采购（资产配置、购买服务）预算表", Some("procurement")),
        // not titles of money tables
        ("2026年部门预算表", None),
        ("项目支出绩效目标表", None),
        ("（七）一般公共预算“三公”经费预算情况说明（详见表7）", None),
    ];
    for (text, key) in cases {
        assert_eq!(title(text).as_deref(), key, "{text}");
    }
}

/// What opens a table of no known kind (`other`): a title of a table, not
/// a number marker alone, a heading over the tables or a sentence.
#[test]
fn only_a_table_title_opens_a_table_of_no_known_kind() {
    let patterns = Patterns::builtin_shared();
    let unknown = |text: &str| super::title::is_unknown_table_title(text, patterns);
    assert!(unknown("部门预算基本支出预算表"));
    assert!(unknown("预算11表财政拨款政府购买服务明细表"));
    assert!(!unknown("公开01表"));
    assert!(!unknown("预算表12"));
    assert!(!unknown("第二部分2026年部门预算表"));
    assert!(!unknown("无锡市发展和改革委员会部门预算表"));
    assert!(!unknown("2026年市级部门预算公开表"));
    assert!(!unknown("本表反映部门本年度的总收支，详见附表。"));
}

/// A page read by OCR whose title is read too far off to be known (worn-07
/// of the Jiangsu report: 财政拨和歌文出预算表〈功能科目)) had its rows
/// dropped with no word said. They are kept under `other`, with the title
/// as read and the header above the first figure; a page with a text layer
/// is as before, and rows with no figure open nothing.
#[test]
fn rows_of_a_scanned_page_under_no_known_title_are_kept_under_other() {
    use crate::model::{Block, Document, Paragraph, Row, Table};
    let patterns = Patterns::builtin_shared();
    let row = |cells: &[&str]| Row::new(cells.iter().map(|c| c.to_string()).collect(), Some(5));
    let page = |text: &str, rows: Vec<Row>| Document {
        blocks: vec![
            Block::Paragraph(Paragraph {
                text: text.to_string(),
                page: Some(5),
            }),
            Block::Table(Table { rows }),
        ],
        ocr_pages: vec![5],
        ..Document::default()
    };
    let rows = vec![
        row(&["功能科目编码", "功能科目名称", "金额"]),
        row(&["合计", "", "27,664.22"]),
        row(&["201", "一般公共服务支出", "27,664.22"]),
    ];
    let document = page("财政拨夭歌文出预莫素〈功能一目)", rows.clone());
    let detection = super::detect(&document, patterns);
    assert_eq!(detection.tables.len(), 1);
    assert_eq!(detection.tables[0].key, super::OTHER_TABLE);
    assert_eq!(detection.tables[0].label, "财政拨夭歌文出预莫素〈功能一目)");
    assert_eq!(detection.tables[0].rows, rows);
    // the same page with a text layer: as before, nothing
    let printed = Document {
        ocr_pages: Vec::new(),
        ..document
    };
    assert!(super::detect(&printed, patterns).tables.is_empty());
    // rows of words only open nothing
    let words = page("说明", vec![row(&["项目", "内容"]), row(&["目标", "完成"])]);
    assert!(super::detect(&words, patterns).tables.is_empty());
}
