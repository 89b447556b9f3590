// /plans/:id: one plan as a document (GET /plans/:id?include=source) in the
// review view; a leader can issue a draft (POST /plans/:id/issue), and a 422
// puts each problem on the item its field path names.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, getPlan, isLeaderRole, issuePlan, listUnits, toApiError, type Unit } from '../api';
import { PlanReview } from '../components/PlanReview';
import { IssueConfirm } from '../components/IssueConfirm';
import { ErrorState, Loading } from '../components/States';
import { formatDate } from '../format';
import { useLang, useT } from '../i18n';
import { groupKey, PLAN_KEY, problemsByItem, type ItemKey } from '../planProblems';
import { Link, useParams, useSearchParam } from '../router';
import { useSession } from '../session';
import { useAsync } from '../useAsync';
import { usePageTitle } from '../usePageTitle';
import { PlanStatusBadge } from './Plans';
import { PlanActions } from '../leader/PlanActions';
import { PlanFamily } from '../leader/PlanFamily';
import { PlanReports } from '../leader/PlanReports';
import { PlanRevisions } from '../leader/PlanRevisions';
import { planUnitMap } from '../leader/unitName';

export function PlanPage() {
  const t = useT();
  const lang = useLang();
  const { id = '' } = useParams();
  const imported = useSearchParam('imported') === '1';
  const issuedInEditor = useSearchParam('issued') === '1'; // ui-a: back from the editor's "Ban hành"
  const amended = useSearchParam('amended') === '1'; // leaderui: back from "Lưu sửa đổi"
  const movedReports = Number(useSearchParam('moved') ?? 0);
  const [actionNotice, setActionNotice] = useState('');
  const { user } = useSession();
  const state = useAsync((signal) => getPlan(id, { source: true, signal }), [id]);
  const units = useAsync((signal) => listUnits(signal).catch(() => [] as Unit[]), []);
  const [activeKey, setActiveKey] = useState<ItemKey | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [issueError, setIssueError] = useState<ApiError | null>(null);
  const [issued, setIssued] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const plan = state.status === 'ok' ? state.data : null;
  usePageTitle(plan ? plan.code || plan.title : t('plans.title'));

  const unitMap = useMemo(() => planUnitMap(units.data, plan), [units.data, plan]);
  const problems = useMemo(() => problemsByItem(issueError?.fieldsFor(lang) ?? {}), [issueError, lang]);
  const problemCount = issueError ? Object.keys(issueError.fieldsVi).length || Object.keys(issueError.fieldsEn).length : 0;

  useEffect(() => {
    if (issueError) alertRef.current?.focus();
  }, [issueError]);
  useEffect(() => {
    if (issued) doneRef.current?.focus();
  }, [issued, plan]);

  const leader = !!user?.memberships.some((m) => isLeaderRole(m.role));

  const [confirmIssue, setConfirmIssue] = useState(false);
  async function onIssue() {
    if (issuing) return;
    setConfirmIssue(false);
    setIssuing(true);
    setIssueError(null);
    try {
      await issuePlan(id);
      setIssued(true);
      state.reload();
    } catch (err) {
      setIssueError(toApiError(err));
    } finally {
      setIssuing(false);
    }
  }

  if (!plan)
    return (
      <div className="page">
        <p className="breadcrumb">
          <Link to="/plans">{t('plan.back')}</Link>
        </p>
        <h1>{t('plans.title')}</h1>
        {state.status === 'error' ? <ErrorState error={state.error} onRetry={state.reload} /> : <Loading />}
      </div>
    );

  const taskCount = plan.task_groups.reduce((n, g) => n + g.tasks.length, 0);
  const reviewCount = plan.targets.filter((x) => x.needs_review).length + plan.task_groups.reduce((n, g) => n + g.tasks.filter((x) => x.needs_review).length, 0);
  const planProblems = problems.get(PLAN_KEY) ?? [];
  const groupProblems = plan.task_groups.flatMap((_, gi) => (problems.get(groupKey(gi)) ?? []).map((p) => ({ ...p, group: gi })));

  return (
    <div className="page page-wide">
      <p className="breadcrumb">
        <Link to="/plans">{t('plan.back')}</Link>
      </p>
      <h1>
        {plan.code && <span className="plan-code">{plan.code}</span>} {plan.title}
      </h1>
      <p className="plan-row-meta">
        <PlanStatusBadge status={plan.status} />
        <span>{t('plans.term', { from: plan.term_start_year, to: plan.term_end_year })}</span>
        {plan.issued_on && <span>{t('plans.issuedOn', { date: formatDate(plan.issued_on) })}</span>}
        <span>{plan.unit_ids.length ? t('plan.units', { n: plan.unit_ids.length }) : t('plan.noUnits')}</span>
        {reviewCount > 0 && <span className="badge badge-warn">{t('plan.needsReviewCount', { n: reviewCount })}</span>}
      </p>

      {imported && plan.status === 'draft' && <p className="notice">{t('plan.imported', { targets: plan.targets.length, tasks: taskCount })}</p>}
      {/* ui-a: the plan's other screens */}
      <nav className="plan-links" aria-label={t('plan.links')}>
        {plan.status === 'draft' && leader && (
          <Link to={`/plans/${plan.id}/edit`} className="button button-secondary button-small">
            {t('plan.edit')}
          </Link>
        )}
        {plan.status !== 'draft' && (
          <>
            <Link to={`/plans/${plan.id}/dashboard`} className="button button-secondary button-small">
              {t('plan.dashboard')}
            </Link>
            <Link to={`/plans/${plan.id}/timeline`} className="button button-secondary button-small">
              {t('plan.timeline')}
            </Link>
          </>
        )}
      </nav>
      {/* end ui-a */}
      {/* leaderui: amend, remind, cancel, delete a draft */}
      {leader && (
        <PlanActions
          plan={plan}
          units={unitMap}
          onChanged={(n) => {
            setActionNotice(n);
            state.reload();
          }}
        />
      )}
      {(actionNotice || amended) && (
        <p className="notice notice-ok" role="status" data-testid="action-notice">
          {actionNotice || (movedReports ? t('leader.amendedMoved', { n: movedReports }) : t('leader.amendedNotice'))}
        </p>
      )}
      {(issued || issuedInEditor) && plan.status !== 'draft' && (
        <p className="notice notice-ok" role="status" tabIndex={-1} ref={doneRef}>
          {t('plan.issued')}
        </p>
      )}

      {plan.status === 'draft' && leader && (
        <div className="issue-bar">
          <p className="muted">{t('plan.reviewIntro')}</p>
          {confirmIssue && (
            <IssueConfirm
              unitNames={plan.unit_ids.map((uid) => unitMap.get(uid)?.name ?? `#${uid}`)}
              onConfirm={() => void onIssue()}
              onCancel={() => setConfirmIssue(false)}
            />
          )}
          <button type="button" className="button" onClick={() => setConfirmIssue(true)} disabled={issuing || confirmIssue} aria-busy={issuing || undefined}>
            {issuing ? t('plan.issuing') : t('plan.issue')}
          </button>
        </div>
      )}

      {issueError && (
        <div className="form-alert issue-problems" role="alert" tabIndex={-1} ref={alertRef} data-testid="issue-problems">
          <p>
            <strong>{t('plan.issueFailed')}</strong> {issueError.messageFor(lang)}
          </p>
          {problemCount > 0 && <p>{t('plan.problemCount', { n: problemCount })}</p>}
          {planProblems.length > 0 && (
            <>
              <p>{t('plan.planProblems')}:</p>
              <ul>
                {planProblems.map((p) => (
                  <li key={p.path} data-field={p.path}>
                    {p.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          {groupProblems.length > 0 && (
            <ul>
              {groupProblems.map((p) => (
                <li key={p.path} data-field={p.path}>
                  {t('plan.groupProblems', { n: p.group + 1 })}: {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      <PlanFamily plan={plan} units={unitMap} />
      {leader && plan.status === 'issued' && <PlanReports plan={plan} onChanged={setActionNotice} />}
      <PlanRevisions plan={plan} units={unitMap} />
      <PlanReview plan={plan} units={unitMap} problems={problems} activeKey={activeKey} onSelect={setActiveKey} />
    </div>
  );
}
