//! Servers on 127.0.0.1 that stand in for an SMTP relay and the SMS/Zalo gateways.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One mail the SMTP server accepted.
#[derive(Debug, Clone, Default)]
pub struct Mail {
    /// `(user, password)` from AUTH PLAIN or LOGIN.
    pub auth: Option<(String, String)>,
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
    /// Whether it came over TLS.
    pub secure: bool,
}

impl Mail {
    pub fn header(&self, name: &str) -> Option<String> {
        let (head, _) = self.data.split_once("\r\n\r\n")?;
        // Unfold continuation lines first.
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    /// The subject with its encoded words (`=?utf-8?b?…?=`) decoded.
    pub fn subject(&self) -> String {
        decode_words(&self.header("Subject").unwrap_or_default())
    }

    /// The body, decoded from quoted-printable or base64.
    pub fn body(&self) -> String {
        let (_, body) = self.data.split_once("\r\n\r\n").unwrap();
        match self
            .header("Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase()
            .as_str()
        {
            "base64" => {
                let joined: String = body.split_whitespace().collect();
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(joined)
                        .unwrap(),
                )
                .unwrap()
            }
            "quoted-printable" => decode_qp(body),
            _ => body.to_string(),
        }
    }
}

/// Decodes RFC 2047 encoded words: the space between two encoded words is dropped, any
/// other space between words is kept.
fn decode_words(text: &str) -> String {
    let mut bytes = Vec::new();
    let mut last_encoded = false;
    for part in text.split_whitespace() {
        let lower = part.to_ascii_lowercase();
        let encoded = lower.starts_with("=?utf-8?b?") && part.ends_with("?=");
        let joined = encoded && last_encoded;
        if !bytes.is_empty() && !joined {
            bytes.push(b' ');
        }
        if encoded {
            let inner = &part[10..part.len() - 2];
            bytes.extend(
                base64::engine::general_purpose::STANDARD
                    .decode(inner)
                    .unwrap(),
            );
        } else {
            bytes.extend(part.as_bytes());
        }
        last_encoded = encoded;
    }
    String::from_utf8(bytes).unwrap()
}

fn decode_qp(text: &str) -> String {
    let text = text.replace("=\r\n", "");
    let raw = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// How the SMTP server secures its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    Plain,
    /// Offers STARTTLS and upgrades when asked.
    StartTls,
    /// TLS from the first byte.
    Tls,
}

/// The test CA's certificate, to trust in the client.
pub const CA_PEM: &[u8] = include_bytes!("../tls/ca.pem");

fn acceptor() -> tokio_rustls::TlsAcceptor {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_slice_iter(include_bytes!("../tls/server.pem"))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("../tls/server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

/// Starts a plain ESMTP server; see [`smtp_server_with`].
pub async fn smtp_server() -> (u16, Arc<Mutex<Vec<Mail>>>) {
    smtp_server_with(Security::Plain).await
}

/// Starts an ESMTP server that speaks EHLO, STARTTLS, AUTH PLAIN/LOGIN (only LOGIN over
/// TLS), MAIL, RCPT, DATA and QUIT, refuses recipients at `refused.example`, and records
/// what it accepts.
pub async fn smtp_server_with(security: Security) -> (u16, Arc<Mutex<Vec<Mail>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let store = Arc::clone(&mails);
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let _ = connection(socket, security, store).await;
            });
        }
    });
    (port, mails)
}

async fn connection(
    socket: tokio::net::TcpStream,
    security: Security,
    store: Arc<Mutex<Vec<Mail>>>,
) -> std::io::Result<()> {
    match security {
        Security::Plain => session(socket, store, false, true, false).await.map(drop),
        Security::Tls => {
            let tls = acceptor().accept(socket).await?;
            session(tls, store, false, true, true).await.map(drop)
        }
        Security::StartTls => {
            if let Some(socket) = session(socket, Arc::clone(&store), true, true, false).await? {
                let tls = acceptor().accept(socket).await?;
                session(tls, store, false, false, true).await?;
            }
            Ok(())
        }
    }
}

