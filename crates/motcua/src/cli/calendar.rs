//! `motcua calendar …`: the working calendar's rules, answerable from the command line.

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat};
use clap::{Args, Subcommand};
use motcua_domain::calendar::{
    CalendarConfig, DeadlinePolicy, LunarDate, SpecialDay, SuspensionPolicy, TimeLimit,
    WorkCalendar, lunar_to_solar, shipped_overrides, solar_to_lunar,
};
use serde::Serialize;

#[derive(Debug, Args)]
pub struct CalendarArgs {
    #[command(subcommand)]
    command: CalendarCommand,
}

#[derive(Debug, Subcommand)]
enum CalendarCommand {
    /// Days of a year that differ from "Monday–Friday work, weekend rest".
    Holidays {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        json: bool,
    },
    /// The appointment for something received at an instant.
    Deadline(DeadlineArgs),
    /// Solar → lunar date.
    Lunar {
        /// Solar date, YYYY-MM-DD.
        date: String,
        #[arg(long)]
        json: bool,
    },
    /// Lunar → solar date.
    Solar {
        /// Lunar date, YYYY-MM-DD.
        #[arg(long)]
        lunar: String,
        /// The date is in the leap (nhuận) month.
        #[arg(long)]
        leap: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
struct DeadlineArgs {
    /// Instant of receipt, ISO 8601 with offset (2026-02-13T10:00:00+07:00).
    #[arg(long)]
    received: String,
    #[arg(long, allow_negative_numbers = true, group = "limit")]
    working_days: Option<i64>,
    #[arg(long, allow_negative_numbers = true, group = "limit")]
    working_hours: Option<i64>,
    #[arg(long, allow_negative_numbers = true, group = "limit")]
    calendar_days: Option<i64>,
    /// Daily cut-off (HH:MM): received after it, counting starts the next working day.
    #[arg(long)]
    cutoff: Option<String>,
    #[arg(long)]
    json: bool,
}

fn calendar() -> anyhow::Result<WorkCalendar> {
    let config = CalendarConfig {
        overrides: shipped_overrides()?,
        ..CalendarConfig::default()
    };
    Ok(WorkCalendar::new(config)?)
}

fn parse_date(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .with_context(|| format!("“{text}” không phải ngày hợp lệ (YYYY-MM-DD)"))
}

fn amount(name: &str, value: i64) -> anyhow::Result<u32> {
    if value < 0 {
        bail!("--{name} không được âm (nhận được {value})");
    }
    u32::try_from(value)
        .ok()
        .filter(|v| *v <= 36_500)
        .with_context(|| format!("--{name} quá lớn (nhận được {value}, tối đa 36500)"))
}

fn iso(instant: DateTime<chrono::FixedOffset>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, false)
}

pub fn run(args: CalendarArgs) -> anyhow::Result<()> {
    match args.command {
        CalendarCommand::Holidays { year, json } => {
            let days = calendar()?.special_days(year)?;
            if json {
                #[derive(Serialize)]
                struct Year<'a> {
                    year: i32,
                    days: &'a [SpecialDay],
                }
                println!("{}", serde_json::to_string(&Year { year, days: &days })?);
            } else {
                for d in days {
                    let status = if d.working { "làm việc" } else { "nghỉ" };
                    println!("{}  {:<9} {}", d.date.format("%d/%m/%Y %a"), status, d.name);
                }
            }
        }
        CalendarCommand::Deadline(d) => deadline(d)?,
        CalendarCommand::Lunar { date, json } => {
            let solar = parse_date(&date)?;
            let lunar = solar_to_lunar(solar)?;
            if json {
                #[derive(Serialize)]
                struct Out {
                    solar: NaiveDate,
                    lunar: LunarDate,
                }
                println!("{}", serde_json::to_string(&Out { solar, lunar })?);
            } else {
                println!("{} dương lịch = {lunar} âm lịch", solar.format("%d/%m/%Y"));
            }
        }
        CalendarCommand::Solar { lunar, leap, json } => {
            let parts: Vec<&str> = lunar.split('-').collect();
            let parsed = match parts.as_slice() {
                [y, m, d] => (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()),
                _ => bail!("“{lunar}” không phải ngày âm lịch hợp lệ (YYYY-MM-DD)"),
            };
            let (Ok(year), Ok(month), Ok(day)) = parsed else {
                bail!("“{lunar}” không phải ngày âm lịch hợp lệ (YYYY-MM-DD)");
            };
            let date = LunarDate {
                year,
                month,
                day,
                leap,
            };
            let solar = lunar_to_solar(date)?;
            if json {
                #[derive(Serialize)]
                struct Out {
                    lunar: LunarDate,
                    solar: NaiveDate,
                }
                println!("{}", serde_json::to_string(&Out { lunar: date, solar })?);
            } else {
                println!("{date} âm lịch = {} dương lịch", solar.format("%d/%m/%Y"));
            }
        }
    }
    Ok(())
}

fn deadline(args: DeadlineArgs) -> anyhow::Result<()> {
    let received = DateTime::parse_from_rfc3339(&args.received).with_context(|| {
        format!(
            "--received “{}” không phải thời điểm ISO 8601 có múi giờ (ví dụ 2026-02-13T10:00:00+07:00)",
            args.received
        )
    })?;
    let limit = match (args.working_days, args.working_hours, args.calendar_days) {
        (Some(n), None, None) => TimeLimit::WorkingDays(amount("working-days", n)?),
        (None, Some(n), None) => TimeLimit::WorkingHours(amount("working-hours", n)?),
        (None, None, Some(n)) => TimeLimit::CalendarDays(amount("calendar-days", n)?),
        _ => bail!("cần đúng một trong --working-days, --working-hours, --calendar-days"),
    };
    let cutoff = match args.cutoff {
        Some(text) => Some(
            NaiveTime::parse_from_str(&text, "%H:%M")
                .with_context(|| format!("--cutoff “{text}” không phải giờ hợp lệ (HH:MM)"))?,
        ),
        None => None,
    };
    let policy = DeadlinePolicy {
        limit,
        cutoff,
        suspension: SuspensionPolicy::Restart,
        apology_cap: None,
    };
    let d = calendar()?.deadline(&policy, received)?;
    if args.json {
        #[derive(Serialize)]
        struct Out {
            received: String,
            start: String,
            due: String,
        }
        let out = Out {
            received: iso(d.received),
            start: iso(d.start),
            due: iso(d.due),
        };
        println!("{}", serde_json::to_string(&out)?);
    } else {
        println!("tiếp nhận: {}", iso(d.received));
        println!("bắt đầu:   {}", iso(d.start));
        println!("hẹn trả:   {}", iso(d.due));
    }
    Ok(())
}
