package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"cascade/calendar"
	"cascade/store"
)

// CycleOpensBefore is how long before its due date a report cycle opens:
// the plan's workflow starts its reports then (workflows.CycleOpensBefore).
const CycleOpensBefore = 30 * 24 * time.Hour

// reportsLateAfter is how long after a cycle opened the reconciler starts
// the reports its plan's workflow has not: the fan-out of a large plan may
// still be under way before that.
const reportsLateAfter = time.Hour

// endedPlansWithin is how far back the reconciler looks for cancelled and
// closed plans whose workflows may still run.
const endedPlansWithin = 90 * 24 * time.Hour

// Reconciler makes Temporal match PostgreSQL, the source of truth: every
// issued plan has its workflow, every open report and task (a plan's task,
// duty or unit plan, an ad-hoc task) its own, every report of a cycle
// opened an hour ago or more has been started, and nothing runs for a plan
// cancelled or closed. It starts what is missing under the workflow's
// deterministic ID, so it never runs anything twice, and a restarted
// workflow finds its rows and the outbox keyed as it left them (its ladder
// is computed from the due date and the clock; a step already mailed is
// not mailed again). It is how a province moves from the embedded server
// to a cluster, or recovers from losing Temporal's databases.
type Reconciler struct {
	Acts      *Activities
	TaskQueue string
	Log       *slog.Logger
}

// Reconciled counts what a pass found missing and started, or ended.
type Reconciled struct {
	IssuedPlans    int
	PlansStarted   int
	ReportsStarted int
	TasksStarted   int
	// Ended counts the workflows of cancelled or closed plans cancelled.
	Ended int
}

// Missing is the total started.
func (r Reconciled) Missing() int { return r.PlansStarted + r.ReportsStarted + r.TasksStarted }

// Run compares PostgreSQL with what runs on Temporal once and starts what
// is missing. full lists every plan's running workflows; otherwise a plan
// whose running count is not below PostgreSQL's open count is taken as
// whole (a cheap count per plan for the periodic passes).
func (r *Reconciler) Run(ctx context.Context, full bool) (Reconciled, error) {
	a := r.Acts
	var out Reconciled
	if a.Temporal == nil {
		return out, errors.New("reconcile: no Temporal client")
	}
	s := a.store()
	issued, err := s.PlanIDsWithStatus(ctx, []string{"issued"}, time.Time{})
	if err != nil {
		return out, err
	}
	out.IssuedPlans = len(issued)
	planRuns, err := a.runningWorkflows(ctx, "WorkflowType = 'PlanWorkflow' AND ExecutionStatus = 'Running'")
	if err != nil {
		return out, err
	}
	running := set(planRuns)
	var errs []error
	for _, planID := range issued {
		if !running[PlanWorkflowID(planID)] {
			started, err := r.startPlan(ctx, planID)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if started {
				// Its first run dispatches the plan's tasks and every
				// cycle opened so far again: nothing else to compare.
				out.PlansStarted++
				continue
			}
		}
		reports, tasks, err := r.plan(ctx, planID, full)
		out.ReportsStarted += reports
		out.TasksStarted += tasks
		if err != nil {
			errs = append(errs, fmt.Errorf("plan %d: %w", planID, err))
		}
	}
	tasks, err := r.adHocTasks(ctx)
	out.TasksStarted += tasks
	if err != nil {
		errs = append(errs, err)
	}
	// What still runs for a plan cancelled or closed lately is cancelled:
	// a cancelled plan's own workflow too, a closing plan's ends by itself.
	since := a.now().Add(-endedPlansWithin)
	for _, status := range []string{"cancelled", "closed"} {
		ended, err := s.PlanIDsWithStatus(ctx, []string{status}, since)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, planID := range ended {
			query := PlanWorkflowsQuery(planID)
			if status == "closed" {
				query += " AND WorkflowType != 'PlanWorkflow'"
			}
			n, err := a.countWorkflows(ctx, query)
			if err != nil || n == 0 {
				if err != nil {
					errs = append(errs, err)
				}
				continue
			}
			res, err := a.endPlanWorkflows(ctx, planID, 1)
			if res != nil {
				out.Ended += res.Cancelled
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("end plan %d: %w", planID, err))
			}
		}
	}
	return out, errors.Join(errs...)
}

// startPlan starts an issued plan's workflow; false when it was running.
func (r *Reconciler) startPlan(ctx context.Context, planID int64) (bool, error) {
	_, err := r.Acts.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: PlanWorkflowID(planID), TaskQueue: r.TaskQueue,
		// PostgreSQL says the plan is issued: whatever ended its last
		// run, it runs again (its first run is idempotent).
		WorkflowIDReusePolicy: planReusePolicy,
		TypedSearchAttributes: WorkflowAttributes(planID, 0),
	}, "PlanWorkflow", struct{ PlanID int64 }{planID})
	var exists *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &exists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("start plan %d: %w", planID, err)
	}
	r.log().Warn("reconcile: started a plan's missing workflow", "plan_id", planID)
	return true, nil
}

