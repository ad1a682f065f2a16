//! What the desktop tells the user outside the window: a native notification when an approval
//! waits or a long command ends while the window is not in front, and the tray's count of
//! approvals that wait. Decided from the core's event stream by [`Notices`], which holds no
//! window or plugin and is tested on its own.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use dark8_core::tools::builtin::plural;
use dark8_protocol::{Event, EventEnvelope, RunStatus};

/// A command that took at least this long is worth a notification when it ends.
pub const LONG_RUN: Duration = Duration::from_secs(10);

/// Longest command text quoted in a notification.
const QUOTED_CHARS: usize = 80;

/// One native notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
}

/// The state the notifications are decided from.
#[derive(Debug, Default)]
pub struct Notices {
    english: bool,
    started: HashMap<String, (Instant, String)>,
    waiting: HashSet<String>,
}

impl Notices {
    /// Notices in English when `english`, else in Polish.
    pub fn new(english: bool) -> Notices {
        Notices {
            english,
            ..Notices::default()
        }
    }

    /// How many approvals wait now.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// The tray's line about approvals.
    pub fn waiting_line(&self) -> String {
        let n = self.waiting();
        match (self.english, n) {
            (true, 0) => "No approval waiting".to_owned(),
            (true, 1) => "1 approval waiting".to_owned(),
            (true, n) => format!("{n} approvals waiting"),
            (false, 0) => "Nic nie czeka na zgodę".to_owned(),
            (false, n) => format!(
                "{n} {} na Twoją zgodę",
                plural(n, "polecenie czeka", "polecenia czekają", "poleceń czeka")
            ),
        }
    }

    /// Takes in `envelope` seen at `now`; the notification it calls for when the window is
    /// not in front (`focused` false).
    pub fn observe(
        &mut self,
        envelope: &EventEnvelope,
        now: Instant,
        focused: bool,
    ) -> Option<Notice> {
        let run = envelope.run.clone().unwrap_or_default();
        match &envelope.event {
            Event::CommandReceived { command } => {
                self.started.insert(run, (now, command.text.clone()));
                None
            }
            Event::ApprovalRequested { request } => {
                self.waiting.insert(request.id.clone());
                let notice = if self.english {
                    Notice {
                        title: "DARK8 waits for your approval".to_owned(),
                        body: format!("{}: {}", request.call.tool, request.reason),
                    }
                } else {
                    Notice {
                        title: "DARK8 czeka na Twoją zgodę".to_owned(),
                        body: format!("{}: {}", request.call.tool, request.reason),
                    }
                };
                (!focused).then_some(notice)
            }
            Event::ApprovalDecided { decision } => {
                self.waiting.remove(&decision.request_id);
                None
            }
            Event::RunFinished { status, .. } => {
                let (started, command) = self.started.remove(&run)?;
                if focused || now.duration_since(started) < LONG_RUN {
                    return None;
                }
                let ok = matches!(status, RunStatus::Done);
                let title = match (self.english, ok) {
                    (true, true) => "Command finished",
                    (true, false) => "Command did not finish as asked",
                    (false, true) => "Polecenie wykonane",
                    (false, false) => "Polecenie nie powiodło się w całości",
                };
                Some(Notice {
                    title: title.to_owned(),
                    body: command.chars().take(QUOTED_CHARS).collect(),
                })
            }
            _ => None,
        }
    }

