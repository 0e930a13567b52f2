//! Mẫu trình bày — the layout templates: shipped defaults embedded in the binary, any of which
//! an administrator may override by putting a file of the same name in a directory.

mod eval;
mod parse;
mod text;

pub use eval::{Block, Rich, SignCell, Span};
pub use parse::{Align, PageSetup, Paper, Template, parse};
pub use text::Style;

pub(crate) use eval::fill;

use std::path::{Path, PathBuf};

use crate::error::DocsError;
use crate::regime::all_forms;

/// The shipped templates, by file name.
const DEFAULTS: [(&str, &str); 16] = [
    (
        "tt01-2018-mau-01.tpl",
        include_str!("../../templates/tt01-2018-mau-01.tpl"),
    ),
    (
        "tt01-2018-mau-02.tpl",
        include_str!("../../templates/tt01-2018-mau-02.tpl"),
    ),
    (
        "tt01-2018-mau-03.tpl",
        include_str!("../../templates/tt01-2018-mau-03.tpl"),
    ),
    (
        "tt01-2018-mau-03-sau-tham-dinh.tpl",
        include_str!("../../templates/tt01-2018-mau-03-sau-tham-dinh.tpl"),
    ),
    (
        "tt01-2018-mau-04.tpl",
        include_str!("../../templates/tt01-2018-mau-04.tpl"),
    ),
    (
        "tt01-2018-mau-05.tpl",
        include_str!("../../templates/tt01-2018-mau-05.tpl"),
    ),
    (
        "tt01-2018-mau-06.tpl",
        include_str!("../../templates/tt01-2018-mau-06.tpl"),
    ),
    (
        "tt03-2025-mau-01.tpl",
        include_str!("../../templates/tt03-2025-mau-01.tpl"),
    ),
    (
        "tt03-2025-mau-02.tpl",
        include_str!("../../templates/tt03-2025-mau-02.tpl"),
    ),
    (
        "tt03-2025-mau-03.tpl",
        include_str!("../../templates/tt03-2025-mau-03.tpl"),
    ),
    (
        "tt03-2025-mau-03-sau-tham-dinh.tpl",
        include_str!("../../templates/tt03-2025-mau-03-sau-tham-dinh.tpl"),
    ),
    (
        "tt03-2025-mau-04.tpl",
        include_str!("../../templates/tt03-2025-mau-04.tpl"),
    ),
    (
        "tt03-2025-mau-05.tpl",
        include_str!("../../templates/tt03-2025-mau-05.tpl"),
    ),
    (
        "tt03-2025-mau-06.tpl",
        include_str!("../../templates/tt03-2025-mau-06.tpl"),
    ),
    (
        "tt03-2025-mau-07.tpl",
        include_str!("../../templates/tt03-2025-mau-07.tpl"),
    ),
    (
        crate::receipt::RECEIPT_TEMPLATE,
        include_str!("../../templates/bien-lai-thu-phi.tpl"),
    ),
];

/// The shipped text of a template, by file name.
pub fn default_template(file: &str) -> Option<&'static str> {
    DEFAULTS
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, text)| *text)
}

/// Where templates come from: the shipped ones, and optionally a directory whose files
/// replace them by name.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    overrides: Option<PathBuf>,
}

impl Templates {
    /// Only the shipped templates.
    pub fn shipped() -> Self {
        Self { overrides: None }
    }

    /// The shipped templates, each replaced by `dir/<file name>` where that file exists.
    pub fn with_overrides(dir: impl Into<PathBuf>) -> Self {
        Self {
            overrides: Some(dir.into()),
        }
    }

    /// The source of `file`: the override if there is one, else the shipped text.
    pub fn source(&self, file: &str) -> Result<String, DocsError> {
        if let Some(dir) = &self.overrides {
            let path = dir.join(file);
            match std::fs::read_to_string(&path) {
                Ok(text) => return Ok(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(DocsError::Io { path, source }),
            }
        }
        default_template(file)
            .map(str::to_string)
            .ok_or_else(|| DocsError::template(file, 0, "không có mẫu nào mang tên này"))
    }

    /// Parses `file` (override or shipped).
    pub fn load(&self, file: &str) -> Result<Template, DocsError> {
        parse(file, &self.source(file)?)
    }

    /// Parses and checks every form's template (and the receipt's) against sample data, so an administrator
    /// learns about a broken override when saving it, not when a citizen waits for a slip.
    pub fn check_all(&self) -> Result<(), DocsError> {
        for form in all_forms() {
            crate::render::render_with(&crate::sample::context(), form, self)?;
        }
        crate::receipt::render_receipt(&crate::sample::receipt(), "", self, true)?;
        Ok(())
    }

    pub fn override_dir(&self) -> Option<&Path> {
        self.overrides.as_deref()
    }
}
