package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"
)

// EndPlanID is the workflow ID of a cancelled plan's clean-up.
func EndPlanID(planID int64) string { return fmt.Sprintf("plan/%d/end", planID) }

// EndPlan stops the unit workflows of a cancelled plan (reports, tasks,
// unit plans): the API starts it when a leader cancels an issued plan, so
// that the thousands of cancellations are retried until done, off the
// request.
func EndPlan(ctx workflow.Context, planID int64) (int, error) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    time.Minute,
	})
	var ended struct{ Cancelled, Finished int }
	if err := workflow.ExecuteActivity(actx, a.EndPlanWorkflows, planID).Get(ctx, &ended); err != nil {
		return 0, err
	}
	return ended.Cancelled, nil
}
