//! Who and where a report is (SCHEMA "Identity"), from the lines a report
//! opens with: its title, its 部门：/单位： line, a sentence of its 概况 or
//! its explanation. The lines below are written in the forms reports of
//! these 30 bodies print them (title layouts, labels, list numbers and
//! section words as published across 27 provinces), not copied from
//! particular files; each expected value was checked by hand against the
//! division list (`patterns/divisions.tsv`).

use crate::common;

use gongkai::patterns::Patterns;
use gongkai::pipeline::process_bytes;

struct Case {
    /// The report's first lines, `|` between lines.
    lines: &'static str,
    department: &'static str,
    year: u16,
    report: &'static str,
    level: &'static str,
    province: &'static str,
    region_code: &'static str,
}

const fn case(
    lines: &'static str,
    department: &'static str,
    year: u16,
    report: &'static str,
    level: &'static str,
    province: &'static str,
    region_code: &'static str,
) -> Case {
    Case {
        lines,
        department,
        year,
        report,
        level,
        province,
        region_code,
    }
}

const CASES: &[Case] = &[
    case(
        "北京市财政局2023年度部门决算|目录|第一部分 北京市财政局概况",
        "北京市财政局",
        2023,
        "final",
        "department",
        "北京市",
        "110000",
    ),
    case(
        "北京市朝阳区教育委员会|2024年部门预算|部门：北京市朝阳区教育委员会",
        "北京市朝阳区教育委员会",
        2024,
        "budget",
        "department",
        "北京市",
        "110105",
    ),
    case(
        "天津市教育委员会2024年部门预算",
        "天津市教育委员会",
        2024,
        "budget",
        "department",
        "天津市",
        "120000",
    ),
    case(
        "河北省石家庄市长安区教育局|2023年度部门预算公开",
        "河北省石家庄市长安区教育局",
        2023,
        "budget",
        "department",
        "河北省",
        "130102",
    ),
    case(
        "山西省太原市小店区民政局2022年度部门决算",
        "山西省太原市小店区民政局",
        2022,
        "final",
        "department",
        "山西省",
        "140105",
    ),
    case(
        "内蒙古自治区林业和草原局2023年度部门预算",
        "内蒙古自治区林业和草原局",
        2023,
        "budget",
        "department",
        "内蒙古自治区",
        "150000",
    ),
    case(
        "辽宁省沈阳市和平区卫生健康局2023年度部门决算",
        "辽宁省沈阳市和平区卫生健康局",
        2023,
        "final",
        "department",
        "辽宁省",
        "210102",
    ),
    case(
        "吉林省长春市朝阳区财政局|2024年部门预算",
        "吉林省长春市朝阳区财政局",
        2024,
        "budget",
        "department",
        "吉林省",
        "220104",
    ),
    case(
        "黑龙江省哈尔滨市道里区民政局2023年度部门决算",
        "黑龙江省哈尔滨市道里区民政局",
        2023,
        "final",
        "department",
        "黑龙江省",
        "230102",
    ),
    case(
        "上海市浦东新区财政局2024年度部门预算",
        "上海市浦东新区财政局",
        2024,
        "budget",
        "department",
        "上海市",
        "310115",
    ),
    case(
        "上海市普陀区2025年区级单位预算|预算单位：上海市普陀区商务委员会",
        "上海市普陀区商务委员会",
        2025,
        "budget",
        "unit",
        "上海市",
        "310107",
    ),
    case(
        "上海市普陀区2024年区级部门预算|预算主管部门：上海市普陀区人民政府万里街道办事处",
        "上海市普陀区人民政府万里街道办事处",
        2024,
        "budget",
        "department",
        "上海市",
        "310107",
    ),
    case(
        "江苏省南京市鼓楼区教育局2023年度部门决算",
        "江苏省南京市鼓楼区教育局",
        2023,
        "final",
        "department",
        "江苏省",
        "320106",
    ),
    case(
        "中共江苏省委办公厅2019年度部门预算公开|第一部分 部门概况",
        "中共江苏省委办公厅",
        2019,
        "budget",
        "department",
        "江苏省",
        "320000",
    ),
    case(
        "浙江省杭州市西湖区司法局2024年单位预算",
        "浙江省杭州市西湖区司法局",
        2024,
        "budget",
        "unit",
        "浙江省",
        "330106",
    ),
    case(
        "中共浙江省委宣传部2023年度部门决算",
        "中共浙江省委宣传部",
        2023,
        "final",
        "department",
        "浙江省",
        "330000",
    ),
    case(
        "安徽省合肥市蜀山区城市管理局2023年度部门决算",
        "安徽省合肥市蜀山区城市管理局",
        2023,
        "final",
        "department",
        "安徽省",
        "340104",
    ),
    case(
        "第二部分 2023年度部门预算表|部门：福建省厦门市思明区教育局 单位：万元",
        "福建省厦门市思明区教育局",
        2023,
        "budget",
        "department",
        "福建省",
        "350203",
    ),
    case(
        "江西省南昌市东湖区财政局|2022年度部门决算|目 录",
        "江西省南昌市东湖区财政局",
        2022,
        "final",
        "department",
        "江西省",
        "360102",
    ),
    case(
        "山东省济南市历下区卫生健康局2024年部门预算",
        "山东省济南市历下区卫生健康局",
        2024,
        "budget",
        "department",
        "山东省",
        "370102",
    ),
    case(
        "8.河南省郑州市金水区住房和城乡建设局2023年度部门决算",
        "河南省郑州市金水区住房和城乡建设局",
        2023,
        "final",
        "department",
        "河南省",
        "410105",
    ),
    case(
        "湖北省武汉市江岸区民政局2023年部门预算",
        "湖北省武汉市江岸区民政局",
        2023,
        "budget",
        "department",
        "湖北省",
        "420102",
    ),
    case(
        "湖南省长沙市岳麓区教育局2023年度部门决算公开",
        "湖南省长沙市岳麓区教育局",
        2023,
        "final",
        "department",
        "湖南省",
        "430104",
    ),
    case(
        "广东省广州市天河区人力资源和社会保障局|2024年部门预算",
        "广东省广州市天河区人力资源和社会保障局",
        2024,
        "budget",
        "department",
        "广东省",
        "440106",
    ),
    case(
        "广西壮族自治区南宁市青秀区财政局2023年度部门决算",
        "广西壮族自治区南宁市青秀区财政局",
        2023,
        "final",
        "department",
        "广西壮族自治区",
        "450103",
    ),
    case(
        "重庆市渝中区教育委员会2024年部门预算",
        "重庆市渝中区教育委员会",
        2024,
        "budget",
        "department",
        "重庆市",
        "500103",
    ),
    case(
        "四川省成都市锦江区商务局2023年度部门决算",
        "四川省成都市锦江区商务局",
        2023,
        "final",
        "department",
        "四川省",
        "510104",
    ),
    case(
        "贵州省贵阳市云岩区水务管理局2023年部门预算",
        "贵州省贵阳市云岩区水务管理局",
        2023,
        "budget",
        "department",
        "贵州省",
        "520103",
    ),
    case(
        "/云南省昆明市五华区司法局2023年度部门决算",
        "云南省昆明市五华区司法局",
        2023,
        "final",
        "department",
        "云南省",
        "530102",
    ),
    case(
        "陕西省西安市雁塔区科学技术局2024年部门预算",
        "陕西省西安市雁塔区科学技术局",
        2024,
        "budget",
        "department",
        "陕西省",
        "610113",
    ),
    case(
        "甘肃省兰州市城关区民政局2023年度部门决算",
        "甘肃省兰州市城关区民政局",
        2023,
        "final",
        "department",
        "甘肃省",
        "620102",
    ),
    case(
        "单位：万元部门：宁夏回族自治区银川市兴庆区教育局|2023年度部门决算",
        "宁夏回族自治区银川市兴庆区教育局",
        2023,
        "final",
        "department",
        "宁夏回族自治区",
        "640104",
    ),
    case(
        "目录|第一部分 部门概况|江苏省政协办公厅2019年度收入、支出预算总计13,377.11万元",
        "江苏省政协办公厅",
        2019,
        "budget",
        "department",
        "江苏省",
        "320000",
    ),
];

