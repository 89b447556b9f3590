package workflows

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/calendar"
	"cascade/escalation"
)

// Updates of a unit's report besides its submission; the API sends them for
// the assigning side's leaders.
const (
	UpdateReviewReport = "review-report"
	UpdateWaiveReport  = "waive-report"
	UpdateMoveDeadline = "move-deadline"
)

// ReviewReportRequest accepts a submitted report, or returns it with a
// comment and a new deadline (YYYY-MM-DD).
type ReviewReportRequest struct {
	UserID  *int64
	Accept  bool
	Comment string
	DueOn   string
	Actor
}

// WaiveReportRequest releases a unit from a report.
type WaiveReportRequest struct {
	UserID *int64
	Reason string
	Actor
}

// MoveDeadlineRequest sets a report's new deadline (YYYY-MM-DD).
type MoveDeadlineRequest struct {
	UserID *int64
	DueOn  string
	Actor
}

// Actor names, in an update's request, the person who acted (their
// address) and the API request, for the audit row the handler's activity
// writes; without it the row names no one (the system).
type Actor struct {
	ActorName string `json:",omitempty"`
	RequestID string `json:",omitempty"`
}

// ReportState answers the updates: where the report stands now.
type ReportState struct {
	Status string
	DueOn  string
}

// reportState is what a UnitReport holds between its steps.
type reportState struct {
	status string // pending, submitted, returned, accepted, waived
	due    calendar.Date
	// rev counts deadline changes: each restarts the ladder under keys of
	// its own, so a step of the new ladder is not taken for one sent before.
	rev int
	// busy: an update is being recorded, in an execution from before the
	// handlers took turns (versionHandlersInTurn).
	busy bool
	// turns serialises the update handlers.
	turns *turns
	// mail is what the handlers leave to be sent once they answered.
	mail mailQueue
	// ladder is where the current deadline's ladder stands, for a
	// continue-as-new.
	ladder *LadderState
}

func (s *reportState) open() bool { return s.status == "pending" || s.status == "returned" }

func (s *reportState) answer() *ReportState {
	return &ReportState{Status: s.status, DueOn: s.due.String()}
}

// versionAdminCalendar names the change that placed deadlines and reminders
// on the calendar with the days an admin added, not the statutory one alone.
const versionAdminCalendar = "admin-calendar"

// versionOpenLocally names the change that made a report read the calendar
// and open its row through local activities, in its first workflow task.
const versionOpenLocally = "open-locally"

