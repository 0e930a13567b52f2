//! Hỗ trợ mẫu — the demo's support desk: a fortnight of hotline calls answered from the
//! catalogue, questions about the demo procedures (most answered, the public ones published),
//! and feedback on regulations and on conduct in every state, some past their appointment —
//! all received and moved through the same storage calls as the pages, at past instants.

use anyhow::Context;
use chrono::Duration;
use motcua_db::{Db, NewCase};
use motcua_domain::agency::Role;
use motcua_domain::calendar::{Instant, WorkCalendar};
use motcua_domain::catalogue::Procedure;
use motcua_domain::support::{
    Action, CallChannel, CallOutcome, Channel, Kind, NewCall, Submitter, Visibility,
};

use super::people::applicant;
use super::rng::Rng;

/// Feedback on regulations: title, content, answer.
const REGULATION: [(&str, &str, &str); 4] = [
    (
        "Đề nghị bỏ yêu cầu bản sao chứng thực khi đã có bản điện tử",
        "Khi làm thủ tục tôi vẫn được yêu cầu nộp bản sao có chứng thực giấy khai sinh, trong khi giấy tờ này đã có trong kho dữ liệu điện tử của tôi. Đề nghị cơ quan xem xét không yêu cầu nộp lại giấy tờ đã được số hóa.",
        "Cơ quan đã tiếp thu kiến nghị. Từ nay, giấy tờ đã có trong kho dữ liệu điện tử của công dân được khai thác lại, không yêu cầu nộp bản sao có chứng thực; bộ phận một cửa đã được hướng dẫn thực hiện.",
    ),
    (
        "Mẫu tờ khai chưa thống nhất giữa các nơi tiếp nhận",
        "Mẫu tờ khai tại bộ phận một cửa khác với mẫu đăng trên Cổng dịch vụ công, gây khó khăn khi chuẩn bị hồ sơ. Đề nghị thống nhất một mẫu.",
        "Mẫu tờ khai áp dụng là mẫu ban hành kèm theo quyết định công bố thủ tục hành chính; cơ quan đã cập nhật mẫu tại bộ phận một cửa cho thống nhất với mẫu công khai trên Cổng dịch vụ công.",
    ),
    (
        "Kiến nghị cho phép nộp phí bằng chuyển khoản tại quầy",
        "Tại quầy chỉ nhận tiền mặt. Đề nghị cho phép người dân chuyển khoản hoặc thanh toán trực tuyến phí, lệ phí.",
        "Cơ quan đã triển khai thanh toán trực tuyến phí, lệ phí và nhận chuyển khoản tại quầy; biên lai điện tử được cấp ngay khi thanh toán.",
    ),
    (
        "Thời hạn giải quyết chưa phù hợp thực tế",
        "Thời hạn giải quyết thủ tục được công bố dài hơn nhiều so với thời gian thực tế giải quyết. Đề nghị rút ngắn thời hạn công bố.",
        "Kiến nghị đã được tổng hợp gửi cơ quan có thẩm quyền sửa đổi quy định; trong khi chờ, cơ quan cam kết giải quyết sớm hơn thời hạn quy định.",
    ),
];

/// Feedback on an officer's conduct: title, content, answer.
const CONDUCT: [(&str, &str, &str); 2] = [
    (
        "Cán bộ hẹn trả kết quả chậm mà không báo trước",
        "Hồ sơ của tôi đến ngày hẹn nhưng chưa có kết quả, cán bộ không gọi điện báo trước và chưa có văn bản xin lỗi. Đề nghị cơ quan xem xét.",
        "Cơ quan đã kiểm tra, xác định hồ sơ chậm do phải xác minh thêm; cán bộ chưa thông báo kịp thời đã được nhắc nhở. Cơ quan xin lỗi và đã gửi văn bản hẹn lại ngày trả kết quả.",
    ),
    (
        "Thái độ tiếp dân chưa đúng mực tại quầy",
        "Khi tôi hỏi hướng dẫn bổ sung hồ sơ, cán bộ trả lời thiếu tôn trọng và không hướng dẫn đầy đủ một lần.",
        "Cơ quan đã làm việc với cán bộ liên quan, chấn chỉnh tác phong tiếp dân và hướng dẫn lại đầy đủ nội dung cần bổ sung cho công dân.",
    ),
];