#[test]
fn title_lines_of_reports_from_many_provinces_give_their_identity() {
    let patterns = Patterns::builtin();
    let mut provinces = std::collections::BTreeSet::new();
    for case in CASES {
        let text = case.lines.replace('|', "\n");
        let record = process_bytes(text.as_bytes(), "report.txt", &patterns);
        let identity = &record.identity;
        let got = (
            record.department.as_str(),
            record.year,
            record.report.map(|r| r.as_str()),
            identity
                .entity_level
                .map(|l| format!("{l:?}").to_lowercase()),
            identity.province.as_str(),
            identity.region_code.as_str(),
        );
        let expected = (
            case.department,
            Some(case.year),
            Some(case.report),
            Some(case.level.to_string()),
            case.province,
            case.region_code,
        );
        assert_eq!(got, expected, "{}", case.lines);
        assert!(
            identity
                .department_key
                .starts_with(&format!("{}:", case.region_code)),
            "{}",
            identity.department_key
        );
        provinces.insert(case.province);
    }
    assert!(
        CASES.len() >= 25 && provinces.len() >= 15,
        "{} provinces",
        provinces.len()
    );
}

/// What a report of these lines (`|` between lines) is named, its key and
/// scope.
fn named(lines: &str) -> (String, String, String) {
    let patterns = Patterns::builtin();
    let text = lines.replace('|', "\n");
    let record = process_bytes(text.as_bytes(), "report.txt", &patterns);
    (
        record.department,
        record.identity.department_key,
        record.identity.scope,
    )
}

