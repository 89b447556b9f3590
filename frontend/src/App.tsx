import { lazy, Suspense, useEffect } from 'react';
import { loginUrl, setUnauthorizedHandler } from './api';
import { Layout } from './components/Layout';
import { ErrorState, Loading } from './components/States';
import { Home } from './pages/Home';
import { Login } from './pages/Login';
import { NotFound } from './pages/NotFound';
import { PlanImport } from './pages/PlanImport';
import { PlanPage } from './pages/PlanPage';
import { Plans } from './pages/Plans';
import { ReportPage } from './pages/ReportForm';
// ui-a: the leader's screens are split off the first page's bundle
import { ReviewQueue } from './pages/ReviewQueue';
const Dashboard = lazy(() => import('./pages/Dashboard').then((m) => ({ default: m.Dashboard })));
const DashboardIndex = lazy(() => import('./pages/Dashboard').then((m) => ({ default: m.DashboardIndex })));
const PlanEditorPage = lazy(() => import('./pages/PlanEditor').then((m) => ({ default: m.PlanEditorPage })));
const PlanTimeline = lazy(() => import('./pages/PlanTimeline').then((m) => ({ default: m.PlanTimeline })));
// end ui-a
// ---- ui-b: tasks, password reset, administration ----
import { AdminAudit } from './pages/admin/AdminAudit';
import { AdminCalendar } from './pages/admin/AdminCalendar';
import { AdminOutbox } from './pages/admin/AdminOutbox';
import { AdminUnits } from './pages/admin/AdminUnits';
import { AdminUsers } from './pages/admin/AdminUsers';
import { PasswordReset } from './pages/PasswordReset';
import { TaskNew } from './pages/tasks/TaskNew';
import { TaskPage } from './pages/tasks/TaskPage';
import { TasksAssigned } from './pages/tasks/TasksAssigned';
// ---- end ui-b ----
import { RouterProvider, Routes, useLocation, useNavigate, type Route } from './router';
import { SessionProvider, useSession } from './session';
import type { ReactNode } from 'react';

/** Pages for signed-in users: a visitor goes to sign-in and comes back afterwards. */
function RequireUser({ children }: { children: ReactNode }) {
  const { state, refresh } = useSession();
  const navigate = useNavigate();
  const { pathname, search, hash } = useLocation();
  const anonymous = state.status === 'anonymous';
  useEffect(() => {
    if (anonymous) navigate(loginUrl(pathname + search + hash), { replace: true });
  }, [anonymous, navigate, pathname, search, hash]);
  if (state.status === 'signedIn') return <>{children}</>;
  if (state.status === 'error')
    return (
      <div className="page page-narrow">
        <ErrorState error={state.error} onRetry={refresh} />
      </div>
    );
  return (
    <div className="page page-narrow">
      <Loading />
    </div>
  );
}

export const routes: Route[] = [
  { path: '/', render: () => <Home /> },
  { path: '/login', render: () => <Login /> },
  { path: '/reports/:id', render: () => <RequireUser><ReportPage /></RequireUser> },
  { path: '/plans', render: () => <RequireUser><Plans /></RequireUser> },
  { path: '/plans/import', render: () => <RequireUser><PlanImport /></RequireUser> },
  { path: '/plans/:id', render: () => <RequireUser><PlanPage /></RequireUser> },
  // ui-a: dashboard, review queue, plan editor, plan timeline
  { path: '/dashboard', render: () => <RequireUser><Lazy><DashboardIndex /></Lazy></RequireUser> },
  { path: '/reviews', render: () => <RequireUser><ReviewQueue /></RequireUser> },
  { path: '/plans/:id/dashboard', render: () => <RequireUser><Lazy><Dashboard /></Lazy></RequireUser> },
  { path: '/plans/:id/edit', render: () => <RequireUser><Lazy><PlanEditorPage /></Lazy></RequireUser> },
  { path: '/plans/:id/timeline', render: () => <RequireUser><Lazy><PlanTimeline /></Lazy></RequireUser> },
  // end ui-a
  // ---- ui-b: tasks, password reset, administration ----
  { path: '/reset-password', render: () => <PasswordReset /> },
  { path: '/tasks', render: () => <RequireUser><TasksAssigned /></RequireUser> },
  { path: '/tasks/new', render: () => <RequireUser><TaskNew /></RequireUser> },
  { path: '/tasks/:id', render: () => <RequireUser><TaskPage /></RequireUser> },
  { path: '/admin/units', render: () => <RequireUser><AdminUnits /></RequireUser> },
  { path: '/admin/users', render: () => <RequireUser><AdminUsers /></RequireUser> },
  { path: '/admin/audit', render: () => <RequireUser><AdminAudit /></RequireUser> },
  { path: '/admin/outbox', render: () => <RequireUser><AdminOutbox /></RequireUser> },
  { path: '/admin/calendar', render: () => <RequireUser><AdminCalendar /></RequireUser> },
  // ---- end ui-b ----
];

/** A page loaded on first visit (ui-a). */
function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <div className="page">
          <Loading />
        </div>
      }
    >
      {children}
    </Suspense>
  );
}

/** A 401 from any API call: forget the user, go to sign-in, come back after. */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const { setUser } = useSession();
  useEffect(
    () =>
      setUnauthorizedHandler((next) => {
        setUser(null);
        navigate(loginUrl(next));
      }),
    [navigate, setUser],
  );
  return null;
}

export function App() {
  return (
    <RouterProvider>
      <SessionProvider>
        <UnauthorizedRedirect />
        <Layout>
          <Routes routes={routes} fallback={<NotFound />} />
        </Layout>
      </SessionProvider>
    </RouterProvider>
  );
}
