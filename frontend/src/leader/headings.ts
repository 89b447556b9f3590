// A task group's heading keeps the document's own numbering ("2. Đẩy mạnh…",
// "II. …", "a) …"); the screen numbers it only when it has none, so it never
// reads "4. 2. Đẩy mạnh…".
const NUMBERED = /^\s*(\d+(\.\d+)*|[IVXLC]+|[a-zđ])\s*[.)]\s+/i;

export function groupTitle(n: number, heading: string): string {
  const h = heading.trim();
  if (!h) return `${n}.`;
  return NUMBERED.test(h) ? h : `${n}. ${h}`;
}
