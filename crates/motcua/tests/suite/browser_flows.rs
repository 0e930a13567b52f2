//! End-to-end paths driven in Debian's headless chromium over the DevTools protocol, against
//! the real binary serving a demo province: counter intake to printed receipt, the dossier
//! through specialist, leader and return, public tracking without personal data, and the same
//! pages at a phone's width. Screenshots land in `target/e2e-screenshots/`.
//! Without chromium the test says it was skipped; with MOTCUA_REQUIRE_BROWSER=1 it must run.

use crate::e2e::cdp::{Browser, chromium_or_skip, quote};
use crate::e2e::server::{DemoServer, PASSWORD};

/// Giải thể doanh nghiệp (Sở Tài chính): four cases, counter → specialist → leader → counter.
const PROCEDURE: &str = "2.002023";
const CASE: &str = "th-02";
const COUNTER: (&str, &str) = ("tn.trungtam1", "Lê Thị Thu Hà");
const SPECIALIST: (&str, &str) = ("cv.taichinh", "Lương Minh Châu");
const LEADER: (&str, &str) = ("ld.taichinh", "Tống Văn Quyết");
const JUSTICE_SPECIALIST: (&str, &str) = ("cv.tuphap", "Nguyễn Thị Thanh Tâm");
const SUPPLEMENT_ITEM: &str = "Báo cáo tài chính năm 2025: bản có chữ ký của kế toán trưởng";
const APOLOGY_REASON: &str = "Chờ cơ quan thuế xác nhận quyết toán";

const COMPANY: &str = "Công ty TNHH Thương mại Sông Mã";
const TAX_CODE: &str = "2801234567";
const APPLICANT_PHONE: &str = "0912345678";

/// What the counter intake produced.
struct Received {
    id: i64,
    code: String,
    secret: String,
    /// The appointment in force ("dd/mm/yyyy HH:MM"): the receipt's, then the apology's.
    due: String,
    /// The receipt's appointment.
    first_due: String,
}

fn sign_in(b: &mut Browser, server: &DemoServer, (username, full_name): (&str, &str)) {
    b.goto(&server.url("/can-bo/dang-nhap"));
    b.fill("#username", username);
    b.fill("#password", PASSWORD);
    b.click_and_wait("form.lookup button[type=submit]");
    assert!(
        b.url().ends_with("/can-bo"),
        "{username} did not reach the queue: {} — {}",
        b.url(),
        b.body_text()
    );
    // The staff header names the officer and offers the search.
    let header = b.text("header.staff-top");
    assert!(
        header.contains(full_name),
        "{full_name} not named: {header}"
    );
    assert!(b.body_text().contains("Hồ sơ cần xử lý"));
}

fn sign_out(b: &mut Browser, server: &DemoServer) {
    b.goto(&server.url("/can-bo"));
    b.click_and_wait("form[action='/can-bo/dang-xuat'] button");
    assert!(b.url().ends_with("/can-bo/dang-nhap"), "{}", b.url());
}

/// Fills the fields of the action form whose button reads `label` and submits it.
fn act(b: &mut Browser, label: &str, fields: &[(&str, &str)]) {
    let l = quote(label);
    let form = format!(
        "Array.from(document.querySelectorAll('form.act')).find(f => f.querySelector('button').textContent.trim() === {l})"
    );
    let offered = b.eval(&format!("!!({form})"));
    assert_eq!(
        offered,
        serde_json::Value::Bool(true),
        "the dossier page offers no “{label}”; it offers {:?}",
        b.texts("form.act button")
    );
    // Other than the usual next step, an action sits closed under "more actions": open
    // it as the officer would, so its fields show.
    b.eval(&format!(
        "(() => {{ let d = {form}.closest('details'); \
         while (d) {{ d.open = true; d = d.parentElement.closest('details'); }} }})()"
    ));
    for (name, value) in fields {
        let n = quote(&format!("[name={name}]"));
        let v = quote(value);
        b.eval(&format!(
            "(() => {{ const e = {form}.querySelector({n}); e.value = {v}; \
             e.dispatchEvent(new Event('change', {{bubbles: true}})); }})()"
        ));
    }
    b.navigate_by(
        &format!("{form}.querySelector('button').click()"),
        &format!("“{label}”"),
    );
    if b.exists("p.error") {
        panic!("“{label}” was refused: {}", b.text("p.error"));
    }
}

