//! Đọc chữ của giấy tờ — the words of the data store's documents, so an officer or the owner
//! finds one by what it says: the text layer of a digital PDF (poppler's `pdftotext`), and,
//! for a scan (an image, or a PDF whose pages carry no text), OCR by Tesseract in Vietnamese
//! (Debian's `tesseract-ocr-vie`, rasterising a PDF's first pages with `pdftoppm`). It runs
//! in the background over the documents not read yet; without the tools everything else
//! works, and a document that needs a missing tool waits until it is installed.

use std::path::{Path, PathBuf};
use std::process::Command;

use motcua_db::DbError;

use crate::AppState;

/// How many pages of a scanned PDF are read by OCR.
const OCR_PAGES: u32 = 3;

/// Fewer visible characters than this in a PDF's text layer: it is a scan.
const TEXT_LAYER_MIN: usize = 20;

/// The tools found on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    pub pdftotext: bool,
    pub pdftoppm: bool,
    /// Tesseract with its Vietnamese data.
    pub tesseract: bool,
}

fn runs(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    Some(format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

impl Reader {
    /// Looks for the tools.
    pub fn detect() -> Self {
        Self {
            pdftotext: runs("pdftotext", &["-v"]).is_some(),
            pdftoppm: runs("pdftoppm", &["-v"]).is_some(),
            tesseract: runs("tesseract", &["--list-langs"])
                .is_some_and(|langs| langs.lines().any(|l| l.trim() == "vie")),
        }
    }

    /// Whether a file of `media_type` can be read at all with the tools found (a PDF may
    /// still turn out to be a scan that needs OCR).
    pub fn can_read(&self, media_type: &str) -> bool {
        match media_type {
            "application/pdf" => self.pdftotext,
            "image/png" | "image/jpeg" => self.tesseract,
            _ => true,
        }
    }

    /// The words of a file of `media_type` (folded for search), or `None` when a tool it
    /// needs is missing (it is read later, once installed).
    pub fn read(&self, bytes: &[u8], media_type: &str) -> Result<Option<String>, String> {
        let dir = Scratch::new()?;
        match media_type {
            "application/pdf" => {
                let file = dir.write("giay-to.pdf", bytes)?;
                if !self.pdftotext {
                    return Ok(None);
                }
                let text = tool(
                    Command::new("pdftotext")
                        .args(["-enc", "UTF-8"])
                        .arg(&file)
                        .arg("-"),
                )?;
                if text.chars().filter(|c| !c.is_whitespace()).count() >= TEXT_LAYER_MIN {
                    return Ok(Some(motcua_domain::digitised::words_of(&text)));
                }
                if !(self.pdftoppm && self.tesseract) {
                    return Ok(None);
                }
                tool(
                    Command::new("pdftoppm")
                        .args(["-r", "200", "-png", "-f", "1", "-l"])
                        .arg(OCR_PAGES.to_string())
                        .arg(&file)
                        .arg(dir.path().join("trang")),
                )?;
                let mut pages: Vec<PathBuf> = std::fs::read_dir(dir.path())
                    .map_err(|e| e.to_string())?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "png"))
                    .collect();
                pages.sort();
                let mut text = String::new();
                for page in pages {
                    text.push_str(&ocr(&page)?);
                    text.push(' ');
                }
                Ok(Some(motcua_domain::digitised::words_of(&text)))
            }
            "image/png" | "image/jpeg" => {
                if !self.tesseract {
                    return Ok(None);
                }
                let name = if media_type == "image/png" {
                    "giay-to.png"
                } else {
                    "giay-to.jpg"
                };
                let file = dir.write(name, bytes)?;
                Ok(Some(motcua_domain::digitised::words_of(&ocr(&file)?)))
            }
            _ => Ok(Some(String::new())),
        }
    }
}

/// Tesseract's reading of one image, in Vietnamese.
fn ocr(image: &Path) -> Result<String, String> {
    tool(
        Command::new("tesseract")
            .arg(image)
            .arg("-")
            .args(["-l", "vie"]),
    )
}

/// Runs a tool; its standard output, or why it failed.
fn tool(command: &mut Command) -> Result<String, String> {
    let out = command.output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "{:?}: {}",
            command.get_program(),
            String::from_utf8_lossy(&out.stderr)
                .chars()
                .take(300)
                .collect::<String>()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A folder of its own under the temporary directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self, String> {
        let token = motcua_db::random_token(8).map_err(|e| e.to_string())?;
        let dir = std::env::temp_dir().join(format!("motcua-doc-{token}"));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        Ok(Self(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads up to `limit` documents not read yet; returns how many were read. One that needs a
/// missing tool is left for later (an image without OCR is skipped without reading its
/// file) and the next ones are read; one a tool fails on is kept with no words (and
/// logged), so it is not tried again and again.
pub async fn read_pending(app: &AppState, reader: Reader, limit: i64) -> Result<usize, DbError> {
    let mut read = 0;
    let mut after = 0;
    loop {
        let batch = app.db.documents().unread(after, limit).await?;
        let Some(last) = batch.last().map(|(id, _, _)| *id) else {
            return Ok(read);
        };
        after = last;
        for (id, sha256, media_type) in batch {
            if i64::try_from(read).unwrap_or(i64::MAX) >= limit {
                return Ok(read);
            }
            if reader.can_read(&media_type)
                && read_one(app, reader, id, &sha256, media_type).await?
            {
                read += 1;
            }
        }
    }
}

/// Reads document `id`; whether its words were kept (not when a tool it needs is missing).
async fn read_one(
    app: &AppState,
    reader: Reader,
    id: i64,
    sha256: &str,
    media_type: String,
) -> Result<bool, DbError> {
    let bytes = app.files.read(sha256).await?;
    let outcome = tokio::task::spawn_blocking(move || reader.read(&bytes, &media_type))
        .await
        .map_err(|e| DbError::Internal(format!("đọc chữ của giấy tờ dừng giữa chừng: {e}")))?;
    let words = match outcome {
        Ok(Some(words)) => words,
        Ok(None) => return Ok(false),
        Err(e) => {
            tracing::warn!(document = id, error = %e, "a document's words could not be read");
            String::new()
        }
    };
    app.db.documents().set_words(id, &words).await?;
    Ok(true)
}

/// Reads new documents every `every`, for the server's life; a failure is logged and tried
/// again at the next turn. Idempotent, so several servers on one database may all run it.
pub async fn keep_reading(app: std::sync::Arc<AppState>, every: std::time::Duration) {
    let reader = Reader::detect();
    if !reader.tesseract {
        tracing::info!(
            "tesseract with Vietnamese is not installed: scanned documents wait to be read"
        );
    }
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        match read_pending(&app, reader, 20).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(read = n, "documents read for search"),
            Err(e) => tracing::error!(error = %e, "reading documents failed"),
        }
    }
}
