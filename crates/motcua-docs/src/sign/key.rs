//! Khóa của cơ quan — an agency's signing key with its self-signed demo certificate, and the
//! detached CMS signature it makes over a PDF.

use std::str::FromStr;

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use p256::ecdsa::{DerSignature, SigningKey, signature::Signer};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};
use x509_cert::time::Validity;

use super::timestamp::{self, Timestamper};
use super::token::{KeyKind, TokenKey};
use super::{
    ECDSA_WITH_SHA_256, ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SHA_256, ID_SIGNED_DATA,
    ID_SIGNING_TIME, sign_err, to_time,
};
use crate::error::DocsError;
use motcua_domain::calendar::Instant;

fn e(what: &'static str) -> impl Fn(der::Error) -> DocsError {
    move |err| sign_err(what, err)
}

/// id-aa-signingCertificateV2 (RFC 5035).
const ID_SIGNING_CERTIFICATE_V2: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

fn attribute(oid: der::asn1::ObjectIdentifier, value: Any) -> Result<Attribute, DocsError> {
    let values = SetOfVec::try_from(vec![value]).map_err(e("thuộc tính"))?;
    Ok(Attribute { oid, values })
}

/// The content-type attribute: data.
fn content_type_data() -> Result<Attribute, DocsError> {
    attribute(
        ID_CONTENT_TYPE,
        Any::encode_from(&ID_DATA).map_err(e("thuộc tính"))?,
    )
}

