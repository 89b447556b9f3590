-- +goose Up
-- An email's delivery at scale (issue 15). sending_at is when its last
-- attempt took it (status 'sending', attempts + 1) just before the SMTP
-- transaction: a row 'sending' for longer than a send can take was left by a
-- crashed worker and is taken again; a fresh one is in flight elsewhere.
-- batch names the rows one activity delivers (a leader's reminder: the
-- reminder's key), read in id order from where a retried delivery stopped.
ALTER TABLE notifications ADD COLUMN sending_at timestamptz;
ALTER TABLE notifications ADD COLUMN batch text;
CREATE INDEX notifications_batch_idx ON notifications (batch, id) WHERE batch IS NOT NULL;

-- +goose Down
DROP INDEX notifications_batch_idx;
ALTER TABLE notifications DROP COLUMN batch;
ALTER TABLE notifications DROP COLUMN sending_at;
