package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lib/pq"
)

// ReportScope is a report with what a request needs to check its caller
// and answer: its cycle, its plan's title, its unit and the path of the
// plan's issuing unit (whose side reviews it), and the plan's task groups.
type ReportScope struct {
	Report
	Cycle        ReportCycle
	PlanTitle    string
	UnitName     string
	UnitPath     string
	IssuerPath   string
	TaskGroupIDs []int64
}

// ReportForAction loads a report and its scope in one statement.
func (s *Store) ReportForAction(ctx context.Context, id int64) (ReportScope, error) {
	const q = `SELECT r.id, r.cycle_id, r.unit_id, r.status, r.due_on, r.submitted_at, r.submitted_by,
       c.plan_id, c.kind AS cycle_kind, c.year AS cycle_year, c.due_on AS cycle_due_on,
       p.title AS plan_title, u.name AS unit_name, u.path AS unit_path, COALESCE(i.path, '') AS issuer_path,
       ARRAY(SELECT g.id FROM task_groups g WHERE g.plan_id = c.plan_id ORDER BY g.position, g.id) AS task_group_ids
FROM reports r
JOIN report_cycles c ON c.id = r.cycle_id
JOIN plans p ON p.id = c.plan_id
JOIN org_units u ON u.id = r.unit_id
LEFT JOIN org_units i ON i.id = p.issuer_unit_id
WHERE r.id = $1`
	var row struct {
		Report
		PlanID       int64         `db:"plan_id"`
		CycleKind    string        `db:"cycle_kind"`
		CycleYear    int           `db:"cycle_year"`
		CycleDueOn   Date          `db:"cycle_due_on"`
		PlanTitle    string        `db:"plan_title"`
		UnitName     string        `db:"unit_name"`
		UnitPath     string        `db:"unit_path"`
		IssuerPath   string        `db:"issuer_path"`
		TaskGroupIDs pq.Int64Array `db:"task_group_ids"`
	}
	if err := getContext(ctx, s, &row, q, id); err != nil {
		return ReportScope{}, fmt.Errorf("get report %d: %w", id, translate(err))
	}
	return ReportScope{Report: row.Report,
		Cycle:     ReportCycle{ID: row.CycleID, PlanID: row.PlanID, Kind: row.CycleKind, Year: row.CycleYear, DueOn: row.CycleDueOn},
		PlanTitle: row.PlanTitle, UnitName: row.UnitName, UnitPath: row.UnitPath, IssuerPath: row.IssuerPath,
		TaskGroupIDs: row.TaskGroupIDs}, nil
}

// ReportView is everything a report's page shows: the report as it is
// now, its values and reviews, the unit's form (targets with its share,
// the figures of its previous report), the plan's task groups, the
// narratives, the draft (nil when none) and the attachments.
type ReportView struct {
	Report      Report
	Values      []ReportValue
	Reviews     []ReportReview
	Targets     []FormTarget
	Previous    []ReportValue
	TaskGroups  []TaskGroup
	Narratives  []Narrative
	Draft       *ReportDraft
	Attachments []Attachment
}

