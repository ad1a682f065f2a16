//! The dashboard served from files a front end holds in memory (the desktop app's embedded
//! web assets), for browser mode without a `ui/dist` directory on disk.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// One file of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiAsset {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its MIME type, e.g. `text/html`.
    pub mime_type: String,
}

/// Where the dashboard's files come from.
pub trait UiAssets: Send + Sync {
    /// The file at `path` (e.g. `/index.html`, `/assets/index-1a2b.js`), if there is one.
    fn get(&self, path: &str) -> Option<UiAsset>;
}

/// Serves the file at the request's path, or `index.html` for a page path of the app.
pub async fn serve(State(assets): State<Arc<dyn UiAssets>>, uri: Uri) -> Response {
    let path = uri.path();
    let asset = assets.get(path).or_else(|| {
        // A path with a file extension is a missing file; any other is a page of the app.
        let last = path.rsplit('/').next().unwrap_or_default();
        (!last.contains('.'))
            .then(|| assets.get("/index.html"))
            .flatten()
    });
    match asset {
        Some(asset) => (
            [
                (header::CONTENT_TYPE, asset.mime_type),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            asset.bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "nie ma takiego pliku").into_response(),
    }
}
