//! Chính sách mật khẩu — what a new password must be, for staff and citizens alike: long
//! enough, not too long, not the account's own name, not one of the passwords people choose
//! most often, and not the one it replaces.

use crate::FieldError;
use crate::text::fold;

/// A new password has at least this many characters.
pub const MIN_CHARS: usize = 10;
/// …and at most this many (hashing cost grows with length).
pub const MAX_CHARS: usize = 128;

const COMMON: &str = include_str!("common_passwords.txt");

/// Checks a new password for the account known by `identities` (username, phone, e-mail:
/// none may appear in it). `previous` is the password it replaces, when known. The error is
/// on the field `password`, in Vietnamese.
pub fn check_new_password(
    password: &str,
    identities: &[&str],
    previous: Option<&str>,
) -> Result<(), FieldError> {
    let refuse = |message: &str| Err(FieldError::new("password", message));
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return refuse(&format!("mật khẩu phải có ít nhất {MIN_CHARS} ký tự"));
    }
    if chars > MAX_CHARS {
        return refuse(&format!("mật khẩu không được dài quá {MAX_CHARS} ký tự"));
    }
    let folded = fold(password).replace(' ', "");
    for identity in identities {
        let name = fold(identity).replace(' ', "");
        // Short names (three letters) would refuse too much by chance; the rest are checked.
        if name.chars().count() >= 4 && folded.contains(&name) {
            return refuse("mật khẩu không được chứa tên đăng nhập, số điện thoại hay thư điện tử");
        }
    }
    if is_common(&folded) || one_pattern(&folded) {
        return refuse("mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác");
    }
    if previous.is_some_and(|old| old == password) {
        return refuse("mật khẩu mới phải khác mật khẩu đang dùng");
    }
    Ok(())
}

fn is_common(folded: &str) -> bool {
    COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| fold(l).replace(' ', "") == folded)
}

/// One character repeated, or one short run repeated (`abababab…`, `123123123…`).
fn one_pattern(folded: &str) -> bool {
    let chars: Vec<char> = folded.chars().collect();
    (1..=4).any(|period| {
        chars.len() >= period * 2
            && chars
                .iter()
                .enumerate()
                .all(|(i, c)| *c == chars[i % period])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("ngắn-quá", "ít nhất 10")]
    #[case(&"a1".repeat(65), "dài quá 128")]
    #[case("nguyen.van.an-2026", "tên đăng nhập")]
    #[case("09120000019x", "tên đăng nhập")]
    #[case("1234567890", "phổ biến")]
    #[case("MatKhau123", "phổ biến")]
    #[case("Mật khẩu 123", "phổ biến")]
    #[case("xyzxyzxyzxyz", "phổ biến")]
    #[case("đúng-mật-khẩu-cũ", "phải khác")]
    fn refused(#[case] password: &str, #[case] because: &str) {
        let error = check_new_password(
            password,
            &["Nguyen.Van.An", "0912000001", "an"],
            Some("đúng-mật-khẩu-cũ"),
        )
        .unwrap_err();
        assert_eq!(error.field, "password");
        assert!(
            error.message.contains(because),
            "{password}: {}",
            error.message
        );
    }

    #[rstest]
    #[case("ngựa-ô-chạy-đường-xa")]
    #[case("Tháng 12 mưa phùn!")]
    #[case(&format!("{}12345678", "ngựa-ô-chạy-".repeat(10)))]
    fn accepted(#[case] password: &str) {
        assert_eq!(
            check_new_password(
                password,
                &["nguyen.van.an", "an"],
                Some("khác-hẳn-mật-khẩu")
            ),
            Ok(())
        );
    }

    #[test]
    fn the_list_is_shipped_and_read() {
        let entries = COMMON
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert!(entries > 100, "{entries}");
        assert!(is_common("qwertyuiop"));
        assert!(!is_common("qwertyuiop-lang-thang"));
    }
}
