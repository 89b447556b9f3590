import { describe, expect, it } from 'vitest';
import { byKind } from '../pages/admin/AdminUnits';

describe('byKind', () => {
  it('puts the boards apart from the districts, keeping the tree order within a kind', () => {
    const units = [
      { id: 9, kind: 'district' },
      { id: 3, kind: 'board' },
      { id: 10, kind: 'district' },
      { id: 2, kind: 'standing_committee' },
      { id: 4, kind: 'board' },
      { id: 20, kind: 'affiliate' },
    ];
    expect(byKind(units).map((u) => u.id)).toEqual([2, 3, 4, 9, 10, 20]);
  });
});
