package activities

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
)

// ClosePlanTasks ends the tasks and unit plans still open when their plan
// closes at the end of its term: each is cancelled, with a step in its
// history saying that the plan ended. The plan's reports keep their state:
// one never submitted stays visible as not submitted.
func (a *Activities) ClosePlanTasks(ctx context.Context, planID int64) error {
	return a.store().ClosePlanTasks(ctx, planID, "Kế hoạch đã kết thúc nhiệm kỳ")
}

// EndedWorkflows counts what EndPlanWorkflows asked to stop.
type EndedWorkflows struct {
	Cancelled int
	Finished  int // had ended already
}

// EndPlanWorkflows cancels every unit workflow of a cancelled or closed plan
// (its reports, tasks and unit plans), so that none of them keeps a timer
// for a plan nobody follows any more. Workflows that ended already are counted,
// not errors; a retry cancels only what is still running.
func (a *Activities) EndPlanWorkflows(ctx context.Context, planID int64) (*EndedWorkflows, error) {
	if a.Temporal == nil {
		return nil, errors.New("end plan workflows: no Temporal client")
	}
	ids, err := a.store().PlanWorkflowIDs(ctx, planID)
	if err != nil {
		return nil, err
	}
	var (
		mu   sync.Mutex
		out  EndedWorkflows
		errs []error
		wg   sync.WaitGroup
	)
	slots := a.callSlots()
	for i, id := range ids {
		wg.Add(1)
		slots <- struct{}{} // cancels share the starts' bound on calls in flight
		go func() {
			defer func() { <-slots; wg.Done() }()
			err := a.Temporal.CancelWorkflow(ctx, id, "")
			var notFound *serviceerror.NotFound
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				out.Cancelled++
			case errors.As(err, &notFound):
				out.Finished++
			default:
				errs = append(errs, fmt.Errorf("cancel %s: %w", id, err))
			}
		}()
		if i%100 == 0 {
			activity.RecordHeartbeat(ctx, i)
		}
	}
	wg.Wait()
	return &out, errors.Join(errs...)
}
