package store

import (
	"context"
	"fmt"
	"time"
)

// The queries of this file gather a plan's reports over one subtree of the
// organisation: the units whose materialised path starts with the node's,
// read as one range of org_units_path_idx (see UnitsInScope). Only
// submitted and accepted reports count as received; their values are summed
// per target and cycle, numerators and denominators apart, so that a
// percentage over the tree is Σ numerators / Σ denominators.

// TargetCycleSum is a target's figures summed over a subtree for one cycle.
type TargetCycleSum struct {
	TargetID    int64   `db:"target_id"`
	CycleID     int64   `db:"cycle_id"`
	Value       float64 `db:"value"`
	Numerator   float64 `db:"numerator"`
	Denominator float64 `db:"denominator"`
	// ValueUnits and RatioUnits count the reports that gave a value, and a
	// numerator with a denominator.
	ValueUnits int `db:"value_units"`
	RatioUnits int `db:"ratio_units"`
}

const targetSumsQuery = `SELECT v.target_id, r.cycle_id,
       COALESCE(sum(v.value), 0)::float8 AS value,
       COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0)::float8 AS numerator,
       COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0)::float8 AS denominator,
       count(v.value) AS value_units,
       count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL) AS ratio_units
FROM report_cycles c
JOIN reports r ON r.cycle_id = c.id
JOIN org_units o ON o.id = r.unit_id
JOIN report_values v ON v.report_id = r.id
WHERE c.plan_id = $1 AND o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')
  AND r.status IN ('submitted', 'accepted')
GROUP BY v.target_id, r.cycle_id`

// TargetSums sums every target of a plan over the subtree at path, per cycle.
func (s *Store) TargetSums(ctx context.Context, planID int64, path string) ([]TargetCycleSum, error) {
	var rows []TargetCycleSum
	if err := selectContext(ctx, s, &rows, targetSumsQuery, planID, path); err != nil {
		return nil, fmt.Errorf("sum targets over subtree: %w", translate(err))
	}
	return rows, nil
}

// ExplainTargetSums is EXPLAIN (ANALYZE) of TargetSums, for make bench.
func (s *Store) ExplainTargetSums(ctx context.Context, planID int64, path string) ([]string, error) {
	var lines []string
	if err := selectContext(ctx, s, &lines, "EXPLAIN (ANALYZE, BUFFERS) "+targetSumsQuery, planID, path); err != nil {
		return nil, fmt.Errorf("explain target sums: %w", translate(err))
	}
	return lines, nil
}

// ChildSum is one target's figures for one cycle summed over the subtree
// of one child of a node (or the node's own report, UnitID the node's).
type ChildSum struct {
	UnitID      int64   `db:"unit_id"`
	Value       float64 `db:"value"`
	Numerator   float64 `db:"numerator"`
	Denominator float64 `db:"denominator"`
	ValueUnits  int     `db:"value_units"`
	RatioUnits  int     `db:"ratio_units"`
}

// ChildSums sums one target for one cycle over each child subtree of the
// node at path (whose id is nodeID).
func (s *Store) ChildSums(ctx context.Context, nodeID int64, path string, cycleID, targetID int64) ([]ChildSum, error) {
	const q = `SELECT CASE WHEN o.path = $2 THEN $1 ELSE split_part(substr(o.path, length($2) + 1), '/', 1)::bigint END AS unit_id,
       COALESCE(sum(v.value), 0)::float8 AS value,
       COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0)::float8 AS numerator,
       COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0)::float8 AS denominator,
       count(v.value) AS value_units,
       count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL) AS ratio_units
FROM reports r
JOIN org_units o ON o.id = r.unit_id
JOIN report_values v ON v.report_id = r.id AND v.target_id = $4
WHERE r.cycle_id = $3 AND o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')
  AND r.status IN ('submitted', 'accepted')
GROUP BY 1`
	var rows []ChildSum
	if err := selectContext(ctx, s, &rows, q, nodeID, path, cycleID, targetID); err != nil {
		return nil, fmt.Errorf("sum target over children: %w", translate(err))
	}
	return rows, nil
}

// Allocations returns a target's share per unit.
func (s *Store) Allocations(ctx context.Context, targetID int64) (map[int64]float64, error) {
	var rows []struct {
		UnitID int64   `db:"unit_id"`
		Value  float64 `db:"value"`
	}
	if err := selectContext(ctx, s, &rows, `SELECT unit_id, value::float8 AS value FROM target_allocations WHERE target_id = $1`, targetID); err != nil {
		return nil, fmt.Errorf("list allocations: %w", translate(err))
	}
	m := make(map[int64]float64, len(rows))
	for _, r := range rows {
		m[r.UnitID] = r.Value
	}
	return m, nil
}

// CompletenessCount counts one subtree's reports of a cycle: expected (not
// waived), received (submitted or accepted) and received by the due date
// (in Vietnam's time).
type CompletenessCount struct {
	UnitID   int64 `db:"unit_id"`
	Expected int   `db:"expected"`
	Received int   `db:"received"`
	OnTime   int   `db:"on_time"`
}

const completenessCols = `count(*) FILTER (WHERE r.status <> 'waived') AS expected,
       count(*) FILTER (WHERE r.status IN ('submitted', 'accepted')) AS received,
       count(*) FILTER (WHERE r.status IN ('submitted', 'accepted')
           AND (r.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= r.due_on) AS on_time`

