package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// FormTarget is a target as a unit's report form shows it: with the
// unit's share of it, when the plan allocates one.
type FormTarget struct {
	Target
	Allocation *float64 `db:"allocation"`
	// Allocated says whether the plan shares the target among units at
	// all; a unit without a share of an allocated target does not report it.
	Allocated bool `db:"allocated"`
}

// FormTargets lists a plan's targets with the unit's allocation of each.
func (s *Store) FormTargets(ctx context.Context, planID, unitID int64) ([]FormTarget, error) {
	const q = `SELECT t.id, t.plan_id, t.parent_id, t.position, t.text, t.value, t.unit, t.direction, t.measure, t.baseline,
       a.value::float8 AS allocation,
       EXISTS (SELECT 1 FROM target_allocations x WHERE x.target_id = t.id) AS allocated
FROM targets t LEFT JOIN target_allocations a ON a.target_id = t.id AND a.unit_id = $2
WHERE t.plan_id = $1 ORDER BY t.position`
	var ts []FormTarget
	if err := selectContext(ctx, s, &ts, q, planID, unitID); err != nil {
		return nil, fmt.Errorf("list form targets: %w", translate(err))
	}
	return ts, nil
}

// PreviousReportValues returns the values of the unit's latest submitted
// or accepted report of the same plan due before this one.
func (s *Store) PreviousReportValues(ctx context.Context, reportID int64) ([]ReportValue, error) {
	const q = `SELECT v.report_id, v.target_id, v.value, v.numerator, v.denominator FROM report_values v
WHERE v.report_id = (
    SELECT p.id FROM reports r
    JOIN report_cycles c ON c.id = r.cycle_id
    JOIN report_cycles pc ON pc.plan_id = c.plan_id AND pc.due_on < c.due_on
    JOIN reports p ON p.cycle_id = pc.id AND p.unit_id = r.unit_id AND p.status IN ('submitted', 'accepted')
    WHERE r.id = $1 ORDER BY pc.due_on DESC, pc.id DESC LIMIT 1)
ORDER BY v.target_id`
	var vs []ReportValue
	if err := selectContext(ctx, s, &vs, q, reportID); err != nil {
		return nil, fmt.Errorf("previous report values: %w", translate(err))
	}
	return vs, nil
}

// TaskGroup is a numbered group of a plan's tasks (a narrative heading).
type TaskGroup struct {
	ID      int64  `db:"id" json:"id"`
	Heading string `db:"heading" json:"heading"`
}

// TaskGroups lists a plan's task groups in document order.
func (s *Store) TaskGroups(ctx context.Context, planID int64) ([]TaskGroup, error) {
	var gs []TaskGroup
	if err := selectContext(ctx, s, &gs, `SELECT id, heading FROM task_groups WHERE plan_id = $1 ORDER BY position, id`, planID); err != nil {
		return nil, fmt.Errorf("list task groups: %w", translate(err))
	}
	return gs, nil
}

// Narrative is a report's text on one task group.
type Narrative struct {
	TaskGroupID int64  `db:"task_group_id" json:"task_group_id"`
	Text        string `db:"text" json:"text"`
}

// SetNarratives replaces a report's narratives, in one statement: the
// groups not given are removed, the others written.
func (s *Store) SetNarratives(ctx context.Context, reportID int64, ns []Narrative) error {
	const q = `WITH n AS (SELECT * FROM unnest($2::bigint[], $3::text[]) AS n(task_group_id, text)),
del AS (DELETE FROM report_narratives WHERE report_id = $1 AND task_group_id <> ALL ($2::bigint[]))
INSERT INTO report_narratives (report_id, task_group_id, text) SELECT $1, task_group_id, text FROM n
ON CONFLICT (report_id, task_group_id) DO UPDATE SET text = EXCLUDED.text`
	ids, texts := make([]int64, len(ns)), make([]string, len(ns))
	for i, n := range ns {
		ids[i], texts[i] = n.TaskGroupID, n.Text
	}
	if _, err := s.db.ExecContext(ctx, q, reportID, pq.Int64Array(ids), pq.StringArray(texts)); err != nil {
		return fmt.Errorf("set narratives: %w", translate(err))
	}
	return nil
}

