-- +goose Up
-- The organisation tree, any depth. path is the materialised path of ids,
-- '/1/5/23/', so a subtree is one indexed prefix scan.
CREATE TABLE org_units (
    id          bigserial PRIMARY KEY,
    parent_id   bigint REFERENCES org_units (id),
    path        text NOT NULL DEFAULT '',
    kind        text NOT NULL CHECK (kind IN ('province', 'standing_committee', 'board', 'district', 'affiliate', 'commune', 'branch')),
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    short_name  text NOT NULL DEFAULT '',
    email       text NOT NULL DEFAULT '',
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX org_units_path_idx ON org_units (path text_pattern_ops);
CREATE INDEX org_units_parent_idx ON org_units (parent_id);

CREATE TABLE users (
    id             bigserial PRIMARY KEY,
    email          text NOT NULL,
    name           text NOT NULL,
    password_hash  text NOT NULL DEFAULT '',
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

CREATE TABLE memberships (
    user_id     bigint NOT NULL REFERENCES users (id),
    unit_id     bigint NOT NULL REFERENCES org_units (id),
    role        text NOT NULL CHECK (role IN ('admin', 'leader', 'officer', 'viewer')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, unit_id, role)
);
CREATE INDEX memberships_unit_idx ON memberships (unit_id);

-- A plan; a district's own implementation plan is a child of the provincial one.
CREATE TABLE plans (
    id               bigserial PRIMARY KEY,
    parent_id        bigint REFERENCES plans (id),
    issuer_unit_id   bigint REFERENCES org_units (id),
    code             text NOT NULL DEFAULT '',
    title            text NOT NULL,
    place            text NOT NULL DEFAULT '',
    issued_on        date,
    term_start_year  int NOT NULL,
    term_end_year    int NOT NULL,
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'closed', 'cancelled')),
    revision         int NOT NULL DEFAULT 1,
    issued_at        timestamptz,
    issued_by        bigint REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (term_end_year >= term_start_year)
);

-- Units that must take part in a plan: build their own plan and report.
CREATE TABLE plan_units (
    plan_id  bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    unit_id  bigint NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (plan_id, unit_id)
);

CREATE TABLE plan_sections (
    id        bigserial PRIMARY KEY,
    plan_id   bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position  int NOT NULL,
    kind      text NOT NULL DEFAULT 'other',
    heading   text NOT NULL DEFAULT '',
    body      text NOT NULL DEFAULT ''
);
CREATE INDEX plan_sections_plan_idx ON plan_sections (plan_id, position);

CREATE TABLE targets (
    id         bigserial PRIMARY KEY,
    plan_id    bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    parent_id  bigint REFERENCES targets (id),
    position   int NOT NULL,
    text       text NOT NULL,
    value      numeric,
    unit       text NOT NULL DEFAULT '',
    direction  text NOT NULL DEFAULT 'at_least' CHECK (direction IN ('at_least', 'at_most', 'exactly')),
    measure    text NOT NULL DEFAULT 'count' CHECK (measure IN ('count', 'percent')),
    baseline   numeric
);
CREATE INDEX targets_plan_idx ON targets (plan_id, position);

CREATE TABLE target_allocations (
    target_id  bigint NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    unit_id    bigint NOT NULL REFERENCES org_units (id),
    value      numeric NOT NULL,
    PRIMARY KEY (target_id, unit_id)
);

CREATE TABLE task_groups (
    id        bigserial PRIMARY KEY,
    plan_id   bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position  int NOT NULL,
    heading   text NOT NULL
);

CREATE TABLE tasks (
    id               bigserial PRIMARY KEY,
    plan_id          bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    task_group_id    bigint REFERENCES task_groups (id) ON DELETE CASCADE,
    position         int NOT NULL,
    text             text NOT NULL,
    due_on           date,
    recurrence       text NOT NULL DEFAULT '',
    expected_output  text NOT NULL DEFAULT ''
);

