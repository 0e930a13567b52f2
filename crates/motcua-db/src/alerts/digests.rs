//! Bản tin đầu ngày — the leaders' morning lists. At the start of office hours on a working
//! day each active leader (of an agency or a unit) gets the list of the dossiers of their
//! agencies that are overdue, due today or by the next working day, and the apologies
//! waiting for approval: which dossier goes on which line and whose list is the domain's
//! decision ([`digest_groups`], [`digest_agencies`]). The list is kept as it was made, shown
//! in the application, and sent by e-mail or Zalo to those who chose so, in the same
//! transaction; one list per leader and day, whatever the number of sweeps or nodes.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use motcua_domain::calendar::{Instant, WorkCalendar, format_vi, vietnam_offset};
use motcua_domain::dossier::{
    DIGEST_ROLES, DigestGroup, digest_agencies, digest_groups, digest_time, next_working_day,
};
use serde::{Deserialize, Serialize};

use crate::DbError;
use crate::alerts::{ProcedureNames, Reach, enqueue_for};
use crate::rows::RowExt;

/// One dossier on a line of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestItem {
    pub dossier_id: i64,
    pub code: String,
    pub procedure: String,
    pub due: Option<Instant>,
}

/// One line of the list and its dossiers (oldest appointment first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestSection {
    pub group: DigestGroup,
    pub items: Vec<DigestItem>,
}

/// A leader's list of one day, as it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Digest {
    pub day: NaiveDate,
    pub created_at: Instant,
    pub sections: Vec<DigestSection>,
    pub read: bool,
}

impl Digest {
    /// How many dossiers it lists (one listed under two lines counts twice).
    pub fn count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }
}

/// Active leaders without a list for the day `$1`, with their agencies.
const LEADERS: &str = "SELECT DISTINCT r.staff_id, r.agency_id FROM staff_roles r
    JOIN staff s ON s.id = r.staff_id
    WHERE r.role IN ($2, $3) AND s.active = 1
      AND NOT EXISTS (SELECT 1 FROM digests g WHERE g.staff_id = r.staff_id AND g.day = $1)
    ORDER BY r.staff_id, r.agency_id";
/// Running dossiers due before `$1` (the end of the next working day; the overdue ones
/// too), and those with an apology proposed since `$2`.
const CANDIDATES: &str = "SELECT id FROM dossiers WHERE status IN (1, 2, 4) AND sort_due < $1
    UNION SELECT dossier_id FROM dossier_history
        WHERE action = 'propose_apology' AND at >= $2
    ORDER BY 1";
const STORE: &str = "INSERT INTO digests (staff_id, day, created_at, content)
    VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

