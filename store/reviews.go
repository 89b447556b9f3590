package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Review is a compiled review dossier (sơ kết, tổng kết) of a plan's cycle.
type Review struct {
	ID         int64           `db:"id" json:"id"`
	PlanID     int64           `db:"plan_id" json:"plan_id"`
	CycleID    int64           `db:"cycle_id" json:"cycle_id"`
	Dossier    json.RawMessage `db:"dossier" json:"dossier"`
	CompiledAt time.Time       `db:"compiled_at" json:"compiled_at"`
	CompiledBy *int64          `db:"compiled_by" json:"compiled_by"`
}

// SaveReview stores the dossier of a plan's cycle: one row per plan and
// cycle, replaced when compiled again. created says whether it is new.
func (s *Store) SaveReview(ctx context.Context, planID, cycleID int64, dossier []byte, at time.Time, by *int64) (Review, bool, error) {
	const q = `INSERT INTO reviews (plan_id, cycle_id, dossier, compiled_at, compiled_by) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (plan_id, cycle_id) DO UPDATE SET dossier = EXCLUDED.dossier, compiled_at = EXCLUDED.compiled_at,
    compiled_by = EXCLUDED.compiled_by
RETURNING id, plan_id, cycle_id, dossier, compiled_at, compiled_by, (xmax = 0) AS created`
	var row struct {
		Review
		Created bool `db:"created"`
	}
	if err := getContext(ctx, s, &row, q, planID, cycleID, string(dossier), at, by); err != nil {
		return Review{}, false, fmt.Errorf("save review: %w", translate(err))
	}
	return row.Review, row.Created, nil
}

// ReviewByID returns one review with its dossier.
func (s *Store) ReviewByID(ctx context.Context, id int64) (Review, error) {
	var r Review
	if err := getContext(ctx, s, &r, `SELECT id, plan_id, cycle_id, dossier, compiled_at, compiled_by FROM reviews WHERE id = $1`, id); err != nil {
		return Review{}, fmt.Errorf("get review %d: %w", id, translate(err))
	}
	return r, nil
}

// ReviewSummary is a review as a plan's list shows it.
type ReviewSummary struct {
	ID         int64     `db:"id"`
	CycleID    int64     `db:"cycle_id"`
	Kind       string    `db:"kind"`
	Year       int       `db:"year"`
	CompiledAt time.Time `db:"compiled_at"`
}

// ReviewsOfPlan lists a plan's reviews by cycle due date.
func (s *Store) ReviewsOfPlan(ctx context.Context, planID int64) ([]ReviewSummary, error) {
	const q = `SELECT v.id, v.cycle_id, c.kind, c.year, v.compiled_at FROM reviews v JOIN report_cycles c ON c.id = v.cycle_id
WHERE v.plan_id = $1 ORDER BY c.due_on, c.id`
	var rs []ReviewSummary
	if err := selectContext(ctx, s, &rs, q, planID); err != nil {
		return nil, fmt.Errorf("list reviews: %w", translate(err))
	}
	return rs, nil
}
