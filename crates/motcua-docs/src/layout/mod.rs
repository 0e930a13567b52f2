//! Dàn trang — sets filled blocks on pages: the national heading, paragraphs, QR blocks,
//! tables that break across pages with their header repeated, and signature blocks.

pub(crate) mod fonts;
mod table;
mod wrap;

use crate::error::DocsError;
use crate::template::{Align, Block, PageSetup, Paper, Rich, SignCell, Span, Style};
use fonts::Metrics;
use motcua_domain::dossier::{DRAWING_ASPECT, DRAWING_SCALE, Drawing};
use wrap::{Line, wrap};

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;

/// Something drawn on a page; coordinates in points from the top-left corner, text by its
/// baseline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        style: Style,
        text: String,
    },
    /// A filled black rectangle (QR modules).
    Fill { x: f32, y: f32, w: f32, h: f32 },
    /// A thin line.
    Line { x1: f32, y1: f32, x2: f32, y2: f32 },
}

/// One laid-out page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageOut {
    pub width: f32,
    pub height: f32,
    pub ops: Vec<Op>,
}

/// Page size in points, portrait or landscape.
pub(crate) fn page_size(setup: &PageSetup) -> (f32, f32) {
    let (w, h) = match setup.paper {
        Paper::A4 => (210.0 * MM, 297.0 * MM),
        Paper::A5 => (148.0 * MM, 210.0 * MM),
    };
    if setup.landscape { (h, w) } else { (w, h) }
}

const QUOC_HIEU: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const TIEU_NGU: &str = "Độc lập - Tự do - Hạnh phúc";
const LEADING: f32 = 1.22;
const PAD: f32 = 2.5;

struct Flow<'a> {
    metrics: &'a Metrics,
    size: f32,
    width: f32,
    height: f32,
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
    y: f32,
    pages: Vec<PageOut>,
    ops: Vec<Op>,
}

