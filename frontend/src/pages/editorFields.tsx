// Small form pieces shared by the plan editor's sections: a field's error
// line, a labelled input with its error, and the messages of a 422 that name
// one field.
import { DateInput } from '../components/DateInput';
import type { ReactNode } from 'react';
import type { Problem } from '../planProblems';

export function problemText(list: Problem[] | undefined, field: string): string | undefined {
  const hits = (list ?? []).filter((p) => p.field === field);
  return hits.length ? hits.map((p) => p.message).join(' ') : undefined;
}

export function FieldError({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <p className="field-error" id={id}>
      {text}
    </p>
  );
}

/** A labelled text input with its error. */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  type = 'text',
  inputMode,
  hint,
  min,
  max,
  disabled,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  type?: string;
  inputMode?: 'decimal' | 'numeric';
  hint?: ReactNode;
  min?: number;
  max?: number;
  disabled?: boolean;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {type === 'date' ? (
        <DateInput
          id={id}
          value={value}
          disabled={disabled}
          onChange={onChange}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
        />
      ) : (
      <input
        id={id}
        type={type}
        inputMode={inputMode}
        autoComplete="off"
        value={value}
        min={min}
        max={max}
        step={type === 'number' ? 1 : undefined}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
      )}
      {hint && (
        <p className="muted field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} text={error} />
    </div>
  );
}

let keySeq = 0;
/** A key for an item of the editor that stays the same while items are added, removed and saved. */
export function newKey(prefix: string): string {
  keySeq += 1;
  return `${prefix}${keySeq}`;
}
