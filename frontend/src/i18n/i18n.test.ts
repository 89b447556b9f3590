import { describe, expect, it } from 'vitest';
import { en } from './en';
import { getLang, setLang, STORAGE_KEY, translate } from './index';
import { vi } from './vi';

describe('messages', () => {
  it('has the same keys in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const [k, v] of [...Object.entries(vi), ...Object.entries(en)]) expect(v.trim(), k).not.toBe('');
  });
  it('keeps the same placeholders in both languages', () => {
    const ph = (s: string) => [...new Set(s.match(/\{\w+\}/g) ?? [])].sort();
    for (const k of Object.keys(vi) as (keyof typeof vi)[]) expect(ph(en[k]), k).toEqual(ph(vi[k]));
  });
});

describe('translate and the language store', () => {
  it('fills placeholders', () => {
    expect(translate('vi', 'home.greeting', { name: 'Lan' })).toBe('Xin chào, Lan');
    expect(translate('en', 'home.greeting', { name: 'Lan' })).toBe('Hello, Lan');
  });
  it('defaults to Vietnamese and persists a switch', () => {
    expect(getLang()).toBe('vi');
    setLang('en');
    expect(getLang()).toBe('en');
    expect(localStorage.getItem(STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });
});
