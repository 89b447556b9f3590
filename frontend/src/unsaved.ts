// What a form holds but the server does not have yet, kept in sessionStorage
// (this tab only) under the report's or task's id: when a save or submit meets
// an expired session (401), the app goes to sign-in and back, and the form
// comes back with what was typed. Written as the user types, removed once the
// server has it (draft saved, report submitted, task completed).

export type UnsavedKind = 'report' | 'task';

export interface Unsaved<T> {
  /** When it was last written (ISO timestamp). */
  at: string;
  /** The signed-in user who typed it, when known. */
  user?: number;
  data: T;
}

const PREFIX = 'cascade.unsaved.';
export const unsavedKey = (kind: UnsavedKind, id: number | string) => `${PREFIX}${kind}.${id}`;

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // storage disabled
  }
}

export function keepUnsaved<T>(kind: UnsavedKind, id: number | string, data: T, user?: number | null): void {
  const entry: Unsaved<T> = { at: new Date().toISOString(), data, ...(user ? { user } : {}) };
  try {
    storage()?.setItem(unsavedKey(kind, id), JSON.stringify(entry));
  } catch {
    /* full or disabled: the form still holds it */
  }
}

/** What was kept for this report or task, unless another user typed it. */
export function readUnsaved<T>(kind: UnsavedKind, id: number | string, user?: number | null): Unsaved<T> | null {
  let entry: Unsaved<T> | null = null;
  try {
    const raw = storage()?.getItem(unsavedKey(kind, id));
    entry = raw ? (JSON.parse(raw) as Unsaved<T>) : null;
  } catch {
    entry = null;
  }
  if (!entry || typeof entry !== 'object' || typeof entry.at !== 'string' || entry.data == null) return null;
  if (entry.user && user && entry.user !== user) {
    dropUnsaved(kind, id);
    return null;
  }
  return entry;
}

export function dropUnsaved(kind: UnsavedKind, id: number | string): void {
  try {
    storage()?.removeItem(unsavedKey(kind, id));
  } catch {
    /* nothing kept */
  }
}
