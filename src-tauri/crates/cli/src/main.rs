//! `dark8`: the DARK8 terminal agent.

mod approver;
mod cli;
mod commands;
mod error;
mod output;

use std::io::Write;
use std::process::ExitCode;

use clap::FromArgMatches;
use dark8_core::Language;

use crate::cli::{
    AuditCommand, Cli, Commands, ConfigCommand, ModelCommand, NlpCommand, PolicyCommand,
    SecretCommand, ToolsCommand,
};
use crate::commands::Context;
use crate::error::{exit_code, CliError};
use crate::output::Output;

fn main() -> ExitCode {
    let cli = match cli::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version end here too, with clap's own output and code 0.
            if !err.use_stderr() {
                let _ = err.print();
                return ExitCode::from(exit_code::SUCCESS);
            }
            let _ = writeln!(
                std::io::stderr().lock(),
                "Błąd: niepoprawne wywołanie dark8.\n{}Podpowiedź: `dark8 --help` pokazuje polecenia i opcje.",
                err.render()
            );
            return ExitCode::from(exit_code::USAGE);
        }
    };
    let json = cli.global.json;
    let fallback_language = language_from_env();
    let (paths, config) = match dark8_core::load_settings() {
        Ok(settings) => settings,
        Err(err) => return report(&CliError::from_core(&err, fallback_language), json),
    };
    let _log_guard = dark8_core::logging::init(
        cli.global.verbosity(),
        &paths.log_dir(),
        &config.logging.file_level,
    );
    let ctx = Context {
        output: Output::new(json),
        paths,
        config,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            return report(
                &CliError {
                    message: format!("Nie można uruchomić środowiska wykonawczego: {err}"),
                    hint: "Sprawdź limity procesów i pamięci (ulimit -a).".to_owned(),
                    code: exit_code::FAILURE,
                },
                json,
            )
        }
    };
    let workdir = cli.global.workdir.clone();
    match runtime.block_on(dispatch(&ctx, cli.command, workdir.as_deref())) {
        Ok(code) => ExitCode::from(code),
        Err(err) => report(&err, json),
    }
}

async fn dispatch(
    ctx: &Context,
    command: Option<Commands>,
    workdir: Option<&std::path::Path>,
) -> Result<u8, CliError> {
    let Some(command) = command else {
        return commands::chat::run(ctx, false, workdir).await;
    };
    match command {
        Commands::Chat { yes } => commands::chat::run(ctx, yes, workdir).await,
        Commands::Run { text, yes } => commands::run::run(ctx, &text, yes, workdir).await,
        Commands::Serve {
            port,
            host,
            allow_remote,
            ui,
        } => {
            let args = commands::serve::ServeArgs {
                port,
                host,
                allow_remote,
                ui,
            };
            commands::serve::run(ctx, &args, workdir).await
        }
        Commands::Kb(command) => commands::kb::run(ctx, command).await,
        Commands::Model(ModelCommand::List) => commands::model::list(ctx),
        Commands::Model(ModelCommand::Pull { name, url, sha256 }) => {
            commands::model::pull(ctx, &name, url.as_deref(), sha256.as_deref()).await
        }
        Commands::Model(ModelCommand::Import { file }) => commands::model::import(ctx, &file),
        Commands::Doctor => commands::doctor::run(ctx).await,
        Commands::Understand { text, jsonl } => {
            commands::understand::run(ctx, text.as_deref(), jsonl)
        }
        Commands::Nlp(NlpCommand::Train { out }) => commands::nlp::train(ctx, out),
        Commands::Nlp(NlpCommand::Eval {
            llm,
            per_intent,
            ood,
        }) => match (llm, ood) {
            (true, _) => commands::nlp_compare::run(ctx, usize::from(per_intent)).await,
            (false, Some(file)) => commands::nlp::eval_ood(ctx, &file),
            (false, None) => commands::nlp::eval(ctx),
        },
        Commands::History { limit } => commands::history::run(ctx, limit).await,
        Commands::Audit(AuditCommand::List { limit }) => commands::audit::list(ctx, limit).await,
        Commands::Audit(AuditCommand::Verify { head }) => {
            commands::audit::verify(ctx, head.as_deref()).await
        }
        Commands::Audit(AuditCommand::Head) => commands::audit::head(ctx).await,
        Commands::Config(ConfigCommand::Show) => commands::config::show(ctx),
        Commands::Config(ConfigCommand::Path) => commands::config::path(ctx),
        Commands::Config(ConfigCommand::Set { key, value }) => {
            commands::config::set(ctx, key.as_deref(), value.as_deref()).await
        }
        Commands::Policy(PolicyCommand::Show) => commands::policy::show(ctx),
        Commands::Policy(PolicyCommand::Check { command }) => {
            commands::policy::check(ctx, &command)
        }
        Commands::Undo => commands::undo::run(ctx).await,
        Commands::Tools(ToolsCommand::List) => commands::tools::list(ctx).await,
        Commands::Tools(ToolsCommand::Describe { name }) => {
            commands::tools::describe(ctx, &name).await
        }
        Commands::Tools(ToolsCommand::Call { name, args, yes }) => {
            commands::tools::call(ctx, &name, &args, yes, workdir).await
        }
        Commands::Secret(SecretCommand::Set { name }) => commands::secret::set(ctx, &name).await,
        Commands::Secret(SecretCommand::Get { name }) => commands::secret::get(ctx, &name).await,
        Commands::Secret(SecretCommand::List) => commands::secret::list(ctx).await,
        Commands::Secret(SecretCommand::Rm { name }) => commands::secret::remove(ctx, &name).await,
    }
}

/// The language for errors that happen before the configuration is loaded.
fn language_from_env() -> Language {
    match std::env::var("DARK8_LANGUAGE").as_deref() {
        Ok("en") => Language::En,
        _ => Language::Pl,
    }
}

/// Prints the error on stderr (as JSON with `--json`) and returns its exit code.
fn report(err: &CliError, json: bool) -> ExitCode {
    if err.message.is_empty() {
        return ExitCode::from(err.code);
    }
    let mut stderr = std::io::stderr().lock();
    let _ = if json {
        writeln!(
            stderr,
            "{}",
            serde_json::json!({"error": {"message": err.message, "hint": err.hint, "code": err.code}})
        )
    } else {
        writeln!(stderr, "Błąd: {}\nPodpowiedź: {}", err.message, err.hint)
    };
    ExitCode::from(err.code)
}
