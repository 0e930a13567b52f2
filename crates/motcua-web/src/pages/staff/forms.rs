//! Biểu mẫu — the official forms of a dossier as PDF (receipt, supplement request, refusal,
//! apology, stop notice, processing-control slip) and the log book of a period, filled from
//! the database and laid out by `motcua-docs` with the regime in force on the date of receipt.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use motcua_db::{Agency, DossierRecord, HistoryRow};
use motcua_docs::{
    AgencyInfo, ApplicantInfo, ComponentLine, FormContext, FormKind, LogEntry, SignedBy, Signer,
    Transfer,
};
use motcua_domain::agency::Role;
use motcua_domain::calendar::{TimeLimit, vietnam_offset};
use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::{Paper, ReturnMethod, Status};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::PageQuery;
use crate::pages::{Frame, PageError, encode, render};

/// The forms a dossier page may offer, with their path names.
pub const KINDS: [(&str, FormKind); 7] = [
    ("giay-tiep-nhan", FormKind::Receipt),
    ("yeu-cau-bo-sung", FormKind::SupplementRequest),
    ("tu-choi", FormKind::Refusal),
    ("tu-choi-giai-quyet", FormKind::Rejection),
    ("xin-loi", FormKind::Apology),
    ("dung-giai-quyet", FormKind::StopNotice),
    ("phieu-kiem-soat", FormKind::ControlSlip),
];

/// A link to one of the dossier's forms.
pub struct FormLink {
    pub slug: &'static str,
    pub label: &'static str,
}

/// The forms an issued paper's number, date and signature come from: the last history row
/// of the act that issued it.
fn issuing_act(kind: FormKind) -> Option<&'static str> {
    match kind {
        FormKind::Apology => Some("approve_apology"),
        FormKind::Rejection => Some("reject"),
        FormKind::StopNotice => Some("stop"),
        FormKind::Refusal => Some("refuse_intake"),
        FormKind::SupplementRequest => Some("request_supplement"),
        _ => None,
    }
}

/// The forms that make sense for this dossier now (and exist in its regime).
pub fn available(app: &AppState, d: &DossierRecord) -> Vec<FormLink> {
    let regime = app.docs.regimes.regime_on(local_date(d));
    KINDS
        .iter()
        .filter(|(_, kind)| motcua_docs::form(regime, *kind).is_some())
        .filter(|(_, kind)| match kind {
            FormKind::Receipt => !matches!(d.status, Status::Submitted | Status::Refused),
            FormKind::SupplementRequest => d.state.supplement.is_some(),
            FormKind::Refusal => d.status == Status::Refused,
            FormKind::Rejection => d.status == Status::Stopped && d.state.rejected,
            FormKind::Apology => d.state.apology.is_some(),
            FormKind::StopNotice => d.status == Status::Stopped && !d.state.rejected,
            FormKind::ControlSlip => d.status != Status::Submitted,
            FormKind::LogBook => false,
        })
        .map(|(slug, kind)| FormLink {
            slug,
            label: kind.label_vi(),
        })
        .collect()
}

fn local_date(d: &DossierRecord) -> NaiveDate {
    d.received_at.with_timezone(&vietnam_offset()).date_naive()
}

/// The place name printed before the date ("Thanh Hóa, ngày …"): the root agency's name
/// without its "Ủy ban nhân dân tỉnh" prefix.
fn place_of(all: &[Agency]) -> String {
    let root = all.iter().find(|a| a.parent_id.is_none());
    let name = root.map_or("", |a| a.name.as_str());
    for prefix in [
        "Ủy ban nhân dân tỉnh ",
        "Ủy ban nhân dân thành phố ",
        "UBND tỉnh ",
        "UBND thành phố ",
    ] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    name.to_string()
}

/// The letterhead of agency `id`: its name under its parent's, except above a People's
/// Committee (the rule is `letterhead_parent`'s).
pub(crate) fn agency_info(all: &[Agency], id: i64) -> AgencyInfo {
    let Some(a) = all.iter().find(|a| a.id == id) else {
        return AgencyInfo::default();
    };
    let parent_name = a
        .parent_id
        .and_then(|p| all.iter().find(|x| x.id == p))
        .map(|p| p.name.as_str());
    let parent = motcua_domain::agency::letterhead_parent(&a.name, parent_name)
        .map(|p| p.to_uppercase())
        .unwrap_or_default();
    AgencyInfo {
        name: a.name.clone(),
        parent,
        code: a.code.clone(),
        place: place_of(all),
        address: a.address.clone().unwrap_or_default(),
        phone: a.phone.clone().unwrap_or_default(),
    }
}

