//! The schema's migrations as operators meet them, on SQLite and PostgreSQL: two processes
//! starting at once on a fresh database apply each migration once; a database whose applied
//! migrations are not this program's is refused by name; one migrated before checksums were
//! kept gets them.

use crate::common::*;
use motcua_db::Db;

async fn two_processes_migrate_at_once(engine: &str) {
    let Some(url) = empty(engine).await else {
        return;
    };
    let (a, b) = (
        Db::connect(&url).await.unwrap(),
        Db::connect(&url).await.unwrap(),
    );
    let (left, right) = tokio::join!(a.migrate(), b.migrate());
    let (left, right) = (left.unwrap(), right.unwrap());
    let mut all: Vec<i64> = left.iter().chain(&right).copied().collect();
    all.sort_unstable();
    let count = number(&url, "SELECT COUNT(*) FROM schema_migrations").await;
    assert_eq!(
        all.len() as i64,
        count,
        "each applied once: {left:?} {right:?}"
    );
    all.dedup();
    assert_eq!(all.len() as i64, count);
    assert!(count >= 19);
    // Asked again: nothing to do.
    assert!(a.migrate().await.unwrap().is_empty());
    a.close().await;
    b.close().await;
}

async fn a_foreign_schema_is_refused_by_name(engine: &str) {
    let Some((db, url)) = fresh(engine).await else {
        return;
    };
    db.close().await;
    // Migrated before checksums were kept: they are recorded on the next start.
    tamper(&url, "UPDATE schema_migrations SET checksum = NULL").await;
    let db = Db::connect(&url).await.unwrap();
    assert!(db.migrate().await.unwrap().is_empty());
    db.close().await;
    assert_eq!(
        number(
            &url,
            "SELECT COUNT(*) FROM schema_migrations WHERE checksum IS NULL"
        )
        .await,
        0
    );
    // A database whose third step is not this program's third step.
    tamper(
        &url,
        "UPDATE schema_migrations SET checksum = 'khac' WHERE version = 3",
    )
    .await;
    let db = Db::connect(&url).await.unwrap();
    let refused = db.migrate().await.unwrap_err();
    assert!(refused.is_unavailable(), "{refused:?}");
    let said = refused.to_string();
    assert!(said.contains("bước nâng cấp lược đồ 3"), "{said}");
    db.close().await;
}

on_both!(
    two_processes_migrate_at_once,
    a_foreign_schema_is_refused_by_name
);
