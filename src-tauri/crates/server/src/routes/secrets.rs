//! The secrets vault by name for the Ustawienia screen: list the names, set a value, remove
//! one. A value goes in and never comes out (there is no read route); the file vault's
//! passphrase, when it needs one, comes with each request and is kept nowhere. Every change is
//! audited by name only, as `dark8 secret` does.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use dark8_core::secrets::given_passphrase;
use dark8_core::tools::vault::VaultError;
use dark8_core::CoreError;
use dark8_protocol::SecretNames;
use serde::Deserialize;
use utoipa::ToSchema;
use zeroize::Zeroizing;

use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

/// What opens the vault: the file vault's passphrase when it is kept under one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VaultKey {
    /// The file vault's passphrase (not needed for the keychain).
    #[serde(default)]
    pub passphrase: Option<String>,
}

/// A value to store.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSecret {
    /// The value; never returned, logged or shown.
    pub value: String,
    /// The file vault's passphrase (not needed for the keychain).
    #[serde(default)]
    pub passphrase: Option<String>,
}

fn vault_error(state: &AppState, err: CoreError) -> ApiError {
    let user = err.user_message(state.dark8.config().language);
    let (status, code) = match &err {
        CoreError::Vault(VaultError::NoPassphrase | VaultError::WrongKey) => {
            (StatusCode::FORBIDDEN, "vault_locked")
        }
        CoreError::Vault(VaultError::BadName(_) | VaultError::WeakPassphrase) => {
            (StatusCode::BAD_REQUEST, "bad_request")
        }
        CoreError::Vault(VaultError::Missing(_)) => (StatusCode::NOT_FOUND, "not_found"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    };
    ApiError::new(status, code, &user.message, &user.hint)
}

/// The names of the stored secrets (values are never listed).
#[utoipa::path(post, operation_id = "secret_names", path = "/api/v1/secrets/names", tag = "secrets",
    request_body = VaultKey,
    responses(
        (status = 200, description = "The backend and every name", body = SecretNames),
        (status = 400, description = "A passphrase too short for a new vault", body = ErrorBody),
        (status = 403, description = "The file vault needs its passphrase, or it was wrong", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn names(
    State(state): State<AppState>,
    ApiJson(key): ApiJson<VaultKey>,
) -> Result<Json<SecretNames>, ApiError> {
    let dark8 = state.dark8.clone();
    let opened =
        tokio::task::spawn_blocking(move || dark8.secret_names(&given_passphrase(key.passphrase)))
            .await
            .map_err(|e| ApiError::internal(&e.to_string()))?;
    opened.map(Json).map_err(|err| vault_error(&state, err))
}

/// Stores a secret under `name` (replacing an older value).
#[utoipa::path(put, operation_id = "secret_set", path = "/api/v1/secrets/{name}", tag = "secrets",
    params(("name" = String, Path, description = "Letters, digits, '_', '-' and '.', e.g. GITHUB_TOKEN")),
    request_body = NewSecret,
    responses(
        (status = 204, description = "Stored"),
        (status = 400, description = "A name the vault does not take, an empty value, or a passphrase too short for a new vault", body = ErrorBody),
        (status = 403, description = "The file vault needs its passphrase, or it was wrong", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn set(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(secret): ApiJson<NewSecret>,
) -> Result<StatusCode, ApiError> {
    let value = Zeroizing::new(secret.value);
    if value.is_empty() {
        return Err(ApiError::bad_request(
            "Pusta wartość sekretu.",
            "Wklej wartość, np. token z ustawień serwisu.",
        ));
    }
    state
        .dark8
        .secret_set(&name, &value, &given_passphrase(secret.passphrase))
        .await
        .map_err(|err| vault_error(&state, err))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the secret `name`.
#[utoipa::path(post, operation_id = "secret_remove", path = "/api/v1/secrets/{name}/remove", tag = "secrets",
    params(("name" = String, Path, description = "The secret's name")),
    request_body = VaultKey,
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "A name the vault does not take, or a passphrase too short for a new vault", body = ErrorBody),
        (status = 403, description = "The file vault needs its passphrase, or it was wrong", body = ErrorBody),
        (status = 404, description = "No secret of that name", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn remove(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(key): ApiJson<VaultKey>,
) -> Result<StatusCode, ApiError> {
    state
        .dark8
        .secret_remove(&name, &given_passphrase(key.passphrase))
        .await
        .map_err(|err| vault_error(&state, err))?;
    Ok(StatusCode::NO_CONTENT)
}
