# Mẫu số 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ
# (Thông tư số 01/2018/TT-VPCP; in khổ A5). Mỗi dòng bảng là một lần giao, nhận hồ sơ.
page A5
font-size 9.5
margins 10 10 10 15

heading {{agency.parent}} | {{agency.name}}
twocol Số: {{number}} | *{{place_date}}*
space 2
title PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ
space 1
qr 18 | Mã hồ sơ: **{{dossier.code}}** | Tra cứu tại: {{tracking_url}}
p Cơ quan (bộ phận) giải quyết hồ sơ: {{processing_agency}}
p Cơ quan phối hợp giải quyết hồ sơ: {{coordinating_agencies}}
table handovers
col 30 TÊN CƠ QUAN | 1. Giao: {{from_agency}}\n2. Nhận: {{to_agency}}
col 34 THỜI GIAN GIAO, NHẬN HỒ SƠ | {{at}}\nNgười giao: {{from_person}}\nNgười nhận: {{to_person}}
col 20 center KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ đúng hạn/ quá hạn) | {{outcome}}
col 16 GHI CHÚ | {{note}}
empty (Chưa có lần giao, nhận nào)
end
p *Ghi chú: Kết quả giải quyết hồ sơ do bên nhận hồ sơ ghi khi nhận bàn giao. Quá trình giao, nhận được Hệ thống thông tin một cửa điện tử ghi tự động.*
