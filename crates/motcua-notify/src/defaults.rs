//! Mẫu mặc định — the Vietnamese templates stored on first start; administrators edit them.

/// `(event, subject, e-mail body, SMS text, Zalo text)`.
const TEXTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "received",
        "Đã tiếp nhận hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nBộ phận Một cửa đã tiếp nhận hồ sơ {{ code }} về thủ tục “{{ procedure }}”.{% if due %}\nNgày hẹn trả kết quả: {{ due }}.{% endif %}\n\nÔng/bà có thể tra cứu tình trạng hồ sơ tại trang Tra cứu hồ sơ bằng mã hồ sơ trên và mã tra cứu {{ secret }}.\n\nTrân trọng.",
        "Ho so {{ code }} da duoc tiep nhan.{% if due %} Hen tra ket qua ngay {{ due }}.{% endif %} Ma tra cuu: {{ secret }}.",
        "Hồ sơ {{ code }} ({{ procedure }}) đã được tiếp nhận.{% if due %} Ngày hẹn trả kết quả: {{ due }}.{% endif %}",
    ),
    (
        "supplement_requested",
        "Yêu cầu bổ sung hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” cần được bổ sung, hoàn thiện. Nội dung cần bổ sung đã được hướng dẫn đầy đủ một lần trong phiếu yêu cầu bổ sung.\n\nXin vui lòng liên hệ Bộ phận Một cửa hoặc tra cứu hồ sơ để biết chi tiết.\n\nTrân trọng.",
        "Ho so {{ code }} can bo sung, hoan thien. Vui long tra cuu ho so hoac lien he Bo phan Mot cua.",
        "Hồ sơ {{ code }} cần bổ sung, hoàn thiện. Nội dung cần bổ sung có trong phiếu yêu cầu bổ sung.",
    ),
    (
        "payment_requested",
        "Thông báo nộp phí, lệ phí cho hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” cần thực hiện nghĩa vụ tài chính trước khi được giải quyết tiếp.\n\nTrân trọng.",
        "Ho so {{ code }}: vui long nop phi, le phi de duoc giai quyet tiep.",
        "Hồ sơ {{ code }}: xin vui lòng nộp phí, lệ phí để hồ sơ được giải quyết tiếp.",
    ),
    (
        "result_ready_early",
        "Kết quả hồ sơ {{ code }} có sớm hơn ngày hẹn",
        "Kính gửi {{ applicant }},\n\nKết quả giải quyết hồ sơ {{ code }} về thủ tục “{{ procedure }}” đã có trước ngày hẹn.{% if due %} Ngày hẹn ban đầu: {{ due }}.{% endif %}\nÔng/bà có thể đến nhận kết quả từ bây giờ.\n\nTrân trọng.",
        "Ket qua ho so {{ code }} da co som hon ngay hen. Moi ong/ba den nhan ket qua.",
        "Kết quả hồ sơ {{ code }} đã có sớm hơn ngày hẹn. Mời ông/bà nhận kết quả.",
    ),
    (
        "apology_issued",
        "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nCơ quan giải quyết chân thành xin lỗi vì hồ sơ {{ code }} về thủ tục “{{ procedure }}” chưa giải quyết được đúng hẹn.{% if due %}\nNgày hẹn trả kết quả mới: {{ due }}.{% endif %}\n\nMong ông/bà thông cảm.\n\nTrân trọng.",
        "Xin loi ong/ba: ho so {{ code }} bi cham.{% if due %} Ngay hen moi: {{ due }}.{% endif %}",
        "Chúng tôi xin lỗi vì hồ sơ {{ code }} chưa giải quyết được đúng hẹn.{% if due %} Ngày hẹn mới: {{ due }}.{% endif %}",
    ),
    (
        "result_ready",
        "Đã có kết quả hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký.\n\nTrân trọng.",
        "Ho so {{ code }} da co ket qua. Moi ong/ba nhan ket qua theo hinh thuc da dang ky.",
        "Hồ sơ {{ code }} đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký.",
    ),
    (
        "returned",
        "Đã trả kết quả hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nKết quả hồ sơ {{ code }} về thủ tục “{{ procedure }}” đã được trả.\n\nTrân trọng.",
        "Ket qua ho so {{ code }} da duoc tra.",
        "Kết quả hồ sơ {{ code }} đã được trả.",
    ),
    (
        "rating_invitation",
        "Mời đánh giá mức độ hài lòng — hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nXin mời ông/bà đánh giá việc giải quyết hồ sơ {{ code }} về thủ tục “{{ procedure }}” tại trang Tra cứu hồ sơ, với mã hồ sơ {{ code }} và mã tra cứu {{ secret }}. Ý kiến của ông/bà giúp chúng tôi phục vụ tốt hơn.\n\nTrân trọng.",
        "Moi ong/ba danh gia ho so {{ code }} tai trang Tra cuu ho so, ma tra cuu {{ secret }}.",
        "Mời ông/bà đánh giá việc giải quyết hồ sơ {{ code }} tại trang Tra cứu hồ sơ, mã tra cứu {{ secret }}.",
    ),
    (
        "refused",
        "Hồ sơ {{ code }} chưa được tiếp nhận",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” chưa được tiếp nhận. Lý do và hướng dẫn đã ghi trong phiếu từ chối tiếp nhận.\n\nTrân trọng.",
        "Ho so {{ code }} chua duoc tiep nhan. Vui long xem phieu tu choi de biet ly do.",
        "Hồ sơ {{ code }} chưa được tiếp nhận; lý do có trong phiếu từ chối tiếp nhận.",
    ),
    (
        "rejected",
        "Hồ sơ {{ code }} không được giải quyết",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” không được giải quyết. Văn bản nêu rõ lý do sẽ được trả cho ông/bà.\n\nTrân trọng.",
        "Ho so {{ code }} khong duoc giai quyet. Vui long xem van ban tra loi.",
        "Hồ sơ {{ code }} không được giải quyết; lý do có trong văn bản trả lời.",
    ),
    (
        "stopped",
        "Dừng xử lý hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” đã dừng xử lý.\n\nTrân trọng.",
        "Ho so {{ code }} da dung xu ly.",
        "Hồ sơ {{ code }} đã dừng xử lý.",
    ),
    (
        "withdrawn",
        "Đã rút hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” đã được rút theo đề nghị của ông/bà.\n\nTrân trọng.",
        "Ho so {{ code }} da duoc rut theo de nghi cua ong/ba.",
        "Hồ sơ {{ code }} đã được rút theo đề nghị của ông/bà.",
    ),
];

