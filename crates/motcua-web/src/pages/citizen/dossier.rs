//! Hồ sơ của tôi — the citizen's dossiers and one dossier in full: its progress and history,
//! the messages sent, a supplement request with its upload form, the files (their own and
//! the result) to download, withdrawal, and the rating once it has ended. Only the account
//! that filed a dossier sees it; any other id answers "not found".

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{ActorRef, DbError, DossierRecord, Purpose, TransitionRequest, Upload};
use motcua_domain::FieldError;
use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::Action;
use serde::Deserialize;
use std::sync::Arc;

use super::CitizenIn;
use super::rating::RatingView;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::{PageForm, PageId, PageQuery};
use crate::pages::submitted::Submitted;
use crate::pages::{Frame, PageError, render, vn_datetime};

/// The dossier `id` if this citizen's account filed it.
pub async fn owned(app: &AppState, who: &CitizenIn, id: i64) -> Result<DossierRecord, PageError> {
    crate::access::owned_by(&app.db, who.session.citizen.id, id)
        .await?
        .ok_or(PageError::NotFound)
}

pub struct Row {
    pub id: i64,
    pub code: String,
    pub procedure: String,
    pub status: &'static str,
    pub status_code: u8,
    pub received: String,
    pub due: String,
}

#[derive(Template)]
#[template(path = "citizen/mine.html")]
struct Mine {
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    name: String,
    rows: Vec<Row>,
    /// How the account stands with the national identity: verified (and by which
    /// providers), or not, with the providers it could sign in with.
    verified: bool,
    linked: Vec<String>,
    providers: Vec<(String, String)>,
}

pub async fn mine(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let dossiers = app
        .db
        .dossiers()
        .citizen_dossiers(who.session.citizen.id, 200)
        .await?;
    let mut rows = Vec::with_capacity(dossiers.len());
    for d in dossiers {
        let procedure = crate::progress::procedure_name(&app.db, d.procedure_version_id).await?;
        rows.push(Row {
            id: d.id,
            code: d.code,
            procedure,
            status: d.status.label_vi(),
            status_code: d.status.code(),
            received: vn_datetime(d.received_at),
            due: d.due_at.map(vn_datetime).unwrap_or_default(),
        });
    }
    Ok(render(&Mine {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        name: who.session.citizen.full_name.clone(),
        rows,
        verified: app.identity_verified(who.session.citizen.assurance),
        linked: app
            .db
            .people()
            .identities_of(who.session.citizen.id)
            .await?
            .into_iter()
            .map(|(provider, level)| {
                let label = app
                    .sso
                    .get()
                    .and_then(|s| {
                        s.buttons()
                            .into_iter()
                            .find(|(name, _)| *name == provider)
                            .map(|(_, label)| label)
                    })
                    .unwrap_or(provider);
                match level {
                    Some(level) => format!("{label} (mức {level})"),
                    None => label,
                }
            })
            .collect(),
        providers: app.sso.get().map(|s| s.buttons()).unwrap_or_default(),
    }))
}

pub struct Line {
    pub at: String,
    pub label: String,
    pub note: String,
}

pub struct FileRow {
    pub id: i64,
    pub name: String,
    pub purpose: &'static str,
    pub size_kb: i64,
    pub at: String,
    pub is_result: bool,
}

pub struct MessageRow {
    pub event: &'static str,
    pub channel: String,
    pub status: &'static str,
}

pub struct SupplementView {
    pub missing: Vec<String>,
    pub reason: String,
    pub requested: String,
    pub submitted: Option<String>,
}

#[derive(Template)]
#[template(path = "citizen/dossier.html")]
struct DossierPage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    d: DossierRecord,
    procedure: String,
    status: &'static str,
    received: String,
    due: String,
    finished: String,
    apology: Option<(String, String)>,
    steps: Vec<crate::progress::PublicStep>,
    history: Vec<Line>,
    files: Vec<FileRow>,
    signed: Vec<crate::pages::staff::sign::SignedLine>,
    messages: Vec<MessageRow>,
    /// What is still owed, and whether it can be paid online here.
    owed: i64,
    owed_text: String,
    can_pay: bool,
    payments: Vec<crate::pages::payment::PaymentRow>,
    supplement: Option<SupplementView>,
    can_withdraw: bool,
    just_filed: bool,
    just_rated: bool,
    rating: Option<RatingView>,
    rated: Option<String>,
    errors: Vec<FieldError>,
    max_mb: usize,
    qr: String,
}

