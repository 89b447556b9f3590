// /plans/:id/dashboard: a leader's view of a plan for one unit of their
// subtree (?unit=, default their top unit; the API keeps them inside it):
// progress per target, completeness and timeliness, the unit × cycle map, the
// late reports with their last reminder, every target's progress by year (a
// line chart with a table), a target's drill-down by unit and year, the Excel export and the review dossiers. Charts are ECharts, loaded
// on first use; every number a chart draws is also in a table beside it.
import { useEffect, useMemo, useState } from 'react';
import {
  compileReview,
  exportUrl,
  getBreakdown,
  getDashboard,
  getLate,
  getMatrix,
  listReviews,
  reviewDocxUrl,
  type Dashboard as DashboardData,
  type DashboardTarget,
  type UnitRef,
} from '../apiReporting';
import { ApiError, listPlans, toApiError } from '../api';
import { Chart } from '../charts/Chart';
import {
  breakdownOption,
  cellStatusLabel,
  CELL_STATUSES,
  cycleLabel,
  gaugeOption,
  heatmapOption,
  progressOption,
  targetStatusLabel,
  TREND_COLORS,
  TREND_MAX_SERIES,
  trendOption,
  trendsOption,
  yearlyProgress,
} from '../charts/options';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDate, formatNumber, formatPercent } from '../format';
import { isMessageKey, useLang, useT, type Lang, type T } from '../i18n';
import { Link, useLocation, useNavigate, useParams } from '../router';
import { useAsync } from '../useAsync';
import { usePageTitle } from '../usePageTitle';
import { goalLabel, PERCENT_DIGITS, rowStatus } from '../leader/goal';
import { shortUnitName } from '../leader/unitName';
import '../leader/leader.css';

const fraction = (v: number | null | undefined, lang: Lang) => (v == null || !Number.isFinite(v) ? '—' : formatPercent(v * 100, lang, PERCENT_DIGITS));

/** "2.700 hộ", "8,5%" — a figure of a target. */
export function formatFigure(v: number | null | undefined, target: { measure?: string; unit?: string }, lang: Lang): string {
  if (v == null || !Number.isFinite(v)) return '—';
  if (target.measure === 'percent') return formatPercent(v, lang, PERCENT_DIGITS);
  return target.unit ? `${formatNumber(v, lang)} ${target.unit}` : formatNumber(v, lang);
}

function useQueryNumber(name: string): number | null {
  const { search } = useLocation();
  const v = Number(new URLSearchParams(search).get(name));
  return Number.isInteger(v) && v > 0 ? v : null;
}

export function Dashboard() {
  const t = useT();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const unitId = useQueryNumber('unit');
  const cycleId = useQueryNumber('cycle');
  const [trail, setTrail] = useState<UnitRef[]>([]);
  const dash = useAsync((signal) => getDashboard(id, unitId, cycleId, signal), [id, unitId, cycleId]);
  usePageTitle(dash.data ? `${t('dash.title')} ${dash.data.plan.code}` : t('dash.title'));

  const go = (unit: number | null, cycle: number | null) => {
    const q = new URLSearchParams();
    if (unit) q.set('unit', String(unit));
    if (cycle) q.set('cycle', String(cycle));
    const s = q.toString();
    navigate(`/plans/${id}/dashboard${s ? `?${s}` : ''}`);
  };
  const drillDown = (child: UnitRef) => {
    if (dash.data) setTrail((tr) => [...tr, dash.data!.unit]);
    go(child.id, cycleId);
  };
  const goUp = (index: number) => {
    const target = trail[index];
    setTrail((tr) => tr.slice(0, index));
    go(index === 0 ? null : target.id, cycleId);
  };

  const d = dash.data;
  return (
    <div className="page page-wide dashboard">
      <p className="breadcrumb">
        <Link to={`/plans/${id}`}>{t('dash.backToPlan')}</Link>
      </p>
      <div className="page-head">
        <h1>
          {t('dash.title')}
          {d && (
            <>
              {' '}
              <span className="plan-code">{d.plan.code}</span>
            </>
          )}
        </h1>
        <a className="button" href={exportUrl(id, unitId)} download data-testid="export-xlsx">
          {t('dash.exportXlsx')}
        </a>
      </div>
      {d && <p className="muted plan-title">{d.plan.title}</p>}

      {dash.status === 'loading' && <Loading />}
      {dash.status === 'error' && <ErrorState error={dash.error} onRetry={dash.reload} />}
      {d && (
        <>
          <ScopeBar data={d} trail={trail} cycleId={cycleId} onUp={goUp} onCycle={(c) => go(unitId, c)} onChild={drillDown} />
          <CompletenessCard data={d} />
          <TargetsCard data={d} planId={id} unitId={unitId} />
          <TrendsCard data={d} />
          <MatrixCard planId={id} unitId={unitId} cycleId={cycleId} />
          <LateCard planId={id} unitId={unitId} cycleId={cycleId} />
          <ReviewsCard planId={id} cycles={d.cycles} />
        </>
      )}
    </div>
  );
}

