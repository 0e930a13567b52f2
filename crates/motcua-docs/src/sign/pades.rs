//! Chữ ký trong tệp PDF (PAdES) — a signature placed inside the PDF itself, as PDF readers
//! show it (PDF 32000-1 §12.8, ETSI EN 319 142-1 baseline B): an incremental update adds a
//! signature field whose value holds a CMS SignedData (`ETSI.CAdES.detached`, with the
//! signing certificate attribute) over every byte of the file but the signature itself.
//! The original bytes are kept as they were, so earlier signatures stay valid.

use sha2::{Digest, Sha256};

use super::AgencyKey;
use super::file::{PdfFile, decode, find_last};
use super::object::{Dict, Lexer, Obj, bad};
use super::stamp::{HEIGHT, Stamp, WIDTH};
use super::verify::{SignatureStatus, Verification, verify_digest};
use crate::error::DocsError;
use motcua_domain::calendar::{Instant, vietnam_offset};

/// Bytes kept for the CMS signature (written in hexadecimal, so twice as many digits).
const SIGNATURE_ROOM: usize = 20 * 1024;

/// What the signature says about itself, besides the certificate.
#[derive(Debug, Clone, Default)]
pub struct SignatureText {
    /// The signer's name, as readers show it.
    pub name: String,
    /// Why it was signed ("Phê duyệt kết quả giải quyết thủ tục hành chính").
    pub reason: String,
    /// Where ("Trung tâm Phục vụ hành chính công tỉnh …").
    pub location: String,
    /// The visible stamp, placed in the bottom margin of the last page, on the right;
    /// without one the signature is invisible (on the first page).
    pub stamp: Option<Stamp>,
}

/// One object the update writes: its number, generation and content (and its stream's
/// data, as stored).
struct Written {
    number: u32,
    generation: u16,
    obj: Obj,
    data: Option<Vec<u8>>,
}

impl Written {
    fn new(number: u32, generation: u16, obj: Obj) -> Self {
        Self {
            number,
            generation,
            obj,
            data: None,
        }
    }
}

/// Whether `pdf` can take a signature inside it: its structure reads, it is not
/// encrypted, and it has a first page to hold the signature field. The reason when not.
pub fn signable_inside(pdf: &[u8]) -> Result<(), DocsError> {
    let file = PdfFile::read(pdf)?;
    let (_, catalog) = catalog_of(&file)?;
    page_of(&file, &catalog, false).map(|_| ())
}

/// The document catalog's object number and generation, and the catalog itself.
fn catalog_of(file: &PdfFile<'_>) -> Result<((u32, u16), Dict), DocsError> {
    let Some(Obj::Ref(n, g)) = file.trailer.get("Root") else {
        return Err(bad("trailer thiếu /Root"));
    };
    let Obj::Dict(catalog) = file.object(*n)? else {
        return Err(bad("/Root không phải từ điển"));
    };
    Ok(((*n, *g), catalog))
}

