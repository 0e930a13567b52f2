//! Thanh điều hướng cán bộ — the staff workspace's own menu, not the public site's: the
//! queue for everyone, the counter's tools (intake, calling numbers, the log book) for
//! one-stop officers and leaders, statistics, administration for administrators, the
//! search box, the alerts' bell with its unread count, the password and signing out.

use motcua_domain::agency::Role;

use super::SignedIn;

/// What the staff header shows the signed-in officer.
pub struct StaffNav {
    pub who: String,
    pub csrf: String,
    pub counter: bool,
    pub admin: bool,
    /// The search box's text (kept on the results page).
    pub query: String,
    /// Unread alerts (the bell's count).
    pub unread: i64,
}

impl SignedIn {
    /// The header for this officer.
    pub fn nav(&self) -> StaffNav {
        let has = |roles: &[Role]| self.roles.iter().any(|r| roles.contains(r));
        StaffNav {
            who: self.session.staff.full_name.clone(),
            csrf: self.session.csrf.clone(),
            counter: has(&[Role::CounterOfficer, Role::UnitLeader, Role::AgencyLeader]),
            admin: has(&[Role::Administrator]),
            query: String::new(),
            unread: self.unread,
        }
    }
}
