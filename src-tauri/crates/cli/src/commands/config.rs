//! `dark8 config show`, `dark8 config path` and `dark8 config set`.

use serde_json::json;

use crate::commands::Context;
use crate::error::{exit_code, CliError};
use dark8_core::Language;

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

/// Changes one setting a front end may change (the same check and write as the dashboard's),
/// or lists those settings without arguments.
pub async fn set(ctx: &Context, key: Option<&str>, value: Option<&str>) -> Result<u8, CliError> {
    let out = &ctx.output;
    let lang = ctx.language();
    let (Some(key), Some(value)) = (key, value) else {
        let writable = dark8_core::settings::writable_settings();
        if out.is_json() {
            out.json(&writable).map_err(|e| ctx.io(e))?;
        } else {
            for setting in writable {
                let what = lang.pick(&setting.description_pl, &setting.description_en);
                out.line(&format!("{:<24} {what}", setting.key))
                    .map_err(|e| ctx.io(e))?;
            }
        }
        return Ok(if key.is_some() {
            exit_code::USAGE
        } else {
            exit_code::SUCCESS
        });
    };
    // Numbers and booleans as such; anything else is text.
    let parsed = serde_json::from_str::<serde_json::Value>(value)
        .ok()
        .filter(|v| v.is_number() || v.is_boolean())
        .unwrap_or_else(|| serde_json::Value::String(value.to_owned()));
    let dark8 = ctx.start().await?;
    let changes = std::collections::BTreeMap::from([(key.to_owned(), parsed)]);
    let result = dark8.update_settings(&changes).await;
    dark8.shutdown().await;
    let update = result.map_err(|err| {
        let user = err.user_message(lang);
        CliError {
            message: user.message,
            hint: user.hint,
            code: exit_code::USAGE,
        }
    })?;
    if out.is_json() {
        out.json(&update).map_err(|e| ctx.io(e))?;
    } else {
        let line = if update.overridden.is_empty() {
            match lang {
                Language::Pl => format!("Zapisano {key} = {value} w {}.", update.config_file),
                Language::En => format!("Saved {key} = {value} in {}.", update.config_file),
            }
        } else {
            match lang {
                Language::Pl => format!(
                    "Zapisano {key} = {value} w {}, ale zmienna DARK8_{} tego procesu ją nadpisuje.",
                    update.config_file,
                    key.replace('.', "__").to_uppercase()
                ),
                Language::En => format!(
                    "Saved {key} = {value} in {}, but this process's DARK8_{} overrides it.",
                    update.config_file,
                    key.replace('.', "__").to_uppercase()
                ),
            }
        };
        out.line(&line).map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}
