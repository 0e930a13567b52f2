//! Kiểm tra chữ ký — verifying a detached CMS signature over a PDF.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{ObjectIdentifier, OctetStringRef};
use der::{Decode, Encode};
use p256::ecdsa::{DerSignature, VerifyingKey, signature::Verifier};
use sha2::{Digest, Sha256};
use x509_cert::ext::pkix::name::DirectoryString;
use x509_cert::time::Time;

use super::{
    ECDSA_WITH_SHA_256, ID_MESSAGE_DIGEST, ID_SIGNED_DATA, ID_SIGNING_TIME, from_time, hex,
    sign_err,
};
use crate::error::DocsError;
use motcua_domain::calendar::Instant;

/// What the check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureStatus {
    /// Hợp lệ: the PDF is the one signed, and the signature is the certificate key's.
    Valid,
    /// Bị sửa đổi: the PDF differs from the one signed.
    Tampered,
    /// Chữ ký sai: the signed attributes do not verify against the certificate's key.
    BadSignature,
}

/// The result of checking a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub status: SignatureStatus,
    /// The signer's name (the certificate subject's common name).
    pub signer: String,
    /// The signing time it states.
    pub signed_at: Option<Instant>,
    /// SHA-256 of the signer's certificate, to compare with the agency's published one.
    pub certificate_sha256: String,
}

impl Verification {
    pub fn is_valid(&self) -> bool {
        self.status == SignatureStatus::Valid
    }
}

/// sha256WithRSAEncryption, and rsaEncryption (which some signers name with SHA-256 as the
/// digest algorithm).
pub(crate) const SHA_256_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Whether `signature`, by `algorithm`, over `signed` verifies against the certificate's key:
/// ECDSA P-256 with SHA-256, or RSA PKCS #1 v1.5 with SHA-256.
pub(crate) fn signature_holds(
    certificate: &x509_cert::Certificate,
    algorithm: &ObjectIdentifier,
    signed: &[u8],
    signature: &[u8],
) -> bool {
    let spki = certificate.tbs_certificate().subject_public_key_info();
    if *algorithm == ECDSA_WITH_SHA_256 {
        let Ok(key) = VerifyingKey::from_sec1_bytes(spki.subject_public_key.raw_bytes()) else {
            return false;
        };
        return DerSignature::try_from(signature)
            .ok()
            .is_some_and(|sig| key.verify(signed, &sig).is_ok());
    }
    if *algorithm == SHA_256_WITH_RSA || *algorithm == RSA_ENCRYPTION {
        use rsa::pkcs8::DecodePublicKey;
        let Ok(der) = spki.to_der() else {
            return false;
        };
        let Ok(key) = rsa::PublicKey::from_public_key_der(&der) else {
            return false;
        };
        let verifier = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key);
        return rsa::pkcs1v15::Signature::try_from(signature)
            .is_ok_and(|sig| rsa::signature::Verifier::verify(&verifier, signed, &sig).is_ok());
    }
    false
}

/// The certificate subject's common name (its whole subject when it has none).
pub(crate) fn common_name(certificate: &x509_cert::Certificate) -> String {
    let subject = certificate.tbs_certificate().subject();
    subject
        .common_name()
        .ok()
        .flatten()
        .and_then(|cn| match cn {
            DirectoryString::Utf8String(s) => Some(s),
            DirectoryString::PrintableString(s) => Some(s.to_string()),
            _ => None,
        })
        .unwrap_or_else(|| subject.to_string())
}

/// Checks the detached CMS `signature` (DER, as [`super::AgencyKey::sign`] makes) over `pdf`.
/// A signature that cannot be read at all is an error; one that reads but does not match is
/// a [`Verification`] saying so.
pub fn verify(pdf: &[u8], signature: &[u8]) -> Result<Verification, DocsError> {
    verify_digest(signature, &Sha256::digest(pdf))
}

/// Checks the CMS `signature` over content whose SHA-256 is `digest` (a detached `.p7s` over
/// a whole file, or a PDF signature over its byte range).
pub(crate) fn verify_digest(
    signature: &[u8],
    content_digest: &[u8],
) -> Result<Verification, DocsError> {
    let info = ContentInfo::from_der(signature).map_err(|e| sign_err("tệp chữ ký", e))?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(sign_err("tệp chữ ký", "không phải SignedData"));
    }
    let data: SignedData = info
        .content
        .decode_as()
        .map_err(|e| sign_err("SignedData", e))?;
    let signer = data
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or_else(|| sign_err("SignedData", "không có người ký"))?;
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer.sid else {
        return Err(sign_err(
            "SignedData",
            "người ký không ghi theo tổ chức cấp và số hiệu",
        ));
    };
    let certificate = data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .find_map(|choice| match choice {
            CertificateChoices::Certificate(c)
                if c.tbs_certificate().serial_number() == &sid.serial_number
                    && c.tbs_certificate().issuer() == &sid.issuer =>
            {
                Some(c)
            }
            _ => None,
        })
        .ok_or_else(|| sign_err("SignedData", "không có chứng thư của người ký"))?;
    let name = common_name(certificate);
    let fingerprint = hex(&Sha256::digest(
        certificate.to_der().map_err(|e| sign_err("chứng thư", e))?,
    ));
    let attrs = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| sign_err("SignedData", "thiếu thuộc tính được ký"))?;
    let value_of = |oid| {
        attrs
            .iter()
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.iter().next())
    };
    let signed_at = value_of(ID_SIGNING_TIME)
        .and_then(|v| v.decode_as::<Time>().ok())
        .and_then(|t| from_time(&t));
    let digest = value_of(ID_MESSAGE_DIGEST)
        .and_then(|v| {
            v.decode_as::<&OctetStringRef>()
                .ok()
                .map(|o| o.as_bytes().to_vec())
        })
        .ok_or_else(|| sign_err("SignedData", "thiếu giá trị băm"))?;
    let mut verification = Verification {
        status: SignatureStatus::Valid,
        signer: name,
        signed_at,
        certificate_sha256: fingerprint,
    };
    let signed = attrs.to_der().map_err(|e| sign_err("thuộc tính", e))?;
    let good = signature_holds(
        certificate,
        &signer.signature_algorithm.oid,
        &signed,
        signer.signature.as_bytes(),
    );
    if !good {
        verification.status = SignatureStatus::BadSignature;
    } else if content_digest != digest.as_slice() {
        verification.status = SignatureStatus::Tampered;
    }
    Ok(verification)
}