func unitReportReviewed(ctx workflow.Context, in UnitReportInput) (*UnitReportResult, error) {
	// Opening is two short database calls; as local activities they run in
	// the first workflow task instead of two activity tasks and two more
	// workflow tasks each (make bench (b): a plan's fan-out).
	local := workflow.GetVersion(ctx, versionOpenLocally, workflow.DefaultVersion, 1) == 1
	opening := func(activity any, args ...any) workflow.Future {
		if local {
			return workflow.ExecuteLocalActivity(localActivity(ctx), activity, args...)
		}
		return workflow.ExecuteActivity(shortActivity(ctx), activity, args...)
	}
	cal := calendar.Default()
	if workflow.GetVersion(ctx, versionAdminCalendar, workflow.DefaultVersion, 1) == 1 {
		// The calendar as it is when the report opens: a day an admin adds
		// later moves the deadlines of reports opened after it.
		var cfg calendar.Config
		if err := opening(a.LoadCalendar).Get(ctx, &cfg); err != nil {
			return nil, err
		}
		if c, err := calendar.New(cfg); err == nil {
			cal = c
		} else {
			workflow.GetLogger(ctx).Error("admin calendar refused, using the statutory one", "error", err)
		}
	}
	nominal, err := calendar.ParseDate(in.DueOn)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError("bad due date", "BadInput", err)
	}
	st := &reportState{status: "pending", due: cal.Adjust(nominal)}

	var opened activities.OpenedReport
	err = opening(a.OpenUnitReport, activities.OpenUnitReportInput{
		PlanID: in.PlanID, CycleID: in.CycleID, UnitID: in.UnitID, DueOn: st.due.String(),
		Title: in.Title, WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID,
	}).Get(ctx, &opened)
	if err != nil {
		return nil, err
	}
	switch opened.Status {
	case "submitted", "accepted", "waived", "returned":
		st.status = opened.Status
	}
	if opened.Rev > 0 {
		// Started again (by the reconciler) after a return or a moved
		// deadline: the deadline and revision are the row's.
		if d, err := calendar.ParseDate(opened.DueOn); err == nil {
			st.due, st.rev = d, opened.Rev
		}
	}
	if err := registerReportHandlers(ctx, in, opened.ReportID, st); err != nil {
		return nil, err
	}

	scope := fmt.Sprintf("plan/%d/unit/%d/cycle/%d", in.PlanID, in.UnitID, in.CycleID)
	for st.status != "accepted" && st.status != "waived" {
		if !st.open() {
			// Submitted: wait for the review, a waiver or a new deadline.
			if err := workflow.Await(ctx, func() bool { return st.open() || st.status == "accepted" || st.status == "waived" }); err != nil {
				return nil, err
			}
			continue
		}
		err := chase(ctx, in, opened.ReportID, st, scope, cal)
		if errors.Is(err, errContinueAsNew) {
			// A long history (a plan's own ladder, many returns): the next
			// run opens the same row and goes on from the ladder's state.
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && st.mail.empty() }); err != nil {
				return nil, err
			}
			next := in
			next.Ladder = st.ladder
			return nil, workflow.NewContinueAsNewError(ctx, UnitReport, next)
		}
		if err != nil {
			return nil, err
		}
	}
	// The handlers' emails go before the workflow ends.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && st.mail.empty() }); err != nil {
		return nil, err
	}
	return &UnitReportResult{ReportID: opened.ReportID, Status: st.status}, nil
}

// chase sends the ladder of the current deadline until the report is no
// longer open or its deadline moves; then it returns for the caller to
// decide what comes next.
func chase(ctx workflow.Context, in UnitReportInput, reportID int64, st *reportState, scope string, cal *calendar.Calendar) error {
	rev := st.rev
	if rev > 0 {
		scope = fmt.Sprintf("%s/rev/%d", scope, rev)
	}
	var resume *LadderState
	if in.Ladder != nil && in.Ladder.Rev == rev {
		resume = in.Ladder
	}
	st.ladder = resume
	_, err := runLadder(ctx, ladderRun{
		Policy: ladderPolicy(ctx, in.Policy), Due: st.due, Cal: cal, Fresh: rev == 0, Resume: resume,
		Progress: func(ls LadderState) {
			ls.Rev = rev
			st.ladder = &ls
		},
		Interrupted: func() bool { return st.rev != rev || !st.open() },
		Send: func(ctx workflow.Context, s escalation.Planned) stepOutcome {
			audiences := make([]string, len(s.Audiences))
			for j, au := range s.Audiences {
				audiences[j] = string(au)
			}
			var res activities.NotifyResult
			err := workflow.ExecuteActivity(mailActivity(ctx), a.Notify, activities.NotifyInput{
				Key: s.IdempotencyKey(scope), PlanID: in.PlanID, UnitID: in.UnitID, ReportID: reportID,
				Template: s.Template, Audiences: audiences, DueOn: st.due.String(),
			}).Get(ctx, &res)
			if err != nil {
				workflow.GetLogger(ctx).Error("escalation step not delivered", "step", s.Key, "error", err)
				return stepSent
			}
			if res.Skipped {
				return stepHeld
			}
			return stepSent
		},
	})
	return err
}

