//! Who and where a report is: the body's level and the level of
//! government (SCHEMA "Identity").

/// Whose accounts a report holds: a department's, consolidated over its
/// units (部门预算/部门决算), or one unit's (单位预算/单位决算).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum EntityLevel {
    Department,
    Unit,
}

impl EntityLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityLevel::Department => "department",
            EntityLevel::Unit => "unit",
        }
    }
}

/// The level of government a body belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum AdminLevel {
    Central,
    Province,
    Prefecture,
    County,
    Township,
}

impl AdminLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AdminLevel::Central => "central",
            AdminLevel::Province => "province",
            AdminLevel::Prefecture => "prefecture",
            AdminLevel::County => "county",
            AdminLevel::Township => "township",
        }
    }
}

/// Who and where a report is (SCHEMA "Identity").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// Region code and normalised name: one body across its name forms.
    pub department_key: String,
    pub entity_level: Option<EntityLevel>,
    /// A qualifier printed with the name (本级, 汇总).
    pub scope: String,
    pub province: String,
    pub prefecture: String,
    pub county: String,
    /// GB/T 2260 code of the lowest division the body belongs to.
    pub region_code: String,
    pub admin_level: Option<AdminLevel>,
}
