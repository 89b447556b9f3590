import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ReportDetail } from '../apiReporting';
import { implausibleJump, rateMet, ReviewFigures } from './ReviewFigures';

const targets = [
  { id: 5, text: 'Có 2.700 hộ phụ nữ thoát nghèo', unit: 'hộ', measure: 'count', direction: 'at_least', value: 2700, allocation: 300, previous: { value: 20 } },
  { id: 16, text: 'Tỷ lệ suy dinh dưỡng dưới 8,5%', unit: '%', measure: 'percent', direction: 'at_most', value: 8.5, allocation: null, previous: { numerator: 80, denominator: 1000 } },
];

describe('ReviewFigures', () => {
  it('puts each figure beside its allocation, the previous report and a mark; a jump is highlighted', () => {
    const report = { values: [{ target_id: 5, value: 90 }, { target_id: 16, numerator: 95, denominator: 1000 }] } as unknown as ReportDetail;
    render(<ReviewFigures targets={targets} report={report} />);
    const rows = screen.getAllByTestId('review-figure');
    const cells = (r: HTMLElement) => [...r.querySelectorAll('td')].map((c) => c.textContent);
    expect(cells(rows[0])).toEqual(['90 hộChênh lệch bất thường so với kỳ trước', '300 hộ', '20 hộ', '30% phần được giao']);
    expect(rows[0].className).toBe('review-jump');
    expect(cells(rows[1])).toEqual(['95 / 1.000 (9,5%)', 'dưới 8,5%', '8%', 'Chưa đạt']);
    expect(within(rows[1]).getByText('Chưa đạt').className).toContain('badge-warn');
  });
  it('judges a rate by its direction and leaves a count to its share', () => {
    expect(rateMet(targets[1], 8)).toBe(true);
    expect(rateMet(targets[1], 9)).toBe(false);
    expect(rateMet(targets[0], 3000)).toBeNull();
    expect(implausibleJump(100, 301)).toBe(true);
    expect(implausibleJump(100, 40)).toBe(false);
    expect(implausibleJump(null, 40)).toBe(false);
  });
});
