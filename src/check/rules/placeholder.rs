//! `placeholder`: no template placeholder (XX局, XXXX年, ××) is left in the
//! report (`placeholders` in `patterns/report.toml`). Needs the text.

use crate::check::compare::verdict;
use crate::check::Context;
use crate::model::{Check, CheckName};

pub fn run(context: &Context, checks: &mut Vec<Check>) {
    let placeholders = &context.record.placeholders;
    let note = if placeholders.is_empty() {
        String::new()
    } else {
        format!("template placeholders left: {}", placeholders.join("; "))
    };
    let name = CheckName::Placeholder;
    checks.push(verdict(name, "", "", placeholders.is_empty(), note));
}
