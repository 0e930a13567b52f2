//! Nộp trực tuyến — the one way an online dossier is filed from a citizen's account, for the
//! filing page and the citizen's API alike: the procedure must be offered online, the
//! receiving agency must be one that takes it, and every file must answer a component of the
//! chosen case. Everything is checked before any file is kept; then the dossier is filed
//! with its files in one transaction.

use motcua_db::{Agency, Citizen, DbError, DossierRecord, IntakeExtras, Purpose, Upload};
use motcua_domain::FieldError;
use motcua_domain::catalogue::{Channel, Procedure};
use motcua_domain::dossier::{
    Actor, Applicant, ComponentForm, Intake, ReceivedComponent, ReturnMethod, check_intake,
};

use crate::AppState;

/// The procedure `code` when it is offered online.
pub async fn online_procedure(app: &AppState, code: &str) -> Result<Option<Procedure>, DbError> {
    Ok(app
        .db
        .catalogue()
        .procedure(code)
        .await?
        .filter(|stored| stored.procedure.offers(Channel::Online))
        .map(|stored| stored.procedure.clone()))
}

/// Where an online dossier for `procedure` can be filed: the performing agencies that have
/// a one-stop counter (communes, for instance), otherwise the one-stop centres at the
/// procedure's levels (a provincial procedure goes to the province's centre).
pub async fn receiving_agencies(
    app: &AppState,
    procedure: &Procedure,
) -> Result<Vec<Agency>, DbError> {
    let counters = app.db.agencies().counter_agencies().await?;
    let own: Vec<_> = counters
        .iter()
        .filter(|a| procedure.agencies.iter().any(|c| c.as_str() == a.code))
        .cloned()
        .collect();
    if !own.is_empty() {
        return Ok(own);
    }
    Ok(counters
        .into_iter()
        .filter(|a| procedure.levels.contains(&a.level))
        .collect())
}

