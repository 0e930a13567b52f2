//! Cơ quan mẫu — the agencies of the demo province (Thanh Hóa, H56): the provincial people's
//! committee, its office and service centre, the departments, and three communes.

use anyhow::Context;
use motcua_db::{Agency, Db, NewAgency};
use motcua_domain::agency::AgencyLevel;

/// Ủy ban nhân dân tỉnh — the root of the tree.
pub(crate) const PROVINCE: &str = "000.00.00.H56";
/// Trung tâm Phục vụ hành chính công tỉnh — the provincial one-stop centre.
pub(crate) const CENTRE: &str = "000.01.01.H56";
/// The three communes, in the order the catalogue names them.
pub(crate) const COMMUNES: [&str; 3] = ["000.30.01.H56", "000.30.02.H56", "000.30.03.H56"];

/// One agency to create.
pub(crate) struct AgencySpec {
    pub code: &'static str,
    pub name: &'static str,
    pub level: AgencyLevel,
    pub parent: Option<&'static str>,
    pub phone: &'static str,
    pub address: &'static str,
}

const fn agency(
    code: &'static str,
    name: &'static str,
    level: AgencyLevel,
    parent: Option<&'static str>,
    phone: &'static str,
    address: &'static str,
) -> AgencySpec {
    AgencySpec {
        code,
        name,
        level,
        parent,
        phone,
        address,
    }
}

use AgencyLevel::{Commune, Province};

/// Parents come before their children.
pub(crate) const AGENCIES: [AgencySpec; 16] = [
    agency(
        PROVINCE,
        "Ủy ban nhân dân tỉnh Thanh Hóa",
        Province,
        None,
        "0237 3852 366",
        "35 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.00.01.H56",
        "Văn phòng Ủy ban nhân dân tỉnh",
        Province,
        Some(PROVINCE),
        "0237 3852 480",
        "35 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        CENTRE,
        "Trung tâm Phục vụ hành chính công tỉnh",
        Province,
        // Under the provincial People's Committee itself since ND 118/2025.
        Some(PROVINCE),
        "0237 3713 368",
        "28 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.00.03.H56",
        "Sở Tư pháp",
        Province,
        Some(PROVINCE),
        "0237 3852 155",
        "48 Hạc Thành, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.00.05.H56",
        "Sở Công Thương",
        Province,
        Some(PROVINCE),
        "0237 3852 314",
        "37 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.00.07.H56",
        "Sở Xây dựng",
        Province,
        Some(PROVINCE),
        "0237 3852 256",
        "36 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.00.09.H56",
        "Sở Nội vụ",
        Province,
        Some(PROVINCE),
        "0237 3852 180",
        "11 Hạc Thành, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.00.10.H56",
        "Sở Y tế",
        Province,
        Some(PROVINCE),
        "0237 3852 418",
        "101 Nguyễn Trãi, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.00.12.H56",
        "Sở Tài chính",
        Province,
        Some(PROVINCE),
        "0237 3852 235",
        "25 Phan Chu Trinh, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.00.13.H56",
        "Sở Nông nghiệp và Môi trường",
        Province,
        Some(PROVINCE),
        "0237 3852 194",
        "14 Hạc Thành, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.00.15.H56",
        "Sở Giáo dục và Đào tạo",
        Province,
        Some(PROVINCE),
        "0237 3852 364",
        "37 Lý Thường Kiệt, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.00.16.H56",
        "Sở Văn hóa, Thể thao và Du lịch",
        Province,
        Some(PROVINCE),
        "0237 3852 370",
        "32 Trần Phú, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        "000.01.07.H56",
        "Phòng Quản lý hoạt động xây dựng",
        Province,
        Some("000.00.07.H56"),
        "0237 3852 257",
        "36 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        COMMUNES[0],
        "Ủy ban nhân dân phường Hạc Thành",
        Commune,
        Some(PROVINCE),
        "0237 3857 201",
        "18 Hàm Nghi, phường Hạc Thành, tỉnh Thanh Hóa",
    ),
    agency(
        COMMUNES[1],
        "Ủy ban nhân dân xã Hoằng Hóa",
        Commune,
        Some(PROVINCE),
        "0237 3865 118",
        "Thôn Bút Sơn, xã Hoằng Hóa, tỉnh Thanh Hóa",
    ),
    agency(
        COMMUNES[2],
        "Ủy ban nhân dân phường Sầm Sơn",
        Commune,
        Some(PROVINCE),
        "0237 3821 135",
        "02 Lê Lợi, phường Sầm Sơn, tỉnh Thanh Hóa",
    ),
];

/// The spec of the agency with this code.
pub(crate) fn spec(code: &str) -> Option<&'static AgencySpec> {
    AGENCIES.iter().find(|a| a.code == code)
}

/// Creates every agency, parents first, and returns them as stored.
/// Creates the agencies, each with the receipt book it registered with its tax office (a
/// made-up tax code; the symbols the province uses), as of `at` (Unix seconds).
pub(crate) async fn create(db: &Db, at: i64) -> anyhow::Result<Vec<Agency>> {
    for (i, a) in AGENCIES.iter().enumerate() {
        db.agencies()
            .create_agency(
                &NewAgency {
                    code: a.code.into(),
                    name: a.name.into(),
                    level: a.level,
                    parent_code: a.parent.map(Into::into),
                    phone: Some(a.phone.into()),
                    address: Some(a.address.into()),
                },
                "demo",
            )
            .await
            .with_context(|| format!("tạo cơ quan {} ({})", a.code, a.name))?;
        let book = motcua_domain::payment::receipt::ReceiptBook::check(
            &format!("28010{:05}", i + 1),
            motcua_domain::payment::receipt::DEFAULT_FORM_SYMBOL,
            "TH-{yy}E",
        )
        .map_err(|e| anyhow::anyhow!("sổ biên lai mẫu: {e:?}"))?;
        if let Some(created) = db.agencies().agency_by_code(a.code).await? {
            db.payments()
                .set_book(created.id, &book, "demo", at)
                .await?;
        }
    }
    Ok(db.agencies().all().await?)
}