// registerReportHandlers installs the report's updates. Each validator
// refuses what the report's state does not allow, before anything is
// recorded; the handlers take turns, and each, once its turn comes, checks
// the state again, records through an activity, then moves the state.
func registerReportHandlers(ctx workflow.Context, in UnitReportInput, reportID int64, st *reportState) error {
	st.mail.start(ctx)
	st.turns = newTurns(ctx)
	record := func(ctx workflow.Context, rin activities.RecordReviewInput, who Actor) error {
		rin.PlanID, rin.ReportID, rin.UnitID = in.PlanID, reportID, in.UnitID
		// Keyed by the update: a retry after the commit records nothing twice.
		rin.Key = workflow.GetCurrentUpdateInfo(ctx).ID
		rin.Actor, rin.RequestID = who.ActorName, who.RequestID
		return workflow.ExecuteActivity(decisionActivity(ctx), a.RecordReview, rin).Get(ctx, nil)
	}
	notify := func(ctx workflow.Context, template, key, comment string) {
		n := activities.NotifyInput{
			Key:    fmt.Sprintf("plan/%d/unit/%d/cycle/%d/%s", in.PlanID, in.UnitID, in.CycleID, key),
			PlanID: in.PlanID, UnitID: in.UnitID, ReportID: reportID, Template: template,
			Audiences: []string{"unit"}, DueOn: st.due.String(), Comment: comment,
		}
		send := func(ctx workflow.Context) {
			if err := workflow.ExecuteActivity(mailActivity(ctx), a.Notify, n).Get(ctx, nil); err != nil {
				workflow.GetLogger(ctx).Error("review email not delivered", "template", template, "error", err)
			}
		}
		if mailAfterDecision(ctx) {
			st.mail.add(send)
			return
		}
		send(ctx)
	}
	busy := func() error {
		if st.busy {
			return temporal.NewApplicationError("the report is being updated, try again", "Busy")
		}
		return nil
	}
	futureDate := func(ctx workflow.Context, s string) (calendar.Date, error) {
		d, err := calendar.ParseDate(s)
		if err != nil {
			return d, temporal.NewApplicationError("due date must be YYYY-MM-DD", "InvalidDueDate")
		}
		if d.Before(calendar.InVietnam(workflow.Now(ctx))) {
			return d, temporal.NewApplicationError("the new deadline has passed", "InvalidDueDate")
		}
		return d, nil
	}

	// The state each update needs, checked by its validator when it
	// arrives and again by its handler when its turn comes.
	checkSubmit := func(req SubmitReportRequest) error {
		if !st.open() {
			return temporal.NewApplicationError("report already submitted", "AlreadySubmitted")
		}
		if err := activities.ValidateValues(req.Values); err != nil {
			return temporal.NewApplicationError(err.Error(), "InvalidReport", err)
		}
		return nil
	}
	checkReview := func(ctx workflow.Context, req ReviewReportRequest) error {
		if st.status == "accepted" || st.status == "waived" {
			return temporal.NewApplicationError("the report is closed", "Closed")
		}
		if st.status != "submitted" {
			return temporal.NewApplicationError("only a submitted report is reviewed", "NotSubmitted")
		}
		if !req.Accept {
			if req.Comment == "" {
				return temporal.NewApplicationError("a returned report needs a comment", "CommentRequired")
			}
			if _, err := futureDate(ctx, req.DueOn); err != nil {
				return err
			}
		}
		return nil
	}
	checkWaive := func() error {
		if st.status == "accepted" || st.status == "waived" {
			return temporal.NewApplicationError("the report is closed", "Closed")
		}
		return nil
	}
	checkMove := func(ctx workflow.Context, req MoveDeadlineRequest) error {
		if !st.open() {
			return temporal.NewApplicationError("only an open report's deadline moves", "NotOpen")
		}
		_, err := futureDate(ctx, req.DueOn)
		return err
	}
	// begin starts a handler: it waits for its turn and checks the state
	// again (versionHandlersInTurn), or, in an execution from before that
	// change, marks the report busy until it ends.
	begin := func(ctx workflow.Context, check func() error) (end func(), err error) {
		release, inTurn, err := st.turns.take(ctx, check)
		if err != nil || inTurn {
			return release, err
		}
		st.busy = true
		return func() { st.busy = false }, nil
	}

	err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateSubmitReport,
		func(ctx workflow.Context, req SubmitReportRequest) (*SubmitReportResult, error) {
			end, err := begin(ctx, func() error { return checkSubmit(req) })
			if err != nil {
				return nil, err
			}
			defer end()
			var res activities.RecordedSubmission
			err = workflow.ExecuteActivity(decisionActivity(ctx), a.RecordSubmission, activities.RecordSubmissionInput{
				PlanID: in.PlanID, ReportID: reportID, UnitID: in.UnitID, UserID: req.UserID, Values: req.Values,
				Actor: req.ActorName, RequestID: req.RequestID,
			}).Get(ctx, &res)
			if err != nil {
				return nil, err
			}
			st.status = "submitted"
			return &SubmitReportResult{ReportID: reportID, Status: res.Status, SubmittedAt: res.SubmittedAt}, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req SubmitReportRequest) error {
			// A submission while another is being recorded by an execution
			// from before the handlers took turns finds the report
			// submitted, as it will be in a moment.
			if st.busy {
				return temporal.NewApplicationError("report already submitted", "AlreadySubmitted")
			}
			return checkSubmit(req)
		}})
	if err != nil {
		return err
	}

	err = workflow.SetUpdateHandlerWithOptions(ctx, UpdateReviewReport,
		func(ctx workflow.Context, req ReviewReportRequest) (*ReportState, error) {
			end, err := begin(ctx, func() error { return checkReview(ctx, req) })
			if err != nil {
				return nil, err
			}
			defer end()
			if req.Accept {
				if err := record(ctx, activities.RecordReviewInput{UserID: req.UserID, Action: "accept", Comment: req.Comment}, req.Actor); err != nil {
					return nil, err
				}
				st.status = "accepted"
				notify(ctx, "accepted", "accepted", req.Comment)
				return st.answer(), nil
			}
			due, _ := calendar.ParseDate(req.DueOn)
			if err := record(ctx, activities.RecordReviewInput{UserID: req.UserID, Action: "return", Comment: req.Comment, DueOn: due.String()}, req.Actor); err != nil {
				return nil, err
			}
			st.status, st.due = "returned", due
			st.rev++
			notify(ctx, "returned", fmt.Sprintf("returned/rev/%d", st.rev), req.Comment)
			return st.answer(), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req ReviewReportRequest) error {
			if err := busy(); err != nil {
				return err
			}
			return checkReview(ctx, req)
		}})
	if err != nil {
		return err
	}

	err = workflow.SetUpdateHandlerWithOptions(ctx, UpdateWaiveReport,
		func(ctx workflow.Context, req WaiveReportRequest) (*ReportState, error) {
			end, err := begin(ctx, checkWaive)
			if err != nil {
				return nil, err
			}
			defer end()
			if err := record(ctx, activities.RecordReviewInput{UserID: req.UserID, Action: "waive", Comment: req.Reason}, req.Actor); err != nil {
				return nil, err
			}
			st.status = "waived"
			return st.answer(), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req WaiveReportRequest) error {
			if err := busy(); err != nil {
				return err
			}
			return checkWaive()
		}})
	if err != nil {
		return err
	}

	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateMoveDeadline,
		func(ctx workflow.Context, req MoveDeadlineRequest) (*ReportState, error) {
			end, err := begin(ctx, func() error { return checkMove(ctx, req) })
			if err != nil {
				return nil, err
			}
			defer end()
			due, _ := calendar.ParseDate(req.DueOn)
			if err := record(ctx, activities.RecordReviewInput{UserID: req.UserID, Action: "deadline", DueOn: due.String()}, req.Actor); err != nil {
				return nil, err
			}
			st.due = due
			st.rev++
			return st.answer(), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req MoveDeadlineRequest) error {
			if err := busy(); err != nil {
				return err
			}
			return checkMove(ctx, req)
		}})
}