/// A name broken over lines is joined (issue 26). The seed printed on A5
/// paper and read line by line (`pdftotext` without `-layout`) wraps its
/// 部门： cell: the last character alone on the next line (公开01表), or the
/// name over three lines (公开02表) — the lines below are those the A5 PDF
/// gives. A cover prints its title over lines, the name between the year
/// and the report's name, itself broken (2026 年度 / 福州市公安局治安管理 /
/// 支队 / 单位预算, the 福州 reports of the national corpus).
#[test]
fn a_name_broken_over_lines_is_joined() {
    let seed = "辽宁省盘锦市大洼区智慧城市运行管理中心";
    for (lines, department, key, scope) in [
        (
            "第四部分 2023年度部门决算表|收入支出决算总表|公开01表|\
             部门：辽宁省盘锦市大洼区智慧城市运行管理中|心||2023|年度||金额单|位：万元",
            seed,
            "211104:智慧城市运行管理中心",
            "",
        ),
        (
            "收入决算表|公开02表|部门：辽宁省盘锦|市大洼区智慧城市|运行管理中心||2023|年度||金额单|位：万|元",
            seed,
            "211104:智慧城市运行管理中心",
            "",
        ),
        (
            "2026 年度|福州市公安局治安管理|支队|单位预算|目录|第一部分 单位概况|一、单位主要职责",
            "福州市公安局治安管理支队",
            "350100:公安局治安管理支队",
            "",
        ),
        (
            "2026 年度|福州市公安局文职人员|管理中心单位预算|目录|第一部分单位概况",
            "福州市公安局文职人员管理中心",
            "350100:公安局文职人员管理中心",
            "",
        ),
        (
            "2026 年度|福州市科学技术局(本级)|单位预算|目录|第一部分 单位概况",
            "福州市科学技术局",
            "350100:科学技术局",
            "本级",
        ),
        (
            "2026年度|福州市商务局|部门预算|目录",
            "福州市商务局",
            "350100:商务局",
            "",
        ),
    ] {
        let expected = (department.to_string(), key.to_string(), scope.to_string());
        assert_eq!(named(lines), expected, "{lines}");
    }
}

