//! `motcua signing-key token` as an administrator runs it, with a key in a SoftHSM2 token:
//! configured by its PKCS #11 URI and certificate after the token signed a test value, refused
//! with a wrong PIN or another key's certificate, and shown with where the key is.

use std::process::Command;

use crate::common::PROVINCE;
use crate::process::temp_url;
use crate::softhsm;

#[test]
fn a_token_key_is_configured_by_its_uri_and_checked_first() {
    let Some(token) = softhsm::token("cli") else {
        return;
    };
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(args)
            .env("MOTCUA_LOG", "error")
            .env("SOFTHSM2_CONF", token.conf())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let url = temp_url();
    let (ok, _, err) = run(&["--database", &url, "seed", "demo", "--dossiers", "5"]);
    assert!(ok, "{err}");
    let certificate = token.certificate().display().to_string();
    let set = |uri: &str, certificate: &str| {
        run(&[
            "--database",
            &url,
            "signing-key",
            "token",
            "--agency",
            PROVINCE,
            "--uri",
            uri,
            "--certificate",
            certificate,
        ])
    };
    let (ok, _, err) = set(&token.uri(&token.wrong_pin_file()), &certificate);
    assert!(!ok);
    assert!(err.contains("PIN"), "{err}");
    let other = token.other_certificate().display().to_string();
    let (ok, _, err) = set(&token.uri(&token.pin_file()), &other);
    assert!(!ok);
    assert!(
        err.contains("không khớp với khóa trong thiết bị ký"),
        "{err}"
    );
    let (ok, _, err) = run(&[
        "--database",
        &url,
        "signing-key",
        "show",
        "--agency",
        PROVINCE,
    ]);
    assert!(!ok, "nothing was stored by the refusals");
    assert!(err.contains("chưa có khóa ký"), "{err}");

    let uri = token.uri(&token.pin_file());
    let (ok, out, err) = set(&uri, &certificate);
    assert!(ok, "{err}");
    assert!(out.contains("khóa trong thiết bị ký"), "{out}");
    assert!(out.contains(softhsm::SIGNER), "{out}");
    let (ok, out, err) = run(&[
        "--database",
        &url,
        "signing-key",
        "show",
        "--agency",
        PROVINCE,
    ]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("thiết bị ký {uri}")), "{out}");

    // A leader's personal token, and the agency choosing to sign with the signer's own
    // certificate; a choice other than the two is refused by name.
    let (ok, out, err) = run(&[
        "--database",
        &url,
        "signing-key",
        "token",
        "--staff",
        "ld.ubndtinh",
        "--uri",
        &uri,
        "--certificate",
        &certificate,
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("Đỗ Trọng Khang"), "{out}");
    let (ok, _, err) = run(&[
        "--database",
        &url,
        "signing-key",
        "choose",
        "--agency",
        PROVINCE,
        "--with",
        "leader",
    ]);
    assert!(!ok);
    assert!(err.contains("agency") && err.contains("person"), "{err}");
    let (ok, out, err) = run(&[
        "--database",
        &url,
        "signing-key",
        "choose",
        "--agency",
        PROVINCE,
        "--with",
        "person",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("chứng thư số cá nhân"), "{out}");
    let (ok, out, err) = run(&[
        "--database",
        &url,
        "signing-key",
        "show",
        "--agency",
        PROVINCE,
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("ký bằng: Chứng thư số cá nhân của người ký"),
        "{out}"
    );
    let (ok, out, err) = run(&[
        "--database",
        &url,
        "signing-key",
        "show",
        "--staff",
        "ld.ubndtinh",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("thiết bị ký {uri}")), "{out}");
    let (ok, _, err) = run(&[
        "--database",
        &url,
        "signing-key",
        "show",
        "--staff",
        "khong.co.ai",
    ]);
    assert!(!ok);
    assert!(err.contains("không có cán bộ"), "{err}");
}
