package activities

import (
	"context"
	"errors"
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
	// Key is the workflow update that made the decision: a retry after the
	// commit writes neither the review nor its audit row again. Empty for
	// a decision made before reviews were keyed.
	Key string `json:",omitempty"`
	// Actor and RequestID name who acted and the API request, for the
	// audit row.
	Actor     string `json:",omitempty"`
	RequestID string `json:",omitempty"`
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
	if in.Key != "" {
		r.Key = &in.Key
	}
	err := a.DB.WithTx(ctx, func(s *store.Store) error {
		before, err := s.ReportByID(ctx, in.ReportID)
		if err != nil {
			return err
		}
		written, err := s.ReviewReportOnce(ctx, r)
		if err != nil || !written {
			return err
		}
		actor, err := actorName(ctx, s, in.UserID, in.Actor)
		if err != nil {
			return err
		}
		// what the decision changed, in words a person reads (no ids: the
		// row names the report and the person)
		after := map[string]any{"status": reviewStatus(in.Action)}
		if in.Comment != "" {
			after["comment"] = in.Comment
		}
		if in.DueOn != "" {
			after["due_on"] = in.DueOn
		}
		return s.Audit(ctx, store.AuditEntry{ActorID: in.UserID, Actor: actor, Action: in.Action, Entity: "report",
			EntityID: strconv.FormatInt(in.ReportID, 10), Before: map[string]string{"status": before.Status}, After: after,
			UnitID: &in.UnitID, RequestID: in.RequestID})
	})
	if err != nil {
		return fmt.Errorf("record review: %w", err)
	}
	return nil
}

// actorName is the name the audit log shows for a user who acted through a
// workflow: the one the API passed, or the user's address read back for an
// update sent before the API passed it. No user is the system.
func actorName(ctx context.Context, s *store.Store, userID *int64, actor string) (string, error) {
	if actor != "" || userID == nil {
		return actor, nil
	}
	u, err := s.User(ctx, *userID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return u.Email, nil
}

// reviewStatus is the status a decision leads a report to.
func reviewStatus(action string) string {
	switch action {
	case "return":
		return "returned"
	case "waive":
		return "waived"
	}
	return "accepted"
}
