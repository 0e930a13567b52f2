//! Kết quả ký số mẫu — a demo signing key for each agency that approves results, and a few
//! returned dossiers carrying a result PDF signed with it, so `/xac-thuc/…` has something to
//! show. The keys are self-signed and kept in the database marked as demo keys.

use std::collections::BTreeSet;

use anyhow::Context;
use motcua_db::{Db, DossierFilter, DossierRecord, FileStore, Purpose, Upload};
use motcua_docs::{AgencyInfo, FormContext, FormKind, Regime, Signer};
use motcua_domain::calendar::Instant;
use motcua_domain::dossier::{Status, signing_agency};

/// The demo's result document: a plain A5 page with the dossier's code and procedure.
const RESULT_TEMPLATE: &str = "\
page A5
font-size 10
margins 10 10 10 15
heading {{agency.parent}} | {{agency.name}}
twocol Số: {{number}} | *{{place_date}}*
space 6
title KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH
center *(Bản điện tử có ký số — dữ liệu mẫu, không có giá trị pháp lý)*
space 4
p Thủ tục: **{{procedure.name}}**
p Mã hồ sơ: **{{dossier.code}}**
p Người nhận kết quả: {{applicant.name}}
p Hồ sơ đã được thẩm định và phê duyệt; kết quả được trả theo quy định.
space 4
p Tính xác thực của bản điện tử này được kiểm tra tại trang xác thực của hệ thống (mã QR trên trang đó), không cần đăng nhập.
space 4
sign | |
sign {{head.title}} | (Đã ký số) | {{head.name}}
";

pub(super) async fn result_pdf(
    db: &Db,
    d: &DossierRecord,
    agency_id: i64,
) -> anyhow::Result<Vec<u8>> {
    let agency = db
        .agencies()
        .agency(agency_id)
        .await?
        .context("cơ quan ký")?;
    let parent_name = match agency.parent_id {
        Some(id) => db.agencies().agency(id).await?.map(|a| a.name),
        None => None,
    };
    let parent = motcua_domain::agency::letterhead_parent(&agency.name, parent_name.as_deref())
        .unwrap_or_default();
    let procedure = db
        .catalogue()
        .procedure_version(d.procedure_version_id)
        .await?
        .map(|p| p.procedure.name.clone())
        .unwrap_or_default();
    let issued = d.finished_at.unwrap_or(d.updated_at);
    let info = AgencyInfo {
        name: agency.name.clone(),
        parent,
        code: agency.code.clone(),
        place: "Thanh Hóa".into(),
        address: agency.address.clone().unwrap_or_default(),
        phone: agency.phone.clone().unwrap_or_default(),
    };
    let mut ctx = FormContext::new(info, issued.date_naive());
    ctx.number = format!("{}/KQ", d.id);
    ctx.dossier_code = d.code.clone();
    ctx.applicant.name = d.applicant.name.clone();
    ctx.procedure_name = procedure;
    ctx.procedure_code = d.procedure_code.clone();
    ctx.head = Signer {
        title: "THỦ TRƯỞNG CƠ QUAN".into(),
        name: agency.name,
    };
    let spec =
        motcua_docs::form(Regime::Tt03_2025, FormKind::Receipt).context("mẫu giấy tiếp nhận")?;
    Ok(motcua_docs::render_custom(&ctx, &spec, "ket-qua-mau.tpl", RESULT_TEMPLATE)?.pdf)
}

/// Gives every agency that approved a finished demo dossier a demo key, then attaches and
/// signs a result PDF on up to `count` returned dossiers. Returns how many were signed.
pub async fn sign_results(
    db: &Db,
    files: &FileStore,
    now: Instant,
    count: usize,
    base: &str,
) -> anyhow::Result<usize> {
    let mut approved = Vec::new();
    for status in [Status::Returned, Status::ResultReady] {
        let page = db
            .dossiers()
            .list_dossiers(&DossierFilter {
                status: Some(status),
                limit: Some(200),
                ..DossierFilter::default()
            })
            .await?;
        approved.extend(page.items);
    }
    let agencies: BTreeSet<i64> = approved.iter().map(|d| signing_agency(&d.state)).collect();
    let valid_from = now - chrono::Duration::days(400);
    for id in agencies {
        if db.files().signing_key(id).await?.is_some() {
            continue;
        }
        let agency = db
            .agencies()
            .agency(id)
            .await?
            .context("cơ quan phê duyệt")?;
        motcua_web::signing::create_demo_key(db, &agency, "demo", valid_from, now).await?;
    }
    let mut signed = 0;
    for d in approved
        .iter()
        .filter(|d| d.status == Status::Returned)
        .take(count)
    {
        let at = d.finished_at.unwrap_or(now);
        let pdf = result_pdf(db, d, signing_agency(&d.state)).await?;
        let upload = Upload {
            name: format!("ket-qua-{}.pdf", d.code),
            bytes: pdf,
            component: None,
            purpose: Purpose::Result,
        };
        let stored = files.store(upload, "files").await?;
        let digest = stored.sha256.clone();
        db.dossiers()
            .attach_files(d.id, &d.code, vec![stored], "demo".into(), at)
            .await?;
        let file = db
            .files()
            .attachments(d.id)
            .await?
            .into_iter()
            .find(|f| f.purpose == Purpose::Result && f.sha256 == digest)
            .context("tệp kết quả vừa đính kèm")?;
        motcua_web::signing::sign_result(db, files, d, &file, "demo".into(), None, at, base, None)
            .await?;
        signed += 1;
    }
    Ok(signed)
}
