// An amended plan's earlier revisions (GET /plans/:id/revisions): each with
// its reason and date; opening one reads it whole (…/revisions/:n) and shows
// what the next revision changed.
import { useState } from 'react';
import type { PlanDocument, Unit } from '../api';
import { getRevision, listRevisions, type RevisionSnapshot } from '../apiLeader';
import { formatDate, formatNumber } from '../format';
import { isMessageKey, useLang, useT, type T } from '../i18n';
import { cycleLabel } from '../charts/options';
import { useAsync } from '../useAsync';
import { planDiff, type Change } from './planDiff';
import './leader.css';

function fieldName(t: T, f: string) {
  const k = `diff.field.${f}`;
  return isMessageKey(k) ? t(k) : f;
}

function ChangeList({ changes, units }: { changes: Change[]; units: Map<number, Unit> }) {
  const t = useT();
  const lang = useLang();
  if (!changes.length) return <p className="muted">{t('diff.none')}</p>;
  const show = (field: string, v: string) => {
    if (!v) return '—';
    if (field === 'unit_ids' || field.endsWith('unit_ids')) return v.split(', ').map((id) => units.get(Number(id))?.name ?? id).join(', ');
    if (field === 'allocations')
      return v
        .split(', ')
        .map((p) => {
          const [u, n] = p.split(':');
          return `${units.get(Number(u))?.short_name || units.get(Number(u))?.name || u}: ${formatNumber(Number(n), lang)}`;
        })
        .join('; ');
    if (field === 'value' || field === 'baseline') return formatNumber(Number(v), lang);
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v);
    const k = `diff.value.${v}`;
    return isMessageKey(k) ? t(k) : v;
  };
  return (
    <ul className="diff-list" data-testid="revision-diff">
      {changes.map((c, i) => (
        <li key={i} className={`diff-${c.kind}`}>
          <span className={`badge diff-badge-${c.kind}`}>{t(`diff.${c.kind}`)}</span> <span className="muted">{t(`diff.area.${c.area}`)}:</span>{' '}
          <strong>{c.area === 'plan' || c.area === 'units' ? fieldName(t, c.label) : c.label}</strong>
          {c.fields.length > 0 && (
            <ul>
              {c.fields.map((f) =>
                c.area === 'units' ? (
                  <li key={f.field}>
                    {f.before && <>{t('diff.unitsRemoved', { units: show('unit_ids', f.before) })} </>}
                    {f.after && t('diff.unitsAdded', { units: show('unit_ids', f.after) })}
                  </li>
                ) : (
                  <li key={f.field}>
                    {fieldName(t, f.field)}: <del>{show(f.field, f.before)}</del> → <ins>{show(f.field, f.after)}</ins>
                  </li>
                ),
              )}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

export function PlanRevisions({ plan, units }: { plan: PlanDocument; units: Map<number, Unit> }) {
  const t = useT();
  const state = useAsync((signal) => listRevisions(plan.id, signal), [plan.id, plan.revision]);
  const [open, setOpen] = useState<{ rev: RevisionSnapshot; next: PlanDocument } | null>(null);
  const [loading, setLoading] = useState<number | null>(null);
  const revs = state.data?.revisions ?? [];
  if (!revs.length) return null;

  async function show(n: number) {
    if (open?.rev.revision === n) {
      setOpen(null);
      return;
    }
    setLoading(n);
    try {
      const rev = await getRevision(plan.id, n);
      const later = revs.find((r) => r.revision === n + 1) ? (await getRevision(plan.id, n + 1)).plan : plan;
      setOpen({ rev, next: later });
    } finally {
      setLoading(null);
    }
  }

  return (
    <section className="card revisions" aria-labelledby="plan-revisions" data-testid="plan-revisions">
      <h2 id="plan-revisions">{t('revisions.title', { n: state.data?.revision ?? plan.revision ?? 1 })}</h2>
      <ol className="revision-list">
        {revs.map((r) => (
          <li key={r.revision}>
            <p>
              <strong>{t('revisions.item', { n: r.revision })}</strong> · {t('revisions.replacedOn', { date: formatDate(r.created_at.slice(0, 10)) })}
              {r.reason && <> · {t('revisions.reason', { reason: r.reason })}</>}{' '}
              <button type="button" className="link-button" onClick={() => void show(r.revision)} aria-expanded={open?.rev.revision === r.revision} disabled={loading != null}>
                {open?.rev.revision === r.revision ? t('revisions.hide') : t('revisions.show')}
              </button>
            </p>
            {open?.rev.revision === r.revision && (
              <div className="revision-detail">
                <p className="muted">{t('revisions.diffIntro', { from: r.revision, to: r.revision + 1 })}</p>
                <ChangeList changes={planDiff(open.rev.plan, open.next)} units={units} />
                <details>
                  <summary>{t('revisions.wholeText', { n: r.revision })}</summary>
                  <p>
                    <strong>{open.rev.plan.code}</strong> {open.rev.plan.title}
                  </p>
                  <ol>
                    {open.rev.plan.targets.map((tg, i) => (
                      <li key={i}>
                        {tg.text}
                      </li>
                    ))}
                  </ol>
                  <ul>
                    {open.rev.plan.cycles.map((c, i) => (
                      <li key={i}>
                        {cycleLabel(t, c)}: {formatDate(c.due_on)}
                      </li>
                    ))}
                  </ul>
                </details>
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
