import { useEffect } from 'react';
import { useT } from './i18n';

/** Sets document.title to "<page> — Cascade — Hội LHPN tỉnh Khánh Hòa" (or just the app title). */
export function usePageTitle(page?: string) {
  const t = useT();
  const title = page ? `${page} — ${t('app.title')}` : t('app.title');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
