//! Chữ ký của mã định danh — an ID token's compact JWS (RFC 7515) checked against the keys
//! the provider publishes (RFC 7517): RS256 and ES256, nothing weaker; `none` and the shared-
//! secret algorithms are refused, whatever the header says.

use data_encoding::BASE64URL_NOPAD;
use serde::Deserialize;
use serde_json::Value;

/// One public key of the provider's key set.
#[derive(Debug, Clone, Deserialize)]
pub struct Jwk {
    pub kty: String,
    #[serde(default)]
    pub kid: Option<String>,
    #[serde(default, rename = "use")]
    pub usage: Option<String>,
    #[serde(default)]
    pub n: Option<String>,
    #[serde(default)]
    pub e: Option<String>,
    #[serde(default)]
    pub crv: Option<String>,
    #[serde(default)]
    pub x: Option<String>,
    #[serde(default)]
    pub y: Option<String>,
}

/// The provider's key set (`jwks_uri`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct JwkSet {
    #[serde(default)]
    pub keys: Vec<Jwk>,
}

/// Why a token's signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwsError {
    /// Not three base64url parts, or a header or payload that is not a JSON object.
    Malformed(&'static str),
    /// An algorithm other than RS256 and ES256.
    Algorithm(String),
    /// No key of the set fits the header's `kid` and algorithm.
    NoKey,
    /// A key was found and the signature does not verify with it.
    Signature,
}

impl std::fmt::Display for JwsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(what) => write!(f, "mã định danh (ID token) sai dạng: {what}"),
            Self::Algorithm(alg) => {
                write!(
                    f,
                    "mã định danh được ký bằng thuật toán không chấp nhận “{alg}”"
                )
            }
            Self::NoKey => f.write_str("không có khóa công khai nào của nhà cung cấp khớp chữ ký"),
            Self::Signature => f.write_str("chữ ký của mã định danh không đúng"),
        }
    }
}

fn part(text: &str, what: &'static str) -> Result<Vec<u8>, JwsError> {
    BASE64URL_NOPAD
        .decode(text.as_bytes())
        .map_err(|_| JwsError::Malformed(what))
}

fn object(bytes: &[u8], what: &'static str) -> Result<Value, JwsError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(JwsError::Malformed(what)),
    }
}

/// The algorithm and key id of a token, read before anything is trusted.
fn header(token: &str) -> Result<(String, Option<String>), JwsError> {
    let head = token.split('.').next().unwrap_or_default();
    let header = object(&part(head, "phần đầu")?, "phần đầu")?;
    let alg = header["alg"].as_str().unwrap_or_default().to_string();
    let kid = header["kid"].as_str().map(str::to_string);
    Ok((alg, kid))
}

/// Whether the token names a key the set does not hold (the provider may have rolled its
/// keys since the set was fetched).
pub fn names_unknown_key(token: &str, keys: &JwkSet) -> bool {
    match header(token) {
        Ok((_, Some(kid))) => !keys.keys.iter().any(|k| k.kid.as_deref() == Some(&kid)),
        _ => false,
    }
}

/// The token's claims once its signature holds against one of `keys`.
pub fn verify(token: &str, keys: &JwkSet) -> Result<Value, JwsError> {
    let mut parts = token.split('.');
    let (Some(head), Some(body), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwsError::Malformed("không đủ ba phần"));
    };
    let (alg, kid) = header(token)?;
    let kty = match alg.as_str() {
        "RS256" => "RSA",
        "ES256" => "EC",
        _ => return Err(JwsError::Algorithm(alg)),
    };
    let signature = part(sig, "chữ ký")?;
    let signed = &token.as_bytes()[..head.len() + 1 + body.len()];
    let candidates = keys.keys.iter().filter(|k| {
        k.kty == kty
            && k.usage.as_deref().is_none_or(|u| u == "sig")
            && kid.as_deref().is_none_or(|id| k.kid.as_deref() == Some(id))
    });
    let mut tried = false;
    for key in candidates {
        tried = true;
        let holds = match kty {
            "RSA" => rsa_holds(key, signed, &signature),
            _ => ec_holds(key, signed, &signature),
        };
        if holds {
            return object(&part(body, "nội dung")?, "nội dung");
        }
    }
    Err(if tried {
        JwsError::Signature
    } else {
        JwsError::NoKey
    })
}

fn field(value: &Option<String>) -> Option<Vec<u8>> {
    BASE64URL_NOPAD.decode(value.as_deref()?.as_bytes()).ok()
}

/// RSASSA-PKCS1-v1_5 with SHA-256 under the key's modulus and exponent.
fn rsa_holds(key: &Jwk, signed: &[u8], signature: &[u8]) -> bool {
    use rsa::BoxedUint;
    use rsa::signature::Verifier;
    let (Some(n), Some(e)) = (field(&key.n), field(&key.e)) else {
        return false;
    };
    let Ok(public) = rsa::PublicKey::new(
        BoxedUint::from_be_slice_vartime(&n),
        BoxedUint::from_be_slice_vartime(&e),
    ) else {
        return false;
    };
    let verifier = rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(public);
    rsa::pkcs1v15::Signature::try_from(signature)
        .is_ok_and(|sig| verifier.verify(signed, &sig).is_ok())
}

/// ECDSA on P-256 with SHA-256; the signature is `r ‖ s` (RFC 7518 §3.4).
fn ec_holds(key: &Jwk, signed: &[u8], signature: &[u8]) -> bool {
    use p256::ecdsa::signature::Verifier;
    if key.crv.as_deref() != Some("P-256") {
        return false;
    }
    let (Some(x), Some(y)) = (field(&key.x), field(&key.y)) else {
        return false;
    };
    if x.len() != 32 || y.len() != 32 {
        return false;
    }
    let mut point = Vec::with_capacity(65);
    point.push(4);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    let Ok(public) = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point) else {
        return false;
    };
    p256::ecdsa::Signature::from_slice(signature)
        .is_ok_and(|sig| public.verify(signed, &sig).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(v: &Value) -> String {
        BASE64URL_NOPAD.encode(v.to_string().as_bytes())
    }

    #[test]
    fn weak_algorithms_and_bad_shapes_are_refused() {
        let keys = JwkSet::default();
        let body = encode(&serde_json::json!({"sub": "a"}));
        for alg in ["none", "HS256", "RS512", ""] {
            let token = format!("{}.{body}.", encode(&serde_json::json!({"alg": alg})));
            assert_eq!(
                verify(&token, &keys),
                Err(JwsError::Algorithm(alg.to_string()))
            );
        }
        assert!(matches!(verify("a.b", &keys), Err(JwsError::Malformed(_))));
        assert!(matches!(
            verify("!!.b.c", &keys),
            Err(JwsError::Malformed(_))
        ));
        let token = format!(
            "{}.{body}.AAAA",
            encode(&serde_json::json!({"alg": "RS256", "kid": "k"}))
        );
        assert_eq!(verify(&token, &keys), Err(JwsError::NoKey));
        assert!(names_unknown_key(&token, &keys));
    }
}
