//! motcua's domain: pure types and rules with no IO — the working calendar and deadlines,
//! the catalogue of procedures, agencies, and the dossier state machine.

pub mod agency;
pub mod calendar;
pub mod catalogue;
pub mod digitised;
pub mod dossier;
pub mod error;
pub mod evaluation;
pub mod identity;
pub mod password;
pub mod payment;
pub mod population;
pub mod portal;
pub mod rating;
pub mod support;
pub mod text;
pub mod webhook;

pub use error::FieldError;
