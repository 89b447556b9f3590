package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// What the fan-out and the reconciler read: a plan's units page by page,
// and the workflows PostgreSQL says should be running.

// CountPlanUnits counts the units taking part in a plan.
func (s *Store) CountPlanUnits(ctx context.Context, planID int64) (int, error) {
	const q = `SELECT count(*) FROM plan_units WHERE plan_id = $1`
	var n int
	if err := getContext(ctx, s, &n, q, planID); err != nil {
		return 0, fmt.Errorf("count plan units: %w", translate(err))
	}
	return n, nil
}

// PlanUnitIDsPage lists at most limit of a plan's units from offset, in
// id order (PlanUnitIDs' order): one batch of a fan-out.
func (s *Store) PlanUnitIDsPage(ctx context.Context, planID int64, offset, limit int) ([]int64, error) {
	const q = `SELECT unit_id FROM plan_units WHERE plan_id = $1 ORDER BY unit_id OFFSET $2 LIMIT $3`
	var ids []int64
	if err := selectContext(ctx, s, &ids, q, planID, offset, limit); err != nil {
		return nil, fmt.Errorf("list plan units from %d: %w", offset, translate(err))
	}
	return ids, nil
}

// ReportCycle returns one report cycle.
func (s *Store) ReportCycle(ctx context.Context, id int64) (ReportCycle, error) {
	const q = `SELECT id, plan_id, kind, year, due_on FROM report_cycles WHERE id = $1`
	var c ReportCycle
	if err := getContext(ctx, s, &c, q, id); err != nil {
		return ReportCycle{}, fmt.Errorf("get cycle %d: %w", id, translate(err))
	}
	return c, nil
}

// PlanIDsWithStatus lists the plans in one of statuses changed at or after
// since (the zero time: any), in id order.
func (s *Store) PlanIDsWithStatus(ctx context.Context, statuses []string, since time.Time) ([]int64, error) {
	const q = `SELECT id FROM plans WHERE status = ANY($1) AND updated_at >= $2 ORDER BY id`
	var ids []int64
	if err := selectContext(ctx, s, &ids, q, textArray(statuses), since); err != nil {
		return nil, fmt.Errorf("list plans by status: %w", translate(err))
	}
	return ids, nil
}

// ExpectedWorkflow is a workflow PostgreSQL says is running: an open
// report's or an open task's (a plan's task, duty or unit plan, or an
// ad-hoc task).
type ExpectedWorkflow struct {
	WorkflowID string `db:"workflow_id"`
	Kind       string `db:"kind"` // report, task, unit_plan
	UnitTaskID int64  `db:"unit_task_id"`
	UnitID     int64  `db:"unit_id"`
	PlanID     *int64 `db:"plan_id"`
	// CycleID is a report's cycle.
	CycleID *int64 `db:"cycle_id"`
}

// PlanExpectedWorkflows lists the workflows of a plan's open reports
// (pending, draft, submitted or returned) and open tasks (assigned, in
// progress, or done and waiting for confirmation), one per workflow ID.
func (s *Store) PlanExpectedWorkflows(ctx context.Context, planID int64) ([]ExpectedWorkflow, error) {
	const q = `SELECT DISTINCT ON (t.workflow_id) t.workflow_id, t.kind, t.id AS unit_task_id, t.unit_id, t.plan_id, r.cycle_id
FROM unit_tasks t LEFT JOIN reports r ON r.id = t.report_id
WHERE t.plan_id = $1 AND t.workflow_id <> ''
  AND CASE WHEN t.kind = 'report' THEN r.status IN ('pending', 'draft', 'submitted', 'returned')
           ELSE t.status IN ('assigned', 'in_progress', 'done') END
ORDER BY t.workflow_id, t.id DESC`
	var out []ExpectedWorkflow
	if err := selectContext(ctx, s, &out, q, planID); err != nil {
		return nil, fmt.Errorf("expected workflows of plan %d: %w", planID, translate(err))
	}
	return out, nil
}

// AdHocExpectedWorkflows lists the workflows of the open tasks assigned
// outside any plan.
func (s *Store) AdHocExpectedWorkflows(ctx context.Context) ([]ExpectedWorkflow, error) {
	const q = `SELECT workflow_id, kind, id AS unit_task_id, unit_id, plan_id, NULL::bigint AS cycle_id
FROM unit_tasks WHERE plan_id IS NULL AND workflow_id <> '' AND status IN ('assigned', 'in_progress', 'done')
ORDER BY id`
	var out []ExpectedWorkflow
	if err := selectContext(ctx, s, &out, q); err != nil {
		return nil, fmt.Errorf("expected ad-hoc task workflows: %w", translate(err))
	}
	return out, nil
}

// UnopenedReport is a unit of a plan whose report for a cycle has no row.
type UnopenedReport struct {
	CycleID int64 `db:"cycle_id"`
	UnitID  int64 `db:"unit_id"`
}

// UnopenedReports lists, for the given cycles of a plan, the units whose
// report has no row yet, by cycle then unit.
func (s *Store) UnopenedReports(ctx context.Context, planID int64, cycleIDs []int64) ([]UnopenedReport, error) {
	const q = `SELECT c.id AS cycle_id, pu.unit_id
FROM report_cycles c JOIN plan_units pu ON pu.plan_id = c.plan_id
WHERE c.plan_id = $1 AND c.id = ANY($2)
  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.cycle_id = c.id AND r.unit_id = pu.unit_id)
ORDER BY c.id, pu.unit_id`
	var out []UnopenedReport
	if err := selectContext(ctx, s, &out, q, planID, int64Array(cycleIDs)); err != nil {
		return nil, fmt.Errorf("unopened reports of plan %d: %w", planID, translate(err))
	}
	return out, nil
}

// TryLock takes the session advisory lock key on a connection of its own
// if no other session holds it; release gives it back. ok is false when
// another session holds it.
func (db *DB) TryLock(ctx context.Context, key int64) (release func(), ok bool, err error) {
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("lock %d: %w", key, err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&ok); err != nil || !ok {
		conn.Close()
		if err != nil {
			return nil, false, fmt.Errorf("lock %d: %w", key, err)
		}
		return nil, false, nil
	}
	return func() {
		// A connection that still holds the lock is closed, not pooled.
		_, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)
		if err != nil {
			_ = conn.Raw(func(any) error { return sql.ErrConnDone })
		}
		conn.Close()
	}, true, nil
}