// plan starts the missing workflows of one issued plan whose own workflow
// runs: its open reports and tasks, and the reports of the cycles opened
// an hour ago or more that were never started.
func (r *Reconciler) plan(ctx context.Context, planID int64, full bool) (reports, tasks int, err error) {
	a := r.Acts
	s := a.store()
	expected, err := s.PlanExpectedWorkflows(ctx, planID)
	if err != nil {
		return 0, 0, err
	}
	unitQuery := PlanWorkflowsQuery(planID) + " AND WorkflowType IN ('UnitReport', 'TaskWorkflow')"
	var missing []store.ExpectedWorkflow
	if len(expected) > 0 {
		look := full
		if !look {
			n, err := a.countWorkflows(ctx, unitQuery)
			if err != nil {
				return 0, 0, err
			}
			look = n < len(expected)
		}
		if look {
			ids, err := a.runningWorkflows(ctx, unitQuery)
			if err != nil {
				return 0, 0, err
			}
			runs := set(ids)
			for _, e := range expected {
				if !runs[e.WorkflowID] {
					missing = append(missing, e)
				}
			}
		}
	}
	byCycle := map[int64][]int64{}
	var cycleOrder []int64
	addReport := func(cycleID, unitID int64) {
		if _, ok := byCycle[cycleID]; !ok {
			cycleOrder = append(cycleOrder, cycleID)
		}
		byCycle[cycleID] = append(byCycle[cycleID], unitID)
	}
	var taskIDs []string
	for _, e := range missing {
		if e.Kind == "report" && e.CycleID != nil {
			addReport(*e.CycleID, e.UnitID)
		} else if e.Kind != "report" {
			taskIDs = append(taskIDs, e.WorkflowID)
		}
	}
	// Reports never opened although their cycle opened a while ago.
	cycles, err := s.ReportCycles(ctx, planID)
	if err != nil {
		return 0, 0, err
	}
	var late []int64
	for _, c := range cycles {
		if opens(c.DueOn).Add(reportsLateAfter).Before(a.now()) {
			late = append(late, c.ID)
		}
	}
	if len(late) > 0 {
		unopened, err := s.UnopenedReports(ctx, planID, late)
		if err != nil {
			return 0, 0, err
		}
		for _, u := range unopened {
			addReport(u.CycleID, u.UnitID)
		}
	}
	var errs []error
	for _, cycleID := range cycleOrder {
		c, err := s.ReportCycle(ctx, cycleID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		in, err := a.reportStarts(ctx, planID, c, byCycle[cycleID])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		res, err := a.startWorkflows(ctx, r.TaskQueue, in, a.planIssued(planID))
		if res != nil {
			reports += res.Started
		}
		errs = append(errs, err)
	}
	if len(taskIDs) > 0 {
		specs, err := a.planTaskSpecs(ctx, planID)
		if err != nil {
			return reports, 0, errors.Join(append(errs, err)...)
		}
		want := set(taskIDs)
		in := StartWorkflowsInput{WorkflowType: TaskWorkflowType}
		for _, sp := range specs {
			if want[sp.WorkflowID] {
				in.Starts = append(in.Starts, WorkflowStart{ID: sp.WorkflowID, Arg: struct{ Task OpenTaskInput }{sp}, PlanID: planID, UnitID: sp.UnitID})
			}
		}
		res, err := a.startWorkflows(ctx, r.TaskQueue, in, a.planIssued(planID))
		if res != nil {
			tasks += res.Started
		}
		errs = append(errs, err)
	}
	if reports+tasks > 0 {
		r.log().Warn("reconcile: started a plan's missing unit workflows", "plan_id", planID, "reports", reports, "tasks", tasks)
	}
	return reports, tasks, errors.Join(errs...)
}

// adHocTasks starts the missing workflows of open tasks assigned outside
// any plan.
func (r *Reconciler) adHocTasks(ctx context.Context) (int, error) {
	a := r.Acts
	expected, err := a.store().AdHocExpectedWorkflows(ctx)
	if err != nil || len(expected) == 0 {
		return 0, err
	}
	ids, err := a.runningWorkflows(ctx, "WorkflowType = 'TaskWorkflow' AND ExecutionStatus = 'Running' AND WorkflowId STARTS_WITH 'task/'")
	if err != nil {
		return 0, err
	}
	runs := set(ids)
	in := StartWorkflowsInput{WorkflowType: TaskWorkflowType}
	for _, e := range expected {
		if !runs[e.WorkflowID] {
			in.Starts = append(in.Starts, WorkflowStart{ID: e.WorkflowID, Arg: struct{ Task OpenTaskInput }{OpenTaskInput{UnitTaskID: e.UnitTaskID}}, UnitID: e.UnitID})
		}
	}
	if len(in.Starts) == 0 {
		return 0, nil
	}
	res, err := a.startWorkflows(ctx, r.TaskQueue, in, nil)
	if res == nil {
		return 0, err
	}
	if res.Started > 0 {
		r.log().Warn("reconcile: started missing ad-hoc task workflows", "tasks", res.Started)
	}
	return res.Started, err
}

func (r *Reconciler) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

// opens is when a cycle due on due opens: CycleOpensBefore before the end
// of its due day in Vietnam.
func opens(due store.Date) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, due.String(), calendar.Vietnam)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, 0, 1).Add(-CycleOpensBefore)
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