/// Speaks SMTP on `stream`; returns the stream when the client asked for STARTTLS.
async fn session<S>(
    stream: S,
    store: Arc<Mutex<Vec<Mail>>>,
    offer_starttls: bool,
    greet: bool,
    secure: bool,
) -> std::io::Result<Option<S>>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (read, mut write) = tokio::io::split(stream);
    let mut lines = BufReader::new(read).lines();
    let b64 = base64::engine::general_purpose::STANDARD;
    let decode =
        |s: &str| String::from_utf8(b64.decode(s.trim()).unwrap_or_default()).unwrap_or_default();
    if greet {
        write.write_all(b"220 loopback ESMTP\r\n").await?;
    }
    let mut mail = Mail {
        secure,
        ..Mail::default()
    };
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let reply: String = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            let starttls = if offer_starttls {
                "250-STARTTLS\r\n"
            } else {
                ""
            };
            // Over TLS only LOGIN is offered, so the tests go through both mechanisms.
            let auth = if secure { "LOGIN" } else { "PLAIN LOGIN" };
            format!("250-loopback\r\n{starttls}250-AUTH {auth}\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        } else if upper == "STARTTLS" && offer_starttls {
            write.write_all(b"220 2.0.0 ready to start TLS\r\n").await?;
            let read = lines.into_inner().into_inner();
            return Ok(Some(read.unsplit(write)));
        } else if let Some(rest) = upper.strip_prefix("AUTH PLAIN") {
            let encoded = if rest.trim().is_empty() {
                write.write_all(b"334 \r\n").await?;
                lines.next_line().await?.unwrap_or_default()
            } else {
                line[10..].trim().to_string()
            };
            let plain = decode(&encoded);
            let parts: Vec<&str> = plain.split('\0').collect();
            mail.auth = Some((parts[1].to_string(), parts[2].to_string()));
            "235 2.7.0 ok\r\n".into()
        } else if upper.starts_with("AUTH LOGIN") {
            write.write_all(b"334 VXNlcm5hbWU6\r\n").await?;
            let user = decode(&lines.next_line().await?.unwrap_or_default());
            write.write_all(b"334 UGFzc3dvcmQ6\r\n").await?;
            let password = decode(&lines.next_line().await?.unwrap_or_default());
            mail.auth = Some((user, password));
            "235 2.7.0 ok\r\n".into()
        } else if upper.starts_with("MAIL FROM:") {
            mail.from = line[10..].trim().to_string();
            "250 2.1.0 ok\r\n".into()
        } else if upper.starts_with("RCPT TO:") {
            if line.contains("refused.example") {
                "550 5.1.1 no such user\r\n".into()
            } else {
                mail.to.push(line[8..].trim().to_string());
                "250 2.1.5 ok\r\n".into()
            }
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                data.push_str(
                    l.strip_prefix('.')
                        .filter(|_| l.starts_with(".."))
                        .unwrap_or(&l),
                );
                data.push_str("\r\n");
            }
            mail.data = data;
            let n = {
                let mut all = store.lock().unwrap();
                all.push(std::mem::replace(
                    &mut mail,
                    Mail {
                        secure,
                        ..Mail::default()
                    },
                ));
                all.len()
            };
            format!("250 2.0.0 queued as {n}\r\n")
        } else if upper == "RSET" || upper == "NOOP" {
            "250 ok\r\n".into()
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(None);
        } else {
            "502 not implemented\r\n".into()
        };
        write.write_all(reply.as_bytes()).await?;
    }
    Ok(None)
}

/// One request a gateway received.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub key: String,
    pub authorization: String,
    pub body: String,
    /// The status the gateway answered (none when it was still holding the request).
    pub answered: Option<u16>,
}

/// A gateway whose behaviour is named by the path: `/ok`, `/flaky` (503 the first time
/// for each key), `/reject` (400), `/slow` (answers after 5 s).
pub async fn gateway() -> (String, Arc<Mutex<Vec<Hit>>>) {
    let hits = Arc::new(Mutex::new(Vec::new()));
    let app = axum::Router::new()
        .route("/{kind}", axum::routing::post(answer))
        .with_state(Arc::clone(&hits));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, hits)
}

async fn answer(
    State(hits): State<Arc<Mutex<Vec<Hit>>>>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, String) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let key = header("idempotency-key");
    let (index, seen) = {
        let mut all = hits.lock().unwrap();
        let seen = all
            .iter()
            .filter(|h| h.path == kind && h.key == key)
            .count();
        all.push(Hit {
            path: kind.clone(),
            key: key.clone(),
            authorization: header("authorization"),
            body,
            answered: None,
        });
        (all.len() - 1, seen)
    };
    let (status, text) = match kind.as_str() {
        "flaky" if seen == 0 => (StatusCode::SERVICE_UNAVAILABLE, "tạm thời quá tải"),
        "reject" => (StatusCode::BAD_REQUEST, "số điện thoại chưa dùng Zalo"),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            (StatusCode::OK, "chậm")
        }
        _ => (StatusCode::OK, "đã nhận"),
    };
    hits.lock().unwrap()[index].answered = Some(status.as_u16());
    (
        status,
        format!("{{\"message\":\"{text}\",\"key\":\"{key}\"}}"),
    )
}
