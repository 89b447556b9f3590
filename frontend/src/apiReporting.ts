// Endpoints of the reporting side (CONTRACTS.md, "Reporting branch"): the
// report form's draft and attachments, the review queue, the leader's
// dashboard and exports, the plan editor's save, the plan timeline.
import { api, apiUrl, type PlanDocument, type ReportValue } from './api';
import type { components } from './api-schema';

/** A unit named by another object: the spec's UnitRef (api/openapi.yaml). */
export type UnitRef = components['schemas']['UnitRef'];

export interface CycleRef {
  id: number;
  kind: 'annual' | 'semiannual' | 'midterm' | 'final' | string;
  year: number;
  due_on?: string;
}

// ---- report form -------------------------------------------------------------

export interface Attachment {
  id: number;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256?: string;
  created_at?: string;
}

export interface ReportTarget {
  id: number;
  text: string;
  unit?: string;
  measure?: 'count' | 'percent' | string;
  direction?: 'at_least' | 'at_most' | 'exactly' | string;
  value: number | null; // the plan's target
  allocation: number | null; // this unit's share
  previous?: { value?: number | null; numerator?: number | null; denominator?: number | null } | null;
}

export interface Narrative {
  task_group_id: number;
  text: string;
}

export interface Warning {
  field: string;
  message: string;
  message_en?: string;
}

/** A decision of the reviewing side (accept, return with a new deadline, …). */
export interface ReviewNote {
  id?: number;
  action: string;
  comment: string;
  due_on?: string | null;
  by_user?: number | null;
  at?: string;
}

/** GET /reports/:id as extended for the report form (old fields kept). */
export interface ReportDetail {
  id: number;
  plan_id: number;
  cycle_id: number;
  unit_id: number;
  status: 'pending' | 'draft' | 'submitted' | 'returned' | 'accepted' | 'waived' | string;
  due_on: string;
  submitted_at?: string | null;
  values: ReportValue[];
  plan_title?: string;
  plan_code?: string;
  unit?: UnitRef;
  cycle?: CycleRef;
  targets?: ReportTarget[];
  task_groups?: { id: number; heading: string }[];
  narratives?: Narrative[];
  draft?: { values: ReportValue[]; narratives: Narrative[]; saved_at?: string } | null;
  attachments?: Attachment[];
  warnings?: Warning[];
  can_submit?: boolean;
  can_review?: boolean;
  /** Decisions of the reviewing side, oldest first (a returned report shows their comments). */
  reviews?: ReviewNote[];
  /** The last return of a report now returned; target_ids are the targets its comment names. */
  returned?: { comment: string; due_on?: string | null; at?: string; target_ids: number[] } | null;
  /** Targets the submitted figures leave empty: no data (not 0). */
  no_data?: number[];
}

export function getReportDetail(id: number | string, signal?: AbortSignal): Promise<ReportDetail> {
  return api.get<ReportDetail>(`/reports/${id}`, { signal });
}

export function saveReportDraft(id: number | string, values: ReportValue[], narratives: Narrative[]): Promise<ReportDetail> {
  return api.put<ReportDetail>(`/reports/${id}/draft`, { values, narratives });
}

/** Submits; narratives are left out of the body when the report has no task groups. */
export function submitReportFull(id: number | string, values: ReportValue[], narratives?: Narrative[]): Promise<ReportDetail> {
  return api.post<ReportDetail>(`/reports/${id}/submit`, narratives ? { values, narratives } : { values });
}

export function uploadAttachment(file: File, ownerKind: 'report' | 'unit_task', ownerId: number): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file);
  form.append('owner_kind', ownerKind);
  form.append('owner_id', String(ownerId));
  return api.post<Attachment>('/attachments', form);
}

export function deleteAttachment(id: number): Promise<void> {
  return api.del<void>(`/attachments/${id}`);
}

export const attachmentUrl = (id: number) => apiUrl(`/attachments/${id}`);

// ---- review queue --------------------------------------------------------------

export interface ReportListItem {
  id: number;
  plan_id: number;
  plan_title: string;
  unit: UnitRef;
  cycle: CycleRef;
  status: string;
  due_on: string;
  submitted_at?: string | null;
  /** The caller may accept or return it now (they lead its plan's issuer or a unit above it). */
  can_review?: boolean;
}

export async function listReports(q: { status?: string; plan_id?: number; unit_id?: number }, signal?: AbortSignal): Promise<ReportListItem[]> {
  const params = new URLSearchParams();
  if (q.status) params.set('status', q.status);
  if (q.plan_id) params.set('plan_id', String(q.plan_id));
  if (q.unit_id) params.set('unit_id', String(q.unit_id));
  const res = await api.get<{ reports?: ReportListItem[] }>(`/reports?${params}`, { signal });
  return Array.isArray(res.reports) ? res.reports : [];
}

export function acceptReport(id: number | string, comment: string): Promise<ReportDetail> {
  return api.post<ReportDetail>(`/reports/${id}/accept`, { comment });
}

export function returnReport(id: number | string, comment: string, dueOn: string): Promise<ReportDetail> {
  return api.post<ReportDetail>(`/reports/${id}/return`, dueOn ? { comment, due_on: dueOn } : { comment });
}

// ---- dashboard -------------------------------------------------------------------

export type TargetStatus = 'on_track' | 'at_risk' | 'off_track' | 'no_data' | string;

export interface Completeness {
  expected: number;
  received: number;
  on_time: number;
  completeness: number; // 0..1
  timeliness: number; // 0..1
}

