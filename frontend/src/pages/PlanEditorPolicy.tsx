// The plan editor's escalation ladder ("đôn đốc, nhắc nhở"): the steps of
// escalation_policy (days from the due date, audiences, template, kind), the
// repetition of the last step, and "restore default". A 422's
// escalation_policy.* fields are shown at their inputs.
import type { EscalationPolicy } from '../api';
import { formatNumber } from '../format';
import { isMessageKey, translate, useLang, useT, type Lang, type T } from '../i18n';
import type { Problem } from '../planProblems';
import { FieldError, newKey, problemText, TextField } from './editorFields';

export const AUDIENCES = ['unit', 'unit_leader', 'supervising_board', 'standing_committee'];
export const STEP_TEMPLATES = ['reminder_before_due', 'reminder_due_today', 'escalation_unit_leader', 'escalation_standing_committee'];
export const STEP_KINDS = ['reminder', 'escalation'];

/** What the server uses for a plan without a policy of its own. */
export const DEFAULT_POLICY: EscalationPolicy = {
  steps: [
    { offset_days: -7, audiences: ['unit'], template: 'reminder_before_due', kind: 'reminder' },
    { offset_days: 0, audiences: ['unit'], template: 'reminder_due_today', kind: 'reminder' },
    { offset_days: 3, audiences: ['unit_leader'], template: 'escalation_unit_leader', kind: 'escalation' },
    { offset_days: 7, audiences: ['supervising_board', 'standing_committee'], template: 'escalation_standing_committee', kind: 'escalation' },
  ],
  repeat_every_days: 7,
  max_repeats: 12,
};

export interface EdStep {
  k: string;
  offset: string; // typed days from the due date
  audiences: string[];
  template: string;
  kind: string;
}

export interface EdPolicy {
  steps: EdStep[];
  repeat: string;
  max: string;
  /** Changed in the editor (so it is sent even to a server whose GET did not return one). */
  touched: boolean;
}

export function toEdPolicy(p: EscalationPolicy | null | undefined, touched = false): EdPolicy {
  const src = p && Array.isArray(p.steps) ? p : DEFAULT_POLICY;
  return {
    steps: src.steps.map((s) => ({ k: newKey('s'), offset: String(s.offset_days), audiences: [...(s.audiences ?? [])], template: s.template ?? '', kind: s.kind ?? '' })),
    repeat: String(src.repeat_every_days ?? 0),
    max: String(src.max_repeats ?? 0),
    touched,
  };
}

const INT = /^\s*[-+]?\d+\s*$/;
const int = (s: string) => (INT.test(s) ? parseInt(s, 10) : NaN);

/** The policy as PUT /plans/:id takes it; with no repetition, max_repeats is 0. */
export function fromEdPolicy(e: EdPolicy): EscalationPolicy {
  const repeat = int(e.repeat);
  return {
    steps: e.steps.map((s) => ({ offset_days: int(s.offset), audiences: s.audiences, template: s.template, kind: s.kind })),
    repeat_every_days: repeat,
    max_repeats: repeat === 0 ? 0 : int(e.max),
  };
}

/** Numbers that are not whole numbers, in the server's field paths and in both languages (the ranges are the server's to check). */
export function policyInputErrors(e: EdPolicy): { vi: Record<string, string>; en: Record<string, string> } | null {
  const paths: string[] = [];
  e.steps.forEach((s, i) => {
    if (Number.isNaN(int(s.offset))) paths.push(`escalation_policy.steps[${i}].offset_days`);
  });
  const repeat = int(e.repeat);
  if (Number.isNaN(repeat)) paths.push('escalation_policy.repeat_every_days');
  if (repeat !== 0 && Number.isNaN(int(e.max))) paths.push('escalation_policy.max_repeats');
  if (paths.length === 0) return null;
  const msg = (lang: Lang) => Object.fromEntries(paths.map((p) => [p, translate(lang, 'editor.wholeNumber')]));
  return { vi: msg('vi'), en: msg('en') };
}

/** "7 ngày trước hạn", "đúng hạn", "3 ngày sau hạn". */
export function offsetLabel(days: number, t: T, lang: Lang): string {
  if (days === 0) return t('editor.offsetOn');
  const n = Math.abs(days);
  return t(days < 0 ? 'editor.offsetBefore' : 'editor.offsetAfter', { n: formatNumber(n, lang), count: n });
}

const STEP_PATH = /^escalation_policy\.steps\[(\d+)\](?:\.(.+))?$/;

