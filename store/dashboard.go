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
// percentage over the tree is Σ numerators / Σ denominators. Those sums are
// kept per ancestor in report_sums by triggers (migration 00008).
//
// A unit reports the figure it reached since the term began (lũy kế), so a
// node's figure as of a cycle is each unit's latest received figure up to
// that cycle, summed: the cycle's own reports (TargetSums) plus, for the
// units that have not (or not yet) reported it, their previous report
// (CarriedSums, kept per ancestor in report_carried_sums by the triggers of
// migration 00018). A cycle partly in therefore never drops the total to
// the few units that have sent it.

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

// targetSumsQuery reads the node's rows of report_sums, which the
// triggers of migration 00008 keep for every ancestor of a reporting unit.
const targetSumsQuery = `SELECT m.target_id, m.cycle_id, m.value::float8 AS value, m.numerator::float8 AS numerator,
       m.denominator::float8 AS denominator, m.value_units, m.ratio_units
FROM report_cycles c
JOIN report_sums m ON m.cycle_id = c.id AND m.unit_id = $2
WHERE c.plan_id = $1 AND (m.value_units > 0 OR m.ratio_units > 0)`

// TargetSums sums every target of a plan over the subtree of the unit
// nodeID, per cycle.
func (s *Store) TargetSums(ctx context.Context, planID, nodeID int64) ([]TargetCycleSum, error) {
	var rows []TargetCycleSum
	if err := selectContext(ctx, s, &rows, targetSumsQuery, planID, nodeID); err != nil {
		return nil, fmt.Errorf("sum targets over subtree: %w", translate(err))
	}
	return rows, nil
}

// ExplainTargetSums is EXPLAIN (ANALYZE) of TargetSums, for make bench.
func (s *Store) ExplainTargetSums(ctx context.Context, planID, nodeID int64) ([]string, error) {
	var lines []string
	if err := selectContext(ctx, s, &lines, "EXPLAIN (ANALYZE, BUFFERS) "+targetSumsQuery, planID, nodeID); err != nil {
		return nil, fmt.Errorf("explain target sums: %w", translate(err))
	}
	return lines, nil
}

// carriedSumsQuery reads, per target and cycle, the figures the units of
// the subtree carry into a cycle they have no received report for: each
// received report counts in every later cycle up to (not including) its
// unit's next received report. The triggers of migration 00018 keep those
// sums per ancestor in report_carried_sums as reports are received,
// returned or waived, so a load reads the node's rows instead of walking
// the subtree's reports. Only the cycles with a received figure somewhere
// in the subtree (the node's rows of report_sums) are read: those are the
// cycles a dashboard reads.
const carriedSumsQuery = `SELECT m.target_id, m.cycle_id, m.value::float8 AS value, m.numerator::float8 AS numerator,
       m.denominator::float8 AS denominator, m.value_units, m.ratio_units
FROM report_cycles c
JOIN report_carried_sums m ON m.cycle_id = c.id AND m.unit_id = $2
WHERE c.plan_id = $1 AND (m.value_units > 0 OR m.ratio_units > 0)
  AND EXISTS (SELECT 1 FROM report_sums f WHERE f.unit_id = $2 AND f.cycle_id = c.id AND (f.value_units > 0 OR f.ratio_units > 0))`

// CarriedSums sums, per target and cycle, the figures that the units in the
// subtree of the unit nodeID bring forward from an earlier cycle because
// their report of the cycle is not received: added to TargetSums they give
// each unit's latest figure as of the cycle, summed.
func (s *Store) CarriedSums(ctx context.Context, planID, nodeID int64) ([]TargetCycleSum, error) {
	var rows []TargetCycleSum
	if err := selectContext(ctx, s, &rows, carriedSumsQuery, planID, nodeID); err != nil {
		return nil, fmt.Errorf("sum carried figures over subtree: %w", translate(err))
	}
	return rows, nil
}