/// The value beside `term` in the dossier page's fact list, or nothing.
fn fact(b: &mut Browser, term: &str) -> String {
    let t = quote(term);
    b.eval(&format!(
        "(() => {{ const dt = Array.from(document.querySelectorAll('dl.facts dt')).find(d => d.innerText.trim() === {t}); \
         return dt ? dt.nextElementSibling.innerText.trim() : ''; }})()"
    ))
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// (a) A counter officer signs in, finds the procedure without diacritics, picks the case,
/// enters the applicant, ticks the documents, sees the appointment, saves, gets the receipt.
fn counter_intake(b: &mut Browser, server: &DemoServer) -> Received {
    sign_in(b, server, COUNTER);
    b.screenshot("a1-queue");
    b.click_and_wait("a[href='/can-bo/tiep-nhan']");
    b.fill("form.search input[name=q]", "giai the doanh nghiep");
    let link = format!("ul.found a[href='/can-bo/tiep-nhan?procedure={PROCEDURE}']");
    // The matches appear while typing, before the search is sent.
    b.wait_for(&link);
    b.click_and_wait("form.search button[type=submit]");
    assert!(
        b.exists(&link),
        "the search did not find {PROCEDURE}: {:?}",
        b.texts("ul.found li")
    );
    b.click_and_wait(&link);
    b.wait_for("select[name=case]");
    b.select("select[name=case]", CASE);
    b.click_and_wait("form.row button[type=submit]");
    assert_eq!(
        b.eval("document.querySelector('form.intake input[name=case]').value"),
        CASE,
        "the chosen case is not the one being received"
    );
    let components = b.text("form.intake table");
    assert!(
        components.contains("Hồ sơ đăng ký giải thể doanh nghiệp"),
        "the case's documents are not listed: {components}"
    );

    b.check("input[name=kind][value=organisation]", true);
    b.fill("input[name=name]", COMPANY);
    b.fill("input[name=tax_code]", TAX_CODE);
    b.fill("input[name=phone]", APPLICANT_PHONE);
    b.fill(
        "input[name=address]",
        "Số 12 đường Lê Lợi, phường Hạc Thành",
    );
    b.check("input[name=n_sms]", true);
    // The required documents of this case (marked *) and one optional copy.
    let required = b.eval(
        "Array.from(document.querySelectorAll('form.intake tr')).filter(r => r.querySelector('b.req')).map(r => r.querySelector('input[type=checkbox]').name)",
    );
    let required: Vec<String> = serde_json::from_value(required).unwrap();
    assert!(required.len() >= 3, "{required:?}");
    for name in &required {
        b.check(&format!("input[name='{name}']"), true);
    }
    b.check("input[name='c_tp-07']", true);
    b.select("select[name='f_tp-07']", "copy");
    let appointment = b.text("form.intake p.notice b");
    assert!(
        is_vn_datetime(&appointment),
        "no appointment shown before saving: {:?}",
        b.text("form.intake p.notice")
    );
    b.screenshot("a2-intake-filled");
    b.click_and_wait("form.intake > button[type=submit]");

    let url = b.url();
    assert!(
        url.ends_with("/giay-hen"),
        "saving did not lead to the receipt: {url}\n{}",
        b.body_text()
    );
    let id: i64 = url
        .rsplit('/')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no dossier id in {url}"));
    let codes = b.texts(".paper b.code");
    assert_eq!(codes.len(), 2, "{codes:?}");
    let (code, secret) = (codes[0].clone(), codes[1].clone());
    assert!(code.starts_with("000.01.01.H56-"), "{code}");
    let paper = b.text(".paper");
    assert!(
        paper.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
        "{paper}"
    );
    assert!(paper.contains(COMPANY), "{paper}");
    assert!(paper.contains("Giải thể doanh nghiệp"), "{paper}");
    // The applicant signs the receipt on the pad (a pen's strokes, as pointer events).
    let strokes = b.eval(
        "(function () {
           var c = document.querySelector('form[data-sign-pad] canvas');
           var r = c.getBoundingClientRect();
           function at(type, fx, fy) {
             c.dispatchEvent(new PointerEvent(type, { clientX: r.left + fx * r.width,
               clientY: r.top + fy * r.height, pointerId: 7, bubbles: true, cancelable: true }));
           }
           at('pointerdown', 0.1, 0.8); at('pointermove', 0.3, 0.2);
           at('pointermove', 0.5, 0.8); at('pointerup', 0.5, 0.8);
           return document.querySelector('form[data-sign-pad] input[name=strokes]').value;
         })()",
    );
    let strokes: serde_json::Value =
        serde_json::from_str(strokes.as_str().unwrap_or_default()).unwrap();
    assert_eq!(strokes[0].as_array().map(Vec::len), Some(3), "{strokes}");
    assert_eq!(strokes[0][0], serde_json::json!([100, 800]), "{strokes}");
    b.screenshot("a3-receipt-signed-on-the-pad");
    b.click_and_wait("form[data-sign-pad] button[type=submit]");
    assert!(b.url().ends_with("/giay-hen"), "{}", b.url());
    assert_eq!(
        b.eval("!!document.querySelector('.signs svg.applicant-signature path')"),
        serde_json::json!(true),
        "{}",
        b.body_text()
    );
    let due = b.eval(
        "Array.from(document.querySelectorAll('.paper p')).find(p => p.innerText.startsWith('Thời gian trả kết quả')).querySelector('b').innerText",
    );
    let due = due.as_str().unwrap().to_string();
    // The appointment shown before saving is the one printed (same day; minutes may tick).
    assert_eq!(
        due.get(..10),
        appointment.get(..10),
        "the receipt's appointment {due} is not the one shown before saving {appointment}"
    );
    assert_eq!(
        b.texts(".paper table tbody tr").len(),
        required.len() + 1,
        "every ticked document is on the receipt"
    );
    b.screenshot("a3-receipt");
    Received {
        id,
        code,
        secret,
        first_due: due.clone(),
        due,
    }
}

