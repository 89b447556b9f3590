import { describe, expect, it } from 'vitest';
import type { PlanDocument } from '../api';
import { planDiff } from './planDiff';

const base: PlanDocument = {
  id: 1,
  code: '05-KH/HPN',
  title: 'Kế hoạch thực hiện Nghị quyết',
  issuer_unit_id: 1,
  status: 'issued',
  term_start_year: 2026,
  term_end_year: 2030,
  unit_ids: [2, 3],
  targets: [
    { id: 10, text: 'Hộ thoát nghèo', value: 2700, measure: 'count', direction: 'at_least', allocations: [{ unit_id: 2, value: 1350 }] } as PlanDocument['targets'][number],
    { id: 11, text: 'Tỷ lệ hộ nghèo', value: 8.5, measure: 'percent', direction: 'at_most' },
  ],
  task_groups: [{ id: 5, heading: 'Tuyên truyền', tasks: [{ id: 20, text: 'Tổ chức hội nghị', lead_unit_ids: [2] }] }],
  cycles: [{ id: 30, kind: 'annual', year: 2026, due_on: '2026-11-15' }],
};

describe('planDiff', () => {
  it('finds nothing between a plan and itself', () => {
    expect(planDiff(base, structuredClone(base))).toEqual([]);
  });
  it('names a changed value, an allocation, a removed and an added item, a moved cycle', () => {
    const next = structuredClone(base);
    next.targets[0].value = 3000;
    (next.targets[0] as unknown as { allocations: { unit_id: number; value: number }[] }).allocations = [{ unit_id: 2, value: 1500 }];
    next.targets.splice(1, 1);
    next.task_groups[0].tasks.push({ text: 'Sơ kết giữa kỳ' });
    next.cycles[0].due_on = '2026-12-01';
    next.unit_ids = [2, 3, 4];
    const d = planDiff(base, next);
    expect(d).toContainEqual({
      kind: 'changed',
      area: 'target',
      label: 'Hộ thoát nghèo',
      fields: [
        { field: 'value', before: '2700', after: '3000' },
        { field: 'allocations', before: '2:1350', after: '2:1500' },
      ],
    });
    expect(d).toContainEqual({ kind: 'removed', area: 'target', label: 'Tỷ lệ hộ nghèo', fields: [] });
    expect(d).toContainEqual({ kind: 'added', area: 'task', label: 'Sơ kết giữa kỳ', fields: [] });
    expect(d).toContainEqual({ kind: 'changed', area: 'cycle', label: 'annual/2026', fields: [{ field: 'due_on', before: '2026-11-15', after: '2026-12-01' }] });
    expect(d).toContainEqual({ kind: 'changed', area: 'units', label: 'unit_ids', fields: [{ field: 'unit_ids', before: '', after: '4' }] });
  });
  it('pairs items without ids by their text', () => {
    const a = structuredClone(base);
    const b = structuredClone(base);
    for (const p of [a, b]) p.targets.forEach((t) => delete t.id);
    b.targets[1].value = 8;
    expect(planDiff(a, b)).toEqual([{ kind: 'changed', area: 'target', label: 'Tỷ lệ hộ nghèo', fields: [{ field: 'value', before: '8.5', after: '8' }] }]);
  });
});
