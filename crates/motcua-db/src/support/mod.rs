//! Hỗ trợ — the support desk's storage: questions and feedback cases with their steps, the
//! hotline log, the code series and the desk's settings. What a case may do and when it is
//! due are decided in [`motcua_domain::support`]; this writes each step in one transaction
//! with its audit entry and the submitter's message, and reads the queues, the public
//! answers and the counts.

mod report;
mod write;

use motcua_domain::calendar::Instant;
use motcua_domain::support::{
    CallChannel, CallOutcome, Channel, Counted, Kind, State, Submitter, SupportPolicy, Visibility,
};
use serde::Serialize;

use crate::rows::{RowExt, instant};
use crate::{Db, DbError};

pub use report::{AgencySupport, SupportReport, SupportRow};
pub use write::NewCase;

/// A case as stored, with the names of its agency and assignee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCase {
    pub id: i64,
    pub code: String,
    /// Mã tra cứu: with the code it opens the case's public tracking page.
    #[serde(skip_serializing)]
    pub secret: String,
    pub kind: Kind,
    pub channel: Channel,
    pub category: String,
    pub visibility: Visibility,
    pub agency_id: i64,
    pub agency_name: String,
    pub procedure_code: Option<String>,
    pub title: String,
    pub content: String,
    pub answer: Option<String>,
    pub note: Option<String>,
    pub submitter: Submitter,
    pub citizen_id: Option<i64>,
    pub state: State,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub received_at: Instant,
    pub classify_due_at: Instant,
    pub due_at: Instant,
    pub ended_at: Option<Instant>,
    pub published_at: Option<Instant>,
    pub version: i64,
    #[serde(skip_serializing)]
    pub words: String,
}

impl StoredCase {
    /// The appointment it answers to now ([`motcua_domain::support::due_in`]).
    pub fn due_now(&self) -> Instant {
        motcua_domain::support::due_in(self.state, self.classify_due_at, self.due_at)
    }

    /// Whether every word of `query` (folded) is in its title, content or answer.
    pub fn matches(&self, query: &str) -> bool {
        let q = motcua_domain::text::fold(query);
        q.split_whitespace().all(|w| self.words.contains(w))
    }
}

/// One step of a case's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseStep {
    pub at: Instant,
    pub actor: String,
    pub actor_name: Option<String>,
    pub action: String,
    pub from_state: Option<State>,
    pub to_state: State,
    pub agency_name: String,
    pub note: Option<String>,
}

/// A call of the hotline log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCall {
    pub id: i64,
    pub at: Instant,
    pub staff_name: String,
    pub agency_id: i64,
    pub channel: CallChannel,
    pub caller_name: String,
    pub caller_phone: String,
    pub topic: String,
    pub procedure_code: Option<String>,
    pub question: String,
    pub answer: String,
    pub duration_seconds: i64,
    pub outcome: CallOutcome,
    pub case_code: Option<String>,
}

/// Which of an agency's cases a queue lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub agency_id: i64,
    /// A state, or `open` for every open one (the default), or `all`.
    pub state: String,
    pub kind: Option<Kind>,
    /// Only those assigned to this officer.
    pub assignee: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

macro_rules! select_cases {
    ($rest:literal) => {
        concat!(
            "SELECT c.id, c.code, c.secret, c.kind, c.channel, c.category, c.visibility, c.agency_id,
                a.name AS agency_name, c.procedure_code, c.title, c.content, c.answer, c.note,
                c.submitter_name, c.submitter_phone, c.submitter_email, c.submitter_address,
                c.citizen_id, c.state, c.assignee_id, s.full_name AS assignee_name, c.received_at,
                c.classify_due_at, c.due_at, c.ended_at, c.published_at, c.version, c.words
            FROM support_cases c JOIN agencies a ON a.id = c.agency_id
                LEFT JOIN staff s ON s.id = c.assignee_id ",
            $rest
        )
    };
}

fn parsed<T>(text: String, parse: fn(&str) -> Option<T>, what: &str) -> Result<T, DbError> {
    parse(&text).ok_or_else(|| DbError::Corrupt(format!("{what} “{text}”")))
}

fn opt_instant(seconds: Option<i64>) -> Result<Option<Instant>, DbError> {
    seconds.map(instant).transpose()
}

