// JSON client for the Cascade API (/api/v1). Same-origin cookie session;
// mutating requests carry the CSRF token from the `cascade_csrf` cookie.
import type { components } from './api-schema';
import { getLang, translate, type Lang, type MessageKey } from './i18n';

export const API_BASE = '/api/v1';
export const CSRF_COOKIE = 'cascade_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
export const LOGIN_PATH = '/login';

/** Error body every API handler answers with: the spec's Error (api/openapi.yaml). */
export type ApiErrorBody = components['schemas']['Error'];

interface ApiErrorInit {
  status: number;
  code: string;
  messageVi?: string;
  messageEn?: string;
  fieldsVi?: Record<string, string>;
  fieldsEn?: Record<string, string>;
}

/** Client-side codes for failures that have no server error body. */
export const NETWORK_ERROR = 'network_error';
export const BAD_RESPONSE = 'bad_response';

export class ApiError extends Error {
  readonly status: number; // 0 when the server could not be reached
  readonly code: string;
  readonly messageVi?: string;
  readonly messageEn?: string;
  readonly fieldsVi: Record<string, string>;
  readonly fieldsEn: Record<string, string>;

  constructor(init: ApiErrorInit) {
    super('');
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.messageVi = init.messageVi || undefined;
    this.messageEn = init.messageEn || undefined;
    this.fieldsVi = init.fieldsVi ?? {};
    this.fieldsEn = init.fieldsEn ?? {};
    this.message = this.messageFor(getLang());
  }

  /** The message in `lang`: the server's own, else the other language's, else a generic one. */
  messageFor(lang: Lang): string {
    const own = lang === 'en' ? this.messageEn : this.messageVi;
    const other = lang === 'en' ? this.messageVi : this.messageEn;
    return own ?? other ?? translate(lang, genericKey(this.status, this.code), { status: this.status });
  }

  /** Field messages in `lang` (English ones fall back to the Vietnamese text). */
  fieldsFor(lang: Lang): Record<string, string> {
    return lang === 'en' ? { ...this.fieldsVi, ...this.fieldsEn } : { ...this.fieldsEn, ...this.fieldsVi };
  }

  get fields(): Record<string, string> {
    return this.fieldsFor(getLang());
  }

  get hasFieldErrors(): boolean {
    return Object.keys(this.fieldsVi).length + Object.keys(this.fieldsEn).length > 0;
  }
}

function genericKey(status: number, code: string): MessageKey {
  if (status === 0 || code === NETWORK_ERROR) return 'error.network';
  if (status === 401) return 'error.unauthorized';
  if (status === 403) return 'error.forbidden';
  if (status === 404) return 'error.notFound';
  if (status >= 500) return 'error.server';
  return 'error.unexpected';
}

/** Turns anything thrown into an ApiError (for code that catches unknown errors). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof TypeError) return new ApiError({ status: 0, code: NETWORK_ERROR });
  return new ApiError({ status: 0, code: BAD_RESPONSE });
}

function isErrorBody(v: unknown): v is ApiErrorBody {
  if (!v || typeof v !== 'object') return false;
  const e = (v as { error?: unknown }).error;
  return !!e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string';
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Builds the ApiError for a non-2xx answer from its (possibly absent) JSON body. */
export function errorFromBody(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) {
    const e = body.error;
    return new ApiError({
      status,
      code: e.code,
      messageVi: typeof e.message === 'string' ? e.message : undefined,
      messageEn: typeof e.message_en === 'string' ? e.message_en : undefined,
      fieldsVi: stringMap(e.fields),
      fieldsEn: stringMap(e.fields_en),
    });
  }
  return new ApiError({ status, code: `http_${status}` });
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}

// ---- 401 handling: go to the sign-in page, come back afterwards ----------

/**
 * Where to go after signing in: a path of this site, not /login itself. Browsers drop tabs
 * and newlines from URLs and read `\` as `/`, so `/\t/evil.example` would
 * become `//evil.example`, another site: anything but a plain same-origin
 * path is refused.
 */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || raw.length > 2000 || !raw.startsWith('/') || raw.includes('//') || raw.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return '/';
  try {
    const base = 'https://cascade.invalid';
    if (new URL(raw, base).origin !== base) return '/';
  } catch {
    return '/';
  }
  if (raw === LOGIN_PATH || raw.startsWith(LOGIN_PATH + '?') || raw.startsWith(LOGIN_PATH + '/')) return '/';
  return raw;
}

