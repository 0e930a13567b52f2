//! Trao đổi mã — the authorization request (code, PKCE S256, state, nonce), the code
//! redeemed at the token endpoint, the ID token checked, and the claims completed from the
//! userinfo endpoint (whose subject must be the token's).

use data_encoding::BASE64URL_NOPAD;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Provider, check_id_token, json_of, jws};

/// The PKCE challenge of `verifier` (RFC 7636 §4.2, S256).
pub(crate) fn challenge(verifier: &str) -> String {
    BASE64URL_NOPAD.encode(&Sha256::digest(verifier.as_bytes()))
}

/// `value` with everything but RFC 3986's unreserved characters percent-encoded.
fn component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn query_pair(out: &mut String, key: &str, value: &str) {
    out.push(if out.contains('?') { '&' } else { '?' });
    out.push_str(key);
    out.push('=');
    out.push_str(&component(value));
}

impl Provider {
    /// Where to send the citizen to sign in.
    pub(crate) async fn authorize_url(
        &self,
        redirect_uri: &str,
        state: &str,
        nonce: &str,
        verifier: &str,
    ) -> Result<String, String> {
        let (metadata, _) = self.discovered().await?;
        let s = &self.settings;
        let mut url = metadata.authorization_endpoint.clone();
        for (key, value) in [
            ("response_type", "code"),
            ("client_id", s.client_id.as_str()),
            ("redirect_uri", redirect_uri),
            ("scope", s.scope.as_str()),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", challenge(verifier).as_str()),
            ("code_challenge_method", "S256"),
        ] {
            query_pair(&mut url, key, value);
        }
        if let Some(acr) = &s.acr_values {
            query_pair(&mut url, "acr_values", acr);
        }
        Ok(url)
    }

    /// Where to send a citizen signing out here so that the provider ends its session too
    /// (OpenID Connect RP-Initiated Logout: `client_id` and the address to come back to), if
    /// the provider offers it.
    pub(crate) async fn end_session_url(&self, back: &str) -> Option<String> {
        let (metadata, _) = self.discovered().await.ok()?;
        let mut url = metadata.end_session_endpoint?;
        query_pair(&mut url, "client_id", &self.settings.client_id);
        query_pair(&mut url, "post_logout_redirect_uri", back);
        Some(url)
    }

    /// The issuer the provider's discovery document names (for the `iss` of the redirect).
    pub(crate) async fn issuer(&self) -> Result<String, String> {
        Ok(self.discovered().await?.0.issuer)
    }

    /// Redeems `code` and returns the signed-in person's claims: the ID token's, checked,
    /// completed by userinfo's.
    pub(crate) async fn redeem(
        &self,
        code: &str,
        verifier: &str,
        redirect_uri: &str,
        nonce: &str,
        now: i64,
    ) -> Result<Value, String> {
        let (metadata, keys) = self.discovered().await?;
        let s = &self.settings;
        let label = &s.label;
        let secret = s.client_secret.as_deref().unwrap_or_default();
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
            ("client_id", s.client_id.as_str()),
        ];
        let mut request = self.client.post(&metadata.token_endpoint);
        if s.client_secret.is_some() {
            if metadata.secret_in_form() {
                form.push(("client_secret", secret));
            } else {
                request = request.basic_auth(&s.client_id, Some(secret));
            }
        }
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{k}={}", component(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = request
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("không kết nối được tới {label} để đổi mã: {e}"))?;
        let status = response.status();
        let reply = json_of(response, label).await?;
        if !status.is_success() {
            return Err(match reply["error"].as_str() {
                Some("invalid_grant") => format!(
                    "{label} không nhận mã đăng nhập: mã đã dùng, đã hết hạn hoặc không thuộc lần đăng nhập này; hãy đăng nhập lại"
                ),
                Some(error) => format!(
                    "{label} từ chối đổi mã: {error} {}",
                    reply["error_description"].as_str().unwrap_or_default()
                ),
                None => format!("{label} trả lời {status} khi đổi mã"),
            });
        }
        let Some(id_token) = reply["id_token"].as_str() else {
            return Err(format!("{label} không trả mã định danh (id_token)"));
        };
        let keys = self.keys_for(id_token, keys).await;
        let mut claims = jws::verify(id_token, &keys).map_err(|e| e.to_string())?;
        check_id_token(&claims, &metadata.issuer, &s.client_id, nonce, now)?;
        if let (Some(endpoint), Some(access)) =
            (&metadata.userinfo_endpoint, reply["access_token"].as_str())
        {
            let request = if s.userinfo_post {
                self.client.post(endpoint)
            } else {
                self.client.get(endpoint)
            };
            let response = request
                .bearer_auth(access)
                .header("accept", "application/json")
                .send()
                .await
                .map_err(|e| format!("không hỏi được thông tin người dùng từ {label}: {e}"))?;
            let status = response.status();
            if !status.is_success() {
                return Err(format!(
                    "{label} trả lời {status} khi hỏi thông tin người dùng"
                ));
            }
            let info = json_of(response, label).await?;
            if info["sub"] != claims["sub"] {
                return Err(format!(
                    "thông tin người dùng từ {label} thuộc một tài khoản khác với mã định danh"
                ));
            }
            if let (Value::Object(all), Value::Object(more)) = (&mut claims, info) {
                all.extend(more);
            }
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn components_are_encoded_whole() {
        assert_eq!(
            super::component("http://a.vn/x y?z=1&é"),
            "http%3A%2F%2Fa.vn%2Fx%20y%3Fz%3D1%26%C3%A9"
        );
    }

    #[test]
    fn the_challenge_is_rfc_7636s() {
        // RFC 7636 appendix B.
        assert_eq!(
            super::challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
