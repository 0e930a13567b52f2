//! CSDL quốc gia về dân cư — asking the national population database about a citizen at
//! the counter: the request as public code shows it (`shared/domain/INTEGRATION.md` §(f):
//! the name upper-cased without marks or spaces, the ID number, the date of birth, the
//! officer and a request id), and the citizen read from the reply (SOAP XML inside
//! `{error_code, message}`). Whether the data given at the counter agrees with it is decided
//! here too.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::{Value, json};

use crate::dossier::check_citizen_id;
use crate::error::FieldError;

/// What the officer asks with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub id_number: String,
    pub name: String,
    pub birth_date: NaiveDate,
}

impl Query {
    /// Checks the three fields, naming the one that is wrong.
    pub fn new(id_number: &str, name: &str, birth_date: &str) -> Result<Self, FieldError> {
        let id_number = id_number.trim();
        check_citizen_id(id_number).map_err(|m| FieldError::new("id_number", m))?;
        let name = crate::text::nfc(name.trim());
        if name.is_empty() {
            return Err(FieldError::new("name", "cần họ và tên"));
        }
        let birth_date = NaiveDate::parse_from_str(birth_date.trim(), "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(birth_date.trim(), "%d/%m/%Y"))
            .map_err(|_| {
                FieldError::new("birth_date", "ngày sinh viết theo dạng ngày/tháng/năm")
            })?;
        Ok(Self {
            id_number: id_number.to_string(),
            name,
            birth_date,
        })
    }
}

/// The name as the database is asked with it: upper case, without marks, without spaces.
pub fn request_name(name: &str) -> String {
    crate::text::fold(name).replace(' ', "").to_uppercase()
}

/// The request body: `officer` is the asking officer's code, `request_id` unique per request;
/// `integration` and `service` are the codes the province was given (`MaTichHop`, `MaDVC`).
pub fn request_body(
    q: &Query,
    officer: &str,
    request_id: &str,
    integration: &str,
    service: &str,
) -> Value {
    json!({
        "HoVaTen": request_name(&q.name),
        "SoDinhDanh": q.id_number,
        "SoCMND": "",
        "NgayThangNam": q.birth_date.format("%Y%m%d").to_string(),
        "Nam": q.birth_date.year().to_string(),
        "MaTichHop": integration,
        "MaDVC": service,
        "MaCanBo": officer,
        "MaYeuCau": request_id,
    })
}

/// A citizen as the database returns them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Citizen {
    pub id_number: String,
    pub name: String,
    /// As the database writes it (`yyyyMMdd`, or a year alone).
    pub birth: String,
    pub sex: String,
    /// Thường trú and nơi ở hiện tại, their free-text detail.
    pub permanent_address: String,
    pub current_address: String,
}

/// The text inside the first `<tag>` (with or without a namespace prefix) of `xml`.
fn inner<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = xml[from..].find('<') {
        let start = from + i + 1;
        let end = start + xml[start..].find('>')?;
        let head = &xml[start..end];
        let name = head.split_whitespace().next().unwrap_or_default();
        let local = name.rsplit(':').next().unwrap_or(name);
        if local == tag && !head.starts_with('/') && !head.ends_with('/') {
            let body = end + 1;
            let close = format!("</{name}>");
            let stop = body + xml[body..].find(&close)?;
            return Some(&xml[body..stop]);
        }
        from = end;
    }
    None
}