fn is_vn_datetime(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 16
        && b[2] == b'/'
        && b[5] == b'/'
        && b[10] == b' '
        && b[13] == b':'
        && text.chars().filter(char::is_ascii_digit).count() == 12
}

/// (b) Counter forwards, the specialist appraises and forwards, the leader approves, the
/// counter returns the result; each signs in in turn and the timeline shows every step.
fn specialist_leader_return(b: &mut Browser, server: &DemoServer, d: &mut Received) {
    let page = server.url(&format!("/can-bo/ho-so/{}", d.id));
    b.goto(&page);
    assert_eq!(b.text("h1.code"), d.code);
    let status = fact(b, "Trạng thái");
    assert!(status.starts_with("Được tiếp nhận"), "{status}");
    act(
        b,
        "Chuyển bước tiếp theo",
        &[("note", "Chuyển Sở Tài chính")],
    );
    assert_eq!(fact(b, "Bước hiện tại"), "Thẩm định, trình ký");
    sign_out(b, server);

    sign_in(b, server, SPECIALIST);
    let queue = b.text("body");
    assert!(
        queue.contains(&d.code),
        "the dossier is not in the specialist's queue"
    );
    // Found through the search in the staff header, by the code from its date on.
    let tail = d.code.split_once('-').map_or(d.code.as_str(), |t| t.1);
    b.fill("#staff-q", tail);
    b.click_and_wait("form.staff-search button[type=submit]");
    assert!(
        b.url().contains("/can-bo/tim-kiem?q="),
        "the search did not run: {}",
        b.url()
    );
    b.screenshot("b0-staff-search");
    b.click_and_wait(&format!("a[href='/can-bo/ho-so/{}']", d.id));
    act(b, "Thẩm định", &[("note", "Hồ sơ đầy đủ, đủ điều kiện")]);
    // A paper needs completing: asked through the counter, brought back there.
    act(
        b,
        "Yêu cầu bổ sung hồ sơ",
        &[
            ("missing", SUPPLEMENT_ITEM),
            ("reason", "Báo cáo chưa có chữ ký của kế toán trưởng"),
        ],
    );
    assert!(fact(b, "Trạng thái").starts_with("Yêu cầu bổ sung"));
    sign_out(b, server);
    sign_in(b, server, COUNTER);
    b.goto(&page);
    act(
        b,
        "Nhận hồ sơ bổ sung",
        &[("note", "Đã nhận báo cáo có chữ ký")],
    );
    sign_out(b, server);

    // It will be late: the specialist proposes the apology, the leader approves it.
    sign_in(b, server, SPECIALIST);
    b.goto(&page);
    let due = fact(b, "Ngày hẹn trả kết quả");
    let due = chrono::NaiveDate::parse_from_str(due.get(..10).unwrap_or_default(), "%d/%m/%Y")
        .unwrap_or_else(|e| panic!("{due}: {e}"));
    let new_due = (due + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    act(
        b,
        "Đề xuất xin lỗi, hẹn lại ngày trả",
        &[("reason", APOLOGY_REASON), ("new_due", &new_due)],
    );
    sign_out(b, server);
    sign_in(b, server, LEADER);
    b.goto(&page);
    act(b, "Duyệt phiếu xin lỗi", &[]);
    d.due = fact(b, "Ngày hẹn trả kết quả");
    assert!(
        d.due.starts_with(
            &(due + chrono::Duration::days(1))
                .format("%d/%m/%Y")
                .to_string()
        ),
        "{}",
        d.due
    );
    sign_out(b, server);

    // Liên thông: the specialist hands the appraisal to the Department of Justice, whose
    // specialist appraises it and sends it on to the approval.
    sign_in(b, server, SPECIALIST);
    b.goto(&page);
    let justice = b.eval(
        "Array.from(document.querySelectorAll('form.act select[name=agency_id] option')).find(o => o.textContent.trim() === 'Sở Tư pháp').value",
    );
    let justice = justice.as_str().unwrap_or_default().to_string();
    act(
        b,
        "Chuyển liên thông",
        &[
            ("agency_id", &justice),
            ("note", "Xác minh tư cách pháp nhân"),
        ],
    );
    sign_out(b, server);
    sign_in(b, server, JUSTICE_SPECIALIST);
    b.goto(&page);
    act(b, "Thẩm định", &[("note", "Tư cách pháp nhân hợp lệ")]);
    act(
        b,
        "Chuyển bước tiếp theo",
        &[("note", "Trình lãnh đạo Sở Tài chính")],
    );
    assert_eq!(fact(b, "Bước hiện tại"), "Phê duyệt");
    b.screenshot("b1-specialist-forwarded");
    sign_out(b, server);

    sign_in(b, server, LEADER);
    b.goto(&page);
    // At the approval step the approval is the usual next step: first, open, prominent.
    assert_eq!(
        b.text(".primary-action form.act button"),
        "Phê duyệt kết quả"
    );
    act(b, "Phê duyệt kết quả", &[("note", "Đồng ý")]);
    assert!(
        fact(b, "Trạng thái").starts_with("Đã xử lý xong"),
        "{}",
        fact(b, "Trạng thái")
    );
    sign_out(b, server);

    sign_in(b, server, COUNTER);
    b.goto(&page);
    // The result document is attached before it is handed back; the leader signs it later.
    let result = std::env::temp_dir().join(format!(
        "ket-qua-{}.pdf",
        motcua_db::random_token(6).unwrap()
    ));
    std::fs::write(
        &result,
        b"%PDF-1.7\n% Quyet dinh giai the doanh nghiep\n%%EOF\n",
    )
    .unwrap();
    b.select("form.attach select[name=purpose]", "result");
    b.set_files("form.attach input[type=file]", &[&result]);
    b.click_and_wait("form.attach button[type=submit]");
    let _ = std::fs::remove_file(&result);
    act(b, "Trả kết quả", &[("method", "in_person")]);
    assert!(
        fact(b, "Trạng thái").starts_with("Đã trả kết quả"),
        "{}",
        fact(b, "Trạng thái")
    );
    let timeline = b.texts("table.list tbody tr");
    let step = |label: &str, who: &str| {
        timeline
            .iter()
            .any(|row| row.contains(label) && row.contains(who))
    };
    for (label, who) in [
        ("Tiếp nhận hồ sơ", COUNTER.1),
        ("Chuyển bước tiếp theo", COUNTER.1),
        ("Thẩm định", SPECIALIST.1),
        ("Yêu cầu bổ sung hồ sơ", SPECIALIST.1),
        ("Nhận hồ sơ bổ sung", COUNTER.1),
        ("Duyệt phiếu xin lỗi", LEADER.1),
        ("Chuyển liên thông", SPECIALIST.1),
        ("Chuyển bước tiếp theo", JUSTICE_SPECIALIST.1),
        ("Phê duyệt kết quả", LEADER.1),
        ("Trả kết quả", COUNTER.1),
    ] {
        assert!(step(label, who), "no “{label}” by {who} in {timeline:#?}");
    }
    assert!(timeline.iter().any(|r| r.contains("Hồ sơ đầy đủ")));
    b.screenshot("b2-returned-timeline");
}

/// (b') The department's leader signs the returned result with the department's key (a demo
/// key made with `motcua signing-key demo`), and its public verification page opens.
fn leader_signs_the_result(b: &mut Browser, server: &DemoServer, d: &Received) {
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["--database", &server.database, "signing-key", "demo"])
        .args(["--agency", "000.00.12.H56"])
        .env("MOTCUA_LOG", "error")
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    sign_out(b, server);
    sign_in(b, server, LEADER);
    b.goto(&server.url(&format!("/can-bo/ho-so/{}", d.id)));
    b.click_and_wait("form.sign button[type=submit]");
    let link = "ul.signed a[href^='/xac-thuc/']:not([href$='.p7s'])";
    assert!(b.exists(link), "{}", b.body_text());
    b.screenshot("b3-result-signed");
    b.click_and_wait(link);
    let page = b.body_text();
    assert!(
        page.contains("bản gốc đã ký số và không bị thay đổi"),
        "{page}"
    );
    assert!(page.contains("Sở Tài chính"), "{page}");
    assert!(!page.contains(COMPANY), "no applicant on the public page");
    // Still signed in as the leader: the next path signs out.
    b.goto(&server.url("/can-bo"));
}

