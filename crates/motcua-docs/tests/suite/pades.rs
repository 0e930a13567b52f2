//! Signatures inside the PDF: a rendered form and a PDF written with compressed cross-reference
//! and object streams are signed by an incremental update, and poppler's `pdfsig` (NSS, not
//! this crate) reports each signature valid and covering the whole file; a changed byte is
//! reported by both, and a second signature keeps the first one valid.

use std::io::Write;
use std::process::Command;

use chrono::DateTime;
use motcua_docs::{
    AgencyKey, FormKind, Regime, SignatureStatus, SignatureText, Stamp, Templates, form,
    render_with, sample, sign_pdf, verify_pdf,
};

const AGENCY: &str = "Trung tâm Phục vụ hành chính công phường Hạc Thành";

fn key(seed: u8) -> AgencyKey {
    let from = DateTime::parse_from_rfc3339("2026-01-01T00:00:00+07:00").unwrap();
    AgencyKey::generate_demo(AGENCY, "000.00.11.H56", &[seed; 32], from, 5).unwrap()
}

fn signed_at() -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T15:02:03+07:00").unwrap()
}

fn text() -> SignatureText {
    SignatureText {
        name: "Lê Thị Hồng Nhung".into(),
        reason: "Phê duyệt kết quả giải quyết thủ tục hành chính".into(),
        location: AGENCY.into(),
        stamp: None,
    }
}

fn receipt() -> Vec<u8> {
    let spec = form(Regime::Tt03_2025, FormKind::Receipt).unwrap();
    render_with(&sample::context(), &spec, &Templates::shipped())
        .unwrap()
        .pdf
}

/// `pdfsig`'s report on `pdf`; `None` when poppler-utils is not installed (required when
/// `MOTCUA_REQUIRE_TOOLS=1`).
fn pdfsig(pdf: &[u8]) -> Option<String> {
    let (dir, report) = tool_on(pdf, "pdfsig", &["signed.pdf"])?;
    std::fs::remove_dir_all(&dir).ok();
    Some(report)
}

#[test]
fn a_signed_form_is_valid_for_pdfsig_and_covers_the_whole_file() {
    let original = receipt();
    let signed = sign_pdf(&original, &key(3), signed_at(), &text(), None).unwrap();
    // The original bytes are kept as they were; the update follows them.
    assert_eq!(&signed[..original.len()], &original[..]);
    let found = verify_pdf(&signed).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].verification.status, SignatureStatus::Valid);
    assert!(found[0].covers_whole_file);
    assert_eq!(found[0].verification.signer, AGENCY);
    assert_eq!(found[0].verification.signed_at, Some(signed_at()));
    assert_eq!(
        found[0].verification.certificate_sha256,
        key(3).certificate_sha256().unwrap()
    );
    assert!(verify_pdf(&original).unwrap().is_empty());
    let Some(report) = pdfsig(&signed) else {
        return;
    };
    assert!(report.contains("Signature #1"), "{report}");
    assert!(report.contains("Signature is Valid."), "{report}");
    assert!(report.contains("Total document signed"), "{report}");
    assert!(report.contains("ETSI.CAdES.detached"), "{report}");
    assert!(report.contains("SHA-256"), "{report}");
    assert!(report.contains(AGENCY), "{report}");
    // A self-signed demo certificate is not trusted: the reader says so.
    assert!(report.contains("Certificate Validation"), "{report}");
}

#[test]
fn a_changed_byte_is_reported_by_pdfsig_and_by_the_check() {
    let signed = sign_pdf(&receipt(), &key(4), signed_at(), &text(), None).unwrap();
    let mut changed = signed.clone();
    // A byte of the form's own content, inside the signed range.
    changed[200] ^= 0x01;
    let found = verify_pdf(&changed).unwrap();
    assert_eq!(found[0].verification.status, SignatureStatus::Tampered);
    let Some(report) = pdfsig(&changed) else {
        return;
    };
    assert!(!report.contains("Signature is Valid."), "{report}");
    assert!(report.contains("Digest Mismatch"), "{report}");
}

