//! In biên lai — an e-receipt's printed form: the template `bien-lai-thu-phi.tpl` (shipped,
//! or an administrator's override) filled with the receipt as issued, laid out and written
//! as PDF/A, with room for the collecting agency's signature stamp when it will be signed.

use motcua_domain::payment::receipt::Receipt;

use crate::error::DocsError;
use crate::render::write_blocks;
use crate::template::{Templates, fill};
use crate::values::Values;

/// The receipt template's file name (the name an override directory uses too).
pub const RECEIPT_TEMPLATE: &str = "bien-lai-thu-phi.tpl";

/// A printed receipt.
#[derive(Debug, Clone)]
pub struct RenderedReceipt {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Where a signature stamp fits on the last page (see `RenderedForm::stamp_top`).
    pub stamp_top: Option<f32>,
}

/// Prints `receipt`, its QR code opening `tracking_url`; with room for a stamp when
/// `room_for_stamp`. The same receipt always gives the same bytes.
pub fn render_receipt(
    receipt: &Receipt,
    tracking_url: &str,
    templates: &Templates,
    room_for_stamp: bool,
) -> Result<RenderedReceipt, DocsError> {
    let template = templates.load(RECEIPT_TEMPLATE)?;
    let values = Values::from_receipt(receipt, tracking_url);
    let blocks = fill(&template, &values)?;
    let title = format!(
        "{} {} — {}",
        motcua_domain::payment::receipt::TITLE,
        receipt.label(),
        receipt.body.dossier_code
    );
    let date = receipt
        .issued_at
        .with_timezone(&motcua_domain::calendar::vietnam_offset())
        .date_naive();
    let out = write_blocks(blocks, &template.setup, &title, date, room_for_stamp)?;
    Ok(RenderedReceipt {
        pdf: out.pdf,
        pages: out.pages,
        stamp_top: out.stamp_top,
    })
}