/// A form of the dossier as the officer's browser fetches it from its link: whether it was
/// signed (the server says so in a header) and its text, read by poppler.
pub(crate) fn print_form(b: &mut Browser, href: &str) -> Option<(String, String)> {
    let h = quote(href);
    let got = b.eval(&format!(
        "fetch({h}).then(async r => ({{ signature: r.headers.get('x-motcua-signature'), \
           type: r.headers.get('content-type'), \
           hex: Array.from(new Uint8Array(await r.arrayBuffer()), x => x.toString(16).padStart(2, '0')).join('') }}))"
    ));
    assert_eq!(got["type"], "application/pdf", "{href}");
    let hex = got["hex"].as_str().unwrap_or_default();
    let pdf: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let text = crate::common::poppler("pdftotext", &["-layout"], &pdf, &["-"])?;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some((
        got["signature"].as_str().unwrap_or_default().to_string(),
        flat,
    ))
}

/// (b'') Every form of the dossier, which went through a supplement, an apology, a hand-off
/// to another department and the return, printed from its page as the counter prints them;
/// each read back for what it must say.
fn every_form_printed(b: &mut Browser, server: &DemoServer, d: &Received) {
    sign_out(b, server);
    sign_in(b, server, COUNTER);
    b.goto(&server.url(&format!("/can-bo/ho-so/{}", d.id)));
    let links = b.eval(
        "Array.from(document.querySelectorAll('a[href*=\"/bieu-mau/\"]')).map(a => a.getAttribute('href'))",
    );
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    let slug = |s: &str| format!("/can-bo/ho-so/{}/bieu-mau/{s}", d.id);
    let due_printed = {
        let t = chrono::NaiveDateTime::parse_from_str(&d.first_due, "%d/%m/%Y %H:%M").unwrap();
        t.format("%H giờ %M phút, ngày %d tháng %m năm %Y")
            .to_string()
    };
    let expected: [(&str, Vec<&str>); 4] = [
        (
            "giay-tiep-nhan",
            vec![
                "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                COMPANY,
                &d.code,
                COUNTER.1,
                &due_printed,
            ],
        ),
        (
            "yeu-cau-bo-sung",
            vec![
                "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                "Báo cáo tài chính năm 2025",
                "bản có chữ ký của kế toán trưởng",
                SPECIALIST.1,
            ],
        ),
        (
            "xin-loi",
            vec![
                "XIN LỖI",
                APOLOGY_REASON,
                "SỞ TÀI CHÍNH",
                "KT. GIÁM ĐỐC",
                LEADER.1,
            ],
        ),
        (
            "phieu-kiem-soat",
            vec![
                "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                "Sở Tư pháp",
                JUSTICE_SPECIALIST.1,
                "2. Nhận: Tổ chức, cá",
                "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Tài chính",
                COMPANY,
            ],
        ),
    ];
    for (name, texts) in &expected {
        let href = slug(name);
        assert!(links.contains(&href), "no link to {name}: {links:?}");
        let Some((signature, text)) = print_form(b, &href) else {
            return;
        };
        for t in texts {
            assert!(text.contains(t), "{name}: “{t}” missing from:\n{text}");
        }
        assert!(
            !text.contains("DỰ THẢO"),
            "{name} printed as a draft:\n{text}"
        );
        // The department signed its apology with the key made for the result.
        if *name == "xin-loi" {
            assert_eq!(signature, "signed", "{name}");
        }
    }
    // The receipt keeps the first appointment; the apology's date is on the apology.
    b.goto(&server.url("/can-bo"));
}

