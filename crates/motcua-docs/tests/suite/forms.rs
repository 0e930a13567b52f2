//! Every form rendered from the sample data, its text extracted with `pdftotext` (poppler)
//! and compared with the snapshots in `tests/snapshots/`; page sizes, overrides and template
//! errors. Set `UPDATE_SNAPSHOTS=1` to rewrite the snapshots after a deliberate change.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use motcua_docs::{
    DocsError, FormKind, Regime, RegimeConfig, RenderedForm, Templates, all_forms,
    default_template, render, render_with, sample,
};

/// Runs a poppler tool on `pdf`; `None` when poppler-utils is not installed.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> Option<String> {
    let dir = scratch_dir("pdf");
    let path = dir.join("form.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut command = Command::new(tool);
    command.args(args).arg(&path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = match command.output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: {tool} is not installed (apt-get install poppler-utils)");
            return None;
        }
        Err(e) => panic!("{tool}: {e}"),
    };
    assert!(output.status.success(), "{tool} failed: {output:?}");
    std::fs::remove_dir_all(&dir).ok();
    Some(String::from_utf8(output.stdout).unwrap())
}

fn text_of(pdf: &[u8]) -> Option<String> {
    poppler("pdftotext", &["-layout", "-enc", "UTF-8"], pdf).map(|t| {
        t.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim_end()
            .to_string()
    })
}

/// The text in reading order with whitespace collapsed, for "does it say X" checks.
fn flat_text_of(pdf: &[u8]) -> Option<String> {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn scratch_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "motcua-docs-{tag}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    match std::fs::read_to_string(&path) {
        Ok(expected) if !update => {
            let expected = expected.trim_end();
            if expected != actual {
                let line = expected
                    .lines()
                    .zip(actual.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
                panic!(
                    "{name}: text differs from {} at line {}:\n  expected: {:?}\n  actual:   {:?}\n(UPDATE_SNAPSHOTS=1 rewrites it)",
                    path.display(),
                    line + 1,
                    expected.lines().nth(line),
                    actual.lines().nth(line)
                );
            }
        }
        _ => {
            std::fs::write(&path, format!("{actual}\n")).unwrap();
            eprintln!("wrote snapshot {}", path.display());
        }
    }
}

fn render_all() -> Vec<RenderedForm> {
    let ctx = sample::context();
    all_forms()
        .iter()
        .map(|spec| render_with(&ctx, spec, &Templates::shipped()).unwrap())
        .collect()
}

#[test]
fn every_form_renders_with_its_fields_and_diacritics_intact() {
    for form in render_all() {
        let name = form.spec.template.trim_end_matches(".tpl");
        assert!(form.pdf.starts_with(b"%PDF-"), "{name}");
        // Subset fonts: a slip weighs tens of kilobytes, not megabytes.
        assert!(form.pdf.len() < 150_000, "{name}: {} bytes", form.pdf.len());
        let (Some(layout), Some(text)) = (text_of(&form.pdf), flat_text_of(&form.pdf)) else {
            return;
        };
        for expected in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "TRUNG TÂM PHỤC VỤ HÀNH",
        ] {
            assert!(
                text.contains(expected),
                "{name}: no “{expected}” in\n{text}"
            );
        }
        let title = form.spec.name.to_uppercase();
        let first_words: String = title.split(" ").take(2).collect::<Vec<_>>().join(" ");
        assert!(
            text.contains(&first_words),
            "{name}: no title “{first_words}” in\n{text}"
        );
        if form.spec.kind != FormKind::LogBook {
            assert!(
                text.contains("Thanh Hóa, ngày 24 tháng 11 năm 2026"),
                "{name}: no date"
            );
            assert!(
                text.contains("000.00.11.H56-261124-0007"),
                "{name}: no dossier code"
            );
            if form.spec.kind != FormKind::ControlSlip {
                assert!(
                    text.contains("Nguyễn Thị Hồng Nhung"),
                    "{name}: no applicant"
                );
            }
        }
        snapshot(name, &layout);
    }
}

#[test]
fn slips_print_on_a5_and_the_log_book_on_a4() {
    for form in render_all() {
        let (w, h) = form.page_size;
        let name = form.spec.template;
        if form.spec.kind == FormKind::LogBook {
            assert_eq!(
                (h.round(), w.round()),
                (595.0, 842.0),
                "{name} is A4 landscape"
            );
        } else {
            assert_eq!((w.round(), h.round()), (420.0, 595.0), "{name} is A5");
        }
        let Some(info) = poppler("pdfinfo", &[], &form.pdf) else {
            return;
        };
        let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
        if form.spec.kind == FormKind::LogBook {
            assert!(size.contains("841.89 x 595.276"), "{name}: {size}");
        } else {
            assert!(size.contains("419.528 x 595.276"), "{name}: {size}");
        }
    }
}

