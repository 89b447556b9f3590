// Audit log (/admin/audit): every write with who, when, what, before/after
// and the request ID; filters by object, object ID, user ID and dates.
import { DateInput } from '../../components/DateInput';
import { useId, useState, type FormEvent } from 'react';
import { listAudit, type AuditEntry, type AuditFilter } from '../../apiAdmin';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatDate, formatNumber } from '../../format';
import { isMessageKey, useLang, useT, type Lang, type T } from '../../i18n';
import { useAsync } from '../../useAsync';
import { usePageTitle } from '../../usePageTitle';
import { formatDateTime } from './time';

const ENTITIES = ['org_unit', 'user', 'membership', 'plan', 'report', 'unit_task', 'task', 'notification', 'calendar_day', 'session', 'api_token'];

interface Form {
  entity: string;
  entity_id: string;
  actor_id: string;
  from: string;
  to: string;
}

const EMPTY: Form = { entity: '', entity_id: '', actor_id: '', from: '', to: '' };

function toFilter(f: Form): AuditFilter {
  return {
    entity: f.entity,
    entity_id: f.entity_id.trim(),
    actor_id: f.actor_id.trim(),
    from: f.from ? `${f.from}T00:00:00+07:00` : '',
    to: f.to ? `${f.to}T23:59:59+07:00` : '',
    limit: 200,
  };
}

