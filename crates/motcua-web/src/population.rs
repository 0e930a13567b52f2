//! CSDL quốc gia về dân cư — the adapter that asks the national population database (through
//! the province's proxy) about a citizen at the counter, and the page endpoint the intake
//! screen calls: the officer gives the ID number, the name, the date of birth and a reason;
//! the answer fills and checks the applicant's data; every lookup is audited.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_domain::agency::Role;
use motcua_domain::population::{self, Citizen, Query};
use serde_json::json;

use crate::AppState;
use crate::pages::PageError;
use crate::pages::extract::PageForm;
use crate::pages::staff::SignedIn;

/// How to reach the population database.
#[derive(Debug, Clone)]
pub struct Adapter {
    url: String,
    token: Option<String>,
    /// `MaTichHop` and `MaDVC`: the codes the province was given.
    integration: String,
    service: String,
    client: reqwest::Client,
}

impl Adapter {
    pub fn new(
        url: &str,
        token: Option<String>,
        integration: &str,
        service: &str,
        timeout: Duration,
    ) -> Result<Self, String> {
        let (url, client) = crate::outbound::client(url, "CSDL dân cư", timeout)?;
        Ok(Self {
            url,
            token: token.filter(|t| !t.is_empty()),
            integration: integration.to_string(),
            service: service.to_string(),
            client,
        })
    }

    /// Asks about `q` for `officer`: the citizen, `None` when unknown, or why no answer.
    pub async fn look_up(&self, q: &Query, officer: &str) -> Result<Option<Citizen>, String> {
        let request_id = format!(
            "MC-{}-{}",
            motcua_db::now_seconds(),
            motcua_db::random_token(6).unwrap_or_default()
        );
        let body =
            population::request_body(q, officer, &request_id, &self.integration, &self.service);
        let mut request = self
            .client
            .post(&self.url)
            .header("content-type", "application/json; charset=utf-8")
            .body(body.to_string());
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("không kết nối được CSDL dân cư: {e}"))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| format!("không đọc được trả lời của CSDL dân cư: {e}"))?;
        if !status.is_success() {
            return Err(format!("CSDL dân cư trả lời HTTP {status}"));
        }
        population::read_reply(&text)
    }
}

fn error(status: StatusCode, field: &str, message: impl Into<String>) -> Response {
    let message = message.into();
    (
        status,
        Json(json!({"error": {"field": field, "message": message}})),
    )
        .into_response()
}

/// `POST /can-bo/dan-cu`: a counter officer's lookup, as JSON for the intake screen.
pub async fn look_up(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    PageForm(form): PageForm<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let field = |name: &str| form.get(name).map_or("", String::as_str).trim().to_string();
    who.check_csrf(&field("csrf"))?;
    let Some(adapter) = app.population.get() else {
        return Err(PageError::NotFound);
    };
    // Those who take dossiers in at a counter.
    let grants = app.db.people().grants(who.session.staff.id).await?;
    if !grants.iter().any(|g| {
        matches!(
            g.role,
            Role::CounterOfficer | Role::UnitLeader | Role::AgencyLeader
        )
    }) {
        return Err(PageError::Forbidden);
    }
    let query = match Query::new(&field("id_number"), &field("name"), &field("birth_date")) {
        Ok(q) => q,
        Err(e) => return Ok(error(StatusCode::BAD_REQUEST, &e.field, e.message)),
    };
    let reason = field("reason");
    if reason.is_empty() {
        return Ok(error(
            StatusCode::BAD_REQUEST,
            "reason",
            "cần ghi lý do tra cứu (ví dụ: tiếp nhận hồ sơ)",
        ));
    }
    let officer = who.session.staff.username.clone();
    let answer = adapter.look_up(&query, &officer).await;
    let (found, agrees) = match &answer {
        Ok(Some(c)) => (true, population::agrees(&query, c)),
        _ => (false, false),
    };
    app.db
        .audit()
        .record(
            &format!("staff:{}", who.session.staff.id),
            "population_lookup",
            "citizen",
            &query.id_number,
            json!({
                "reason": reason,
                "found": found,
                "agrees": agrees,
                "failed": answer.as_ref().err(),
            }),
        )
        .await?;
    Ok(match answer {
        Ok(Some(citizen)) => Json(json!({
            "found": true,
            "agrees": agrees,
            "citizen": citizen,
        }))
        .into_response(),
        Ok(None) => Json(json!({"found": false, "agrees": false})).into_response(),
        Err(why) => {
            tracing::warn!(error = %why, "population database lookup failed");
            error(StatusCode::BAD_GATEWAY, "id_number", why)
        }
    })
}
