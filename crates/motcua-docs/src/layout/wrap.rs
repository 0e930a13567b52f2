//! Line breaking: rich text cut into lines that fit a width, at spaces (or inside a word too
//! long for any line, such as a link).

use super::fonts::Metrics;
use crate::template::{Rich, Span, Style};

/// A set line: its pieces and their widths.
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    pub pieces: Vec<(Span, f32)>,
}

impl Line {
    pub(crate) fn width(&self) -> f32 {
        self.pieces.iter().map(|(_, w)| w).sum()
    }

    fn push(&mut self, style: Style, text: &str, metrics: &Metrics, size: f32) {
        let text = &metrics.printable(text, style);
        match self.pieces.last_mut() {
            Some((span, w)) if span.style == style => {
                span.text.push_str(text);
                *w = metrics.width(&span.text, style, size);
            }
            _ => self.pieces.push((
                Span {
                    style,
                    text: text.to_string(),
                },
                metrics.width(text, style, size),
            )),
        }
    }

    /// Drops the trailing spaces so right and centred lines sit true.
    fn trim_end(&mut self, metrics: &Metrics, size: f32) {
        while let Some((span, w)) = self.pieces.last_mut() {
            let trimmed = span.text.trim_end().len();
            if trimmed == span.text.len() {
                break;
            }
            span.text.truncate(trimmed);
            if span.text.is_empty() {
                self.pieces.pop();
            } else {
                *w = metrics.width(&span.text, span.style, size);
                break;
            }
        }
    }
}

/// Words with the spaces after them, and hard breaks.
enum Token<'a> {
    Word(Style, &'a str),
    Break,
}

fn tokens(text: &Rich) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    for span in text {
        for (i, segment) in span.text.split('\n').enumerate() {
            if i > 0 {
                out.push(Token::Break);
            }
            let mut start = 0;
            let bytes = segment.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                // A word ends after its run of spaces.
                if bytes[i] == b' ' && bytes.get(i + 1).is_none_or(|b| *b != b' ') {
                    out.push(Token::Word(span.style, &segment[start..=i]));
                    start = i + 1;
                }
                i += 1;
            }
            if start < segment.len() {
                out.push(Token::Word(span.style, &segment[start..]));
            }
        }
    }
    out
}

/// Breaks `text` into lines no wider than `max` points at `size`.
pub(crate) fn wrap(text: &Rich, metrics: &Metrics, size: f32, max: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut line = Line::default();
    for token in tokens(text) {
        match token {
            Token::Break => {
                line.trim_end(metrics, size);
                lines.push(std::mem::take(&mut line));
            }
            Token::Word(style, word) => {
                let bare = metrics.width(word.trim_end(), style, size);
                if line.width() + bare > max && !line.pieces.is_empty() {
                    line.trim_end(metrics, size);
                    lines.push(std::mem::take(&mut line));
                }
                if bare > max {
                    // Too long for any line (a link): cut after the last `/ ? = &` that fits,
                    // else between characters; never at a hyphen, which text extraction
                    // would take for a hyphenated word and drop.
                    let mut chunk = String::new();
                    for c in word.chars() {
                        chunk.push(c);
                        if metrics.width(&chunk, style, size) > max && chunk.chars().count() > 1 {
                            chunk.pop();
                            let cut = chunk
                                .rfind(['/', '?', '=', '&'])
                                .map(|i| i + 1)
                                .filter(|i| *i < chunk.len() && !chunk[..*i].ends_with("//"))
                                .unwrap_or(chunk.len());
                            let rest = chunk.split_off(cut);
                            line.push(style, &chunk, metrics, size);
                            lines.push(std::mem::take(&mut line));
                            chunk = rest;
                            chunk.push(c);
                        }
                    }
                    line.push(style, &chunk, metrics, size);
                } else {
                    line.push(style, word, metrics, size);
                }
            }
        }
    }
    line.trim_end(metrics, size);
    if !line.pieces.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rich(text: &str) -> Rich {
        vec![Span {
            style: Style::Regular,
            text: text.to_string(),
        }]
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.pieces.iter().map(|(s, _)| s.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn lines_fit_and_keep_every_word() {
        let m = Metrics::load().unwrap();
        let text = "Trung tâm Phục vụ hành chính công phường Hạc Thành tiếp nhận hồ sơ của bà \
                    Nguyễn Thị Hồng Nhung về việc đăng ký khai sinh";
        let lines = wrap(&rich(text), &m, 10.0, 150.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| l.width() <= 150.0));
        assert_eq!(texts(&lines).join(" "), text);
    }

    #[test]
    fn hard_breaks_and_styles_are_kept() {
        let m = Metrics::load().unwrap();
        let text = vec![
            Span {
                style: Style::Bold,
                text: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH".to_string(),
            },
            Span {
                style: Style::Italic,
                text: " (ký)".to_string(),
            },
        ];
        let lines = wrap(&text, &m, 10.0, 400.0);
        assert_eq!(texts(&lines), ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH (ký)"]);
        assert_eq!(lines[1].pieces.len(), 2);
    }

    #[test]
    fn a_long_link_breaks_after_a_separator_not_inside_the_code() {
        let m = Metrics::load().unwrap();
        let url = "https://motcua.thanhhoa.gov.vn/tra-cuu?ma=000.00.11.H56-261124-0007";
        let lines = wrap(&rich(url), &m, 10.0, 200.0);
        let texts = texts(&lines);
        assert_eq!(texts.concat(), url);
        assert!(
            texts.iter().any(|t| t == "000.00.11.H56-261124-0007"),
            "{texts:?}"
        );
    }
}
