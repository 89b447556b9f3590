// /plans/import: a leader uploads a plan document for one of their units
// (POST /plans/import, multipart) and lands on its review view. A .docx,
// .txt or .md is read at once; a PDF, a scan or an old Word file is read by
// a job whose progress (page by page for a scan) shows here until the draft
// opens. A document whose code is already a plan warns and offers both.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, getImportJob, importPlan, isLeaderRole, toApiError, type ImportJob, type PlanRef } from '../api';
import { useLang, useT, type MessageKey } from '../i18n';
import { Link, useNavigate } from '../router';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';
import { FileInput } from '../components/FileInput';

const ACCEPT = ['.docx', '.doc', '.odt', '.rtf', '.pdf', '.png', '.jpg', '.jpeg', '.txt', '.md'];

/** A draft saved from a document whose code is already a plan. */
interface Reimport {
  planId: number;
  existing: PlanRef;
}

export function PlanImport() {
  const t = useT();
  const lang = useLang();
  const navigate = useNavigate();
  const { user } = useSession();
  usePageTitle(t('import.title'));
  const units = (user?.memberships ?? []).filter((m, i, all) => isLeaderRole(m.role) && all.findIndex((o) => o.unit_id === m.unit_id && isLeaderRole(o.role)) === i);
  const [file, setFile] = useState<File | null>(null);
  const [unitId, setUnitId] = useState<number | null>(units[0]?.unit_id ?? null);
  const [fileError, setFileError] = useState<MessageKey | null>(null);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [reimport, setReimport] = useState<Reimport | null>(null);
  const ids = { file: useId(), unit: useId() };
  const fileRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  const serverFields = serverError?.fieldsFor(lang) ?? {};
  const fileMsg = fileError ? t(fileError) : serverFields.file;
  const unitMsg = serverFields.issuer_unit_id;
  const otherFields = Object.entries(serverFields).filter(([k]) => k !== 'file' && k !== 'issuer_unit_id');

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (submitting) return;
    setServerError(null);
    const err: MessageKey | null = !file ? 'import.fileRequired' : ACCEPT.some((x) => file.name.toLowerCase().endsWith(x)) ? null : 'import.fileType';
    setFileError(err);
    if (err || !file || unitId == null) {
      fileRef.current?.focus();
      return;
    }
    setSubmitting(true);
    setReimport(null);
    try {
      const res = await importPlan(file, unitId);
      if (res.kind === 'job') {
        setJob(res.job);
        return;
      }
      finish(res.plan.id, res.existing);
    } catch (x) {
      setServerError(toApiError(x));
      setSubmitting(false);
      setTimeout(() => alertRef.current?.focus(), 0);
    }
  }

  function finish(planId: number, existing: PlanRef | null) {
    if (existing) {
      setReimport({ planId, existing });
      setSubmitting(false);
      return;
    }
    navigate(`/plans/${planId}?imported=1`);
  }

  // Follow the job until its draft is saved (or it fails).
  const jobId = job?.id;
  const jobOver = job?.status === 'done' || job?.status === 'failed';
  useEffect(() => {
    if (jobId == null || jobOver) return;
    const ctl = new AbortController();
    const timer = window.setInterval(async () => {
      try {
        const next = await getImportJob(jobId, ctl.signal);
        setJob(next);
        if (next.status === 'done' && next.plan_id != null) {
          window.clearInterval(timer);
          setJob(null);
          finish(next.plan_id, next.existing_plan);
        } else if (next.status === 'failed') {
          window.clearInterval(timer);
          setServerError(new ApiError({ status: 422, code: next.error?.code ?? 'failed', messageVi: next.error?.message, messageEn: next.error?.message_en }));
          setJob(null);
          setSubmitting(false);
          setTimeout(() => alertRef.current?.focus(), 0);
        }
      } catch (x) {
        if (!ctl.signal.aborted) {
          window.clearInterval(timer);
          setServerError(toApiError(x));
          setJob(null);
          setSubmitting(false);
        }
      }
    }, 1000);
    return () => {
      ctl.abort();
      window.clearInterval(timer);
    };
  }, [jobId, jobOver]);

  return (
    <div className="page page-narrow">
      <p className="breadcrumb">
        <Link to="/plans">{t('plan.back')}</Link>
      </p>
      <h1>{t('import.title')}</h1>
      <p className="lead">{t('import.intro')}</p>
      {reimport && (
        <div className="card notice-warn" role="alert" data-testid="reimport-warning">
          <h2>{t('import.existingTitle')}</h2>
          <p>{t('import.existing', { code: reimport.existing.code, title: reimport.existing.title })}</p>
          <p className="actions">
            <Link to={`/plans/${reimport.existing.id}`} className="button">
              {t('import.openExisting')}
            </Link>{' '}
            <Link to={`/plans/${reimport.planId}?imported=1`} className="button button-secondary">
              {t('import.openDraft')}
            </Link>
          </p>
        </div>
      )}
      {job && <ImportProgress job={job} />}
      {units.length === 0 ? (
        <p className="notice">{t('import.notLeader')}</p>
      ) : (
        <form className="card form" onSubmit={onSubmit} noValidate>
          {serverError && (
            <div className="form-alert" role="alert" tabIndex={-1} ref={alertRef}>
              <p>{serverError.messageFor(lang) || t('import.failed')}</p>
              {otherFields.length > 0 && (
                <ul>
                  {otherFields.map(([k, v]) => (
                    <li key={k}>{v}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <div className="field">
            <label htmlFor={ids.file}>{t('import.file')}</label>
            <FileInput
              ref={fileRef}
              id={ids.file}
              name="file"
              accept={ACCEPT.join(',')}
              onFiles={(fs) => {
                setFile(fs[0] ?? null);
                setFileError(null);
              }}
              aria-invalid={fileMsg ? true : undefined}
              aria-describedby={`${ids.file}-hint${fileMsg ? ` ${ids.file}-error` : ''}`}
            />
            <p className="muted" id={`${ids.file}-hint`}>
              {t('import.fileHint')}
            </p>
            {fileMsg && (
              <p className="field-error" id={`${ids.file}-error`}>
                {fileMsg}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={ids.unit}>{t('import.issuer')}</label>
            <select
              id={ids.unit}
              name="issuer_unit_id"
              value={unitId ?? ''}
              onChange={(e) => setUnitId(Number(e.target.value))}
              aria-invalid={unitMsg ? true : undefined}
              aria-describedby={unitMsg ? `${ids.unit}-error` : undefined}
            >
              {units.map((m) => (
                <option key={m.unit_id} value={m.unit_id}>
                  {m.unit_name}
                </option>
              ))}
            </select>
            {unitMsg && (
              <p className="field-error" id={`${ids.unit}-error`}>
                {unitMsg}
              </p>
            )}
          </div>
          <button type="submit" className="button button-block" disabled={submitting} aria-busy={submitting || undefined}>
            {submitting ? t('import.submitting') : t('import.submit')}
          </button>
        </form>
      )}
    </div>
  );
}

/** The job's stage and, for a scan, the pages read of how many. */
function ImportProgress({ job }: { job: ImportJob }) {
  const t = useT();
  const pages = job.pages_total > 0;
  return (
    <section className="card" aria-live="polite" data-testid="import-progress">
      <h2>{t('import.progressTitle')}</h2>
      <p>
        <strong>{job.file_name}</strong>
      </p>
      <p data-testid="import-stage">{t(`import.stage.${job.status}` as MessageKey)}</p>
      {pages && (
        <>
          <progress max={job.pages_total} value={job.pages_done} aria-label={t('import.pages', { done: job.pages_done, total: job.pages_total })} />
          <p data-testid="import-pages">{t('import.pages', { done: job.pages_done, total: job.pages_total })}</p>
        </>
      )}
      {job.status === 'ocr' && <p className="muted">{t('import.scanNote')}</p>}
    </section>
  );
}
