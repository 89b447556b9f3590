// The review view of a plan: its source text on one side (stacked on a
// phone) with every target and task highlighted at its source span, and the
// items on the other, needs_review first. Choosing an item scrolls to its
// passage and marks it; problems from a refused issue are shown on the items.
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { PlanDocument, PlanTask, Target, Unit } from '../api';
import { formatDate } from '../format';
import { isMessageKey, useT } from '../i18n';
import { runeToUtf16, targetKey, taskKey, type ItemKey, type Problem } from '../planProblems';
import { TargetGoal } from './TargetGoal';
import { ReviewNote } from './ReviewNote';

interface Item {
  key: ItemKey;
  label: string;
  needsReview: boolean;
  start: number; // UTF-16 offsets into source_text, -1 when none
  end: number;
}

export function reviewOrder<T extends { needs_review?: boolean }>(items: T[]): { item: T; index: number }[] {
  return items.map((item, index) => ({ item, index })).sort((a, b) => Number(!!b.item.needs_review) - Number(!!a.item.needs_review) || a.index - b.index);
}

/** Source text split into plain runs and marked spans (overlaps clipped, document order). */
export function segments(text: string, items: Item[]): { text: string; key?: ItemKey }[] {
  const spans = items.filter((i) => i.start >= 0 && i.end > i.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: { text: string; key?: ItemKey }[] = [];
  let pos = 0;
  for (const s of spans) {
    const start = Math.max(s.start, pos);
    const end = Math.min(s.end, text.length);
    if (end <= start) continue;
    if (start > pos) out.push({ text: text.slice(pos, start) });
    out.push({ text: text.slice(start, end), key: s.key });
    pos = end;
  }
  if (pos < text.length) out.push({ text: text.slice(pos) });
  return out;
}

export function PlanReview({
  plan,
  units,
  problems,
  activeKey,
  onSelect,
}: {
  plan: PlanDocument;
  units: Map<number, Unit>;
  problems: Map<ItemKey, Problem[]>;
  activeKey: ItemKey | null;
  onSelect: (key: ItemKey) => void;
}) {
  const t = useT();
  const sourceRef = useRef<HTMLDivElement>(null);
  const text = plan.source_text ?? '';

  const items = useMemo<Item[]>(() => {
    const at = runeToUtf16(text);
    const span = (s: { start: number; end: number } | null | undefined) => (s && text ? [at(s.start), at(s.end)] : [-1, -1]);
    const out: Item[] = [];
    plan.targets.forEach((tg, i) => {
      const [start, end] = span(tg.source);
      out.push({ key: targetKey(i), label: t('plan.targetN', { n: i + 1 }), needsReview: !!tg.needs_review, start, end });
    });
    plan.task_groups.forEach((g, gi) =>
      g.tasks.forEach((tk, ti) => {
        const [start, end] = span(tk.source);
        out.push({ key: taskKey(gi, ti), label: t('plan.taskN', { group: gi + 1, n: ti + 1 }), needsReview: !!tk.needs_review, start, end });
      }),
    );
    return out;
  }, [plan, text, t]);
  const byKey = useMemo(() => new Map(items.map((i) => [i.key, i])), [items]);
  const segs = useMemo(() => segments(text, items), [text, items]);

  // Scroll the chosen item's passage into view (inside the source panel and the page).
  useEffect(() => {
    if (!activeKey) return;
    const mark = sourceRef.current?.querySelector<HTMLElement>(`[data-key="${activeKey}"]`);
    mark?.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
  }, [activeKey]);

  const taskCount = plan.task_groups.reduce((n, g) => n + g.tasks.length, 0);
  const unitNames = (ids: number[] | undefined) => (ids ?? []).map((id) => units.get(id)?.short_name || units.get(id)?.name || `#${id}`).join(', ');

  return (
    <div className="review">
      <section className="card review-source" aria-labelledby="review-source-title">
        <h2 id="review-source-title">
          {t('plan.source')}
          {plan.source_name && <span className="muted source-name"> · {plan.source_name}</span>}
        </h2>
        {text ? (
          <div className="source-text" ref={sourceRef} tabIndex={0} role="region" aria-labelledby="review-source-title" data-testid="source-text">
            {segs.map((s, i) =>
              s.key ? (
                <mark
                  key={i}
                  data-key={s.key}
                  className={`${s.key.startsWith('target') ? 'src-target' : 'src-task'}${s.key === activeKey ? ' is-active' : ''}${byKey.get(s.key)?.needsReview ? ' src-review' : ''}`}
                  title={byKey.get(s.key)?.label}
                  onClick={() => onSelect(s.key!)}
                >
                  {s.text}
                </mark>
              ) : (
                <span key={i}>{s.text}</span>
              ),
            )}
          </div>
        ) : (
          <p className="muted">{t('plan.noSource')}</p>
        )}
      </section>

      <section className="review-items" aria-labelledby="review-items-title">
        <h2 id="review-items-title" className="sr-only">
          {t('plan.items')}
        </h2>
        <div className="card">
          <h3 id="review-targets">{t('plan.targets', { n: plan.targets.length })}</h3>
          {plan.targets.length === 0 ? (
            <p className="muted">{t('plan.noTargets')}</p>
          ) : (
            <ul className="review-list" aria-labelledby="review-targets" data-testid="review-targets">
              {reviewOrder(plan.targets).map(({ item, index }) => (
                <ReviewItem key={index} itemKey={targetKey(index)} item={byKey.get(targetKey(index))!} active={activeKey === targetKey(index)} problems={problems.get(targetKey(index))} onSelect={onSelect}>
                  <TargetBody target={item} />
                </ReviewItem>
              ))}
            </ul>
          )}
        </div>
        <div className="card">
          <h3 id="review-tasks">{t('plan.tasks', { n: taskCount })}</h3>
          {taskCount === 0 ? (
            <p className="muted">{t('plan.noTasks')}</p>
          ) : (
            plan.task_groups.map((g, gi) => (
              <div key={gi} className="review-group">
                <h4>{g.heading}</h4>
                <ul className="review-list">
                  {reviewOrder(g.tasks).map(({ item, index }) => (
                    <ReviewItem key={index} itemKey={taskKey(gi, index)} item={byKey.get(taskKey(gi, index))!} active={activeKey === taskKey(gi, index)} problems={problems.get(taskKey(gi, index))} onSelect={onSelect}>
                      <TaskBody task={item} unitNames={unitNames} />
                    </ReviewItem>
                  ))}
                </ul>
              </div>
            ))
          )}
        </div>
        {(plan.recipients?.length ?? 0) > 0 && (
          <div className="card">
            <h3 id="review-recipients">{t('plan.recipients', { n: plan.recipients!.length })}</h3>
            <ul aria-labelledby="review-recipients" data-testid="review-recipients">
              {plan.recipients!.map((r, i) => (
                <li key={i}>{r.text}</li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </div>
  );
}

function ReviewItem({
  itemKey,
  item,
  active,
  problems,
  onSelect,
  children,
}: {
  itemKey: ItemKey;
  item: Item;
  active: boolean;
  problems?: Problem[];
  onSelect: (key: ItemKey) => void;
  children: ReactNode;
}) {
  const t = useT();
  const hasSpan = item.start >= 0;
  return (
    <li
      className={`review-item${active ? ' is-active' : ''}${problems?.length ? ' has-problems' : ''}`}
      data-key={itemKey}
      data-testid="review-item"
      id={`item-${itemKey.replace(/:/g, '-')}`}
    >
      <button type="button" className="review-item-button" aria-pressed={active} onClick={() => onSelect(itemKey)}>
        <span className="review-item-label">{item.label}</span>
        {item.needsReview && <span className="badge badge-warn">{t('plan.needsReview')}</span>}
        {!hasSpan && <span className="muted"> · {t('plan.notInText')}</span>}
      </button>
      {children}
      {problems && problems.length > 0 && (
        <ul className="item-problems">
          {problems.map((p) => (
            <li key={p.path} className="field-error" data-field={p.path}>
              {p.message}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function TargetBody({ target }: { target: Target }) {
  return (
    <div className="review-body">
      <p className="review-text">{target.text}</p>
      <p className="review-meta">
        <TargetGoal target={target} />
      </p>
      {target.needs_review && target.review_note && <ReviewNote note={target.review_note} />}
    </div>
  );
}

function TaskBody({ task, unitNames }: { task: PlanTask; unitNames: (ids: number[] | undefined) => string }) {
  const t = useT();
  const rec = task.recurrence ? `recurrence.${task.recurrence}` : '';
  return (
    <div className="review-body">
      <p className="review-text">{task.text}</p>
      <p className="review-meta">
        <span>{task.lead_unit_ids?.length ? t('plan.lead', { units: unitNames(task.lead_unit_ids) }) : t('plan.noLead')}</span>
        {!!task.support_unit_ids?.length && <span>{t('plan.support', { units: unitNames(task.support_unit_ids) })}</span>}
        <span>
          {task.due_on
            ? t('plan.dueOn', { date: formatDate(task.due_on) })
            : rec && isMessageKey(rec)
              ? t('plan.recurrence', { value: t(rec) })
              : t('plan.noDue')}
        </span>
      </p>
      {task.needs_review && task.review_note && <ReviewNote note={task.review_note} />}
    </div>
  );
}
