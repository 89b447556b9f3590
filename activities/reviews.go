package activities

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"

	"cascade/store"
)

// RecordReviewInput is a decision on a unit's report.
type RecordReviewInput struct {
	PlanID, ReportID, UnitID int64
	UserID                   *int64
	// Action is accept, return, waive or deadline.
	Action  string
	Comment string
	// DueOn is the new deadline of a return or a deadline move.
	DueOn string
}

// RecordReview stores a decision on a report with its audit row, in one
// transaction; the report and the unit's task move to the status it leads to.
func (a *Activities) RecordReview(ctx context.Context, in RecordReviewInput) error {
	r := store.ReportReview{ReportID: in.ReportID, Action: in.Action, Comment: in.Comment, ByUser: in.UserID,
		At: a.now().UTC().Truncate(time.Microsecond)}
	if in.DueOn != "" {
		d, err := store.ParseDate(in.DueOn)
		if err != nil {
			return temporal.NewNonRetryableApplicationError(err.Error(), "BadInput", err)
		}
		r.DueOn = &d
	}
	err := a.DB.WithTx(ctx, func(s *store.Store) error {
		if err := s.ReviewReport(ctx, r); err != nil {
			return err
		}
		return s.Audit(ctx, store.AuditEntry{ActorID: in.UserID, Action: in.Action, Entity: "report",
			EntityID: strconv.FormatInt(in.ReportID, 10), After: in, UnitID: &in.UnitID})
	})
	if err != nil {
		return fmt.Errorf("record review: %w", err)
	}
	return nil
}
