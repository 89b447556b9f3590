// Organisation administration (/admin/units): the unit tree (expand/collapse,
// search ignoring diacritics), a unit's details; create a unit under it,
// edit, move with its subtree, deactivate; import units from CSV and export a
// subtree as CSV.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { ApiError, toApiError } from '../../api';
import {
  createUnit,
  deactivateUnit,
  ImportError,
  importUnitsCsv,
  listOrgUnits,
  moveUnit,
  UNIT_KINDS,
  unitsExportUrl,
  updateUnit,
  type LineError,
  type OrgUnit,
} from '../../apiAdmin';
import { FormAlert } from '../../components/FormAlert';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { UnitPicker } from '../../components/UnitPicker';
import { formatNumber } from '../../format';
import { isMessageKey, useLang, useT, type MessageKey } from '../../i18n';
import { matches } from '../../search';
import { useAction } from '../../useAction';
import { useAsync } from '../../useAsync';
import { usePageTitle } from '../../usePageTitle';
import { FileInput } from '../../components/FileInput';

interface Tree {
  byId: Map<number, OrgUnit>;
  children: Map<number | null, OrgUnit[]>;
  roots: OrgUnit[];
}

function buildTree(units: OrgUnit[]): Tree {
  const byId = new Map(units.map((u) => [u.id, u]));
  const children = new Map<number | null, OrgUnit[]>();
  const roots: OrgUnit[] = [];
  for (const u of units) {
    const parent = u.parent_id !== null && byId.has(u.parent_id) ? u.parent_id : null;
    if (parent === null) roots.push(u);
    else children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  return { byId, children, roots };
}

export function KindName({ kind }: { kind: string }) {
  const t = useT();
  const key = `unitKind.${kind}`;
  return <>{isMessageKey(key) ? t(key) : kind}</>;
}

const KIND_ORDER = ['province', 'standing_committee', 'board', 'district', 'affiliate', 'commune', 'branch'];

/** Siblings with the same kind together, in the organisation's order; the tree's own order within a kind. */
export function byKind<U extends { kind?: string }>(units: U[]): U[] {
  const rank = (k?: string) => {
    const i = KIND_ORDER.indexOf(k ?? '');
    return i < 0 ? KIND_ORDER.length : i;
  };
  return units.map((u, i) => ({ u, i })).sort((a, b) => rank(a.u.kind) - rank(b.u.kind) || a.i - b.i).map((x) => x.u);
}

export function AdminUnits() {
  const t = useT();
  usePageTitle(t('adminUnits.title'));
  const [inactive, setInactive] = useState(false);
  const state = useAsync((signal) => listOrgUnits({ inactive, signal }), [inactive]);
  const [selected, setSelected] = useState<number | null>(null);
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const ids = { q: useId(), inactive: useId() };
  const tree = useMemo(() => (state.status === 'ok' ? buildTree(state.data) : null), [state.status, state.data]);

  // With a search: the matching units and their ancestors, all open.
  const visible = useMemo(() => {
    if (!tree || !query.trim()) return null;
    const keep = new Set<number>();
    for (const u of tree.byId.values()) {
      if (!matches(query, u.name, u.short_name, u.code)) continue;
      let cur: OrgUnit | undefined = u;
      while (cur && !keep.has(cur.id)) {
        keep.add(cur.id);
        cur = cur.parent_id !== null ? tree.byId.get(cur.parent_id) : undefined;
      }
    }
    return keep;
  }, [tree, query]);

  const isOpen = (id: number) => (visible ? true : expanded.has(id) || tree?.roots.some((r) => r.id === id));
  const toggle = (id: number) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (isOpen(id)) {
        n.delete(id);
        if (tree?.roots.some((r) => r.id === id)) n.add(-id); // roots start open: remember a closed one
      } else {
        n.add(id);
        n.delete(-id);
      }
      return n;
    });
  const open = (id: number) => (expanded.has(-id) ? false : isOpen(id));

  const renderNodes = (nodes: OrgUnit[], depth: number) => (
    // nested plain lists: role="group" on a <ul> outside a role="tree" took
    // away its list semantics, leaving its <li> orphaned (axe: listitem)
    <ul className="tree" data-depth={depth}>
      {/* leaderui: boards apart from districts: siblings grouped by kind, each group named */}
      {byKind(nodes.filter((u) => !visible || visible.has(u.id)))
        .flatMap((u, i, list) => (new Set(list.map((x) => x.kind)).size > 1 && u.kind !== list[i - 1]?.kind && isMessageKey(`unitKind.${u.kind}`) ? [{ kindBreak: u.kind }, u] : [u]))
        .map((u) => {
          if ('kindBreak' in u)
            return (
              <li key={`kind-${u.kindBreak}`} className="tree-kind" aria-hidden="true">
                {t(`unitKind.${u.kindBreak}` as MessageKey)}
              </li>
            );
          const kids = tree!.children.get(u.id) ?? [];
          const expandedNow = open(u.id);
          return (
            <li key={u.id}>
              <div className="tree-row">
                {kids.length > 0 ? (
                  <button
                    type="button"
                    className="tree-toggle"
                    aria-expanded={!!expandedNow}
                    aria-label={t(expandedNow ? 'adminUnits.collapse' : 'adminUnits.expand', { name: u.name })}
                    onClick={() => toggle(u.id)}
                  >
                    {expandedNow ? '▾' : '▸'}
                  </button>
                ) : (
                  <span className="tree-spacer" aria-hidden="true" />
                )}
                <button
                  type="button"
                  className={`tree-name${u.active ? '' : ' tree-inactive'}`}
                  aria-current={selected === u.id ? 'true' : undefined}
                  onClick={() => setSelected(u.id)}
                >
                  {u.name}
                  {!u.active && <span className="sr-only"> ({t('adminUnits.inactive')})</span>}
                  {kids.length > 0 && <span className="muted"> ({formatNumber(kids.length)})</span>}
                </button>
              </div>
              {kids.length > 0 && expandedNow && renderNodes(kids, depth + 1)}
            </li>
          );
        })}
    </ul>
  );

  const unit = selected !== null ? tree?.byId.get(selected) : undefined;
  return (
    <div className="page">
      <h1>{t('adminUnits.title')}</h1>
      <p className="lead">{t('adminUnits.intro')}</p>
      <div className="split">
        <section className="card" aria-labelledby="units-tree" aria-busy={state.status === 'loading' || undefined}>
          <h2 id="units-tree">{t('adminUnits.tree')}</h2>
          <div className="field" role="search">
            <label htmlFor={ids.q}>{t('adminUnits.search')}</label>
            <input id={ids.q} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </div>
          <div className="field-check">
            <input id={ids.inactive} type="checkbox" checked={inactive} onChange={(e) => setInactive(e.target.checked)} />
            <label htmlFor={ids.inactive}>{t('adminUnits.showInactive')}</label>
          </div>
          {state.status === 'loading' && <Loading />}
          {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
          {tree && tree.roots.length === 0 && <EmptyState title={t('adminUnits.empty')} />}
          {tree && visible && visible.size === 0 && <EmptyState title={t('adminUnits.noMatch')} />}
          {tree && tree.roots.length > 0 && <nav aria-label={t('adminUnits.tree')}>{renderNodes(tree.roots, 0)}</nav>}
        </section>
        <div className="stack">
          {unit && tree ? (
            <UnitPanel key={unit.id} unit={unit} tree={tree} units={state.data ?? []} onChanged={state.reload} />
          ) : (
            <section className="card">
              <EmptyState title={t('adminUnits.pick')} />
            </section>
          )}
          <ImportCard onImported={state.reload} />
        </div>
      </div>
    </div>
  );
}

