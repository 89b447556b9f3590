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
  it('keeps free text as typed', () => {
    const changes = auditChanges(t, 'vi', null, { comment: 'xem lại số liệu' });
    expect(changes[0].after).toBe('xem lại số liệu');
  });
});
