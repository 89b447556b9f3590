package store

import (
	"context"
	"fmt"
	"time"
)

// Report is one unit's report for one cycle.
type Report struct {
	ID          int64      `db:"id" json:"id"`
	CycleID     int64      `db:"cycle_id" json:"cycle_id"`
	UnitID      int64      `db:"unit_id" json:"unit_id"`
	Status      string     `db:"status" json:"status"`
	DueOn       Date       `db:"due_on" json:"due_on"`
	SubmittedAt *time.Time `db:"submitted_at" json:"submitted_at"`
	SubmittedBy *int64     `db:"submitted_by" json:"submitted_by"`
}

// ReportValue is a unit's figure for one target: a value, or for a
// percentage a numerator over a denominator.
type ReportValue struct {
	ReportID    int64    `db:"report_id" json:"-"`
	TargetID    int64    `db:"target_id" json:"target_id"`
	Value       *float64 `db:"value" json:"value,omitempty"`
	Numerator   *float64 `db:"numerator" json:"numerator,omitempty"`
	Denominator *float64 `db:"denominator" json:"denominator,omitempty"`
}

// OpenReport creates the pending report of a unit for a cycle, or returns the
// one that exists: safe to call again.
func (s *Store) OpenReport(ctx context.Context, cycleID, unitID int64, due Date) (Report, error) {
	const q = `
WITH ins AS (
    INSERT INTO reports (cycle_id, unit_id, due_on) VALUES ($1, $2, $3)
    ON CONFLICT (cycle_id, unit_id) DO NOTHING
    RETURNING id, cycle_id, unit_id, status, due_on, submitted_at, submitted_by
)
SELECT * FROM ins
UNION ALL
SELECT id, cycle_id, unit_id, status, due_on, submitted_at, submitted_by FROM reports WHERE cycle_id = $1 AND unit_id = $2
LIMIT 1`
	var r Report
	if err := getContext(ctx, s, &r, q, cycleID, unitID, due); err != nil {
		return Report{}, fmt.Errorf("open report: %w", translate(err))
	}
	return r, nil
}

