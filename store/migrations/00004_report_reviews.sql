-- +goose Up
-- The assigning side's decisions on a unit's report: accepted, returned
-- with comments and a new deadline, waived, or its deadline moved.
CREATE TABLE report_reviews (
    id          bigserial PRIMARY KEY,
    report_id   bigint NOT NULL REFERENCES reports (id),
    action      text NOT NULL CHECK (action IN ('accept', 'return', 'waive', 'deadline')),
    comment     text NOT NULL DEFAULT '',
    due_on      date,
    by_user     bigint REFERENCES users (id),
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_reviews_report_idx ON report_reviews (report_id, at);

-- +goose Down
DROP TABLE report_reviews;
