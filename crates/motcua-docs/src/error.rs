//! What rendering a form can refuse, each error saying where and why (in Vietnamese, for the
//! administrator who edits the templates).

use std::path::PathBuf;

/// Lỗi khi lập biểu mẫu — an error while building a form.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// A template line the parser or the renderer cannot use.
    #[error("mẫu {file}, dòng {line}: {message}")]
    Template {
        file: String,
        line: usize,
        message: String,
    },
    /// No form uses a template of this name.
    #[error("không có biểu mẫu nào dùng tệp mẫu “{file}”")]
    UnknownTemplate { file: String },
    /// The template directory given by the caller could not be read.
    #[error("không đọc được tệp mẫu {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The form asked for does not exist under the rules in force on the dossier's date.
    #[error("biểu mẫu “{form}” không có trong {regime}")]
    NotInRegime { form: String, regime: String },
    /// The tracking link is too long for a QR code.
    #[error("không tạo được mã QR: {0}")]
    Qr(String),
    /// A signature could not be made or read.
    #[error("chữ ký số: {0}")]
    Signature(String),
    /// The PDF writer or the bundled fonts failed.
    #[error("không tạo được tệp PDF: {0}")]
    Pdf(String),
}

impl DocsError {
    pub(crate) fn template(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self::Template {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}
