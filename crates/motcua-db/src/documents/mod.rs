//! Kho dữ liệu — the citizen's electronic data store: the documents a dossier's files became
//! (written in the dossier's own transaction by the files they are), their reuse in later
//! dossiers, and every access to them. What a document is, whose, and when it may be
//! offered are decided in [`motcua_domain::digitised`]; this stores and reads.

use chrono::NaiveDate;
use motcua_domain::digitised::{Access, DocumentMeta, Owner, Source, offerable};
use serde::Serialize;

use crate::engine::Tx;
use crate::rows::RowExt;
use crate::{Db, DbError};

/// A file about to become a document of `owner`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub owner: Owner,
    pub owner_name: String,
    pub doc_type: String,
    pub type_name: String,
    pub meta: DocumentMeta,
    pub source: Source,
}

/// A document as stored, with what its file is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredDocument {
    pub id: i64,
    pub owner_key: String,
    pub owner_name: String,
    pub doc_type: String,
    pub type_name: String,
    pub meta: DocumentMeta,
    pub source: Source,
    /// The dossier it came with.
    pub dossier_id: i64,
    pub dossier_code: String,
    /// The dossier file that carries its bytes.
    pub file_id: i64,
    pub name: String,
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub hidden: bool,
    pub created_at: i64,
    /// Its words as read for search (folded), once read.
    #[serde(skip_serializing)]
    pub words: Option<String>,
}

impl StoredDocument {
    /// Whether it answers search `query` ([`motcua_domain::digitised::matches`]).
    pub fn matches(&self, query: &str) -> bool {
        motcua_domain::digitised::matches(query, &self.type_name, &self.meta, self.words.as_deref())
    }

    /// Whether it may be offered for a component of type `wanted` on `today`.
    pub fn offerable_for(&self, wanted: &str, today: NaiveDate) -> bool {
        offerable(
            &self.doc_type,
            self.meta.expires_on,
            self.hidden,
            wanted,
            today,
        )
    }
}

/// One line of a document's access log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessLine {
    pub document_id: i64,
    pub type_name: String,
    pub at: i64,
    /// `staff:<id>`, `citizen:<id>`, as recorded.
    pub actor: String,
    /// The name of the staff member or citizen, when known.
    pub actor_name: Option<String>,
    pub dossier_code: Option<String>,
    pub kind: Access,
}

macro_rules! select_documents {
    ($rest:literal) => {
        concat!(
            "SELECT d.id, d.owner_key, d.owner_name, d.doc_type, d.type_name, d.number, d.issuer,
                d.issued_on, d.expires_on, d.checked, d.source, d.dossier_id, x.code AS dossier_code,
                d.file_id, f.name, f.sha256, f.size, f.media_type, d.hidden, d.created_at, d.words
            FROM documents d JOIN dossier_files f ON f.id = d.file_id
                JOIN dossiers x ON x.id = d.dossier_id ",
            $rest
        )
    };
}

fn date_of(text: Option<String>) -> Result<Option<NaiveDate>, DbError> {
    text.map(|t| {
        NaiveDate::parse_from_str(&t, "%Y-%m-%d")
            .map_err(|_| DbError::Corrupt(format!("ngày của giấy tờ “{t}”")))
    })
    .transpose()
}

fn document_of(r: &impl RowExt) -> Result<StoredDocument, DbError> {
    let source = r.text("source")?;
    Ok(StoredDocument {
        id: r.int("id")?,
        owner_key: r.text("owner_key")?,
        owner_name: r.text("owner_name")?,
        doc_type: r.text("doc_type")?,
        type_name: r.text("type_name")?,
        meta: DocumentMeta {
            number: r.text("number")?,
            issuer: r.text("issuer")?,
            issued_on: date_of(r.opt_text("issued_on")?)?,
            expires_on: date_of(r.opt_text("expires_on")?)?,
            checked: r.int("checked")? != 0,
        },
        source: Source::parse(&source)
            .ok_or_else(|| DbError::Corrupt(format!("nguồn giấy tờ “{source}”")))?,
        dossier_id: r.int("dossier_id")?,
        dossier_code: r.text("dossier_code")?,
        file_id: r.int("file_id")?,
        name: r.text("name")?,
        sha256: r.text("sha256")?,
        size: r.int("size")?,
        media_type: r.text("media_type")?,
        hidden: r.int("hidden")? != 0,
        created_at: r.int("created_at")?,
        words: r.opt_text("words")?,
    })
}

fn day_text(day: Option<NaiveDate>) -> Option<String> {
    day.map(|d| d.format("%Y-%m-%d").to_string())
}

