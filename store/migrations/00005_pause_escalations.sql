-- +goose Up
-- A plan's leaders may pause its automatic reminders and escalations.
ALTER TABLE plans ADD COLUMN escalations_paused boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE plans DROP COLUMN escalations_paused;