/// A heading, a part number (第X部分), a stamp or a verb phrase is never a
/// body's name (issue 26): a table of contents' lines run together
/// (二、机构设置情况 / 第二部分 2026年部门预算表, as the 烟台 reports print
/// them), 目录 misread by OCR, the seed's 单位构成 sentence with the name
/// taken out (纳入2023年部门决算编制范围的预算单位包括：) and a cover's
/// confidentiality line gave these names. A report that prints no body's
/// name has none; a stamp glued after the name is left off it.
#[test]
fn headings_part_numbers_stamps_and_sentences_are_no_name() {
    for (lines, was) in [
        (
            "目录|第一部分 部门概况|一、部门职责|二、机构设置情况|第二部分 2026年部门预算表|一、收支总体情况表",
            "机构设置情况第二部分",
        ),
        (
            "目录|第一部分 部门概况|一、部门职责|二、机构设置情况|三、部门人员情况|第二部分 2026年部门预算表",
            "部门人员情况第二部分",
        ),
        (
            "日和录|第一部分 2023年度部门决算报表|一、收入支出决算总表",
            "日和录第一部分",
        ),
        (
            "第一部分 概况|一、主要职责|二、部门决算单位构成|纳入2023年部门决算编制范围的预算单位包括：||\
             第二部分 2023年度部门决算情况说明",
            "纳入",
        ),
        (
            "辽宁省盘锦市大洼区财政局|保密审查情况：不涉密|2023年度部门决算",
            "保密审查情况：不涉密",
        ),
    ] {
        let (department, key, _) = named(lines);
        assert_eq!((department.as_str(), key.as_str()), ("", ""), "was {was}: {lines}");
    }
    let (department, key, _) = named(
        "2023年度部门决算|部门名称：辽宁省盘锦市大洼区财政局保密审查情况：不涉密部门主要负责人审签情况：已审签",
    );
    assert_eq!(
        (department.as_str(), key.as_str()),
        ("辽宁省盘锦市大洼区财政局", "211104:财政局")
    );
}

/// A county name several provinces have (普陀区: 上海 and 舟山), in a report
/// that names no province or city: the region is left empty with a
/// warning, never guessed; 上海市 anywhere in its first lines settles it.
#[test]
fn a_division_name_of_several_places_is_not_guessed() {
    let patterns = Patterns::builtin();
    let alone = process_bytes(
        "普陀区财政局2024年度部门决算\n".as_bytes(),
        "r.txt",
        &patterns,
    );
    assert_eq!(alone.department, "普陀区财政局");
    assert_eq!(alone.identity.region_code, "");
    assert!(
        alone
            .issues
            .iter()
            .any(|i| i.message.contains("普陀区 names several divisions")),
        "{:?}",
        alone.issues
    );
    let settled = process_bytes(
        "普陀区财政局2024年度部门决算\n上海市普陀区财政局是区政府组成部门。\n".as_bytes(),
        "r.txt",
        &patterns,
    );
    assert_eq!(settled.identity.region_code, "310107");
    assert_eq!(settled.identity.department_key, "310107:财政局");
}

