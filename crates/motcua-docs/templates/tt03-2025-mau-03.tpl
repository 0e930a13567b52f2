# Mẫu số 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ
# (Thông tư số 03/2025/TT-VPCP, Phụ lục I; in khổ A5).
page A5
font-size 10
margins 10 10 10 15

heading {{agency.parent}} | {{agency.name}}
twocol Số: {{number}} | *{{place_date}}*
space 2
title PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ
space 1
qr 20 | Mã hồ sơ: **{{dossier.code}}** | Tra cứu tại: {{tracking_url}}

p {{agency.name}} tiếp nhận hồ sơ của: **{{applicant.name}}**
p Địa chỉ: {{applicant.address}}
p Số điện thoại: {{applicant.phone}}
if applicant.email
p Email: {{applicant.email}}
endif
p Nội dung yêu cầu giải quyết: **{{procedure.name}}**
p Sau khi nghiên cứu, đối chiếu với quy định, {{agency.name}} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:
p {{reason}}
p Xin thông báo để Ông/Bà được biết và thực hiện.
space 2
sign | |
sign NGƯỜI TIẾP NHẬN HỒ SƠ | (Ký và ghi rõ họ tên) | {{officer.name}}