type Mode = 'view' | 'edit' | 'create' | 'move' | 'deactivate';

function UnitPanel({ unit, tree, units, onChanged }: { unit: OrgUnit; tree: Tree; units: OrgUnit[]; onChanged: () => void }) {
  const t = useT();
  const [mode, setMode] = useState<Mode>('view');
  const [notice, setNotice] = useState<string | null>(null);
  const done = (msg: string) => {
    setNotice(msg);
    setMode('view');
    onChanged();
  };
  const parent = unit.parent_id !== null ? tree.byId.get(unit.parent_id) : undefined;

  return (
    <section className="card" aria-labelledby="unit-title" data-testid="unit-panel">
      <h2 id="unit-title">{unit.name}</h2>
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      <dl className="facts">
        <dt>{t('adminUnits.code')}</dt>
        <dd>{unit.code}</dd>
        <dt>{t('adminUnits.kind')}</dt>
        <dd>
          <KindName kind={unit.kind} />
        </dd>
        {unit.short_name && (
          <>
            <dt>{t('adminUnits.shortName')}</dt>
            <dd>{unit.short_name}</dd>
          </>
        )}
        <dt>{t('adminUnits.email')}</dt>
        <dd>{unit.email || '—'}</dd>
        <dt>{t('adminUnits.parent')}</dt>
        <dd>{parent?.name ?? '—'}</dd>
        {supervises(unit.kind) && (
          <>
            <dt>{t('adminUnits.supervisor')}</dt>
            <dd>{(unit.supervisor_unit_id != null && tree.byId.get(unit.supervisor_unit_id)?.name) || t('adminUnits.supervisorNone')}</dd>
          </>
        )}
        <dt>{t('adminUnits.status')}</dt>
        <dd>{unit.active ? t('adminUnits.active') : t('adminUnits.inactive')}</dd>
      </dl>
      <div className="row">
        {unit.active && (
          <>
            <button type="button" className="button button-small" onClick={() => setMode('create')}>
              {t('adminUnits.create')}
            </button>
            <button type="button" className="button button-secondary button-small" onClick={() => setMode('edit')}>
              {t('adminUnits.edit')}
            </button>
            {unit.parent_id !== null && (
              <button type="button" className="button button-secondary button-small" onClick={() => setMode('move')}>
                {t('adminUnits.move')}
              </button>
            )}
          </>
        )}
        <a className="button button-secondary button-small" href={unitsExportUrl(unit.id)} download>
          {t('adminUnits.export')}
        </a>
        {unit.active && unit.parent_id !== null && (
          <button type="button" className="button button-danger button-small" onClick={() => setMode('deactivate')}>
            {t('adminUnits.deactivate')}
          </button>
        )}
      </div>
      {mode === 'edit' && <EditUnit unit={unit} units={units} onDone={() => done(t('adminUnits.saved'))} onCancel={() => setMode('view')} />}
      {mode === 'create' && <CreateUnit parent={unit} onDone={(u) => done(t('adminUnits.created', { name: u.name }))} onCancel={() => setMode('view')} />}
      {mode === 'move' && <MoveUnit unit={unit} units={units} onDone={(n) => done(t('adminUnits.moved', { n }))} onCancel={() => setMode('view')} />}
      {mode === 'deactivate' && <DeactivateUnit unit={unit} onDone={() => done(t('adminUnits.deactivated'))} onCancel={() => setMode('view')} />}
    </section>
  );
}

