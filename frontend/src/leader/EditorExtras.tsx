// Plan editor additions: the re-dating of every report cycle at once, and
// the reason an amendment of an issued plan is saved with.
import { useState } from 'react';
import { useT } from '../i18n';
import { parseDayMonth, setAnnualDay, shiftCycles, type DatedCycle } from './cycles';
import './leader.css';

export function CycleTools<C extends DatedCycle>({ uid, cycles, onChange }: { uid: string; cycles: C[]; onChange: (next: C[]) => void }) {
  const t = useT();
  const [days, setDays] = useState('');
  const [day, setDay] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  if (cycles.length === 0) return null;
  const shift = () => {
    const n = Number(days.trim());
    if (!days.trim() || !Number.isInteger(n) || n === 0) return setError(t('cycles.daysInvalid'));
    setError('');
    onChange(shiftCycles(cycles, n));
    setDone(t('cycles.shifted', { n: cycles.filter((c) => c.dueOn).length, days: n }));
  };
  const setAnnual = () => {
    const dm = parseDayMonth(day);
    if (!dm) return setError(t('cycles.dayInvalid'));
    setError('');
    onChange(setAnnualDay(cycles, dm[0], dm[1]));
    setDone(t('cycles.annualSet', { n: cycles.filter((c) => c.kind === 'annual').length, day: day.trim() }));
  };
  return (
    <fieldset className="cycle-tools" data-testid="cycle-tools">
      <legend>{t('cycles.redate')}</legend>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${uid}-shift`}>{t('cycles.shiftBy')}</label>
          <input id={`${uid}-shift`} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} placeholder="14" size={6} />
        </div>
        <button type="button" className="button button-secondary button-small" onClick={shift}>
          {t('cycles.shift')}
        </button>
        <div className="field">
          <label htmlFor={`${uid}-annual`}>{t('cycles.annualDay')}</label>
          <input id={`${uid}-annual`} value={day} onChange={(e) => setDay(e.target.value)} placeholder="15/11" size={6} />
        </div>
        <button type="button" className="button button-secondary button-small" onClick={setAnnual}>
          {t('cycles.setAnnual')}
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
      {done && !error && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
    </fieldset>
  );
}

export function AmendReason({ uid, value, onChange, error }: { uid: string; value: string; onChange: (v: string) => void; error: string }) {
  const t = useT();
  return (
    <div className="field amend-reason">
      <label htmlFor={`${uid}-amend-reason`}>{t('amend.reason')}</label>
      <textarea id={`${uid}-amend-reason`} rows={2} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={`${uid}-amend-hint`} />
      <p className="field-hint" id={`${uid}-amend-hint`}>
        {t('amend.reasonHint')}
      </p>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
