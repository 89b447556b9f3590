package workflows

import (
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/calendar"
)

// PlanInput starts or continues an issued plan's lifecycle at one cycle.
type PlanInput struct {
	PlanID     int64
	CycleIndex int
}

// PlanResult says how the lifecycle ended.
type PlanResult struct {
	Status string // closed, or the plan's status when it stopped early (cancelled)
}

// versionCyclesRunIndependently names the change that stopped a cycle
// waiting for every unit's report before the next cycle could open.
const versionCyclesRunIndependently = "cycles-run-independently"

// CloseGrace is how long after its last report is due a plan closes.
const CloseGrace = 30 * 24 * time.Hour

// CycleOpensBefore is how long before its due date a report cycle opens: the
// units see the report in their inbox from then on.
const CycleOpensBefore = 30 * 24 * time.Hour

// PlanWorkflow drives an issued plan through its report cycles: each cycle
// opens a UnitReport child per participating unit, waits for all of them, and
// continues as new with the next cycle so that no history grows with the term.
func PlanWorkflow(ctx workflow.Context, in PlanInput) (*PlanResult, error) {
	var spec activities.PlanSpec
	if err := workflow.ExecuteActivity(shortActivity(ctx), a.LoadPlan, in.PlanID).Get(ctx, &spec); err != nil {
		return nil, err
	}
	if spec.Status != "issued" {
		return &PlanResult{Status: spec.Status}, nil
	}
	// Version 1: each cycle's reports run on their own (a unit that never
	// reports no longer holds up the next cycle), and the plan closes a
	// grace period after its last report is due.
	independent := workflow.GetVersion(ctx, versionCyclesRunIndependently, workflow.DefaultVersion, 1) == 1

	if in.CycleIndex >= len(spec.Cycles) {
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
		return &PlanResult{Status: "closed"}, nil
	}

	cycle := spec.Cycles[in.CycleIndex]
	opens := dueInstant(cycle.DueOn).Add(-CycleOpensBefore)
	if wait := opens.Sub(workflow.Now(ctx)); wait > 0 {
		if err := workflow.Sleep(ctx, wait); err != nil {
			return nil, err
		}
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

// dueInstant is the end of a due day in Vietnam: a report due on 15/11 is on
// time until midnight.
func dueInstant(day string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, day, calendar.Vietnam)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, 0, 1)
}
