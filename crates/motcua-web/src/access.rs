//! Who may see a dossier: staff holding any role over an agency it has been or is at
//! ([`motcua_domain::dossier::DossierState::involved_agencies`]); and who may attach files to
//! it; which dossiers are a citizen's own; whose data store staff may open from a dossier.
//! Enforced here for the API and the pages alike.

use motcua_db::{Db, DbError, DossierRecord};
use motcua_domain::agency::Role;

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

/// Whether this officer may attach files (scans, the result) to the dossier now: it is
/// open, and they hold a role at the agency holding it or are a counter officer of the
/// agency that received it.
pub async fn may_attach(db: &Db, staff_id: i64, d: &DossierRecord) -> Result<bool, DbError> {
    if d.status.is_final() {
        return Ok(false);
    }
    if !db
        .people()
        .roles_over(staff_id, d.current_agency_id)
        .await?
        .is_empty()
    {
        return Ok(true);
    }
    Ok(db
        .people()
        .roles_over(staff_id, d.receiving_agency_id)
        .await?
        .contains(&Role::CounterOfficer))
}

/// The dossier `id` if citizen `citizen_id`'s account filed it (its owner); a citizen sees no
/// other.
pub async fn owned_by(db: &Db, citizen_id: i64, id: i64) -> Result<Option<DossierRecord>, DbError> {
    Ok(db
        .dossiers()
        .dossier(id)
        .await?
        .filter(|d| d.citizen_id == Some(citizen_id)))
}

/// The agencies whose figures an officer sees: every one for an administrator (`None`),
/// otherwise those where they hold a role.
pub async fn visible_agencies(
    db: &Db,
    staff_id: i64,
) -> Result<Option<std::collections::HashSet<i64>>, DbError> {
    let grants = db.people().grants(staff_id).await?;
    if grants.iter().any(|g| g.role == Role::Administrator) {
        return Ok(None);
    }
    Ok(Some(grants.iter().map(|g| g.agency_id).collect()))
}

/// The data store staff who may see `d` may open from it: its applicant's, while the dossier
/// is being handled (not ended), when the applicant can be told apart (an identification
/// number or a tax code). Staff reach nobody's store otherwise.
pub fn store_of_handled(d: &DossierRecord) -> Option<motcua_domain::digitised::Owner> {
    if d.status.is_final() {
        return None;
    }
    motcua_domain::digitised::Owner::of(&d.applicant)
}