export function loginUrl(next: string): string {
  const safe = safeNext(next);
  return safe === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(safe)}`;
}

type UnauthorizedHandler = (next: string) => void;
let onUnauthorized: UnauthorizedHandler = (next) => window.location.assign(loginUrl(next));

/** The app installs its router's navigate here; the default reloads the page. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): () => void {
  const previous = onUnauthorized;
  onUnauthorized = handler;
  return () => {
    onUnauthorized = previous;
  };
}

function currentPath(): string {
  const { pathname, search, hash } = window.location;
  return pathname + search + hash;
}

// ---- requests -------------------------------------------------------------

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Send the user to the sign-in page on 401 (default true). */
  redirectOn401?: boolean;
}

/** `path` is relative to /api/v1 ("/me"), or absolute under /api/. */
export function apiUrl(path: string): string {
  if (path.startsWith('/api/')) return path;
  return API_BASE + (path.startsWith('/') ? path : `/${path}`);
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let body: string | FormData | undefined;
  if (typeof FormData !== 'undefined' && opts.body instanceof FormData) {
    body = opts.body; // multipart: the browser sets Content-Type with its boundary
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET') {
    const token = readCookie(CSRF_COOKIE);
    if (token) headers[CSRF_HEADER] = token;
  }

  let res: Response;
  try {
    res = await fetch(apiUrl(path), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: NETWORK_ERROR });
  }

  const isJson = (res.headers.get('Content-Type') ?? '').includes('json');
  let data: unknown = undefined;
  if (res.status !== 204 && isJson) {
    try {
      data = await res.json();
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    const err = errorFromBody(res.status, data);
    if (res.status === 401 && opts.redirectOn401 !== false && window.location.pathname !== LOGIN_PATH) {
      onUnauthorized(currentPath());
    }
    throw err;
  }
  if (res.status === 204) return undefined as T;
  if (!isJson || data === undefined) throw new ApiError({ status: res.status, code: BAD_RESPONSE });
  return data as T;
}

export const api = {
  get: <T>(path: string, opts?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, { ...opts, method: 'GET' }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, { ...opts, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, { ...opts, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, { ...opts, method: 'PATCH', body }),
  del: <T>(path: string, opts?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, { ...opts, method: 'DELETE' }),
};

// ---- endpoints --------------------------------------------------------------

export interface Membership {
  unit_id: number;
  unit_name: string;
  role: string;
}

export interface User {
  id: number;
  email: string;
  name: string;
  memberships: Membership[];
}

export async function login(email: string, password: string, signal?: AbortSignal): Promise<User> {
  const res = await api.post<{ user: User }>('/auth/login', { email, password }, { signal, redirectOn401: false });
  return normalizeUser(res.user);
}

/** Ends this session on the server (POST /auth/logout: the session row is deleted, the cookies cleared). */
export async function logout(): Promise<void> {
  await api.post<void>('/auth/logout', undefined, { redirectOn401: false });
}

/** The signed-in user; throws ApiError 401 when nobody is (without redirecting unless asked). */
export async function getMe(opts: { signal?: AbortSignal; redirectOn401?: boolean } = {}): Promise<User> {
  const res = await api.get<{ user?: User } & Partial<User>>('/me', { signal: opts.signal, redirectOn401: opts.redirectOn401 ?? false });
  return normalizeUser(res.user ?? (res as User));
}

function normalizeUser(u: User | undefined): User {
  if (!u || typeof u !== 'object' || typeof u.email !== 'string') throw new ApiError({ status: 200, code: BAD_RESPONSE });
  return { ...u, name: u.name || u.email, memberships: Array.isArray(u.memberships) ? u.memberships : [] };
}

/** GET /readyz: 200 {"status":"ok","checks":{…}} or 503 with the failing check(s). */
export interface Readiness {
  ready: boolean;
  httpStatus: number;
  status: string;
  checks: Record<string, string>;
}

export async function getReadiness(signal?: AbortSignal): Promise<Readiness> {
  let res: Response;
  try {
    res = await fetch('/readyz', { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store', signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: NETWORK_ERROR });
  }
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  const body = data && typeof data === 'object' ? (data as { status?: unknown; checks?: unknown }) : undefined;
  if ((res.ok || res.status === 503) && body && typeof body.status === 'string') {
    const checks: Record<string, string> = {};
    if (body.checks && typeof body.checks === 'object') {
      for (const [k, v] of Object.entries(body.checks)) checks[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    return { ready: res.ok && body.status === 'ok', httpStatus: res.status, status: body.status, checks };
  }
  throw res.ok ? new ApiError({ status: res.status, code: BAD_RESPONSE }) : errorFromBody(res.status, data);
}

// ---- inbox, reports, plans ---------------------------------------------------

/** A unit's inbox item (GET /units/:id/tasks). */
export interface UnitTask {
  id: number;
  plan_id: number | null;
  unit_id: number;
  kind: 'report' | 'unit_plan' | 'task' | string;
  report_id: number | null;
  task_id: number | null;
  title: string;
  status: string; // assigned, in_progress, done, confirmed, waived, cancelled
  due_on: string | null;
  created_at?: string;
}

export const CLOSED_TASK_STATUSES = ['done', 'confirmed', 'waived', 'cancelled'];

export async function getUnitTasks(unitId: number, signal?: AbortSignal): Promise<UnitTask[]> {
  const res = await api.get<{ tasks?: UnitTask[] }>(`/units/${unitId}/tasks`, { signal });
  return Array.isArray(res.tasks) ? res.tasks : [];
}

/** One figure: a count as value, or a percentage as numerator over denominator. */
export interface ReportValue {
  target_id: number;
  value?: number;
  numerator?: number;
  denominator?: number;
}

export interface Report {
  id: number;
  plan_id: number;
  cycle_id: number;
  unit_id: number;
  status: 'pending' | 'draft' | 'submitted' | 'returned' | 'accepted' | 'waived' | string;
  due_on: string;
  submitted_at?: string | null;
  values: ReportValue[];
}

export const READ_ONLY_REPORT_STATUSES = ['submitted', 'accepted', 'waived'];

export function getReport(id: number | string, signal?: AbortSignal): Promise<Report> {
  return api.get<Report>(`/reports/${id}`, { signal });
}

export function submitReport(id: number | string, values: ReportValue[]): Promise<Report> {
  return api.post<Report>(`/reports/${id}/submit`, { values });
}

export interface Span {
  start: number;
  end: number;
}

export interface Target {
  id?: number;
  text: string;
  value: number;
  unit?: string;
  direction?: 'at_least' | 'at_most' | 'exactly' | string;
  measure?: 'count' | 'percent' | string;
  baseline?: number | null;
  parent?: number | null;
  source?: Span | null;
  needs_review?: boolean;
  review_note?: string;
}

export interface PlanTask {
  id?: number;
  text: string;
  due_on?: string | null;
  recurrence?: string;
  expected_output?: string;
  lead_unit_ids?: number[];
  support_unit_ids?: number[];
  source?: Span | null;
  needs_review?: boolean;
  review_note?: string;
}

export interface TaskGroup {
  id?: number;
  heading: string;
  source?: Span | null;
  tasks: PlanTask[];
}

export interface Cycle {
  id?: number;
  kind: string;
  year: number;
  due_on: string;
}

/** A plan as listed by GET /plans. */
export interface PlanSummary {
  id: number;
  code: string;
  title: string;
  issuer_unit_id: number;
  status: 'draft' | 'issued' | 'closed' | 'cancelled' | string;
  issued_on?: string | null;
  term_start_year: number;
  term_end_year: number;
  /** The plan this one carries out (a unit's own plan drafted from its allocation). */
  parent_id?: number | null;
}

/** One rung of a plan's escalation ladder: days from the due date (negative before it), who, which message. */
export interface EscalationStep {
  offset_days: number;
  audiences: string[]; // unit, unit_leader, supervising_board, standing_committee
  template: string; // reminder_before_due, reminder_due_today, escalation_unit_leader, escalation_standing_committee
  kind: string; // reminder | escalation
}

/** A plan's escalation ladder; the last step repeats every repeat_every_days days, at most max_repeats times. */
export interface EscalationPolicy {
  steps: EscalationStep[];
  repeat_every_days: number;
  max_repeats: number;
}

/** A whole plan (GET /plans/:id). */
export interface PlanDocument extends PlanSummary {
  place?: string;
  revision?: number;
  source_name?: string;
  source_text?: string;
  unit_ids: number[];
  /** Every unit the plan names, also those outside the caller's scope. */
  unit_names?: Unit[];
  targets: Target[];
  task_groups: TaskGroup[];
  cycles: Cycle[];
  /** The distribution list (Nơi nhận) as the document gives it. */
  recipients?: { text: string }[];
  /** Always sent by a server that knows it (the default ladder when the plan has none). */
  escalation_policy?: EscalationPolicy | null;
}

function normalizePlan(p: PlanDocument): PlanDocument {
  return {
    ...p,
    unit_ids: p.unit_ids ?? [],
    targets: p.targets ?? [],
    task_groups: (p.task_groups ?? []).map((g) => ({ ...g, tasks: g.tasks ?? [] })),
    cycles: p.cycles ?? [],
  };
}

export async function listPlans(signal?: AbortSignal): Promise<PlanSummary[]> {
  const res = await api.get<{ plans?: PlanSummary[] }>('/plans', { signal });
  return Array.isArray(res.plans) ? res.plans : [];
}

export async function getPlan(id: number | string, opts: { source?: boolean; signal?: AbortSignal } = {}): Promise<PlanDocument> {
  const p = await api.get<PlanDocument>(`/plans/${id}${opts.source ? '?include=source' : ''}`, { signal: opts.signal });
  return normalizePlan(p);
}

/** A plan named by a warning (a re-imported document's plan). */
export interface PlanRef {
  id: number;
  code: string;
  title: string;
  status: string;
}

/** An import of a PDF, scan or old Word file, read page by page by a job. */
export interface ImportJob {
  id: number;
  file_name: string;
  format: string;
  status: 'queued' | 'converting' | 'reading' | 'ocr' | 'saving' | 'done' | 'failed';
  pages_total: number;
  pages_done: number;
  plan_id: number | null;
  existing_plan: PlanRef | null;
  error: { code: string; message: string; message_en: string } | null;
}

/** What an upload gives: the draft at once (.docx, .txt, .md), or a job. */
export type ImportResult = { kind: 'plan'; plan: PlanDocument; existing: PlanRef | null } | { kind: 'job'; job: ImportJob };

/** Uploads a plan document; the issuing unit goes in the query, checked before the file is read. */
export async function importPlan(file: File, issuerUnitId: number): Promise<ImportResult> {
  const form = new FormData();
  form.append('file', file);
  form.append('issuer_unit_id', String(issuerUnitId));
  const res = await api.post<PlanDocument & { existing_plan?: PlanRef | null; pages_total?: number }>(
    `/plans/import?issuer_unit_id=${issuerUnitId}`,
    form,
  );
  if (res && typeof res === 'object' && 'pages_total' in res && !('targets' in res)) {
    return { kind: 'job', job: res as unknown as ImportJob };
  }
  return { kind: 'plan', plan: normalizePlan(res), existing: res.existing_plan ?? null };
}

/** How far an import job has come. */
export function getImportJob(id: number, signal?: AbortSignal): Promise<ImportJob> {
  return api.get<ImportJob>(`/import-jobs/${id}`, { signal });
}

export function issuePlan(id: number | string): Promise<PlanSummary> {
  return api.post<PlanSummary>(`/plans/${id}/issue`);
}

export interface Unit {
  id: number;
  name: string;
  short_name?: string;
  kind?: string;
}

/** Units in the caller's scope (for names); an empty list when not allowed. */
export async function listUnits(signal?: AbortSignal): Promise<Unit[]> {
  const res = await api.get<{ units?: Unit[] }>('/units?limit=5000', { signal });
  return Array.isArray(res.units) ? res.units : [];
}

/** Roles that may import and issue plans. */
export function isLeaderRole(role: string): boolean {
  return role === 'leader' || role === 'admin';
}
