// /plans/import: a leader uploads a plan document (.docx/.txt/.md) for one of
// their units (POST /plans/import, multipart) and lands on its review view.
import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, importPlan, isLeaderRole, toApiError } from '../api';
import { useLang, useT, type MessageKey } from '../i18n';
import { Link, useNavigate } from '../router';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';

const ACCEPT = ['.docx', '.txt', '.md'];

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
    try {
      const doc = await importPlan(file, unitId);
      navigate(`/plans/${doc.id}?imported=1`);
    } catch (x) {
      setServerError(toApiError(x));
      setSubmitting(false);
      setTimeout(() => alertRef.current?.focus(), 0);
    }
  }

  return (
    <div className="page page-narrow">
      <p className="breadcrumb">
        <Link to="/plans">{t('plan.back')}</Link>
      </p>
      <h1>{t('import.title')}</h1>
      <p className="lead">{t('import.intro')}</p>
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
            <input
              ref={fileRef}
              id={ids.file}
              name="file"
              type="file"
              accept={ACCEPT.join(',')}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
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
