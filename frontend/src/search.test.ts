import { describe, expect, it } from 'vitest';
import { fold, matches } from './search';

describe('search', () => {
  it('ignores case and diacritics', () => {
    expect(fold('Hội LHPN Đồng Nai')).toBe('hoi lhpn dong nai');
    expect(matches('ke hoach', 'Kế hoạch 321')).toBe(true);
    expect(matches('nha trang', 'Hội LHPN thành phố Nha Trang')).toBe(true);
    expect(matches('cam ranh', 'Nha Trang')).toBe(false);
    expect(matches('  ', 'anything')).toBe(true);
  });
});
