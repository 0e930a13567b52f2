# Mẫu số 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả
# (Thông tư số 01/2018/TT-VPCP; in khổ A5). Người ký: thủ trưởng cơ quan giải quyết (head).
page A5
font-size 10
margins 10 10 10 15

heading {{agency.parent}} | {{agency.name}}
twocol Số: {{number}} | *{{place_date}}*
space 2
title PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ
space 1
center Kính gửi: **{{applicant.name}}**
p Địa chỉ: {{applicant.address}}
p Số điện thoại: {{applicant.phone}}
qr 20 | Mã hồ sơ: **{{dossier.code}}** | Tra cứu tại: {{tracking_url}}
p Vào {{received_at}}, {{agency.name}} tiếp nhận giải quyết hồ sơ đề nghị **{{procedure.name}}** của Ông/Bà; mã hồ sơ {{dossier.code}}.
p Thời gian hẹn trả kết quả giải quyết hồ sơ: {{due_at}}.
p Tuy nhiên đến nay, {{agency.name}} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng thời hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
p Lý do: {{reason}}
p Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. {{agency.name}} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào: **{{new_due_at}}**.
p Xin trân trọng cảm ơn sự hợp tác của Ông/Bà.
space 2
sign | |
sign {{head.title}} | (Ký, ghi rõ họ tên và đóng dấu) | {{head.name}}
bold *Nơi nhận:*
each recipients
item {{text}}
endeach
