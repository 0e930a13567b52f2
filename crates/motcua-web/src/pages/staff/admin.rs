//! Quản trị — administrators manage agencies, staff and their roles, and publish procedure
//! versions from a catalogue file (checked line by line; nothing is published on error).

use crate::pages::extract::PageForm;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use motcua_db::{DbError, NewAgency, NewStaff};
use motcua_domain::agency::{AgencyLevel, Role};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::{Frame, PageError, render};

pub async fn require_admin(app: &AppState, who: &SignedIn) -> Result<(), PageError> {
    let grants = app.db.people().grants(who.session.staff.id).await?;
    if grants.iter().any(|g| g.role == Role::Administrator) {
        Ok(())
    } else {
        Err(PageError::Forbidden)
    }
}

pub struct AgencyRow {
    pub code: String,
    pub name: String,
    pub level: &'static str,
    /// The list tags that open this agency's item: nested under its parent's.
    pub before: String,
}

/// The tags before each agency (in path order, `depths` their depth in the tree) that nest
/// them as a tree of lists, and the tags that close the tree after the last.
fn nesting(depths: &[usize]) -> (Vec<String>, String) {
    let mut out = Vec::with_capacity(depths.len());
    let first = depths.iter().copied().min().unwrap_or(0);
    let mut current: Option<usize> = None;
    for &depth in depths {
        let depth = depth.saturating_sub(first);
        out.push(match current {
            None => format!("<li>{}", "<ul><li>".repeat(depth)),
            Some(c) if depth > c => "<ul><li>".repeat(depth - c),
            Some(c) if depth == c => "</li><li>".to_string(),
            Some(c) => format!("</li>{}<li>", "</ul></li>".repeat(c - depth)),
        });
        current = Some(depth);
    }
    let end = match current {
        Some(c) => format!("</li>{}", "</ul></li>".repeat(c)),
        None => String::new(),
    };
    (out, end)
}

pub struct StaffRow {
    pub username: String,
    pub full_name: String,
    pub title: String,
    pub active: bool,
    /// (role code, role label, agency code), each with its own revoke button.
    pub grants: Vec<(&'static str, &'static str, String)>,
}

pub struct ProcedureRow {
    pub code: String,
    pub name: String,
    pub version: i64,
}

#[derive(Template)]
#[template(path = "staff/admin.html")]
struct AdminPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    agencies: Vec<AgencyRow>,
    /// The tags that close the agency tree.
    tree_end: String,
    staff: Vec<StaffRow>,
    procedures: Vec<ProcedureRow>,
    roles: Vec<(&'static str, &'static str)>,
    message: Option<String>,
    errors: Vec<String>,
    catalogue: String,
}

