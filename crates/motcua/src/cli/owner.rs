//! Một tệp, một tiến trình — one process serves a SQLite file. `serve` holds an exclusive
//! lock on `<file>.lock` while it runs, and a shared one on `<file>.users`, as `worker`
//! does; the commands that would disturb them (a second `serve`, `seed`, `migrate`,
//! `statistics rebuild`, `restore`) need both exclusive and refuse with a clear message
//! while either is held. The short commands that cooperate with a running server
//! (`report`, `audit`, `backup`, `import`, `api-token`, `signing-key`) go through SQLite's
//! own locking and take none. PostgreSQL needs no such lock.

use anyhow::Context;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

use super::database::DatabaseArgs;

/// The locks, held until dropped.
#[derive(Debug)]
pub struct Owner {
    _files: Vec<File>,
}

/// The file beside `path` whose name is `path`'s with `suffix` added: the lock files
/// (`.lock`: held by the one server; `.users`: shared by every process that works on the
/// file for long), a SQLite file's log (`-wal`, `-shm`), a staged copy.
pub fn beside(path: &std::path::Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Exclusive,
    Shared,
}

fn lock(db_file: &std::path::Path, suffix: &str, mode: Mode, what: &str) -> anyhow::Result<File> {
    if let Some(dir) = db_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
    }
    let path = beside(db_file, suffix);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("không mở được tệp khóa {}", path.display()))?;
    let taken = match mode {
        Mode::Exclusive => file.try_lock(),
        Mode::Shared => file.try_lock_shared(),
    };
    match taken {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => anyhow::bail!(
            "không thể {what}: tệp cơ sở dữ liệu {} đang được một tiến trình motcua khác dùng \
             (motcua serve, motcua worker, hoặc một lệnh đang ghi). Mỗi tệp SQLite chỉ do một \
             tiến trình phục vụ; hãy dừng tiến trình đó trước, hoặc dùng PostgreSQL để chạy \
             nhiều máy chủ",
            db_file.display()
        ),
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("không khóa được tệp {}", path.display()))
        }
    }
}

fn locks(
    args: &DatabaseArgs,
    wanted: &[(&str, Mode)],
    what: &str,
) -> anyhow::Result<Option<Owner>> {
    let Some(db_file) = motcua_db::Db::sqlite_file(&args.url()?) else {
        return Ok(None);
    };
    let files = wanted
        .iter()
        .map(|(suffix, mode)| lock(&db_file, suffix, *mode, what))
        .collect::<anyhow::Result<_>>()?;
    Ok(Some(Owner { _files: files }))
}

/// For a command that must have the file to itself (`seed`, `migrate`, `statistics
/// rebuild`, `restore`): refused while a server or a worker uses it. `None` when the
/// database is not a SQLite file.
pub fn take(args: &DatabaseArgs, what: &str) -> anyhow::Result<Option<Owner>> {
    locks(
        args,
        &[(".lock", Mode::Exclusive), (".users", Mode::Exclusive)],
        what,
    )
}

/// For the one server of a file: refused while another server or a command that must
/// have the file to itself runs; a worker may run beside it.
pub fn serve(args: &DatabaseArgs) -> anyhow::Result<Option<Owner>> {
    locks(
        args,
        &[(".lock", Mode::Exclusive), (".users", Mode::Shared)],
        "phục vụ",
    )
}

/// For a worker beside the server: refused only while a command that must have the file to
/// itself runs.
pub fn share(args: &DatabaseArgs, what: &str) -> anyhow::Result<Option<Owner>> {
    locks(args, &[(".users", Mode::Shared)], what)
}
