//! The OpenAPI document of `/api/v1`, kept beside the code and checked against the router
//! by the tests; the transition body's alternatives (one per action, with its fields) are
//! filled in from the action table when the document is first served.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use motcua_domain::dossier::ACTIONS;
use serde_json::{Value, json};

pub const DOCUMENT: &str = include_str!("../../openapi.json");

/// The document as served.
static SERVED: LazyLock<String> = LazyLock::new(|| {
    let mut doc: Value = serde_json::from_str(DOCUMENT).unwrap_or_else(|_| json!({}));
    if let Some(transition) = doc.pointer_mut("/components/schemas/Transition") {
        fill_transition(transition);
    }
    doc.to_string()
});

/// The transition body: its action one of the table's names, and one alternative per action
/// with the fields it takes and needs.
fn fill_transition(schema: &mut Value) {
    let names: Vec<&str> = ACTIONS.iter().map(|a| a.name).collect();
    schema["properties"]["action"] = json!({"type": "string", "enum": names});
    let alternatives: Vec<Value> = ACTIONS
        .iter()
        .map(|a| {
            let mut properties = serde_json::Map::new();
            properties.insert("action".into(), json!({"const": a.name}));
            let mut required = vec![json!("action")];
            for f in a.fields {
                let mut field = f.field.schema();
                field["title"] = json!(f.field.label());
                properties.insert(f.field.key().into(), field);
                if f.required {
                    required.push(json!(f.field.key()));
                }
            }
            json!({
                "title": a.label,
                "properties": properties,
                "required": required,
            })
        })
        .collect();
    schema["oneOf"] = Value::Array(alternatives);
}

pub async fn document() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        SERVED.as_str(),
    )
}
