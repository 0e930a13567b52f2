//! Tiếp nhận tại quầy — the counter intake screen: find the procedure (diacritics optional),
//! pick its case, enter the applicant, tick the documents against the catalogue's list,
//! see the appointment before saving, then print the receipt.

use crate::pages::extract::{PageId, PageQuery};
use crate::pages::submitted::Submitted;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{DbError, IntakeExtras, ProcedureSummary, Purpose, Upload};
use motcua_domain::FieldError;
use motcua_domain::agency::Role;
use motcua_domain::catalogue::{Channel, Procedure};
use motcua_domain::dossier::{
    Actor, Applicant, ApplicantKind, ComponentForm, Intake, NotifyChannel, ReceivedComponent,
    ReturnMethod,
};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::{Frame, PageError, render, vn_datetime};

#[derive(Deserialize)]
pub struct Find {
    #[serde(default)]
    q: String,
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    case: String,
}

/// The values typed so far, to show again after an error.
#[derive(Default)]
pub struct Typed {
    pub kind: String,
    pub name: String,
    pub id_number: String,
    pub tax_code: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub ticked: Vec<String>,
    /// The case's situations ticked as holding.
    pub conditions: Vec<String>,
    /// The applicant's stored documents offered per component, once looked up.
    pub offers: Vec<(String, Vec<crate::pages::documents::Offer>)>,
    /// Documents of the store chosen for components: (component code, document id).
    pub reuse: Vec<(String, i64)>,
    /// What was typed about each scanned paper, by input name (`m_<code>_number`, …).
    pub meta: Vec<(String, String)>,
}

impl Typed {
    /// The documents offered for component `code`.
    pub fn offered(&self, code: &str) -> &[crate::pages::documents::Offer] {
        self.offers
            .iter()
            .find(|(c, _)| c == code)
            .map_or(&[], |(_, list)| list.as_slice())
    }

    /// Whether document `id` was chosen for component `code`.
    pub fn reuses(&self, code: &str, id: &i64) -> bool {
        self.reuse.iter().any(|(c, d)| c == code && d == id)
    }