export interface DashboardTarget {
  id: number;
  text: string;
  unit?: string;
  measure?: 'count' | 'percent' | string;
  direction?: string;
  target: number | null;
  baseline?: number | null;
  actual: number | null;
  numerator?: number | null;
  denominator?: number | null;
  progress: number | null; // 0..1
  status: TargetStatus;
  by_year: { year: number; actual: number | null }[];
}

export interface Dashboard {
  plan: { id: number; code: string; title: string; term_start_year: number; term_end_year: number };
  unit: UnitRef;
  cycles: CycleRef[];
  completeness: Completeness;
  targets: DashboardTarget[];
  children: { unit: UnitRef; completeness: number; timeliness: number }[];
}

function scopeQuery(unitId?: number | null, cycleId?: number | null): string {
  const params = new URLSearchParams();
  if (unitId) params.set('unit_id', String(unitId));
  if (cycleId) params.set('cycle_id', String(cycleId));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export async function getDashboard(planId: number | string, unitId: number | null, cycleId: number | null, signal?: AbortSignal): Promise<Dashboard> {
  const d = await api.get<Dashboard>(`/plans/${planId}/dashboard${scopeQuery(unitId, cycleId)}`, { signal });
  return {
    ...d,
    cycles: d.cycles ?? [],
    targets: (d.targets ?? []).map((t) => ({ ...t, by_year: t.by_year ?? [] })),
    children: d.children ?? [],
  };
}

export interface Breakdown {
  target: DashboardTarget;
  units: { unit: UnitRef; allocation: number | null; actual: number | null; numerator?: number | null; denominator?: number | null; progress: number | null; status: TargetStatus }[];
  years: { year: number; actual: number | null }[];
}

export async function getBreakdown(planId: number | string, targetId: number, unitId: number | null, signal?: AbortSignal): Promise<Breakdown> {
  const b = await api.get<Breakdown>(`/plans/${planId}/targets/${targetId}/breakdown${scopeQuery(unitId)}`, { signal });
  return { ...b, units: b.units ?? [], years: b.years ?? [] };
}

export type CellStatus = 'pending' | 'draft' | 'submitted' | 'returned' | 'accepted' | 'waived' | 'late' | 'none' | string;

export interface Matrix {
  cycles: CycleRef[];
  units: { unit: UnitRef; cells: { cycle_id: number; status: CellStatus; submitted_at?: string | null; days_late?: number | null }[] }[];
}

export async function getMatrix(planId: number | string, unitId: number | null, cycleId: number | null, signal?: AbortSignal): Promise<Matrix> {
  const m = await api.get<Matrix>(`/plans/${planId}/matrix${scopeQuery(unitId, cycleId)}`, { signal });
  return { cycles: m.cycles ?? [], units: (m.units ?? []).map((u) => ({ ...u, cells: u.cells ?? [] })) };
}

export interface LateReport {
  report_id: number;
  unit: UnitRef;
  cycle: CycleRef;
  due_on: string;
  days_late: number;
  last_notification: { template: string; recipient: string; sent_at: string | null } | null;
}

export async function getLate(planId: number | string, unitId: number | null, cycleId: number | null, signal?: AbortSignal): Promise<LateReport[]> {
  const res = await api.get<{ late?: LateReport[] }>(`/plans/${planId}/late${scopeQuery(unitId, cycleId)}`, { signal });
  return res.late ?? [];
}

export interface ReviewDossier {
  id: number;
  cycle: CycleRef;
  compiled_at: string;
}

export async function listReviews(planId: number | string, signal?: AbortSignal): Promise<ReviewDossier[]> {
  const res = await api.get<{ reviews?: ReviewDossier[] }>(`/plans/${planId}/reviews`, { signal });
  return res.reviews ?? [];
}

export function compileReview(planId: number | string, cycleId: number): Promise<ReviewDossier> {
  return api.post<ReviewDossier>(`/plans/${planId}/reviews`, { cycle_id: cycleId });
}

export const exportUrl = (planId: number | string, unitId?: number | null) => apiUrl(`/plans/${planId}/export.xlsx${scopeQuery(unitId)}`);
export const reviewDocxUrl = (reviewId: number) => apiUrl(`/reviews/${reviewId}/report.docx`);

// ---- plan editor and timeline -------------------------------------------------------

/** The editable document as PUT /plans/:id takes it (value may be null while being typed). */
export interface EditablePlan extends Omit<PlanDocument, 'targets'> {
  targets: (PlanDocument['targets'][number] & { allocations?: { unit_id: number; value: number }[] })[];
  [extra: string]: unknown;
}

export async function savePlan(id: number | string, plan: EditablePlan): Promise<PlanDocument> {
  return api.put<PlanDocument>(`/plans/${id}`, plan);
}

export interface TimelineCycle {
  id: number;
  kind: string;
  year: number;
  due_on: string;
  reports: { expected: number; pending: number; submitted: number; returned: number; accepted: number; waived: number; late: number };
}

export interface SentEmail {
  at: string;
  sent_at: string | null;
  template: string;
  recipient: string;
  unit_id: number | null;
  unit_name: string | null;
  status: string;
}

export interface Timeline {
  plan_id: number;
  status: string;
  escalations_paused: boolean;
  cycles: TimelineCycle[];
  sent: SentEmail[];
  next: { date: string; template: string; kind: string; units: number }[];
}

export async function getTimeline(planId: number | string, signal?: AbortSignal): Promise<Timeline> {
  const t = await api.get<Timeline>(`/plans/${planId}/timeline`, { signal });
  return { ...t, cycles: t.cycles ?? [], sent: t.sent ?? [], next: t.next ?? [] };
}

export function setEscalationsPaused(planId: number | string, paused: boolean): Promise<{ plan_id: number; escalations_paused: boolean }> {
  return api.post(`/plans/${planId}/escalations`, { paused });
}
