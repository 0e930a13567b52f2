//! Khóa trong thiết bị ký (PKCS #11) — a private key held in a USB token or an HSM, named by
//! a PKCS #11 URI (RFC 7512), as Vietnamese CAs issue leaders' and agencies' certificates.
//! The token signs; the key never leaves it. Keys on elliptic curve P-256 (ECDSA) and RSA keys
//! (PKCS #1 v1.5, the kind most Vietnamese CAs issue on tokens) are supported, both with
//! SHA-256.

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, ObjectClass};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use sha2::{Digest, Sha256};

use super::sign_err;
use crate::error::DocsError;

/// A key in a token, as a PKCS #11 URI names it:
/// `pkcs11:token=…;object=…?module-path=…&pin-source=file:…`.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenKey {
    /// The PKCS #11 library (`module-path`).
    module: String,
    /// The token's label (`token`), or any token when absent.
    token: Option<String>,
    /// The key's label (`object`) and id (`id`); one of them at least.
    label: Option<String>,
    id: Option<Vec<u8>>,
    /// Where the user PIN is read from (`pin-source=file:…`), or the PIN itself
    /// (`pin-value`).
    pin: Pin,
}

/// The kind of key a certificate names, so the token is asked for the matching mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// ECDSA on P-256: the token signs the SHA-256 digest (CKM_ECDSA).
    Ec,
    /// RSA: the token hashes and signs (CKM_SHA256_RSA_PKCS).
    Rsa,
}

#[derive(Clone, PartialEq, Eq)]
enum Pin {
    File(String),
    Value(String),
    None,
}

impl std::fmt::Debug for TokenKey {
    // Never print a PIN.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKey")
            .field("module", &self.module)
            .field("token", &self.token)
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

/// `%xx` escapes of a URI component decoded.
fn unescape(text: &str) -> Result<Vec<u8>, DocsError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| sign_err("địa chỉ PKCS #11", format!("“%” lạc ở vị trí {i}")))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn text(value: &str) -> Result<String, DocsError> {
    String::from_utf8(unescape(value)?).map_err(|e| sign_err("địa chỉ PKCS #11", e))
}

