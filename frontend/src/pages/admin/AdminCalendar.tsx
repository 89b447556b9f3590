// Working-day calendar (/admin/calendar): the year's public holidays (Tết
// included) and the days an admin added: extra days off and make-up working
// days (PUT/DELETE /calendar/days/:date, the top unit's admins only).
// Deadlines and reminders move off every day off.
import { DateInput } from '../../components/DateInput';
import { useId, useState, type FormEvent } from 'react';
import { abilities, deleteCalendarDay, getCalendar, setCalendarDay } from '../../apiAdmin';
import { FormAlert } from '../../components/FormAlert';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatDate, todayISO, weekdayName as weekday } from '../../format';
import { isMessageKey, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { useAction } from '../../useAction';
import { useAsync } from '../../useAsync';
import { usePageTitle } from '../../usePageTitle';

export function AdminCalendar() {
  const t = useT();
  const lang = useLang();
  const { user } = useSession();
  const canEdit = abilities(user).topAdmin;
  usePageTitle(t('adminCalendar.title'));
  const [year, setYear] = useState(() => Number(todayISO().slice(0, 4)));
  const state = useAsync((signal) => getCalendar(year, signal), [year]);
  const del = useAction();
  const yid = useId();
  const adminDays = (state.data?.admin_days ?? []).filter((d) => d.date.startsWith(`${year}-`)).sort((a, b) => (a.date < b.date ? -1 : 1));

  return (
    <div className="page">
      <h1>{t('adminCalendar.title')}</h1>
      <p className="lead">{t('adminCalendar.intro')}</p>
      <div className="card row" role="group" aria-labelledby={yid}>
        <span id={yid} className="sr-only">
          {t('adminCalendar.year')}
        </span>
        <button type="button" className="button button-secondary button-small" onClick={() => setYear((y) => y - 1)} aria-label={t('adminCalendar.prevYear')}>
          ←
        </button>
        <strong aria-live="polite">{t('adminCalendar.yearN', { year })}</strong>
        <button type="button" className="button button-secondary button-small" onClick={() => setYear((y) => y + 1)} aria-label={t('adminCalendar.nextYear')}>
          →
        </button>
      </div>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {state.status === 'ok' && (
        <div className="split">
          <section className="card" aria-labelledby="cal-holidays">
            <h2 id="cal-holidays">{t('adminCalendar.holidays')}</h2>
            {state.data.holidays.length === 0 ? (
              <EmptyState />
            ) : (
              <ul className="plain-list calendar-days" data-testid="holidays">
                {state.data.holidays.map((h) => {
                  const kindKey = `holidayKind.${h.kind}`;
                  return (
                    <li key={h.date + h.kind}>
                      <span>
                        <strong>{formatDate(h.date)}</strong> <span className="muted">{weekday(h.date, lang)}</span>
                      </span>
                      <span>
                        {lang === 'en' && h.name_en ? h.name_en : h.name}{' '}
                        <span className="badge">{isMessageKey(kindKey) ? t(kindKey) : h.kind}</span>
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          <div className="stack">
            <section className="card" aria-labelledby="cal-admin">
              <h2 id="cal-admin">{t('adminCalendar.adminDays')}</h2>
              <FormAlert error={del.error} />
              {adminDays.length === 0 ? (
                <EmptyState title={t('adminCalendar.noAdminDays')} />
              ) : (
                <ul className="plain-list calendar-days" data-testid="admin-days">
                  {adminDays.map((d) => (
                    <li key={d.date}>
                      <span>
                        <strong>{formatDate(d.date)}</strong> <span className="muted">{weekday(d.date, lang)}</span>
                      </span>
                      <span className="row">
                        <span className={`badge ${d.kind === 'work' ? 'badge-warn' : ''}`}>{t(d.kind === 'work' ? 'adminCalendar.work' : 'adminCalendar.off')}</span>
                        {d.name}
                        {canEdit && (
                          <button
                            type="button"
                            className="link-button"
                            disabled={!!del.busy}
                            aria-label={t('adminCalendar.removeDay', { date: formatDate(d.date) })}
                            onClick={async () => {
                              const ok = await del.run(d.date, async () => {
                                await deleteCalendarDay(d.date);
                                return true;
                              });
                              if (ok) state.reload();
                            }}
                          >
                            {t('adminCalendar.remove')}
                          </button>
                        )}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {canEdit ? <DayForm onSaved={state.reload} year={year} /> : <p className="notice">{t('adminCalendar.topAdminOnly')}</p>}
          </div>
        </div>
      )}
    </div>
  );
}

function DayForm({ onSaved, year }: { onSaved: () => void; year: number }) {
  const t = useT();
  const lang = useLang();
  const id = useId();
  const [date, setDate] = useState('');
  const [kind, setKind] = useState<'off' | 'work'>('off');
  const [name, setName] = useState('');
  const [missing, setMissing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const f = error?.fieldsFor(lang) ?? {};
  const dateError = missing ? t('adminCalendar.dateRequired') : f.date;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(null);
    if (!date) {
      setMissing(true);
      document.getElementById(`${id}-date`)?.focus();
      return;
    }
    setMissing(false);
    const ok = await run('save', async () => {
      await setCalendarDay(date, kind, name.trim());
      return true;
    });
    if (ok) {
      setSaved(date);
      setDate('');
      setName('');
      onSaved();
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('adminCalendar.addDay')}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <FormAlert error={error} shown={['date', 'kind', 'name']} />
        {saved && (
          <p className="notice notice-ok" role="status">
            {t('adminCalendar.saved', { date: formatDate(saved) })}
          </p>
        )}
        <div className="field">
          <label htmlFor={`${id}-date`}>{t('adminCalendar.date')}</label>
          <DateInput
            id={`${id}-date`}
            value={date}
            min={`${year - 1}-01-01`}
            onChange={setDate}
            aria-invalid={dateError ? true : undefined}
            aria-describedby={dateError ? `${id}-date-error` : undefined}
          />
          {dateError && (
            <p className="field-error" id={`${id}-date-error`}>
              {dateError}
            </p>
          )}
        </div>
        <fieldset className="field">
          <legend>{t('adminCalendar.kind')}</legend>
          <div className="field-check">
            <input id={`${id}-off`} type="radio" name={`${id}-kind`} checked={kind === 'off'} onChange={() => setKind('off')} />
            <label htmlFor={`${id}-off`}>{t('adminCalendar.offLong')}</label>
          </div>
          <div className="field-check">
            <input id={`${id}-work`} type="radio" name={`${id}-kind`} checked={kind === 'work'} onChange={() => setKind('work')} />
            <label htmlFor={`${id}-work`}>{t('adminCalendar.workLong')}</label>
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('adminCalendar.name')}</label>
          <input id={`${id}-name`} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <button type="submit" className="button" disabled={!!busy} aria-busy={!!busy || undefined}>
            {busy ? t('common.saving') : t('adminCalendar.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