#[test]
fn a_second_signature_keeps_the_first_valid() {
    let first = sign_pdf(&receipt(), &key(5), signed_at(), &text(), None).unwrap();
    let second = sign_pdf(&first, &key(6), signed_at(), &text(), None).unwrap();
    let found = verify_pdf(&second).unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|s| s.verification.is_valid()), "{found:?}");
    assert!(!found[0].covers_whole_file);
    assert!(found[1].covers_whole_file);
    let Some(report) = pdfsig(&second) else {
        return;
    };
    assert_eq!(report.matches("Signature is Valid.").count(), 2, "{report}");
    assert!(report.contains("Not total document signed"), "{report}");
    assert!(report.contains("Total document signed"), "{report}");
}

/// A one-page PDF whose catalog and page tree sit in a compressed object stream, indexed by
/// a compressed cross-reference stream with the PNG "up" predictor (as many office suites
/// write them).
fn compressed_pdf() -> Vec<u8> {
    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let content = b"BT /F1 24 Tf 72 720 Td (Ket qua) Tj ET";
    let mut offsets = [0usize; 7];
    offsets[3] = out.len();
    out.extend_from_slice(
        b"3 0 obj\n<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
          /Resources <</Font <</F1 <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>>>>>>>\nendobj\n",
    );
    offsets[4] = out.len();
    out.extend_from_slice(format!("4 0 obj\n<</Length {}>>\nstream\n", content.len()).as_bytes());
    out.extend_from_slice(content);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let objects = b"<</Type /Catalog /Pages 2 0 R>> <</Type /Pages /Kids [3 0 R] /Count 1>>";
    let header = b"1 0 2 32 ";
    let mut packed = header.to_vec();
    packed.extend_from_slice(objects);
    let packed = deflate(&packed);
    offsets[5] = out.len();
    out.extend_from_slice(
        format!(
            "5 0 obj\n<</Type /ObjStm /N 2 /First {} /Filter /FlateDecode /Length {}>>\nstream\n",
            header.len(),
            packed.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&packed);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    offsets[6] = out.len();
    // Rows of /W [1 2 1]: kind, offset or stream, generation or index.
    let rows: Vec<[u8; 4]> = vec![
        [0, 0, 0, 255],
        [2, 0, 5, 0],
        [2, 0, 5, 1],
        [1, (offsets[3] >> 8) as u8, offsets[3] as u8, 0],
        [1, (offsets[4] >> 8) as u8, offsets[4] as u8, 0],
        [1, (offsets[5] >> 8) as u8, offsets[5] as u8, 0],
        [1, (offsets[6] >> 8) as u8, offsets[6] as u8, 0],
    ];
    let mut predicted = Vec::new();
    let mut previous = [0u8; 4];
    for row in &rows {
        predicted.push(2);
        for (b, p) in row.iter().zip(previous) {
            predicted.push(b.wrapping_sub(p));
        }
        previous = *row;
    }
    let data = deflate(&predicted);
    out.extend_from_slice(
        format!(
            "6 0 obj\n<</Type /XRef /Size 7 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode \
             /DecodeParms <</Columns 4 /Predictor 12>> /Length {}>>\nstream\n",
            data.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(
        format!("\nendstream\nendobj\nstartxref\n{}\n%%EOF\n", offsets[6]).as_bytes(),
    );
    out
}

#[test]
fn a_pdf_with_compressed_cross_references_is_signed_too() {
    let original = compressed_pdf();
    if let Some(report) = pdfsig(&original) {
        // poppler reads the test file itself.
        assert!(
            report.contains("does not contain any signatures"),
            "{report}"
        );
    }
    let signed = sign_pdf(&original, &key(7), signed_at(), &text(), None).unwrap();
    let found = verify_pdf(&signed).unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].verification.is_valid() && found[0].covers_whole_file);
    // The update's own cross-reference section is a stream, like the file's.
    let tail = String::from_utf8_lossy(&signed[original.len()..]);
    assert!(tail.contains("/Type /XRef"), "{tail}");
    assert!(!tail.contains("\nxref\n"), "{tail}");
    let Some(report) = pdfsig(&signed) else {
        return;
    };
    assert!(report.contains("Signature is Valid."), "{report}");
    assert!(report.contains("Total document signed"), "{report}");
}

#[test]
fn what_cannot_be_signed_is_refused_by_name() {
    let refused = |pdf: &[u8]| {
        sign_pdf(pdf, &key(8), signed_at(), &text(), None)
            .unwrap_err()
            .to_string()
    };
    assert!(refused(b"not a pdf").contains("%PDF-"));
    let mut cut = receipt();
    cut.truncate(cut.len() / 2);
    assert!(refused(&cut).contains("tệp PDF"));
    let encrypted = {
        let mut pdf = receipt();
        let at = pdf.windows(7).rposition(|w| w == b"trailer").unwrap();
        let dict = at + pdf[at..].windows(2).position(|w| w == b"<<").unwrap() + 2;
        pdf.splice(dict..dict, b"/Encrypt 99 0 R ".iter().copied());
        pdf
    };
    // The trailer grew by 16 bytes: startxref still points at the table before it.
    assert!(
        refused(&encrypted).contains("mã hóa"),
        "{}",
        refused(&encrypted)
    );
}

/// Runs `program` on `pdf` saved in a fresh folder; its output, or `None` when it is not
/// installed (required when `MOTCUA_REQUIRE_TOOLS=1`).
fn tool_on(pdf: &[u8], program: &str, args: &[&str]) -> Option<(std::path::PathBuf, String)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "motcua-docs-pades-{}-{program}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("signed.pdf"), pdf).unwrap();
    match Command::new(program).args(args).current_dir(&dir).output() {
        Ok(out) => Some((
            dir,
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )),
        Err(_) => {
            assert!(
                std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
                "MOTCUA_REQUIRE_TOOLS=1 but {program} is not installed"
            );
            eprintln!("skipped: {program} is not installed");
            None
        }
    }
}