function ScopeBar({
  data,
  trail,
  cycleId,
  onUp,
  onCycle,
  onChild,
}: {
  data: DashboardData;
  trail: UnitRef[];
  cycleId: number | null;
  onUp: (index: number) => void;
  onCycle: (cycle: number | null) => void;
  onChild: (unit: UnitRef) => void;
}) {
  const t = useT();
  return (
    <section className="card scope-bar" aria-labelledby="dash-scope">
      <h2 id="dash-scope" className="sr-only">
        {t('dash.scope')}
      </h2>
      <nav aria-label={t('dash.unitTrail')}>
        <ol className="unit-trail">
          {trail.map((u, i) => (
            <li key={`${u.id}-${i}`}>
              <button type="button" className="link-button" onClick={() => onUp(i)}>
                {u.name}
              </button>
            </li>
          ))}
          <li aria-current="page">
            <strong data-testid="dash-unit">{data.unit.name}</strong>
          </li>
        </ol>
      </nav>
      <div className="scope-controls">
        {data.children.length > 0 && (
          <div className="field">
            <label htmlFor="dash-child">{t('dash.drillDown')}</label>
            <select
              id="dash-child"
              value=""
              onChange={(e) => {
                const child = data.children.find((c) => String(c.unit.id) === e.target.value);
                if (child) onChild(child.unit);
              }}
            >
              <option value="">{t('dash.pickUnit')}</option>
              {data.children.map((c) => (
                <option key={c.unit.id} value={c.unit.id}>
                  {c.unit.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {data.cycles.length > 0 && (
          <div className="field">
            <label htmlFor="dash-cycle">{t('dash.cycle')}</label>
            <select id="dash-cycle" value={cycleId ?? ''} onChange={(e) => onCycle(e.target.value ? Number(e.target.value) : null)}>
              <option value="">{t('dash.allCycles')}</option>
              {data.cycles.map((c) => (
                <option key={c.id} value={c.id}>
                  {cycleLabel(t, c)}
                  {c.due_on ? ` · ${formatDate(c.due_on)}` : ''}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
    </section>
  );
}

function CompletenessCard({ data }: { data: DashboardData }) {
  const t = useT();
  const lang = useLang();
  const c = data.completeness;
  const gauges = useMemo(
    () => ({
      completeness: gaugeOption(c.completeness, t('dash.completeness'), lang, '#8e1651'),
      timeliness: gaugeOption(c.timeliness, t('dash.timeliness'), lang, '#0b57d0'),
    }),
    [c.completeness, c.timeliness, t, lang],
  );
  return (
    <section className="card" aria-labelledby="dash-completeness">
      <h2 id="dash-completeness">{t('dash.reportsIn')}</h2>
      <p data-testid="dash-received">
        {t('dash.received', { received: formatNumber(c.received, lang), expected: formatNumber(c.expected, lang), onTime: formatNumber(c.on_time, lang) })}
      </p>
      <div className="gauges">
        <Chart option={gauges.completeness} height={170} label={`${t('dash.completeness')}: ${fraction(c.completeness, lang)}`} testId="gauge-completeness" />
        <Chart option={gauges.timeliness} height={170} label={`${t('dash.timeliness')}: ${fraction(c.timeliness, lang)}`} testId="gauge-timeliness" />
      </div>
      <dl className="rates">
        <div>
          <dt>{t('dash.completeness')}</dt>
          <dd data-testid="dash-completeness-rate">{fraction(c.completeness, lang)}</dd>
        </div>
        <div>
          <dt>{t('dash.timeliness')}</dt>
          <dd data-testid="dash-timeliness-rate">{fraction(c.timeliness, lang)}</dd>
        </div>
      </dl>
      {data.children.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('dash.byChild')}>
          <table className="table">
            <caption>{t('dash.byChild')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dash.unit')}</th>
                <th scope="col">{t('dash.completeness')}</th>
                <th scope="col">{t('dash.timeliness')}</th>
              </tr>
            </thead>
            <tbody>
              {data.children.map((ch) => (
                <tr key={ch.unit.id}>
                  <th scope="row">{ch.unit.name}</th>
                  <td>{fraction(ch.completeness, lang)}</td>
                  <td>{fraction(ch.timeliness, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function StatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`badge target-status target-status-${status}`}>{targetStatusLabel(t, status)}</span>;
}

function TargetsCard({ data, planId, unitId }: { data: DashboardData; planId: string; unitId: number | null }) {
  const t = useT();
  const lang = useLang();
  const [open, setOpen] = useState<number | null>(null);
  const option = useMemo(() => progressOption(data.targets, t, lang), [data.targets, t, lang]);
  if (data.targets.length === 0)
    return (
      <section className="card" aria-labelledby="dash-targets">
        <h2 id="dash-targets">{t('dash.targets')}</h2>
        <EmptyState title={t('dash.noTargets')} />
      </section>
    );
  return (
    <section className="card" aria-labelledby="dash-targets">
      <h2 id="dash-targets">{t('dash.targets')}</h2>
      <Chart option={option} height={Math.max(160, data.targets.length * 30 + 24)} label={t('dash.progressChart')} testId="chart-progress" />
      <ol className="dash-targets" data-testid="dash-targets">
        {data.targets.map((tg, i) => (
          <li key={tg.id} className="dash-target" data-target-id={tg.id}>
            <p className="target-text">
              <span className="target-n">{t('dash.targetShort', { n: i + 1 })}</span> {tg.text}
            </p>
            <p className="dash-target-figures">
              <span data-testid="target-goal">
                {t('dash.goal')}: {goalLabel(t, tg, lang)}
              </span>
              <span data-testid="target-actual">
                {t('dash.actual')}: {formatFigure(tg.actual, tg, lang)}
                {tg.measure === 'percent' && tg.numerator != null && tg.denominator != null && (
                  <> ({formatNumber(tg.numerator, lang)} / {formatNumber(tg.denominator, lang)})</>
                )}
              </span>
              {tg.status !== 'no_data' && tg.progress != null && Number.isFinite(tg.progress) && (
                <span data-testid="target-progress">
                  {t('dash.progress')}: {fraction(tg.progress, lang)}
                </span>
              )}
              <StatusBadge status={tg.progress == null || tg.status === 'no_data' ? 'no_data' : tg.status} />
            </p>
            <button type="button" className="button button-secondary button-small" aria-expanded={open === tg.id} onClick={() => setOpen(open === tg.id ? null : tg.id)}>
              {open === tg.id ? t('dash.hideBreakdown') : t('dash.showBreakdown')}
            </button>
            {open === tg.id && <BreakdownPanel planId={planId} target={tg} unitId={unitId} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Every target's progress by year: lines of % of the way to the target, the term's trajectory dashed, and the same as a table. */
function TrendsCard({ data }: { data: DashboardData }) {
  const t = useT();
  const lang = useLang();
  const yp = useMemo(() => yearlyProgress(data.targets, data.cycles, data.plan), [data.targets, data.cycles, data.plan]);
  const option = useMemo(() => trendsOption(yp, t, lang), [yp, t, lang]);
  const pctText = (v: number | null) => (v == null ? '—' : formatPercent(v, lang, 1));
  return (
    <section className="card" aria-labelledby="dash-trends" data-testid="dash-trends">
      <h2 id="dash-trends">{t('dash.trends')}</h2>
      {yp.rows.length === 0 ? (
        <EmptyState title={t('dash.noTrends')} />
      ) : (
        <>
          <p className="muted">{t('dash.trendsIntro')}</p>
          <Chart option={option} height={280} label={t('dash.trendsChart')} testId="chart-trends" />
          {yp.rows.length > TREND_MAX_SERIES && <p className="muted">{t('dash.trendsFirst', { shown: TREND_MAX_SERIES, n: yp.rows.length })}</p>}
          <details className="matrix-table">
            <summary>{t('dash.asTable')}</summary>
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('dash.asTable')}>
              <table className="table" data-testid="trend-table">
                <thead>
                  <tr>
                    <th scope="col">{t('dash.target')}</th>
                    {yp.years.map((y) => (
                      <th key={y} scope="col">
                        {y}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {yp.rows.map((r, i) => (
                    <tr key={r.target.id}>
                      <th scope="row">
                        {i < TREND_MAX_SERIES && <span className="swatch" style={{ background: TREND_COLORS[i] }} aria-hidden="true" />}{' '}
                        {t('dash.targetShort', { n: r.index + 1 })} · {r.target.text}
                      </th>
                      {r.cells.map((c, j) => (
                        <td key={yp.years[j]}>
                          {c.actual == null ? '—' : <>{formatFigure(c.actual, r.target, lang)} ({pctText(c.progress)})</>}
                        </td>
                      ))}
                    </tr>
                  ))}
                  {yp.expected.some((v) => v != null) && (
                    <tr>
                      <th scope="row">{t('dash.expected')}</th>
                      {yp.expected.map((v, j) => (
                        <td key={yp.years[j]}>{pctText(v)}</td>
                      ))}
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

function BreakdownPanel({ planId, target, unitId }: { planId: string; target: DashboardTarget; unitId: number | null }) {
  const t = useT();
  const lang = useLang();
  const state = useAsync((signal) => getBreakdown(planId, target.id, unitId, signal), [planId, target.id, unitId]);
  const b = state.data;
  const bars = useMemo(() => (b ? breakdownOption({ ...b, target: b.target ?? target }, lang, t) : null), [b, lang, t, target]);
  const years = b && b.years.length > 0 ? b.years : target.by_year;
  const trend = useMemo(() => trendOption(years, target, t, lang), [years, target, t, lang]);
  return (
    <div className="breakdown" data-testid="breakdown">
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {years.length > 0 && (
        <>
          <h3>{t('dash.trend')}</h3>
          <Chart option={trend} height={220} label={t('dash.trendChart', { text: target.text })} testId="chart-trend" />
        </>
      )}
      {b && bars && b.units.length > 0 && (
        <>
          <h3>{t('dash.byUnit')}</h3>
          <Chart option={bars} height={Math.max(140, b.units.length * 28 + 24)} label={t('dash.byUnitChart', { text: target.text })} />
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('dash.byUnit')}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('dash.unit')}</th>
                  <th scope="col">{t('dash.allocation')}</th>
                  <th scope="col">{t('dash.actual')}</th>
                  <th scope="col">{t('dash.progress')}</th>
                </tr>
              </thead>
              <tbody>
                {b.units.map((u) => {
                  // A count target a unit has no share of: "chưa phân bổ", not judged against the province.
                  const status = rowStatus(target, u);
                  return (
                    <tr key={u.unit.id} data-testid="breakdown-row">
                      <th scope="row">{u.unit.name}</th>
                      <td>{status === 'unallocated' ? <span className="muted">{t('targetStatus.unallocated')}</span> : target.measure === 'percent' && u.allocation == null ? goalLabel(t, target, lang) : formatFigure(u.allocation, target, lang)}</td>
                      <td>{formatFigure(u.actual, target, lang)}</td>
                      <td>
                        {status === 'unallocated' || u.progress == null || u.status === 'no_data' ? null : <>{fraction(u.progress, lang)} </>}
                        <StatusBadge status={status === 'unallocated' ? status : u.progress == null ? 'no_data' : u.status} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {b && b.units.length === 0 && <EmptyState title={t('dash.noUnits')} />}
    </div>
  );
}

function MatrixCard({ planId, unitId, cycleId }: { planId: string; unitId: number | null; cycleId: number | null }) {
  const t = useT();
  const state = useAsync((signal) => getMatrix(planId, unitId, cycleId, signal), [planId, unitId, cycleId]);
  const m = state.data;
  const option = useMemo(() => (m ? heatmapOption(m, t) : null), [m, t]);
  return (
    <section className="card" aria-labelledby="dash-matrix">
      <h2 id="dash-matrix">{t('dash.matrix')}</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {m && m.units.length === 0 && <EmptyState title={t('dash.noUnits')} />}
      {m && option && m.units.length > 0 && (
        <>
          <div className="matrix-chart">
            <Chart option={option} height={Math.max(140, m.units.length * 28 + 40)} label={t('dash.matrixChart')} testId="chart-matrix" />
          </div>
          {/* leaderui: on a phone the map is a list, a unit per line with its cycles' statuses */}
          <ul className="matrix-list" data-testid="matrix-list">
            {m.units.map((u) => (
              <li key={u.unit.id}>
                <p className="matrix-list-unit" title={u.unit.name}>
                  {shortUnitName(u.unit.name)}
                </p>
                <ul className="chips">
                  {m.cycles.map((c) => {
                    const cell = u.cells.find((k) => k.cycle_id === c.id);
                    const status = cell?.status ?? 'none';
                    return (
                      <li key={c.id} className={`chip cell-${status}`}>
                        {cycleLabel(t, c)}: {cellStatusLabel(t, status)}
                      </li>
                    );
                  })}
                </ul>
              </li>
            ))}
          </ul>
          <details className="matrix-table">
            <summary>{t('dash.asTable')}</summary>
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('dash.asTable')}>
              <table className="table" data-testid="matrix-table">
                <thead>
                  <tr>
                    <th scope="col">{t('dash.unit')}</th>
                    {m.cycles.map((c) => (
                      <th key={c.id} scope="col">
                        {cycleLabel(t, c)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {m.units.map((u) => (
                    <tr key={u.unit.id}>
                      <th scope="row">{u.unit.name}</th>
                      {m.cycles.map((c) => {
                        const cell = u.cells.find((k) => k.cycle_id === c.id);
                        const status = cell?.status ?? 'none';
                        return (
                          <td key={c.id} className={`cell cell-${status}`}>
                            {cellStatusLabel(t, status)}
                            {cell?.days_late ? ` (${t('due.late', { n: cell.days_late, count: cell.days_late })})` : ''}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          <ul className="legend" aria-hidden="true">
            {CELL_STATUSES.map((s) => (
              <li key={s.status}>
                <span className="swatch" style={{ background: s.color }} /> {cellStatusLabel(t, s.status)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function templateName(t: T, template: string): string {
  const key = `template.${template}`;
  return isMessageKey(key) ? t(key) : template;
}

function LateCard({ planId, unitId, cycleId }: { planId: string; unitId: number | null; cycleId: number | null }) {
  const t = useT();
  const lang = useLang();
  const state = useAsync((signal) => getLate(planId, unitId, cycleId, signal), [planId, unitId, cycleId]);
  return (
    <section className="card" aria-labelledby="dash-late">
      <h2 id="dash-late">{t('dash.late')}</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {state.status === 'ok' && state.data.length === 0 && <EmptyState title={t('dash.noLate')} />}
      {state.status === 'ok' && state.data.length > 0 && (
        <ul className="late-list" data-testid="late-list">
          {state.data.map((r) => (
            <li key={r.report_id} className="late-item">
              <p>
                <strong>{r.unit.name}</strong> · {cycleLabel(t, r.cycle)}
              </p>
              <p className="muted">
                {t('report.due', { date: formatDate(r.due_on) })} · <strong className="due-late">{t('due.late', { n: formatNumber(r.days_late, lang, 0), count: r.days_late })}</strong>
              </p>
              <p className="muted">
                {r.last_notification
                  ? t('dash.lastReminder', {
                      what: templateName(t, r.last_notification.template),
                      to: r.last_notification.recipient,
                      date: formatDate(r.last_notification.sent_at),
                    })
                  : t('dash.noReminder')}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ReviewsCard({ planId, cycles }: { planId: string; cycles: DashboardData['cycles'] }) {
  const t = useT();
  const lang = useLang();
  const state = useAsync((signal) => listReviews(planId, signal), [planId]);
  const [cycle, setCycle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const reviewable = cycles.filter((c) => c.kind === 'midterm' || c.kind === 'final' || c.kind === 'annual');

  async function onCompile() {
    if (!cycle || busy) return;
    setBusy(true);
    setError(null);
    try {
      await compileReview(planId, Number(cycle));
      state.reload();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="dash-reviews">
      <h2 id="dash-reviews">{t('dash.reviews')}</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {state.status === 'ok' && state.data.length === 0 && <EmptyState title={t('dash.noReviews')} />}
      {state.status === 'ok' && state.data.length > 0 && (
        <ul className="review-list">
          {state.data.map((r) => (
            <li key={r.id}>
              <span>
                {cycleLabel(t, r.cycle)} · {t('dash.compiledAt', { date: formatDate(r.compiled_at) })}
              </span>{' '}
              <a href={reviewDocxUrl(r.id)} download>
                {t('dash.downloadDocx')}
              </a>
            </li>
          ))}
        </ul>
      )}
      {reviewable.length > 0 && (
        <div className="inline-form">
          <div className="field">
            <label htmlFor="review-cycle">{t('dash.compileCycle')}</label>
            <select id="review-cycle" value={cycle} onChange={(e) => setCycle(e.target.value)}>
              <option value="">{t('dash.pickCycle')}</option>
              {reviewable.map((c) => (
                <option key={c.id} value={c.id}>
                  {cycleLabel(t, c)}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="button button-secondary" onClick={onCompile} disabled={!cycle || busy} aria-busy={busy || undefined}>
            {busy ? t('dash.compiling') : t('dash.compile')}
          </button>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.messageFor(lang)}
        </p>
      )}
    </section>
  );
}

/** /dashboard (the nav's "Theo dõi"): the dashboard of the only issued plan, else a choice of plans. */
export function DashboardIndex() {
  const t = useT();
  const navigate = useNavigate();
  const state = useAsync((signal) => listPlans(signal), []);
  usePageTitle(t('dash.title'));
  const issued = (state.data ?? []).filter((p) => p.status === 'issued' || p.status === 'closed');
  const only = issued.length === 1 ? issued[0].id : null;
  useEffect(() => {
    if (only) navigate(`/plans/${only}/dashboard`, { replace: true });
  }, [only, navigate]);
  return (
    <div className="page">
      <h1>{t('dash.title')}</h1>
      <section className="card">
        {(state.status === 'loading' || only) && <Loading />}
        {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
        {state.status === 'ok' && issued.length === 0 && <EmptyState title={t('dash.noIssued')} />}
        {state.status === 'ok' && issued.length > 1 && (
          <ul className="plan-list">
            {issued.map((p) => (
              <li key={p.id} className="plan-row">
                <Link to={`/plans/${p.id}/dashboard`} className="plan-link">
                  <span className="plan-code">{p.code || `#${p.id}`}</span> {p.title}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
