package workflows

import (
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/calendar"
	"cascade/escalation"
)

// PlanInput starts or continues an issued plan's lifecycle at one cycle.
type PlanInput struct {
	PlanID     int64
	CycleIndex int
	// ReviewsFrom is the first cycle whose review (sơ kết, tổng kết) may
	// still be due: the reviews of the cycles before it are compiled.
	ReviewsFrom int
	// Resume is where a run that continued as new in the middle of a
	// fan-out left it; nil when a run starts its cycle from the beginning.
	Resume *PlanResume `json:",omitempty"`
}

// PlanResume is how far a run's fan-out had gone when its history grew
// large enough for the server to suggest continuing as new.
type PlanResume struct {
	// Stage is the fan-out under way: FanOutTasks (the plan's task
	// workflows, on its first run) or FanOutReports (the cycle's reports).
	Stage string
	// From is the first task (or unit) of the stage not yet started: every
	// batch before it finished.
	From int
}

// The stages of a plan's fan-out (PlanResume.Stage).
const (
	FanOutTasks   = "tasks"
	FanOutReports = "reports"
)

// PlanResult says how the lifecycle ended.
type PlanResult struct {
	Status string // closed, or the plan's status when it stopped early (cancelled)
}

// versionCyclesRunIndependently names the change that stopped a cycle
// waiting for every unit's report before the next cycle could open.
const versionCyclesRunIndependently = "cycles-run-independently"

// CloseGrace is how long after its last report is due a plan closes.
const CloseGrace = 30 * 24 * time.Hour

// ReviewAfterDue is how long after a mid-term or final cycle is due its
// review is compiled: late reports have had their leader's and committee's
// reminders (T+3, T+7, T+14) by then.
const ReviewAfterDue = 15 * 24 * time.Hour

// versionReviews names the change that compiles a review dossier after each
// mid-term and final cycle.
const versionReviews = "reviews"

// CycleOpensBefore is how long before its due date a report cycle opens: the
// units see the report in their inbox from then on (the reconciler starts
// the reports of a cycle opened by this rule that its plan did not).
const CycleOpensBefore = activities.CycleOpensBefore

