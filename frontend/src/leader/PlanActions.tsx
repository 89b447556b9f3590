// The plan page's leader actions: amend an issued plan (the editor in amend
// mode), remind now (the units that will be emailed listed first), cancel
// with a reason (asked once, confirmed), delete a draft (confirmed).
import { useState } from 'react';
import type { PlanDocument, Unit } from '../api';
import { cancelPlan, deleteDraftPlan, remindPlan, REMINDED_STATUSES } from '../apiLeader';
import { listReports, type ReportListItem } from '../apiReporting';
import { useLang, useT } from '../i18n';
import { Link, useNavigate } from '../router';
import { useAction } from '../useAction';
import './leader.css';

type Panel = '' | 'cancel' | 'remind' | 'delete';

/** The units a reminder now goes to: one line per unit, with its open reports' count. */
export function remindedUnits(reports: ReportListItem[]): { id: number; name: string; reports: number }[] {
  const byUnit = new Map<number, { id: number; name: string; reports: number }>();
  for (const r of reports) {
    if (!REMINDED_STATUSES.includes(r.status)) continue;
    const u = byUnit.get(r.unit.id) ?? { id: r.unit.id, name: r.unit.name, reports: 0 };
    u.reports++;
    byUnit.set(r.unit.id, u);
  }
  return [...byUnit.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

export function PlanActions({ plan, units, onChanged }: { plan: PlanDocument; units: Map<number, Unit & { email?: string }>; onChanged: (notice: string) => void }) {
  const t = useT();
  const lang = useLang();
  const navigate = useNavigate();
  const [panel, setPanel] = useState<Panel>('');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');
  const [recipients, setRecipients] = useState<{ id: number; name: string; reports: number }[] | null>(null);
  const { busy, error, run, clear } = useAction();

  const open = async (p: Panel) => {
    clear();
    setReasonError('');
    setPanel(p);
    if (p === 'remind') {
      setRecipients(null);
      const rs = await run('load', () => listReports({ plan_id: plan.id }));
      setRecipients(remindedUnits(rs ?? []));
    }
  };

  async function onCancel() {
    if (!reason.trim()) {
      setReasonError(t('leader.reasonRequired'));
      return;
    }
    const res = await run('cancel', () => cancelPlan(plan.id, reason.trim()));
    if (res) {
      setPanel('');
      setReason('');
      onChanged(t('leader.cancelled'));
    }
  }
  async function onRemind() {
    const res = await run('remind', () => remindPlan(plan.id));
    if (res) {
      setPanel('');
      onChanged(t('leader.reminded', { n: recipients?.length ?? 0 }));
    }
  }
  async function onDelete() {
    const res = await run('delete', async () => {
      await deleteDraftPlan(plan.id);
      return true;
    });
    if (res) navigate('/plans?deleted=1');
  }

  const issued = plan.status === 'issued';
  const draft = plan.status === 'draft';
  if (!issued && !draft) return null;

  return (
    <section className="leader-actions" aria-label={t('leader.actions')} data-testid="plan-actions">
      <div className="button-row">
        {issued && (
          <>
            <Link to={`/plans/${plan.id}/edit`} className="button button-secondary button-small" data-testid="amend-link">
              {t('leader.amend')}
            </Link>
            <button type="button" className="button button-secondary button-small" onClick={() => void open('remind')} aria-expanded={panel === 'remind'}>
              {t('leader.remindNow')}
            </button>
            <button type="button" className="button button-danger button-small" onClick={() => void open('cancel')} aria-expanded={panel === 'cancel'}>
              {t('leader.cancel')}
            </button>
          </>
        )}
        {draft && (
          <button type="button" className="button button-danger button-small" onClick={() => void open('delete')} aria-expanded={panel === 'delete'}>
            {t('leader.deleteDraft')}
          </button>
        )}
      </div>

      {panel === 'remind' && (
        <div className="card action-panel" role="region" aria-label={t('leader.remindNow')} data-testid="remind-panel">
          <h2>{t('leader.remindTitle')}</h2>
          {recipients == null ? (
            <p className="muted">{t('leader.loadingRecipients')}</p>
          ) : recipients.length === 0 ? (
            <p>{t('leader.nobodyToRemind')}</p>
          ) : (
            <>
              <p>{t('leader.remindWho', { n: recipients.length })}</p>
              <ul className="recipient-list" data-testid="remind-recipients">
                {recipients.map((r) => (
                  <li key={r.id}>
                    <strong>{r.name}</strong>
                    {units.get(r.id)?.email && <span className="muted"> · {units.get(r.id)?.email}</span>}
                    <span className="muted"> · {t('leader.openReports', { n: r.reports })}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="button-row">
            <button type="button" className="button" onClick={() => void onRemind()} disabled={!recipients?.length || busy != null} aria-busy={busy === 'remind' || undefined}>
              {busy === 'remind' ? t('leader.sending') : t('leader.sendReminder')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setPanel('')}>
              {t('leader.close')}
            </button>
          </div>
        </div>
      )}

      {panel === 'cancel' && (
        <div className="card action-panel" role="region" aria-label={t('leader.cancel')} data-testid="cancel-panel">
          <h2>{t('leader.cancelTitle')}</h2>
          <p>{t('leader.cancelText')}</p>
          <div className="field">
            <label htmlFor="cancel-reason">{t('leader.reason')}</label>
            <textarea id="cancel-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={reasonError ? true : undefined} aria-describedby={reasonError ? 'cancel-reason-error' : undefined} />
            {reasonError && (
              <p className="field-error" id="cancel-reason-error">
                {reasonError}
              </p>
            )}
          </div>
          <div className="button-row">
            <button type="button" className="button button-danger" onClick={() => void onCancel()} disabled={busy != null} aria-busy={busy === 'cancel' || undefined}>
              {busy === 'cancel' ? t('leader.cancelling') : t('leader.confirmCancel')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setPanel('')}>
              {t('leader.keepPlan')}
            </button>
          </div>
        </div>
      )}

      {panel === 'delete' && (
        <div className="card action-panel" role="region" aria-label={t('leader.deleteDraft')} data-testid="delete-panel">
          <p>{t('leader.deleteText', { title: plan.code || plan.title })}</p>
          <div className="button-row">
            <button type="button" className="button button-danger" onClick={() => void onDelete()} disabled={busy != null} aria-busy={busy === 'delete' || undefined}>
              {t('leader.confirmDelete')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setPanel('')}>
              {t('leader.keepPlan')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.messageFor(lang)}
        </p>
      )}
    </section>
  );
}
