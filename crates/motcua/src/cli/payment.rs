//! The payment gateways (`--vnpay-*`): citizens are offered online payment once a gateway's
//! payment page, terminal code and secret are set.

use std::time::Duration;

use clap::Args;
use motcua_web::payment::{Gateways, vnpay::Vnpay};

#[derive(Debug, Clone, Args)]
pub struct PaymentArgs {
    /// VNPay's payment page (e.g. `https://sandbox.vnpayment.vn/paymentv2/vpcpay.html`).
    #[arg(long, env = "MOTCUA_VNPAY_URL")]
    vnpay_url: Option<String>,
    /// The terminal (website) code VNPay gave the province (`vnp_TmnCode`).
    #[arg(long, env = "MOTCUA_VNPAY_TMN_CODE", default_value = "")]
    vnpay_tmn_code: String,
    /// The secret the checksums are made with (HMAC-SHA512).
    #[arg(
        long,
        env = "MOTCUA_VNPAY_SECRET",
        hide_env_values = true,
        default_value = ""
    )]
    vnpay_secret: String,
    /// VNPay's merchant API (`…/merchant_webapi/api/transaction`), to query payments whose
    /// server call never came.
    #[arg(long, env = "MOTCUA_VNPAY_API_URL")]
    vnpay_api_url: Option<String>,
    /// Seconds to wait for the gateway's API.
    #[arg(long, env = "MOTCUA_PAYMENT_TIMEOUT", default_value_t = 20)]
    payment_timeout: u64,
}

impl PaymentArgs {
    /// The gateways, or none when none is configured.
    pub fn gateways(&self) -> anyhow::Result<Option<Gateways>> {
        let Some(url) = self
            .vnpay_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            return Ok(None);
        };
        let api = self
            .vnpay_api_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let vnpay = Vnpay::new(
            url,
            &self.vnpay_tmn_code,
            &self.vnpay_secret,
            api,
            Duration::from_secs(self.payment_timeout.clamp(1, 120)),
        )
        .map_err(|e| anyhow::anyhow!(e))?;
        Ok(Some(Gateways { vnpay: Some(vnpay) }))
    }
}
