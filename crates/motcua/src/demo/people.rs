//! Người nộp mẫu — made-up applicants: Vietnamese names, Thanh Hóa CCCD numbers (038…),
//! tax codes (28…), phones, e-mails on reserved example domains, and addresses.

use motcua_domain::dossier::{Applicant, ApplicantKind, NotifyChannel};

use super::rng::Rng;

const FAMILY: [&str; 20] = [
    "Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Lê", "Nguyễn", "Trịnh", "Mai", "Đỗ", "Vũ", "Bùi",
    "Đặng", "Ngô", "Dương", "Lương", "Cao", "Hà", "Tống", "Lê",
];
const MIDDLE_MALE: [&str; 10] = [
    "Văn", "Văn", "Đình", "Xuân", "Minh", "Quang", "Hữu", "Ngọc", "Trọng", "Công",
];
const MIDDLE_FEMALE: [&str; 8] = [
    "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Phương",
];
const GIVEN_MALE: [&str; 22] = [
    "Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khánh", "Long", "Mạnh", "Nam", "Phong",
    "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Hiếu", "Toàn", "Trung", "Kiên", "Lộc",
];
const GIVEN_FEMALE: [&str; 22] = [
    "Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Huyền", "Hương", "Lan",
    "Linh", "Mai", "Nga", "Ngọc", "Nhung", "Phương", "Quỳnh", "Thảo", "Trang", "Yến",
];

const ORG_KIND: [&str; 4] = [
    "Công ty TNHH",
    "Công ty cổ phần",
    "Công ty TNHH một thành viên",
    "Hợp tác xã",
];
const ORG_TRADE: [&str; 10] = [
    "Thương mại và Dịch vụ",
    "Xây dựng",
    "Đầu tư và Phát triển",
    "Du lịch",
    "Dược phẩm",
    "Thực phẩm",
    "Năng lượng",
    "Nông nghiệp công nghệ cao",
    "Vận tải",
    "Giáo dục",
];
const ORG_BRAND: [&str; 14] = [
    "Hoàng Long",
    "Lam Sơn",
    "Hàm Rồng",
    "Sông Mã",
    "Biển Xanh",
    "Nghi Sơn",
    "Đông Sơn",
    "Hạc Thành",
    "Trường Lệ",
    "Bến En",
    "Pù Luông",
    "Xứ Thanh",
    "Hồng Đức",
    "Phú Quý",
];

/// Where an applicant lives: a commune-level unit and its streets or villages.
struct Locality {
    unit: &'static str,
    places: &'static [&'static str],
    /// Streets get house numbers; villages do not.
    streets: bool,
}

const HAC_THANH: Locality = Locality {
    unit: "phường Hạc Thành",
    places: &[
        "Lê Hoàn",
        "Trần Phú",
        "Bà Triệu",
        "Quang Trung",
        "Nguyễn Trãi",
        "Hàm Nghi",
        "Phan Chu Trinh",
        "Lý Thường Kiệt",
        "Tống Duy Tân",
        "Dương Đình Nghệ",
    ],
    streets: true,
};
const HOANG_HOA: Locality = Locality {
    unit: "xã Hoằng Hóa",
    places: &[
        "Thôn Bút Sơn",
        "Thôn Nghĩa Trang",
        "Thôn Phú Vinh",
        "Thôn Đông Khê",
        "Thôn Trung Thôn",
        "Thôn Phượng Áng",
    ],
    streets: false,
};
const SAM_SON: Locality = Locality {
    unit: "phường Sầm Sơn",
    places: &[
        "Hồ Xuân Hương",
        "Nguyễn Du",
        "Lê Lai",
        "Tây Sơn",
        "Thanh Niên",
        "Trần Hưng Đạo",
    ],
    streets: true,
};
const ELSEWHERE: [Locality; 3] = [
    Locality {
        unit: "phường Bỉm Sơn",
        places: &["Khu phố 1", "Khu phố 3", "Khu phố 7"],
        streets: false,
    },
    Locality {
        unit: "phường Nghi Sơn",
        places: &["Khu phố Hải Hòa", "Khu phố Tân Dân", "Khu phố Bắc Sơn"],
        streets: false,
    },
    Locality {
        unit: "xã Thọ Xuân",
        places: &["Thôn Xuân Lai", "Thôn Thọ Lộc", "Thôn Phú Xá"],
        streets: false,
    },
];

/// The locality of a receiving agency: its own people for a commune, anyone for the centre.
fn locality(commune: Option<usize>, rng: &mut Rng) -> &'static Locality {
    let local = [&HAC_THANH, &HOANG_HOA, &SAM_SON];
    match commune {
        Some(i) if rng.chance(90) => local[i.min(2)],
        _ => match rng.weighted(&[40, 20, 15, 25]) {
            0..=2 => local[rng.weighted(&[50, 30, 20])],
            _ => &ELSEWHERE[rng.index(ELSEWHERE.len())],
        },
    }
}

