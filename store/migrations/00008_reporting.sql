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

-- The received reports' values summed per cycle, target and every ancestor
-- of the reporting unit (itself included), so that a dashboard at any node
-- reads a few rows instead of summing a subtree's values. Kept by the
-- statement triggers below on every change of values or of a report's
-- status; rebuilt whole when units move.
CREATE TABLE report_sums (
    unit_id      bigint NOT NULL REFERENCES org_units (id),
    cycle_id     bigint NOT NULL REFERENCES report_cycles (id) ON DELETE CASCADE,
    target_id    bigint NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    value        numeric NOT NULL DEFAULT 0,
    numerator    numeric NOT NULL DEFAULT 0,
    denominator  numeric NOT NULL DEFAULT 0,
    value_units  int NOT NULL DEFAULT 0,
    ratio_units  int NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, cycle_id, target_id)
);

-- +goose StatementBegin
CREATE FUNCTION report_sums_values_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_sums AS s (cycle_id, target_id, unit_id, value, numerator, denominator, value_units, ratio_units)
    SELECT r.cycle_id, v.target_id, a.id,
           1 * COALESCE(sum(v.value), 0),
           1 * COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0),
           1 * COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0),
           1 * count(v.value),
           1 * count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
    FROM added v JOIN reports r ON r.id = v.report_id
    JOIN org_units o ON o.id = r.unit_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM o.path), '/')::bigint[]) AS a(id)
    WHERE r.status IN ('submitted', 'accepted')
    GROUP BY 1, 2, 3
    ON CONFLICT (unit_id, cycle_id, target_id) DO UPDATE SET value = s.value + EXCLUDED.value,
        numerator = s.numerator + EXCLUDED.numerator, denominator = s.denominator + EXCLUDED.denominator,
        value_units = s.value_units + EXCLUDED.value_units, ratio_units = s.ratio_units + EXCLUDED.ratio_units;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_sums_values_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_sums AS s (cycle_id, target_id, unit_id, value, numerator, denominator, value_units, ratio_units)
    SELECT r.cycle_id, v.target_id, a.id,
           -1 * COALESCE(sum(v.value), 0),
           -1 * COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0),
           -1 * COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0),
           -1 * count(v.value),
           -1 * count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
    FROM removed v JOIN reports r ON r.id = v.report_id
    JOIN org_units o ON o.id = r.unit_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM o.path), '/')::bigint[]) AS a(id)
    WHERE r.status IN ('submitted', 'accepted')
    GROUP BY 1, 2, 3
    ON CONFLICT (unit_id, cycle_id, target_id) DO UPDATE SET value = s.value + EXCLUDED.value,
        numerator = s.numerator + EXCLUDED.numerator, denominator = s.denominator + EXCLUDED.denominator,
        value_units = s.value_units + EXCLUDED.value_units, ratio_units = s.ratio_units + EXCLUDED.ratio_units;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_sums_values_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_sums AS s (cycle_id, target_id, unit_id, value, numerator, denominator, value_units, ratio_units)
    SELECT r.cycle_id, v.target_id, a.id,
           -1 * COALESCE(sum(v.value), 0),
           -1 * COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0),
           -1 * COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0),
           -1 * count(v.value),
           -1 * count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
    FROM removed v JOIN reports r ON r.id = v.report_id
    JOIN org_units o ON o.id = r.unit_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM o.path), '/')::bigint[]) AS a(id)
    WHERE r.status IN ('submitted', 'accepted')
    GROUP BY 1, 2, 3
    ON CONFLICT (unit_id, cycle_id, target_id) DO UPDATE SET value = s.value + EXCLUDED.value,
        numerator = s.numerator + EXCLUDED.numerator, denominator = s.denominator + EXCLUDED.denominator,
        value_units = s.value_units + EXCLUDED.value_units, ratio_units = s.ratio_units + EXCLUDED.ratio_units;
    INSERT INTO report_sums AS s (cycle_id, target_id, unit_id, value, numerator, denominator, value_units, ratio_units)
    SELECT r.cycle_id, v.target_id, a.id,
           1 * COALESCE(sum(v.value), 0),
           1 * COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0),
           1 * COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0),
           1 * count(v.value),
           1 * count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
    FROM added v JOIN reports r ON r.id = v.report_id
    JOIN org_units o ON o.id = r.unit_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM o.path), '/')::bigint[]) AS a(id)
    WHERE r.status IN ('submitted', 'accepted')
    GROUP BY 1, 2, 3
    ON CONFLICT (unit_id, cycle_id, target_id) DO UPDATE SET value = s.value + EXCLUDED.value,
        numerator = s.numerator + EXCLUDED.numerator, denominator = s.denominator + EXCLUDED.denominator,
        value_units = s.value_units + EXCLUDED.value_units, ratio_units = s.ratio_units + EXCLUDED.ratio_units;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- A report received (submitted, accepted) adds its values; one no longer
