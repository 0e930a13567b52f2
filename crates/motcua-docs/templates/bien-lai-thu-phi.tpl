# Biên lai thu phí, lệ phí điện tử — bản thể hiện (NĐ 123/2020/NĐ-CP Điều 32, sửa đổi bởi
# NĐ 70/2025/NĐ-CP; in khổ A5). Cú pháp: docs/FORMS.md. Ký hiệu mẫu, ký hiệu và mã số thuế là
# của đơn vị thu đã đăng ký với cơ quan thuế (motcua payments receipt-book).
page A5
font-size 10
margins 8 10 8 15

twocol **{{collector.name}}** | Mẫu số: {{receipt.form_symbol}}
twocol Mã số thuế: {{collector.tax_code}} | Ký hiệu: {{receipt.symbol}}
twocol *(Đơn vị thu phí, lệ phí)* | Số: **{{receipt.number}}**
space 3
title {{receipt.title}}
center *(Bản thể hiện của biên lai điện tử)*
center *{{issued_date}}*
space 2
if collector.address
p Địa chỉ đơn vị thu: {{collector.address}}
endif
p Tên người nộp: **{{payer.name}}**
if payer.id_number
p Số định danh / mã số thuế: {{payer.id_number}}
endif
if payer.address
p Địa chỉ: {{payer.address}}
endif
p Nộp cho hồ sơ: **{{dossier.code}}** — {{procedure.name}}
p Hình thức thanh toán: {{method}}
if proof
p Số giao dịch / chứng từ: {{proof}}
endif
space 1
table lines
col 8 center STT | {{index}}
col 62 Tên loại phí, lệ phí | {{name}}
col 30 right Số tiền (đồng) | {{amount}}
empty (Không có khoản nào)
end
right **Tổng cộng: {{total}} đồng**
p Số tiền bằng chữ: *{{total_words}}*
space 2
qr 18 | Mã hồ sơ: **{{dossier.code}}** | Tra cứu hồ sơ và biên lai tại: {{tracking_url}}
space 2
sign NGƯỜI NỘP TIỀN | (Ký, ghi rõ họ tên) |
sign ĐƠN VỊ THU | (Ký số) | {{collector.name}}
p *Biên lai điện tử có chữ ký số của đơn vị thu; bản in không cần ký, đóng dấu.*
