// A unit's task (/tasks/:id): what is asked, by whom, by when, in which plan.
// The owner unit starts it and completes it with a result and evidence files;
// the assigning side confirms it or sends it back with a comment and a new
// deadline; supporting units add their contributions. The result being typed
// is kept in sessionStorage until the task is completed, so an expired session
// (401 → sign-in → back) does not lose it (unsaved.ts).
import { CascadeOffer } from '../../leader/CascadeOffer';
import { DateInput } from '../../components/DateInput';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { CLOSED_TASK_STATUSES } from '../../api';
import {
  actorName,
  addContribution,
  attachmentUrl,
  completeTask,
  confirmTask,
  getTask,
  returnTask,
  startTask,
  uploadAttachment,
  type Attachment,
  type TaskDetail,
} from '../../apiTasks';
import { FormAlert } from '../../components/FormAlert';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatDate, formatDueIn, formatNumber } from '../../format';
import { isMessageKey, useLang, useT } from '../../i18n';
import { Link, useParams } from '../../router';
import { useCurrentUser } from '../../session';
import { dropUnsaved, keepUnsaved, readUnsaved } from '../../unsaved';
import { useAction } from '../../useAction';
import { useAsync } from '../../useAsync';
import { usePageTitle } from '../../usePageTitle';
import { FileInput } from '../../components/FileInput';

export function TaskStatusBadge({ status }: { status: string }) {
  const t = useT();
  const key = `taskStatus.${status}`;
  const closed = CLOSED_TASK_STATUSES.includes(status);
  return (
    <span className={`badge ${closed ? 'badge-ok' : status === 'in_progress' ? 'badge-warn' : ''}`} data-testid="task-status">
      {isMessageKey(key) ? t(key) : status}
    </span>
  );
}

export function TaskPage() {
  const t = useT();
  const { id = '' } = useParams();
  const state = useAsync((signal) => getTask(id, signal), [id]);
  const [task, setTask] = useState<TaskDetail | null>(null);
  const current = task && String(task.id) === id ? task : state.status === 'ok' ? state.data : null;
  usePageTitle(current?.title ?? t('task.title'));

  if (!current) {
    return (
      <div className="page page-narrow">
        <p className="breadcrumb">
          <Link to="/">{t('report.back')}</Link>
        </p>
        <h1>{t('task.title')}</h1>
        {state.status === 'error' ? <ErrorState error={state.error} onRetry={state.reload} /> : <Loading />}
      </div>
    );
  }
  return <TaskView task={current} onChange={setTask} />;
}

const TITLE_MAX = 90;

