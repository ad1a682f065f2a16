//! `dark8 secret set|get|list|rm`: the vault. A value is read from a hidden prompt or stdin,
//! never from the command line (which other users can see in the process list).

use std::io::{IsTerminal, Read};

use zeroize::Zeroizing;

use crate::commands::Context;
use crate::error::{exit_code, CliError};

fn core_error(ctx: &Context, err: &dark8_core::CoreError) -> CliError {
    CliError::from_core(err, ctx.language())
}

/// Asks for the vault passphrase on the terminal (`None` without one).
fn passphrase_prompt(ctx: &Context) -> impl Fn() -> Option<Zeroizing<String>> + '_ {
    move || {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        let prompt = ctx
            .language()
            .pick("Hasło sejfu DARK8: ", "DARK8 vault passphrase: ");
        rpassword::prompt_password(prompt).ok().map(Zeroizing::new)
    }
}

/// Reads the value: a hidden prompt on a terminal, else all of stdin (one trailing newline
/// dropped).
fn read_value(ctx: &Context) -> Result<Zeroizing<String>, CliError> {
    let value = if std::io::stdin().is_terminal() {
        let prompt = ctx.language().pick("Wartość sekretu: ", "Secret value: ");
        Zeroizing::new(rpassword::prompt_password(prompt).map_err(|e| ctx.io(e))?)
    } else {
        let mut text = Zeroizing::new(String::new());
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| ctx.io(e))?;
        let trimmed = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix('\n'))
            .unwrap_or(&text);
        Zeroizing::new(trimmed.to_owned())
    };
    if value.is_empty() {
        return Err(CliError {
            message: ctx
                .language()
                .pick("Pusta wartość sekretu.", "Empty secret value.")
                .to_owned(),
            hint: ctx
                .language()
                .pick(
                    "Podaj wartość w terminalu albo na standardowym wejściu: `printf %s \"$TOKEN\" | dark8 secret set NAZWA`.",
                    "Type it at the prompt or pipe it on stdin: `printf %s \"$TOKEN\" | dark8 secret set NAME`.",
                )
                .to_owned(),
            code: exit_code::USAGE,
        });
    }
    Ok(value)
}

/// Stores a secret.
pub async fn set(ctx: &Context, name: &str) -> Result<u8, CliError> {
    let value = read_value(ctx)?;
    let dark8 = ctx.start().await?;
    let prompt = passphrase_prompt(ctx);
    let result = dark8.secret_set(name, &value, &prompt).await;
    dark8.shutdown().await;
    result.map_err(|e| core_error(ctx, &e))?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&serde_json::json!({"name": name, "stored": true}))
            .map_err(|e| ctx.io(e))?;
    } else {
        out.line(ctx.language().pick(
            &format!("Zapisano sekret „{name}”."),
            &format!("Stored secret `{name}`."),
        ))
        .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

/// Prints a secret's value on stdout (for scripts: `$(dark8 secret get NAME)`).
pub async fn get(ctx: &Context, name: &str) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let prompt = passphrase_prompt(ctx);
    let result = dark8.secret_get(name, &prompt).await;
    dark8.shutdown().await;
    let value = result.map_err(|e| core_error(ctx, &e))?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&serde_json::json!({"name": name, "value": value.as_str()}))
            .map_err(|e| ctx.io(e))?;
    } else {
        out.line(&value).map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

/// Lists the names (never the values).
pub async fn list(ctx: &Context) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let prompt = passphrase_prompt(ctx);
    let result = dark8.secret_names(&prompt);
    dark8.shutdown().await;
    let listed = result.map_err(|e| core_error(ctx, &e))?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&listed).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    if listed.names.is_empty() {
        out.line(ctx.language().pick(
            "Sejf jest pusty. Dodaj sekret: `dark8 secret set NAZWA`.",
            "The vault is empty. Add one: `dark8 secret set NAME`.",
        ))
        .map_err(|e| ctx.io(e))?;
    }
    for name in &listed.names {
        out.line(name).map_err(|e| ctx.io(e))?;
    }
    // Where they are, for the person reading (stderr: the names stay the only stdout).
    let n = listed.names.len();
    let place = match (listed.backend.as_str(), ctx.language()) {
        ("keychain", dark8_core::Language::Pl) => "pęk kluczy systemu",
        ("keychain", dark8_core::Language::En) => "the OS keychain",
        (_, dark8_core::Language::Pl) => "zaszyfrowany plik",
        (_, dark8_core::Language::En) => "the encrypted file",
    };
    let summary = match ctx.language() {
        dark8_core::Language::Pl => format!(
            "Sejf: {place}, {n} {}.",
            dark8_core::tools::builtin::plural(n, "sekret", "sekrety", "sekretów")
        ),
        dark8_core::Language::En => {
            format!(
                "Vault: {place}, {n} secret{}.",
                if n == 1 { "" } else { "s" }
            )
        }
    };
    eprintln!("{summary}");
    Ok(exit_code::SUCCESS)
}

/// Removes a secret.
pub async fn remove(ctx: &Context, name: &str) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let prompt = passphrase_prompt(ctx);
    let result = dark8.secret_remove(name, &prompt).await;
    dark8.shutdown().await;
    result.map_err(|e| core_error(ctx, &e))?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&serde_json::json!({"name": name, "removed": true}))
            .map_err(|e| ctx.io(e))?;
    } else {
        out.line(ctx.language().pick(
            &format!("Usunięto sekret „{name}”."),
            &format!("Removed secret `{name}`."),
        ))
        .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}
