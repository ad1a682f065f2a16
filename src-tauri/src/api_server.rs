//! The local REST API and the browser dashboard, served by the desktop app in-process while
//! the user has it switched on (Ustawienia → API): on 127.0.0.1 only, at the port they
//! choose, with the same token file as `dark8 serve`. The switch and the port are kept in
//! `config.toml` (`server.desktop_api`, `server.port`), so the next start serves again.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use dark8_core::Dark8;
use dark8_protocol::ApiServerState;
use dark8_server::{bind, ApiToken, Dashboard, ServeSettings, ServerError, UiAssets};
use tokio::sync::{oneshot, Mutex};

/// A server that listens now.
struct Running {
    address: SocketAddr,
    dashboard: bool,
    token: ApiToken,
    stop: oneshot::Sender<()>,
    task: tauri::async_runtime::JoinHandle<()>,
}

/// The desktop's API server: off, or on at one address.
#[derive(Default)]
pub struct ApiServer {
    running: Mutex<Option<Running>>,
    /// Why the last start failed, with a hint.
    failure: std::sync::Mutex<Option<String>>,
}

/// The Polish message and hint of a server error.
fn polish(err: &ServerError, port: u16) -> String {
    let hint = match err {
        ServerError::Bind { .. } => {
            format!("port {port} jest zajęty (może działa już `dark8 serve`?); wybierz inny port")
        }
        ServerError::Token { .. } => {
            "sprawdź prawa do katalogu danych (`dark8 config path`)".to_owned()
        }
        ServerError::NotLoopback(_) | ServerError::Serve(_) => {
            "uruchom ponownie; szczegóły w dzienniku".to_owned()
        }
    };
    format!("Serwer API: {err}. Podpowiedź: {hint}.")
}

impl ApiServer {
    /// What the settings screen shows.
    pub async fn state(&self, dark8: &Dark8) -> ApiServerState {
        let token_file = dark8.paths().data_dir.join(dark8_server::token::TOKEN_FILE);
        match &*self.running.lock().await {
            Some(running) => dark8_server::routes::server::running_state(
                running.address,
                running.dashboard,
                running.token.file().unwrap_or(&token_file),
                true,
            ),
            None => ApiServerState {
                running: false,
                switchable: true,
                address: None,
                port: Some(dark8.config().server.port),
                api_url: None,
                dashboard_url: None,
                token_file: token_file.display().to_string(),
                error: self
                    .failure
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .clone(),
            },
        }
    }

    /// Starts serving on 127.0.0.1:`port` (a running server on another port is moved); with
    /// `remember`, the switch and the port are written to the configuration.
    pub async fn start(
        &self,
        dark8: &Dark8,
        workspace: PathBuf,
        port: u16,
        assets: Option<Arc<dyn UiAssets>>,
        remember: bool,
    ) -> Result<ApiServerState, String> {
        if !(1024..=65535).contains(&port) && port != 0 {
            return Err(format!(
                "Port {port} jest poza zakresem 1024–65535. Podpowiedź: np. 8731."
            ));
        }
        {
            let mut running = self.running.lock().await;
            if running.as_ref().is_some_and(|r| r.address.port() == port) {
                drop(running);
                return Ok(self.state(dark8).await);
            }
            if let Some(old) = running.take() {
                stop_running(old).await;
            }
            let settings = ServeSettings {
                host: IpAddr::V4(Ipv4Addr::LOCALHOST),
                port,
                allow_remote: false,
                ui_dir: None,
                ui_assets: assets,
                workspace,
            };
            let dashboard = !matches!(Dashboard::of(&settings), Dashboard::None);
            let bound = bind(dark8.clone(), &settings).await.map_err(|err| {
                let message = polish(&err, port);
                *self
                    .failure
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(message.clone());
                message
            });
            let (bound, token) = bound?;
            let address = bound.address;
            let (stop, stopped) = oneshot::channel::<()>();
            let task = tauri::async_runtime::spawn(async move {
                if let Err(err) = bound
                    .serve(async {
                        let _ = stopped.await;
                    })
                    .await
                {
                    tracing::warn!(error = %err, "desktop API server stopped");
                }
            });
            tracing::info!(%address, "desktop API server listening");
            *self
                .failure
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
            *running = Some(Running {
                address,
                dashboard,
                token,
                stop,
                task,
            });
        }
        if remember && port != 0 {
            remember_switch(dark8, true, Some(port)).await?;
        }
        Ok(self.state(dark8).await)
    }

