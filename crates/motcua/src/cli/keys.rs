//! `motcua signing-key` — an administrator configures the key each agency (or each leader,
//! personally) signs with: a key file kept on this server (only its path goes into the
//! database), a key in a PKCS #11 token or HSM (only its URI), or a self-signed demo key kept
//! in the database for trials; and chooses, per agency, whose certificate signs.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use motcua_db::{Durability, KeyOwner, KeySource, SigningKey};
use motcua_domain::agency::SignWith;

use super::database::DatabaseArgs;

/// Whose key: an agency's, or a staff member's personal one.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Owner {
    /// The agency's code, e.g. 000.00.03.H56.
    #[arg(long)]
    agency: Option<String>,
    /// A staff member's user name: their personal key (a leader's token), used for the
    /// agencies that sign with the signer's own certificate (`signing-key choose`).
    #[arg(long)]
    staff: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Use a private key file on this server (PKCS #8, PEM or DER, P-256) and the
    /// certificate issued for it (PEM or DER). The file is read at each signature.
    Set {
        #[command(flatten)]
        owner: Owner,
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
        #[command(flatten)]
        owner: Owner,
        #[arg(long)]
        uri: String,
        #[arg(long)]
        certificate: PathBuf,
    },
    /// Generate a self-signed demo key, kept in the database: for trials, never real results.
    Demo {
        #[command(flatten)]
        owner: Owner,
    },
    /// Print a certificate's fingerprint and where its key is (and, for an agency, whose
    /// certificate signs for it).
    Show {
        #[command(flatten)]
        owner: Owner,
    },
    /// Choose whose certificate signs an agency's papers and results: the agency's own
    /// (`agency`) or the personal one of the person who signs (`person`).
    Choose {
        #[arg(long)]
        agency: String,
        #[arg(long, value_parser = ["agency", "person"])]
        with: String,
    },
}

/// An owner found in the database: its key's owner and its name.
struct Found {
    owner: KeyOwner,
    name: String,
    agency: Option<motcua_db::Agency>,
    staff: Option<motcua_db::Staff>,
}

async fn find(db: &motcua_db::Db, owner: Owner) -> anyhow::Result<Found> {
    match (owner.agency, owner.staff) {
        (Some(code), _) => {
            let agency = db
                .agencies()
                .agency_by_code(&code)
                .await?
                .with_context(|| format!("không có cơ quan mã {code}"))?;
            Ok(Found {
                owner: KeyOwner::Agency(agency.id),
                name: agency.name.clone(),
                agency: Some(agency),
                staff: None,
            })
        }
        (None, Some(username)) => {
            let staff = db
                .people()
                .staff_by_username(username.trim())
                .await?
                .with_context(|| format!("không có cán bộ tên đăng nhập {username}"))?;
            Ok(Found {
                owner: KeyOwner::Person(staff.id),
                name: staff.full_name.clone(),
                agency: None,
                staff: Some(staff),
            })
        }
        (None, None) => bail!("cần --agency hoặc --staff"),
    }
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
    match command {
        KeyCommand::Set {
            owner,
            key,
            certificate,
        } => {
            let found = find(db, owner).await?;
            let key = std::fs::canonicalize(&key)
                .with_context(|| format!("không tìm thấy tệp khóa {}", key.display()))?;
            check_permissions(&key)?;
            let read = |p: &PathBuf| {
                std::fs::read(p).with_context(|| format!("không đọc được {}", p.display()))
            };
            let loaded = motcua_docs::AgencyKey::from_files(&read(&key)?, &read(&certificate)?)?;
            let stored = SigningKey {
                owner: found.owner,
                certificate: loaded.certificate_der()?,
                certificate_sha256: loaded.certificate_sha256()?,
                subject: loaded.subject(),
                source: KeySource::File(key),
            };
            db.files().set_signing_key(&stored, "cli", now).await?;
            println!(
                "{}: khóa trong tệp, chứng thư {}\nSHA-256: {}",
                found.name, stored.subject, stored.certificate_sha256
            );
        }
        KeyCommand::Token {
            owner,
            uri,
            certificate,
        } => {
            let found = find(db, owner).await?;
            let certificate = std::fs::read(&certificate)
                .with_context(|| format!("không đọc được {}", certificate.display()))?;
            let probe_uri = uri.clone();
            let loaded = tokio::task::spawn_blocking(move || {
                motcua_docs::AgencyKey::from_token(&probe_uri, &certificate)
            })
            .await??;
            let stored = SigningKey {
                owner: found.owner,
                certificate: loaded.certificate_der()?,
                certificate_sha256: loaded.certificate_sha256()?,
                subject: loaded.subject(),
                source: KeySource::Token(uri),
            };
            db.files().set_signing_key(&stored, "cli", now).await?;
            println!(
                "{}: khóa trong thiết bị ký, chứng thư {}\nSHA-256: {}",
                found.name, stored.subject, stored.certificate_sha256
            );
        }
        KeyCommand::Demo { owner } => {
            let found = find(db, owner).await?;
            let key = match (&found.agency, &found.staff) {
                (Some(agency), _) => {
                    motcua_web::signing::create_demo_key(db, agency, "cli", now, now).await?
                }
                (None, Some(staff)) => {
                    motcua_web::signing::create_personal_demo_key(db, staff, "cli", now, now)
                        .await?
                }
                (None, None) => bail!("cần --agency hoặc --staff"),
            };
            println!(
                "{}: khóa MẪU lưu trong cơ sở dữ liệu (chỉ để dùng thử)\nSHA-256: {}",
                found.name, key.certificate_sha256
            );
        }
        KeyCommand::Show { owner } => {
            let found = find(db, owner).await?;
            let key = match found.owner {
                KeyOwner::Agency(id) => db.files().signing_key(id).await?,
                KeyOwner::Person(id) => db.files().personal_key(id).await?,
            };
            if let Some(agency) = &found.agency {
                println!("{}\nký bằng: {}", agency.name, agency.sign_with.label_vi());
            }
            let Some(key) = key else {
                bail!("{} chưa có khóa ký", found.name);
            };
            let place = match &key.source {
                KeySource::File(path) => format!("tệp {}", path.display()),
                KeySource::Demo(_) => "khóa MẪU trong cơ sở dữ liệu".into(),
                KeySource::Token(uri) => format!("thiết bị ký {uri}"),
            };
            println!(
                "{}\nchứng thư: {}\nSHA-256: {}\nkhóa: {place}",
                found.name, key.subject, key.certificate_sha256
            );
        }
        KeyCommand::Choose { agency, with } => {
            let found = find(
                db,
                Owner {
                    agency: Some(agency),
                    staff: None,
                },
            )
            .await?;
            let with = SignWith::parse(&with)
                .with_context(|| format!("“{with}”: chọn agency hoặc person"))?;
            let KeyOwner::Agency(id) = found.owner else {
                bail!("chỉ cơ quan mới chọn chứng thư ký");
            };
            db.agencies().set_sign_with(id, with, "cli").await?;
            println!("{}: ký bằng {}", found.name, with.label_vi().to_lowercase());
        }
    }
    Ok(())
}
