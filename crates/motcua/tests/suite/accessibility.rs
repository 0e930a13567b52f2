//! Accessibility as an automated checker sees it: axe-core (the npm package, run inside
//! headless chromium) on the key public, citizen and staff pages of the demo province finds
//! no critical or serious violation. Without chromium or axe-core the test says it was
//! skipped; with MOTCUA_REQUIRE_BROWSER=1 and MOTCUA_REQUIRE_TOOLS=1 it must run.

use crate::e2e::cdp::{Browser, chromium_or_skip};
use crate::e2e::server::{DemoServer, PASSWORD};

/// axe-core's script: `MOTCUA_AXE_JS`, or `target/axe/node_modules/axe-core/axe.min.js`
/// (where `.ci/run` installs it).
fn axe_script() -> Option<String> {
    let path = std::env::var_os("MOTCUA_AXE_JS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/axe/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(script) => Some(script),
        Err(_) => {
            assert!(
                std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
                "MOTCUA_REQUIRE_TOOLS=1 but axe-core is not at {}",
                path.display()
            );
            eprintln!("axe-core missing (npm install axe-core): accessibility test SKIPPED");
            None
        }
    }
}

/// The critical and serious violations axe finds on the page now, one line each.
fn violations(b: &mut Browser, axe: &str) -> Vec<String> {
    if b.eval("typeof window.axe === 'undefined'").as_bool() == Some(true) {
        b.eval(&format!("{axe}\ntrue"));
    }
    let found = b.eval(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
            .filter(v => v.impact === 'critical' || v.impact === 'serious')
            .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' +
                 v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
    );
    found
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn key_pages_have_no_serious_accessibility_violation() {
    let Some(chromium) = chromium_or_skip("accessibility") else {
        return;
    };
    let Some(axe) = axe_script() else {
        return;
    };
    let server = DemoServer::start(30);
    let mut b = Browser::launch(chromium);
    let mut found = Vec::new();
    let mut check = |b: &mut Browser, path: &str| {
        b.goto(&server.url(path));
        for v in violations(b, &axe) {
            found.push(format!("{path}: {v}"));
        }
    };
    for path in [
        "/",
        "/thu-tuc",
        "/thu-tuc/1.000828",
        "/tra-cuu",
        "/bang-cong-khai",
        "/ket-qua",
        "/ket-qua?so-sanh=000.00.03.H56&so-sanh=000.00.12.H56",
        "/danh-ba",
        "/lay-so",
        "/cong-dan/dang-nhap",
        "/cong-dan/dang-ky",
        "/can-bo/dang-nhap",
    ] {
        check(&mut b, path);
    }
    b.goto(&server.url("/can-bo/dang-nhap"));
    b.fill("#username", "tn.trungtam1");
    b.fill("#password", PASSWORD);
    b.click_and_wait("form.lookup button[type=submit]");
    // A dossier to open: from the counter's first tab that lists one (which tab has one
    // depends on the hour the demo was made).
    const FIRST: &str = "(document.querySelector('table a[href^=\"/can-bo/ho-so/\"]') || {}).getAttribute ? document.querySelector('table a[href^=\"/can-bo/ho-so/\"]').getAttribute('href') : ''";
    let tabs = b.eval("Array.from(document.querySelectorAll('nav.tabs a, .tabs a')).map(a => a.getAttribute('href')).join('\\n')");
    let tabs: Vec<String> = tabs
        .as_str()
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    let mut first = b.eval(FIRST);
    for tab in &tabs {
        if first.as_str().is_some_and(|p| !p.is_empty()) {
            break;
        }
        b.goto(&server.url(tab));
        first = b.eval(FIRST);
    }
    let landed = b.eval("location.href + ' — ' + document.body.innerText.slice(0, 600)");
    for path in [
        "/can-bo",
        "/can-bo/tiep-nhan",
        "/can-bo/thong-ke",
        "/can-bo/doi-mat-khau",
        "/can-bo/canh-bao",
    ] {
        check(&mut b, path);
    }
    let dossier = first.as_str().filter(|p| !p.is_empty()).unwrap_or_else(|| {
        panic!("the counter's queue lists a dossier to open: {first} ({landed})")
    });
    check(&mut b, dossier);
    assert!(
        found.is_empty(),
        "accessibility violations:\n{}",
        found.join("\n")
    );
}