    /// Stops serving; with `remember`, the switch is written off in the configuration.
    pub async fn stop(&self, dark8: &Dark8, remember: bool) -> Result<ApiServerState, String> {
        if let Some(running) = self.running.lock().await.take() {
            stop_running(running).await;
            tracing::info!("desktop API server stopped");
        }
        if remember {
            remember_switch(dark8, false, None).await?;
        }
        Ok(self.state(dark8).await)
    }

    /// Replaces the token of the running server (and its file): every client holding the old
    /// one is refused from now on.
    pub async fn rotate_token(&self) -> Result<(), String> {
        let running = self.running.lock().await;
        let token = match &*running {
            Some(running) => running.token.clone(),
            None => {
                return Err(
                    "Serwer API nie działa. Podpowiedź: włącz go, a potem wymień token.".to_owned(),
                )
            }
        };
        token
            .rotate()
            .map(|_| ())
            .map_err(|err| format!("Nie wymieniono tokenu: {err}. Podpowiedź: stary token działa dalej; sprawdź prawa do katalogu danych."))
    }

    /// The dashboard's address with the token in its fragment (which a browser does not send
    /// to the server), for the system browser only.
    pub async fn dashboard_link(&self) -> Result<String, String> {
        match &*self.running.lock().await {
            Some(running) if running.dashboard => Ok(format!(
                "http://{}/#token={}",
                running.address,
                running.token.reveal()
            )),
            Some(_) => {
                Err("Ten serwer nie udostępnia panelu. Podpowiedź: użyj samego API.".to_owned())
            }
            None => Err("Serwer API nie działa. Podpowiedź: najpierw go włącz.".to_owned()),
        }
    }
}

/// Ends `running`'s connections and waits for its task.
async fn stop_running(running: Running) {
    let _ = running.stop.send(());
    let _ = running.task.await;
}

/// Writes the switch (and the port) to `config.toml`.
async fn remember_switch(dark8: &Dark8, on: bool, port: Option<u16>) -> Result<(), String> {
    let mut changes = BTreeMap::new();
    changes.insert("server.desktop_api".to_owned(), serde_json::Value::Bool(on));
    if let Some(port) = port {
        changes.insert("server.port".to_owned(), serde_json::Value::from(port));
    }
    dark8
        .update_settings(&changes)
        .await
        .map(|_| ())
        .map_err(|err| {
            let user = err.user_message(dark8_core::Language::Pl);
            format!("{} Podpowiedź: {}", user.message, user.hint)
        })
}

/// The window's own web assets (embedded in the binary), served to a normal browser.
pub struct WindowAssets(pub tauri::AssetResolver<tauri::Wry>);

impl UiAssets for WindowAssets {
    fn get(&self, path: &str) -> Option<dark8_server::UiAsset> {
        self.0
            .get(path.to_owned())
            .map(|asset| dark8_server::UiAsset {
                mime_type: asset.mime_type().to_owned(),
                bytes: asset.bytes,
            })
    }
}

type State<'a> = tauri::State<'a, crate::state::DesktopState>;

/// The API server's state (Ustawienia → API).
#[tauri::command]
pub async fn api_server_state(state: State<'_>) -> Result<ApiServerState, String> {
    Ok(state.api.state(&state.dark8).await)
}

/// Switches the API server on at `port` (kept for the next start).
#[tauri::command]
pub async fn api_server_start(
    app: tauri::AppHandle,
    state: State<'_>,
    port: u16,
) -> Result<ApiServerState, String> {
    let assets: Arc<dyn UiAssets> = Arc::new(WindowAssets(app.asset_resolver()));
    state
        .api
        .start(
            &state.dark8,
            state.workspace.clone(),
            port,
            Some(assets),
            true,
        )
        .await
}

/// Switches the API server off (kept for the next start).
#[tauri::command]
pub async fn api_server_stop(state: State<'_>) -> Result<ApiServerState, String> {
    state.api.stop(&state.dark8, true).await
}

