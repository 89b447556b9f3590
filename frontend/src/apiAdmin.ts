// Administration endpoints: units (tree, create, edit, move, deactivate, CSV),
// users and memberships, audit log, email outbox, working-day calendar; and
// the password reset that needs no session.
import { api, apiUrl, ApiError, CSRF_COOKIE, CSRF_HEADER, errorFromBody, NETWORK_ERROR, readCookie, request, type Membership, type User } from './api';

export const UNIT_KINDS = ['province', 'standing_committee', 'board', 'district', 'affiliate', 'commune', 'branch'] as const;
export const ROLES = ['admin', 'leader', 'officer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A unit as GET /units lists it. */
export interface OrgUnit {
  id: number;
  parent_id: number | null;
  path: string;
  kind: string;
  code: string;
  name: string;
  short_name: string;
  email: string;
  active: boolean;
  /** The board that follows the unit: the ladder's supervising_board escalations go there. */
  supervisor_unit_id?: number | null;
}

/** Every unit in scope, in tree order (inactive ones too when asked). */
export async function listOrgUnits(opts: { inactive?: boolean; q?: string; signal?: AbortSignal } = {}): Promise<OrgUnit[]> {
  const q = new URLSearchParams({ limit: '5000' });
  if (opts.inactive) q.set('inactive', 'true');
  if (opts.q) q.set('q', opts.q);
  const res = await api.get<{ units?: OrgUnit[] }>(`/units?${q}`, { signal: opts.signal });
  return Array.isArray(res.units) ? res.units : [];
}

export interface NewUnit {
  parent_id: number;
  kind: string;
  code: string;
  name: string;
  short_name: string;
  email: string;
}

export const createUnit = (u: NewUnit) => api.post<OrgUnit>('/units', u);
export const updateUnit = (id: number, u: { name: string; short_name: string; email: string; supervisor_unit_id?: number | null }) =>
  api.patch<OrgUnit>(`/units/${id}`, u);
export const moveUnit = (id: number, parentId: number) => api.post<{ unit: OrgUnit; units_moved: number }>(`/units/${id}/move`, { parent_id: parentId });
export const deactivateUnit = (id: number) => api.post<OrgUnit>(`/units/${id}/deactivate`);
export const unitsExportUrl = (id: number) => `/api/v1/units/${id}/export`;

/** A rejected import: the ApiError and every line's problem. */
export class ImportError extends ApiError {
  lines: LineError[] = [];
}

/**
 * POST /units/import. A 422 lists the problems by line (error.lines), which
 * the generic client drops, so this reads the body itself; a 401 still goes
 * through the client (to sign-in and back).
 */
export async function importUnitsCsv(file: File): Promise<{ created: number; units: OrgUnit[] }> {
  const form = new FormData();
  form.append('file', file);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = readCookie(CSRF_COOKIE);
  if (token) headers[CSRF_HEADER] = token;
  let res: Response;
  try {
    res = await fetch(apiUrl('/units/import'), { method: 'POST', headers, body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ status: 0, code: NETWORK_ERROR });
  }
  if (res.status === 401) await request('/me'); // a 401 there too sends the user to sign-in and back
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  if (res.ok) return data as { created: number; units: OrgUnit[] };
  const base = errorFromBody(res.status, data);
  const err = new ImportError({ status: base.status, code: base.code, messageVi: base.messageVi, messageEn: base.messageEn, fieldsVi: base.fieldsVi, fieldsEn: base.fieldsEn });
  const lines = (data as { error?: { lines?: unknown } } | undefined)?.error?.lines;
  if (Array.isArray(lines)) err.lines = lines as LineError[];
  throw err;
}

/** One line's problem in a rejected CSV import (422 error.lines). */
export interface LineError {
  line: number;
  field: string;
  message: string;
  message_en: string;
}

export interface AdminUser {
  id: number;
  email: string;
  name: string;
  active: boolean;
  created_at?: string;
  memberships?: (Membership & { unit_path?: string })[];
}

export async function listUsers(signal?: AbortSignal): Promise<AdminUser[]> {
  const res = await api.get<{ users?: AdminUser[] }>('/users', { signal });
  return Array.isArray(res.users) ? res.users : [];
}

export const getUser = (id: number, signal?: AbortSignal) => api.get<AdminUser>(`/users/${id}`, { signal });
export const createUser = (u: { email: string; name: string; password?: string; memberships: { unit_id: number; role: string }[] }) =>
  api.post<AdminUser>('/users', u);
export const updateUser = (id: number, u: { name?: string; active?: boolean }) => api.patch<AdminUser>(`/users/${id}`, u);
export const addMembership = (id: number, unitId: number, role: string) => api.post<AdminUser>(`/users/${id}/memberships`, { unit_id: unitId, role });
export const removeMembership = (id: number, unitId: number, role: string) => api.del<AdminUser>(`/users/${id}/memberships/${unitId}/${role}`);

export interface AuditEntry {
  id: number;
  at: string;
  actor_id: number | null;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  unit_id: number | null;
  before: unknown;
  after: unknown;
  request_id: string;
  /** The acting user's name, and the object's name (plan, unit, user, file…), when the server knows them. */
  actor_name?: string;
  entity_name?: string;
}

export interface AuditFilter {
  entity?: string;
  entity_id?: string;
  actor_id?: string;
  from?: string; // RFC 3339
  to?: string;
  limit?: number;
}

export async function listAudit(f: AuditFilter, signal?: AbortSignal): Promise<AuditEntry[]> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  const res = await api.get<{ entries?: AuditEntry[] }>(`/audit${qs ? `?${qs}` : ''}`, { signal });
  return Array.isArray(res.entries) ? res.entries : [];
}