impl Flow<'_> {
    fn content_width(&self) -> f32 {
        self.right - self.left
    }

    fn line_height(&self, size: f32) -> f32 {
        size * LEADING
    }

    fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(PageOut {
            width: self.width,
            height: self.height,
            ops,
        });
        self.y = self.top;
    }

    /// Starts a new page unless `needed` points still fit (or the page is still empty).
    fn ensure(&mut self, needed: f32) {
        if self.y + needed > self.bottom && self.y > self.top {
            self.new_page();
        }
    }

    fn draw_line(&mut self, line: &Line, x: f32, baseline: f32, size: f32) {
        let mut x = x;
        for (span, w) in &line.pieces {
            if !span.text.trim().is_empty() {
                self.ops.push(Op::Text {
                    x,
                    y: baseline,
                    size,
                    style: span.style,
                    text: span.text.clone(),
                });
            }
            x += w;
        }
    }

    /// Sets lines in the box [x, x + w] from `top`; returns the height used.
    fn lines_at(
        &mut self,
        lines: &[Line],
        align: Align,
        x: f32,
        w: f32,
        top: f32,
        size: f32,
    ) -> f32 {
        let lh = self.line_height(size);
        for (i, line) in lines.iter().enumerate() {
            let lx = match align {
                Align::Left => x,
                Align::Center => x + (w - line.width()) / 2.0,
                Align::Right => x + w - line.width(),
            };
            self.draw_line(line, lx, top + lh * (i as f32) + size * 0.93, size);
        }
        lh * lines.len() as f32
    }

    fn hline(&mut self, x1: f32, x2: f32, y: f32) {
        self.ops.push(Op::Line {
            x1,
            y1: y,
            x2,
            y2: y,
        });
    }

    fn heading(&mut self, left: &[Rich]) {
        // An agency without a parent line leaves its field empty: skip blank lines.
        let left: Vec<&Rich> = left
            .iter()
            .filter(|r| r.iter().any(|s| !s.text.trim().is_empty()))
            .collect();
        let total = self.content_width();
        let left_w = total * 0.42;
        let right_w = total - left_w;
        let right_x = self.left + left_w;
        // Fit the national motto line in its column, at most at the body size.
        let mut size = self.size;
        while size > 6.0 && self.metrics.width(QUOC_HIEU, Style::Bold, size) > right_w - 2.0 {
            size -= 0.25;
        }
        let top = self.y;
        // Left: parent agency (regular) and issuing agency (bold), upper case, centred.
        let count = left.len();
        let mut y = top;
        for (i, rich) in left.iter().enumerate() {
            let text: Rich = rich
                .iter()
                .map(|s| Span {
                    style: if i + 1 == count {
                        s.style.bolder()
                    } else {
                        s.style
                    },
                    text: s.text.to_uppercase(),
                })
                .collect();
            let lines = wrap(&text, self.metrics, size, left_w - 4.0);
            y += self.lines_at(&lines, Align::Center, self.left, left_w, y, size);
        }
        if let Some(last) = left.last() {
            let text: String = last.iter().map(|s| s.text.to_uppercase()).collect();
            let w = self
                .metrics
                .width(&text, Style::Bold, size)
                .min(left_w - 4.0)
                / 3.0;
            let mid = self.left + left_w / 2.0;
            self.hline(mid - w / 2.0, mid + w / 2.0, y + 1.5);
        }
        // Right: quốc hiệu and tiêu ngữ with its rule.
        let qh = [Span {
            style: Style::Bold,
            text: QUOC_HIEU.to_string(),
        }];
        let lines = wrap(&qh.to_vec(), self.metrics, size, right_w);
        let mut ry = top + self.lines_at(&lines, Align::Center, right_x, right_w, top, size);
        let motto_size = size + 1.0;
        let tn = [Span {
            style: Style::Bold,
            text: TIEU_NGU.to_string(),
        }];
        let lines = wrap(&tn.to_vec(), self.metrics, motto_size, right_w);
        ry += self.lines_at(&lines, Align::Center, right_x, right_w, ry, motto_size);
        let w = self.metrics.width(TIEU_NGU, Style::Bold, motto_size);
        let mid = right_x + right_w / 2.0;
        self.hline(mid - w / 2.0, mid + w / 2.0, ry + 1.0);
        self.y = y.max(ry) + 4.0;
    }

    fn two_columns(&mut self, left: &Rich, right: &Rich) {
        let total = self.content_width();
        let left_w = total * 0.42;
        let right_w = total - left_w;
        let l = wrap(left, self.metrics, self.size, left_w - 4.0);
        let r = wrap(right, self.metrics, self.size, right_w);
        let h = self.line_height(self.size) * l.len().max(r.len()) as f32;
        self.ensure(h);
        let top = self.y;
        self.lines_at(&l, Align::Center, self.left, left_w, top, self.size);
        self.lines_at(
            &r,
            Align::Center,
            self.left + left_w,
            right_w,
            top,
            self.size,
        );
        self.y = top + h + 2.0;
    }

    fn paragraph(&mut self, align: Align, size: f32, bullet: bool, text: &Rich) {
        let indent = if bullet { 4.0 * MM } else { 0.0 };
        let lines = wrap(text, self.metrics, size, self.content_width() - indent);
        let lh = self.line_height(size);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(lh);
            if bullet && i == 0 {
                let dash = [Span {
                    style: Style::Regular,
                    text: "-".to_string(),
                }];
                let lead = wrap(&dash.to_vec(), self.metrics, size, indent);
                self.lines_at(
                    &lead,
                    Align::Left,
                    self.left + 1.5 * MM,
                    indent,
                    self.y,
                    size,
                );
            }
            let top = self.y;
            self.lines_at(
                std::slice::from_ref(line),
                align,
                self.left + indent,
                self.content_width() - indent,
                top,
                size,
            );
            self.y += lh;
        }
        self.y += size * 0.15;
    }

    fn qr(&mut self, size_mm: f32, data: &str, lines: &[Rich]) -> Result<(), DocsError> {
        let side = size_mm * MM;
        let gap = 3.0 * MM;
        let text_w = self.content_width() - side - gap;
        let set: Vec<Vec<Line>> = lines
            .iter()
            .map(|r| wrap(r, self.metrics, self.size, text_w))
            .collect();
        let text_h: f32 = set
            .iter()
            .map(|l| l.len() as f32 * self.line_height(self.size))
            .sum();
        self.ensure(side.max(text_h));
        let top = self.y;
        let modules = crate::qr::modules(data)?;
        let n = modules.len() as f32;
        let cell = side / n;
        for (row, bits) in modules.iter().enumerate() {
            // Runs of dark modules become one rectangle: fewer drawing operators.
            let mut col = 0;
            while col < bits.len() {
                if bits[col] {
                    let start = col;
                    while col < bits.len() && bits[col] {
                        col += 1;
                    }
                    self.ops.push(Op::Fill {
                        x: self.left + start as f32 * cell,
                        y: top + row as f32 * cell,
                        w: (col - start) as f32 * cell,
                        h: cell,
                    });
                } else {
                    col += 1;
                }
            }
        }
        let mut y = top + (side - text_h).max(0.0) / 2.0;
        let x = self.left + side + gap;
        for l in &set {
            y += self.lines_at(l, Align::Left, x, text_w, y, self.size);
        }
        self.y = top + side.max(text_h) + 2.0;
        Ok(())
    }

    /// The height a row of signature columns takes.
    fn signatures_height(&self, columns: &[SignCell]) -> f32 {
        if columns.is_empty() {
            return 0.0;
        }
        self.signature_set(columns).1
    }

    /// The signature columns' wrapped lines, and the row's height.
    fn signature_set(&self, columns: &[SignCell]) -> (Vec<[Vec<Line>; 3]>, f32) {
        let w = self.content_width() / columns.len() as f32;
        let size = self.size;
        let set: Vec<[Vec<Line>; 3]> = columns
            .iter()
            .map(
                |SignCell {
                     texts: [t, n, name],
                     ..
                 }| {
                    let italic: Rich = n
                        .iter()
                        .map(|s| Span {
                            style: Style::Italic,
                            text: s.text.clone(),
                        })
                        .collect();
                    [
                        wrap(t, self.metrics, size, w - 4.0),
                        wrap(&italic, self.metrics, size - 1.0, w - 4.0),
                        wrap(name, self.metrics, size, w - 4.0),
                    ]
                },
            )
            .collect();
        let lh = self.line_height(size);
        let h = set
            .iter()
            .map(|[t, n, name]| (t.len() + n.len() + name.len()) as f32 * lh + SIGN_GAP)
            .fold(0.0, f32::max);
        (set, h)
    }

    fn signatures(&mut self, columns: &[SignCell]) {
        if columns.is_empty() {
            return;
        }
        let w = self.content_width() / columns.len() as f32;
        let size = self.size;
        let lh = self.line_height(size);
        let gap = SIGN_GAP;
        let (set, h) = self.signature_set(columns);
        self.ensure(h);
        let top = self.y;
        for (i, [t, n, name]) in set.iter().enumerate() {
            let x = self.left + w * i as f32;
            let mut y = top;
            y += self.lines_at(t, Align::Center, x, w, y, size);
            y += self.lines_at(n, Align::Center, x, w, y, size - 1.0);
            let name_top = (top + h - name.len() as f32 * lh).max(y + gap);
            if let Ok(drawing) = Drawing::from_compact(&columns[i].drawing) {
                self.drawing(&drawing, x, y, w, name_top - y);
            }
            self.lines_at(name, Align::Center, x, w, name_top, size);
        }
        self.y = top + h + 2.0;
    }
}

