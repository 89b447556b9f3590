package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"cascade/escalation"
)

// Plan is a plan's header: a provincial plan or a unit's own child plan.
type Plan struct {
	ID            int64      `db:"id" json:"id"`
	ParentID      *int64     `db:"parent_id" json:"parent_id"`
	IssuerUnitID  *int64     `db:"issuer_unit_id" json:"issuer_unit_id"`
	Code          string     `db:"code" json:"code"`
	Title         string     `db:"title" json:"title"`
	Place         string     `db:"place" json:"place"`
	IssuedOn      *Date      `db:"issued_on" json:"issued_on"`
	TermStartYear int        `db:"term_start_year" json:"term_start_year"`
	TermEndYear   int        `db:"term_end_year" json:"term_end_year"`
	Status        string     `db:"status" json:"status"`
	Revision      int        `db:"revision" json:"revision"`
	IssuedAt      *time.Time `db:"issued_at" json:"issued_at"`
	IssuedBy      *int64     `db:"issued_by" json:"issued_by"`
	CreatedAt     time.Time  `db:"created_at" json:"created_at"`
}

// Target is a quantitative goal of a plan ("2.700 hộ thoát nghèo", "dưới 8,5%").
type Target struct {
	ID        int64    `db:"id" json:"id"`
	PlanID    int64    `db:"plan_id" json:"plan_id"`
	ParentID  *int64   `db:"parent_id" json:"parent_id"`
	Position  int      `db:"position" json:"position"`
	Text      string   `db:"text" json:"text"`
	Value     *float64 `db:"value" json:"value"`
	Unit      string   `db:"unit" json:"unit"`
	Direction string   `db:"direction" json:"direction"`
	Measure   string   `db:"measure" json:"measure"`
	Baseline  *float64 `db:"baseline" json:"baseline"`
}

// ReportCycle is one reporting round of a plan: annual, mid-term or final.
type ReportCycle struct {
	ID     int64  `db:"id" json:"id"`
	PlanID int64  `db:"plan_id" json:"plan_id"`
	Kind   string `db:"kind" json:"kind"`
	Year   int    `db:"year" json:"year"`
	DueOn  Date   `db:"due_on" json:"due_on"`
}

// NewPlan is everything a draft plan is created from.
type NewPlan struct {
	Plan    Plan
	UnitIDs []int64
	Targets []Target
	Cycles  []ReportCycle
}

// CreatePlan inserts a draft plan with its participating units, targets and
// report cycles. Run it in a transaction.
func (s *Store) CreatePlan(ctx context.Context, np NewPlan) (int64, error) {
	const qPlan = `
INSERT INTO plans (parent_id, issuer_unit_id, code, title, place, issued_on, term_start_year, term_end_year)
VALUES (:parent_id, :issuer_unit_id, :code, :title, :place, :issued_on, :term_start_year, :term_end_year)
RETURNING id`
	rows, err := namedQuery(ctx, s, qPlan, np.Plan)
	if err != nil {
		return 0, fmt.Errorf("insert plan: %w", translate(err))
	}
	var id int64
	if rows.Next() {
		err = rows.Scan(&id)
	}
	rows.Close()
	if err != nil || id == 0 {
		return 0, fmt.Errorf("insert plan: %w", translate(err))
	}

	const qUnits = `INSERT INTO plan_units (plan_id, unit_id) SELECT $1, unnest($2::bigint[])`
	if _, err := s.db.ExecContext(ctx, qUnits, id, int64Array(np.UnitIDs)); err != nil {
		return 0, fmt.Errorf("insert plan units: %w", translate(err))
	}
	for i, t := range np.Targets {
		t.PlanID, t.Position = id, i+1
		const qTarget = `
INSERT INTO targets (plan_id, parent_id, position, text, value, unit, direction, measure, baseline)
VALUES (:plan_id, :parent_id, :position, :text, :value, :unit, :direction, :measure, :baseline)`
		if err := namedExec(ctx, s, qTarget, t); err != nil {
			return 0, fmt.Errorf("insert target %d: %w", i+1, translate(err))
		}
	}
	for _, c := range np.Cycles {
		c.PlanID = id
		const qCycle = `INSERT INTO report_cycles (plan_id, kind, year, due_on) VALUES (:plan_id, :kind, :year, :due_on)`
		if err := namedExec(ctx, s, qCycle, c); err != nil {
			return 0, fmt.Errorf("insert cycle %s %d: %w", c.Kind, c.Year, translate(err))
		}
	}
	return id, nil
}

// Plan returns a plan's header.
func (s *Store) Plan(ctx context.Context, id int64) (Plan, error) {
	const q = `SELECT id, parent_id, issuer_unit_id, code, title, place, issued_on, term_start_year, term_end_year,
       status, revision, issued_at, issued_by, created_at
FROM plans WHERE id = $1`
	var p Plan
	if err := getContext(ctx, s, &p, q, id); err != nil {
		return Plan{}, fmt.Errorf("get plan %d: %w", id, translate(err))
	}
	return p, nil
}

// PlanForUpdate returns a plan's header and locks its row until the
// transaction ends.
func (s *Store) PlanForUpdate(ctx context.Context, id int64) (Plan, error) {
	const q = `SELECT id, parent_id, issuer_unit_id, code, title, place, issued_on, term_start_year, term_end_year,
       status, revision, issued_at, issued_by, created_at
FROM plans WHERE id = $1 FOR UPDATE`
	var p Plan
	if err := getContext(ctx, s, &p, q, id); err != nil {
		return Plan{}, fmt.Errorf("lock plan %d: %w", id, translate(err))
	}
	return p, nil
}

