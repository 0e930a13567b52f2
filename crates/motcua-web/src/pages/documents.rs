//! Kho dữ liệu điện tử — the citizen's data store as the citizen sees it
//! (`/cong-dan/kho-du-lieu`: every document, its validity, download, hide from reuse, and who
//! reached it when, for which dossier), opened only by an account a national identity
//! vouched for. Staff see an applicant's store from the dossier they handle
//! (`staff/store.rs`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{DbError, StoredDocument};
use motcua_domain::digitised::{Access, valid_on};
use std::sync::Arc;

use crate::AppState;
use crate::i18n::Tr;
use crate::pages::citizen::CitizenIn;
use crate::pages::extract::PageForm;
use crate::pages::{Frame, PageError, render, vn_datetime};

/// How a document is named where it is offered: its kind, number and where it came from.
pub fn label(d: &StoredDocument) -> String {
    let kind: String = d.type_name.chars().take(70).collect();
    let kind = if kind.chars().count() < d.type_name.chars().count() {
        format!("{kind}…")
    } else {
        kind
    };
    let mut out = kind;
    if !d.meta.number.is_empty() {
        out.push_str(&format!(" — số {}", d.meta.number));
    }
    out.push_str(&format!(" (hồ sơ {}", d.dossier_code));
    if let Some(end) = d.meta.expires_on {
        out.push_str(&format!(", hiệu lực đến {}", end.format("%d/%m/%Y")));
    }
    out.push(')');
    out
}

/// A document of the store offered for a component.
pub struct Offer {
    pub id: i64,
    pub label: String,
}

/// The documents of `owner`'s store offered on `today` for each component of `case`, by
/// component code (components with none are left out).
pub async fn offers(
    app: &AppState,
    owner: &motcua_domain::digitised::Owner,
    case: &motcua_domain::catalogue::Case,
) -> Result<Vec<(String, Vec<Offer>)>, DbError> {
    let today = app.now().date_naive();
    // One read of the owner's store, then each component's kind picked from it.
    let kept = app.db.documents().of_owner(&owner.key()).await?;
    let mut out = Vec::new();
    for c in &case.components {
        let wanted = motcua_domain::digitised::component_type(c);
        let found: Vec<Offer> = kept
            .iter()
            .filter(|d| d.offerable_for(&wanted, today))
            .map(|d| Offer {
                id: d.id,
                label: label(d),
            })
            .collect();
        if !found.is_empty() {
            out.push((c.code.clone(), found));
        }
    }
    Ok(out)
}

/// The document `id` when it may stand for component `component` of a dossier of `owner`
/// today: that owner's, of the component's kind, valid and not hidden.
pub async fn reusable(
    app: &AppState,
    owner: Option<&motcua_domain::digitised::Owner>,
    component: &motcua_domain::catalogue::Component,
    id: i64,
) -> Result<Option<StoredDocument>, DbError> {
    let Some(owner) = owner else {
        return Ok(None);
    };
    let wanted = motcua_domain::digitised::component_type(component);
    Ok(app
        .db
        .documents()
        .document(id)
        .await?
        .filter(|d| d.owner_key == owner.key() && d.offerable_for(&wanted, app.now().date_naive())))
}

/// One document as the store pages list it.
pub struct DocLine {
    pub id: i64,
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub issued: String,
    /// "Không thời hạn", "đến 01/05/2027", or that it has expired.
    pub validity: String,
    pub valid: bool,
    pub source: &'static str,
    pub checked: bool,
    pub dossier_code: String,
    pub hidden: bool,
    pub added: String,
}

pub(crate) fn line(d: &StoredDocument, today: chrono::NaiveDate) -> DocLine {
    let valid = valid_on(d.meta.expires_on, today);
    DocLine {
        id: d.id,
        kind: d.type_name.clone(),
        number: d.meta.number.clone(),
        issuer: d.meta.issuer.clone(),
        issued: d
            .meta
            .issued_on
            .map(|x| x.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        validity: match d.meta.expires_on {
            None => "Không thời hạn".to_string(),
            Some(end) if valid => format!("đến {}", end.format("%d/%m/%Y")),
            Some(end) => format!("hết hiệu lực từ {}", end.format("%d/%m/%Y")),
        },
        valid,
        source: d.source.label_vi(),
        checked: d.meta.checked,
        dossier_code: d.dossier_code.clone(),
        hidden: d.hidden,
        added: motcua_db::instant_of(d.created_at)
            .map(vn_datetime)
            .unwrap_or_default(),
    }
}

/// One access as the owner reads it.
pub struct AccessRow {
    pub at: String,
    pub who: String,
    pub what: &'static str,
    pub kind: String,
    pub dossier: String,
}

#[derive(Template)]
#[template(path = "citizen/store.html")]
struct StorePage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    /// The account's store is open (a national identity vouched for its number).
    open: bool,
    providers: Vec<(String, String)>,
    docs: Vec<DocLine>,
    log: Vec<AccessRow>,
    /// The search typed, if any.
    q: String,
}