impl Flow<'_> {
    /// A signature drawn at the counter, in the box at (`x`, `y`) of `w` × `h` points: kept in
    /// the pad's proportions (three wide to one high), centred, its strokes as lines.
    fn drawing(&mut self, drawing: &Drawing, x: f32, y: f32, w: f32, h: f32) {
        let scale = f32::from(DRAWING_SCALE);
        let box_h = (h - 2.0).min((w - 8.0) / DRAWING_ASPECT).max(0.0);
        let box_w = box_h * DRAWING_ASPECT;
        let left = x + (w - box_w) / 2.0;
        let top = y + (h - box_h) / 2.0;
        let at = |(px, py): (u16, u16)| {
            (
                left + f32::from(px) / scale * box_w,
                top + f32::from(py) / scale * box_h,
            )
        };
        for stroke in drawing.strokes() {
            for pair in stroke.windows(2) {
                let ((x1, y1), (x2, y2)) = (at(pair[0]), at(pair[1]));
                self.ops.push(Op::Line { x1, y1, x2, y2 });
            }
        }
    }
}

/// Lays one block out at the flow's place.
fn lay_block(flow: &mut Flow<'_>, block: &Block, setup: &PageSetup) -> Result<(), DocsError> {
    match block {
        Block::Heading { left } => flow.heading(left),
        Block::TwoColumns { left, right } => flow.two_columns(left, right),
        Block::Paragraph {
            align,
            grow,
            bullet,
            text,
        } => flow.paragraph(*align, setup.font_size + grow, *bullet, text),
        Block::Space(mm) => flow.y += mm * MM,
        Block::Room(mm) => {
            flow.ensure(mm * MM);
            flow.y += mm * MM;
        }
        Block::Rule => {
            let (l, r, y) = (flow.left, flow.right, flow.y);
            flow.hline(l, r, y);
            flow.y += 2.0;
        }
        Block::Qr {
            size_mm,
            data,
            lines,
        } => flow.qr(*size_mm, data, lines)?,
        Block::Table {
            widths,
            aligns,
            header,
            rows,
        } => flow.table(widths, aligns, header, rows),
        Block::Signatures(columns) => flow.signatures(columns),
    }
    Ok(())
}

