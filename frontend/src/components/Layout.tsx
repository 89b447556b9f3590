import { useEffect, useRef, type ReactNode } from 'react';
import { isLeaderRole } from '../api';
import { useT } from '../i18n';
import { Link, NavLink, useLocation } from '../router';
import { useSession } from '../session';
import { LanguageSwitch } from './LanguageSwitch';

export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  const { user } = useSession();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After an in-app navigation, move focus to the new page (screen readers announce it).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const main = mainRef.current;
    const heading = main?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    } else main?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand">
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-org">{t('app.org')}</span>
          </Link>
          <LanguageSwitch />
        </div>
        <nav className="nav" aria-label={t('nav.label')}>
          <ul className="nav-list">
            <li>
              <NavLink to="/">{user ? t('nav.inbox') : t('nav.home')}</NavLink>
            </li>
            {user && (
              <li>
                <NavLink to="/plans">{t('nav.plans')}</NavLink>
              </li>
            )}
            {/* ui-a: leaders' nav */}
            {user && user.memberships.some((m) => isLeaderRole(m.role)) && (
              <>
                <li>
                  <NavLink to="/dashboard">{t('nav.dashboard')}</NavLink>
                </li>
                <li>
                  <NavLink to="/reviews">{t('nav.reviews')}</NavLink>
                </li>
              </>
            )}
            {/* end ui-a */}
            {!user && (
              <li>
                <NavLink to="/login">{t('nav.login')}</NavLink>
              </li>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        {children}
      </main>
    </div>
  );
}