// PlanWorkflow drives an issued plan through its report cycles. Its first
// run dispatches the plan's tasks; each run waits until its cycle opens,
// starts a UnitReport per participating unit (batches that read the units
// from the database, a window of them at a time; see fanout.go), and
// continues as new with the next cycle, or, when the server suggests it,
// with the rest of the same fan-out, so that no history grows with the term
// or the number of units. The run past the last cycle closes the plan.
func PlanWorkflow(ctx workflow.Context, in PlanInput) (*PlanResult, error) {
	var spec activities.PlanSpec
	if err := workflow.ExecuteActivity(loadPlanActivity(ctx), a.LoadPlan, in.PlanID).Get(ctx, &spec); err != nil {
		return nil, err
	}
	// A plan cancelled or closed meanwhile ends here. A draft never does:
	// LoadPlan refuses it until its retries are spent, and the workflow
	// fails, to be seen, rather than end as if the plan had run.
	if spec.Status == "draft" {
		return nil, temporal.NewNonRetryableApplicationError("the plan is a draft: its workflow started before its issue committed",
			activities.ErrTypePlanNotIssued, nil)
	}
	if spec.Status != "issued" {
		return &PlanResult{Status: spec.Status}, nil
	}
	// Version 1: each cycle's reports run on their own (a unit that never
	// reports no longer holds up the next cycle), and the plan closes a
	// grace period after its last report is due. Version 2: the reports are
	// started in batches from an activity rather than as child workflows.
	version := workflow.GetVersion(ctx, versionCyclesRunIndependently, workflow.DefaultVersion, 2)
	independent := version >= 1
	// The plan's tasks, duties and unit plans start with its first run.
	if workflow.GetVersion(ctx, versionDispatchTasks, workflow.DefaultVersion, 1) >= 1 && in.CycleIndex == 0 &&
		(in.Resume == nil || in.Resume.Stage == FanOutTasks) {
		if fanOutWindowed(ctx) {
			from := 0
			if in.Resume != nil {
				from = in.Resume.From
			}
			next, done, err := dispatchPlanTasksWindowed(ctx, in.PlanID, from)
			if err != nil {
				return nil, err
			}
			if !done {
				return nil, continuePlan(ctx, PlanInput{PlanID: in.PlanID, CycleIndex: in.CycleIndex, ReviewsFrom: in.ReviewsFrom,
					Resume: &PlanResume{Stage: FanOutTasks, From: next}})
			}
		} else if err := dispatchPlanTasks(ctx, in.PlanID); err != nil {
			return nil, err
		}
	}

	reviews := workflow.GetVersion(ctx, versionReviews, workflow.DefaultVersion, 1) >= 1
	next := PlanInput{PlanID: in.PlanID, CycleIndex: in.CycleIndex + 1, ReviewsFrom: in.ReviewsFrom}

	if in.CycleIndex >= len(spec.Cycles) {
		if reviews {
			if _, err := compileReviews(ctx, in.PlanID, spec.Cycles, in.ReviewsFrom, len(spec.Cycles), time.Time{}); err != nil {
				return nil, err
			}
		}
		if independent && len(spec.Cycles) > 0 {
			closes := dueInstant(spec.Cycles[len(spec.Cycles)-1].DueOn).Add(CloseGrace)
			if wait := closes.Sub(workflow.Now(ctx)); wait > 0 {
				if err := workflow.Sleep(ctx, wait); err != nil {
					return nil, err
				}
			}
		}
		if err := workflow.ExecuteActivity(shortActivity(ctx), a.ClosePlan, in.PlanID).Get(ctx, nil); err != nil {
			return nil, err
		}
		// Version 1: closing ends what is still open of the plan, as
		// cancelling it does: its open tasks and unit plans are cancelled,
		// and every unit workflow (reports, tasks, unit plans) stops, so
		// that a report never submitted does not wait for ever.
		if workflow.GetVersion(ctx, versionCloseEndsUnitWorkflows, workflow.DefaultVersion, 1) >= 1 {
			if err := workflow.ExecuteActivity(shortActivity(ctx), a.ClosePlanTasks, in.PlanID).Get(ctx, nil); err != nil {
				return nil, err
			}
			if _, err := endUnitWorkflows(ctx, in.PlanID); err != nil {
				return nil, err
			}
		}
		return &PlanResult{Status: "closed"}, nil
	}

	cycle := spec.Cycles[in.CycleIndex]
	opens := dueInstant(cycle.DueOn).Add(-CycleOpensBefore)
	if reviews {
		var err error
		if next.ReviewsFrom, err = compileReviews(ctx, in.PlanID, spec.Cycles, in.ReviewsFrom, in.CycleIndex, opens); err != nil {
			return nil, err
		}
	}
	if wait := opens.Sub(workflow.Now(ctx)); wait > 0 {
		if err := workflow.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}

	if version >= 2 {
		if !fanOutWindowed(ctx) {
			if err := startUnitReports(ctx, in.PlanID, cycle, spec.UnitIDs, spec.Policy); err != nil {
				return nil, err
			}
			return nil, workflow.NewContinueAsNewError(ctx, PlanWorkflow, next)
		}
		from := 0
		if in.Resume != nil && in.Resume.Stage == FanOutReports {
			from = in.Resume.From
		}
		units := max(spec.Units, len(spec.UnitIDs))
		reached, err := runWindow(ctx, from, units, func(ctx workflow.Context, offset int) workflow.Future {
			return workflow.ExecuteActivity(fanOutActivity(ctx), a.StartUnitReports, activities.StartUnitReportsInput{
				PlanID: in.PlanID, CycleID: cycle.ID, Offset: offset, Count: StartBatchSize})
		})
		if err != nil {
			return nil, err
		}
		if reached < units {
			next = PlanInput{PlanID: in.PlanID, CycleIndex: in.CycleIndex, ReviewsFrom: next.ReviewsFrom,
				Resume: &PlanResume{Stage: FanOutReports, From: reached}}
		}
		return nil, continuePlan(ctx, next)
	}

	closePolicy := enumspb.PARENT_CLOSE_POLICY_TERMINATE
	if independent {
		// The unit reports outlive this run, which continues as new.
		closePolicy = enumspb.PARENT_CLOSE_POLICY_ABANDON
	}
	futures := make([]workflow.ChildWorkflowFuture, 0, len(spec.UnitIDs))
	for _, unitID := range spec.UnitIDs {
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:        UnitReportID(in.PlanID, cycle.ID, unitID),
			ParentClosePolicy: closePolicy,
		})
		futures = append(futures, workflow.ExecuteChildWorkflow(cctx, UnitReport, UnitReportInput{
			PlanID: in.PlanID, CycleID: cycle.ID, UnitID: unitID, DueOn: cycle.DueOn,
			Title: cycle.Title,
		}))
	}
	for _, f := range futures {
		if independent {
			// Started is enough; a unit report that failed to start is
			// logged, not allowed to stop every other unit's.
			if err := f.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
				workflow.GetLogger(ctx).Error("unit report did not start", "error", err)
			}
			continue
		}
		if err := f.Get(ctx, nil); err != nil {
			return nil, err
		}
	}
	return nil, workflow.NewContinueAsNewError(ctx, PlanWorkflow, PlanInput{PlanID: in.PlanID, CycleIndex: in.CycleIndex + 1})
}

