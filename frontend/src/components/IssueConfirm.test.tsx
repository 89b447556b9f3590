import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { RouterProvider } from '../router';
import { mockFetch } from '../test/fetchMock';
import { IssueConfirm } from './IssueConfirm';

describe('IssueConfirm', () => {
  it('says how many emails go to which unit address, and names a unit whose emails will be held', async () => {
    mockFetch({
      'GET /api/v1/plans/7/issue-preview': {
        body: {
          plan_id: 7,
          emails: 1053,
          units: [
            { unit_id: 9, name: 'Hội LHPN thành phố Nha Trang', email: 'nhatrang@demo.cascade.local', emails: 1050 },
            { unit_id: 10, name: 'Hội LHPN thành phố Cam Ranh', email: '', emails: 3 },
          ],
        },
      },
    });
    const onConfirm = vi.fn();
    render(
      <RouterProvider>
        <IssueConfirm planId={7} unitNames={['Hội LHPN thành phố Nha Trang', 'Hội LHPN thành phố Cam Ranh']} onConfirm={onConfirm} onCancel={() => {}} />
      </RouterProvider>,
    );
    const emails = await screen.findByTestId('issue-emails');
    expect(emails.textContent).toContain('1.053 thư giao việc sẽ gửi tới 2 đơn vị');
    const items = within(screen.getByTestId('issue-recipients')).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'Hội LHPN thành phố Nha Trang: 1.050 thư, tới nhatrang@demo.cascade.local',
      'Hội LHPN thành phố Cam Ranh: 3 thư, tạm giữ vì đơn vị chưa có địa chỉ thư',
    ]);
    expect(screen.getByTestId('issue-confirm').textContent).toContain('1 đơn vị chưa có địa chỉ thư');
    screen.getByRole('button', { name: 'Xác nhận ban hành' }).click();
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('falls back to the units when the preview cannot be had', async () => {
    mockFetch({ 'GET /api/v1/plans/7/issue-preview': { status: 503, body: { error: { code: 'unavailable', message: 'x' } } } });
    render(
      <RouterProvider>
        <IssueConfirm planId={7} unitNames={['Hội LHPN thành phố Nha Trang']} onConfirm={() => {}} onCancel={() => {}} />
      </RouterProvider>,
    );
    expect(await screen.findByText('1 đơn vị sẽ nhận việc, thư báo gửi tới địa chỉ thư của đơn vị:')).toBeTruthy();
    expect(screen.getByText('Hội LHPN thành phố Nha Trang')).toBeTruthy();
  });
});
