//! Days named in a question ("wczoraj", "dzisiaj", "w tym tygodniu") as a UTC time range.

use chrono::{DateTime, Days, Local, NaiveDate, TimeZone, Utc};
use dark8_nlp::normalize::fold;

/// A span of whole local days, as RFC 3339 UTC bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRange {
    /// Polish name of the span, e.g. "wczoraj".
    pub label_pl: &'static str,
    /// English name of the span.
    pub label_en: &'static str,
    /// Start, inclusive.
    pub from_utc: String,
    /// End, exclusive.
    pub to_utc: String,
}

/// The span a text names, relative to `today` (local date), if it names one.
pub fn day_range(text: &str, today: NaiveDate) -> Option<DayRange> {
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let (label_pl, label_en, start_back, days) = if has("przedwczoraj") {
        ("przedwczoraj", "the day before yesterday", 2, 1)
    } else if has("wczoraj") || has("wczorajszy") || has("wczorajsze") {
        ("wczoraj", "yesterday", 1, 1)
    } else if has("dzisiaj") || has("dzis") || has("dzisiejszy") {
        ("dzisiaj", "today", 0, 1)
    } else if folded.contains("tym tygodniu") || folded.contains("ostatnim tygodniu") {
        ("w ostatnim tygodniu", "in the last week", 6, 7)
    } else {
        return None;
    };
    let start = today.checked_sub_days(Days::new(start_back))?;
    let end = start.checked_add_days(Days::new(days))?;
    Some(DayRange {
        label_pl,
        label_en,
        from_utc: local_midnight_utc(start)?,
        to_utc: local_midnight_utc(end)?,
    })
}

fn local_midnight_utc(date: NaiveDate) -> Option<String> {
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let local = Local.from_local_datetime(&midnight).earliest()?;
    let utc: DateTime<Utc> = local.with_timezone(&Utc);
    Some(utc.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yesterday_is_one_local_day_before_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let range = day_range("Co robiliśmy wczoraj?", today).unwrap();
        assert_eq!(range.label_pl, "wczoraj");
        assert!(range.from_utc < range.to_utc);
        assert!(range.from_utc.starts_with("2026-11-2"));
        assert!(day_range("Na jakim porcie działa serwer?", today).is_none());
        let week = day_range("co zrobiłem w tym tygodniu", today).unwrap();
        assert!(week.from_utc < range.from_utc);
    }
}