// compileReviews compiles, each at its time, the reviews of the mid-term and
// final cycles from index from up to (not including) index to whose review
// time is not after until (the zero time: no limit), in order. It returns
// the index of the first cycle whose review is still ahead.
func compileReviews(ctx workflow.Context, planID int64, cycles []activities.CycleSpec, from, to int, until time.Time) (int, error) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumInterval: 10 * time.Minute},
	})
	for ; from < to; from++ {
		c := cycles[from]
		if c.Kind != "midterm" && c.Kind != "final" {
			continue
		}
		at := dueInstant(c.DueOn).Add(ReviewAfterDue + 7*time.Hour) // 07:00, before the working day
		if !until.IsZero() && at.After(until) {
			return from, nil
		}
		if wait := at.Sub(workflow.Now(ctx)); wait > 0 {
			if err := workflow.Sleep(ctx, wait); err != nil {
				return from, err
			}
		}
		err := workflow.ExecuteActivity(actx, a.CompileReview, activities.CompileReviewInput{PlanID: planID, CycleID: c.ID}).Get(ctx, nil)
		if err != nil {
			return from, err
		}
	}
	return from, nil
}

// StartBatchSize is how many unit reports one StartWorkflows activity
// starts: a plan to 10,000 units takes 20 activities, a few dozen events.
const StartBatchSize = 500

// startUnitReports starts one UnitReport workflow per unit for a cycle, in
// batches run side by side, and returns once every batch has started. Runs
// recorded before the fan-out window (versionFanOutWindow) replay through it.
func startUnitReports(ctx workflow.Context, planID int64, cycle activities.CycleSpec, unitIDs []int64, policy *escalation.Policy) error {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    FanOutHeartbeatTimeout,
	})
	var futures []workflow.Future
	for start := 0; start < len(unitIDs); start += StartBatchSize {
		batch := unitIDs[start:min(start+StartBatchSize, len(unitIDs))]
		in := activities.StartWorkflowsInput{WorkflowType: "UnitReport", Starts: make([]activities.WorkflowStart, len(batch))}
		for i, unitID := range batch {
			in.Starts[i] = activities.WorkflowStart{
				ID:  UnitReportID(planID, cycle.ID, unitID),
				Arg: UnitReportInput{PlanID: planID, CycleID: cycle.ID, UnitID: unitID, DueOn: cycle.DueOn, Title: cycle.Title, Policy: policy},
			}
		}
		futures = append(futures, workflow.ExecuteActivity(actx, a.StartWorkflows, in))
	}
	for _, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			return err
		}
	}
	return nil
}

// dueInstant is the end of a due day in Vietnam: a report due on 15/11 is on
// time until midnight.
func dueInstant(day string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, day, calendar.Vietnam)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, 0, 1)
}
