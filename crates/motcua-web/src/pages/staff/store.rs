//! Kho dữ liệu của người nộp — an applicant's data store as staff see it while handling one of
//! their dossiers (`/can-bo/ho-so/{id}/kho-du-lieu`): each opening audited, each download
//! logged in the owner's access log against the dossier, so the citizen sees who reached
//! their papers and why.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use motcua_domain::digitised::{Access, Owner};
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::documents::{DocLine, file_of, line};
use crate::pages::{Frame, PageError, render};

#[derive(Template)]
#[template(path = "staff/store.html")]
struct StaffStorePage {
    nav: super::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    dossier_id: i64,
    dossier_code: String,
    owner_name: String,
    docs: Vec<DocLine>,
    q: String,
}

/// The applicant of dossier `id` whose store `who` may open now: staff who may see the
/// dossier, while it is being handled (not ended), and only an applicant the store can tell
/// apart.
async fn handled(
    app: &AppState,
    who: &SignedIn,
    id: i64,
) -> Result<(motcua_db::DossierRecord, Owner), PageError> {
    let d = super::dossier::readable(app, who, id).await?;
    let owner = crate::access::store_of_handled(&d).ok_or(PageError::Forbidden)?;
    Ok((d, owner))
}

/// `GET /can-bo/ho-so/{id}/kho-du-lieu`: the applicant's store, for staff handling the
/// dossier; each opening is audited.
pub async fn staff_store(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    crate::pages::extract::PageId(id): crate::pages::extract::PageId,
    crate::pages::extract::PageQuery(search): crate::pages::extract::PageQuery<
        crate::pages::documents::Search,
    >,
) -> Result<Response, PageError> {
    let (d, owner) = handled(&app, &who, id).await?;
    let docs = app
        .db
        .documents()
        .opened_by_staff(who.session.staff.id, &d.code, &owner.key(), "pages")
        .await?;
    let today = app.now().date_naive();
    let frame = Frame::new(&headers, &uri);
    Ok(render(&StaffStorePage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        dossier_id: d.id,
        dossier_code: d.code.clone(),
        owner_name: d.applicant.name.clone(),
        docs: docs
            .iter()
            .filter(|x| x.matches(&search.q))
            .map(|x| line(x, today))
            .collect(),
        q: search.q,
    }))
}

/// `GET /can-bo/ho-so/{id}/kho-du-lieu/{doc}`: a document of the applicant's store, for
/// staff handling the dossier; logged in the owner's access log against the dossier.
pub async fn staff_download(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (Ok(id), Ok(doc)) = (id.parse::<i64>(), doc.parse::<i64>()) else {
        return Err(PageError::NotFound);
    };
    let (d, owner) = handled(&app, &who, id).await?;
    let Some(found) = app.db.documents().document(doc).await? else {
        return Err(PageError::NotFound);
    };
    if found.owner_key != owner.key() {
        return Err(PageError::NotFound);
    }
    app.db
        .documents()
        .log_access(
            &found,
            &format!("staff:{}", who.session.staff.id),
            Some(d.id),
            Access::Download,
            app.now().timestamp(),
        )
        .await?;
    Ok(file_of(&app, &found).await?)
}
