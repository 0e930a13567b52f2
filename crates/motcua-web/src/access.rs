//! Who may see a dossier: staff holding any role over an agency it has been or is at
//! ([`motcua_domain::dossier::DossierState::involved_agencies`]). Enforced here for the API
//! and the pages alike.

use motcua_db::{Db, DbError, DossierRecord};

pub async fn may_read(db: &Db, staff_id: i64, d: &DossierRecord) -> Result<bool, DbError> {
    let mut agencies = d.state.involved_agencies();
    agencies.insert(d.receiving_agency_id);
    agencies.insert(d.current_agency_id);
    for agency in agencies {
        if !db.people().roles_over(staff_id, agency).await?.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}
