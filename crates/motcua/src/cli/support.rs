//! `motcua support policy`: the support desk's deadlines in working days and whether a
//! leader reviews each answer, shown or changed (audited).

/// `motcua support …`.
#[derive(Debug, clap::Subcommand)]
pub enum SupportCommand {
    /// Show the desk's settings, or change those given.
    Policy {
        /// Working days to answer a question.
        #[arg(long)]
        question_days: Option<u32>,
        /// Working days to handle a feedback or petition.
        #[arg(long)]
        feedback_days: Option<u32>,
        /// Working days to classify a feedback: accept, forward or refuse it (NĐ 20/2008:
        /// forwarding within 5).
        #[arg(long)]
        classify_days: Option<u32>,
        /// Whether a leader approves each answer before it goes out: `yes` or `no`.
        #[arg(long)]
        review: Option<String>,
    },
}

pub async fn run(
    db_args: &super::database::DatabaseArgs,
    command: SupportCommand,
) -> anyhow::Result<()> {
    let SupportCommand::Policy {
        question_days,
        feedback_days,
        classify_days,
        review,
    } = command;
    let review = match review.as_deref().map(str::trim) {
        None => None,
        Some("yes" | "co" | "có" | "true" | "1") => Some(true),
        Some("no" | "khong" | "không" | "false" | "0") => Some(false),
        Some(other) => anyhow::bail!("--review nhận yes hoặc no, không nhận “{other}”"),
    };
    let db = db_args.open(motcua_db::Durability::Full).await?;
    let result = async {
        let mut policy = db.support().policy().await?;
        let changing = question_days.is_some()
            || feedback_days.is_some()
            || classify_days.is_some()
            || review.is_some();
        if let Some(d) = question_days {
            policy.question_days = d;
        }
        if let Some(d) = feedback_days {
            policy.feedback_days = d;
        }
        if let Some(d) = classify_days {
            policy.classify_days = d;
        }
        if let Some(r) = review {
            policy.review = r;
        }
        if changing {
            db.support().set_policy(&policy, "cli").await?;
        }
        let policy = db.support().policy().await?;
        println!(
            "trả lời câu hỏi: {} ngày làm việc\nxử lý phản ánh, kiến nghị: {} ngày làm việc\nphân loại (thụ lý, chuyển, không tiếp nhận): {} ngày làm việc\nlãnh đạo duyệt trước khi trả lời: {}",
            policy.question_days,
            policy.feedback_days,
            policy.classify_days,
            if policy.review { "có" } else { "không" }
        );
        Ok::<(), anyhow::Error>(())
    }
    .await;
    db.close().await;
    result
}
