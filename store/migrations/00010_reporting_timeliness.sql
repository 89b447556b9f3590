-- +goose Up
-- Timeliness as DHIS2 counts it: a report is on time when its first
-- submission came by the deadline it had when it opened (the cycle's due
-- date moved off a weekend or holiday), whatever a return or a leader's
-- deadline move did to reports.due_on since, and however late it was
-- resubmitted. reports.due_on stays the current deadline (the one chased);
-- these two columns keep the first deadline and the first submission.
ALTER TABLE reports ADD COLUMN original_due_on date, ADD COLUMN first_submitted_at timestamptz;

-- A report whose deadline was never moved still has it.
UPDATE reports r SET original_due_on = r.due_on
WHERE NOT EXISTS (SELECT 1 FROM report_reviews v WHERE v.report_id = r.id AND v.due_on IS NOT NULL);
-- A moved one had the deadline its cycle's other reports share (they all
-- open together); failing those, the cycle's due date off a weekend (a
-- holiday, computed from the lunar calendar in Go, cannot be told here).
UPDATE reports r SET original_due_on = COALESCE(
    (SELECT mode() WITHIN GROUP (ORDER BY o.original_due_on) FROM reports o
     WHERE o.cycle_id = r.cycle_id AND o.original_due_on IS NOT NULL),
    (SELECT c.due_on + CASE extract(isodow FROM c.due_on) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END
     FROM report_cycles c WHERE c.id = r.cycle_id))
WHERE r.original_due_on IS NULL;
ALTER TABLE reports ALTER COLUMN original_due_on SET NOT NULL;

-- The first submission: the earliest submit in the audit log (a returned
-- report resubmitted has only its last in submitted_at), else submitted_at.
UPDATE reports r SET first_submitted_at = LEAST(r.submitted_at,
    (SELECT min(a.at) FROM audit_log a WHERE a.entity = 'report' AND a.action = 'submit' AND a.entity_id = r.id::text))
WHERE r.submitted_at IS NOT NULL;

-- Every writer of reports keeps them: a new report's deadline is its
-- original one, and the first time submitted_at is set is the first
-- submission (a resubmission or a retried one leaves it).
-- +goose StatementBegin
CREATE FUNCTION reports_keep_firsts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.original_due_on := COALESCE(NEW.original_due_on, NEW.due_on);
    ELSE
        NEW.first_submitted_at := COALESCE(OLD.first_submitted_at, NEW.first_submitted_at);
    END IF;
    NEW.first_submitted_at := COALESCE(NEW.first_submitted_at, NEW.submitted_at);
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER reports_keep_firsts BEFORE INSERT OR UPDATE ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_keep_firsts();

-- +goose Down
DROP TRIGGER reports_keep_firsts ON reports;
DROP FUNCTION reports_keep_firsts;
ALTER TABLE reports DROP COLUMN first_submitted_at, DROP COLUMN original_due_on;
