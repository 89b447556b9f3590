import { describe, expect, it } from 'vitest';
import { shortUnitName } from './unitName';

describe('shortUnitName', () => {
  it('drops the shared prefix and abbreviates the kind of place', () => {
    expect(shortUnitName('Hội LHPN thành phố Nha Trang')).toBe('TP. Nha Trang');
    expect(shortUnitName('Hội LHPN huyện Cam Lâm')).toBe('H. Cam Lâm');
    expect(shortUnitName('Hội Liên hiệp Phụ nữ thị xã Ninh Hòa')).toBe('TX. Ninh Hòa');
    expect(shortUnitName('Ban Tuyên giáo')).toBe('Ban Tuyên giáo');
  });
  it('cuts what is still too long, with an ellipsis', () => {
    expect(shortUnitName('Hội LHPN huyện đảo Trường Sa xa xôi nhất nước')).toBe('H. đảo Trường Sa xa x…');
    expect(shortUnitName('Hội LHPN huyện đảo Trường Sa xa xôi nhất nước').length).toBeLessThanOrEqual(22);
  });
});
