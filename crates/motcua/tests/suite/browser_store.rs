//! The citizen's data store in chromium: the demo citizen (whose identity counts as vouched
//! for) files online with a file per document, finds them in their store, hides one, files
//! again reusing the others from the filing page's choices, and reads who used what in
//! their access log; the store page fits a phone.

use crate::e2e::cdp::{Browser, chromium_or_skip};
use crate::e2e::server::{DemoServer, PASSWORD};

#[test]
fn a_citizen_keeps_hides_and_reuses_papers_in_chromium() {
    let Some(chromium) = chromium_or_skip("a_citizen_keeps_hides_and_reuses_papers_in_chromium")
    else {
        return;
    };
    let server = DemoServer::start(20);
    let dir = std::env::temp_dir().join(format!(
        "motcua-store-{}",
        motcua_db::random_token(6).unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("van-ban.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n% van ban cua cong dan\n").unwrap();
    let png = dir.join("anh-the.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n anh the").unwrap();

    let mut b = Browser::launch(chromium);
    b.goto(&server.url("/cong-dan/dang-nhap"));
    b.fill("#identifier", motcua::demo::DEMO_CITIZEN_PHONE);
    b.fill("#password", PASSWORD);
    b.click_and_wait("form.lookup button[type=submit]");

    // Filed for themself (their vouched number is filled in), a file per document.
    b.goto(&server.url("/cong-dan/nop/1.000828"));
    assert_eq!(
        b.eval("document.querySelector('input[name=id_number]').value"),
        serde_json::json!(motcua::demo::DEMO_CITIZEN_ID)
    );
    b.select("select[name=agency]", "000.01.01.H56");
    b.set_files("#file_tp-01", &[&pdf]);
    b.set_files("#file_tp-02", &[&pdf]);
    b.set_files("#file_tp-03", &[&pdf]);
    b.set_files("#file_tp-04", &[&png]);
    b.click_and_wait("#filing button[type=submit]");
    assert!(b.body_text().contains("Đã nộp hồ sơ"), "{}", b.body_text());
    let first = b.text("h1.code");

    // In the store: four papers from that dossier; the certificate of practice (tp-04)
    // hidden from reuse.
    b.goto(&server.url("/cong-dan/kho-du-lieu"));
    let rows = b.texts("#documents tbody tr");
    let from_first = rows.iter().filter(|r| r.contains(&first)).count();
    assert_eq!(from_first, 4, "{rows:?}");
    b.screenshot("s1-data-store");
    let photo = b.eval(
        "Array.from(document.querySelectorAll('#documents tbody tr')).find(r => r.textContent.includes('tập sự'))?.id ?? ''",
    );
    let photo = photo.as_str().unwrap().to_string();
    assert!(
        photo.starts_with("doc-"),
        "no row for the certificate of practice"
    );
    b.click_and_wait(&format!("#{photo} form button[type=submit]"));
    assert!(
        b.eval(&format!(
            "document.getElementById('{photo}').classList.contains('muted')"
        )) == serde_json::json!(true),
        "the hidden paper is not marked"
    );
    assert!(b.text("#access-log").contains("Ẩn khỏi việc dùng lại"));

    // Filing again: the three others are offered, the hidden one is not; reused, with a new
    // file for tp-04.
    b.goto(&server.url("/cong-dan/nop/1.000828"));
    for code in ["tp-01", "tp-02", "tp-03"] {
        assert!(b.exists(&format!("#reuse_{code}")), "no choice for {code}");
        b.eval(&format!(
            "(() => {{ const s = document.getElementById('reuse_{code}'); s.value = s.options[1].value; return true; }})()"
        ));
    }
    assert!(!b.exists("#reuse_tp-04"), "a hidden paper is offered");
    b.screenshot("s2-filing-with-reuse");
    b.select("select[name=agency]", "000.01.01.H56");
    b.set_files("#file_tp-04", &[&png]);
    b.click_and_wait("#filing button[type=submit]");
    assert!(b.body_text().contains("Đã nộp hồ sơ"), "{}", b.body_text());
    let second = b.text("h1.code");
    assert_ne!(second, first);

    // The log says which papers the new dossier took.
    b.goto(&server.url("/cong-dan/kho-du-lieu"));
    let log = b.texts("#access-log tbody tr");
    let reused = log
        .iter()
        .filter(|r| r.contains("Dùng lại cho hồ sơ") && r.contains(&second))
        .count();
    assert_eq!(reused, 3, "{log:?}");
    // Searched without diacritics.
    b.goto(&server.url("/cong-dan/kho-du-lieu?q=bang+cu+nhan"));
    let found = b.texts("#documents tbody tr");
    assert!(
        !found.is_empty() && found.iter().all(|r| r.contains("Bằng cử nhân")),
        "{found:?}"
    );

    b.phone();
    b.goto(&server.url("/cong-dan/kho-du-lieu"));
    assert_eq!(
        b.horizontal_overflow(),
        None,
        "the store page scrolls sideways on a phone"
    );
    b.screenshot("s3-data-store-phone");
    let _ = std::fs::remove_dir_all(&dir);
}
