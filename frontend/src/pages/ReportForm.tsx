// A unit's report (/reports/:id): GET /reports/:id, then its plan's targets
// (GET /plans/:plan_id); one input per target (a numerator and a denominator
// for percentages), POST /reports/:id/submit. A 422 puts each field's message
// next to its input and keeps what was typed; once submitted it is read-only.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  ApiError,
  getPlan,
  getReport,
  READ_ONLY_REPORT_STATUSES,
  submitReport,
  toApiError,
  type PlanDocument,
  type Report,
  type ReportValue,
  type Target,
} from '../api';
import { ErrorState, Loading } from '../components/States';
import { TargetGoal } from '../components/TargetGoal';
import { formatDate, formatDueIn, formatNumber, formatPercent, parseNumber } from '../format';
import { isMessageKey, useLang, useT, type MessageKey, type T } from '../i18n';
import { parseValuePath } from '../planProblems';
import { Link, useParams } from '../router';
import { isPercentTarget, ratioPercent } from '../targets';
import { useAsync } from '../useAsync';
import { usePageTitle } from '../usePageTitle';

type Field = 'value' | 'numerator' | 'denominator';
type Inputs = Record<number, Partial<Record<Field, string>>>;
/** "<target id>.<field>" (field "" for the target as a whole). */
type ErrKey = string;

interface Loaded {
  report: Report;
  plan: PlanDocument;
}

async function load(id: string, signal: AbortSignal): Promise<Loaded> {
  const report = await getReport(id, signal);
  const plan = await getPlan(report.plan_id, { signal });
  return { report, plan };
}

export function ReportPage() {
  const t = useT();
  const { id = '' } = useParams();
  const state = useAsync((signal) => load(id, signal), [id]);
  usePageTitle(state.status === 'ok' ? reportHeading(t, state.data.plan, state.data.report) : t('report.title'));

  if (state.status === 'loading')
    return (
      <div className="page page-narrow">
        <h1>{t('report.title')}</h1>
        <Loading />
      </div>
    );
  if (state.status === 'error')
    return (
      <div className="page page-narrow">
        <h1>{t('report.title')}</h1>
        <ErrorState error={state.error} onRetry={state.reload} />
        <p>
          <Link to="/">{t('report.back')}</Link>
        </p>
      </div>
    );
  return <ReportForm key={id} initial={state.data.report} plan={state.data.plan} />;
}

/** "Báo cáo năm 2026" from the report's cycle. */
export function reportHeading(t: T, plan: PlanDocument, report: Report): string {
  const cycle = plan.cycles.find((c) => c.id === report.cycle_id);
  if (!cycle) return t('report.title');
  if (cycle.kind === 'final') return t('report.headingFinal', { year: cycle.year });
  if (cycle.kind === 'midterm') return t('report.headingMidterm', { year: cycle.year });
  return t('report.headingAnnual', { year: cycle.year });
}

function inputsFrom(report: Report, lang: 'vi' | 'en'): Inputs {
  const out: Inputs = {};
  const f = (n: number | undefined) => (n == null ? undefined : formatNumber(n, lang, 4));
  for (const v of report.values ?? []) out[v.target_id] = { value: f(v.value), numerator: f(v.numerator), denominator: f(v.denominator) };
  return out;
}