/// `(event, subject, e-mail body, Zalo text)` of the messages to officers.
const STAFF_TEXTS: &[(&str, &str, &str, &str)] = &[
    (
        "alert",
        "{{ alert }}: hồ sơ {{ code }}",
        "Kính gửi {{ officer }},\n\n{{ alert }}: hồ sơ {{ code }} về thủ tục “{{ procedure }}”.{% if due_at %}\nHạn: {{ due_at }}.{% endif %}\n\nXin mở mục Cảnh báo trong phần mềm Một cửa để xử lý tiếp (chuyển bước, yêu cầu bổ sung hoặc đề xuất xin lỗi, hẹn lại).",
        "{{ alert }}: hồ sơ {{ code }}{% if due_at %}, hạn {{ due_at }}{% endif %}.",
    ),
    (
        "digest",
        "Bản tin đầu ngày {{ date }}",
        "Kính gửi {{ officer }},\n\nHồ sơ cần lưu ý ngày {{ date }}:\n{% for g in groups %}\n{{ g.title }} ({{ g.items|length }}):\n{% for i in g.items %}- {{ i.code }} — {{ i.procedure }}{% if i.due %} (hạn {{ i.due }}){% endif %}\n{% endfor %}{% endfor %}\nChi tiết trong mục Cảnh báo của phần mềm Một cửa.",
        "Bản tin {{ date }}:{% for g in groups %} {{ g.title }}: {{ g.items|length }}.{% endfor %}",
    ),
];

/// Every default as `(event, channel, subject, body)`: e-mail gets the letter, SMS a short
/// text without diacritics (so it fits in one or two parts), Zalo a short text with them.
pub fn defaults() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    let mut out = Vec::with_capacity(TEXTS.len() * 3);
    for (event, subject, letter, sms, zalo) in TEXTS {
        out.push((*event, "email", *subject, *letter));
        out.push((*event, "sms", "", *sms));
        out.push((*event, "zalo", *subject, *zalo));
    }
    for (event, subject, letter, zalo) in STAFF_TEXTS {
        out.push((*event, "email", *subject, *letter));
        out.push((*event, "zalo", *subject, *zalo));
    }
    out
}

/// The default for one event and channel.
pub fn default_for(event: &str, channel: &str) -> Option<(&'static str, &'static str)> {
    defaults()
        .into_iter()
        .find(|(e, c, _, _)| *e == event && *c == channel)
        .map(|(_, _, subject, body)| (subject, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_and_channel_has_a_default_that_renders() {
        let mut count = 0;
        for event in crate::template::EVENTS
            .iter()
            .chain(crate::template::STAFF_EVENTS)
        {
            for channel in crate::template::channels_for(event) {
                let (subject, body) = default_for(event, channel).unwrap();
                crate::template::check(event, subject, body).unwrap();
                count += 1;
            }
        }
        assert_eq!(defaults().len(), count);
    }
}
