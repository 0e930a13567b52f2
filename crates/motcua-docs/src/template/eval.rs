//! Filling a parsed template with a form's fields: the blocks the layout sets on pages.

use super::parse::{Align, Node, Template};
use super::text::{Markup, Part, Style};
use crate::error::DocsError;
use crate::values::{Row, Values};

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub style: Style,
    pub text: String,
}

/// Text made of spans; `\n` inside a span breaks the line.
pub type Rich = Vec<Span>;

/// A filled block, ready for layout.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        left: Vec<Rich>,
    },
    Paragraph {
        align: Align,
        grow: f32,
        bullet: bool,
        text: Rich,
    },
    TwoColumns {
        left: Rich,
        right: Rich,
    },
    Space(f32),
    Rule,
    Qr {
        size_mm: f32,
        data: String,
        lines: Vec<Rich>,
    },
    Table {
        widths: Vec<f32>,
        aligns: Vec<Align>,
        header: Vec<Rich>,
        rows: Vec<Vec<Rich>>,
    },
    Signatures(Vec<SignCell>),
    /// Room left empty at the end, in millimetres, kept on one page with the block before
    /// it (for the stamp of a signature made later).
    Room(f32),
}

/// One filled signature column: its title, note and name, and the strokes of a signature
/// drawn at the counter (their stored form, empty when none).
#[derive(Debug, Clone, PartialEq)]
pub struct SignCell {
    pub texts: [Rich; 3],
    pub drawing: String,
}

/// Row field names of each list, so a template is checked even when a list is empty.
pub(crate) fn row_fields(list: &str) -> Option<&'static [&'static str]> {
    Some(match list {
        "components" => &[
            "index",
            "name",
            "originals",
            "copies",
            "photocopies",
            "electronic",
            "note",
        ],
        "handovers" => &[
            "index",
            "from_agency",
            "from_person",
            "to_agency",
            "to_person",
            "at",
            "time",
            "date",
            "outcome",
            "note",
        ],
        "log" => &[
            "index",
            "code",
            "procedure",
            "sets",
            "applicant",
            "address",
            "phone",
            "received",
            "received_date",
            "due",
            "agency",
            "returned",
            "signature",
            "receiver",
            "area",
            "note",
        ],
        "recipients" => &["index", "text"],
        "lines" => &["index", "name", "amount"],
        _ => return None,
    })
}

struct Filler<'a> {
    file: &'a str,
    values: &'a Values,
}