/// Signs `pdf` with `key` at `at`: the same bytes, followed by an incremental update that
/// adds a signature field and its signature: invisible on the first page, or, with a stamp,
/// shown in the bottom margin of the last page. With `tsa`, the signature carries an RFC 3161
/// time-stamp token from that authority.
pub fn sign_pdf(
    pdf: &[u8],
    key: &AgencyKey,
    at: Instant,
    text: &SignatureText,
    tsa: Option<&dyn super::Timestamper>,
) -> Result<Vec<u8>, DocsError> {
    let file = PdfFile::read(pdf)?;
    let (root_ref, mut catalog) = catalog_of(&file)?;
    let (page_number, page_generation) = page_of(&file, &catalog, text.stamp.is_some())?;
    let Obj::Dict(mut page) = file.object(page_number)? else {
        return Err(bad("trang không phải từ điển"));
    };
    let size = file.size();
    let sig_number = size;
    let widget_number = size + 1;
    let mut next = size + 2;
    let mut written = Vec::new();

    // The signature field is a widget of that page, listed in the form's fields.
    let mut fields_count = 0;
    match catalog.get("AcroForm").cloned() {
        Some(Obj::Ref(n, g)) => {
            let Obj::Dict(mut form) = file.object(n)? else {
                return Err(bad("/AcroForm không phải từ điển"));
            };
            fields_count = add_to_array(&file, &mut form, "Fields", widget_number, &mut written)?;
            form.set("SigFlags", Obj::Int(3));
            written.push(Written::new(n, g, Obj::Dict(form)));
        }
        Some(Obj::Dict(mut form)) => {
            fields_count = add_to_array(&file, &mut form, "Fields", widget_number, &mut written)?;
            form.set("SigFlags", Obj::Int(3));
            catalog.set("AcroForm", Obj::Dict(form));
        }
        _ => {
            let mut form = Dict::default();
            form.set("Fields", Obj::Array(vec![Obj::Ref(widget_number, 0)]));
            form.set("SigFlags", Obj::Int(3));
            catalog.set("AcroForm", Obj::Dict(form));
        }
    }
    add_to_array(&file, &mut page, "Annots", widget_number, &mut written)?;
    written.push(Written::new(root_ref.0, root_ref.1, Obj::Dict(catalog)));
    written.push(Written::new(page_number, page_generation, Obj::Dict(page)));
    let mut widget = Dict::default();
    widget.set("Type", Obj::name("Annot"));
    widget.set("Subtype", Obj::name("Widget"));
    widget.set("FT", Obj::name("Sig"));
    widget.set("T", Obj::text(&format!("Chu ky so {}", fields_count + 1)));
    widget.set("V", Obj::Ref(sig_number, 0));
    widget.set("P", Obj::Ref(page_number, page_generation));
    match &text.stamp {
        Some(stamp) => {
            // On the right, under the content when the form says where that ends, else in
            // the bottom margin of the page.
            let [_, y0, x1, y1] = media_box(&file, page_number)?;
            let x = x1 - 28.0 - WIDTH;
            let y = match stamp.top {
                Some(top) => (y1 - top - HEIGHT).max(y0 + 8.0),
                None => y0 + 8.0,
            };
            let rect = [x, y, x + WIDTH, y + HEIGHT];
            widget.set(
                "Rect",
                Obj::Array(
                    rect.iter()
                        .map(|v| Obj::Real(format!("{v:.2}").into_bytes()))
                        .collect(),
                ),
            );
            let look = super::stamp::page(stamp, at.date_naive())?;
            let appearance = import_page(&look, &mut next, &mut written)?;
            let mut ap = Dict::default();
            ap.set("N", Obj::Ref(appearance, 0));
            widget.set("AP", Obj::Dict(ap));
        }
        None => widget.set(
            "Rect",
            Obj::Array(vec![Obj::Int(0), Obj::Int(0), Obj::Int(0), Obj::Int(0)]),
        ),
    }
    // Printed and locked (PDF 32000-1 §12.5.3).
    widget.set("F", Obj::Int(132));
    written.push(Written::new(widget_number, 0, Obj::Dict(widget)));
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, u16, usize)> = Vec::new();
    for w in &written {
        offsets.push((w.number, w.generation, out.len()));
        write_object(&mut out, w);
    }
    // The signature value, its byte range and contents left as placeholders.
    offsets.push((sig_number, 0, out.len()));
    out.extend_from_slice(format!("{sig_number} 0 obj\n").as_bytes());
    out.extend_from_slice(
        b"<</Type /Sig/Filter /Adobe.PPKLite/SubFilter /ETSI.CAdES.detached/ByteRange ",
    );
    let range_at = out.len();
    out.extend_from_slice(RANGE_PLACEHOLDER.as_bytes());
    out.extend_from_slice(b"/Contents ");
    let contents_at = out.len();
    out.push(b'<');
    out.resize(out.len() + 2 * SIGNATURE_ROOM, b'0');
    out.push(b'>');
    let contents_end = out.len();
    let mut rest = Dict::default();
    rest.set("M", Obj::Str(pdf_date(at).into_bytes()));
    for (key, value) in [
        ("Name", &text.name),
        ("Reason", &text.reason),
        ("Location", &text.location),
    ] {
        if !value.trim().is_empty() {
            rest.set(key, Obj::text(value.trim()));
        }
    }
    for (k, v) in &rest.0 {
        out.push(b'/');
        out.extend_from_slice(k);
        out.push(b' ');
        v.write(&mut out);
    }
    out.extend_from_slice(b">>\nendobj\n");

    // The signature, its widget and its appearance are new; so is the cross-reference
    // stream, if any.
    let new_size = if file.xref_stream { next + 1 } else { next };
    write_xref(&mut out, &file, &mut offsets, new_size)?;

    // The byte range: everything but the contents' hexadecimal string.
    let range = [0, contents_at, contents_end, out.len() - contents_end];
    let text_range = format!("[{} {} {} {}]", range[0], range[1], range[2], range[3]);
    if text_range.len() > RANGE_PLACEHOLDER.len() {
        return Err(bad("tệp quá lớn để ghi phạm vi chữ ký"));
    }
    let padded = format!("{text_range:<width$}", width = RANGE_PLACEHOLDER.len());
    out[range_at..range_at + padded.len()].copy_from_slice(padded.as_bytes());
    let mut hasher = Sha256::new();
    hasher.update(&out[..contents_at]);
    hasher.update(&out[contents_end..]);
    let digest = hasher.finalize();
    let cms = key.sign_pades(&digest, tsa)?;
    if cms.len() > SIGNATURE_ROOM {
        return Err(bad("chữ ký lớn hơn chỗ dành cho nó"));
    }
    let hex = super::hex(&cms).to_uppercase();
    out[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}

