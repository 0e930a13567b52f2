//! The national identity providers citizens sign in with (`--vneid-*`, `--dvcqg-sso-*`):
//! each is offered on the citizen's sign-in page once its discovery address and client id
//! are set.

use std::time::Duration;

use clap::Args;
use motcua_web::sso::{ProviderSettings, Sso};

#[derive(Debug, Clone, Args)]
pub struct IdentityArgs {
    /// VNeID's OpenID discovery document (the realm's `.well-known/openid-configuration`).
    #[arg(long, env = "MOTCUA_VNEID_DISCOVERY")]
    vneid_discovery: Option<String>,
    /// The client id VNeID gave the province.
    #[arg(long, env = "MOTCUA_VNEID_CLIENT_ID", default_value = "")]
    vneid_client_id: String,
    #[arg(long, env = "MOTCUA_VNEID_CLIENT_SECRET", hide_env_values = true)]
    vneid_client_secret: Option<String>,
    /// `acr_values` asked of VNeID, if any.
    #[arg(long, env = "MOTCUA_VNEID_ACR")]
    vneid_acr: Option<String>,
    /// The DVCQG account's (SSO) OpenID discovery document.
    #[arg(long, env = "MOTCUA_DVCQG_SSO_DISCOVERY")]
    dvcqg_sso_discovery: Option<String>,
    #[arg(long, env = "MOTCUA_DVCQG_SSO_CLIENT_ID", default_value = "")]
    dvcqg_sso_client_id: String,
    #[arg(long, env = "MOTCUA_DVCQG_SSO_CLIENT_SECRET", hide_env_values = true)]
    dvcqg_sso_client_secret: Option<String>,
    /// `acr_values` asked of the DVCQG SSO.
    #[arg(long, env = "MOTCUA_DVCQG_SSO_ACR", default_value = "LoA1")]
    dvcqg_sso_acr: String,
    /// The level of assurance from which an account counts as verified with the national
    /// identity (`TaiKhoanDuocXacThucVoiVNeID`).
    #[arg(long, env = "MOTCUA_IDENTITY_VERIFIED_LEVEL", default_value_t = motcua_domain::identity::DEFAULT_VERIFIED_LEVEL)]
    identity_verified_level: u8,
    /// Seconds to wait for a provider's answer.
    #[arg(long, env = "MOTCUA_IDENTITY_TIMEOUT", default_value_t = 15)]
    identity_timeout: u64,
}

fn set(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

impl IdentityArgs {
    /// The providers, or none when neither is configured.
    pub fn sso(&self) -> anyhow::Result<Option<Sso>> {
        let mut providers = Vec::new();
        if let Some(discovery_url) = set(&self.vneid_discovery) {
            providers.push(ProviderSettings {
                name: "vneid".into(),
                label: "VNeID".into(),
                discovery_url,
                client_id: self.vneid_client_id.trim().to_string(),
                client_secret: set(&self.vneid_client_secret),
                scope: "openid".into(),
                acr_values: set(&self.vneid_acr),
                userinfo_post: false,
            });
        }
        if let Some(discovery_url) = set(&self.dvcqg_sso_discovery) {
            providers.push(ProviderSettings {
                name: "dvcqg".into(),
                label: "tài khoản Cổng Dịch vụ công quốc gia".into(),
                discovery_url,
                client_id: self.dvcqg_sso_client_id.trim().to_string(),
                client_secret: set(&self.dvcqg_sso_client_secret),
                scope: "openid".into(),
                acr_values: set(&Some(self.dvcqg_sso_acr.clone())),
                userinfo_post: true,
            });
        }
        if providers.is_empty() {
            return Ok(None);
        }
        Sso::new(
            providers,
            self.identity_verified_level,
            Duration::from_secs(self.identity_timeout.clamp(1, 120)),
        )
        .map(Some)
        .map_err(|e| anyhow::anyhow!(e))
    }
}
