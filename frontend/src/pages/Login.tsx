// Sign in: POST /api/v1/auth/login {email, password} → {user}. Server field
// errors are shown next to their fields; what was typed is kept.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, login, safeNext, toApiError } from '../api';
import { useLang, useT, type MessageKey } from '../i18n';
import { Link, useNavigate, useSearchParam } from '../router';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';

type Field = 'email' | 'password';
/** Client-side checks give message keys (translated on render, so a language switch applies). */
type ClientErrors = Partial<Record<Field, MessageKey>>;

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

export function Login() {
  const t = useT();
  const lang = useLang();
  const navigate = useNavigate();
  const { setUser } = useSession();
  const next = useSearchParam('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [clientErrors, setClientErrors] = useState<ClientErrors>({});
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const ids = { email: useId(), password: useId(), show: useId() };
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  usePageTitle(t('login.title'));

  const serverFields = serverError?.fieldsFor(lang) ?? {};
  const fieldError = (f: Field): string | undefined => {
    const key = clientErrors[f];
    return key ? t(key) : serverFields[f];
  };
  const otherFieldErrors = Object.entries(serverFields).filter(([k]) => k !== 'email' && k !== 'password');

  // After a failed attempt, focus the first field in error, else the message.
  useEffect(() => {
    if (attempt === 0) return;
    if (fieldError('email')) emailRef.current?.focus();
    else if (fieldError('password')) passwordRef.current?.focus();
    else alertRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (submitting) return;
    const errs: ClientErrors = {};
    if (!email.trim()) errs.email = 'login.emailRequired';
    else if (!EMAIL_RE.test(email.trim())) errs.email = 'login.emailInvalid';
    if (!password) errs.password = 'login.passwordRequired';
    setClientErrors(errs);
    setServerError(null);
    if (Object.keys(errs).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    setSubmitting(true);
    try {
      const user = await login(email.trim(), password);
      setUser(user);
      navigate(safeNext(next), { replace: true });
    } catch (err) {
      setServerError(toApiError(err));
      setSubmitting(false);
      setAttempt((n) => n + 1);
    }
  }

  const describedBy = (f: Field) => (fieldError(f) ? `${ids[f]}-error` : undefined);

  return (
    <div className="page page-narrow">
      <h1>{t('login.title')}</h1>
      <p className="lead">{t('login.intro')}</p>
      {next && !serverError && <p className="notice">{t('login.sessionExpired')}</p>}

      <form className="card form" onSubmit={onSubmit} noValidate>
        {serverError && (
          <div className="form-alert" role="alert" id={`${ids.email}-alert`} tabIndex={-1} ref={alertRef}>
            <p>{serverError.messageFor(lang) || t('login.failed')}</p>
            {otherFieldErrors.length > 0 && (
              <ul>
                {otherFieldErrors.map(([k, v]) => (
                  <li key={k}>{v}</li>
                ))}
              </ul>
            )}
          </div>
        )}

        <div className="field">
          <label htmlFor={ids.email}>{t('login.email')}</label>
          <input
            ref={emailRef}
            id={ids.email}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={fieldError('email') ? true : undefined}
            aria-describedby={describedBy('email')}
            required
          />
          {fieldError('email') && (
            <p className="field-error" id={`${ids.email}-error`}>
              {fieldError('email')}
            </p>
          )}
        </div>

        <div className="field">
          <label htmlFor={ids.password}>{t('login.password')}</label>
          <input
            ref={passwordRef}
            id={ids.password}
            name="password"
            type={showPassword ? 'text' : 'password'}
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={fieldError('password') ? true : undefined}
            aria-describedby={describedBy('password')}
            required
          />
          {fieldError('password') && (
            <p className="field-error" id={`${ids.password}-error`}>
              {fieldError('password')}
            </p>
          )}
        </div>

        <div className="field-check">
          <input id={ids.show} type="checkbox" checked={showPassword} onChange={(e) => setShowPassword(e.target.checked)} />
          <label htmlFor={ids.show}>{t('login.showPassword')}</label>
        </div>

        <button type="submit" className="button button-block" disabled={submitting} aria-busy={submitting || undefined}>
          {submitting ? t('login.submitting') : t('login.submit')}
        </button>
        <p className="form-foot">
          <Link to="/reset-password">{t('login.forgot')}</Link>
        </p>
      </form>
    </div>
  );
}
