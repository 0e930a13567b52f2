//! Kiểm tra thủ tục — the rules a procedure must meet before dossiers can be received for it;
//! every problem is reported at once, each under the path of the field at fault.

use std::collections::HashSet;

use super::{Case, Channel, Procedure, StepAgency};
use crate::agency::Role;
use crate::calendar::TimeLimit;
use crate::error::FieldError;

/// Workflow hours are budgeted against working days of this length.
pub const HOURS_PER_WORKING_DAY: u64 = 8;

impl Procedure {
    /// Every problem found, each naming its field (`cases[0].components[2].originals`).
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        self.check_header(&mut errors);
        self.check_channels(&mut errors);
        self.check_cases(&mut errors);
        self.check_workflow(&mut errors);
        self.check_workflow_budget(&mut errors);
        if errors.0.is_empty() {
            Ok(())
        } else {
            Err(errors.0)
        }
    }

    fn check_header(&self, errors: &mut Errors) {
        errors.non_empty("name", &self.name, "tên thủ tục");
        errors.non_empty("field.code", &self.field.code, "mã lĩnh vực");
        errors.non_empty("field.name", &self.field.name, "tên lĩnh vực");
        if self.levels.is_empty() {
            errors.push("levels", "cần ít nhất một cấp thực hiện");
        }
        if self.agencies.is_empty() {
            errors.push("agencies", "cần ít nhất một cơ quan thực hiện");
        }
        let mut seen = HashSet::new();
        for (i, agency) in self.agencies.iter().enumerate() {
            if !seen.insert(agency) {
                errors.push(format!("agencies[{i}]"), format!("cơ quan {agency} bị lặp"));
            }
        }
        for (i, result) in self.results.iter().enumerate() {
            errors.non_empty(&format!("results[{i}]"), result, "tên kết quả");
        }
        for (i, doc) in self.legal_basis.iter().enumerate() {
            errors.non_empty(
                &format!("legal_basis[{i}].title"),
                &doc.title,
                "tên văn bản",
            );
        }
    }

    fn check_channels(&self, errors: &mut Errors) {
        if self.channels.is_empty() {
            errors.push("channels", "cần ít nhất một cách thức nộp hồ sơ");
        }
        let mut seen = HashSet::new();
        for (i, &channel) in self.channels.iter().enumerate() {
            let path = format!("channels[{i}]");
            if !seen.insert(channel) {
                errors.push(path, format!("kênh “{}” bị lặp", channel.label_vi()));
            } else if channel == Channel::Online && !self.online_level.allows_online_filing() {
                errors.push(
                    path,
                    "thủ tục ở mức “cung cấp thông tin” không nhận hồ sơ trực tuyến; \
                     bỏ kênh trực tuyến hoặc đặt mức “một phần”/“toàn trình”",
                );
            }
        }
    }

    fn check_cases(&self, errors: &mut Errors) {
        if self.cases.is_empty() {
            errors.push("cases", "cần ít nhất một trường hợp");
        }
        let mut codes = HashSet::new();
        for (i, case) in self.cases.iter().enumerate() {
            let at = format!("cases[{i}]");
            if !case.code.trim().is_empty() && !codes.insert(case.code.as_str()) {
                errors.push(
                    format!("{at}.code"),
                    format!("mã trường hợp “{}” bị lặp", case.code),
                );
            }
            self.check_case(case, &at, errors);
        }
    }

    fn check_case(&self, case: &Case, at: &str, errors: &mut Errors) {
        errors.non_empty(&format!("{at}.code"), &case.code, "mã trường hợp");
        errors.non_empty(&format!("{at}.name"), &case.name, "tên trường hợp");

        let mut codes = HashSet::new();
        for (j, component) in case.components.iter().enumerate() {
            let at = format!("{at}.components[{j}]");
            errors.non_empty(
                &format!("{at}.code"),
                &component.code,
                "mã thành phần hồ sơ",
            );
            if !component.code.trim().is_empty() && !codes.insert(component.code.as_str()) {
                errors.push(
                    format!("{at}.code"),
                    format!("mã thành phần “{}” bị lặp trong trường hợp", component.code),
                );
            }
            errors.non_empty(&format!("{at}.name"), &component.name, "tên giấy tờ");
            if component.originals == 0 && component.copies == 0 {
                errors.push(
                    format!("{at}.originals"),
                    "cần ít nhất một bản chính hoặc một bản sao",
                );
            }
            if let Some(c) = &component.only_if
                && !case.conditions.iter().any(|k| &k.code == c)
            {
                errors.push(
                    format!("{at}.only_if"),
                    format!("trường hợp không có tình huống “{c}”"),
                );
            }
            for (k, channel) in component.channels.iter().enumerate() {
                if !self.offers(*channel) {
                    errors.push(
                        format!("{at}.channels[{k}]"),
                        format!("thủ tục không nhận hồ sơ qua kênh “{}”", channel.label_vi()),
                    );
                }
            }
        }
        let mut conditions = HashSet::new();
        for (k, condition) in case.conditions.iter().enumerate() {
            let at = format!("{at}.conditions[{k}]");
            errors.non_empty(&format!("{at}.code"), &condition.code, "mã tình huống");
            errors.non_empty(&format!("{at}.question"), &condition.question, "câu hỏi");
            if !conditions.insert(condition.code.as_str()) {
                errors.push(
                    format!("{at}.code"),
                    format!("mã tình huống “{}” bị lặp", condition.code),
                );
            }
        }

        let mut channels = HashSet::new();
        for (k, time) in case.times.iter().enumerate() {
            let at = format!("{at}.times[{k}]");
            let label = time.channel.label_vi();
            if !channels.insert(time.channel) {
                errors.push(
                    format!("{at}.channel"),
                    format!("kênh “{label}” có hai thời hạn"),
                );
            } else if !self.offers(time.channel) {
                errors.push(
                    format!("{at}.channel"),
                    format!("thủ tục không nhận hồ sơ qua kênh “{label}”"),
                );
            }
            if amount(time.statutory) == 0 {
                errors.push(format!("{at}.statutory"), "thời hạn phải lớn hơn 0");
            }
            if let Some(committed) = time.committed {
                if amount(committed) == 0 {
                    errors.push(format!("{at}.committed"), "thời hạn phải lớn hơn 0");
                } else if same_unit(committed, time.statutory)
                    && amount(committed) > amount(time.statutory)
                {
                    errors.push(
                        format!("{at}.committed"),
                        format!(
                            "thời hạn cam kết ({}) dài hơn thời hạn theo quy định ({})",
                            describe(committed),
                            describe(time.statutory)
                        ),
                    );
                }
            }
        }
        for &channel in &self.channels {
            if !channels.contains(&channel) {
                errors.push(
                    format!("{at}.times"),
                    format!(
                        "thiếu thời hạn giải quyết cho kênh “{}”",
                        channel.label_vi()
                    ),
                );
            }
        }

        for (k, fee) in case.fees.iter().enumerate() {
            let at = format!("{at}.fees[{k}]");
            errors.non_empty(&format!("{at}.name"), &fee.name, "tên phí, lệ phí");
            if fee.amount_vnd < 0 {
                errors.push(format!("{at}.amount_vnd"), "số tiền không được âm");
            }
        }
    }

    fn check_workflow(&self, errors: &mut Errors) {
        let (Some(first), Some(last)) = (self.workflow.first(), self.workflow.last()) else {
            errors.push("workflow", "quy trình xử lý cần ít nhất một bước");
            return;
        };
        for (i, step) in self.workflow.iter().enumerate() {
            errors.non_empty(&format!("workflow[{i}].name"), &step.name, "tên bước");
            if step.hours == 0 {
                errors.push(
                    format!("workflow[{i}].hours"),
                    "số giờ của bước phải lớn hơn 0",
                );
            }
        }
        if first.role != Role::CounterOfficer {
            errors.push(
                "workflow[0].role",
                "bước đầu tiên (tiếp nhận hồ sơ) phải do công chức một cửa thực hiện",
            );
        }
        if first.agency != StepAgency::Receiving {
            errors.push(
                "workflow[0].agency",
                "bước đầu tiên (tiếp nhận hồ sơ) phải ở nơi tiếp nhận (“receiving”)",
            );
        }
        if last.role != Role::CounterOfficer {
            let n = self.workflow.len() - 1;
            errors.push(
                format!("workflow[{n}].role"),
                "bước cuối cùng (trả kết quả) phải do công chức một cửa thực hiện",
            );
        }
    }

    /// The steps must fit in the shortest working-time limit any dossier can get.
    fn check_workflow_budget(&self, errors: &mut Errors) {
        let total: u64 = self.workflow.iter().map(|s| u64::from(s.hours)).sum();
        let shortest = self
            .cases
            .iter()
            .flat_map(|case| case.times.iter().map(move |t| (case, t)))
            .filter_map(|(case, t)| working_hours(t.effective()).map(|h| (h, case, t.channel)))
            // A zero limit is reported on its own; it sets no budget.
            .filter(|(hours, _, _)| *hours > 0)
            .min_by_key(|(hours, _, _)| *hours);
        if let Some((limit, case, channel)) = shortest
            && total > limit
        {
            errors.push(
                "workflow",
                format!(
                    "tổng thời gian các bước là {total} giờ làm việc, vượt thời hạn ngắn nhất \
                     {limit} giờ (trường hợp “{}”, kênh “{}”)",
                    case.code,
                    channel.label_vi()
                ),
            );
        }
    }
}

fn amount(limit: TimeLimit) -> u32 {
    match limit {
        TimeLimit::WorkingDays(n) | TimeLimit::WorkingHours(n) | TimeLimit::CalendarDays(n) => n,
    }
}

fn same_unit(a: TimeLimit, b: TimeLimit) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}

/// The limit in working hours, for limits counted in working time.
fn working_hours(limit: TimeLimit) -> Option<u64> {
    match limit {
        TimeLimit::WorkingDays(n) => Some(u64::from(n) * HOURS_PER_WORKING_DAY),
        TimeLimit::WorkingHours(n) => Some(u64::from(n)),
        TimeLimit::CalendarDays(_) => None,
    }
}

fn describe(limit: TimeLimit) -> String {
    match limit {
        TimeLimit::WorkingDays(n) => format!("{n} ngày làm việc"),
        TimeLimit::WorkingHours(n) => format!("{n} giờ làm việc"),
        TimeLimit::CalendarDays(n) => format!("{n} ngày"),
    }
}

#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    fn non_empty(&mut self, field: &str, value: &str, what: &str) {
        if value.trim().is_empty() {
            self.push(field, format!("{what} không được để trống"));
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
