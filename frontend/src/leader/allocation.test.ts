import { describe, expect, it } from 'vitest';
import { splitEvenly, splitUnits } from './allocation';

describe('splitEvenly', () => {
  it('gives whole shares, the remainder to the first units, summing to the total', () => {
    const s = splitEvenly(2700, [9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(Object.values(s)).toEqual([300, 300, 300, 300, 300, 300, 300, 300, 300]);
    const r = splitEvenly(100, [1, 2, 3]);
    expect(r).toEqual({ 1: 34, 2: 33, 3: 33 });
  });
  it('splits a decimal total to two decimals, still summing to it', () => {
    const s = splitEvenly(10.5, [1, 2, 3, 4]);
    expect(Object.values(s).reduce((a, b) => a + b, 0)).toBeCloseTo(10.5, 6);
    expect(s[1]).toBe(2.62);
  });
  it('gives nothing without units or a total', () => {
    expect(splitEvenly(100, [])).toEqual({});
    expect(splitEvenly(Number.NaN, [1])).toEqual({});
  });
});

describe('splitUnits', () => {
  it('splits among the districts when any take part', () => {
    const kinds: Record<number, string> = { 3: 'board', 9: 'district', 10: 'district' };
    expect(splitUnits([3, 9, 10], (u) => kinds[u])).toEqual([9, 10]);
    expect(splitUnits([3], (u) => kinds[u])).toEqual([3]);
  });
});
