// Issuing a plan cannot be undone: it starts every unit's work and emails
// them. Before it happens the leader sees to whom, how many emails go to
// which address (GET /plans/:id/issue-preview), and is asked once.
import { useEffect, useId, useRef } from 'react';
import { api } from '../api';
import { formatNumber } from '../format';
import { useLang, useT } from '../i18n';
import { useParams } from '../router';
import { useAsync } from '../useAsync';

/** Names shown before "và N đơn vị khác". */
const NAMES_SHOWN = 8;

type Preview = {
  emails: number;
  units: { unit_id: number; name: string; email: string; emails: number }[];
};

export function getIssuePreview(planId: string | number, signal?: AbortSignal): Promise<Preview> {
  return api.get<Preview>(`/plans/${planId}/issue-preview`, { signal });
}

/**
 * The confirmation before issuing. planId defaults to the route's :id
 * (/plans/:id and /plans/:id/edit); unitNames is what is shown while the
 * preview loads, or if it cannot be had.
 */
export function IssueConfirm({ unitNames, planId, onConfirm, onCancel }: { unitNames: string[]; planId?: number | string; onConfirm: () => void; onCancel: () => void }) {
  const t = useT();
  const lang = useLang();
  const uid = useId();
  const ref = useRef<HTMLDivElement>(null);
  const params = useParams();
  const id = planId ?? params.id ?? '';
  const preview = useAsync((signal) => (id ? getIssuePreview(id, signal) : Promise.resolve(null)), [id]);
  useEffect(() => ref.current?.focus(), []);
  const n = unitNames.length;
  const shown = unitNames.slice(0, NAMES_SHOWN);
  const p = preview.status === 'ok' ? preview.data : null;
  const held = p ? p.units.filter((u) => !u.email) : [];
  return (
    <div className="confirm-panel" role="alertdialog" aria-labelledby={`${uid}-title`} tabIndex={-1} ref={ref} data-testid="issue-confirm">
      <p id={`${uid}-title`}>
        <strong>{t('issue.confirmTitle')}</strong> {t('issue.confirmBody')}
      </p>
      {p && p.emails > 0 ? (
        <>
          <p data-testid="issue-emails">
            {t('issue.confirmEmails', { n: formatNumber(p.emails, lang, 0), count: p.emails, units: formatNumber(p.units.length, lang, 0) })}
          </p>
          <ul className="confirm-empty" data-testid="issue-recipients">
            {p.units.slice(0, NAMES_SHOWN).map((u) => (
              <li key={u.unit_id}>
                {u.email
                  ? t('issue.confirmUnitMail', { name: u.name, n: formatNumber(u.emails, lang, 0), count: u.emails, email: u.email })
                  : t('issue.confirmUnitHeld', { name: u.name, n: formatNumber(u.emails, lang, 0), count: u.emails })}
              </li>
            ))}
            {p.units.length > NAMES_SHOWN && (
              <li>{t('issue.confirmMore', { n: p.units.length - NAMES_SHOWN, count: p.units.length - NAMES_SHOWN })}</li>
            )}
          </ul>
          {held.length > 0 && <p className="notice notice-warn">{t('issue.confirmHeld', { n: held.length, count: held.length })}</p>}
          <p className="muted">{t('issue.confirmLater')}</p>
        </>
      ) : (
        <>
          {p && <p>{t('issue.confirmNoEmails')}</p>}
          <p>{n > 0 ? t('issue.confirmUnits', { n, count: n }) : t('issue.confirmNoUnits')}</p>
          {n > 0 && (
            <ul className="confirm-empty">
              {shown.map((name, i) => (
                <li key={i}>{name}</li>
              ))}
              {n > shown.length && <li>{t('issue.confirmMore', { n: n - shown.length, count: n - shown.length })}</li>}
            </ul>
          )}
        </>
      )}
      <div className="form-actions-split">
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('issue.confirmCancel')}
        </button>
        <button type="button" className="button" onClick={onConfirm} data-testid="confirm-issue">
          {t('issue.confirmIssue')}
        </button>
      </div>
    </div>
  );
}
