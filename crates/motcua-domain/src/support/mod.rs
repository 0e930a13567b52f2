//! Hỗ trợ — the support desk: the hotline log, questions and answers (hỏi đáp), and feedback
//! and petitions (phản ánh, kiến nghị) on administrative regulations and on officers' conduct
//! (NĐ 20/2008 as amended by NĐ 48/2013; docs/FEEDBACK.md). What a case is, who may do what
//! to it, when it is due, when it is public and how it is scored are decided here.

mod call;
mod case;
mod policy;
mod score;

pub use call::{CallChannel, CallOutcome, NewCall};
pub use case::{
    Action, CATEGORIES, CaseView, Change, Channel, Kind, State, Submitter, SupportError,
    Visibility, category_label, check_text, looks_like_complaint, may,
};
pub use policy::SupportPolicy;
pub use score::{Counted, Tally, complaints_criterion, due_in, feedback_indicator};
