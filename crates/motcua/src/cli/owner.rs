//! Một tệp, một tiến trình — one process serves a SQLite file. `serve` holds an exclusive
//! lock on `<file>.lock` while it runs; the commands that would disturb it (a second
//! `serve`, `seed`, `migrate`, `statistics rebuild`, `restore`) take the same lock and
//! refuse with a clear message while it is held. The commands that cooperate with a running
//! server (`worker`, `report`, `audit`, `backup`, `import`, `api-token`, `signing-key`) go
//! through SQLite's own locking and take none. PostgreSQL needs no such lock.

use anyhow::Context;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

use super::database::DatabaseArgs;

/// The lock, held until dropped.
#[derive(Debug)]
pub struct Owner {
    _file: File,
}

/// The lock file beside a SQLite database file.
pub fn lock_path(db_file: &std::path::Path) -> PathBuf {
    let mut name = db_file.as_os_str().to_owned();
    name.push(".lock");
    name.into()
}

/// Takes the database's lock for `what` (a command's name, for the message), or says who
/// has it. `None` when the database is not a SQLite file.
pub fn take(args: &DatabaseArgs, what: &str) -> anyhow::Result<Option<Owner>> {
    let Some(db_file) = motcua_db::Db::sqlite_file(&args.url()?) else {
        return Ok(None);
    };
    if let Some(dir) = db_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
    }
    let path = lock_path(&db_file);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("không mở được tệp khóa {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(Owner { _file: file })),
        Err(TryLockError::WouldBlock) => anyhow::bail!(
            "không thể {what}: tệp cơ sở dữ liệu {} đang được một tiến trình motcua khác dùng \
             (motcua serve, hoặc một lệnh đang ghi). Mỗi tệp SQLite chỉ do một tiến trình phục vụ; \
             hãy dừng tiến trình đó trước, hoặc dùng PostgreSQL để chạy nhiều máy chủ",
            db_file.display()
        ),
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("không khóa được tệp {}", path.display()))
        }
    }
}
