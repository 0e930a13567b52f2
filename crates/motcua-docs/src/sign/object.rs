//! Đối tượng PDF — the PDF objects a signature's incremental update reads and writes
//! (PDF 32000-1 §7.3): parsed from bytes, edited, and written back. Names, strings and
//! numbers keep the bytes they were written with, so an object read and written again is
//! the same object.

use crate::error::DocsError;

/// One PDF object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Obj {
    Null,
    Bool(bool),
    Int(i64),
    /// A real number, as written.
    Real(Vec<u8>),
    /// A name without its slash, as written (`#xx` escapes kept).
    Name(Vec<u8>),
    /// A literal string's bytes between its parentheses, as written (escapes kept).
    Str(Vec<u8>),
    /// A hexadecimal string's digits, as written.
    Hex(Vec<u8>),
    Array(Vec<Obj>),
    Dict(Dict),
    Ref(u32, u16),
}

/// A dictionary, its entries in the order they came.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Dict(pub Vec<(Vec<u8>, Obj)>);

impl Dict {
    pub(crate) fn get(&self, key: &str) -> Option<&Obj> {
        self.0
            .iter()
            .find(|(k, _)| k == key.as_bytes())
            .map(|(_, v)| v)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Obj> {
        self.0
            .iter_mut()
            .find(|(k, _)| k == key.as_bytes())
            .map(|(_, v)| v)
    }

    /// Sets `key` to `value`, in place when it is there, else at the end.
    pub(crate) fn set(&mut self, key: &str, value: Obj) {
        match self.get_mut(key) {
            Some(v) => *v = value,
            None => self.0.push((key.as_bytes().to_vec(), value)),
        }
    }

    pub(crate) fn int(&self, key: &str) -> Option<i64> {
        match self.get(key)? {
            Obj::Int(v) => Some(*v),
            _ => None,
        }
    }

    pub(crate) fn is_name(&self, key: &str, name: &str) -> bool {
        matches!(self.get(key), Some(Obj::Name(n)) if n == name.as_bytes())
    }
}

impl Obj {
    pub(crate) fn name(name: &str) -> Self {
        Self::Name(name.as_bytes().to_vec())
    }

    /// A text string (PDF 32000-1 §7.9.2.2): plain ASCII as a literal string, anything else
    /// as UTF-16BE with its byte-order mark, in hexadecimal.
    pub(crate) fn text(text: &str) -> Self {
        if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            let mut out = Vec::new();
            for b in text.bytes() {
                if matches!(b, b'(' | b')' | b'\\') {
                    out.push(b'\\');
                }
                out.push(b);
            }
            Self::Str(out)
        } else {
            let mut hex = b"FEFF".to_vec();
            for unit in text.encode_utf16() {
                hex.extend_from_slice(format!("{unit:04X}").as_bytes());
            }
            Self::Hex(hex)
        }
    }

    pub(crate) fn as_dict(&self) -> Option<&Dict> {
        match self {
            Self::Dict(d) => Some(d),
            _ => None,
        }
    }

    /// The object written as PDF syntax.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        match self {
            Self::Null => out.extend_from_slice(b"null"),
            Self::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Self::Int(v) => out.extend_from_slice(v.to_string().as_bytes()),
            Self::Real(v) => out.extend_from_slice(v),
            Self::Name(n) => {
                out.push(b'/');
                out.extend_from_slice(n);
            }
            Self::Str(s) => {
                out.push(b'(');
                out.extend_from_slice(s);
                out.push(b')');
            }
            Self::Hex(h) => {
                out.push(b'<');
                out.extend_from_slice(h);
                out.push(b'>');
            }
            Self::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Self::Dict(d) => {
                out.extend_from_slice(b"<<");
                for (k, v) in &d.0 {
                    out.push(b'/');
                    out.extend_from_slice(k);
                    out.push(b' ');
                    v.write(out);
                }
                out.extend_from_slice(b">>");
            }
            Self::Ref(n, g) => out.extend_from_slice(format!("{n} {g} R").as_bytes()),
        }
    }
}

pub(crate) fn bad(what: impl std::fmt::Display) -> DocsError {
    DocsError::Signature(format!("tệp PDF không đọc được: {what}"))
}