-- received (returned, waived) takes them away.
-- +goose StatementBegin
CREATE FUNCTION report_sums_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_sums AS s (cycle_id, target_id, unit_id, value, numerator, denominator, value_units, ratio_units)
    SELECT r.cycle_id, v.target_id, a.id,
           1 * COALESCE(sum(v.value), 0),
           1 * COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0),
           1 * COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0),
           1 * count(v.value),
           1 * count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
    FROM after_rows r JOIN before_rows b ON b.id = r.id JOIN report_values v ON v.report_id = r.id
    JOIN org_units o ON o.id = r.unit_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM o.path), '/')::bigint[]) AS a(id)
    WHERE r.status IN ('submitted', 'accepted') AND b.status NOT IN ('submitted', 'accepted')
    GROUP BY 1, 2, 3
    ON CONFLICT (unit_id, cycle_id, target_id) DO UPDATE SET value = s.value + EXCLUDED.value,
        numerator = s.numerator + EXCLUDED.numerator, denominator = s.denominator + EXCLUDED.denominator,
        value_units = s.value_units + EXCLUDED.value_units, ratio_units = s.ratio_units + EXCLUDED.ratio_units;
    INSERT INTO report_sums AS s (cycle_id, target_id, unit_id, value, numerator, denominator, value_units, ratio_units)
    SELECT r.cycle_id, v.target_id, a.id,
           -1 * COALESCE(sum(v.value), 0),
           -1 * COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0),
           -1 * COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0),
           -1 * count(v.value),
           -1 * count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
    FROM before_rows r JOIN after_rows n ON n.id = r.id JOIN report_values v ON v.report_id = r.id
    JOIN org_units o ON o.id = r.unit_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM o.path), '/')::bigint[]) AS a(id)
    WHERE r.status IN ('submitted', 'accepted') AND n.status NOT IN ('submitted', 'accepted')
    GROUP BY 1, 2, 3
    ON CONFLICT (unit_id, cycle_id, target_id) DO UPDATE SET value = s.value + EXCLUDED.value,
        numerator = s.numerator + EXCLUDED.numerator, denominator = s.denominator + EXCLUDED.denominator,
        value_units = s.value_units + EXCLUDED.value_units, ratio_units = s.ratio_units + EXCLUDED.ratio_units;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_sums_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM report_sums;
    INSERT INTO report_sums AS s (cycle_id, target_id, unit_id, value, numerator, denominator, value_units, ratio_units)
    SELECT r.cycle_id, v.target_id, a.id,
           1 * COALESCE(sum(v.value), 0),
           1 * COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0),
           1 * COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0),
           1 * count(v.value),
           1 * count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
    FROM report_values v JOIN reports r ON r.id = v.report_id
    JOIN org_units o ON o.id = r.unit_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM o.path), '/')::bigint[]) AS a(id)
    WHERE r.status IN ('submitted', 'accepted')
    GROUP BY 1, 2, 3
    ON CONFLICT (unit_id, cycle_id, target_id) DO UPDATE SET value = s.value + EXCLUDED.value,
        numerator = s.numerator + EXCLUDED.numerator, denominator = s.denominator + EXCLUDED.denominator,
        value_units = s.value_units + EXCLUDED.value_units, ratio_units = s.ratio_units + EXCLUDED.ratio_units;
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER report_sums_insert AFTER INSERT ON report_values REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION report_sums_values_added();
CREATE TRIGGER report_sums_delete AFTER DELETE ON report_values REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION report_sums_values_removed();
CREATE TRIGGER report_sums_update AFTER UPDATE ON report_values REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION report_sums_values_changed();
CREATE TRIGGER report_sums_status AFTER UPDATE ON reports REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_sums_status_changed();
CREATE TRIGGER report_sums_moved AFTER UPDATE OF path ON org_units
    FOR EACH STATEMENT EXECUTE FUNCTION report_sums_rebuild();

-- +goose Down
DROP TRIGGER report_sums_moved ON org_units;
DROP TRIGGER report_sums_status ON reports;
DROP TRIGGER report_sums_update ON report_values;
DROP TRIGGER report_sums_delete ON report_values;
DROP TRIGGER report_sums_insert ON report_values;
DROP FUNCTION report_sums_rebuild, report_sums_status_changed, report_sums_values_changed, report_sums_values_removed, report_sums_values_added;
DROP TABLE report_sums;
DROP INDEX notifications_plan_unit_idx, report_values_report_cover_idx, reports_cycle_unit_idx;
DROP TABLE reviews, report_narratives, report_drafts;
