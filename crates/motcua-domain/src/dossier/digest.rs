//! Bản tin đầu ngày — the leaders' morning list: when it goes out (the start of office
//! hours on a working day), which of a dossier's lines it belongs under (overdue, due
//! today, due by the next working day, an apology waiting for approval) and whose list it
//! is on (the leaders of the competent agency and of the agency holding it). Overdue is the
//! one rule of [`DossierState::overdue_at`]; a dossier waiting for the citizen is paused
//! and listed under none of the due lines.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{DossierState, Status};
use crate::agency::Role;
use crate::calendar::{CalendarError, Instant, WorkCalendar, vietnam_offset};

/// A line of the morning list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestGroup {
    /// Past its appointment and still in the agencies' hands.
    Overdue,
    /// Due today.
    DueToday,
    /// Due after today, by the end of the next working day.
    DueNextDay,
    /// An apology and a new date proposed, not yet approved.
    ApologyAwaiting,
}

impl DigestGroup {
    pub const ALL: [DigestGroup; 4] = [
        Self::Overdue,
        Self::DueToday,
        Self::DueNextDay,
        Self::ApologyAwaiting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Overdue => "overdue",
            Self::DueToday => "due_today",
            Self::DueNextDay => "due_next_day",
            Self::ApologyAwaiting => "apology_awaiting",
        }
    }

    pub fn title_vi(self) -> &'static str {
        match self {
            Self::Overdue => "Hồ sơ đã quá hạn",
            Self::DueToday => "Hồ sơ đến hạn hôm nay",
            Self::DueNextDay => "Hồ sơ đến hạn ngày làm việc tiếp theo",
            Self::ApologyAwaiting => "Đề xuất xin lỗi, hẹn lại chờ phê duyệt",
        }
    }
}

/// Who receives the morning list: the heads of an agency and of its units.
pub const DIGEST_ROLES: [Role; 2] = [Role::AgencyLeader, Role::UnitLeader];

/// When the list of `date` goes out: the first working instant of the day, or `None` on a
/// day off.
pub fn digest_time(
    calendar: &WorkCalendar,
    date: NaiveDate,
) -> Result<Option<Instant>, CalendarError> {
    if !calendar.is_working_day(date)? {
        return Ok(None);
    }
    let midnight = calendar.start_of(date)?;
    calendar.add_working_seconds(midnight, 0).map(Some)
}

/// The working day after `date` (within the calendar's range).
pub fn next_working_day(
    calendar: &WorkCalendar,
    date: NaiveDate,
) -> Result<NaiveDate, CalendarError> {
    let mut day = date;
    // Tết and its neighbouring weekends never close more than a few weeks in a row.
    for _ in 0..60 {
        day = day
            .succ_opt()
            .ok_or(CalendarError::Internal("next working day"))?;
        if calendar.is_working_day(day)? {
            return Ok(day);
        }
    }
    Err(CalendarError::Internal("no working day within 60 days"))
}

/// The lines of the list of `now`'s day (in Vietnam) that `state` belongs under; empty for
/// a dossier that is ended, not yet accepted, or due later.
pub fn digest_groups(
    state: &DossierState,
    now: Instant,
    calendar: &WorkCalendar,
) -> Result<Vec<DigestGroup>, CalendarError> {
    if !matches!(
        state.status,
        Status::Accepted
            | Status::Processing
            | Status::AwaitingSupplement
            | Status::AwaitingPayment
    ) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let waiting = matches!(
        state.status,
        Status::AwaitingSupplement | Status::AwaitingPayment
    );
    if state.overdue_at(now) {
        out.push(DigestGroup::Overdue);
    } else if let (Some(due), false) = (state.due, waiting) {
        let today = now.with_timezone(&vietnam_offset()).date_naive();
        let day = due.with_timezone(&vietnam_offset()).date_naive();
        if day == today {
            out.push(DigestGroup::DueToday);
        } else if day > today && day <= next_working_day(calendar, today)? {
            out.push(DigestGroup::DueNextDay);
        }
    }
    if state
        .apology
        .as_ref()
        .is_some_and(|a| a.approved_at.is_none())
    {
        out.push(DigestGroup::ApologyAwaiting);
    }
    Ok(out)
}

