//! Signing through a PKCS #11 token: SoftHSM2 (Debian's `softhsm2`) holds a P-256 key that
//! `openssl` made and `softhsm2-util` imported; the signature the token makes inside a PDF is
//! valid for poppler's `pdfsig`, and a wrong PIN or a certificate of another key is refused.
//!
//! SoftHSM2 reads its configuration from `SOFTHSM2_CONF` when it starts, so the signing runs
//! in a child run of this test program with that variable set, on a token folder of its own.

use std::path::PathBuf;
use std::process::Command;

use crate::softhsm;
use chrono::DateTime;
use motcua_docs::{
    AgencyKey, FormKind, Regime, SignatureText, Templates, form, render_with, sample, sign_pdf,
    verify_pdf,
};

/// Set for the child run: the folder of the token set up by the parent.
const CHILD: &str = "MOTCUA_TEST_TOKEN_DIR";

#[test]
fn a_pdf_signed_through_softhsm2_is_valid_for_pdfsig() {
    signed_through(softhsm::token("docs-ec"));
}

#[test]
fn an_rsa_key_in_a_token_signs_too() {
    signed_through(softhsm::rsa_token("docs-rsa"));
}

/// Signs a form through `token` in a child run, then checks the result with this crate and
/// with pdfsig.
fn signed_through(token: Option<softhsm::Token>) {
    let Some(token) = token else {
        return;
    };
    std::fs::write(token.dir.join("module"), token.module.display().to_string()).unwrap();
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "token::child_signs_through_the_token",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("SOFTHSM2_CONF", token.conf())
        .env(CHILD, &token.dir)
        .output()
        .unwrap();
    assert!(
        child.status.success() && String::from_utf8_lossy(&child.stdout).contains("1 passed"),
        "{}\n{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
    let signed = std::fs::read(token.dir.join("signed.pdf")).unwrap();
    let found = verify_pdf(&signed).unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].verification.is_valid() && found[0].covers_whole_file);
    assert_eq!(found[0].verification.signer, softhsm::SIGNER);
    let out = Command::new("pdfsig")
        .arg(token.dir.join("signed.pdf"))
        .output();
    match out {
        Ok(out) => {
            let report = String::from_utf8_lossy(&out.stdout);
            assert!(report.contains("Signature is Valid."), "{report}");
            assert!(report.contains("Total document signed"), "{report}");
            assert!(report.contains(softhsm::SIGNER), "{report}");
        }
        Err(_) => assert!(softhsm::require("pdfsig")),
    }
}

/// The child run: signs through the token set up by the test above (ignored otherwise).
#[test]
#[ignore = "run by the tests above, with the token they set up"]
fn child_signs_through_the_token() {
    let Some(dir) = std::env::var_os(CHILD).map(PathBuf::from) else {
        return;
    };
    let token = softhsm::Token {
        module: PathBuf::from(std::fs::read_to_string(dir.join("module")).unwrap()),
        dir,
    };
    let certificate = std::fs::read(token.certificate()).unwrap();
    let uri = token.uri(&token.pin_file());
    let refused =
        AgencyKey::from_token(&token.uri(&token.wrong_pin_file()), &certificate).unwrap_err();
    assert!(refused.to_string().contains("PIN"), "{refused}");
    let other = std::fs::read(token.other_certificate()).unwrap();
    let refused = AgencyKey::from_token(&uri, &other).unwrap_err();
    assert!(refused.to_string().contains("không khớp"), "{refused}");

    let key = AgencyKey::from_token(&uri, &certificate).unwrap();
    assert_eq!(key.secret(), None, "the key never leaves the token");
    let spec = form(Regime::Tt03_2025, FormKind::Receipt).unwrap();
    let pdf = render_with(&sample::context(), &spec, &Templates::shipped())
        .unwrap()
        .pdf;
    let at = DateTime::parse_from_rfc3339("2026-11-24T15:02:03+07:00").unwrap();
    let text = SignatureText {
        name: key.signer_name(),
        reason: "Kết quả giải quyết hồ sơ".into(),
        location: "Sở Tư pháp".into(),
        stamp: Some(motcua_docs::Stamp {
            lines: vec![format!("Ký bởi: {}", key.signer_name())],
            link: None,
            top: None,
        }),
    };
    let signed = sign_pdf(&pdf, &key, at, &text, None).unwrap();
    std::fs::write(token.dir.join("signed.pdf"), signed).unwrap();
    // The parent removes the folder.
    std::mem::forget(token);
}