// PlanUnitIDs lists the units taking part in a plan, in id order.
func (s *Store) PlanUnitIDs(ctx context.Context, planID int64) ([]int64, error) {
	const q = `SELECT unit_id FROM plan_units WHERE plan_id = $1 ORDER BY unit_id`
	var ids []int64
	if err := selectContext(ctx, s, &ids, q, planID); err != nil {
		return nil, fmt.Errorf("list plan units: %w", translate(err))
	}
	return ids, nil
}

// Targets lists a plan's targets in document order.
func (s *Store) Targets(ctx context.Context, planID int64) ([]Target, error) {
	const q = `SELECT id, plan_id, parent_id, position, text, value, unit, direction, measure, baseline
FROM targets WHERE plan_id = $1 ORDER BY position`
	var ts []Target
	if err := selectContext(ctx, s, &ts, q, planID); err != nil {
		return nil, fmt.Errorf("list targets: %w", translate(err))
	}
	return ts, nil
}

// ReportCycles lists a plan's cycles by due date.
func (s *Store) ReportCycles(ctx context.Context, planID int64) ([]ReportCycle, error) {
	const q = `SELECT id, plan_id, kind, year, due_on FROM report_cycles WHERE plan_id = $1 ORDER BY due_on, id`
	var cs []ReportCycle
	if err := selectContext(ctx, s, &cs, q, planID); err != nil {
		return nil, fmt.Errorf("list cycles: %w", translate(err))
	}
	return cs, nil
}

// MarkPlanIssued moves a draft plan to issued.
func (s *Store) MarkPlanIssued(ctx context.Context, id int64, by *int64, on Date) error {
	const q = `UPDATE plans SET status = 'issued', issued_at = now(), issued_by = $2,
    issued_on = COALESCE(issued_on, $3), updated_at = now()
WHERE id = $1 AND status = 'draft'`
	res, err := s.db.ExecContext(ctx, q, id, by, on)
	if err != nil {
		return fmt.Errorf("issue plan %d: %w", id, translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("issue plan %d: %w", id, ErrConflict)
	}
	return nil
}

// MarkPlanClosed closes an issued plan at the end of its term.
func (s *Store) MarkPlanClosed(ctx context.Context, id int64) error {
	const q = `UPDATE plans SET status = 'closed', updated_at = now() WHERE id = $1 AND status = 'issued'`
	if _, err := s.db.ExecContext(ctx, q, id); err != nil {
		return fmt.Errorf("close plan %d: %w", id, translate(err))
	}
	return nil
}

// PlanByCode returns the newest plan with a code.
func (s *Store) PlanByCode(ctx context.Context, code string) (Plan, error) {
	const q = `SELECT id, parent_id, issuer_unit_id, code, title, place, issued_on, term_start_year, term_end_year,
       status, revision, issued_at, issued_by, created_at
FROM plans WHERE code = $1 ORDER BY id DESC LIMIT 1`
	var p Plan
	if err := getContext(ctx, s, &p, q, code); err != nil {
		return Plan{}, fmt.Errorf("get plan %q: %w", code, translate(err))
	}
	return p, nil
}

// MarkPlanCancelled withdraws a draft or issued plan.
func (s *Store) MarkPlanCancelled(ctx context.Context, id int64) error {
	const q = `UPDATE plans SET status = 'cancelled', updated_at = now() WHERE id = $1 AND status IN ('draft', 'issued')`
	res, err := s.db.ExecContext(ctx, q, id)
	if err != nil {
		return fmt.Errorf("cancel plan %d: %w", id, translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("cancel plan %d: %w", id, ErrConflict)
	}
	return nil
}

// SetEscalationsPaused pauses or resumes a plan's automatic reminders and
// escalations.
func (s *Store) SetEscalationsPaused(ctx context.Context, id int64, paused bool) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE plans SET escalations_paused = $2, updated_at = now() WHERE id = $1`, id, paused); err != nil {
		return fmt.Errorf("pause plan %d escalations: %w", id, translate(err))
	}
	return nil
}

// EscalationsPaused says whether a plan's automatic reminders are paused.
func (s *Store) EscalationsPaused(ctx context.Context, id int64) (bool, error) {
	var paused bool
	if err := getContext(ctx, s, &paused, `SELECT escalations_paused FROM plans WHERE id = $1`, id); err != nil {
		return false, fmt.Errorf("plan %d escalations: %w", id, translate(err))
	}
	return paused, nil
}

// EscalationPolicy reads a plan's escalation ladder: its own, or the
// default when it has none.
func (s *Store) EscalationPolicy(ctx context.Context, id int64) (escalation.Policy, error) {
	var raw []byte
	if err := getContext(ctx, s, &raw, `SELECT escalation_policy FROM plans WHERE id = $1`, id); err != nil {
		return escalation.Policy{}, fmt.Errorf("plan %d escalation policy: %w", id, translate(err))
	}
	p, err := decodePolicy(raw)
	if err != nil {
		return escalation.Policy{}, fmt.Errorf("plan %d: %w", id, err)
	}
	return p, nil
}

// decodePolicy reads the escalation_policy column: NULL is the default.
func decodePolicy(raw []byte) (escalation.Policy, error) {
	if len(raw) == 0 {
		return escalation.DefaultPolicy(), nil
	}
	var p escalation.Policy
	if err := json.Unmarshal(raw, &p); err != nil {
		return escalation.Policy{}, fmt.Errorf("decode escalation policy: %w", err)
	}
	return p, nil
}

// encodePolicy writes the escalation_policy column. The default ladder is
// stored as NULL, so a plan that kept it follows DESIGN.md's ladder.
func encodePolicy(p *escalation.Policy) (any, error) {
	if p == nil || p.IsDefault() {
		return nil, nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode escalation policy: %w", err)
	}
	return string(b), nil
}