#[test]
fn a_visible_stamp_shows_the_signer_and_carries_the_verification_link() {
    let link = "https://motcua.thanhhoa.gov.vn/xac-thuc/ABCDEFGHJKLMNPQRSTUV";
    let with_stamp = SignatureText {
        stamp: Some(Stamp {
            lines: vec![
                "Ký bởi: Lê Thị Hồng Nhung".into(),
                AGENCY.into(),
                "Ngày ký: 24/11/2026 15:02".into(),
            ],
            link: Some(link.into()),
            top: None,
        }),
        ..text()
    };
    let original = receipt();
    let signed = sign_pdf(&original, &key(9), signed_at(), &with_stamp, None).unwrap();
    let found = verify_pdf(&signed).unwrap();
    assert!(found[0].verification.is_valid() && found[0].covers_whole_file);
    // The stamp is the signature field's appearance, on the last page, inside its margins.
    let tail = String::from_utf8_lossy(&signed[original.len()..]);
    assert!(tail.contains("/AP <</N "), "{tail}");
    assert!(tail.contains("/Subtype /Form"), "{tail}");
    if let Some(report) = pdfsig(&signed) {
        assert!(report.contains("Signature is Valid."), "{report}");
        assert!(report.contains("Total document signed"), "{report}");
    }
    // Drawn as any reader draws it: the QR code read back from the rendered page.
    let Some((dir, _)) = tool_on(
        &signed,
        "pdftoppm",
        &["-r", "200", "-png", "signed.pdf", "page"],
    ) else {
        return;
    };
    let image = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .max()
        .expect("the last page rendered");
    let Some((_, decoded)) = tool_on(
        &std::fs::read(&image).unwrap(),
        "zbarimg",
        &["--quiet", "--raw", "signed.pdf"],
    ) else {
        return;
    };
    assert!(decoded.contains(link), "{decoded}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_forged_byte_range_is_not_valid_and_does_not_break_the_check() {
    let signed = sign_pdf(&receipt(), &key(10), signed_at(), &text(), None).unwrap();
    let at = signed
        .windows(b"/ByteRange [".len())
        .rposition(|w| w == b"/ByteRange [")
        .unwrap()
        + b"/ByteRange ".len();
    let end = at + signed[at..].iter().position(|b| *b == b']').unwrap() + 1;
    for forged in ["[0 0 0 0]", "[0 10 5 0]", "[0 0 0 999999999]"] {
        let mut copy = signed.clone();
        let padded = format!("{forged:<width$}", width = end - at);
        copy[at..end].copy_from_slice(padded.as_bytes());
        match verify_pdf(&copy) {
            Ok(found) => assert!(
                found.iter().all(|s| !s.verification.is_valid()),
                "{forged}: {found:?}"
            ),
            Err(e) => assert!(e.to_string().contains("ByteRange"), "{forged}: {e}"),
        }
    }
    // A file of nothing but a signature dictionary, its range empty and its first byte the
    // one that opens a hex string.
    let object = signed[..at].windows(4).rposition(|w| w == b" obj").unwrap();
    let mut bare = b"<1".to_vec();
    bare.extend_from_slice(&signed[object..at]);
    bare.extend_from_slice(format!("{:<width$}", "[0 0 0 0]", width = end - at).as_bytes());
    bare.extend_from_slice(&signed[end..]);
    let found = verify_pdf(&bare).unwrap();
    assert!(
        found.iter().all(|s| !s.verification.is_valid()),
        "{found:?}"
    );
}

/// The last page of `pdf` rendered by poppler in grey at 50 dpi: (width, height, pixels).
fn last_page_grey(pdf: &[u8]) -> Option<(usize, usize, Vec<u8>)> {
    let (dir, _) = tool_on(
        pdf,
        "pdftoppm",
        &["-gray", "-r", "50", "signed.pdf", "page"],
    )?;
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pgm"))
        .collect();
    pages.sort();
    let bytes = std::fs::read(pages.last().unwrap()).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    // Binary PGM: "P5", width, height, maximum, then one byte a pixel.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).to_string());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    Some((w, h, bytes[at + 1..].to_vec()))
}

/// How many pixels the signature's stamp drew over something already printed: where the
/// signed page differs from the unsigned one, the unsigned one was not blank.
fn drawn_over(unsigned: &[u8], signed: &[u8]) -> Option<usize> {
    let (w, h, before) = last_page_grey(unsigned)?;
    let (w2, h2, after) = last_page_grey(signed)?;
    assert_eq!((w, h), (w2, h2));
    Some(
        before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b.abs_diff(**a) > 40 && **b < 200)
            .count(),
    )
}

