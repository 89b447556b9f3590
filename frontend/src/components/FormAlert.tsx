import { useEffect, useRef } from 'react';
import type { ApiError } from '../api';
import { useLang } from '../i18n';

/** A failed request's message, with field messages not shown elsewhere; focused when it appears. */
export function FormAlert({ error, shown = [] }: { error: ApiError | null; shown?: string[] }) {
  const lang = useLang();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const others = Object.entries(error.fieldsFor(lang)).filter(([k]) => !shown.includes(k));
  return (
    <div className="form-alert" role="alert" tabIndex={-1} ref={ref}>
      <p>{error.messageFor(lang)}</p>
      {others.length > 0 && (
        <ul>
          {others.map(([k, v]) => (
            <li key={k}>{v}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
