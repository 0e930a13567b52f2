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

/// Chữ không dấu — the text without tone and vowel marks, `đ` written `d`, case kept: what
/// fits an SMS in one part per 160 characters (`"Đã nhận hồ sơ"` → `"Da nhan ho so"`).
pub fn without_marks(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

/// Thứ tự chữ cái tiếng Việt — a key that sorts text as Vietnamese dictionaries and lists
/// do: the letters `a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y` (other Latin
/// letters in their Latin place), case ignored; words that differ only in tone marks come
/// in the order no mark, huyền, hỏi, ngã, sắc, nặng. So `Đất đai` comes after every word in
/// `D`, and `Thành` before `Thi`.
pub fn vi_sort_key(text: &str) -> (Vec<u32>, Vec<u8>) {
    let mut letters = Vec::with_capacity(text.len());
    let mut tones = Vec::with_capacity(text.len());
    for c in text.nfc() {
        for lower in c.to_lowercase() {
            let mut parts = std::iter::once(lower).nfd();
            let Some(base) = parts.next() else {
                continue;
            };
            let (base, mut variant) = match base {
                'đ' => ('d', 1),
                other => (other, 0),
            };
            let mut tone = 0;
            for mark in parts {
                match mark {
                    '\u{0306}' => variant = 1, // breve: ă
                    '\u{0302}' => variant = 2, // circumflex: â ê ô
                    '\u{031B}' => variant = 3, // horn: ơ ư
                    '\u{0300}' => tone = 1,    // huyền
                    '\u{0309}' => tone = 2,    // hỏi
                    '\u{0303}' => tone = 3,    // ngã
                    '\u{0301}' => tone = 4,    // sắc
                    '\u{0323}' => tone = 5,    // nặng
                    _ => {}
                }
            }
            letters.push(u32::from(base) * 4 + variant);
            tones.push(tone);
        }
    }
    (letters, tones)
}

/// An amount of money as Vietnamese writes it: "1.500.000 đồng".
pub fn money_vi(amount: i64) -> String {
    format!("{} đồng", amount_vi(amount))
}

/// An amount without its unit, for a column headed "(đồng)": "1.500.000".
pub fn amount_vi(amount: i64) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}{}", thousands(&amount.unsigned_abs().to_string()))
}

/// An amount of money in words, as receipts and payment papers write it ("số tiền bằng
/// chữ"): "Một trăm năm mươi nghìn đồng". A zero tens digit is read "linh", a one after
/// "mươi" "mốt", a five after "mười"/"mươi" "lăm", and an empty hundreds inside the number
/// "không trăm" (1.005.000: "Một triệu không trăm linh năm nghìn đồng").
pub fn money_in_words_vi(amount: i64) -> String {
    const DIGITS: [&str; 10] = [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    ];
    const SCALES: [&str; 7] = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ"];
    let mut n = amount.unsigned_abs();
    if n == 0 {
        return "Không đồng".into();
    }
    let mut groups = Vec::new();
    while n > 0 {
        groups.push(usize::try_from(n % 1000).unwrap_or(0));
        n /= 1000;
    }
    let mut words: Vec<&str> = Vec::new();
    let top = groups.len() - 1;
    for (i, group) in groups.iter().enumerate().rev() {
        let g = *group;
        if g == 0 {
            continue;
        }
        let (h, t, u) = (g / 100, g / 10 % 10, g % 10);
        // The first group says only what it has; a later one says its hundreds even when
        // they are none.
        if i != top || h > 0 {
            words.extend([DIGITS[h], "trăm"]);
        }
        match t {
            0 if u > 0 && (i != top || h > 0) => words.push("linh"),
            0 => {}
            1 => words.push("mười"),
            _ => words.extend([DIGITS[t], "mươi"]),
        }
        match u {
            0 => {}
            1 if t >= 2 => words.push("mốt"),
            5 if t >= 1 => words.push("lăm"),
            _ => words.push(DIGITS[u]),
        }
        if i > 0 {
            words.push(SCALES[i.min(SCALES.len() - 1)]);
        }
    }
    let text = words.join(" ");
    if amount < 0 {
        return format!("Âm {text} đồng");
    }
    let mut chars = text.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    format!("{first}{} đồng", chars.as_str())
}

/// A count as Vietnamese writes it: "1.247".
pub fn count_vi(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", thousands(&n.unsigned_abs().to_string()))
}

