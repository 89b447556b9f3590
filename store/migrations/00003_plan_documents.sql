-- +goose Up
-- A plan as the document it was read from: what it implements, its source
-- text, and where in that text each item was read, for review.
ALTER TABLE plans
    ADD COLUMN implements   text[] NOT NULL DEFAULT '{}',
    ADD COLUMN source_name  text NOT NULL DEFAULT '',
    ADD COLUMN source_text  text NOT NULL DEFAULT '';

ALTER TABLE plan_sections ADD COLUMN source_start int, ADD COLUMN source_end int;
ALTER TABLE targets
    ADD COLUMN source_start  int,
    ADD COLUMN source_end    int,
    ADD COLUMN needs_review  boolean NOT NULL DEFAULT false,
    ADD COLUMN review_note   text NOT NULL DEFAULT '';
ALTER TABLE task_groups ADD COLUMN source_start int, ADD COLUMN source_end int;
ALTER TABLE tasks
    ADD COLUMN source_start  int,
    ADD COLUMN source_end    int,
    ADD COLUMN needs_review  boolean NOT NULL DEFAULT false,
    ADD COLUMN review_note   text NOT NULL DEFAULT '';

-- The units that lead a task or support it.
CREATE TABLE task_units (
    task_id  bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    unit_id  bigint NOT NULL REFERENCES org_units (id),
    role     text NOT NULL CHECK (role IN ('lead', 'support')),
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_units_unit_idx ON task_units (unit_id);

-- Who must build a plan, report or review, and when (Tổ chức thực hiện).
CREATE TABLE responsibilities (
    id                  bigserial PRIMARY KEY,
    plan_id             bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position            int NOT NULL,
    text                text NOT NULL,
    unit_kind           text NOT NULL DEFAULT '',
    action              text NOT NULL DEFAULT '',
    due_on              date,
    recurrence          text NOT NULL DEFAULT '',
    with_annual_report  boolean NOT NULL DEFAULT false,
    source_start        int,
    source_end          int
);
CREATE INDEX responsibilities_plan_idx ON responsibilities (plan_id, position);

-- The distribution list (Nơi nhận).
CREATE TABLE plan_recipients (
    id        bigserial PRIMARY KEY,
    plan_id   bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position  int NOT NULL,
    text      text NOT NULL,
    unit_id   bigint REFERENCES org_units (id)
);
CREATE INDEX plan_recipients_plan_idx ON plan_recipients (plan_id, position);

-- Every earlier revision of an amended plan, whole.
CREATE TABLE plan_revisions (
    plan_id     bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    revision    int NOT NULL,
    snapshot    jsonb NOT NULL,
    reason      text NOT NULL DEFAULT '',
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plan_id, revision)
);

-- Editing a plan must never take reported figures or a unit's work with it:
-- a target, task or cycle that has them cannot be removed.
ALTER TABLE report_values DROP CONSTRAINT report_values_target_id_fkey,
    ADD CONSTRAINT report_values_target_id_fkey FOREIGN KEY (target_id) REFERENCES targets (id);
ALTER TABLE reports DROP CONSTRAINT reports_cycle_id_fkey,
    ADD CONSTRAINT reports_cycle_id_fkey FOREIGN KEY (cycle_id) REFERENCES report_cycles (id);
ALTER TABLE unit_tasks DROP CONSTRAINT unit_tasks_task_id_fkey,
    ADD CONSTRAINT unit_tasks_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id);

-- +goose Down
ALTER TABLE unit_tasks DROP CONSTRAINT unit_tasks_task_id_fkey,
    ADD CONSTRAINT unit_tasks_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE;
ALTER TABLE reports DROP CONSTRAINT reports_cycle_id_fkey,
    ADD CONSTRAINT reports_cycle_id_fkey FOREIGN KEY (cycle_id) REFERENCES report_cycles (id) ON DELETE CASCADE;
ALTER TABLE report_values DROP CONSTRAINT report_values_target_id_fkey,
    ADD CONSTRAINT report_values_target_id_fkey FOREIGN KEY (target_id) REFERENCES targets (id) ON DELETE CASCADE;
DROP TABLE plan_revisions, plan_recipients, responsibilities, task_units;
ALTER TABLE tasks DROP COLUMN source_start, DROP COLUMN source_end, DROP COLUMN needs_review, DROP COLUMN review_note;
ALTER TABLE task_groups DROP COLUMN source_start, DROP COLUMN source_end;
ALTER TABLE targets DROP COLUMN source_start, DROP COLUMN source_end, DROP COLUMN needs_review, DROP COLUMN review_note;
ALTER TABLE plan_sections DROP COLUMN source_start, DROP COLUMN source_end;
ALTER TABLE plans DROP COLUMN implements, DROP COLUMN source_name, DROP COLUMN source_text;
