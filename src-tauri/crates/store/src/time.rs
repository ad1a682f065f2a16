//! Timestamps as stored: RFC 3339, UTC, milliseconds.

/// The current time in the stored form, e.g. `2026-11-24T13:37:19.123Z`.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
