package store

import (
	"context"
	"fmt"
)

// OpenPlanReport is an open report of a plan (pending, a draft or
// returned) with its cycle's kind, locked for a re-dating.
type OpenPlanReport struct {
	ID      int64  `db:"id"`
	CycleID int64  `db:"cycle_id"`
	UnitID  int64  `db:"unit_id"`
	Kind    string `db:"kind"`
	DueOn   Date   `db:"due_on"`
}

// LockOpenPlanReports lists a plan's open reports, oldest deadline first,
// and locks them until the transaction ends: a decision on one of them
// waits for the re-dating. Run it in a transaction.
func (s *Store) LockOpenPlanReports(ctx context.Context, planID int64) ([]OpenPlanReport, error) {
	const q = `SELECT r.id, r.cycle_id, r.unit_id, c.kind, r.due_on
FROM reports r JOIN report_cycles c ON c.id = r.cycle_id
WHERE c.plan_id = $1 AND r.status IN ('pending', 'draft', 'returned')
ORDER BY r.due_on, r.id
FOR UPDATE OF r`
	var rs []OpenPlanReport
	if err := selectContext(ctx, s, &rs, q, planID); err != nil {
		return nil, fmt.Errorf("lock open reports: %w", translate(err))
	}
	return rs, nil
}
