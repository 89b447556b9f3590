-- +goose Up
-- A decision on a report is keyed by the workflow update that made it, so
-- an activity retried after its commit writes neither the review nor its
-- audit row twice (as task_events are keyed). Rows from before have none.
ALTER TABLE report_reviews ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX report_reviews_key_idx ON report_reviews (report_id, idempotency_key);

-- +goose Down
DROP INDEX report_reviews_key_idx;
ALTER TABLE report_reviews DROP COLUMN idempotency_key;
