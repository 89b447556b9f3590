import { useEffect } from 'react';
import { loginUrl, setUnauthorizedHandler } from './api';
import { Layout } from './components/Layout';
import { Home } from './pages/Home';
import { Login } from './pages/Login';
import { NotFound } from './pages/NotFound';
import { RouterProvider, Routes, useNavigate, type Route } from './router';
import { SessionProvider, useSession } from './session';

export const routes: Route[] = [
  { path: '/', render: () => <Home /> },
  { path: '/login', render: () => <Login /> },
];

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
