//! Writes every form, filled with the sample data, to a directory so one can look at them:
//! `cargo run -p motcua-docs --example write_forms -- /tmp/forms [TEMPLATE_DIR]`.

use std::error::Error;
use std::io::Write;
use std::path::PathBuf;

use motcua_docs::{Templates, all_forms, render_with, sample};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "target/forms".to_string()));
    let templates = match args.next() {
        Some(dir) => Templates::with_overrides(dir),
        None => Templates::shipped(),
    };
    std::fs::create_dir_all(&out)?;
    let ctx = sample::context();
    let mut out_stream = std::io::stdout().lock();
    for spec in all_forms() {
        let started = std::time::Instant::now();
        let form = render_with(&ctx, spec, &templates)?;
        let took = started.elapsed();
        let path = out.join(spec.template.replace(".tpl", ".pdf"));
        std::fs::write(&path, &form.pdf)?;
        writeln!(
            out_stream,
            "{} ({} trang, {} byte, {} ms)",
            path.display(),
            form.pages,
            form.pdf.len(),
            took.as_millis()
        )?;
    }
    Ok(())
}
