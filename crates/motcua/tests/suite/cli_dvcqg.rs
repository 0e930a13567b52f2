//! `motcua dvcqg resync` and the portal flags as an operator meets them: a bad date, no
//! choice or no match is named; a resync marks the dossiers; half a portal configuration
//! names the flags still missing.

use crate::process::{motcua, temp_url};

#[test]
fn resync_marks_dossiers_and_names_what_is_wrong() {
    let url = temp_url();
    let (ok, _, err) = motcua(&["--database", &url, "seed", "demo", "--dossiers", "5"]);
    assert!(ok, "{err}");
    let resync = |extra: &[&str]| {
        let mut args = vec!["--database", url.as_str(), "dvcqg", "resync"];
        args.extend_from_slice(extra);
        motcua(&args)
    };
    let (ok, _, err) = resync(&[]);
    assert!(!ok);
    assert!(err.contains("cần --from"), "{err}");
    let (ok, _, err) = resync(&["--from", "2026-13-01"]);
    assert!(!ok);
    assert!(err.contains("không đúng dạng năm-tháng-ngày"), "{err}");
    let (ok, _, err) = resync(&["--code", "000.00.00.H56-000000-9999"]);
    assert!(!ok);
    assert!(err.contains("không có hồ sơ nào khớp"), "{err}");
    let (ok, out, err) = resync(&["--from", "2000-01-01"]);
    assert!(ok, "{err}");
    assert!(out.contains("Đã đánh dấu"), "{out}");
    assert!(!out.contains("Đã đánh dấu 0 "), "{out}");
}

#[test]
fn half_a_portal_configuration_is_refused_by_name() {
    let url = temp_url();
    let (ok, _, err) = motcua(&["--database", &url, "migrate"]);
    assert!(ok, "{err}");
    let (ok, _, err) = motcua(&[
        "--database",
        &url,
        "worker",
        "--dvcqg-sync-url",
        "http://127.0.0.1:9/them-moi",
    ]);
    assert!(!ok);
    assert!(
        err.contains("--dvcqg-update-url") && err.contains("--dvcqg-history-url"),
        "{err}"
    );
}
