// Password reset (/reset-password). Without a token: ask for the email, and
// POST /auth/password-reset sends a link (the same answer whether or not the
// email has an account). With ?token= (the link in the email): choose a new
// password, POST /auth/password-reset/confirm, then sign in.
import { useId, useState, type FormEvent } from 'react';
import { confirmPasswordReset, requestPasswordReset } from '../apiAdmin';
import { FormAlert } from '../components/FormAlert';
import { useLang, useT, type MessageKey } from '../i18n';
import { Link, useSearchParam } from '../router';
import { useAction } from '../useAction';
import { usePageTitle } from '../usePageTitle';

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;
const MIN_PASSWORD = 10;

export function PasswordReset() {
  const token = useSearchParam('token');
  return token ? <ConfirmReset token={token} /> : <RequestReset />;
}

function RequestReset() {
  const t = useT();
  const lang = useLang();
  const id = useId();
  const [email, setEmail] = useState('');
  const [clientError, setClientError] = useState<MessageKey | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  usePageTitle(t('reset.title'));
  const emailError = clientError ? t(clientError) : error?.fieldsFor(lang).email;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = email.trim();
    const c: MessageKey | null = !v ? 'login.emailRequired' : !EMAIL_RE.test(v) ? 'login.emailInvalid' : null;
    setClientError(c);
    if (c) {
      document.getElementById(id)?.focus();
      return;
    }
    const res = await run('send', () => requestPasswordReset(v));
    if (res !== undefined) setSent(v);
  }

  return (
    <div className="page page-narrow">
      <h1>{t('reset.title')}</h1>
      {sent ? (
        <div className="card stack">
          <p className="notice notice-ok" role="status">
            {t('reset.sent', { email: sent })}
          </p>
          <p>
            <Link to="/login">{t('reset.backToLogin')}</Link>
          </p>
        </div>
      ) : (
        <>
          <p className="lead">{t('reset.intro')}</p>
          <form className="card form" onSubmit={submit} noValidate>
            <FormAlert error={error} shown={['email']} />
            <div className="field">
              <label htmlFor={id}>{t('login.email')}</label>
              <input
                id={id}
                type="email"
                inputMode="email"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                aria-invalid={emailError ? true : undefined}
                aria-describedby={emailError ? `${id}-error` : undefined}
              />
              {emailError && (
                <p className="field-error" id={`${id}-error`}>
                  {emailError}
                </p>
              )}
            </div>
            <button type="submit" className="button button-block" disabled={!!busy} aria-busy={!!busy || undefined}>
              {busy ? t('reset.sending') : t('reset.send')}
            </button>
            <p>
              <Link to="/login">{t('reset.backToLogin')}</Link>
            </p>
          </form>
        </>
      )}
    </div>
  );
}

function ConfirmReset({ token }: { token: string }) {
  const t = useT();
  const lang = useLang();
  const ids = { pw: useId(), again: useId(), show: useId() };
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [show, setShow] = useState(false);
  const [clientErrors, setClientErrors] = useState<{ password?: MessageKey; again?: MessageKey }>({});
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  usePageTitle(t('reset.newTitle'));
  const fields = error?.fieldsFor(lang) ?? {};
  const pwError = clientErrors.password ? t(clientErrors.password, { n: MIN_PASSWORD }) : fields.password;
  const againError = clientErrors.again ? t(clientErrors.again) : undefined;
  const tokenBad = !!error && (error.code === 'invalid_token' || 'token' in fields);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const c: { password?: MessageKey; again?: MessageKey } = {};
    if (!password) c.password = 'login.passwordRequired';
    else if ([...password].length < MIN_PASSWORD) c.password = 'reset.tooShort';
    if (password && again !== password) c.again = 'reset.mismatch';
    setClientErrors(c);
    if (c.password || c.again) {
      document.getElementById(c.password ? ids.pw : ids.again)?.focus();
      return;
    }
    const res = await run('save', () => confirmPasswordReset(token, password));
    if (res !== undefined) setDone(true);
  }

  if (done)
    return (
      <div className="page page-narrow">
        <h1>{t('reset.newTitle')}</h1>
        <div className="card stack">
          <p className="notice notice-ok" role="status">
            {t('reset.done')}
          </p>
          <p>
            <Link to="/login" className="button">
              {t('login.submit')}
            </Link>
          </p>
        </div>
      </div>
    );

  return (
    <div className="page page-narrow">
      <h1>{t('reset.newTitle')}</h1>
      <p className="lead">{t('reset.newIntro', { n: MIN_PASSWORD })}</p>
      <form className="card form" onSubmit={submit} noValidate>
        <FormAlert error={error} shown={['password', 'token']} />
        {tokenBad && (
          <p>
            <Link to="/reset-password">{t('reset.askAgain')}</Link>
          </p>
        )}
        <div className="field">
          <label htmlFor={ids.pw}>{t('reset.newPassword')}</label>
          <input
            id={ids.pw}
            type={show ? 'text' : 'password'}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={pwError ? true : undefined}
            aria-describedby={pwError ? `${ids.pw}-error` : undefined}
          />
          {pwError && (
            <p className="field-error" id={`${ids.pw}-error`}>
              {pwError}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.again}>{t('reset.again')}</label>
          <input
            id={ids.again}
            type={show ? 'text' : 'password'}
            autoComplete="new-password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
            aria-invalid={againError ? true : undefined}
            aria-describedby={againError ? `${ids.again}-error` : undefined}
          />
          {againError && (
            <p className="field-error" id={`${ids.again}-error`}>
              {againError}
            </p>
          )}
        </div>
        <div className="field-check">
          <input id={ids.show} type="checkbox" checked={show} onChange={(e) => setShow(e.target.checked)} />
          <label htmlFor={ids.show}>{t('login.showPassword')}</label>
        </div>
        <button type="submit" className="button button-block" disabled={!!busy} aria-busy={!!busy || undefined}>
          {busy ? t('reset.saving') : t('reset.save')}
        </button>
      </form>
    </div>
  );
}
