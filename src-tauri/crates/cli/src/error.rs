//! Errors as the user sees them: a message, a hint and an exit code.

use dark8_core::{CoreError, Language};

/// Documented exit codes of `dark8`.
pub mod exit_code {
    /// Everything worked.
    pub const SUCCESS: u8 = 0;
    /// Something failed; the message says what.
    pub const FAILURE: u8 = 1;
    /// The command line was wrong (clap's own code).
    pub const USAGE: u8 = 2;
    /// `audit verify` found a changed, removed or reordered row.
    pub const AUDIT_TAMPERED: u8 = 3;
    /// `doctor` found a required check missing.
    pub const DOCTOR_MISSING: u8 = 4;
    /// `policy check`: the command would need the user's approval.
    pub const POLICY_PROMPT: u8 = 5;
    /// `policy check`: the command is forbidden.
    pub const POLICY_FORBID: u8 = 6;
}

/// An error for the user.
#[derive(Debug)]
pub struct CliError {
    /// What went wrong, in the user's language.
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// The process exit code.
    pub code: u8,
}

impl CliError {
    /// An error with its message and hint already in the user's language.
    pub fn new(message: impl Into<String>, hint: impl Into<String>, code: u8) -> CliError {
        CliError {
            message: message.into(),
            hint: hint.into(),
            code,
        }
    }

    /// Wraps a core error in the user's language.
    pub fn from_core(err: &CoreError, language: Language) -> CliError {
        let user = err.user_message(language);
        tracing::debug!("{err:?}");
        CliError {
            message: user.message,
            hint: user.hint,
            code: exit_code::FAILURE,
        }
    }

    /// Writing to stdout failed. A reader that went away (`dark8 audit list | head`) is
    /// not an error: that ends the command quietly with success.
    pub fn output(err: &std::io::Error, language: Language) -> CliError {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            return CliError {
                message: String::new(),
                hint: String::new(),
                code: exit_code::SUCCESS,
            };
        }
        CliError {
            message: match language {
                Language::Pl => format!("Nie można wypisać wyniku: {err}"),
                Language::En => format!("Cannot write the output: {err}"),
            },
            hint: language
                .pick(
                    "Sprawdź, dokąd przekierowujesz wyjście.",
                    "Check where the output is redirected.",
                )
                .to_owned(),
            code: exit_code::FAILURE,
        }
    }
}
