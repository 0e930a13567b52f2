//! Danh mục thủ tục hành chính — the procedure catalogue: what each procedure needs, how long
//! it may take per channel, its fees, who performs it and through which workflow steps, plus
//! the JSON file it is imported from and exported to (`docs/CATALOGUE-FORMAT.md`).

mod channel;
mod code;
mod file;
mod locate;
mod messages;
mod model;
mod validate;

#[cfg(test)]
mod demo_tests;
#[cfg(test)]
mod sample;

pub use channel::{Channel, OnlineLevel};
pub use code::ProcedureCode;
pub use file::{FORMAT_NAME, FORMAT_VERSION, ImportError, export_catalogue, parse_catalogue};
pub use model::{
    Case, ChannelTime, Component, DeadlineRules, Fee, Field, LegalDocument, Procedure, StepAgency,
    WorkflowStep,
};
pub use validate::HOURS_PER_WORKING_DAY;
