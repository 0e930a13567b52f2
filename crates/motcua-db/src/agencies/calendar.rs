//! The working calendar's editable data: announced swaps per date and the office-hours and
//! holiday-rule settings, from which the server builds its `WorkCalendar`.

use chrono::NaiveDate;
use motcua_domain::calendar::{CalendarConfig, DayOverride, HolidayRules, OfficeHours};

use crate::DbError;
use crate::audit::AuditInput;
use crate::rows::RowExt;

const HOURS_KEY: &str = "calendar.office_hours";
const RULES_KEY: &str = "calendar.holiday_rules";

impl super::Agencies<'_> {
    /// The calendar configuration as stored; missing parts take their defaults.
    pub async fn calendar_config(self) -> Result<CalendarConfig, DbError> {
        let (rows, settings) = on_read!(self.db, pool => {
            let rows = sqlx::query("SELECT date, working, name FROM calendar_days ORDER BY date")
                .fetch_all(pool)
                .await?;
            let days = rows
                .iter()
                .map(|row| {
                    let date = row.text("date")?;
                    Ok(DayOverride {
                        date: NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                            .map_err(|_| DbError::Corrupt(format!("ngày “{date}”")))?,
                        working: row.int("working")? != 0,
                        name: row.text("name")?,
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;
            let settings: Vec<(String, String)> = sqlx::query_as(
                "SELECT key, value FROM settings WHERE key IN ($1, $2)",
            )
            .bind(HOURS_KEY)
            .bind(RULES_KEY)
            .fetch_all(pool)
            .await?;
            (days, settings)
        });
        let mut config = CalendarConfig {
            overrides: rows,
            ..CalendarConfig::default()
        };
        for (key, value) in settings {
            if key == HOURS_KEY {
                config.hours = serde_json::from_str::<OfficeHours>(&value)?;
            } else if key == RULES_KEY {
                config.rules = serde_json::from_str::<HolidayRules>(&value)?;
            }
        }
        Ok(config)
    }

    /// Stores (or replaces) the announced status of dates.
    pub async fn set_calendar_days(self, days: &[DayOverride], actor: &str) -> Result<(), DbError> {
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            for day in days {
                sqlx::query(
                    "INSERT INTO calendar_days (date, working, name) VALUES ($1, $2, $3)
                     ON CONFLICT (date) DO UPDATE SET working = excluded.working, name = excluded.name",
                )
                .bind(day.date.to_string())
                .bind(i64::from(day.working))
                .bind(&day.name)
                .execute(&mut *tx)
                .await?;
            }
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: actor.to_string(),
                action: "set_calendar_days".into(),
                entity: "calendar",
                entity_id: "days".into(),
                detail: serde_json::json!({"count": days.len()}),
            }).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Stores the office hours.
    pub async fn set_office_hours(self, hours: &OfficeHours, actor: &str) -> Result<(), DbError> {
        hours.validate()?;
        let value = serde_json::to_string(hours)?;
        crate::settings::put(
            self.db,
            HOURS_KEY,
            &value,
            AuditInput {
                at: crate::now_seconds(),
                actor: actor.to_string(),
                action: "set_office_hours".into(),
                entity: "calendar",
                entity_id: "hours".into(),
                detail: serde_json::json!({"hours": value}),
            },
        )
        .await
    }
}