/** A task's text as a heading: its first sentence, at most TITLE_MAX characters. */
export function shortTitle(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t.length <= TITLE_MAX) return t;
  const sentence = t.split(/(?<=[.;:])\s/)[0];
  if (sentence.length <= TITLE_MAX) return sentence.replace(/[.;:]$/, '');
  const cut = t.slice(0, TITLE_MAX - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : cut.length)}…`;
}

function TaskView({ task, onChange }: { task: TaskDetail; onChange: (t: TaskDetail) => void }) {
  const t = useT();
  const open = !CLOSED_TASK_STATUSES.includes(task.status);
  const completable = task.can_act && (task.status === 'assigned' || task.status === 'in_progress');
  useEffect(() => {
    if (!completable) dropUnsaved('task', task.id); // a result kept for a task no longer to complete
  }, [completable, task.id]);
  const recurrenceKey = `recurrence.${task.recurrence}`;
  const kindKey = `taskKind.${task.kind}`;

  return (
    <div className="page page-narrow">
      <p className="breadcrumb">
        <Link to="/">{t('report.back')}</Link>
      </p>
      {/* leaderui: a short heading; a long task text follows it in full */}
      <h1 title={task.title.length > TITLE_MAX ? task.title : undefined}>{shortTitle(task.title)}</h1>
      {task.title.length > TITLE_MAX && <p className="lead task-fulltext">{task.title}</p>}
      <section className="card" aria-labelledby="task-about">
        <h2 id="task-about" className="sr-only">
          {t('task.about')}
        </h2>
        <dl className="facts">
          <dt>{t('task.status')}</dt>
          <dd>
            <TaskStatusBadge status={task.status} />
          </dd>
          {isMessageKey(kindKey) && (
            <>
              <dt>{t('task.kind')}</dt>
              <dd>{t(kindKey)}</dd>
            </>
          )}
          <dt>{t('task.unit')}</dt>
          <dd>{task.unit?.name}</dd>
          {task.assigned_by && (
            <>
              <dt>{t('task.assignedBy')}</dt>
              <dd>{task.assigned_by.name}</dd>
            </>
          )}
          <dt>{t('task.due')}</dt>
          <dd data-testid="task-due">
            {task.due_on ? (
              <>
                {formatDate(task.due_on)} {open && <strong className="due-in">({formatDueIn(task.due_on)})</strong>}
              </>
            ) : (
              t('inbox.noDue')
            )}
          </dd>
          {task.recurrence && (
            <>
              <dt>{t('task.recurrence')}</dt>
              <dd>{isMessageKey(recurrenceKey) ? t(recurrenceKey) : task.recurrence}</dd>
            </>
          )}
          <dt>{t('task.plan')}</dt>
          <dd>{task.plan ? <Link to={`/plans/${task.plan.id}`}>{task.plan.title}</Link> : t('task.noPlan')}</dd>
          {task.supporting_units.length > 0 && (
            <>
              <dt>{t('task.supporting')}</dt>
              <dd>{task.supporting_units.map((u) => u.name).join(', ')}</dd>
            </>
          )}
        </dl>
        {task.description && (
          <>
            <h3>{t('task.description')}</h3>
            <p className="prewrap">{task.description}</p>
          </>
        )}
        {(task.result || task.attachments.length > 0) && (
          <>
            <h3>{t('task.result')}</h3>
            {task.result && <p data-testid="task-result">{task.result}</p>}
            <AttachmentList items={task.attachments} />
          </>
        )}
      </section>
      <CascadeOffer task={task} />

      {completable && <OwnerActions task={task} onChange={onChange} />}
      {task.can_confirm && task.status === 'done' && <ConfirmActions task={task} onChange={onChange} />}
      <Contributions task={task} onChange={onChange} />
      <History task={task} />
    </div>
  );
}

function AttachmentList({ items }: { items: Attachment[] }) {
  const t = useT();
  const lang = useLang();
  if (items.length === 0) return null;
  return (
    <ul className="plain-list" aria-label={t('task.evidence')}>
      {items.map((a) => (
        <li key={a.id}>
          <a href={attachmentUrl(a.id)} download>
            {a.filename}
          </a>
          {a.size_bytes !== undefined && <span className="muted"> ({formatNumber(Math.max(1, Math.round(a.size_bytes / 1024)), lang, 0)} KB)</span>}
        </li>
      ))}
    </ul>
  );
}

function OwnerActions({ task, onChange }: { task: TaskDetail; onChange: (t: TaskDetail) => void }) {
  const t = useT();
  const lang = useLang();
  const ids = { result: useId(), files: useId() };
  const { busy, error, run } = useAction();
  const user = useCurrentUser();
  const [restored] = useState(() => readUnsaved<{ result: string }>('task', task.id, user?.id)?.data.result ?? '');
  const [result, setResult] = useState(restored);
  const [dirty, setDirty] = useState(restored !== '');
  const [showRestored, setShowRestored] = useState(restored !== '');
  const [files, setFiles] = useState<File[]>([]);
  const [uploaded, setUploaded] = useState<Map<File, Attachment>>(new Map());
  const [missing, setMissing] = useState(false);
  const fields = error?.fieldsFor(lang) ?? {};
  const resultError = missing ? t('task.resultRequired') : fields.result;

  // Keep the result being typed until the task is completed.
  useEffect(() => {
    if (dirty) keepUnsaved('task', task.id, { result }, user?.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result, dirty]);
  const discardRestored = () => {
    dropUnsaved('task', task.id);
    setDirty(false);
    setShowRestored(false);
    setResult('');
  };

  const start = () => run('start', () => startTask(task.id)).then((next) => next && onChange(next));

  async function complete(e: FormEvent) {
    e.preventDefault();
    if (!result.trim()) {
      setMissing(true);
      document.getElementById(ids.result)?.focus();
      return;
    }
    setMissing(false);
    const next = await run('complete', async () => {
      // Upload what is not uploaded yet; a failed upload keeps the others.
      const done = new Map(uploaded);
      for (const f of files) {
        if (done.has(f)) continue;
        done.set(f, await uploadAttachment(f, 'unit_task', task.id));
        setUploaded(new Map(done));
      }
      return completeTask(task.id, result.trim(), files.map((f) => done.get(f)!.id));
    });
    if (next) {
      dropUnsaved('task', task.id);
      onChange(next);
    }
  }

  return (
    <section className="card" aria-labelledby="task-do">
      <h2 id="task-do">{t('task.doTitle')}</h2>
      {task.status === 'assigned' && (
        <div className="stack">
          <p className="muted">{t('task.startHint')}</p>
          <div>
            <button type="button" className="button" onClick={start} disabled={!!busy} aria-busy={busy === 'start' || undefined}>
              {busy === 'start' ? t('task.starting') : t('task.start')}
            </button>
          </div>
        </div>
      )}
      <form className="form" onSubmit={complete} noValidate>
        <h3>{t('task.completeTitle')}</h3>
        {showRestored && (
          <div className="notice notice-warn" role="status" data-testid="restored-notice">
            <p>{t('unsaved.restoredTask')}</p>
            <button type="button" className="button button-secondary button-small" onClick={discardRestored}>
              {t('unsaved.discardTask')}
            </button>
          </div>
        )}
        <FormAlert error={error} shown={['result']} />
        <div className="field">
          <label htmlFor={ids.result}>{t('task.resultLabel')}</label>
          <textarea
            id={ids.result}
            value={result}
            onChange={(e) => {
              setDirty(true);
              setResult(e.target.value);
            }}
            aria-invalid={resultError ? true : undefined}
            aria-describedby={resultError ? `${ids.result}-error` : undefined}
            maxLength={4000}
          />
          {resultError && (
            <p className="field-error" id={`${ids.result}-error`}>
              {resultError}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.files}>{t('task.files')}</label>
          <p className="field-hint" id={`${ids.files}-hint`}>
            {t('task.filesHint')}
          </p>
          <FileInput id={ids.files} multiple aria-describedby={`${ids.files}-hint`} onFiles={setFiles} />
          {files.length > 0 && (
            <ul className="plain-list">
              {files.map((f) => (
                <li key={f.name + f.size}>
                  {f.name} {uploaded.has(f) && <span className="badge badge-ok">{t('task.uploaded')}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <button type="submit" className="button" disabled={!!busy} aria-busy={busy === 'complete' || undefined}>
            {busy === 'complete' ? t('task.completing') : t('task.complete')}
          </button>
        </div>
      </form>
    </section>
  );
}

function ConfirmActions({ task, onChange }: { task: TaskDetail; onChange: (t: TaskDetail) => void }) {
  const t = useT();
  const lang = useLang();
  const ids = { comment: useId(), due: useId() };
  const { busy, error, run } = useAction();
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const [due, setDue] = useState('');
  const [missing, setMissing] = useState<{ comment?: boolean; due?: boolean }>({});
  const fields = error?.fieldsFor(lang) ?? {};
  const commentError = missing.comment ? t('task.commentRequired') : fields.comment;
  const dueError = missing.due ? t('task.dueRequired') : fields.due_on;

  const confirm = () => run('confirm', () => confirmTask(task.id)).then((next) => next && onChange(next));

  async function sendBack(e: FormEvent) {
    e.preventDefault();
    const m = { comment: !comment.trim(), due: !due };
    setMissing(m);
    if (m.comment || m.due) {
      document.getElementById(m.comment ? ids.comment : ids.due)?.focus();
      return;
    }
    const next = await run('return', () => returnTask(task.id, comment.trim(), due));
    if (next) onChange(next);
  }

  return (
    <section className="card" aria-labelledby="task-review">
      <h2 id="task-review">{t('task.reviewTitle')}</h2>
      <FormAlert error={error} shown={['comment', 'due_on']} />
      <div className="row">
        <button type="button" className="button" onClick={confirm} disabled={!!busy} aria-busy={busy === 'confirm' || undefined}>
          {busy === 'confirm' ? t('task.confirming') : t('task.confirm')}
        </button>
        {!returning && (
          <button type="button" className="button button-secondary" onClick={() => setReturning(true)} disabled={!!busy}>
            {t('task.sendBack')}
          </button>
        )}
      </div>
      {returning && (
        <form className="form" onSubmit={sendBack} noValidate>
          <h3>{t('task.sendBack')}</h3>
          <div className="field">
            <label htmlFor={ids.comment}>{t('task.comment')}</label>
            <textarea
              id={ids.comment}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              aria-invalid={commentError ? true : undefined}
              aria-describedby={commentError ? `${ids.comment}-error` : undefined}
            />
            {commentError && (
              <p className="field-error" id={`${ids.comment}-error`}>
                {commentError}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={ids.due}>{t('task.newDue')}</label>
            <DateInput
              id={ids.due}
              value={due}
              onChange={setDue}
              aria-invalid={dueError ? true : undefined}
              aria-describedby={dueError ? `${ids.due}-error` : undefined}
            />
            {dueError && (
              <p className="field-error" id={`${ids.due}-error`}>
                {dueError}
              </p>
            )}
          </div>
          <div className="row">
            <button type="submit" className="button" disabled={!!busy} aria-busy={busy === 'return' || undefined}>
              {busy === 'return' ? t('task.sendingBack') : t('task.sendBackSubmit')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setReturning(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Contributions({ task, onChange }: { task: TaskDetail; onChange: (t: TaskDetail) => void }) {
  const t = useT();
  const lang = useLang();
  const id = useId();
  const { busy, error, run } = useAction();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const textError = missing ? t('task.contributionRequired') : error?.fieldsFor(lang).text;
  if (!task.can_contribute && task.contributions.length === 0 && task.supporting_units.length === 0) return null;

  async function add(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) {
      setMissing(true);
      document.getElementById(id)?.focus();
      return;
    }
    setMissing(false);
    const next = await run('add', () => addContribution(task.id, text.trim()));
    if (next) {
      setText('');
      onChange(next);
    }
  }

  return (
    <section className="card" aria-labelledby="task-contrib">
      <h2 id="task-contrib">{t('task.contributions')}</h2>
      {task.contributions.length === 0 ? (
        <EmptyState title={t('task.noContributions')} />
      ) : (
        <ul className="plain-list" data-testid="contributions">
          {task.contributions.map((c) => (
            <li key={c.id}>
              <strong>{c.unit?.name}</strong>
              <span className="muted">
                {' '}
                {[actorName(c.by), c.at ? formatDate(c.at) : ''].filter(Boolean).join(' · ')}
              </span>
              <p className="prewrap">{c.text}</p>
            </li>
          ))}
        </ul>
      )}
      {task.can_contribute && (
        <form className="form" onSubmit={add} noValidate>
          <FormAlert error={error} shown={['text']} />
          <div className="field">
            <label htmlFor={id}>{t('task.addContribution')}</label>
            <textarea
              id={id}
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={textError ? true : undefined}
              aria-describedby={textError ? `${id}-error` : undefined}
            />
            {textError && (
              <p className="field-error" id={`${id}-error`}>
                {textError}
              </p>
            )}
          </div>
          <div>
            <button type="submit" className="button button-secondary" disabled={!!busy} aria-busy={!!busy || undefined}>
              {busy ? t('task.adding') : t('task.addContributionSubmit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function History({ task }: { task: TaskDetail }) {
  const t = useT();
  if (task.history.length === 0) return null;
  return (
    <section className="card" aria-labelledby="task-history">
      <h2 id="task-history">{t('task.history')}</h2>
      <ol className="plain-list">
        {task.history.map((h, i) => {
          const key = `taskAction.${h.action}`;
          return (
            <li key={i}>
              <strong>{isMessageKey(key) ? t(key) : h.action}</strong>
              <span className="muted"> {[actorName(h.by), h.at ? formatDate(h.at) : ''].filter(Boolean).join(' · ')}</span>
              {h.due_on && h.action !== 'assign' && <span className="muted"> · {t('inbox.due', { date: formatDate(h.due_on) })}</span>}
              {h.comment && <p className="prewrap">{h.comment}</p>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