#[test]
fn the_log_book_breaks_pages_and_repeats_the_table_header() {
    let ctx = sample::context();
    let spec = motcua_docs::form(Regime::Tt01_2018, FormKind::LogBook).unwrap();
    let form = render_with(&ctx, &spec, &Templates::shipped()).unwrap();
    assert!(form.pages >= 2, "40 rows should need several pages");
    for page in 1..=form.pages {
        let p = page.to_string();
        let Some(text) = poppler("pdftotext", &["-layout", "-f", &p, "-l", &p], &form.pdf) else {
            return;
        };
        assert!(
            text.contains("Mã hồ sơ"),
            "page {page} lacks the header:\n{text}"
        );
        assert!(text.contains(&format!("Trang {page}/{}", form.pages)));
    }
    // Every dossier appears once, in order.
    let text = flat_text_of(&form.pdf).unwrap();
    let mut last = 0;
    for i in 1..=40 {
        let code = format!("-{i:04}");
        let at = text
            .find(&code)
            .unwrap_or_else(|| panic!("row {i} missing"));
        assert!(at > last, "row {i} out of order");
        last = at;
    }
}

#[test]
fn decomposed_input_comes_out_precomposed() {
    let mut ctx = sample::context();
    // "Nguyễn Thị Hồng Nhung" in NFD, as some keyboards and PDFs send it.
    ctx.applicant.name = "Nguye\u{302}\u{303}n Thi\u{323} Ho\u{302}\u{300}ng Nhung".to_string();
    let spec = motcua_docs::form(Regime::Tt01_2018, FormKind::Receipt).unwrap();
    let form = render_with(&ctx, &spec, &Templates::shipped()).unwrap();
    let Some(text) = flat_text_of(&form.pdf) else {
        return;
    };
    assert!(text.contains("Nguyễn Thị Hồng Nhung"), "{text}");
}

