//! The public progress of a dossier — the steps of its procedure version, done, current or
//! ahead — shared by the lookup API and the lookup page.

use motcua_db::{Db, DbError, PublicDossier};
use motcua_domain::dossier::Status;
use serde::Serialize;

/// One step as the public sees it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicStep {
    pub name: String,
    pub done: bool,
    pub current: bool,
}

/// The name of the procedure version a dossier was received under.
pub async fn procedure_name(db: &Db, version_id: i64) -> Result<String, DbError> {
    Ok(db
        .catalogue()
        .procedure_version(version_id)
        .await?
        .map(|p| p.procedure.name.clone())
        .unwrap_or_default())
}

/// The procedure's name and the steps of the version the dossier was received under.
pub async fn progress(db: &Db, d: &PublicDossier) -> Result<(String, Vec<PublicStep>), DbError> {
    let Some(version) = db
        .catalogue()
        .procedure_version(d.procedure_version_id)
        .await?
    else {
        return Ok((String::new(), Vec::new()));
    };
    // Only a result completes the workflow; a refused, stopped or withdrawn dossier shows
    // the steps it really went through.
    let finished = matches!(d.status, Status::ResultReady | Status::Returned);
    let ended = d.status.is_final() && !finished;
    let steps = version
        .procedure
        .workflow
        .iter()
        .enumerate()
        .map(|(i, s)| PublicStep {
            name: s.name.clone(),
            done: i < d.step || (finished && i <= d.step),
            current: i == d.step && !finished && !ended,
        })
        .collect();
    Ok((version.procedure.name.clone(), steps))
}
