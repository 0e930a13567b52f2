//! The support desk in chromium: a visitor asks a public question about a procedure from its
//! page, the department's specialist finds it on the support queue with its light and answers
//! it, the unit leader approves, and the answer shows on the public Q&A (found without
//! diacritics) and on the procedure's page; the pages fit a phone.

use crate::e2e::cdp::{Browser, chromium_or_skip};
use crate::e2e::server::{DemoServer, PASSWORD};

fn sign_in(b: &mut Browser, server: &DemoServer, username: &str) {
    b.goto(&server.url("/can-bo"));
    if b.exists("form[action='/can-bo/dang-xuat'] button") {
        b.click_and_wait("form[action='/can-bo/dang-xuat'] button");
    }
    b.goto(&server.url("/can-bo/dang-nhap"));
    b.fill("#username", username);
    b.fill("#password", PASSWORD);
    b.click_and_wait("form.lookup button[type=submit]");
    assert!(b.url().ends_with("/can-bo"), "{username}: {}", b.url());
}

#[test]
fn a_question_goes_from_a_citizen_to_a_published_answer_in_chromium() {
    let Some(chromium) =
        chromium_or_skip("a_question_goes_from_a_citizen_to_a_published_answer_in_chromium")
    else {
        return;
    };
    let server = DemoServer::start(20);
    let mut b = Browser::launch(chromium);

    // From the procedure's page to the form, the procedure already chosen.
    b.goto(&server.url("/thu-tuc/1.000828"));
    assert!(b.exists("#qa"), "the procedure's page has no Q&A section");
    b.click_and_wait("#qa a[href^='/hoi-dap/gui']");
    assert_eq!(
        b.eval("document.querySelector('#procedure').value"),
        serde_json::json!("1.000828")
    );
    b.fill("#title", "Hỏi thời gian tập sự hành nghề luật sư");
    b.fill(
        "#content",
        "Tôi đã tốt nghiệp đào tạo nghề luật sư. Xin hỏi thời gian tập sự là bao lâu?",
    );
    b.fill("#name", "Phạm Thu Hằng");
    b.fill("#phone", "0912777888");
    b.screenshot("q1-ask");
    b.click_and_wait("form.lookup button[type=submit]");
    let code = b.text("#sent-code");
    assert!(code.starts_with("HD-"), "{}", b.body_text());

    // The specialist of the Department of Justice takes it in hand and answers.
    sign_in(&mut b, &server, "cv.tuphap");
    b.goto(&server.url("/can-bo/ho-tro"));
    let rows = b.texts("#cases tbody tr");
    let row = rows.iter().find(|r| r.contains(&code)).cloned();
    let row = row.unwrap_or_else(|| panic!("{code} not on the queue: {rows:?}"));
    assert!(
        row.contains("Còn hạn") || row.contains("Sắp đến hạn"),
        "{row}"
    );
    b.screenshot("q2-support-queue");
    // Open ours by its code.
    let href = b.eval(&format!(
        "Array.from(document.querySelectorAll('a')).find(a => a.textContent === '{code}')?.href ?? location.href"
    ));
    b.goto(href.as_str().unwrap());
    if b.exists("#act-accept") {
        b.click_and_wait("#act-accept button[type=submit]");
    }
    b.fill(
        "#answer-text",
        "Thời gian tập sự hành nghề luật sư là 12 tháng, tại một tổ chức hành nghề luật sư.",
    );
    b.click_and_wait("#act-answer button[type=submit]");
    assert!(
        b.text("#state").contains("Chờ lãnh đạo duyệt"),
        "{}",
        b.body_text()
    );
    let case_url = b.url();

    // Not public before the leader approves.
    b.goto(&server.url("/hoi-dap?q=tap+su"));
    assert!(!b.body_text().contains("12 tháng"));

    sign_in(&mut b, &server, "tp.tuphap");
    b.goto(&case_url);
    b.screenshot("q3-approve");
    b.click_and_wait("#act-approve button[type=submit]");
    assert!(b.text("#state").contains("công khai"), "{}", b.body_text());

    // Public, found without diacritics, and on the procedure's page.
    b.goto(&server.url("/hoi-dap?q=thoi+gian+tap+su"));
    let answers = b.text("#answers");
    assert!(answers.contains("12 tháng"), "{answers}");
    assert!(
        !answers.contains("0912777888"),
        "a phone number is published"
    );
    b.screenshot("q4-published");
    b.goto(&server.url("/thu-tuc/1.000828"));
    assert!(b.text("#qa").contains("Hỏi thời gian tập sự"));

    b.phone();
    b.goto(&server.url("/hoi-dap"));
    assert_eq!(
        b.horizontal_overflow(),
        None,
        "the Q&A page scrolls sideways"
    );
    b.goto(&server.url("/hoi-dap/gui"));
    assert_eq!(b.horizontal_overflow(), None, "the form scrolls sideways");
    b.screenshot("q5-ask-phone");
}
