//! Giấy tờ số hóa của hồ sơ — which of a dossier's new files become documents of its
//! owner's data store: a file answering a component (scanned at the counter, uploaded with
//! an online filing or a supplement) as a document of that component's kind, and the result
//! as a document of the procedure's result kind. A file that reuses a document stays that
//! document; nothing is kept for an applicant without a valid identification number or tax
//! code.

use motcua_domain::catalogue::Procedure;
use motcua_domain::digitised::{DocumentMeta, Owner, Source, component_type, result_type};
use motcua_domain::dossier::Applicant;

use crate::documents::NewDocument;
use crate::files::{NewAttachment, Purpose};

/// Fills in the document each of `files` becomes, for a dossier of `applicant` under
/// `procedure`'s case `case_code` (what the counter typed about a file is kept).
pub(crate) fn describe(
    files: &mut [NewAttachment],
    applicant: &Applicant,
    procedure: &Procedure,
    case_code: &str,
) {
    let Some(owner) = Owner::of(applicant) else {
        // Nobody to keep them for: what was typed about them goes with the dossier's files
        // only.
        for file in files.iter_mut() {
            file.document = None;
        }
        return;
    };
    let case = procedure.case(case_code);
    for file in files.iter_mut() {
        if file.reuses.is_some() {
            continue;
        }
        let typed = file.document.take().map(|d| d.meta);
        let kind = match file.purpose {
            Purpose::Result => result_type(procedure).map(|(t, name)| (t, name, Source::Result)),
            Purpose::Intake | Purpose::Scan | Purpose::Supplement => file
                .component
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| case.and_then(|c| c.components.get(i)))
                .map(|c| {
                    let source = if file.purpose == Purpose::Scan {
                        Source::Scan
                    } else {
                        Source::Upload
                    };
                    (component_type(c), c.name.clone(), source)
                }),
        };
        file.document = kind.map(|(doc_type, type_name, source)| NewDocument {
            owner: owner.clone(),
            owner_name: applicant.name.clone(),
            doc_type,
            type_name,
            meta: typed.unwrap_or(DocumentMeta {
                // A scan is made from the original the officer holds; the agency's own
                // result needs no comparison.
                checked: source != Source::Upload,
                ..DocumentMeta::default()
            }),
            source,
        });
    }
}