/// How a demo case ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ends {
    Received,
    Handling,
    Review,
    Answered,
    Published,
    Forwarded,
    Refused,
}

const ENDS: [Ends; 7] = [
    Ends::Published,
    Ends::Answered,
    Ends::Handling,
    Ends::Review,
    Ends::Forwarded,
    Ends::Refused,
    Ends::Received,
];

/// Questions are answered (and the public ones published) more often than not.
const QUESTION_ENDS: [Ends; 5] = [
    Ends::Published,
    Ends::Published,
    Ends::Handling,
    Ends::Published,
    Ends::Review,
];

/// Who acts at an agency: an officer who classifies and answers, and a leader.
struct Actors {
    officer: (i64, Vec<Role>),
    leader: Option<(i64, Vec<Role>)>,
}

async fn actors(db: &Db, agency: i64) -> anyhow::Result<Option<Actors>> {
    let mut officer = None;
    let mut leader = None;
    for s in db.people().staff_at(agency).await? {
        let roles = db.people().roles_over(s.id, agency).await?;
        let is_leader = roles
            .iter()
            .any(|r| matches!(r, Role::UnitLeader | Role::AgencyLeader));
        if is_leader && leader.is_none() {
            leader = Some((s.id, roles));
        } else if !is_leader && officer.is_none() && roles.contains(&Role::Specialist) {
            officer = Some((s.id, roles));
        }
    }
    let officer = officer.or_else(|| leader.clone());
    Ok(officer.map(|officer| Actors { officer, leader }))
}

/// A procedure's name cut to fit a title.
fn short(name: &str) -> String {
    if name.chars().count() <= 140 {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(139).collect::<String>())
    }
}

