// Signed-in users for page tests, one per role, as GET /api/v1/me answers.

const unit = (unit_id: number, unit_name: string, unit_path: string, role: string) => ({ unit_id, unit_name, unit_path, role });

export const admin = { id: 1, email: 'quantri@demo.cascade.local', name: 'Quản Trị', memberships: [unit(1, 'Hội LHPN tỉnh Khánh Hòa', '/1/', 'admin')] };
export const leader = { id: 2, email: 'lanhdao@demo.cascade.local', name: 'Trần Thị Lãnh Đạo', memberships: [unit(1, 'Hội LHPN tỉnh Khánh Hòa', '/1/', 'leader')] };
export const officer = { id: 3, email: 'canbo.nhatrang@demo.cascade.local', name: 'Lê Thị Cán Bộ', memberships: [unit(9, 'Hội LHPN thành phố Nha Trang', '/1/9/', 'officer')] };
export const districtAdmin = { id: 4, email: 'qt.nt@demo.cascade.local', name: 'Quản Trị Nha Trang', memberships: [unit(9, 'Hội LHPN thành phố Nha Trang', '/1/9/', 'admin')] };

export const me = (user: object) => ({ 'GET /api/v1/me': { body: { user } } });
