//! One module per subcommand.

pub mod audit;
pub mod chat;
pub mod config;
pub mod doctor;
pub mod history;
pub mod kb;
pub mod kb_eval;
pub mod kb_index;
pub mod model;
pub mod nlp;
pub mod nlp_compare;
pub mod policy;
pub mod run;
pub mod secret;
pub mod serve;
pub mod tools;
pub mod understand;
pub mod undo;

use dark8_core::{Config, Dark8, Language, Paths};

use crate::error::CliError;
use crate::output::Output;

/// What every subcommand gets.
pub struct Context {
    /// Where results go.
    pub output: Output,
    /// The files in use.
    pub paths: Paths,
    /// The configuration in use.
    pub config: Config,
}

impl Context {
    /// The user's language.
    pub fn language(&self) -> Language {
        self.config.language
    }

    /// Starts the core (opens the database).
    pub async fn start(&self) -> Result<Dark8, CliError> {
        Dark8::start(self.config.clone(), self.paths.clone())
            .await
            .map_err(|err| CliError::from_core(&err, self.language()))
    }

    /// Maps an output error to a user error.
    pub fn io(&self, err: std::io::Error) -> CliError {
        CliError::output(&err, self.language())
    }
}
