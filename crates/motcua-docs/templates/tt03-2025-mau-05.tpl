# Mẫu số 05 — Thông báo dừng giải quyết hồ sơ
# (Thông tư số 03/2025/TT-VPCP, Phụ lục I; in khổ A5). Lời văn theo cách làm phổ biến: bản mẫu
# chính thức chưa đối chiếu được (docs/FORMS.md) — sửa tệp này nếu cần.
page A5
font-size 10
margins 10 10 10 15

heading {{agency.parent}} | {{agency.name}}
twocol Số: {{number}} | *{{place_date}}*
space 2
title THÔNG BÁO
subtitle Về việc dừng giải quyết hồ sơ
space 1
center Kính gửi: **{{applicant.name}}**
p Địa chỉ: {{applicant.address}}
p Số điện thoại: {{applicant.phone}}
qr 20 | Mã hồ sơ: **{{dossier.code}}** | Tra cứu tại: {{tracking_url}}
p Vào {{received_at}}, {{agency.name}} tiếp nhận hồ sơ đề nghị **{{procedure.name}}** của Ông/Bà; mã hồ sơ {{dossier.code}}.
p {{agency.name}} thông báo dừng giải quyết hồ sơ nêu trên. Lý do: {{reason}}
p Ông/Bà có thể nhận lại hồ sơ tại {{result_place}}. Trường hợp có vướng mắc, Ông/Bà liên hệ {{contact}} để được hướng dẫn.
space 2
sign | |
sign {{head.title}} | (Ký, ghi rõ họ tên và đóng dấu) | {{head.name}}
bold *Nơi nhận:*
each recipients
item {{text}}
endeach
