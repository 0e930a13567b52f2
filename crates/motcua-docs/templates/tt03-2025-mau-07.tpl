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
col 21 Mã hồ sơ | {{code}}
col 16 Tên thủ tục hành chính | {{procedure}}
col 5 center Số lượng hồ sơ (bộ) | {{sets}}
col 11 Tên cá nhân, tổ chức | {{applicant}}
col 10 Địa chỉ | {{address}}
col 10 Số điện thoại | {{phone}}
col 8 center Nhận hồ sơ | {{received}}
col 8 center Hẹn trả kết quả | {{due}}
col 8 center Trả kết quả | {{returned}}
col 10 Người tiếp nhận | {{receiver}}
col 8 Địa bàn | {{area}}
col 6 Ghi chú | {{note}}
empty (Không có hồ sơ trong kỳ)
end
