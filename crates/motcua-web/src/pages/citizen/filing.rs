//! Nộp hồ sơ trực tuyến — the online filing form, built from the procedure's case and its
//! components, with a file input per component; what it sends is filed through
//! [`crate::filing`] (the citizen's API files the same way).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::DbError;
use motcua_domain::FieldError;
use motcua_domain::catalogue::{Case, Channel, Procedure};
use motcua_domain::dossier::{Applicant, ApplicantKind, NotifyChannel, ReturnMethod};
use serde::Deserialize;
use std::sync::Arc;

use super::CitizenIn;
use crate::AppState;
use crate::filing::{FiledFile, Filing};
use crate::i18n::Tr;
use crate::pages::documents::Offer;
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
    /// Documents of the store chosen for components: (component code, document id).
    pub reuse: Vec<(String, i64)>,
}

impl Typed {
    /// Whether the citizen chose to be told through `channel`.
    pub fn has(&self, channel: &str) -> bool {
        self.notify.iter().any(|c| c == channel)
    }

    /// Whether document `id` was chosen for component `code`.
    pub fn reuses(&self, code: &str, id: &i64) -> bool {
        self.reuse.iter().any(|(c, d)| c == code && d == id)
    }
}

/// The documents of the account's store offered for each component of `case`, by
/// component code (nothing when the account's store is not open).
async fn offers(
    app: &AppState,
    who: &CitizenIn,
    case: &Case,
) -> Result<Vec<(String, Vec<Offer>)>, DbError> {
    match crate::filing::account_store(app, &who.session.citizen) {
        Some(owner) => crate::pages::documents::offers(app, &owner, case).await,
        None => Ok(Vec::new()),
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
    /// The store's documents offered, by component code.
    offers: Vec<(String, Vec<Offer>)>,
}

impl FilingPage {
    /// The documents offered for component `code`.
    fn offered(&self, code: &str) -> &[Offer] {
        self.offers
            .iter()
            .find(|(c, _)| c == code)
            .map_or(&[], |(_, list)| list.as_slice())
    }
}

async fn online_procedure(app: &AppState, code: &str) -> Result<Procedure, PageError> {
    crate::filing::online_procedure(app, code)
        .await?
        .ok_or(PageError::NotFound)
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
    let agencies = crate::filing::receiving_agencies(app, &procedure)
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
    let offers = offers(app, who, &case).await?;
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
        offers,
    });
    Ok((status, body).into_response())
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
    let conditions = procedure
        .case(&case_code)
        .map(|case| {
            case.conditions
                .iter()
                .filter(|k| !form.field(&format!("k_{}", k.code)).is_empty())
                .map(|k| k.code.clone())
                .collect()
        })
        .unwrap_or_default();
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
        conditions,
        reuse: procedure
            .case(&case_code)
            .map(|case| {
                case.components
                    .iter()
                    .filter_map(|c| {
                        let chosen = form.field(&format!("reuse_{}", c.code));
                        chosen
                            .trim()
                            .parse::<i64>()
                            .ok()
                            .map(|id| (c.code.clone(), id))
                    })
                    .collect()
            })
            .unwrap_or_default(),
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
    let notify = typed
        .notify
        .iter()
        .filter_map(|c| NotifyChannel::parse(c))
        .collect();
    let filing = Filing {
        case_code: case_code.clone(),
        agency: typed.agency.clone(),
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
        return_method: match typed.return_method.as_str() {
            "post" => ReturnMethod::Post,
            "in_person" => ReturnMethod::InPerson,
            _ => ReturnMethod::Online,
        },
        summary: optional(&typed.summary),
        conditions: typed.conditions.clone(),
        reuse: typed
            .reuse
            .iter()
            .map(|(component, document)| crate::filing::ReusedFile {
                field: format!("reuse_{component}"),
                component: component.clone(),
                document: *document,
            })
            .collect(),
        files: form
            .files
            .into_iter()
            .map(|part| FiledFile {
                component: part
                    .field
                    .strip_prefix("file_")
                    .unwrap_or_default()
                    .to_string(),
                field: part.field,
                name: part.name,
                bytes: part.bytes,
            })
            .collect(),
    };
    match crate::filing::file_online(&app, &who.session.citizen, &procedure, filing).await {
        Ok(d) => Ok(Redirect::to(&format!("/cong-dan/ho-so/{}?moi=1", d.id)).into_response()),
        Err(DbError::Invalid(found)) => again(typed, found).await,
        Err(DbError::Forbidden(m)) => again(typed, vec![FieldError::new("", m)]).await,
        Err(e) => Err(e.into()),
    }
}
