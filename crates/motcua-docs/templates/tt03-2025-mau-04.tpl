# Mẫu số 04 — Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết
# (Thông tư số 03/2025/TT-VPCP, Phụ lục I; in khổ A5). Lời văn theo cách làm phổ biến: bản mẫu
# chính thức chưa đối chiếu được (docs/FORMS.md) — sửa tệp này nếu cần.
page A5
font-size 10
margins 10 10 10 15

heading {{agency.parent}} | {{agency.name}}
twocol Số: {{number}} | *{{place_date}}*
space 2
title VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ
space 1
center Kính gửi: **{{applicant.name}}**
p Địa chỉ: {{applicant.address}}
p Số điện thoại: {{applicant.phone}}
qr 20 | Mã hồ sơ: **{{dossier.code}}** | Tra cứu tại: {{tracking_url}}
p Vào {{received_at}}, hồ sơ đề nghị **{{procedure.name}}** của Ông/Bà được tiếp nhận, mã hồ sơ {{dossier.code}}, thời gian hẹn trả kết quả: {{due_at}}; {{agency.name}} là cơ quan giải quyết.
p Đến nay, hồ sơ chưa được giải quyết xong đúng thời hạn đã hẹn. Lý do: {{reason}}
p {{agency.name}} trân trọng xin lỗi Ông/Bà và đề nghị Ông/Bà đồng ý gia hạn thời gian giải quyết hồ sơ đến: **{{new_due_at}}**.
p Xin trân trọng cảm ơn sự hợp tác của Ông/Bà.
space 2
sign | |
sign {{head.title}} | (Ký, ghi rõ họ tên và đóng dấu) | {{head.name}}
bold *Nơi nhận:*
each recipients
item {{text}}
endeach
