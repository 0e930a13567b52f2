//! Cán bộ mẫu — the demo staff (one or more for every role), their grants, and the directory
//! the generator asks "who may do this, here?".

use std::collections::HashMap;

use anyhow::Context;
use motcua_db::{Agency, Db, NewStaff};
use motcua_domain::agency::Role;

use super::DemoLogin;
use super::agencies::{self, CENTRE, PROVINCE};
use super::rng::Rng;

struct StaffSpec {
    username: &'static str,
    full_name: &'static str,
    title: &'static str,
    role: Role,
    agency: &'static str,
}

const fn staff(
    username: &'static str,
    full_name: &'static str,
    title: &'static str,
    role: Role,
    agency: &'static str,
) -> StaffSpec {
    StaffSpec {
        username,
        full_name,
        title,
        role,
        agency,
    }
}

use Role::{Administrator, AgencyLeader, CounterOfficer, Specialist, Supervisor, UnitLeader};

const COUNTER: &str = "Công chức tiếp nhận và trả kết quả, Trung tâm Phục vụ hành chính công tỉnh";

#[rustfmt::skip]
const STAFF: &[StaffSpec] = &[
    staff("tn.trungtam1", "Lê Thị Thu Hà", COUNTER, CounterOfficer, CENTRE),
    staff("tn.trungtam2", "Nguyễn Văn Hưng", COUNTER, CounterOfficer, CENTRE),
    staff("tn.trungtam3", "Trịnh Thị Ngọc Ánh", COUNTER, CounterOfficer, CENTRE),
    staff("gs.trungtam", "Phạm Quang Vinh", "Phó Giám đốc Trung tâm Phục vụ hành chính công tỉnh", Supervisor, PROVINCE),
    staff("qt.hethong", "Hoàng Minh Tuấn", "Chuyên viên Công nghệ thông tin, Văn phòng Ủy ban nhân dân tỉnh", Administrator, PROVINCE),
    staff("ld.ubndtinh", "Đỗ Trọng Khang", "Phó Chủ tịch Ủy ban nhân dân tỉnh", AgencyLeader, PROVINCE),
    staff("cv.tuphap", "Nguyễn Thị Thanh Tâm", "Chuyên viên Phòng Hành chính tư pháp, Sở Tư pháp", Specialist, "000.00.03.H56"),
    staff("tp.tuphap", "Lê Văn Thành", "Trưởng phòng Hành chính tư pháp, Sở Tư pháp", UnitLeader, "000.00.03.H56"),
    staff("ld.tuphap", "Trần Đức Minh", "Phó Giám đốc Sở Tư pháp", AgencyLeader, "000.00.03.H56"),
    staff("cv.congthuong", "Mai Thị Hồng Nhung", "Chuyên viên Phòng Quản lý năng lượng, Sở Công Thương", Specialist, "000.00.05.H56"),
    staff("tp.congthuong", "Vũ Đình Khải", "Trưởng phòng Quản lý năng lượng, Sở Công Thương", UnitLeader, "000.00.05.H56"),
    staff("ld.congthuong", "Lê Hữu Phúc", "Phó Giám đốc Sở Công Thương", AgencyLeader, "000.00.05.H56"),
    staff("cv.xaydung", "Đặng Văn Toàn", "Chuyên viên Phòng Quy hoạch - Kiến trúc, Sở Xây dựng", Specialist, "000.00.07.H56"),
    staff("tp.xaydung", "Nguyễn Hữu Lộc", "Trưởng phòng Quản lý hoạt động xây dựng, Sở Xây dựng", UnitLeader, "000.00.07.H56"),
    staff("ld.xaydung", "Phạm Văn Sơn", "Phó Giám đốc Sở Xây dựng", AgencyLeader, "000.00.07.H56"),
    staff("cv.qlhdxd", "Lê Thị Phương Thảo", "Chuyên viên Phòng Quản lý hoạt động xây dựng, Sở Xây dựng", Specialist, "000.01.07.H56"),
    staff("cv.noivu", "Hà Thị Huyền", "Chuyên viên Phòng Lao động - Việc làm, Sở Nội vụ", Specialist, "000.00.09.H56"),
    staff("tp.noivu", "Trịnh Xuân Hòa", "Trưởng phòng Người có công, Sở Nội vụ", UnitLeader, "000.00.09.H56"),
    staff("ld.noivu", "Lê Quang Hưng", "Phó Giám đốc Sở Nội vụ", AgencyLeader, "000.00.09.H56"),
    staff("cv.yte", "Bùi Thị Mai Anh", "Chuyên viên Phòng Nghiệp vụ Dược, Sở Y tế", Specialist, "000.00.10.H56"),
    staff("tp.yte", "Ngô Văn Dũng", "Trưởng phòng Nghiệp vụ Y, Sở Y tế", UnitLeader, "000.00.10.H56"),
    staff("ld.yte", "Hoàng Thị Bích Ngọc", "Phó Giám đốc Sở Y tế", AgencyLeader, "000.00.10.H56"),
    staff("cv.taichinh", "Lương Minh Châu", "Chuyên viên Phòng Đăng ký kinh doanh, Sở Tài chính", Specialist, "000.00.12.H56"),
    staff("tp.taichinh", "Nguyễn Thị Lan Hương", "Trưởng phòng Đăng ký kinh doanh, Sở Tài chính", UnitLeader, "000.00.12.H56"),
    staff("ld.taichinh", "Tống Văn Quyết", "Phó Giám đốc Sở Tài chính", AgencyLeader, "000.00.12.H56"),
    staff("cv.nnmt", "Lê Văn Nam", "Chuyên viên Phòng Quản lý đất đai, Sở Nông nghiệp và Môi trường", Specialist, "000.00.13.H56"),
    staff("tp.nnmt", "Cao Thị Thúy", "Trưởng phòng Quản lý đất đai, Sở Nông nghiệp và Môi trường", UnitLeader, "000.00.13.H56"),
    staff("ld.nnmt", "Mai Đức Thịnh", "Phó Giám đốc Sở Nông nghiệp và Môi trường", AgencyLeader, "000.00.13.H56"),
    staff("cv.gddt", "Dương Thị Kim Oanh", "Chuyên viên Phòng Khảo thí và Kiểm định chất lượng giáo dục, Sở Giáo dục và Đào tạo", Specialist, "000.00.15.H56"),
    staff("tp.gddt", "Lê Đình Cường", "Trưởng phòng Khảo thí và Kiểm định chất lượng giáo dục, Sở Giáo dục và Đào tạo", UnitLeader, "000.00.15.H56"),
    staff("ld.gddt", "Nguyễn Văn Hiếu", "Phó Giám đốc Sở Giáo dục và Đào tạo", AgencyLeader, "000.00.15.H56"),
    staff("cv.vhttdl", "Trần Thị Thu Trang", "Chuyên viên Phòng Quản lý du lịch, Sở Văn hóa, Thể thao và Du lịch", Specialist, "000.00.16.H56"),
    staff("tp.vhttdl", "Đỗ Xuân Trường", "Trưởng phòng Quản lý du lịch, Sở Văn hóa, Thể thao và Du lịch", UnitLeader, "000.00.16.H56"),
    staff("ld.vhttdl", "Lê Thị Hồng Vân", "Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch", AgencyLeader, "000.00.16.H56"),
    staff("tn.hacthanh", "Nguyễn Thị Hải Yến", "Công chức Trung tâm Phục vụ hành chính công phường Hạc Thành", CounterOfficer, "000.30.01.H56"),
    staff("cv.hacthanh", "Lê Văn Quang", "Chuyên viên Phòng Văn hóa - Xã hội, Ủy ban nhân dân phường Hạc Thành", Specialist, "000.30.01.H56"),
    staff("tp.hacthanh", "Phạm Thị Minh Nguyệt", "Trưởng phòng Kinh tế, Hạ tầng và Đô thị, Ủy ban nhân dân phường Hạc Thành", UnitLeader, "000.30.01.H56"),
    staff("ld.hacthanh", "Trịnh Văn Lâm", "Chủ tịch Ủy ban nhân dân phường Hạc Thành", AgencyLeader, "000.30.01.H56"),
    staff("tn.hoanghoa", "Lê Thị Hoa", "Công chức Trung tâm Phục vụ hành chính công xã Hoằng Hóa", CounterOfficer, "000.30.02.H56"),
    staff("cv.hoanghoa", "Nguyễn Đình Tùng", "Chuyên viên Phòng Văn hóa - Xã hội, Ủy ban nhân dân xã Hoằng Hóa", Specialist, "000.30.02.H56"),
    staff("tp.hoanghoa", "Lê Thị Thanh Nga", "Trưởng phòng Kinh tế, Ủy ban nhân dân xã Hoằng Hóa", UnitLeader, "000.30.02.H56"),
    staff("ld.hoanghoa", "Hoàng Văn Thắng", "Phó Chủ tịch Ủy ban nhân dân xã Hoằng Hóa", AgencyLeader, "000.30.02.H56"),
    staff("tn.samson", "Vũ Thị Lan", "Công chức Trung tâm Phục vụ hành chính công phường Sầm Sơn", CounterOfficer, "000.30.03.H56"),
    staff("cv.samson", "Hoàng Văn Đạt", "Chuyên viên Phòng Văn hóa - Xã hội, Ủy ban nhân dân phường Sầm Sơn", Specialist, "000.30.03.H56"),
    staff("tp.samson", "Nguyễn Thị Thu Hằng", "Trưởng phòng Kinh tế, Hạ tầng và Đô thị, Ủy ban nhân dân phường Sầm Sơn", UnitLeader, "000.30.03.H56"),
    staff("ld.samson", "Lê Xuân Bắc", "Chủ tịch Ủy ban nhân dân phường Sầm Sơn", AgencyLeader, "000.30.03.H56"),
];

