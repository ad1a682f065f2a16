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
        routes::runs::changes,
        routes::changes::undo,
        routes::approvals::list,
        routes::approvals::answer,
        routes::approvals::grants,
        routes::approvals::revoke,
        routes::events::stream,
        routes::records::conversations,
        routes::records::knowledge,
        routes::browser::view,
        routes::browser::frames,
        routes::browser::navigate,
        routes::browser::input,
        routes::browser::take_over,
        routes::browser::hand_back,
        routes::records::audit,
        routes::records::audit_verify,
        routes::records::projects,
        routes::records::doctor,
        routes::machine::metrics,
        routes::machine::processes,
        routes::machine::jobs,
        routes::machine::job_log,
        routes::brain::check,
        routes::brain::list,
        routes::brain::pull,
        routes::server::info,
        routes::server::rotate_token,
        routes::machine::settings,
        routes::machine::update_settings,
        routes::machine::writable,
        routes::secrets::names,
        routes::secrets::set,
        routes::secrets::remove,
        document,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&TokenAuth),
    tags(
        (name = "runs", description = "Polecenia i ich przebiegi"),
        (name = "approvals", description = "Zgody i uprawnienia"),
        (name = "events", description = "Strumień zdarzeń"),
        (name = "records", description = "Rozmowy, audyt, projekty, diagnostyka"),
        (name = "browser", description = "Przeglądarka DARK8: podgląd na żywo, sterowanie użytkownika"),
        (name = "machine", description = "Pomiary komputera, procesy, ustawienia"),
        (name = "secrets", description = "Sejf sekretów po nazwie: wartości wchodzą, nigdy nie wychodzą"),
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
        // What the door and the extractors answer, on every operation they guard.
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.patch.as_mut(),
                item.delete.as_mut(),
            ];
            for operation in operations.into_iter().flatten() {
                let mut add = |status: &str, description: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error_response(description).into());
                };
                add("401", "No token or a wrong one");
                add("403", "A foreign Origin or Host");
                let has_query = operation.parameters.as_ref().is_some_and(|p| {
                    p.iter()
                        .any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
                });
                if has_query {
                    add("400", "Bad query parameters");
                }
                if operation.request_body.is_some() {
                    add("400", "Not JSON");
                    add("413", "Body too large");
                    add("415", "Not application/json");
                    add("422", "JSON that does not fit the schema");
                }
            }
        }
    }
}

fn error_response(description: &str) -> utoipa::openapi::Response {
    utoipa::openapi::ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            utoipa::openapi::ContentBuilder::new()
                .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

/// This document.
#[utoipa::path(get, operation_id = "openapi_document", path = "/api/openapi.json", tag = "records",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)),
    security(("token" = [])))]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
