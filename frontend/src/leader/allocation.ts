// A count target shared among units when the plan gives no allocations:
// an equal split, whole numbers when the total is whole, the remainder to
// the first units (as a province shares "2.700 hộ" among its districts).

export function splitEvenly(total: number, unitIds: number[]): Record<number, number> {
  const n = unitIds.length;
  if (!n || !Number.isFinite(total) || total < 0) return {};
  const out: Record<number, number> = {};
  if (Number.isInteger(total)) {
    const share = Math.floor(total / n);
    const rest = total - share * n;
    unitIds.forEach((u, i) => (out[u] = share + (i < rest ? 1 : 0)));
    return out;
  }
  // a decimal total: two decimals each, the last takes what rounding left
  const share = Math.floor((total / n) * 100) / 100;
  unitIds.forEach((u, i) => (out[u] = i === n - 1 ? Math.round((total - share * (n - 1)) * 100) / 100 : share));
  return out;
}

/** The units a province's count target is split among: its districts when any take part, else every participant. */
export function splitUnits(unitIds: number[], kindOf: (id: number) => string | undefined): number[] {
  const districts = unitIds.filter((u) => kindOf(u) === 'district');
  return districts.length ? districts : unitIds;
}
