// Users (/admin/users): the people with a role in a unit the admin manages;
// search, create (with their first roles), rename, deactivate or reactivate,
// add and remove roles (unit + role).
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import {
  addMembership,
  createUser,
  getUser,
  listOrgUnits,
  listUsers,
  removeMembership,
  ROLES,
  updateUser,
  type AdminUser,
  type OrgUnit,
} from '../../apiAdmin';
import { FormAlert } from '../../components/FormAlert';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { UnitPicker } from '../../components/UnitPicker';
import { formatNumber } from '../../format';
import { useLang, useT, type MessageKey } from '../../i18n';
import { matches } from '../../search';
import { useAction } from '../../useAction';
import { useAsync } from '../../useAsync';
import { usePageTitle } from '../../usePageTitle';

export function AdminUsers() {
  const t = useT();
  const lang = useLang();
  usePageTitle(t('adminUsers.title'));
  const users = useAsync((signal) => listUsers(signal), []);
  const units = useAsync((signal) => listOrgUnits({ signal }), []);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const qid = useId();
  // leaderui: searchable by name, email, unit and role
  const shown = useMemo(
    () => (users.data ?? []).filter((u) => matches(query, u.name, u.email, ...(u.memberships ?? []).flatMap((m) => [m.unit_name ?? '', roleName(t, m.role)]))),
    [users.data, query, t],
  );

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('adminUsers.title')}</h1>
        <button type="button" className="button" onClick={() => setCreating(true)}>
          {t('adminUsers.create')}
        </button>
      </div>
      <p className="lead">{t('adminUsers.intro')}</p>
      <div className="split split-users">
        <section className="card" aria-labelledby="users-list" aria-busy={users.status === 'loading' || undefined}>
          <h2 id="users-list">{t('adminUsers.list')}</h2>
          <div className="field" role="search">
            <label htmlFor={qid}>{t('adminUsers.search')}</label>
            <input id={qid} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </div>
          {users.status === 'loading' && <Loading />}
          {users.status === 'error' && <ErrorState error={users.error} onRetry={users.reload} />}
          {users.status === 'ok' && (
            <>
              <p className="muted">{t('adminUsers.count', { n: formatNumber(shown.length, lang, 0), count: shown.length })}</p>
              {shown.length === 0 ? (
                <EmptyState title={t(users.data.length === 0 ? 'adminUsers.empty' : 'adminUsers.noMatch')} />
              ) : (
                <div className="table-wrap">
                  <table className="table users-table" data-testid="users">
                    <thead>
                      <tr>
                        <th scope="col">{t('adminUsers.name')}</th>
                        <th scope="col">{t('login.email')}</th>
                        <th scope="col">{t('adminUsers.colUnits')}</th>
                        <th scope="col">{t('adminUsers.roles')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {shown.map((u) => (
                        <tr key={u.id} aria-current={selected === u.id ? 'true' : undefined} data-testid="user-row">
                          <th scope="row">
                            <button
                              type="button"
                              className="link-button"
                              onClick={() => {
                                setSelected(u.id);
                                setCreating(false);
                              }}
                            >
                              <span className={u.active ? '' : 'tree-inactive'}>{u.name}</span>
                            </button>
                            {!u.active && <span className="badge badge-warn">{t('adminUsers.inactive')}</span>}
                          </th>
                          <td className="users-email">{u.email}</td>
                          <td>{[...new Set((u.memberships ?? []).map((m) => m.unit_name))].join(', ')}</td>
                          <td>{[...new Set((u.memberships ?? []).map((m) => roleName(t, m.role)))].join(', ')}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </section>
        <div className="stack">
          {creating && (
            <CreateUser
              units={units.data ?? []}
              onCancel={() => setCreating(false)}
              onDone={(u) => {
                setCreating(false);
                setSelected(u.id);
                users.reload();
              }}
            />
          )}
          {!creating && selected !== null && <UserPanel key={selected} id={selected} units={units.data ?? []} onChanged={users.reload} />}
          {!creating && selected === null && (
            <section className="card">
              <EmptyState title={t('adminUsers.pick')} />
            </section>
          )}
        </div>
      </div>
    </div>
  );
}

function roleName(t: (k: MessageKey) => string, role: string) {
  return ROLES.includes(role as (typeof ROLES)[number]) ? t(`role.${role}` as MessageKey) : role;
}

function MembershipForm({ units, onAdd, busy, submitLabel, onPending }: { units: OrgUnit[]; onAdd: (unit: OrgUnit, role: string) => void; busy?: boolean; submitLabel: string; onPending?: (p: { unit: OrgUnit; role: string } | null) => void }) {
  const t = useT();
  const id = useId();
  const [unit, setUnit] = useState<OrgUnit | null>(null);
  const [role, setRole] = useState('officer');
  const [missing, setMissing] = useState(false);
  // leaderui: a unit and role picked but not yet added still count (creating the user adds them)
  useEffect(() => onPending?.(unit ? { unit, role } : null), [unit, role, onPending]);
  return (
    <div className="stack" role="group" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('adminUsers.addRole')}</h3>
      <UnitPicker
        label={t('adminUsers.unit')}
        units={units}
        onPick={setUnit}
        error={missing && !unit ? t('adminUsers.unitRequired') : undefined}
        hint={unit ? t('taskNew.unitChosen', { name: unit.name }) : undefined}
      />
      <div className="field">
        <label htmlFor={`${id}-role`}>{t('adminUsers.role')}</label>
        <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={() => {
            if (!unit) {
              setMissing(true);
              return;
            }
            setMissing(false);
            onAdd(unit, role);
            setUnit(null);
          }}
        >
          {submitLabel}
        </button>
      </div>
    </div>
  );
}

function CreateUser({ units, onDone, onCancel }: { units: OrgUnit[]; onDone: (u: AdminUser) => void; onCancel: () => void }) {
  const t = useT();
  const lang = useLang();
  const id = useId();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<{ unit: OrgUnit; role: string }[]>([]);
  const [noRole, setNoRole] = useState(false);
  const [pending, setPending] = useState<{ unit: OrgUnit; role: string } | null>(null);
  const { busy, error, run } = useAction();
  const f = error?.fieldsFor(lang) ?? {};

  async function submit(e: FormEvent) {
    e.preventDefault();
    const all = pending && !roles.some((r) => r.unit.id === pending.unit.id && r.role === pending.role) ? [...roles, pending] : roles;
    if (all.length === 0) {
      setNoRole(true);
      return;
    }
    setNoRole(false);
    const u = await run('create', () =>
      createUser({ email: email.trim(), name: name.trim(), password: password || undefined, memberships: all.map((r) => ({ unit_id: r.unit.id, role: r.role })) }),
    );
    if (u) onDone(u);
  }

  const field = (key: 'email' | 'name' | 'password', label: string, value: string, set: (v: string) => void, type: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      {hint && (
        <p className="field-hint" id={`${id}-${key}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={`${id}-${key}`}
        type={type}
        value={value}
        autoComplete={key === 'password' ? 'new-password' : 'off'}
        onChange={(e) => set(e.target.value)}
        aria-invalid={f[key] ? true : undefined}
        aria-describedby={[hint ? `${id}-${key}-hint` : '', f[key] ? `${id}-${key}-error` : ''].filter(Boolean).join(' ') || undefined}
      />
      {f[key] && (
        <p className="field-error" id={`${id}-${key}-error`}>
          {f[key]}
        </p>
      )}
    </div>
  );

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('adminUsers.create')}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <FormAlert error={error} shown={['email', 'name', 'password']} />
        {field('email', t('login.email'), email, setEmail, 'email')}
        {field('name', t('adminUsers.name'), name, setName, 'text')}
        {field('password', t('login.password'), password, setPassword, 'password', t('adminUsers.passwordHint'))}
        {roles.length > 0 && (
          <ul className="plain-list" aria-label={t('adminUsers.roles')}>
            {roles.map((r, i) => (
              <li key={i} className="row">
                <span>
                  {roleName(t, r.role)} — {r.unit.name}
                </span>
                <button type="button" className="link-button" onClick={() => setRoles((rs) => rs.filter((_, j) => j !== i))}>
                  {t('adminUsers.removeRole')}
                </button>
              </li>
            ))}
          </ul>
        )}
        {noRole && <p className="field-error">{t('adminUsers.roleRequired')}</p>}
        <MembershipForm units={units} submitLabel={t('adminUsers.addRoleSubmit')} onAdd={(unit, role) => setRoles((rs) => [...rs, { unit, role }])} onPending={setPending} />
        <div className="row">
          <button type="submit" className="button" disabled={!!busy} aria-busy={!!busy || undefined}>
            {busy ? t('common.saving') : t('adminUsers.createSubmit')}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function UserPanel({ id, units, onChanged }: { id: number; units: OrgUnit[]; onChanged: () => void }) {
  const t = useT();
  const lang = useLang();
  const hid = useId();
  const state = useAsync((signal) => getUser(id, signal), [id]);
  const [user, setUser] = useState<AdminUser | null>(null);
  const [name, setName] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const u = user ?? state.data;

  if (!u)
    return (
      <section className="card">{state.status === 'error' ? <ErrorState error={state.error} onRetry={state.reload} /> : <Loading />}</section>
    );

  const apply = (next: AdminUser | undefined, msg: string) => {
    if (!next) return;
    setUser(next);
    setNotice(msg);
    onChanged();
  };
  const f = error?.fieldsFor(lang) ?? {};
  return (
    <section className="card" aria-labelledby={`${hid}-h`} data-testid="user-panel">
      <h2 id={`${hid}-h`}>{u.name}</h2>
      <p className="muted">{u.email}</p>
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      <FormAlert error={error} shown={['name']} />
      <form
        className="form"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          apply(await run('name', () => updateUser(u.id, { name: (name ?? u.name).trim() })), t('adminUnits.saved'));
        }}
      >
        <div className="field">
          <label htmlFor={`${hid}-name`}>{t('adminUsers.name')}</label>
          <input
            id={`${hid}-name`}
            value={name ?? u.name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={f.name ? true : undefined}
            aria-describedby={f.name ? `${hid}-name-error` : undefined}
          />
          {f.name && (
            <p className="field-error" id={`${hid}-name-error`}>
              {f.name}
            </p>
          )}
        </div>
        <div className="row">
          <button type="submit" className="button button-secondary button-small" disabled={!!busy}>
            {t('common.save')}
          </button>
          <button
            type="button"
            className={`button button-small ${u.active ? 'button-danger' : ''}`}
            disabled={!!busy}
            onClick={async () =>
              apply(await run('active', () => updateUser(u.id, { active: !u.active })), t(u.active ? 'adminUsers.deactivated' : 'adminUsers.reactivated'))
            }
          >
            {u.active ? t('adminUsers.deactivate') : t('adminUsers.reactivate')}
          </button>
        </div>
      </form>
      <h3>{t('adminUsers.roles')}</h3>
      {(u.memberships ?? []).length === 0 ? (
        <EmptyState title={t('adminUsers.noRoles')} />
      ) : (
        <ul className="plain-list">
          {(u.memberships ?? []).map((m) => (
            <li key={`${m.unit_id}-${m.role}`} className="row">
              <span>
                {roleName(t, m.role)} — {m.unit_name}
              </span>
              <button
                type="button"
                className="link-button"
                disabled={!!busy}
                aria-label={t('adminUsers.removeRoleOf', { role: roleName(t, m.role), unit: m.unit_name })}
                onClick={async () => apply(await run('remove', () => removeMembership(u.id, m.unit_id, m.role)), t('adminUsers.roleRemoved'))}
              >
                {t('adminUsers.removeRole')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <MembershipForm
        units={units}
        busy={!!busy}
        submitLabel={t('adminUsers.addRoleSubmit')}
        onAdd={async (unit, role) => apply(await run('add', () => addMembership(u.id, unit.id, role)), t('adminUsers.roleAdded'))}
      />
    </section>
  );
}