/// A role someone holds over an agency's sub-tree.
struct Held {
    staff_id: i64,
    role: Role,
    /// The granting agency's materialized path (`/1/4/`).
    path: String,
}

/// Who holds which role where, and the agency tree, as the generator needs them.
pub(crate) struct Directory {
    held: Vec<Held>,
    ids: HashMap<String, i64>,
    paths: HashMap<i64, String>,
    names: HashMap<i64, String>,
}

impl Directory {
    pub(crate) fn new(agencies: &[Agency]) -> Self {
        Self {
            held: Vec::new(),
            ids: agencies.iter().map(|a| (a.code.clone(), a.id)).collect(),
            paths: agencies.iter().map(|a| (a.id, a.path.clone())).collect(),
            names: agencies.iter().map(|a| (a.id, a.name.clone())).collect(),
        }
    }

    pub(crate) fn agency_id(&self, code: &str) -> anyhow::Result<i64> {
        self.ids
            .get(code)
            .copied()
            .with_context(|| format!("không có cơ quan mã {code} trong dữ liệu mẫu"))
    }

    pub(crate) fn agency_name(&self, id: i64) -> &str {
        self.names.get(&id).map_or("?", String::as_str)
    }

    /// Whether one agency is the other, or above or below it.
    pub(crate) fn related(&self, a: i64, b: i64) -> bool {
        match (self.paths.get(&a), self.paths.get(&b)) {
            (Some(x), Some(y)) => x.starts_with(y.as_str()) || y.starts_with(x.as_str()),
            _ => false,
        }
    }