async fn page(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    message: Option<String>,
    errors: Vec<String>,
    catalogue: String,
) -> Result<Response, PageError> {
    let mut agencies = app.db.agencies().all().await?;
    // A tree needs each sub-tree right after its root: paths in byte order, whatever the
    // database's collation says.
    agencies.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    let depths: Vec<usize> = agencies
        .iter()
        .map(|a| a.path.matches('/').count().saturating_sub(2))
        .collect();
    let (before, tree_end) = nesting(&depths);
    let mut staff = Vec::new();
    for s in app.db.people().all_staff().await? {
        let grants = app.db.people().grants(s.id).await?;
        staff.push(StaffRow {
            grants: grants
                .into_iter()
                .map(|g| (g.role.as_str(), g.role.label_vi(), g.agency_code))
                .collect(),
            active: s.active,
            username: s.username,
            full_name: s.full_name,
            title: s.title.unwrap_or_default(),
        });
    }
    let procedures = app
        .db
        .catalogue()
        .procedures(None, None, None)
        .await?
        .into_iter()
        .map(|p| ProcedureRow {
            code: p.code,
            name: p.name,
            version: p.version,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&AdminPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        agencies: agencies
            .iter()
            .zip(before)
            .map(|(a, before)| AgencyRow {
                code: a.code.clone(),
                name: a.name.clone(),
                level: a.level.label_vi(),
                before,
            })
            .collect(),
        tree_end,
        staff,
        procedures,
        roles: Role::ALL
            .iter()
            .map(|r| (r.as_str(), r.label_vi()))
            .collect(),
        message,
        errors,
        catalogue,
    });
    Ok((status, body).into_response())
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    require_admin(&app, &who).await?;
    page(
        &app,
        &who,
        Frame::new(&headers, &uri),
        None,
        Vec::new(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct Change {
    #[serde(default)]
    csrf: String,
    what: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    catalogue: String,
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// What a storage error says to the administrator, or the error itself when it is a fault.
pub(super) fn messages(e: DbError) -> Result<Vec<String>, PageError> {
    match e {
        DbError::Invalid(fields) => Ok(fields.into_iter().map(|f| f.message).collect()),
        other @ (DbError::NotFound(_) | DbError::Forbidden(_)) => Ok(vec![other.to_string()]),
        other => Err(other.into()),
    }
}

pub async fn change(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageForm(c): PageForm<Change>,
) -> Result<Response, PageError> {
    who.check_csrf(&c.csrf)?;
    require_admin(&app, &who).await?;
    let actor = format!("staff:{}", who.session.staff.id);
    let mut catalogue_text = String::new();
    let outcome: Result<String, Vec<String>> = match c.what.as_str() {
        "agency" => {
            let level = match c.level.as_str() {
                "ministry" => AgencyLevel::Ministry,
                "district" => AgencyLevel::District,
                "commune" => AgencyLevel::Commune,
                _ => AgencyLevel::Province,
            };
            let new = NewAgency {
                code: c.code.trim().into(),
                name: c.name.clone(),
                level,
                parent_code: optional(&c.parent),
                phone: None,
                address: None,
            };
            match app.db.agencies().create_agency(&new, &actor).await {
                Ok(a) => Ok(format!("Đã thêm cơ quan {}", a.name)),
                Err(e) => Err(messages(e)?),
            }
        }
        "staff" => {
            let new = NewStaff {
                username: c.username.clone(),
                full_name: c.full_name.clone(),
                title: optional(&c.title),
                ..NewStaff::default()
            };
            match app
                .db
                .people()
                .create_staff_with_password(&new, &c.password, &actor)
                .await
            {
                Ok(s) => Ok(format!("Đã thêm cán bộ {}", s.full_name)),
                Err(e) => Err(messages(e)?),
            }
        }
        "reset" => match app.db.people().staff_by_username(&c.username).await? {
            Some(s) => match app
                .db
                .people()
                .reset_password(s.id, &c.password, &actor)
                .await
            {
                Ok(()) => Ok(format!(
                    "Đã đặt lại mật khẩu cho {}; các phiên đăng nhập và mã API của tài khoản đã bị hủy, lần đăng nhập tới phải đổi mật khẩu",
                    s.full_name
                )),
                Err(e) => Err(messages(e)?),
            },
            None => Err(vec![format!(
                "không có cán bộ tên đăng nhập “{}”",
                c.username.trim()
            )]),
        },
        "disable" | "enable" => match app.db.people().staff_by_username(&c.username).await? {
            Some(s) => {
                let active = c.what == "enable";
                match app
                    .db
                    .people()
                    .set_staff_active(s.id, active, who.session.staff.id)
                    .await
                {
                    Ok(s) if active => Ok(format!("Đã mở lại tài khoản {}", s.full_name)),
                    Ok(s) => Ok(format!(
                        "Đã khóa tài khoản {}; các phiên đăng nhập đã kết thúc",
                        s.full_name
                    )),
                    Err(e) => Err(messages(e)?),
                }
            }
            None => Err(vec![format!(
                "không có cán bộ tên đăng nhập “{}”",
                c.username.trim()
            )]),
        },
        "revoke" => match (
            app.db.people().staff_by_username(&c.username).await?,
            Role::parse(&c.role),
        ) {
            (Some(s), Some(role)) => {
                match app
                    .db
                    .people()
                    .revoke(s.id, c.agency.trim(), role, who.session.staff.id)
                    .await
                {
                    Ok(()) => Ok(format!(
                        "Đã bỏ vai trò {} của {} tại {}",
                        role.label_vi(),
                        s.full_name,
                        c.agency.trim()
                    )),
                    Err(e) => Err(messages(e)?),
                }
            }
            _ => Err(vec!["không có cán bộ hoặc vai trò này".into()]),
        },
        "grant" => match (
            app.db.people().staff_by_username(&c.username).await?,
            Role::parse(&c.role),
        ) {
            (Some(s), Some(role)) => {
                match app
                    .db
                    .people()
                    .grant(s.id, c.agency.trim(), role, &actor)
                    .await
                {
                    Ok(()) => Ok(format!(
                        "Đã giao vai trò {} cho {}",
                        role.label_vi(),
                        s.full_name
                    )),
                    Err(e) => Err(messages(e)?),
                }
            }
            (None, _) => Err(vec![format!("Không có cán bộ “{}”", c.username.trim())]),
            (_, None) => Err(vec!["Vai trò không hợp lệ".into()]),
        },
        "catalogue" => match motcua_domain::catalogue::parse_catalogue(&c.catalogue) {
            Err(errors) => {
                catalogue_text = c.catalogue.clone();
                Err(errors.iter().map(ToString::to_string).collect())
            }
            Ok(procedures) => match app
                .db
                .catalogue()
                .publish_procedures(&procedures, &actor, Some(who.session.staff.id))
                .await
            {
                Ok(published) => {
                    let changed = published.iter().filter(|p| p.changed).count();
                    Ok(format!(
                        "Đã công bố {changed} phiên bản mới; {} thủ tục không thay đổi",
                        published.len() - changed
                    ))
                }
                Err(e) => {
                    catalogue_text = c.catalogue.clone();
                    Err(messages(e)?)
                }
            },
        },
        other => Err(vec![format!("Yêu cầu “{other}” không hợp lệ")]),
    };
    let frame = Frame::new(&headers, &uri);
    match outcome {
        Ok(message) => page(&app, &who, frame, Some(message), Vec::new(), String::new()).await,
        Err(errors) => page(&app, &who, frame, None, errors, catalogue_text).await,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn agencies_nest_as_lists() {
        let (before, end) = super::nesting(&[0, 1, 2, 1, 0, 1]);
        let html: String = before
            .iter()
            .zip(["A", "B", "C", "D", "E", "F"])
            .map(|(b, n)| format!("{b}{n}"))
            .collect::<String>()
            + &end;
        assert_eq!(
            html,
            "<li>A<ul><li>B<ul><li>C</li></ul></li><li>D</li></ul></li><li>E<ul><li>F</li></ul></li>"
        );
        assert_eq!(super::nesting(&[]), (Vec::new(), String::new()));
    }
}
