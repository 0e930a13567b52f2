# Mẫu số 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
# (Thông tư số 01/2018/TT-VPCP; in khổ A5). Danh sách "components" là các giấy tờ cần bổ sung,
# cột "note" là nội dung cần bổ sung của từng giấy tờ.
page A5
font-size 10
margins 10 10 10 15

heading {{agency.parent}} | {{agency.name}}
twocol Số: {{number}} | *{{place_date}}*
space 2
title PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ
space 1
qr 20 | Mã hồ sơ: **{{dossier.code}}** | Tra cứu tại: {{tracking_url}}

p {{agency.name}} tiếp nhận hồ sơ của: **{{applicant.name}}**
p Nội dung yêu cầu giải quyết: **{{procedure.name}}**
p Địa chỉ: {{applicant.address}}
p Số điện thoại: {{applicant.phone}}
if applicant.email
p Email: {{applicant.email}}
endif
p Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:
table components
col 7 center TT | {{index}}
col 48 Thành phần hồ sơ | {{name}}
col 45 Nội dung cần bổ sung, hoàn thiện | {{note}}
end
p Lý do: {{reason}}
p Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ {{contact}} để được hướng dẫn.
space 2
sign | |
sign NGƯỜI HƯỚNG DẪN | (Ký và ghi rõ họ tên) | {{officer.name}}
