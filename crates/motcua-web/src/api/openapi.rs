//! The OpenAPI document of `/api/v1`, kept beside the code and checked against the router
//! by the tests; what the code decides is filled in when the document is first served: the
//! transition body's alternatives (one per action, with its fields) from the action table,
//! the statuses and the webhook events from the domain, and the errors every operation can
//! answer (400 and 422 for what it reads, 401 and 403 behind a token, 503 when the storage
//! cannot serve).

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use motcua_domain::dossier::{ACTIONS, Status};
use motcua_domain::rating::{Criterion, Satisfaction};
use serde_json::{Value, json};

pub const DOCUMENT: &str = include_str!("../../openapi.json");

/// The document as served.
static SERVED: LazyLock<String> = LazyLock::new(|| {
    let mut doc: Value = serde_json::from_str(DOCUMENT).unwrap_or_else(|_| json!({}));
    if let Some(transition) = doc.pointer_mut("/components/schemas/Transition") {
        fill_transition(transition);
    }
    fill_enums(&mut doc);
    fill_errors(&mut doc);
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

/// The statuses (the dossier's, the list's filter), the rating's criteria and levels, the
/// error codes and the webhook events, as the code names them.
fn fill_enums(doc: &mut Value) {
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    for schema in ["Dossier", "MyDossier", "MyDossierLine", "MyHistoryLine"] {
        if let Some(status) =
            doc.pointer_mut(&format!("/components/schemas/{schema}/properties/status"))
        {
            status["enum"] = json!(statuses);
        }
    }
    // The rating's criteria and overall levels.
    if let Some(rating) = doc.pointer_mut("/components/schemas/RatingBody/properties") {
        let criteria: Vec<&str> = Criterion::ALL.iter().map(|c| c.key()).collect();
        let levels: Vec<&str> = Satisfaction::ALL.iter().map(|s| s.key()).collect();
        rating["answers"]["propertyNames"] = json!({"enum": criteria});
        rating["overall"]["enum"] = json!(levels);
    }
    if let Some(Value::Array(parameters)) = doc.pointer_mut("/paths/~1dossiers/get/parameters") {
        for p in parameters.iter_mut().filter(|p| p["name"] == "status") {
            p["schema"]["enum"] = json!(statuses);
        }
    }
    let codes: Vec<&str> = super::error::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    if let Some(code) =
        doc.pointer_mut("/components/schemas/Error/properties/error/properties/code")
    {
        code["enum"] = json!(codes);
    }
    let mut events = vec!["*"];
    events.extend(
        motcua_domain::webhook::events()
            .iter()
            .map(|(name, _)| *name),
    );
    if let Some(items) = doc.pointer_mut("/components/schemas/NewWebhook/properties/events/items") {
        items["enum"] = json!(events);
    }
}

/// The errors every operation can answer, added where the document does not list them.
fn fill_errors(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for operations in paths.values_mut() {
        let Value::Object(operations) = operations else {
            continue;
        };
        for operation in operations.values_mut() {
            let reads = operation["parameters"]
                .as_array()
                .is_some_and(|p| !p.is_empty())
                || operation.get("requestBody").is_some();
            let guarded = operation["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty());
            let mut codes = vec!["503"];
            if reads {
                codes.extend(["400", "422"]);
            }
            if guarded {
                codes.extend(["401", "403"]);
            }
            let Some(Value::Object(responses)) = operation.get_mut("responses") else {
                continue;
            };
            for code in codes {
                responses
                    .entry(code)
                    .or_insert_with(|| json!({"$ref": "#/components/responses/Error"}));
            }
        }
    }
}

pub async fn document() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        SERVED.as_str(),
    )
}
