//! Đếm chờ cộng — counter rows committed but not yet added to `stat_days`. On SQLite each
//! group commit stores its jobs' rows as one record of `stat_pending`, in the same
//! transaction as its writes, and the writer adds the records up every [`FOLD_EVERY`]
//! commits in a transaction of its own; on PostgreSQL each write stores its own record and
//! whoever settles adds them up in batches, one process at a time. Every statistics read has
//! them added first ([`Db::settle_counters`]), so a read always sees every committed write.
//! One record in place of a few dozen counter rows spread over the table keeps a commit's log
//! small, and on PostgreSQL keeps concurrent writes off the same counter rows.

use std::collections::BTreeMap;

use crate::counters::counts::{COLUMNS, Counts, StatKey, StatRow, UPSERT, upsert_direct};
use crate::engine::{Follower, Lite, Log, Tx};
use crate::{Db, DbError};

/// Commits whose records the writer lets pile up before it adds them to `stat_days`.
const FOLD_EVERY: usize = 64;

/// The record format, its first byte.
const FORMAT: u8 = 2;

/// Summed counter rows by key (without the field code, which `stat_days` does not hold)
/// and day.
pub(crate) type Sums = BTreeMap<(StatKey, i64), Counts>;

/// Adds one row to `sums`; a sum out of range means a damaged record.
pub(crate) fn add(sums: &mut Sums, (key, day, counts): StatRow) -> Result<(), DbError> {
    let key = StatKey {
        field_code: String::new(),
        ..key
    };
    let sum = sums.entry((key, day)).or_insert([0; COLUMNS]);
    for (a, b) in sum.iter_mut().zip(counts) {
        *a = a.checked_add(b).ok_or_else(|| {
            DbError::Corrupt("bản ghi đếm chờ cộng hỏng: số đếm vượt giới hạn".into())
        })?;
    }
    Ok(())
}

/// The rows of `sums` that add something, in key order.
fn rows_of(sums: Sums) -> Vec<StatRow> {
    sums.into_iter()
        .filter(|(_, c)| c.iter().any(|v| *v != 0))
        .map(|((key, day), counts)| (key, day, counts))
        .collect()
}

/// Appends `v` zigzag-encoded, seven bits a byte, low bits first.
fn put(out: &mut Vec<u8>, v: i64) {
    let mut u = ((v << 1) ^ (v >> 63)) as u64;
    while u >= 0x80 {
        out.push((u & 0x7f) as u8 | 0x80);
        u >>= 7;
    }
    out.push(u as u8);
}

fn put_text(out: &mut Vec<u8>, s: &str) {
    put(out, s.len() as i64);
    out.extend_from_slice(s.as_bytes());
}

/// The record of `rows`: the format byte, then per row its key, day, the set of its
/// non-zero columns and their values.
pub(crate) fn encode(rows: &[StatRow]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + rows.len() * 24);
    out.push(FORMAT);
    for (key, day, counts) in rows {
        put(&mut out, key.scope);
        put(&mut out, key.agency_id);
        put_text(&mut out, &key.procedure_code);
        put_text(&mut out, &key.channel);
        put(&mut out, *day);
        let mask = counts
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0)
            .fold(0i64, |m, (c, _)| m | (1 << c));
        put(&mut out, mask);
        for v in counts.iter().filter(|v| **v != 0) {
            put(&mut out, *v);
        }
    }
    out
}

