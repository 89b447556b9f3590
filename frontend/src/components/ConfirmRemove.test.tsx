import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmRemove } from './ConfirmRemove';

describe('removing an attachment', () => {
  it('asks once: the first "Xóa" only asks, the confirming button removes, "Hủy" keeps the file', async () => {
    const u = userEvent.setup();
    const onRemove = vi.fn();
    render(<ConfirmRemove name="bao-cao.pdf" onRemove={onRemove} />);
    await u.click(screen.getByRole('button', { name: 'Xóa tệp bao-cao.pdf' }));
    expect(onRemove).not.toHaveBeenCalled();
    expect(screen.getByText('Xóa tệp bao-cao.pdf?')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Xóa tệp' }));
    await u.click(screen.getByRole('button', { name: 'Hủy' }));
    expect(onRemove).not.toHaveBeenCalled();
    await u.click(screen.getByRole('button', { name: 'Xóa tệp bao-cao.pdf' }));
    await u.click(screen.getByRole('button', { name: 'Xóa tệp' }));
    expect(onRemove).toHaveBeenCalledTimes(1);
  });
});