// NodeSums reads TargetSums and CarriedSums of the unit nodeID in one
// statement.
func (s *Store) NodeSums(ctx context.Context, planID, nodeID int64) (fresh, carried []TargetCycleSum, err error) {
	const q = `SELECT false AS carried, f.* FROM (` + targetSumsQuery + `) f
UNION ALL
SELECT true, k.* FROM (` + carriedSumsQuery + `) k`
	var rows []struct {
		Carried bool `db:"carried"`
		TargetCycleSum
	}
	if err := selectContext(ctx, s, &rows, q, planID, nodeID); err != nil {
		return nil, nil, fmt.Errorf("sum targets over subtree: %w", translate(err))
	}
	for _, r := range rows {
		if r.Carried {
			carried = append(carried, r.TargetCycleSum)
		} else {
			fresh = append(fresh, r.TargetCycleSum)
		}
	}
	return fresh, carried, nil
}

// ExplainCarriedSums is EXPLAIN (ANALYZE) of CarriedSums, for make bench.
func (s *Store) ExplainCarriedSums(ctx context.Context, planID, nodeID int64) ([]string, error) {
	var lines []string
	if err := selectContext(ctx, s, &lines, "EXPLAIN (ANALYZE, BUFFERS) "+carriedSumsQuery, planID, nodeID); err != nil {
		return nil, fmt.Errorf("explain carried sums: %w", translate(err))
	}
	return lines, nil
}

// ChildSum is one target's figures as of one cycle summed over the subtree
// of one child of a node (or the node's own report, UnitID the node's).
type ChildSum struct {
	UnitID      int64   `db:"unit_id"`
	Value       float64 `db:"value"`
	Numerator   float64 `db:"numerator"`
	Denominator float64 `db:"denominator"`
	ValueUnits  int     `db:"value_units"`
	RatioUnits  int     `db:"ratio_units"`
}

// ChildSums sums one target as of one cycle over each child subtree of the
// node at path (whose id is nodeID): each unit's figure is that of its
// latest received report up to the cycle, as TargetSums and CarriedSums
// count it for the node.
func (s *Store) ChildSums(ctx context.Context, nodeID int64, path string, cycleID, targetID int64) ([]ChildSum, error) {
	const q = `WITH k AS (SELECT plan_id, due_on, id FROM report_cycles WHERE id = $3),
latest AS (
    SELECT DISTINCT ON (r.unit_id) r.id, o.path
    FROM k JOIN report_cycles c ON c.plan_id = k.plan_id AND (c.due_on, c.id) <= (k.due_on, k.id)
    JOIN reports r ON r.cycle_id = c.id
    JOIN org_units o ON o.id = r.unit_id
    WHERE o.path ~>=~ $2 AND o.path ~<~ ($2 || '~') AND r.status IN ('submitted', 'accepted')
    ORDER BY r.unit_id, c.due_on DESC, c.id DESC)
SELECT CASE WHEN l.path = $2 THEN $1 ELSE split_part(substr(l.path, length($2) + 1), '/', 1)::bigint END AS unit_id,
       COALESCE(sum(v.value), 0)::float8 AS value,
       COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0)::float8 AS numerator,
       COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0)::float8 AS denominator,
       count(v.value) AS value_units,
       count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL) AS ratio_units
FROM latest l
JOIN report_values v ON v.report_id = l.id AND v.target_id = $4
GROUP BY 1`
	var rows []ChildSum
	if err := selectContext(ctx, s, &rows, q, nodeID, path, cycleID, targetID); err != nil {
		return nil, fmt.Errorf("sum target over children: %w", translate(err))
	}
	return rows, nil
}