/// Reads a record back, adding its rows to `sums`.
pub(crate) fn decode(bytes: &[u8], sums: &mut Sums) -> Result<(), DbError> {
    let bad = |what: &str| DbError::Corrupt(format!("bản ghi đếm chờ cộng hỏng: {what}"));
    let mut reader = Reader { bytes, at: 1 };
    match bytes.first() {
        Some(&FORMAT) => {}
        Some(other) => return Err(bad(&format!("định dạng {other}"))),
        None => return Err(bad("rỗng")),
    }
    while reader.at < bytes.len() {
        let scope = reader.int().ok_or_else(|| bad("phạm vi"))?;
        let agency_id = reader.int().ok_or_else(|| bad("cơ quan"))?;
        let procedure_code = reader.text().ok_or_else(|| bad("mã thủ tục"))?;
        let channel = reader.text().ok_or_else(|| bad("kênh"))?;
        let day = reader.int().ok_or_else(|| bad("ngày"))?;
        let mask = reader
            .int()
            .filter(|m| (0..1 << COLUMNS).contains(m))
            .ok_or_else(|| bad("cột"))?;
        let mut counts = [0; COLUMNS];
        for (c, value) in counts.iter_mut().enumerate() {
            if mask & (1 << c) != 0 {
                *value = reader.int().ok_or_else(|| bad("số đếm"))?;
            }
        }
        let key = StatKey {
            scope,
            agency_id,
            procedure_code,
            channel,
            field_code: String::new(),
        };
        add(sums, (key, day, counts))?;
    }
    Ok(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn int(&mut self) -> Option<i64> {
        let mut u = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            if shift == 63 && b > 1 {
                return None;
            }
            u |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some((u >> 1) as i64 ^ -((u & 1) as i64));
            }
        }
        None
    }

    fn text(&mut self) -> Option<String> {
        let len = usize::try_from(self.int()?).ok()?;
        let end = self.at.checked_add(len)?;
        let s = std::str::from_utf8(self.bytes.get(self.at..end)?).ok()?;
        self.at = end;
        Some(s.to_string())
    }
}

const STORE: &str = "INSERT INTO stat_pending (rows) VALUES (?1)";
const LOAD: &str = "SELECT rows FROM stat_pending ORDER BY id";
const CLEAR: &str = "DELETE FROM stat_pending";

/// Stores a batch's counter rows as one record; whether there was anything to store.
fn store(lite: &mut Lite, rows: &[StatRow]) -> Result<bool, DbError> {
    if rows.is_empty() {
        return Ok(false);
    }
    let record = encode(rows);
    lite.conn().prepare_cached(STORE)?.execute([&record])?;
    Ok(true)
}

/// Every pending record, summed.
fn load(lite: &mut Lite) -> Result<Sums, DbError> {
    let mut sums = Sums::new();
    let mut stmt = lite.conn().prepare_cached(LOAD)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let record = row
            .get_ref(0)?
            .as_blob()
            .map_err(|e| DbError::Corrupt(format!("bản ghi đếm chờ cộng hỏng: {e}")))?;
        decode(record, &mut sums)?;
    }
    Ok(sums)
}

/// Adds `sums` to `stat_days` and drops the pending records they came from.
fn apply(lite: &mut Lite, sums: Sums) -> Result<(), DbError> {
    upsert_direct(lite, &rows_of(sums))?;
    lite.conn().prepare_cached(CLEAR)?.execute([])?;
    Ok(())
}

/// How many records are pending (when the writer starts following the counters).
fn count(lite: &Lite) -> Result<usize, DbError> {
    let n: i64 = lite
        .conn()
        .query_row("SELECT COUNT(*) FROM stat_pending", [], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or_default())
}

/// The counter rows the SQLite writer's batch collects, and how many pending records it has
/// left so far: the statistics store's [`Follower`].
#[derive(Default)]
pub(crate) struct Counters {
    /// Counter rows of the job running now.
    job: Vec<StatRow>,
    /// Counter rows of the batch's jobs that succeeded.
    batch: Vec<StatRow>,
    /// The pending records a job of the batch asked to have added in its commit, summed.
    fold: Option<Sums>,
    /// Records pending after the last commit, and after the batch's commit.
    pending: usize,
    pending_next: Option<usize>,
}

impl Counters {
    /// The writer's counters, following from the records already pending.
    fn of(lite: &mut Lite) -> Result<&mut Self, DbError> {
        lite.follower(|lite| {
            Ok(Self {
                // A database not migrated yet has none.
                pending: count(lite).unwrap_or_default(),
                ..Self::default()
            })
        })
    }
}

impl Follower for Counters {
    fn job_settled(&mut self, succeeded: bool) {
        let rows = std::mem::take(&mut self.job);
        if succeeded {
            self.batch.extend(rows);
        }
    }

