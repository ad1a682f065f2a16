//! `dark8 config show` and `dark8 config path`.

use serde_json::json;

use crate::commands::Context;
use crate::error::{exit_code, CliError};

/// Prints the configuration in force (defaults, file and `DARK8_*`).
pub fn show(ctx: &Context) -> Result<u8, CliError> {
    let out = &ctx.output;
    if out.is_json() {
        out.json(&ctx.config).map_err(|e| ctx.io(e))?;
    } else {
        let text = ctx
            .config
            .to_toml()
            .map_err(|e| CliError::from_core(&e, ctx.language()))?;
        let header = ctx.language().pick(
            "# Obowiązująca konfiguracja DARK8 (ustawienia domyślne, plik i zmienne DARK8_*)",
            "# DARK8 configuration in force (defaults, file and DARK8_* variables)",
        );
        out.line(&format!(
            "{header}\n# {}\n\n{}",
            ctx.paths.config_file.display(),
            text.trim_end()
        ))
        .map_err(|e| ctx.io(e))?;
        for name in dark8_core::config::ignored_env_vars() {
            out.line(&match ctx.language() {
                dark8_core::Language::Pl => {
                    format!("# pominięto {name}: to nie jest klucz konfiguracji")
                }
                dark8_core::Language::En => format!("# ignored {name}: not a configuration key"),
            })
            .map_err(|e| ctx.io(e))?;
        }
    }
    Ok(exit_code::SUCCESS)
}

/// Prints the configuration file's path (with `--json`: every path DARK8 uses).
pub fn path(ctx: &Context) -> Result<u8, CliError> {
    let out = &ctx.output;
    if out.is_json() {
        out.json(&json!({
            "config_file": ctx.paths.config_file,
            "config_exists": ctx.paths.config_file.exists(),
            "data_dir": ctx.paths.data_dir,
            "database": ctx.paths.database(),
            "log_dir": ctx.paths.log_dir(),
        }))
        .map_err(|e| ctx.io(e))?;
    } else {
        out.line(&ctx.paths.config_file.display().to_string())
            .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}
