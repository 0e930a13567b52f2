//! `motcua api-token` — an administrator creates, lists and revokes staff API tokens from
//! the server's shell (the same as the administration page). A new token is printed once;
//! only its hash is kept.

use anyhow::{Context, bail};
use clap::Subcommand;
use motcua_db::{Db, Durability};

use super::database::DatabaseArgs;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for a staff member and print it (it is shown only this once).
    Create {
        /// The staff member's username.
        #[arg(long)]
        username: String,
        /// What the token is for (a program, a connection).
        #[arg(long)]
        name: String,
        /// Days until it expires (default: it does not expire).
        #[arg(long)]
        days: Option<u32>,
    },
    /// List tokens: whose, what for, created, expiry, revoked.
    List {
        /// Only this staff member's tokens.
        #[arg(long)]
        username: Option<String>,
    },
    /// Revoke a token by its number (from `list`), at once.
    Revoke { id: i64 },
}

pub async fn run(args: &DatabaseArgs, command: TokenCommand) -> anyhow::Result<()> {
    let db = args.open(Durability::Full).await?;
    let result = run_on(&db, command).await;
    db.close().await;
    result
}

async fn staff_id(db: &Db, username: &str) -> anyhow::Result<i64> {
    match db.people().staff_by_username(username).await? {
        Some(s) => Ok(s.id),
        None => bail!("không có cán bộ tên đăng nhập “{username}”"),
    }
}

fn date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| {
            t.with_timezone(&motcua_domain::calendar::vietnam_offset())
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

async fn run_on(db: &Db, command: TokenCommand) -> anyhow::Result<()> {
    let now = motcua_db::now_seconds();
    match command {
        TokenCommand::Create {
            username,
            name,
            days,
        } => {
            let id = staff_id(db, &username).await?;
            let expires = days.map(|d| now + i64::from(d) * 86_400);
            let made = db
                .people()
                .create_api_token(id, &name, expires, None, "cli")
                .await
                .context("không tạo được mã API")?;
            println!(
                "Mã API số {} của {} ({}): {}",
                made.token.id,
                made.token.username,
                made.token.state_vi(now),
                made.secret
            );
            println!("Mã chỉ hiện một lần này; hệ thống chỉ lưu giá trị băm của nó.");
        }
        TokenCommand::List { username } => {
            let whose = match username {
                Some(u) => Some(staff_id(db, &u).await?),
                None => None,
            };
            let tokens = db.people().api_tokens(whose).await?;
            if tokens.is_empty() {
                println!("Chưa có mã API nào.");
            }
            for t in tokens {
                println!(
                    "{:>5}  {:<16} {:<28} tạo {} bởi {:<10} {}",
                    t.id,
                    t.username,
                    t.name,
                    date(t.created_at),
                    t.created_by,
                    t.state_vi(now)
                );
            }
        }
        TokenCommand::Revoke { id } => {
            let t = db.people().revoke_api_token(id, "cli").await?;
            println!(
                "Đã thu hồi mã API số {} ({}, {}).",
                t.id, t.username, t.name
            );
        }
    }
    Ok(())
}
