// What an amendment changed: the earlier revision against the next one
// (or the plan as it stands), item by item. Items keep their ids through
// saves; an item without one is matched by its text.
import type { Cycle, PlanDocument, PlanTask, Target } from '../api';

export type ChangeKind = 'added' | 'removed' | 'changed';
export type ChangeArea = 'plan' | 'target' | 'task' | 'cycle' | 'units';

export interface Change {
  kind: ChangeKind;
  area: ChangeArea;
  /** What the item is: a target's or task's text, a cycle's kind and year, a field's name. */
  label: string;
  /** For a change: each field that differs, before and after. */
  fields: { field: string; before: string; after: string }[];
}

type Alloc = { unit_id: number; value: number };
type DocTarget = Target & { allocations?: Alloc[] };

const str = (v: unknown): string => (v == null ? '' : Array.isArray(v) ? v.join(', ') : String(v));

function diffFields<X>(a: X, b: X, fields: (keyof X & string)[], show: (f: string, v: unknown) => string = (_, v) => str(v)) {
  const out: Change['fields'] = [];
  for (const f of fields) {
    const before = show(f, a[f]);
    const after = show(f, b[f]);
    if (before !== after) out.push({ field: f, before, after });
  }
  return out;
}

/** Pairs the items of two lists by id, then by a key; returns pairs, removed and added. */
function pair<X extends { id?: number }>(before: X[], after: X[], key: (x: X) => string) {
  const pairs: [X, X][] = [];
  const rest = [...after];
  const removed: X[] = [];
  for (const a of before) {
    let i = a.id != null ? rest.findIndex((b) => b.id === a.id) : -1;
    if (i < 0) i = rest.findIndex((b) => b.id == null && key(b) === key(a));
    if (i < 0) {
      removed.push(a);
      continue;
    }
    pairs.push([a, rest[i]]);
    rest.splice(i, 1);
  }
  return { pairs, removed, added: rest };
}

const allocText = (xs: Alloc[] | undefined) =>
  [...(xs ?? [])]
    .sort((a, b) => a.unit_id - b.unit_id)
    .map((a) => `${a.unit_id}:${a.value}`)
    .join(', ');

export function planDiff(before: PlanDocument, after: PlanDocument): Change[] {
  const out: Change[] = [];
  const head = diffFields(before, after, ['code', 'title', 'place', 'issued_on', 'term_start_year', 'term_end_year']);
  for (const f of head) out.push({ kind: 'changed', area: 'plan', label: f.field, fields: [f] });

  const ub = [...before.unit_ids].sort((a, b) => a - b).join(',');
  const ua = [...after.unit_ids].sort((a, b) => a - b).join(',');
  if (ub !== ua) {
    const added = after.unit_ids.filter((u) => !before.unit_ids.includes(u));
    const removed = before.unit_ids.filter((u) => !after.unit_ids.includes(u));
    out.push({ kind: 'changed', area: 'units', label: 'unit_ids', fields: [{ field: 'unit_ids', before: removed.join(', '), after: added.join(', ') }] });
  }

  const tg = pair(before.targets as DocTarget[], after.targets as DocTarget[], (t) => t.text);
  for (const t of tg.removed) out.push({ kind: 'removed', area: 'target', label: t.text, fields: [] });
  for (const [a, b] of tg.pairs) {
    const fields = diffFields(a, b, ['text', 'value', 'unit', 'direction', 'measure', 'baseline']);
    const al = allocText(a.allocations);
    const bl = allocText(b.allocations);
    if (al !== bl) fields.push({ field: 'allocations', before: al, after: bl });
    if (fields.length) out.push({ kind: 'changed', area: 'target', label: b.text || a.text, fields });
  }
  for (const t of tg.added) out.push({ kind: 'added', area: 'target', label: t.text, fields: [] });

  const tasks = (p: PlanDocument) => p.task_groups.flatMap((g) => g.tasks);
  const tk = pair<PlanTask>(tasks(before), tasks(after), (t) => t.text);
  for (const t of tk.removed) out.push({ kind: 'removed', area: 'task', label: t.text, fields: [] });
  for (const [a, b] of tk.pairs) {
    const fields = diffFields(a, b, ['text', 'due_on', 'recurrence', 'lead_unit_ids', 'support_unit_ids']);
    if (fields.length) out.push({ kind: 'changed', area: 'task', label: b.text || a.text, fields });
  }
  for (const t of tk.added) out.push({ kind: 'added', area: 'task', label: t.text, fields: [] });

  const cy = pair<Cycle>(before.cycles, after.cycles, (c) => `${c.kind}/${c.year}`);
  for (const c of cy.removed) out.push({ kind: 'removed', area: 'cycle', label: `${c.kind}/${c.year}`, fields: [] });
  for (const [a, b] of cy.pairs) {
    const fields = diffFields(a, b, ['kind', 'year', 'due_on']);
    if (fields.length) out.push({ kind: 'changed', area: 'cycle', label: `${b.kind}/${b.year}`, fields });
  }
  for (const c of cy.added) out.push({ kind: 'added', area: 'cycle', label: `${c.kind}/${c.year}`, fields: [] });
  return out;
}
