# Mẫu số 07 — Sổ theo dõi hồ sơ
# (Thông tư số 03/2025/TT-VPCP, Phụ lục I; in khổ A4, ngang vì bảng nhiều cột). Bảng sang trang
# lặp lại dòng tiêu đề.
page A4 landscape
font-size 9
margins 12 10 14 12

heading {{agency.parent}} | {{agency.name}}
space 3
title SỔ THEO DÕI HỒ SƠ
center *Từ {{period_from}} đến {{period_to}}*
space 2
table log
col 4 center STT | {{index}}
col 20 Mã hồ sơ | {{code}}
col 15 Tên thủ tục hành chính | {{procedure}}
col 5 center Số lượng hồ sơ (bộ) | {{sets}}
col 10 Tên cá nhân, tổ chức | {{applicant}}
col 11 Địa chỉ, số điện thoại | {{address}}\n{{phone}}
col 8 center Nhận hồ sơ | {{received}}
col 8 center Hẹn trả kết quả | {{due}}
col 10 Cơ quan giải quyết | {{agency}}
col 8 center Trả kết quả | {{returned}}
col 8 center Ký nhận kết quả | {{signature}}
col 9 Người tiếp nhận | {{receiver}}
col 8 Địa bàn phát sinh | {{area}}
col 6 Ghi chú | {{note}}
empty (Không có hồ sơ trong kỳ)
end
space 2
p Sổ có {{log.count}} hồ sơ, từ số thứ tự 01 đến số thứ tự {{log.count}}. Khóa sổ {{issued_date}}.
space 2
sign NGƯỜI LẬP SỔ | (Ký và ghi rõ họ tên) | {{officer.name}}
sign {{head.title}} | (Ký, ghi rõ họ tên và đóng dấu) | {{head.name}}