/// A file sent with the filing.
pub struct FiledFile {
    /// Where it came from (the form's or the request's part), to name it in an error.
    pub field: String,
    /// The code of the case's component it answers.
    pub component: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A document of the citizen's data store taken for a component instead of a new file.
pub struct ReusedFile {
    /// Where it was chosen (the form's field or the request's entry), to name it in an error.
    pub field: String,
    /// The code of the case's component it answers.
    pub component: String,
    pub document: i64,
}

/// What the citizen files.
pub struct Filing {
    pub case_code: String,
    /// The receiving agency's code.
    pub agency: String,
    pub applicant: Applicant,
    pub return_method: ReturnMethod,
    pub summary: Option<String>,
    /// The case's situations the applicant says hold.
    pub conditions: Vec<String>,
    pub files: Vec<FiledFile>,
    pub reuse: Vec<ReusedFile>,
}

/// Files `filing` for `procedure` from `citizen`'s account. Every problem found is answered
/// at once as [`DbError::Invalid`], each naming its field; nothing is stored then.
pub async fn file_online(
    app: &AppState,
    citizen: &Citizen,
    procedure: &Procedure,
    filing: Filing,
) -> Result<DossierRecord, DbError> {
    let Some(case) = procedure.case(&filing.case_code).cloned() else {
        return Err(DbError::Invalid(vec![FieldError::new(
            "case",
            format!(
                "thủ tục không có trường hợp “{}”; chọn một trong: {}",
                filing.case_code,
                procedure
                    .cases
                    .iter()
                    .map(|c| c.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )]));
    };
    let mut errors = Vec::new();
    let allowed = receiving_agencies(app, procedure).await?;
    if !allowed.iter().any(|a| a.code == filing.agency) {
        errors.push(FieldError::new(
            "agency",
            "hãy chọn cơ quan tiếp nhận hồ sơ",
        ));
    }
    // The files, each against a component of the chosen case.
    let mut counts = vec![0u8; case.components.len()];
    let mut uploads = Vec::with_capacity(filing.files.len());
    for file in filing.files {
        let Some(index) = case
            .components
            .iter()
            .position(|c| c.code == file.component)
        else {
            errors.push(FieldError::new(
                file.field.as_str(),
                "tệp không thuộc thành phần hồ sơ nào của trường hợp đã chọn",
            ));
            continue;
        };
        counts[index] = counts[index].saturating_add(1);
        let upload = Upload {
            name: file.name,
            bytes: file.bytes,
            component: i64::try_from(index).ok(),
            purpose: Purpose::Intake,
        };
        if let Err(e) = motcua_db::check_upload(&upload, &file.field) {
            errors.push(e);
        }
        uploads.push((file.field, upload));
    }
    // Documents of the citizen's own store, each valid for its component's kind, and the
    // applicant the citizen themself.
    let mut reused = Vec::with_capacity(filing.reuse.len());
    if !filing.reuse.is_empty() {
        let store = account_store(app, citizen);
        let applicant = motcua_domain::digitised::Owner::of(&filing.applicant);
        for r in &filing.reuse {
            let index = case.components.iter().position(|c| c.code == r.component);
            let problem = match (&store, index) {
                (None, _) => Some(
                    "chỉ tài khoản đã xác thực bằng định danh điện tử mới dùng lại được giấy tờ trong kho dữ liệu",
                ),
                (_, None) => {
                    Some("giấy tờ dùng lại không thuộc thành phần hồ sơ nào của trường hợp đã chọn")
                }
                (Some(owner), Some(_)) if applicant.as_ref() != Some(owner) => Some(
                    "giấy tờ trong kho chỉ dùng lại được cho hồ sơ của chính chủ tài khoản (số định danh của người nộp phải là của tài khoản)",
                ),
                _ => None,
            };
            if let Some(message) = problem {
                errors.push(FieldError::new(r.field.as_str(), message));
                continue;
            }
            let Some(i) = index else { continue };
            match crate::pages::documents::reusable(app, store.as_ref(), &case.components[i], r.document)
                .await?
            {
                Some(d) => {
                    counts[i] = counts[i].saturating_add(1);
                    reused.push(motcua_db::NewAttachment::reusing(
                        &d,
                        i64::try_from(i).ok(),
                        Purpose::Intake,
                    )?);
                }
                None => errors.push(FieldError::new(
                    r.field.as_str(),
                    "giấy tờ này không có trong kho của Ông/Bà, đã hết hiệu lực, bị ẩn hoặc không đúng loại",
                )),
            }
        }
    }
    let intake = Intake {
        procedure_code: procedure.code.as_str().to_string(),
        case_code: case.code.clone(),
        channel: Channel::Online,
        applicant: filing.applicant,
        components: case
            .components
            .iter()
            .zip(&counts)
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| ReceivedComponent {
                code: c.code.clone(),
                form: ComponentForm::Electronic,
                count: *n,
            })
            .collect(),
        return_method: filing.return_method,
        summary: filing.summary,
        conditions: filing.conditions,
    };
    // Everything said is checked before any file is kept.
    if let Err(found) = check_intake(intake.clone(), procedure) {
        errors.extend(found);
    }
    if !errors.is_empty() {
        return Err(DbError::Invalid(errors));
    }
    let mut files = Vec::with_capacity(uploads.len());
    for (field, upload) in uploads {
        match app.files.store(upload, &field).await {
            Ok(file) => files.push(file),
            Err(DbError::Invalid(found)) => errors.extend(found),
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(DbError::Invalid(errors));
    }
    files.extend(reused);
    let extras = IntakeExtras {
        citizen_id: Some(citizen.id),
        files,
        portal_code: None,
        verified_identity: app.identity_verified(citizen.assurance),
    };
    app.db
        .dossiers()
        .intake_with(
            intake,
            &filing.agency,
            &Actor::Citizen { owner: true },
            &app.calendar(),
            app.now(),
            extras,
        )
        .await
}

/// The data store `citizen`'s account opens ([`motcua_domain::digitised::store_of_account`]).
pub fn account_store(app: &AppState, citizen: &Citizen) -> Option<motcua_domain::digitised::Owner> {
    motcua_domain::digitised::store_of_account(
        citizen.id_number.as_deref(),
        app.identity_verified(citizen.assurance),
    )
}