/// Room for `[0 a b c]` with three numbers of up to 12 digits.
const RANGE_PLACEHOLDER: &str = "[0 000000000000 000000000000 000000000000]";

fn write_object(out: &mut Vec<u8>, w: &Written) {
    out.extend_from_slice(format!("{} {} obj\n", w.number, w.generation).as_bytes());
    w.obj.write(out);
    if let Some(data) = &w.data {
        out.extend_from_slice(b"\nstream\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream");
    }
    out.extend_from_slice(b"\nendobj\n");
}

/// Copies the first page of `pdf` into the update as a form XObject (its content, and every
/// object its resources reach, renumbered from `next`); the form's object number.
fn import_page(pdf: &[u8], next: &mut u32, written: &mut Vec<Written>) -> Result<u32, DocsError> {
    let file = PdfFile::read(pdf)?;
    let (_, catalog) = catalog_of(&file)?;
    let (page_number, _) = page_of(&file, &catalog, false)?;
    let Obj::Dict(page) = file.object(page_number)? else {
        return Err(bad("trang dấu hỏng"));
    };
    let mut numbers = std::collections::HashMap::new();
    let resources = match page.get("Resources") {
        Some(r) => copy(&file, r, next, &mut numbers, written, 0)?,
        None => Obj::Dict(Dict::default()),
    };
    // The page's content, in one stream as stored when it is one, else joined decoded.
    let (filter, data) = match page.get("Contents") {
        Some(Obj::Ref(n, _)) => match file.object_with_data(*n)? {
            (Obj::Dict(d), Some(data)) => (d, data),
            _ => return Err(bad("nội dung trang dấu hỏng")),
        },
        Some(Obj::Array(parts)) => {
            let mut joined = Vec::new();
            for part in parts {
                let Obj::Ref(n, _) = part else {
                    return Err(bad("nội dung trang dấu hỏng"));
                };
                let (Obj::Dict(d), Some(data)) = file.object_with_data(*n)? else {
                    return Err(bad("nội dung trang dấu hỏng"));
                };
                joined.extend_from_slice(&decode(&d, &data)?);
                joined.push(b'\n');
            }
            (Dict::default(), joined)
        }
        _ => (Dict::default(), Vec::new()),
    };
    let mut form = Dict::default();
    form.set("Type", Obj::name("XObject"));
    form.set("Subtype", Obj::name("Form"));
    form.set(
        "BBox",
        Obj::Array(vec![
            Obj::Int(0),
            Obj::Int(0),
            Obj::Real(format!("{WIDTH:.2}").into_bytes()),
            Obj::Real(format!("{HEIGHT:.2}").into_bytes()),
        ]),
    );
    form.set("Resources", resources);
    for key in ["Filter", "DecodeParms"] {
        if let Some(v) = filter.get(key) {
            form.set(key, v.clone());
        }
    }
    form.set("Length", Obj::Int(data.len() as i64));
    let number = *next;
    *next += 1;
    written.push(Written {
        number,
        generation: 0,
        obj: Obj::Dict(form),
        data: Some(data),
    });
    Ok(number)
}

