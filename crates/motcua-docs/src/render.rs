//! Lập biểu mẫu — the entry points: pick the form for the dossier's regime, fill its template,
//! lay it out and write the PDF.

use crate::context::FormContext;
use crate::error::DocsError;
use crate::layout::{lay_out, page_size};
use crate::pdf;
use crate::regime::{FormKind, FormSpec, RegimeConfig, SignedBy, all_forms, form};
use crate::template::{Align, Block, Span, Style, Template, Templates, fill, parse};
use crate::values::Values;

/// A rendered form.
#[derive(Debug, Clone)]
pub struct RenderedForm {
    pub spec: FormSpec,
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Page size in points (width, height).
    pub page_size: (f32, f32),
    /// Printed as a draft: the person who signs it is not known yet (an apology not yet
    /// approved, a receipt not yet accepted). A draft says so under its heading and is
    /// never issued or signed.
    pub draft: bool,
    /// Where a visible signature stamp fits on the last page: the distance in points from
    /// the page's top to just under the content, when the room below holds the stamp
    /// (always, when the context asked for `room_for_stamp`).
    pub stamp_top: Option<f32>,
}

/// The room kept at the end of a form that will carry a visible signature stamp: the
/// stamp's height and a little air.
const STAMP_ROOM_MM: f32 = 19.0;

/// How far down the last of `count` pages its content reaches, in points from the top: the
/// lowest text line (with its descenders), rule or QR module; its page number at the foot
/// ("Trang n/n") does not count.
fn content_bottom(page: &crate::layout::PageOut, count: usize) -> f32 {
    use crate::layout::Op;
    let footer = format!("Trang {count}/{count}");
    page.ops
        .iter()
        .filter_map(|op| match op {
            Op::Text { text, .. } if *text == footer => None,
            Op::Text { y, size, .. } => Some(y + size * 0.3),
            Op::Fill { y, h, .. } => Some(y + h),
            Op::Line { y1, y2, .. } => Some(y1.max(*y2)),
        })
        .fold(0.0, f32::max)
}

/// The line a draft carries under its heading.
pub const DRAFT_MARK: &str = "BẢN DỰ THẢO — chưa có người ký, chưa được phát hành";

/// Whether `ctx` lacks the signer `spec`'s form needs to be final.
pub fn is_draft(ctx: &FormContext, spec: &FormSpec) -> bool {
    match spec.kind.signed_by() {
        Some(SignedBy::Officer) => ctx.officer.name.trim().is_empty(),
        Some(SignedBy::Head) => ctx.head.name.trim().is_empty(),
        None => false,
    }
}

/// Renders the form of `kind` for a dossier received on `received` (the date that decides
/// the regime), using the shipped templates or their overrides.
pub fn render(
    kind: FormKind,
    received: chrono::NaiveDate,
    ctx: &FormContext,
    regimes: &RegimeConfig,
    templates: &Templates,
) -> Result<RenderedForm, DocsError> {
    let regime = regimes.regime_on(received);
    let spec = form(regime, kind).ok_or_else(|| DocsError::NotInRegime {
        form: kind.label_vi().to_string(),
        regime: regime.label_vi().to_string(),
    })?;
    render_with(ctx, &spec, templates)
}

/// Renders one given form.
pub fn render_with(
    ctx: &FormContext,
    spec: &FormSpec,
    templates: &Templates,
) -> Result<RenderedForm, DocsError> {
    let template = templates.load(spec.template)?;
    render_template(ctx, spec, &template)
}

/// Renders the sample data with a template text that is not saved yet, so an administrator
/// sees errors (file and line) and a preview before saving `file` in the override directory.
pub fn preview_template(file: &str, source: &str) -> Result<RenderedForm, DocsError> {
    let spec = all_forms()
        .iter()
        .find(|f| f.template == file)
        .ok_or_else(|| DocsError::UnknownTemplate {
            file: file.to_string(),
        })?;
    let template = parse(file, source)?;
    render_template(&crate::sample::context(), spec, &template)
}

/// Renders `ctx` with a template text of the caller's (a document that is not one of the
/// official forms, e.g. a result), on the fields of `spec`; `file` names it in errors.
pub fn render_custom(
    ctx: &FormContext,
    spec: &FormSpec,
    file: &str,
    source: &str,
) -> Result<RenderedForm, DocsError> {
    let template = parse(file, source)?;
    render_template(ctx, spec, &template)
}

fn render_template(
    ctx: &FormContext,
    spec: &FormSpec,
    template: &Template,
) -> Result<RenderedForm, DocsError> {
    let values = Values::from_context(ctx, spec);
    let mut blocks = fill(template, &values)?;
    let draft = is_draft(ctx, spec);
    if draft {
        // Under the heading and its number line, whatever the template says.
        let at = blocks
            .iter()
            .position(|b| !matches!(b, Block::Heading { .. } | Block::TwoColumns { .. }))
            .unwrap_or(blocks.len());
        blocks.insert(
            at,
            Block::Paragraph {
                align: Align::Center,
                grow: 0.0,
                bullet: false,
                text: vec![Span {
                    style: Style::Bold,
                    text: DRAFT_MARK.to_string(),
                }],
            },
        );
    }
    let title = if ctx.dossier_code.is_empty() {
        spec.name.to_string()
    } else {
        format!("{} — {}", spec.name, ctx.dossier_code)
    };
    let out = write_blocks(
        blocks,
        &template.setup,
        &title,
        ctx.issued_on,
        ctx.room_for_stamp,
    )?;
    Ok(RenderedForm {
        spec: *spec,
        pdf: out.pdf,
        pages: out.pages,
        page_size: out.page_size,
        draft,
        stamp_top: out.stamp_top,
    })
}

/// A laid-out and written document.
pub(crate) struct Written {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub page_size: (f32, f32),
    pub stamp_top: Option<f32>,
}

/// Lays `blocks` out on `setup`'s pages (keeping room for a stamp when asked) and writes
/// them as a PDF titled `title`, dated `date`.
pub(crate) fn write_blocks(
    mut blocks: Vec<Block>,
    setup: &crate::template::PageSetup,
    title: &str,
    date: chrono::NaiveDate,
    room_for_stamp: bool,
) -> Result<Written, DocsError> {
    if room_for_stamp {
        blocks.push(Block::Room(STAMP_ROOM_MM));
    }
    let pages = lay_out(&blocks, setup)?;
    let stamp_top = pages.last().and_then(|last| {
        let top = content_bottom(last, pages.len()) + 2.0;
        (top + crate::sign::STAMP_HEIGHT + 6.0 <= last.height).then_some(top)
    });
    let bytes = pdf::write(&pages, title, date)?;
    Ok(Written {
        pdf: bytes,
        pages: pages.len(),
        page_size: page_size(setup),
        stamp_top,
    })
}
