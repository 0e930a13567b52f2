//! Mẫu mặc định — the Vietnamese templates stored on first start; administrators edit them.

/// `(event, subject, e-mail body, SMS text, Zalo text)`: each says what ND 61 asks of it
/// (the reason, what is missing, the amount, the new date, how the result comes back).
const TEXTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "received",
        "Đã tiếp nhận hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\n{% if counter %}{{ counter }}{% else %}Bộ phận Một cửa{% endif %} đã tiếp nhận hồ sơ {{ code }} về thủ tục “{{ procedure }}”.{% if due %}\nNgày hẹn trả kết quả: {{ due }}.{% endif %}\n\n{{ salutation|capitalize }} có thể tra cứu tình trạng hồ sơ tại trang Tra cứu hồ sơ bằng mã hồ sơ trên và mã tra cứu {{ secret }}.\n\nTrân trọng.",
        "Ho so {{ code }} da duoc tiep nhan.{% if due %} Hen tra ket qua ngay {{ due }}.{% endif %} Ma tra cuu: {{ secret }}.",
        "Hồ sơ {{ code }} ({{ procedure }}) đã được tiếp nhận.{% if due %} Ngày hẹn trả kết quả: {{ due }}.{% endif %} Mã tra cứu: {{ secret }}.",
    ),
    (
        "supplement_requested",
        "Yêu cầu bổ sung hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” cần được bổ sung, hoàn thiện{% if reason %} vì: {{ reason }}{% endif %}.\n{% if missing %}Giấy tờ cần bổ sung:\n{% for m in missing %}- {{ m }}\n{% endfor %}{% endif %}\nXin {{ salutation }} nộp bổ sung{% if counter %} tại {{ counter }}{% if counter_address %}, {{ counter_address }}{% endif %}{% if counter_phone %} (điện thoại {{ counter_phone }}){% endif %}{% endif %}, hoặc trực tuyến tại trang Tra cứu hồ sơ với mã tra cứu {{ secret }}. Nội dung cần bổ sung được hướng dẫn đầy đủ một lần trong phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.\n\nTrân trọng.",
        "Ho so {{ code }} can bo sung: {{ missing|join('; ')|khong_dau }}.{% if counter %} Nop tai {{ counter|khong_dau }}.{% endif %}",
        "Hồ sơ {{ code }} cần bổ sung: {{ missing|join('; ') }}.{% if counter %} Nộp bổ sung tại {{ counter }}.{% endif %}",
    ),
    (
        "payment_requested",
        "Thông báo nộp phí, lệ phí cho hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” cần thực hiện nghĩa vụ tài chính trước khi được giải quyết tiếp.{% if amount %}\nSố tiền phải nộp: {{ amount }}.{% endif %}\n\nXin {{ salutation }} nộp{% if counter %} tại {{ counter }}{% if counter_address %}, {{ counter_address }}{% endif %}{% if counter_phone %} (điện thoại {{ counter_phone }}){% endif %}{% endif %} hoặc theo hướng dẫn trong thông báo nộp phí, lệ phí; hồ sơ được giải quyết tiếp ngay sau khi nộp.\n\nTrân trọng.",
        "Ho so {{ code }}: vui long nop {% if amount %}{{ amount|khong_dau }} {% endif %}phi, le phi de duoc giai quyet tiep.",
        "Hồ sơ {{ code }}: xin vui lòng nộp {% if amount %}{{ amount }} {% endif %}phí, lệ phí để hồ sơ được giải quyết tiếp.",
    ),
    (
        "result_ready_early",
        "Kết quả hồ sơ {{ code }} có sớm hơn ngày hẹn",
        "Kính gửi {{ applicant }},\n\nKết quả giải quyết hồ sơ {{ code }} về thủ tục “{{ procedure }}” đã có trước ngày hẹn.{% if due %} Ngày hẹn ban đầu: {{ due }}.{% endif %}\n{% if return_method == 'post' %}Kết quả sẽ được gửi đến {{ salutation }} qua dịch vụ bưu chính công ích.{% elif return_method == 'online' %}{{ salutation|capitalize }} nhận kết quả điện tử tại trang Tra cứu hồ sơ.{% else %}Mời {{ salutation }} đến nhận kết quả{% if counter %} tại {{ counter }}{% if counter_address %}, {{ counter_address }}{% endif %}{% if counter_phone %} (điện thoại {{ counter_phone }}){% endif %}{% endif %}.{% endif %}\n\nTrân trọng.",
        "Ket qua ho so {{ code }} da co som hon ngay hen. {% if return_method == 'post' %}Ket qua se duoc gui qua buu chinh.{% elif return_method == 'online' %}Nhan ket qua dien tu tai trang Tra cuu ho so.{% else %}Moi den nhan ket qua{% if counter %} tai {{ counter|khong_dau }}{% endif %}.{% endif %}",
        "Kết quả hồ sơ {{ code }} đã có sớm hơn ngày hẹn. {% if return_method == 'post' %}Kết quả sẽ được gửi qua bưu chính.{% elif return_method == 'online' %}Kết quả điện tử có tại trang Tra cứu hồ sơ.{% else %}Mời {{ salutation }} đến nhận kết quả{% if counter %} tại {{ counter }}{% endif %}.{% endif %}",
    ),
    (
        "apology_issued",
        "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\n{% if agency %}{{ agency }}{% else %}Cơ quan giải quyết{% endif %} chân thành xin lỗi {{ salutation }} vì hồ sơ {{ code }} về thủ tục “{{ procedure }}” chưa giải quyết được đúng hẹn{% if reason %}, vì: {{ reason }}{% endif %}.{% if due %}\nNgày hẹn trả kết quả mới: {{ due }}.{% endif %}\n\nMong {{ salutation }} thông cảm.\n\nTrân trọng.",
        "Xin loi {{ salutation|khong_dau }}: ho so {{ code }} bi cham{% if reason %} ({{ reason|khong_dau }}){% endif %}.{% if due %} Ngay hen moi: {{ due }}.{% endif %}",
        "{% if agency %}{{ agency }}{% else %}Cơ quan giải quyết{% endif %} xin lỗi vì hồ sơ {{ code }} chưa giải quyết được đúng hẹn{% if reason %} ({{ reason }}){% endif %}.{% if due %} Ngày hẹn mới: {{ due }}.{% endif %}",
    ),
    (
        "result_ready",
        "Đã có kết quả hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” đã có kết quả. {% if return_method == 'post' %}Kết quả sẽ được gửi đến {{ salutation }} qua dịch vụ bưu chính công ích.{% elif return_method == 'online' %}{{ salutation|capitalize }} nhận kết quả điện tử tại trang Tra cứu hồ sơ.{% else %}Mời {{ salutation }} đến nhận kết quả{% if counter %} tại {{ counter }}{% if counter_address %}, {{ counter_address }}{% endif %}{% if counter_phone %} (điện thoại {{ counter_phone }}){% endif %}{% endif %}.{% endif %}\n\nTrân trọng.",
        "Ho so {{ code }} da co ket qua. {% if return_method == 'post' %}Ket qua se duoc gui qua buu chinh.{% elif return_method == 'online' %}Nhan ket qua dien tu tai trang Tra cuu ho so.{% else %}Moi den nhan ket qua{% if counter %} tai {{ counter|khong_dau }}{% endif %}.{% endif %}",
        "Hồ sơ {{ code }} đã có kết quả. {% if return_method == 'post' %}Kết quả sẽ được gửi qua bưu chính.{% elif return_method == 'online' %}Kết quả điện tử có tại trang Tra cứu hồ sơ.{% else %}Mời {{ salutation }} đến nhận kết quả{% if counter %} tại {{ counter }}{% endif %}.{% endif %}",
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
        "Kính gửi {{ applicant }},\n\nXin mời {{ salutation }} đánh giá việc giải quyết hồ sơ {{ code }} về thủ tục “{{ procedure }}” tại trang Tra cứu hồ sơ, với mã hồ sơ {{ code }} và mã tra cứu {{ secret }}. Ý kiến của {{ salutation }} giúp chúng tôi phục vụ tốt hơn.\n\nTrân trọng.",
        "Moi danh gia ho so {{ code }} tai trang Tra cuu ho so, ma tra cuu {{ secret }}.",
        "Mời {{ salutation }} đánh giá việc giải quyết hồ sơ {{ code }} tại trang Tra cứu hồ sơ, mã tra cứu {{ secret }}.",
    ),
    (
        "refused",
        "Hồ sơ {{ code }} chưa được tiếp nhận",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” chưa được tiếp nhận{% if reason %}, vì: {{ reason }}{% endif %}. Lý do và hướng dẫn đã ghi trong phiếu từ chối tiếp nhận, giải quyết hồ sơ.\n\nTrân trọng.",
        "Ho so {{ code }} chua duoc tiep nhan{% if reason %}: {{ reason|khong_dau }}{% endif %}.",
        "Hồ sơ {{ code }} chưa được tiếp nhận{% if reason %}: {{ reason }}{% endif %}.",
    ),
    (
        "rejected",
        "Hồ sơ {{ code }} không được giải quyết",
        "Kính gửi {{ applicant }},\n\n{% if agency %}{{ agency }}{% else %}Cơ quan giải quyết{% endif %} không giải quyết hồ sơ {{ code }} về thủ tục “{{ procedure }}”{% if reason %}, vì: {{ reason }}{% endif %}. Văn bản nêu rõ lý do sẽ được trả cho {{ salutation }}.\n\nTrân trọng.",
        "Ho so {{ code }} khong duoc giai quyet{% if reason %}: {{ reason|khong_dau }}{% endif %}.",
        "Hồ sơ {{ code }} không được giải quyết{% if reason %}: {{ reason }}{% endif %}.",
    ),
    (
        "stopped",
        "Dừng xử lý hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” đã dừng xử lý{% if reason %}, vì: {{ reason }}{% endif %}.\n\nTrân trọng.",
        "Ho so {{ code }} da dung xu ly{% if reason %}: {{ reason|khong_dau }}{% endif %}.",
        "Hồ sơ {{ code }} đã dừng xử lý{% if reason %}: {{ reason }}{% endif %}.",
    ),
    (
        "withdrawn",
        "Đã rút hồ sơ {{ code }}",
        "Kính gửi {{ applicant }},\n\nHồ sơ {{ code }} về thủ tục “{{ procedure }}” đã được rút theo đề nghị của {{ salutation }}.\n\nTrân trọng.",
        "Ho so {{ code }} da duoc rut theo de nghi.",
        "Hồ sơ {{ code }} đã được rút theo đề nghị của {{ salutation }}.",
    ),
    (
        "support_received",
        "Đã tiếp nhận {{ procedure }} — mã {{ code }}",
        "Kính gửi {{ applicant }},\n\n{% if agency %}{{ agency }}{% else %}Cơ quan tiếp nhận{% endif %} đã tiếp nhận nội dung “{{ procedure }}” của {{ salutation }}, mã {{ code }}.{% if due %}\nThời hạn trả lời: {{ due }}.{% endif %}\n\n{{ salutation|capitalize }} theo dõi việc xử lý tại trang Hỏi đáp, phản ánh (mục Theo dõi) với mã {{ code }} và mã tra cứu {{ secret }}.\n\nTrân trọng.",
        "Da tiep nhan {{ code }}.{% if due %} Han tra loi {{ due }}.{% endif %} Ma tra cuu: {{ secret }}.",
        "Đã tiếp nhận {{ code }} ({{ procedure }}).{% if due %} Thời hạn trả lời: {{ due }}.{% endif %} Mã tra cứu: {{ secret }}.",
    ),
    (
        "support_accepted",
        "Đang xử lý {{ procedure }} — mã {{ code }}",
        "Kính gửi {{ applicant }},\n\n{% if agency %}{{ agency }}{% else %}Cơ quan tiếp nhận{% endif %} đã thụ lý nội dung “{{ procedure }}” (mã {{ code }}) của {{ salutation }} và đang xử lý.{% if due %}\nThời hạn trả lời: {{ due }}.{% endif %}\n\nTrân trọng.",
        "{{ code }} da duoc thu ly, dang xu ly.{% if due %} Han tra loi {{ due }}.{% endif %}",
        "Nội dung {{ code }} đã được thụ lý và đang xử lý.{% if due %} Thời hạn trả lời: {{ due }}.{% endif %}",
    ),
    (
        "support_forwarded",
        "Nội dung {{ code }} đã được chuyển cơ quan có thẩm quyền",
        "Kính gửi {{ applicant }},\n\nNội dung “{{ procedure }}” (mã {{ code }}) của {{ salutation }} không thuộc thẩm quyền của cơ quan tiếp nhận và đã được chuyển{% if reason %}: {{ reason }}{% endif %}.{% if agency %}\nCơ quan xử lý: {{ agency }}.{% endif %}\n\nTrân trọng.",
        "{{ code }} da duoc chuyen co quan co tham quyen{% if reason %}: {{ reason|khong_dau }}{% endif %}.",
        "Nội dung {{ code }} đã được chuyển cơ quan có thẩm quyền{% if reason %}: {{ reason }}{% endif %}.",
    ),
    (
        "support_refused",
        "Nội dung {{ code }} không được tiếp nhận",
        "Kính gửi {{ applicant }},\n\nNội dung “{{ procedure }}” (mã {{ code }}) của {{ salutation }} không được tiếp nhận{% if reason %}, vì: {{ reason }}{% endif %}.\n\nTrân trọng.",
        "{{ code }} khong duoc tiep nhan{% if reason %}: {{ reason|khong_dau }}{% endif %}.",
        "Nội dung {{ code }} không được tiếp nhận{% if reason %}: {{ reason }}{% endif %}.",
    ),
    (
        "support_answered",
        "Đã trả lời {{ procedure }} — mã {{ code }}",
        "Kính gửi {{ applicant }},\n\n{% if agency %}{{ agency }}{% else %}Cơ quan xử lý{% endif %} đã trả lời nội dung “{{ procedure }}” (mã {{ code }}) của {{ salutation }}.\n\nXin xem câu trả lời tại trang Hỏi đáp, phản ánh (mục Theo dõi) với mã {{ code }} và mã tra cứu {{ secret }}.\n\nTrân trọng.",
        "{{ code }} da duoc tra loi. Xem tai trang Hoi dap, phan anh, ma tra cuu {{ secret }}.",
        "Nội dung {{ code }} đã được trả lời. Xem tại trang Hỏi đáp, phản ánh, mã tra cứu {{ secret }}.",
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
