//! Audit anchoring as an operator and an attacker meet it: checkpoints sealed with a key
//! file made by `openssl` and checked by `openssl`, and a database whose tail was cut off or
//! whose entries were rewritten with every later hash recomputed, which the chain alone
//! cannot see and the checkpoints report.

use crate::process::*;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::path::Path;
use std::process::Command;

/// Runs openssl; `None` when it is missing (the test then says so, or fails with
/// MOTCUA_REQUIRE_TOOLS=1).
fn openssl(args: &[&str]) -> Option<bool> {
    match Command::new("openssl").args(args).output() {
        Ok(out) => Some(out.status.success()),
        Err(_) => {
            assert!(
                std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
                "MOTCUA_REQUIRE_TOOLS=1 but openssl is missing"
            );
            eprintln!("openssl missing: audit anchoring test SKIPPED");
            None
        }
    }
}

/// The attacker's hash, computed on its own: SHA-256 over the previous hash, sequence,
/// instant and the five fields, each followed by 0x1f.
fn rehash(prev: &str, seq: i64, at: i64, fields: [&str; 5]) -> String {
    let mut h = Sha256::new();
    for part in [prev.to_string(), seq.to_string(), at.to_string()]
        .iter()
        .map(String::as_str)
        .chain(fields)
    {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

async fn pool(db: &Path) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap()
}

/// Rewrites entry `from`'s detail and recomputes every later hash and the head.
async fn rewrite_from(db: &Path, from: i64) {
    let pool = pool(db).await;
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash FROM audit_log WHERE seq >= ? ORDER BY seq",
    )
    .bind(from)
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut prev: String = rows[0].get("prev_hash");
    for row in rows {
        let seq: i64 = row.get("seq");
        let mut detail: String = row.get("detail");
        if seq == from {
            detail = "{\"sửa\":\"xóa dấu vết\"}".into();
        }
        let (actor, action, entity, entity_id): (String, String, String, String) = (
            row.get("actor"),
            row.get("action"),
            row.get("entity"),
            row.get("entity_id"),
        );
        let hash = rehash(
            &prev,
            seq,
            row.get("at"),
            [&actor, &action, &entity, &entity_id, &detail],
        );
        sqlx::query("UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?")
            .bind(&detail)
            .bind(&prev)
            .bind(&hash)
            .bind(seq)
            .execute(&pool)
            .await
            .unwrap();
        prev = hash;
    }
    sqlx::query("UPDATE audit_head SET last_hash = ?")
        .bind(&prev)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

/// Cuts the log's tail after `keep` and moves the head back, as an attacker would.
async fn truncate_after(db: &Path, keep: i64) {
    let pool = pool(db).await;
    let hash: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = ?")
        .bind(keep)
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq > ?")
        .bind(keep)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_head SET last_seq = ?, last_hash = ?")
        .bind(keep)
        .bind(&hash)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkpoints_report_what_the_chain_cannot() {
    let dir = temp_dir("anchor");
    let key = dir.join("neo.key");
    let (key_s, public_s) = (key.to_str().unwrap(), dir.join("neo.pub"));
    let Some(made) = openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        key_s,
    ]) else {
        return;
    };
    assert!(made);
    assert_eq!(
        openssl(&[
            "pkey",
            "-in",
            key_s,
            "-pubout",
            "-out",
            public_s.to_str().unwrap()
        ]),
        Some(true)
    );
    let other = dir.join("khac.key");
    assert_eq!(
        openssl(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            other.to_str().unwrap()
        ]),
        Some(true)
    );

    let db_file = dir.join("m.db");
    let url = format!("sqlite://{}", db_file.display());
    let checkpoints = dir.join("diem-neo");
    let cp = checkpoints.to_str().unwrap();
    let with_anchor = |command: &str, key: &str| {
        motcua(&[
            "--database",
            &url,
            "audit",
            command,
            "--audit-checkpoints",
            cp,
            "--audit-key",
            key,
        ])
    };
    // Some history: a small demo province.
    let files = dir.join("files");
    let (ok, _, err) = motcua(&[
        "--database",
        &url,
        "--files",
        files.to_str().unwrap(),
        "seed",
        "demo",
        "--dossiers",
        "20",
    ]);
    assert!(ok, "{err}");

    // Missing settings are named; an empty folder is not a pass.
    let (ok, _, err) = motcua(&["--database", &url, "audit", "checkpoint"]);
    assert!(!ok && err.contains("--audit-checkpoints"), "{err}");
    std::fs::create_dir_all(&checkpoints).unwrap();
    let (ok, _, err) = with_anchor("verify", key_s);
    assert!(!ok && err.contains("không có điểm neo nào"), "{err}");

    let (ok, out, err) = with_anchor("checkpoint", key_s);
    assert!(ok, "{err}");
    assert!(out.contains("Đã neo nhật ký tại mục"), "{out}");
    let (ok, out, _) = with_anchor("checkpoint", key_s);
    assert!(ok && out.contains("chưa có mục mới"), "{out}");
    let files: Vec<_> = std::fs::read_dir(&checkpoints)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let checkpoint: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    let sealed_seq = checkpoint["seq"].as_i64().unwrap();
    assert!(sealed_seq > 3, "{checkpoint}");

    // openssl checks the seal on its own: the text and the DER signature, with the public key.
    let message = format!(
        "motcua-audit-checkpoint/1\nseq={}\nhash={}\nat={}\nkey={}\n",
        checkpoint["seq"],
        checkpoint["hash"].as_str().unwrap(),
        checkpoint["at"],
        checkpoint["key"].as_str().unwrap()
    );
    let (msg, sig) = (dir.join("msg.txt"), dir.join("sig.der"));
    std::fs::write(&msg, &message).unwrap();
    let hex = checkpoint["signature"].as_str().unwrap();
    let der: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    std::fs::write(&sig, &der).unwrap();
    let verify = |text: &Path| {
        openssl(&[
            "dgst",
            "-sha256",
            "-verify",
            public_s.to_str().unwrap(),
            "-signature",
            sig.to_str().unwrap(),
            text.to_str().unwrap(),
        ])
    };
    assert_eq!(verify(&msg), Some(true), "openssl accepts the seal");
    let forged = dir.join("forged.txt");
    std::fs::write(
        &forged,
        message.replace(&format!("seq={sealed_seq}"), "seq=1"),
    )
    .unwrap();
    assert_eq!(verify(&forged), Some(false), "openssl refuses another text");

    // Checked with the public key alone.
    let (ok, out, err) = with_anchor("verify", public_s.to_str().unwrap());
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!("đến mục {sealed_seq} đúng như đã niêm phong")),
        "{out}"
    );
    // Another key's checkpoints are not these.
    let (ok, _, err) = with_anchor("verify", other.to_str().unwrap());
    assert!(
        !ok && err.contains("không được niêm phong bằng khóa đã cho"),
        "{err}"
    );

    // More history after the checkpoint, then the attacker rewrites an entry before it and
    // recomputes every later hash: the chain alone still holds, the checkpoint does not.
    let (ok, out, err) = motcua(&[
        "--database",
        &url,
        "api-token",
        "create",
        "--username",
        "tn.trungtam1",
        "--name",
        "Kết nối thử",
    ]);
    assert!(ok && out.contains("Mã API số"), "{err}");
    let backup = dir.join("m-before.db");
    std::fs::copy(&db_file, &backup).unwrap();
    rewrite_from(&db_file, 2).await;
    let (ok, out, err) = motcua(&["--database", &url, "audit", "verify"]);
    assert!(ok, "the chain alone cannot tell: {err}");
    assert!(out.contains("Chưa đối chiếu điểm neo"), "{out}");
    let (ok, _, err) = with_anchor("verify", key_s);
    assert!(!ok, "a rewrite before the checkpoint is reported");
    assert!(
        err.contains(&format!("nhật ký bị viết lại: mục {sealed_seq}")),
        "{err}"
    );
    // The next checkpoint refuses to seal the forged log, and the honest one stays.
    let sealed_file = std::fs::read_to_string(&files[0]).unwrap();
    let (ok, _, err) = with_anchor("checkpoint", key_s);
    assert!(!ok && err.contains("không neo thêm"), "{err}");
    assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), sealed_file);
    assert_eq!(std::fs::read_dir(&checkpoints).unwrap().count(), 1);

    // The tail cut off: reported as a truncation.
    std::fs::copy(&backup, &db_file).unwrap();
    let (ok, _, err) = with_anchor("verify", key_s);
    assert!(ok, "restored: {err}");
    truncate_after(&db_file, sealed_seq - 2).await;
    let (ok, _, _) = motcua(&["--database", &url, "audit", "verify"]);
    assert!(ok, "the chain alone cannot tell");
    let (ok, _, err) = with_anchor("verify", key_s);
    assert!(!ok);
    assert!(err.contains("nhật ký bị cắt bớt"), "{err}");
    assert!(
        err.contains(&format!("chỉ còn đến mục {}", sealed_seq - 2)),
        "{err}"
    );

    // A checkpoint file edited to seal less is refused as altered.
    std::fs::copy(&backup, &db_file).unwrap();
    let edited = std::fs::read_to_string(&files[0]).unwrap().replace(
        &format!("\"seq\": {sealed_seq}"),
        &format!("\"seq\": {}", sealed_seq - 2),
    );
    std::fs::write(&files[0], edited).unwrap();
    let (ok, _, err) = with_anchor("verify", key_s);
    assert!(!ok && err.contains("đã bị sửa"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}
