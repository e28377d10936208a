//! `function_classes.toml`: the functional classes (类) and their names,
//! for the two-sided summary's expenditure lines.

use super::{invalid, PatternError};
use crate::text::normalise;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClassesFile {
    pub(super) classes: Vec<ClassDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClassDef {
    pub(super) code: String,
    pub(super) names: Vec<String>,
}

pub(super) fn compile_classes(
    file: &str,
    classes: ClassesFile,
) -> Result<HashMap<String, String>, PatternError> {
    let mut map = HashMap::new();
    for class in classes.classes {
        if class.code.len() != 3 || !class.code.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid(
                file,
                "classes.code",
                format!("{:?} is not a three-digit class code", class.code),
            ));
        }
        for name in class.names {
            if let Some(previous) = map.insert(normalise(&name), class.code.clone()) {
                if previous != class.code {
                    return Err(invalid(
                        file,
                        "classes.names",
                        format!("{name:?} names both {previous} and {}", class.code),
                    ));
                }
            }
        }
    }
    Ok(map)
}