/// The room left to sign between a signature column's note and its name.
const SIGN_GAP: f32 = 16.0 * MM;

/// Lays `blocks` out on pages of `setup`; multi-page documents get "Trang i/n" at the foot.
pub(crate) fn lay_out(blocks: &[Block], setup: &PageSetup) -> Result<Vec<PageOut>, DocsError> {
    let metrics = Metrics::load()?;
    let (width, height) = page_size(setup);
    let [top, right, bottom, left] = setup.margins.map(|m| m * MM);
    let mut flow = Flow {
        metrics: &metrics,
        size: setup.font_size,
        width,
        height,
        left,
        right: width - right,
        top,
        bottom: height - bottom,
        y: top,
        pages: Vec::new(),
        ops: Vec::new(),
    };
    // Where each block began: its first op, its top, and the page it began on.
    let mut starts: Vec<(usize, f32, usize)> = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        // A signature block (or the room kept for a stamp) is never alone on a page: when it
        // must go to the next one, the block before it goes along (unless that one began at
        // the top of its page).
        let kept_with_previous = match block {
            Block::Signatures(columns) => Some(flow.signatures_height(columns)),
            Block::Room(mm) => Some(mm * MM),
            _ => None,
        };
        if let Some(h) = kept_with_previous {
            let breaks = flow.y + h > flow.bottom && flow.y > flow.top;
            let previous = (0..i)
                .rev()
                .find(|&j| !matches!(blocks[j], Block::Space(_)));
            if breaks && let Some(j) = previous {
                let (ops, top, page) = starts[j];
                if page == flow.pages.len() && top > flow.top {
                    flow.ops.truncate(ops);
                    flow.y = top;
                    flow.new_page();
                    starts.truncate(j);
                    for moved in &blocks[j..i] {
                        starts.push((flow.ops.len(), flow.y, flow.pages.len()));
                        lay_block(&mut flow, moved, setup)?;
                    }
                }
            }
        }
        starts.push((flow.ops.len(), flow.y, flow.pages.len()));
        lay_block(&mut flow, block, setup)?;
    }
    flow.new_page();
    let mut pages = flow.pages;
    let count = pages.len();
    if count > 1 {
        let size = setup.font_size - 1.0;
        for (i, page) in pages.iter_mut().enumerate() {
            let text = format!("Trang {}/{count}", i + 1);
            let w = metrics.width(&text, Style::Regular, size);
            page.ops.push(Op::Text {
                x: (width - w) / 2.0,
                y: height - bottom / 2.0,
                size,
                style: Style::Regular,
                text,
            });
        }
    }
    Ok(pages)
}

#[cfg(test)]
mod tests;