/// Writes the document file `file_id` of dossier `dossier_id` became, in the caller's
/// transaction.
pub(crate) async fn record(
    tx: &mut Tx<'_>,
    doc: &NewDocument,
    dossier_id: i64,
    file_id: i64,
    by: &str,
    at: i64,
) -> Result<i64, DbError> {
    let issued = day_text(doc.meta.issued_on);
    let expires = day_text(doc.meta.expires_on);
    tx.insert(
        "INSERT INTO documents (owner_key, owner_name, doc_type, type_name, number, issuer,
            issued_on, expires_on, checked, source, dossier_id, file_id, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        args![
            doc.owner.key().as_str(),
            doc.owner_name.as_str(),
            doc.doc_type.as_str(),
            doc.type_name.as_str(),
            doc.meta.number.as_str(),
            doc.meta.issuer.as_str(),
            &issued,
            &expires,
            i64::from(doc.meta.checked),
            doc.source.as_str(),
            dossier_id,
            file_id,
            at,
            by
        ],
    )
    .await
}

/// Records that dossier `dossier_id` reused document `document_id` of `owner_key`, in the
/// caller's transaction; a document that is not that owner's, or is hidden, is refused.
pub(crate) async fn reuse(
    tx: &mut Tx<'_>,
    document_id: i64,
    owner_key: &str,
    dossier_id: i64,
    by: &str,
    at: i64,
) -> Result<(), DbError> {
    let n = tx
        .execute(
            "INSERT INTO document_access (document_id, owner_key, at, actor, dossier_id, kind)
             SELECT id, owner_key, $2, $3, $4, 'reuse' FROM documents
             WHERE id = $1 AND owner_key = $5 AND hidden = 0",
            args![document_id, at, by, dossier_id, owner_key],
        )
        .await?;
    if n == 1 {
        Ok(())
    } else {
        Err(DbError::invalid(
            "reuse",
            "giấy tờ chọn dùng lại không thuộc chủ hồ sơ, hoặc đã bị ẩn",
        ))
    }
}

/// A signed copy of a result replaces the unsigned file as its document's bytes, in the
/// caller's transaction.
pub(crate) async fn refile(tx: &mut Tx<'_>, from_file: i64, to_file: i64) -> Result<(), DbError> {
    tx.execute(
        "UPDATE documents SET file_id = $2 WHERE file_id = $1",
        args![from_file, to_file],
    )
    .await?;
    Ok(())
}

/// Kho dữ liệu: see the module.
#[derive(Debug, Clone, Copy)]
pub struct Documents<'a> {
    db: &'a Db,
}

impl Db {
    pub fn documents(&self) -> Documents<'_> {
        Documents { db: self }
    }
}

