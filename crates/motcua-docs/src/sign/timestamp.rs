//! Dấu thời gian — an RFC 3161 time-stamp token over a signature's value, from a
//! time-stamping authority (TSA), kept in the signer's unsigned attributes
//! (`id-aa-signatureTimeStampToken`, RFC 3161 appendix A; PAdES baseline T). The request and
//! the checks on the reply are here; the exchange itself (an HTTP POST of
//! `application/timestamp-query`) is the caller's, through [`Timestamper`].

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::ObjectIdentifier;
use der::{Decode, Reader, SliceReader, Tag};
use sha2::{Digest, Sha256};

use super::sign_err;
use crate::error::DocsError;

/// id-aa-signatureTimeStampToken (RFC 3161 appendix A).
pub(crate) const ID_SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
/// id-ct-TSTInfo: what a time-stamp token's SignedData holds.
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

/// A time-stamping authority: takes a DER `TimeStampReq`, answers the DER `TimeStampResp`.
pub trait Timestamper {
    fn stamp(&self, request: &[u8]) -> Result<Vec<u8>, DocsError>;
}

/// One DER TLV: `tag`, the definite length of `content`, then `content`.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if let Ok(short) = u8::try_from(len)
        && short < 0x80
    {
        out.push(short);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | u8::try_from(bytes.len()).unwrap_or(0));
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A positive DER INTEGER of `value`'s big-endian bytes.
fn integer(value: &[u8]) -> Vec<u8> {
    let mut bytes: Vec<u8> = value.iter().copied().skip_while(|b| *b == 0).collect();
    if bytes.first().is_none_or(|b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    tlv(0x02, &bytes)
}

/// `MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }`
/// with SHA-256 (its parameters absent).
fn message_imprint(hash: &[u8]) -> Vec<u8> {
    let oid = tlv(0x06, super::ID_SHA_256.as_bytes());
    let mut content = tlv(0x30, &oid);
    content.extend(tlv(0x04, hash));
    tlv(0x30, &content)
}

/// The request for a token over `signature` (the signer's signature value): version 1, the
/// SHA-256 imprint, `nonce`, and the TSA's certificate asked for (`certReq`), so the token can
/// be checked on its own.
pub(crate) fn request(signature: &[u8], nonce: &[u8]) -> Vec<u8> {
    let mut content = integer(&[1]);
    content.extend(message_imprint(&Sha256::digest(signature)));
    content.extend(integer(nonce));
    content.extend(tlv(0x01, &[0xff]));
    tlv(0x30, &content)
}

/// A nonce for a request over `signature`: eight bytes of the signature's hash, which differ
/// from one signature to the next (a signature value never repeats).
pub(crate) fn nonce_for(signature: &[u8]) -> Vec<u8> {
    let hash = Sha256::digest([b"nonce".as_slice(), signature].concat());
    hash[..8].to_vec()
}

fn bad(what: impl std::fmt::Display) -> DocsError {
    sign_err("máy chủ dấu thời gian trả lời không hợp lệ", what)
}

/// Reads one TLV from `reader`: its tag and content.
fn next<'a>(reader: &mut SliceReader<'a>) -> Result<(Tag, &'a [u8]), DocsError> {
    let header = der::Header::decode(reader).map_err(bad)?;
    let content = reader.read_slice(header.length()).map_err(bad)?;
    Ok((header.tag(), content))
}

/// The unsigned integer in an INTEGER's content (or in raw bytes), without leading zeros.
fn unsigned(content: &[u8]) -> &[u8] {
    let mut at = 0;
    while at + 1 < content.len() && content[at] == 0 {
        at += 1;
    }
    &content[at..]
}

