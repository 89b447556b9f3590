import { describe, expect, it } from 'vitest';
import {
  daysUntil,
  formatDate,
  formatDateLong,
  weekdayName,
  formatDueIn,
  formatNumber,
  formatPercent,
  parseNumber,
  parseDateText,
  readNumber,
  toCalendarDate,
  todayISO,
} from './format';

describe('formatNumber', () => {
  it('groups thousands with a dot in Vietnamese', () => {
    expect(formatNumber(2700, 'vi')).toBe('2.700');
    expect(formatNumber(1234567, 'vi')).toBe('1.234.567');
    expect(formatNumber(999, 'vi')).toBe('999');
    expect(formatNumber(0, 'vi')).toBe('0');
    expect(formatNumber(-0, 'vi')).toBe('0');
    expect(formatNumber(-2700, 'vi')).toBe('-2.700');
  });
  it('uses a decimal comma in Vietnamese', () => {
    expect(formatNumber(8.5, 'vi')).toBe('8,5');
    expect(formatNumber(1234.56, 'vi')).toBe('1.234,56');
    expect(formatNumber(8.125, 'vi', 1)).toBe('8,1');
    expect(formatNumber(2.0, 'vi')).toBe('2');
  });
  it('uses English separators in English', () => {
    expect(formatNumber(2700, 'en')).toBe('2,700');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
  });
  it('shows a dash for non-finite values', () => {
    expect(formatNumber(NaN, 'vi')).toBe('—');
    expect(formatNumber(Infinity, 'vi')).toBe('—');
  });
  it('defaults to the current language (Vietnamese)', () => {
    expect(formatNumber(2700)).toBe('2.700');
  });
});

describe('formatPercent', () => {
  it('formats a percentage value', () => {
    expect(formatPercent(8.5, 'vi')).toBe('8,5%');
    expect(formatPercent(100, 'vi')).toBe('100%');
    expect(formatPercent(8.46, 'vi')).toBe('8,5%');
    expect(formatPercent(8.46, 'vi', 2)).toBe('8,46%');
    expect(formatPercent(8.5, 'en')).toBe('8.5%');
    expect(formatPercent(NaN, 'vi')).toBe('—');
  });
});

describe('parseNumber', () => {
  it('reads Vietnamese numbers', () => {
    expect(parseNumber('2.700', 'vi')).toBe(2700);
    expect(parseNumber('8,5', 'vi')).toBe(8.5);
    expect(parseNumber('8,5%', 'vi')).toBe(8.5);
    expect(parseNumber('1.234,5', 'vi')).toBe(1234.5);
    expect(parseNumber(' 2700 ', 'vi')).toBe(2700);
    expect(parseNumber('1.234.567', 'vi')).toBe(1234567);
    expect(parseNumber('-5', 'vi')).toBe(-5);
  });
  it('reads the same keystrokes as the same number in either language', () => {
    for (const [typed, want] of [
      ['2.700', 2700],
      ['8,5', 8.5],
      ['8.5', 8.5],
      ['1.234,5', 1234.5],
      ['1,234.5', 1234.5],
      ['1,234,567', 1234567],
      ['0.700', 0.7],
      ['12.5', 12.5],
      ['2,70', 2.7],
    ] as const) {
      expect(parseNumber(typed, 'vi'), typed).toBe(want);
      expect(parseNumber(typed, 'en'), typed).toBe(want);
      expect(parseNumber(typed), typed).toBe(want);
    }
  });
  it('rejects text and badly grouped numbers', () => {
    expect(parseNumber('', 'vi')).toBeNaN();
    expect(parseNumber('abc', 'vi')).toBeNaN();
    expect(parseNumber('1,2,3', 'vi')).toBeNaN();
    expect(parseNumber('1.2.3', 'en')).toBeNaN();
    expect(parseNumber('1.234,5,6', 'vi')).toBeNaN();
    expect(parseNumber('.', 'vi')).toBeNaN();
    expect(parseNumber('5,', 'vi')).toBeNaN();
    expect(parseNumber('2 700 hộ', 'vi')).toBeNaN();
  });
});

describe('readNumber', () => {
  it('flags a single separator before three digits as ambiguous, read the Vietnamese way', () => {
    expect(readNumber('2.700')).toEqual({ value: 2700, ambiguous: true });
    expect(readNumber('2,700')).toEqual({ value: 2.7, ambiguous: true });
    expect(readNumber('8,5')).toEqual({ value: 8.5, ambiguous: false });
    expect(readNumber('1.234,5')).toEqual({ value: 1234.5, ambiguous: false });
    expect(readNumber('2700')).toEqual({ value: 2700, ambiguous: false });
    expect(readNumber('0.700')).toEqual({ value: 0.7, ambiguous: false });
  });
  it('shows back the number understood in the UI language', () => {
    expect(formatNumber(readNumber('2.700').value, 'vi', 4)).toBe('2.700');
    expect(formatNumber(readNumber('8,5').value, 'vi', 4)).toBe('8,5');
    expect(formatNumber(readNumber('2.700').value, 'en', 4)).toBe('2,700');
  });
});