impl Documents<'_> {
    /// Every document of `owner_key`, newest first.
    pub async fn of_owner(self, owner_key: &str) -> Result<Vec<StoredDocument>, DbError> {
        const SQL: &str = select_documents!("WHERE d.owner_key = $1 ORDER BY d.id DESC");
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(owner_key).fetch_all(pool).await?;
            rows.iter().map(document_of).collect()
        })
    }

    /// `owner_key`'s store as staff member `staff_id` opens it from dossier `dossier_code`
    /// (`through` the pages or the API): the documents, newest first, the opening an audit
    /// entry.
    pub async fn opened_by_staff(
        self,
        staff_id: i64,
        dossier_code: &str,
        owner_key: &str,
        through: &str,
    ) -> Result<Vec<StoredDocument>, DbError> {
        let docs = self.of_owner(owner_key).await?;
        self.db
            .audit()
            .record(
                &format!("staff:{staff_id}"),
                "open_store",
                "dossier",
                dossier_code,
                serde_json::json!({"owner": owner_key, "documents": docs.len(), "through": through}),
            )
            .await?;
        Ok(docs)
    }

    /// The documents of `owner_key` that may be offered for a component of type `wanted` on
    /// `today`, newest first.
    pub async fn offers(
        self,
        owner_key: &str,
        wanted: &str,
        today: NaiveDate,
    ) -> Result<Vec<StoredDocument>, DbError> {
        const SQL: &str = select_documents!(
            "WHERE d.owner_key = $1 AND d.doc_type = $2 AND d.hidden = 0 ORDER BY d.id DESC"
        );
        let rows: Vec<StoredDocument> = on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(owner_key).bind(wanted).fetch_all(pool).await?;
            rows.iter().map(document_of).collect::<Result<Vec<_>, DbError>>()?
        });
        Ok(rows
            .into_iter()
            .filter(|d| d.offerable_for(wanted, today))
            .collect())
    }

    /// Document `id`.
    pub async fn document(self, id: i64) -> Result<Option<StoredDocument>, DbError> {
        const SQL: &str = select_documents!("WHERE d.id = $1");
        Ok(on_read!(self.db, pool => {
            match sqlx::query(SQL).bind(id).fetch_optional(pool).await? {
                Some(r) => Some(document_of(&r)?),
                None => None,
            }
        }))
    }

    /// How each component index of dossier `dossier_id` stands towards the store: whether a
    /// file of it was taken from the store, and whether one became a document of it.
    pub async fn component_reuse(
        self,
        dossier_id: i64,
    ) -> Result<Vec<(i64, motcua_domain::digitised::Reuse)>, DbError> {
        const SQL: &str = "SELECT f.component,
                MAX(CASE WHEN f.reuses_document IS NOT NULL THEN 1 ELSE 0 END) AS reused,
                MAX(CASE WHEN d.id IS NOT NULL THEN 1 ELSE 0 END) AS kept
            FROM dossier_files f LEFT JOIN documents d ON d.file_id = f.id
            WHERE f.dossier_id = $1 AND f.component IS NOT NULL GROUP BY f.component";
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(dossier_id).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.int("component")?,
                        motcua_domain::digitised::reuse_of(r.int("reused")? != 0, r.int("kept")? != 0),
                    ))
                })
                .collect()
        })
    }

    /// Documents whose words are not read yet, after id `after`, oldest first: id, file
    /// digest and type.
    pub async fn unread(
        self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, String)>, DbError> {
        const SQL: &str = "SELECT d.id, f.sha256, f.media_type FROM documents d
            JOIN dossier_files f ON f.id = d.file_id
            WHERE d.words IS NULL AND d.id > $1 ORDER BY d.id LIMIT $2";
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(after).bind(limit).fetch_all(pool).await?;
            rows.iter()
                .map(|r| Ok((r.int("id")?, r.text("sha256")?, r.text("media_type")?)))
                .collect()
        })
    }

    /// Keeps the words read from document `id` (folded; empty when it has none).
    pub async fn set_words(self, id: i64, words: &str) -> Result<(), DbError> {
        on_write!(self.db, pool => {
            sqlx::query("UPDATE documents SET words = $1 WHERE id = $2")
                .bind(words)
                .bind(id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Logs an access (`Download`) by `actor` on behalf of dossier `dossier_id`, if any.
    pub async fn log_access(
        self,
        doc: &StoredDocument,
        actor: &str,
        dossier_id: Option<i64>,
        kind: Access,
        at: i64,
    ) -> Result<(), DbError> {
        on_write!(self.db, pool => {
            sqlx::query("INSERT INTO document_access (document_id, owner_key, at, actor, dossier_id, kind) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(doc.id)
                .bind(&doc.owner_key)
                .bind(at)
                .bind(actor)
                .bind(dossier_id)
                .bind(kind.as_str())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Hides document `id` of `owner_key` from reuse (or shows it again), logged; another
    /// owner's document is not found.
    pub async fn set_hidden(
        self,
        id: i64,
        owner_key: &str,
        hidden: bool,
        actor: &str,
        at: i64,
    ) -> Result<(), DbError> {
        let kind = if hidden { Access::Hide } else { Access::Show };
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE documents SET hidden = $1 WHERE id = $2 AND owner_key = $3")
                .bind(i64::from(hidden))
                .bind(id)
                .bind(owner_key)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                return Err(DbError::NotFound("giấy tờ"));
            }
            sqlx::query("INSERT INTO document_access (document_id, owner_key, at, actor, dossier_id, kind) VALUES ($1, $2, $3, $4, NULL, $5)")
                .bind(id)
                .bind(owner_key)
                .bind(at)
                .bind(actor)
                .bind(kind.as_str())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The access log of `owner_key`'s documents, newest first (at most `limit` lines).
    pub async fn access_log(self, owner_key: &str, limit: i64) -> Result<Vec<AccessLine>, DbError> {
        const SQL: &str = "SELECT a.document_id, d.type_name, a.at, a.actor, a.kind, x.code,
                COALESCE(s.full_name, c.full_name) AS actor_name
            FROM document_access a JOIN documents d ON d.id = a.document_id
                LEFT JOIN dossiers x ON x.id = a.dossier_id
                LEFT JOIN staff s ON s.id = CASE WHEN a.actor LIKE 'staff:%'
                    THEN CAST(SUBSTR(a.actor, 7) AS BIGINT) END
                LEFT JOIN citizens c ON c.id = CASE WHEN a.actor LIKE 'citizen:%'
                    THEN CAST(SUBSTR(a.actor, 9) AS BIGINT) END
            WHERE a.owner_key = $1 ORDER BY a.id DESC LIMIT $2";
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(owner_key).bind(limit).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    let kind = r.text("kind")?;
                    Ok(AccessLine {
                        document_id: r.int("document_id")?,
                        type_name: r.text("type_name")?,
                        at: r.int("at")?,
                        actor: r.text("actor")?,
                        actor_name: r.opt_text("actor_name")?,
                        dossier_code: r.opt_text("code")?,
                        kind: Access::parse(&kind)
                            .ok_or_else(|| DbError::Corrupt(format!("truy cập giấy tờ “{kind}”")))?,
                    })
                })
                .collect()
        })
    }
}
