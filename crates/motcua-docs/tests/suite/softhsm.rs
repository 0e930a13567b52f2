//! A SoftHSM2 token (Debian's `softhsm2`) in a folder of its own, set up with the tools an
//! administrator uses: `openssl` makes a P-256 key and its certificate, `softhsm2-util`
//! imports the key into the token. Shared by the tests that sign through a PKCS #11 token.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The signer named in the token key's certificate.
pub const SIGNER: &str = "Nguyễn Văn Bình — Giám đốc Sở Tư pháp";

/// Whether `tool` is installed; with MOTCUA_REQUIRE_TOOLS=1 a missing one fails the test.
pub fn require(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "MOTCUA_REQUIRE_TOOLS=1 but {tool} is not installed"
        );
        eprintln!("skipped: {tool} is not installed");
    }
    found
}

/// A token set up in `dir`.
pub struct Token {
    pub dir: PathBuf,
    pub module: PathBuf,
}

impl Token {
    /// The configuration SoftHSM2 must be started with (`SOFTHSM2_CONF`).
    pub fn conf(&self) -> PathBuf {
        self.dir.join("softhsm2.conf")
    }

    /// The key's URI, its PIN read from `pin_file`.
    pub fn uri(&self, pin_file: &Path) -> String {
        format!(
            "pkcs11:token=motcua;object=ky-so;id=%01?module-path={}&pin-source=file:{}",
            self.module.display(),
            pin_file.display()
        )
    }

    pub fn pin_file(&self) -> PathBuf {
        self.dir.join("pin")
    }

    pub fn wrong_pin_file(&self) -> PathBuf {
        self.dir.join("wrong-pin")
    }

    /// The certificate of the key in the token (PEM).
    pub fn certificate(&self) -> PathBuf {
        self.dir.join("cert.pem")
    }

    /// A certificate of another key.
    pub fn other_certificate(&self) -> PathBuf {
        self.dir.join("other-cert.pem")
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(dir: &Path, program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("SOFTHSM2_CONF", dir.join("softhsm2.conf"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{program} {args:?}: {out:?}");
}

/// A fresh token named `motcua` holding a P-256 key `ky-so` (id 01, PIN 246810), in a new
/// folder tagged `tag`; `None` when the tools are not installed.
pub fn token(tag: &str) -> Option<Token> {
    token_of(
        tag,
        &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
    )
}

/// The same with an RSA key of 2,048 bits (what most Vietnamese CAs issue on tokens).
pub fn rsa_token(tag: &str) -> Option<Token> {
    token_of(tag, &["-newkey", "rsa:2048"])
}

fn token_of(tag: &str, new_key: &[&str]) -> Option<Token> {
    if !require("softhsm2-util") || !require("openssl") {
        return None;
    }
    let module = [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
    .expect("softhsm2-util is installed but not libsofthsm2.so");
    let dir = std::env::temp_dir().join(format!("motcua-token-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    std::fs::write(
        dir.join("softhsm2.conf"),
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            dir.join("tokens").display()
        ),
    )
    .unwrap();
    let subject = format!("/CN={SIGNER}/O=motcua test/C=VN");
    for (key, cert, subject) in [
        ("key.pem", "cert.pem", subject.as_str()),
        ("other.pem", "other-cert.pem", "/CN=khac"),
    ] {
        let mut args = vec!["req", "-x509"];
        args.extend_from_slice(new_key);
        args.extend_from_slice(&[
            "-nodes", "-keyout", key, "-out", cert, "-days", "365", "-utf8", "-subj", subject,
        ]);
        run(&dir, "openssl", &args);
    }
    run(
        &dir,
        "softhsm2-util",
        &[
            "--init-token",
            "--free",
            "--label",
            "motcua",
            "--pin",
            "246810",
            "--so-pin",
            "135790",
        ],
    );
    run(
        &dir,
        "softhsm2-util",
        &[
            "--import", "key.pem", "--token", "motcua", "--label", "ky-so", "--id", "01", "--pin",
            "246810",
        ],
    );
    // The key now lives in the token only.
    std::fs::remove_file(dir.join("key.pem")).unwrap();
    std::fs::write(dir.join("pin"), "246810\n").unwrap();
    std::fs::write(dir.join("wrong-pin"), "111111\n").unwrap();
    Some(Token { dir, module })
}