fn agency_name(all: &[Agency], id: i64) -> String {
    all.iter()
        .find(|a| a.id == id)
        .map_or_else(String::new, |a| a.name.clone())
}

/// The public address for the QR codes.
pub fn base_url(app: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &app.docs.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    // Behind a proxy that terminates HTTPS, the forwarded scheme.
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// The officer who received the dossier: who took it in at the counter, or who accepted it
/// when it was filed online or by post (none while it waits to be accepted).
fn receiving_officer(history: &[HistoryRow]) -> Option<String> {
    history
        .iter()
        .find(|h| motcua_domain::dossier::receives(&h.action))
        .and_then(|h| h.actor_name.clone())
}

/// The tracking link a receipt's QR code opens.
pub fn tracking_url(base: &str, d: &DossierRecord) -> String {
    format!(
        "{base}/tra-cuu?code={}&secret={}",
        encode(&d.code),
        encode(&d.lookup_secret)
    )
}

/// The dossier's tracking link as an inline SVG QR code (empty if it cannot be drawn).
pub fn qr_of(app: &AppState, headers: &HeaderMap, d: &DossierRecord) -> String {
    motcua_docs::qr_svg(&tracking_url(&base_url(app, headers), d), 110).unwrap_or_default()
}

fn time_text(limit: TimeLimit) -> String {
    match limit {
        TimeLimit::WorkingDays(n) => format!("{n:02} ngày làm việc"),
        TimeLimit::WorkingHours(n) => format!("{n:02} giờ làm việc"),
        TimeLimit::CalendarDays(n) => format!("{n:02} ngày"),
    }
}

/// An agency's name, followed by the body it is a unit of when that body is not a People's
/// Committee ("Phòng Quản lý hoạt động xây dựng, Sở Xây dựng"; "Sở Tư pháp" alone).
fn unit_name(all: &[Agency], id: i64) -> String {
    let name = agency_name(all, id);
    let parent = all
        .iter()
        .find(|a| a.id == id)
        .and_then(|a| a.parent_id)
        .and_then(|p| all.iter().find(|x| x.id == p));
    match parent {
        Some(p)
            if p.parent_id.is_some() && !motcua_domain::agency::is_peoples_committee(&p.name) =>
        {
            format!("{name}, {}", p.name)
        }
        _ => name,
    }
}

/// Where an officer acted from: the unit inside `agency` their roles (`paths`, each grant's
/// agency path) place them in ("Phòng Quản lý hoạt động xây dựng, Sở Xây dựng"), or the
/// agency itself.
fn place_of_act(all: &[Agency], agency: i64, paths: Option<&Vec<Vec<i64>>>) -> String {
    let name = unit_name(all, agency);
    match paths.and_then(|p| motcua_domain::agency::acting_unit(agency, p)) {
        Some(unit) => format!("{}, {name}", agency_name(all, unit)),
        None => name,
    }
}

/// Each hand-over between steps, from the history: who gave it, to which agency (and unit,
/// when the one who took it up works in a unit of it) and who took it up next, when, and how
/// the step that ended stood against its deadline; and, once the result is handed back, the
/// last one: from the counter to the applicant, with how the whole dossier stood against its
/// appointment.
async fn handovers(
    app: &AppState,
    all: &[Agency],
    d: &DossierRecord,
    history: &[HistoryRow],
) -> Result<Vec<Transfer>, PageError> {
    // Each officer's grants, read once, as the paths of their agencies.
    let mut paths: std::collections::HashMap<i64, Vec<Vec<i64>>> = std::collections::HashMap::new();
    for staff in history.iter().filter_map(|h| h.actor_staff_id) {
        if let std::collections::hash_map::Entry::Vacant(slot) = paths.entry(staff) {
            let grants = app.db.people().grants(staff).await?;
            slot.insert(
                grants
                    .iter()
                    .filter_map(|g| all.iter().find(|a| a.id == g.agency_id))
                    .map(Agency::path_ids)
                    .collect(),
            );
        }
    }
    let of = |staff: Option<i64>| staff.and_then(|s| paths.get(&s));
    let mut out: Vec<Transfer> = Vec::new();
    for (i, h) in history.iter().enumerate() {
        if !(h.from_step.is_some_and(|f| f != h.to_step) || h.action == "hand_off") {
            continue;
        }
        // Where the dossier went: the agency that held it at the next action (a liên
        // thông hand-off keeps the step and moves it to another agency).
        let to_agency = history
            .get(i + 1)
            .map_or(d.current_agency_id, |n| n.agency_id);
        let taker = history[i + 1..]
            .iter()
            .find(|n| n.from_step == Some(h.to_step));
        out.push(Transfer {
            from_agency: place_of_act(all, h.agency_id, of(h.actor_staff_id)),
            from_person: h.actor_name.clone().unwrap_or_else(|| "Công dân".into()),
            to_agency: place_of_act(all, to_agency, of(taker.and_then(|t| t.actor_staff_id))),
            to_person: taker.and_then(|n| n.actor_name.clone()).unwrap_or_default(),
            at: h.at,
            outcome: h.step_outcome,
            note: h.note.clone().unwrap_or_default(),
        });
    }
    if let Some(h) = history.iter().rev().find(|h| h.action == "return") {
        let how = d.return_method.label_vi();
        out.push(Transfer {
            from_agency: agency_name(all, h.agency_id),
            from_person: h.actor_name.clone().unwrap_or_default(),
            to_agency: "Tổ chức, cá nhân".into(),
            to_person: d.applicant.name.clone(),
            at: h.at,
            outcome: d.outcome,
            note: match &h.note {
                Some(tracking) if !tracking.trim().is_empty() => format!("{how}; {tracking}"),
                _ => how.to_string(),
            },
        });
    }
    Ok(out)
}

/// The leader who signs a letter issued by the act `row`, and the body it goes out in the
/// name of: the deepest agency above where the act was done that the signer leads
/// (`signing_body`), with the title block for it (`signing_title`: "TM.", "KT."). `None`
/// when nobody has done the act's deed yet (an apology proposed, not approved).
async fn head_signer(
    app: &AppState,
    all: &[Agency],
    row: &HistoryRow,
) -> Result<Option<(i64, Signer)>, PageError> {
    let Some(staff_id) = row.actor_staff_id else {
        return Ok(None);
    };
    let Some(staff) = app.db.people().staff_member(staff_id).await? else {
        return Ok(None);
    };
    let grants: Vec<(i64, Role)> = app
        .db
        .people()
        .grants(staff_id)
        .await?
        .iter()
        .map(|g| (g.agency_id, g.role))
        .collect();
    let path = all
        .iter()
        .find(|a| a.id == row.agency_id)
        .map(Agency::path_ids)
        .unwrap_or_default();
    // A leader of no body on the way (a unit leader who rejected) signs at the agency where
    // the act was done, under their own title.
    let body = motcua_domain::agency::signing_body(&path, &grants).unwrap_or(row.agency_id);
    let title =
        motcua_domain::agency::signing_title(staff.title.as_deref(), &agency_name(all, body));
    Ok(Some((
        body,
        Signer {
            title,
            name: staff.full_name,
        },
    )))
}

/// Who issues a form: the agency, and the staff member who signs it (if known).
struct Issuer {
    agency: i64,
    signer: Option<i64>,
}

/// The form's data, and who issues it.
async fn context(
    app: &AppState,
    headers: &HeaderMap,
    d: &DossierRecord,
    kind: FormKind,
) -> Result<(FormContext, Issuer), PageError> {
    let all = app.db.agencies().all().await?;
    let version = app
        .db
        .catalogue()
        .procedure_version(d.procedure_version_id)
        .await?;
    let procedure = version.as_ref().map(|v| &v.procedure);
    let case = procedure.and_then(|p| p.case(&d.case_code));
    let history = app.db.dossiers().history(d.id).await?;
    let competent = d.state.competent_agency();
    // The act that issued the paper, and for a leader's letter its signer and the body it
    // speaks for; without them the form can print only as a draft.
    let act = issuing_act(kind).and_then(|name| history.iter().rev().find(|h| h.action == name));
    let head = match (kind.signed_by(), act) {
        (Some(SignedBy::Head), Some(row)) => head_signer(app, &all, row).await?,
        _ => None,
    };
    let issuer = match kind {
        FormKind::Apology | FormKind::StopNotice | FormKind::Rejection => {
            head.as_ref().map_or(competent, |(body, _)| *body)
        }
        _ => d.receiving_agency_id,
    };
    // A paper bears its event's date, never the day it is printed.
    let paper = match kind {
        FormKind::Receipt => Some(Paper::Receipt),
        FormKind::SupplementRequest => Some(Paper::SupplementRequest),
        FormKind::Refusal | FormKind::Rejection => Some(Paper::Refusal),
        FormKind::Apology => Some(Paper::Apology),
        FormKind::StopNotice => Some(Paper::StopNotice),
        FormKind::ControlSlip => Some(Paper::ControlSlip),
        FormKind::LogBook => None,
    };
    let dated = paper
        .and_then(|p| d.state.paper_date(p))
        .unwrap_or_else(|| app.now())
        .with_timezone(&vietnam_offset())
        .date_naive();
    let mut ctx = FormContext::new(agency_info(&all, issuer), dated);
    let suffix = match kind {
        FormKind::Receipt => "TNHS",
        FormKind::SupplementRequest => "YCBS",
        FormKind::Refusal => "TCTN",
        FormKind::Rejection => "TCGQ",
        FormKind::Apology => "XL",
        FormKind::StopNotice => "DGQ",
        FormKind::ControlSlip => "KSGQ",
        FormKind::LogBook => "STD",
    };
    // The code's day and sequence ("260302-0001"): a number that never repeats from one
    // day to the next at the same counter.
    let sequence = d
        .code
        .split_once('-')
        .map_or(d.code.as_str(), |(_, rest)| rest);
    ctx.number = format!("{sequence}/{suffix}");
    // The log book has a volume a year; the entry is the dossier's place in its year.
    let received = d
        .received_at
        .with_timezone(&motcua_domain::calendar::vietnam_offset());
    let year_start = motcua_db::day_start(
        chrono::NaiveDate::from_ymd_opt(received.year(), 1, 1).unwrap_or(received.date_naive()),
    );
    ctx.book_volume = received.year().to_string();
    ctx.book_entry = app
        .db
        .dossiers()
        .book_entry(
            d.receiving_agency_id,
            year_start,
            d.received_at.timestamp(),
            d.id,
        )
        .await
        .map(motcua_domain::text::count_vi)?;
    ctx.dossier_code = d.code.clone();
    ctx.tracking_url = tracking_url(&base_url(app, headers), d);
    let a = &d.applicant;
    ctx.applicant = ApplicantInfo {
        name: a.name.clone(),
        address: a.address.clone().unwrap_or_default(),
        phone: a.phone.clone().unwrap_or_default(),
        email: a.email.clone().unwrap_or_default(),
        id_number: a
            .id_number
            .clone()
            .or_else(|| a.tax_code.clone())
            .unwrap_or_default(),
        signature: app
            .db
            .dossiers()
            .applicant_signature(d.id)
            .await?
            .map(|s| s.to_compact())
            .unwrap_or_default(),
    };
    ctx.procedure_name = procedure.map(|p| p.name.clone()).unwrap_or_default();
    ctx.procedure_code = d.procedure_code.clone();
    ctx.summary = d.summary.clone();
    ctx.components = d
        .components
        .iter()
        .map(|c| ComponentLine::received(super::component_name(case, &c.code), c.form, c.count))
        .collect();
    // The law's time, and beside it the shorter one the province commits to, if any.
    let times = case.and_then(|c| c.times.iter().find(|t| t.channel == d.channel));
    ctx.legal_time = times.map_or_else(
        || time_text(d.state.policy.limit),
        |t| time_text(t.statutory),
    );
    ctx.committed_time = times
        .and_then(|t| t.committed.filter(|c| *c != t.statutory))
        .map(time_text)
        .unwrap_or_default();
    ctx.lookup_code = d.lookup_secret.clone();
    ctx.online = d.channel == Channel::Online;
    ctx.received_at = Some(d.received_at);
    // The appointment given at receipt; a later one is the apology's and the slip's.
    ctx.due_at = match kind {
        FormKind::Receipt => d.state.receipt_due(),
        _ => d.due_at,
    };
    ctx.result_place = d.return_method.label_vi().to_string();
    ctx.processing_agency = agency_name(&all, competent);
    ctx.coordinating_agencies = d
        .state
        .consultations
        .iter()
        .map(|c| agency_name(&all, c.agency_id))
        .collect::<Vec<_>>()
        .join("; ");
    ctx.handovers = handovers(app, &all, d, &history).await?;
    if let Some((_, signer)) = head {
        ctx.head = signer;
    }
    let receiver = receiving_officer(&history);
    ctx.officer = Signer {
        title: "NGƯỜI TIẾP NHẬN".into(),
        name: receiver.unwrap_or_default(),
    };
    match kind {
        FormKind::SupplementRequest => {
            if let Some(s) = &d.state.supplement {
                ctx.reason = s.reason.clone();
                ctx.components = s
                    .items()
                    .into_iter()
                    .map(|(name, note)| ComponentLine {
                        name,
                        note,
                        ..ComponentLine::default()
                    })
                    .collect();
            }
            // Signed by the officer who asked, who is also the one to ask for guidance, at the
            // receiving counter.
            let asker = history
                .iter()
                .rev()
                .find(|h| h.action == "request_supplement")
                .and_then(|h| h.actor_name.clone())
                .unwrap_or_default();
            ctx.contact = counter_contact(&all, d.receiving_agency_id, &asker);
            ctx.officer.name = asker;
        }
        FormKind::Refusal => {
            ctx.reason = d.state.reason.clone().unwrap_or_default();
            // Signed by the officer who refused it.
            ctx.officer.name = act.and_then(|h| h.actor_name.clone()).unwrap_or_default();
        }
        FormKind::Rejection | FormKind::StopNotice => {
            ctx.reason = d.state.reason.clone().unwrap_or_default();
            ctx.contact = counter_contact(&all, d.receiving_agency_id, "");
        }
        FormKind::Apology => {
            if let Some(apology) = &d.state.apology {
                ctx.reason = apology.reason.clone();
                ctx.new_due_at = Some(apology.new_due);
                ctx.due_at = Some(apology.previous_due);
            }
        }
        _ => {}
    }
    ctx.recipients = vec!["Như trên;".into(), "Lưu: VT.".into()];
    // The person whose signature makes the form final.
    let signer = match kind.signed_by() {
        Some(SignedBy::Head) => act.filter(|_| !ctx.head.name.is_empty()),
        Some(SignedBy::Officer) if kind == FormKind::Receipt => history
            .iter()
            .find(|h| motcua_domain::dossier::receives(&h.action)),
        Some(SignedBy::Officer) => act,
        None => None,
    }
    .and_then(|h| h.actor_staff_id);
    Ok((
        ctx,
        Issuer {
            agency: issuer,
            signer,
        },
    ))
}

/// Whom to ask: `person` (may be empty) at the receiving counter, with its phone.
fn counter_contact(all: &[Agency], counter: i64, person: &str) -> String {
    let counter = agency_info(all, counter);
    let mut contact = format!("{person}, {}", counter.name);
    if !counter.phone.is_empty() {
        contact.push_str(&format!(", số điện thoại {}", counter.phone));
    }
    contact.trim_start_matches(", ").to_string()
}

pub(crate) fn pdf_response(pdf: Vec<u8>, name: &str) -> Response {
    let disposition = format!("inline; filename=\"{name}.pdf\"");
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        pdf,
    )
        .into_response()
}

