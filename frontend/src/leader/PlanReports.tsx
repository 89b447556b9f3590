// The issued plan's open reports, for its leader: each may be waived (with a
// reason) or given a new deadline (POST /reports/:id/waive, …/deadline).
import { useState } from 'react';
import type { PlanDocument } from '../api';
import { moveReportDeadline, OPEN_REPORT_STATUSES, redateCycles, waiveReport } from '../apiLeader';
import { parseDayMonth } from './cycles';
import { listReports, type ReportListItem } from '../apiReporting';
import { cycleLabel } from '../charts/options';
import { DateInput } from '../components/DateInput';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDate, formatDueIn, todayISO } from '../format';
import { isMessageKey, useLang, useT } from '../i18n';
import { Link } from '../router';
import { useAction } from '../useAction';
import { useAsync } from '../useAsync';
import './leader.css';

type Edit = { id: number; kind: 'waive' | 'deadline' } | null;

export function openReports(rs: ReportListItem[]): ReportListItem[] {
  return rs.filter((r) => OPEN_REPORT_STATUSES.includes(r.status)).sort((a, b) => a.due_on.localeCompare(b.due_on) || a.unit.name.localeCompare(b.unit.name, 'vi'));
}

export function PlanReports({ plan, onChanged }: { plan: PlanDocument; onChanged: (notice: string) => void }) {
  const t = useT();
  const lang = useLang();
  const state = useAsync((signal) => listReports({ plan_id: plan.id }, signal), [plan.id]);
  const [edit, setEdit] = useState<Edit>(null);
  const [reason, setReason] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [fieldError, setFieldError] = useState('');
  const { busy, error, run, clear } = useAction();
  const rows = openReports(state.data ?? []);

  const start = (r: ReportListItem, kind: 'waive' | 'deadline') => {
    clear();
    setFieldError('');
    setReason('');
    setDueOn(r.due_on);
    setEdit(edit?.id === r.id && edit.kind === kind ? null : { id: r.id, kind });
  };

  async function submit(r: ReportListItem) {
    if (!edit) return;
    if (edit.kind === 'waive' && !reason.trim()) return setFieldError(t('leader.reasonRequired'));
    if (edit.kind === 'deadline' && !dueOn) return setFieldError(t('leader.dueRequired'));
    const res = await run(edit.kind, () => (edit.kind === 'waive' ? waiveReport(r.id, reason.trim()) : moveReportDeadline(r.id, dueOn)));
    if (res) {
      setEdit(null);
      onChanged(edit.kind === 'waive' ? t('leader.waived', { unit: r.unit.name }) : t('leader.moved', { unit: r.unit.name, date: formatDate(res.due_on ?? dueOn) }));
      state.reload();
    }
  }

  return (
    <section className="card" aria-labelledby="plan-open-reports" data-testid="plan-reports">
      <h2 id="plan-open-reports">{t('leader.openReportsTitle', { n: rows.length })}</h2>
      <p className="muted">{t('leader.openReportsHint')}</p>
      {state.status === 'loading' && !state.data && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {state.data && rows.length === 0 && <EmptyState title={t('leader.noOpenReports')} />}
      {rows.length > 0 && (
        <RedateOpen
          planId={plan.id}
          annual={rows.filter((r) => r.cycle.kind === 'annual').length}
          open={rows.length}
          onDone={(notice) => {
            onChanged(notice);
            state.reload();
          }}
        />
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table open-reports">
            <thead>
              <tr>
                <th scope="col">{t('leader.col.unit')}</th>
                <th scope="col">{t('leader.col.cycle')}</th>
                <th scope="col">{t('leader.col.status')}</th>
                <th scope="col">{t('leader.col.due')}</th>
                <th scope="col">
                  <span className="sr-only">{t('leader.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const late = r.due_on < todayISO();
                const editing = edit?.id === r.id ? edit.kind : null;
                return (
                  <tr key={r.id} data-testid="open-report" data-report-id={r.id}>
                    <th scope="row">
                      <Link to={`/reports/${r.id}`}>{r.unit.name}</Link>
                    </th>
                    <td>{cycleLabel(t, r.cycle)}</td>
                    <td>{isMessageKey(`reportStatus.${r.status}`) ? t(`reportStatus.${r.status}` as 'reportStatus.pending') : r.status}</td>
                    <td className={late ? 'due-late' : undefined}>
                      {formatDate(r.due_on)} <span className="muted">({formatDueIn(r.due_on, todayISO(), lang)})</span>
                    </td>
                    <td className="row-actions">
                      <button type="button" className="link-button" onClick={() => start(r, 'deadline')} aria-expanded={editing === 'deadline'}>
                        {t('leader.moveDeadline')}
                      </button>{' '}
                      <button type="button" className="link-button" onClick={() => start(r, 'waive')} aria-expanded={editing === 'waive'}>
                        {t('leader.waive')}
                      </button>
                      {editing && (
                        <div className="inline-action" data-testid={`report-${editing}`}>
                          {editing === 'waive' ? (
                            <div className="field">
                              <label htmlFor={`waive-${r.id}`}>{t('leader.waiveReason', { unit: r.unit.name })}</label>
                              <input id={`waive-${r.id}`} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={fieldError ? true : undefined} />
                            </div>
                          ) : (
                            <div className="field">
                              <label htmlFor={`due-${r.id}`}>{t('leader.newDue', { unit: r.unit.name })}</label>
                              <DateInput id={`due-${r.id}`} value={dueOn} onChange={setDueOn} aria-invalid={fieldError ? true : undefined} />
                              <p className="field-hint">{t('leader.dueHint')}</p>
                            </div>
                          )}
                          {fieldError && <p className="field-error">{fieldError}</p>}
                          {error && (
                            <p className="field-error" role="alert">
                              {error.messageFor(lang)}
                            </p>
                          )}
                          <div className="button-row">
                            <button type="button" className="button button-small" onClick={() => void submit(r)} disabled={busy != null} aria-busy={busy != null || undefined}>
                              {editing === 'waive' ? t('leader.confirmWaive') : t('leader.confirmMove')}
                            </button>
                            <button type="button" className="button button-secondary button-small" onClick={() => setEdit(null)}>
                              {t('leader.close')}
                            </button>
                          </div>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Every open report of the plan re-dated in one call (POST /plans/:id/cycles/redate), not one by one. */
function RedateOpen({ planId, open, annual, onDone }: { planId: number; open: number; annual: number; onDone: (notice: string) => void }) {
  const t = useT();
  const lang = useLang();
  const [days, setDays] = useState('');
  const [day, setDay] = useState('');
  const [fieldError, setFieldError] = useState('');
  const { busy, error, run, clear } = useAction();
  const fields = error?.fieldsFor(lang) ?? {};
  const shift = async () => {
    clear();
    const n = Number(days.trim());
    if (!days.trim() || !Number.isInteger(n) || n === 0) return setFieldError(t('cycles.daysInvalid'));
    setFieldError('');
    const res = await run('shift', () => redateCycles(planId, { shift_days: n }));
    if (res) {
      setDays('');
      onDone(t('cycles.redated', { n: res.moved, days: n }));
    }
  };
  const setAnnual = async () => {
    clear();
    if (!parseDayMonth(day)) return setFieldError(t('cycles.dayInvalid'));
    setFieldError('');
    const res = await run('annual', () => redateCycles(planId, { due_day: day.trim() }));
    if (res) {
      setDay('');
      onDone(t('cycles.annualRedated', { n: res.moved, day: day.trim() }));
    }
  };
  const message = fieldError || fields.shift_days || fields.due_day || (error ? error.messageFor(lang) : '');
  return (
    <fieldset className="cycle-tools" data-testid="redate-open">
      <legend>{t('cycles.redateOpen', { n: open })}</legend>
      <p className="field-hint">{t('cycles.redateOpenHint')}</p>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`redate-${planId}-shift`}>{t('cycles.shiftBy')}</label>
          <input id={`redate-${planId}-shift`} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} placeholder="14" size={6} />
        </div>
        <button type="button" className="button button-secondary button-small" onClick={() => void shift()} disabled={busy != null} aria-busy={busy === 'shift' || undefined}>
          {t('cycles.shift')}
        </button>
        {annual > 0 && (
          <>
            <div className="field">
              <label htmlFor={`redate-${planId}-annual`}>{t('cycles.annualDay')}</label>
              <input id={`redate-${planId}-annual`} value={day} onChange={(e) => setDay(e.target.value)} placeholder="15/12" size={6} />
            </div>
            <button type="button" className="button button-secondary button-small" onClick={() => void setAnnual()} disabled={busy != null} aria-busy={busy === 'annual' || undefined}>
              {t('cycles.setAnnual')}
            </button>
          </>
        )}
      </div>
      {message && (
        <p className="field-error" role="alert">
          {message}
        </p>
      )}
    </fieldset>
  );
}