impl Filler<'_> {
    fn err(&self, line: usize, message: String) -> DocsError {
        DocsError::template(self.file, line, message)
    }

    /// Fills text; `row` (with its list's name) answers first inside a table or `each`.
    fn fill(
        &self,
        line: usize,
        markup: &Markup,
        row: Option<(&str, Option<&Row>)>,
        bold: bool,
    ) -> Result<Rich, DocsError> {
        let mut out: Rich = Vec::new();
        for (style, part) in &markup.parts {
            let style = if bold { style.bolder() } else { *style };
            let text = match part {
                Part::Literal(text) => text.clone(),
                Part::Field(name) => self.field(line, name, row)?,
            };
            match out.last_mut() {
                Some(last) if last.style == style => last.text.push_str(&text),
                _ => out.push(Span { style, text }),
            }
        }
        Ok(out)
    }

    fn field(
        &self,
        line: usize,
        name: &str,
        row: Option<(&str, Option<&Row>)>,
    ) -> Result<String, DocsError> {
        if let Some((list, row)) = row
            && row_fields(list).is_some_and(|names| names.contains(&name))
        {
            return Ok(row.and_then(|r| r.get(name)).cloned().unwrap_or_default());
        }
        match self.values.scalar(name) {
            Some(text) => Ok(text.to_string()),
            None => {
                let known: Vec<&str> = self.values.scalar_names().copied().collect();
                let mut message = format!("không có trường “{name}”");
                if let Some((list, _)) = row
                    && let Some(names) = row_fields(list)
                {
                    message.push_str(&format!("; trường của dòng “{list}”: {}", names.join(", ")));
                }
                message.push_str(&format!("; các trường: {}", known.join(", ")));
                Err(self.err(line, message))
            }
        }
    }

    fn list(&self, line: usize, name: &str) -> Result<&[Row], DocsError> {
        self.values.list(name).ok_or_else(|| {
            self.err(
                line,
                format!("không có danh sách “{name}” (components, handovers, log, recipients)"),
            )
        })
    }

    fn nodes(
        &self,
        nodes: &[Node],
        row: Option<(&str, Option<&Row>)>,
        out: &mut Vec<Block>,
    ) -> Result<(), DocsError> {
        for node in nodes {
            self.node(node, row, out)?;
        }
        Ok(())
    }

    fn node(
        &self,
        node: &Node,
        row: Option<(&str, Option<&Row>)>,
        out: &mut Vec<Block>,
    ) -> Result<(), DocsError> {
        match node {
            Node::Heading { line, left } => {
                let left = left
                    .iter()
                    .map(|m| self.fill(*line, m, row, false))
                    .collect::<Result<_, _>>()?;
                out.push(Block::Heading { left });
            }
            Node::Paragraph {
                line,
                align,
                grow,
                bold,
                bullet,
                text,
            } => out.push(Block::Paragraph {
                align: *align,
                grow: *grow,
                bullet: *bullet,
                text: self.fill(*line, text, row, *bold)?,
            }),
            Node::TwoColumns { line, left, right } => out.push(Block::TwoColumns {
                left: self.fill(*line, left, row, false)?,
                right: self.fill(*line, right, row, false)?,
            }),
            Node::Space(mm) => out.push(Block::Space(*mm)),
            Node::Rule => out.push(Block::Rule),
            Node::Qr {
                line,
                size_mm,
                lines,
            } => {
                let url = self.field(*line, "tracking_url", None)?;
                let data = if url.is_empty() {
                    self.field(*line, "dossier.code", None)?
                } else {
                    url
                };
                let lines = lines
                    .iter()
                    .map(|m| self.fill(*line, m, row, false))
                    .collect::<Result<_, _>>()?;
                out.push(Block::Qr {
                    size_mm: *size_mm,
                    data,
                    lines,
                });
            }
            Node::Table {
                line,
                list,
                columns,
                empty,
            } => {
                let rows = self.list(*line, list)?;
                let header = columns
                    .iter()
                    .map(|c| self.fill(*line, &c.header, None, true))
                    .collect::<Result<_, _>>()?;
                // Check every cell against the list's fields even when there are no rows.
                for c in columns {
                    self.fill(*line, &c.cell, Some((list, None)), false)?;
                }
                let mut body = Vec::new();
                for r in rows {
                    let cells = columns
                        .iter()
                        .map(|c| self.fill(*line, &c.cell, Some((list, Some(r))), false))
                        .collect::<Result<_, _>>()?;
                    body.push(cells);
                }
                if body.is_empty()
                    && let Some(empty) = empty
                {
                    let mut cells = vec![Vec::new(); columns.len()];
                    if let Some(first) = cells.first_mut() {
                        *first = self.fill(*line, empty, None, false)?;
                    }
                    body.push(cells);
                }
                out.push(Block::Table {
                    widths: columns.iter().map(|c| c.width).collect(),
                    aligns: columns.iter().map(|c| c.align).collect(),
                    header,
                    rows: body,
                });
            }
            Node::Each { line, list, body } => {
                let rows = self.list(*line, list)?;
                let mut scratch = Vec::new();
                self.nodes(body, Some((list, None)), &mut scratch)?;
                for r in rows {
                    self.nodes(body, Some((list, Some(r))), out)?;
                }
            }
            Node::Signatures { line, columns } => {
                let mut filled = Vec::new();
                for c in columns {
                    let drawing = match &c.drawing {
                        Some(m) => self
                            .fill(*line, m, row, false)?
                            .into_iter()
                            .map(|s| s.text)
                            .collect(),
                        None => String::new(),
                    };
                    filled.push(SignCell {
                        texts: [
                            self.fill(*line, &c.title, row, true)?,
                            self.fill(*line, &c.note, row, false)?,
                            self.fill(*line, &c.name, row, true)?,
                        ],
                        drawing,
                    });
                }
                out.push(Block::Signatures(filled));
            }
            Node::If {
                line,
                field,
                negate,
                body,
            } => {
                let truth = match row {
                    Some((list, r))
                        if row_fields(list)
                            .is_some_and(|names| names.contains(&field.as_str())) =>
                    {
                        r.and_then(|r| r.get(field.as_str()))
                            .is_some_and(|text| !text.trim().is_empty())
                    }
                    _ => self.values.truthy(field).ok_or_else(|| {
                        self.err(*line, format!("không có trường hay danh sách “{field}”"))
                    })?,
                };
                // Both branches are checked; only the true one is kept.
                let mut scratch = Vec::new();
                self.nodes(body, row, &mut scratch)?;
                if truth != *negate {
                    out.extend(scratch);
                }
            }
        }
        Ok(())
    }
}