/// (c) Anyone tracks the dossier by code and lookup code; no personal data is shown.
fn public_tracking(b: &mut Browser, server: &DemoServer, d: &Received) {
    sign_out(b, server);
    b.goto(&server.url("/"));
    b.click_and_wait("header nav a[href='/tra-cuu']");
    b.fill("#code", &d.code);
    b.fill("#secret", "SAI-MA");
    b.click_and_wait("form.lookup button[type=submit]");
    assert!(b.exists("p.error"), "a wrong lookup code shows nothing");
    assert!(!b.exists("section.result"));
    b.fill("#code", &d.code);
    b.fill("#secret", &d.secret);
    b.click_and_wait("form.lookup button[type=submit]");
    b.wait_for("section.result");
    assert_eq!(b.text("section.result h2.code"), d.code);
    let result = b.text("section.result");
    assert!(result.contains("Đã trả kết quả"), "{result}");
    assert!(result.contains("Giải thể doanh nghiệp"), "{result}");
    let steps = b.texts("ol.progress li.done");
    assert!(
        steps.len() >= 3,
        "the finished steps are not shown as done: {steps:?} in {result}"
    );
    let html = b.html();
    for private in [
        COMPANY,
        TAX_CODE,
        APPLICANT_PHONE,
        "Lê Lợi",
        COUNTER.1,
        SPECIALIST.1,
    ] {
        assert!(!html.contains(private), "the public page shows “{private}”");
    }
    assert!(
        result.contains(&d.due),
        "the appointment {} is not shown: {result}",
        d.due
    );
    b.screenshot("c1-public-tracking");
}

