//! Chuẩn hóa văn bản — Unicode normalisation and the diacritics-insensitive search key.
//!
//! Vietnamese text arrives both precomposed (NFC, what keyboards on Windows and the web send)
//! and decomposed (NFD, what macOS file names and some copy-paste paths produce); the same
//! word in the two forms compares unequal byte for byte. Store [`nfc`], search on [`fold`].

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The text in Unicode normalisation form C (precomposed), the form motcua stores.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Khóa tìm kiếm không dấu — the search key: lowercase, without tone or vowel marks,
/// `đ` read as `d`, and runs of whitespace collapsed to one space.
///
/// `fold("Cấp  giấy phép XÂY DỰNG") == "cap giay phep xay dung"`, and the same for NFD input.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Decomposing splits every accented letter into its base letter and combining marks
    // (ấ → a + ◌̂ + ◌́), whatever form the input came in; dropping the marks leaves the base.
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            // đ has no decomposition: it is a letter of its own, not d with a mark.
            'đ' | 'Đ' => out.push('d'),
            c if c.is_whitespace() => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Cấp giấy phép xây dựng", "cap giay phep xay dung")]
    #[case("Thủ tục đăng ký khai sinh", "thu tuc dang ky khai sinh")]
    #[case("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon")]
    #[case("  Hộ   tịch\t\n", "ho tich")]
    #[case("Ủy ban nhân dân phường Hạc Thành", "uy ban nhan dan phuong hac thanh")]
    #[case("Sở Văn hóa, Thể thao và Du lịch", "so van hoa, the thao va du lich")]
    #[case("ươ ƯỚ ỹ Ỵ ằ", "uo uo y y a")]
    #[case("", "")]
    #[case("1.001193", "1.001193")]
    fn folds_vietnamese(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(fold(input), expected);
    }

    #[test]
    fn nfd_input_folds_like_nfc() {
        let nfc_text = "Cấp Giấy xác nhận tình trạng hôn nhân — Đà Nẵng";
        let nfd_text: String = nfc_text.nfd().collect();
        assert_ne!(nfc_text, nfd_text, "the test needs a decomposed input");
        assert_eq!(fold(&nfd_text), fold(nfc_text));
        assert_eq!(
            fold(&nfd_text),
            "cap giay xac nhan tinh trang hon nhan — da nang"
        );
    }

    #[test]
    fn nfc_recomposes() {
        let nfd_text: String = "Hạc Thành".nfd().collect();
        assert_eq!(nfc(&nfd_text), "Hạc Thành");
        assert_eq!(nfc("Hạc Thành"), "Hạc Thành");
    }
}
