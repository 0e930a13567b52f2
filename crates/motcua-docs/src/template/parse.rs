//! The line-oriented template language: one directive per line (see `docs/FORMS.md`).

use super::text::{Markup, parse_markup};
use crate::error::DocsError;

/// Khổ giấy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    A5,
}

/// Page settings of a template.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    pub paper: Paper,
    pub landscape: bool,
    /// Base font size in points.
    pub font_size: f32,
    /// Margins in millimetres: top, right, bottom, left.
    pub margins: [f32; 4],
}

impl Default for PageSetup {
    fn default() -> Self {
        Self {
            paper: Paper::A5,
            landscape: false,
            font_size: 11.0,
            // ND 30/2020 asks for 20–25 mm top, 30–35 mm left on A4; A5 slips use less.
            margins: [12.0, 12.0, 12.0, 18.0],
        }
    }
}

/// Căn lề of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One column of a table: relative width, alignment, header and cell text.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub width: f32,
    pub align: Align,
    pub header: Markup,
    pub cell: Markup,
}

/// One signature column: title, note under it, name at the bottom, and, between them, a
/// signature drawn at the counter (a field holding its strokes) when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct SignColumn {
    pub title: Markup,
    pub note: Markup,
    pub name: Markup,
    pub drawing: Option<Markup>,
}

/// A block of the layout, with the template line it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Heading {
        line: usize,
        left: Vec<Markup>,
    },
    Paragraph {
        line: usize,
        align: Align,
        /// Points added to the base size (titles are larger).
        grow: f32,
        bold: bool,
        /// A hanging dash, for list items.
        bullet: bool,
        text: Markup,
    },
    TwoColumns {
        line: usize,
        left: Markup,
        right: Markup,
    },
    Space(f32),
    Rule,
    Qr {
        line: usize,
        size_mm: f32,
        lines: Vec<Markup>,
    },
    Table {
        line: usize,
        list: String,
        columns: Vec<Column>,
        empty: Option<Markup>,
    },
    Each {
        line: usize,
        list: String,
        body: Vec<Node>,
    },
    Signatures {
        line: usize,
        columns: Vec<SignColumn>,
    },
    If {
        line: usize,
        field: String,
        negate: bool,
        body: Vec<Node>,
    },
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub file: String,
    pub setup: PageSetup,
    pub nodes: Vec<Node>,
}

enum Open {
    If {
        line: usize,
        field: String,
        negate: bool,
        outer: Vec<Node>,
    },
    Each {
        line: usize,
        list: String,
        outer: Vec<Node>,
    },
    Table {
        line: usize,
        list: String,
        columns: Vec<Column>,
        empty: Option<Markup>,
    },
}

