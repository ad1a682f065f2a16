//! The OpenAPI 3.1 document, generated from the handlers' annotations and the protocol types.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

/// The API document.
#[derive(OpenApi)]
#[openapi(
    info(title = "DARK8 OS API", description = "Lokalne API DARK8: polecenia po polsku, przebiegi, zgody, strumień zdarzeń, audyt. Every route needs `Authorization: Bearer <token>` (the file api-token in DARK8's data directory)."),
    paths(
        routes::runs::create,
        routes::runs::list,
        routes::runs::get_one,
        routes::runs::cancel,
        routes::approvals::list,
        routes::approvals::answer,
        routes::approvals::grants,
        routes::approvals::revoke,
        routes::events::stream,
        routes::records::conversations,
        routes::records::audit,
        routes::records::audit_verify,
        routes::records::projects,
        routes::records::doctor,
        document,
    ),
    modifiers(&TokenAuth),
    tags(
        (name = "runs", description = "Polecenia i ich przebiegi"),
        (name = "approvals", description = "Zgody i uprawnienia"),
        (name = "events", description = "Strumień zdarzeń"),
        (name = "records", description = "Rozmowy, audyt, projekty, diagnostyka"),
    )
)]
pub struct ApiDoc;

struct TokenAuth;

impl Modify for TokenAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "records",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)),
    security(("token" = [])))]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
