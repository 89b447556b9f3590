// A date field that reads and shows dd/mm/yyyy whatever the browser's
// locale (a native date input shows mm/dd/yyyy in an en-US browser): a text
// input with the format as its placeholder. The value in and out is
// "yyyy-mm-dd", or "" while what is typed is not a whole date.
import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { formatDate, parseDateText } from '../format';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'min' | 'max'> & {
  value: string;
  onChange: (iso: string) => void;
  min?: string | number;
  max?: string | number;
};

const shown = (iso: string) => (iso ? formatDate(iso) : '');

export function DateInput({ value, onChange, onBlur, min: _min, max: _max, ...rest }: Props) {
  const [text, setText] = useState(() => shown(value));
  // a value set from outside (a reset, a loaded record) replaces what is shown
  useEffect(() => {
    if ((parseDateText(text) ?? '') !== value) setText(shown(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <input
      {...rest}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder="dd/mm/yyyy"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseDateText(e.target.value) ?? '');
      }}
      onBlur={(e) => {
        const iso = parseDateText(text);
        if (iso) setText(shown(iso));
        onBlur?.(e);
      }}
    />
  );
}