impl TokenKey {
    /// Reads a PKCS #11 URI (RFC 7512): the token and object in its path, the library and
    /// the PIN's source in its query.
    pub fn parse(uri: &str) -> Result<Self, DocsError> {
        let bad = |what: &str| sign_err("địa chỉ PKCS #11", what.to_string());
        let rest = uri
            .trim()
            .strip_prefix("pkcs11:")
            .ok_or_else(|| bad("phải bắt đầu bằng “pkcs11:”"))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut key = Self {
            module: String::new(),
            token: None,
            label: None,
            id: None,
            pin: Pin::None,
        };
        for part in path.split(';').filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| bad(&format!("“{part}” thiếu dấu =")))?;
            match name {
                "token" => key.token = Some(text(value)?),
                "object" => key.label = Some(text(value)?),
                "id" => key.id = Some(unescape(value)?),
                // Other path attributes (manufacturer, serial, type…) narrow nothing here.
                _ => {}
            }
        }
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| bad(&format!("“{part}” thiếu dấu =")))?;
            match name {
                "module-path" => key.module = text(value)?,
                "pin-source" => {
                    let source = text(value)?;
                    let path = source.strip_prefix("file:").unwrap_or(&source);
                    key.pin = Pin::File(path.trim_start_matches("//").to_string());
                }
                "pin-value" => key.pin = Pin::Value(text(value)?),
                _ => {}
            }
        }
        if key.module.is_empty() {
            return Err(bad("thiếu module-path (thư viện PKCS #11 của thiết bị)"));
        }
        if key.label.is_none() && key.id.is_none() {
            return Err(bad("thiếu object= hoặc id= (khóa nào trong thiết bị)"));
        }
        Ok(key)
    }

    /// The user PIN.
    fn pin(&self) -> Result<Option<AuthPin>, DocsError> {
        match &self.pin {
            Pin::None => Ok(None),
            Pin::Value(v) => Ok(Some(AuthPin::from(v.clone()))),
            Pin::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    sign_err(
                        "mã PIN của thiết bị ký",
                        format!("không đọc được {path}: {e}"),
                    )
                })?;
                Ok(Some(AuthPin::from(text.trim().to_string())))
            }
        }
    }

    /// Has the token sign `data` (the DER of a signature's signed attributes) with its key of
    /// `kind`: ECDSA over its SHA-256, returned DER-encoded, or RSA PKCS #1 v1.5 with SHA-256.
    pub(crate) fn sign(&self, data: &[u8], kind: KeyKind) -> Result<Vec<u8>, DocsError> {
        let fail = |what: &'static str| move |e: cryptoki::error::Error| sign_err(what, e);
        let pkcs11 = Pkcs11::new(&self.module).map_err(|e| {
            sign_err(
                "thư viện PKCS #11",
                format!("không nạp được {}: {e}", self.module),
            )
        })?;
        pkcs11
            .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
            .map_err(fail("khởi động thiết bị ký"))?;
        let result = self.sign_with(&pkcs11, data, kind);
        let _ = pkcs11.finalize();
        result
    }

    fn sign_with(&self, pkcs11: &Pkcs11, data: &[u8], kind: KeyKind) -> Result<Vec<u8>, DocsError> {
        let fail = |what: &'static str| move |e: cryptoki::error::Error| sign_err(what, e);
        let mut slot = None;
        for candidate in pkcs11
            .get_slots_with_token()
            .map_err(fail("danh sách thiết bị ký"))?
        {
            let info = pkcs11
                .get_token_info(candidate)
                .map_err(fail("thông tin thiết bị ký"))?;
            if self
                .token
                .as_deref()
                .is_none_or(|t| info.label().trim_end() == t)
            {
                slot = Some(candidate);
                break;
            }
        }
        let slot = slot.ok_or_else(|| {
            sign_err(
                "thiết bị ký",
                format!(
                    "không thấy thiết bị “{}”",
                    self.token.as_deref().unwrap_or("(bất kỳ)")
                ),
            )
        })?;
        let session = pkcs11
            .open_ro_session(slot)
            .map_err(fail("mở phiên với thiết bị ký"))?;
        if let Some(pin) = self.pin()? {
            session
                .login(UserType::User, Some(&pin))
                .map_err(fail("đăng nhập thiết bị ký (mã PIN)"))?;
        }
        let mut template = vec![Attribute::Class(ObjectClass::PRIVATE_KEY)];
        if let Some(label) = &self.label {
            template.push(Attribute::Label(label.as_bytes().to_vec()));
        }
        if let Some(id) = &self.id {
            template.push(Attribute::Id(id.clone()));
        }
        let keys = session
            .find_objects(&template)
            .map_err(fail("tìm khóa trong thiết bị ký"))?;
        let key = match keys.as_slice() {
            [key] => *key,
            [] => {
                return Err(sign_err(
                    "thiết bị ký",
                    "không có khóa bí mật như địa chỉ nêu",
                ));
            }
            _ => {
                return Err(sign_err(
                    "thiết bị ký",
                    "địa chỉ khớp nhiều khóa; nêu thêm id=",
                ));
            }
        };
        let signed = match kind {
            KeyKind::Ec => {
                let raw = session
                    .sign(&Mechanism::Ecdsa, key, &Sha256::digest(data))
                    .map_err(fail("thiết bị ký (khóa P-256)"))?;
                let signature = p256::ecdsa::Signature::from_slice(&raw)
                    .map_err(|e| sign_err("chữ ký của thiết bị", e))?;
                signature.to_der().as_bytes().to_vec()
            }
            KeyKind::Rsa => session
                .sign(&Mechanism::Sha256RsaPkcs, key, data)
                .map_err(fail("thiết bị ký (khóa RSA)"))?,
        };
        let _ = session.logout();
        Ok(signed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_read_as_rfc_7512_writes_them() {
        let key = TokenKey::parse(
            "pkcs11:token=S%E1%BB%9F%20T%C6%B0%20ph%C3%A1p;object=ky-so;id=%01%02;type=private\
             ?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/etc/motcua/pin",
        )
        .unwrap();
        assert_eq!(key.token.as_deref(), Some("Sở Tư pháp"));
        assert_eq!(key.label.as_deref(), Some("ky-so"));
        assert_eq!(key.id, Some(vec![1, 2]));
        assert_eq!(key.module, "/usr/lib/softhsm/libsofthsm2.so");
        assert!(key.pin == Pin::File("/etc/motcua/pin".into()));
        let shown = format!(
            "{:?}",
            TokenKey::parse("pkcs11:object=k?module-path=/x.so&pin-value=123456").unwrap()
        );
        assert!(!shown.contains("123456"), "{shown}");
        for wrong in [
            "pkcs12:object=k?module-path=/x.so",
            "pkcs11:object=k",
            "pkcs11:token=t?module-path=/x.so",
            "pkcs11:object=%zz?module-path=/x.so",
            "pkcs11:object?module-path=/x.so",
        ] {
            assert!(TokenKey::parse(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn a_missing_library_is_named() {
        let key = TokenKey::parse("pkcs11:object=k?module-path=/nonexistent/libp11.so").unwrap();
        let e = key.sign(b"x", KeyKind::Ec).unwrap_err().to_string();
        assert!(e.contains("/nonexistent/libp11.so"), "{e}");
    }
}
