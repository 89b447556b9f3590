// Report cycles re-dated together: every due date shifted by a number of
// days, or the annual cycles' due day set once (dd/mm).

export interface DatedCycle {
  kind: string;
  year: string | number;
  dueOn: string;
}

function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d + days));
  return dt.toISOString().slice(0, 10);
}

/** Every cycle's due date moved by days (negative: earlier); an empty date stays empty. */
export function shiftCycles<C extends DatedCycle>(cycles: C[], days: number): C[] {
  if (!Number.isInteger(days) || days === 0) return cycles;
  return cycles.map((c) => (/^\d{4}-\d{2}-\d{2}$/.test(c.dueOn) ? { ...c, dueOn: addDays(c.dueOn, days) } : c));
}

/** Parses "15/11" (or "15/11/…", the year ignored) to [month, day]; null when it is no day of the year. */
export function parseDayMonth(text: string): [number, number] | null {
  const m = /^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*$/.exec(text);
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12 || day < 1) return null;
  const last = new Date(Date.UTC(2024, month, 0)).getUTCDate(); // a leap year: 29/02 allowed
  return day <= last ? [month, day] : null;
}

/** The annual cycles due on the same day of their year; 29/02 falls on 28/02 in a common year. */
export function setAnnualDay<C extends DatedCycle>(cycles: C[], month: number, day: number): C[] {
  return cycles.map((c) => {
    const year = Number(c.year);
    if (c.kind !== 'annual' || !year) return c;
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const d = Math.min(day, last);
    return { ...c, dueOn: `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
  });
}
