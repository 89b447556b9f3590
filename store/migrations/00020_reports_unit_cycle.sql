-- +goose Up
-- The matrix looks a page of units' reports up unit by unit (store.Matrix):
-- by (unit_id, cycle_id) it reads only the reports of the plan's cycles,
-- where reports_unit_idx read every report the unit ever had, of every
-- plan, and filtered them. It replaces reports_unit_idx, whose lookups by
-- unit alone it serves as well.
CREATE INDEX reports_unit_cycle_idx ON reports (unit_id, cycle_id);
DROP INDEX reports_unit_idx;

-- +goose Down
CREATE INDEX reports_unit_idx ON reports (unit_id);
DROP INDEX reports_unit_cycle_idx;
