-- +goose Up
-- A plan's own escalation ladder (escalation.Policy as JSON); NULL is the
-- default ladder of DESIGN.md. Reports and tasks opened after a change use it.
ALTER TABLE plans ADD COLUMN escalation_policy jsonb;

-- +goose Down
ALTER TABLE plans DROP COLUMN escalation_policy;
