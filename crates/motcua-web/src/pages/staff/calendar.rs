//! Quản trị lịch làm việc — administrators see a year's days off and worked weekend days,
//! add or change announced swaps, and set office hours; the calendar in force is rebuilt at
//! once from the stored data.

use crate::pages::extract::{PageForm, PageQuery};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use motcua_domain::calendar::{DayOverride, OfficeHours, Period, WorkCalendar};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use super::admin::require_admin;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::{Frame, PageError, render};

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

pub struct DayRow {
    pub date: String,
    pub weekday: &'static str,
    pub working: bool,
    pub name: String,
}

#[derive(Template)]
#[template(path = "staff/calendar.html")]
struct CalendarPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    year: i32,
    days: Vec<DayRow>,
    hours: String,
    saturday: String,
    error: Option<String>,
}

fn weekday(date: NaiveDate) -> &'static str {
    match date.weekday() {
        chrono::Weekday::Mon => "Thứ Hai",
        chrono::Weekday::Tue => "Thứ Ba",
        chrono::Weekday::Wed => "Thứ Tư",
        chrono::Weekday::Thu => "Thứ Năm",
        chrono::Weekday::Fri => "Thứ Sáu",
        chrono::Weekday::Sat => "Thứ Bảy",
        chrono::Weekday::Sun => "Chủ Nhật",
    }
}

fn periods_text(periods: &[Period]) -> String {
    periods
        .iter()
        .map(|p| format!("{}-{}", p.start.format("%H:%M"), p.end.format("%H:%M")))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn page(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    year: i32,
    error: Option<String>,
) -> Result<Response, PageError> {
    let calendar = app.calendar();
    let days = calendar
        .special_days(year)
        .map_err(|_| PageError::NotFound)?
        .into_iter()
        .map(|d| DayRow {
            date: d.date.format("%d/%m/%Y").to_string(),
            weekday: weekday(d.date),
            working: d.working,
            name: d.name,
        })
        .collect();
    let hours = &calendar.config().hours;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = render(&CalendarPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        year,
        days,
        hours: periods_text(&hours.weekday),
        saturday: periods_text(&hours.saturday),
        error,
    });
    Ok((status, body).into_response())
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<YearQuery>,
) -> Result<Response, PageError> {
    require_admin(&app, &who).await?;
    let year = q.year.unwrap_or_else(|| app.now().year());
    page(&app, &who, Frame::new(&headers, &uri), year, None).await
}

#[derive(Deserialize)]
pub struct Change {
    #[serde(default)]
    csrf: String,
    what: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    working: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    saturday: String,
}

fn parse_periods(text: &str) -> Result<Vec<Period>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Period::parse(p).map_err(|e| e.to_string()))
        .collect()
}

/// Rebuilds the calendar in force from the stored data.
async fn reload(app: &AppState) -> Result<(), String> {
    let config = app
        .db
        .agencies()
        .calendar_config()
        .await
        .map_err(|e| e.to_string())?;
    let calendar = WorkCalendar::new(config).map_err(|e| e.to_string())?;
    app.set_calendar(calendar);
    Ok(())
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
    let mut year = app.now().year();
    let result: Result<(), String> = match c.what.as_str() {
        "day" => match NaiveDate::parse_from_str(c.date.trim(), "%Y-%m-%d") {
            Err(_) => Err("Ngày không hợp lệ (YYYY-MM-DD)".into()),
            Ok(date) if c.name.trim().is_empty() => {
                year = date.year();
                Err("Cần ghi tên hoặc lý do của ngày (ví dụ: Nghỉ hoán đổi…)".into())
            }
            Ok(date) => {
                year = date.year();
                let day = DayOverride {
                    date,
                    working: c.working == "yes",
                    name: motcua_domain::text::nfc(c.name.trim()),
                };
                match app.db.agencies().set_calendar_days(&[day], &actor).await {
                    Ok(()) => reload(&app).await,
                    Err(e) => Err(e.to_string()),
                }
            }
        },
        "hours" => match (parse_periods(&c.hours), parse_periods(&c.saturday)) {
            (Ok(weekday), Ok(saturday)) => {
                let hours = OfficeHours { weekday, saturday };
                match app.db.agencies().set_office_hours(&hours, &actor).await {
                    Ok(()) => reload(&app).await,
                    Err(e) => Err(e.to_string()),
                }
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        },
        other => Err(format!("Yêu cầu “{other}” không hợp lệ")),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/can-bo/quan-tri/lich?year={year}")).into_response()),
        Err(message) => page(&app, &who, Frame::new(&headers, &uri), year, Some(message)).await,
    }
}
