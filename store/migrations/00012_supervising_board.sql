-- +goose Up
-- The specialised board (ban chuyên môn) that follows a unit: the
-- supervising_board audience of the escalation ladder reaches it. NULL: the
-- standing committee receives those escalations, as before.
ALTER TABLE org_units ADD COLUMN supervisor_unit_id bigint REFERENCES org_units (id),
    ADD CONSTRAINT org_units_supervisor_not_self CHECK (supervisor_unit_id <> id);

-- +goose Down
ALTER TABLE org_units DROP COLUMN supervisor_unit_id;