fn message_digest(digest: &[u8]) -> Result<Attribute, DocsError> {
    let digest = OctetString::new(digest.to_vec()).map_err(e("băm"))?;
    attribute(
        ID_MESSAGE_DIGEST,
        Any::encode_from(&digest).map_err(e("băm"))?,
    )
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }` with one
/// `ESSCertIDv2 ::= SEQUENCE { certHash OCTET STRING }` (SHA-256, the default algorithm,
/// left out as DER requires).
fn signing_certificate_v2(hash: &[u8]) -> Vec<u8> {
    use super::timestamp::tlv;
    tlv(0x30, &tlv(0x30, &tlv(0x30, &tlv(0x04, hash))))
}

/// A self-signed end-entity certificate: issuer = subject, not a CA, for signing only.
struct SelfSigned {
    subject: Name,
}

impl BuilderProfile for SelfSigned {
    fn get_issuer(&self, subject: &Name) -> Name {
        subject.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut extensions = Vec::new();
        let subject = tbs.subject();
        extensions.push(
            BasicConstraints {
                ca: false,
                path_len_constraint: None,
            }
            .to_extension(subject, &extensions)?,
        );
        let usage = KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation);
        extensions.push(usage.to_extension(subject, &extensions)?);
        Ok(extensions)
    }
}

/// The kind of key a certificate holds, and the signature algorithm it signs with.
fn kind_of(certificate: &Certificate) -> Result<(KeyKind, der::asn1::ObjectIdentifier), DocsError> {
    const EC_PUBLIC_KEY: der::asn1::ObjectIdentifier =
        der::asn1::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
    const RSA: der::asn1::ObjectIdentifier =
        der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
    let algorithm = certificate
        .tbs_certificate()
        .subject_public_key_info()
        .algorithm
        .oid;
    if algorithm == EC_PUBLIC_KEY {
        Ok((KeyKind::Ec, ECDSA_WITH_SHA_256))
    } else if algorithm == RSA {
        Ok((KeyKind::Rsa, super::verify::SHA_256_WITH_RSA))
    } else {
        Err(sign_err(
            "chứng thư",
            format!("khóa loại {algorithm} chưa được hỗ trợ (cần P-256 hoặc RSA)"),
        ))
    }
}

/// Where the private key is: in memory (a key file, the demo's secret), or in a token.
pub(super) enum KeyHolder {
    Software(SigningKey),
    Token(TokenKey),
}

/// Chữ ký số của cơ quan — an agency's key (P-256 in memory; P-256 or RSA in a token) and its
/// certificate.
pub struct AgencyKey {
    pub(super) key: KeyHolder,
    pub(super) certificate: Certificate,
}

impl std::fmt::Debug for AgencyKey {
    // Never print the private key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgencyKey")
            .field(
                "subject",
                &self.certificate.tbs_certificate().subject().to_string(),
            )
            .finish_non_exhaustive()
    }
}

/// Escapes a value for an RFC 4514 name string.
fn rdn_value(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=') {
            out.push('\\');
        }
        out.push(c);
    }
    out.trim().to_string()
}

impl AgencyKey {
    /// Makes a key from `secret` (32 random bytes the caller draws, e.g. with `getrandom`;
    /// keep them to load the key again) and a self-signed demo certificate for the agency
    /// `name` with identifier `code`, valid from `valid_from` for `years` years.
    pub fn generate_demo(
        name: &str,
        code: &str,
        secret: &[u8; 32],
        valid_from: Instant,
        years: u32,
    ) -> Result<Self, DocsError> {
        let key = SigningKey::from_slice(secret).map_err(|e| sign_err("khóa bí mật", e))?;
        let subject = format!(
            "CN={},OU={},O=motcua demo,C=VN",
            rdn_value(&motcua_domain::text::nfc(name)),
            rdn_value(code)
        );
        let subject = Name::from_str(&subject).map_err(|e| sign_err("tên cơ quan", e))?;
        let spki = SubjectPublicKeyInfo::from_key(key.verifying_key())
            .map_err(|e| sign_err("khóa công khai", e))?;
        // A serial from the public key: positive, unique per key, stable for the same secret.
        let point = key.verifying_key().to_sec1_point(false);
        let digest = Sha256::digest(point.as_bytes());
        let mut serial = [0u8; 16];
        serial.copy_from_slice(&digest[..16]);
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        let serial = SerialNumber::new(&serial).map_err(|e| sign_err("số hiệu", e))?;
        let until = valid_from
            .checked_add_months(chrono::Months::new(12 * years.max(1)))
            .ok_or_else(|| sign_err("thời hạn", "quá xa"))?;
        let validity = Validity::new(to_time(valid_from)?, to_time(until)?);
        let builder = CertificateBuilder::new(SelfSigned { subject }, serial, validity, spki)
            .map_err(|e| sign_err("chứng thư", e))?;
        let certificate = builder
            .build::<_, DerSignature>(&key)
            .map_err(|e| sign_err("chứng thư", e))?;
        Ok(Self {
            key: KeyHolder::Software(key),
            certificate,
        })
    }

    /// Loads a key saved with [`AgencyKey::secret`] and [`AgencyKey::certificate_der`].
    pub fn from_parts(secret: &[u8; 32], certificate_der: &[u8]) -> Result<Self, DocsError> {
        let key = SigningKey::from_slice(secret).map_err(|e| sign_err("khóa bí mật", e))?;
        let certificate =
            Certificate::from_der(certificate_der).map_err(|e| sign_err("chứng thư", e))?;
        let spki = SubjectPublicKeyInfo::from_key(key.verifying_key())
            .map_err(|e| sign_err("khóa công khai", e))?;
        if certificate.tbs_certificate().subject_public_key_info() != &spki {
            return Err(sign_err("chứng thư", "không khớp với khóa bí mật"));
        }
        Ok(Self {
            key: KeyHolder::Software(key),
            certificate,
        })
    }

    /// A key held in a PKCS #11 token or HSM, named by its URI (RFC 7512, see
    /// [`TokenKey::parse`]), with the certificate issued for it (PEM or DER). The token is
    /// asked to sign a test value now, which must verify against the certificate's key: a
    /// wrong PIN, a missing key or a certificate of another key is refused here.
    pub fn from_token(uri: &str, certificate: &[u8]) -> Result<Self, DocsError> {
        let token = TokenKey::parse(uri)?;
        let certificate = Certificate::from_der(&super::load::der_of(certificate, "CERTIFICATE")?)
            .map_err(|e| sign_err("chứng thư", e))?;
        let (kind, algorithm) = kind_of(&certificate)?;
        let probe = b"motcua: kiem tra khoa trong thiet bi ky";
        let signature = token.sign(probe, kind)?;
        if !super::verify::signature_holds(&certificate, &algorithm, probe, &signature) {
            return Err(sign_err(
                "chứng thư",
                "không khớp với khóa trong thiết bị ký",
            ));
        }
        Ok(Self {
            key: KeyHolder::Token(token),
            certificate,
        })
    }

    /// The 32 secret bytes of a key held in memory (store them encrypted; never log them);
    /// none for a key in a token, which never leaves it.
    pub fn secret(&self) -> Option<[u8; 32]> {
        match &self.key {
            KeyHolder::Software(key) => {
                let mut out = [0u8; 32];
                out.copy_from_slice(&key.to_bytes());
                Some(out)
            }
            KeyHolder::Token(_) => None,
        }
    }

    /// The certificate, DER-encoded (a `.cer` file).
    pub fn certificate_der(&self) -> Result<Vec<u8>, DocsError> {
        self.certificate
            .to_der()
            .map_err(|e| sign_err("chứng thư", e))
    }

    /// SHA-256 of the certificate, in hex: what a verifier compares.
    pub fn certificate_sha256(&self) -> Result<String, DocsError> {
        Ok(super::hex(&Sha256::digest(self.certificate_der()?)))
    }

    /// Signs `pdf` at `at`: a detached CMS SignedData (DER, a `.p7s` file) with the
    /// certificate, and the signed attributes content type, signing time and message digest.
    pub fn sign(&self, pdf: &[u8], at: Instant) -> Result<Vec<u8>, DocsError> {
        let digest = Sha256::digest(pdf);
        self.signed_data(
            vec![
                content_type_data()?,
                attribute(
                    ID_SIGNING_TIME,
                    Any::encode_from(&to_time(at)?).map_err(e("thời điểm"))?,
                )?,
                message_digest(&digest)?,
            ],
            None,
        )
    }

    /// The CMS SignedData of a PDF signature (PAdES baseline B, `ETSI.CAdES.detached`) over
    /// the SHA-256 `digest` of the signed byte range: the signed attributes content type,
    /// message digest and the signing certificate (ESS, v2), and no signing time (the PDF's
    /// `/M` states it). With `tsa`, the signature value is time-stamped (RFC 3161) and the
    /// token kept as the signer's unsigned attribute (PAdES baseline T).
    pub fn sign_pades(
        &self,
        digest: &[u8],
        tsa: Option<&dyn Timestamper>,
    ) -> Result<Vec<u8>, DocsError> {
        let certificate_hash = Sha256::digest(self.certificate_der()?);
        self.signed_data(
            vec![
                content_type_data()?,
                message_digest(digest)?,
                attribute(
                    ID_SIGNING_CERTIFICATE_V2,
                    Any::from_der(&signing_certificate_v2(&certificate_hash))
                        .map_err(e("chứng thư ký"))?,
                )?,
            ],
            tsa,
        )
    }

    /// A detached SignedData whose signer signs `attributes`.
    fn signed_data(
        &self,
        attributes: Vec<Attribute>,
        tsa: Option<&dyn Timestamper>,
    ) -> Result<Vec<u8>, DocsError> {
        let sha256 = AlgorithmIdentifierOwned {
            oid: ID_SHA_256,
            parameters: None,
        };
        let signed_attrs = SetOfVec::try_from(attributes).map_err(e("thuộc tính"))?;
        // RFC 5652 §5.4: the signature covers the DER of the attributes as a SET OF.
        let to_sign = signed_attrs.to_der().map_err(e("thuộc tính"))?;
        let (signature, algorithm) = match &self.key {
            KeyHolder::Software(key) => {
                let signature: DerSignature = key.sign(&to_sign);
                (signature.as_bytes().to_vec(), ECDSA_WITH_SHA_256)
            }
            KeyHolder::Token(token) => {
                let (kind, algorithm) = kind_of(&self.certificate)?;
                (token.sign(&to_sign, kind)?, algorithm)
            }
        };
        let unsigned_attrs = match tsa {
            Some(tsa) => {
                let nonce = timestamp::nonce_for(&signature);
                let reply = tsa.stamp(&timestamp::request(&signature, &nonce))?;
                let token = timestamp::token_from(&reply, &signature, &nonce)?;
                let value = Any::from_der(&token).map_err(e("dấu thời gian"))?;
                let attr = attribute(timestamp::ID_SIGNATURE_TIME_STAMP_TOKEN, value)?;
                Some(SetOfVec::try_from(vec![attr]).map_err(e("dấu thời gian"))?)
            }
            None => None,
        };
        // RSA algorithm identifiers carry explicit NULL parameters (RFC 4055).
        let parameters = (algorithm != ECDSA_WITH_SHA_256).then(Any::null);
        let tbs = self.certificate.tbs_certificate();
        let signer = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: tbs.issuer().clone(),
                serial_number: tbs.serial_number().clone(),
            }),
            digest_alg: sha256.clone(),
            signed_attrs: Some(signed_attrs),
            signature_algorithm: AlgorithmIdentifierOwned {
                oid: algorithm,
                parameters,
            },
            signature: OctetString::new(signature).map_err(e("chữ ký"))?,
            unsigned_attrs,
        };
        let certificates = SetOfVec::try_from(vec![CertificateChoices::Certificate(
            self.certificate.clone(),
        )])
        .map_err(e("chứng thư"))?;
        let signed_data = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![sha256]).map_err(e("thuật toán"))?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: ID_DATA,
                econtent: None,
            },
            certificates: Some(CertificateSet(certificates)),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer]).map_err(e("chữ ký"))?),
        };
        ContentInfo {
            content_type: ID_SIGNED_DATA,
            content: Any::encode_from(&signed_data).map_err(e("SignedData"))?,
        }
        .to_der()
        .map_err(e("SignedData"))
    }
}
