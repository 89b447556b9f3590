// Package worker runs Cascade's Temporal worker: it registers every workflow
// and activity on the task queue and polls until its context ends.
package worker

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"cascade/activities"
	"cascade/workflows"
)

// Register adds every workflow and activity to r (a worker or a test
// environment).
func Register(r sdkworker.Registry, acts *activities.Activities) {
	RegisterWorkflows(r)
	r.RegisterActivity(acts)
}

// RegisterWorkflows adds every workflow to r; a replayer needs only these.
func RegisterWorkflows(r sdkworker.WorkflowRegistry) {
	r.RegisterWorkflow(workflows.PlanWorkflow)
	r.RegisterWorkflow(workflows.UnitReport)
	r.RegisterWorkflow(workflows.PlanReminder)
	r.RegisterWorkflow(workflows.SendEmail)
	r.RegisterWorkflow(workflows.TaskWorkflow)
	r.RegisterWorkflow(workflows.EndPlan)
	r.RegisterWorkflow(workflows.ImportDocument)
}

// StickyCacheSize bounds how many workflows a worker keeps in memory between
// their tasks (the SDK's default is 10,000, a plan's whole fan-out). A
// unit's report wakes days apart, so one that left the cache is cheaply
// replayed.
const StickyCacheSize = 2000

// The SDK's sticky cache is one per process, sized when the first worker
// starts. In cascade serve that is one of the embedded Temporal server's own
// system workers, which start before Cascade's: sizing it in New came too
// late, and the cache held all 10,000 of a plan's reports (make bench (b)
// read temporal_sticky_cache_size 9,999). So it is sized before anything
// starts.
func init() { sdkworker.SetStickyWorkflowCacheSize(StickyCacheSize) }

// DefaultStopTimeout is how long Stop lets running activities finish when
// New is given none.
const DefaultStopTimeout = 10 * time.Second

// New creates a worker on taskQueue with every workflow and activity. Its
// Stop lets the activities running finish for up to stopTimeout (0:
// DefaultStopTimeout) before it cancels them: a database write or an email
// under way completes instead of being retried; a fan-out batch stops at
// once, its progress in its heartbeat, and resumes on another worker.
func New(c client.Client, taskQueue string, acts *activities.Activities, stopTimeout time.Duration) sdkworker.Worker {
	if stopTimeout <= 0 {
		stopTimeout = DefaultStopTimeout
	}
	w := sdkworker.New(c, taskQueue, sdkworker.Options{
		// A dispatch to thousands of units is many small tasks: poll with
		// enough concurrency to keep both cores and the database busy.
		MaxConcurrentWorkflowTaskPollers: 8,
		MaxConcurrentActivityTaskPollers: 8,
		WorkerStopTimeout:                stopTimeout,
	})
	Register(w, acts)
	return w
}

// Run starts a worker and blocks until ctx ends, then stops it, letting
// running activities finish (DefaultStopTimeout).
func Run(ctx context.Context, c client.Client, taskQueue string, acts *activities.Activities) error {
	w := New(c, taskQueue, acts, DefaultStopTimeout)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	<-ctx.Done()
	w.Stop()
	return nil
}
