import { useT } from '../i18n';
import { Link, useLocation } from '../router';
import { usePageTitle } from '../usePageTitle';

export function NotFound() {
  const t = useT();
  const { pathname } = useLocation();
  usePageTitle(t('notFound.title'));
  return (
    <div className="page page-narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text', { path: pathname })}</p>
      <p>
        <Link to="/" className="button">
          {t('notFound.home')}
        </Link>
      </p>
    </div>
  );
}
