//! Trường dữ liệu — a [`FormContext`] flattened into the named text fields and row lists the
//! templates refer to (`{{applicant.name}}`, `table components`).

use std::collections::BTreeMap;

use motcua_domain::calendar::Outcome;
use motcua_domain::payment::receipt::Receipt;

use crate::context::FormContext;
use crate::dates::{date_vi, datetime_vi, local_date, short_date, short_datetime};
use crate::regime::FormSpec;

/// One row of a list: field name → text.
pub(crate) type Row = BTreeMap<&'static str, String>;

/// The fields of one form, ready for a template.
#[derive(Debug, Clone, Default)]
pub(crate) struct Values {
    scalars: BTreeMap<&'static str, String>,
    lists: BTreeMap<&'static str, Vec<Row>>,
}

impl Values {
    pub(crate) fn scalar(&self, name: &str) -> Option<&str> {
        self.scalars.get(name).map(String::as_str)
    }

    pub(crate) fn list(&self, name: &str) -> Option<&[Row]> {
        self.lists.get(name).map(Vec::as_slice)
    }

    /// Whether a field or list is known and not empty (for `if`).
    pub(crate) fn truthy(&self, name: &str) -> Option<bool> {
        if let Some(text) = self.scalars.get(name) {
            return Some(!text.trim().is_empty());
        }
        self.lists.get(name).map(|rows| !rows.is_empty())
    }

    /// Every scalar field name, for documentation and error hints.
    pub(crate) fn scalar_names(&self) -> impl Iterator<Item = &&'static str> {
        self.scalars.keys()
    }

    fn set(&mut self, name: &'static str, value: impl Into<String>) {
        self.scalars.insert(name, value.into());
    }

    /// Flattens the context for `form`. Text is stored in Unicode NFC so the PDF's glyphs
    /// and its extracted text agree whatever form the database held.
    pub(crate) fn from_context(ctx: &FormContext, form: &FormSpec) -> Self {
        let mut v = Values::default();
        let a = &ctx.agency;
        v.set("agency.name", &a.name);
        v.set("agency.parent", &a.parent);
        v.set("agency.code", &a.code);
        v.set("agency.place", &a.place);
        v.set("agency.address", &a.address);
        v.set("agency.phone", &a.phone);
        v.set("form.number", form.number);
        v.set("form.name", form.name);
        v.set("form.circular", form.regime.label_vi());
        v.set("number", &ctx.number);
        v.set("issued_date", date_vi(ctx.issued_on));
        let place_date = if a.place.is_empty() {
            date_vi(ctx.issued_on)
        } else {
            format!("{}, {}", a.place, date_vi(ctx.issued_on))
        };
        v.set("place_date", place_date);
        v.set("dossier.code", &ctx.dossier_code);
        v.set("tracking_url", &ctx.tracking_url);
        let p = &ctx.applicant;
        v.set("applicant.name", &p.name);
        v.set("applicant.address", &p.address);
        v.set("applicant.phone", &p.phone);
        v.set("applicant.email", &p.email);
        v.set("applicant.id_number", &p.id_number);
        v.set("applicant.signature", &p.signature);
        v.set("procedure.name", &ctx.procedure_name);
        v.set("procedure.code", &ctx.procedure_code);
        v.set("summary", &ctx.summary);
        v.set("sets", format!("{:02}", ctx.sets));
        v.set("legal_time", &ctx.legal_time);
        v.set("committed_time", &ctx.committed_time);
        v.set("lookup_code", &ctx.lookup_code);
        v.set("online", if ctx.online { "x" } else { "" });
        v.set("log.count", format!("{:02}", ctx.log.len()));
        let at = |i: Option<_>| i.map(datetime_vi).unwrap_or_default();
        let day = |i: Option<motcua_domain::calendar::Instant>| {
            i.map(|i| date_vi(local_date(i))).unwrap_or_default()
        };
        v.set("received_at", at(ctx.received_at));
        v.set("received_date", day(ctx.received_at));
        v.set("due_at", at(ctx.due_at));
        v.set("due_date", day(ctx.due_at));
        v.set("new_due_at", at(ctx.new_due_at));
        v.set("new_due_date", day(ctx.new_due_at));
        v.set("result_place", &ctx.result_place);
        v.set("book.volume", &ctx.book_volume);
        v.set("book.entry", &ctx.book_entry);
        v.set("processing_agency", &ctx.processing_agency);
        v.set("coordinating_agencies", &ctx.coordinating_agencies);
        v.set("reason", &ctx.reason);
        v.set("contact", &ctx.contact);
        v.set(
            "period_from",
            ctx.period_from.map(date_vi).unwrap_or_default(),
        );
        v.set("period_to", ctx.period_to.map(date_vi).unwrap_or_default());
        v.set("officer.title", &ctx.officer.title);
        v.set("officer.name", &ctx.officer.name);
        v.set("head.title", &ctx.head.title);
        v.set("head.name", &ctx.head.name);
        v.lists.insert("components", components(ctx));
        v.lists.insert("handovers", handovers(ctx));
        v.lists.insert("log", log(ctx));
        let recipients = ctx
            .recipients
            .iter()
            .map(|text| Row::from([("text", text.clone())]))
            .collect();
        v.lists.insert("recipients", recipients);
        v.normalise();
        v
    }
}