// PlanChildren lists the child subtrees of the node at path (whose id is
// nodeID; the node itself when it takes part) that hold a unit of the plan:
// the rows of a breakdown, reported or not.
func (s *Store) PlanChildren(ctx context.Context, planID, nodeID int64, path string) ([]int64, error) {
	const q = `SELECT DISTINCT CASE WHEN o.path = $3 THEN $2 ELSE split_part(substr(o.path, length($3) + 1), '/', 1)::bigint END
FROM plan_units pu JOIN org_units o ON o.id = pu.unit_id
WHERE pu.plan_id = $1 AND o.path ~>=~ $3 AND o.path ~<~ ($3 || '~')`
	var ids []int64
	if err := selectContext(ctx, s, &ids, q, planID, nodeID, path); err != nil {
		return nil, fmt.Errorf("list plan children: %w", translate(err))
	}
	return ids, nil
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

// Share is what of a target is allocated to the units of one subtree, and
// whether that subtree holds every allocation of it.
type Share struct {
	TargetID int64   `db:"target_id"`
	Value    float64 `db:"value"`
	All      bool    `db:"all_of_it"`
}

// TargetsUnder lists a plan's targets (as Targets) with, per target with
// allocations, the shares of the units in the subtree at path (only where
// the subtree holds some), in one statement.
func (s *Store) TargetsUnder(ctx context.Context, planID int64, path string) ([]Target, []Share, error) {
	const q = `SELECT t.id, t.plan_id, t.parent_id, t.position, t.text, t.value, t.unit, t.direction, t.measure, t.baseline,
       sh.value AS share_value, sh.all_of_it AS share_all
FROM targets t
LEFT JOIN (SELECT a.target_id,
           COALESCE(sum(a.value) FILTER (WHERE o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')), 0)::float8 AS value,
           count(*) FILTER (WHERE o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')) = count(*) AS all_of_it
    FROM target_allocations a JOIN targets at ON at.id = a.target_id JOIN org_units o ON o.id = a.unit_id
    WHERE at.plan_id = $1
    GROUP BY a.target_id
    HAVING count(*) FILTER (WHERE o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')) > 0) sh ON sh.target_id = t.id
WHERE t.plan_id = $1 ORDER BY t.position`
	var rows []struct {
		Target
		ShareValue *float64 `db:"share_value"`
		ShareAll   *bool    `db:"share_all"`
	}
	if err := selectContext(ctx, s, &rows, q, planID, path); err != nil {
		return nil, nil, fmt.Errorf("list targets with their shares under %s: %w", path, translate(err))
	}
	targets := make([]Target, len(rows))
	var shares []Share
	for i, r := range rows {
		targets[i] = r.Target
		if r.ShareValue != nil {
			shares = append(shares, Share{TargetID: r.ID, Value: *r.ShareValue, All: *r.ShareAll})
		}
	}
	return targets, shares, nil
}

// CompletenessCount counts one subtree's reports of a cycle: expected (not
// waived), received (submitted or accepted) and, of those, on time: first
// submitted (in Vietnam's time) by the deadline the report had when it
// opened, as DHIS2 counts timeliness against the period's deadline. A
// return with a new deadline or a moved deadline does not make a late
// report on time, nor a late resubmission an on-time report late
// (migration 00010 keeps both dates).
type CompletenessCount struct {
	UnitID int64 `db:"unit_id"`
	// UnitName is the unit's name where the query reads it (CompletenessByChild).
	UnitName string `db:"unit_name"`
	Expected int    `db:"expected"`
	Received int    `db:"received"`
	OnTime   int    `db:"on_time"`
}

const completenessCols = `count(*) FILTER (WHERE r.status <> 'waived') AS expected,
       count(*) FILTER (WHERE r.status IN ('submitted', 'accepted')) AS received,
       count(*) FILTER (WHERE r.status IN ('submitted', 'accepted')
           AND (r.first_submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= r.original_due_on) AS on_time`

// CompletenessByChild counts a cycle's reports over each child subtree of
// the node at path (the node's own report under nodeID).
func (s *Store) CompletenessByChild(ctx context.Context, nodeID int64, path string, cycleID int64) ([]CompletenessCount, error) {
	const q = `SELECT c.unit_id, o.name AS unit_name, c.expected, c.received, c.on_time
FROM (SELECT CASE WHEN o.path = $2 THEN $1 ELSE split_part(substr(o.path, length($2) + 1), '/', 1)::bigint END AS unit_id,
       ` + completenessCols + `
    FROM reports r JOIN org_units o ON o.id = r.unit_id
    WHERE r.cycle_id = $3 AND o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')
    GROUP BY 1) c
JOIN org_units o ON o.id = c.unit_id
ORDER BY c.unit_id`
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

// MatrixCell is one unit's report for one cycle; a unit of the plan with
// no report yet has one cell with CycleID 0. DueOn is the current deadline
// and SubmittedAt the last submission; OriginalDueOn and FirstSubmittedAt
// are what timeliness is counted on.
type MatrixCell struct {
	UnitID           int64      `db:"unit_id"`
	UnitName         string     `db:"unit_name"`
	UnitPath         string     `db:"unit_path"`
	CycleID          int64      `db:"cycle_id"`
	ReportID         int64      `db:"report_id"`
	Status           string     `db:"status"`
	DueOn            *Date      `db:"due_on"`
	SubmittedAt      *time.Time `db:"submitted_at"`
	OriginalDueOn    *Date      `db:"original_due_on"`
	FirstSubmittedAt *time.Time `db:"first_submitted_at"`
}

// MatrixPage is which page of a matrix to read: Limit units in tree
// order after the unit at path After (keyset: "" for the first page), or,
// with no After, from Offset (the older offset pages).
type MatrixPage struct {
	Limit  int
	Offset int
	After  string
}

// matrixUnits is a page of a plan's units in tree order; one unit more
// than the page says whether another page follows. matrixQuery adds their
// reports of the cycles $6, looked up unit by unit along
// reports_unit_cycle_idx (migration 00020): the LATERAL subquery's OFFSET 0
// keeps the planner from flattening it into a hash join, which read every
// report of the cycles (the whole plan's, a sequential scan) for a page of
// units. The page's units come in tree order and the nested loop keeps it,
// so the rows need no sort. With $7, each row also carries how many of the
// plan's units the subtree holds (matrixCount, run once, and only then).
const matrixUnits = `SELECT o.id, o.name, o.path FROM org_units o
    WHERE o.path ~>=~ $2 AND o.path ~<~ ($2 || '~') AND o.path ~>~ $5
      AND EXISTS (SELECT 1 FROM plan_units pu WHERE pu.plan_id = $1 AND pu.unit_id = o.id)
    ORDER BY o.path USING ~<~ LIMIT $3 + 1 OFFSET $4`
const matrixCount = `SELECT count(*) FROM plan_units pu JOIN org_units o ON o.id = pu.unit_id
WHERE pu.plan_id = $1 AND o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')`
const matrixQuery = `SELECT u.id AS unit_id, u.name AS unit_name, u.path AS unit_path, COALESCE(r.cycle_id, 0) AS cycle_id, COALESCE(r.id, 0) AS report_id,
       COALESCE(r.status, 'none') AS status, r.due_on, r.submitted_at, r.original_due_on, r.first_submitted_at,
       CASE WHEN $7 THEN (` + matrixCount + `) ELSE -1 END AS total
FROM (` + matrixUnits + `) u
LEFT JOIN LATERAL (
    SELECT r.cycle_id, r.id, r.status, r.due_on, r.submitted_at, r.original_due_on, r.first_submitted_at
    FROM reports r WHERE r.unit_id = u.id AND r.cycle_id = ANY ($6) OFFSET 0) r ON true
ORDER BY u.path USING ~<~`

// matrixRow is a MatrixCell with the subtree's count of units.
type matrixRow struct {
	MatrixCell
	Total int `db:"total"`
}

// Matrix lists the reports of a plan's units in the subtree at path, a
// page of units (in tree order, read along org_units_path_idx) at a time,
// for the plan's cycles cycleIDs. Each unit's cells come together, in no
// order of cycle. total is how many of the plan's units the subtree holds,
// counted on a page read by offset (-1 on a keyset page after the first:
// the client has it from the first); more says whether units follow.
func (s *Store) Matrix(ctx context.Context, planID int64, path string, cycleIDs []int64, pg MatrixPage) (cells []MatrixCell, total int, more bool, err error) {
	offset := pg.Offset
	if pg.After != "" {
		offset = 0
	}
	// With no cursor, "" sorts before every path: no bound. A page read by
	// offset counts the subtree's units in the same statement.
	var rows []matrixRow
	if err := selectContext(ctx, s, &rows, matrixQuery, planID, path, pg.Limit, offset, pg.After, int64Array(cycleIDs), pg.After == ""); err != nil {
		return nil, 0, false, fmt.Errorf("report matrix: %w", translate(err))
	}
	total = -1
	if len(rows) > 0 {
		total = rows[0].Total
	}
	cells = make([]MatrixCell, len(rows))
	units := 0
	for i, r := range rows {
		if i == 0 || rows[i-1].UnitID != r.UnitID {
			units++
			if units > pg.Limit {
				cells, more = cells[:i], true
				break
			}
		}
		cells[i] = r.MatrixCell
	}
	switch {
	case pg.After != "" || len(rows) > 0:
		return cells, total, more, nil
	case offset == 0:
		return cells, 0, false, nil // no unit of the plan in the subtree
	}
	// A page by offset past the last unit has no row to carry the count.
	if err := getContext(ctx, s, &total, matrixCount, planID, path); err != nil {
		return nil, 0, false, fmt.Errorf("count matrix units: %w", translate(err))
	}
	return cells, total, more, nil
}

// ExplainMatrix is EXPLAIN (ANALYZE) of Matrix's first page, for make bench.
func (s *Store) ExplainMatrix(ctx context.Context, planID int64, path string, cycleIDs []int64, limit int) ([]string, error) {
	var lines []string
	if err := selectContext(ctx, s, &lines, "EXPLAIN (ANALYZE, BUFFERS) "+matrixQuery, planID, path, limit, 0, "", int64Array(cycleIDs), true); err != nil {
		return nil, fmt.Errorf("explain matrix: %w", translate(err))
	}
	return lines, nil
}

// LateReport is an open report past its due date, with the last email
// sent about it. DueOn and DaysLate are against the current deadline (a
// return or a leader may have moved it): what the unit is chased for, not
// its timeliness (see CompletenessCount).
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
// past due on today (of the cycle cycleID only, when not 0), latest first,
// with the last email sent about each: a step of the unit's ladder (keyed
// plan/P/unit/U/cycle/C/…) or a leader's reminder to the plan's pending
// units (plan/P/reminder/K/unit/U/cycle/C/…).
func (s *Store) LateReports(ctx context.Context, planID int64, path string, cycleID int64, today Date, limit int) ([]LateReport, error) {
	const q = `SELECT r.id AS report_id, o.id AS unit_id, o.name AS unit_name, c.id AS cycle_id, c.kind AS cycle_kind,
       c.year AS cycle_year, r.due_on, ($3::date - r.due_on) AS days_late,
       n.template AS last_template, n.recipient AS last_recipient, n.sent_at AS last_sent_at
FROM report_cycles c
JOIN reports r ON r.cycle_id = c.id
JOIN org_units o ON o.id = r.unit_id
LEFT JOIN LATERAL (
    SELECT template, recipient, sent_at FROM notifications x
    WHERE x.plan_id = c.plan_id AND x.unit_id = r.unit_id AND x.status = 'sent'
      AND (x.idempotency_key LIKE 'plan/' || c.plan_id || '/unit/' || r.unit_id || '/cycle/' || c.id || '/%'
        OR x.idempotency_key LIKE 'plan/' || c.plan_id || '/reminder/%/unit/' || r.unit_id || '/cycle/' || c.id || '/%')
    ORDER BY x.created_at DESC, x.id DESC LIMIT 1) n ON true
WHERE c.plan_id = $1 AND o.path ~>=~ $2 AND o.path ~<~ ($2 || '~') AND ($5 = 0 OR c.id = $5)
  AND r.status IN ('pending', 'draft', 'returned') AND r.due_on < $3
ORDER BY days_late DESC, o.path USING ~<~
LIMIT $4`
	var rows []LateReport
	if err := selectContext(ctx, s, &rows, q, planID, path, today, limit, cycleID); err != nil {
		return nil, fmt.Errorf("list late reports: %w", translate(err))
	}
	return rows, nil
}
