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

/// `motcua payments …`.
#[derive(Debug, clap::Subcommand)]
pub enum PaymentCommand {
    /// Ask the gateway after the payments of a day still waiting for its server call
    /// (`querydr`) and settle those it proves paid or failed.
    Reconcile {
        /// The day the payments were opened (YYYY-MM-DD); by default today.
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        gateway: PaymentArgs,
    },
}

pub async fn run(
    db_args: &super::database::DatabaseArgs,
    command: PaymentCommand,
) -> anyhow::Result<()> {
    let PaymentCommand::Reconcile { date, gateway } = command;
    let Some(gateways) = gateway.gateways()? else {
        anyhow::bail!(
            "chưa cấu hình cổng thanh toán: cần --vnpay-url, --vnpay-tmn-code, --vnpay-secret và --vnpay-api-url"
        );
    };
    if gateways.vnpay.as_ref().is_some_and(|v| !v.can_query()) {
        anyhow::bail!("cần --vnpay-api-url để tra cứu giao dịch (querydr)");
    }
    let day = match date.as_deref().map(str::trim) {
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("ngày “{text}” không đúng dạng năm-tháng-ngày"))?,
        None => chrono::Utc::now()
            .with_timezone(&motcua_domain::calendar::vietnam_offset())
            .date_naive(),
    };
    let from = motcua_db::day_start(day);
    let to = from + 24 * 3600;
    let db = db_args.open(motcua_db::Durability::Full).await?;
    let result = async {
        let calendar = super::database::load_calendar(&db).await?;
        let state = motcua_web::AppState::new(db.clone(), calendar, db_args.file_store()?);
        let _ = state.payments.set(gateways);
        let found = motcua_web::payment::reconcile(&state, from, to).await?;
        if found.is_empty() {
            println!("Không có giao dịch nào ngày {day} còn chờ xác nhận.");
        }
        for r in &found {
            println!(
                "{}  {}  {}",
                r.reference,
                motcua_domain::text::money_vi(r.amount_vnd),
                r.outcome
            );
        }
        anyhow::Ok(())
    }
    .await;
    db.close().await;
    result
}