export function ReportForm({ initial, plan, today }: { initial: Report; plan: PlanDocument; today?: string }) {
  const t = useT();
  const lang = useLang();
  const [report, setReport] = useState(initial);
  const [inputs, setInputs] = useState<Inputs>(() => inputsFrom(initial, lang));
  const [clientErrors, setClientErrors] = useState<Record<ErrKey, MessageKey>>({});
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [sentTargets, setSentTargets] = useState<number[]>([]); // values[i] → target id of the last attempt
  const [submitting, setSubmitting] = useState(false);
  const [justSubmitted, setJustSubmitted] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const uid = useId();

  const targets = plan.targets.filter((tg) => tg.id != null);
  const heading = reportHeading(t, plan, report);
  const readOnly = READ_ONLY_REPORT_STATUSES.includes(report.status);
  const statusKey = `reportStatus.${report.status}`;

  // Server field messages mapped onto targets; messages that name no input go to the alert.
  const serverFields = serverError?.fieldsFor(lang) ?? {};
  const errors: Record<ErrKey, string> = {};
  const unplaced: string[] = [];
  for (const [path, msg] of Object.entries(serverFields)) {
    const ref = parseValuePath(path);
    const targetId = ref ? sentTargets[ref.index] : undefined;
    if (ref && targetId != null) {
      const field = ref.field === 'value' || ref.field === 'numerator' || ref.field === 'denominator' ? ref.field : '';
      const k = `${targetId}.${field}`;
      errors[k] = errors[k] ? `${errors[k]} ${msg}` : msg;
    } else unplaced.push(msg);
  }
  for (const [k, key] of Object.entries(clientErrors)) errors[k] = t(key);
  const errorCount = Object.keys(errors).length;

  // After a failed attempt focus the first field in error, else the alert; after success the notice.
  useEffect(() => {
    if (attempt === 0) return;
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? alertRef.current)?.focus();
  }, [attempt]);
  useEffect(() => {
    if (justSubmitted) doneRef.current?.focus();
  }, [justSubmitted]);

  const setInput = (targetId: number, field: Field, text: string) => {
    setInputs((prev) => ({ ...prev, [targetId]: { ...prev[targetId], [field]: text } }));
    // a corrected field loses its client-side message
    setClientErrors((prev) => {
      const k = `${targetId}.${field}`;
      if (!(k in prev)) return prev;
      const next = { ...prev };
      delete next[k];
      return next;
    });
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (submitting) return;
    const values: ReportValue[] = [];
    const bad: Record<ErrKey, MessageKey> = {};
    const num = (targetId: number, field: Field): number | undefined => {
      const text = (inputs[targetId]?.[field] ?? '').trim();
      if (text === '') return undefined;
      const n = parseNumber(text, lang);
      if (Number.isNaN(n)) bad[`${targetId}.${field}`] = 'report.notNumber';
      return n;
    };
    for (const tg of targets) {
      const id = tg.id!;
      if (isPercentTarget(tg)) {
        const numerator = num(id, 'numerator');
        const denominator = num(id, 'denominator');
        if (numerator !== undefined || denominator !== undefined) values.push({ target_id: id, numerator, denominator });
      } else {
        const value = num(id, 'value');
        if (value !== undefined) values.push({ target_id: id, value });
      }
    }
    setClientErrors(bad);
    setServerError(null);
    if (Object.keys(bad).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    setSentTargets(values.map((v) => v.target_id));
    setSubmitting(true);
    try {
      const saved = await submitReport(report.id, values);
      setReport({ ...saved, values: saved.values ?? values });
      setJustSubmitted(true);
    } catch (err) {
      setServerError(toApiError(err));
      setAttempt((n) => n + 1);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div className="page page-narrow report-page">
      <p className="breadcrumb">
        <Link to="/">{t('report.back')}</Link>
      </p>
      <h1>{heading}</h1>
      <p className="report-meta">
        <span>{t('report.plan', { code: plan.code })}</span>
        <span>
          {t('report.due', { date: formatDate(report.due_on) })}
          {!readOnly && report.due_on && <> · {formatDueIn(report.due_on, today)}</>}
        </span>
        <span className={`badge ${readOnly ? 'badge-ok' : ''}`} data-testid="report-status">
          {isMessageKey(statusKey) ? t(statusKey) : report.status}
        </span>
      </p>
      <p className="muted plan-title">{plan.title}</p>

      {readOnly ? (
        <>
          <p className="notice notice-ok" role="status" tabIndex={-1} ref={doneRef}>
            {justSubmitted ? t('report.submittedNotice') : t('report.readOnly')}
            {report.submitted_at && <> {t('report.submittedAt', { date: formatDate(report.submitted_at) })}</>}
          </p>
          <ReadOnlyValues targets={targets} report={report} />
        </>
      ) : targets.length === 0 ? (
        <p className="notice">{t('report.noTargets')}</p>
      ) : (
        <form className="form report-form" onSubmit={onSubmit} noValidate ref={formRef}>
          <p className="muted">{t('report.intro')}</p>
          {(serverError || errorCount > 0) && (
            <div className="form-alert" role="alert" tabIndex={-1} ref={alertRef}>
              <p>{serverError && !serverError.hasFieldErrors ? serverError.messageFor(lang) : t('report.failed')}</p>
              {errorCount > 0 && <p>{t('report.fixFields', { n: errorCount })}</p>}
              {unplaced.length > 0 && (
                <ul>
                  {unplaced.map((m, i) => (
                    <li key={i}>{m}</li>
                  ))}
                </ul>
              )}
            </div>
          )}

          {targets.map((tg, i) => (
            <TargetInput key={tg.id} n={i + 1} target={tg} idPrefix={`${uid}-${tg.id}`} input={inputs[tg.id!] ?? {}} errors={errors} onChange={setInput} lang={lang} />
          ))}

          <div className="form-actions">
            <button type="submit" className="button button-block" disabled={submitting} aria-busy={submitting || undefined}>
              {submitting ? t('report.submitting') : t('report.submit')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function TargetInput({
  n,
  target,
  idPrefix,
  input,
  errors,
  onChange,
  lang,
}: {
  n: number;
  target: Target;
  idPrefix: string;
  input: Partial<Record<Field, string>>;
  errors: Record<ErrKey, string>;
  onChange: (targetId: number, field: Field, text: string) => void;
  lang: 'vi' | 'en';
}) {
  const t = useT();
  const id = target.id!;
  const percent = isPercentTarget(target);
  const whole = errors[`${id}.`];

  const field = (f: Field, label: string) => {
    const err = errors[`${id}.${f}`];
    const inputId = `${idPrefix}-${f}`;
    return (
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          name={`${f}-${id}`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={input[f] ?? ''}
          onChange={(e) => onChange(id, f, e.target.value)}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${inputId}-error` : undefined}
        />
        {err && (
          <p className="field-error" id={`${inputId}-error`}>
            {err}
          </p>
        )}
      </div>
    );
  };

  let pct = NaN;
  if (percent) pct = ratioPercent(parseNumber(input.numerator ?? '', lang), parseNumber(input.denominator ?? '', lang));

  return (
    <fieldset className="target-input" data-target-id={id} aria-invalid={whole ? true : undefined}>
      <legend>
        <span className="target-n">{t('report.target', { n })}</span>
        <span className="target-text">{target.text}</span>
      </legend>
      <p className="target-goal">
        {t('report.goal')}: <TargetGoal target={target} />
      </p>
      {whole && <p className="field-error">{whole}</p>}
      {percent ? (
        <>
          <div className="ratio">
            {field('numerator', t('report.numerator'))}
            {field('denominator', t('report.denominator'))}
          </div>
          <p className="ratio-result" aria-live="polite">
            {Number.isNaN(pct) ? t('report.percentPending') : t('report.percentResult', { pct: formatPercent(pct, lang, 1) })}
          </p>
        </>
      ) : (
        field('value', target.unit ? t('report.valueUnit', { unit: target.unit }) : t('report.value'))
      )}
    </fieldset>
  );
}

function ReadOnlyValues({ targets, report }: { targets: Target[]; report: Report }) {
  const t = useT();
  const lang = useLang();
  const byTarget = new Map((report.values ?? []).map((v) => [v.target_id, v]));
  const show = (tg: Target): string => {
    const v = byTarget.get(tg.id!);
    if (!v) return t('report.notReported');
    if (v.value != null) return isPercentTarget(tg) ? formatPercent(v.value, lang, 2) : `${formatNumber(v.value, lang)}${tg.unit ? ` ${tg.unit}` : ''}`;
    if (v.numerator != null && v.denominator != null)
      return `${formatNumber(v.numerator, lang)} / ${formatNumber(v.denominator, lang)} (${formatPercent(ratioPercent(v.numerator, v.denominator), lang, 1)})`;
    return t('report.notReported');
  };
  return (
    <ol className="report-values" data-testid="report-values">
      {targets.map((tg, i) => (
        <li key={tg.id} className="target-value" data-target-id={tg.id}>
          <p className="target-text">
            <span className="target-n">{t('report.target', { n: i + 1 })}</span> {tg.text}
          </p>
          <p className="target-goal">
            {t('report.goal')}: <TargetGoal target={tg} />
          </p>
          <p className="reported">
            <span className="muted">{t('report.reported')}: </span>
            <strong>{show(tg)}</strong>
          </p>
        </li>
      ))}
    </ol>
  );
}
