package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"cascade/calendar"
	"cascade/plans"
)

// LoadPlanDoc reads a whole plan in one statement: header, units,
// sections, targets with their allocations, task groups with tasks and
// their units, responsibilities, recipients and cycles, each list as JSON
// in the shape of package plans.
func (s *Store) LoadPlanDoc(ctx context.Context, id int64) (plans.Plan, error) {
	p, err := s.LoadPlanDocNamed(ctx, id)
	p.UnitNames = nil
	return p, err
}

// LoadPlanDocNamed is LoadPlanDoc with UnitNames: the id and name of every
// unit the plan names (its issuer, units, allocations and task units), read
// in the same statement, for a reader whose scope shows only some of them.
func (s *Store) LoadPlanDocNamed(ctx context.Context, id int64) (plans.Plan, error) {
	const span = `CASE WHEN %[1]s.source_start IS NOT NULL AND %[1]s.source_end IS NOT NULL
    THEN json_build_object('start', %[1]s.source_start, 'end', %[1]s.source_end) END`
	q := `SELECT p.id, p.parent_id, p.issuer_unit_id, p.code, p.title, p.place, p.issued_on, p.term_start_year, p.term_end_year,
       p.status, p.revision, p.issued_at, p.issued_by, p.created_at,
       p.implements AS doc_implements, p.source_name AS doc_source_name, p.source_text AS doc_source_text,
       p.escalation_policy AS doc_policy,
  COALESCE((SELECT json_agg(pu.unit_id ORDER BY pu.unit_id) FROM plan_units pu WHERE pu.plan_id = p.id), '[]') AS doc_units,
  (SELECT json_agg(json_build_object('kind', x.kind, 'heading', x.heading, 'body', x.body, 'source', ` + fmt.Sprintf(span, "x") + `)
      ORDER BY x.position) FROM plan_sections x WHERE x.plan_id = p.id) AS doc_sections,
  (SELECT json_agg(json_build_object('id', t.id, 'parent_id', t.parent_id, 'text', t.text, 'value', t.value, 'unit', t.unit,
      'direction', t.direction, 'measure', t.measure, 'baseline', t.baseline, 'source', ` + fmt.Sprintf(span, "t") + `,
      'needs_review', t.needs_review, 'review_note', t.review_note,
      'allocations', COALESCE((SELECT json_agg(json_build_object('unit_id', a.unit_id, 'value', a.value) ORDER BY a.unit_id)
          FROM target_allocations a WHERE a.target_id = t.id), '[]'))
      ORDER BY t.position) FROM targets t WHERE t.plan_id = p.id) AS doc_targets,
  (SELECT json_agg(json_build_object('id', g.id, 'heading', g.heading, 'source', ` + fmt.Sprintf(span, "g") + `,
      'tasks', COALESCE((SELECT json_agg(json_build_object('id', k.id, 'text', k.text, 'due_on', k.due_on, 'recurrence', k.recurrence,
          'expected_output', k.expected_output, 'source', ` + fmt.Sprintf(span, "k") + `, 'needs_review', k.needs_review,
          'review_note', k.review_note,
          'lead_unit_ids', COALESCE((SELECT json_agg(tu.unit_id ORDER BY tu.unit_id) FROM task_units tu
              WHERE tu.task_id = k.id AND tu.role = 'lead'), '[]'),
          'support_unit_ids', COALESCE((SELECT json_agg(tu.unit_id ORDER BY tu.unit_id) FROM task_units tu
              WHERE tu.task_id = k.id AND tu.role <> 'lead'), '[]'))
          ORDER BY k.position) FROM tasks k WHERE k.task_group_id = g.id AND k.plan_id = p.id), '[]'))
      ORDER BY g.position) FROM task_groups g WHERE g.plan_id = p.id) AS doc_task_groups,
  (SELECT json_agg(json_build_object('text', r.text, 'unit_kind', r.unit_kind, 'action', r.action, 'due_on', r.due_on,
      'recurrence', r.recurrence, 'with_annual_report', r.with_annual_report, 'source', ` + fmt.Sprintf(span, "r") + `)
      ORDER BY r.position) FROM responsibilities r WHERE r.plan_id = p.id) AS doc_responsibilities,
  (SELECT json_agg(json_build_object('text', n.text, 'unit_id', n.unit_id) ORDER BY n.position)
      FROM plan_recipients n WHERE n.plan_id = p.id) AS doc_recipients,
  (SELECT json_agg(json_build_object('id', c.id, 'kind', c.kind, 'year', c.year, 'due_on', c.due_on) ORDER BY c.due_on, c.id)
      FROM report_cycles c WHERE c.plan_id = p.id) AS doc_cycles,
  (SELECT json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.id) FROM org_units o
      WHERE o.id = p.issuer_unit_id
         OR o.id IN (SELECT pu.unit_id FROM plan_units pu WHERE pu.plan_id = p.id)
         OR o.id IN (SELECT a.unit_id FROM target_allocations a JOIN targets t ON t.id = a.target_id WHERE t.plan_id = p.id)
         OR o.id IN (SELECT tu.unit_id FROM task_units tu JOIN tasks k ON k.id = tu.task_id WHERE k.plan_id = p.id)) AS doc_unit_names
FROM plans p WHERE p.id = $1`
	var row struct {
		Plan
		Implements       pq.StringArray `db:"doc_implements"`
		SourceName       string         `db:"doc_source_name"`
		SourceText       string         `db:"doc_source_text"`
		Policy           []byte         `db:"doc_policy"`
		Units            []byte         `db:"doc_units"`
		Sections         []byte         `db:"doc_sections"`
		Targets          []byte         `db:"doc_targets"`
		TaskGroups       []byte         `db:"doc_task_groups"`
		Responsibilities []byte         `db:"doc_responsibilities"`
		Recipients       []byte         `db:"doc_recipients"`
		Cycles           []byte         `db:"doc_cycles"`
		UnitNames        []byte         `db:"doc_unit_names"`
	}
	if err := getContext(ctx, s, &row, q, id); err != nil {
		return plans.Plan{}, fmt.Errorf("get plan %d: %w", id, translate(err))
	}
	h := row.Plan
	p := plans.Plan{ID: h.ID, ParentID: h.ParentID, Code: h.Code, Title: h.Title, Place: h.Place,
		TermStartYear: h.TermStartYear, TermEndYear: h.TermEndYear, Status: h.Status, Revision: h.Revision,
		Implements: []string(row.Implements), SourceName: row.SourceName, SourceText: row.SourceText}
	if h.IssuerUnitID != nil {
		p.IssuerUnitID = *h.IssuerUnitID
	}
	if h.IssuedOn != nil {
		d := calendar.DateOf(h.IssuedOn.Time)
		p.IssuedOn = &d
	}
	if p.Implements == nil {
		p.Implements = []string{}
	}
	policy, err := decodePolicy(row.Policy)
	if err != nil {
		return plans.Plan{}, fmt.Errorf("plan %d: %w", id, err)
	}
	p.EscalationPolicy = &policy

	// The lists of the document; a list the plan has none of stays nil.
	var targets []struct {
		plans.Target
		ParentID *int64 `json:"parent_id"`
	}
	if err := decodeJSON(fmt.Sprintf("plan %d", id),
		jsonColumn{"units", row.Units, &p.UnitIDs}, jsonColumn{"sections", row.Sections, &p.Sections},
		jsonColumn{"targets", row.Targets, &targets}, jsonColumn{"task groups", row.TaskGroups, &p.TaskGroups},
		jsonColumn{"responsibilities", row.Responsibilities, &p.Responsibilities},
		jsonColumn{"recipients", row.Recipients, &p.Recipients}, jsonColumn{"cycles", row.Cycles, &p.Cycles},
		jsonColumn{"unit names", row.UnitNames, &p.UnitNames}); err != nil {
		return plans.Plan{}, err
	}
	// A target's parent is read by id and written as its index.
	index := make(map[int64]int, len(targets))
	for i, t := range targets {
		index[t.ID] = i
	}
	for _, t := range targets {
		if t.ParentID != nil {
			if j, ok := index[*t.ParentID]; ok {
				t.Parent = &j
			}
		}
		p.Targets = append(p.Targets, t.Target)
	}
	return p, nil
}

