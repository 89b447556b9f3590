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
)

// WorkflowStart is one workflow to start: its ID and its single argument.
type WorkflowStart struct {
	ID  string
	Arg any
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
}

// callsInFlight bounds the starts (and cancels) a worker has in flight, over
// every batch at once: a plan's batches run side by side, and 20 batches of
// 16 starts each queued more work on a small server than it could take, so
// a batch's starts waited past its heartbeat timeout and it ran again (make
// bench (b), 10,000 units).
const callsInFlight = 32

// startHeartbeat is how often a batch says it is alive while it waits for
// slots or for the server, well inside its one-minute heartbeat timeout.
const startHeartbeat = 10 * time.Second

// StartWorkflows starts a batch of workflows on this activity's task queue,
// many at a time. A plan sent to thousands of units fans out this way, not
// through child workflows, whose starts the server records one at a time on
// the parent. Each ID may run once: a retried batch, or a workflow that ran
// already, counts as existing, so a unit never gets a second report workflow.
func (a *Activities) StartWorkflows(ctx context.Context, in StartWorkflowsInput) (*StartedWorkflows, error) {
	if a.Temporal == nil {
		return nil, errors.New("start workflows: no Temporal client")
	}
	queue := activity.GetInfo(ctx).TaskQueue
	var (
		mu   sync.Mutex
		out  StartedWorkflows
		errs []error
		wg   sync.WaitGroup
	)
	// Heartbeat on a clock, not on progress: a batch waiting its turn is
	// alive, and one whose worker died is retried after a minute.
	beat := time.NewTicker(startHeartbeat)
	defer beat.Stop()
	progress := func() int {
		mu.Lock()
		defer mu.Unlock()
		return out.Started + out.Existing
	}
	slots := a.callSlots()
	for _, st := range in.Starts {
	wait:
		for {
			select {
			case slots <- struct{}{}:
				break wait
			case <-beat.C:
				activity.RecordHeartbeat(ctx, progress())
			case <-ctx.Done():
				wg.Wait()
				return &out, ctx.Err()
			}
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			_, err := a.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
				ID: st.ID, TaskQueue: queue,
				WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
				// This activity runs in a worker of the same queue: the
				// server hands the first workflow task back with the start,
				// to this process, so a unit's report opens as it starts
				// instead of queueing behind the rest of the fan-out
				// (make bench (b)). Without a free local slot it is an
				// ordinary start.
				EnableEagerStart: true,
			}, in.WorkflowType, st.Arg)
			var exists *serviceerror.WorkflowExecutionAlreadyStarted
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				out.Started++
			case errors.As(err, &exists):
				out.Existing++
			default:
				errs = append(errs, fmt.Errorf("start %s: %w", st.ID, err))
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		case <-beat.C:
			activity.RecordHeartbeat(ctx, progress())
		}
	}
	if len(errs) > 0 {
		return &out, errors.Join(errs...)
	}
	return &out, nil
}