#[test]
fn a_forms_stamp_goes_in_the_room_kept_under_its_content() {
    let stamp = |top| SignatureText {
        stamp: Some(Stamp {
            lines: vec![
                "Ký số bởi: Trung tâm Phục vụ hành chính công".into(),
                "Người ký: Phạm Thu Hà (NGƯỜI TIẾP NHẬN)".into(),
                "Ngày ký: 24/11/2026 15:02".into(),
            ],
            link: None,
            top,
        }),
        ..text()
    };
    for kind in [FormKind::Receipt, FormKind::Apology, FormKind::ControlSlip] {
        let spec = form(Regime::Tt03_2025, kind).unwrap();
        let mut ctx = sample::context();
        // The bottom margin of a slip is narrower than the stamp: dropped there, it covers
        // the content of a full page (which shows the check below can fail).
        let full = render_with(&ctx, &spec, &Templates::shipped()).unwrap();
        let in_margin = sign_pdf(&full.pdf, &key(11), signed_at(), &stamp(None), None).unwrap();
        if kind == FormKind::Receipt {
            let Some(over) = drawn_over(&full.pdf, &in_margin) else {
                return;
            };
            assert!(over > 0, "the full receipt's margin stamp covers nothing?");
        }
        // With room kept, the stamp goes under the content and covers nothing.
        ctx.room_for_stamp = true;
        let roomy = render_with(&ctx, &spec, &Templates::shipped()).unwrap();
        let top = roomy.stamp_top.expect("room was kept");
        let signed = sign_pdf(&roomy.pdf, &key(11), signed_at(), &stamp(Some(top)), None).unwrap();
        assert!(verify_pdf(&signed).unwrap()[0].covers_whole_file);
        let Some(over) = drawn_over(&roomy.pdf, &signed) else {
            return;
        };
        assert_eq!(over, 0, "{kind:?}: the stamp covers {over} printed pixels");
    }
}
