//! Con dấu nhật ký — a bare key that seals short texts (the audit chain's checkpoints):
//! ECDSA P-256 with SHA-256, the signature in DER, as `openssl dgst -sha256 -sign` makes it
//! and `openssl dgst -sha256 -verify` checks it. The private key is a PKCS #8 file kept off
//! the database; whoever checks needs only the public key (SubjectPublicKeyInfo, PEM or DER).

use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use sha2::{Digest, Sha256};

use super::load::der_of;
use super::sign_err;
use crate::error::DocsError;

/// A sealing key, loaded from its private key file.
pub struct SealKey {
    key: SigningKey,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealKey").finish_non_exhaustive()
    }
}

impl SealKey {
    /// Loads a private key file's bytes (PKCS #8, PEM or DER, P-256).
    pub fn from_file_bytes(bytes: &[u8]) -> Result<Self, DocsError> {
        let key = SigningKey::from_pkcs8_der(&der_of(bytes, "PRIVATE KEY")?)
            .map_err(|e| sign_err("khóa bí mật (PKCS #8, P-256)", e))?;
        Ok(Self { key })
    }

    /// The DER signature of `message`.
    pub fn seal(&self, message: &[u8]) -> Vec<u8> {
        let signature: DerSignature = self.key.sign(message);
        signature.as_bytes().to_vec()
    }

    /// The public key as SubjectPublicKeyInfo DER.
    pub fn public_key_der(&self) -> Result<Vec<u8>, DocsError> {
        Ok(self
            .key
            .verifying_key()
            .to_public_key_der()
            .map_err(|e| sign_err("khóa công khai", e))?
            .as_bytes()
            .to_vec())
    }
}

/// The SHA-256 of a public key's DER, hex: how a checkpoint names the key that sealed it.
pub fn key_fingerprint(public_key_der: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(public_key_der))
}

/// A public key from a file's bytes: a public key (PEM `PUBLIC KEY` or DER), or a private
/// key file, whose public half is taken.
pub fn public_key_der_of(bytes: &[u8]) -> Result<Vec<u8>, DocsError> {
    let is_private = std::str::from_utf8(bytes).is_ok_and(|t| t.contains("PRIVATE KEY"));
    if is_private {
        return SealKey::from_file_bytes(bytes)?.public_key_der();
    }
    let der = der_of(bytes, "PUBLIC KEY")?;
    VerifyingKey::from_public_key_der(&der).map_err(|e| sign_err("khóa công khai (P-256)", e))?;
    Ok(der)
}

/// Whether `signature` (DER) seals `message` under the public key `public_key_der`.
pub fn seal_holds(public_key_der: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = VerifyingKey::from_public_key_der(public_key_der) else {
        return false;
    };
    let Ok(signature) = DerSignature::try_from(signature) else {
        return false;
    };
    key.verify(message, &signature).is_ok()
}