/// Fills `template` with `values`; unknown fields are errors naming file and line.
pub(crate) fn fill(template: &Template, values: &Values) -> Result<Vec<Block>, DocsError> {
    let filler = Filler {
        file: &template.file,
        values,
    };
    let mut out = Vec::new();
    filler.nodes(&template.nodes, None, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regime::{FormKind, Regime, form};
    use crate::template::parse;

    fn blocks(source: &str) -> Result<Vec<Block>, DocsError> {
        let spec = form(Regime::Tt01_2018, FormKind::Apology).unwrap();
        let values = Values::from_context(&crate::sample::context(), &spec);
        fill(&parse("t.tpl", source)?, &values)
    }

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => {
                    Some(text.iter().map(|s| s.text.as_str()).collect())
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn conditions_and_repetition_read_rows_and_fields() {
        let out = blocks(
            "each recipients\nif text\nitem {{index}}. {{text}}\nendif\nendeach\n\
             ifnot applicant.email\np no e-mail\nendif\nif reason\np {{applicant.name}}\nendif",
        )
        .unwrap();
        assert_eq!(
            texts(&out),
            ["1. Như trên;", "2. Lưu: VT, BPMC.", "Nguyễn Thị Hồng Nhung"]
        );
    }

    #[test]
    fn field_values_are_never_read_as_markup() {
        let spec = form(Regime::Tt01_2018, FormKind::Refusal).unwrap();
        let mut ctx = crate::sample::context();
        ctx.reason = "**không đậm** {{applicant.name}}".to_string();
        let values = Values::from_context(&ctx, &spec);
        let out = fill(&parse("t.tpl", "p Lý do: {{reason}}").unwrap(), &values).unwrap();
        assert_eq!(texts(&out), ["Lý do: **không đậm** {{applicant.name}}"]);
    }

    #[test]
    fn an_empty_table_shows_its_empty_line() {
        let spec = form(Regime::Tt01_2018, FormKind::Receipt).unwrap();
        let mut ctx = crate::sample::context();
        ctx.components.clear();
        let values = Values::from_context(&ctx, &spec);
        let template = parse(
            "t.tpl",
            "table components\ncol 1 TT | {{index}}\ncol 5 Tên | {{name}}\nempty (trống)\nend",
        )
        .unwrap();
        let out = fill(&template, &values).unwrap();
        let Some(Block::Table { rows, .. }) = out.first() else {
            panic!("no table: {out:?}");
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][0][0].text, "(trống)");
    }
}
