//! Đăng nhập bằng định danh điện tử — citizens sign in through OpenID Connect providers
//! (VNeID, the DVCQG account; `shared/domain/INTEGRATION.md` §(c)): the authorization code
//! flow with PKCE (S256), a state bound to the browser and a nonce bound to the ID token.
//! Each provider is found through its discovery document; its keys are fetched once and again
//! when a token names a key not seen yet. The exchange is in [`exchange`]; the pages are
//! `pages/citizen/identity.rs`.

pub(crate) mod exchange;
pub mod jws;

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use tokio::sync::Mutex;

use jws::JwkSet;

/// How motcua is known to one identity provider.
#[derive(Debug, Clone)]
pub struct ProviderSettings {
    /// The name in the sign-in address (`/cong-dan/dang-nhap/{name}`): `vneid`, `dvcqg`.
    pub name: String,
    /// What the button says after "Đăng nhập bằng".
    pub label: String,
    /// The provider's discovery document (`…/.well-known/openid-configuration`).
    pub discovery_url: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Space-separated scopes; `openid` at least.
    pub scope: String,
    /// `acr_values` asked for (DVCQG: `LoA1`), if any.
    pub acr_values: Option<String>,
    /// Whether userinfo is asked with POST (DVCQG) rather than GET.
    pub userinfo_post: bool,
}

/// The endpoints read from the discovery document.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
    pub jwks_uri: String,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    /// RP-initiated logout, when the provider offers it.
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
}

impl Metadata {
    /// Client authentication at the token endpoint: the secret in the form (as DVCQG's
    /// WSO2 takes it) unless the provider only accepts HTTP Basic.
    fn secret_in_form(&self) -> bool {
        self.token_endpoint_auth_methods_supported
            .as_ref()
            .is_none_or(|m| m.iter().any(|m| m == "client_secret_post"))
    }
}

/// What was fetched from a provider: its endpoints and keys, and when the keys were fetched.
#[derive(Debug, Clone)]
struct Discovered {
    metadata: Metadata,
    keys: JwkSet,
    keys_at: std::time::Instant,
}

/// One configured provider and what was fetched from it.
#[derive(Debug)]
pub(crate) struct Provider {
    pub settings: ProviderSettings,
    client: reqwest::Client,
    discovery_url: String,
    fetched: Mutex<Option<Discovered>>,
}

/// The keys are fetched again for an unknown key id at most this often.
const KEYS_REFRESH: Duration = Duration::from_secs(60);

/// The configured identity providers and the level from which an account counts as verified.
#[derive(Debug)]
pub struct Sso {
    providers: Vec<Provider>,
    /// See [`motcua_domain::identity::is_verified`].
    pub verified_level: u8,
}

impl Sso {
    /// Checks every provider's settings; nothing is fetched until someone signs in.
    pub fn new(
        providers: Vec<ProviderSettings>,
        verified_level: u8,
        timeout: Duration,
    ) -> Result<Self, String> {
        let mut built = Vec::with_capacity(providers.len());
        for settings in providers {
            if !settings
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                || settings.name.is_empty()
            {
                return Err(format!(
                    "tên nhà cung cấp định danh “{}” chỉ gồm chữ thường và số",
                    settings.name
                ));
            }
            if settings.client_id.trim().is_empty() {
                return Err(format!(
                    "nhà cung cấp định danh “{}” cần mã ứng dụng (client id)",
                    settings.name
                ));
            }
            if !settings.scope.split_whitespace().any(|s| s == "openid") {
                return Err(format!(
                    "phạm vi (scope) của “{}” phải có openid",
                    settings.name
                ));
            }
            let what = format!("tài liệu khám phá của {}", settings.label);
            let (discovery_url, client) =
                crate::outbound::client(&settings.discovery_url, &what, timeout)?;
            built.push(Provider {
                settings,
                client,
                discovery_url,
                fetched: Mutex::new(None),
            });
        }
        Ok(Self {
            providers: built,
            verified_level,
        })
    }

    /// The provider signed in with at `/cong-dan/dang-nhap/{name}`.
    pub(crate) fn provider(&self, name: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.settings.name == name)
    }

    /// Name and label of each provider, for the sign-in page's buttons.
    pub fn buttons(&self) -> Vec<(String, String)> {
        self.providers
            .iter()
            .map(|p| (p.settings.name.clone(), p.settings.label.clone()))
            .collect()
    }
}