/// Digits with a dot between thousands: "1234567" → "1.234.567".
fn thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A number with `places` decimals as Vietnamese writes it: a comma before the decimals and
/// a dot between thousands ("1.234,5").
pub fn decimal_vi(value: f64, places: usize) -> String {
    let text = format!("{:.*}", places, value.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let grouped = thousands(whole);
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// A share (0.851) as a Vietnamese percentage with one decimal: "85,1 %".
pub fn percent_vi(share: f64) -> String {
    format!("{} %", decimal_vi(share * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::money_in_words_vi as words;

    #[test]
    fn amounts_in_words() {
        for (n, text) in [
            (0, "Không đồng"),
            (5, "Năm đồng"),
            (10, "Mười đồng"),
            (15, "Mười lăm đồng"),
            (21, "Hai mươi mốt đồng"),
            (25, "Hai mươi lăm đồng"),
            (105, "Một trăm linh năm đồng"),
            (110, "Một trăm mười đồng"),
            (150_000, "Một trăm năm mươi nghìn đồng"),
            (500_000, "Năm trăm nghìn đồng"),
            (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
            (1_500_000, "Một triệu năm trăm nghìn đồng"),
            (2_000_001, "Hai triệu không trăm linh một đồng"),
            (
                12_345_678,
                "Mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám đồng",
            ),
            (1_000_000_000, "Một tỷ đồng"),
            (3_020_000_000, "Ba tỷ không trăm hai mươi triệu đồng"),
            (-21, "Âm hai mươi mốt đồng"),
        ] {
            assert_eq!(words(n), text, "{n}");
        }
        // The largest amount does not panic.
        assert!(words(i64::MAX).ends_with("đồng"));
        assert!(words(i64::MIN).starts_with("Âm"));
    }

    use super::*;

    #[test]
    fn marks_come_off_and_case_stays() {
        assert_eq!(without_marks("Đã nhận hồ sơ"), "Da nhan ho so");
        assert_eq!(
            without_marks("Bản sao Giấy khai sinh; Tờ khai"),
            "Ban sao Giay khai sinh; To khai"
        );
        assert_eq!(money_vi(1_500_000), "1.500.000 đồng");
        assert_eq!(money_vi(0), "0 đồng");
        assert_eq!(count_vi(1247), "1.247");
        assert_eq!(count_vi(7), "7");
    }

    #[test]
    fn numbers_as_vietnamese_writes_them() {
        assert_eq!(decimal_vi(85.14, 1), "85,1");
        assert_eq!(decimal_vi(1234.5, 1), "1.234,5");
        assert_eq!(decimal_vi(1_234_567.0, 0), "1.234.567");
        assert_eq!(decimal_vi(-0.04, 1), "0,0");
        assert_eq!(decimal_vi(-2.5, 1), "-2,5");
        assert_eq!(percent_vi(0.851), "85,1 %");
    }
    use rstest::rstest;

    #[test]
    fn vietnamese_order() {
        let mut fields = vec![
            "Điện",
            "Du lịch",
            "Đất đai",
            "Dược phẩm",
            "Di sản văn hóa",
            "Đầu tư",
            "Thú y",
            "Thi, tuyển sinh",
            "Thành lập",
            "Tín ngưỡng",
            "Trồng trọt",
            "an toàn",
            "Ăn uống",
            "Ấn phẩm",
            "Bảo trợ",
            "ơn",
            "ô tô",
            "o",
            "ba",
            "bà",
            "bả",
            "bã",
            "bá",
            "bạ",
        ];
        fields.sort_by_key(|f| vi_sort_key(f));
        assert_eq!(
            fields,
            [
                "an toàn",
                "Ăn uống",
                "Ấn phẩm",
                "ba",
                "bà",
                "bả",
                "bã",
                "bá",
                "bạ",
                "Bảo trợ",
                "Di sản văn hóa",
                "Du lịch",
                "Dược phẩm",
                "Đất đai",
                "Đầu tư",
                "Điện",
                "o",
                "ô tô",
                "ơn",
                "Thành lập",
                "Thi, tuyển sinh",
                "Thú y",
                "Tín ngưỡng",
                "Trồng trọt",
            ]
        );
        // The same word in either normal form, and in either case, sorts the same.
        assert_eq!(vi_sort_key("Đất Đai"), vi_sort_key("đất đai"));
        let nfd: String = "Đất đai".nfd().collect();
        assert_eq!(vi_sort_key(&nfd), vi_sort_key("Đất đai"));
    }

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