fn address(place: &Locality, rng: &mut Rng) -> String {
    let spot = rng.pick(place.places);
    if place.streets {
        format!(
            "Số {} {spot}, {}, tỉnh Thanh Hóa",
            rng.range(1, 250),
            place.unit
        )
    } else {
        format!("{spot}, {}, tỉnh Thanh Hóa", place.unit)
    }
}

/// A mobile number 09xxxxxxxx.
fn phone(rng: &mut Rng) -> String {
    format!("09{}", rng.digits(8))
}

/// The check digit of a tax code's first nine digits (weights 31, 29, 23, 19, 17, 13, 7, 5,
/// 3; 10 − sum mod 11); 10 means no valid code has these nine digits.
fn tax_check_digit(body: &str) -> u32 {
    const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b.wrapping_sub(b'0')) * w)
        .sum();
    10 - sum % 11
}

/// Mã số thuế: "28" for Thanh Hóa, seven digits, and the check digit.
fn tax_code(rng: &mut Rng) -> String {
    loop {
        let body = format!("28{}", rng.digits(7));
        let check = tax_check_digit(&body);
        if check < 10 {
            return format!("{body}{check}");
        }
    }
}

/// A person's 12-digit CCCD: province 038, the century-and-sex digit, the birth year's last
/// two digits, and six more.
fn citizen_id(male: bool, year: i64, rng: &mut Rng) -> String {
    let century = match (year >= 2000, male) {
        (false, true) => 0,
        (false, false) => 1,
        (true, true) => 2,
        (true, false) => 3,
    };
    format!("038{century}{:02}{}", year % 100, rng.digits(6))
}

fn notify(phone: &Option<String>, email: &Option<String>, rng: &mut Rng) -> Vec<NotifyChannel> {
    let mut out = Vec::new();
    if phone.is_some() {
        if rng.chance(80) {
            out.push(NotifyChannel::Sms);
        }
        if rng.chance(35) {
            out.push(NotifyChannel::Zalo);
        }
    }
    if email.is_some() && rng.chance(75) {
        out.push(NotifyChannel::Email);
    }
    out
}

const MAIL_DOMAINS: [&str; 3] = ["example.com", "example.net", "example.org"];

/// A made-up applicant living near `commune` (an index into the three communes), or
/// anywhere in the province when received at the centre.
pub(crate) fn applicant(organisation: bool, commune: Option<usize>, rng: &mut Rng) -> Applicant {
    let place = locality(commune, rng);
    let phone = rng.chance(95).then(|| phone(rng));
    if organisation {
        let brand = rng.pick(&ORG_BRAND);
        let name = format!("{} {} {brand}", rng.pick(&ORG_KIND), rng.pick(&ORG_TRADE));
        let email = rng.chance(70).then(|| {
            let slug = motcua_domain::text::fold(brand).replace(' ', "");
            format!("lienhe.{slug}@{}", rng.pick(&MAIL_DOMAINS))
        });
        return Applicant {
            kind: ApplicantKind::Organisation,
            name,
            id_number: None,
            tax_code: Some(tax_code(rng)),
            notify: notify(&phone, &email, rng),
            phone,
            email,
            address: Some(address(place, rng)),
        };
    }
    let male = rng.chance(50);
    let (middle, given) = if male {
        (rng.pick(&MIDDLE_MALE), rng.pick(&GIVEN_MALE))
    } else {
        (rng.pick(&MIDDLE_FEMALE), rng.pick(&GIVEN_FEMALE))
    };
    let family = rng.pick(&FAMILY);
    let year = rng.range(1950, 2006);
    let email = rng.chance(35).then(|| {
        let local = motcua_domain::text::fold(&format!("{given}{family}")).replace(' ', "");
        format!("{local}{:02}@{}", year % 100, rng.pick(&MAIL_DOMAINS))
    });
    Applicant {
        kind: ApplicantKind::Person,
        name: format!("{family} {middle} {given}"),
        id_number: Some(citizen_id(male, year, rng)),
        tax_code: None,
        notify: notify(&phone, &email, rng),
        phone,
        email,
        address: Some(address(place, rng)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applicants_validate() {
        let mut rng = Rng::new(3);
        for i in 0..500 {
            let a = applicant(i % 4 == 0, Some(i % 3), &mut rng)
                .validate()
                .unwrap_or_else(|e| panic!("{e:?}"));
            match a.kind {
                ApplicantKind::Person => {
                    let id = a.id_number.as_deref().unwrap();
                    assert!(id.starts_with("038") && id.len() == 12, "{id}");
                }
                ApplicantKind::Organisation => {
                    let code = a.tax_code.as_deref().unwrap();
                    assert!(code.starts_with("28") && code.len() == 10, "{code}");
                }
            }
            if let Some(p) = &a.phone {
                assert!(p.starts_with("09") && p.len() == 10);
            }
        }
    }

    #[test]
    fn tax_code_check_digit() {
        // Two published codes: 0100109106 and 0101243150.
        assert_eq!(tax_check_digit("010010910"), 6);
        assert_eq!(tax_check_digit("010124315"), 0);
        let mut rng = Rng::new(9);
        let code = tax_code(&mut rng);
        assert_eq!(tax_check_digit(&code[..9]).to_string(), code[9..]);
    }
}
