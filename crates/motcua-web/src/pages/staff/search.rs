//! Tìm hồ sơ — the search in the staff header: a dossier code (whole or from its date on),
//! an applicant's name (diacritics optional), ID number or phone; only the dossiers the
//! officer may see are listed ([`crate::access::may_read`]).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use super::queue::{Row, row};
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::PageQuery;
use crate::pages::{Frame, PageError, render};

/// How many matching dossiers are read, and how many of those the officer may see are shown.
const READ: usize = 150;
const SHOWN: usize = 50;

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "staff/search.html")]
struct SearchPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    /// `None` when the query was too short to search.
    rows: Option<Vec<Row>>,
    none: String,
}

pub async fn search(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<SearchQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let t = frame.t;
    let query: String = q.q.trim().chars().take(100).collect();
    let found = app.db.dossiers().search_dossiers(&query, READ).await?;
    let rows = match found {
        None => None,
        Some(found) => {
            let mut rows = Vec::new();
            for d in &found {
                if crate::access::may_read(&app.db, who.session.staff.id, d).await? {
                    rows.push(row(&app, d, t));
                }
                if rows.len() == SHOWN {
                    break;
                }
            }
            Some(rows)
        }
    };
    let mut nav = who.nav();
    nav.query.clone_from(&query);
    let none = t.get("search.none").replace("{q}", &query);
    Ok(render(&SearchPage {
        nav,
        t,
        other_lang: frame.other_lang,
        back: frame.back,
        none,
        rows,
    }))
}
