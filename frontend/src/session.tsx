// Who is signed in. Loaded once from GET /api/v1/me; sign-in replaces it.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, getMe, toApiError, type User } from './api';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'signedIn'; user: User }
  | { status: 'error'; error: ApiError };

interface SessionValue {
  state: SessionState;
  user: User | null;
  setUser: (user: User | null) => void;
  refresh: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    getMe({ signal: ctrl.signal }).then(
      (user) => !ctrl.signal.aborted && setState({ status: 'signedIn', user }),
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        const e = toApiError(err);
        // 401: nobody signed in. 404: the endpoint is not there (yet), same thing for the UI.
        setState(e.status === 401 || e.status === 404 ? { status: 'anonymous' } : { status: 'error', error: e });
      },
    );
    return () => ctrl.abort();
  }, [tick]);

  const setUser = useCallback((user: User | null) => setState(user ? { status: 'signedIn', user } : { status: 'anonymous' }), []);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const value = useMemo<SessionValue>(
    () => ({ state, user: state.status === 'signedIn' ? state.user : null, setUser, refresh }),
    [state, setUser, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}

/** The signed-in user, or null (also outside <SessionProvider>, for components rendered on their own). */
export function useCurrentUser(): User | null {
  return useContext(SessionContext)?.user ?? null;
}
