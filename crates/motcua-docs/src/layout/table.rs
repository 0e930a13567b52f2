//! Tables: cells wrapped in their columns, rows kept whole, the header repeated on each page.

use super::wrap::{Line, wrap};
use super::{Flow, Op, PAD};
use crate::template::{Align, Rich};

impl Flow<'_> {
    pub(super) fn table(
        &mut self,
        widths: &[f32],
        aligns: &[Align],
        header: &[Rich],
        rows: &[Vec<Rich>],
    ) {
        let total: f32 = widths.iter().sum();
        let scale = if total > 0.0 {
            self.content_width() / total
        } else {
            0.0
        };
        let widths: Vec<f32> = widths.iter().map(|w| w * scale).collect();
        let size = self.size;
        let lh = self.line_height(size);
        let set_row = |cells: &[Rich], flow: &Flow| -> (Vec<Vec<Line>>, f32) {
            let lines: Vec<Vec<Line>> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| wrap(c, flow.metrics, size, (w - 2.0 * PAD).max(1.0)))
                .collect();
            let most = lines.iter().map(Vec::len).max().unwrap_or(1);
            let h = most as f32 * lh + 2.0 * PAD;
            (lines, h)
        };
        let (head_lines, head_h) = set_row(header, self);
        let centred = vec![Align::Center; widths.len()];
        let draw = |flow: &mut Flow, lines: &[Vec<Line>], h: f32, aligns: &[Align]| {
            let top = flow.y;
            let mut x = flow.left;
            flow.hline(flow.left, flow.right, top);
            for ((cell, w), align) in lines.iter().zip(&widths).zip(aligns) {
                flow.ops.push(Op::Line {
                    x1: x,
                    y1: top,
                    x2: x,
                    y2: top + h,
                });
                flow.lines_at(cell, *align, x + PAD, w - 2.0 * PAD, top + PAD, size);
                x += w;
            }
            flow.ops.push(Op::Line {
                x1: flow.right,
                y1: top,
                x2: flow.right,
                y2: top + h,
            });
            flow.hline(flow.left, flow.right, top + h);
            flow.y = top + h;
        };
        let first = rows.first().map(|r| set_row(r, self).1).unwrap_or(0.0);
        self.ensure(head_h + first);
        draw(self, &head_lines, head_h, &centred);
        for row in rows {
            let (lines, h) = set_row(row, self);
            if self.y + h > self.bottom {
                self.new_page();
                draw(self, &head_lines, head_h, &centred);
            }
            draw(self, &lines, h, aligns);
        }
        self.y += size * 0.5;
    }
}
