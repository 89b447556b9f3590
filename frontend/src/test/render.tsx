import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { App } from '../App';
import { RouterProvider } from '../router';
import { SessionProvider } from '../session';

/** Renders the whole app at `path`. */
export function renderApp(path = '/') {
  window.history.replaceState(null, '', path);
  return render(<App />);
}

/** Renders one component inside the router and session providers. */
export function renderWithProviders(ui: ReactElement, path = '/') {
  window.history.replaceState(null, '', path);
  return render(
    <RouterProvider>
      <SessionProvider>{ui}</SessionProvider>
    </RouterProvider>,
  );
}
