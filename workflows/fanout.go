package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
)

// versionFanOutWindow names the change that made a plan's fan-out (its task
// workflows on its first run, each cycle's reports) run a bounded window of
// batches that read their units from the database, each resuming from its
// heartbeat after a crash, and continue as new when the server suggests it:
// before it, every unit's input went into the plan's history (18 MB for a
// cycle at 100,000 units, 65.8 MB with a plan's own ladder, over the 50 MB
// limit) and every batch was scheduled at once.
//
// It is asked for where a fan-out starts, not when a run starts: a plan
// asleep until its next cycle opens when this change is deployed fans that
// cycle out the new way.
const versionFanOutWindow = "fanout-window"

// fanOutWindowed reports whether this run fans out by the window.
func fanOutWindowed(ctx workflow.Context) bool {
	return workflow.GetVersion(ctx, versionFanOutWindow, workflow.DefaultVersion, 1) >= 1
}

// FanOutWindow is how many batches of a fan-out run at once: enough to keep
// a worker's start slots busy (each batch starts up to 32 at a time), few
// enough that a batch waits for slots seconds, not minutes, and no batch
// sits scheduled behind the others until its timeout.
const FanOutWindow = 4

// FanOutHeartbeatTimeout is how long a batch (of starts, task dispatches,
// cancels, or an import step) may go without a heartbeat
// before the server gives it to another worker (batches heartbeat every two
// seconds, the SDK sends them at most every 8): after a kill -9 the fan-out
// moves again within it plus a second of retry backoff, inside the 15
// seconds a restart is allowed.
const FanOutHeartbeatTimeout = 10 * time.Second

// fanOutActivity is for a batch of starts: its liveness is its heartbeat,
// its retries come quickly and never stop (a batch resumes where its last
// heartbeat left it), and its start-to-close is only a backstop.
func fanOutActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    FanOutHeartbeatTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    10 * time.Second,
		},
	})
}

// loadPlanActivity reads the plan. A plan still a draft is retried for
// about ten minutes, then the workflow fails (and is listed as failed)
// rather than ending as if it had run: a workflow is started only once its
// plan's issue committed, so a draft means something is wrong.
func loadPlanActivity(ctx workflow.Context) workflow.Context {
	retry := databaseRetry()
	retry.MaximumAttempts = 15
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second, RetryPolicy: retry})
}

// runWindow runs the batches of a fan-out over items [from, total), in
// offset order, StartBatchSize items each, at most FanOutWindow at once.
// It returns the offset it reached: total once every batch finished, or
// less when the server suggested continuing as new, once the batches
// already running finished (the caller continues as new from there).
func runWindow(ctx workflow.Context, from, total int, batch func(ctx workflow.Context, offset int) workflow.Future) (int, error) {
	sel := workflow.NewSelector(ctx)
	next, running := from, 0
	var failed error
	for {
		// A run starts at least one batch, whatever the server suggests.
		for failed == nil && running < FanOutWindow && next < total &&
			(next == from || !workflow.GetInfo(ctx).GetContinueAsNewSuggested()) {
			sel.AddFuture(batch(ctx, next), func(f workflow.Future) {
				running--
				if err := f.Get(ctx, nil); err != nil && failed == nil {
					failed = err
				}
			})
			running++
			next += StartBatchSize
		}
		if running == 0 {
			break
		}
		sel.Select(ctx)
	}
	if failed != nil {
		return next, failed
	}
	return min(next, total), nil
}

// dispatchPlanTasksWindowed starts the plan's task workflows from offset
// from by the window; done is false when the run must continue as new to
// start the rest from next.
func dispatchPlanTasksWindowed(ctx workflow.Context, planID int64, from int) (next int, done bool, err error) {
	var count activities.PlanTaskCount
	if err := workflow.ExecuteActivity(shortActivity(ctx), a.CountPlanTasks, planID).Get(ctx, &count); err != nil {
		return 0, false, err
	}
	next, err = runWindow(ctx, from, count.Tasks, func(ctx workflow.Context, offset int) workflow.Future {
		return workflow.ExecuteActivity(fanOutActivity(ctx), a.DispatchPlanTasks,
			activities.DispatchPlanTasksInput{PlanID: planID, Offset: offset, BatchSize: StartBatchSize})
	})
	return next, next >= count.Tasks, err
}

// continuePlan continues the plan as new with in, once no handler runs.
func continuePlan(ctx workflow.Context, in PlanInput) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	return workflow.NewContinueAsNewError(ctx, PlanWorkflow, in)
}
