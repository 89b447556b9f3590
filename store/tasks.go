package store

import (
	"context"
	"fmt"
	"time"
)

// UnitRef names a unit in an answer.
type UnitRef struct {
	ID   int64  `db:"id" json:"id"`
	Name string `db:"name" json:"name"`
}

// UserRef names a user in an answer.
type UserRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// TaskContribution is what a supporting unit (phối hợp) added to a task.
type TaskContribution struct {
	ID       int64     `db:"id" json:"id"`
	UnitID   int64     `db:"unit_id" json:"-"`
	UnitName string    `db:"unit_name" json:"-"`
	Text     string    `db:"text" json:"text"`
	ByUser   *int64    `db:"by_user" json:"-"`
	ByName   *string   `db:"by_name" json:"-"`
	At       time.Time `db:"at" json:"at"`
}

// TaskEvent is one step of a task's history: assigned, started, completed,
// confirmed, returned or cancelled.
type TaskEvent struct {
	ID            int64     `db:"id" json:"-"`
	UnitTaskID    int64     `db:"unit_task_id" json:"-"`
	Key           string    `db:"key" json:"-"`
	Action        string    `db:"action" json:"action"`
	Comment       string    `db:"comment" json:"comment"`
	DueOn         *Date     `db:"due_on" json:"due_on"`
	AttachmentIDs []int64   `db:"-" json:"attachment_ids,omitempty"`
	ByUser        *int64    `db:"by_user" json:"-"`
	ByName        *string   `db:"by_name" json:"-"`
	At            time.Time `db:"at" json:"at"`
}

// TaskAttachment is a file attached to a unit task (owner_kind unit_task).
type TaskAttachment struct {
	ID          int64     `db:"id" json:"id"`
	Filename    string    `db:"filename" json:"filename"`
	ContentType string    `db:"content_type" json:"content_type"`
	SizeBytes   int64     `db:"size_bytes" json:"size_bytes"`
	SHA256      string    `db:"sha256" json:"sha256"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
}

// UnitTaskByID returns one unit task.
func (s *Store) UnitTaskByID(ctx context.Context, id int64) (UnitTask, error) {
	var t UnitTask
	if err := getContext(ctx, s, &t, `SELECT `+unitTaskColumns+` FROM unit_tasks WHERE id = $1`, id); err != nil {
		return UnitTask{}, fmt.Errorf("get unit task %d: %w", id, translate(err))
	}
	return t, nil
}

// UnitTaskForUpdate returns one unit task and locks it until the
// transaction ends.
func (s *Store) UnitTaskForUpdate(ctx context.Context, id int64) (UnitTask, error) {
	var t UnitTask
	if err := getContext(ctx, s, &t, `SELECT `+unitTaskColumns+` FROM unit_tasks WHERE id = $1 FOR UPDATE`, id); err != nil {
		return UnitTask{}, fmt.Errorf("lock unit task %d: %w", id, translate(err))
	}
	return t, nil
}

// SetUnitTaskWorkflow records the workflow that runs a task.
func (s *Store) SetUnitTaskWorkflow(ctx context.Context, id int64, workflowID string) error {
	const q = `UPDATE unit_tasks SET workflow_id = $2, updated_at = now() WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, workflowID); err != nil {
		return fmt.Errorf("set unit task workflow: %w", translate(err))
	}
	return nil
}

// AddTaskSupporters adds supporting units to a task; a unit already there
// stays once.
func (s *Store) AddTaskSupporters(ctx context.Context, taskID int64, unitIDs []int64) error {
	const q = `INSERT INTO unit_task_supporters (unit_task_id, unit_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`
	if _, err := s.db.ExecContext(ctx, q, taskID, int64Array(unitIDs)); err != nil {
		return fmt.Errorf("add task supporters: %w", translate(err))
	}
	return nil
}

// TaskSupporters lists a task's supporting units by name.
func (s *Store) TaskSupporters(ctx context.Context, taskID int64) ([]UnitRef, error) {
	const q = `SELECT o.id, o.name FROM unit_task_supporters ts JOIN org_units o ON o.id = ts.unit_id
WHERE ts.unit_task_id = $1 ORDER BY o.path`
	var out []UnitRef
	if err := selectContext(ctx, s, &out, q, taskID); err != nil {
		return nil, fmt.Errorf("list task supporters: %w", translate(err))
	}
	return out, nil
}

// AddTaskContribution stores a supporting unit's contribution.
func (s *Store) AddTaskContribution(ctx context.Context, taskID, unitID int64, text string, by *int64) (int64, error) {
	const q = `INSERT INTO unit_task_contributions (unit_task_id, unit_id, text, by_user) VALUES ($1, $2, $3, $4) RETURNING id`
	var id int64
	if err := getContext(ctx, s, &id, q, taskID, unitID, text, by); err != nil {
		return 0, fmt.Errorf("add task contribution: %w", translate(err))
	}
	return id, nil
}

