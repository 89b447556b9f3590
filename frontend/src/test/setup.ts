import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { reloadLang } from '../i18n';

// findBy… waits up to 10 s: the machine running the tests is shared and often busy.
configure({ asyncUtilTimeout: 10_000 });

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear(); // forms kept over an expired session (unsaved.ts)
  reloadLang(); // back to Vietnamese
  window.history.replaceState(null, '', '/');
  document.cookie.split(';').forEach((c) => {
    const name = c.split('=')[0].trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  });
  window.scrollTo = () => {};
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// ui-a: findBy*/waitFor wait up to 5 s: the machine running the tests is shared and often busy.
configure({ asyncUtilTimeout: 5000 });
