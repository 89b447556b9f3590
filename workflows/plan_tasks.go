package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"cascade/activities"
)

// versionDispatchTasks names the change that made an issued plan start a
// TaskWorkflow for each task of the plan and lead unit, each duty of its
// "Tổ chức thực hiện" that falls on a unit, and each unit's own plan.
const versionDispatchTasks = "dispatch-tasks"

// dispatchPlanTasks starts the plan's task workflows in batches of
// StartBatchSize, run side by side by activities that read the tasks from
// the database (the history holds only counts). Every workflow ID is the
// task's own, so a batch run again, or a crash halfway, starts nothing
// twice.
func dispatchPlanTasks(ctx workflow.Context, planID int64) error {
	var count activities.PlanTaskCount
	if err := workflow.ExecuteActivity(shortActivity(ctx), a.CountPlanTasks, planID).Get(ctx, &count); err != nil {
		return err
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    FanOutHeartbeatTimeout,
	})
	var futures []workflow.Future
	for offset := 0; offset < count.Tasks; offset += StartBatchSize {
		futures = append(futures, workflow.ExecuteActivity(actx, a.DispatchPlanTasks,
			activities.DispatchPlanTasksInput{PlanID: planID, Offset: offset, BatchSize: StartBatchSize}))
	}
	for _, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			return err
		}
	}
	return nil
}
