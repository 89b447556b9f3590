import type { Unit } from '../api';

// Unit names short enough for a chart's axis, by one rule: the organisation
// prefix every unit shares goes ("Hội LHPN", "Hội Liên hiệp Phụ nữ"), and
// the kind of place is abbreviated (thành phố → TP., thị xã → TX., huyện →
// H., tỉnh → T.); the full name stays on hover and in the table view.
const PREFIXES = [/^hội\s+liên\s+hiệp\s+phụ\s+nữ\s+/i, /^hội\s+lhpn\s+/i, /^lhpn\s+/i];
const PLACES: [RegExp, string][] = [
  [/^thành\s+phố\s+/i, 'TP. '],
  [/^thị\s+xã\s+/i, 'TX. '],
  [/^thị\s+trấn\s+/i, 'TT. '],
  [/^huyện\s+/i, 'H. '],
  [/^tỉnh\s+/i, 'T. '],
];

export function shortUnitName(name: string, max = 22): string {
  let s = name.trim().normalize('NFC');
  for (const p of PREFIXES) s = s.replace(p, '');
  for (const [p, r] of PLACES) s = s.replace(p, r);
  s = s.replace(/\s+/g, ' ');
  if (!s) return name;
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

/** The caller's units by id, with the names the plan gives for units outside
 * the caller's scope (a district reading its province's plan). */
export function planUnitMap(scope: Unit[] | undefined, plan: { unit_names?: Unit[] } | null): Map<number, Unit> {
  const m = new Map<number, Unit>();
  for (const u of plan?.unit_names ?? []) m.set(u.id, u);
  for (const u of scope ?? []) m.set(u.id, u);
  return m;
}
