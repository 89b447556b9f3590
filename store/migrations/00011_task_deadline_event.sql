-- +goose Up
-- A leader may move an open task's deadline, as a report's: the move is a
-- step of the task's history.
ALTER TABLE unit_task_events DROP CONSTRAINT unit_task_events_action_check,
    ADD CONSTRAINT unit_task_events_action_check
    CHECK (action IN ('assign', 'start', 'complete', 'confirm', 'return', 'cancel', 'deadline'));

-- +goose Down
DELETE FROM unit_task_events WHERE action = 'deadline';
ALTER TABLE unit_task_events DROP CONSTRAINT unit_task_events_action_check,
    ADD CONSTRAINT unit_task_events_action_check
    CHECK (action IN ('assign', 'start', 'complete', 'confirm', 'return', 'cancel'));
