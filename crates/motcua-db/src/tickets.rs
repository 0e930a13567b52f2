//! Số thứ tự — queue tickets: a citizen takes a number for a field at a centre's kiosk; a
//! counter officer calls the next waiting number of the fields their counter serves, calls it
//! again, marks it served or absent. The times kept give the waiting and service statistics.

use motcua_domain::calendar::Instant;
use serde::Serialize;

use crate::rows::RowExt;
use crate::{Db, DbError};

/// A ticket as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    pub id: i64,
    pub agency_id: i64,
    pub day: i64,
    pub number: i64,
    pub field_code: String,
    pub field_name: String,
    /// `waiting`, `called`, `served` or `absent`.
    pub status: String,
    pub issued_at: i64,
    pub called_at: Option<i64>,
    pub counter: Option<String>,
    pub called_by: Option<i64>,
    pub recalls: i64,
    pub finished_at: Option<i64>,
}

impl Ticket {
    /// The number as printed and shown: four digits.
    pub fn label(&self) -> String {
        format!("{:04}", self.number)
    }
}

/// A day's figures for one field at one centre.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketStats {
    pub field_code: String,
    pub field_name: String,
    pub issued: i64,
    pub waiting: i64,
    pub served: i64,
    pub absent: i64,
    /// Average minutes from taking the number to being called.
    pub average_wait_minutes: Option<f64>,
    /// Average minutes from being called to being served.
    pub average_service_minutes: Option<f64>,
}

use crate::days::day_of;

/// The fields a counter serves, as three parameters (none: every field; fewer than three:
/// the first repeated).
macro_rules! fields_match {
    () => {
        fields_match!(3, 4, 5)
    };
    ($a:literal, $b:literal, $c:literal) => {
        concat!(
            "($",
            $a,
            " = '' OR field_code = $",
            $a,
            " OR field_code = $",
            $b,
            " OR field_code = $",
            $c,
            ")"
        )
    };
}

/// Up to three served fields as the parameters of [`fields_match`].
fn field_slots(fields: &[String]) -> (String, String, String) {
    let first = fields.first().cloned().unwrap_or_default();
    let nth = |i: usize| fields.get(i).cloned().unwrap_or_else(|| first.clone());
    (first.clone(), nth(1), nth(2))
}

macro_rules! select_ticket {
    () => {
        "SELECT id, agency_id, day, number, field_code, field_name, status, issued_at,
            called_at, counter, called_by, recalls, finished_at FROM tickets"
    };
}

fn ticket(row: &impl RowExt) -> Result<Ticket, DbError> {
    Ok(Ticket {
        id: row.int("id")?,
        agency_id: row.int("agency_id")?,
        day: row.int("day")?,
        number: row.int("number")?,
        field_code: row.text("field_code")?,
        field_name: row.text("field_name")?,
        status: row.text("status")?,
        issued_at: row.int("issued_at")?,
        called_at: row.opt_int("called_at")?,
        counter: row.opt_text("counter")?,
        called_by: row.opt_int("called_by")?,
        recalls: row.int("recalls")?,
        finished_at: row.opt_int("finished_at")?,
    })
}

const NEXT_NUMBER: &str = "INSERT INTO ticket_counters (agency_id, day, last) VALUES ($1, $2, 1)
    ON CONFLICT (agency_id, day) DO UPDATE SET last = ticket_counters.last + 1 RETURNING last";
const INSERT: &str = "INSERT INTO tickets (agency_id, day, number, field_code, field_name,
    status, issued_at, recalls) VALUES ($1, $2, $3, $4, $5, 'waiting', $6, 0) RETURNING id";
/// Closes what this officer was serving (a new call means the previous citizen is done).
const FINISH_MINE: &str = "UPDATE tickets SET status = 'served', finished_at = $1
    WHERE called_by = $2 AND agency_id = $3 AND day = $4 AND status = 'called'";
/// The oldest waiting ticket of the fields, taken only if still waiting (a concurrent call
/// that took it first leaves nothing to update, and this one tries the next).
const TAKE_NEXT: &str = concat!(
    "UPDATE tickets SET status = 'called', called_at = $1, counter = $2, called_by = $3
    WHERE id = (SELECT id FROM tickets WHERE agency_id = $4 AND day = $5 AND status = 'waiting'
    AND ",
    fields_match!(6, 7, 8),
    " ORDER BY id LIMIT 1) AND status = 'waiting' RETURNING id"
);

/// Số thứ tự — the counters' queue tickets.
#[derive(Debug, Clone, Copy)]
pub struct Tickets<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Số thứ tự: see [`Tickets`].
    pub fn tickets(&self) -> Tickets<'_> {
        Tickets { db: self }
    }
}

