//! Cấu trúc tệp PDF — reading an existing PDF's structure as a signature's incremental
//! update needs it (PDF 32000-1 §7.5): where each object is, from the cross-reference
//! tables or streams of every revision (the newest first), the trailer, and the objects
//! themselves, also those packed in object streams.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use super::object::{Dict, Lexer, Obj, bad};
use crate::error::DocsError;

/// Where an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    /// At a byte offset, with its generation.
    At(usize, u16),
    /// The `index`th object of object stream `stream`.
    Packed(u32, u32),
    Free,
}

/// Most revisions followed (a `/Prev` loop ends here).
const REVISIONS: usize = 1000;
/// Most bytes a decoded stream may take.
const DECODED: u64 = 64 << 20;

/// An existing PDF, read for an incremental update.
pub(crate) struct PdfFile<'a> {
    bytes: &'a [u8],
    entries: HashMap<u32, Entry>,
    /// The newest revision's trailer (an xref stream's dictionary).
    pub(crate) trailer: Dict,
    /// Where the newest cross-reference section starts.
    pub(crate) last_xref: usize,
    /// Whether the newest section is a cross-reference stream.
    pub(crate) xref_stream: bool,
}

impl<'a> PdfFile<'a> {
    pub(crate) fn read(bytes: &'a [u8]) -> Result<Self, DocsError> {
        if !bytes.starts_with(b"%PDF-") {
            return Err(bad("không bắt đầu bằng %PDF-"));
        }
        let tail = bytes.len().saturating_sub(2048);
        let at = find_last(&bytes[tail..], b"startxref")
            .map(|i| tail + i + b"startxref".len())
            .ok_or_else(|| bad("thiếu startxref"))?;
        let last_xref = Lexer::new(bytes, at)
            .number()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n < bytes.len())
            .ok_or_else(|| bad("startxref không chỉ vào tệp"))?;
        let mut file = Self {
            bytes,
            entries: HashMap::new(),
            trailer: Dict::default(),
            last_xref,
            xref_stream: false,
        };
        let mut next = Some(last_xref);
        let mut seen = HashSet::new();
        let mut first = true;
        while let Some(at) = next.take() {
            if !seen.insert(at) || seen.len() > REVISIONS {
                return Err(bad("các bản sửa đổi trỏ vòng"));
            }
            let (trailer, is_stream) = file.section(at)?;
            if let Some(Obj::Int(hybrid)) = trailer.get("XRefStm")
                && let Ok(hybrid) = usize::try_from(*hybrid)
                && seen.insert(hybrid)
            {
                file.section(hybrid)?;
            }
            next = match trailer.get("Prev") {
                Some(Obj::Int(prev)) => Some(usize::try_from(*prev).map_err(bad)?),
                _ => None,
            };
            if first {
                file.trailer = trailer;
                file.xref_stream = is_stream;
                first = false;
            }
        }
        if file.trailer.get("Encrypt").is_some() {
            return Err(DocsError::Signature(
                "tệp PDF được mã hóa: cần bản không mã hóa để ký".into(),
            ));
        }
        Ok(file)
    }

    /// Reads the cross-reference section at `at` (entries not already known from a newer
    /// one are kept); its trailer, and whether it is a stream.
    fn section(&mut self, at: usize) -> Result<(Dict, bool), DocsError> {
        let mut lex = Lexer::new(self.bytes, at);
        if lex.keyword("xref") {
            loop {
                let before = lex.at;
                if lex.keyword("trailer") {
                    break;
                }
                lex.at = before;
                let (Some(start), Some(count)) = (lex.number(), lex.number()) else {
                    return Err(bad("bảng tham chiếu chéo hỏng"));
                };
                for n in start..start.saturating_add(count) {
                    let offset = lex.number();
                    let generation = lex.number();
                    let kind = lex.word();
                    let (Some(offset), Some(generation)) = (offset, generation) else {
                        return Err(bad("dòng của bảng tham chiếu chéo hỏng"));
                    };
                    let entry = match kind {
                        b"n" => Entry::At(
                            usize::try_from(offset).map_err(bad)?,
                            u16::try_from(generation).map_err(bad)?,
                        ),
                        b"f" => Entry::Free,
                        _ => return Err(bad("dòng của bảng tham chiếu chéo hỏng")),
                    };
                    self.entries
                        .entry(u32::try_from(n).map_err(bad)?)
                        .or_insert(entry);
                }
            }
            let Obj::Dict(trailer) = lex.object()? else {
                return Err(bad("trailer không phải từ điển"));
            };
            return Ok((trailer, false));
        }
        let (dict, data) = self.stream_at(at)?;
        if !dict.is_name("Type", "XRef") {
            return Err(bad("startxref không chỉ vào bảng tham chiếu chéo"));
        }
        let widths: Vec<usize> = match dict.get("W") {
            Some(Obj::Array(w)) if w.len() == 3 => w
                .iter()
                .map(|v| match v {
                    Obj::Int(n) if (0..=8).contains(n) => Ok(*n as usize),
                    _ => Err(bad("/W của luồng tham chiếu chéo hỏng")),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(bad("luồng tham chiếu chéo thiếu /W")),
        };
        let size = dict.int("Size").unwrap_or(0);
        let index: Vec<i64> = match dict.get("Index") {
            Some(Obj::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Obj::Int(n) => Ok(*n),
                    _ => Err(bad("/Index hỏng")),
                })
                .collect::<Result<_, _>>()?,
            _ => vec![0, size],
        };
        let row = widths.iter().sum::<usize>();
        if row == 0 {
            return Err(bad("/W của luồng tham chiếu chéo hỏng"));
        }
        let mut rows = data.chunks_exact(row);
        for pair in index.chunks(2) {
            let [start, count] = pair else {
                return Err(bad("/Index hỏng"));
            };
            for n in *start..start.saturating_add(*count) {
                let Some(fields) = rows.next() else {
                    return Err(bad("luồng tham chiếu chéo ngắn hơn /Index"));
                };
                let (a, rest) = fields.split_at(widths[0]);
                let (b, c) = rest.split_at(widths[1]);
                let kind = if widths[0] == 0 { 1 } else { be(a) };
                let entry = match kind {
                    0 => Entry::Free,
                    1 => Entry::At(
                        usize::try_from(be(b)).map_err(bad)?,
                        u16::try_from(be(c)).unwrap_or(0),
                    ),
                    2 => Entry::Packed(
                        u32::try_from(be(b)).map_err(bad)?,
                        u32::try_from(be(c)).map_err(bad)?,
                    ),
                    // Unknown kinds are null references (PDF 32000-1 §7.5.8.3).
                    _ => Entry::Free,
                };
                self.entries
                    .entry(u32::try_from(n).map_err(bad)?)
                    .or_insert(entry);
            }
        }
        Ok((dict, true))
    }

    /// The number one past the highest object number in use (the trailer's `/Size`).
    pub(crate) fn size(&self) -> u32 {
        let known = self.entries.keys().max().map_or(0, |n| n + 1);
        let stated = self
            .trailer
            .int("Size")
            .and_then(|s| u32::try_from(s).ok())
            .unwrap_or(0);
        stated.max(known)
    }

    /// Object `number` (a stream's dictionary alone, for a stream).
    pub(crate) fn object(&self, number: u32) -> Result<Obj, DocsError> {
        match self.entries.get(&number) {
            Some(Entry::At(at, _)) => {
                let mut lex = self.indirect(*at, number)?;
                lex.object()
            }
            Some(Entry::Packed(stream, index)) => self.packed(*stream, *index, number),
            Some(Entry::Free) | None => Ok(Obj::Null),
        }
    }

    /// Object `number` with its stream's data as stored (still encoded), if it is a stream.
    pub(crate) fn object_with_data(
        &self,
        number: u32,
    ) -> Result<(Obj, Option<Vec<u8>>), DocsError> {
        match self.entries.get(&number) {
            Some(Entry::At(at, _)) => {
                let mut lex = self.indirect(*at, number)?;
                let obj = lex.object()?;
                let Obj::Dict(dict) = &obj else {
                    return Ok((obj, None));
                };
                if !lex.keyword("stream") {
                    return Ok((obj, None));
                }
                let (start, end) = self.stream_bounds(dict, lex.at)?;
                Ok((obj.clone(), Some(self.bytes[start..end].to_vec())))
            }
            // Streams are never packed in object streams.
            _ => Ok((self.object(number)?, None)),
        }
    }

    /// The object `obj` refers to, or `obj` itself when it is not a reference.
    pub(crate) fn resolve(&self, obj: &Obj) -> Result<Obj, DocsError> {
        match obj {
            Obj::Ref(n, _) => self.object(*n),
            other => Ok(other.clone()),
        }
    }

    /// A lexer just past `number g obj` at `at`.
    fn indirect(&self, at: usize, number: u32) -> Result<Lexer<'a>, DocsError> {
        let mut lex = Lexer::new(self.bytes, at);
        let found = lex.number();
        let _generation = lex.number();
        if found != Some(u64::from(number)) || !lex.keyword("obj") {
            return Err(bad(format!("đối tượng {number} không ở chỗ bảng ghi")));
        }
        Ok(lex)
    }

    /// The stream object at `at`: its dictionary and decoded data.
    fn stream_at(&self, at: usize) -> Result<(Dict, Vec<u8>), DocsError> {
        let mut lex = Lexer::new(self.bytes, at);
        let _number = lex.number();
        let _generation = lex.number();
        if !lex.keyword("obj") {
            return Err(bad("thiếu “obj”"));
        }
        let Obj::Dict(dict) = lex.object()? else {
            return Err(bad("luồng không có từ điển"));
        };
        if !lex.keyword("stream") {
            return Err(bad("thiếu “stream”"));
        }
        let (start, end) = self.stream_bounds(&dict, lex.at)?;
        let data = decode(&dict, &self.bytes[start..end])?;
        Ok((dict, data))
    }

    /// Where a stream's data starts and ends, its keyword `stream` ending at `after`.
    fn stream_bounds(&self, dict: &Dict, after: usize) -> Result<(usize, usize), DocsError> {
        // The data starts after the end of line that follows the keyword.
        let mut start = after;
        if self.bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if self.bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let length = match dict.get("Length") {
            Some(Obj::Int(n)) => usize::try_from(*n).ok(),
            // A length kept as an object of its own is read where it stands, never through
            // another stream (so a crafted file cannot send the reading round in a circle).
            Some(Obj::Ref(n, _)) => match self.entries.get(n) {
                Some(Entry::At(at, _)) => match self.indirect(*at, *n).and_then(|mut l| l.object())
                {
                    Ok(Obj::Int(v)) => usize::try_from(v).ok(),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let end = match length {
            Some(len) if start + len <= self.bytes.len() => start + len,
            _ => find(&self.bytes[start..], b"endstream")
                .map(|i| start + i)
                .ok_or_else(|| bad("luồng không có “endstream”"))?,
        };
        Ok((start, end))
    }

    /// The `index`th object of object stream `stream`, which must be object `number`.
    fn packed(&self, stream: u32, index: u32, number: u32) -> Result<Obj, DocsError> {
        let Some(Entry::At(at, _)) = self.entries.get(&stream) else {
            return Err(bad(format!("không thấy luồng đối tượng {stream}")));
        };
        let (dict, data) = self.stream_at(*at)?;
        let first = dict
            .int("First")
            .and_then(|f| usize::try_from(f).ok())
            .ok_or_else(|| bad("luồng đối tượng thiếu /First"))?;
        let count = dict
            .int("N")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0);
        if index >= count {
            return Err(bad(format!("đối tượng {number} ngoài luồng đối tượng")));
        }
        let mut header = Lexer::new(&data, 0);
        for _ in 0..index {
            header.number();
            header.number();
        }
        let (Some(found), Some(offset)) = (header.number(), header.number()) else {
            return Err(bad("luồng đối tượng ngắn hơn bảng ghi"));
        };
        if found != u64::from(number) {
            return Err(bad(format!("đối tượng {number} không ở chỗ bảng ghi")));
        }
        let at = usize::try_from(offset)
            .ok()
            .and_then(|o| o.checked_add(first))
            .filter(|a| *a < data.len())
            .ok_or_else(|| bad("vị trí trong luồng đối tượng hỏng"))?;
        Lexer::new(&data, at).object()
    }
}

/// A big-endian unsigned number.
fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |v, b| (v << 8) | u64::from(*b))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub(crate) fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// A stream's data decoded by its filters: none, or Flate with an optional PNG predictor
/// (what cross-reference and object streams use).
pub(crate) fn decode(dict: &Dict, raw: &[u8]) -> Result<Vec<u8>, DocsError> {
    let filters: Vec<&[u8]> = match dict.get("Filter") {
        None => Vec::new(),
        Some(Obj::Name(n)) => vec![n],
        Some(Obj::Array(items)) => items
            .iter()
            .map(|i| match i {
                Obj::Name(n) => Ok(n.as_slice()),
                _ => Err(bad("/Filter hỏng")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad("/Filter hỏng")),
    };
    let mut data = raw.to_vec();
    for filter in filters {
        if filter != b"FlateDecode" {
            return Err(bad(format!(
                "bộ lọc /{} chưa được hỗ trợ cho luồng cấu trúc",
                String::from_utf8_lossy(filter)
            )));
        }
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data.as_slice())
            .take(DECODED)
            .read_to_end(&mut out)
            .map_err(bad)?;
        data = out;
    }
    let params = match dict.get("DecodeParms") {
        Some(Obj::Dict(d)) => Some(d),
        Some(Obj::Array(items)) => items.iter().find_map(Obj::as_dict),
        _ => None,
    };
    match params.and_then(|p| p.int("Predictor")).unwrap_or(1) {
        1 => Ok(data),
        10..=15 => {
            let columns = params
                .and_then(|p| p.int("Columns"))
                .and_then(|c| usize::try_from(c).ok())
                .unwrap_or(1);
            unpredict(&data, columns)
        }
        other => Err(bad(format!("bộ dự đoán {other} chưa được hỗ trợ"))),
    }
}

/// Undoes the PNG predictors of rows of `columns` bytes, each preceded by its filter byte.
fn unpredict(data: &[u8], columns: usize) -> Result<Vec<u8>, DocsError> {
    if columns == 0 {
        return Err(bad("/Columns bằng 0"));
    }
    let mut out: Vec<u8> = Vec::with_capacity(data.len());
    let mut previous = vec![0u8; columns];
    for row in data.chunks(columns + 1) {
        let (&kind, bytes) = row.split_first().ok_or_else(|| bad("dòng rỗng"))?;
        let mut current = vec![0u8; columns];
        for (i, &b) in bytes.iter().enumerate() {
            let left = if i > 0 { current[i - 1] } else { 0 };
            let up = previous[i];
            let up_left = if i > 0 { previous[i - 1] } else { 0 };
            current[i] = match kind {
                0 => b,
                1 => b.wrapping_add(left),
                2 => b.wrapping_add(up),
                3 => b.wrapping_add(((u16::from(left) + u16::from(up)) / 2) as u8),
                4 => b.wrapping_add(paeth(left, up, up_left)),
                _ => return Err(bad("bộ lọc PNG lạ")),
            };
        }
        out.extend_from_slice(&current[..bytes.len()]);
        previous = current;
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}
