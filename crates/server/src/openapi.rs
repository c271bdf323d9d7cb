//! The served OpenAPI document (`GET /api/v1/openapi.json`), written from the route table
//! ([`crate::routes::ROUTES`]) that also builds the router and says who may call each route.

use axum::Json;
use serde_json::{Value, json};

use crate::routes::{Access, ROUTES};

/// The OpenAPI 3.1 document of every route in [`ROUTES`].
pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for route in ROUTES {
        let entry = paths.entry(route.path).or_insert_with(|| json!({}));
        let (security, roles) = match route.access {
            Access::Public => (json!([]), json!([])),
            Access::Participant => (json!([{"participantToken": []}]), json!([])),
            Access::Staff(roles) => {
                let mut names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                if !names.contains(&"admin") {
                    names.push("admin");
                }
                (json!([{"staffToken": []}]), json!(names))
            }
        };
        let mut parameters = Vec::new();
        if route.path.contains("{id}") {
            parameters.push(json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}));
        }
        if route.path.contains("{code}") {
            parameters.push(json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}));
        }
        entry[route.method.as_str()] = json!({
            "summary": route.summary,
            "security": security,
            "x-roles": roles,
            "parameters": parameters,
            "responses": {
                "default": {"description": "Errors are {error: {code, message}}", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "mosharekat consultation protocol",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Staff console ⇄ consultation backend. Wire types are defined in the mosharekat-api crate; see docs/PROTOCOL.md."
        },
        "servers": [{"url": mosharekat_api::API_PREFIX}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "staffToken": {"type": "http", "scheme": "bearer", "description": "From POST /auth/login"},
                "participantToken": {"type": "http", "scheme": "bearer", "description": "From POST /public/participants"}
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "object", "required": ["code", "message"],
                        "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}
                }
            }
        }
    })
}

pub async fn serve() -> Json<Value> {
    Json(document())
}