// ReportView loads a report's page in one statement, each list as JSON.
func (s *Store) ReportView(ctx context.Context, id int64) (ReportView, error) {
	const q = `SELECT r.id, r.cycle_id, r.unit_id, r.status, r.due_on, r.submitted_at, r.submitted_by,
  COALESCE((SELECT json_agg(json_build_object('target_id', v.target_id, 'value', v.value, 'numerator', v.numerator,
      'denominator', v.denominator) ORDER BY v.target_id) FROM report_values v WHERE v.report_id = r.id), '[]') AS values,
  COALESCE((SELECT json_agg(json_build_object('id', x.id, 'action', x.action, 'comment', x.comment, 'due_on', x.due_on,
      'by_user', x.by_user, 'at', x.at) ORDER BY x.at, x.id) FROM report_reviews x WHERE x.report_id = r.id), '[]') AS reviews,
  COALESCE((SELECT json_agg(json_build_object('id', t.id, 'plan_id', t.plan_id, 'parent_id', t.parent_id, 'position', t.position,
      'text', t.text, 'value', t.value, 'unit', t.unit, 'direction', t.direction, 'measure', t.measure, 'baseline', t.baseline,
      'allocation', a.value::float8,
      'allocated', EXISTS (SELECT 1 FROM target_allocations y WHERE y.target_id = t.id)) ORDER BY t.position)
    FROM targets t LEFT JOIN target_allocations a ON a.target_id = t.id AND a.unit_id = r.unit_id
    WHERE t.plan_id = c.plan_id), '[]') AS targets,
  COALESCE((SELECT json_agg(json_build_object('target_id', v.target_id, 'value', v.value, 'numerator', v.numerator,
      'denominator', v.denominator) ORDER BY v.target_id) FROM report_values v
    WHERE v.report_id = (
      SELECT p.id FROM report_cycles pc
      JOIN reports p ON p.cycle_id = pc.id AND p.unit_id = r.unit_id AND p.status IN ('submitted', 'accepted')
      WHERE pc.plan_id = c.plan_id AND pc.due_on < c.due_on ORDER BY pc.due_on DESC, pc.id DESC LIMIT 1)), '[]') AS previous,
  COALESCE((SELECT json_agg(json_build_object('id', g.id, 'heading', g.heading) ORDER BY g.position, g.id)
    FROM task_groups g WHERE g.plan_id = c.plan_id), '[]') AS task_groups,
  COALESCE((SELECT json_agg(json_build_object('task_group_id', n.task_group_id, 'text', n.text) ORDER BY n.task_group_id)
    FROM report_narratives n WHERE n.report_id = r.id), '[]') AS narratives,
  (SELECT json_build_object('values', d.values, 'narratives', d.narratives, 'saved_at', d.saved_at)
    FROM report_drafts d WHERE d.report_id = r.id) AS draft,
  COALESCE((SELECT json_agg(json_build_object('id', f.id, 'filename', f.filename, 'content_type', f.content_type,
      'size_bytes', f.size_bytes, 'sha256', f.sha256, 'created_at', f.created_at) ORDER BY f.created_at, f.id)
    FROM attachments f WHERE f.owner_kind = 'report' AND f.owner_id = r.id), '[]') AS attachments
FROM reports r JOIN report_cycles c ON c.id = r.cycle_id
WHERE r.id = $1`
	var row struct {
		Report
		Values      []byte `db:"values"`
		Reviews     []byte `db:"reviews"`
		Targets     []byte `db:"targets"`
		Previous    []byte `db:"previous"`
		TaskGroups  []byte `db:"task_groups"`
		Narratives  []byte `db:"narratives"`
		Draft       []byte `db:"draft"`
		Attachments []byte `db:"attachments"`
	}
	if err := getContext(ctx, s, &row, q, id); err != nil {
		return ReportView{}, fmt.Errorf("get report %d: %w", id, translate(err))
	}
	v := ReportView{Report: row.Report}
	if err := decodeJSON(fmt.Sprintf("report %d", id),
		jsonColumn{"values", row.Values, &v.Values}, jsonColumn{"reviews", row.Reviews, &v.Reviews},
		jsonColumn{"targets", row.Targets, &v.Targets}, jsonColumn{"previous", row.Previous, &v.Previous},
		jsonColumn{"task groups", row.TaskGroups, &v.TaskGroups}, jsonColumn{"narratives", row.Narratives, &v.Narratives},
		jsonColumn{"attachments", row.Attachments, &v.Attachments}); err != nil {
		return ReportView{}, err
	}
	if row.Draft != nil {
		v.Draft = &ReportDraft{}
		if err := json.Unmarshal(row.Draft, v.Draft); err != nil {
			return ReportView{}, fmt.Errorf("report %d's draft: %w", id, err)
		}
	}
	for i := range v.Values {
		v.Values[i].ReportID = id
	}
	for i := range v.Reviews {
		v.Reviews[i].ReportID = id
	}
	for i := range v.Attachments {
		v.Attachments[i].OwnerKind, v.Attachments[i].OwnerID = "report", id
	}
	return v, nil
}
