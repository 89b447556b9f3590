package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// UnitPathRef is a unit named with its path, for a scope check.
type UnitPathRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Path string `json:"path"`
}

// TaskScope is a unit task with what decides who may do what on it and
// what its page names: its unit, the unit that assigned it (the plan's
// issuer for a plan's task), its supporting units and its plan's title.
type TaskScope struct {
	Task       UnitTask
	Unit       UnitPathRef
	Assigner   *UnitPathRef
	Supporters []UnitPathRef
	PlanTitle  string
}

// TaskForAction loads a unit task and its scope in one statement.
func (s *Store) TaskForAction(ctx context.Context, id int64) (TaskScope, error) {
	const q = `SELECT t.*, u.name AS scope_unit_name, u.path AS scope_unit_path,
       a.id AS scope_assigner_id, a.name AS scope_assigner_name, a.path AS scope_assigner_path,
       COALESCE(p.title, '') AS scope_plan_title,
       COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'path', o.path) ORDER BY o.id)
           FROM unit_task_supporters ts JOIN org_units o ON o.id = ts.unit_id WHERE ts.unit_task_id = t.id), '[]') AS scope_supporters
FROM (SELECT ` + unitTaskColumns + ` FROM unit_tasks WHERE id = $1) t
JOIN org_units u ON u.id = t.unit_id
LEFT JOIN plans p ON p.id = t.plan_id
LEFT JOIN org_units a ON a.id = COALESCE(t.assigned_by_unit_id, p.issuer_unit_id)`
	var row struct {
		UnitTask
		UnitName     string  `db:"scope_unit_name"`
		UnitPath     string  `db:"scope_unit_path"`
		AssignerID   *int64  `db:"scope_assigner_id"`
		AssignerName *string `db:"scope_assigner_name"`
		AssignerPath *string `db:"scope_assigner_path"`
		PlanTitle    string  `db:"scope_plan_title"`
		Supporters   []byte  `db:"scope_supporters"`
	}
	if err := getContext(ctx, s, &row, q, id); err != nil {
		return TaskScope{}, fmt.Errorf("get unit task %d: %w", id, translate(err))
	}
	ts := TaskScope{Task: row.UnitTask, Unit: UnitPathRef{ID: row.UnitID, Name: row.UnitName, Path: row.UnitPath}, PlanTitle: row.PlanTitle}
	if row.AssignerID != nil {
		ts.Assigner = &UnitPathRef{ID: *row.AssignerID, Name: *row.AssignerName, Path: *row.AssignerPath}
	}
	if err := json.Unmarshal(row.Supporters, &ts.Supporters); err != nil {
		return TaskScope{}, fmt.Errorf("unit task %d's supporters: %w", id, err)
	}
	return ts, nil
}
