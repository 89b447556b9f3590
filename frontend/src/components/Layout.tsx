import { useEffect, useRef, useState, type ReactNode } from 'react';
import { isLeaderRole, logout } from '../api';
import { abilities } from '../apiAdmin';
import { useT, type MessageKey } from '../i18n';
import { Link, NavLink, useLocation, useNavigate } from '../router';
import { useSession } from '../session';
import { LanguageSwitch } from './LanguageSwitch';
import { MailBanner } from './MailBanner';
import '../leader/leader.css';

interface NavItem {
  to: string;
  label: MessageKey;
  exact?: boolean;
  /** leaderui: the item is the current one on these pages too ("Theo dõi" on a plan's dashboard), or not on these. */
  also?: RegExp;
  not?: RegExp;
}

const PLAN_DASHBOARD = /^\/plans\/\d+\/dashboard(\/|$)/;

export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  const { user, setUser } = useSession();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const [signOutFailed, setSignOutFailed] = useState(false);

  // Offices share PCs: signing out ends the session on the server and
  // forgets what this tab kept for the user.
  async function signOut() {
    if (signingOut) return;
    setSigningOut(true);
    setSignOutFailed(false);
    try {
      await logout();
    } catch (err) {
      // 401: the session had already ended; anything else: it may still be open
      if ((err as { status?: number }).status !== 401) {
        setSignOutFailed(true);
        setSigningOut(false);
        return;
      }
    }
    try {
      for (const k of Object.keys(sessionStorage)) if (k.startsWith('cascade.unsaved.')) sessionStorage.removeItem(k);
    } catch {
      // storage disabled
    }
    setSigningOut(false);
    setUser(null);
    navigate('/login');
  }
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const [menuOpen, setMenuOpen] = useState(false);

  // After an in-app navigation, move focus to the new page (screen readers announce it).
  useEffect(() => {
    setMenuOpen(false);
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

  const can = abilities(user);
  const items: NavItem[] = [{ to: '/', label: user ? 'nav.inbox' : 'nav.home', exact: true }];
  if (user) items.push({ to: '/plans', label: 'nav.plans', not: PLAN_DASHBOARD });
  // ---- ui-a: the leaders' dashboard and review queue; a viewer's dashboards too (leaderui) ----
  if (user && user.memberships.some((m) => isLeaderRole(m.role) || m.role === 'viewer')) items.push({ to: '/dashboard', label: 'nav.dashboard', also: PLAN_DASHBOARD });
  if (user && user.memberships.some((m) => isLeaderRole(m.role))) {
    items.push({ to: '/reviews', label: 'nav.reviews' });
  }
  // ---- end ui-a ----
  // ---- ui-b: tasks and administration (shown only to roles that can use them) ----
  if (user && can.leader) items.push({ to: '/tasks', label: 'nav.tasks' });
  if (user && can.admin) items.push({ to: '/admin/units', label: 'nav.adminUnits' }, { to: '/admin/users', label: 'nav.adminUsers' });
  if (user && can.leader) items.push({ to: '/admin/audit', label: 'nav.adminAudit' });
  if (user && can.admin) items.push({ to: '/admin/outbox', label: 'nav.adminOutbox' }, { to: '/admin/calendar', label: 'nav.adminCalendar' });
  // ---- end ui-b ----
  if (!user) items.push({ to: '/login', label: 'nav.login' });
  // A short nav fits a 360 px phone as it is; a longer one folds behind a menu button there.
  const folds = items.length > 3;

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
          <div className="topbar-tools">
            <LanguageSwitch />
            {folds && (
              <button
                type="button"
                className="menu-button"
                aria-expanded={menuOpen}
                aria-controls="main-nav"
                onClick={() => setMenuOpen((o) => !o)}
              >
                <span aria-hidden="true" className="menu-icon" />
                {t('nav.menu')}
              </button>
            )}
          </div>
        </div>
        {/* a chosen link closes the menu, also when it is the page already shown */}
        <nav id="main-nav" className={`nav${folds ? ' nav-folds' : ''}${menuOpen ? ' nav-open' : ''}`} aria-label={t('nav.label')} onClick={() => setMenuOpen(false)}>
          <ul className="nav-list">
            {items.map((it) => (
              <li key={it.to}>
                <NavLink to={it.to} exact={it.exact} current={it.also?.test(pathname) ? true : it.not?.test(pathname) ? false : undefined}>
                  {t(it.label)}
                </NavLink>
              </li>
            ))}
            {user && (
              <li className="nav-signout">
                <button type="button" className="nav-button" onClick={() => void signOut()} disabled={signingOut} aria-busy={signingOut || undefined} data-testid="sign-out">
                  {signingOut ? t('nav.signingOut') : t('nav.signOut')}
                </button>
              </li>
            )}
          </ul>
          {signOutFailed && (
            <p className="form-alert nav-alert" role="alert">
              {t('nav.signOutFailed')}
            </p>
          )}
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        {user && can.admin && <MailBanner key={user.id} />}
        {children}
      </main>
    </div>
  );
}