/// `obj` with every object it refers to copied into the update under a new number (once
/// each: `numbers` maps old numbers to new).
fn copy(
    file: &PdfFile<'_>,
    obj: &Obj,
    next: &mut u32,
    numbers: &mut std::collections::HashMap<u32, u32>,
    written: &mut Vec<Written>,
    depth: u8,
) -> Result<Obj, DocsError> {
    if depth > 32 {
        return Err(bad("đối tượng của trang dấu lồng quá sâu"));
    }
    Ok(match obj {
        Obj::Ref(n, _) => {
            if let Some(new) = numbers.get(n) {
                return Ok(Obj::Ref(*new, 0));
            }
            let new = *next;
            *next += 1;
            numbers.insert(*n, new);
            let (inner, data) = file.object_with_data(*n)?;
            let obj = copy(file, &inner, next, numbers, written, depth + 1)?;
            written.push(Written {
                number: new,
                generation: 0,
                obj,
                data,
            });
            Obj::Ref(new, 0)
        }
        Obj::Array(items) => Obj::Array(
            items
                .iter()
                .map(|i| copy(file, i, next, numbers, written, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Obj::Dict(d) => {
            let mut out = Dict::default();
            for (k, v) in &d.0 {
                out.0
                    .push((k.clone(), copy(file, v, next, numbers, written, depth + 1)?));
            }
            Obj::Dict(out)
        }
        other => other.clone(),
    })
}

/// A page's media box (inherited from the page tree when the page has none), as numbers.
fn media_box(file: &PdfFile<'_>, page: u32) -> Result<[f32; 4], DocsError> {
    let mut node = page;
    for _ in 0..64 {
        let Obj::Dict(dict) = file.object(node)? else {
            break;
        };
        if let Some(found) = dict.get("MediaBox") {
            if let Obj::Array(items) = file.resolve(found)? {
                let numbers: Vec<f32> = items.iter().filter_map(number).collect();
                if let [a, b, c, d] = numbers[..] {
                    return Ok([a.min(c), b.min(d), a.max(c), b.max(d)]);
                }
            }
            break;
        }
        match dict.get("Parent") {
            Some(Obj::Ref(n, _)) => node = *n,
            _ => break,
        }
    }
    // A4, when the file does not say.
    Ok([0.0, 0.0, 595.0, 842.0])
}

fn number(obj: &Obj) -> Option<f32> {
    match obj {
        Obj::Int(v) => Some(*v as f32),
        Obj::Real(text) => std::str::from_utf8(text).ok()?.parse().ok(),
        _ => None,
    }
}

/// Adds a reference to `number` to the array `key` of `dict` (made when missing; an array
/// kept as an object of its own is rewritten as such); how many items it had before.
fn add_to_array(
    file: &PdfFile<'_>,
    dict: &mut Dict,
    key: &str,
    number: u32,
    written: &mut Vec<Written>,
) -> Result<usize, DocsError> {
    match dict.get(key).cloned() {
        Some(Obj::Ref(n, g)) => {
            let Obj::Array(mut items) = file.object(n)? else {
                return Err(bad(format!("/{key} không phải mảng")));
            };
            let before = items.len();
            items.push(Obj::Ref(number, 0));
            written.push(Written::new(n, g, Obj::Array(items)));
            Ok(before)
        }
        Some(Obj::Array(mut items)) => {
            let before = items.len();
            items.push(Obj::Ref(number, 0));
            dict.set(key, Obj::Array(items));
            Ok(before)
        }
        _ => {
            dict.set(key, Obj::Array(vec![Obj::Ref(number, 0)]));
            Ok(0)
        }
    }
}

/// The first (or the last) page's object number and generation, down the page tree from the
/// catalog.
fn page_of(file: &PdfFile<'_>, catalog: &Dict, last: bool) -> Result<(u32, u16), DocsError> {
    let mut node = match catalog.get("Pages") {
        Some(Obj::Ref(n, g)) => (*n, *g),
        _ => return Err(bad("thiếu cây trang")),
    };
    for _ in 0..64 {
        let Obj::Dict(dict) = file.object(node.0)? else {
            return Err(bad("nút cây trang không phải từ điển"));
        };
        if dict.is_name("Type", "Page") {
            return Ok(node);
        }
        let first = match dict.get("Kids").map(|k| file.resolve(k)) {
            Some(Ok(Obj::Array(kids))) => match if last { kids.last() } else { kids.first() } {
                Some(Obj::Ref(n, g)) => (*n, *g),
                _ => return Err(bad("tài liệu không có trang")),
            },
            _ => return Err(bad("nút cây trang thiếu /Kids")),
        };
        node = first;
    }
    Err(bad("cây trang quá sâu"))
}

/// Writes the update's cross-reference section (a table, or a stream when the file's newest
/// section is one) and the trailer pointing back to the previous one.
fn write_xref(
    out: &mut Vec<u8>,
    file: &PdfFile<'_>,
    offsets: &mut Vec<(u32, u16, usize)>,
    size: u32,
) -> Result<(), DocsError> {
    let mut trailer = Dict::default();
    trailer.set("Size", Obj::Int(i64::from(size)));
    for key in ["Root", "Info", "ID"] {
        if let Some(v) = file.trailer.get(key) {
            trailer.set(key, v.clone());
        }
    }
    trailer.set("Prev", Obj::Int(file.last_xref as i64));
    let start = out.len();
    if file.xref_stream {
        let number = size - 1;
        offsets.push((number, 0, start));
        offsets.sort_unstable();
        let mut data = Vec::new();
        let mut index = Vec::new();
        for (n, g, at) in offsets.iter() {
            index.push(Obj::Int(i64::from(*n)));
            index.push(Obj::Int(1));
            data.push(1u8);
            let at = u32::try_from(*at).map_err(|_| bad("tệp quá 4 GB"))?;
            data.extend_from_slice(&at.to_be_bytes());
            data.extend_from_slice(&g.to_be_bytes());
        }
        trailer.set("Type", Obj::name("XRef"));
        trailer.set("W", Obj::Array(vec![Obj::Int(1), Obj::Int(4), Obj::Int(2)]));
        trailer.set("Index", Obj::Array(index));
        trailer.set("Length", Obj::Int(data.len() as i64));
        out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        Obj::Dict(trailer).write(out);
        out.extend_from_slice(b"\nstream\n");
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    } else {
        offsets.sort_unstable();
        out.extend_from_slice(b"xref\n");
        for (n, g, at) in offsets.iter() {
            out.extend_from_slice(format!("{n} 1\n{at:010} {g:05} n\r\n").as_bytes());
        }
        out.extend_from_slice(b"trailer\n");
        Obj::Dict(trailer).write(out);
        out.push(b'\n');
    }
    out.extend_from_slice(format!("startxref\n{start}\n%%EOF\n").as_bytes());
    Ok(())
}

/// An instant as a PDF date (`D:YYYYMMDDHHmmSS+07'00'`).
fn pdf_date(at: Instant) -> String {
    let local = at.with_timezone(&vietnam_offset());
    format!("D:{}+07'00'", local.format("%Y%m%d%H%M%S"))
}

/// A PDF date read back (the offset, when given, is honoured).
fn read_pdf_date(text: &[u8]) -> Option<Instant> {
    let text = std::str::from_utf8(text).ok()?;
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits = text.get(..14)?;
    let naive = chrono::NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M%S").ok()?;
    let rest = text.get(14..).unwrap_or("");
    let offset = match rest.as_bytes().first() {
        Some(sign @ (b'+' | b'-')) => {
            let hours: i32 = rest.get(1..3)?.parse().ok()?;
            let minutes: i32 = rest.get(4..6).and_then(|m| m.parse().ok()).unwrap_or(0);
            let secs = (hours * 3600 + minutes * 60) * if *sign == b'-' { -1 } else { 1 };
            chrono::FixedOffset::east_opt(secs)?
        }
        _ => chrono::FixedOffset::east_opt(0)?,
    };
    let at = naive.and_local_timezone(offset).single()?;
    Some(at.with_timezone(&vietnam_offset()))
}

/// A signature found inside a PDF, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfSignature {
    pub verification: Verification,
    /// Whether it covers the whole file as it is: nothing was added after it.
    pub covers_whole_file: bool,
}

/// Every signature inside `pdf` (none for a PDF that carries none), each checked against the
/// bytes its range covers.
pub fn verify_pdf(pdf: &[u8]) -> Result<Vec<PdfSignature>, DocsError> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = pdf[from..]
        .windows(b"/ByteRange".len())
        .position(|w| w == b"/ByteRange")
    {
        let at = from + i;
        from = at + 1;
        // The dictionary holding it: the object that begins before it.
        let Some(dict) = enclosing_dict(pdf, at) else {
            continue;
        };
        if !dict.is_name("Type", "Sig") && dict.get("SubFilter").is_none() {
            continue;
        }
        let (Some(Obj::Array(range)), Some(Obj::Hex(contents))) =
            (dict.get("ByteRange"), dict.get("Contents"))
        else {
            continue;
        };
        let numbers: Vec<usize> = range
            .iter()
            .filter_map(|v| match v {
                Obj::Int(n) => usize::try_from(*n).ok(),
                _ => None,
            })
            .collect();
        let [a, b, c, d] = numbers[..] else {
            return Err(bad("/ByteRange không có bốn số"));
        };
        if a != 0 || b > c || c.checked_add(d).is_none_or(|end| end > pdf.len()) {
            return Err(bad("/ByteRange ra ngoài tệp"));
        }
        let mut hasher = Sha256::new();
        hasher.update(&pdf[a..b]);
        hasher.update(&pdf[c..c + d]);
        let digest = hasher.finalize();
        let signature = data_encoding::HEXUPPER_PERMISSIVE
            .decode(&trimmed_hex(contents))
            .map_err(|e| bad(format!("/Contents: {e}")))?;
        let cms = der_prefix(&signature).ok_or_else(|| bad("/Contents không chứa CMS"))?;
        let mut verification = verify_digest(cms, &digest)?;
        if verification.signed_at.is_none()
            && let Some(Obj::Str(m)) = dict.get("M")
        {
            verification.signed_at = read_pdf_date(m);
        }
        // The hole must be exactly the contents string, or bytes could hide in it.
        let hole_is_contents =
            pdf.get(b) == Some(&b'<') && c.checked_sub(1).and_then(|i| pdf.get(i)) == Some(&b'>');
        if !hole_is_contents && verification.status == SignatureStatus::Valid {
            verification.status = SignatureStatus::Tampered;
        }
        found.push(PdfSignature {
            verification,
            covers_whole_file: c + d == pdf.len(),
        });
    }
    Ok(found)
}

/// The dictionary that contains position `at`, parsed.
fn enclosing_dict(pdf: &[u8], at: usize) -> Option<Dict> {
    let window = at.saturating_sub(64 * 1024);
    let obj = find_last(&pdf[window..at], b" obj")? + window + b" obj".len();
    let mut lex = Lexer::new(pdf, obj);
    match lex.object() {
        Ok(Obj::Dict(d)) => Some(d),
        _ => None,
    }
}

/// The hex digits without the white space a writer may have put between them.
fn trimmed_hex(hex: &[u8]) -> Vec<u8> {
    hex.iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect()
}

/// The DER element at the start of `bytes` (the padding after it dropped).
fn der_prefix(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.first() != Some(&0x30) {
        return None;
    }
    let first = *bytes.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let len = bytes
            .get(2..2 + count)?
            .iter()
            .fold(0usize, |v, b| (v << 8) | usize::from(*b));
        (len, 2 + count)
    };
    bytes.get(..header.checked_add(len)?)
}
