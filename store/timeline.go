package store

import (
	"context"
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

// CycleCountsOfPlan counts the reports of each of a plan's cycles; late are
// the open ones past their due date on today. Given paths under, only the
// reports of units in those subtrees count.
func (s *Store) CycleCountsOfPlan(ctx context.Context, planID int64, today Date, under ...string) (map[int64]CycleCounts, error) {
	const q = `SELECT r.cycle_id, count(*) AS expected,
       count(*) FILTER (WHERE r.status IN ('pending', 'draft')) AS pending,
       count(*) FILTER (WHERE r.status = 'submitted') AS submitted,
       count(*) FILTER (WHERE r.status = 'returned') AS returned,
       count(*) FILTER (WHERE r.status = 'accepted') AS accepted,
       count(*) FILTER (WHERE r.status = 'waived') AS waived,
       count(*) FILTER (WHERE r.status IN ('pending', 'draft', 'returned') AND r.due_on < $2) AS late
FROM reports r JOIN report_cycles c ON c.id = r.cycle_id
WHERE c.plan_id = $1 AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM org_units su WHERE su.id = r.unit_id
    AND su.path LIKE ANY (SELECT sp || '%' FROM unnest($3::text[]) sp)))
GROUP BY r.cycle_id`
	var rows []CycleCounts
	if err := selectContext(ctx, s, &rows, q, planID, today, scopeArg(under)); err != nil {
		return nil, fmt.Errorf("count cycle reports: %w", translate(err))
	}
	m := make(map[int64]CycleCounts, len(rows))
	for _, r := range rows {
		m[r.CycleID] = r
	}
	return m, nil
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
	ReportID int64  `db:"id"`
	UnitID   int64  `db:"unit_id"`
	Status   string `db:"status"`
	DueOn    Date   `db:"due_on"`
}

// OpenReportsOfPlan lists a plan's reports waiting for their units; given
// paths under, only those of units in those subtrees.
func (s *Store) OpenReportsOfPlan(ctx context.Context, planID int64, under ...string) ([]OpenReport, error) {
	const q = `SELECT r.id, r.unit_id, r.status, r.due_on FROM reports r JOIN report_cycles c ON c.id = r.cycle_id
WHERE c.plan_id = $1 AND r.status IN ('pending', 'draft', 'returned')
  AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM org_units su WHERE su.id = r.unit_id
      AND su.path LIKE ANY (SELECT sp || '%' FROM unnest($2::text[]) sp)))
ORDER BY r.due_on, r.unit_id`
	var rs []OpenReport
	if err := selectContext(ctx, s, &rs, q, planID, scopeArg(under)); err != nil {
		return nil, fmt.Errorf("list open reports: %w", translate(err))
	}
	return rs, nil
}