    /// What was typed in metadata input `name`.
    pub fn meta_of(&self, code: &str, part: &str) -> &str {
        let name = format!("m_{code}_{part}");
        self.meta
            .iter()
            .find(|(k, _)| *k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// What the counter typed about the paper scanned for component `code`, checked on `today`;
/// `None` when nothing was typed.
fn typed_meta(
    typed: &Typed,
    code: &str,
    today: chrono::NaiveDate,
) -> Result<Option<motcua_domain::digitised::DocumentMeta>, Vec<FieldError>> {
    let text = |part: &str| typed.meta_of(code, part).trim().to_string();
    let (number, issuer, issued, expires) = (
        text("number"),
        text("issuer"),
        text("issued"),
        text("expires"),
    );
    if [&number, &issuer, &issued, &expires]
        .iter()
        .all(|t| t.is_empty())
    {
        return Ok(None);
    }
    let mut errors = Vec::new();
    let mut date = |part: &str, value: &str| {
        if value.is_empty() {
            return None;
        }
        let parsed = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
        if parsed.is_none() {
            errors.push(FieldError::new(
                format!("m_{code}_{part}"),
                format!("ngày “{value}” không đúng dạng năm-tháng-ngày"),
            ));
        }
        parsed
    };
    let issued_on = date("issued", &issued);
    let expires_on = date("expires", &expires);
    if !errors.is_empty() {
        return Err(errors);
    }
    motcua_domain::digitised::DocumentMeta {
        number,
        issuer,
        issued_on,
        expires_on,
        checked: true,
    }
    .check(today)
    .map(Some)
    .map_err(|found| {
        found
            .into_iter()
            .map(|e| FieldError::new(format!("m_{code}_{}", e.field), e.message))
            .collect()
    })
}

pub struct CaseChoice {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "staff/intake.html")]
struct IntakePage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    q: String,
    found: Vec<ProcedureSummary>,
    procedure: Option<Procedure>,
    cases: Vec<CaseChoice>,
    case: Option<motcua_domain::catalogue::Case>,
    appointment: String,
    receiving: String,
    typed: Typed,
    errors: Vec<FieldError>,
    /// Whether the national population database can be asked from this screen.
    population: bool,
}

/// The agency whose counter this officer staffs.
async fn counter_agency(
    app: &AppState,
    who: &SignedIn,
) -> Result<Option<motcua_db::Agency>, PageError> {
    let grants = app.db.people().grants(who.session.staff.id).await?;
    match grants.iter().find(|g| g.role == Role::CounterOfficer) {
        Some(g) => Ok(app.db.agencies().agency(g.agency_id).await?),
        None => Ok(None),
    }
}

#[allow(clippy::too_many_arguments)]
async fn page(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    q: String,
    procedure_code: &str,
    case_code: &str,
    typed: Typed,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let Some(receiving) = counter_agency(app, who).await? else {
        return Err(PageError::Forbidden);
    };
    let found = if q.trim().is_empty() {
        Vec::new()
    } else {
        app.db
            .catalogue()
            .procedures(Some(q.trim()), None, None)
            .await?
    };
    let stored = if procedure_code.is_empty() {
        None
    } else {
        app.db.catalogue().procedure(procedure_code).await?
    };
    let procedure = stored.map(|p| p.procedure.clone());
    let case = procedure
        .as_ref()
        .and_then(|p| p.case(case_code).or_else(|| p.cases.first()))
        .map(|c| c.for_channel(Channel::Counter));
    let cases = procedure
        .as_ref()
        .map(|p| {
            p.cases
                .iter()
                .map(|c| CaseChoice {
                    selected: case.as_ref().is_some_and(|k| k.code == c.code),
                    code: c.code.clone(),
                    name: c.name.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let appointment = match (&procedure, &case) {
        (Some(p), Some(c)) => p
            .deadline_policy(&c.code, Channel::Counter)
            .and_then(|policy| app.calendar().deadline(&policy, app.now()).ok())
            .map(|d| vn_datetime(d.due))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&IntakePage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        q,
        found,
        procedure,
        cases,
        case,
        appointment,
        receiving: receiving.name,
        typed,
        errors,
        population: app.population.get().is_some(),
    });
    Ok((status, body).into_response())
}

#[derive(Template)]
#[template(path = "staff/suggest.html")]
struct Suggest {
    found: Vec<ProcedureSummary>,
}

/// Search as you type: the matching procedures as list items (diacritics optional).
pub async fn suggest(
    State(app): State<Arc<AppState>>,
    _who: SignedIn,
    PageQuery(f): PageQuery<Find>,
) -> Result<Response, PageError> {
    let q = f.q.trim();
    let mut found = if q.is_empty() {
        Vec::new()
    } else {
        app.db.catalogue().procedures(Some(q), None, None).await?
    };
    found.truncate(20);
    Ok(render(&Suggest { found }))
}

pub async fn form(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(f): PageQuery<Find>,
) -> Result<Response, PageError> {
    let typed = Typed {
        kind: "person".into(),
        ..Typed::default()
    };
    page(
        &app,
        &who,
        Frame::new(&headers, &uri),
        f.q,
        &f.procedure,
        &f.case,
        typed,
        Vec::new(),
    )
    .await
}

fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

fn optional(text: String) -> Option<String> {
    Some(text).filter(|t| !t.is_empty())
}

pub async fn submit(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    form: Submitted,
) -> Result<Response, PageError> {
    let pairs = &form.pairs;
    who.check_csrf(&field(pairs, "csrf"))?;
    let Some(receiving) = counter_agency(&app, &who).await? else {
        return Err(PageError::Forbidden);
    };
    let procedure_code = field(pairs, "procedure");
    let case_code = field(pairs, "case");
    let typed = Typed {
        kind: field(pairs, "kind"),
        name: field(pairs, "name"),
        id_number: field(pairs, "id_number"),
        tax_code: field(pairs, "tax_code"),
        phone: field(pairs, "phone"),
        email: field(pairs, "email"),
        address: field(pairs, "address"),
        ticked: pairs
            .iter()
            .filter_map(|(k, _)| k.strip_prefix("c_").map(str::to_string))
            .collect(),
        conditions: pairs
            .iter()
            .filter_map(|(k, _)| k.strip_prefix("k_").map(str::to_string))
            .collect(),
        offers: Vec::new(),
        reuse: pairs
            .iter()
            .filter_map(|(k, v)| {
                let code = k.strip_prefix("reuse_")?;
                v.trim()
                    .parse::<i64>()
                    .ok()
                    .map(|id| (code.to_string(), id))
            })
            .collect(),
        meta: pairs
            .iter()
            .filter(|(k, v)| k.starts_with("m_") && !v.trim().is_empty())
            .cloned()
            .collect(),
    };
    let mut notify = Vec::new();
    for (key, channel) in [
        ("n_sms", NotifyChannel::Sms),
        ("n_email", NotifyChannel::Email),
        ("n_zalo", NotifyChannel::Zalo),
    ] {
        if !field(pairs, key).is_empty() {
            notify.push(channel);
        }
    }
    let form_of = |code: &str| match field(pairs, &format!("f_{code}")).as_str() {
        "copy" => ComponentForm::Copy,
        "electronic" => ComponentForm::Electronic,
        _ => ComponentForm::Original,
    };
    let intake = Intake {
        procedure_code: procedure_code.clone(),
        case_code: case_code.clone(),
        channel: Channel::Counter,
        applicant: Applicant {
            kind: if typed.kind == "organisation" {
                ApplicantKind::Organisation
            } else {
                ApplicantKind::Person
            },
            name: typed.name.clone(),
            id_number: optional(typed.id_number.clone()),
            tax_code: optional(typed.tax_code.clone()),
            phone: optional(typed.phone.clone()),
            email: optional(typed.email.clone()),
            address: optional(typed.address.clone()),
            notify,
        },
        components: typed
            .ticked
            .iter()
            .map(|code| ReceivedComponent {
                code: code.clone(),
                form: form_of(code),
                count: 1,
            })
            .collect(),
        return_method: match field(pairs, "return_method").as_str() {
            "post" => ReturnMethod::Post,
            "online" => ReturnMethod::Online,
            _ => ReturnMethod::InPerson,
        },
        summary: None,
        conditions: typed.conditions.clone(),
    };
    let mut intake = intake;
    let mut typed = typed;
    let owner = motcua_domain::digitised::Owner::of(&intake.applicant);
    let case = app
        .db
        .catalogue()
        .procedure(&procedure_code)
        .await?
        .and_then(|p| p.procedure.case(&case_code).cloned());
    // The officer looks the applicant's stored papers up before scanning: the form comes
    // back with them offered per component, and the lookup is audited.
    if !field(pairs, "store_lookup").is_empty() {
        let mut errors = Vec::new();
        match (&owner, &case) {
            (Some(owner), Some(case)) => {
                typed.offers = crate::pages::documents::offers(
                    &app,
                    owner,
                    &case.for_channel(Channel::Counter),
                )
                .await?;
                app.db
                    .audit()
                    .record(
                        &format!("staff:{}", who.session.staff.id),
                        "store_offers",
                        "document_owner",
                        &owner.key(),
                        serde_json::json!({"procedure": procedure_code, "offered": typed.offers.iter().map(|(_, l)| l.len()).sum::<usize>()}),
                    )
                    .await?;
                if typed.offers.is_empty() {
                    errors.push(FieldError::new("", "kho dữ liệu của người nộp chưa có giấy tờ nào dùng được cho thủ tục này"));
                }
            }
            _ => errors.push(FieldError::new(
                "id_number",
                "nhập số định danh cá nhân (hoặc mã số thuế của tổ chức) đúng để tìm trong kho dữ liệu",
            )),
        }
        let frame = Frame::new(&headers, &uri);
        return page(
            &app,
            &who,
            frame,
            String::new(),
            &procedure_code,
            &case_code,
            typed,
            errors,
        )
        .await
        .map(|r| {
            let (mut parts, body) = r.into_parts();
            parts.status = StatusCode::OK;
            Response::from_parts(parts, body)
        });
    }
    let roles = app
        .db
        .people()
        .roles_over(who.session.staff.id, receiving.id)
        .await?;
    let actor = Actor::Staff {
        id: who.session.staff.id,
        roles,
    };
    // Scans of the paper documents, each against its component, with what was typed
    // about it; and the stored papers reused instead.
    let mut scans = Vec::new();
    let mut scan_errors = Vec::new();
    let today = app.now().date_naive();
    for (code, id) in typed.reuse.clone() {
        let component = case.as_ref().and_then(|c| {
            c.components
                .iter()
                .position(|x| x.code == code)
                .map(|i| (i, &c.components[i]))
        });
        let found = match component {
            Some((_, c)) => crate::pages::documents::reusable(&app, owner.as_ref(), c, id).await?,
            None => None,
        };
        match (component, found) {
            (Some((i, _)), Some(doc)) => {
                scans.push(motcua_db::NewAttachment::reusing(
                    &doc,
                    i64::try_from(i).ok(),
                    Purpose::Scan,
                )?);
                if !intake.components.iter().any(|c| c.code == code) {
                    intake.components.push(ReceivedComponent {
                        code: code.clone(),
                        form: ComponentForm::Electronic,
                        count: 1,
                    });
                    typed.ticked.push(code.clone());
                }
            }
            _ => scan_errors.push(FieldError::new(
                format!("reuse_{code}"),
                "giấy tờ chọn dùng lại không thuộc người nộp, đã hết hiệu lực, bị ẩn hoặc không đúng loại",
            )),
        }
    }
    for part in form.files {
        let component = part.field.strip_prefix("scan_").and_then(|code| {
            case.as_ref()
                .and_then(|c| c.components.iter().position(|x| x.code == code))
        });
        let upload = Upload {
            name: part.name,
            bytes: part.bytes,
            component: component.and_then(|i| i64::try_from(i).ok()),
            purpose: Purpose::Scan,
        };
        let code = part
            .field
            .strip_prefix("scan_")
            .unwrap_or_default()
            .to_string();
        let meta = match typed_meta(&typed, &code, today) {
            Ok(meta) => meta,
            Err(found) => {
                scan_errors.extend(found);
                None
            }
        };
        match app.files.store(upload, &part.field).await {
            Ok(mut f) => {
                // What the officer typed rides with the file; the store names its kind.
                if let (Some(meta), Some(owner)) = (meta, &owner) {
                    f.document = Some(motcua_db::NewDocument {
                        owner: owner.clone(),
                        owner_name: intake.applicant.name.clone(),
                        doc_type: String::new(),
                        type_name: String::new(),
                        meta,
                        source: motcua_domain::digitised::Source::Scan,
                    });
                }
                scans.push(f);
            }
            Err(DbError::Invalid(found)) => scan_errors.extend(found),
            Err(e) => return Err(e.into()),
        }
    }
    if !scan_errors.is_empty() {
        return page(
            &app,
            &who,
            Frame::new(&headers, &uri),
            String::new(),
            &procedure_code,
            &case_code,
            typed,
            scan_errors,
        )
        .await;
    }
    let extras = IntakeExtras {
        citizen_id: None,
        files: scans,
        portal_code: None,
        verified_identity: false,
    };
    match app
        .db
        .dossiers()
        .intake_with(
            intake,
            &receiving.code,
            &actor,
            &app.calendar(),
            app.now(),
            extras,
        )
        .await
    {
        Ok(d) => Ok(Redirect::to(&format!("/can-bo/ho-so/{}/giay-hen", d.id)).into_response()),
        Err(DbError::Invalid(errors)) => {
            page(
                &app,
                &who,
                Frame::new(&headers, &uri),
                String::new(),
                &procedure_code,
                &case_code,
                typed,
                errors,
            )
            .await
        }
        Err(DbError::Forbidden(m)) => {
            let errors = vec![FieldError::new("", m)];
            page(
                &app,
                &who,
                Frame::new(&headers, &uri),
                String::new(),
                &procedure_code,
                &case_code,
                typed,
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct ReceiptLine {
    pub name: String,
    pub originals: u8,
    pub copies: u8,
}

#[derive(Template)]
#[template(path = "staff/receipt.html")]
struct Receipt {
    t: Tr,
    other_lang: &'static str,
    back: String,
    agency: String,
    code: String,
    secret: String,
    procedure: String,
    applicant: String,
    address: String,
    phone: String,
    received: String,
    due: String,
    time_text: String,
    return_method: &'static str,
    lines: Vec<ReceiptLine>,
    officer: String,
    id: i64,
    /// The tracking link as an inline SVG QR code (drawn from numbers only).
    qr: String,
    csrf: String,
    /// The applicant's signature drawn at the counter, as SVG path data (empty: not yet).
    signature: String,
    /// Why the signature just sent was not kept.
    pad_error: Option<String>,
    /// Whether this officer may take the applicant's signature (the pad is shown).
    pad: bool,
}

/// Giấy tiếp nhận hồ sơ và hẹn trả kết quả — the receipt as a page, with the pad the
/// applicant signs it on.
pub async fn receipt(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let d = super::dossier::readable(&app, &who, id).await?;
    receipt_page(&app, &who, &headers, &uri, d, None).await
}

/// The applicant signs the receipt: the strokes drawn on the pad, kept with the dossier.
pub async fn sign_receipt(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    crate::pages::extract::PageForm(form): crate::pages::extract::PageForm<
        std::collections::HashMap<String, String>,
    >,
) -> Result<Response, PageError> {
    who.check_csrf(form.get("csrf").map_or("", String::as_str))?;
    let d = super::dossier::readable(&app, &who, id).await?;
    if !takes_signature(&app, &who, &d).await? {
        return Err(PageError::Forbidden);
    }
    let strokes = form.get("strokes").map_or("", String::as_str);
    match motcua_domain::dossier::Drawing::from_json(strokes) {
        Ok(drawing) => {
            let actor = format!("staff:{}", who.session.staff.id);
            app.db
                .dossiers()
                .keep_applicant_signature(d.id, &d.code, &drawing, actor, app.now())
                .await?;
            // From the second screen, back to it for the next applicant.
            if form.get("next").map(String::as_str) == Some("/can-bo/ban-ky") {
                return Ok(Redirect::to("/can-bo/ban-ky").into_response());
            }
            Ok(Redirect::to(&format!("/can-bo/ho-so/{id}/giay-hen")).into_response())
        }
        Err(message) => {
            let page = receipt_page(&app, &who, &headers, &uri, d, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// A receipt waiting for its applicant's signature on the second screen.
struct Waiting {
    id: i64,
    code: String,
    applicant: String,
    procedure: String,
}

#[derive(Template)]
#[template(path = "staff/pad_screen.html")]
struct PadScreen {
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    waiting: Option<Waiting>,
}

/// Bàn ký điện tử — the counter's second screen (a tablet facing the citizen, signed in as
/// the officer): the receipt this officer took in last, within the half hour, that the
/// applicant has not signed yet, with the pad; otherwise it waits and looks again.
pub async fn pad_screen(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let grants = app.db.people().grants(who.session.staff.id).await?;
    if !grants.iter().any(|g| {
        matches!(
            g.role,
            Role::CounterOfficer | Role::UnitLeader | Role::AgencyLeader
        )
    }) {
        return Err(PageError::Forbidden);
    }
    let since = app.now() - chrono::Duration::minutes(30);
    let mut waiting = None;
    if let Some(id) = app
        .db
        .dossiers()
        .awaiting_applicant_signature(who.session.staff.id, since)
        .await?
        && let Some(d) = app.db.dossiers().dossier(id).await?
        && takes_signature(&app, &who, &d).await?
    {
        let procedure = app
            .db
            .catalogue()
            .procedure_version(d.procedure_version_id)
            .await?
            .map(|v| v.procedure.name.clone())
            .unwrap_or_default();
        waiting = Some(Waiting {
            id: d.id,
            code: d.code.clone(),
            applicant: d.applicant.name.clone(),
            procedure,
        });
    }
    let frame = Frame::new(&headers, &uri);
    Ok(render(&PadScreen {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        waiting,
    }))
}

/// Whether this officer may take the applicant's signature: the applicant signs in front of
/// whoever takes dossiers in at the receiving counter.
async fn takes_signature(
    app: &AppState,
    who: &SignedIn,
    d: &motcua_db::DossierRecord,
) -> Result<bool, PageError> {
    let staff_id = who.session.staff.id;
    let actor = motcua_domain::dossier::Actor::Staff {
        id: staff_id,
        roles: app
            .db
            .people()
            .roles_over(staff_id, d.receiving_agency_id)
            .await?,
    };
    Ok(motcua_domain::dossier::may_take_in(Channel::Counter, &actor).is_ok())
}

async fn receipt_page(
    app: &AppState,
    who: &SignedIn,
    headers: &HeaderMap,
    uri: &Uri,
    d: motcua_db::DossierRecord,
    pad_error: Option<String>,
) -> Result<Response, PageError> {
    let frame = Frame::new(headers, uri);
    let version = app
        .db
        .catalogue()
        .procedure_version(d.procedure_version_id)
        .await?;
    let case = version
        .as_ref()
        .and_then(|p| p.procedure.case(&d.case_code));
    let lines = d
        .components
        .iter()
        .map(|c| {
            let name = super::component_name(case, &c.code);
            let (originals, copies) = match c.form {
                ComponentForm::Copy => (0, c.count),
                _ => (c.count, 0),
            };
            ReceiptLine {
                name,
                originals,
                copies,
            }
        })
        .collect();
    let time_text = match d.state.policy.limit {
        motcua_domain::calendar::TimeLimit::WorkingDays(n) => format!("{n} ngày làm việc"),
        motcua_domain::calendar::TimeLimit::WorkingHours(n) => format!("{n} giờ làm việc"),
        motcua_domain::calendar::TimeLimit::CalendarDays(n) => format!("{n} ngày"),
    };
    let agency = app
        .db
        .agencies()
        .agency(d.receiving_agency_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    Ok(render(&Receipt {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        agency,
        code: d.code.clone(),
        secret: d.lookup_secret.clone(),
        procedure: version
            .map(|p| p.procedure.name.clone())
            .unwrap_or_default(),
        applicant: d.applicant.name.clone(),
        address: d.applicant.address.clone().unwrap_or_default(),
        phone: d.applicant.phone.clone().unwrap_or_default(),
        received: vn_datetime(d.received_at),
        due: d.due_at.map(vn_datetime).unwrap_or_default(),
        time_text,
        return_method: d.return_method.label_vi(),
        lines,
        officer: who.session.staff.full_name.clone(),
        id: d.id,
        qr: super::forms::qr_of(app, headers, &d),
        csrf: who.session.csrf.clone(),
        signature: app
            .db
            .dossiers()
            .applicant_signature(d.id)
            .await?
            .map(|s| s.svg_path())
            .unwrap_or_default(),
        pad_error,
        pad: takes_signature(app, who, &d).await?,
    }))
}
