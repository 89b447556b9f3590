package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"cascade/activities"
)

// EndPlanID is the workflow ID of a cancelled plan's clean-up.
func EndPlanID(planID int64) string { return fmt.Sprintf("plan/%d/end", planID) }

// EndPlan stops the unit workflows of a cancelled plan (reports, tasks,
// unit plans): the API starts it when a leader cancels an issued plan, so
// that the thousands of cancellations are retried until done, off the
// request.
func EndPlan(ctx workflow.Context, planID int64) (int, error) {
	ended, err := endUnitWorkflows(ctx, planID)
	if err != nil {
		return 0, err
	}
	return ended.Cancelled, nil
}

// versionCloseEndsUnitWorkflows names the change that made a plan closing
// at the end of its term end its open tasks and unit workflows, as
// cancelling it does (PlanWorkflow's last run).
const versionCloseEndsUnitWorkflows = "close-ends-unit-workflows"

// endUnitWorkflows cancels every unit workflow of a plan that is over,
// cancelled (EndPlan) or closed (PlanWorkflow's last run).
func endUnitWorkflows(ctx workflow.Context, planID int64) (activities.EndedWorkflows, error) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    FanOutHeartbeatTimeout,
	})
	var ended activities.EndedWorkflows
	err := workflow.ExecuteActivity(actx, a.EndPlanWorkflows, planID).Get(ctx, &ended)
	return ended, err
}
