//! Nộp hồ sơ trực tuyến — the online filing form, built from the procedure's case and its
//! components, with a file input per component; files are checked (kind by content, size)
//! and stored, then the dossier is filed with them in one transaction.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{DbError, IntakeExtras, Purpose, Upload};
use motcua_domain::FieldError;
use motcua_domain::catalogue::{Case, Channel, Procedure};
use motcua_domain::dossier::{
    Actor, Applicant, ApplicantKind, ComponentForm, Intake, NotifyChannel, ReceivedComponent,
    ReturnMethod, check_intake,
};
use serde::Deserialize;
use std::sync::Arc;

use super::CitizenIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::PageQuery;
use crate::pages::submitted::Submitted;
use crate::pages::{Frame, PageError, render, vn_datetime};

#[derive(Deserialize)]
pub struct Choose {
    #[serde(default)]
    case: String,
    /// The receiving agency chosen beforehand (the portal's deep link names it).
    #[serde(default)]
    co_quan: String,
}

/// What the citizen typed, to show again after an error.
#[derive(Default)]
pub struct Typed {
    pub kind: String,
    pub name: String,
    pub id_number: String,
    pub tax_code: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub summary: String,
    pub agency: String,
    pub return_method: String,
    pub notify: Vec<String>,
    /// The case's situations ticked as holding.
    pub conditions: Vec<String>,
}

impl Typed {
    /// Whether the citizen chose to be told through `channel`.
    pub fn has(&self, channel: &str) -> bool {
        self.notify.iter().any(|c| c == channel)
    }
}

pub struct Choice {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "citizen/filing.html")]
struct FilingPage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    procedure: Procedure,
    cases: Vec<Choice>,
    case: Case,
    agencies: Vec<Choice>,
    appointment: String,
    typed: Typed,
    errors: Vec<FieldError>,
    max_mb: usize,
}

async fn online_procedure(app: &AppState, code: &str) -> Result<Procedure, PageError> {
    let stored = app
        .db
        .catalogue()
        .procedure(code)
        .await?
        .ok_or(PageError::NotFound)?;
    if !stored.procedure.offers(Channel::Online) {
        return Err(PageError::NotFound);
    }
    Ok(stored.procedure.clone())
}

async fn page(
    app: &AppState,
    who: &CitizenIn,
    frame: Frame,
    procedure: Procedure,
    case_code: &str,
    typed: Typed,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let Some(case) = procedure
        .case(case_code)
        .or_else(|| procedure.cases.first())
        .map(|c| c.for_channel(Channel::Online))
    else {
        return Err(PageError::NotFound);
    };
    let cases = procedure
        .cases
        .iter()
        .map(|c| Choice {
            selected: c.code == case.code,
            code: c.code.clone(),
            name: c.name.clone(),
        })
        .collect();
    let agencies = receiving_agencies(app, &procedure)
        .await?
        .into_iter()
        .map(|a| Choice {
            selected: typed.agency == a.code,
            code: a.code,
            name: a.name,
        })
        .collect();
    let appointment = procedure
        .deadline_policy(&case.code, Channel::Online)
        .and_then(|policy| app.calendar().deadline(&policy, app.now()).ok())
        .map(|d| vn_datetime(d.due))
        .unwrap_or_default();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&FilingPage {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        procedure,
        cases,
        case,
        agencies,
        appointment,
        typed,
        errors,
        max_mb: motcua_db::MAX_FILE_BYTES / (1024 * 1024),
    });
    Ok((status, body).into_response())
}

/// Where an online dossier for `procedure` can be filed: the performing agencies that have
/// a one-stop counter (communes, for instance), otherwise the one-stop centres at the
/// procedure's levels (a provincial procedure goes to the province's centre).
async fn receiving_agencies(
    app: &AppState,
    procedure: &Procedure,
) -> Result<Vec<motcua_db::Agency>, PageError> {
    let counters = app.db.agencies().counter_agencies().await?;
    let own: Vec<_> = counters
        .iter()
        .filter(|a| procedure.agencies.iter().any(|c| c.as_str() == a.code))
        .cloned()
        .collect();
    if !own.is_empty() {
        return Ok(own);
    }
    Ok(counters
        .into_iter()
        .filter(|a| procedure.levels.contains(&a.level))
        .collect())
}

pub async fn form(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    headers: HeaderMap,
    uri: Uri,
    Path(code): Path<String>,
    PageQuery(q): PageQuery<Choose>,
) -> Result<Response, PageError> {
    let procedure = online_procedure(&app, &code).await?;
    let me = &who.session.citizen;
    let typed = Typed {
        kind: "person".into(),
        name: me.full_name.clone(),
        id_number: me.id_number.clone().unwrap_or_default(),
        phone: me.phone.clone().unwrap_or_default(),
        email: me.email.clone().unwrap_or_default(),
        return_method: "online".into(),
        notify: [
            me.phone.as_ref().map(|_| "sms".to_string()),
            me.email.as_ref().map(|_| "email".to_string()),
        ]
        .into_iter()
        .flatten()
        .collect(),
        agency: q.co_quan.trim().to_string(),
        ..Typed::default()
    };
    page(
        &app,
        &who,
        Frame::new(&headers, &uri),
        procedure,
        &q.case,
        typed,
        Vec::new(),
    )
    .await
}

