// Assign a task (/tasks/new), leaders only: any unit in scope (searchable),
// title, description, due date and supporting units; no plan needed.
// POST /tasks, then the new task's page.
import { DateInput } from '../../components/DateInput';
import { useId, useState, type FormEvent } from 'react';
import { listOrgUnits, type OrgUnit } from '../../apiAdmin';
import { createTask } from '../../apiTasks';
import { abilities } from '../../apiAdmin';
import { FormAlert } from '../../components/FormAlert';
import { ErrorState, Loading } from '../../components/States';
import { UnitChips, UnitPicker } from '../../components/UnitPicker';
import { todayISO } from '../../format';
import { useLang, useT, type MessageKey } from '../../i18n';
import { Link, useNavigate } from '../../router';
import { useSession } from '../../session';
import { useAction } from '../../useAction';
import { useAsync } from '../../useAsync';
import { usePageTitle } from '../../usePageTitle';

type Field = 'unit_id' | 'title' | 'due_on';

export function TaskNew() {
  const t = useT();
  const { user } = useSession();
  usePageTitle(t('taskNew.title'));
  const units = useAsync((signal) => listOrgUnits({ signal }), []);

  return (
    <div className="page page-narrow">
      <p className="breadcrumb">
        <Link to="/tasks">{t('tasks.title')}</Link>
      </p>
      <h1>{t('taskNew.title')}</h1>
      {!abilities(user).leader ? (
        <p className="notice">{t('taskNew.notLeader')}</p>
      ) : units.status === 'loading' ? (
        <Loading />
      ) : units.status === 'error' ? (
        <ErrorState error={units.error} onRetry={units.reload} />
      ) : (
        <TaskForm units={units.data} />
      )}
    </div>
  );
}

function TaskForm({ units }: { units: OrgUnit[] }) {
  const t = useT();
  const lang = useLang();
  const navigate = useNavigate();
  const ids = { title: useId(), desc: useId(), due: useId(), unit: useId() };
  const [unit, setUnit] = useState<OrgUnit | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [due, setDue] = useState('');
  const [support, setSupport] = useState<OrgUnit[]>([]);
  const [missing, setMissing] = useState<Partial<Record<Field, MessageKey>>>({});
  const { busy, error, run } = useAction();
  const server = error?.fieldsFor(lang) ?? {};
  const err = (f: Field) => (missing[f] ? t(missing[f]!) : server[f]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const m: Partial<Record<Field, MessageKey>> = {};
    if (!unit) m.unit_id = 'taskNew.unitRequired';
    if (!title.trim()) m.title = 'taskNew.titleRequired';
    if (!due) m.due_on = 'taskNew.dueRequired';
    else if (due < todayISO()) m.due_on = 'taskNew.duePast';
    setMissing(m);
    const first = (['unit_id', 'title', 'due_on'] as Field[]).find((f) => m[f]);
    if (first) {
      document.getElementById(first === 'unit_id' ? ids.unit : first === 'title' ? ids.title : ids.due)?.focus();
      return;
    }
    const task = await run('create', () =>
      createTask({ unit_id: unit!.id, title: title.trim(), description: description.trim(), due_on: due, supporting_unit_ids: support.map((u) => u.id) }),
    );
    if (task) navigate(`/tasks/${task.id}`);
  }

  const describe = (id: string, f: Field) => (err(f) ? `${id}-error` : undefined);
  return (
    <form className="card form" onSubmit={submit} noValidate>
      <FormAlert error={error} shown={['unit_id', 'title', 'due_on']} />
      <div className="stack">
        <UnitPicker
          id={ids.unit}
          label={t('taskNew.unit')}
          units={units}
          onPick={(u) => {
            setUnit(u);
            setSupport((s) => s.filter((x) => x.id !== u.id));
          }}
          error={err('unit_id')}
          hint={unit ? t('taskNew.unitChosen', { name: unit.name }) : t('taskNew.unitHint')}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.title}>{t('taskNew.taskTitle')}</label>
        <input
          id={ids.title}
          value={title}
          maxLength={500}
          onChange={(e) => setTitle(e.target.value)}
          aria-invalid={err('title') ? true : undefined}
          aria-describedby={describe(ids.title, 'title')}
        />
        {err('title') && (
          <p className="field-error" id={`${ids.title}-error`}>
            {err('title')}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={ids.desc}>{t('taskNew.description')}</label>
        <textarea id={ids.desc} value={description} maxLength={10000} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.due}>{t('taskNew.due')}</label>
        <DateInput
          id={ids.due}
          value={due}
          min={todayISO()}
          onChange={setDue}
          aria-invalid={err('due_on') ? true : undefined}
          aria-describedby={describe(ids.due, 'due_on')}
        />
        {err('due_on') && (
          <p className="field-error" id={`${ids.due}-error`}>
            {err('due_on')}
          </p>
        )}
      </div>
      <div className="stack">
        <UnitPicker
          label={t('taskNew.supporting')}
          units={units}
          exclude={[...(unit ? [unit.id] : []), ...support.map((u) => u.id)]}
          onPick={(u) => setSupport((s) => [...s, u])}
          hint={t('taskNew.supportingHint')}
        />
        <UnitChips label={t('taskNew.supportingChosen')} units={support} onRemove={(id) => setSupport((s) => s.filter((u) => u.id !== id))} />
      </div>
      <div>
        <button type="submit" className="button" disabled={!!busy} aria-busy={!!busy || undefined}>
          {busy ? t('taskNew.submitting') : t('taskNew.submit')}
        </button>
      </div>
    </form>
  );
}