fn failed(e: &motcua_docs::DocsError) -> PageError {
    tracing::error!(error = %e, "a form could not be printed");
    PageError::Internal
}

/// One form of one dossier, as PDF.
pub async fn dossier_form(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::NotFound);
    };
    let d = match app.db.dossiers().dossier(id).await? {
        Some(d) if crate::access::may_read(&app.db, who.session.staff.id, &d).await? => d,
        _ => return Err(PageError::NotFound),
    };
    let Some(link) = available(&app, &d).into_iter().find(|l| l.slug == slug) else {
        return Err(PageError::NotFound);
    };
    let Some((_, kind)) = KINDS.iter().find(|(s, _)| *s == link.slug) else {
        return Err(PageError::NotFound);
    };
    let (mut ctx, issuer) = context(&app, &headers, &d, *kind).await?;
    let render = |ctx: &FormContext| {
        motcua_docs::render(
            *kind,
            local_date(&d),
            ctx,
            &app.docs.regimes,
            &app.docs.templates,
        )
        .map_err(|e| failed(&e))
    };
    let name = format!("{}-{}", d.code, link.slug);
    // A final form of an agency with a signing key goes out signed, its stamp in the room
    // kept under the content; a draft never is.
    let key = match crate::signing::key_for(&app.db, issuer.agency, issuer.signer).await {
        Ok(key) => Some(key),
        // No key of the kind the agency chose: the form prints unsigned.
        Err(motcua_db::DbError::Invalid(_)) => None,
        Err(e) => return Err(e.into()),
    };
    ctx.room_for_stamp = key.is_some();
    let rendered = render(&ctx)?;
    if rendered.draft {
        return Ok(with_signature(pdf_response(rendered.pdf, &name), "draft"));
    }
    let Some(key) = key else {
        return Ok(with_signature(pdf_response(rendered.pdf, &name), "none"));
    };
    match sign_form(
        &app,
        &key,
        &ctx,
        *kind,
        rendered.pdf.clone(),
        rendered.stamp_top,
    )
    .await
    {
        Ok(signed) => Ok(with_signature(pdf_response(signed, &name), "signed")),
        Err(e) => {
            // The counter still prints the form; the failure is for the administrator.
            tracing::error!(dossier = %d.code, error = %e, "a form could not be signed");
            Ok(with_signature(pdf_response(rendered.pdf, &name), "failed"))
        }
    }
}

