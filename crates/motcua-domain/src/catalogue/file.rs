//! Tệp danh mục thủ tục — reading and writing the catalogue JSON file
//! (`docs/CATALOGUE-FORMAT.md`), with every problem reported at its line and column.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::locate::{JsonMap, LineIndex, escape_token, field_path_to_pointer};
use super::{Procedure, ProcedureCode, messages};

/// The value of the file's `format` key.
pub const FORMAT_NAME: &str = "motcua-catalogue";
/// The only `version` this code reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// One problem in a catalogue file: where it is and what is wrong, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    /// 1-based line of the value at fault.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// JSON pointer to the value, e.g. `/procedures/3/cases/0/components/2/originals`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "dòng {}, cột {} ({}): {}",
            self.line, self.column, self.path, self.message
        )
    }
}

impl std::error::Error for ImportError {}

#[derive(Serialize)]
struct CatalogueFile<'a> {
    format: &'static str,
    version: u64,
    procedures: &'a [Procedure],
}

/// The catalogue as a pretty-printed file that [`parse_catalogue`] reads back unchanged.
pub fn export_catalogue(procs: &[Procedure]) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(&CatalogueFile {
        format: FORMAT_NAME,
        version: FORMAT_VERSION,
        procedures: procs,
    })?;
    text.push('\n');
    Ok(text)
}

/// Reads a catalogue file. A syntax error stops the reading and is the only error
/// returned; otherwise every problem found is returned, in the order of the text.
pub fn parse_catalogue(text: &str) -> Result<Vec<Procedure>, Vec<ImportError>> {
    let lines = LineIndex::new(text);
    let root: Value = match serde_json::from_str(text) {
        Ok(root) => root,
        Err(error) => return Err(vec![syntax_error(&lines, &error)]),
    };
    let mut reader = Reader {
        text,
        lines,
        map: JsonMap::scan(text),
        errors: Vec::new(),
    };
    let procedures = reader.read(&root);
    if reader.errors.is_empty() {
        Ok(procedures)
    } else {
        let mut errors = reader.errors;
        errors.sort_by_key(|e| (e.line, e.column));
        Err(errors)
    }
}

fn syntax_error(lines: &LineIndex<'_>, error: &serde_json::Error) -> ImportError {
    // serde_json counts the column in bytes up to and including the character at fault.
    let offset = lines.offset(error.line(), error.column().saturating_sub(1));
    let (line, column) = lines.position(offset);
    ImportError {
        line,
        column,
        path: String::new(),
        message: messages::describe(error),
    }
}

struct Reader<'a> {
    text: &'a str,
    lines: LineIndex<'a>,
    map: JsonMap,
    errors: Vec<ImportError>,
}

