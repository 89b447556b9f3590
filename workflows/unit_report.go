package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/calendar"
	"cascade/escalation"
)

// stepInstant is when a step is sent: 08:00 in Vietnam on its working day.
func stepInstant(p escalation.Planned) time.Time {
	return p.Date.At(8, 0, calendar.Vietnam)
}

// UnitReportInput opens one unit's report for one cycle.
type UnitReportInput struct {
	PlanID  int64
	CycleID int64
	UnitID  int64
	DueOn   string // YYYY-MM-DD
	Title   string
	// Policy is the plan's own escalation ladder when it has one; nil (and
	// every report started before plans had their own) is the default.
	Policy *escalation.Policy `json:",omitempty"`
	// Ladder is where the run this one continues as new left the ladder.
	Ladder *LadderState `json:",omitempty"`
}

// ladderPolicy is the ladder a report or task is chased by: its plan's own,
// or the default. A policy that does not validate (it was checked when the
// plan was saved) falls back to the default rather than stop the chase.
func ladderPolicy(ctx workflow.Context, p *escalation.Policy) escalation.Policy {
	if p == nil {
		return escalation.DefaultPolicy()
	}
	if err := p.Validate(); err != nil {
		workflow.GetLogger(ctx).Error("escalation policy refused, using the default", "error", err)
		return escalation.DefaultPolicy()
	}
	return *p
}

// UnitReportResult is how the unit's report ended.
type UnitReportResult struct {
	ReportID int64
	Status   string
}

// SubmitReportRequest is the body of the UpdateSubmitReport update.
type SubmitReportRequest struct {
	UserID *int64
	Values []activities.TargetValue
	Actor
}

// SubmitReportResult answers a successful submission.
type SubmitReportResult struct {
	ReportID    int64
	Status      string
	SubmittedAt time.Time
}

// versionReviewLoop names the change that made a submitted report wait
// for the assigning side's review (accept, or return for a resubmission),
// and let leaders waive a report or move its deadline.
const versionReviewLoop = "review-loop"

// UnitReport runs one unit's report for one cycle: it opens the report and
// the unit's task, sends each step of the escalation ladder that comes due
// before the submission arrives (the UpdateSubmitReport update), then waits
// for the review: accepted, or returned with comments and a new deadline
// and chased again until resubmitted. A leader may waive the report or move
// its deadline at any time; the timers re-plan.
func UnitReport(ctx workflow.Context, in UnitReportInput) (*UnitReportResult, error) {
	if workflow.GetVersion(ctx, versionReviewLoop, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return unitReportWithoutReview(ctx, in)
	}
	return unitReportReviewed(ctx, in)
}

// unitReportWithoutReview is UnitReport as it ran before reviews: it ends
// with the submission. Histories recorded then still replay through it.
func unitReportWithoutReview(ctx workflow.Context, in UnitReportInput) (*UnitReportResult, error) {
	cal := calendar.Default()
	nominal, err := calendar.ParseDate(in.DueOn)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError("bad due date", "BadInput", err)
	}
	// A deadline on a weekend or a public holiday moves to the next working day.
	due := cal.Adjust(nominal)

	var opened activities.OpenedReport
	err = workflow.ExecuteActivity(shortActivity(ctx), a.OpenUnitReport, activities.OpenUnitReportInput{
		PlanID: in.PlanID, CycleID: in.CycleID, UnitID: in.UnitID, DueOn: due.String(),
		Title: in.Title, WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID,
	}).Get(ctx, &opened)
	if err != nil {
		return nil, err
	}
	submitted := opened.Status == "submitted" || opened.Status == "accepted" || opened.Status == "waived"
	submitting := false

	err = workflow.SetUpdateHandlerWithOptions(ctx, UpdateSubmitReport,
		func(ctx workflow.Context, req SubmitReportRequest) (*SubmitReportResult, error) {
			submitting = true
			var res activities.RecordedSubmission
			err := workflow.ExecuteActivity(shortActivity(ctx), a.RecordSubmission, activities.RecordSubmissionInput{
				PlanID: in.PlanID, ReportID: opened.ReportID, UnitID: in.UnitID, UserID: req.UserID, Values: req.Values,
			}).Get(ctx, &res)
			submitting = false
			if err != nil {
				return nil, err
			}
			submitted = true
			return &SubmitReportResult{ReportID: opened.ReportID, Status: res.Status, SubmittedAt: res.SubmittedAt}, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req SubmitReportRequest) error {
			if submitted || submitting {
				return temporal.NewApplicationError("report already submitted", "AlreadySubmitted")
			}
			if err := activities.ValidateValues(req.Values); err != nil {
				return temporal.NewApplicationError(err.Error(), "InvalidReport", err)
			}
			return nil
		}},
	)
	if err != nil {
		return nil, err
	}

	// Steps already past when the report opens (a plan issued late) are not
	// all sent at once: only the latest of them goes out.
	steps := escalation.Schedule(escalation.DefaultPolicy(), due, cal)
	i := 0
	now := workflow.Now(ctx)
	for i+1 < len(steps) && !stepInstant(steps[i+1]).After(now) {
		i++
	}
	scope := fmt.Sprintf("plan/%d/unit/%d/cycle/%d", in.PlanID, in.UnitID, in.CycleID)
	for ; !submitted && i < len(steps); i++ {
		st := steps[i]
		if wait := stepInstant(st).Sub(workflow.Now(ctx)); wait > 0 {
			// ok is true when the submission arrived, false when the step is due.
			ok, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return submitted })
			if err != nil {
				return nil, err
			}
			if ok {
				break
			}
		}
		audiences := make([]string, len(st.Audiences))
		for j, au := range st.Audiences {
			audiences[j] = string(au)
		}
		err := workflow.ExecuteActivity(mailActivity(ctx), a.Notify, activities.NotifyInput{
			Key:       st.IdempotencyKey(scope),
			PlanID:    in.PlanID,
			UnitID:    in.UnitID,
			ReportID:  opened.ReportID,
			Template:  st.Template,
			Audiences: audiences,
			DueOn:     due.String(),
		}).Get(ctx, nil)
		if err != nil {
			// The outbox shows the failure; the ladder goes on.
			workflow.GetLogger(ctx).Error("escalation step not delivered", "step", st.Key, "error", err)
		}
	}
	// The ladder is exhausted: wait for the submission or a waiver alone.
	if err := workflow.Await(ctx, func() bool { return submitted }); err != nil {
		return nil, err
	}

	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return nil, err
	}
	return &UnitReportResult{ReportID: opened.ReportID, Status: "submitted"}, nil
}
