package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"

	"cascade/reports"
	"cascade/store"
)

// TargetValue is a unit's figure for one target.
type TargetValue = reports.Value

// ValidateValues lists every problem of a submission's values.
func ValidateValues(values []TargetValue) error { return reports.Validate(values) }

// OpenUnitReportInput opens a unit's report for a cycle.
type OpenUnitReportInput struct {
	PlanID, CycleID, UnitID int64
	DueOn                   string
	Title                   string
	WorkflowID              string
}

// OpenedReport is the report row and the unit's task for it.
type OpenedReport struct {
	ReportID   int64
	UnitTaskID int64
	Status     string
	// DueOn and Rev are the report's deadline and how many times it was
	// given a new one (returns, moved deadlines): a workflow started again
	// by the reconciler chases the deadline the row holds, under the keys
	// of its revision, so nothing already sent goes out twice.
	DueOn string `json:",omitempty"`
	Rev   int    `json:",omitempty"`
}

// OpenUnitReport creates the unit's pending report and the task in its
// inbox; called again it returns the same rows.
func (a *Activities) OpenUnitReport(ctx context.Context, in OpenUnitReportInput) (*OpenedReport, error) {
	due, err := store.ParseDate(in.DueOn)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError(err.Error(), "BadInput", err)
	}
	var out OpenedReport
	err = a.DB.WithTx(ctx, func(s *store.Store) error {
		r, err := s.OpenReport(ctx, in.CycleID, in.UnitID, due)
		if err != nil {
			return err
		}
		planID, reportID := in.PlanID, r.ID
		t, err := s.EnsureUnitTask(ctx, store.UnitTask{
			IdempotencyKey: fmt.Sprintf("plan/%d/cycle/%d/unit/%d/report", in.PlanID, in.CycleID, in.UnitID),
			PlanID:         &planID,
			UnitID:         in.UnitID,
			Kind:           "report",
			ReportID:       &reportID,
			Title:          in.Title,
			DueOn:          &due,
			WorkflowID:     in.WorkflowID,
		})
		if err != nil {
			return err
		}
		out = OpenedReport{ReportID: r.ID, UnitTaskID: t.ID, Status: r.Status, DueOn: r.DueOn.String()}
		out.Rev, err = s.ReportRevision(ctx, r.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open unit report: %w", err)
	}
	return &out, nil
}

// RecordSubmissionInput is a validated submission to store.
type RecordSubmissionInput struct {
	PlanID, ReportID, UnitID int64
	UserID                   *int64
	Values                   []TargetValue
	// Actor and RequestID name who submitted and the API request, for the
	// audit row.
	Actor     string `json:",omitempty"`
	RequestID string `json:",omitempty"`
}

// RecordedSubmission is the stored submission.
type RecordedSubmission struct {
	Status      string
	SubmittedAt time.Time
}

// RecordSubmission stores a report's values, marks it submitted and its
// task done, with an audit row, in one transaction. Values for targets that
// are not the plan's are refused without retry.
func (a *Activities) RecordSubmission(ctx context.Context, in RecordSubmissionInput) (*RecordedSubmission, error) {
	at := a.now().UTC().Truncate(time.Microsecond)
	err := a.DB.WithTx(ctx, func(s *store.Store) error {
		targets, err := s.Targets(ctx, in.PlanID)
		if err != nil {
			return err
		}
		known := map[int64]bool{}
		for _, t := range targets {
			known[t.ID] = true
		}
		rows := make([]store.ReportValue, 0, len(in.Values))
		for i, v := range in.Values {
			if !known[v.TargetID] {
				return reports.Problems{{Field: fmt.Sprintf("values[%d].target_id", i),
					Message: "Chỉ tiêu không thuộc kế hoạch này", MessageEn: "target is not part of this plan"}}
			}
			rows = append(rows, store.ReportValue{TargetID: v.TargetID, Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator})
		}
		// the figures submitted before (a report returned and submitted
		// again), for the audit row's before → after
		previous, err := s.ReportValues(ctx, in.ReportID)
		if err != nil {
			return err
		}
		if err := s.SubmitReport(ctx, in.ReportID, in.UserID, at, rows); err != nil {
			return err
		}
		if err := s.SetReportTaskStatus(ctx, in.ReportID, "done"); err != nil {
			return err
		}
		actor, err := actorName(ctx, s, in.UserID, in.Actor)
		if err != nil {
			return err
		}
		return s.Audit(ctx, store.AuditEntry{
			ActorID: in.UserID, Actor: actor, Action: "submit", Entity: "report", EntityID: strconv.FormatInt(in.ReportID, 10),
			Before: submissionAudit(targets, previous), After: submissionAudit(targets, rows), UnitID: &in.UnitID, RequestID: in.RequestID,
		})
	})
	var ps reports.Problems
	if errors.As(err, &ps) {
		return nil, temporal.NewNonRetryableApplicationError(ps.Error(), "InvalidReport", nil, ps)
	}
	if err != nil {
		return nil, fmt.Errorf("record submission: %w", err)
	}
	return &RecordedSubmission{Status: "submitted", SubmittedAt: at}, nil
}

// submissionAudit is a submission's side of its audit row: the figures by
// target text (nil when there are none: a first submission has no before).
func submissionAudit(targets []store.Target, values []store.ReportValue) any {
	if len(values) == 0 {
		return nil // no row side at all, not a JSON null
	}
	return map[string]any{"figures": store.AuditFigures(targets, values)}
}