// CompletenessByChild counts a cycle's reports over each child subtree of
// the node at path (the node's own report under nodeID).
func (s *Store) CompletenessByChild(ctx context.Context, nodeID int64, path string, cycleID int64) ([]CompletenessCount, error) {
	const q = `SELECT CASE WHEN o.path = $2 THEN $1 ELSE split_part(substr(o.path, length($2) + 1), '/', 1)::bigint END AS unit_id,
       ` + completenessCols + `
FROM reports r JOIN org_units o ON o.id = r.unit_id
WHERE r.cycle_id = $3 AND o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')
GROUP BY 1`
	var rows []CompletenessCount
	if err := selectContext(ctx, s, &rows, q, nodeID, path, cycleID); err != nil {
		return nil, fmt.Errorf("count completeness by child: %w", translate(err))
	}
	return rows, nil
}

// CompletenessByUnit counts a cycle's reports per reporting unit of the
// subtree at path, in tree order (for a review dossier).
func (s *Store) CompletenessByUnit(ctx context.Context, path string, cycleID int64) ([]CompletenessCount, error) {
	const q = `SELECT o.id AS unit_id, ` + completenessCols + `
FROM reports r JOIN org_units o ON o.id = r.unit_id
WHERE r.cycle_id = $2 AND o.path ~>=~ $1 AND o.path ~<~ ($1 || '~')
GROUP BY o.id, o.path ORDER BY o.path USING ~<~`
	var rows []CompletenessCount
	if err := selectContext(ctx, s, &rows, q, path, cycleID); err != nil {
		return nil, fmt.Errorf("count completeness by unit: %w", translate(err))
	}
	return rows, nil
}

// MatrixCell is one unit's report for one cycle.
type MatrixCell struct {
	UnitID      int64      `db:"unit_id"`
	UnitName    string     `db:"unit_name"`
	CycleID     int64      `db:"cycle_id"`
	ReportID    int64      `db:"report_id"`
	Status      string     `db:"status"`
	DueOn       Date       `db:"due_on"`
	SubmittedAt *time.Time `db:"submitted_at"`
}

// Matrix lists the reports of a plan's reporting units in the subtree at
// path, a page of units (in tree order) at a time, with how many units
// report in the subtree.
func (s *Store) Matrix(ctx context.Context, planID int64, path string, limit, offset int) ([]MatrixCell, int, error) {
	const q = `WITH u AS (
    SELECT o.id, o.name, o.path FROM org_units o
    WHERE o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')
      AND EXISTS (SELECT 1 FROM reports r JOIN report_cycles c ON c.id = r.cycle_id WHERE r.unit_id = o.id AND c.plan_id = $1)
    ORDER BY o.path USING ~<~ LIMIT $3 OFFSET $4)
SELECT u.id AS unit_id, u.name AS unit_name, r.cycle_id, r.id AS report_id, r.status, r.due_on, r.submitted_at
FROM u JOIN reports r ON r.unit_id = u.id JOIN report_cycles c ON c.id = r.cycle_id AND c.plan_id = $1
ORDER BY u.path USING ~<~, c.due_on, c.id`
	var cells []MatrixCell
	if err := selectContext(ctx, s, &cells, q, planID, path, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("report matrix: %w", translate(err))
	}
	const qCount = `SELECT count(DISTINCT r.unit_id) FROM report_cycles c JOIN reports r ON r.cycle_id = c.id
JOIN org_units o ON o.id = r.unit_id WHERE c.plan_id = $1 AND o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')`
	var total int
	if err := getContext(ctx, s, &total, qCount, planID, path); err != nil {
		return nil, 0, fmt.Errorf("count matrix units: %w", translate(err))
	}
	return cells, total, nil
}

// LateReport is an open report past its due date, with the last email
// sent about it.
type LateReport struct {
	ReportID      int64      `db:"report_id"`
	UnitID        int64      `db:"unit_id"`
	UnitName      string     `db:"unit_name"`
	CycleID       int64      `db:"cycle_id"`
	CycleKind     string     `db:"cycle_kind"`
	CycleYear     int        `db:"cycle_year"`
	DueOn         Date       `db:"due_on"`
	DaysLate      int        `db:"days_late"`
	LastTemplate  *string    `db:"last_template"`
	LastRecipient *string    `db:"last_recipient"`
	LastSentAt    *time.Time `db:"last_sent_at"`
}

// LateReports lists a plan's open reports in the subtree at path that are
// past due on today, latest first, with the last email sent about each.
func (s *Store) LateReports(ctx context.Context, planID int64, path string, today Date, limit int) ([]LateReport, error) {
	const q = `SELECT r.id AS report_id, o.id AS unit_id, o.name AS unit_name, c.id AS cycle_id, c.kind AS cycle_kind,
       c.year AS cycle_year, r.due_on, ($3::date - r.due_on) AS days_late,
       n.template AS last_template, n.recipient AS last_recipient, n.sent_at AS last_sent_at
FROM report_cycles c
JOIN reports r ON r.cycle_id = c.id
JOIN org_units o ON o.id = r.unit_id
LEFT JOIN LATERAL (
    SELECT template, recipient, sent_at FROM notifications x
    WHERE x.plan_id = c.plan_id AND x.unit_id = r.unit_id AND x.status = 'sent'
      AND x.idempotency_key LIKE 'plan/' || c.plan_id || '/unit/' || r.unit_id || '/cycle/' || c.id || '/%'
    ORDER BY x.created_at DESC, x.id DESC LIMIT 1) n ON true
WHERE c.plan_id = $1 AND o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')
  AND r.status IN ('pending', 'draft', 'returned') AND r.due_on < $3
ORDER BY days_late DESC, o.path USING ~<~
LIMIT $4`
	var rows []LateReport
	if err := selectContext(ctx, s, &rows, q, planID, path, today, limit); err != nil {
		return nil, fmt.Errorf("list late reports: %w", translate(err))
	}
	return rows, nil
}
