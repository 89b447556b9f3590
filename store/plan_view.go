package store

import (
	"context"
	"encoding/json"
	"fmt"

	"cascade/escalation"
)

// PlanView is a plan with what a request about it needs, read in one
// statement: who may see it (its issuer's path, and whether the caller's
// view scope reaches it as planInScope says), the unit a dashboard, matrix
// or export is about, the plan's report cycles and its escalation settings.
type PlanView struct {
	Plan
	// IssuerPath is the path of the issuing unit ("" when it has none).
	IssuerPath string
	// Reached is planInScope for the paths the view was loaded with: a
	// unit of the caller's subtrees issued the plan, takes part in it, or
	// leads or supports one of its tasks.
	Reached bool
	// Node is the unit asked for (nil when none was, or no such unit).
	Node              *Unit
	Cycles            []ReportCycle
	EscalationPolicy  escalation.Policy
	EscalationsPaused bool
}

// Cycle is the plan's cycle with id, if it is one of the plan's.
func (v PlanView) Cycle(id int64) (ReportCycle, bool) {
	for _, c := range v.Cycles {
		if c.ID == id {
			return c, true
		}
	}
	return ReportCycle{}, false
}

// PlanView loads plan id as PlanView describes, for a caller whose view
// scope is paths, with the unit nodeID (0: none).
func (s *Store) PlanView(ctx context.Context, id int64, paths []string, nodeID int64) (PlanView, error) {
	const q = `SELECT p.id, p.parent_id, p.issuer_unit_id, p.code, p.title, p.place, p.issued_on, p.term_start_year, p.term_end_year,
       p.status, p.revision, p.issued_at, p.issued_by, p.created_at,
       COALESCE((SELECT o.path FROM org_units o WHERE o.id = p.issuer_unit_id), '') AS view_issuer_path,
       ` + planInScope + ` AS view_reached,
       (SELECT row_to_json(n) FROM (SELECT ` + unitColumns + ` FROM org_units WHERE id = $3) n) AS view_node,
       COALESCE((SELECT json_agg(json_build_object('id', c.id, 'plan_id', c.plan_id, 'kind', c.kind, 'year', c.year, 'due_on', c.due_on)
           ORDER BY c.due_on, c.id) FROM report_cycles c WHERE c.plan_id = p.id), '[]') AS view_cycles,
       p.escalation_policy AS view_policy, p.escalations_paused AS view_paused
FROM plans p WHERE p.id = $2`
	var row struct {
		Plan
		IssuerPath string `db:"view_issuer_path"`
		Reached    bool   `db:"view_reached"`
		Node       []byte `db:"view_node"`
		Cycles     []byte `db:"view_cycles"`
		Policy     []byte `db:"view_policy"`
		Paused     bool   `db:"view_paused"`
	}
	if err := getContext(ctx, s, &row, q, textArray(paths), id, nodeID); err != nil {
		return PlanView{}, fmt.Errorf("get plan %d: %w", id, translate(err))
	}
	v := PlanView{Plan: row.Plan, IssuerPath: row.IssuerPath, Reached: row.Reached, EscalationsPaused: row.Paused}
	if row.Node != nil {
		v.Node = &Unit{}
		if err := json.Unmarshal(row.Node, v.Node); err != nil {
			return PlanView{}, fmt.Errorf("plan %d's unit %d: %w", id, nodeID, err)
		}
	}
	if err := json.Unmarshal(row.Cycles, &v.Cycles); err != nil {
		return PlanView{}, fmt.Errorf("plan %d's cycles: %w", id, err)
	}
	policy, err := decodePolicy(row.Policy)
	if err != nil {
		return PlanView{}, fmt.Errorf("plan %d: %w", id, err)
	}
	v.EscalationPolicy = policy
	return v, nil
}