CREATE TABLE report_cycles (
    id       bigserial PRIMARY KEY,
    plan_id  bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    kind     text NOT NULL CHECK (kind IN ('annual', 'semiannual', 'midterm', 'final')),
    year     int NOT NULL,
    due_on   date NOT NULL,
    UNIQUE (plan_id, kind, year)
);

CREATE TABLE reports (
    id            bigserial PRIMARY KEY,
    cycle_id      bigint NOT NULL REFERENCES report_cycles (id) ON DELETE CASCADE,
    unit_id       bigint NOT NULL REFERENCES org_units (id),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'draft', 'submitted', 'returned', 'accepted', 'waived')),
    due_on        date NOT NULL,
    submitted_at  timestamptz,
    submitted_by  bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cycle_id, unit_id)
);
CREATE INDEX reports_unit_idx ON reports (unit_id);

-- A value, or for percentages a numerator over a denominator.
CREATE TABLE report_values (
    report_id    bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    target_id    bigint NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    value        numeric,
    numerator    numeric,
    denominator  numeric,
    PRIMARY KEY (report_id, target_id),
    CHECK (value IS NULL OR value >= 0),
    CHECK (numerator IS NULL OR numerator >= 0),
    CHECK (denominator IS NULL OR denominator > 0)
);

CREATE TABLE attachments (
    id            bigserial PRIMARY KEY,
    owner_kind    text NOT NULL,
    owner_id      bigint NOT NULL,
    filename      text NOT NULL,
    content_type  text NOT NULL,
    size_bytes    bigint NOT NULL,
    sha256        text NOT NULL,
    storage_path  text NOT NULL,
    uploaded_by   bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_owner_idx ON attachments (owner_kind, owner_id);

-- What a unit must do: its report for a cycle, its own plan, a task of the plan.
-- idempotency_key makes the workflow activity that writes it safe to retry.
CREATE TABLE unit_tasks (
    id               bigserial PRIMARY KEY,
    idempotency_key  text NOT NULL UNIQUE,
    plan_id          bigint REFERENCES plans (id) ON DELETE CASCADE,
    unit_id          bigint NOT NULL REFERENCES org_units (id),
    kind             text NOT NULL CHECK (kind IN ('report', 'unit_plan', 'task')),
    report_id        bigint REFERENCES reports (id) ON DELETE CASCADE,
    task_id          bigint REFERENCES tasks (id) ON DELETE CASCADE,
    title            text NOT NULL,
    status           text NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'in_progress', 'done', 'confirmed', 'waived', 'cancelled')),
    due_on           date,
    workflow_id      text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unit_tasks_unit_idx ON unit_tasks (unit_id, status);
CREATE INDEX unit_tasks_plan_idx ON unit_tasks (plan_id);

-- The outbox: every email is a row first, with a unique idempotency key per
-- escalation step, so a retried or replayed activity never mails twice.
CREATE TABLE notifications (
    id               bigserial PRIMARY KEY,
    idempotency_key  text NOT NULL UNIQUE,
    plan_id          bigint REFERENCES plans (id) ON DELETE SET NULL,
    unit_id          bigint REFERENCES org_units (id),
    recipient        text NOT NULL,
    template         text NOT NULL,
    subject          text NOT NULL,
    body_text        text NOT NULL,
    body_html        text NOT NULL DEFAULT '',
    status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'held')),
    attempts         int NOT NULL DEFAULT 0,
    last_error       text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX notifications_status_idx ON notifications (status, created_at);
CREATE INDEX notifications_plan_idx ON notifications (plan_id, created_at);

-- Every write, with who did it, in the same transaction as the write.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint REFERENCES users (id),
    actor       text NOT NULL DEFAULT '',
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    before      jsonb,
    after       jsonb,
    request_id  text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- +goose Down
DROP TABLE audit_log, notifications, unit_tasks, attachments, report_values, reports,
    report_cycles, tasks, task_groups, target_allocations, targets, plan_sections,
    plan_units, plans, memberships, users, org_units;
