//! Errors of the server: starting it, and answers to bad requests (JSON with a Polish
//! message and a hint).

use std::path::PathBuf;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The token file could not be made.
    #[error("cannot create the API token {path}: {detail}")]
    Token {
        /// The token file.
        path: PathBuf,
        /// What failed.
        detail: String,
    },
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// An address other than loopback was asked for without allowing it.
    #[error("refusing to listen on {0}: not a loopback address")]
    NotLoopback(String),
    /// Serving failed.
    #[error("serving failed: {0}")]
    Serve(#[source] std::io::Error),
}

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable code: `unauthorized`, `forbidden_origin`, `forbidden_host`, `not_found`,
    /// `bad_request`, `conflict`, `unsupported_media_type`, `internal`.
    pub code: String,
    /// What went wrong, in the user's language.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    /// An answer with `status`, `code`, `message` and `hint`.
    pub fn new(status: StatusCode, code: &str, message: &str, hint: &str) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                error: ErrorDetail {
                    code: code.to_owned(),
                    message: message.to_owned(),
                    hint: hint.to_owned(),
                },
            },
        }
    }

    /// 404 for `what`.
    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("Nie znaleziono: {what}."),
            "Sprawdź identyfikator (listy: /api/v1/runs, /api/v1/approvals).",
        )
    }

    /// 400 with `message`.
    pub fn bad_request(message: &str, hint: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message, hint)
    }

    /// 500 for a failure of the core.
    pub fn internal(message: &str) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            message,
            "Sprawdź `dark8 doctor` i dziennik w katalogu danych.",
        )
    }
}

impl From<dark8_core::CoreError> for ApiError {
    fn from(err: dark8_core::CoreError) -> ApiError {
        let message = err.user_message(dark8_core::Language::Pl);
        match err {
            dark8_core::CoreError::BadRequest { .. } | dark8_core::CoreError::Io { .. } => {
                ApiError::bad_request(&message.message, &message.hint)
            }
            _ => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                &message.message,
                &message.hint,
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}