/// Replaces the API token; clients holding the old one are refused.
#[tauri::command]
pub async fn api_server_rotate_token(state: State<'_>) -> Result<ApiServerState, String> {
    state.api.rotate_token().await?;
    Ok(state.api.state(&state.dark8).await)
}

/// Opens the dashboard in the system browser, the token in the address's fragment (the
/// token never passes through the webview).
#[tauri::command]
pub async fn api_server_open_dashboard(
    app: tauri::AppHandle,
    state: State<'_>,
) -> Result<(), String> {
    use tauri_plugin_opener::OpenerExt;
    let link = state.api.dashboard_link().await?;
    app.opener().open_url(&link, None::<&str>).map_err(|e| {
        format!("Nie udało się otworzyć przeglądarki: {e}. Podpowiedź: sprawdź, czy system ma przeglądarkę (xdg-open).")
    })
}

/// Serves again at start when the user left the switch on.
pub fn resume(app: &tauri::AppHandle) {
    use tauri::Manager;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<crate::state::DesktopState>();
        let server = state.dark8.config().server.clone();
        if !server.desktop_api {
            return;
        }
        let assets: Arc<dyn UiAssets> = Arc::new(WindowAssets(app.asset_resolver()));
        if let Err(err) = state
            .api
            .start(
                &state.dark8,
                state.workspace.clone(),
                server.port,
                Some(assets),
                false,
            )
            .await
        {
            tracing::warn!(error = %err, "desktop API server not resumed");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn core(home: &std::path::Path) -> Dark8 {
        let mut config = dark8_core::Config::default();
        config.llm.provider = dark8_core::config::LlmProvider::None;
        Dark8::start(config, dark8_core::Paths::under(home))
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_server_starts_moves_rotates_its_token_and_stops() {
        let home = tempfile::tempdir().unwrap();
        let dark8 = core(home.path()).await;
        let server = ApiServer::default();
        let off = server.state(&dark8).await;
        assert!(!off.running && off.switchable);
        let on = server
            .start(&dark8, home.path().to_path_buf(), 0, None, false)
            .await
            .unwrap();
        assert!(on.running);
        let address = on.address.clone().unwrap();
        assert!(address.starts_with("127.0.0.1:"), "{address}");
        let token = std::fs::read_to_string(&on.token_file).unwrap();
        let client = reqwest::Client::new();
        let url = format!("http://{address}/api/v1/server");
        let answer = client
            .get(&url)
            .bearer_auth(token.trim())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        server.rotate_token().await.unwrap();
        let refused = client
            .get(&url)
            .bearer_auth(token.trim())
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 401);
        let new = std::fs::read_to_string(&on.token_file).unwrap();
        assert_ne!(new, token);
        assert!(
            server.dashboard_link().await.is_err(),
            "no dashboard without assets"
        );
        let stopped = server.stop(&dark8, false).await.unwrap();
        assert!(!stopped.running);
        assert!(client.get(&url).send().await.is_err(), "still listening");
        assert!(server.rotate_token().await.is_err());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_busy_port_is_a_polish_error_and_the_switch_is_remembered() {
        let home = tempfile::tempdir().unwrap();
        let dark8 = core(home.path()).await;
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let server = ApiServer::default();
        let err = server
            .start(&dark8, home.path().to_path_buf(), port, None, true)
            .await
            .unwrap_err();
        assert!(
            err.contains("zajęty") && err.contains("Podpowiedź"),
            "{err}"
        );
        assert_eq!(
            server.state(&dark8).await.error.as_deref(),
            Some(err.as_str())
        );
        assert!(server
            .start(&dark8, home.path().to_path_buf(), 80, None, true)
            .await
            .unwrap_err()
            .contains("1024"));
        drop(taken);
        let on = server
            .start(&dark8, home.path().to_path_buf(), port, None, true)
            .await
            .unwrap();
        assert_eq!(on.port, Some(port));
        assert_eq!(on.error, None);
        let file = std::fs::read_to_string(&dark8.paths().config_file).unwrap();
        assert!(file.contains("desktop_api = true"), "{file}");
        assert!(file.contains(&format!("port = {port}")), "{file}");
        server.stop(&dark8, true).await.unwrap();
        let file = std::fs::read_to_string(&dark8.paths().config_file).unwrap();
        assert!(file.contains("desktop_api = false"), "{file}");
    }
}
