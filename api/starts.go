package api

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"cascade/workflows"
)

// A change that starts or ends workflows (issuing or cancelling a plan,
// assigning a task) commits first and starts them after, under their
// deterministic IDs: a workflow never reads rows that are not committed
// yet, nor runs for a change that was rolled back. A start that fails
// after the commit is logged and left to the reconciler, which starts what
// PostgreSQL says is missing (activities.Reconciler).

// beforeCommit is a test hook run inside such a change's transaction just
// before it commits (tests widen the window in which a workflow started too
// early would read the rows still uncommitted).
var beforeCommit atomic.Pointer[func(what string)]

// SetBeforeCommit sets the hook run before a change that starts or ends
// workflows commits (what names it: issue, cancel, task); nil removes it.
// For tests only.
func SetBeforeCommit(f func(what string)) {
	if f == nil {
		beforeCommit.Store(nil)
		return
	}
	beforeCommit.Store(&f)
}

func runBeforeCommit(what string) {
	if f := beforeCommit.Load(); f != nil {
		(*f)(what)
	}
}

// temporalReady is nil when Temporal answers, and the 503 to answer when it
// does not: a change that starts or ends workflows checks it last in its
// transaction, so that with Temporal down nothing is written (and a bad
// request still hears what is wrong with it).
func (s *Server) temporalReady(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()
	if _, err := s.Temporal.CheckHealth(ctx, nil); err != nil {
		logger(c).Error("temporal unavailable", "error", err)
		return errUnavailable("Temporal")
	}
	return nil
}

// startCommitted starts a workflow for a change already committed. One
// already started counts as started; any other failure is logged, and the
// reconciler starts it on its next pass.
func (s *Server) startCommitted(c *gin.Context, opts client.StartWorkflowOptions, workflow any, arg any) {
	opts.TaskQueue = s.TaskQueue
	_, err := s.Temporal.ExecuteWorkflow(c, opts, workflow, arg)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &started) {
		logger(c).Error("start workflow after commit; the reconciler will start it", "workflow_id", opts.ID, "error", err)
	}
}

// startPlan starts an issued plan's workflow.
func (s *Server) startPlan(c *gin.Context, planID int64) {
	s.startCommitted(c, client.StartWorkflowOptions{
		ID: workflows.PlanWorkflowID(planID), WorkflowIDReusePolicy: workflows.PlanReusePolicy,
		TypedSearchAttributes: workflows.Attributes(planID, 0),
	}, workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID})
}

// endPlan stops a cancelled plan's workflow and starts the workflow that
// stops its unit workflows.
func (s *Server) endPlan(c *gin.Context, planID int64) {
	err := s.Temporal.CancelWorkflow(c, workflows.PlanWorkflowID(planID), "")
	var notFound *serviceerror.NotFound
	if err != nil && !errors.As(err, &notFound) {
		logger(c).Error("cancel plan workflow after commit; the reconciler will end it", "plan_id", planID, "error", err)
	}
	s.startCommitted(c, client.StartWorkflowOptions{
		ID: workflows.EndPlanID(planID), WorkflowIDReusePolicy: workflows.ReusePolicy,
	}, workflows.EndPlan, planID)
}