function TextField({ id, label, value, onChange, error, type = 'text', hint }: { id: string; label: string; value: string; onChange: (v: string) => void; error?: string; type?: string; hint?: string }) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input id={id} type={type} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={described} />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function Actions({ busy, submit, busyLabel, onCancel }: { busy: boolean; submit: string; busyLabel: string; onCancel: () => void }) {
  const t = useT();
  return (
    <div className="row">
      <button type="submit" className="button" disabled={busy} aria-busy={busy || undefined}>
        {busy ? busyLabel : submit}
      </button>
      <button type="button" className="button button-secondary" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

/** Kinds of unit that report and so may be followed by a board. */
function supervises(kind: string): boolean {
  return kind !== 'province' && kind !== 'board' && kind !== 'standing_committee';
}

function EditUnit({ unit, units, onDone, onCancel }: { unit: OrgUnit; units: OrgUnit[]; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const lang = useLang();
  const id = useId();
  const [name, setName] = useState(unit.name);
  const [shortName, setShortName] = useState(unit.short_name);
  const [email, setEmail] = useState(unit.email);
  const [supervisor, setSupervisor] = useState(unit.supervisor_unit_id != null ? String(unit.supervisor_unit_id) : '');
  const boards = useMemo(() => units.filter((u) => u.active && (u.kind === 'board' || u.kind === 'standing_committee')), [units]);
  const { busy, error, run } = useAction();
  const f = error?.fieldsFor(lang) ?? {};
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body: Parameters<typeof updateUnit>[1] = { name: name.trim(), short_name: shortName.trim(), email: email.trim() };
    if (supervises(unit.kind)) body.supervisor_unit_id = supervisor ? Number(supervisor) : null;
    const res = await run('save', () => updateUnit(unit.id, body));
    if (res) onDone();
  }
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('adminUnits.edit')}</h3>
      <FormAlert error={error} shown={['name', 'short_name', 'email', 'supervisor_unit_id']} />
      <TextField id={`${id}-name`} label={t('adminUnits.name')} value={name} onChange={setName} error={f.name} />
      <TextField id={`${id}-short`} label={t('adminUnits.shortName')} value={shortName} onChange={setShortName} error={f.short_name} />
      <TextField id={`${id}-email`} label={t('adminUnits.email')} type="email" value={email} onChange={setEmail} error={f.email} />
      {supervises(unit.kind) && (
        <div className="field">
          <label htmlFor={`${id}-supervisor`}>{t('adminUnits.supervisor')}</label>
          <p className="field-hint" id={`${id}-supervisor-hint`}>
            {t('adminUnits.supervisorHint')}
          </p>
          <select
            id={`${id}-supervisor`}
            value={supervisor}
            onChange={(e) => setSupervisor(e.target.value)}
            aria-invalid={f.supervisor_unit_id ? true : undefined}
            aria-describedby={[`${id}-supervisor-hint`, f.supervisor_unit_id ? `${id}-supervisor-error` : ''].filter(Boolean).join(' ')}
          >
            <option value="">{t('adminUnits.supervisorNone')}</option>
            {boards.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
          {f.supervisor_unit_id && (
            <p className="field-error" id={`${id}-supervisor-error`}>
              {f.supervisor_unit_id}
            </p>
          )}
        </div>
      )}
      <Actions busy={!!busy} submit={t('common.save')} busyLabel={t('common.saving')} onCancel={onCancel} />
    </form>
  );
}

function CreateUnit({ parent, onDone, onCancel }: { parent: OrgUnit; onDone: (u: OrgUnit) => void; onCancel: () => void }) {
  const t = useT();
  const lang = useLang();
  const id = useId();
  const [kind, setKind] = useState('district');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [shortName, setShortName] = useState('');
  const [email, setEmail] = useState('');
  const { busy, error, run } = useAction();
  const f = error?.fieldsFor(lang) ?? {};
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await run('create', () =>
      createUnit({ parent_id: parent.id, kind, code: code.trim(), name: name.trim(), short_name: shortName.trim(), email: email.trim() }),
    );
    if (res) onDone(res);
  }
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('adminUnits.createUnder', { name: parent.name })}</h3>
      <FormAlert error={error} shown={['kind', 'code', 'name', 'short_name', 'email']} />
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('adminUnits.kind')}</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value)} aria-invalid={f.kind ? true : undefined}>
          {UNIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`unitKind.${k}`)}
            </option>
          ))}
        </select>
        {f.kind && <p className="field-error">{f.kind}</p>}
      </div>
      <TextField id={`${id}-code`} label={t('adminUnits.code')} value={code} onChange={setCode} error={f.code} hint={t('adminUnits.codeHint')} />
      <TextField id={`${id}-name`} label={t('adminUnits.name')} value={name} onChange={setName} error={f.name} />
      <TextField id={`${id}-short`} label={t('adminUnits.shortName')} value={shortName} onChange={setShortName} error={f.short_name} />
      <TextField id={`${id}-email`} label={t('adminUnits.email')} type="email" value={email} onChange={setEmail} error={f.email} />
      <Actions busy={!!busy} submit={t('adminUnits.createSubmit')} busyLabel={t('common.saving')} onCancel={onCancel} />
    </form>
  );
}

