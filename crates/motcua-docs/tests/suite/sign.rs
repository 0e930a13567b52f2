//! Signed results: a detached CMS signature over a rendered PDF verifies, a changed PDF is
//! reported tampered, and OpenSSL (when installed) accepts the signature.

use std::process::Command;

use chrono::DateTime;
use motcua_docs::{
    AgencyKey, FormKind, Regime, SignatureStatus, Templates, form, render_with, sample, verify,
};

const AGENCY: &str = "Trung tâm Phục vụ hành chính công phường Hạc Thành";

fn key(seed: u8) -> AgencyKey {
    let from = DateTime::parse_from_rfc3339("2026-01-01T00:00:00+07:00").unwrap();
    AgencyKey::generate_demo(AGENCY, "000.00.11.H56", &[seed; 32], from, 5).unwrap()
}

fn receipt() -> Vec<u8> {
    let spec = form(Regime::Tt03_2025, FormKind::Receipt).unwrap();
    render_with(&sample::context(), &spec, &Templates::shipped())
        .unwrap()
        .pdf
}

fn signed_at() -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T15:02:03+07:00").unwrap()
}

#[test]
fn a_signed_pdf_verifies_with_its_signer_and_time() {
    let key = key(7);
    let pdf = receipt();
    let signature = key.sign(&pdf, signed_at()).unwrap();
    let checked = verify(&pdf, &signature).unwrap();
    assert_eq!(checked.status, SignatureStatus::Valid);
    assert!(checked.is_valid());
    assert_eq!(checked.signer, AGENCY);
    assert_eq!(checked.signed_at, Some(signed_at()));
    assert_eq!(
        checked.certificate_sha256,
        key.certificate_sha256().unwrap()
    );
}

#[test]
fn a_changed_pdf_is_reported_tampered() {
    let key = key(7);
    let pdf = receipt();
    let signature = key.sign(&pdf, signed_at()).unwrap();
    let mut changed = pdf.clone();
    let middle = changed.len() / 2;
    changed[middle] ^= 0x01;
    assert_eq!(
        verify(&changed, &signature).unwrap().status,
        SignatureStatus::Tampered
    );
    let mut longer = pdf.clone();
    longer.extend_from_slice(b"\n% appended\n");
    assert_eq!(
        verify(&longer, &signature).unwrap().status,
        SignatureStatus::Tampered
    );
}

#[test]
fn a_forged_signature_is_refused() {
    let pdf = receipt();
    let signature = key(7).sign(&pdf, signed_at()).unwrap();
    // Flip a bit near the end, inside the ECDSA signature value.
    let mut forged = signature.clone();
    let at = forged.len() - 5;
    forged[at] ^= 0x01;
    match verify(&pdf, &forged) {
        Ok(v) => assert_eq!(v.status, SignatureStatus::BadSignature),
        Err(e) => assert!(e.to_string().starts_with("chữ ký số"), "{e}"),
    }
    assert!(verify(&pdf, b"not a signature").is_err());
}

#[test]
fn keys_are_stable_and_reload_from_their_parts() {
    let a = key(7);
    let b = key(7);
    assert_eq!(a.certificate_der().unwrap(), b.certificate_der().unwrap());
    assert_ne!(
        a.certificate_sha256().unwrap(),
        key(8).certificate_sha256().unwrap()
    );
    let again = AgencyKey::from_parts(&a.secret().unwrap(), &a.certificate_der().unwrap()).unwrap();
    let pdf = receipt();
    assert!(
        verify(&pdf, &again.sign(&pdf, signed_at()).unwrap())
            .unwrap()
            .is_valid()
    );
    assert!(AgencyKey::from_parts(&[8; 32], &a.certificate_der().unwrap()).is_err());
    assert!(!format!("{a:?}").contains(&format!("{:?}", a.secret().unwrap())));
}

#[test]
fn openssl_reads_and_verifies_the_signature() {
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("skipped: openssl is not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("motcua-docs-sign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = key(9);
    let pdf = receipt();
    let signature = key.sign(&pdf, signed_at()).unwrap();
    std::fs::write(dir.join("ket-qua.pdf"), &pdf).unwrap();
    std::fs::write(dir.join("ket-qua.pdf.p7s"), &signature).unwrap();
    let mut changed = pdf.clone();
    changed[100] ^= 0x20;
    std::fs::write(dir.join("sua.pdf"), &changed).unwrap();
    let run = |args: &[&str]| {
        Command::new("openssl")
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let parsed = run(&["asn1parse", "-inform", "DER", "-in", "ket-qua.pdf.p7s"]);
    assert!(parsed.status.success(), "{parsed:?}");
    let dump = String::from_utf8_lossy(&parsed.stdout);
    assert!(
        dump.contains("pkcs7-signedData") && dump.contains("ecdsa-with-SHA256"),
        "{dump}"
    );
    let cms = |content: &str| {
        run(&[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "ket-qua.pdf.p7s",
            "-content",
            content,
            "-noverify",
            "-out",
            "/dev/null",
        ])
    };
    let good = cms("ket-qua.pdf");
    assert!(
        good.status.success(),
        "openssl refused a good signature: {good:?}"
    );
    let bad = cms("sua.pdf");
    assert!(!bad.status.success(), "openssl accepted a changed PDF");
    std::fs::remove_dir_all(&dir).ok();
}
