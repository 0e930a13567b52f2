//! Bảng công khai — what the centre publishes about lateness: dossiers past their
//! appointment and the apologies issued, with no personal data (code, procedure, agency,
//! dates, and the apology's reason as the agency wrote it).

use motcua_domain::calendar::Instant;
use motcua_domain::dossier::DossierState;
use serde::Serialize;

use crate::DbError;
use crate::rows::RowExt;

/// One line of the board.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardEntry {
    pub code: String,
    pub procedure_name: String,
    pub agency_name: String,
    pub received_at: Instant,
    pub due_at: Option<Instant>,
    /// For an apology: the appointment before it, the reason and the approval time.
    pub previous_due: Option<Instant>,
    pub reason: Option<String>,
    pub apologised_at: Option<Instant>,
    /// The apology was issued later than one working day before the old appointment.
    pub issued_late: bool,
}

/// The board: overdue dossiers (most overdue first) and the latest apologies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicBoard {
    pub overdue: Vec<BoardEntry>,
    pub overdue_total: i64,
    pub apologies: Vec<BoardEntry>,
}

const OVERDUE: &str = "SELECT d.code, p.name AS procedure_name, a.name AS agency_name,
        d.received_at, d.due_at, d.state
    FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
        JOIN agencies a ON a.id = d.current_agency_id
    WHERE d.status IN (1, 2, 4) AND d.sort_due < $1
    ORDER BY d.sort_due, d.id LIMIT $2";
const OVERDUE_COUNT: &str =
    "SELECT COUNT(*) FROM dossiers WHERE status IN (1, 2, 4) AND sort_due < $1";
const APOLOGIES: &str = "SELECT d.code, p.name AS procedure_name, a.name AS agency_name,
        d.received_at, d.due_at, d.state
    FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
        JOIN agencies a ON a.id = d.current_agency_id
    WHERE d.apologised = 1
    ORDER BY d.updated_at DESC, d.id DESC LIMIT $1";

fn entry(row: &impl RowExt) -> Result<BoardEntry, DbError> {
    let state: DossierState = serde_json::from_str(&row.text("state")?)?;
    let apology = state.apology.filter(|a| a.approved_at.is_some());
    Ok(BoardEntry {
        code: row.text("code")?,
        procedure_name: row.text("procedure_name")?,
        agency_name: row.text("agency_name")?,
        received_at: crate::rows::instant(row.int("received_at")?)?,
        due_at: row
            .opt_int("due_at")?
            .map(crate::rows::instant)
            .transpose()?,
        previous_due: apology.as_ref().map(|a| a.previous_due),
        issued_late: apology.as_ref().is_some_and(|a| a.issued_late),
        reason: apology.as_ref().map(|a| a.reason.clone()),
        apologised_at: apology.and_then(|a| a.approved_at),
    })
}

impl super::Dossiers<'_> {
    /// The public board at `now`, at most `limit` lines in each list.
    pub async fn public_board(self, now: Instant, limit: i64) -> Result<PublicBoard, DbError> {
        let limit = limit.clamp(1, 500);
        // Overdue by the one rule: past the appointment's printed minute.
        let at = motcua_domain::calendar::overdue_before(now).timestamp();
        on_read!(self.db, pool => {
            let overdue = sqlx::query(OVERDUE).bind(at).bind(limit).fetch_all(pool).await?;
            let overdue_total: i64 = sqlx::query_scalar(OVERDUE_COUNT).bind(at).fetch_one(pool).await?;
            let apologies = sqlx::query(APOLOGIES).bind(limit).fetch_all(pool).await?;
            Ok(PublicBoard {
                overdue: overdue.iter().map(entry).collect::<Result<_, DbError>>()?,
                overdue_total,
                apologies: apologies.iter().map(entry).collect::<Result<_, DbError>>()?,
            })
        })
    }
}
