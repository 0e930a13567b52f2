//! Random secrets (lookup secrets, API tokens) and their stored hashes, and passwords
//! hashed with argon2id (off the async threads).

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

use crate::DbError;

/// Letters and digits that cannot be mistaken for one another when read aloud or printed.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random secret of `len` characters from an unambiguous alphabet.
pub fn random_token(len: usize) -> Result<String, DbError> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes)
        .map_err(|e| DbError::Internal(format!("không lấy được số ngẫu nhiên: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

/// SHA-256 of bytes, hex-encoded (a stored file's name and digest).
pub fn hash_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256 of a token, hex-encoded: what is stored instead of the token.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// A password hashed with argon2id, as stored.
pub(crate) fn hash_password(password: &str) -> Result<String, DbError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| DbError::Internal(format!("không băm được mật khẩu: {e}")))
}

/// Whether `password` is the one `hash` was made from.
pub(crate) fn password_matches(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Runs `f` (hashing, checking a password) on a thread made for blocking work.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, DbError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DbError::Unavailable(format!("tác vụ băm mật khẩu dừng: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token(10).unwrap();
        let b = random_token(10).unwrap();
        assert_eq!(a.len(), 10);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)));
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
