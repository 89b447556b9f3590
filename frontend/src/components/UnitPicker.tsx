// A searchable unit picker (ARIA combobox): type part of a unit's name or
// code, diacritics optional; arrows move, Enter picks, Escape closes.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { OrgUnit } from '../apiAdmin';
import { useT } from '../i18n';
import { matches } from '../search';

const MAX_OPTIONS = 30;

/** What the picker needs of a unit (an OrgUnit, or a plan's Unit). */
export type PickerUnit = Pick<OrgUnit, 'id' | 'name'> & Partial<Pick<OrgUnit, 'short_name' | 'code' | 'active'>>;

interface Props<U extends PickerUnit> {
  label: string;
  units: U[];
  /** Called with the unit picked. */
  onPick: (u: U) => void;
  /** Units not offered (already chosen, or the unit itself). */
  exclude?: number[];
  error?: string;
  hint?: string;
  id?: string;
  placeholder?: string;
}

export function UnitPicker<U extends PickerUnit>({ label, units, onPick, exclude = [], error, hint, id, placeholder }: Props<U>) {
  const t = useT();
  const autoId = useId();
  const inputId = id ?? `${autoId}-input`;
  const listId = `${autoId}-list`;
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  // the list closes a moment after the input loses focus (a click on an
  // option lands first); a picker gone by then closes nothing
  const blurTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(blurTimer.current), []);
  const [active, setActive] = useState(0);
  const options = useMemo(
    () => units.filter((u) => u.active !== false && !exclude.includes(u.id) && matches(query, u.name, u.short_name, u.code)).slice(0, MAX_OPTIONS),
    [units, exclude, query],
  );
  const show = open && options.length > 0;

  const pick = (u: U) => {
    onPick(u);
    setQuery('');
    setOpen(false);
    setActive(0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, options.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      if (show && options[active]) {
        e.preventDefault();
        pick(options[active]);
      }
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const describedBy = [hint ? `${autoId}-hint` : '', error ? `${autoId}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field combo">
      <label htmlFor={inputId}>{label}</label>
      {hint && (
        <p className="field-hint" id={`${autoId}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={inputId}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={show}
        aria-controls={listId}
        aria-activedescendant={show ? `${listId}-${options[active]?.id}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        placeholder={placeholder ?? t('unitPicker.placeholder')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          blurTimer.current = window.setTimeout(() => setOpen(false), 150);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={label} className="combo-list" hidden={!show}>
        {show &&
          options.map((u, i) => (
            <li
              key={u.id}
              id={`${listId}-${u.id}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(u)}
            >
              {u.name}
              {u.code && <span className="combo-sub">{u.code}</span>}
            </li>
          ))}
      </ul>
      {open && query && options.length === 0 && <p className="field-hint">{t('unitPicker.none')}</p>}
      {error && (
        <p className="field-error" id={`${autoId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** Chosen units as chips, each with a remove button. */
export function UnitChips({ units, onRemove, label }: { units: { id: number; name: string }[]; onRemove?: (id: number) => void; label: string }) {
  const t = useT();
  if (units.length === 0) return null;
  return (
    <ul className="chips" aria-label={label}>
      {units.map((u) => (
        <li key={u.id} className="chip">
          {u.name}
          {onRemove && (
            <button type="button" aria-label={t('unitPicker.remove', { name: u.name })} onClick={() => onRemove(u.id)}>
              ×
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
