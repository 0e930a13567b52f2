//! Vietnamese wording for the errors serde_json reports while reading a catalogue file.
//!
//! serde_json's messages are English and fixed in form ("missing field `name`"); the common
//! ones are recognised and reworded, anything else is passed on behind a Vietnamese lead-in.

/// The error's message, without serde_json's " at line L column C" tail, in Vietnamese.
pub(crate) fn describe(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let tail = format!(" at line {} column {}", error.line(), error.column());
    let message = full.strip_suffix(&tail).unwrap_or(&full);
    translate(message)
}

fn translate(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("EOF while parsing") {
        let what = match rest.trim() {
            "a string" => "chuỗi",
            "a list" => "danh sách",
            "an object" => "đối tượng",
            _ => "giá trị",
        };
        return format!(
            "tệp kết thúc khi đang đọc dở một {what} (thiếu phần cuối hoặc dấu đóng ngoặc)"
        );
    }
    if let Some(name) = message.strip_prefix("missing field ") {
        return format!("thiếu trường {}", quote(name));
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, expected) = split_expected(rest);
        return match expected {
            Some(expected) if !expected.starts_with("there are no") => format!(
                "trường {} không có trong định dạng (các trường được dùng: {})",
                quote(name),
                quote_list(expected)
            ),
            _ => format!("trường {} không có trong định dạng", quote(name)),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (name, expected) = split_expected(rest);
        return format!(
            "giá trị {} không hợp lệ; chỉ nhận {}",
            quote(name),
            quote_list(expected.unwrap_or_default())
        );
    }
    if let Some(name) = message.strip_prefix("duplicate field ") {
        return format!("trường {} xuất hiện hai lần", quote(name));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (got, expected) = split_expected(rest);
        return format!(
            "sai kiểu dữ liệu: nhận {}, cần {}",
            unexpected(got),
            expected_kind(expected.unwrap_or_default())
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (got, expected) = split_expected(rest);
        return format!(
            "giá trị {} không hợp lệ, cần {}",
            unexpected(got),
            expected_kind(expected.unwrap_or_default())
        );
    }
    if let Some(text) = fixed(message) {
        return text.to_string();
    }
    if let Some(custom) = own_message(message) {
        return custom.to_string();
    }
    format!("dữ liệu không hợp lệ ({message})")
}

/// Messages that have one fixed wording.
fn fixed(message: &str) -> Option<&'static str> {
    let text = match message {
        "expected value" => "không đọc được giá trị JSON ở đây",
        "expected `:`" => "thiếu dấu hai chấm “:” sau tên trường",
        "expected `,` or `]`" => "thiếu dấu phẩy “,” hoặc dấu đóng “]”",
        "expected `,` or `}`" => "thiếu dấu phẩy “,” hoặc dấu đóng “}”",
        "expected ident" => "từ không hợp lệ (JSON chỉ có true, false, null)",
        "key must be a string" => "tên trường phải là chuỗi trong dấu nháy kép",
        "trailing comma" => "thừa dấu phẩy “,” trước dấu đóng ngoặc",
        "trailing characters" => "còn ký tự thừa sau khi dữ liệu JSON đã kết thúc",
        "invalid escape" => "chuỗi có ký tự thoát “\\” không hợp lệ",
        "invalid number" => "số không hợp lệ",
        "number out of range" => "số vượt phạm vi cho phép",
        "invalid unicode code point" | "lone leading surrogate in hex escape" => {
            "chuỗi có mã Unicode không hợp lệ"
        }
        "recursion limit exceeded" => "dữ liệu lồng nhau quá sâu",
        "input contains invalid characters"
        | "premature end of input"
        | "trailing input"
        | "input is out of range"
        | "input is not enough for unique date and time"
        | "no possible date and time matching input" => {
            "ngày hoặc giờ không đúng dạng (ngày: YYYY-MM-DD, giờ: HH:MM:SS)"
        }
        m if m.starts_with("control character") => {
            "chuỗi chứa ký tự điều khiển (xuống dòng, tab…) chưa được viết dạng \\n, \\t"
        }
        _ => return None,
    };
    Some(text)
}

/// This crate's own validation messages arrive as `field: message`; keep the message.
fn own_message(message: &str) -> Option<&str> {
    let (field, rest) = message.split_once(": ")?;
    let is_field = !field.is_empty() && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    (is_field && !rest.is_ascii()).then_some(rest)
}

/// Splits "X, expected Y" into X and Y.
fn split_expected(text: &str) -> (&str, Option<&str>) {
    match text.split_once(", expected ") {
        Some((got, expected)) => (got, Some(expected)),
        None => (text, None),
    }
}

fn quote(name: &str) -> String {
    format!("“{}”", name.trim_matches('`'))
}

