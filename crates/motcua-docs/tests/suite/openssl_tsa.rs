//! OpenSSL's own time-stamping authority (`openssl ts -reply`, RFC 3161) with a key and a
//! certificate for time-stamping made on the spot, for the tests of time-stamped signatures
//! (used here and, through `#[path]`, by the web's tests behind a loopback HTTP server).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// OpenSSL acting as the time-stamping authority, with its key, certificate and settings
/// in `dir`.
pub struct OpensslTsa {
    pub dir: PathBuf,
    /// Stamp this request instead of the one asked (a reply for another signature).
    pub substitute: Option<Vec<u8>>,
}

pub fn openssl(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

impl OpensslTsa {
    /// A fresh authority, or `None` without openssl (required when MOTCUA_REQUIRE_TOOLS=1).
    pub fn start(tag: &str) -> Option<Self> {
        if Command::new("openssl").arg("version").output().is_err() {
            assert!(
                std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
                "MOTCUA_REQUIRE_TOOLS=1 but openssl is not installed"
            );
            eprintln!("skipped: openssl is not installed");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("motcua-tsa-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let made = openssl(
            &dir,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "tsa.key",
                "-out",
                "tsa.crt",
                "-days",
                "30",
                "-subj",
                "/CN=Test TSA",
                "-addext",
                "extendedKeyUsage=critical,timeStamping",
            ],
        );
        assert!(made.status.success(), "{made:?}");
        std::fs::write(dir.join("serial"), "01\n").unwrap();
        std::fs::write(
            dir.join("tsa.cnf"),
            format!(
                "[ tsa ]\ndefault_tsa = here\n[ here ]\ndir = {}\nserial = $dir/serial\n\
                 crypto_device = builtin\nsigner_cert = $dir/tsa.crt\ncerts = $dir/tsa.crt\n\
                 signer_key = $dir/tsa.key\nsigner_digest = sha256\n\
                 default_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\n\
                 ordering = no\ntsa_name = no\ness_cert_id_chain = no\n\
                 ess_cert_id_alg = sha256\n",
                dir.display()
            ),
        )
        .unwrap();
        Some(Self {
            dir,
            substitute: None,
        })
    }
}

impl OpensslTsa {
    /// The authority's reply (a DER TimeStampResp) to a DER TimeStampReq.
    pub fn reply(&self, request: &[u8]) -> Vec<u8> {
        let request = self.substitute.as_deref().unwrap_or(request);
        std::fs::write(self.dir.join("request.tsq"), request).unwrap();
        let out = openssl(
            &self.dir,
            &[
                "ts",
                "-reply",
                "-config",
                "tsa.cnf",
                "-queryfile",
                "request.tsq",
                "-out",
                "reply.tsr",
            ],
        );
        assert!(out.status.success(), "{out:?}");
        std::fs::read(self.dir.join("reply.tsr")).unwrap()
    }
}