fn text_of(xml: &str, path: &[&str]) -> String {
    let mut at = xml;
    for tag in path {
        match inner(at, tag) {
            Some(found) => at = found,
            None => return String::new(),
        }
    }
    unescape(at.trim())
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Reads the database's reply: the citizen, `None` when it knows nobody by that query, or
/// why the reply is not one.
pub fn read_reply(body: &str) -> Result<Option<Citizen>, String> {
    let reply: Value =
        serde_json::from_str(body).map_err(|_| "trả lời không phải JSON".to_string())?;
    let code = match &reply["error_code"] {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let message = reply["message"].as_str().unwrap_or_default();
    if code != "0" {
        return Err(format!(
            "mã lỗi {code}: {}",
            message.chars().take(200).collect::<String>()
        ));
    }
    let Some(found) = inner(message, "CongDan") else {
        return Ok(None);
    };
    let name = ["Ho", "ChuDem", "Ten"]
        .iter()
        .map(|part| text_of(found, &["HoVaTen", part]))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Some(Citizen {
        id_number: text_of(found, &["SoDinhDanh"]),
        name: crate::text::nfc(&name),
        birth: text_of(found, &["NgayThangNamSinh", "NgayThangNam"]),
        sex: text_of(found, &["GioiTinh"]),
        permanent_address: text_of(found, &["ThuongTru", "ChiTiet"]),
        current_address: text_of(found, &["NoiOHienTai", "ChiTiet"]),
    }))
}

/// Whether the data given at the counter agrees with the database's: the same ID number,
/// the same name read without marks and case, the same date of birth.
pub fn agrees(q: &Query, c: &Citizen) -> bool {
    q.id_number == c.id_number
        && crate::text::fold(&q.name) == crate::text::fold(&c.name)
        && q.birth_date.format("%Y%m%d").to_string() == c.birth
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPLY: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><CongdanCollection xmlns="http://www.mic.gov.vn/dancu/1.0"><CongDan><SoDinhDanh>038090012345</SoDinhDanh><HoVaTen><Ho>Trần</Ho><ChuDem>Văn</ChuDem><Ten>Bình</Ten></HoVaTen><GioiTinh>1</GioiTinh><NgayThangNamSinh><NgayThangNam>19900512</NgayThangNam><Nam>1990</Nam></NgayThangNamSinh><ThuongTru><MaTinhThanh>38</MaTinhThanh><ChiTiet>Số 5 &amp; 7 Lê Lợi, phường Hạc Thành</ChiTiet></ThuongTru></CongDan></CongdanCollection></s:Body></s:Envelope>"#;

    #[test]
    fn the_request_writes_the_name_as_the_database_reads_it() {
        assert_eq!(request_name("Trần  Văn Bình"), "TRANVANBINH");
        let q = Query::new("038090012345", "Trần Văn Bình", "12/05/1990").unwrap();
        let body = request_body(&q, "tn.trungtam1", "MC-1", "037", "VPCP");
        assert_eq!(body["HoVaTen"], "TRANVANBINH");
        assert_eq!(body["NgayThangNam"], "19900512");
        assert_eq!(body["Nam"], "1990");
        assert_eq!(
            Query::new("123", "A", "1990-05-12").unwrap_err().field,
            "id_number"
        );
        assert_eq!(
            Query::new("038090012345", " ", "1990-05-12")
                .unwrap_err()
                .field,
            "name"
        );
        assert_eq!(
            Query::new("038090012345", "A", "31/02/1990")
                .unwrap_err()
                .field,
            "birth_date"
        );
    }

    #[test]
    fn the_citizen_is_read_from_the_soap_inside_the_reply() {
        let body = json!({"error_code": "0", "message": REPLY}).to_string();
        let c = read_reply(&body).unwrap().unwrap();
        assert_eq!(c.name, "Trần Văn Bình");
        assert_eq!(c.birth, "19900512");
        assert_eq!(c.permanent_address, "Số 5 & 7 Lê Lợi, phường Hạc Thành");
        let q = Query::new("038090012345", "TRAN VAN BINH", "1990-05-12").unwrap();
        assert!(agrees(&q, &c));
        let wrong = Query::new("038090012345", "Trần Văn Bính", "1990-05-12").unwrap();
        assert!(agrees(&wrong, &c), "marks are not compared");
        let other = Query::new("038090012345", "Trần Văn An", "1990-05-12").unwrap();
        assert!(!agrees(&other, &c));
        let nobody = json!({"error_code": 0, "message": "<Envelope><Body/></Envelope>"});
        assert_eq!(read_reply(&nobody.to_string()).unwrap(), None);
        assert!(read_reply(r#"{"error_code":"2","message":"Sai khóa"}"#).is_err());
        assert!(read_reply("<html>").is_err());
    }
}