export function PolicySection({
  uid,
  policy,
  onChange,
  problems,
  sentSteps,
}: {
  uid: string;
  policy: EdPolicy;
  onChange: (fn: (p: EdPolicy) => EdPolicy) => void;
  /** The plan-level problems of the last answer (their field is the whole path). */
  problems: Problem[];
  /** Keys of the steps as they were sent, to place "escalation_policy.steps[i]…" problems. */
  sentSteps: string[] | null;
}) {
  const t = useT();
  const lang = useLang();
  const byStep = new Map<string, Problem[]>();
  const general: Problem[] = [];
  for (const p of problems) {
    if (!p.field.startsWith('escalation_policy')) continue;
    const m = STEP_PATH.exec(p.field);
    const k = m ? sentSteps?.[+m[1]] : undefined;
    if (m && k && policy.steps.some((s) => s.k === k)) byStep.set(k, [...(byStep.get(k) ?? []), { ...p, field: m[2] ?? '' }]);
    else general.push({ ...p, field: p.field.replace(/^escalation_policy\.?/, '') });
  }
  const repeatErr = problemText(general, 'repeat_every_days');
  const maxErr = problemText(general, 'max_repeats');
  const rest = general.filter((p) => p.field !== 'repeat_every_days' && p.field !== 'max_repeats');

  const change = (fn: (p: EdPolicy) => EdPolicy) => onChange((p) => ({ ...fn(p), touched: true }));
  const setStep = (k: string, patch: Partial<EdStep>) => change((p) => ({ ...p, steps: p.steps.map((s) => (s.k === k ? { ...s, ...patch } : s)) }));
  const addStep = () =>
    change((p) => {
      const last = p.steps.at(-1);
      const offset = last && !Number.isNaN(int(last.offset)) ? Math.min(int(last.offset) + 7, 366) : 0;
      const step: EdStep = last
        ? { k: newKey('s'), offset: String(offset), audiences: [...last.audiences], template: last.template, kind: last.kind }
        : { k: newKey('s'), offset: '0', audiences: ['unit'], template: 'reminder_due_today', kind: 'reminder' };
      return { ...p, steps: [...p.steps, step] };
    });
  const templateName = (x: string) => (isMessageKey(`template.${x}`) ? t(`template.${x}` as 'template.reminder') : x);
  const audienceName = (x: string) => (isMessageKey(`audience.${x}`) ? t(`audience.${x}` as 'audience.unit') : x);
  const kindName = (x: string) => (isMessageKey(`stepKind.${x}`) ? t(`stepKind.${x}` as 'stepKind.reminder') : x);

  const repeat = int(policy.repeat);
  const max = int(policy.max);
  const summary =
    repeat === 0
      ? t('editor.noRepeat')
      : Number.isNaN(repeat)
        ? ''
        : `${t('editor.repeatSummary', { n: formatNumber(repeat, lang), count: repeat })}${Number.isNaN(max) ? '' : t('editor.repeatMaxSummary', { n: formatNumber(max, lang), count: max })}.`;

  return (
    <section className="card editor-section" aria-labelledby={`${uid}-esc`} data-testid="editor-policy">
      <h2 id={`${uid}-esc`}>{t('editor.escalation')}</h2>
      <p className="muted">{t('editor.policyIntro')}</p>
      {rest.map((p) => (
        <p key={p.path} className="field-error">
          {p.message}
        </p>
      ))}
      {policy.steps.length === 0 && <p className="muted">{t('editor.noSteps')}</p>}
      <ol className="editor-list">
        {policy.steps.map((s, i) => {
          const ps = byStep.get(s.k);
          const pfx = `${uid}-s-${s.k}`;
          const err = (f: string) => problemText(ps, f);
          const days = int(s.offset);
          const when = Number.isNaN(days) ? '' : offsetLabel(days, t, lang);
          const options = [...AUDIENCES, ...s.audiences.filter((a) => !AUDIENCES.includes(a))];
          const audErr = (ps ?? []).filter((p) => p.field === 'audiences' || /^audiences\[\d+\]$/.test(p.field));
          const badAudience = (a: string) => audErr.some((p) => p.field === 'audiences' || p.field === `audiences[${s.audiences.indexOf(a)}]`);
          const templates = s.template && !STEP_TEMPLATES.includes(s.template) ? [...STEP_TEMPLATES, s.template] : STEP_TEMPLATES;
          const kinds = s.kind && !STEP_KINDS.includes(s.kind) ? [...STEP_KINDS, s.kind] : STEP_KINDS;
          const known = ['offset_days', 'template', 'kind'];
          return (
            <li key={s.k} className={`editor-item ${ps ? 'has-problems' : ''}`} data-testid="editor-step">
              <fieldset>
                <legend>{t('editor.stepN', { n: i + 1 })}</legend>
                <div className="editor-grid">
                  <TextField
                    id={`${pfx}-offset`}
                    type="number"
                    min={-366}
                    max={366}
                    label={t('editor.stepOffset')}
                    value={s.offset}
                    onChange={(v) => setStep(s.k, { offset: v })}
                    hint={when || t('editor.stepOffsetHint')}
                    error={err('offset_days')}
                  />
                  <div className="field">
                    <label htmlFor={`${pfx}-template`}>{t('editor.stepTemplate')}</label>
                    <select id={`${pfx}-template`} value={s.template} onChange={(e) => setStep(s.k, { template: e.target.value })} aria-invalid={err('template') ? true : undefined} aria-describedby={err('template') ? `${pfx}-template-error` : undefined}>
                      {!s.template && <option value="">—</option>}
                      {templates.map((x) => (
                        <option key={x} value={x}>
                          {templateName(x)}
                        </option>
                      ))}
                    </select>
                    <FieldError id={`${pfx}-template-error`} text={err('template')} />
                  </div>
                  <div className="field">
                    <label htmlFor={`${pfx}-kind`}>{t('editor.stepKind')}</label>
                    <select id={`${pfx}-kind`} value={s.kind} onChange={(e) => setStep(s.k, { kind: e.target.value })} aria-invalid={err('kind') ? true : undefined} aria-describedby={err('kind') ? `${pfx}-kind-error` : undefined}>
                      {!s.kind && <option value="">—</option>}
                      {kinds.map((x) => (
                        <option key={x} value={x}>
                          {kindName(x)}
                        </option>
                      ))}
                    </select>
                    <FieldError id={`${pfx}-kind-error`} text={err('kind')} />
                  </div>
                </div>
                <fieldset className={`audience-checks ${audErr.length ? 'audience-invalid' : ''}`}>
                  <legend>{t('editor.stepAudiences')}</legend>
                  {options.map((a) => (
                    <label key={a} className="field-check">
                      <input
                        type="checkbox"
                        checked={s.audiences.includes(a)}
                        onChange={(e) => {
                          const on = e.target.checked;
                          setStep(s.k, { audiences: options.filter((x) => (x === a ? on : s.audiences.includes(x))) });
                        }}
                        aria-invalid={badAudience(a) ? true : undefined}
                        aria-describedby={audErr.length ? `${pfx}-aud-error` : undefined}
                      />
                      <span>{audienceName(a)}</span>
                    </label>
                  ))}
                </fieldset>
                <FieldError id={`${pfx}-aud-error`} text={audErr.map((p) => p.message).join(' ') || undefined} />
                {(ps ?? [])
                  .filter((p) => !known.includes(p.field) && !audErr.includes(p))
                  .map((p) => (
                    <p key={p.path} className="field-error">
                      {p.message}
                    </p>
                  ))}
                <div>
                  <button type="button" className="link-button" onClick={() => change((p) => ({ ...p, steps: p.steps.filter((x) => x.k !== s.k) }))}>
                    {t('editor.removeStep', { n: i + 1 })}
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="button-row">
        <button type="button" className="button button-secondary button-small" onClick={addStep}>
          {t('editor.addStep')}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => onChange(() => toEdPolicy(DEFAULT_POLICY, true))}>
          {t('editor.restoreDefault')}
        </button>
      </div>
      <div className="editor-grid">
        <TextField
          id={`${uid}-repeat`}
          type="number"
          min={0}
          max={366}
          label={t('editor.repeatEvery')}
          value={policy.repeat}
          onChange={(v) => change((p) => ({ ...p, repeat: v }))}
          hint={t('editor.repeatHint')}
          error={repeatErr}
        />
        <TextField
          id={`${uid}-max`}
          type="number"
          min={repeat === 0 ? 0 : 1}
          max={104}
          label={t('editor.maxRepeats')}
          value={repeat === 0 ? '0' : policy.max}
          disabled={repeat === 0}
          onChange={(v) => change((p) => ({ ...p, max: v }))}
          error={maxErr}
        />
      </div>
      {summary && (
        <p className="muted" data-testid="policy-summary">
          {summary}
        </p>
      )}
      <p className="muted">{t('editor.ladderNote')}</p>
    </section>
  );
}
