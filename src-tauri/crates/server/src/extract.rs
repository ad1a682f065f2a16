//! Extractors whose rejections answer like every other error: JSON with a Polish message.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_error(&rejection)),
        }
    }
}

fn json_error(rejection: &JsonRejection) -> ApiError {
    let detail = rejection.body_text();
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            &format!(
                "Treść żądania jest większa niż {} KiB.",
                crate::MAX_BODY_BYTES / 1024
            ),
            "Skróć polecenie albo przekaż plik ścieżką w katalogu roboczym.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Zmiany przyjmowane są tylko jako JSON.",
            "Wyślij nagłówek `Content-Type: application/json` i treść w JSON.",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            &format!("Treść JSON nie pasuje do schematu: {detail}"),
            "Schemat żądania: /api/openapi.json.",
        ),
        _ => ApiError::bad_request(
            &format!("Treść nie jest poprawnym JSON-em: {detail}"),
            "Wyślij poprawny JSON, np. {\"command\": \"Pokaż pliki\"}.",
        ),
    }
}

/// Query parameters.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(query_error(&rejection)),
        }
    }
}

fn query_error(rejection: &QueryRejection) -> ApiError {
    ApiError::bad_request(
        &format!("Błędne parametry adresu: {}", rejection.body_text()),
        "Dozwolone parametry: /api/openapi.json.",
    )
}
