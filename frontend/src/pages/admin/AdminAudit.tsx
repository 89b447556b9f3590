// Audit log (/admin/audit): every write with who, when, what, before/after
// and the request ID; filters by object, object ID, user ID and dates.
import { useId, useState, type FormEvent } from 'react';
import { listAudit, type AuditEntry, type AuditFilter } from '../../apiAdmin';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { isMessageKey, useT } from '../../i18n';
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
      <input id={`${id}-${k}`} type={type} inputMode={inputMode} value={form[k]} onChange={(e) => set(k)(e.target.value)} aria-invalid={fields[k] ? true : undefined} />
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

function AuditRow({ e }: { e: AuditEntry }) {
  const t = useT();
  const entityKey = `entity.${e.entity}`;
  const has = (v: unknown) => v !== null && v !== undefined;
  return (
    <li>
      <p className="row">
        <strong>{formatDateTime(e.at)}</strong>
        <span>{e.actor || t('adminAudit.system')}</span>
        <span className="badge">{e.action}</span>
        <span>
          {isMessageKey(entityKey) ? t(entityKey) : e.entity} {e.entity_id && `#${e.entity_id}`}
        </span>
      </p>
      {(has(e.before) || has(e.after) || e.request_id) && (
        <details>
          <summary>{t('adminAudit.details')}</summary>
          {has(e.before) && (
            <>
              <p className="muted">{t('adminAudit.before')}</p>
              <pre className="json">{JSON.stringify(e.before, null, 2)}</pre>
            </>
          )}
          {has(e.after) && (
            <>
              <p className="muted">{t('adminAudit.after')}</p>
              <pre className="json">{JSON.stringify(e.after, null, 2)}</pre>
            </>
          )}
          {e.request_id && <p className="muted">{t('adminAudit.requestId', { id: e.request_id })}</p>}
        </details>
      )}
    </li>
  );
}