/// Says in a header whether the form is signed (`signed`), the agency has no key (`none`),
/// signing failed (`failed`) or it is a draft (`draft`).
pub(crate) fn with_signature(mut response: Response, state: &'static str) -> Response {
    response.headers_mut().insert(
        "x-motcua-signature",
        header::HeaderValue::from_static(state),
    );
    response
}

/// Signs an issued form inside the PDF with its agency's key (see
/// [`crate::signing::sign_paper`]), its stamp naming the person who signs the form.
async fn sign_form(
    app: &AppState,
    key: &motcua_db::SigningKey,
    ctx: &FormContext,
    kind: FormKind,
    pdf: Vec<u8>,
    top: Option<f32>,
) -> Result<Vec<u8>, motcua_db::DbError> {
    let person = match kind.signed_by() {
        Some(SignedBy::Head) => &ctx.head,
        _ => &ctx.officer,
    };
    let title = person.title.lines().next_back().unwrap_or_default();
    let paper = crate::signing::Paper {
        reason: format!("{} — hồ sơ {}", kind.label_vi(), ctx.dossier_code),
        location: ctx.agency.name.clone(),
        person: (!person.name.is_empty()).then(|| format!("{} ({title})", person.name)),
        last_line: format!("Mã hồ sơ: {}", ctx.dossier_code),
    };
    crate::signing::sign_paper(app, key, paper, pdf, top).await
}

