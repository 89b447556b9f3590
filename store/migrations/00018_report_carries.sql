-- +goose Up
-- The figures each unit carries into a cycle it has no received report
-- for: its latest received report of an earlier cycle of the plan (cycles
-- in (due_on, id) order), as the dashboard counts a unit's latest figure
-- (store.CarriedSums). report_carries says which report a unit carries into
-- which cycle; report_carried_sums sums those reports' values per cycle,
-- target and every ancestor of the unit (itself included), as report_sums
-- does for the cycle's own reports. A dashboard then reads its node's rows
-- of both instead of walking the subtree's reports on every load.
--
-- Kept by the statement triggers below, in the transaction that changes a
-- report's status or values: a unit's carries are recomputed when one of
-- its reports becomes or stops being received (submit, accept, return,
-- waive) and only the difference is applied to the sums; values changed on
-- a received report move the sums of the cycles it is carried into; a
-- plan's carries are rebuilt when its cycles are added, removed or moved
-- (an amended plan), or one of its received reports is deleted; the sums
-- are rebuilt when units move. Writers of one plan's carries are
-- serialized by a transaction advisory lock on the plan (key space 18).
CREATE TABLE report_carries (
    unit_id    bigint NOT NULL REFERENCES org_units (id),
    cycle_id   bigint NOT NULL REFERENCES report_cycles (id) ON DELETE CASCADE,
    report_id  bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    PRIMARY KEY (unit_id, cycle_id)
);
CREATE INDEX report_carries_report_idx ON report_carries (report_id);
CREATE INDEX report_carries_cycle_idx ON report_carries (cycle_id);

