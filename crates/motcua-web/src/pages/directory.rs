//! Danh bạ — the public directory of the centre and the agencies: the leaders and officers
//! who receive and resolve dossiers, with title and phone (ND 61 publishes them), agency by
//! agency in the tree's order. Administrators and supervisors are not listed.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use motcua_domain::agency::Role;
use std::sync::Arc;

use super::{Frame, PageError, render};
use crate::AppState;
use crate::i18n::Tr;

pub struct Person {
    pub name: String,
    pub title: String,
    pub roles: String,
    pub phone: String,
}

pub struct Unit {
    pub name: String,
    pub depth: usize,
    pub phone: String,
    pub address: String,
    pub people: Vec<Person>,
}

#[derive(Template)]
#[template(path = "directory.html")]
struct Directory {
    t: Tr,
    other_lang: &'static str,
    back: String,
    units: Vec<Unit>,
}

pub async fn directory(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let mut agencies = app.db.agencies().all().await?;
    // Tree order: the materialized path sorts parents before their children.
    agencies.sort_by(|a, b| a.path.cmp(&b.path));
    let people = app.db.people().directory().await?;
    let public = [
        Role::AgencyLeader,
        Role::UnitLeader,
        Role::CounterOfficer,
        Role::Specialist,
    ];
    let units = agencies
        .into_iter()
        .map(|a| {
            let mut listed: Vec<(usize, Person)> = people
                .iter()
                .filter(|(agency, _, _)| *agency == a.id)
                .filter_map(|(_, s, roles)| {
                    let shown: Vec<&Role> = public.iter().filter(|r| roles.contains(r)).collect();
                    let rank = public.iter().position(|r| roles.contains(r))?;
                    Some((
                        rank,
                        Person {
                            name: s.full_name.clone(),
                            title: s.title.clone().unwrap_or_default(),
                            roles: shown
                                .iter()
                                .map(|r| r.label_vi())
                                .collect::<Vec<_>>()
                                .join(", "),
                            phone: s.phone.clone().unwrap_or_default(),
                        },
                    ))
                })
                .collect();
            listed.sort_by_key(|(rank, _)| *rank);
            Unit {
                depth: a.path.matches('/').count().saturating_sub(2),
                name: a.name,
                phone: a.phone.unwrap_or_default(),
                address: a.address.unwrap_or_default(),
                people: listed.into_iter().map(|(_, p)| p).collect(),
            }
        })
        .filter(|u| !u.people.is_empty())
        .collect();
    Ok(render(&Directory {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        units,
    }))
}
