//! Layout tests: the heading, blank lines, tables across pages.

use super::*;
use crate::template::Block;

fn plain(text: &str) -> Rich {
    vec![Span {
        style: Style::Regular,
        text: text.to_string(),
    }]
}

fn texts(page: &PageOut) -> Vec<&str> {
    page.ops
        .iter()
        .filter_map(|op| match op {
            Op::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_national_heading_fits_an_a5_column() {
    let setup = PageSetup::default();
    let blocks = [Block::Heading {
        left: vec![plain("UBND tỉnh Thanh Hóa"), plain("Sở Tư pháp")],
    }];
    let pages = lay_out(&blocks, &setup).unwrap();
    assert_eq!(pages.len(), 1);
    let (width, _) = page_size(&setup);
    let metrics = Metrics::load().unwrap();
    for op in &pages[0].ops {
        if let Op::Text {
            x,
            size,
            style,
            text,
            ..
        } = op
        {
            assert!(
                *x >= 0.0 && x + metrics.width(text, *style, *size) <= width,
                "{text}"
            );
        }
    }
    let all = texts(&pages[0]);
    assert!(all.contains(&QUOC_HIEU) && all.contains(&TIEU_NGU));
    assert!(all.contains(&"UBND TỈNH THANH HÓA") && all.contains(&"SỞ TƯ PHÁP"));
}

#[test]
fn an_empty_parent_line_leaves_no_gap() {
    let setup = PageSetup::default();
    let with = |left: Vec<Rich>| {
        let pages = lay_out(&[Block::Heading { left }], &setup).unwrap();
        pages[0]
            .ops
            .iter()
            .find_map(|op| match op {
                Op::Text { y, text, .. } if text == "SỞ TƯ PHÁP" => Some(*y),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(
        with(vec![plain(""), plain("Sở Tư pháp")]),
        with(vec![plain("Sở Tư pháp")])
    );
}

#[test]
fn a_long_table_repeats_its_header_on_every_page() {
    let setup = PageSetup::default();
    let rows: Vec<Vec<Rich>> = (1..=80)
        .map(|i| vec![plain(&i.to_string()), plain(&format!("Hồ sơ số {i}"))])
        .collect();
    let blocks = [Block::Table {
        widths: vec![1.0, 5.0],
        aligns: vec![Align::Center, Align::Left],
        header: vec![plain("STT"), plain("Tên hồ sơ")],
        rows,
    }];
    let pages = lay_out(&blocks, &setup).unwrap();
    assert!(pages.len() >= 3);
    let mut seen = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let all = texts(page);
        assert_eq!(
            all.iter().filter(|t| **t == "Tên hồ sơ").count(),
            1,
            "page {i}"
        );
        assert!(all.contains(&format!("Trang {}/{}", i + 1, pages.len()).as_str()));
        seen.extend(
            all.iter()
                .filter(|t| t.starts_with("Hồ sơ số "))
                .map(|t| t.to_string()),
        );
    }
    let expected: Vec<String> = (1..=80).map(|i| format!("Hồ sơ số {i}")).collect();
    assert_eq!(seen, expected);
}

#[test]
fn a_signature_drawn_at_the_counter_sits_between_the_note_and_the_name() {
    let setup = PageSetup::default();
    let cell = |drawing: &str| SignCell {
        texts: [
            plain("NGƯỜI NỘP HỒ SƠ"),
            plain("(Ký và ghi rõ họ tên)"),
            plain("Nguyễn Văn A"),
        ],
        drawing: drawing.to_string(),
    };
    let lines = |drawing: &str| -> Vec<(f32, f32, f32, f32)> {
        let pages = lay_out(&[Block::Signatures(vec![cell(drawing), cell("")])], &setup).unwrap();
        pages[0]
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Line { x1, y1, x2, y2 } => Some((*x1, *y1, *x2, *y2)),
                _ => None,
            })
            .collect()
    };
    assert!(lines("").is_empty());
    // Damaged strokes draw nothing rather than fail the form.
    assert!(lines("1,2 3").is_empty());
    let drawn = lines("0,0 1000,1000;0,1000 1000,0 500,500");
    assert_eq!(drawn.len(), 3);
    let pages = lay_out(&[Block::Signatures(vec![cell(""), cell("")])], &setup).unwrap();
    let y_of = |wanted: &str| {
        pages[0]
            .ops
            .iter()
            .find_map(|op| match op {
                Op::Text { y, text, .. } if text == wanted => Some(*y),
                _ => None,
            })
            .unwrap()
    };
    let (note, name) = (y_of("(Ký và ghi rõ họ tên)"), y_of("Nguyễn Văn A"));
    let (width, _) = page_size(&setup);
    for (x1, y1, x2, y2) in drawn {
        // In the first column, below the note's line and above the name's.
        assert!(x1.max(x2) < width / 2.0, "{x1} {x2}");
        assert!(
            y1.min(y2) > note && y1.max(y2) < name,
            "{y1} {y2} between {note} {name}"
        );
    }
}

#[test]
fn a_signature_block_is_never_alone_on_a_page() {
    let setup = PageSetup::default();
    let cell = |name: &str| SignCell {
        texts: [
            plain("NGƯỜI NỘP HỒ SƠ"),
            plain("(Ký và ghi rõ họ tên)"),
            plain(name),
        ],
        drawing: String::new(),
    };
    let paragraph = |text: String| Block::Paragraph {
        align: Align::Left,
        grow: 0.0,
        bullet: false,
        text: plain(&text),
    };
    // Lines until the signatures no longer fit on the first page, then the signatures.
    for count in 10..60 {
        let mut blocks: Vec<Block> = (0..count)
            .map(|i| paragraph(format!("Dòng thứ {i} của nội dung giấy tờ")))
            .collect();
        blocks.push(Block::Space(2.0));
        blocks.push(Block::Signatures(vec![
            cell("Nguyễn Văn A"),
            cell("Trần Thị B"),
        ]));
        let pages = lay_out(&blocks, &setup).unwrap();
        let with_names: Vec<&PageOut> = pages
            .iter()
            .filter(|p| texts(p).contains(&"Nguyễn Văn A"))
            .collect();
        assert_eq!(with_names.len(), 1);
        let page = with_names[0];
        // On its page the signatures come after some of the content, never alone.
        assert!(
            texts(page).iter().any(|t| t.starts_with("Dòng thứ")),
            "{count} lines: the signatures alone on page {}",
            pages.len()
        );
        // Nothing is lost or repeated.
        let lines: usize = pages
            .iter()
            .map(|p| {
                texts(p)
                    .iter()
                    .filter(|t| t.starts_with("Dòng thứ"))
                    .count()
            })
            .sum();
        assert_eq!(lines, count);
    }
}

#[test]
fn no_content_reaches_the_page_footer_on_any_form() {
    use crate::regime::all_forms;
    use crate::template::{Templates, fill};
    use crate::values::Values;
    // The sample with every list long and every text long, so each form runs over pages.
    let mut ctx = crate::sample::context();
    let long = "Nội dung rất dài cần ghi đầy đủ để kiểm tra việc xuống dòng và sang trang. ";
    ctx.reason = long.repeat(40);
    let component = ctx.components[0].clone();
    ctx.components = (0..40)
        .map(|i| crate::context::ComponentLine {
            name: format!("{} ({i}) {}", component.name, long),
            ..component.clone()
        })
        .collect();
    let handover = ctx.handovers[0].clone();
    ctx.handovers = (0..30).map(|_| handover.clone()).collect();
    let templates = Templates::shipped();
    for spec in all_forms() {
        let template = templates.load(spec.template).unwrap();
        let blocks = fill(&template, &Values::from_context(&ctx, spec)).unwrap();
        let pages = lay_out(&blocks, &template.setup).unwrap();
        let (_, height) = page_size(&template.setup);
        let floor = height - template.setup.margins[2] * MM;
        assert!(
            pages.len() > 1,
            "{}: long content fits one page?",
            spec.template
        );
        for (i, page) in pages.iter().enumerate() {
            let footer = format!("Trang {}/{}", i + 1, pages.len());
            let mut found = false;
            for op in &page.ops {
                let (bottom, what) = match op {
                    Op::Text { y, text, .. } if *text == footer => {
                        found = true;
                        assert!(*y > floor, "{}: footer inside the content", spec.template);
                        continue;
                    }
                    Op::Text { y, text, .. } => (*y, text.clone()),
                    Op::Fill { y, h, .. } => (y + h, "QR".into()),
                    Op::Line { y1, y2, .. } => (y1.max(*y2), "line".into()),
                };
                assert!(
                    bottom <= floor + 0.5,
                    "{} page {}: “{what}” at {bottom} runs into the footer below {floor}",
                    spec.template,
                    i + 1
                );
            }
            assert!(found, "{} page {} has no footer", spec.template, i + 1);
        }
    }
}