    /// The staff who hold `role` over `agency` through the most specific grant: the one made
    /// at the agency itself or at its nearest ancestor (a department's own leader before the
    /// province's, who also covers it).
    fn holders(&self, role: Role, agency: i64) -> Vec<i64> {
        let Some(target) = self.paths.get(&agency) else {
            return Vec::new();
        };
        let covering = self
            .held
            .iter()
            .filter(|h| h.role == role && target.starts_with(&h.path));
        let deepest = covering.clone().map(|h| h.path.len()).max();
        covering
            .filter(|h| Some(h.path.len()) == deepest)
            .map(|h| h.staff_id)
            .collect()
    }

    /// Someone holding the first of `roles` that anyone holds over `agency`.
    pub(crate) fn pick(&self, roles: &[Role], agency: i64, rng: &mut Rng) -> Option<i64> {
        roles.iter().find_map(|role| {
            let holders = self.holders(*role, agency);
            (!holders.is_empty()).then(|| holders[rng.index(holders.len())])
        })
    }

    /// Like [`Self::pick`], or an error naming what is missing (a generator bug).
    pub(crate) fn need(&self, roles: &[Role], agency: i64, rng: &mut Rng) -> anyhow::Result<i64> {
        self.pick(roles, agency, rng).with_context(|| {
            let wanted: Vec<&str> = roles.iter().map(|r| r.label_vi()).collect();
            format!(
                "dữ liệu mẫu không có cán bộ ({}) tại {}",
                wanted.join(" / "),
                self.agency_name(agency)
            )
        })
    }
}

/// Creates every staff member with their API token and grant; returns the logins and the
/// directory of who holds what.
pub(crate) async fn create(
    db: &Db,
    agencies: &[Agency],
) -> anyhow::Result<(Vec<DemoLogin>, Directory)> {
    let mut directory = Directory::new(agencies);
    let mut logins = Vec::with_capacity(STAFF.len());
    for s in STAFF {
        let token = format!("demo-{}", s.username);
        let phone = agencies::spec(s.agency).map(|a| a.phone.to_string());
        let created = db
            .people()
            .create_staff(
                &NewStaff {
                    username: s.username.into(),
                    full_name: s.full_name.into(),
                    title: Some(s.title.into()),
                    phone,
                    email: None,
                    password_hash: None,
                    token: Some(token.clone()),
                },
                "demo",
            )
            .await
            .with_context(|| format!("tạo cán bộ {}", s.username))?;
        db.people()
            .grant(created.id, s.agency, s.role, "demo")
            .await
            .with_context(|| format!("phân quyền cho {}", s.username))?;
        let agency_id = directory.agency_id(s.agency)?;
        directory.held.push(Held {
            staff_id: created.id,
            role: s.role,
            path: directory.paths.get(&agency_id).cloned().unwrap_or_default(),
        });
        logins.push(DemoLogin {
            username: created.username,
            full_name: created.full_name,
            role: s.role,
            agency: directory.agency_name(agency_id).to_string(),
            token,
        });
    }
    Ok((logins, directory))
}

/// The demo accounts still present in `db` and still opened by their demo token, for
/// printing at start-up (none once they were removed or their tokens changed).
pub(crate) async fn present(db: &Db) -> anyhow::Result<Vec<DemoLogin>> {
    let mut out = Vec::new();
    for s in STAFF {
        let token = format!("demo-{}", s.username);
        let Some(member) = db.people().staff_by_token(&token).await? else {
            continue;
        };
        if member.username != s.username {
            continue;
        }
        let agency = db.agencies().agency_by_code(s.agency).await?;
        out.push(DemoLogin {
            username: member.username,
            full_name: member.full_name,
            role: s.role,
            agency: agency.map(|a| a.name).unwrap_or_default(),
            token,
        });
    }
    Ok(out)
}
