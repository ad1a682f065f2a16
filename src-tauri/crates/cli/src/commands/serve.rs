//! `dark8 serve`: the local REST API (and the dashboard in browser mode) until Ctrl+C.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use dark8_server::{bind, ServeSettings, ServerError};

use crate::commands::tools::workspace;
use crate::commands::Context;
use crate::error::{exit_code, CliError};

/// What `dark8 serve` was asked.
#[derive(Debug, Clone, Default)]
pub struct ServeArgs {
    /// `--port`.
    pub port: Option<u16>,
    /// `--host`.
    pub host: Option<String>,
    /// `--allow-remote`.
    pub allow_remote: bool,
    /// `--ui`.
    pub ui: Option<PathBuf>,
}

/// Serves until Ctrl+C.
pub async fn run(ctx: &Context, args: &ServeArgs, workdir: Option<&Path>) -> Result<u8, CliError> {
    let config = &ctx.config.server;
    let host_text = args.host.clone().unwrap_or_else(|| config.host.clone());
    let host: IpAddr = host_text.parse().map_err(|_| CliError {
        message: format!("Nieprawidłowy adres: {host_text}."),
        hint: "Podaj adres IP, np. --host 127.0.0.1.".to_owned(),
        code: exit_code::USAGE,
    })?;
    let allow_remote = args.allow_remote || config.allow_remote;
    if !host.is_loopback() && allow_remote {
        eprintln!(
            "UWAGA: serwer słucha na {host}, poza tym komputerem; chroni go tylko token API. Nie rób tego w niezaufanej sieci."
        );
    }
    let settings = ServeSettings {
        host,
        port: args.port.unwrap_or(config.port),
        allow_remote,
        ui_dir: args.ui.clone().or_else(|| ui_dir(&config.ui_dir)),
        ui_assets: None,
        workspace: workspace(ctx, workdir)?,
    };
    let dark8 = ctx.start().await?;
    let (bound, token) = bind(dark8.clone(), &settings)
        .await
        .map_err(|err| serve_error(&err))?;
    let base = format!("http://{}", bound.address);
    // The token goes to this terminal only, never to a log: in the URL's fragment, which a
    // browser does not send to the server.
    println!("DARK8 API: {base}/api/v1/ (dokumentacja: {base}/api/openapi.json)");
    if settings.ui_dir.is_some() {
        println!("Panel w przeglądarce: {base}/#token={}", token.reveal());
    } else {
        println!(
            "Panel nie jest zbudowany (npm run build w ui/ albo --ui KATALOG): działa samo API."
        );
    }
    println!(
        "Token: plik {} (nagłówek Authorization: Bearer …). Zatrzymanie: Ctrl+C.",
        dark8
            .paths()
            .data_dir
            .join(dark8_server::token::TOKEN_FILE)
            .display()
    );
    tracing::info!(address = %bound.address, "API server listening");
    let served = bound
        .serve(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    dark8.shutdown().await;
    served.map_err(|err| serve_error(&err))?;
    Ok(exit_code::SUCCESS)
}

/// The dashboard to serve: the configured directory, else one installed beside the program.
fn ui_dir(configured: &str) -> Option<PathBuf> {
    if !configured.is_empty() {
        return Some(PathBuf::from(configured));
    }
    let exe = std::env::current_exe().ok()?;
    let installed = exe.parent()?.join("../share/dark8/ui");
    installed.join("index.html").is_file().then_some(installed)
}

fn serve_error(err: &ServerError) -> CliError {
    let hint = match err {
        ServerError::Bind { .. } => "Port jest zajęty? Podaj inny: dark8 serve --port 8732.",
        ServerError::NotLoopback(_) => {
            "Poza 127.0.0.1 serwer słucha tylko z --allow-remote (albo [server] allow_remote = true)."
        }
        ServerError::Token { .. } => "Sprawdź prawa do katalogu danych (`dark8 config path`).",
        ServerError::Serve(_) => "Uruchom ponownie; szczegóły w dzienniku.",
    };
    CliError {
        message: format!("Serwer API: {err}"),
        hint: hint.to_owned(),
        code: exit_code::FAILURE,
    }
}
