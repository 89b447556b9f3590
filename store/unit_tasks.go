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
	// Description, Recurrence and the assigning side are a task's own
	// (ad-hoc, a plan's task, a unit's own plan); Result is the unit's
	// account of what it did; ChildPlanID is the plan a unit_plan task was
	// fulfilled by.
	Description      string `db:"description" json:"description"`
	Result           string `db:"result" json:"result"`
	Recurrence       string `db:"recurrence" json:"recurrence"`
	AssignedByUnitID *int64 `db:"assigned_by_unit_id" json:"assigned_by_unit_id"`
	AssignedByUser   *int64 `db:"assigned_by_user" json:"-"`
	ChildPlanID      *int64 `db:"child_plan_id" json:"child_plan_id"`
}

const unitTaskColumns = `id, idempotency_key, plan_id, unit_id, kind, report_id, task_id, title, status, due_on, workflow_id, created_at,
description, result, recurrence, assigned_by_unit_id, assigned_by_user, child_plan_id`

// EnsureUnitTask inserts t unless a task with its idempotency key exists,
// and returns the stored one either way.
func (s *Store) EnsureUnitTask(ctx context.Context, t UnitTask) (UnitTask, error) {
	const q = `
WITH ins AS (
    INSERT INTO unit_tasks (idempotency_key, plan_id, unit_id, kind, report_id, task_id, title, due_on, workflow_id,
        description, recurrence, assigned_by_unit_id, assigned_by_user)
    VALUES (:idempotency_key, :plan_id, :unit_id, :kind, :report_id, :task_id, :title, :due_on, :workflow_id,
        :description, :recurrence, :assigned_by_unit_id, :assigned_by_user)
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
