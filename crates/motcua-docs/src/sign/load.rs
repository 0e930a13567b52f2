//! Tệp khóa — loading an agency's key from the files an administrator keeps on the server:
//! the private key as PKCS #8 (PEM, as `openssl genpkey` writes it, or DER) and the
//! certificate a CA issued for it (PEM or DER).

use der::Decode;
use p256::ecdsa::SigningKey;
use p256::pkcs8::DecodePrivateKey;
use x509_cert::Certificate;
use x509_cert::spki::SubjectPublicKeyInfo;

use super::{AgencyKey, sign_err};
use crate::error::DocsError;

/// The DER inside a PEM block labelled `label`, or the bytes as they are if not PEM.
pub(super) fn der_of(bytes: &[u8], label: &str) -> Result<Vec<u8>, DocsError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(bytes.to_vec());
    };
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let Some(start) = text.find(&begin) else {
        if text.contains("-----BEGIN") {
            return Err(sign_err("tệp PEM", format!("cần khối {label}")));
        }
        return Ok(bytes.to_vec());
    };
    let body = &text[start + begin.len()..];
    let stop = body
        .find(&end)
        .ok_or_else(|| sign_err("tệp PEM", "thiếu dòng END"))?;
    let base64: String = body[..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    data_encoding::BASE64
        .decode(base64.as_bytes())
        .map_err(|e| sign_err("tệp PEM", e))
}

impl AgencyKey {
    /// Loads a key from a private key file's bytes (PKCS #8, PEM or DER, P-256) and its
    /// certificate's (PEM or DER); the certificate must be the key's.
    pub fn from_files(private_key: &[u8], certificate: &[u8]) -> Result<Self, DocsError> {
        let key = SigningKey::from_pkcs8_der(&der_of(private_key, "PRIVATE KEY")?)
            .map_err(|e| sign_err("khóa bí mật (PKCS #8, P-256)", e))?;
        let certificate = Certificate::from_der(&der_of(certificate, "CERTIFICATE")?)
            .map_err(|e| sign_err("chứng thư", e))?;
        let spki = SubjectPublicKeyInfo::from_key(key.verifying_key())
            .map_err(|e| sign_err("khóa công khai", e))?;
        if certificate.tbs_certificate().subject_public_key_info() != &spki {
            return Err(sign_err("chứng thư", "không khớp với khóa bí mật"));
        }
        Ok(Self {
            key: super::key::KeyHolder::Software(key),
            certificate,
        })
    }

    /// Whether the certificate is in force at `at` (between its not-before and not-after).
    pub fn valid_at(&self, at: motcua_domain::calendar::Instant) -> bool {
        let validity = self.certificate.tbs_certificate().validity();
        let (from, until) = (
            super::from_time(&validity.not_before),
            super::from_time(&validity.not_after),
        );
        matches!((from, until), (Some(from), Some(until)) if from <= at && at <= until)
    }

    /// The certificate's subject, as text (RFC 4514).
    pub fn subject(&self) -> String {
        self.certificate.tbs_certificate().subject().to_string()
    }

    /// The signer's name as readers show it: the certificate subject's common name.
    pub fn signer_name(&self) -> String {
        super::verify::common_name(&self.certificate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_read_and_raw_der_passes_through() {
        let pem = "-----BEGIN PRIVATE KEY-----\nAAEC\nAw==\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            der_of(pem.as_bytes(), "PRIVATE KEY").unwrap(),
            vec![0, 1, 2, 3]
        );
        assert_eq!(
            der_of(&[0x30, 0x82], "PRIVATE KEY").unwrap(),
            vec![0x30, 0x82]
        );
        let wrong = "-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----";
        assert!(der_of(wrong.as_bytes(), "PRIVATE KEY").is_err());
    }

    #[test]
    fn openssl_keys_load_when_openssl_is_installed() {
        let dir = std::env::temp_dir().join(format!("motcua-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (key, cert) = (dir.join("k.pem"), dir.join("c.pem"));
        let made = std::process::Command::new("openssl")
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
            .args(["ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj"])
            .args(["/CN=So Tu phap/O=test"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output();
        if !made.is_ok_and(|o| o.status.success()) {
            eprintln!("openssl không có: bỏ qua");
            return;
        }
        let loaded = AgencyKey::from_files(
            &std::fs::read(&key).unwrap(),
            &std::fs::read(&cert).unwrap(),
        )
        .unwrap();
        assert!(
            loaded.subject().contains("CN=So Tu phap"),
            "{}",
            loaded.subject()
        );
        let now = chrono::Utc::now().with_timezone(&motcua_domain::calendar::vietnam_offset());
        assert!(loaded.valid_at(now));
        use chrono::TimeZone;
        let long_ago = motcua_domain::calendar::vietnam_offset()
            .with_ymd_and_hms(2001, 1, 1, 0, 0, 0)
            .unwrap();
        assert!(!loaded.valid_at(long_ago));
        let at = now;
        let p7s = loaded.sign(b"%PDF-1.7 ket qua", at).unwrap();
        assert!(
            super::super::verify(b"%PDF-1.7 ket qua", &p7s)
                .unwrap()
                .is_valid()
        );
        // Another certificate is refused.
        let other = AgencyKey::generate_demo("X", "1", &[9; 32], at, 1).unwrap();
        assert!(
            AgencyKey::from_files(
                &std::fs::read(&key).unwrap(),
                &other.certificate_der().unwrap()
            )
            .is_err()
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