describe('formatDate', () => {
  it('formats ISO dates as dd/mm/yyyy without timezone shifts', () => {
    expect(formatDate('2021-06-08')).toBe('08/06/2021');
    expect(formatDate('2021-01-01')).toBe('01/01/2021');
    expect(formatDate('2021-12-31')).toBe('31/12/2021');
  });
  it('reads timestamps as the date in Vietnam (UTC+7)', () => {
    expect(formatDate('2021-06-07T20:00:00Z')).toBe('08/06/2021');
    expect(formatDate('2021-06-08T10:00:00+07:00')).toBe('08/06/2021');
  });
  it('shows a dash for missing or invalid dates', () => {
    expect(formatDate('')).toBe('—');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('2021-02-30')).toBe('—');
    expect(formatDate('08/06/2021')).toBe('—');
  });
  it('writes the long document form', () => {
    expect(formatDateLong('2021-06-08', 'vi')).toBe('ngày 08 tháng 6 năm 2021');
    expect(formatDateLong('2021-06-08', 'en')).toBe('8 June 2021');
    // Nghị định 30/2020: a leading zero for days under 10 and for months 1 and 2
    expect(formatDateLong('2027-01-15', 'vi')).toBe('ngày 15 tháng 01 năm 2027');
    expect(formatDateLong('2027-02-03', 'vi')).toBe('ngày 03 tháng 02 năm 2027');
    expect(formatDateLong('2026-12-02', 'en')).toBe('2 December 2026');
    expect(formatDateLong('2026-12-02T20:00:00Z', 'vi')).toBe('ngày 03 tháng 12 năm 2026'); // already the 3rd in Vietnam
  });
  it('names the day of the week from the message files', () => {
    expect(weekdayName('2026-12-02', 'vi')).toBe('Thứ Tư');
    expect(weekdayName('2026-12-06', 'vi')).toBe('Chủ nhật');
    expect(weekdayName('2026-12-06', 'en')).toBe('Sunday');
    expect(weekdayName('not a date', 'en')).toBe('');
  });
  it('parses calendar dates', () => {
    expect(toCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(toCalendarDate('2023-02-29')).toBeNull();
  });
  it('gives today in Vietnam', () => {
    expect(todayISO(new Date('2021-06-07T17:30:00Z'))).toBe('2021-06-08');
    expect(todayISO(new Date('2021-06-07T16:59:00Z'))).toBe('2021-06-07');
  });
});

describe('days left / days late', () => {
  it('counts calendar days', () => {
    expect(daysUntil('2021-06-11', '2021-06-08')).toBe(3);
    expect(daysUntil('2021-06-03', '2021-06-08')).toBe(-5);
    expect(daysUntil('2022-01-01', '2021-12-31')).toBe(1);
    expect(daysUntil('2024-03-01', '2024-02-28')).toBe(2); // leap year
    expect(daysUntil('bad', '2021-06-08')).toBeNaN();
  });
  it('words it in Vietnamese', () => {
    expect(formatDueIn('2021-06-11', '2021-06-08', 'vi')).toBe('còn 3 ngày');
    expect(formatDueIn('2021-06-03', '2021-06-08', 'vi')).toBe('trễ 5 ngày');
    expect(formatDueIn('2021-06-08', '2021-06-08', 'vi')).toBe('hạn chót hôm nay');
    expect(formatDueIn('2021-06-09', '2021-06-08', 'vi')).toBe('còn 1 ngày');
    expect(formatDueIn('2025-06-08', '2021-06-08', 'vi')).toBe('còn 1.461 ngày');
  });
  it('words it in English with plurals', () => {
    expect(formatDueIn('2021-06-11', '2021-06-08', 'en')).toBe('3 days left');
    expect(formatDueIn('2021-06-09', '2021-06-08', 'en')).toBe('1 day left');
    expect(formatDueIn('2021-06-07', '2021-06-08', 'en')).toBe('1 day late');
    expect(formatDueIn('2021-06-03', '2021-06-08', 'en')).toBe('5 days late');
    expect(formatDueIn('2021-06-08', '2021-06-08', 'en')).toBe('due today');
  });
  it('shows a dash for invalid dates', () => {
    expect(formatDueIn('', '2021-06-08', 'vi')).toBe('—');
  });
});

describe('parseDateText', () => {
  it('reads day first whatever the locale, and yyyy-mm-dd', () => {
    expect(parseDateText('08/06/2021')).toBe('2021-06-08');
    expect(parseDateText('8/6/2021')).toBe('2021-06-08');
    expect(parseDateText('08.06.2021')).toBe('2021-06-08');
    expect(parseDateText('2021-06-08')).toBe('2021-06-08');
    expect(parseDateText('31/02/2021')).toBeNull();
    expect(parseDateText('06/2021')).toBeNull();
    expect(parseDateText('')).toBeNull();
  });
});
