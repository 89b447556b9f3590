-- +goose Up
-- A plan document being imported by the ImportDocument workflow: the file
-- (kept until the draft is saved), how far reading it has come (pages for
-- OCR) and what came of it. The status endpoint reads this, never Temporal.
CREATE TABLE import_jobs (
    id             bigserial PRIMARY KEY,
    issuer_unit_id bigint NOT NULL REFERENCES org_units (id),
    created_by     bigint REFERENCES users (id),
    file_name      text NOT NULL,
    sha256         text NOT NULL,
    size_bytes     bigint NOT NULL,
    format         text NOT NULL,
    content        bytea,
    status         text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'converting', 'reading', 'ocr', 'saving', 'done', 'failed')),
    pages_total    int NOT NULL DEFAULT 0,
    pages_done     int NOT NULL DEFAULT 0,
    plan_id        bigint REFERENCES plans (id) ON DELETE SET NULL,
    error_code     text NOT NULL DEFAULT '',
    error_vi       text NOT NULL DEFAULT '',
    error_en       text NOT NULL DEFAULT '',
    request_id     text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_jobs_issuer_idx ON import_jobs (issuer_unit_id, created_at DESC);

-- The text of each page read so far: a text layer's pages, then each page
-- OCR gives, written once (a retried page writes nothing twice).
CREATE TABLE import_job_pages (
    job_id bigint NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    page   int NOT NULL,
    text   text NOT NULL,
    ocr    boolean NOT NULL,
    PRIMARY KEY (job_id, page)
);

-- +goose Down
DROP TABLE import_job_pages;
DROP TABLE import_jobs;
