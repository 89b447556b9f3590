import { describe, expect, it } from 'vitest';
import { groupTitle } from './headings';

describe('groupTitle', () => {
  it('keeps the document’s own numbering instead of adding another', () => {
    expect(groupTitle(4, '2. Đẩy mạnh tuyên truyền')).toBe('2. Đẩy mạnh tuyên truyền');
    expect(groupTitle(1, 'II. NHIỆM VỤ')).toBe('II. NHIỆM VỤ');
    expect(groupTitle(3, 'a) Tổ chức hội nghị')).toBe('a) Tổ chức hội nghị');
    expect(groupTitle(2, '1.2. Phát triển hội viên')).toBe('1.2. Phát triển hội viên');
  });
  it('numbers a heading that has none', () => {
    expect(groupTitle(4, 'Đẩy mạnh tuyên truyền')).toBe('4. Đẩy mạnh tuyên truyền');
    expect(groupTitle(1, 'Về công tác cán bộ')).toBe('1. Về công tác cán bộ'); // "Về" is a word, not a numbering
  });
});