/// The answer to a question about `p`, from its catalogue facts.
fn answer_from(p: &Procedure) -> String {
    let mut parts = vec![format!("Về thủ tục “{}”:", p.name)];
    if let Some(case) = p.cases.first() {
        if let Some(time) = case.times.first() {
            let days = match time.committed.unwrap_or(time.statutory) {
                motcua_domain::calendar::TimeLimit::WorkingDays(n) => format!("{n} ngày làm việc"),
                motcua_domain::calendar::TimeLimit::WorkingHours(n) => format!("{n} giờ làm việc"),
                motcua_domain::calendar::TimeLimit::CalendarDays(n) => format!("{n} ngày"),
            };
            parts.push(format!(
                "thời hạn giải quyết là {days} kể từ khi nhận đủ hồ sơ hợp lệ;"
            ));
        }
        if case.fees.is_empty() {
            parts.push("thủ tục không thu phí, lệ phí;".to_string());
        } else {
            let fees = case
                .fees
                .iter()
                .map(|f| {
                    format!(
                        "{} {}",
                        f.name.to_lowercase(),
                        motcua_domain::text::money_vi(f.amount_vnd)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            parts.push(format!("phí, lệ phí: {fees};"));
        }
        let papers = case
            .components
            .iter()
            .filter(|c| c.required)
            .map(|c| c.name.clone())
            .collect::<Vec<_>>();
        if !papers.is_empty() {
            parts.push(format!("hồ sơ gồm: {}.", papers.join("; ")));
        }
    }
    parts.push(if p.online_level.allows_online_filing() {
        "Ông/bà có thể nộp hồ sơ trực tuyến trên Cổng dịch vụ công hoặc trực tiếp tại Bộ phận Một cửa.".to_string()
    } else {
        "Ông/bà nộp hồ sơ trực tiếp hoặc qua bưu chính tại Bộ phận Một cửa.".to_string()
    });
    parts.join(" ")
}

/// Takes one step, as `who`, at `at`; a step the machine refuses is skipped (logged).
async fn step(
    db: &Db,
    id: i64,
    action: Action,
    who: &(i64, Vec<Role>),
    at: Instant,
) -> anyhow::Result<bool> {
    let Some(case) = db.support().case(id).await? else {
        return Ok(false);
    };
    match db
        .support()
        .act(id, case.version, &action, who.0, &who.1, at)
        .await
    {
        Ok(_) => Ok(true),
        Err(e) => {
            tracing::warn!(case = case.code, error = %e, "demo support step skipped");
            Ok(false)
        }
    }
}

/// Loads the demo desk at instants before `now`; how many cases it received.
pub async fn support_desk(db: &Db, calendar: &WorkCalendar, now: Instant) -> anyhow::Result<usize> {
    let mut rng = Rng::new(0x5a_70_27);
    let agencies = db.agencies().all().await?;
    let mut procedures = Vec::new();
    for s in db.catalogue().procedures(None, None, None).await? {
        if let Some(p) = db.catalogue().procedure(&s.code).await?
            && let Some(agency) = agencies
                .iter()
                .find(|a| p.procedure.agencies.iter().any(|c| c.as_str() == a.code))
            && let Some(who) = actors(db, agency.id).await?
        {
            procedures.push((p.procedure.clone(), agency.id, who));
        }
        if procedures.len() >= 14 {
            break;
        }
    }
    if procedures.is_empty() {
        return Ok(0);
    }
    let mut cases = 0;
    // Questions, feedback on regulations and on conduct, each ending in a chosen state.
    let total = 28;
    for i in 0..total {
        let (p, agency, who) = &procedures[i % procedures.len()];
        let kind = match i % 4 {
            0 | 1 => Kind::Question,
            2 => Kind::Regulation,
            _ => Kind::Conduct,
        };
        let ends = if kind == Kind::Question {
            QUESTION_ENDS[(i / 2) % QUESTION_ENDS.len()]
        } else {
            ENDS[(i / 2) % ENDS.len()]
        };
        // Received 1 to 45 days ago, in office hours; the open ones received long ago are
        // past their appointment.
        let days = 1 + (i as i64 * 37) % 45;
        let received = now - Duration::days(days) - Duration::hours(rng.range(1, 6));
        let person = applicant(false, None, &mut rng);
        let (title, content, answer) = match kind {
            Kind::Question => (
                format!("Hỏi hồ sơ, thời hạn, lệ phí: {}", short(&p.name)),
                format!(
                    "Tôi muốn thực hiện thủ tục “{}”. Xin hỏi cần chuẩn bị những giấy tờ gì, thời hạn giải quyết bao lâu và lệ phí bao nhiêu?",
                    p.name
                ),
                answer_from(p),
            ),
            Kind::Regulation => {
                let (t, c, a) = REGULATION[i % REGULATION.len()];
                (t.to_string(), c.to_string(), a.to_string())
            }
            Kind::Conduct => {
                let (t, c, a) = CONDUCT[i % CONDUCT.len()];
                (t.to_string(), c.to_string(), a.to_string())
            }
        };
        let new = NewCase {
            kind,
            channel: [
                Channel::Online,
                Channel::Counter,
                Channel::Email,
                Channel::Post,
            ][i % 4],
            visibility: if i % 5 == 4 || i == 1 {
                Visibility::Private
            } else {
                Visibility::Public
            },
            agency_id: *agency,
            procedure_code: (kind == Kind::Question || i % 3 == 0)
                .then(|| p.code.as_str().to_string()),
            title,
            content,
            submitter: Submitter {
                name: person.name.clone(),
                phone: person
                    .phone
                    .clone()
                    .unwrap_or_else(|| format!("09{}", rng.digits(8))),
                email: person.email.clone().unwrap_or_default(),
                address: person
                    .address
                    .clone()
                    .unwrap_or_else(|| "Thanh Hóa".to_string()),
            },
            citizen_id: None,
        };
        let opened = db
            .support()
            .open(&new, calendar, received, "demo")
            .await
            .with_context(|| format!("câu hỏi, phản ánh mẫu {i}"))?;
        cases += 1;
        let id = opened.id;
        let mut at = received + Duration::hours(2);
        match ends {
            Ends::Received => continue,
            Ends::Forwarded => {
                let to = "Sở Tư pháp (cơ quan có thẩm quyền theo lĩnh vực)";
                step(db, id, Action::Forward { to: to.into() }, &who.officer, at).await?;
                continue;
            }
            Ends::Refused => {
                let reason = "Nội dung không thuộc phạm vi phản ánh, kiến nghị về quy định hành chính; đã hướng dẫn người gửi thực hiện theo Luật Khiếu nại.";
                step(
                    db,
                    id,
                    Action::Refuse {
                        reason: reason.into(),
                    },
                    &who.officer,
                    at,
                )
                .await?;
                continue;
            }
            _ => {}
        }
        let category = match kind {
            Kind::Question => "procedure",
            Kind::Regulation => ["not_fit", "inconsistent", "proposal", "other"][i % 4],
            Kind::Conduct => "conduct",
        };
        step(
            db,
            id,
            Action::Accept {
                category: category.into(),
                assignee: Some(who.officer.0),
            },
            &who.officer,
            at,
        )
        .await?;
        if ends == Ends::Handling {
            continue;
        }
        // Most are answered within their term; every fifth a little after it.
        let due = opened.due_at;
        at = if i % 5 == 3 {
            due + Duration::days(1)
        } else {
            received + (due - received) / 2
        };
        if at >= now {
            at = now - Duration::hours(1);
        }
        step(db, id, Action::Answer { text: answer }, &who.officer, at).await?;
        let Some(leader) = &who.leader else {
            continue;
        };
        if ends == Ends::Review {
            continue;
        }
        let approve_at = (at + Duration::hours(3)).min(now - Duration::minutes(30));
        step(
            db,
            id,
            Action::Approve {
                publish: ends == Ends::Published,
            },
            leader,
            approve_at,
        )
        .await?;
    }
    // A fortnight of hotline calls, answered from the catalogue.
    let counters = db.agencies().counter_agencies().await?;
    for day in 0..14i64 {
        for n in 0..3i64 {
            let (p, _, _) = &procedures[(day * 3 + n) as usize % procedures.len()];
            let Some(counter) = counters.get(((day + n) as usize) % counters.len().max(1)) else {
                break;
            };
            let Some(officer) = db.people().staff_at(counter.id).await?.into_iter().next() else {
                continue;
            };
            let at = now - Duration::days(day + 1) + Duration::minutes(n * 47);
            let person = applicant(false, None, &mut rng);
            let call = NewCall {
                channel: if n == 2 {
                    CallChannel::Counter
                } else {
                    CallChannel::Phone
                },
                caller_name: if n == 1 { String::new() } else { person.name },
                caller_phone: person.phone.unwrap_or_default(),
                topic: format!("Hỏi thủ tục: {}", short(&p.name)),
                procedure_code: Some(p.code.as_str().to_string()),
                question: "Hỏi thành phần hồ sơ, thời hạn giải quyết và lệ phí.".into(),
                answer: answer_from(p),
                duration_seconds: 60 + rng.range(0, 420),
                outcome: CallOutcome::Answered,
            };
            db.support()
                .record_call(counter.id, officer.id, &call, None, calendar, at)
                .await
                .context("cuộc gọi mẫu")?;
        }
    }
    // Made-up people: never contact them.
    db.outbox()
        .skip_pending_messages("dữ liệu mẫu: không gửi cho người gửi hư cấu")
        .await?;
    Ok(cases)
}