impl Values {
    /// Flattens an e-receipt: its numbering, the collector and the payer, the fee lines
    /// (`lines`: `index`, `name`, `amount`) and the total in figures and in words.
    pub(crate) fn from_receipt(r: &Receipt, tracking_url: &str) -> Self {
        use motcua_domain::payment::receipt::{TITLE, number_text};
        use motcua_domain::text::{amount_vi, money_in_words_vi};
        let mut v = Values::default();
        let b = &r.body;
        v.set("receipt.title", TITLE);
        v.set("receipt.form_symbol", &r.form_symbol);
        v.set("receipt.symbol", &r.symbol);
        v.set("receipt.number", number_text(r.number));
        v.set("issued_date", date_vi(local_date(r.issued_at)));
        v.set("issued_at", datetime_vi(r.issued_at));
        v.set("collector.name", &b.collector_name);
        v.set("collector.tax_code", &b.collector_tax_code);
        v.set("collector.address", &b.collector_address);
        v.set("payer.name", &b.payer.name);
        v.set("payer.id_number", &b.payer.id_number);
        v.set("payer.address", &b.payer.address);
        v.set("method", b.method.label_vi());
        v.set("dossier.code", &b.dossier_code);
        v.set("procedure.name", &b.procedure_name);
        v.set("reference", &b.reference);
        v.set("proof", &b.proof);
        v.set("total", amount_vi(b.total_vnd()));
        v.set("total_words", money_in_words_vi(b.total_vnd()));
        v.set("tracking_url", tracking_url);
        let lines = b
            .lines
            .iter()
            .map(|l| {
                Row::from([
                    ("name", l.name.clone()),
                    ("amount", amount_vi(l.amount_vnd)),
                ])
            })
            .collect();
        v.lists.insert("lines", lines);
        v.normalise();
        v
    }

    /// Unicode NFC everywhere, and each row's `index` (from 1).
    fn normalise(&mut self) {
        for text in self.scalars.values_mut() {
            *text = motcua_domain::text::nfc(text);
        }
        for rows in self.lists.values_mut() {
            for (index, row) in rows.iter_mut().enumerate() {
                for text in row.values_mut() {
                    *text = motcua_domain::text::nfc(text);
                }
                row.insert("index", (index + 1).to_string());
            }
        }
    }
}

fn count(n: u32) -> String {
    if n == 0 { String::new() } else { n.to_string() }
}

fn components(ctx: &FormContext) -> Vec<Row> {
    ctx.components
        .iter()
        .map(|c| {
            Row::from([
                ("name", c.name.clone()),
                ("originals", count(c.originals)),
                ("copies", count(c.copies)),
                ("photocopies", count(c.photocopies)),
                (
                    "electronic",
                    if c.electronic { "x" } else { "" }.to_string(),
                ),
                ("note", c.note.clone()),
            ])
        })
        .collect()
}

/// Trước hạn / Đúng hạn / Quá hạn.
pub fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Early => "Trước hạn",
        Outcome::OnTime => "Đúng hạn",
        Outcome::Late => "Quá hạn",
    }
}

fn handovers(ctx: &FormContext) -> Vec<Row> {
    ctx.handovers
        .iter()
        .map(|h| {
            Row::from([
                ("from_agency", h.from_agency.clone()),
                ("from_person", h.from_person.clone()),
                ("to_agency", h.to_agency.clone()),
                ("to_person", h.to_person.clone()),
                ("at", datetime_vi(h.at)),
                ("time", crate::dates::time_vi(h.at)),
                ("date", date_vi(local_date(h.at))),
                (
                    "outcome",
                    h.outcome.map(outcome_label).unwrap_or_default().to_string(),
                ),
                ("note", h.note.clone()),
            ])
        })
        .collect()
}

fn log(ctx: &FormContext) -> Vec<Row> {
    ctx.log
        .iter()
        .map(|e| {
            Row::from([
                ("code", e.code.clone()),
                ("procedure", e.procedure.clone()),
                ("sets", e.sets.to_string()),
                ("applicant", e.applicant.clone()),
                ("address", e.address.clone()),
                ("phone", e.phone.clone()),
                ("received", short_datetime(e.received_at)),
                ("received_date", short_date(local_date(e.received_at))),
                ("due", e.due_at.map(short_datetime).unwrap_or_default()),
                ("agency", e.agency.clone()),
                (
                    "returned",
                    e.returned_at.map(short_datetime).unwrap_or_default(),
                ),
                ("signature", e.collected.clone()),
                ("receiver", e.receiver.clone()),
                ("area", e.area.clone()),
                ("note", e.note.clone()),
            ])
        })
        .collect()
}
