package store

import (
	"context"
	"fmt"
	"time"
)

// UnitTask is something a unit must do: its report for a cycle, its own
// implementation plan, or a task of a plan. It is what a unit's inbox lists.
type UnitTask struct {
	ID             int64     `db:"id" json:"id"`
	IdempotencyKey string    `db:"idempotency_key" json:"-"`
	PlanID         *int64    `db:"plan_id" json:"plan_id"`
	UnitID         int64     `db:"unit_id" json:"unit_id"`
	Kind           string    `db:"kind" json:"kind"`
	ReportID       *int64    `db:"report_id" json:"report_id"`
	TaskID         *int64    `db:"task_id" json:"task_id"`
	Title          string    `db:"title" json:"title"`
	Status         string    `db:"status" json:"status"`
	DueOn          *Date     `db:"due_on" json:"due_on"`
	WorkflowID     string    `db:"workflow_id" json:"workflow_id"`
	CreatedAt      time.Time `db:"created_at" json:"created_at"`
}

const unitTaskColumns = `id, idempotency_key, plan_id, unit_id, kind, report_id, task_id, title, status, due_on, workflow_id, created_at`

// EnsureUnitTask inserts t unless a task with its idempotency key exists,
// and returns the stored one either way.
func (s *Store) EnsureUnitTask(ctx context.Context, t UnitTask) (UnitTask, error) {
	const q = `
WITH ins AS (
    INSERT INTO unit_tasks (idempotency_key, plan_id, unit_id, kind, report_id, task_id, title, due_on, workflow_id)
    VALUES (:idempotency_key, :plan_id, :unit_id, :kind, :report_id, :task_id, :title, :due_on, :workflow_id)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING ` + unitTaskColumns + `
)
SELECT * FROM ins
UNION ALL
SELECT ` + unitTaskColumns + ` FROM unit_tasks WHERE idempotency_key = :idempotency_key
LIMIT 1`
	rows, err := namedQuery(ctx, s, q, t)
	if err != nil {
		return UnitTask{}, fmt.Errorf("ensure unit task: %w", translate(err))
	}
	return scanOne[UnitTask](rows)
}

// SetReportTaskStatus moves the unit task of a report to status.
func (s *Store) SetReportTaskStatus(ctx context.Context, reportID int64, status string) error {
	const q = `UPDATE unit_tasks SET status = $2, updated_at = now() WHERE report_id = $1`
	if _, err := s.db.ExecContext(ctx, q, reportID, status); err != nil {
		return fmt.Errorf("set report task status: %w", translate(err))
	}
	return nil
}

// UnitTasks lists a unit's tasks, open ones first, then by due date.
func (s *Store) UnitTasks(ctx context.Context, unitID int64) ([]UnitTask, error) {
	const q = `SELECT ` + unitTaskColumns + ` FROM unit_tasks WHERE unit_id = $1
ORDER BY status IN ('done', 'confirmed', 'waived', 'cancelled'), due_on NULLS LAST, id`
	var ts []UnitTask
	if err := selectContext(ctx, s, &ts, q, unitID); err != nil {
		return nil, fmt.Errorf("list unit tasks: %w", translate(err))
	}
	return ts, nil
}
