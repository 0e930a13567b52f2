//! Thư điện tử — e-mail over SMTP (plain, STARTTLS or implicit TLS, optional AUTH).

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Failure, Outgoing, Sent};
use crate::config::{SmtpConfig, SmtpSecurity};

/// A configured SMTP sender.
pub(crate) struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain part of `Message-ID`s.
    domain: String,
}

impl Smtp {
    pub(crate) fn new(config: &SmtpConfig) -> Result<Self, crate::ConfigError> {
        let bad = |what: &str, e: &dyn std::fmt::Display| {
            crate::ConfigError(format!("cấu hình SMTP: {what}: {e}"))
        };
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| bad("địa chỉ người gửi", &e))?;
        let tls = || -> Result<TlsParameters, crate::ConfigError> {
            let mut params = TlsParameters::builder(config.host.clone());
            if let Some(pem) = &config.ca_pem {
                let ca = Certificate::from_pem(pem).map_err(|e| bad("chứng thư CA", &e))?;
                params = params
                    .certificate_store(CertificateStore::None)
                    .add_root_certificate(ca);
            }
            params.build_rustls().map_err(|e| bad("TLS", &e))
        };
        let security = match config.security {
            SmtpSecurity::Plain => Tls::None,
            SmtpSecurity::StartTls => Tls::Required(tls()?),
            SmtpSecurity::Tls => Tls::Wrapper(tls()?),
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.host.as_str())
                .tls(security)
                .port(config.port)
                .timeout(Some(config.timeout));
        if let Some((user, password)) = &config.credentials {
            builder = builder
                .credentials(Credentials::new(user.clone(), password.clone()))
                .authentication(vec![Mechanism::Plain, Mechanism::Login]);
        }
        Ok(Self {
            transport: builder.build(),
            domain: from.email.domain().to_string(),
            from,
        })
    }

    pub(crate) async fn send(&self, message: &Outgoing<'_>) -> Result<Sent, Failure> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|e| Failure::permanent(format!("địa chỉ nhận không hợp lệ: {e}")))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.rendered.subject.as_str())
            .message_id(Some(format!("<outbox-{}@{}>", message.id, self.domain)))
            .header(ContentType::TEXT_PLAIN)
            .body(message.rendered.body.clone())
            .map_err(|e| Failure::permanent(format!("không tạo được thư: {e}")))?;
        match self.transport.send(email).await {
            Ok(response) => Ok(Sent(format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            ))),
            Err(e) if e.is_permanent() => Err(Failure::permanent(e.to_string())),
            Err(e) => Err(Failure::temporary(e.to_string())),
        }
    }
}