/// "one of `a`, `b`, `c`" / "`a` or `b`" → “a”, “b”, “c” / “a” hoặc “b”.
fn quote_list(text: &str) -> String {
    let text = text.strip_prefix("one of ").unwrap_or(text);
    text.replace(" or ", " hoặc ")
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("“{part}”")
            } else {
                part.to_string()
            }
        })
        .collect()
}

/// serde's description of the value it got, e.g. "integer `-1`", "string \"x\"", "map".
fn unexpected(text: &str) -> String {
    let (kind, value) = match text.split_once(' ') {
        Some((kind, value)) => (kind, Some(value.trim_matches('`'))),
        None => (text, None),
    };
    let kind = match kind {
        "integer" => "số nguyên",
        "floating" => "số thực",
        "string" => "chuỗi",
        "boolean" => "giá trị đúng/sai",
        "map" => "đối tượng { … }",
        "sequence" => "danh sách [ … ]",
        "null" | "unit" => "null",
        "char" => "ký tự",
        other => other,
    };
    match value {
        Some(value) if kind == "số thực" => value.strip_prefix("point ").map_or_else(
            || kind.to_string(),
            |v| format!("{kind} {}", v.trim_matches('`')),
        ),
        Some(value) => format!("{kind} {value}"),
        None => kind.to_string(),
    }
}

/// serde's description of what it expected, e.g. "u8", "a string", "struct Component".
fn expected_kind(text: &str) -> String {
    let text = text.trim();
    let kind = match text {
        "u8" => "số nguyên từ 0 đến 255",
        "u16" | "u32" | "u64" | "usize" => "số nguyên không âm",
        "i8" | "i16" | "i32" | "i64" | "isize" => "số nguyên",
        "f32" | "f64" => "số",
        "a boolean" => "true hoặc false",
        "a string" | "a String" | "a borrowed string" => "chuỗi",
        "a sequence" => "danh sách [ … ]",
        "a map" => "đối tượng { … }",
        "a formatted date string" | "a formatted date and time string" => "ngày dạng YYYY-MM-DD",
        t if t.starts_with("struct ") || t.starts_with("adjacently tagged enum") => {
            "đối tượng { … }"
        }
        t if t.starts_with("enum ") || t.starts_with("variant identifier") => "một chuỗi định sẵn",
        other => return other.to_string(),
    };
    kind.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("missing field `name`", "thiếu trường “name”")]
    #[case(
        "unknown field `orginals`, expected one of `code`, `name`",
        "trường “orginals” không có trong định dạng (các trường được dùng: “code”, “name”)"
    )]
    #[case(
        "unknown variant `fax`, expected one of `counter`, `online`, `post`",
        "giá trị “fax” không hợp lệ; chỉ nhận “counter”, “online”, “post”"
    )]
    #[case(
        "unknown variant `x`, expected `a` or `b`",
        "giá trị “x” không hợp lệ; chỉ nhận “a” hoặc “b”"
    )]
    #[case(
        "invalid value: integer `-1`, expected u8",
        "giá trị số nguyên -1 không hợp lệ, cần số nguyên từ 0 đến 255"
    )]
    #[case(
        "invalid type: string \"3\", expected u8",
        "sai kiểu dữ liệu: nhận chuỗi \"3\", cần số nguyên từ 0 đến 255"
    )]
    #[case(
        "invalid type: floating point `1.5`, expected u8",
        "sai kiểu dữ liệu: nhận số thực 1.5, cần số nguyên từ 0 đến 255"
    )]
    #[case(
        "invalid type: map, expected a sequence",
        "sai kiểu dữ liệu: nhận đối tượng { … }, cần danh sách [ … ]"
    )]
    #[case("duplicate field `code`", "trường “code” xuất hiện hai lần")]
    #[case(
        "code: mã thủ tục “1.2” không đúng dạng d.dddddd (ví dụ 1.001193)",
        "mã thủ tục “1.2” không đúng dạng d.dddddd (ví dụ 1.001193)"
    )]
    #[case("expected `,` or `}`", "thiếu dấu phẩy “,” hoặc dấu đóng “}”")]
    #[case("something new", "dữ liệu không hợp lệ (something new)")]
    fn rewords(#[case] english: &str, #[case] vietnamese: &str) {
        assert_eq!(translate(english), vietnamese);
    }

    #[test]
    fn strips_the_position_tail() {
        let err = serde_json::from_str::<Vec<u8>>("[1,\n 300]").unwrap_err();
        assert_eq!(
            describe(&err),
            "giá trị số nguyên 300 không hợp lệ, cần số nguyên từ 0 đến 255"
        );
        let err = serde_json::from_str::<serde_json::Value>("[1, 2").unwrap_err();
        assert!(
            describe(&err).starts_with("tệp kết thúc"),
            "{}",
            describe(&err)
        );
    }
}
