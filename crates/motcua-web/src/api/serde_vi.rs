//! Lỗi cấu trúc dữ liệu — serde's English messages for a JSON body or a query string that
//! does not fit, said in Vietnamese: which field (by its path), and what is wrong with it.

use motcua_domain::FieldError;

/// What axum and serde said, as a field error: the path serde names (or `fallback`) and
/// the problem in Vietnamese.
pub fn field_error(text: &str, fallback: &str) -> FieldError {
    let text = text
        .split_once("target type: ")
        .or_else(|| text.split_once("query string: "))
        .or_else(|| text.split_once("as JSON: "))
        .map_or(text, |(_, rest)| rest);
    let (body, place) = match text.rsplit_once(" at line ") {
        Some((body, at)) => {
            let place = at
                .split_once(" column ")
                .map(|(line, column)| format!(" (dòng {line}, cột {column})"))
                .unwrap_or_default();
            (body, place)
        }
        None => (text, String::new()),
    };
    // "applicant.name: missing field …" names the path; a message alone names none.
    let (path, message) = match body.split_once(": ") {
        Some((path, message)) if !path.contains(' ') && !path.is_empty() => {
            (path.to_string(), message)
        }
        _ => (fallback.to_string(), body),
    };
    FieldError::new(path, format!("{}{place}", say(message)))
}

/// Backquoted names in a serde message: `a`, `b` → a, b.
fn names(list: &str) -> String {
    list.replace('`', "")
        .trim_start_matches("one of ")
        .trim()
        .to_string()
}

fn kind(what: &str) -> String {
    let what = what.trim();
    let table = [
        ("a string", "một chuỗi"),
        ("string", "chuỗi"),
        ("a sequence", "một danh sách"),
        ("sequence", "danh sách"),
        ("a map", "một đối tượng"),
        ("map", "đối tượng"),
        ("a boolean", "đúng/sai"),
        ("boolean", "đúng/sai"),
        ("integer", "số nguyên"),
        ("floating point", "số thực"),
        ("i64", "số nguyên"),
        ("u8", "số nguyên nhỏ"),
        ("u32", "số nguyên không âm"),
        ("null", "giá trị rỗng (null)"),
    ];
    for (english, vietnamese) in table {
        if let Some(rest) = what.strip_prefix(english) {
            return format!("{vietnamese}{rest}");
        }
    }
    what.to_string()
}

fn say(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("thiếu trường {}", names(rest));
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return match rest.split_once(", expected ") {
            Some((field, known)) => format!(
                "không có trường {}; các trường được nhận: {}",
                names(field),
                names(known)
            ),
            None => format!("không có trường {}", names(rest)),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected ") {
            Some((value, known)) => format!(
                "giá trị {} không hợp lệ; chọn một trong: {}",
                names(value),
                names(known)
            ),
            None => format!("giá trị {} không hợp lệ", names(rest)),
        };
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((got, wanted)) = rest.split_once(", expected ")
    {
        return format!("sai kiểu dữ liệu: nhận {}, cần {}", kind(got), kind(wanted));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((got, wanted)) = rest.split_once(", expected ")
    {
        return format!(
            "giá trị không hợp lệ: nhận {}, cần {}",
            kind(got),
            kind(wanted)
        );
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((got, wanted)) = rest.split_once(", expected ")
    {
        return format!("độ dài {got} không hợp lệ, cần {}", kind(wanted));
    }
    if message.starts_with("invalid digit found in string") {
        return "không phải một số".into();
    }
    if message.starts_with("number too large") || message.starts_with("number too small") {
        return "số nằm ngoài giới hạn cho phép".into();
    }
    if message.starts_with("EOF while parsing") {
        return "nội dung JSON bị cắt giữa chừng".into();
    }
    if message.starts_with("trailing characters") {
        return "có ký tự thừa sau nội dung JSON".into();
    }
    if message.starts_with("expected value") || message.starts_with("expected ") {
        return "JSON sai cú pháp".into();
    }
    format!("dữ liệu không đúng cấu trúc ({message})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_are_said_in_vietnamese() {
        let e = field_error(
            "Failed to deserialize the JSON body into the target type: applicant: missing field `name` at line 1 column 120",
            "body",
        );
        assert_eq!(e.field, "applicant");
        assert_eq!(e.message, "thiếu trường name (dòng 1, cột 120)");
        let e = field_error(
            "Failed to deserialize the JSON body into the target type: channel: unknown variant `fax`, expected one of `counter`, `post`, `online` at line 1 column 30",
            "body",
        );
        assert_eq!(e.field, "channel");
        assert_eq!(
            e.message,
            "giá trị fax không hợp lệ; chọn một trong: counter, post, online (dòng 1, cột 30)"
        );
        let e = field_error(
            "Failed to deserialize the JSON body into the target type: components: invalid type: string \"x\", expected a sequence at line 1 column 9",
            "body",
        );
        assert_eq!(e.field, "components");
        assert_eq!(
            e.message,
            "sai kiểu dữ liệu: nhận chuỗi \"x\", cần một danh sách (dòng 1, cột 9)"
        );
        let e = field_error(
            "Failed to parse the request body as JSON: expected value at line 1 column 1",
            "body",
        );
        assert_eq!(
            (e.field.as_str(), e.message.as_str()),
            ("body", "JSON sai cú pháp (dòng 1, cột 1)")
        );
        let e = field_error(
            "Failed to deserialize query string: invalid digit found in string",
            "query",
        );
        assert_eq!(e.field, "query");
        assert_eq!(e.message, "không phải một số");
        for english in ["Failed to deserialize", "missing field", "expected"] {
            assert!(!field_error(
                "Failed to deserialize the JSON body into the target type: a: missing field `b` at line 1 column 2",
                "body"
            )
            .message
            .contains(english));
        }
    }
}
