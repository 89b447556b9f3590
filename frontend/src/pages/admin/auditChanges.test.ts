import { describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../i18n';
import { auditChanges } from './AdminAudit';

const t = ((key: MessageKey, params?: Record<string, unknown>) => translate('vi', key, params as never)) as never;

describe('auditChanges', () => {
  it('shows status values in Vietnamese, never the raw key', () => {
    const changes = auditChanges(t, 'vi', { status: 'assigned' }, { status: 'in_progress' });
    expect(changes).toHaveLength(1);
    expect(changes[0].before).toBe(translate('vi', 'taskStatus.assigned'));
    expect(changes[0].after).toBe(translate('vi', 'taskStatus.in_progress'));
    expect(JSON.stringify(changes)).not.toMatch(/in_progress|assigned/);
  });
  it('shows a submission\'s figures by target, before → after when submitted again', () => {
    const target = 'Giúp 2.700 hộ phụ nữ thoát nghèo';
    const rate = 'Giảm tỷ lệ trẻ em suy dinh dưỡng thấp còi';
    const first = auditChanges(t, 'vi', null, { figures: [{ target, value: 2700 }, { target: rate, numerator: 85, denominator: 1000 }] });
    expect(first).toEqual([
      { field: target, before: undefined, after: '2.700' },
      { field: rate, before: undefined, after: '85 / 1.000' },
    ]);
    const again = auditChanges(t, 'vi', { figures: [{ target, value: 1200 }, { target: rate, numerator: 85, denominator: 1000 }] }, { figures: [{ target, value: 2700 }, { target: rate, numerator: 85, denominator: 1000 }] });
    expect(again).toEqual([{ field: target, before: '1.200', after: '2.700' }]);
  });
  it('leaves out ids and the action of an older row: the row names the object and the person', () => {
    const changes = auditChanges(t, 'vi', null, { Action: 'return', PlanID: 1, UnitID: 9, UserID: 2, ReportID: 2, Comment: 'Thiếu số liệu', DueOn: '2026-12-21' });
    expect(changes.map((c) => `${c.field}: ${c.after}`)).toEqual(['Nhận xét: Thiếu số liệu', 'Hạn: 21/12/2026']);
    // a unit moved: the id is all there is
    expect(auditChanges(t, 'vi', { parent_id: 2 }, { parent_id: 3 })).toHaveLength(1);
  });
  it('keeps free text as typed', () => {
    const changes = auditChanges(t, 'vi', null, { comment: 'xem lại số liệu' });
    expect(changes[0].after).toBe('xem lại số liệu');
  });
});