impl Provider {
    async fn get_json(&self, url: &str) -> Result<Value, String> {
        let response = self
            .client
            .get(url)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| format!("không kết nối được tới {}: {e}", self.settings.label))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!(
                "{} trả lời {status} khi được hỏi {url}",
                self.settings.label
            ));
        }
        json_of(response, &self.settings.label).await
    }

    /// The provider's endpoints and keys, fetched the first time they are needed.
    pub(crate) async fn discovered(&self) -> Result<(Metadata, JwkSet), String> {
        let mut fetched = self.fetched.lock().await;
        if let Some(d) = fetched.as_ref() {
            return Ok((d.metadata.clone(), d.keys.clone()));
        }
        let metadata: Metadata = serde_json::from_value(self.get_json(&self.discovery_url).await?)
            .map_err(|e| {
                format!(
                    "tài liệu khám phá của {} thiếu trường cần thiết: {e}",
                    self.settings.label
                )
            })?;
        let keys = self.fetch_keys(&metadata).await?;
        *fetched = Some(Discovered {
            metadata: metadata.clone(),
            keys: keys.clone(),
            keys_at: std::time::Instant::now(),
        });
        Ok((metadata, keys))
    }

    async fn fetch_keys(&self, metadata: &Metadata) -> Result<JwkSet, String> {
        serde_json::from_value(self.get_json(&metadata.jwks_uri).await?).map_err(|e| {
            format!(
                "bộ khóa công khai của {} sai dạng: {e}",
                self.settings.label
            )
        })
    }

    /// The keys fetched again when `token` names one not seen (at most once a minute).
    pub(crate) async fn keys_for(&self, token: &str, keys: JwkSet) -> JwkSet {
        if !jws::names_unknown_key(token, &keys) {
            return keys;
        }
        let mut fetched = self.fetched.lock().await;
        let Some(d) = fetched.as_mut() else {
            return keys;
        };
        if d.keys_at.elapsed() < KEYS_REFRESH {
            return d.keys.clone();
        }
        match self.fetch_keys(&d.metadata).await {
            Ok(fresh) => {
                d.keys = fresh.clone();
                d.keys_at = std::time::Instant::now();
                fresh
            }
            Err(e) => {
                tracing::warn!("{e}");
                d.keys.clone()
            }
        }
    }
}

/// Answers larger than this are not read.
const REPLY_LIMIT: usize = 1 << 20;

/// A provider's reply read as JSON (at most [`REPLY_LIMIT`] bytes).
pub(crate) async fn json_of(response: reqwest::Response, label: &str) -> Result<Value, String> {
    if response
        .content_length()
        .is_some_and(|n| n > REPLY_LIMIT as u64)
    {
        return Err(format!("{label} trả lời quá lớn"));
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|e| format!("không đọc được trả lời của {label}: {e}"))?;
    if bytes.len() > REPLY_LIMIT {
        return Err(format!("{label} trả lời quá lớn"));
    }
    serde_json::from_slice(&bytes).map_err(|e| format!("{label} trả lời không phải JSON: {e}"))
}

/// The ID token's claims checked against what was asked (OpenID Connect Core §3.1.3.7): the
/// issuer, the audience (and `azp` when several), the nonce, the expiry and the issue time,
/// with a minute's leeway for clocks.
pub(crate) fn check_id_token(
    claims: &Value,
    issuer: &str,
    client_id: &str,
    nonce: &str,
    now: i64,
) -> Result<(), String> {
    const LEEWAY: i64 = 60;
    if claims["iss"].as_str() != Some(issuer) {
        return Err(format!(
            "mã định danh do “{}” phát hành, không phải nhà cung cấp đã chọn",
            claims["iss"].as_str().unwrap_or("?")
        ));
    }
    let audience: Vec<&str> = match &claims["aud"] {
        Value::String(a) => vec![a.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !audience.contains(&client_id) {
        return Err("mã định danh không được cấp cho ứng dụng này".into());
    }
    if audience.len() > 1 && claims["azp"].as_str() != Some(client_id) {
        return Err("mã định danh được cấp cho một ứng dụng khác (azp)".into());
    }
    if claims["nonce"].as_str() != Some(nonce) {
        return Err("mã định danh không thuộc lần đăng nhập này (nonce không khớp)".into());
    }
    let Some(exp) = claims["exp"].as_i64() else {
        return Err("mã định danh không có thời hạn (exp)".into());
    };
    if exp + LEEWAY <= now {
        return Err("mã định danh đã hết hạn; hãy đăng nhập lại".into());
    }
    if claims["iat"].as_i64().is_some_and(|iat| iat - LEEWAY > now) {
        return Err("mã định danh được phát hành ở thời điểm chưa tới".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn id_token_claims_are_checked() {
        let good =
            json!({"iss": "https://sso", "aud": "motcua", "nonce": "n", "exp": 1000, "iat": 900});
        assert_eq!(
            check_id_token(&good, "https://sso", "motcua", "n", 950),
            Ok(())
        );
        let cases = [
            (json!({"iss": "https://other"}), "phát hành"),
            (json!({"aud": "someone"}), "ứng dụng này"),
            (json!({"aud": ["motcua", "x"], "azp": "x"}), "azp"),
            (json!({"nonce": "m"}), "nonce"),
            (json!({"exp": 880}), "hết hạn"),
            (json!({"exp": null}), "exp"),
            (json!({"iat": 2000}), "chưa tới"),
        ];
        for (change, word) in cases {
            let mut claims = good.clone();
            for (k, v) in change.as_object().unwrap() {
                claims[k] = v.clone();
            }
            let e = check_id_token(&claims, "https://sso", "motcua", "n", 950).unwrap_err();
            assert!(e.contains(word), "{change}: {e}");
        }
        let several = json!({"iss": "https://sso", "aud": ["motcua", "x"], "azp": "motcua", "nonce": "n", "exp": 1000});
        assert_eq!(
            check_id_token(&several, "https://sso", "motcua", "n", 950),
            Ok(())
        );
    }
}