#[derive(Deserialize, Default)]
pub struct Flags {
    #[serde(default)]
    moi: Option<String>,
    #[serde(default, rename = "danh-gia")]
    rated: Option<String>,
}

async fn page(
    app: &AppState,
    who: &CitizenIn,
    headers: &HeaderMap,
    frame: Frame,
    d: DossierRecord,
    flags: Flags,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let version = app
        .db
        .catalogue()
        .procedure_version(d.procedure_version_id)
        .await?;
    let procedure = version
        .as_ref()
        .map(|p| p.procedure.name.clone())
        .unwrap_or_default();
    let public = motcua_db::PublicDossier::from(&d);
    let (_, steps) = crate::progress::progress(&app.db, &public).await?;
    let history = app
        .db
        .dossiers()
        .history(d.id)
        .await?
        .into_iter()
        .map(|h| h.for_applicant())
        .map(|h| Line {
            at: vn_datetime(h.at),
            label: Action::label_of_name(&h.action)
                .unwrap_or(h.action.as_str())
                .to_string(),
            note: h.note.unwrap_or_default(),
        })
        .collect();
    let signed = crate::pages::staff::sign::signed_lines(app, &d).await?;
    let files = app
        .db
        .files()
        .for_applicant(d.id)
        .await?
        .into_iter()
        .map(|f| FileRow {
            id: f.id,
            name: f.name,
            purpose: f.purpose.label_vi(),
            size_kb: (f.size + 1023) / 1024,
            at: vn_datetime(f.at),
            is_result: f.purpose == Purpose::Result,
        })
        .collect();
    let messages = app
        .db
        .outbox()
        .to_applicant(d.id)
        .await?
        .into_iter()
        .map(|m| MessageRow {
            event: frame.t.get(&format!("event.{}", m.event)),
            channel: frame.t.get(&format!("channel.{}", m.channel)).to_string(),
            status: frame.t.get(&format!("delivery.status.{}", m.status)),
        })
        .collect();
    let (owed, payments) = crate::pages::payment::summary(app, &frame.t, &d).await?;
    let can_pay = owed > 0
        && !d.status.is_final()
        && app.payments.get().and_then(|g| g.preferred()).is_some();
    let supplement = d.state.awaited_supplement().map(|s| SupplementView {
        missing: s.missing.clone(),
        reason: s.reason.clone(),
        requested: vn_datetime(s.requested_at),
        submitted: s.submitted_at.map(vn_datetime),
    });
    let apology = d
        .state
        .approved_apology()
        .map(|a| (a.reason.clone(), vn_datetime(a.new_due)));
    let stored_rating = app.db.ratings().rating(d.id).await?;
    let rated = stored_rating
        .as_ref()
        .map(|r| r.rating.overall.label_vi().to_string());
    let rating = (motcua_db::can_be_rated(&d) && stored_rating.is_none()).then(|| {
        RatingView::new(
            format!("/cong-dan/ho-so/{}/danh-gia", d.id),
            vec![("csrf".into(), who.session.csrf.clone())],
            d.channel == Channel::Online,
        )
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&DossierPage {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        procedure,
        status: d.status.label_vi(),
        received: vn_datetime(d.received_at),
        due: d.due_at.map(vn_datetime).unwrap_or_default(),
        finished: d.finished_at.map(vn_datetime).unwrap_or_default(),
        apology,
        steps,
        history,
        files,
        signed,
        messages,
        owed,
        owed_text: format!(
            "{} ({})",
            motcua_domain::text::money_vi(owed),
            motcua_domain::text::money_in_words_vi(owed)
        ),
        can_pay,
        payments,
        supplement,
        can_withdraw: d.status.may_withdraw(),
        just_filed: flags.moi.is_some(),
        just_rated: flags.rated.is_some(),
        rating,
        rated,
        errors,
        max_mb: motcua_db::MAX_FILE_BYTES / (1024 * 1024),
        qr: crate::pages::staff::forms::qr_of(app, headers, &d),
        d,
    });
    Ok((status, body).into_response())
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    PageQuery(flags): PageQuery<Flags>,
) -> Result<Response, PageError> {
    let d = owned(&app, &who, id).await?;
    page(
        &app,
        &who,
        &headers,
        Frame::new(&headers, &uri),
        d,
        flags,
        Vec::new(),
    )
    .await
}

/// Sends the supplement's files (and a note); the counter then checks and receives it.
pub async fn supplement(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    form: Submitted,
) -> Result<Response, PageError> {
    who.check_csrf(&form.field("csrf"))?;
    let d = owned(&app, &who, id).await?;
    let version: i64 = form
        .field("version")
        .parse()
        .map_err(|_| PageError::BadRequest)?;
    let note = Some(form.field("note")).filter(|n| !n.is_empty());
    let mut errors = Vec::new();
    if form.files.is_empty() {
        errors.push(FieldError::new("files", "hãy chọn ít nhất một tệp bổ sung"));
    }
    let mut files = Vec::new();
    if errors.is_empty() {
        for part in form.files {
            let upload = Upload {
                name: part.name,
                bytes: part.bytes,
                component: None,
                purpose: Purpose::Supplement,
            };
            match app.files.store(upload, "files").await {
                Ok(f) => files.push(f),
                Err(DbError::Invalid(found)) => errors.extend(found),
                Err(e) => return Err(e.into()),
            }
        }
    }
    if errors.is_empty() {
        let request = TransitionRequest {
            dossier_id: d.id,
            expected_version: version,
            action: Action::SubmitSupplement { note },
        };
        match app
            .db
            .dossiers()
            .transition_with(
                &request,
                ActorRef::Citizen { owner: true },
                &app.calendar(),
                app.now(),
                &files,
            )
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("/cong-dan/ho-so/{id}")).into_response()),
            Err(e) => errors.push(FieldError::new("", crate::pages::explain(e)?)),
        }
    }
    let d = owned(&app, &who, id).await?;
    page(
        &app,
        &who,
        &headers,
        Frame::new(&headers, &uri),
        d,
        Flags::default(),
        errors,
    )
    .await
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    reason: String,
}