impl super::Alerts<'_> {
    /// Makes the morning lists owed at `now` (none before the start of office hours or on
    /// a day off) and sends them; how many were made.
    pub async fn send_digests(self, now: Instant, calendar: &WorkCalendar) -> Result<u64, DbError> {
        let today = now.with_timezone(&vietnam_offset()).date_naive();
        match digest_time(calendar, today)? {
            Some(start) if start <= now => {}
            _ => return Ok(0),
        }
        let day = today.format("%Y-%m-%d").to_string();
        let [first, second] = DIGEST_ROLES.map(|r| r.as_str());
        let leaders: Vec<(i64, i64)> = on_read!(self.db, pool => {
            sqlx::query_as(LEADERS)
                .bind(&day)
                .bind(first)
                .bind(second)
                .fetch_all(pool)
                .await?
        });
        if leaders.is_empty() {
            return Ok(0);
        }
        let mut agencies_of: HashMap<i64, BTreeSet<i64>> = HashMap::new();
        for (staff, agency) in leaders {
            agencies_of.entry(staff).or_default().insert(agency);
        }
        let sections = self.digest_sections(now, calendar, today).await?;

        let date_vi = today.format("%d/%m/%Y").to_string();
        let mut writes = Vec::with_capacity(agencies_of.len());
        for (staff, agencies) in agencies_of {
            let mine: Vec<DigestSection> = DigestGroup::ALL
                .into_iter()
                .map(|group| DigestSection {
                    group,
                    items: sections
                        .iter()
                        .filter(|(g, agency, _)| *g == group && agencies.contains(agency))
                        .map(|(_, _, item)| item.clone())
                        .fold(Vec::new(), |mut out: Vec<DigestItem>, item| {
                            if !out.iter().any(|i| i.dossier_id == item.dossier_id) {
                                out.push(item);
                            }
                            out
                        }),
                })
                .collect();
            let content = serde_json::to_string(&mine)
                .map_err(|e| DbError::Corrupt(format!("bản tin: {e}")))?;
            let listed = mine.iter().any(|s| !s.items.is_empty());
            let reach = if listed {
                self.reach(staff).await?
            } else {
                // Nothing to tell: the list is kept, no message is sent.
                Reach::default()
            };
            let payload = serde_json::json!({
                "event": "digest",
                "officer": reach.name,
                "date": date_vi,
                "groups": mine.iter().filter(|s| !s.items.is_empty()).map(|s| serde_json::json!({
                    "title": s.group.title_vi(),
                    "items": s.items.iter().map(|i| serde_json::json!({
                        "code": i.code,
                        "procedure": i.procedure,
                        "due": i.due.map(format_vi).unwrap_or_default(),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
            .to_string();
            writes.push((staff, content, reach, payload));
        }
        let at = now.timestamp();
        let made = grouped_write!(self.db, conn => {
            let mut made = 0u64;
            for (staff, content, reach, payload) in &writes {
                let new = conn.execute(STORE, args![*staff, &day, at, content]).await?;
                if new > 0 {
                    enqueue_for(conn, reach, "digest", payload, at).await?;
                }
                made += new;
            }
            Ok::<_, DbError>(made)
        })?;
        Ok(made)
    }

    /// Every (line, agency, dossier) of the day's lists: each dossier under each of its
    /// lines, once per agency whose leaders list it.
    async fn digest_sections(
        self,
        now: Instant,
        calendar: &WorkCalendar,
        today: NaiveDate,
    ) -> Result<Vec<(DigestGroup, i64, DigestItem)>, DbError> {
        let after_next = next_working_day(calendar, today)?
            .succ_opt()
            .ok_or_else(|| DbError::Internal("ngày ngoài lịch".into()))?;
        let bound = calendar.start_of(after_next)?.timestamp();
        let since = (now - chrono::Duration::days(60)).timestamp();
        let ids: Vec<i64> = on_read!(self.db, pool => {
            sqlx::query_scalar(CANDIDATES)
                .bind(bound)
                .bind(since)
                .fetch_all(pool)
                .await?
        });
        let mut names = ProcedureNames::default();
        let mut out = Vec::new();
        for id in ids {
            let Some(d) = self.db.dossiers().dossier(id).await? else {
                continue;
            };
            let groups = digest_groups(&d.state, now, calendar)?;
            if groups.is_empty() {
                continue;
            }
            let item = DigestItem {
                dossier_id: d.id,
                code: d.code.clone(),
                procedure: names.name(self.db, d.procedure_version_id).await?,
                due: d.state.due,
            };
            for group in groups {
                for agency in digest_agencies(&d.state) {
                    out.push((group, agency, item.clone()));
                }
            }
        }
        out.sort_by_key(|(_, _, i)| (i.due, i.dossier_id));
        Ok(out)
    }

    /// A leader's latest morning list, if any.
    pub async fn latest_digest(self, staff_id: i64) -> Result<Option<Digest>, DbError> {
        on_read!(self.db, pool => {
            let Some(row) = sqlx::query(
                "SELECT day, created_at, content, read_at FROM digests
                 WHERE staff_id = $1 ORDER BY day DESC LIMIT 1",
            )
            .bind(staff_id)
            .fetch_optional(pool)
            .await?
            else {
                return Ok(None);
            };
            let day = NaiveDate::parse_from_str(&row.text("day")?, "%Y-%m-%d")
                .map_err(|e| DbError::Corrupt(format!("ngày của bản tin: {e}")))?;
            let sections = serde_json::from_str(&row.text("content")?)
                .map_err(|e| DbError::Corrupt(format!("bản tin: {e}")))?;
            Ok(Some(Digest {
                day,
                created_at: crate::rows::instant(row.int("created_at")?)?,
                sections,
                read: row.opt_int("read_at")?.is_some(),
            }))
        })
    }
}