/// (d) The same pages at a phone's width: nothing spills sideways.
/// Opens `path` (at the current, phone-sized viewport), saves a screenshot and notes any
/// sideways overflow or content spilling out of a card.
fn visit_on_phone(
    b: &mut Browser,
    server: &DemoServer,
    path: &str,
    name: &str,
    spilled: &mut Vec<String>,
) {
    b.goto(&server.url(path));
    b.screenshot(name);
    if let Some(px) = b.horizontal_overflow() {
        spilled.push(format!(
            "{path}: {px}px too wide ({:?})",
            b.overflowing_elements()
        ));
    }
    let cards = b.spilling_cards();
    if !cards.is_empty() {
        spilled.push(format!("{path}: content spills out of {cards:?}"));
    }
}

fn phone_pages(b: &mut Browser, server: &DemoServer, d: &Received) {
    b.phone();
    let lookup = format!("/tra-cuu?code={}&secret={}", d.code, d.secret);
    let mut spilled = Vec::new();
    let mut visit = |b: &mut Browser, path: &str, name: &str| {
        visit_on_phone(b, server, path, name, &mut spilled);
    };
    visit(b, "/", "d1-phone-home");
    visit(b, &lookup, "d2-phone-tracking");
    visit(b, "/can-bo/dang-nhap", "d3-phone-sign-in");
    sign_in(b, server, COUNTER);
    visit(b, "/can-bo", "d4-phone-queue");
    // The queue's rows become labelled cards: status and light in view, nothing sideways.
    let flat = b.eval(
        "(() => { const t = document.querySelector('table.stack'); \
         return !!t && t.scrollWidth <= t.clientWidth + 1 \
         && getComputedStyle(t.querySelector('tbody tr')).display === 'block'; })()",
    );
    assert_eq!(
        flat,
        serde_json::Value::Bool(true),
        "the queue scrolls sideways on a phone"
    );
    let tick = b.eval("document.querySelector('input[name=mine]').getBoundingClientRect().width");
    assert!(
        tick.as_f64().unwrap() < 40.0,
        "the “mine” checkbox is stretched to {tick} px, away from its label"
    );
    visit(
        b,
        &format!("/can-bo/tiep-nhan?procedure={PROCEDURE}&case={CASE}"),
        "d5-phone-intake",
    );
    visit(b, &format!("/can-bo/ho-so/{}", d.id), "d6-phone-dossier");
    visit(
        b,
        &format!("/can-bo/ho-so/{}/giay-hen", d.id),
        "d7-phone-receipt",
    );
    b.desktop();
    assert!(
        spilled.is_empty(),
        "pages too wide for a {} px phone:\n{}",
        crate::e2e::cdp::PHONE.0,
        spilled.join("\n")
    );
}

#[test]
fn a_dossier_from_the_counter_to_the_citizen_in_chromium() {
    let Some(chromium) = chromium_or_skip("browser flows") else {
        return;
    };
    let server = DemoServer::start(40);
    let mut b = Browser::launch(chromium);
    let mut dossier = counter_intake(&mut b, &server);
    specialist_leader_return(&mut b, &server, &mut dossier);
    leader_signs_the_result(&mut b, &server, &dossier);
    every_form_printed(&mut b, &server, &dossier);
    public_tracking(&mut b, &server, &dossier);
    phone_pages(&mut b, &server, &dossier);
    online_filing_and_rating(&mut b, &server);
    verify_signed_result(&mut b, &server);
    eprintln!(
        "screenshots in {}",
        crate::e2e::cdp::screenshot_dir().display()
    );
}

