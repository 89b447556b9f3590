package activities

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"

	"cascade/escalation"
	"cascade/store"
)

// WorkflowStart is one workflow to start: its ID and its single argument.
type WorkflowStart struct {
	ID  string
	Arg any
	// PlanID and UnitID are the workflow's search attributes (0: unset).
	PlanID int64 `json:",omitempty"`
	UnitID int64 `json:",omitempty"`
}

// StartWorkflowsInput is a batch of workflows of one type to start.
type StartWorkflowsInput struct {
	WorkflowType string
	Starts       []WorkflowStart
}

// StartedWorkflows counts a batch's outcome.
type StartedWorkflows struct {
	Started  int
	Existing int
	// Resumed counts the starts a retried batch skipped: an earlier
	// attempt's heartbeat said they were done.
	Resumed int `json:",omitempty"`
	// Stopped is true when the batch stopped because its plan is no longer
	// issued (cancelled meanwhile).
	Stopped bool `json:",omitempty"`
}

// callsInFlight bounds the starts (and cancels) a worker has in flight, over
// every batch at once: a plan's batches run side by side, and 20 batches of
// 16 starts each queued more work on a small server than it could take, so
// a batch's starts waited past its heartbeat timeout and it ran again (make
// bench (b), 10,000 units).
const callsInFlight = 32

// startHeartbeat is how often a batch says it is alive, and how far it has
// got, while it waits for slots or for the server: well inside the fan-out's
// heartbeat timeout (workflows.FanOutHeartbeatTimeout, 10 s).
const startHeartbeat = 2 * time.Second

// startProgress is a batch's heartbeat: how many of its starts, from the
// first, are done. A retried batch skips them.
type startProgress struct {
	Done int
}

// ReusePolicy is the workflow ID reuse policy of every workflow Cascade
// starts under a deterministic ID: an ID that ran to completion is never
// started again, one that failed, was terminated, cancelled or timed out
// may be (the reconciler restarts what PostgreSQL says is open).
const ReusePolicy = enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY

// planReusePolicy is a plan's own workflow's (workflows.PlanReusePolicy):
// started only when PostgreSQL says the plan is issued, it may run again
// whatever ended its last run.
const planReusePolicy = enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE

// StartWorkflows starts a batch of workflows on this activity's task queue,
// many at a time. A plan sent to thousands of units fans out this way, not
// through child workflows, whose starts the server records one at a time on
// the parent. An ID that completed counts as existing, so a unit never gets
// a second report workflow; a retried batch resumes after the starts its
// last heartbeat counted done.
func (a *Activities) StartWorkflows(ctx context.Context, in StartWorkflowsInput) (*StartedWorkflows, error) {
	return a.startWorkflows(ctx, activity.GetInfo(ctx).TaskQueue, in, nil)
}

// startWorkflows starts in's workflows on queue. Inside an activity it
// heartbeats its progress and resumes from it; stillOpen, when not nil, is
// asked every hundred starts whether to go on (false stops the batch).
func (a *Activities) startWorkflows(ctx context.Context, queue string, in StartWorkflowsInput, stillOpen func(context.Context) (bool, error)) (*StartedWorkflows, error) {
	if a.Temporal == nil {
		return nil, errors.New("start workflows: no Temporal client")
	}
	inActivity := activity.IsActivity(ctx)
	var out StartedWorkflows
	skip := 0
	if inActivity && activity.HasHeartbeatDetails(ctx) {
		var p startProgress
		// A heartbeat of another shape (DispatchPlanTasks' offset) resumes nothing.
		if err := activity.GetHeartbeatDetails(ctx, &p); err == nil && p.Done > 0 && p.Done <= len(in.Starts) {
			skip = p.Done
			out.Resumed = skip
		}
	}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		done = make([]bool, len(in.Starts))
		// prefix is how many starts from the first are done.
		prefix = skip
	)
	for i := range skip {
		done[i] = true
	}
	progress := func() startProgress {
		mu.Lock()
		defer mu.Unlock()
		for prefix < len(done) && done[prefix] {
			prefix++
		}
		return startProgress{Done: prefix}
	}
	beat := time.NewTicker(startHeartbeat)
	defer beat.Stop()
	heartbeat := func() {
		if inActivity {
			activity.RecordHeartbeat(ctx, progress())
		}
	}
	slots := a.callSlots()
	// A worker stopping (SIGTERM) ends the batch at once: what it started
	// is in its heartbeat, and the retry resumes from there elsewhere.
	var workerStop <-chan struct{}
	if inActivity {
		workerStop = activity.GetWorkerStopChannel(ctx)
	}
	stopped := false
	for i := skip; i < len(in.Starts) && !stopped; i++ {
		st := in.Starts[i]
		if stillOpen != nil && (i-skip)%100 == 0 {
			open, err := stillOpen(ctx)
			if err != nil {
				wg.Wait()
				return &out, err
			}
			if !open {
				stopped = true
				break
			}
		}
	wait:
		for {
			select {
			case slots <- struct{}{}:
				break wait
			case <-beat.C:
				heartbeat()
			case <-ctx.Done():
				wg.Wait()
				heartbeat()
				return &out, ctx.Err()
			case <-workerStop:
				wg.Wait()
				heartbeat()
				return &out, errors.New("start workflows: the worker is stopping")
			}
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			opts := client.StartWorkflowOptions{
				ID: st.ID, TaskQueue: queue,
				WorkflowIDReusePolicy: ReusePolicy,
				// This runs in a worker of the same queue: the server
				// hands the first workflow task back with the start, to
				// this process, so a unit's report opens as it starts
				// instead of queueing behind the rest of the fan-out
				// (make bench (b)). Without a free local slot it is an
				// ordinary start.
				EnableEagerStart: true,
			}
			if st.PlanID != 0 || st.UnitID != 0 {
				opts.TypedSearchAttributes = WorkflowAttributes(st.PlanID, st.UnitID)
			}
			_, err := a.Temporal.ExecuteWorkflow(ctx, opts, in.WorkflowType, st.Arg)
			var exists *serviceerror.WorkflowExecutionAlreadyStarted
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				out.Started++
				done[i] = true
			case errors.As(err, &exists):
				out.Existing++
				done[i] = true
			default:
				errs = append(errs, fmt.Errorf("start %s: %w", st.ID, err))
			}
		}()
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	for waiting := true; waiting; {
		select {
		case <-finished:
			waiting = false
		case <-beat.C:
			heartbeat()
		}
	}
	heartbeat()
	out.Stopped = stopped
	if len(errs) > 0 {
		return &out, errors.Join(errs...)
	}
	return &out, nil
}