/// Parses a template's text; `file` names it in errors.
pub fn parse(file: &str, source: &str) -> Result<Template, DocsError> {
    let mut setup = PageSetup::default();
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    // Templates saved from some editors arrive decomposed (NFD): store them as NFC like data.
    let source = motcua_domain::text::nfc(source);
    for (index, raw) in source.lines().enumerate() {
        let line = index + 1;
        let err = |message: String| DocsError::template(file, line, message);
        let text = raw.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let (word, arg) = match text.split_once(char::is_whitespace) {
            Some((w, a)) => (w, a.trim()),
            None => (text, ""),
        };
        let markup = |s: &str| parse_markup(s).map_err(err);
        if let Some(Open::Table { columns, empty, .. }) = stack.last_mut() {
            match word {
                "col" => {
                    columns.push(column(arg).map_err(err)?);
                    continue;
                }
                "empty" => {
                    *empty = Some(markup(arg)?);
                    continue;
                }
                "end" => {
                    if let Some(Open::Table {
                        line,
                        list,
                        columns,
                        empty,
                    }) = stack.pop()
                    {
                        if columns.is_empty() {
                            return Err(DocsError::template(
                                file,
                                line,
                                "bảng không có cột nào (thêm dòng “col …”)",
                            ));
                        }
                        nodes.push(Node::Table {
                            line,
                            list,
                            columns,
                            empty,
                        });
                    }
                    continue;
                }
                _ => {
                    return Err(err(format!(
                        "trong bảng chỉ dùng “col”, “empty” hoặc “end”, không dùng “{word}”"
                    )));
                }
            }
        }
        match word {
            "page" => {
                for token in arg.split_whitespace() {
                    match token {
                        "A4" | "a4" => setup.paper = Paper::A4,
                        "A5" | "a5" => setup.paper = Paper::A5,
                        "landscape" => setup.landscape = true,
                        "portrait" => setup.landscape = false,
                        other => {
                            return Err(err(format!(
                                "khổ giấy “{other}” không hợp lệ (A4, A5, portrait, landscape)"
                            )));
                        }
                    }
                }
            }
            "font-size" => setup.font_size = number(arg, 6.0, 20.0).map_err(err)?,
            "margins" => {
                let values: Vec<&str> = arg.split_whitespace().collect();
                if values.len() != 4 {
                    return Err(err("“margins” cần 4 số (mm): trên phải dưới trái".into()));
                }
                for (slot, v) in setup.margins.iter_mut().zip(values) {
                    *slot = number(v, 0.0, 60.0).map_err(err)?;
                }
            }
            "heading" => {
                let left = arg
                    .split('|')
                    .map(|s| markup(s.trim()))
                    .collect::<Result<_, _>>()?;
                nodes.push(Node::Heading { line, left });
            }
            "title" | "subtitle" | "p" | "center" | "right" | "item" | "bold" => {
                let (align, grow, bold) = match word {
                    "title" => (Align::Center, 2.0, true),
                    "subtitle" => (Align::Center, 0.0, true),
                    "center" => (Align::Center, 0.0, false),
                    "right" => (Align::Right, 0.0, false),
                    "bold" => (Align::Left, 0.0, true),
                    _ => (Align::Left, 0.0, false),
                };
                nodes.push(Node::Paragraph {
                    line,
                    align,
                    grow,
                    bold,
                    bullet: word == "item",
                    text: markup(arg)?,
                });
            }
            "twocol" => {
                let (left, right) = arg
                    .split_once('|')
                    .ok_or_else(|| err("“twocol” cần dấu “|” giữa cột trái và cột phải".into()))?;
                nodes.push(Node::TwoColumns {
                    line,
                    left: markup(left.trim())?,
                    right: markup(right.trim())?,
                });
            }
            "space" => nodes.push(Node::Space(number(arg, 0.0, 100.0).map_err(err)?)),
            "rule" => nodes.push(Node::Rule),
            "qr" => {
                let mut pieces = arg.split('|');
                let size = pieces.next().unwrap_or_default();
                let size_mm = number(size, 10.0, 60.0).map_err(err)?;
                let lines = pieces.map(|s| markup(s.trim())).collect::<Result<_, _>>()?;
                nodes.push(Node::Qr {
                    line,
                    size_mm,
                    lines,
                });
            }
            "sign" => {
                let pieces: Vec<&str> = arg.split('|').map(str::trim).collect();
                let (title, note, name, drawing) = match pieces[..] {
                    [title, note, name] => (title, note, name, None),
                    [title, note, name, drawing] => (title, note, name, Some(drawing)),
                    _ => {
                        return Err(err(
                            "“sign” cần 3 phần: chức danh | ghi chú | họ tên (và có thể thêm | chữ ký vẽ)"
                                .into(),
                        ));
                    }
                };
                let column = SignColumn {
                    title: markup(title)?,
                    note: markup(note)?,
                    name: markup(name)?,
                    drawing: drawing.map(markup).transpose()?,
                };
                if let Some(Node::Signatures { columns, .. }) = nodes.last_mut() {
                    columns.push(column);
                } else {
                    nodes.push(Node::Signatures {
                        line,
                        columns: vec![column],
                    });
                }
            }
            "table" => stack.push(Open::Table {
                line,
                list: name_arg(arg).map_err(err)?,
                columns: Vec::new(),
                empty: None,
            }),
            "each" => stack.push(Open::Each {
                line,
                list: name_arg(arg).map_err(err)?,
                outer: std::mem::take(&mut nodes),
            }),
            "if" | "ifnot" => stack.push(Open::If {
                line,
                field: name_arg(arg).map_err(err)?,
                negate: word == "ifnot",
                outer: std::mem::take(&mut nodes),
            }),
            "endif" | "endeach" => {
                let body = std::mem::take(&mut nodes);
                match (word, stack.pop()) {
                    (
                        "endif",
                        Some(Open::If {
                            line,
                            field,
                            negate,
                            outer,
                        }),
                    ) => {
                        nodes = outer;
                        nodes.push(Node::If {
                            line,
                            field,
                            negate,
                            body,
                        });
                    }
                    ("endeach", Some(Open::Each { line, list, outer })) => {
                        nodes = outer;
                        nodes.push(Node::Each { line, list, body });
                    }
                    _ => {
                        return Err(err(format!("“{word}” không khớp với khối nào đang mở")));
                    }
                }
            }
            other => return Err(err(format!("không hiểu lệnh “{other}”"))),
        }
    }
    if let Some(open) = stack.last() {
        let (line, what) = match open {
            Open::If { line, .. } => (*line, "“if” chưa có “endif”"),
            Open::Each { line, .. } => (*line, "“each” chưa có “endeach”"),
            Open::Table { line, .. } => (*line, "“table” chưa có “end”"),
        };
        return Err(DocsError::template(file, line, what));
    }
    Ok(Template {
        file: file.to_string(),
        setup,
        nodes,
    })
}

fn number(text: &str, min: f32, max: f32) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(format!("“{text}” không phải số trong khoảng {min}–{max}")),
    }
}

fn name_arg(text: &str) -> Result<String, String> {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        Ok(text.to_string())
    } else {
        Err(format!("tên trường “{text}” không hợp lệ"))
    }
}

/// `col WIDTH [left|center|right] HEADER | CELL`
fn column(arg: &str) -> Result<Column, String> {
    let (width, rest) = arg
        .split_once(char::is_whitespace)
        .ok_or("“col” cần: độ rộng [left|center|right] tiêu đề | nội dung")?;
    let width = number(width, 0.1, 100.0)?;
    let rest = rest.trim();
    let (align, rest) = match rest.split_once(char::is_whitespace) {
        Some(("left", r)) => (Align::Left, r),
        Some(("center", r)) => (Align::Center, r),
        Some(("right", r)) => (Align::Right, r),
        _ => (Align::Left, rest),
    };
    let (header, cell) = rest
        .split_once('|')
        .ok_or("“col” cần dấu “|” giữa tiêu đề và nội dung ô")?;
    Ok(Column {
        width,
        align,
        header: parse_markup(header.trim())?,
        cell: parse_markup(cell.trim())?,
    })
}
