//! Lời văn mẫu — the Vietnamese reasons, notes, questions and answers demo staff and citizens
//! write on dossiers.

pub(crate) const REFUSE: [&str; 4] = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan; đề nghị nộp tại cơ quan có thẩm quyền",
    "Tệp đính kèm không đọc được, không đúng thành phần hồ sơ theo quy định",
    "Hồ sơ đã được nộp trùng trên Cổng Dịch vụ công",
    "Người nộp không cung cấp được giấy tờ tùy thân còn giá trị sử dụng",
];

pub(crate) const SUPPLEMENT: [&str; 4] = [
    "Giấy tờ nộp kèm là bản chụp không rõ nét, cần bổ sung bản sao có chứng thực",
    "Thông tin kê khai trong tờ khai không thống nhất với giấy tờ tùy thân",
    "Thành phần hồ sơ chưa đầy đủ theo quy định",
    "Giấy tờ đã hết hiệu lực, cần bổ sung giấy tờ còn giá trị sử dụng",
];

pub(crate) const RECEIVE_SUPPLEMENT: &str = "Đã nhận đủ thành phần hồ sơ bổ sung";

pub(crate) const REJECT: [&str; 3] = [
    "Hồ sơ không đủ điều kiện theo quy định của pháp luật chuyên ngành",
    "Kết quả kiểm tra thực tế không phù hợp với nội dung đề nghị",
    "Đối tượng không thuộc diện được giải quyết theo quy định",
];

pub(crate) const STOP: [&str; 2] = [
    "Quá thời hạn bổ sung nhưng người nộp không bổ sung, hoàn thiện hồ sơ",
    "Người nộp không bổ sung hồ sơ theo phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
];

pub(crate) const WITHDRAW: [&str; 3] = [
    "Tôi muốn rút hồ sơ để chuẩn bị lại giấy tờ và nộp sau",
    "Gia đình đã thay đổi nhu cầu, không tiếp tục thực hiện thủ tục",
    "Nộp nhầm thủ tục, xin rút hồ sơ",
];

pub(crate) const APOLOGY: [&str; 4] = [
    "Cần xác minh thêm thông tin tại cơ quan phối hợp",
    "Chờ ý kiến của cơ quan phối hợp chưa đúng hạn",
    "Số lượng hồ sơ tăng đột biến, cần thêm thời gian thẩm định để bảo đảm chất lượng",
    "Cần kiểm tra thực địa trước khi trình phê duyệt",
];

pub(crate) const QUESTION: [&str; 3] = [
    "Đề nghị cho ý kiến về sự phù hợp của nội dung đề nghị với quy định chuyên ngành",
    "Đề nghị xác minh, cung cấp thông tin liên quan đến người nộp hồ sơ",
    "Đề nghị cho ý kiến thẩm định đối với hồ sơ gửi kèm",
];

pub(crate) const ANSWER: [&str; 3] = [
    "Thống nhất với nội dung đề nghị; không có ý kiến khác",
    "Đã xác minh, thông tin người nộp hồ sơ phù hợp với dữ liệu đang quản lý",
    "Đề nghị cơ quan chủ trì đối chiếu thêm quy định hiện hành trước khi trình phê duyệt",
];

pub(crate) const APPRAISE: [&str; 3] = [
    "Hồ sơ đầy đủ, hợp lệ; đề xuất giải quyết",
    "Đã đối chiếu thông tin với Cơ sở dữ liệu quốc gia về dân cư",
    "Đã kiểm tra thành phần hồ sơ và nội dung kê khai; đủ điều kiện",
];

pub(crate) const APPRAISE_AGAINST: &str =
    "Hồ sơ không đáp ứng điều kiện theo quy định; đề xuất từ chối giải quyết";

pub(crate) const APPROVE: &str = "Đồng ý, ký duyệt kết quả";

pub(crate) const PAYMENT: &str = "Đề nghị nộp phí, lệ phí theo quy định trước khi nhận kết quả";