pub(crate) fn case_of(r: &impl RowExt) -> Result<StoredCase, DbError> {
    Ok(StoredCase {
        id: r.int("id")?,
        code: r.text("code")?,
        secret: r.text("secret")?,
        kind: parsed(r.text("kind")?, Kind::parse, "loại việc")?,
        channel: parsed(r.text("channel")?, Channel::parse, "kênh tiếp nhận")?,
        category: r.text("category")?,
        visibility: parsed(r.text("visibility")?, Visibility::parse, "chế độ công khai")?,
        agency_id: r.int("agency_id")?,
        agency_name: r.text("agency_name")?,
        procedure_code: r.opt_text("procedure_code")?,
        title: r.text("title")?,
        content: r.text("content")?,
        answer: r.opt_text("answer")?,
        note: r.opt_text("note")?,
        submitter: Submitter {
            name: r.text("submitter_name")?,
            phone: r.text("submitter_phone")?,
            email: r.text("submitter_email")?,
            address: r.text("submitter_address")?,
        },
        citizen_id: r.opt_int("citizen_id")?,
        state: parsed(r.text("state")?, State::parse, "trạng thái")?,
        assignee_id: r.opt_int("assignee_id")?,
        assignee_name: r.opt_text("assignee_name")?,
        received_at: instant(r.int("received_at")?)?,
        classify_due_at: instant(r.int("classify_due_at")?)?,
        due_at: instant(r.int("due_at")?)?,
        ended_at: opt_instant(r.opt_int("ended_at")?)?,
        published_at: opt_instant(r.opt_int("published_at")?)?,
        version: r.int("version")?,
        words: r.text("words")?,
    })
}

/// Hỗ trợ: see the module.
#[derive(Debug, Clone, Copy)]
pub struct Support<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// The support desk: see [`Support`].
    pub fn support(&self) -> Support<'_> {
        Support { db: self }
    }
}

/// Where the desk's settings are kept.
const POLICY_KEY: &str = "support.policy";

/// How many published answers a search reads at most (the newest).
const PUBLISHED_WINDOW: i64 = 5000;

