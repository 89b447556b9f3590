package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// CycleCounts counts a cycle's reports by status, and the late ones.
type CycleCounts struct {
	CycleID   int64 `db:"cycle_id" json:"-"`
	Expected  int   `db:"expected" json:"expected"`
	Pending   int   `db:"pending" json:"pending"`
	Submitted int   `db:"submitted" json:"submitted"`
	Returned  int   `db:"returned" json:"returned"`
	Accepted  int   `db:"accepted" json:"accepted"`
	Waived    int   `db:"waived" json:"waived"`
	Late      int   `db:"late" json:"late"`
}

// scopeArg is the text[] parameter that limits a query to the units in the
// subtrees at paths under: NULL (no limit) when none are given.
func scopeArg(under []string) any {
	if len(under) == 0 {
		return nil
	}
	return textArray(under)
}

// ReportsOfPlan counts the reports of each of a plan's cycles (late are
// the open ones past their due date on today) and lists those still
// waiting for their units, oldest deadline first, in one statement. Given
// paths under, only the reports of units in those subtrees count.
func (s *Store) ReportsOfPlan(ctx context.Context, planID int64, today Date, under ...string) (map[int64]CycleCounts, []OpenReport, error) {
	const q = `WITH r AS MATERIALIZED (
    SELECT r.id, r.cycle_id, r.unit_id, r.status, r.due_on FROM reports r JOIN report_cycles c ON c.id = r.cycle_id
    WHERE c.plan_id = $1 AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM org_units su WHERE su.id = r.unit_id
        AND su.path LIKE ANY (SELECT sp || '%' FROM unnest($3::text[]) sp))))
SELECT COALESCE((SELECT json_agg(x) FROM (SELECT r.cycle_id, count(*) AS expected,
           count(*) FILTER (WHERE r.status IN ('pending', 'draft')) AS pending,
           count(*) FILTER (WHERE r.status = 'submitted') AS submitted,
           count(*) FILTER (WHERE r.status = 'returned') AS returned,
           count(*) FILTER (WHERE r.status = 'accepted') AS accepted,
           count(*) FILTER (WHERE r.status = 'waived') AS waived,
           count(*) FILTER (WHERE r.status IN ('pending', 'draft', 'returned') AND r.due_on < $2) AS late
       FROM r GROUP BY r.cycle_id) x), '[]') AS counts,
       COALESCE((SELECT json_agg(json_build_object('id', r.id, 'unit_id', r.unit_id, 'status', r.status, 'due_on', r.due_on)
           ORDER BY r.due_on, r.unit_id) FROM r WHERE r.status IN ('pending', 'draft', 'returned')), '[]') AS open`
	var row struct {
		Counts []byte `db:"counts"`
		Open   []byte `db:"open"`
	}
	if err := getContext(ctx, s, &row, q, planID, today, scopeArg(under)); err != nil {
		return nil, nil, fmt.Errorf("count plan %d's reports: %w", planID, translate(err))
	}
	var counts []struct {
		CycleID int64 `json:"cycle_id"`
		CycleCounts
	}
	if err := json.Unmarshal(row.Counts, &counts); err != nil {
		return nil, nil, fmt.Errorf("plan %d's report counts: %w", planID, err)
	}
	m := make(map[int64]CycleCounts, len(counts))
	for _, c := range counts {
		c.CycleCounts.CycleID = c.CycleID
		m[c.CycleID] = c.CycleCounts
	}
	var open []OpenReport
	if err := json.Unmarshal(row.Open, &open); err != nil {
		return nil, nil, fmt.Errorf("plan %d's open reports: %w", planID, err)
	}
	return m, open, nil
}

// SentNotification is an email of a plan as its timeline shows it.
type SentNotification struct {
	At        time.Time  `db:"created_at" json:"at"`
	SentAt    *time.Time `db:"sent_at" json:"sent_at"`
	Template  string     `db:"template" json:"template"`
	Recipient string     `db:"recipient" json:"recipient"`
	UnitID    *int64     `db:"unit_id" json:"unit_id"`
	UnitName  *string    `db:"unit_name" json:"unit_name"`
	Status    string     `db:"status" json:"status"`
}

// NotificationsOfPlan lists a plan's emails, newest first; given paths
// under, only those to units in those subtrees.
func (s *Store) NotificationsOfPlan(ctx context.Context, planID int64, limit int, under ...string) ([]SentNotification, error) {
	const q = `SELECT n.created_at, n.sent_at, n.template, n.recipient, n.unit_id, o.name AS unit_name, n.status
FROM notifications n LEFT JOIN org_units o ON o.id = n.unit_id
WHERE n.plan_id = $1 AND ($3::text[] IS NULL OR o.path LIKE ANY (SELECT sp || '%' FROM unnest($3::text[]) sp))
ORDER BY n.created_at DESC, n.id DESC LIMIT $2`
	var ns []SentNotification
	if err := selectContext(ctx, s, &ns, q, planID, limit, scopeArg(under)); err != nil {
		return nil, fmt.Errorf("list plan notifications: %w", translate(err))
	}
	return ns, nil
}

// OpenReport is a report still waiting for its unit.
type OpenReport struct {
	ReportID int64  `json:"id"`
	UnitID   int64  `json:"unit_id"`
	Status   string `json:"status"`
	DueOn    Date   `json:"due_on"`
}