function MoveUnit({ unit, units, onDone, onCancel }: { unit: OrgUnit; units: OrgUnit[]; onDone: (n: number) => void; onCancel: () => void }) {
  const t = useT();
  const lang = useLang();
  const [target, setTarget] = useState<OrgUnit | null>(null);
  const [missing, setMissing] = useState(false);
  const { busy, error, run } = useAction();
  // Not itself, nor anything under it.
  const exclude = useMemo(() => units.filter((u) => u.path.startsWith(unit.path) || u.id === unit.parent_id).map((u) => u.id), [units, unit]);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!target) {
      setMissing(true);
      return;
    }
    const res = await run('move', () => moveUnit(unit.id, target.id));
    if (res) onDone(res.units_moved);
  }
  return (
    <form className="form" onSubmit={submit} noValidate>
      <h3>{t('adminUnits.moveTitle', { name: unit.name })}</h3>
      <FormAlert error={error} shown={['parent_id']} />
      <UnitPicker
        label={t('adminUnits.newParent')}
        units={units}
        exclude={exclude}
        onPick={setTarget}
        error={missing && !target ? t('adminUnits.parentRequired') : error?.fieldsFor(lang).parent_id}
        hint={target ? t('adminUnits.moveTo', { name: target.name }) : t('adminUnits.moveHint')}
      />
      <Actions busy={!!busy} submit={t('adminUnits.moveSubmit')} busyLabel={t('common.saving')} onCancel={onCancel} />
    </form>
  );
}