#[test]
fn the_regime_follows_the_date_of_receipt() {
    let ctx = sample::context();
    let config = RegimeConfig::default();
    let templates = Templates::shipped();
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let old = render(FormKind::Apology, d(2025, 6, 30), &ctx, &config, &templates).unwrap();
    assert_eq!(old.spec.template, "tt01-2018-mau-04.tpl");
    let new = render(FormKind::Apology, d(2025, 7, 1), &ctx, &config, &templates).unwrap();
    assert_eq!(new.spec.template, "tt03-2025-mau-04.tpl");
    let err = render(
        FormKind::StopNotice,
        d(2024, 1, 2),
        &ctx,
        &config,
        &templates,
    )
    .unwrap_err();
    assert!(matches!(err, DocsError::NotInRegime { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "biểu mẫu “Thông báo dừng giải quyết hồ sơ” không có trong Thông tư số 01/2018/TT-VPCP"
    );
    let later = RegimeConfig {
        switch_date: d(2026, 1, 1),
    };
    let form = render(FormKind::LogBook, d(2025, 12, 31), &ctx, &later, &templates).unwrap();
    assert_eq!(form.spec.number, "06");
}

#[test]
fn an_override_directory_replaces_a_template_by_name() {
    let dir = scratch_dir("override");
    let source = default_template("tt01-2018-mau-01.tpl").unwrap().replace(
        "title GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "title BIÊN NHẬN HỒ SƠ\ncenter *Mẫu riêng của tỉnh*",
    );
    std::fs::write(dir.join("tt01-2018-mau-01.tpl"), source).unwrap();
    let templates = Templates::with_overrides(&dir);
    let ctx = sample::context();
    let receipt = motcua_docs::form(Regime::Tt01_2018, FormKind::Receipt).unwrap();
    let form = render_with(&ctx, &receipt, &templates).unwrap();
    // Forms without an override keep the shipped template.
    let refusal = motcua_docs::form(Regime::Tt01_2018, FormKind::Refusal).unwrap();
    let other = render_with(&ctx, &refusal, &templates).unwrap();
    templates.check_all().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let (Some(text), Some(other)) = (flat_text_of(&form.pdf), flat_text_of(&other.pdf)) else {
        return;
    };
    assert!(
        text.contains("BIÊN NHẬN HỒ SƠ") && text.contains("Mẫu riêng của tỉnh"),
        "{text}"
    );
    assert!(!text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"));
    assert!(other.contains("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"));
}

fn broken(source: &str) -> String {
    let dir = scratch_dir("broken");
    std::fs::write(dir.join("tt01-2018-mau-03.tpl"), source).unwrap();
    let templates = Templates::with_overrides(&dir);
    let spec = motcua_docs::form(Regime::Tt01_2018, FormKind::Refusal).unwrap();
    let result = render_with(&sample::context(), &spec, &templates);
    let check = templates.check_all();
    std::fs::remove_dir_all(&dir).ok();
    let err = result.unwrap_err().to_string();
    assert_eq!(check.unwrap_err().to_string(), err);
    err
}

#[test]
fn a_broken_template_names_its_file_and_line() {
    let err = broken("page A5\n\ntitle X\nbanner Y\n");
    assert_eq!(
        err,
        "mẫu tt01-2018-mau-03.tpl, dòng 4: không hiểu lệnh “banner”"
    );
    let err = broken("page A5\np Kính gửi {{applicant.nmae}}\n");
    assert!(
        err.starts_with("mẫu tt01-2018-mau-03.tpl, dòng 2: không có trường “applicant.nmae”"),
        "{err}"
    );
    let err = broken("page A5\ntable components\ncol 5 TT | {{index}}\np oops\n");
    assert!(err.contains("dòng 4") && err.contains("“p”"), "{err}");
    let err = broken("page A5\nif reason\np x\n");
    assert_eq!(
        err,
        "mẫu tt01-2018-mau-03.tpl, dòng 2: “if” chưa có “endif”"
    );
    let err = broken("page B5\n");
    assert!(err.contains("dòng 1") && err.contains("B5"), "{err}");
    let err = broken("p **đậm mà không đóng\n");
    assert!(err.contains("dòng 1"), "{err}");
    // A field that only exists in rows is refused outside its table, even in a false branch.
    let err = broken("ifnot reason\np {{originals}}\nendif\n");
    assert!(err.contains("dòng 2") && err.contains("originals"), "{err}");
}

#[test]
fn the_qr_code_carries_the_tracking_link() {
    let ctx = sample::context();
    let spec = motcua_docs::form(Regime::Tt03_2025, FormKind::Receipt).unwrap();
    let form = render_with(&ctx, &spec, &Templates::shipped()).unwrap();
    let dir = scratch_dir("qr");
    std::fs::write(dir.join("form.pdf"), &form.pdf).unwrap();
    let raster = Command::new("pdftoppm")
        .args([
            "-r", "150", "-png", "-f", "1", "-l", "1", "form.pdf", "page",
        ])
        .current_dir(&dir)
        .status();
    let scan = raster.ok().filter(|s| s.success()).and_then(|_| {
        Command::new("zbarimg")
            .args(["-q", "--raw", "page-1.png"])
            .current_dir(&dir)
            .output()
            .ok()
    });
    std::fs::remove_dir_all(&dir).ok();
    let Some(scan) = scan else {
        eprintln!("skipped: pdftoppm or zbarimg (apt-get install zbar-tools) is not installed");
        return;
    };
    assert_eq!(
        String::from_utf8_lossy(&scan.stdout).trim(),
        ctx.tracking_url
    );
}

#[test]
fn characters_outside_the_font_and_empty_fields_do_not_break_rendering() {
    let mut ctx = sample::context();
    ctx.applicant.name = "Lý 漢字 😀\tNguyễn".to_string();
    ctx.agency.parent.clear();
    ctx.tracking_url.clear();
    ctx.components.clear();
    ctx.handovers.clear();
    ctx.log.clear();
    ctx.reason = "x".repeat(3000);
    for spec in all_forms() {
        let form = render_with(&ctx, spec, &Templates::shipped()).unwrap();
        assert!(form.pages >= 1, "{}", spec.template);
        if spec.kind == FormKind::Receipt
            && let Some(text) = flat_text_of(&form.pdf)
        {
            // What the font lacks shows as "?"; the rest of the name is intact.
            assert!(text.contains("Lý ?? ? Nguyễn"), "{text}");
        }
    }
}

#[test]
fn forms_are_pdf_a_2b_and_reproducible() {
    let ctx = sample::context();
    let spec = motcua_docs::form(Regime::Tt01_2018, FormKind::Receipt).unwrap();
    let first = render_with(&ctx, &spec, &Templates::shipped()).unwrap().pdf;
    let second = render_with(&ctx, &spec, &Templates::shipped()).unwrap().pdf;
    assert!(
        first == second,
        "the same data must give the same bytes (signatures rely on it)"
    );
    let has = |needle: &str| first.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(has("<pdfaid:part>2</pdfaid:part>") && has("<pdfaid:conformance>B"));
    assert!(has("<rdf:li>vi</rdf:li>"), "document language");
}

#[test]
fn an_unsaved_template_can_be_previewed_or_refused() {
    let source = default_template("tt03-2025-mau-05.tpl").unwrap();
    let preview = motcua_docs::preview_template("tt03-2025-mau-05.tpl", source).unwrap();
    assert_eq!(preview.spec.kind, FormKind::StopNotice);
    let err = motcua_docs::preview_template("tt03-2025-mau-05.tpl", "page A5\nsign a | b\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("mẫu tt03-2025-mau-05.tpl, dòng 2:"),
        "{err}"
    );
    let err = motcua_docs::preview_template("mau-la.tpl", source).unwrap_err();
    assert_eq!(
        err.to_string(),
        "không có biểu mẫu nào dùng tệp mẫu “mau-la.tpl”"
    );
}

#[test]
fn a_form_without_its_signer_prints_only_as_a_draft() {
    for (kind, clear) in [
        (FormKind::Apology, true),
        (FormKind::Rejection, true),
        (FormKind::Receipt, false),
    ] {
        for regime in [Regime::Tt01_2018, Regime::Tt03_2025] {
            let spec = motcua_docs::form(regime, kind).unwrap();
            let mut ctx = sample::context();
            let signed = render_with(&ctx, &spec, &Templates::shipped()).unwrap();
            assert!(!signed.draft, "{kind:?} with its signer is final");
            if clear {
                ctx.head.name.clear();
            } else {
                ctx.officer.name.clear();
            }
            let draft = render_with(&ctx, &spec, &Templates::shipped()).unwrap();
            assert!(draft.draft, "{kind:?} without its signer");
            let Some(text) = flat_text_of(&draft.pdf) else {
                return;
            };
            assert!(text.contains(motcua_docs::DRAFT_MARK), "{text}");
            let final_text = flat_text_of(&signed.pdf).unwrap();
            assert!(!final_text.contains("DỰ THẢO"));
        }
    }
}

#[test]
fn forms_md_lists_every_field_each_shipped_template_fills() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/FORMS.md"))
            .unwrap();
    let listing = doc
        .split("## Each form and the fields it fills")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("docs/FORMS.md has its per-form listing");
    for spec in all_forms() {
        // The section of the form: from its heading (which names the template) to the next.
        let section = listing
            .split("\n### ")
            .find(|s| s.lines().next().unwrap_or_default().contains(spec.template))
            .unwrap_or_else(|| panic!("{} has no section in docs/FORMS.md", spec.template));
        let source = default_template(spec.template).unwrap();
        let mut fields: Vec<&str> = source
            .split("{{")
            .skip(1)
            .filter_map(|s| s.split("}}").next())
            .map(str::trim)
            .collect();
        fields.extend(source.lines().filter_map(|l| {
            let l = l.trim();
            l.strip_prefix("table ").or_else(|| l.strip_prefix("each "))
        }));
        for field in fields {
            assert!(
                section.contains(&format!("`{field}`")),
                "{}: `{field}` is not listed under its form in docs/FORMS.md",
                spec.template
            );
        }
    }
}

#[test]
fn the_receipt_prints_what_the_law_asks_of_it() {
    let receipt = sample::receipt();
    let printed = motcua_docs::render_receipt(
        &receipt,
        "https://motcua.thanhhoa.gov.vn/tra-cuu",
        &Templates::shipped(),
        true,
    )
    .unwrap();
    assert_eq!(printed.pages, 1);
    assert!(printed.stamp_top.is_some(), "room for the agency's stamp");
    // The same receipt, the same bytes.
    let again = motcua_docs::render_receipt(
        &receipt,
        "https://motcua.thanhhoa.gov.vn/tra-cuu",
        &Templates::shipped(),
        true,
    )
    .unwrap();
    assert_eq!(printed.pdf, again.pdf);
    let Some(text) = text_of(&printed.pdf) else {
        return;
    };
    snapshot("bien-lai-thu-phi", &text);
    let flat = flat_text_of(&printed.pdf).unwrap();
    for expected in [
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Mẫu số: 01BLP0-001",
        "Ký hiệu: TH-26E",
        "Số: 0001257",
        "Mã số thuế: 2800123456",
        "Văn phòng Đăng ký đất đai tỉnh Thanh Hóa",
        "ngày 24 tháng 11 năm 2026",
        "Nguyễn Thị Hồng Nhung",
        "Lệ phí cấp Giấy chứng nhận quyền sử dụng đất",
        "1.005.000",
        "Tổng cộng: 1.105.000 đồng",
        "Một triệu một trăm linh năm nghìn đồng",
        "Thanh toán trực tuyến",
    ] {
        assert!(flat.contains(expected), "missing “{expected}” in:\n{flat}");
    }
}