#[derive(Deserialize, Default)]
pub struct Period {
    #[serde(default)]
    agency: Option<i64>,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub struct AgencyChoice {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "staff/logbook.html")]
struct LogBookPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    agencies: Vec<AgencyChoice>,
    from: String,
    to: String,
    error: Option<String>,
}

/// Sổ theo dõi hồ sơ: the form to choose a period, or (with one) the log book as PDF.
pub async fn log_book(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<Period>,
) -> Result<Response, PageError> {
    let grants = app.db.people().grants(who.session.staff.id).await?;
    let counters: Vec<i64> = grants
        .iter()
        .filter(|g| {
            matches!(
                g.role,
                Role::CounterOfficer | Role::UnitLeader | Role::AgencyLeader | Role::Administrator
            )
        })
        .map(|g| g.agency_id)
        .collect();
    if counters.is_empty() {
        return Err(PageError::Forbidden);
    }
    let today = app.now().date_naive();
    let parse = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let (from, to) = (parse(&q.from), parse(&q.to));
    let chosen = q.agency.filter(|a| counters.contains(a));
    let mut error = None;
    if let (Some(agency), Some(from), Some(to)) = (chosen, from, to) {
        if to < from {
            error = Some("Ngày kết thúc phải sau ngày bắt đầu".to_string());
        } else if (to - from).num_days() > 366 {
            error = Some("Mỗi lần in tối đa một năm".to_string());
        } else {
            return print_log_book(&app, &who, agency, from, to).await;
        }
    } else if !q.from.is_empty() || !q.to.is_empty() {
        error = Some("Hãy chọn cơ quan và nhập ngày theo dạng năm-tháng-ngày".to_string());
    }
    let frame = Frame::new(&headers, &uri);
    let mut agencies = Vec::new();
    for id in counters {
        if let Some(a) = app.db.agencies().agency(id).await?
            && !agencies.iter().any(|c: &AgencyChoice| c.id == a.id)
        {
            agencies.push(AgencyChoice {
                selected: Some(a.id) == chosen,
                id: a.id,
                name: a.name,
            });
        }
    }
    let first = today.with_day(1).unwrap_or(today);
    Ok(render(&LogBookPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        agencies,
        from: from.unwrap_or(first).format("%Y-%m-%d").to_string(),
        to: to.unwrap_or(today).format("%Y-%m-%d").to_string(),
        error,
    }))
}