function DeactivateUnit({ unit, onDone, onCancel }: { unit: OrgUnit; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const { busy, error, run } = useAction();
  return (
    <div className="form">
      <h3>{t('adminUnits.deactivate')}</h3>
      <p>{t('adminUnits.deactivateConfirm', { name: unit.name })}</p>
      <FormAlert error={error} />
      <div className="row">
        <button
          type="button"
          className="button button-danger"
          disabled={!!busy}
          onClick={async () => {
            if (await run('deactivate', () => deactivateUnit(unit.id))) onDone();
          }}
        >
          {t('adminUnits.deactivateSubmit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}

function lineErrors(err: ApiError | null): LineError[] {
  return err instanceof ImportError ? err.lines : [];
}

function ImportCard({ onImported }: { onImported: () => void }) {
  const t = useT();
  const lang = useLang();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const [result, setResult] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [lines, setLines] = useState<LineError[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setResult(null);
    if (!file) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(null);
    setLines([]);
    try {
      const res = await importUnitsCsv(file);
      setResult(res.created);
      onImported();
    } catch (err) {
      const e = toApiError(err);
      setError(e);
      setLines(lineErrors(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('adminUnits.import')}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={id}>{t('adminUnits.importFile')}</label>
          <p className="field-hint" id={`${id}-hint`}>
            {t('adminUnits.importHint')}
          </p>
          <FileInput
            id={id}
            accept=".csv,text/csv"
            aria-describedby={`${id}-hint${missing ? ` ${id}-error` : ''}`}
            aria-invalid={missing ? true : undefined}
            onFiles={(fs) => setFile(fs[0] ?? null)}
          />
          {missing && (
            <p className="field-error" id={`${id}-error`}>
              {t('import.fileRequired')}
            </p>
          )}
        </div>
        <FormAlert error={error} />
        {lines.length > 0 && (
          <ul className="plain-list" aria-label={t('adminUnits.importLines')}>
            {lines.map((l, i) => (
              <li key={i}>
                {t('adminUnits.line', { n: l.line })}: {lang === 'en' ? l.message_en || l.message : l.message}
              </li>
            ))}
          </ul>
        )}
        {result !== null && (
          <p className="notice notice-ok" role="status">
            {t('adminUnits.imported', { n: formatNumber(result, lang, 0), count: result })}
          </p>
        )}
        <div>
          <button type="submit" className="button" disabled={busy} aria-busy={busy || undefined}>
            {busy ? t('adminUnits.importing') : t('adminUnits.importSubmit')}
          </button>
        </div>
      </form>
    </section>
  );
}
