//! Inline text of a template line: `**bold**`, `*italic*`, `{{ field }}`, `\*` for a
//! literal star and `\n` for a line break.

/// How a run of text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Style {
    #[default]
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    fn with(bold: bool, italic: bool) -> Self {
        match (bold, italic) {
            (false, false) => Self::Regular,
            (true, false) => Self::Bold,
            (false, true) => Self::Italic,
            (true, true) => Self::BoldItalic,
        }
    }

    /// The same style made bold (for titles and table headers).
    pub fn bolder(self) -> Self {
        match self {
            Self::Regular | Self::Bold => Self::Bold,
            Self::Italic | Self::BoldItalic => Self::BoldItalic,
        }
    }
}

/// A piece of a line: literal text or a field, in a style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    Field(String),
}

/// A template line's text, parsed once; fields are filled at render time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Markup {
    pub parts: Vec<(Style, Part)>,
}

impl Markup {
    /// Every field the text refers to.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|(_, p)| match p {
            Part::Field(name) => Some(name.as_str()),
            Part::Literal(_) => None,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// Parses inline markup; the error names what is wrong (the caller adds file and line).
pub fn parse_markup(text: &str) -> Result<Markup, String> {
    let mut parts = Vec::new();
    let (mut bold, mut italic) = (false, false);
    let mut literal = String::new();
    let flush = |literal: &mut String, parts: &mut Vec<(Style, Part)>, style: Style| {
        if !literal.is_empty() {
            parts.push((style, Part::Literal(std::mem::take(literal))));
        }
    };
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let style = Style::with(bold, italic);
        if let Some(after) = rest.strip_prefix("\\*") {
            literal.push('*');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("\\n") {
            literal.push('\n');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("**") {
            flush(&mut literal, &mut parts, style);
            bold = !bold;
            rest = after;
        } else if let Some(after) = rest.strip_prefix('*') {
            flush(&mut literal, &mut parts, style);
            italic = !italic;
            rest = after;
        } else if let Some(after) = rest.strip_prefix("{{") {
            let Some(end) = after.find("}}") else {
                return Err("thiếu “}}” đóng tên trường".to_string());
            };
            let name = after[..end].trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            {
                return Err(format!("tên trường “{name}” không hợp lệ"));
            }
            flush(&mut literal, &mut parts, style);
            parts.push((style, Part::Field(name.to_string())));
            rest = &after[end + 2..];
        } else {
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if bold || italic {
        return Err("thiếu dấu “*” hoặc “**” đóng chữ nghiêng/đậm".to_string());
    }
    flush(&mut literal, &mut parts, Style::Regular);
    Ok(Markup { parts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_and_fields_are_split() {
        let m = parse_markup("Mã hồ sơ: **{{ dossier.code }}** *(ghi rõ)* 5\\*").unwrap();
        assert_eq!(
            m.parts,
            vec![
                (Style::Regular, Part::Literal("Mã hồ sơ: ".into())),
                (Style::Bold, Part::Field("dossier.code".into())),
                (Style::Regular, Part::Literal(" ".into())),
                (Style::Italic, Part::Literal("(ghi rõ)".into())),
                (Style::Regular, Part::Literal(" 5*".into())),
            ]
        );
    }

    #[test]
    fn unclosed_markup_is_refused() {
        assert!(parse_markup("**đậm").is_err());
        assert!(parse_markup("{{ten").is_err());
        assert!(parse_markup("{{tên trường}}").is_err());
    }
}
