// Search that ignores case and Vietnamese diacritics: "ke hoach" finds "Kế hoạch".

/** Lower-cases and strips diacritics (đ → d) for matching. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase();
}

/** Every word of `query` occurs in one of `fields`. */
export function matches(query: string, ...fields: (string | undefined)[]): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = fold(fields.filter(Boolean).join(' '));
  return words.every((w) => hay.includes(w));
}