CREATE TABLE report_carried_sums (
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
CREATE INDEX report_carried_sums_cycle_idx ON report_carried_sums (cycle_id);

-- +goose StatementBegin
CREATE FUNCTION report_carry_lock(plans bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(18, (p % 2147483647)::int)
    FROM (SELECT DISTINCT p FROM unnest(plans) AS p WHERE p IS NOT NULL ORDER BY p) x;
END $$;
-- +goose StatementEnd

-- report_carry_add adds the signed values of carried reports to the sums of
-- every ancestor of the carrying unit (itself included): each row of d is
-- one value (target_id, value, numerator, denominator) a unit carries into
-- a cycle, with sign 1 (it came) or -1 (it went). Rows are upserted in
-- (unit, cycle, target) order, as report_sums' triggers do, so concurrent
-- writers lock them in one order.
CREATE TYPE report_carry_delta AS (unit_id bigint, cycle_id bigint, target_id bigint,
    value numeric, numerator numeric, denominator numeric, sign int);

-- +goose StatementBegin
CREATE FUNCTION report_carry_add(d report_carry_delta[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_carried_sums AS s (cycle_id, target_id, unit_id, value, numerator, denominator, value_units, ratio_units)
    SELECT v.cycle_id, v.target_id, a.id,
           COALESCE(sum(v.sign * v.value), 0),
           COALESCE(sum(v.sign * v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0),
           COALESCE(sum(v.sign * v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0),
           COALESCE(sum(v.sign) FILTER (WHERE v.value IS NOT NULL), 0),
           COALESCE(sum(v.sign) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL), 0)
    FROM unnest(d) v
    JOIN org_units o ON o.id = v.unit_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM o.path), '/')::bigint[]) AS a(id)
    GROUP BY 1, 2, 3
    ORDER BY 3, 1, 2
    ON CONFLICT (unit_id, cycle_id, target_id) DO UPDATE SET value = s.value + EXCLUDED.value,
        numerator = s.numerator + EXCLUDED.numerator, denominator = s.denominator + EXCLUDED.denominator,
        value_units = s.value_units + EXCLUDED.value_units, ratio_units = s.ratio_units + EXCLUDED.ratio_units;
END $$;
-- +goose StatementEnd

-- report_carry_refresh recomputes the carries of the units units[i] in the
-- plans plans[i] and applies the difference to report_carried_sums.
-- +goose StatementBegin
CREATE FUNCTION report_carry_refresh(units bigint[], plans bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    changes report_carry_delta[];
BEGIN
    WITH k AS MATERIALIZED (
        SELECT DISTINCT unit_id, plan_id FROM unnest(units, plans) AS k(unit_id, plan_id)),
    cyc AS MATERIALIZED (
        SELECT c.id, c.plan_id, row_number() OVER (PARTITION BY c.plan_id ORDER BY c.due_on, c.id) AS n
        FROM report_cycles c WHERE c.plan_id IN (SELECT plan_id FROM k)),
    rec AS (
        SELECT k.unit_id, cyc.plan_id, r.id, cyc.n,
               lead(cyc.n) OVER (PARTITION BY k.unit_id, cyc.plan_id ORDER BY cyc.n) AS next
        FROM k JOIN cyc ON cyc.plan_id = k.plan_id
        JOIN reports r ON r.cycle_id = cyc.id AND r.unit_id = k.unit_id
        WHERE r.status IN ('submitted', 'accepted')),
    new AS MATERIALIZED (
        SELECT rec.unit_id, c.id AS cycle_id, rec.id AS report_id
        FROM rec JOIN cyc c ON c.plan_id = rec.plan_id AND c.n > rec.n AND (rec.next IS NULL OR c.n < rec.next)),
    old AS MATERIALIZED (
        SELECT f.unit_id, f.cycle_id, f.report_id
        FROM k JOIN cyc ON cyc.plan_id = k.plan_id
        JOIN report_carries f ON f.unit_id = k.unit_id AND f.cycle_id = cyc.id),
    gone AS (
        DELETE FROM report_carries f USING old o
        WHERE f.unit_id = o.unit_id AND f.cycle_id = o.cycle_id
          AND NOT EXISTS (SELECT 1 FROM new n WHERE n.unit_id = o.unit_id AND n.cycle_id = o.cycle_id)),
    moved AS (
        UPDATE report_carries f SET report_id = n.report_id FROM new n
        WHERE f.unit_id = n.unit_id AND f.cycle_id = n.cycle_id AND f.report_id <> n.report_id),
    came AS (
        INSERT INTO report_carries (unit_id, cycle_id, report_id)
        SELECT n.unit_id, n.cycle_id, n.report_id FROM new n
        WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.unit_id = n.unit_id AND o.cycle_id = n.cycle_id)),
    delta AS (
        SELECT n.unit_id, n.cycle_id, n.report_id, 1 AS sign FROM new n
        WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.unit_id = n.unit_id AND o.cycle_id = n.cycle_id AND o.report_id = n.report_id)
        UNION ALL
        SELECT o.unit_id, o.cycle_id, o.report_id, -1 FROM old o
        WHERE NOT EXISTS (SELECT 1 FROM new n WHERE n.unit_id = o.unit_id AND n.cycle_id = o.cycle_id AND n.report_id = o.report_id))
    SELECT ARRAY(SELECT ROW(d.unit_id, d.cycle_id, v.target_id, v.value, v.numerator, v.denominator, d.sign)::report_carry_delta
                 FROM delta d JOIN report_values v ON v.report_id = d.report_id) INTO changes;
    PERFORM report_carry_add(changes);
END $$;
-- +goose StatementEnd

-- report_carry_rebuild recomputes every carry of the plans from scratch.
-- +goose StatementBegin
CREATE FUNCTION report_carry_rebuild(plans bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    u bigint[];
    p bigint[];
BEGIN
    PERFORM report_carry_lock(plans);
    DELETE FROM report_carried_sums s USING report_cycles c WHERE c.id = s.cycle_id AND c.plan_id = ANY (plans);
    DELETE FROM report_carries f USING report_cycles c WHERE c.id = f.cycle_id AND c.plan_id = ANY (plans);
    SELECT array_agg(x.unit_id), array_agg(x.plan_id) INTO u, p
    FROM (SELECT DISTINCT r.unit_id, c.plan_id FROM reports r JOIN report_cycles c ON c.id = r.cycle_id
          WHERE c.plan_id = ANY (plans) AND r.status IN ('submitted', 'accepted')) x;
    IF u IS NOT NULL THEN
        PERFORM report_carry_refresh(u, p);
    END IF;
END $$;
-- +goose StatementEnd

-- A report inserted, or updated so that it becomes or stops being
-- received (or changes unit or cycle): its unit's carries in its plan.
-- +goose StatementBegin
CREATE FUNCTION report_carry_reports_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    u bigint[];
    p bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(r.unit_id), array_agg(c.plan_id) INTO u, p
        FROM after_rows r JOIN report_cycles c ON c.id = r.cycle_id
        WHERE r.status IN ('submitted', 'accepted');
    ELSE
        -- the row before and the row after, each where the report became or
        -- stopped being received, or moved while received on that side
        SELECT array_agg(y.unit_id), array_agg(c.plan_id) INTO u, p
        FROM (SELECT DISTINCT x.unit_id, x.cycle_id
              FROM before_rows b JOIN after_rows a ON a.id = b.id
              CROSS JOIN LATERAL (VALUES (b.unit_id, b.cycle_id, b.status), (a.unit_id, a.cycle_id, a.status)) AS x(unit_id, cycle_id, status)
              WHERE (b.status IN ('submitted', 'accepted')) <> (a.status IN ('submitted', 'accepted'))
                 OR ((b.unit_id <> a.unit_id OR b.cycle_id <> a.cycle_id) AND x.status IN ('submitted', 'accepted'))) y
        JOIN report_cycles c ON c.id = y.cycle_id;
    END IF;
    IF u IS NOT NULL THEN
        PERFORM report_carry_lock(p);
        PERFORM report_carry_refresh(u, p);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- A received report deleted: its plan's carries rebuilt (those that
-- carried it are gone with it). A cycle deleted rebuilds its plan below.
-- +goose StatementBegin
CREATE FUNCTION report_carry_reports_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p bigint[];
BEGIN
    SELECT array_agg(DISTINCT c.plan_id) INTO p
    FROM before_rows r JOIN report_cycles c ON c.id = r.cycle_id
    WHERE r.status IN ('submitted', 'accepted');
    IF p IS NOT NULL THEN
        PERFORM report_carry_rebuild(p);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- A plan's cycles added, removed or moved (their order is what a unit
-- carries by): the plan's carries rebuilt.
-- +goose StatementBegin
CREATE FUNCTION report_carry_cycles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT plan_id) INTO p FROM after_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT plan_id) INTO p FROM before_rows;
    ELSE
        SELECT array_agg(DISTINCT x.plan_id) INTO p
        FROM before_rows b JOIN after_rows a ON a.id = b.id
        CROSS JOIN LATERAL (VALUES (b.plan_id), (a.plan_id)) AS x(plan_id)
        WHERE b.due_on IS DISTINCT FROM a.due_on OR b.plan_id <> a.plan_id;
    END IF;
    IF p IS NOT NULL THEN
        PERFORM report_carry_rebuild(p);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Values changed on a received report: the sums of the cycles it is