// StartUnitReportsInput is one batch of a cycle's reports to start: the
// plan's units from Offset, in id order, at most Count of them. The units
// are read from the database, so the plan's history holds only offsets.
type StartUnitReportsInput struct {
	PlanID, CycleID int64
	Offset, Count   int
}

// unitReportStart is the argument of a UnitReport workflow: the fields of
// workflows.UnitReportInput (a test holds the two to one shape).
type unitReportStart struct {
	PlanID  int64
	CycleID int64
	UnitID  int64
	DueOn   string
	Title   string
	Policy  *escalation.Policy `json:",omitempty"`
}

// UnitReportWorkflowID is the workflow ID of one unit's report for one
// cycle (workflows.UnitReportID).
func UnitReportWorkflowID(planID, cycleID, unitID int64) string {
	return fmt.Sprintf("plan/%d/cycle/%d/unit/%d", planID, cycleID, unitID)
}

// StartUnitReports starts the UnitReport workflows of one batch of a
// cycle's units, each with the plan's and the unit's search attributes. It
// stops, starting nothing more, once the plan is no longer issued.
func (a *Activities) StartUnitReports(ctx context.Context, in StartUnitReportsInput) (*StartedWorkflows, error) {
	starts, err := a.unitReportStarts(ctx, in.PlanID, in.CycleID, in.Offset, in.Count)
	if err != nil {
		return nil, err
	}
	return a.startWorkflows(ctx, activity.GetInfo(ctx).TaskQueue, starts, a.planIssued(in.PlanID))
}

// planIssued asks whether a plan is still issued.
func (a *Activities) planIssued(planID int64) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		p, err := a.store().Plan(ctx, planID)
		if err != nil {
			return false, err
		}
		return p.Status == "issued", nil
	}
}

// unitReportStarts builds the starts of a cycle's reports for the plan's
// units [offset, offset+count).
func (a *Activities) unitReportStarts(ctx context.Context, planID, cycleID int64, offset, count int) (StartWorkflowsInput, error) {
	s := a.store()
	cycle, err := s.ReportCycle(ctx, cycleID)
	if err != nil {
		return StartWorkflowsInput{}, err
	}
	units, err := s.PlanUnitIDsPage(ctx, planID, offset, count)
	if err != nil {
		return StartWorkflowsInput{}, err
	}
	return a.reportStarts(ctx, planID, cycle, units)
}

// reportStarts builds the starts of a cycle's reports for units.
func (a *Activities) reportStarts(ctx context.Context, planID int64, cycle store.ReportCycle, units []int64) (StartWorkflowsInput, error) {
	ladder, err := a.store().EscalationPolicy(ctx, planID)
	if err != nil {
		return StartWorkflowsInput{}, err
	}
	policy := OwnPolicy(ladder)
	in := StartWorkflowsInput{WorkflowType: "UnitReport", Starts: make([]WorkflowStart, len(units))}
	for i, unitID := range units {
		in.Starts[i] = WorkflowStart{
			ID: UnitReportWorkflowID(planID, cycle.ID, unitID), PlanID: planID, UnitID: unitID,
			Arg: unitReportStart{PlanID: planID, CycleID: cycle.ID, UnitID: unitID, DueOn: cycle.DueOn.String(),
				Title: cycleTitle(cycle.Kind, cycle.Year), Policy: policy},
		}
	}
	return in, nil
}
