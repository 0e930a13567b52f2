//! Nội dung thông báo — what a message to the applicant must carry for each event (ND 61
//! art. 17(2) and 19): a refusal, a rejection or a stop gives its reason; a supplement
//! request lists what is missing; a payment request gives the amount; an apology gives its
//! reason and the new date; a result says how it is returned, as the applicant chose; an
//! organisation is addressed as one. Where to bring papers or pay (the receiving counter)
//! and the agency's name are filled in by the store, which knows the agencies.

use serde::Serialize;

use super::{Applicant, ApplicantKind, DossierState, Event, ReturnMethod};

/// The facts a message about `event` states, taken from the dossier after the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// How the applicant is addressed: "ông/bà" for a person, "Quý cơ quan, tổ chức" for
    /// an organisation.
    pub salutation: &'static str,
    pub organisation: bool,
    /// Why it was refused, rejected, stopped, asked to supplement or apologised for.
    pub reason: Option<String>,
    /// The papers to supplement, each as the officer wrote it.
    pub missing: Vec<String>,
    /// The amount to pay, in đồng.
    pub amount_vnd: Option<i64>,
    /// How the result is returned (`in_person`, `post`, `online`).
    pub return_method: &'static str,
}

impl Applicant {
    /// How a message addresses the applicant.
    pub fn salutation(&self) -> &'static str {
        match self.kind {
            ApplicantKind::Person => "ông/bà",
            ApplicantKind::Organisation => "Quý cơ quan, tổ chức",
        }
    }
}

impl ReturnMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InPerson => "in_person",
            Self::Post => "post",
            Self::Online => "online",
        }
    }
}

/// What a message about `event` must say, from the dossier's state after it.
pub fn notice(
    event: Event,
    state: &DossierState,
    applicant: &Applicant,
    return_method: ReturnMethod,
) -> Notice {
    let reason = match event {
        Event::Refused | Event::Rejected | Event::Stopped => state.reason.clone(),
        Event::SupplementRequested => state.supplement.as_ref().map(|s| s.reason.clone()),
        Event::ApologyIssued => state.apology.as_ref().map(|a| a.reason.clone()),
        _ => None,
    }
    .filter(|r| !r.trim().is_empty());
    Notice {
        salutation: applicant.salutation(),
        organisation: applicant.kind == ApplicantKind::Organisation,
        reason,
        missing: match event {
            Event::SupplementRequested => state
                .supplement
                .as_ref()
                .map(|s| s.missing.clone())
                .unwrap_or_default(),
            _ => Vec::new(),
        },
        amount_vnd: match event {
            Event::PaymentRequested => state.payment.as_ref().map(|p| p.amount_vnd),
            _ => None,
        },
        return_method: return_method.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::SuspensionPolicy;
    use crate::catalogue::Channel;
    use crate::dossier::tests::{at, received};
    use crate::dossier::{Apology, Payment, Status, Supplement};

    fn person() -> Applicant {
        Applicant {
            kind: ApplicantKind::Person,
            name: "Lê Thị Hoa".into(),
            id_number: None,
            tax_code: None,
            phone: None,
            email: None,
            address: None,
            notify: Vec::new(),
        }
    }

    #[test]
    fn each_event_carries_what_the_law_asks() {
        let mut s = received(
            Channel::Counter,
            "2026-03-02T08:00:00+07:00",
            SuspensionPolicy::Restart,
        );
        s.supplement = Some(Supplement {
            requested_at: at("2026-03-03T08:00:00+07:00"),
            missing: vec!["Bản sao CCCD".into(), "Tờ khai có chữ ký".into()],
            reason: "Thiếu giấy tờ".into(),
            resume_status: Status::Processing,
            resume_step: 1,
            received_at: None,
            due_before: None,
            submitted_at: None,
        });
        s.payment = Some(Payment {
            amount_vnd: 150_000,
            requested_at: at("2026-03-03T08:00:00+07:00"),
            paid_at: None,
        });
        s.apology = Some(Apology {
            reason: "Chờ kết quả xác minh".into(),
            previous_due: at("2026-03-09T08:00:00+07:00"),
            new_due: at("2026-03-13T16:00:00+07:00"),
            proposed_by: 2,
            proposed_at: at("2026-03-05T09:00:00+07:00"),
            approved_by: Some(3),
            approved_at: Some(at("2026-03-05T10:00:00+07:00")),
            issued_late: false,
        });
        s.reason = Some("Không thuộc thẩm quyền".into());
        let a = person();
        let n = |e| notice(e, &s, &a, ReturnMethod::Post);
        let supplement = n(Event::SupplementRequested);
        assert_eq!(supplement.missing.len(), 2);
        assert_eq!(supplement.reason.as_deref(), Some("Thiếu giấy tờ"));
        assert_eq!(n(Event::PaymentRequested).amount_vnd, Some(150_000));
        assert_eq!(
            n(Event::ApologyIssued).reason.as_deref(),
            Some("Chờ kết quả xác minh")
        );
        for e in [Event::Refused, Event::Rejected, Event::Stopped] {
            assert_eq!(n(e).reason.as_deref(), Some("Không thuộc thẩm quyền"));
        }
        // Nothing that does not belong to the event.
        let ready = n(Event::ResultReady);
        assert_eq!(
            (ready.reason, ready.missing.len(), ready.amount_vnd),
            (None, 0, None)
        );
        assert_eq!(ready.return_method, "post");
        assert_eq!(ready.salutation, "ông/bà");
        let mut org = person();
        org.kind = ApplicantKind::Organisation;
        assert_eq!(
            notice(Event::Received, &s, &org, ReturnMethod::InPerson).salutation,
            "Quý cơ quan, tổ chức"
        );
    }
}
