//! Where things are in a JSON text: a small scanner that maps every value's JSON pointer
//! (`/procedures/3/cases/0`) to its byte span, and byte offsets to lines and columns, so
//! import errors can name the line a person has to fix.

use std::collections::HashMap;

/// Nesting deeper than this is not scanned (serde_json itself stops at 128).
const MAX_DEPTH: usize = 256;

/// Line starts of a text, for turning byte offsets into 1-based (line, column) pairs, the
/// column counted in characters as an editor shows it.
#[derive(Debug)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { text, starts }
    }

    /// The (line, column) of the character at byte `offset` (clamped into the text).
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_boundary(self.text, offset);
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        (line, column)
    }

    /// The byte offset of `column_bytes` bytes into 1-based line `line` (clamped), as
    /// serde_json counts its positions.
    pub(crate) fn offset(&self, line: usize, column_bytes: usize) -> usize {
        let start = line
            .checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied()
            .unwrap_or(self.text.len());
        start.saturating_add(column_bytes).min(self.text.len())
    }

    /// The line (1-based) that byte `offset` is on.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Debug)]
struct Node {
    pointer: String,
    start: usize,
    end: usize,
    depth: usize,
}

/// Every value of a JSON text with its pointer and byte span.
#[derive(Debug)]
pub(crate) struct JsonMap {
    nodes: Vec<Node>,
    by_pointer: HashMap<String, usize>,
}

