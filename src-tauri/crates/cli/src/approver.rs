//! Approvals at the terminal: `--yes` answers what the policy lets a blanket "yes" answer;
//! anything else is asked in Polish on the terminal, and refused when nobody is there.

use std::io::{BufRead, IsTerminal, Write};

use dark8_core::tools::executor::ApprovalFuture;
use dark8_core::tools::Approver;
use dark8_core::Language;
use dark8_protocol::{ApprovalDecision, ApprovalRequest};

/// Answers approval requests for one CLI command.
#[derive(Debug, Clone, Copy)]
pub struct TerminalApprover {
    /// `--yes` was given.
    pub yes: bool,
    /// The user's language.
    pub language: Language,
}

impl Approver for TerminalApprover {
    fn decide<'a>(
        &'a self,
        request: &'a ApprovalRequest,
        auto_approvable: bool,
    ) -> ApprovalFuture<'a> {
        let yes = self.yes;
        let language = self.language;
        Box::pin(async move {
            let approved = if yes && auto_approvable {
                true
            } else if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
                let request = request.clone();
                tokio::task::spawn_blocking(move || ask(&request, language))
                    .await
                    .unwrap_or(false)
            } else {
                false
            };
            ApprovalDecision::once(request, approved)
        })
    }
}

/// Asks on the terminal; only `t`/`tak`/`y`/`yes` approves.
fn ask(request: &ApprovalRequest, language: Language) -> bool {
    let mut stderr = std::io::stderr().lock();
    let mut question = match language {
        Language::Pl => format!(
            "DARK8 chce wykonać {} {}\n",
            request.call.tool, request.call.arguments
        ),
        Language::En => format!(
            "DARK8 wants to run {} {}\n",
            request.call.tool, request.call.arguments
        ),
    };
    if let Some(line) = &request.command_line {
        question.push_str(&format!("  $ {line}\n"));
    }
    for url in &request.urls {
        question.push_str(&format!("  → {url}\n"));
    }
    question.push_str(&match language {
        Language::Pl => format!("Powód pytania: {}\nZezwolić? [t/N] ", request.reason),
        Language::En => format!("Why you are asked: {}\nAllow? [y/N] ", request.reason),
    });
    if stderr.write_all(question.as_bytes()).is_err() || stderr.flush().is_err() {
        return false;
    }
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(
        answer.trim().to_lowercase().as_str(),
        "t" | "tak" | "y" | "yes"
    )
}