-- carried into move by the difference.
-- +goose StatementBegin
CREATE FUNCTION report_carry_values_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[] := '{}';
    changes report_carry_delta[] := '{}';
    p bigint[];
BEGIN
    -- A transition table exists only for the operations that have it.
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        ids := ids || ARRAY(SELECT DISTINCT report_id FROM removed);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        ids := ids || ARRAY(SELECT DISTINCT report_id FROM added);
    END IF;
    SELECT array_agg(DISTINCT c.plan_id) INTO p
    FROM reports r JOIN report_cycles c ON c.id = r.cycle_id
    WHERE r.id = ANY (ids) AND r.status IN ('submitted', 'accepted');
    IF p IS NULL THEN
        RETURN NULL; -- no received report: none is carried
    END IF;
    PERFORM report_carry_lock(p);
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        changes := changes || ARRAY(
            SELECT ROW(f.unit_id, f.cycle_id, v.target_id, v.value, v.numerator, v.denominator, -1)::report_carry_delta
            FROM removed v JOIN report_carries f ON f.report_id = v.report_id
            JOIN report_cycles k ON k.id = f.cycle_id JOIN targets t ON t.id = v.target_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        changes := changes || ARRAY(
            SELECT ROW(f.unit_id, f.cycle_id, v.target_id, v.value, v.numerator, v.denominator, 1)::report_carry_delta
            FROM added v JOIN report_carries f ON f.report_id = v.report_id
            JOIN report_cycles k ON k.id = f.cycle_id JOIN targets t ON t.id = v.target_id);
    END IF;
    PERFORM report_carry_add(changes);
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Units moved: the sums rebuilt over their new ancestors (the carries,
-- per unit, stay).
-- +goose StatementBegin
CREATE FUNCTION report_carry_units_moved() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pl bigint;
BEGIN
    DELETE FROM report_carried_sums;
    -- plan by plan, so that no array holds every carried value at once
    FOR pl IN SELECT DISTINCT c.plan_id FROM report_carries f JOIN report_cycles c ON c.id = f.cycle_id ORDER BY 1 LOOP
        PERFORM report_carry_add(ARRAY(
            SELECT ROW(f.unit_id, f.cycle_id, v.target_id, v.value, v.numerator, v.denominator, 1)::report_carry_delta
            FROM report_carries f JOIN report_cycles c ON c.id = f.cycle_id JOIN report_values v ON v.report_id = f.report_id
            WHERE c.plan_id = pl));
    END LOOP;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Named to fire before report_sums' triggers (alphabetical order), so that
-- the plan's lock is taken before report_sums' rows are.
CREATE TRIGGER report_carry_reports_insert AFTER INSERT ON reports REFERENCING NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_carry_reports_changed();
CREATE TRIGGER report_carry_reports_update AFTER UPDATE ON reports REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_carry_reports_changed();
CREATE TRIGGER report_carry_reports_delete AFTER DELETE ON reports REFERENCING OLD TABLE AS before_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_carry_reports_removed();
CREATE TRIGGER report_carry_cycles_insert AFTER INSERT ON report_cycles REFERENCING NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_carry_cycles_changed();
CREATE TRIGGER report_carry_cycles_update AFTER UPDATE ON report_cycles REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_carry_cycles_changed();
CREATE TRIGGER report_carry_cycles_delete AFTER DELETE ON report_cycles REFERENCING OLD TABLE AS before_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_carry_cycles_changed();
CREATE TRIGGER report_carry_values_insert AFTER INSERT ON report_values REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION report_carry_values_changed();
CREATE TRIGGER report_carry_values_delete AFTER DELETE ON report_values REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION report_carry_values_changed();
CREATE TRIGGER report_carry_values_update AFTER UPDATE ON report_values REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION report_carry_values_changed();
CREATE TRIGGER report_carry_units_moved AFTER UPDATE OF path ON org_units
    FOR EACH STATEMENT EXECUTE FUNCTION report_carry_units_moved();

-- The carries of the reports there are.
SELECT report_carry_rebuild(ARRAY(SELECT id FROM plans ORDER BY id));
ANALYZE report_carries, report_carried_sums;

-- +goose Down
DROP TRIGGER report_carry_units_moved ON org_units;
DROP TRIGGER report_carry_values_update ON report_values;
DROP TRIGGER report_carry_values_delete ON report_values;
DROP TRIGGER report_carry_values_insert ON report_values;
DROP TRIGGER report_carry_cycles_delete ON report_cycles;
DROP TRIGGER report_carry_cycles_update ON report_cycles;
DROP TRIGGER report_carry_cycles_insert ON report_cycles;
DROP TRIGGER report_carry_reports_delete ON reports;
DROP TRIGGER report_carry_reports_update ON reports;
DROP TRIGGER report_carry_reports_insert ON reports;
DROP FUNCTION report_carry_units_moved, report_carry_values_changed, report_carry_cycles_changed,
    report_carry_reports_removed, report_carry_reports_changed, report_carry_rebuild, report_carry_refresh, report_carry_add, report_carry_lock;
DROP TYPE report_carry_delta;
DROP TABLE report_carried_sums, report_carries;
