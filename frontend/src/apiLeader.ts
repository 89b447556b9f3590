// The leader's plan actions: amend, cancel, delete a draft, remind now,
// earlier revisions, a report waived or given a new deadline, a unit's own
// plan drafted from its allocation (…/cascade).
import { api, getPlan, type PlanDocument } from './api';
import type { operations } from './api-schema';
import type { EditablePlan, ReportDetail } from './apiReporting';

export function amendPlan(id: number | string, reason: string, plan: EditablePlan): Promise<PlanDocument> {
  return api.post<PlanDocument>(`/plans/${id}/amend`, { reason, plan });
}

export function cancelPlan(id: number | string, reason: string): Promise<PlanDocument> {
  return api.post<PlanDocument>(`/plans/${id}/cancel`, { reason });
}

export function deleteDraftPlan(id: number | string): Promise<void> {
  return api.del<void>(`/plans/${id}`);
}

export function remindPlan(id: number | string): Promise<{ workflow_id: string; at: string }> {
  return api.post(`/plans/${id}/remind`);
}

export interface RevisionInfo {
  revision: number;
  reason: string;
  created_by: number | null;
  created_at: string;
}

export async function listRevisions(id: number | string, signal?: AbortSignal): Promise<{ revision: number; revisions: RevisionInfo[] }> {
  const res = await api.get<{ revision?: number; revisions?: RevisionInfo[] }>(`/plans/${id}/revisions`, { signal });
  return { revision: res.revision ?? 1, revisions: Array.isArray(res.revisions) ? res.revisions : [] };
}

export interface RevisionSnapshot extends RevisionInfo {
  plan: PlanDocument;
}

export async function getRevision(id: number | string, revision: number, signal?: AbortSignal): Promise<RevisionSnapshot> {
  const res = await api.get<RevisionSnapshot>(`/plans/${id}/revisions/${revision}`, { signal });
  const p = res.plan ?? ({} as PlanDocument);
  return {
    ...res,
    plan: { ...p, unit_ids: p.unit_ids ?? [], targets: p.targets ?? [], task_groups: (p.task_groups ?? []).map((g) => ({ ...g, tasks: g.tasks ?? [] })), cycles: p.cycles ?? [] },
  };
}

export function waiveReport(id: number | string, reason: string): Promise<ReportDetail> {
  return api.post<ReportDetail>(`/reports/${id}/waive`, { reason });
}

export function moveReportDeadline(id: number | string, dueOn: string): Promise<ReportDetail> {
  return api.post<ReportDetail>(`/reports/${id}/deadline`, { due_on: dueOn });
}

export type RedateAnswer = operations['redatePlanCycles']['responses'][200]['content']['application/json'];

/** Every open report of the plan re-dated in one call: shifted by days, or the annual reports set to a day (dd/mm). */
export function redateCycles(id: number | string, rule: { shift_days: number } | { due_day: string }): Promise<RedateAnswer> {
  return api.post<RedateAnswer>(`/plans/${id}/cycles/redate`, rule);
}

export async function cascadePlan(id: number | string, unitId: number, title?: string): Promise<PlanDocument> {
  const p = await api.post<PlanDocument>(`/plans/${id}/cascade`, { unit_id: unitId, ...(title ? { title } : {}) });
  return getPlan(p.id);
}

/** Report statuses a reminder goes to (PendingReports in the store). */
export const REMINDED_STATUSES = ['pending', 'draft', 'returned'];
/** Reports still open: they may be waived or given a new deadline. */
export const OPEN_REPORT_STATUSES = ['pending', 'draft', 'returned'];
