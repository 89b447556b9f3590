-- +goose Up
-- Server-side sessions: the cookie holds a random token, the table its
-- SHA-256, so a leaked table opens no session.
CREATE TABLE sessions (
    token_hash    bytea PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    user_agent    text NOT NULL DEFAULT '',
    client_ip     text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Personal API tokens for integrations, shown once, stored hashed.
CREATE TABLE api_tokens (
    id            bigserial PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL,
    token_hash    bytea NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Failed sign-ins, counted per account and per client address to throttle.
CREATE TABLE login_failures (
    id         bigserial PRIMARY KEY,
    email      text NOT NULL,
    client_ip  text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (lower(email), at);
CREATE INDEX login_failures_ip_idx ON login_failures (client_ip, at);

-- Single-use password reset links, valid one hour.
CREATE TABLE password_resets (
    token_hash  bytea PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- The unit an audited entity belongs to, so the log can be read by scope.
ALTER TABLE audit_log ADD COLUMN unit_id bigint REFERENCES org_units (id);
CREATE INDEX audit_log_unit_idx ON audit_log (unit_id, at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);

-- Lookups of the notifications in a unit's scope.
CREATE INDEX notifications_unit_idx ON notifications (unit_id, created_at);

-- +goose Down
DROP INDEX notifications_unit_idx;
ALTER TABLE audit_log DROP COLUMN unit_id;
DROP TABLE password_resets, login_failures, api_tokens, sessions;