// TaskContributions lists a task's contributions, oldest first.
func (s *Store) TaskContributions(ctx context.Context, taskID int64) ([]TaskContribution, error) {
	const q = `SELECT c.id, c.unit_id, o.name AS unit_name, c.text, c.by_user, u.name AS by_name, c.at
FROM unit_task_contributions c JOIN org_units o ON o.id = c.unit_id LEFT JOIN users u ON u.id = c.by_user
WHERE c.unit_task_id = $1 ORDER BY c.at, c.id`
	var out []TaskContribution
	if err := selectContext(ctx, s, &out, q, taskID); err != nil {
		return nil, fmt.Errorf("list task contributions: %w", translate(err))
	}
	return out, nil
}

// RecordTaskEvent appends a step to a task's history unless a step with its
// key is there already; it reports whether it wrote one.
func (s *Store) RecordTaskEvent(ctx context.Context, e TaskEvent) (bool, error) {
	const q = `INSERT INTO unit_task_events (unit_task_id, key, action, comment, due_on, attachment_ids, by_user)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (unit_task_id, key) DO NOTHING`
	ids := e.AttachmentIDs
	if ids == nil {
		ids = []int64{}
	}
	res, err := s.db.ExecContext(ctx, q, e.UnitTaskID, e.Key, e.Action, e.Comment, e.DueOn, int64Array(ids), e.ByUser)
	if err != nil {
		return false, fmt.Errorf("record task event: %w", translate(err))
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// TaskEvents is a task's history, oldest first.
func (s *Store) TaskEvents(ctx context.Context, taskID int64) ([]TaskEvent, error) {
	const q = `SELECT e.id, e.unit_task_id, e.key, e.action, e.comment, e.due_on, e.by_user, u.name AS by_name, e.at
FROM unit_task_events e LEFT JOIN users u ON u.id = e.by_user
WHERE e.unit_task_id = $1 ORDER BY e.at, e.id`
	var out []TaskEvent
	if err := selectContext(ctx, s, &out, q, taskID); err != nil {
		return nil, fmt.Errorf("list task events: %w", translate(err))
	}
	return out, nil
}

// TaskChange is a new state of a task; nil fields keep their value.
type TaskChange struct {
	Status      string
	DueOn       *Date
	Result      *string
	ChildPlanID *int64
}

// ChangeUnitTask moves a task to a new state.
func (s *Store) ChangeUnitTask(ctx context.Context, id int64, ch TaskChange) error {
	const q = `UPDATE unit_tasks SET status = $2, due_on = COALESCE($3, due_on), result = COALESCE($4, result),
child_plan_id = COALESCE($5, child_plan_id), updated_at = now() WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, ch.Status, ch.DueOn, ch.Result, ch.ChildPlanID); err != nil {
		return fmt.Errorf("change unit task %d: %w", id, translate(err))
	}
	return nil
}

// TaskAttachments lists the files attached to a task.
func (s *Store) TaskAttachments(ctx context.Context, taskID int64) ([]TaskAttachment, error) {
	const q = `SELECT id, filename, content_type, size_bytes, sha256, created_at FROM attachments
WHERE owner_kind = 'unit_task' AND owner_id = $1 ORDER BY created_at, id`
	var out []TaskAttachment
	if err := selectContext(ctx, s, &out, q, taskID); err != nil {
		return nil, fmt.Errorf("list task attachments: %w", translate(err))
	}
	return out, nil
}

// CancelPlanTasks cancels the open tasks and unit plans of a cancelled
// plan; reports keep their own state.
func (s *Store) CancelPlanTasks(ctx context.Context, planID int64) error {
	const q = `UPDATE unit_tasks SET status = 'cancelled', updated_at = now()
WHERE plan_id = $1 AND kind IN ('task', 'unit_plan') AND status IN ('assigned', 'in_progress', 'done')`
	if _, err := s.db.ExecContext(ctx, q, planID); err != nil {
		return fmt.Errorf("cancel plan tasks: %w", translate(err))
	}
	return nil
}

// ClosePlanTasks ends the open tasks and unit plans of a plan closed at
// the end of its term: each is cancelled with a step in its history saying
// why (the step a task's own workflow records when it finds its plan
// closed, so neither records it twice). A plan not closed keeps its tasks.
// Reports keep their own state: one never submitted stays visible as not
// submitted.
func (s *Store) ClosePlanTasks(ctx context.Context, planID int64, comment string) error {
	const q = `WITH closed AS (
    UPDATE unit_tasks SET status = 'cancelled', updated_at = now()
    WHERE plan_id = $1 AND kind IN ('task', 'unit_plan') AND status IN ('assigned', 'in_progress', 'done')
      AND EXISTS (SELECT 1 FROM plans WHERE id = $1 AND status = 'closed')
    RETURNING id
)
INSERT INTO unit_task_events (unit_task_id, key, action, comment)
SELECT id, 'plan-closed', 'cancel', $2 FROM closed
ON CONFLICT (unit_task_id, key) DO NOTHING`
	if _, err := s.db.ExecContext(ctx, q, planID, comment); err != nil {
		return fmt.Errorf("close plan tasks: %w", translate(err))
	}
	return nil
}

// UnitPlanTask returns the unit_plan task of a unit in a plan.
func (s *Store) UnitPlanTask(ctx context.Context, planID, unitID int64) (UnitTask, error) {
	var t UnitTask
	const q = `SELECT ` + unitTaskColumns + ` FROM unit_tasks WHERE plan_id = $1 AND unit_id = $2 AND kind = 'unit_plan' ORDER BY id LIMIT 1`
	if err := getContext(ctx, s, &t, q, planID, unitID); err != nil {
		return UnitTask{}, fmt.Errorf("get unit plan task: %w", translate(err))
	}
	return t, nil
}

// InboxTask is a line of a unit's inbox: a task it owns or supports.
type InboxTask struct {
	UnitTask
	PlanTitle      *string `db:"plan_title"`
	AssignedByID   *int64  `db:"assigned_by_id"`
	AssignedByName *string `db:"assigned_by_name"`
	AssignedByPath *string `db:"assigned_by_path"`
	Role           string  `db:"role"`
	// ReportStatus is the status of a report task's report; ReturnComment
	// the reviewer's comment when it was returned.
	ReportStatus  *string `db:"report_status"`
	ReturnComment *string `db:"return_comment"`
}

const inboxSelect = `SELECT t.id, t.idempotency_key, t.plan_id, t.unit_id, t.kind, t.report_id, t.task_id, t.title, t.status, t.due_on,
    t.workflow_id, t.created_at, t.description, t.result, t.recurrence, t.assigned_by_unit_id, t.assigned_by_user, t.child_plan_id,
    p.title AS plan_title, a.id AS assigned_by_id, a.name AS assigned_by_name, a.path AS assigned_by_path,
    r.status AS report_status,
    CASE WHEN r.status = 'returned' THEN (SELECT rv.comment FROM report_reviews rv WHERE rv.report_id = r.id AND rv.action = 'return'
        ORDER BY rv.at DESC, rv.id DESC LIMIT 1) END AS return_comment`

const inboxFrom = `
FROM unit_tasks t
LEFT JOIN plans p ON p.id = t.plan_id
LEFT JOIN org_units a ON a.id = COALESCE(t.assigned_by_unit_id, p.issuer_unit_id)
LEFT JOIN reports r ON r.id = t.report_id`

// InboxTasks lists what a unit must do and the tasks it supports, open
// ones first, then by due date.
func (s *Store) InboxTasks(ctx context.Context, unitID int64) ([]InboxTask, error) {
	const q = `SELECT * FROM (
` + inboxSelect + `, 'owner' AS role` + inboxFrom + `
WHERE t.unit_id = $1
UNION ALL
` + inboxSelect + `, 'supporting' AS role` + inboxFrom + `
JOIN unit_task_supporters ts ON ts.unit_task_id = t.id AND ts.unit_id = $1
) x
ORDER BY status IN ('done', 'confirmed', 'waived', 'cancelled'), due_on NULLS LAST, id`
	var out []InboxTask
	if err := selectContext(ctx, s, &out, q, unitID); err != nil {
		return nil, fmt.Errorf("list inbox: %w", translate(err))
	}
	return out, nil
}

// AssignedTaskFilter selects tasks by who assigned them.
type AssignedTaskFilter struct {
	// Paths are the subtrees whose units' assignments the caller sees.
	Paths            []string
	AssignedByUnitID int64
	Status           string
	Limit            int
}

// AssignedTasks lists the tasks and unit plans assigned by units in the
// filter's subtrees, newest first.
func (s *Store) AssignedTasks(ctx context.Context, f AssignedTaskFilter) ([]InboxTask, error) {
	const q = inboxSelect + `, 'assigner' AS role` + inboxFrom + `
WHERE t.kind IN ('task', 'unit_plan')
  AND a.path LIKE ANY (SELECT p || '%' FROM unnest($1::text[]) p)
  AND ($2 = 0 OR a.id = $2)
  AND ($3 = '' OR t.status = $3)
ORDER BY t.created_at DESC, t.id DESC LIMIT $4`
	var out []InboxTask
	if err := selectContext(ctx, s, &out, q, textArray(f.Paths), f.AssignedByUnitID, f.Status, f.Limit); err != nil {
		return nil, fmt.Errorf("list assigned tasks: %w", translate(err))
	}
	return out, nil
}

// PlanTaskAssignment is a task of a plan addressed to one lead unit, with
// the task's supporting units.
type PlanTaskAssignment struct {
	TaskID         int64   `db:"task_id"`
	UnitID         int64   `db:"unit_id"`
	Text           string  `db:"text"`
	Heading        string  `db:"heading"`
	DueOn          *Date   `db:"due_on"`
	Recurrence     string  `db:"recurrence"`
	ExpectedOutput string  `db:"expected_output"`
	SupportUnitIDs []int64 `db:"-"`
}

// PlanTaskAssignments lists every (task, lead unit) of a plan in document
// order, with each task's supporting units.
func (s *Store) PlanTaskAssignments(ctx context.Context, planID int64) ([]PlanTaskAssignment, error) {
	const q = `SELECT t.id AS task_id, tu.unit_id, t.text, COALESCE(g.heading, '') AS heading, t.due_on, t.recurrence, t.expected_output
FROM tasks t JOIN task_units tu ON tu.task_id = t.id AND tu.role = 'lead'
LEFT JOIN task_groups g ON g.id = t.task_group_id
WHERE t.plan_id = $1 ORDER BY g.position NULLS FIRST, t.position, t.id, tu.unit_id`
	var out []PlanTaskAssignment
	if err := selectContext(ctx, s, &out, q, planID); err != nil {
		return nil, fmt.Errorf("list plan task assignments: %w", translate(err))
	}
	var sup []struct {
		TaskID int64 `db:"task_id"`
		UnitID int64 `db:"unit_id"`
	}
	const qs = `SELECT tu.task_id, tu.unit_id FROM task_units tu JOIN tasks t ON t.id = tu.task_id
WHERE t.plan_id = $1 AND tu.role = 'support' ORDER BY tu.task_id, tu.unit_id`
	if err := selectContext(ctx, s, &sup, qs, planID); err != nil {
		return nil, fmt.Errorf("list plan task supporters: %w", translate(err))
	}
	by := map[int64][]int64{}
	for _, x := range sup {
		by[x.TaskID] = append(by[x.TaskID], x.UnitID)
	}
	for i := range out {
		out[i].SupportUnitIDs = by[out[i].TaskID]
	}
	return out, nil
}

// PlanDuty is a responsibility of a plan ("Tổ chức thực hiện") that falls on
// one unit taking part: build its own plan, disseminate the resolution, …
type PlanDuty struct {
	ResponsibilityID int64  `db:"responsibility_id"`
	UnitID           int64  `db:"unit_id"`
	Text             string `db:"text"`
	Action           string `db:"action"`
	DueOn            *Date  `db:"due_on"`
	Recurrence       string `db:"recurrence"`
}

// PlanDuties lists, for each responsibility of a plan with one of actions,
// the participating units of its kind, in document then unit order.
func (s *Store) PlanDuties(ctx context.Context, planID int64, actions []string) ([]PlanDuty, error) {
	const q = `SELECT r.id AS responsibility_id, o.id AS unit_id, r.text, r.action, r.due_on, r.recurrence
FROM responsibilities r
JOIN plan_units pu ON pu.plan_id = r.plan_id
JOIN org_units o ON o.id = pu.unit_id AND o.kind = r.unit_kind AND o.active
WHERE r.plan_id = $1 AND r.action = ANY($2::text[])
ORDER BY r.position, r.id, o.id`
	var out []PlanDuty
	if err := selectContext(ctx, s, &out, q, planID, textArray(actions)); err != nil {
		return nil, fmt.Errorf("list plan duties: %w", translate(err))
	}
	return out, nil
}

// PlanWorkflowIDs lists the workflow IDs of a plan's unit tasks: its
// reports, tasks and unit plans.
func (s *Store) PlanWorkflowIDs(ctx context.Context, planID int64) ([]string, error) {
	var ids []string
	const q = `SELECT DISTINCT workflow_id FROM unit_tasks WHERE plan_id = $1 AND workflow_id <> '' ORDER BY workflow_id`
	if err := selectContext(ctx, s, &ids, q, planID); err != nil {
		return nil, fmt.Errorf("plan workflow ids: %w", translate(err))
	}
	return ids, nil
}
