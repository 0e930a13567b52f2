//! `motcua signing-key` — an administrator configures the key each agency signs results
//! with: a key file kept on this server (only its path goes into the database), a key in a
//! PKCS #11 token or HSM (only its URI), or a self-signed demo key kept in the database for
//! trials.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use motcua_db::{Durability, KeySource, SigningKey};

use super::database::DatabaseArgs;

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Use a private key file on this server (PKCS #8, PEM or DER, P-256) and the
    /// certificate issued for it (PEM or DER). The file is read at each signature.
    Set {
        /// The agency's code, e.g. 000.00.03.H56.
        #[arg(long)]
        agency: String,
        #[arg(long)]
        key: PathBuf,
        #[arg(long)]
        certificate: PathBuf,
    },
    /// Use a key held in a PKCS #11 token or HSM (a leader's USB token, the agency's HSM),
    /// named by its URI (RFC 7512), e.g.
    /// `pkcs11:token=SoTuPhap;object=ky-so?module-path=/usr/lib/…/libp11.so&pin-source=file:/etc/motcua/pin`,
    /// and the certificate issued for it. The token signs a test value now.
    Token {
        #[arg(long)]
        agency: String,
        #[arg(long)]
        uri: String,
        #[arg(long)]
        certificate: PathBuf,
    },
    /// Generate a self-signed demo key, kept in the database: for trials, never real results.
    Demo {
        #[arg(long)]
        agency: String,
    },
    /// Print an agency's certificate fingerprint and where its key is.
    Show {
        #[arg(long)]
        agency: String,
    },
}

/// Warns when the key file can be read by anyone but its owner.
#[cfg(unix)]
fn check_permissions(path: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        eprintln!(
            "Cảnh báo: tệp khóa {} đọc được bởi người khác (quyền {:o}); nên đặt chmod 600.",
            path.display(),
            mode & 0o777
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_path: &std::path::Path) -> anyhow::Result<()> {
    Ok(())
}

pub async fn run(args: &DatabaseArgs, command: KeyCommand) -> anyhow::Result<()> {
    let db = args.open(Durability::Full).await?;
    let result = run_on(&db, command).await;
    db.close().await;
    result
}

async fn run_on(db: &motcua_db::Db, command: KeyCommand) -> anyhow::Result<()> {
    let now = chrono::Utc::now().with_timezone(&motcua_domain::calendar::vietnam_offset());
    let agency_of = |code: String| async move {
        db.agencies()
            .agency_by_code(&code)
            .await?
            .with_context(|| format!("không có cơ quan mã {code}"))
    };
    match command {
        KeyCommand::Set {
            agency,
            key,
            certificate,
        } => {
            let agency = agency_of(agency).await?;
            let key = std::fs::canonicalize(&key)
                .with_context(|| format!("không tìm thấy tệp khóa {}", key.display()))?;
            check_permissions(&key)?;
            let read = |p: &PathBuf| {
                std::fs::read(p).with_context(|| format!("không đọc được {}", p.display()))
            };
            let loaded = motcua_docs::AgencyKey::from_files(&read(&key)?, &read(&certificate)?)?;
            let stored = SigningKey {
                agency_id: agency.id,
                certificate: loaded.certificate_der()?,
                certificate_sha256: loaded.certificate_sha256()?,
                subject: loaded.subject(),
                source: KeySource::File(key),
            };
            db.files().set_signing_key(&stored, "cli", now).await?;
            println!(
                "{}: khóa trong tệp, chứng thư {}\nSHA-256: {}",
                agency.name, stored.subject, stored.certificate_sha256
            );
        }
        KeyCommand::Token {
            agency,
            uri,
            certificate,
        } => {
            let agency = agency_of(agency).await?;
            let certificate = std::fs::read(&certificate)
                .with_context(|| format!("không đọc được {}", certificate.display()))?;
            let probe_uri = uri.clone();
            let loaded = tokio::task::spawn_blocking(move || {
                motcua_docs::AgencyKey::from_token(&probe_uri, &certificate)
            })
            .await??;
            let stored = SigningKey {
                agency_id: agency.id,
                certificate: loaded.certificate_der()?,
                certificate_sha256: loaded.certificate_sha256()?,
                subject: loaded.subject(),
                source: KeySource::Token(uri),
            };
            db.files().set_signing_key(&stored, "cli", now).await?;
            println!(
                "{}: khóa trong thiết bị ký, chứng thư {}\nSHA-256: {}",
                agency.name, stored.subject, stored.certificate_sha256
            );
        }
        KeyCommand::Demo { agency } => {
            let agency = agency_of(agency).await?;
            let key = motcua_web::signing::create_demo_key(db, &agency, "cli", now, now).await?;
            println!(
                "{}: khóa MẪU lưu trong cơ sở dữ liệu (chỉ để dùng thử)\nSHA-256: {}",
                agency.name, key.certificate_sha256
            );
        }
        KeyCommand::Show { agency } => {
            let agency = agency_of(agency).await?;
            let Some(key) = db.files().signing_key(agency.id).await? else {
                bail!("{} chưa có khóa ký", agency.name);
            };
            let place = match &key.source {
                KeySource::File(path) => format!("tệp {}", path.display()),
                KeySource::Demo(_) => "khóa MẪU trong cơ sở dữ liệu".into(),
                KeySource::Token(uri) => format!("thiết bị ký {uri}"),
            };
            println!(
                "{}\nchứng thư: {}\nSHA-256: {}\nkhóa: {place}",
                agency.name, key.subject, key.certificate_sha256
            );
        }
    }
    Ok(())
}