/// The agencies whose leaders list the dossier: the competent one and the one holding it.
pub fn digest_agencies(state: &DossierState) -> Vec<i64> {
    let mut out = vec![state.competent_agency(), state.current_agency];
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::SuspensionPolicy;
    use crate::catalogue::Channel;
    use crate::dossier::tests::{CAL, at, received};

    /// Received Monday 2 March 2026 at 08:00 with five working days: due Monday 9 March at
    /// 08:00.
    fn dossier() -> DossierState {
        received(
            Channel::Counter,
            "2026-03-02T08:00:00+07:00",
            SuspensionPolicy::Restart,
        )
    }

    fn groups(s: &DossierState, when: &str) -> Vec<DigestGroup> {
        digest_groups(s, at(when), &CAL).unwrap()
    }

    #[test]
    fn the_list_goes_out_at_the_start_of_office_hours_on_working_days() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        assert_eq!(
            digest_time(&CAL, day("2026-03-09")).unwrap(),
            Some(at("2026-03-09T07:00:00+07:00"))
        );
        assert_eq!(digest_time(&CAL, day("2026-03-07")).unwrap(), None);
        // 30/4 and 1/5 are holidays; the next working day after Wednesday 29 April is
        // Monday 4 May.
        assert_eq!(digest_time(&CAL, day("2026-04-30")).unwrap(), None);
        assert_eq!(
            next_working_day(&CAL, day("2026-04-29")).unwrap(),
            day("2026-05-04")
        );
    }

    /// On Friday 6 March the next working day is Monday 9 March: the dossier is listed as
    /// due by then; on Monday at 07:00 it is due today; at 08:01 it is overdue.
    #[test]
    fn due_lines_follow_the_working_calendar_and_the_one_overdue_rule() {
        let s = dossier();
        assert!(groups(&s, "2026-03-05T07:00:00+07:00").is_empty());
        assert_eq!(
            groups(&s, "2026-03-06T07:00:00+07:00"),
            vec![DigestGroup::DueNextDay]
        );
        assert_eq!(
            groups(&s, "2026-03-09T07:00:00+07:00"),
            vec![DigestGroup::DueToday]
        );
        assert_eq!(
            groups(&s, "2026-03-09T08:01:00+07:00"),
            vec![DigestGroup::Overdue]
        );
        assert_eq!(
            groups(&s, "2026-03-10T07:00:00+07:00"),
            vec![DigestGroup::Overdue]
        );
    }

    #[test]
    fn paused_and_ended_dossiers_are_not_listed_as_due() {
        let mut s = dossier();
        s.status = Status::AwaitingSupplement;
        assert!(groups(&s, "2026-03-09T07:00:00+07:00").is_empty());
        s.status = Status::Returned;
        assert!(groups(&s, "2026-03-10T07:00:00+07:00").is_empty());
    }

    #[test]
    fn an_apology_waiting_for_approval_is_listed() {
        let mut s = dossier();
        s.apology = Some(crate::dossier::Apology {
            reason: "Chờ xác minh".into(),
            previous_due: s.due.unwrap_or(at("2026-03-09T08:00:00+07:00")),
            new_due: at("2026-03-13T16:00:00+07:00"),
            proposed_by: 2,
            proposed_at: at("2026-03-05T09:00:00+07:00"),
            approved_by: None,
            approved_at: None,
            issued_late: false,
        });
        assert_eq!(
            groups(&s, "2026-03-06T07:00:00+07:00"),
            vec![DigestGroup::DueNextDay, DigestGroup::ApologyAwaiting]
        );
        // Held at the counter, competent elsewhere: both agencies' leaders list it.
        assert_eq!(
            digest_agencies(&s),
            vec![s.competent_agency(), s.current_agency]
        );
        s.current_agency = s.competent_agency();
        assert_eq!(digest_agencies(&s), vec![s.competent_agency()]);
    }
}
