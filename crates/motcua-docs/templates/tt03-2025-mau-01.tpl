# Mẫu số 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả
# (Thông tư số 03/2025/TT-VPCP, Phụ lục I; in khổ A5). Cú pháp: docs/FORMS.md.
page A5
font-size 9.5
margins 8 10 8 15

heading {{agency.parent}} | {{agency.name}}
twocol Số: {{number}} | *{{place_date}}*
space 2
title GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ
space 1
qr 22 | Mã hồ sơ: **{{dossier.code}}** | Mã tra cứu: **{{lookup_code}}** | Tra cứu tình trạng hồ sơ bằng mã QR hoặc tại: {{tracking_url}}

p {{agency.name}} tiếp nhận hồ sơ của: **{{applicant.name}}**
if applicant.id_number
p Số giấy tờ tùy thân: {{applicant.id_number}}
endif
p Địa chỉ: {{applicant.address}}
p Số điện thoại: {{applicant.phone}}
if applicant.email
p Email: {{applicant.email}}
endif
p Nội dung yêu cầu giải quyết: **{{procedure.name}}**
p Thành phần hồ sơ nộp gồm:
table components
col 6 center TT | {{index}}
col 50 Tên giấy tờ | {{name}}
col 11 center Bản chính | {{originals}}
col 11 center Bản sao | {{copies}}
col 11 center Bản chụp | {{photocopies}}
col 11 center Bản điện tử | {{electronic}}
empty (Không có thành phần hồ sơ)
end
p Số lượng hồ sơ: {{sets}} (bộ)
p Thời gian giải quyết hồ sơ theo quy định là: {{legal_time}}
if committed_time
p Thời gian giải quyết theo cam kết của cơ quan: {{committed_time}}
endif
p Thời gian nhận hồ sơ: {{received_at}}
p Thời gian trả kết quả giải quyết hồ sơ: **{{due_at}}**
p Đăng ký nhận kết quả tại: {{result_place}}
p Vào Sổ theo dõi hồ sơ, Quyển số: {{book.volume}}, Số thứ tự: {{book.entry}}
space 1
sign NGƯỜI NỘP HỒ SƠ | (Ký và ghi rõ họ tên) | {{applicant.name}} | {{applicant.signature}}
sign {{officer.title}} | (Ký và ghi rõ họ tên) | {{officer.name}}
if online
p *Giấy tiếp nhận này được gửi đến Ông/Bà qua tài khoản dịch vụ công và thư điện tử, không cần nhận bản giấy.*
endif
ifnot online
p *Giấy này lập thành 02 bản: 01 bản giao người nộp hồ sơ, 01 bản lưu tại Bộ phận Một cửa.*
endif