    /// Forgets approvals that no longer wait (the pending list after a reconnect).
    pub fn retain_waiting(&mut self, pending: &HashSet<String>) {
        self.waiting.retain(|id| pending.contains(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dark8_protocol::{
        ApprovalDecision, ApprovalRequest, Command, CommandSource, GrantScope, RiskClass, ToolCall,
    };

    fn envelope(run: &str, event: Event) -> EventEnvelope {
        EventEnvelope {
            seq: 1,
            timestamp: "2026-12-03T12:00:00Z".into(),
            session: None,
            run: Some(run.into()),
            step: None,
            event,
        }
    }

    fn received(run: &str, text: &str) -> EventEnvelope {
        envelope(
            run,
            Event::CommandReceived {
                command: Command {
                    text: text.into(),
                    source: CommandSource::Desktop,
                    session_id: None,
                },
            },
        )
    }

    fn finished(run: &str, status: RunStatus) -> EventEnvelope {
        envelope(
            run,
            Event::RunFinished {
                status,
                response: String::new(),
            },
        )
    }

    fn requested(id: &str) -> EventEnvelope {
        let request: ApprovalRequest = serde_json::from_value(serde_json::json!({
            "id": id,
            "call": ToolCall { id: "c1".into(), tool: "shell_run".into(), arguments: serde_json::json!({}) },
            "risk": RiskClass::Execute,
            "reason": "rola wymaga potwierdzenia",
            "auto_approvable": true,
            "paths": [],
            "urls": [],
        }))
        .unwrap();
        envelope("r1", Event::ApprovalRequested { request })
    }

    #[test]
    fn a_long_run_notifies_when_it_ends_behind_the_window_only() {
        let start = Instant::now();
        let mut notices = Notices::new(false);
        assert_eq!(
            notices.observe(&received("r1", "Zbuduj projekt"), start, false),
            None
        );
        let notice = notices
            .observe(
                &finished("r1", RunStatus::Done),
                start + LONG_RUN + Duration::from_secs(1),
                false,
            )
            .unwrap();
        assert_eq!(notice.title, "Polecenie wykonane");
        assert_eq!(notice.body, "Zbuduj projekt");
        // Short, or seen in the window: nothing.
        notices.observe(&received("r2", "Pokaż pliki"), start, false);
        assert_eq!(
            notices.observe(
                &finished("r2", RunStatus::Failed),
                start + Duration::from_secs(2),
                false
            ),
            None
        );
        notices.observe(&received("r3", "Testy"), start, true);
        assert_eq!(
            notices.observe(
                &finished("r3", RunStatus::Failed),
                start + LONG_RUN * 2,
                true
            ),
            None
        );
        let mut english = Notices::new(true);
        english.observe(&received("r4", "x"), start, false);
        let failed = english
            .observe(&finished("r4", RunStatus::Partial), start + LONG_RUN, false)
            .unwrap();
        assert_eq!(failed.title, "Command did not finish as asked");
    }

    #[test]
    fn approvals_are_counted_with_polish_plurals_and_notify_behind_the_window() {
        let now = Instant::now();
        let mut notices = Notices::new(false);
        assert_eq!(notices.waiting_line(), "Nic nie czeka na zgodę");
        let notice = notices.observe(&requested("a1"), now, false).unwrap();
        assert_eq!(notice.title, "DARK8 czeka na Twoją zgodę");
        assert!(notice.body.starts_with("shell_run: "), "{}", notice.body);
        assert_eq!(notices.waiting_line(), "1 polecenie czeka na Twoją zgodę");
        assert_eq!(notices.observe(&requested("a2"), now, true), None);
        assert_eq!(notices.waiting_line(), "2 polecenia czekają na Twoją zgodę");
        for id in ["a3", "a4", "a5"] {
            notices.observe(&requested(id), now, true);
        }
        assert_eq!(notices.waiting_line(), "5 poleceń czeka na Twoją zgodę");
        let decided: ApprovalDecision = serde_json::from_value(serde_json::json!({
            "request_id": "a1", "approved": true, "grant": GrantScope::Once,
        }))
        .unwrap();
        notices.observe(
            &envelope("r1", Event::ApprovalDecided { decision: decided }),
            now,
            true,
        );
        assert_eq!(notices.waiting(), 4);
        notices.retain_waiting(&HashSet::from(["a2".to_owned()]));
        assert_eq!(notices.waiting_line(), "1 polecenie czeka na Twoją zgodę");
    }
}