impl Support<'_> {
    /// The desk's settings as stored, else the defaults.
    pub async fn policy(self) -> Result<SupportPolicy, DbError> {
        match crate::settings::get(self.db, POLICY_KEY).await? {
            Some(v) => Ok(serde_json::from_str(&v)?),
            None => Ok(SupportPolicy::default()),
        }
    }

    /// Case `id`.
    pub async fn case(self, id: i64) -> Result<Option<StoredCase>, DbError> {
        const SQL: &str = select_cases!("WHERE c.id = $1");
        Ok(on_read!(self.db, pool => {
            match sqlx::query(SQL).bind(id).fetch_optional(pool).await? {
                Some(r) => Some(case_of(&r)?),
                None => None,
            }
        }))
    }

    /// The case with `code`.
    pub async fn by_code(self, code: &str) -> Result<Option<StoredCase>, DbError> {
        const SQL: &str = select_cases!("WHERE c.code = $1");
        Ok(on_read!(self.db, pool => {
            match sqlx::query(SQL).bind(code.trim().to_uppercase()).fetch_optional(pool).await? {
                Some(r) => Some(case_of(&r)?),
                None => None,
            }
        }))
    }

    /// An agency's cases: open ones by their appointment, the others newest first.
    pub async fn queue(self, f: &CaseFilter) -> Result<Vec<StoredCase>, DbError> {
        const OPEN: &str = select_cases!(
            "WHERE c.agency_id = $1 AND c.state IN ('received', 'handling', 'review')
                AND ($2 = '' OR c.kind = $2) AND ($3 = 0 OR c.assignee_id = $3)
            ORDER BY CASE WHEN c.state = 'received' THEN c.classify_due_at ELSE c.due_at END, c.id
            LIMIT $4 OFFSET $5"
        );
        const ONE: &str = select_cases!(
            "WHERE c.agency_id = $1 AND ($6 = 'all' OR c.state = $6)
                AND ($2 = '' OR c.kind = $2) AND ($3 = 0 OR c.assignee_id = $3)
            ORDER BY c.received_at DESC, c.id DESC LIMIT $4 OFFSET $5"
        );
        let open = f.state.is_empty() || f.state == "open";
        let kind = f.kind.map_or("", Kind::as_str);
        let limit = f.limit.clamp(1, 500);
        let rows = on_read!(self.db, pool => {
            let q = sqlx::query(if open { OPEN } else { ONE })
                .bind(f.agency_id)
                .bind(kind)
                .bind(f.assignee.unwrap_or(0))
                .bind(limit)
                .bind(f.offset.max(0));
            let q = if open { q } else { q.bind(&f.state) };
            q.fetch_all(pool).await?.iter().map(case_of).collect::<Result<Vec<_>, DbError>>()?
        });
        Ok(rows)
    }

    /// How many open cases of `agency_id` are past the appointment they answer to at `now`
    /// (every open case, reading only its state and appointments).
    pub async fn overdue_count(self, agency_id: i64, now: Instant) -> Result<i64, DbError> {
        const SQL: &str = "SELECT state, classify_due_at, due_at FROM support_cases
            WHERE agency_id = $1 AND state IN ('received', 'handling', 'review')";
        let rows = on_read!(self.db, pool => {
            sqlx::query(SQL).bind(agency_id).fetch_all(pool).await?
                .iter()
                .map(|r| Ok((
                    parsed(r.text("state")?, State::parse, "trạng thái")?,
                    instant(r.int("classify_due_at")?)?,
                    instant(r.int("due_at")?)?,
                )))
                .collect::<Result<Vec<_>, DbError>>()?
        });
        Ok(rows
            .into_iter()
            .filter(|(state, classify, due)| {
                motcua_domain::calendar::is_late(
                    now,
                    motcua_domain::support::due_in(*state, *classify, *due),
                )
            })
            .count() as i64)
    }

    /// The published cases, newest first: of one procedure, and answering `query` (every
    /// word, with or without marks), at most `limit`.
    pub async fn published(
        self,
        procedure_code: Option<&str>,
        query: &str,
        limit: usize,
    ) -> Result<Vec<StoredCase>, DbError> {
        const SQL: &str = select_cases!(
            "WHERE c.published_at IS NOT NULL AND c.state = 'published'
                AND ($1 = '' OR c.procedure_code = $1)
            ORDER BY c.published_at DESC, c.id DESC LIMIT $2"
        );
        // Without words to match, the newest `limit` are the answer; with words, the newest
        // of the window are searched.
        let words = !motcua_domain::text::fold(query).is_empty();
        let window = if words {
            PUBLISHED_WINDOW
        } else {
            i64::try_from(limit).unwrap_or(PUBLISHED_WINDOW)
        };
        let rows = on_read!(self.db, pool => {
            sqlx::query(SQL)
                .bind(procedure_code.unwrap_or(""))
                .bind(window)
                .fetch_all(pool)
                .await?
                .iter()
                .map(case_of)
                .collect::<Result<Vec<_>, DbError>>()?
        });
        Ok(rows
            .into_iter()
            .filter(|c| c.matches(query))
            .take(limit)
            .collect())
    }

    /// The cases a citizen's account sent, newest first.
    pub async fn of_citizen(self, citizen_id: i64) -> Result<Vec<StoredCase>, DbError> {
        const SQL: &str = select_cases!("WHERE c.citizen_id = $1 ORDER BY c.id DESC LIMIT 200");
        Ok(on_read!(self.db, pool => {
            sqlx::query(SQL).bind(citizen_id).fetch_all(pool).await?
                .iter().map(case_of).collect::<Result<Vec<_>, DbError>>()?
        }))
    }

    /// The messages sent (or to be sent) to the submitter of case `code`, in order.
    pub async fn messages(self, code: &str) -> Result<Vec<crate::OutboxMessage>, DbError> {
        const SQL: &str = "SELECT id, dossier_id, event, channel, recipient, payload, status,
                attempts, last_error
            FROM outbox WHERE dossier_id IS NULL AND event LIKE 'support%'
                AND payload LIKE $1 ORDER BY id";
        let pattern = format!("%\"code\":\"{}\"%", code.replace(['%', '_'], ""));
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(pattern).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::OutboxMessage {
                        id: r.int("id")?,
                        dossier_id: r.opt_int("dossier_id")?,
                        event: r.text("event")?,
                        channel: r.text("channel")?,
                        recipient: r.text("recipient")?,
                        payload: r.text("payload")?,
                        status: r.text("status")?,
                        attempts: r.int("attempts")?,
                        last_error: r.opt_text("last_error")?,
                    })
                })
                .collect()
        })
    }

    /// The steps of case `id`, in order.
    pub async fn steps(self, id: i64) -> Result<Vec<CaseStep>, DbError> {
        const SQL: &str =
            "SELECT t.at, t.actor, t.action, t.from_state, t.to_state, a.name AS agency_name,
                t.note, s.full_name AS actor_name
            FROM support_steps t JOIN agencies a ON a.id = t.agency_id
                LEFT JOIN staff s ON s.id = CASE WHEN t.actor LIKE 'staff:%'
                    THEN CAST(SUBSTR(t.actor, 7) AS BIGINT) END
            WHERE t.case_id = $1 ORDER BY t.id";
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(id).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    Ok(CaseStep {
                        at: instant(r.int("at")?)?,
                        actor: r.text("actor")?,
                        actor_name: r.opt_text("actor_name")?,
                        action: r.text("action")?,
                        from_state: r
                            .opt_text("from_state")?
                            .map(|s| parsed(s, State::parse, "trạng thái"))
                            .transpose()?,
                        to_state: parsed(r.text("to_state")?, State::parse, "trạng thái")?,
                        agency_name: r.text("agency_name")?,
                        note: r.opt_text("note")?,
                    })
                })
                .collect()
        })
    }

    /// Every case that counts in `[from, to)` (received before `to` and not ended, nor
    /// published, before `from`): its agency, procedure and what the counts read of it.
    pub(crate) async fn counted_cases(
        self,
        from: Instant,
        to: Instant,
    ) -> Result<Vec<(i64, Option<String>, Counted)>, DbError> {
        const SQL: &str = "SELECT agency_id, procedure_code, kind, state, received_at,
                classify_due_at, due_at, ended_at, published_at
            FROM support_cases
            WHERE received_at < $2 AND (ended_at IS NULL OR ended_at >= $1
                OR (published_at IS NOT NULL AND published_at >= $1))";
        on_read!(self.db, pool => {
            sqlx::query(SQL)
                .bind(from.timestamp())
                .bind(to.timestamp())
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| {
                    Ok((
                        r.int("agency_id")?,
                        r.opt_text("procedure_code")?,
                        Counted {
                            kind: parsed(r.text("kind")?, Kind::parse, "loại việc")?,
                            state: parsed(r.text("state")?, State::parse, "trạng thái")?,
                            received_at: instant(r.int("received_at")?)?,
                            classify_due: instant(r.int("classify_due_at")?)?,
                            due: instant(r.int("due_at")?)?,
                            ended_at: opt_instant(r.opt_int("ended_at")?)?,
                            published_at: opt_instant(r.opt_int("published_at")?)?,
                        },
                    ))
                })
                .collect()
        })
    }

    /// The calls an agency logged from `from` on, newest first (at most `limit`).
    pub async fn calls(
        self,
        agency_id: i64,
        from: Instant,
        limit: i64,
    ) -> Result<Vec<StoredCall>, DbError> {
        const SQL: &str = "SELECT l.id, l.at, s.full_name AS staff_name, l.agency_id, l.channel,
                l.caller_name, l.caller_phone, l.topic, l.procedure_code, l.question, l.answer,
                l.duration_seconds, l.outcome, c.code AS case_code
            FROM support_calls l JOIN staff s ON s.id = l.staff_id
                LEFT JOIN support_cases c ON c.id = l.case_id
            WHERE l.agency_id = $1 AND l.at >= $2 ORDER BY l.at DESC, l.id DESC LIMIT $3";
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL)
                .bind(agency_id)
                .bind(from.timestamp())
                .bind(limit.clamp(1, 1000))
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(StoredCall {
                        id: r.int("id")?,
                        at: instant(r.int("at")?)?,
                        staff_name: r.text("staff_name")?,
                        agency_id: r.int("agency_id")?,
                        channel: parsed(r.text("channel")?, CallChannel::parse, "kênh")?,
                        caller_name: r.text("caller_name")?,
                        caller_phone: r.text("caller_phone")?,
                        topic: r.text("topic")?,
                        procedure_code: r.opt_text("procedure_code")?,
                        question: r.text("question")?,
                        answer: r.text("answer")?,
                        duration_seconds: r.int("duration_seconds")?,
                        outcome: parsed(r.text("outcome")?, CallOutcome::parse, "kết quả cuộc gọi")?,
                        case_code: r.opt_text("case_code")?,
                    })
                })
                .collect()
        })
    }

    /// How many calls each agency logged in `[from, to)`, with their total seconds.
    pub(crate) async fn call_counts(
        self,
        from: Instant,
        to: Instant,
    ) -> Result<Vec<(i64, i64, i64)>, DbError> {
        const SQL: &str = "SELECT agency_id, COUNT(*) AS n,
                CAST(COALESCE(SUM(duration_seconds), 0) AS BIGINT) AS seconds
            FROM support_calls WHERE at >= $1 AND at < $2 GROUP BY agency_id ORDER BY agency_id";
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL)
                .bind(from.timestamp())
                .bind(to.timestamp())
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| Ok((r.int("agency_id")?, r.int("n")?, r.int("seconds")?)))
                .collect()
        })
    }
}