export function AdminAudit() {
  const t = useT();
  usePageTitle(t('adminAudit.title'));
  const id = useId();
  const [form, setForm] = useState<Form>(EMPTY);
  const [applied, setApplied] = useState<Form>(EMPTY);
  const state = useAsync((signal) => listAudit(toFilter(applied), signal), [JSON.stringify(applied)]);
  const fields = state.error?.fields ?? {};
  const set = (k: keyof Form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(form);
  };
  const input = (k: keyof Form, label: string, type = 'text', inputMode?: 'numeric') => (
    <div className="field">
      <label htmlFor={`${id}-${k}`}>{label}</label>
      {type === 'date' ? (
        <DateInput id={`${id}-${k}`} value={form[k]} onChange={set(k)} aria-invalid={fields[k] ? true : undefined} />
      ) : (
        <input id={`${id}-${k}`} type={type} inputMode={inputMode} value={form[k]} onChange={(e) => set(k)(e.target.value)} aria-invalid={fields[k] ? true : undefined} />
      )}
      {fields[k] && <p className="field-error">{fields[k]}</p>}
    </div>
  );

  return (
    <div className="page">
      <h1>{t('adminAudit.title')}</h1>
      <p className="lead">{t('adminAudit.intro')}</p>
      <form className="card form" role="search" aria-label={t('adminAudit.filters')} onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-entity`}>{t('adminAudit.entity')}</label>
          <select id={`${id}-entity`} value={form.entity} onChange={(e) => set('entity')(e.target.value)}>
            <option value="">{t('adminAudit.allEntities')}</option>
            {ENTITIES.map((e) => (
              <option key={e} value={e}>
                {isMessageKey(`entity.${e}`) ? t(`entity.${e}` as 'entity.user') : e}
              </option>
            ))}
          </select>
        </div>
        {input('entity_id', t('adminAudit.entityId'))}
        {input('actor_id', t('adminAudit.actorId'), 'text', 'numeric')}
        {input('from', t('adminAudit.from'), 'date')}
        {input('to', t('adminAudit.to'), 'date')}
        <div className="row">
          <button type="submit" className="button">
            {t('adminAudit.apply')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setForm(EMPTY);
              setApplied(EMPTY);
            }}
          >
            {t('adminAudit.clear')}
          </button>
        </div>
      </form>
      <section className="card" aria-labelledby="audit-h" aria-busy={state.status === 'loading' || undefined}>
        <h2 id="audit-h">{t('adminAudit.entries')}</h2>
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
        {state.status === 'ok' && state.data.length === 0 && <EmptyState title={t('adminAudit.empty')} />}
        {state.status === 'ok' && state.data.length > 0 && (
          <ul className="plain-list" data-testid="audit-entries">
            {state.data.map((e) => (
              <AuditRow key={e.id} e={e} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** "TargetID" / "targetId" / "target_id" → "target_id": Go and JSON names alike. */
export function snakeName(k: string): string {
  return k
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** A field's label in the user's language: a known one, else its name in words. */
function fieldLabel(t: T, k: string): string {
  const key = `auditField.${snakeName(k)}`;
  return isMessageKey(key) ? t(key) : snakeName(k).replace(/_/g, ' ');
}

/** A status value (in_progress, returned, issued…) in the user's language, if it is one. */
function statusText(t: T, v: string): string | null {
  if (!/^[a-z]+(_[a-z]+)*$/.test(v)) return null;
  for (const family of ['taskStatus', 'reportStatus', 'planStatus', 'outboxStatus']) {
    const key = `${family}.${v}`;
    if (isMessageKey(key)) return t(key);
  }
  return null;
}

/** A value as a person reads it: numbers the user's way, lists counted, objects in short. */
function valueText(t: T, lang: Lang, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number') return formatNumber(v, lang, 4);
  if (typeof v === 'boolean') return v ? t('adminAudit.yes') : t('adminAudit.no');
  if (typeof v === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v);
    const status = statusText(t, v);
    if (status) return status;
    return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  }
  if (Array.isArray(v)) return t('adminAudit.items', { n: formatNumber(v.length, lang), count: v.length });
  const parts = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== null && x !== undefined && typeof x !== 'object')
    .slice(0, 4)
    .map(([k, x]) => `${fieldLabel(t, k)}: ${valueText(t, lang, x)}`);
  return parts.length ? parts.join(', ') : '…';
}

interface Change {
  field: string;
  before?: string;
  after?: string;
}

interface Figure {
  target: string;
  value?: number | null;
  numerator?: number | null;
  denominator?: number | null;
}

const isFigures = (v: unknown): v is Figure[] => Array.isArray(v) && v.every((f) => f && typeof f === 'object' && typeof (f as Figure).target === 'string');

/** A figure as the form shows it: "2.700", or "85 / 1.000"; "—" for no data. */
function figureText(lang: Lang, f: Figure | undefined): string {
  if (!f) return '—';
  if (typeof f.value === 'number') return formatNumber(f.value, lang, 4);
  if (typeof f.numerator === 'number' && typeof f.denominator === 'number') return `${formatNumber(f.numerator, lang, 4)} / ${formatNumber(f.denominator, lang, 4)}`;
  return '—';
}

/** A report's figures target by target (those that differ when both sides are there). */
function figureChanges(lang: Lang, before: Figure[] | undefined, after: Figure[] | undefined): Change[] {
  const b = new Map((before ?? []).map((f) => [f.target, f]));
  const a = new Map((after ?? []).map((f) => [f.target, f]));
  const out: Change[] = [];
  for (const target of new Set([...a.keys(), ...b.keys()])) {
    const bt = figureText(lang, b.get(target));
    const at = figureText(lang, a.get(target));
    if (before && after && bt === at) continue;
    out.push({ field: target, before: before ? bt : undefined, after: after ? at : undefined });
  }
  return out;
}

/** Ids (plan_id, user_id…): numbers no one reads; the row already names the object and the person. */
const isIdField = (k: string) => /^(action|key)$|(^|_)ids?$/.test(snakeName(k));

/** What changed, field by field: before → after (only what differs when both are there). */
export function auditChanges(t: T, lang: Lang, before: unknown, after: unknown): Change[] {
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  if (isFigures(before) || isFigures(after)) return figureChanges(lang, isFigures(before) ? before : undefined, isFigures(after) ? after : undefined);
  const b = obj(before);
  const a = obj(after);
  if (!b && !a) {
    const out: Change = { field: '' };
    if (before !== null && before !== undefined) out.before = valueText(t, lang, before);
    if (after !== null && after !== undefined) out.after = valueText(t, lang, after);
    return out.before !== undefined || out.after !== undefined ? [out] : [];
  }
  const all = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].filter((k) => !/password|token|hash|secret/i.test(k));
  // ids only when nothing else changed (a unit moved to another parent)
  const named = all.filter((k) => !isIdField(k));
  const keys = named.length ? named : all.filter((k) => !/^(action|key)$/.test(snakeName(k)));
  const out: Change[] = [];
  for (const k of keys) {
    const bv = b?.[k];
    const av = a?.[k];
    if (b && a && JSON.stringify(bv) === JSON.stringify(av)) continue;
    if (isFigures(bv) || isFigures(av)) {
      out.push(...figureChanges(lang, b ? (isFigures(bv) ? bv : []) : undefined, a ? (isFigures(av) ? av : []) : undefined));
      continue;
    }
    out.push({ field: fieldLabel(t, k), before: b ? valueText(t, lang, bv) : undefined, after: a ? valueText(t, lang, av) : undefined });
  }
  return out;
}

function AuditRow({ e }: { e: AuditEntry }) {
  const t = useT();
  const lang = useLang();
  const entityKey = `entity.${e.entity}`;
  const actionKey = `auditAction.${e.action}`;
  const entity = isMessageKey(entityKey) ? t(entityKey) : e.entity;
  const changes = auditChanges(t, lang, e.before, e.after);
  return (
    <li data-testid="audit-entry">
      <p className="row">
        <strong>{formatDateTime(e.at)}</strong>
        <span>{e.actor_name || e.actor || t('adminAudit.system')}</span>
        <span className="badge">{isMessageKey(actionKey) ? t(actionKey) : e.action}</span>
        <span>
          {entity} {e.entity_name ? `“${e.entity_name}”` : e.entity_id && `#${e.entity_id}`}
        </span>
      </p>
      {(changes.length > 0 || e.request_id) && (
        <details>
          <summary>{t('adminAudit.details')}</summary>
          {e.actor_name && e.actor && <p className="muted">{e.actor}</p>}
          {changes.length > 0 && (
            <ul className="audit-changes">
              {changes.map((c, i) => (
                <li key={i}>
                  {c.field && <strong>{c.field}: </strong>}
                  {c.before !== undefined && c.after !== undefined ? (
                    <>
                      {c.before} → {c.after}
                    </>
                  ) : c.after !== undefined ? (
                    c.after
                  ) : (
                    <>
                      <span className="muted">{t('adminAudit.before')}:</span> {c.before}
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {e.request_id && <p className="muted">{t('adminAudit.requestId', { id: e.request_id })}</p>}
        </details>
      )}
    </li>
  );
}