impl JsonMap {
    /// Scans `text`; on malformed input it keeps whatever it read before the fault.
    pub(crate) fn scan(text: &str) -> Self {
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            text,
            pos: 0,
            nodes: Vec::new(),
        };
        // A fault only ends the scan early; what was mapped so far is still right.
        let _ = scanner.value(String::new(), 0);
        let mut by_pointer = HashMap::with_capacity(scanner.nodes.len());
        for (i, node) in scanner.nodes.iter().enumerate() {
            by_pointer.entry(node.pointer.clone()).or_insert(i);
        }
        Self {
            nodes: scanner.nodes,
            by_pointer,
        }
    }

    /// The byte span of the value at `pointer`.
    pub(crate) fn span(&self, pointer: &str) -> Option<(usize, usize)> {
        let node = self.nodes.get(*self.by_pointer.get(pointer)?)?;
        Some((node.start, node.end))
    }

    pub(crate) fn contains(&self, pointer: &str) -> bool {
        self.by_pointer.contains_key(pointer)
    }

    /// Where the value at `pointer` starts, or else its nearest ancestor that exists.
    pub(crate) fn start_of(&self, pointer: &str) -> usize {
        let mut pointer = pointer;
        loop {
            if let Some((start, _)) = self.span(pointer) {
                return start;
            }
            match pointer.rfind('/') {
                Some(cut) => pointer = &pointer[..cut],
                None => return 0,
            }
        }
    }

    /// The innermost value around byte `offset`, where serde_json stops after reading the
    /// value at fault (so a value's end counts as inside it, its first byte does not).
    pub(crate) fn pointer_at(&self, offset: usize) -> Option<&str> {
        self.nodes
            .iter()
            .filter(|n| n.start < offset && offset <= n.end)
            .max_by_key(|n| n.depth)
            .or_else(|| self.nodes.iter().find(|n| n.start == offset))
            .map(|n| n.pointer.as_str())
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A validation field path (`cases[0].components[2].originals`) as a JSON pointer
/// (`/cases/0/components/2/originals`).
pub(crate) fn field_path_to_pointer(path: &str) -> String {
    let mut pointer = String::new();
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let mut parts = segment.split('[');
        if let Some(name) = parts.next().filter(|n| !n.is_empty()) {
            pointer.push('/');
            pointer.push_str(&escape_token(name));
        }
        for index in parts {
            pointer.push('/');
            pointer.push_str(index.trim_end_matches(']'));
        }
    }
    pointer
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    nodes: Vec<Node>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    fn value(&mut self, pointer: String, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        let start = self.pos;
        let index = self.nodes.len();
        self.nodes.push(Node {
            pointer,
            start,
            end: start,
            depth,
        });
        match self.peek()? {
            b'{' => self.object(index, depth)?,
            b'[' => self.array(index, depth)?,
            b'"' => {
                self.string()?;
            }
            _ => self.scalar()?,
        }
        if let Some(node) = self.nodes.get_mut(index) {
            node.end = self.pos;
        }
        Some(())
    }

    fn parent_pointer(&self, index: usize) -> String {
        self.nodes
            .get(index)
            .map(|n| n.pointer.clone())
            .unwrap_or_default()
    }

    fn object(&mut self, index: usize, depth: usize) -> Option<()> {
        self.pos += 1;
        self.skip_ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        let base = self.parent_pointer(index);
        loop {
            self.skip_ws();
            let key = self.string()?;
            self.expect(b':')?;
            self.value(format!("{base}/{}", escape_token(&key)), depth + 1)?;
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, index: usize, depth: usize) -> Option<()> {
        self.pos += 1;
        self.skip_ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        let base = self.parent_pointer(index);
        let mut i = 0usize;
        loop {
            self.value(format!("{base}/{i}"), depth + 1)?;
            i += 1;
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Reads a string token and returns its decoded text.
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        let raw = self.text.get(start..self.pos)?;
        serde_json::from_str(raw).ok()
    }

    fn scalar(&mut self) -> Option<()> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.pos += 1;
        }
        (self.pos > start).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"a\": [1, {\"b/c\": \"xé\"}],\n  \"d\": {\"e\": null}\n}";

    #[test]
    fn maps_pointers_to_lines() {
        let map = JsonMap::scan(TEXT);
        let lines = LineIndex::new(TEXT);
        let at = |p: &str| lines.position(map.start_of(p));
        assert_eq!(at(""), (1, 1));
        assert_eq!(at("/a"), (2, 8));
        assert_eq!(at("/a/1/b~1c"), (2, 20));
        assert_eq!(at("/d/e"), (3, 14));
        // A missing pointer falls back to its nearest existing ancestor.
        assert_eq!(at("/d/x/y"), (3, 8));
        assert!(map.contains("/a/0"));
        assert!(!map.contains("/a/2"));
    }

    #[test]
    fn finds_the_innermost_value_before_an_offset() {
        let map = JsonMap::scan(TEXT);
        let end_of_one = TEXT.find('1').unwrap() + 1;
        assert_eq!(map.pointer_at(end_of_one), Some("/a/0"));
        let end_of_xe = TEXT.find("xé").unwrap() + "xé\"".len();
        assert_eq!(map.pointer_at(end_of_xe), Some("/a/1/b~1c"));
        assert_eq!(map.pointer_at(TEXT.len()), Some(""));
    }

    #[test]
    fn columns_count_characters() {
        let text = "ấấ x\nb";
        let lines = LineIndex::new(text);
        assert_eq!(lines.position(text.find('x').unwrap()), (1, 4));
        assert_eq!(lines.position(text.len()), (2, 2));
        assert_eq!(lines.position(1), (1, 1), "inside a character rounds down");
        assert_eq!(lines.offset(2, 1), text.len());
        assert_eq!(lines.offset(9, 0), text.len());
    }

    #[test]
    fn field_paths_become_pointers() {
        assert_eq!(
            field_path_to_pointer("cases[0].components[2].originals"),
            "/cases/0/components/2/originals"
        );
        assert_eq!(field_path_to_pointer("workflow"), "/workflow");
        assert_eq!(field_path_to_pointer(""), "");
    }

    #[test]
    fn survives_malformed_text() {
        for text in [
            "",
            "{",
            "[1,",
            "{\"a\"",
            "\"\\",
            "{\"a\":[}",
            "]]]",
            "{\"é\":1,}",
        ] {
            let map = JsonMap::scan(text);
            let _ = map.pointer_at(text.len());
            let _ = LineIndex::new(text).position(map.start_of("/a/0"));
        }
    }
}
