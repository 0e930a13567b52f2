//! Thiết lập hỗ trợ — the support desk's deadlines in working days and whether a leader
//! approves each answer, for administrators (`/can-bo/ho-tro/cai-dat`): shown, changed
//! (audited, checked by the domain's rule), each problem named on the form.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_domain::support::SupportPolicy;
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use super::admin::require_admin;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::PageForm;
use crate::pages::{Frame, PageError, render};

#[derive(Template)]
#[template(path = "staff/support_policy.html")]
struct PolicyPage {
    nav: super::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    question_days: String,
    feedback_days: String,
    classify_days: String,
    review: bool,
    errors: Vec<String>,
    saved: bool,
}

#[derive(Deserialize, Default)]
pub struct Typed {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    question_days: String,
    #[serde(default)]
    feedback_days: String,
    #[serde(default)]
    classify_days: String,
    #[serde(default)]
    review: String,
    #[serde(default, rename = "da-luu")]
    saved: String,
}

fn page(who: &SignedIn, frame: Frame, typed: &Typed, errors: Vec<String>, saved: bool) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&PolicyPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        question_days: typed.question_days.clone(),
        feedback_days: typed.feedback_days.clone(),
        classify_days: typed.classify_days.clone(),
        review: typed.review == "1",
        errors,
        saved,
    });
    (status, body).into_response()
}

/// `GET /can-bo/ho-tro/cai-dat`.
pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    crate::pages::extract::PageQuery(q): crate::pages::extract::PageQuery<Typed>,
) -> Result<Response, PageError> {
    require_admin(&app, &who).await?;
    let p = app.db.support().policy().await?;
    let typed = Typed {
        question_days: p.question_days.to_string(),
        feedback_days: p.feedback_days.to_string(),
        classify_days: p.classify_days.to_string(),
        review: if p.review { "1" } else { "" }.into(),
        ..Typed::default()
    };
    Ok(page(
        &who,
        Frame::new(&headers, &uri),
        &typed,
        Vec::new(),
        q.saved == "1",
    ))
}

/// `POST /can-bo/ho-tro/cai-dat`.
pub async fn change(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageForm(typed): PageForm<Typed>,
) -> Result<Response, PageError> {
    who.check_csrf(&typed.csrf)?;
    require_admin(&app, &who).await?;
    let frame = Frame::new(&headers, &uri);
    let mut errors = Vec::new();
    let mut days = |label: &str, text: &str| match text.trim().parse::<u32>() {
        Ok(n) => n,
        Err(_) => {
            errors.push(format!("{label}: cần một số ngày làm việc"));
            0
        }
    };
    let policy = SupportPolicy {
        question_days: days("Trả lời câu hỏi", &typed.question_days),
        feedback_days: days("Xử lý phản ánh, kiến nghị", &typed.feedback_days),
        classify_days: days("Phân loại", &typed.classify_days),
        review: typed.review == "1",
    };
    if !errors.is_empty() {
        return Ok(page(&who, frame, &typed, errors, false));
    }
    let actor = format!("staff:{}", who.session.staff.id);
    match app.db.support().set_policy(&policy, &actor).await {
        Ok(()) => Ok(Redirect::to("/can-bo/ho-tro/cai-dat?da-luu=1").into_response()),
        Err(motcua_db::DbError::Invalid(found)) => {
            let errors = found.into_iter().map(|e| e.message).collect();
            Ok(page(&who, frame, &typed, errors, false))
        }
        Err(e) => Err(e.into()),
    }
}
