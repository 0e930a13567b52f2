# Phiếu từ chối giải quyết hồ sơ — sau thẩm định (Nghị định 61/2018/NĐ-CP, điều 19 khoản 8).
# (Thông tư số 03/2025/TT-VPCP, Phụ lục I không có mẫu riêng: in theo bố cục Mẫu số 03, khổ A5, do lãnh đạo cơ quan giải
# quyết ký.) Cú pháp: docs/FORMS.md.
page A5
font-size 10
margins 10 10 10 15

heading {{agency.parent}} | {{agency.name}}
twocol Số: {{number}} | *{{place_date}}*
space 2
title PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ
space 1
center Kính gửi: **{{applicant.name}}**
p Địa chỉ: {{applicant.address}}
p Số điện thoại: {{applicant.phone}}
if applicant.email
p Email: {{applicant.email}}
endif
qr 20 | Mã hồ sơ: **{{dossier.code}}** | Tra cứu tại: {{tracking_url}}
p Vào {{received_at}}, hồ sơ đề nghị **{{procedure.name}}** của Ông/Bà được tiếp nhận, mã hồ sơ {{dossier.code}}; {{agency.name}} là cơ quan giải quyết.
p Sau khi thẩm định, đối chiếu với quy định, {{agency.name}} không giải quyết hồ sơ này với lý do cụ thể như sau:
p {{reason}}
p Hồ sơ được trả lại cho Ông/Bà theo hình thức đã đăng ký: {{result_place}}. Trường hợp có vướng mắc, Ông/Bà liên hệ {{contact}} để được hướng dẫn.
p Xin thông báo để Ông/Bà được biết.
space 2
sign | |
sign {{head.title}} | (Ký, ghi rõ họ tên và đóng dấu) | {{head.name}}
bold *Nơi nhận:*
each recipients
item {{text}}
endeach
