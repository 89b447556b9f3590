import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { DateInput } from './DateInput';

function Field({ onValue }: { onValue: (v: string) => void }) {
  const [v, setV] = useState('2027-01-10');
  return (
    <>
      <label htmlFor="d">Hạn</label>
      <DateInput
        id="d"
        value={v}
        onChange={(iso) => {
          setV(iso);
          onValue(iso);
        }}
      />
    </>
  );
}

describe('DateInput', () => {
  it('shows and reads dd/mm/yyyy, whatever the browser locale', async () => {
    const seen: string[] = [];
    const u = userEvent.setup();
    render(<Field onValue={(v) => seen.push(v)} />);
    const input = screen.getByLabelText<HTMLInputElement>('Hạn');
    expect(input.value).toBe('10/01/2027');
    expect(input.placeholder).toBe('dd/mm/yyyy');
    await u.clear(input);
    await u.type(input, '05/02/2027');
    expect(seen.at(-1)).toBe('2027-02-05');
    expect(input.value).toBe('05/02/2027');
    await u.clear(input);
    await u.type(input, '2027-03-04');
    await u.tab();
    expect(seen.at(-1)).toBe('2027-03-04');
    expect(input.value).toBe('04/03/2027');
  });
});

describe('date fields', () => {
  it('are all DateInput: no native date input (mm/dd/yyyy in an en-US browser) on any screen', () => {
    const sources = import.meta.glob<string>(['../**/*.tsx', '!../**/*.test.tsx'], { query: '?raw', import: 'default', eager: true });
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    const native = Object.entries(sources)
      .filter(([, text]) => /<input[^>]*type="date"/.test(text))
      .map(([file]) => file);
    expect(native).toEqual([]);
  });
});