// Narratives lists a report's narratives by task group.
func (s *Store) Narratives(ctx context.Context, reportID int64) ([]Narrative, error) {
	var ns []Narrative
	if err := selectContext(ctx, s, &ns, `SELECT task_group_id, text FROM report_narratives WHERE report_id = $1 ORDER BY task_group_id`, reportID); err != nil {
		return nil, fmt.Errorf("list narratives: %w", translate(err))
	}
	return ns, nil
}

// ReportDraft is what a unit saved of its report without submitting it.
type ReportDraft struct {
	Values     json.RawMessage `db:"values" json:"values"`
	Narratives json.RawMessage `db:"narratives" json:"narratives"`
	SavedAt    time.Time       `db:"saved_at" json:"saved_at"`
}

// SaveDraft stores a report's draft, replacing the previous one, and marks
// a pending report draft.
func (s *Store) SaveDraft(ctx context.Context, reportID int64, values, narratives []byte, by *int64, at time.Time) error {
	const q = `WITH marked AS (UPDATE reports SET status = 'draft', updated_at = now() WHERE id = $1 AND status = 'pending')
INSERT INTO report_drafts (report_id, values, narratives, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (report_id) DO UPDATE SET values = EXCLUDED.values, narratives = EXCLUDED.narratives,
    saved_by = EXCLUDED.saved_by, saved_at = EXCLUDED.saved_at`
	if _, err := s.db.ExecContext(ctx, q, reportID, string(values), string(narratives), by, at); err != nil {
		return fmt.Errorf("save draft: %w", translate(err))
	}
	return nil
}

// Draft returns a report's draft, or ErrNotFound.
func (s *Store) Draft(ctx context.Context, reportID int64) (ReportDraft, error) {
	var d ReportDraft
	if err := getContext(ctx, s, &d, `SELECT values, narratives, saved_at FROM report_drafts WHERE report_id = $1`, reportID); err != nil {
		return ReportDraft{}, fmt.Errorf("get draft: %w", translate(err))
	}
	return d, nil
}

// ReportListItem is a report in a list.
type ReportListItem struct {
	ID          int64      `db:"id"`
	PlanID      int64      `db:"plan_id"`
	PlanTitle   string     `db:"plan_title"`
	UnitID      int64      `db:"unit_id"`
	UnitName    string     `db:"unit_name"`
	CycleID     int64      `db:"cycle_id"`
	CycleKind   string     `db:"cycle_kind"`
	CycleYear   int        `db:"cycle_year"`
	CycleDueOn  Date       `db:"cycle_due_on"`
	Status      string     `db:"status"`
	DueOn       Date       `db:"due_on"`
	SubmittedAt *time.Time `db:"submitted_at"`
	// IssuerPath is the path of the plan's issuing unit, whose leaders
	// review the report.
	IssuerPath string `db:"issuer_path"`
}

// ReportFilter selects reports for a list.
type ReportFilter struct {
	// Paths: the reporting unit, or the plan's issuing unit, is in one of
	// these subtrees (the caller's scope).
	Paths  []string
	PlanID int64
	UnitID int64
	Status string
	Limit  int
}

// ReportsInScope lists reports that the caller's scope reaches, oldest
// due first.
func (s *Store) ReportsInScope(ctx context.Context, f ReportFilter) ([]ReportListItem, error) {
	const q = `SELECT r.id, c.plan_id, p.title AS plan_title, o.id AS unit_id, o.name AS unit_name, c.id AS cycle_id, i.path AS issuer_path,
       c.kind AS cycle_kind, c.year AS cycle_year, c.due_on AS cycle_due_on, r.status, r.due_on, r.submitted_at
FROM reports r
JOIN report_cycles c ON c.id = r.cycle_id
JOIN plans p ON p.id = c.plan_id
JOIN org_units o ON o.id = r.unit_id
JOIN org_units i ON i.id = p.issuer_unit_id
WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) s(path) WHERE o.path LIKE s.path || '%' OR i.path LIKE s.path || '%')
  AND ($2::bigint = 0 OR c.plan_id = $2)
  AND ($3::bigint = 0 OR r.unit_id = $3)
  AND ($4::text = '' OR r.status = $4)
ORDER BY r.due_on, r.id LIMIT $5`
	var rs []ReportListItem
	if err := selectContext(ctx, s, &rs, q, textArray(f.Paths), f.PlanID, f.UnitID, f.Status, f.Limit); err != nil {
		return nil, fmt.Errorf("list reports: %w", translate(err))
	}
	return rs, nil
}