fn is_white(c: u8) -> bool {
    matches!(c, 0 | 9 | 10 | 12 | 13 | 32)
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Nesting allowed in one object (arrays and dictionaries inside each other).
const DEPTH: u8 = 64;

/// Reads PDF tokens and objects from bytes.
pub(crate) struct Lexer<'a> {
    bytes: &'a [u8],
    pub(crate) at: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(bytes: &'a [u8], at: usize) -> Self {
        Self { bytes, at }
    }

    /// Skips white space and comments.
    pub(crate) fn skip_white(&mut self) {
        while let Some(&c) = self.bytes.get(self.at) {
            if is_white(c) {
                self.at += 1;
            } else if c == b'%' {
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|c| *c != b'\n' && *c != b'\r')
                {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next run of regular characters (a number, a keyword), after white space.
    pub(crate) fn word(&mut self) -> &'a [u8] {
        self.skip_white();
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|c| !is_white(*c) && !is_delimiter(*c))
        {
            self.at += 1;
        }
        &self.bytes[start..self.at]
    }

    /// The next word as a non-negative integer.
    pub(crate) fn number(&mut self) -> Option<u64> {
        std::str::from_utf8(self.word()).ok()?.parse().ok()
    }

    /// Whether `keyword` comes next (after white space); consumed if so.
    pub(crate) fn keyword(&mut self, keyword: &str) -> bool {
        let at = self.at;
        if self.word() == keyword.as_bytes() {
            true
        } else {
            self.at = at;
            false
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// The object starting here.
    pub(crate) fn object(&mut self) -> Result<Obj, DocsError> {
        self.object_at(0)
    }

    fn object_at(&mut self, depth: u8) -> Result<Obj, DocsError> {
        if depth > DEPTH {
            return Err(bad("đối tượng lồng quá sâu"));
        }
        self.skip_white();
        match self.peek() {
            None => Err(bad("hết tệp giữa chừng")),
            Some(b'/') => {
                self.at += 1;
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|c| !is_white(c) && !is_delimiter(c))
                {
                    self.at += 1;
                }
                Ok(Obj::Name(self.bytes[start..self.at].to_vec()))
            }
            Some(b'(') => self.literal(),
            Some(b'<') if self.bytes.get(self.at + 1) == Some(&b'<') => {
                self.at += 2;
                let mut dict = Dict::default();
                loop {
                    self.skip_white();
                    if self.bytes[self.at..].starts_with(b">>") {
                        self.at += 2;
                        return Ok(Obj::Dict(dict));
                    }
                    let Obj::Name(key) = self.object_at(depth + 1)? else {
                        return Err(bad("khóa của từ điển không phải tên"));
                    };
                    let value = self.object_at(depth + 1)?;
                    dict.0.push((key, value));
                }
            }
            Some(b'<') => {
                self.at += 1;
                let start = self.at;
                while self.peek().is_some_and(|c| c != b'>') {
                    self.at += 1;
                }
                let hex = self.bytes[start..self.at].to_vec();
                if self.peek().is_none() {
                    return Err(bad("chuỗi hexa không đóng"));
                }
                self.at += 1;
                Ok(Obj::Hex(hex))
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_white();
                    if self.peek() == Some(b']') {
                        self.at += 1;
                        return Ok(Obj::Array(items));
                    }
                    items.push(self.object_at(depth + 1)?);
                }
            }
            Some(_) => {
                let word = self.word();
                match word {
                    b"" => Err(bad(format!("ký tự lạ ở vị trí {}", self.at))),
                    b"true" => Ok(Obj::Bool(true)),
                    b"false" => Ok(Obj::Bool(false)),
                    b"null" => Ok(Obj::Null),
                    _ => self.number_or_ref(word),
                }
            }
        }
    }

    fn number_or_ref(&mut self, word: &[u8]) -> Result<Obj, DocsError> {
        let text = std::str::from_utf8(word).map_err(bad)?;
        let Ok(value) = text.parse::<i64>() else {
            return if text.parse::<f64>().is_ok() {
                Ok(Obj::Real(word.to_vec()))
            } else {
                Err(bad(format!("“{text}” không phải một đối tượng")))
            };
        };
        // `n g R` is a reference.
        let after = self.at;
        if let (Ok(number), Some(generation)) = (u32::try_from(value), self.number())
            && let Ok(generation) = u16::try_from(generation)
            && self.keyword("R")
        {
            return Ok(Obj::Ref(number, generation));
        }
        self.at = after;
        Ok(Obj::Int(value))
    }

    fn literal(&mut self) -> Result<Obj, DocsError> {
        self.at += 1;
        let start = self.at;
        let mut depth = 1usize;
        while let Some(c) = self.peek() {
            match c {
                b'\\' => self.at += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        let text = self.bytes[start..self.at].to_vec();
                        self.at += 1;
                        return Ok(Obj::Str(text));
                    }
                }
                _ => {}
            }
            self.at += 1;
        }
        Err(bad("chuỗi không đóng"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Obj {
        Lexer::new(text.as_bytes(), 0).object().unwrap()
    }

    fn written(obj: &Obj) -> String {
        let mut out = Vec::new();
        obj.write(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn objects_read_and_write_back() {
        let obj = read(
            "<</Type /Catalog/Pages 2 0 R % a comment\n /Kids [3 0 R 4 0 R] /N 12 /R -1.5 \
             /S (a (nested) \\) string) /H <FEFF00E0> /D <</A true /B null>> /Name#20x /Zero /Z 0>>",
        );
        let Obj::Dict(d) = &obj else { panic!() };
        assert_eq!(d.get("Pages"), Some(&Obj::Ref(2, 0)));
        assert_eq!(
            d.get("Kids"),
            Some(&Obj::Array(vec![Obj::Ref(3, 0), Obj::Ref(4, 0)]))
        );
        assert_eq!(d.int("N"), Some(12));
        assert_eq!(d.int("Z"), Some(0));
        assert!(d.is_name("Type", "Catalog"));
        assert_eq!(
            written(&obj),
            "<</Type /Catalog/Pages 2 0 R/Kids [3 0 R 4 0 R]/N 12/R -1.5\
             /S (a (nested) \\) string)/H <FEFF00E0>/D <</A true/B null>>/Name#20x /Zero/Z 0>>"
        );
        assert_eq!(read(&written(&obj)), obj);
    }

    #[test]
    fn text_strings_are_plain_or_utf16() {
        assert_eq!(written(&Obj::text("Chu ky (1)")), "(Chu ky \\(1\\))");
        assert_eq!(written(&Obj::text("Sở")), "<FEFF00531EDF>");
    }

    #[test]
    fn damaged_objects_are_errors_not_panics() {
        for text in ["<<", "<< /A", "[1 2", "(abc", "<ab", "<< 3 4 >>", ")", ""] {
            assert!(Lexer::new(text.as_bytes(), 0).object().is_err(), "{text}");
        }
        let deep = "[".repeat(100);
        assert!(Lexer::new(deep.as_bytes(), 0).object().is_err());
    }
}