async fn print_log_book(
    app: &AppState,
    who: &SignedIn,
    agency: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Response, PageError> {
    let start = motcua_db::day_start;
    let next = to.succ_opt().unwrap_or(to);
    let dossiers = app
        .db
        .dossiers()
        .received_between(agency, start(from), start(next), 20_000)
        .await?;
    let all = app.db.agencies().all().await?;
    let mut ctx = FormContext::new(agency_info(&all, agency), app.now().date_naive());
    ctx.period_from = Some(from);
    ctx.period_to = Some(to);
    for d in &dossiers {
        let procedure = app
            .db
            .catalogue()
            .procedure_version(d.procedure_version_id)
            .await?
            .map(|v| v.procedure.name.clone())
            .unwrap_or_default();
        let history = app.db.dossiers().history(d.id).await?;
        let receiver = receiving_officer(&history).unwrap_or_else(|| "Trực tuyến".into());
        let returned = (d.status == Status::Returned)
            .then_some(d.finished_at)
            .flatten();
        // The collector signs the column on paper; a result that went out otherwise says how.
        let collected = match (returned, d.return_method) {
            (None, _) | (_, ReturnMethod::InPerson) => String::new(),
            (Some(_), ReturnMethod::Online) => "Nhận trực tuyến".into(),
            (Some(_), ReturnMethod::Post) => {
                let tracking = history
                    .iter()
                    .rev()
                    .find(|h| h.action == "return")
                    .and_then(|h| h.note.clone())
                    .unwrap_or_default();
                format!("Bưu chính {tracking}").trim().to_string()
            }
        };
        ctx.log.push(LogEntry {
            code: d.code.clone(),
            procedure,
            sets: 1,
            applicant: d.applicant.name.clone(),
            address: d.applicant.address.clone().unwrap_or_default(),
            phone: d.applicant.phone.clone().unwrap_or_default(),
            received_at: d.received_at,
            due_at: d.due_at,
            agency: agency_name(&all, d.state.competent_agency()),
            returned_at: returned,
            collected,
            receiver,
            area: d
                .applicant
                .address
                .as_deref()
                .and_then(motcua_domain::dossier::area_of)
                .unwrap_or_default(),
            note: d.status.label_vi().to_string(),
        });
    }
    // Kept by whoever prints it; closed by the head's signature and seal on paper.
    ctx.officer = Signer {
        title: "NGƯỜI LẬP SỔ".into(),
        name: who.session.staff.full_name.clone(),
    };
    ctx.head = Signer {
        title: "THỦ TRƯỞNG CƠ QUAN".into(),
        name: String::new(),
    };
    let rendered = motcua_docs::render(
        FormKind::LogBook,
        from,
        &ctx,
        &app.docs.regimes,
        &app.docs.templates,
    )
    .map_err(|e| failed(&e))?;
    let code = all
        .iter()
        .find(|a| a.id == agency)
        .map_or("", |a| a.code.as_str());
    Ok(pdf_response(
        rendered.pdf,
        &format!("so-theo-doi-{code}-{from}-{to}"),
    ))
}
