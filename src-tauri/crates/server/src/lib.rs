//! DARK8's local REST API (axum): commands and runs, approvals and grants, the event stream
//! (SSE with replay), conversations, audit, projects, the machine check, and the OpenAPI
//! document; in browser mode it also serves the built dashboard (`ui/dist`).
//!
//! Security by default: loopback only unless told otherwise, a bearer token on every `/api`
//! route, Host and Origin allow-lists, JSON on mutations, body size limit, failed-auth
//! slowdown (see [`guard`]).

pub mod assets;
pub mod error;
pub mod extract;
pub mod guard;
pub mod openapi;
pub mod routes;
pub mod state;
pub mod token;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};
use axum::Router;
use dark8_core::Dark8;
use tower_http::services::{ServeDir, ServeFile};

pub use assets::{UiAsset, UiAssets};
pub use error::ServerError;
pub use state::AppState;
pub use token::ApiToken;

/// Largest request body, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Where and how to serve.
#[derive(Clone)]
pub struct ServeSettings {
    /// The address to bind (127.0.0.1 by default).
    pub host: IpAddr,
    /// The port (0 = any free one).
    pub port: u16,
    /// Whether an address beyond loopback may be bound (the token is then the only
    /// protection; the Host check is off).
    pub allow_remote: bool,
    /// The built dashboard to serve at `/`, when present.
    pub ui_dir: Option<PathBuf>,
    /// The dashboard's files held in memory (the desktop app's), used when `ui_dir` is not.
    pub ui_assets: Option<Arc<dyn UiAssets>>,
    /// The workspace of commands that name none.
    pub workspace: PathBuf,
}

impl std::fmt::Debug for ServeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("allow_remote", &self.allow_remote)
            .field("ui_dir", &self.ui_dir)
            .field("ui_assets", &self.ui_assets.is_some())
            .field("workspace", &self.workspace)
            .finish()
    }
}

/// Where the dashboard comes from.
#[derive(Clone)]
pub enum Dashboard {
    /// No dashboard: the API only.
    None,
    /// A built `ui/dist` directory.
    Dir(PathBuf),
    /// Files held in memory.
    Assets(Arc<dyn UiAssets>),
}

impl Dashboard {
    /// The dashboard `settings` name: a directory with an `index.html`, else the assets.
    pub fn of(settings: &ServeSettings) -> Dashboard {
        match (&settings.ui_dir, &settings.ui_assets) {
            (Some(dir), _) if dir.join("index.html").is_file() => Dashboard::Dir(dir.clone()),
            (_, Some(assets)) => Dashboard::Assets(assets.clone()),
            _ => Dashboard::None,
        }
    }
}

/// The application: every route behind the guard.
pub fn router(state: AppState, dashboard: Dashboard) -> Router {
    let api = Router::new()
        .route("/api/v1/commands", post(routes::runs::create))
        .route("/api/v1/runs", get(routes::runs::list))
        .route("/api/v1/runs/{id}", get(routes::runs::get_one))
        .route("/api/v1/runs/{id}/cancel", post(routes::runs::cancel))
        .route("/api/v1/runs/{id}/changes", get(routes::runs::changes))
        .route("/api/v1/changes/{batch}/undo", post(routes::changes::undo))
        .route("/api/v1/knowledge", get(routes::records::knowledge))
        .route("/api/v1/browser", get(routes::browser::view))
        .route("/api/v1/browser/frames", get(routes::browser::frames))
        .route("/api/v1/browser/navigate", post(routes::browser::navigate))
        .route("/api/v1/browser/input", post(routes::browser::input))
        .route(
            "/api/v1/browser/take-over",
            post(routes::browser::take_over),
        )
        .route(
            "/api/v1/browser/hand-back",
            post(routes::browser::hand_back),
        )
        .route("/api/v1/approvals", get(routes::approvals::list))
        .route("/api/v1/approvals/{id}", post(routes::approvals::answer))
        .route("/api/v1/grants", get(routes::approvals::grants))
        .route(
            "/api/v1/grants/{id}",
            axum::routing::delete(routes::approvals::revoke),
        )
        .route("/api/v1/events", get(routes::events::stream))
        .route("/api/v1/conversations", get(routes::records::conversations))
        .route("/api/v1/audit", get(routes::records::audit))
        .route("/api/v1/audit/verify", get(routes::records::audit_verify))
        .route("/api/v1/projects", get(routes::records::projects))
        .route("/api/v1/doctor", get(routes::records::doctor))
        .route("/api/v1/metrics", get(routes::machine::metrics))
        .route("/api/v1/processes", get(routes::machine::processes))
        .route("/api/v1/jobs", get(routes::machine::jobs))
        .route("/api/v1/brain/check", post(routes::brain::check))
        .route("/api/v1/server", get(routes::server::info))
        .route("/api/v1/server/token", post(routes::server::rotate_token))
        .route("/api/v1/models", get(routes::brain::list))
        .route("/api/v1/models/pull", post(routes::brain::pull))
        .route("/api/v1/jobs/{job}/log", get(routes::machine::job_log))
        .route(
            "/api/v1/settings",
            get(routes::machine::settings).patch(routes::machine::update_settings),
        )
        .route("/api/v1/settings/writable", get(routes::machine::writable))
        .route("/api/v1/secrets/names", post(routes::secrets::names))
        .route(
            "/api/v1/secrets/{name}",
            axum::routing::put(routes::secrets::set),
        )
        .route(
            "/api/v1/secrets/{name}/remove",
            post(routes::secrets::remove),
        )
        .route("/api/openapi.json", get(openapi::document))
        // Unknown API paths answer 404 in JSON, never the dashboard's page.
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found));
    let app = match dashboard {
        Dashboard::Dir(dir) => {
            let index = dir.join("index.html");
            api.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        Dashboard::Assets(assets) => {
            api.fallback_service(axum::routing::get(assets::serve).with_state(assets))
        }
        Dashboard::None => api.fallback(not_found),
    };
    app.layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .with_state(state)
}

async fn not_found() -> error::ApiError {
    error::ApiError::not_found("taka ścieżka API")
}

/// A bound server, ready to serve.
pub struct Bound {
    listener: tokio::net::TcpListener,
    app: Router,
    /// The address it listens on.
    pub address: SocketAddr,
}

impl std::fmt::Debug for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bound")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// Binds the server for `dark8` as `settings` say, with the token from the data directory.
pub async fn bind(
    dark8: Dark8,
    settings: &ServeSettings,
) -> Result<(Bound, ApiToken), ServerError> {
    if !settings.host.is_loopback() && !settings.allow_remote {
        return Err(ServerError::NotLoopback(settings.host.to_string()));
    }
    let token = ApiToken::load_or_create(&dark8.paths().data_dir)?;
    let address = SocketAddr::new(settings.host, settings.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|source| ServerError::Bind {
            address: address.to_string(),
            source,
        })?;
    let address = listener.local_addr().map_err(ServerError::Serve)?;
    let dashboard = Dashboard::of(settings);
    let state = AppState {
        address,
        dashboard: !matches!(dashboard, Dashboard::None),
        dark8,
        token: token.clone(),
        hosts: (!settings.allow_remote).then(|| guard::loopback_hosts(address.port())),
        origins: guard::allowed_origins(address.port()),
        backoff: Arc::new(guard::Backoff::default()),
        workspace: settings.workspace.clone(),
    };
    let app = router(state, dashboard);
    Ok((
        Bound {
            listener,
            app,
            address,
        },
        token,
    ))
}

impl Bound {
    /// Serves until `shutdown` completes.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        axum::serve(self.listener, self.app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(ServerError::Serve)
    }
}
