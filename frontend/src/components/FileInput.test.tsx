import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FileInput } from './FileInput';

describe('FileInput', () => {
  it('says what to do and what was chosen in the app’s language, not the browser’s', async () => {
    const chosen: File[][] = [];
    const u = userEvent.setup();
    render(
      <>
        <label htmlFor="f">Tệp kế hoạch</label>
        <FileInput id="f" accept=".docx" onFiles={(fs) => chosen.push(fs)} />
      </>,
    );
    expect(screen.getByText('Chọn tệp…')).toBeTruthy();
    expect(screen.getByTestId('f-names').textContent).toBe('Chưa chọn tệp');
    const input = screen.getByLabelText<HTMLInputElement>('Tệp kế hoạch');
    expect(input.type).toBe('file');
    await u.upload(input, new File(['x'], 'ke-hoach-321.docx'));
    expect(chosen.at(-1)?.map((f) => f.name)).toEqual(['ke-hoach-321.docx']);
    expect(screen.getByTestId('f-names').textContent).toBe('ke-hoach-321.docx');
  });
});

describe('file fields', () => {
  it('are all FileInput: no native file input ("Choose File / No file chosen" in an en-US browser) on any screen', () => {
    const sources = import.meta.glob<string>(['../**/*.tsx', '!../**/*.test.tsx', '!./FileInput.tsx'], { query: '?raw', import: 'default', eager: true });
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    const native = Object.entries(sources)
      .filter(([, text]) => /<input[^>]*type="file"/.test(text))
      .map(([file]) => file);
    expect(native).toEqual([]);
  });
});
