-- +goose Up
-- A unit's report in progress: what it saved without submitting, and the
-- narrative it writes per task group (saved with the draft, kept on submit).
CREATE TABLE report_drafts (
    report_id  bigint PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    values     jsonb NOT NULL DEFAULT '[]',
    narratives jsonb NOT NULL DEFAULT '[]',
    saved_by   bigint REFERENCES users (id),
    saved_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE report_narratives (
    report_id      bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    task_group_id  bigint NOT NULL REFERENCES task_groups (id),
    text           text NOT NULL,
    PRIMARY KEY (report_id, task_group_id)
);

-- A mid-term (sơ kết) or final (tổng kết) review dossier: the figures
-- rolled up over the tree against the targets, completeness and timeliness
-- per unit, compiled once per plan and cycle.
CREATE TABLE reviews (
    id           bigserial PRIMARY KEY,
    plan_id      bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    cycle_id     bigint NOT NULL REFERENCES report_cycles (id),
    dossier      jsonb NOT NULL,
    compiled_at  timestamptz NOT NULL DEFAULT now(),
    compiled_by  bigint REFERENCES users (id),
    UNIQUE (plan_id, cycle_id)
);

-- Gathering a plan's values over a subtree: reports by cycle with their
-- unit, values by report with the figures in the index.
CREATE INDEX reports_cycle_unit_idx ON reports (cycle_id, unit_id) INCLUDE (status, due_on, submitted_at);
CREATE INDEX report_values_report_cover_idx ON report_values (report_id, target_id) INCLUDE (value, numerator, denominator);
-- The last email about a unit's report.
CREATE INDEX notifications_plan_unit_idx ON notifications (plan_id, unit_id, created_at);

-- +goose Down
DROP INDEX notifications_plan_unit_idx, report_values_report_cover_idx, reports_cycle_unit_idx;
DROP TABLE reviews, report_narratives, report_drafts;