    /// Writes the batch's counter rows: as one pending record, or, when a job asked for it,
    /// into `stat_days` together with every pending record.
    fn before_commit(&mut self, lite: &mut Lite) -> Result<(), DbError> {
        self.job.clear();
        let rows = std::mem::take(&mut self.batch);
        match self.fold.take() {
            Some(mut sums) => {
                for row in rows {
                    add(&mut sums, row)?;
                }
                apply(lite, sums)?;
                self.pending_next = Some(0);
            }
            None => {
                if store(lite, &rows)? {
                    self.pending_next = Some(self.pending + 1);
                }
            }
        }
        Ok(())
    }

    fn committed(&mut self) {
        if let Some(records) = self.pending_next.take() {
            self.pending = records;
        }
    }

    fn rolled_back(&mut self) {
        self.job.clear();
        self.batch.clear();
        self.fold = None;
        self.pending_next = None;
    }

    /// Adds the pending records to `stat_days` once [`FOLD_EVERY`] have piled up. A failure
    /// (a damaged record) is logged and tried again after as many commits; the writes go
    /// on, and the statistics reads report it.
    fn idle(&mut self, lite: &mut Lite, log: Option<&Log>) {
        if self.pending < FOLD_EVERY {
            return;
        }
        if let Err(e) = fold_alone(lite, log) {
            tracing::error!(error = %e, "không cộng được số đếm thống kê chờ cộng");
        }
        self.pending = 0;
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// Keeps a job's counter rows on the writer until the batch commits.
pub(crate) fn stage(lite: &mut Lite, rows: &[StatRow]) -> Result<(), DbError> {
    Counters::of(lite)?.job.extend_from_slice(rows);
    Ok(())
}

/// A write job asking for the pending records to be added in this batch: read and checked
/// now, before the job changes anything (so a damaged record fails this job alone), and
/// added with the batch's own rows before its commit.
pub(crate) fn fold_in_batch(tx: &mut Tx<'_>) -> Result<(), DbError> {
    if let Tx::Lite(lite) = tx
        && Counters::of(lite)?.fold.is_none()
    {
        let sums = load(lite)?;
        Counters::of(lite)?.fold = Some(sums);
    }
    Ok(())
}

/// Adds every pending record to `stat_days` in a transaction of its own (the writer between
/// batches), numbered with the flushing thread's commits so reads wait for it as for any.
fn fold_alone(lite: &mut Lite, log: Option<&Log>) -> Result<(), DbError> {
    if log.is_some_and(Log::failed) {
        // The writer stopped: no commit until a restart.
        return Ok(());
    }
    lite.conn().execute_batch("BEGIN IMMEDIATE")?;
    if let Err(e) = load(lite).and_then(|sums| apply(lite, sums)) {
        let _ = lite.conn().execute_batch("ROLLBACK");
        return Err(e);
    }
    let number = log.map(Log::begin);
    let committed = lite.conn().execute_batch("COMMIT");
    if committed.is_err() {
        let _ = lite.conn().execute_batch("ROLLBACK");
    }
    if let (Some(log), Some(number)) = (log, number) {
        log.settle(number, Vec::new());
    }
    committed?;
    Ok(())
}

impl Db {
    /// Has the counter records left pending added to `stat_days`, when there are any: on
    /// SQLite by a write job (so after every write acknowledged before it), on PostgreSQL in
    /// batches one process at a time. Every statistics read does it first; a server may also
    /// run it now and then so reads find little to add.
    pub async fn settle_counters(&self) -> Result<(), DbError> {
        if let crate::engine::Engine::Postgres(pool) = &self.engine {
            return settle_postgres(pool).await;
        }
        let Some(readers) = self.readers() else {
            return Ok(());
        };
        let waiting = readers
            .one(
                "SELECT 1 FROM stat_pending LIMIT 1",
                1i64.into(),
                |_| Ok(()),
            )?
            .is_some();
        if waiting {
            // The job shares its batch with writes; one of them failing fails the batch,
            // so a failure is tried once more before it is reported.
            if grouped_write!(self, conn => fold_in_batch(conn)).is_err() {
                grouped_write!(self, conn => fold_in_batch(conn))?;
            }
        }
        Ok(())
    }
}

/// How many PostgreSQL pending records one settling transaction adds up at most.
const SETTLE_BATCH: i64 = 500;

/// The advisory lock that lets one process at a time add PostgreSQL's pending records up.
const SETTLE_LOCK: i64 = 0x6d6f_7463_7561_0a02;

/// Adds PostgreSQL's pending records to `stat_days`, oldest first, in batches of their own
/// transaction: the records taken out and their sums added together, so a failure loses
/// nothing and nothing is counted twice.
async fn settle_postgres(pool: &sqlx::PgPool) -> Result<(), DbError> {
    loop {
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(SETTLE_LOCK)
            .execute(&mut *tx)
            .await?;
        let records: Vec<Vec<u8>> = sqlx::query_scalar(
            "DELETE FROM stat_pending WHERE id IN
                (SELECT id FROM stat_pending ORDER BY id LIMIT $1) RETURNING rows",
        )
        .bind(SETTLE_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        let n = records.len();
        let mut sums = Sums::new();
        for record in &records {
            decode(record, &mut sums)?;
        }
        for chunk in rows_of(sums).chunks(1000) {
            multi_row_upsert!(chunk).build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        if (n as i64) < SETTLE_BATCH {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(scope: i64, code: &str, day: i64, values: &[(usize, i64)]) -> StatRow {
        let mut counts = [0; COLUMNS];
        for (c, v) in values {
            counts[*c] = *v;
        }
        let key = StatKey {
            scope,
            agency_id: 7,
            procedure_code: code.into(),
            channel: "online".into(),
            field_code: String::new(),
        };
        (key, day, counts)
    }

    #[test]
    fn records_read_back_summed() {
        let a = vec![
            row(1, "1.001234", 20261124, &[(0, 1), (11, 1)]),
            row(0, "", 2026, &[(0, 3), (19, -2)]),
            row(2, "Hộ tịch", 202611, &[(5, i64::MAX), (6, i64::MIN)]),
        ];
        let b = vec![row(1, "1.001234", 20261124, &[(0, 2), (11, -1)])];
        let mut sums = Sums::new();
        decode(&encode(&a), &mut sums).unwrap();
        decode(&encode(&b), &mut sums).unwrap();
        let rows = rows_of(sums);
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[0].0.scope, 0);
        assert_eq!(rows[0].2[19], -2);
        assert_eq!(rows[1].0.procedure_code, "1.001234");
        assert_eq!(rows[1].2[0], 3);
        assert_eq!(rows[1].2[11], 0);
        assert_eq!(rows[2].0.procedure_code, "Hộ tịch");
        assert_eq!((rows[2].2[5], rows[2].2[6]), (i64::MAX, i64::MIN));
    }

    #[test]
    fn a_damaged_record_is_refused_by_name() {
        let record = encode(&[row(1, "1.001234", 20261124, &[(0, 1)])]);
        for cut in 0..record.len() - 1 {
            let e = decode(&record[..=cut], &mut Sums::new());
            if cut == 0 {
                assert!(e.is_ok(), "the format byte alone is an empty record");
            } else {
                assert!(
                    e.unwrap_err().to_string().contains("đếm chờ cộng hỏng"),
                    "cut at {cut}"
                );
            }
        }
        assert!(decode(&[9, 1], &mut Sums::new()).is_err());
        assert!(decode(&[], &mut Sums::new()).is_err());
        let mut too_wide = vec![FORMAT];
        for v in [1, 7, 0, 0, 20261124, 1 << COLUMNS] {
            put(&mut too_wide, v);
        }
        assert!(decode(&too_wide, &mut Sums::new()).is_err());
        // Eleven bytes of one number, and a tenth byte past 64 bits.
        let mut too_long = vec![FORMAT];
        too_long.extend([0xff; 10]);
        too_long.push(0);
        assert!(decode(&too_long, &mut Sums::new()).is_err());
        let mut past = vec![FORMAT];
        past.extend([0xff; 9]);
        past.push(0x02);
        assert!(decode(&past, &mut Sums::new()).is_err());
        // Sums beyond i64 are a damaged record, not a wrap or a panic.
        let big = encode(&[row(1, "1.001234", 20261124, &[(0, i64::MAX)])]);
        let mut sums = Sums::new();
        decode(&big, &mut sums).unwrap();
        let e = decode(&big, &mut sums).unwrap_err();
        assert!(e.to_string().contains("vượt giới hạn"), "{e}");
    }
}