impl Tickets<'_> {
    /// Issues the next number of the day at `agency_id` for a field.
    pub async fn take_ticket(
        self,
        agency_id: i64,
        field_code: &str,
        field_name: &str,
        now: Instant,
    ) -> Result<Ticket, DbError> {
        let day = day_of(now);
        let at = now.timestamp();
        let (code, name) = (field_code.to_string(), field_name.to_string());
        let id: i64 = grouped_write!(self.db, conn => {
            let number: i64 = conn.int(NEXT_NUMBER, args![agency_id, day]).await?;
            let id: i64 = conn.insert(INSERT, args![agency_id, day, number, &code, &name, at]).await?;
            Ok(id)
        })?;
        self.ticket(id).await?.ok_or(DbError::NotFound("số thứ tự"))
    }

    pub async fn ticket(self, id: i64) -> Result<Option<Ticket>, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query(concat!(select_ticket!(), " WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(ticket).transpose()
        })
    }

    /// Calls the next waiting number of up to three fields (none: any field) to `counter`
    /// for `staff_id`, closing the one they were serving. None when nobody is waiting.
    pub async fn call_next(
        self,
        agency_id: i64,
        fields: &[String],
        counter: &str,
        staff_id: i64,
        now: Instant,
    ) -> Result<Option<Ticket>, DbError> {
        let day = day_of(now);
        let at = now.timestamp();
        let (f1, f2, f3) = field_slots(fields);
        let counter = counter.trim().to_string();
        for _ in 0..5 {
            let (f1, f2, f3, counter) = (f1.clone(), f2.clone(), f3.clone(), counter.clone());
            let taken: Option<i64> = grouped_write!(self.db, conn => {
                conn.execute(FINISH_MINE, args![at, staff_id, agency_id, day]).await?;
                let id: Option<i64> = conn.opt_int(TAKE_NEXT, args![
                    at,
                    &counter,
                    staff_id,
                    agency_id,
                    day,
                    &f1,
                    &f2,
                    &f3,
                ]).await?;
                Ok(id)
            })?;
            if let Some(id) = taken {
                return self.ticket(id).await;
            }
            if self.waiting_count(agency_id, fields, now).await? == 0 {
                return Ok(None);
            }
        }
        Ok(None)
    }

    /// How many are waiting today at `agency_id` for these fields (none: all).
    pub async fn waiting_count(
        self,
        agency_id: i64,
        fields: &[String],
        now: Instant,
    ) -> Result<i64, DbError> {
        let (f1, f2, f3) = field_slots(fields);
        on_read!(self.db, pool => {
            Ok(sqlx::query_scalar(concat!("SELECT COUNT(*) FROM tickets WHERE agency_id = $1 AND day = $2 AND status = 'waiting' AND ", fields_match!()))
                .bind(agency_id)
                .bind(day_of(now))
                .bind(&f1)
                .bind(&f2)
                .bind(&f3)
                .fetch_one(pool)
                .await?)
        })
    }

    /// How many were waiting before ticket `t` (the number printed on the ticket).
    pub async fn ahead_of(self, t: &Ticket) -> Result<i64, DbError> {
        on_read!(self.db, pool => {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE agency_id = $1 AND day = $2 AND status = 'waiting' AND field_code = $3 AND id < $4")
                .bind(t.agency_id)
                .bind(t.day)
                .bind(&t.field_code)
                .bind(t.id)
                .fetch_one(pool)
                .await?)
        })
    }

    /// The officer's ticket being served now, if any.
    pub async fn serving(
        self,
        agency_id: i64,
        staff_id: i64,
        now: Instant,
    ) -> Result<Option<Ticket>, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query(concat!(select_ticket!(), " WHERE agency_id = $1 AND day = $2 AND called_by = $3 AND status = 'called' ORDER BY called_at DESC LIMIT 1"))
                .bind(agency_id)
                .bind(day_of(now))
                .bind(staff_id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(ticket).transpose()
        })
    }

    /// Ends the officer's called ticket as `served` or `absent`, or calls it again
    /// (`recall`); returns the ticket, or None if they had none called.
    pub async fn finish_ticket(
        self,
        agency_id: i64,
        staff_id: i64,
        outcome: &str,
        now: Instant,
    ) -> Result<Option<Ticket>, DbError> {
        let Some(current) = self.serving(agency_id, staff_id, now).await? else {
            return Ok(None);
        };
        let at = now.timestamp();
        let id = current.id;
        // Served or absent closes the ticket at `at`; a recall only counts one more call.
        let closing: Option<&'static str> = match outcome {
            "served" => Some("served"),
            "absent" => Some("absent"),
            "recall" => None,
            other => {
                return Err(DbError::invalid(
                    "outcome",
                    format!("thao tác “{other}” không hợp lệ"),
                ));
            }
        };
        grouped_write!(self.db, conn => {
            match closing {
                Some(status) => {
                    conn.execute("UPDATE tickets SET status = $1, finished_at = $2 WHERE id = $3 AND status = 'called'", args![
                        status,
                        at,
                        id,
                    ]).await?;
                }
                None => {
                    conn.execute("UPDATE tickets SET recalls = recalls + 1 WHERE id = $1 AND status = 'called'", args![
                        id,
                    ]).await?;
                }
            }
            Ok(())
        })?;
        self.ticket(id).await
    }

    /// The latest calls of the day at `agency_id`, newest first (for the hall's display).
    pub async fn latest_calls(
        self,
        agency_id: i64,
        now: Instant,
        limit: i64,
    ) -> Result<Vec<Ticket>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(concat!(select_ticket!(), " WHERE agency_id = $1 AND day = $2 AND called_at IS NOT NULL ORDER BY called_at DESC, id DESC LIMIT $3"))
                .bind(agency_id)
                .bind(day_of(now))
                .bind(limit.clamp(1, 50))
                .fetch_all(pool)
                .await?;
            rows.iter().map(ticket).collect()
        })
    }

    /// Per field, the tickets issued at `agency_id` on days `from..=to` (YYYYMMDD) and their
    /// average waiting and service times.
    pub async fn ticket_stats(
        self,
        agency_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<TicketStats>, DbError> {
        let rows = on_read!(self.db, pool => {
            let rows = sqlx::query(concat!(select_ticket!(), " WHERE agency_id = $1 AND day >= $2 AND day <= $3 ORDER BY field_code, id"))
                .bind(agency_id)
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await?;
            rows.iter().map(ticket).collect::<Result<Vec<_>, DbError>>()?
        });
        let mut out: Vec<TicketStats> = Vec::new();
        let mut waits: Vec<(String, i64)> = Vec::new();
        let mut services: Vec<(String, i64)> = Vec::new();
        for t in &rows {
            if out.last().is_none_or(|s| s.field_code != t.field_code) {
                out.push(TicketStats {
                    field_code: t.field_code.clone(),
                    field_name: t.field_name.clone(),
                    issued: 0,
                    waiting: 0,
                    served: 0,
                    absent: 0,
                    average_wait_minutes: None,
                    average_service_minutes: None,
                });
            }
            if let Some(s) = out.last_mut() {
                s.issued += 1;
                match t.status.as_str() {
                    "waiting" => s.waiting += 1,
                    "served" => s.served += 1,
                    "absent" => s.absent += 1,
                    _ => {}
                }
            }
            if let Some(called) = t.called_at {
                waits.push((t.field_code.clone(), called - t.issued_at));
                if let (Some(done), "served") = (t.finished_at, t.status.as_str()) {
                    services.push((t.field_code.clone(), done - called));
                }
            }
        }
        let average = |list: &[(String, i64)], field: &str| {
            let mine: Vec<i64> = list
                .iter()
                .filter(|(f, _)| f == field)
                .map(|(_, s)| *s)
                .collect();
            (!mine.is_empty()).then(|| {
                (mine.iter().sum::<i64>() as f64 / mine.len() as f64 / 60.0 * 10.0).round() / 10.0
            })
        };
        for s in &mut out {
            s.average_wait_minutes = average(&waits, &s.field_code);
            s.average_service_minutes = average(&services, &s.field_code);
        }
        Ok(out)
    }

    /// The catalogue's fields (code, name), for the kiosk.
    pub async fn fields(self) -> Result<Vec<(String, String)>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query("SELECT DISTINCT field_code, field_name FROM procedures")
                .fetch_all(pool)
                .await?;
            let mut fields = rows
                .iter()
                .map(|r| Ok((r.text("field_code")?, r.text("field_name")?)))
                .collect::<Result<Vec<_>, DbError>>()?;
            // In Vietnamese order (Đ after D), which no engine's collation gives everywhere.
            fields.sort_by_cached_key(|(_, name)| motcua_domain::text::vi_sort_key(name));
            Ok(fields)
        })
    }
}
