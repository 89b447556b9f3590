import { describe, expect, it } from 'vitest';
import { parseDayMonth, setAnnualDay, shiftCycles } from './cycles';

const cycles = [
  { kind: 'annual', year: '2026', dueOn: '2026-11-15' },
  { kind: 'annual', year: '2027', dueOn: '2027-11-15' },
  { kind: 'midterm', year: '2028', dueOn: '2028-06-30' },
  { kind: 'annual', year: '2028', dueOn: '' },
];

describe('shiftCycles', () => {
  it('moves every dated cycle by the same days, across months and years', () => {
    expect(shiftCycles(cycles, 20).map((c) => c.dueOn)).toEqual(['2026-12-05', '2027-12-05', '2028-07-20', '']);
    expect(shiftCycles(cycles, -15).map((c) => c.dueOn)).toEqual(['2026-10-31', '2027-10-31', '2028-06-15', '']);
  });
  it('leaves them when the shift is zero or not a whole number', () => {
    expect(shiftCycles(cycles, 0)).toBe(cycles);
    expect(shiftCycles(cycles, 1.5)).toBe(cycles);
  });
});

describe('setAnnualDay', () => {
  it('puts each annual cycle on the day in its own year, others untouched', () => {
    expect(setAnnualDay(cycles, 12, 1).map((c) => c.dueOn)).toEqual(['2026-12-01', '2027-12-01', '2028-06-30', '2028-12-01']);
  });
  it('falls back to the last day of a short month', () => {
    expect(setAnnualDay([{ kind: 'annual', year: 2027, dueOn: '' }], 2, 29)[0].dueOn).toBe('2027-02-28');
  });
});

describe('parseDayMonth', () => {
  it('reads dd/mm as Vietnamese write it', () => {
    expect(parseDayMonth('15/11')).toEqual([11, 15]);
    expect(parseDayMonth(' 1.12 ')).toEqual([12, 1]);
    expect(parseDayMonth('29/02')).toEqual([2, 29]);
  });
  it('refuses what is no day of the year', () => {
    expect(parseDayMonth('31/11')).toBeNull();
    expect(parseDayMonth('11/15')).toBeNull();
    expect(parseDayMonth('abc')).toBeNull();
  });
});
