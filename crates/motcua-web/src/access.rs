//! Who may see a dossier: staff holding any role over an agency it has been or is at
//! (receiving, current, any step of its workflow, any consulted agency). Enforced here for
//! the API and the pages alike.

use motcua_db::{Db, DbError, DossierRecord};
use std::collections::BTreeSet;

pub async fn may_read(db: &Db, staff_id: i64, d: &DossierRecord) -> Result<bool, DbError> {
    let mut agencies: BTreeSet<i64> = d.state.steps.iter().map(|s| s.agency_id).collect();
    agencies.insert(d.receiving_agency_id);
    agencies.insert(d.current_agency_id);
    agencies.extend(d.state.consultations.iter().map(|c| c.agency_id));
    for agency in agencies {
        if !db.roles_over(staff_id, agency).await?.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}
