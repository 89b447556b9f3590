package activities

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
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

// endSettle is how long EndPlanWorkflows looks again, after it found nothing
// new to cancel, for a workflow a batch started at the last moment.
const endSettle = 2 * time.Second

// listPageSize is how many workflows one visibility page lists.
const listPageSize = 1000

// PlanWorkflowID is the workflow ID of a plan's lifecycle
// (workflows.PlanWorkflowID).
func PlanWorkflowID(planID int64) string { return fmt.Sprintf("plan/%d", planID) }

// EndPlanWorkflows cancels every running workflow of a cancelled or closed
// plan — its reports (opened or not yet), tasks, unit plans and scheduled
// reminders, and, when the plan was cancelled, the plan's own workflow —
// found by a visibility query on their PlanID search attribute (or, for
// workflows started before they carried it, their plan/<id>/ ID), page by
// page. It looks again until a query finds nothing new twice in a row, so
// a report a batch started as the plan was cancelled is cancelled too.
// Workflows that ended meanwhile are counted, not errors; a retry asks again
// only what is still running (a cancel asked twice is one).
func (a *Activities) EndPlanWorkflows(ctx context.Context, planID int64) (*EndedWorkflows, error) {
	return a.endPlanWorkflows(ctx, planID, 2)
}

// endPlanWorkflows cancels what runs of an ended plan until quietRounds
// queries in a row find nothing new (endSettle apart).
func (a *Activities) endPlanWorkflows(ctx context.Context, planID int64, quietRounds int) (*EndedWorkflows, error) {
	if a.Temporal == nil {
		return nil, errors.New("end plan workflows: no Temporal client")
	}
	p, err := a.store().Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	// A closing plan's workflow is the caller: it ends by itself.
	self := ""
	if p.Status != "cancelled" {
		self = PlanWorkflowID(planID)
	}
	// A ticker beats while the loop waits on a slow visibility page, a
	// cancel or a free slot: the heartbeat timeout is seconds.
	var seen atomic.Int64
	heartbeat := func(n int) { seen.Store(int64(n)) }
	defer heartbeatEvery(ctx, startHeartbeat, func() any { return int(seen.Load()) })()
	var (
		mu    sync.Mutex
		out   EndedWorkflows
		errs  []error
		asked = map[string]bool{}
	)
	slots := a.callSlots()
	for quiet := 0; quiet < quietRounds; {
		ids, err := a.runningWorkflows(ctx, PlanWorkflowsQuery(planID))
		if err != nil {
			return &out, err
		}
		var wg sync.WaitGroup
		fresh := 0
		for _, id := range ids {
			if asked[id] || id == self {
				continue
			}
			asked[id] = true
			fresh++
			select {
			case slots <- struct{}{}: // cancels share the starts' bound on calls in flight
			case <-ctx.Done():
				wg.Wait()
				return &out, ctx.Err()
			}
			wg.Add(1)
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
			if fresh%100 == 0 {
				heartbeat(len(asked))
			}
		}
		wg.Wait()
		if len(errs) > 0 {
			return &out, errors.Join(errs...)
		}
		heartbeat(len(asked))
		if fresh > 0 {
			quiet = 0
			continue
		}
		if quiet++; quiet >= quietRounds {
			break
		}
		select {
		case <-ctx.Done():
			return &out, ctx.Err()
		case <-time.After(endSettle):
		}
	}
	return &out, nil
}

// runningWorkflows lists the IDs a visibility query finds, every page.
func (a *Activities) runningWorkflows(ctx context.Context, query string) ([]string, error) {
	var ids []string
	var token []byte
	for {
		resp, err := a.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: query, PageSize: listPageSize, NextPageToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("list workflows (%s): %w", query, err)
		}
		for _, e := range resp.GetExecutions() {
			ids = append(ids, e.GetExecution().GetWorkflowId())
		}
		token = resp.GetNextPageToken()
		if len(token) == 0 {
			return ids, nil
		}
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, len(ids))
		}
	}
}

// countWorkflows counts what a visibility query finds.
func (a *Activities) countWorkflows(ctx context.Context, query string) (int, error) {
	resp, err := a.Temporal.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: query})
	if err != nil {
		return 0, fmt.Errorf("count workflows (%s): %w", query, err)
	}
	return int(resp.GetCount()), nil
}