/// Checks the TSA's reply to [`request`] and returns its token (a DER ContentInfo): the
/// status granted, the token a SignedData of a TSTInfo, its imprint the SHA-256 of
/// `signature` and its nonce `nonce`. A refusal names the TSA's status.
pub(crate) fn token_from(
    response: &[u8],
    signature: &[u8],
    nonce: &[u8],
) -> Result<Vec<u8>, DocsError> {
    // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }
    let mut outer = SliceReader::new(response).map_err(bad)?;
    let (tag, body) = next(&mut outer)?;
    if tag != Tag::Sequence {
        return Err(bad("không phải TimeStampResp"));
    }
    let mut body = SliceReader::new(body).map_err(bad)?;
    let (tag, status_info) = next(&mut body)?;
    if tag != Tag::Sequence {
        return Err(bad("thiếu PKIStatusInfo"));
    }
    let mut status_reader = SliceReader::new(status_info).map_err(bad)?;
    let (tag, status) = next(&mut status_reader)?;
    if tag != Tag::Integer {
        return Err(bad("thiếu trạng thái"));
    }
    // 0 granted, 1 granted with modifications; anything else is a refusal.
    if !matches!(unsigned(status), [0] | [1]) {
        return Err(DocsError::Signature(format!(
            "máy chủ dấu thời gian từ chối yêu cầu (trạng thái {})",
            unsigned(status).first().copied().unwrap_or(0)
        )));
    }
    if body.is_finished() {
        return Err(bad("không có dấu thời gian"));
    }
    let rest = body.remaining_len();
    let token = body.read_slice(rest).map_err(bad)?;
    let info = ContentInfo::from_der(token).map_err(bad)?;
    let signed: SignedData = info.content.decode_as().map_err(bad)?;
    if signed.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err(bad("nội dung không phải TSTInfo"));
    }
    let tst = signed
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or_else(|| bad("TSTInfo trống"))?;
    let tst: der::asn1::OctetString = tst.decode_as().map_err(bad)?;
    // TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime,
    //   accuracy OPTIONAL, ordering DEFAULT FALSE, nonce OPTIONAL, tsa [0] OPTIONAL, … }
    let mut reader = SliceReader::new(tst.as_bytes()).map_err(bad)?;
    let (tag, fields) = next(&mut reader)?;
    if tag != Tag::Sequence {
        return Err(bad("TSTInfo không phải SEQUENCE"));
    }
    let mut fields = SliceReader::new(fields).map_err(bad)?;
    let _version = next(&mut fields)?;
    let _policy = next(&mut fields)?;
    let (_, imprint) = next(&mut fields)?;
    if tlv(0x30, imprint) != message_imprint(&Sha256::digest(signature)) {
        return Err(bad("dấu thời gian không phải của chữ ký này"));
    }
    let _serial = next(&mut fields)?;
    let (tag, _) = next(&mut fields)?;
    if tag != Tag::GeneralizedTime {
        return Err(bad("thiếu thời điểm"));
    }
    // After the time: accuracy (a SEQUENCE), ordering (a BOOLEAN), then the nonce.
    let mut found = None;
    while !fields.is_finished() {
        let (tag, content) = next(&mut fields)?;
        if tag == Tag::Integer {
            found = Some(content);
            break;
        }
    }
    match found {
        Some(n) if unsigned(n) == unsigned(nonce) => Ok(token.to_vec()),
        _ => Err(bad("số dùng một lần (nonce) không khớp")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_der_of_rfc_3161() {
        let req = request(b"signature", &[0x80, 1, 2, 3, 4, 5, 6, 7]);
        // SEQUENCE { INTEGER 1, SEQUENCE { SEQUENCE { OID sha256 }, OCTET STRING (32) },
        //   INTEGER nonce (a leading zero keeps it positive), BOOLEAN TRUE }
        assert_eq!(req[0], 0x30);
        assert_eq!(&req[2..5], &[0x02, 0x01, 0x01]);
        let nonce_at = req.len() - 3 - 11;
        assert_eq!(&req[nonce_at..nonce_at + 3], &[0x02, 0x09, 0x00]);
        assert_eq!(&req[req.len() - 3..], &[0x01, 0x01, 0xff]);
        assert_eq!(usize::from(req[1]), req.len() - 2);
    }

    #[test]
    fn a_refusal_or_garbage_is_an_error_not_a_token() {
        // TimeStampResp { status { 2 (rejection) } }
        let refused = tlv(0x30, &tlv(0x30, &integer(&[2])));
        let e = token_from(&refused, b"sig", &[1]).unwrap_err().to_string();
        assert!(e.contains("từ chối"), "{e}");
        for garbage in [
            &b""[..],
            b"\x30\x80",
            b"\x04\x01\x00",
            b"\x30\x03\x30\x01\x02",
        ] {
            assert!(token_from(garbage, b"sig", &[1]).is_err());
        }
        let granted_without_token = tlv(0x30, &tlv(0x30, &integer(&[0])));
        assert!(token_from(&granted_without_token, b"sig", &[1]).is_err());
    }
}