/// The same report twice in one batch (the sample and its Word copy) is
/// marked: the copy's `documents.csv` row and every one of its facts say
/// `duplicate_of` = the first's `doc_id`; a copy with one figure changed is
/// a report of its own. The first is the first in input order, whatever
/// the number of threads.
#[test]
fn the_same_report_twice_is_marked_a_duplicate_of_the_first() {
    let input = tempfile::tempdir().unwrap();
    std::fs::copy(common::seed_path(), input.path().join("a_seed.txt")).unwrap();
    std::fs::copy(
        common::repo_root().join("tests/fixtures/seed.docx"),
        input.path().join("b_seed.docx"),
    )
    .unwrap();
    let changed = common::seed_text().replacen("\t368.14", "\t368.15", 1);
    std::fs::write(input.path().join("c_changed.txt"), changed).unwrap();
    for jobs in ["1", "4"] {
        let (out, output) = common::extract(input.path(), &["--no-parquet", "-j", jobs]);
        assert_eq!(output.status.code(), Some(0));
        let documents = common::read_csv_maps(&out.path().join("documents.csv"));
        let marks: Vec<(&str, &str)> = documents
            .iter()
            .map(|d| (d["source"].as_str(), d["duplicate_of"].as_str()))
            .collect();
        let first = documents[0]["doc_id"].as_str();
        assert_eq!(
            marks,
            [
                ("a_seed.txt", ""),
                ("b_seed.docx", first),
                ("c_changed.txt", "")
            ],
            "-j {jobs}"
        );
        let facts = common::read_csv_maps(&out.path().join("facts.csv"));
        for fact in &facts {
            let expected = if fact["source"] == "b_seed.docx" {
                first
            } else {
                ""
            };
            assert_eq!(fact["duplicate_of"], expected, "{}", fact["source"]);
        }
        assert_eq!(
            facts
                .iter()
                .filter(|f| f["source"] == "b_seed.docx")
                .count(),
            280
        );
    }
}

/// Byte-identical files (issue 26): each has a `doc_id` of its own, so
/// joining `facts` to `documents` on `doc_id` gives every fact once; the
/// copies are marked `duplicate_of` the first by their bytes, also when
/// the report gives nothing to match by (no figures, no identity); two
/// files that could not be read have ids of their own too.
#[test]
fn byte_identical_files_have_ids_of_their_own_and_are_marked_by_their_bytes() {
    let input = tempfile::tempdir().unwrap();
    let seed = common::seed_text();
    // a file whose identity gives nothing to match by (a template table
    // of codes, no figures: before, never marked)
    let nameless =
        std::fs::read(common::repo_root().join("tests/fixtures/codes_only_table.txt")).unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(input.path().join(name), &seed).unwrap();
    }
    for name in ["d.txt", "e.txt"] {
        std::fs::write(input.path().join(name), &nameless).unwrap();
    }
    for name in ["f.pdf", "g.pdf"] {
        std::os::unix::fs::symlink(input.path().join("nowhere"), input.path().join(name)).unwrap();
    }
    let (out, output) = common::extract(input.path(), &["--no-parquet", "-j", "2"]);
    assert_eq!(output.status.code(), Some(1));
    let documents = common::read_csv_maps(&out.path().join("documents.csv"));
    let ids: std::collections::BTreeSet<&str> =
        documents.iter().map(|d| d["doc_id"].as_str()).collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    assert!(ids.iter().all(|id| id.len() == 16));
    let id =
        |source: &str| documents.iter().find(|d| d["source"] == source).unwrap()["doc_id"].clone();
    let marks: Vec<(&str, &str)> = documents
        .iter()
        .map(|d| (d["source"].as_str(), d["duplicate_of"].as_str()))
        .collect();
    let (a, d) = (id("a.txt"), id("d.txt"));
    assert_eq!(
        marks,
        [
            ("a.txt", ""),
            ("b.txt", a.as_str()),
            ("c.txt", a.as_str()),
            ("d.txt", ""),
            ("e.txt", d.as_str()),
            ("f.pdf", ""),
            ("g.pdf", "")
        ]
    );
    // the first keeps the SHA-256's first 16 digits
    assert!(documents[0]["sha256"].starts_with(&a));
    // each fact joins one document
    let facts = common::read_csv_maps(&out.path().join("facts.csv"));
    for source in ["a.txt", "b.txt", "c.txt"] {
        let own = facts.iter().filter(|f| f["source"] == source);
        assert!(own.clone().all(|f| f["doc_id"] == id(source)), "{source}");
        assert_eq!(own.count(), 280, "{source}");
    }
}