fn optional(text: &str) -> Option<String> {
    Some(text.to_string()).filter(|t| !t.is_empty())
}

pub async fn submit(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    headers: HeaderMap,
    uri: Uri,
    Path(code): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    who.check_csrf(&form.field("csrf"))?;
    let procedure = online_procedure(&app, &code).await?;
    let case_code = form.field("case");
    let Some(case) = procedure.case(&case_code).cloned() else {
        return Err(PageError::BadRequest);
    };
    let typed = Typed {
        kind: form.field("kind"),
        name: form.field("name"),
        id_number: form.field("id_number"),
        tax_code: form.field("tax_code"),
        phone: form.field("phone"),
        email: form.field("email"),
        address: form.field("address"),
        summary: form.field("summary"),
        agency: form.field("agency"),
        return_method: form.field("return_method"),
        notify: ["sms", "email", "zalo"]
            .into_iter()
            .filter(|c| !form.field(&format!("n_{c}")).is_empty())
            .map(str::to_string)
            .collect(),
        conditions: case
            .conditions
            .iter()
            .filter(|k| !form.field(&format!("k_{}", k.code)).is_empty())
            .map(|k| k.code.clone())
            .collect(),
    };
    let again = |typed: Typed, errors: Vec<FieldError>| {
        page(
            &app,
            &who,
            Frame::new(&headers, &uri),
            procedure.clone(),
            &case_code,
            typed,
            errors,
        )
    };
    let mut errors = Vec::new();
    let allowed = receiving_agencies(&app, &procedure).await?;
    if !allowed.iter().any(|a| a.code == typed.agency) {
        errors.push(FieldError::new(
            "agency",
            "hãy chọn cơ quan tiếp nhận hồ sơ",
        ));
    }
    // The files, each against a component of the chosen case.
    let mut counts = vec![0u8; case.components.len()];
    let mut uploads = Vec::new();
    for part in form.files {
        let index = part
            .field
            .strip_prefix("file_")
            .and_then(|code| case.components.iter().position(|c| c.code == code));
        let Some(index) = index else {
            errors.push(FieldError::new(
                part.field.as_str(),
                "tệp không thuộc thành phần hồ sơ nào của trường hợp đã chọn",
            ));
            continue;
        };
        counts[index] = counts[index].saturating_add(1);
        let upload = Upload {
            name: part.name,
            bytes: part.bytes,
            component: i64::try_from(index).ok(),
            purpose: Purpose::Intake,
        };
        if let Err(e) = motcua_db::check_upload(&upload, &part.field) {
            errors.push(e);
        }
        uploads.push((part.field, upload));
    }
    let notify = typed
        .notify
        .iter()
        .filter_map(|c| NotifyChannel::parse(c))
        .collect();
    let intake = Intake {
        procedure_code: procedure.code.as_str().to_string(),
        case_code: case.code.clone(),
        channel: Channel::Online,
        applicant: Applicant {
            kind: if typed.kind == "organisation" {
                ApplicantKind::Organisation
            } else {
                ApplicantKind::Person
            },
            name: typed.name.clone(),
            id_number: optional(&typed.id_number),
            tax_code: optional(&typed.tax_code),
            phone: optional(&typed.phone),
            email: optional(&typed.email),
            address: optional(&typed.address),
            notify,
        },
        components: case
            .components
            .iter()
            .zip(&counts)
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| ReceivedComponent {
                code: c.code.clone(),
                form: ComponentForm::Electronic,
                count: *n,
            })
            .collect(),
        return_method: match typed.return_method.as_str() {
            "post" => ReturnMethod::Post,
            "in_person" => ReturnMethod::InPerson,
            _ => ReturnMethod::Online,
        },
        summary: optional(&typed.summary),
        conditions: typed.conditions.clone(),
    };
    // Everything the form says is checked before any file is kept.
    if let Err(found) = check_intake(intake.clone(), &procedure) {
        errors.extend(found);
    }
    if !errors.is_empty() {
        return again(typed, errors).await;
    }
    let mut files = Vec::new();
    for (field, upload) in uploads {
        match app.files.store(upload, &field).await {
            Ok(file) => files.push(file),
            Err(DbError::Invalid(found)) => errors.extend(found),
            Err(e) => return Err(e.into()),
        }
    }
    if !errors.is_empty() {
        return again(typed, errors).await;
    }
    let extras = IntakeExtras {
        citizen_id: Some(who.session.citizen.id),
        files,
        portal_code: None,
        verified_identity: app.identity_verified(who.session.citizen.assurance),
    };
    match app
        .db
        .dossiers()
        .intake_with(
            intake,
            &typed.agency,
            &Actor::Citizen { owner: true },
            &app.calendar(),
            app.now(),
            extras,
        )
        .await
    {
        Ok(d) => Ok(Redirect::to(&format!("/cong-dan/ho-so/{}?moi=1", d.id)).into_response()),
        Err(DbError::Invalid(found)) => again(typed, found).await,
        Err(DbError::Forbidden(m)) => again(typed, vec![FieldError::new("", m)]).await,
        Err(e) => Err(e.into()),
    }
}