func nonNilIDs(xs []int64) []int64 {
	if xs == nil {
		return []int64{}
	}
	return xs
}

func spanArgs(sp *plans.Span) (any, any) {
	if sp == nil {
		return nil, nil
	}
	return sp.Start, sp.End
}

func dateArg(d *calendar.Date) any {
	if d == nil || d.IsZero() {
		return nil
	}
	return d.String()
}

// SavePlanContent writes everything of p below its id: header, units,
// sections, targets and allocations, task groups and tasks with their
// units, responsibilities, recipients and cycles. Items with an id are
// updated in place, so reported figures and units' work keep pointing at
// them; items gone from p are removed, which fails with ErrReferenced when
// reports or tasks of units still point at them. Run it in a transaction.
func (s *Store) SavePlanContent(ctx context.Context, p plans.Plan) error {
	exec := func(what, q string, args ...any) error {
		if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("%s: %w", what, translate(err))
		}
		return nil
	}
	if p.Implements == nil {
		p.Implements = []string{}
	}
	var issuer any
	if p.IssuerUnitID != 0 {
		issuer = p.IssuerUnitID
	}
	policy, err := encodePolicy(p.EscalationPolicy)
	if err != nil {
		return err
	}
	if err := exec("update plan", `UPDATE plans SET code = $2, title = $3, place = $4, issued_on = $5, term_start_year = $6,
    term_end_year = $7, implements = $8, issuer_unit_id = COALESCE($9, issuer_unit_id),
    source_name = CASE WHEN $10 = '' THEN source_name ELSE $10 END,
    source_text = CASE WHEN $11 = '' THEN source_text ELSE $11 END, escalation_policy = $12, updated_at = now()
WHERE id = $1`, p.ID, p.Code, p.Title, p.Place, dateArg(p.IssuedOn), p.TermStartYear, p.TermEndYear,
		pq.StringArray(p.Implements), issuer, p.SourceName, p.SourceText, policy); err != nil {
		return err
	}
	if err := exec("replace plan units", `DELETE FROM plan_units WHERE plan_id = $1`, p.ID); err != nil {
		return err
	}
	if err := exec("insert plan units", `INSERT INTO plan_units (plan_id, unit_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, p.ID, int64Array(p.UnitIDs)); err != nil {
		return err
	}
	if err := exec("replace sections", `DELETE FROM plan_sections WHERE plan_id = $1`, p.ID); err != nil {
		return err
	}
	for i, sec := range p.Sections {
		st, en := spanArgs(sec.Source)
		if err := exec("insert section", `INSERT INTO plan_sections (plan_id, position, kind, heading, body, source_start, source_end)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, p.ID, i+1, sec.Kind, sec.Heading, sec.Body, st, en); err != nil {
			return err
		}
	}

	// Targets, in place by id.
	targetIDs := make([]int64, len(p.Targets))
	for i, t := range p.Targets {
		st, en := spanArgs(t.Source)
		dir, measure := t.Direction, t.Measure
		if dir == "" {
			dir = "at_least"
		}
		if measure == "" {
			measure = "count"
		}
		const q = `INSERT INTO targets (id, plan_id, position, text, value, unit, direction, measure, baseline, source_start, source_end, needs_review, review_note)
VALUES (COALESCE($1, nextval('targets_id_seq')), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, text = EXCLUDED.text, value = EXCLUDED.value, unit = EXCLUDED.unit,
    direction = EXCLUDED.direction, measure = EXCLUDED.measure, baseline = EXCLUDED.baseline, source_start = EXCLUDED.source_start,
    source_end = EXCLUDED.source_end, needs_review = EXCLUDED.needs_review, review_note = EXCLUDED.review_note, parent_id = NULL
WHERE targets.plan_id = EXCLUDED.plan_id
RETURNING id`
		var id any
		if t.ID != 0 {
			id = t.ID
		}
		if err := getContext(ctx, s, &targetIDs[i], q, id, p.ID, i+1, t.Text, t.Value, t.Unit, dir, measure, t.Baseline, st, en, t.NeedsReview, t.ReviewNote); err != nil {
			return fmt.Errorf("save target %d: %w", i, translate(err))
		}
	}
	if err := exec("remove targets", `DELETE FROM targets WHERE plan_id = $1 AND NOT (id = ANY($2))`, p.ID, int64Array(targetIDs)); err != nil {
		return err
	}
	for i, t := range p.Targets {
		if t.Parent != nil && *t.Parent >= 0 && *t.Parent < len(targetIDs) {
			if err := exec("link target parent", `UPDATE targets SET parent_id = $2 WHERE id = $1`, targetIDs[i], targetIDs[*t.Parent]); err != nil {
				return err
			}
		}
	}
	if err := exec("replace allocations", `DELETE FROM target_allocations WHERE target_id = ANY($1)`, int64Array(targetIDs)); err != nil {
		return err
	}
	for i, t := range p.Targets {
		for _, a := range t.Allocations {
			if err := exec("insert allocation", `INSERT INTO target_allocations (target_id, unit_id, value) VALUES ($1, $2, $3)`, targetIDs[i], a.UnitID, a.Value); err != nil {
				return err
			}
		}
	}

	// Task groups and tasks, in place by id.
	var groupIDs, taskIDs []int64
	for g, grp := range p.TaskGroups {
		st, en := spanArgs(grp.Source)
		var gid int64
		var id any
		if grp.ID != 0 {
			id = grp.ID
		}
		if err := getContext(ctx, s, &gid, `INSERT INTO task_groups (id, plan_id, position, heading, source_start, source_end)
VALUES (COALESCE($1, nextval('task_groups_id_seq')), $2, $3, $4, $5, $6)
ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, heading = EXCLUDED.heading,
    source_start = EXCLUDED.source_start, source_end = EXCLUDED.source_end
WHERE task_groups.plan_id = EXCLUDED.plan_id RETURNING id`, id, p.ID, g+1, grp.Heading, st, en); err != nil {
			return fmt.Errorf("save task group %d: %w", g, translate(err))
		}
		groupIDs = append(groupIDs, gid)
		for i, t := range grp.Tasks {
			st, en := spanArgs(t.Source)
			var tid int64
			var id any
			if t.ID != 0 {
				id = t.ID
			}
			if err := getContext(ctx, s, &tid, `INSERT INTO tasks (id, plan_id, task_group_id, position, text, due_on, recurrence, expected_output,
    source_start, source_end, needs_review, review_note)
VALUES (COALESCE($1, nextval('tasks_id_seq')), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (id) DO UPDATE SET task_group_id = EXCLUDED.task_group_id, position = EXCLUDED.position, text = EXCLUDED.text,
    due_on = EXCLUDED.due_on, recurrence = EXCLUDED.recurrence, expected_output = EXCLUDED.expected_output,
    source_start = EXCLUDED.source_start, source_end = EXCLUDED.source_end, needs_review = EXCLUDED.needs_review, review_note = EXCLUDED.review_note
WHERE tasks.plan_id = EXCLUDED.plan_id RETURNING id`, id, p.ID, gid, i+1, t.Text, dateArg(t.DueOn), t.Recurrence, t.ExpectedOutput, st, en, t.NeedsReview, t.ReviewNote); err != nil {
				return fmt.Errorf("save task %d of group %d: %w", i, g, translate(err))
			}
			taskIDs = append(taskIDs, tid)
			if err := exec("replace task units", `DELETE FROM task_units WHERE task_id = $1`, tid); err != nil {
				return err
			}
			for _, u := range t.LeadUnitIDs {
				if err := exec("insert lead unit", `INSERT INTO task_units (task_id, unit_id, role) VALUES ($1, $2, 'lead') ON CONFLICT DO NOTHING`, tid, u); err != nil {
					return err
				}
			}
			for _, u := range t.SupportUnitIDs {
				if err := exec("insert support unit", `INSERT INTO task_units (task_id, unit_id, role) VALUES ($1, $2, 'support') ON CONFLICT DO NOTHING`, tid, u); err != nil {
					return err
				}
			}
		}
	}
	if err := exec("remove tasks", `DELETE FROM tasks WHERE plan_id = $1 AND NOT (id = ANY($2))`, p.ID, int64Array(taskIDs)); err != nil {
		return err
	}
	if err := exec("remove task groups", `DELETE FROM task_groups WHERE plan_id = $1 AND NOT (id = ANY($2))`, p.ID, int64Array(groupIDs)); err != nil {
		return err
	}

	if err := exec("replace responsibilities", `DELETE FROM responsibilities WHERE plan_id = $1`, p.ID); err != nil {
		return err
	}
	for i, r := range p.Responsibilities {
		st, en := spanArgs(r.Source)
		if err := exec("insert responsibility", `INSERT INTO responsibilities (plan_id, position, text, unit_kind, action, due_on, recurrence, with_annual_report, source_start, source_end)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, p.ID, i+1, r.Text, r.UnitKind, r.Action, dateArg(r.DueOn), r.Recurrence, r.WithAnnualReport, st, en); err != nil {
			return err
		}
	}
	if err := exec("replace recipients", `DELETE FROM plan_recipients WHERE plan_id = $1`, p.ID); err != nil {
		return err
	}
	for i, r := range p.Recipients {
		if err := exec("insert recipient", `INSERT INTO plan_recipients (plan_id, position, text, unit_id) VALUES ($1, $2, $3, $4)`, p.ID, i+1, r.Text, r.UnitID); err != nil {
			return err
		}
	}

	// Cycles by kind and year, so reports keep their cycle.
	var kept []int64
	for i, c := range p.Cycles {
		var cid int64
		if err := getContext(ctx, s, &cid, `INSERT INTO report_cycles (plan_id, kind, year, due_on) VALUES ($1, $2, $3, $4)
ON CONFLICT (plan_id, kind, year) DO UPDATE SET due_on = EXCLUDED.due_on RETURNING id`, p.ID, c.Kind, c.Year, c.DueOn.String()); err != nil {
			return fmt.Errorf("save cycle %d: %w", i, translate(err))
		}
		kept = append(kept, cid)
	}
	return exec("remove cycles", `DELETE FROM report_cycles WHERE plan_id = $1 AND NOT (id = ANY($2))`, p.ID, int64Array(kept))
}

// CreatePlanDoc inserts a draft plan's header and then its content.
func (s *Store) CreatePlanDoc(ctx context.Context, p plans.Plan) (int64, error) {
	issuer := p.IssuerUnitID
	id, err := s.CreatePlan(ctx, NewPlan{Plan: Plan{ParentID: p.ParentID, IssuerUnitID: &issuer, Code: p.Code, Title: p.Title, Place: p.Place,
		TermStartYear: p.TermStartYear, TermEndYear: p.TermEndYear}})
	if err != nil {
		return 0, err
	}
	p.ID = id
	if err := s.SavePlanContent(ctx, p); err != nil {
		return 0, err
	}
	return id, nil
}

// SavePlanRevision keeps a plan's current content before an amendment and
// moves the plan to the next revision number.
func (s *Store) SavePlanRevision(ctx context.Context, current plans.Plan, reason string, by *int64, at time.Time) error {
	snapshot, err := jsonOrNull(current)
	if err != nil {
		return err
	}
	const q = `INSERT INTO plan_revisions (plan_id, revision, snapshot, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`
	if _, err := s.db.ExecContext(ctx, q, current.ID, current.Revision, snapshot, reason, by, at); err != nil {
		return fmt.Errorf("save plan revision: %w", translate(err))
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE plans SET revision = revision + 1 WHERE id = $1`, current.ID); err != nil {
		return fmt.Errorf("bump plan revision: %w", translate(err))
	}
	return nil
}

// PlanRevision is an earlier revision of a plan.
type PlanRevision struct {
	Revision  int       `db:"revision" json:"revision"`
	Reason    string    `db:"reason" json:"reason"`
	CreatedBy *int64    `db:"created_by" json:"created_by"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	Snapshot  []byte    `db:"snapshot" json:"-"`
}

// PlanRevisions lists a plan's earlier revisions, oldest first.
func (s *Store) PlanRevisions(ctx context.Context, planID int64) ([]PlanRevision, error) {
	var rs []PlanRevision
	if err := selectContext(ctx, s, &rs, `SELECT revision, reason, created_by, created_at, snapshot FROM plan_revisions WHERE plan_id = $1 ORDER BY revision`, planID); err != nil {
		return nil, fmt.Errorf("list plan revisions: %w", translate(err))
	}
	return rs, nil
}

// PlanRevisionSnapshot is an earlier revision's whole content, as kept
// when the plan was amended; ErrNotFound when there is none.
func (s *Store) PlanRevisionSnapshot(ctx context.Context, planID int64, revision int) (PlanRevision, error) {
	var rs []PlanRevision
	if err := selectContext(ctx, s, &rs, `SELECT revision, reason, created_by, created_at, snapshot FROM plan_revisions WHERE plan_id = $1 AND revision = $2`, planID, revision); err != nil {
		return PlanRevision{}, fmt.Errorf("plan revision: %w", translate(err))
	}
	if len(rs) == 0 {
		return PlanRevision{}, fmt.Errorf("plan %d revision %d: %w", planID, revision, ErrNotFound)
	}
	return rs[0], nil
}

// DeleteDraftPlan removes a plan that was never issued, with its content;
// ErrConflict when it is not a draft (any more).
func (s *Store) DeleteDraftPlan(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM plans WHERE id = $1 AND status = 'draft'`, id)
	if err != nil {
		return fmt.Errorf("delete draft plan %d: %w", id, translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete draft plan %d: %w", id, ErrConflict)
	}
	return nil
}

// planInScope is the rule of who may read a plan p: a caller whose scope
// ($1, the paths of their memberships that may view) covers the unit that
// issued it, a unit taking part in it (plan_units), or a unit leading or
// supporting one of its tasks (task_units: a board that leads a content
// group reads the plan its tasks come from). Reading a plan is reading its
// document; its reports and dashboards keep their own unit scopes. The
// task units are one set per query (tasks has no index by plan): with 2,000
// plans of 50 tasks, a board's list takes 6 ms, one plan 1 ms, where a
// correlated EXISTS took 425 ms for the list.
const planInScope = `(EXISTS (SELECT 1 FROM org_units o WHERE o.id = p.issuer_unit_id AND o.path LIKE ANY (SELECT x || '%' FROM unnest($1::text[]) x))
   OR EXISTS (SELECT 1 FROM plan_units pu JOIN org_units o ON o.id = pu.unit_id
              WHERE pu.plan_id = p.id AND o.path LIKE ANY (SELECT x || '%' FROM unnest($1::text[]) x))
   OR p.id IN (SELECT t.plan_id FROM task_units tu JOIN tasks t ON t.id = tu.task_id JOIN org_units o ON o.id = tu.unit_id
               WHERE o.path LIKE ANY (SELECT x || '%' FROM unnest($1::text[]) x)))`

// PlansInScope lists the plans a caller whose view scope is paths may read
// (planInScope), newest first.
func (s *Store) PlansInScope(ctx context.Context, paths []string, limit int) ([]Plan, error) {
	const q = `SELECT p.id, p.parent_id, p.issuer_unit_id, p.code, p.title, p.place, p.issued_on, p.term_start_year, p.term_end_year,
       p.status, p.revision, p.issued_at, p.issued_by, p.created_at
FROM plans p
WHERE ` + planInScope + `
ORDER BY p.created_at DESC, p.id DESC LIMIT $2`
	var ps []Plan
	if err := selectContext(ctx, s, &ps, q, textArray(paths), limit); err != nil {
		return nil, fmt.Errorf("list plans in scope: %w", translate(err))
	}
	return ps, nil
}
