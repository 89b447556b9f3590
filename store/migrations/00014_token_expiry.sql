-- +goose Up
-- API tokens expire (90 days unless asked otherwise); the ones made before
-- this get 90 days from now.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz NOT NULL DEFAULT now() + interval '90 days';
-- A user's reset links, newest first, for ending older ones and counting
-- the emails sent per account.
CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at);

-- +goose Down
DROP INDEX password_resets_user_idx;
ALTER TABLE api_tokens DROP COLUMN expires_at;