impl Reader<'_> {
    /// Reports a problem with the value at `pointer` (or its nearest existing ancestor).
    fn error_at(&mut self, pointer: String, message: impl Into<String>) {
        let (line, column) = self.lines.position(self.map.start_of(&pointer));
        self.errors.push(ImportError {
            line,
            column,
            path: pointer,
            message: message.into(),
        });
    }

    fn read(&mut self, root: &Value) -> Vec<Procedure> {
        let Value::Object(fields) = root else {
            self.error_at(
                String::new(),
                "tệp phải là một đối tượng JSON dạng \
                 {\"format\": \"motcua-catalogue\", \"version\": 1, \"procedures\": […]}",
            );
            return Vec::new();
        };
        self.check_envelope(fields);
        let Some(items) = fields.get("procedures") else {
            self.error_at(String::new(), "thiếu danh sách thủ tục “procedures”");
            return Vec::new();
        };
        let Value::Array(items) = items else {
            self.error_at(
                "/procedures".into(),
                "“procedures” phải là một danh sách [ … ]",
            );
            return Vec::new();
        };
        self.check_duplicate_codes(items);
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.read_procedure(i, item))
            .collect()
    }

    fn check_envelope(&mut self, fields: &serde_json::Map<String, Value>) {
        match fields.get("format") {
            Some(Value::String(name)) if name == FORMAT_NAME => {}
            None => self.error_at(
                String::new(),
                format!("thiếu trường “format” (phải là \"{FORMAT_NAME}\")"),
            ),
            Some(other) => self.error_at(
                "/format".into(),
                format!("định dạng {other} không phải \"{FORMAT_NAME}\""),
            ),
        }
        match fields.get("version") {
            Some(Value::Number(n)) if n.as_u64() == Some(FORMAT_VERSION) => {}
            None => self.error_at(
                String::new(),
                format!("thiếu trường “version” (phiên bản hiện tại là {FORMAT_VERSION})"),
            ),
            Some(other) => self.error_at(
                "/version".into(),
                format!("không đọc được phiên bản {other}; chỉ hỗ trợ phiên bản {FORMAT_VERSION}"),
            ),
        }
        for key in fields.keys() {
            if !matches!(key.as_str(), "format" | "version" | "procedures") {
                self.error_at(
                    format!("/{}", escape_token(key)),
                    format!("trường “{key}” không có trong định dạng"),
                );
            }
        }
    }

    /// Codes are compared as written in the tree, so a procedure with other problems still
    /// takes part.
    fn check_duplicate_codes(&mut self, items: &[Value]) {
        let mut first: HashMap<ProcedureCode, usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let Some(code) = item
                .get("code")
                .and_then(Value::as_str)
                .and_then(|c| ProcedureCode::parse(c).ok())
            else {
                continue;
            };
            match first.get(&code) {
                Some(&j) => {
                    let (line, _) = self
                        .lines
                        .position(self.map.start_of(&format!("/procedures/{j}")));
                    self.error_at(
                        format!("/procedures/{i}/code"),
                        format!("mã thủ tục {code} bị lặp: đã có ở /procedures/{j} (dòng {line})"),
                    );
                }
                None => {
                    first.insert(code, i);
                }
            }
        }
    }

    fn read_procedure(&mut self, index: usize, item: &Value) -> Option<Procedure> {
        let base = format!("/procedures/{index}");
        // Reading the procedure's own text gives serde_json's error a position; the tree is
        // only a fallback should the scanner have missed the value.
        let parsed = match self
            .map
            .span(&base)
            .and_then(|(s, e)| Some((s, self.text.get(s..e)?)))
        {
            Some((start, slice)) => {
                serde_json::from_str::<Procedure>(slice).map_err(|e| (Some(start), e))
            }
            None => Procedure::deserialize(item).map_err(|e| (None, e)),
        };
        let procedure = match parsed {
            Ok(procedure) => procedure,
            Err((start, error)) => {
                let mut pointer = start
                    .and_then(|start| self.map.pointer_at(self.offset_in(start, &error)))
                    .unwrap_or(&base)
                    .to_string();
                // For a misspelt or repeated key, point at the key's own value.
                if let Some(key) = field_named_in(&error) {
                    let inner = format!("{pointer}/{}", escape_token(&key));
                    if self.map.contains(&inner) {
                        pointer = inner;
                    }
                }
                self.error_at(pointer, messages::describe(&error));
                return None;
            }
        };
        if let Err(problems) = procedure.validate() {
            for problem in problems {
                let pointer = format!("{base}{}", field_path_to_pointer(&problem.field));
                self.error_at(pointer, problem.message);
            }
            return None;
        }
        Some(procedure)
    }

    /// The byte offset in the whole text of an error serde_json found in a slice that
    /// starts at byte `start`.
    fn offset_in(&self, start: usize, error: &serde_json::Error) -> usize {
        let line = self.lines.line_of(start) + error.line().saturating_sub(1);
        if error.line() <= 1 {
            start.saturating_add(error.column()).min(self.text.len())
        } else {
            self.lines.offset(line, error.column())
        }
    }
}

/// The key named by an "unknown field" or "duplicate field" error.
fn field_named_in(error: &serde_json::Error) -> Option<String> {
    let message = error.to_string();
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("duplicate field `"))?;
    rest.split_once('`').map(|(key, _)| key.to_string())
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
