//! Time-stamped signatures (RFC 3161): OpenSSL's own time-stamping authority (`openssl ts
//! -reply`, with a certificate for time-stamping made here) stamps the signature's value; the
//! token is then found in the signed PDF and checked by `openssl ts -verify`, not by this
//! crate, and `pdfsig` still reports the signature valid over the whole file. A reply that is
//! not for this signature is refused.

use std::process::Command;

use crate::openssl_tsa::{OpensslTsa, openssl};

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::Encode;
use motcua_docs::{
    AgencyKey, DocsError, FormKind, Regime, SignatureText, Templates, Timestamper, form,
    render_with, sample, sign_pdf, verify_pdf,
};
use sha2::{Digest, Sha256};

impl Timestamper for OpensslTsa {
    fn stamp(&self, request: &[u8]) -> Result<Vec<u8>, DocsError> {
        Ok(self.reply(request))
    }
}

fn receipt() -> Vec<u8> {
    let spec = form(Regime::Tt03_2025, FormKind::Receipt).unwrap();
    render_with(&sample::context(), &spec, &Templates::shipped())
        .unwrap()
        .pdf
}

fn key() -> AgencyKey {
    let from = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+07:00").unwrap();
    AgencyKey::generate_demo("Sở Tư pháp", "000.00.03.H56", &[21; 32], from, 5).unwrap()
}

fn text() -> SignatureText {
    SignatureText {
        name: "Sở Tư pháp".into(),
        reason: "Kết quả giải quyết thủ tục hành chính".into(),
        location: "Thanh Hóa".into(),
        stamp: None,
    }
}

/// The CMS SignedData in the signed PDF's `/Contents` (the last signature).
fn signed_data_of(pdf: &[u8]) -> SignedData {
    let text = String::from_utf8_lossy(pdf);
    let at = text.rfind("/Contents <").unwrap() + "/Contents <".len();
    let end = at + text[at..].find('>').unwrap();
    let bytes: Vec<u8> = (at..end)
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect();
    // The hex string is padded with zeros after the DER value: read one value.
    let mut reader = der::SliceReader::new(&bytes).unwrap();
    let info = <ContentInfo as der::Decode>::decode(&mut reader).unwrap();
    info.content.decode_as().unwrap()
}

#[test]
fn a_time_stamped_signature_is_checked_by_openssl_and_pdfsig() {
    let Some(tsa) = OpensslTsa::start("good") else {
        return;
    };
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-24T15:02:03+07:00").unwrap();
    let signed = sign_pdf(&receipt(), &key(), at, &text(), Some(&tsa)).unwrap();
    let found = verify_pdf(&signed).unwrap();
    assert!(found[0].verification.is_valid() && found[0].covers_whole_file);

    // The token sits in the signer's unsigned attributes, over the signature's value.
    let signed_data = signed_data_of(&signed);
    let signer = signed_data.signer_infos.0.get(0).unwrap();
    let attrs = signer.unsigned_attrs.as_ref().expect("unsigned attributes");
    let token = attrs
        .iter()
        .find(|a| a.oid.to_string() == "1.2.840.113549.1.9.16.2.14")
        .expect("signatureTimeStampToken")
        .values
        .get(0)
        .unwrap()
        .to_der()
        .unwrap();
    std::fs::write(tsa.dir.join("token.der"), &token).unwrap();
    // OpenSSL checks the token over the signature's value, and refuses it over another.
    let check = |signed: &[u8]| {
        let imprint: String = Sha256::digest(signed)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let out = openssl(
            &tsa.dir,
            &[
                "ts",
                "-verify",
                "-digest",
                &imprint,
                "-in",
                "token.der",
                "-token_in",
                "-CAfile",
                "tsa.crt",
            ],
        );
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let report = check(signer.signature.as_bytes());
    assert!(report.contains("Verification: OK"), "{report}");
    let report = check(b"another signature");
    assert!(!report.contains("Verification: OK"), "{report}");

    std::fs::write(tsa.dir.join("signed.pdf"), &signed).unwrap();
    match Command::new("pdfsig")
        .arg("signed.pdf")
        .current_dir(&tsa.dir)
        .output()
    {
        Ok(out) => {
            let report = String::from_utf8_lossy(&out.stdout);
            assert!(report.contains("Signature is Valid."), "{report}");
            assert!(report.contains("Total document signed"), "{report}");
        }
        Err(_) => assert!(
            std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "MOTCUA_REQUIRE_TOOLS=1 but pdfsig is not installed"
        ),
    }
    let _ = std::fs::remove_dir_all(&tsa.dir);
}

#[test]
fn a_reply_for_another_signature_is_refused() {
    let Some(mut tsa) = OpensslTsa::start("other") else {
        return;
    };
    // A genuine request, but for other data: its reply is genuine and not ours.
    std::fs::write(tsa.dir.join("other.txt"), b"other data").unwrap();
    let made = openssl(
        &tsa.dir,
        &[
            "ts",
            "-query",
            "-data",
            "other.txt",
            "-sha256",
            "-cert",
            "-out",
            "other.tsq",
        ],
    );
    assert!(made.status.success(), "{made:?}");
    tsa.substitute = Some(std::fs::read(tsa.dir.join("other.tsq")).unwrap());
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-24T15:02:03+07:00").unwrap();
    let e = sign_pdf(&receipt(), &key(), at, &text(), Some(&tsa))
        .unwrap_err()
        .to_string();
    assert!(e.contains("không phải của chữ ký này"), "{e}");
    let _ = std::fs::remove_dir_all(&tsa.dir);
}
