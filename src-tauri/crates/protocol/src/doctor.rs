//! The doctor report: what DARK8 found on this machine.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Present and working.
    Ok,
    /// Missing or not working (shown as `BRAK`).
    Missing,
}

/// One line of the doctor report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DoctorCheck {
    /// Stable identifier of the check, e.g. `git`, `ollama`, `database`.
    pub id: String,
    /// Human name of the check, in the user's language.
    pub label: String,
    /// Whether the check passed.
    pub status: CheckStatus,
    /// What was found (version, path, free space ...), in the user's language.
    pub detail: String,
    /// What to do when the check failed, in the user's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hint: Option<String>,
    /// Whether DARK8 cannot work without it (an optional check only limits features).
    pub required: bool,
}

/// Everything `dark8 doctor` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DoctorReport {
    /// The DARK8 version that made the report.
    pub version: String,
    /// The data directory in use.
    pub data_dir: String,
    /// The configuration file in use.
    pub config_file: String,
    /// The checks, in a fixed order.
    pub checks: Vec<DoctorCheck>,
}

impl DoctorReport {
    /// True when every required check passed.
    pub fn required_ok(&self) -> bool {
        self.checks
            .iter()
            .all(|check| !check.required || check.status == CheckStatus::Ok)
    }
}
