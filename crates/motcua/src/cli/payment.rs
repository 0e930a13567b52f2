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
    /// Show, or register, what a collecting agency registered with its tax office for its
    /// e-receipts: its tax code, the form symbol and the symbol ({yy} is the year). Receipts
    /// already issued keep what they printed.
    ReceiptBook {
        /// The agency's code (mã định danh), e.g. 000.00.03.H56.
        #[arg(long)]
        agency: String,
        /// Mã số thuế: 10 digits, or 10-3.
        #[arg(long)]
        tax_code: Option<String>,
        /// Ký hiệu mẫu biên lai.
        #[arg(long, default_value = motcua_domain::payment::receipt::DEFAULT_FORM_SYMBOL)]
        form_symbol: String,
        /// Ký hiệu biên lai, {yy} where the year's two digits go.
        #[arg(long, default_value = motcua_domain::payment::receipt::DEFAULT_SYMBOL)]
        symbol: String,
    },
}

/// `motcua payments receipt-book`: shows the agency's book, or registers it when a tax code
/// is given.
async fn receipt_book(
    db: &motcua_db::Db,
    agency: &str,
    tax_code: Option<&str>,
    form_symbol: &str,
    symbol: &str,
) -> anyhow::Result<()> {
    let Some(found) = db.agencies().agency_by_code(agency.trim()).await? else {
        anyhow::bail!("không có cơ quan mã “{}”", agency.trim());
    };
    if let Some(tax_code) = tax_code {
        let book =
            motcua_domain::payment::receipt::ReceiptBook::check(tax_code, form_symbol, symbol)
                .map_err(|errors| {
                    anyhow::anyhow!(
                        "{}",
                        errors
                            .iter()
                            .map(|e| e.message.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                })?;
        let now = chrono::Utc::now().timestamp();
        db.payments().set_book(found.id, &book, "cli", now).await?;
    }
    match db.payments().book(found.id).await? {
        Some(book) => {
            let year =
                motcua_domain::payment::receipt::series_year(chrono::Utc::now().fixed_offset());
            println!(
                "{}\nmã số thuế: {}\nký hiệu mẫu: {}\nký hiệu: {} (năm {year}: {})",
                found.name,
                book.tax_code,
                book.form_symbol,
                book.symbol,
                book.symbol_in(year)
            );
        }
        None => println!(
            "{}\nchưa đăng ký sổ biên lai: biên lai mang ký hiệu mặc định và không có mã số thuế (đăng ký bằng --tax-code)",
            found.name
        ),
    }
    Ok(())
}

pub async fn run(
    db_args: &super::database::DatabaseArgs,
    command: PaymentCommand,
) -> anyhow::Result<()> {
    let (date, gateway) = match command {
        PaymentCommand::Reconcile { date, gateway } => (date, gateway),
        PaymentCommand::ReceiptBook {
            agency,
            tax_code,
            form_symbol,
            symbol,
        } => {
            let db = db_args.open(motcua_db::Durability::Full).await?;
            let result =
                receipt_book(&db, &agency, tax_code.as_deref(), &form_symbol, &symbol).await;
            db.close().await;
            return result;
        }
    };
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