export interface OutboxItem {
  id: number;
  idempotency_key: string;
  plan_id: number | null;
  unit_id: number | null;
  recipient: string;
  template: string;
  subject: string;
  body_text: string;
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'held' | string;
  attempts: number;
  last_error: string;
  created_at: string;
  sent_at: string | null;
}

export async function listOutbox(status: string, signal?: AbortSignal): Promise<OutboxItem[]> {
  const res = await api.get<{ notifications?: OutboxItem[] }>(`/outbox${status ? `?status=${encodeURIComponent(status)}` : ''}`, { signal });
  return Array.isArray(res.notifications) ? res.notifications : [];
}

export const retryOutbox = (id: number) => api.post<{ workflow_id: string }>(`/outbox/${id}/retry`);

export interface Holiday {
  date: string;
  name: string;
  name_en?: string;
  kind: 'public_holiday' | 'compensatory' | 'extra' | string;
}

export interface AdminDay {
  date: string;
  kind: 'off' | 'work';
  name: string;
}

export interface CalendarYear {
  year: number;
  holidays: Holiday[];
  admin_days: AdminDay[];
}

export async function getCalendar(year: number, signal?: AbortSignal): Promise<CalendarYear> {
  const c = await api.get<CalendarYear>(`/calendar?year=${year}`, { signal });
  return { year: c.year ?? year, holidays: c.holidays ?? [], admin_days: c.admin_days ?? [] };
}

export const setCalendarDay = (date: string, kind: 'off' | 'work', name: string) => api.put<unknown>(`/calendar/days/${date}`, { kind, name });
export const deleteCalendarDay = (date: string) => api.del<unknown>(`/calendar/days/${date}`);

export const requestPasswordReset = (email: string) =>
  api.post<{ message?: string; message_en?: string }>('/auth/password-reset', { email }, { redirectOn401: false });
export const confirmPasswordReset = (token: string, password: string) =>
  api.post<{ message?: string; message_en?: string }>('/auth/password-reset/confirm', { token, password }, { redirectOn401: false });

// ---- what the signed-in user may see ----

/** Depth of a unit path "/1/5/" (0 for a root), as org.Depth. */
export function pathDepth(path: string | undefined): number {
  if (!path) return -1;
  return path.split('/').filter(Boolean).length - 1;
}

export interface Abilities {
  admin: boolean; // units, users, outbox
  topAdmin: boolean; // the working-day calendar
  leader: boolean; // audit log, assigning tasks
}

export function abilities(user: User | null): Abilities {
  const ms = (user?.memberships ?? []) as (Membership & { unit_path?: string })[];
  const admin = ms.some((m) => m.role === 'admin');
  return {
    admin,
    topAdmin: ms.some((m) => m.role === 'admin' && pathDepth(m.unit_path) === 0),
    leader: ms.some((m) => m.role === 'admin' || m.role === 'leader'),
  };
}
