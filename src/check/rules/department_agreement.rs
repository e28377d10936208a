//! `department_agreement`: the department a table's own header states
//! (编制单位：…) is the report's. A name cut short by a line break in the
//! header (at least four characters, contained in the other) agrees, with
//! a note. Needs the text.

use crate::check::compare::verdict;
use crate::check::Context;
use crate::model::{Check, CheckName, FoundTable};
use crate::text::normalise;

pub fn run_on_table(context: &Context, table: &FoundTable, checks: &mut Vec<Check>) {
    let Some(department) = &table.department else {
        return;
    };
    let report_department = &context.record.department;
    let (stated, report) = (normalise(department), normalise(report_department));
    let agrees = stated == report;
    let abbreviated = !agrees
        && stated.chars().count() >= 4
        && (report.contains(&stated) || stated.contains(&report));
    let note = if agrees {
        String::new()
    } else if abbreviated {
        format!("table states {department:?}, part of the report's {report_department:?}")
    } else {
        format!("table states {department:?}, the report {report_department:?}")
    };
    let name = CheckName::DepartmentAgreement;
    let check = verdict(name, &table.key, &table.key, agrees || abbreviated, note);
    checks.push(check.at(table.page, &table.label));
}

#[cfg(test)]
mod tests {
    use crate::check::rules::testing::run_found_table_rule;
    use crate::model::CheckStatus;

    #[test]
    fn a_name_cut_short_agrees_with_a_note_and_another_name_fails() {
        let cut = run_found_table_rule(
            super::run_on_table,
            "盘锦市大洼区智慧城市",
            "盘锦市大洼区智慧城市建设服务中心",
        );
        assert_eq!(cut[0].status, CheckStatus::Pass);
        assert!(
            cut[0].note.contains("part of the report's"),
            "{}",
            cut[0].note
        );
        let other = run_found_table_rule(
            super::run_on_table,
            "盘锦市财政局",
            "盘锦市大洼区智慧城市建设服务中心",
        );
        assert_eq!(other[0].status, CheckStatus::Fail);
    }
}