#[derive(serde::Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    pub q: String,
}

/// Who an access was made by, as its owner reads it.
fn actor_text(actor: &str, name: Option<&str>, owner_account: i64) -> String {
    if actor == format!("citizen:{owner_account}") {
        return "Ông/Bà".to_string();
    }
    match (actor.split_once(':'), name) {
        (Some(("staff", _)), Some(name)) => format!("Cán bộ {name}"),
        (Some(("staff", _)), None) => "Cán bộ".to_string(),
        (Some(("citizen", _)), Some(name)) => name.to_string(),
        _ => actor.to_string(),
    }
}

/// `GET /cong-dan/kho-du-lieu`.
pub async fn citizen_store(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    headers: HeaderMap,
    uri: Uri,
    crate::pages::extract::PageQuery(search): crate::pages::extract::PageQuery<Search>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let owner = crate::filing::account_store(&app, &who.session.citizen);
    let today = app.now().date_naive();
    let (docs, log) = match &owner {
        Some(owner) => {
            let docs = app.db.documents().of_owner(&owner.key()).await?;
            let log = app.db.documents().access_log(&owner.key(), 200).await?;
            (
                docs.iter()
                    .filter(|d| d.matches(&search.q))
                    .map(|d| line(d, today))
                    .collect(),
                log.into_iter()
                    .map(|a| AccessRow {
                        at: motcua_db::instant_of(a.at)
                            .map(vn_datetime)
                            .unwrap_or_default(),
                        who: actor_text(&a.actor, a.actor_name.as_deref(), who.session.citizen.id),
                        what: a.kind.label_vi(),
                        kind: a.type_name.chars().take(80).collect(),
                        dossier: a.dossier_code.unwrap_or_default(),
                    })
                    .collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let providers = app.sso.get().map(|s| s.buttons()).unwrap_or_default();
    Ok(render(&StorePage {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        open: owner.is_some(),
        providers,
        docs,
        log,
        q: search.q,
    }))
}

/// The owner's document `id`, or "not found".
async fn owned(app: &AppState, who: &CitizenIn, id: &str) -> Result<StoredDocument, PageError> {
    let owner =
        crate::filing::account_store(app, &who.session.citizen).ok_or(PageError::NotFound)?;
    let id: i64 = id.parse().map_err(|_| PageError::NotFound)?;
    match app.db.documents().document(id).await? {
        Some(d) if d.owner_key == owner.key() => Ok(d),
        _ => Err(PageError::NotFound),
    }
}

/// The document's file as a download.
pub(crate) async fn file_of(app: &AppState, d: &StoredDocument) -> Result<Response, DbError> {
    let file = app
        .db
        .files()
        .attachment(d.dossier_id, d.file_id)
        .await?
        .ok_or(DbError::NotFound("tệp của giấy tờ"))?;
    crate::pages::file_response(app, &file).await
}

/// `GET /cong-dan/kho-du-lieu/{doc}`: the owner downloads one of their documents (logged).
pub async fn citizen_download(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let d = owned(&app, &who, &id).await?;
    app.db
        .documents()
        .log_access(
            &d,
            &format!("citizen:{}", who.session.citizen.id),
            None,
            Access::Download,
            app.now().timestamp(),
        )
        .await?;
    Ok(file_of(&app, &d).await?)
}

#[derive(serde::Deserialize)]
pub struct HideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    hidden: String,
}

/// `POST /cong-dan/kho-du-lieu/{doc}/an`: hides a document from reuse (`hidden=1`) or
/// offers it again (`hidden=0`).
pub async fn citizen_hide(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    Path(id): Path<String>,
    PageForm(f): PageForm<HideForm>,
) -> Result<Response, PageError> {
    who.check_csrf(&f.csrf)?;
    let d = owned(&app, &who, &id).await?;
    app.db
        .documents()
        .set_hidden(
            d.id,
            &d.owner_key,
            f.hidden == "1",
            &format!("citizen:{}", who.session.citizen.id),
            app.now().timestamp(),
        )
        .await?;
    Ok(Redirect::to("/cong-dan/kho-du-lieu").into_response())
}
