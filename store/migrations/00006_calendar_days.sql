-- +goose Up
-- Days an admin adds to the working-day calendar: extra days off (a decreed
-- Tết bridge) and compensatory working days (a working Saturday).
CREATE TABLE calendar_days (
    day         date PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('off', 'work')),
    name        text NOT NULL DEFAULT '',
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE calendar_days;
