// Home: for a signed-in user the inbox of their units' tasks (for leaders also
// what waits on them: reports to review, tasks to confirm); for a visitor a
// welcome and the system status (GET /readyz).
import { Inbox, leaderUnitIds, WaitingForYou } from '../components/Inbox';
import { StatusPanel } from '../components/StatusPanel';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { isMessageKey, useT } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';

export function Home() {
  const t = useT();
  const { state, refresh } = useSession();
  usePageTitle();

  const roleName = (role: string) => {
    const key = `role.${role}`;
    return isMessageKey(key) ? t(key) : role;
  };

  return (
    <div className={state.status === 'signedIn' ? 'page home-signed-in' : 'page'}>
      <h1>{t('home.heading')}</h1>
      <p className="lead">{t('app.tagline')}</p>

      <div className="grid">
        {state.status === 'loading' && (
          <section className="card">
            <Loading />
          </section>
        )}

        {state.status === 'signedIn' && state.user.memberships.length > 0 && <Inbox memberships={state.user.memberships} />}
        {state.status === 'signedIn' && leaderUnitIds(state.user.memberships).size > 0 && <WaitingForYou memberships={state.user.memberships} />}

        {state.status === 'signedIn' && (
          <section className="card" aria-labelledby="home-user">
            <h2 id="home-user">{t('home.greeting', { name: state.user.name })}</h2>
            <p className="muted">{t('home.signedInAs', { email: state.user.email })}</p>
            <h3>{t('home.memberships')}</h3>
            {state.user.memberships.length === 0 ? (
              <EmptyState title={t('home.noMemberships')} />
            ) : (
              <ul className="memberships">
                {state.user.memberships.map((m) => (
                  <li key={`${m.unit_id}-${m.role}`}>
                    <span className="unit-name">{m.unit_name}</span>
                    <span className="badge">{roleName(m.role)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}

        {(state.status === 'anonymous' || state.status === 'error') && (
          <section className="card" aria-labelledby="home-welcome">
            <h2 id="home-welcome">{t('home.welcomeTitle')}</h2>
            <p>{t('home.welcomeText')}</p>
            {state.status === 'error' && <ErrorState error={state.error} onRetry={refresh} />}
            <p>
              <Link to="/login" className="button">
                {t('home.signInPrompt')}
              </Link>
            </p>
          </section>
        )}

        {state.status !== 'signedIn' && <StatusPanel />}
      </div>
    </div>
  );
}
