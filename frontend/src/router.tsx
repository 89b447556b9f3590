// A small client-side router on the History API: path patterns with :params,
// <Link>, useNavigate, useLocation. Enough for this app; no dependency.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

export interface Location {
  pathname: string;
  search: string;
  hash: string;
}

export interface NavigateOptions {
  replace?: boolean;
}

export type Navigate = (to: string, opts?: NavigateOptions) => void;

interface RouterValue {
  location: Location;
  navigate: Navigate;
}

const RouterContext = createContext<RouterValue | null>(null);

function readLocation(): Location {
  const { pathname, search, hash } = window.location;
  return { pathname, search, hash };
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState<Location>(readLocation);

  useEffect(() => {
    const onPop = () => setLocation(readLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback<Navigate>((to, opts) => {
    const url = new URL(to, window.location.href);
    if (url.origin !== window.location.origin) {
      window.location.assign(url.href);
      return;
    }
    const target = url.pathname + url.search + url.hash;
    const current = window.location.pathname + window.location.search + window.location.hash;
    if (opts?.replace || target === current) window.history.replaceState(null, '', target);
    else window.history.pushState(null, '', target);
    setLocation(readLocation());
    if (!url.hash) window.scrollTo?.(0, 0);
  }, []);

  const value = useMemo(() => ({ location, navigate }), [location, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

function useRouter(): RouterValue {
  const ctx = useContext(RouterContext);
  if (!ctx) throw new Error('router hooks must be used inside <RouterProvider>');
  return ctx;
}

export const useLocation = () => useRouter().location;
export const useNavigate = () => useRouter().navigate;

export function useSearchParam(name: string): string | null {
  return new URLSearchParams(useLocation().search).get(name);
}

export type Params = Record<string, string>;

/** Matches "/plans/:id" against "/plans/42" → { id: "42" }; "*" at the end matches the rest. */
export function matchPath(pattern: string, pathname: string): Params | null {
  const strip = (s: string) => s.replace(/\/+$/, '') || '/';
  const pp = strip(pattern).split('/');
  const sp = strip(pathname).split('/');
  const params: Params = {};
  for (let i = 0; i < pp.length; i++) {
    const p = pp[i];
    if (p === '*') {
      params['*'] = sp.slice(i).map(safeDecode).join('/');
      return params;
    }
    if (i >= sp.length) return null;
    if (p.startsWith(':')) {
      if (sp[i] === '') return null;
      params[p.slice(1)] = safeDecode(sp[i]);
    } else if (p !== sp[i]) return null;
  }
  return pp.length === sp.length ? params : null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface Route {
  path: string;
  render: (params: Params) => ReactNode;
}

const ParamsContext = createContext<Params>({});
export const useParams = () => useContext(ParamsContext);

/** Renders the first route whose pattern matches, else `fallback`. */
export function Routes({ routes, fallback }: { routes: Route[]; fallback: ReactNode }) {
  const { pathname } = useLocation();
  for (const r of routes) {
    const params = matchPath(r.path, pathname);
    if (params) return <ParamsContext.Provider value={params}>{r.render(params)}</ParamsContext.Provider>;
  }
  return <>{fallback}</>;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; replace?: boolean };

/** An <a> that navigates in-app on a plain left click (new tab etc. still work). */
export function Link({ to, replace, onClick, children, ...rest }: LinkProps) {
  const navigate = useNavigate();
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    e.preventDefault();
    navigate(to, { replace });
  };
  return (
    <a href={to} onClick={handle} {...rest}>
      {children}
    </a>
  );
}

/** A nav link that marks the current page with aria-current="page". */
export function NavLink({ to, exact = false, current, ...rest }: LinkProps & { exact?: boolean; current?: boolean }) {
  const { pathname } = useLocation();
  const active = current ?? (exact || to === '/' ? pathname === to : pathname === to || pathname.startsWith(to + '/'));
  return <Link to={to} aria-current={active ? 'page' : undefined} {...rest} />;
}
