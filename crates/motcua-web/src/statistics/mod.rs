//! Thống kê on the web: the query every statistics URL takes, the scope an officer may see
//! (the sub-trees of the agencies they hold a role in), the spreadsheet and the charts.

pub mod chart;
pub mod excel;
pub mod support;

use chrono::{Datelike, NaiveDate};
use motcua_db::{Db, DbError, StatsFilter};
use motcua_domain::agency::AgencyLevel;
use motcua_domain::catalogue::Channel;
use serde::Deserialize;

/// The query string of the statistics API, pages, lists and export.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatsQuery {
    /// First and last day, `YYYY-MM-DD`; by default 1 January of this year to today.
    pub from: Option<String>,
    pub to: Option<String>,
    /// An agency id: that agency and its sub-tree.
    pub agency: Option<String>,
    pub field: Option<String>,
    pub procedure: Option<String>,
    pub level: Option<String>,
    pub channel: Option<String>,
    /// For the lists: which figure, and where to continue.
    pub metric: Option<String>,
    pub after: Option<String>,
    /// `1` (the API's default) reads the per-procedure counter rows, which the 766 figure
    /// counting procedures needs; `0` reads one row per agency and field.
    pub detail: Option<String>,
}

impl StatsQuery {
    /// Whether the detail was asked for (`default` when the query does not say).
    pub fn detail(&self, default: bool) -> bool {
        match self.detail.as_deref().map(str::trim) {
            Some("1" | "true") => true,
            Some("0" | "false") => false,
            _ => default,
        }
    }
}

/// Why a statistics request cannot be answered.
#[derive(Debug)]
pub enum ScopeError {
    /// A parameter that does not parse: (field, Vietnamese message).
    Invalid(&'static str, String),
    /// Outside the officer's agencies.
    Forbidden,
    Db(DbError),
}

impl From<DbError> for ScopeError {
    fn from(e: DbError) -> Self {
        Self::Db(e)
    }
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parse_enum<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

fn date(field: &'static str, v: &Option<String>) -> Result<Option<NaiveDate>, ScopeError> {
    blank(v)
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                ScopeError::Invalid(field, format!("ngày “{s}” không đúng dạng YYYY-MM-DD"))
            })
        })
        .transpose()
}

impl StatsQuery {
    /// The filter this query asks for, with the agency checked against what `staff_id` may
    /// see; without an agency, the widest agency the officer holds a role in.
    pub async fn filter(
        &self,
        db: &Db,
        staff_id: i64,
        today: NaiveDate,
    ) -> Result<StatsFilter, ScopeError> {
        let from = date("from", &self.from)?
            .or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1))
            .unwrap_or(today);
        let to = date("to", &self.to)?.unwrap_or(today);
        if from > to {
            return Err(ScopeError::Invalid(
                "from",
                "ngày bắt đầu phải trước ngày kết thúc".into(),
            ));
        }
        if (to - from).num_days() > 3660 {
            return Err(ScopeError::Invalid(
                "to",
                "kỳ thống kê dài tối đa 10 năm".into(),
            ));
        }
        let level = match blank(&self.level) {
            Some(l) => Some(
                parse_enum::<AgencyLevel>(l)
                    .ok_or_else(|| ScopeError::Invalid("level", format!("không có cấp “{l}”")))?,
            ),
            None => None,
        };
        let channel =
            match blank(&self.channel) {
                Some(c) => Some(parse_enum::<Channel>(c).ok_or_else(|| {
                    ScopeError::Invalid("channel", format!("không có kênh “{c}”"))
                })?),
                None => None,
            };
        let requested = match blank(&self.agency) {
            Some(a) => Some(a.parse::<i64>().map_err(|_| {
                ScopeError::Invalid("agency", format!("mã cơ quan “{a}” phải là số"))
            })?),
            None => None,
        };
        let agency = scope(db, staff_id, requested).await?;
        Ok(StatsFilter {
            from,
            to,
            agency_id: Some(agency),
            field_code: blank(&self.field).map(str::to_string),
            procedure_code: blank(&self.procedure).map(str::to_string),
            level,
            channel,
        })
    }
}

/// The agency whose sub-tree the officer sees: `requested` if it lies inside the sub-tree of
/// an agency they hold a role in, otherwise forbidden; without a request, their widest one.
pub async fn scope(db: &Db, staff_id: i64, requested: Option<i64>) -> Result<i64, ScopeError> {
    let mut held = Vec::new();
    for g in db.people().grants(staff_id).await? {
        if let Some(a) = db.agencies().agency(g.agency_id).await? {
            held.push(a);
        }
    }
    match requested {
        Some(id) => {
            let wanted = db
                .agencies()
                .agency(id)
                .await?
                .ok_or(ScopeError::Forbidden)?;
            if held.iter().any(|h| wanted.path.starts_with(&h.path)) {
                Ok(id)
            } else {
                Err(ScopeError::Forbidden)
            }
        }
        None => held
            .iter()
            .min_by_key(|a| a.path.len())
            .map(|a| a.id)
            .ok_or(ScopeError::Forbidden),
    }
}

/// The query string that selects `filter` again (for links to lists and exports).
pub fn query_of(filter: &StatsFilter) -> String {
    let mut q = format!("from={}&to={}", filter.from, filter.to);
    if let Some(a) = filter.agency_id {
        q.push_str(&format!("&agency={a}"));
    }
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    if let Some(f) = &filter.field_code {
        q.push_str(&format!("&field={}", enc(f)));
    }
    if let Some(p) = &filter.procedure_code {
        q.push_str(&format!("&procedure={}", enc(p)));
    }
    if let Some(l) = filter.level
        && let Ok(serde_json::Value::String(s)) = serde_json::to_value(l)
    {
        q.push_str(&format!("&level={s}"));
    }
    if let Some(c) = filter.channel
        && let Ok(serde_json::Value::String(s)) = serde_json::to_value(c)
    {
        q.push_str(&format!("&channel={s}"));
    }
    q
}