pub async fn withdraw(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    PageForm(f): PageForm<WithdrawForm>,
) -> Result<Response, PageError> {
    who.check_csrf(&f.csrf)?;
    let d = owned(&app, &who, id).await?;
    let request = TransitionRequest {
        dossier_id: d.id,
        expected_version: f.version,
        action: Action::Withdraw {
            reason: Some(f.reason.trim().to_string()).filter(|r| !r.is_empty()),
        },
    };
    match app
        .db
        .dossiers()
        .transition(
            &request,
            ActorRef::Citizen { owner: true },
            &app.calendar(),
            app.now(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/cong-dan/ho-so/{id}")).into_response()),
        Err(e) => {
            let errors = vec![FieldError::new("", crate::pages::explain(e)?)];
            let d = owned(&app, &who, id).await?;
            page(
                &app,
                &who,
                &headers,
                Frame::new(&headers, &uri),
                d,
                Flags::default(),
                errors,
            )
            .await
        }
    }
}

/// One of the dossier's files, to its owner only (scans made at the counter stay inside).
pub async fn download(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (Ok(id), Ok(file)) = (id.parse::<i64>(), file.parse::<i64>()) else {
        return Err(PageError::NotFound);
    };
    let d = owned(&app, &who, id).await?;
    let Some(f) = app.db.files().attachment(d.id, file).await? else {
        return Err(PageError::NotFound);
    };
    if !f.purpose.shown_to_applicant() {
        return Err(PageError::NotFound);
    }
    Ok(crate::pages::file_response(&app, &f).await?)
}
