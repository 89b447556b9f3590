// Tasks (/api/v1/tasks…) and attachments, as agreed in the contracts: a unit's
// task with its plan, who assigned it, supporting units, result, evidence,
// contributions and history; ad-hoc tasks assigned by leaders.
import { api } from './api';
import type { components } from './api-schema';

/** A unit named by a task: the spec's UnitRef (api/openapi.yaml). */
export type Named = components['schemas']['UnitRef'];

export interface Attachment {
  id: number;
  filename: string;
  content_type?: string;
  size_bytes?: number;
  sha256?: string;
  created_at?: string;
}

/** "by" may be a name or a {id,name}; the contract leaves it open. */
export type Actor = string | Named | null | undefined;

export function actorName(by: Actor): string {
  if (!by) return '';
  return typeof by === 'string' ? by : by.name;
}

export interface Contribution {
  id: number;
  unit: Named;
  text: string;
  by?: Actor;
  at?: string;
}

export interface TaskEvent {
  action: string;
  comment?: string;
  due_on?: string | null;
  by?: Actor;
  at?: string;
}

export type TaskStatus = 'assigned' | 'in_progress' | 'done' | 'confirmed' | 'waived' | 'cancelled';

export interface TaskDetail {
  id: number;
  kind: 'report' | 'unit_plan' | 'task' | string;
  title: string;
  description?: string;
  status: TaskStatus | string;
  due_on: string | null;
  recurrence?: string;
  plan: { id: number; title: string } | null;
  unit: Named;
  assigned_by?: Named | null;
  supporting_units: Named[];
  result?: string;
  attachments: Attachment[];
  contributions: Contribution[];
  history: TaskEvent[];
  can_act: boolean;
  can_confirm: boolean;
  can_contribute: boolean;
}

function normalizeTask(t: TaskDetail): TaskDetail {
  return {
    ...t,
    supporting_units: t.supporting_units ?? [],
    attachments: t.attachments ?? [],
    contributions: t.contributions ?? [],
    history: t.history ?? [],
    can_act: !!t.can_act,
    can_confirm: !!t.can_confirm,
    can_contribute: !!t.can_contribute,
  };
}

export async function getTask(id: number | string, signal?: AbortSignal): Promise<TaskDetail> {
  return normalizeTask(await api.get<TaskDetail>(`/tasks/${id}`, { signal }));
}

export interface NewTask {
  unit_id: number;
  title: string;
  description: string;
  due_on: string;
  supporting_unit_ids: number[];
}

export async function createTask(body: NewTask): Promise<TaskDetail> {
  return normalizeTask(await api.post<TaskDetail>('/tasks', body));
}

const action = async (id: number, name: string, body?: unknown) => normalizeTask(await api.post<TaskDetail>(`/tasks/${id}/${name}`, body ?? {}));

export const startTask = (id: number) => action(id, 'start');
export const completeTask = (id: number, result: string, attachmentIds: number[]) => action(id, 'complete', { result, attachment_ids: attachmentIds });
export const confirmTask = (id: number) => action(id, 'confirm');
export const returnTask = (id: number, comment: string, dueOn: string) => action(id, 'return', { comment, due_on: dueOn });
export const addContribution = (id: number, text: string) => action(id, 'contributions', { text });

/** One row of the leader's "tasks I assigned" list. */
export interface AssignedTask {
  id: number;
  kind?: string;
  title: string;
  status: string;
  due_on: string | null;
  unit_id?: number;
  unit?: Named;
  plan_id?: number | null;
  plan_title?: string | null;
  days_left?: number | null;
  /** The caller may confirm the done task or send it back. */
  can_confirm?: boolean;
}

export async function listAssignedTasks(opts: { unitId?: number; status?: string; signal?: AbortSignal } = {}): Promise<AssignedTask[]> {
  const q = new URLSearchParams();
  if (opts.unitId) q.set('assigned_by_unit_id', String(opts.unitId));
  if (opts.status) q.set('status', opts.status);
  const qs = q.toString();
  const res = await api.get<{ tasks?: AssignedTask[] }>(`/tasks${qs ? `?${qs}` : ''}`, { signal: opts.signal });
  return Array.isArray(res.tasks) ? res.tasks : [];
}

/** POST /attachments (multipart): evidence for a unit task or a report. */
export function uploadAttachment(file: File, ownerKind: 'unit_task' | 'report', ownerId: number): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file);
  form.append('owner_kind', ownerKind);
  form.append('owner_id', String(ownerId));
  return api.post<Attachment>('/attachments', form);
}

export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`;