// SubmitReport stores a report's values and marks it submitted. It is
// idempotent: a submitted report's values are replaced by the same values.
func (s *Store) SubmitReport(ctx context.Context, reportID int64, by *int64, at time.Time, values []ReportValue) error {
	const qDel = `DELETE FROM report_values WHERE report_id = $1`
	if _, err := s.db.ExecContext(ctx, qDel, reportID); err != nil {
		return fmt.Errorf("clear report values: %w", translate(err))
	}
	for _, v := range values {
		v.ReportID = reportID
		const qIns = `INSERT INTO report_values (report_id, target_id, value, numerator, denominator)
VALUES (:report_id, :target_id, :value, :numerator, :denominator)`
		if err := namedExec(ctx, s, qIns, v); err != nil {
			return fmt.Errorf("insert value for target %d: %w", v.TargetID, translate(err))
		}
	}
	const qUpd = `UPDATE reports SET status = 'submitted', submitted_at = $2, submitted_by = $3, updated_at = now() WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, qUpd, reportID, at, by); err != nil {
		return fmt.Errorf("mark report submitted: %w", translate(err))
	}
	return nil
}

// ReportValues lists a report's values by target.
func (s *Store) ReportValues(ctx context.Context, reportID int64) ([]ReportValue, error) {
	const q = `SELECT report_id, target_id, value, numerator, denominator FROM report_values WHERE report_id = $1 ORDER BY target_id`
	var vs []ReportValue
	if err := selectContext(ctx, s, &vs, q, reportID); err != nil {
		return nil, fmt.Errorf("list report values: %w", translate(err))
	}
	return vs, nil
}

// PendingReports lists the reports of a plan not yet submitted or waived.
func (s *Store) PendingReports(ctx context.Context, planID int64) ([]Report, error) {
	const q = `SELECT r.id, r.cycle_id, r.unit_id, r.status, r.due_on, r.submitted_at, r.submitted_by
FROM reports r JOIN report_cycles c ON c.id = r.cycle_id
JOIN plans p ON p.id = c.plan_id
WHERE c.plan_id = $1 AND p.status = 'issued' AND r.status IN ('pending', 'draft', 'returned')
ORDER BY r.due_on, r.unit_id`
	var rs []Report
	if err := selectContext(ctx, s, &rs, q, planID); err != nil {
		return nil, fmt.Errorf("list pending reports: %w", translate(err))
	}
	return rs, nil
}

// ReportCycleOfReport returns the cycle a report belongs to.
func (s *Store) ReportCycleOfReport(ctx context.Context, reportID int64) (ReportCycle, error) {
	const q = `SELECT c.id, c.plan_id, c.kind, c.year, c.due_on FROM report_cycles c JOIN reports r ON r.cycle_id = c.id WHERE r.id = $1`
	var c ReportCycle
	if err := getContext(ctx, s, &c, q, reportID); err != nil {
		return ReportCycle{}, fmt.Errorf("get cycle of report %d: %w", reportID, translate(err))
	}
	return c, nil
}

// ReportByID returns one report.
func (s *Store) ReportByID(ctx context.Context, id int64) (Report, error) {
	const q = `SELECT id, cycle_id, unit_id, status, due_on, submitted_at, submitted_by FROM reports WHERE id = $1`
	var r Report
	if err := getContext(ctx, s, &r, q, id); err != nil {
		return Report{}, fmt.Errorf("get report %d: %w", id, translate(err))
	}
	return r, nil
}

// ReportReview is a decision of the assigning side on a report.
type ReportReview struct {
	ID       int64     `db:"id" json:"id"`
	ReportID int64     `db:"report_id" json:"-"`
	Action   string    `db:"action" json:"action"`
	Comment  string    `db:"comment" json:"comment"`
	DueOn    *Date     `db:"due_on" json:"due_on"`
	ByUser   *int64    `db:"by_user" json:"by_user"`
	At       time.Time `db:"at" json:"at"`
	// Key is the workflow update that made the decision: a decision with a
	// key already recorded for the report is not recorded again.
	Key *string `db:"idempotency_key" json:"-"`
}

// ReviewReport records a decision and moves the report and its unit task
// to the status it leads to: accepted, returned (with a new deadline),
// waived, or the same status with a moved deadline.
func (s *Store) ReviewReport(ctx context.Context, r ReportReview) error {
	_, err := s.ReviewReportOnce(ctx, r)
	return err
}

// ReviewReportOnce is ReviewReport for a decision keyed by r.Key: when the
// report already has a decision under that key it writes nothing and
// answers false.
func (s *Store) ReviewReportOnce(ctx context.Context, r ReportReview) (written bool, err error) {
	const qIns = `INSERT INTO report_reviews (report_id, action, comment, due_on, by_user, at, idempotency_key)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (report_id, idempotency_key) DO NOTHING`
	res, err := s.db.ExecContext(ctx, qIns, r.ReportID, r.Action, r.Comment, r.DueOn, r.ByUser, r.At, r.Key)
	if err != nil {
		return false, fmt.Errorf("insert review: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, fmt.Errorf("insert review: %w", err)
	} else if n == 0 {
		return false, nil
	}
	status, task := map[string]string{"accept": "accepted", "return": "returned", "waive": "waived"}[r.Action],
		map[string]string{"accept": "confirmed", "return": "assigned", "waive": "waived"}[r.Action]
	const qReport = `UPDATE reports SET status = COALESCE(NULLIF($2, ''), status), due_on = COALESCE($3, due_on), updated_at = now() WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, qReport, r.ReportID, status, r.DueOn); err != nil {
		return false, fmt.Errorf("update reviewed report: %w", translate(err))
	}
	const qTask = `UPDATE unit_tasks SET status = COALESCE(NULLIF($2, ''), status), due_on = COALESCE($3, due_on), updated_at = now() WHERE report_id = $1`
	if _, err := s.db.ExecContext(ctx, qTask, r.ReportID, task, r.DueOn); err != nil {
		return false, fmt.Errorf("update reviewed task: %w", translate(err))
	}
	return true, nil
}

// ReportRevision counts the decisions that gave a report a new deadline
// (returns and moved deadlines): the revision its workflow chases.
func (s *Store) ReportRevision(ctx context.Context, reportID int64) (int, error) {
	var n int
	if err := getContext(ctx, s, &n, `SELECT count(*) FROM report_reviews WHERE report_id = $1 AND action IN ('return', 'deadline')`, reportID); err != nil {
		return 0, fmt.Errorf("report revision: %w", translate(err))
	}
	return n, nil
}

// ReportReviews lists a report's reviews, oldest first.
func (s *Store) ReportReviews(ctx context.Context, reportID int64) ([]ReportReview, error) {
	var rs []ReportReview
	if err := selectContext(ctx, s, &rs, `SELECT id, report_id, action, comment, due_on, by_user, at FROM report_reviews WHERE report_id = $1 ORDER BY at, id`, reportID); err != nil {
		return nil, fmt.Errorf("list reviews: %w", translate(err))
	}
	return rs, nil
}
