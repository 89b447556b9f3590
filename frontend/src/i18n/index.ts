// Tiny i18n: a module-level language store (persisted in localStorage) read by
// components through useSyncExternalStore; no provider needed.
import { useCallback, useSyncExternalStore } from 'react';
import { en } from './en';
import { vi, type MessageKey, type Messages } from './vi';

export type { MessageKey, Messages };
export type Lang = 'vi' | 'en';
export type Params = Record<string, string | number>;

export const LANGS: readonly Lang[] = ['vi', 'en'];
export const DEFAULT_LANG: Lang = 'vi';
export const STORAGE_KEY = 'cascade.lang';

const catalogs: Record<Lang, Messages> = { vi, en };

function isLang(v: unknown): v is Lang {
  return v === 'vi' || v === 'en';
}

function readStored(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLang(v) ? v : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG; // storage disabled (private mode, sandboxed frame)
  }
}

let current: Lang = readStored();
const listeners = new Set<() => void>();

function applyToDocument(lang: Lang) {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
applyToDocument(current);

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  if (!isLang(lang)) return;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* not persisted, still switched for this page */
  }
  if (lang === current) return;
  current = lang;
  applyToDocument(lang);
  listeners.forEach((l) => l());
}

/** Re-reads localStorage (tests, or another tab changed it). */
export function reloadLang(): void {
  const stored = readStored();
  if (stored !== current) {
    current = stored;
    applyToDocument(stored);
    listeners.forEach((l) => l());
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === STORAGE_KEY) reloadLang();
  });
}

function subscribe(cb: () => void) {
  listeners.add(cb);
  return () => {
    listeners.delete(cb);
  };
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(vi, key);
}

/**
 * Formats one message. "a||b" picks a when params.count (or params.n) is 1,
 * else b; pass count as a number when n is an already formatted string.
 */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  let msg: string = catalogs[lang][key] ?? vi[key] ?? key;
  if (msg.includes('||')) {
    const [one, other] = msg.split('||');
    const count = params?.count ?? params?.n;
    msg = typeof count === 'number' ? (count === 1 ? one : other) : count === '1' ? one : other;
  }
  if (params) {
    msg = msg.replace(/\{(\w+)\}/g, (m, name: string) =>
      Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m,
    );
  }
  return msg;
}

export type T = (key: MessageKey, params?: Params) => string;

export function useLang(): Lang {
  return useSyncExternalStore(subscribe, getLang, getLang);
}

export function useT(): T {
  const lang = useLang();
  return useCallback<T>((key, params) => translate(lang, key, params), [lang]);
}