/// A citizen registers, files the lawyer's certificate online with a file per document,
/// gets the receipt, withdraws and rates the service; then the public board.
fn online_filing_and_rating(b: &mut Browser, server: &DemoServer) {
    let dir = std::env::temp_dir().join(format!(
        "motcua-upload-{}",
        motcua_db::random_token(6).unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("don-de-nghi.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n% don de nghi\n").unwrap();
    let png = dir.join("anh-the.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n anh").unwrap();

    b.goto(&server.url("/cong-dan/dang-ky?next=/thu-tuc/1.000828"));
    b.fill("#full_name", "Đặng Thị Mai Phương");
    b.fill("#phone", "0915 222 333");
    b.fill("#password", "mat-khau-cong-dan");
    b.fill("#password2", "mat-khau-cong-dan");
    b.click_and_wait("form.lookup button[type=submit]");
    assert!(b.url().ends_with("/thu-tuc/1.000828"), "{}", b.url());
    b.click_and_wait("a.button[href='/cong-dan/nop/1.000828']");
    assert_eq!(b.text("h1"), "Nộp hồ sơ trực tuyến");
    b.fill("input[name=id_number]", "038190012345");
    b.select("select[name=agency]", "000.01.01.H56");
    b.set_files("#file_tp-01", &[&pdf]);
    b.set_files("#file_tp-02", &[&pdf]);
    b.set_files("#file_tp-03", &[&pdf]);
    b.set_files("#file_tp-04", &[&png]);
    b.screenshot("e1-online-filing-form");
    b.click_and_wait("#filing button[type=submit]");
    let page = b.body_text();
    assert!(page.contains("Đã nộp hồ sơ"), "{page}");
    assert!(page.contains("anh-the.png"), "{page}");
    let code = b.text("h1.code");
    assert!(code.starts_with("000.01.01.H56-"), "{code}");
    b.screenshot("e2-online-filing-receipt");

    // Tracked publicly with the receipt's secret, then withdrawn and rated.
    b.eval("document.querySelector('details.withdraw').open = true");
    b.fill("details.withdraw input[name=reason]", "Nộp nhầm thủ tục");
    // The withdrawal asks first: answered "no", nothing is sent and the dossier stays.
    let asked = b.eval(
        "window.asked = ''; window.confirm = function (q) { window.asked = q; return false; }; \
         document.querySelector('details.withdraw button[type=submit]').click(); window.asked",
    );
    assert!(
        asked
            .as_str()
            .is_some_and(|q| q.contains("không thể hoàn tác")),
        "{asked}"
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        b.exists("details.withdraw"),
        "a refused confirmation sent the form"
    );
    b.eval("window.confirm = function () { return true; }; true");
    b.click_and_wait("details.withdraw button[type=submit]");
    assert!(b.exists("form.rating-form"), "{}", b.body_text());
    for (q, score) in [
        ("time", "2"),
        ("agencies", "2"),
        ("contacts", "1"),
        ("information", "2"),
        ("attitude", "2"),
        ("lawfulness", "2"),
        ("complaints", "2"),
        ("online", "1"),
    ] {
        b.check(&format!("input[name=q_{q}][value='{score}']"), true);
    }
    b.check("input[name=overall][value=satisfied]", true);
    b.fill("textarea[name=comment]", "Hướng dẫn rõ ràng");
    b.screenshot("e3-rating-form");
    b.click_and_wait("form.rating-form button[type=submit]");
    let page = b.body_text();
    assert!(page.contains("Cảm ơn ông/bà đã đánh giá"), "{page}");
    assert!(page.contains("Hài lòng"), "{page}");
    b.screenshot("e4-rated");

    b.goto(&server.url("/bang-cong-khai"));
    assert_eq!(b.text("h1"), "Bảng công khai hồ sơ trễ hẹn");
    assert!(!b.body_text().contains("Đặng Thị Mai Phương"));
    b.screenshot("e5-public-board");

    // On a 1920×1080 hall screen: no site menu, nothing to scroll.
    b.set_viewport(1920, 1080, false);
    b.goto(&server.url("/bang-cong-khai?man-hinh=1"));
    assert!(!b.exists("header nav"), "a hall screen has no site menu");
    let fits = b.eval("document.documentElement.scrollHeight <= window.innerHeight + 1");
    assert_eq!(
        fits,
        serde_json::Value::Bool(true),
        "the hall screen scrolls"
    );
    b.screenshot("e5b-hall-board-1920");
    // A screen too short for the lists: each pages through its rows by itself.
    b.set_viewport(1920, 800, false);
    b.goto(&server.url("/bang-cong-khai?man-hinh=1"));
    let shown = |b: &mut Browser| {
        b.eval(
            "Array.from(document.querySelectorAll('table[data-page] tbody tr'))\
             .filter(r => !r.hidden).map(r => r.innerText).join('|')",
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    };
    let total = b
        .eval("document.querySelectorAll('table[data-page] tbody tr').length")
        .as_i64()
        .unwrap_or(0);
    let first = shown(b);
    let visible = first.split('|').filter(|r| !r.is_empty()).count() as i64;
    assert!(
        total > visible,
        "{total} rows, {visible} shown: nothing to page"
    );
    let fits = b.eval("document.documentElement.scrollHeight <= window.innerHeight + 1");
    assert_eq!(
        fits,
        serde_json::Value::Bool(true),
        "the paged screen scrolls"
    );
    assert!(b.body_text().contains("Trang 1/"), "{}", b.body_text());
    b.eval("window.motcuaNextPage()");
    assert_ne!(shown(b), first, "the next page shows other rows");
    assert!(b.body_text().contains("Trang 2/"));
    b.desktop();

    // The citizen's pages and the hall's pages fit a phone.
    b.phone();
    let mut spilled = Vec::new();
    for (path, name) in [
        ("/cong-dan", "e6-phone-my-dossiers"),
        ("/cong-dan/nop/1.000828", "e7-phone-online-filing"),
        ("/bang-cong-khai", "e8-phone-board"),
        ("/lay-so", "e9-phone-kiosk"),
        ("/danh-ba", "e10-phone-directory"),
    ] {
        visit_on_phone(b, server, path, name, &mut spilled);
    }
    b.desktop();
    assert!(
        spilled.is_empty(),
        "citizen pages too wide for a phone:\n{}",
        spilled.join("\n")
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// A result the demo signed: its public page (no login) with the QR, then the original copy
/// uploaded (genuine) and a copy with one byte changed (reported as tampered).
fn verify_signed_result(b: &mut Browser, server: &DemoServer) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let signed = runtime.block_on(async {
        let db = motcua_db::Db::connect(&server.database).await.unwrap();
        let mut found = None;
        for id in 1..=200 {
            if let Some(r) = db
                .files()
                .signed_results_of(id)
                .await
                .unwrap()
                .into_iter()
                .next()
            {
                found = Some(r);
                break;
            }
        }
        db.close().await;
        found.expect("the demo signs a few returned dossiers' results")
    });
    b.desktop();
    b.goto(&server.url(&format!("/xac-thuc/{}", signed.id)));
    assert_eq!(b.text("h1"), "Xác thực kết quả giải quyết");
    let page = b.body_text();
    assert!(
        page.contains("bản gốc đã ký số và không bị thay đổi"),
        "{page}"
    );
    assert!(page.contains(&signed.signer), "{page}");
    assert!(b.exists("figure.qr svg rect"), "a QR code");
    b.screenshot("f1-verify-signed-result");

    let dir = std::env::temp_dir().join(format!(
        "motcua-verify-{}",
        motcua_db::random_token(6).unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let sha = &signed.file_sha256;
    let original = std::fs::read(server.files.join(&sha[..2]).join(&sha[2..])).unwrap();
    let copy = dir.join("ket-qua.pdf");
    std::fs::write(&copy, &original).unwrap();
    b.set_files("input[name=file]", &[&copy]);
    b.click_and_wait("form[action^='/xac-thuc'] button[type=submit]");
    assert!(b.body_text().contains("Đúng bản đã ký, không bị thay đổi"));
    let mut changed = original;
    let middle = changed.len() / 2;
    changed[middle] ^= 1;
    let forged = dir.join("ket-qua-sua.pdf");
    std::fs::write(&forged, &changed).unwrap();
    b.set_files("input[name=file]", &[&forged]);
    b.click_and_wait("form[action^='/xac-thuc'] button[type=submit]");
    let page = b.body_text();
    assert!(
        page.contains("đã bị sửa đổi hoặc không phải tệp đã được ký"),
        "{page}"
    );
    b.screenshot("f2-verify-tampered-copy");
    let _ = std::fs::remove_dir_all(dir);
}

/// The driver's file attachment, as online filing will use it: a file chosen for an
/// `<input type=file>` is what the page sees, and a plain click runs the page's script.
#[test]
fn the_driver_attaches_files_to_a_file_input() {
    let Some(chromium) = chromium_or_skip("browser driver") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!(
        "motcua-upload-{}",
        motcua_db::random_token(6).unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("don-de-nghi.pdf");
    std::fs::write(&file, b"%PDF-1.4\n% test\n").unwrap();
    let mut b = Browser::launch(chromium);
    b.goto(
        "data:text/html;charset=utf-8,<input type=file id=f>\
         <button id=b onclick=\"document.title=document.getElementById('f').files[0].name+':'+document.getElementById('f').files[0].size\">ok</button>",
    );
    b.set_files("#f", &[&file]);
    b.click("#b");
    b.wait_until("document.title.includes(':')", "the button's script");
    assert_eq!(b.eval("document.title"), "don-de-nghi.pdf:16");
    drop(b);
    let _ = std::fs::remove_dir_all(dir);
}
