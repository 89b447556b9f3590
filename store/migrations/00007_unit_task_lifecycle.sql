-- +goose Up
-- A unit task carries its own content when it is not a report: an ad-hoc
-- task a leader assigns outside any plan (plan_id NULL), a task of a plan
-- or the unit's own implementation plan. The assigning side confirms it or
-- returns it; supporting units (phối hợp) add contributions; every step is
-- in its history.
ALTER TABLE unit_tasks
    ADD COLUMN description          text NOT NULL DEFAULT '',
    ADD COLUMN result               text NOT NULL DEFAULT '',
    ADD COLUMN recurrence           text NOT NULL DEFAULT '',
    ADD COLUMN assigned_by_unit_id  bigint REFERENCES org_units (id),
    ADD COLUMN assigned_by_user     bigint REFERENCES users (id),
    ADD COLUMN child_plan_id        bigint REFERENCES plans (id) ON DELETE SET NULL;
CREATE INDEX unit_tasks_assigned_by_idx ON unit_tasks (assigned_by_unit_id, status);

CREATE TABLE unit_task_supporters (
    unit_task_id  bigint NOT NULL REFERENCES unit_tasks (id) ON DELETE CASCADE,
    unit_id       bigint NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (unit_task_id, unit_id)
);
CREATE INDEX unit_task_supporters_unit_idx ON unit_task_supporters (unit_id);

CREATE TABLE unit_task_contributions (
    id            bigserial PRIMARY KEY,
    unit_task_id  bigint NOT NULL REFERENCES unit_tasks (id) ON DELETE CASCADE,
    unit_id       bigint NOT NULL REFERENCES org_units (id),
    text          text NOT NULL,
    by_user       bigint REFERENCES users (id),
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unit_task_contributions_task_idx ON unit_task_contributions (unit_task_id, at);

-- key is the idempotency key of the step (the workflow update's ID), so a
-- retried activity records a step once.
CREATE TABLE unit_task_events (
    id              bigserial PRIMARY KEY,
    unit_task_id    bigint NOT NULL REFERENCES unit_tasks (id) ON DELETE CASCADE,
    key             text NOT NULL,
    action          text NOT NULL CHECK (action IN ('assign', 'start', 'complete', 'confirm', 'return', 'cancel')),
    comment         text NOT NULL DEFAULT '',
    due_on          date,
    attachment_ids  bigint[] NOT NULL DEFAULT '{}',
    by_user         bigint REFERENCES users (id),
    at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (unit_task_id, key)
);

-- +goose Down
DROP TABLE unit_task_events, unit_task_contributions, unit_task_supporters;
DROP INDEX unit_tasks_assigned_by_idx;
ALTER TABLE unit_tasks DROP COLUMN description, DROP COLUMN result, DROP COLUMN recurrence,
    DROP COLUMN assigned_by_unit_id, DROP COLUMN assigned_by_user, DROP COLUMN child_plan_id;
