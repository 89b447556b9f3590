// Maps the field paths of a plan's 422 answer ("targets[3].value",
// "task_groups[0].tasks[2].lead_unit_ids", "unit_ids") to the items they name.

export type ItemKey = string; // "target:3", "task:0:2", "group:0", or "plan"

export const targetKey = (index: number): ItemKey => `target:${index}`;
export const taskKey = (group: number, index: number): ItemKey => `task:${group}:${index}`;
export const groupKey = (group: number): ItemKey => `group:${group}`;
export const PLAN_KEY: ItemKey = 'plan';

export interface FieldRef {
  key: ItemKey;
  field: string; // the rest of the path ("value", "lead_unit_ids"), "" when the item itself
}

/** Which item a field path names; anything unrecognised belongs to the plan itself. */
export function parseFieldPath(path: string): FieldRef {
  let m = /^targets\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (m) return { key: targetKey(+m[1]), field: m[2] ?? '' };
  m = /^task_groups\[(\d+)\]\.tasks\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (m) return { key: taskKey(+m[1], +m[2]), field: m[3] ?? '' };
  m = /^task_groups\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (m) return { key: groupKey(+m[1]), field: m[2] ?? '' };
  return { key: PLAN_KEY, field: path };
}

export interface Problem {
  path: string;
  field: string;
  message: string;
}

/** Groups field messages by the item they name, in the order the server gave them. */
export function problemsByItem(fields: Record<string, string>): Map<ItemKey, Problem[]> {
  const out = new Map<ItemKey, Problem[]>();
  for (const [path, message] of Object.entries(fields)) {
    const { key, field } = parseFieldPath(path);
    const list = out.get(key) ?? [];
    list.push({ path, field, message });
    out.set(key, list);
  }
  return out;
}

/** Index of the value in a submitted `values` array named by "values[0].value", with its field. */
export function parseValuePath(path: string): { index: number; field: string } | null {
  const m = /^values\[(\d+)\](?:\.(.+))?$/.exec(path);
  return m ? { index: +m[1], field: m[2] ?? '' } : null;
}

/** Rune (code point) offsets → UTF-16 indexes, for spans into text with astral characters. */
export function runeToUtf16(text: string): (rune: number) => number {
  if (!/[\uD800-\uDFFF]/.test(text)) return (r) => Math.max(0, Math.min(r, text.length));
  const map: number[] = [];
  let i = 0;
  for (const ch of text) {
    map.push(i);
    i += ch.length;
  }
  map.push(i);
  return (r) => map[Math.max(0, Math.min(r, map.length - 1))];
}
