// Vietnamese messages: the source of truth for the key set. Every other
// language must provide exactly these keys (see en.ts and Messages below).
// Placeholders are written {name}; a message with "||" has an English-style
// singular||plural form chosen by the {n} parameter (Vietnamese has none).
export const vi = {
  'app.name': 'Cascade',
  'app.org': 'Hội LHPN tỉnh Khánh Hòa',
  'app.orgFull': 'Hội Liên hiệp Phụ nữ tỉnh Khánh Hòa',
  'app.title': 'Cascade — Hội LHPN tỉnh Khánh Hòa',
  'app.tagline': 'Theo dõi thực hiện kế hoạch, từ ban hành đến tổng kết',
  'app.skipToContent': 'Bỏ qua, đến nội dung chính',

  'nav.label': 'Điều hướng chính',
  'nav.home': 'Trang chủ',
  'nav.login': 'Đăng nhập',

  'lang.label': 'Ngôn ngữ',
  'lang.vi': 'Tiếng Việt',
  'lang.en': 'English',
  'lang.viShort': 'VI',
  'lang.enShort': 'EN',

  'state.loading': 'Đang tải…',
  'state.empty': 'Chưa có dữ liệu.',
  'state.errorTitle': 'Đã có lỗi xảy ra',
  'state.retry': 'Thử lại',

  'error.network': 'Không kết nối được máy chủ. Kiểm tra kết nối mạng rồi thử lại.',
  'error.server': 'Máy chủ gặp sự cố (mã {status}). Vui lòng thử lại sau.',
  'error.unexpected': 'Máy chủ trả lời không như mong đợi (mã {status}).',
  'error.unauthorized': 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
  'error.forbidden': 'Bạn không có quyền thực hiện thao tác này.',
  'error.notFound': 'Không tìm thấy dữ liệu yêu cầu.',

  'login.title': 'Đăng nhập',
  'login.intro': 'Dùng tài khoản được Hội cấp để đăng nhập.',
  'login.email': 'Thư điện tử',
  'login.password': 'Mật khẩu',
  'login.showPassword': 'Hiện mật khẩu',
  'login.submit': 'Đăng nhập',
  'login.submitting': 'Đang đăng nhập…',
  'login.emailRequired': 'Vui lòng nhập thư điện tử.',
  'login.emailInvalid': 'Thư điện tử chưa đúng định dạng.',
  'login.passwordRequired': 'Vui lòng nhập mật khẩu.',
  'login.failed': 'Không đăng nhập được.',
  'login.sessionExpired': 'Vui lòng đăng nhập để tiếp tục.',

  'home.heading': 'Hội Liên hiệp Phụ nữ tỉnh Khánh Hòa',
  'home.welcomeTitle': 'Chào mừng đến với Cascade',
  'home.welcomeText': 'Lãnh đạo ban hành kế hoạch năm năm; Hội LHPN các huyện, thị xã, thành phố xây dựng kế hoạch thực hiện và báo cáo tiến độ hằng năm.',
  'home.signInPrompt': 'Đăng nhập để xem việc cần làm',
  'home.greeting': 'Xin chào, {name}',
  'home.signedInAs': 'Đã đăng nhập bằng {email}',
  'home.memberships': 'Đơn vị của bạn',
  'home.noMemberships': 'Tài khoản chưa được gán vào đơn vị nào. Liên hệ quản trị viên.',
  'home.inboxSoon': 'Hộp việc (kế hoạch cần xây dựng, báo cáo đến hạn) sẽ hiển thị tại đây.',

  'role.admin': 'Quản trị viên',
  'role.leader': 'Lãnh đạo',
  'role.officer': 'Cán bộ',
  'role.reporter': 'Cán bộ báo cáo',
  'role.reviewer': 'Người duyệt',
  'role.viewer': 'Người xem',

  'status.title': 'Tình trạng hệ thống',
  'status.checking': 'Đang kiểm tra…',
  'status.ready': 'Hệ thống sẵn sàng',
  'status.notReady': 'Hệ thống đang gặp sự cố',
  'status.unreachable': 'Không kết nối được máy chủ',
  'status.refresh': 'Kiểm tra lại',
  'status.ok': 'Hoạt động',
  'status.failing': 'Lỗi',
  'status.check.postgres': 'Cơ sở dữ liệu (PostgreSQL)',
  'status.check.temporal': 'Bộ điều phối quy trình (Temporal)',

  'notFound.title': 'Không tìm thấy trang',
  'notFound.text': 'Địa chỉ {path} không tồn tại hoặc đã được chuyển đi.',
  'notFound.home': 'Về trang chủ',

  'due.left': 'còn {n} ngày',
  'due.today': 'hạn chót hôm nay',
  'due.late': 'trễ {n} ngày',
} as const;

export type MessageKey = keyof typeof vi;
export type Messages = { readonly [K in MessageKey]: string };
