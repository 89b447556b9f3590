package workflows_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/workflows"
)

func TestTaskWorkflow_MovedDeadlineReplansTheLadder(t *testing.T) {
	env := newTaskEnv(t, at(t, "2025-10-20 10:00"), nil)
	uid := int64(9)
	// Due Friday 14/11; on 5/11, before its T-7, the leader moves it to
	// Friday 5/12. The unit completes it on 1/12, before the new T+0.
	moved := env.updateAt(t, at(t, "2025-11-05 09:00"), workflows.UpdateMoveTaskDeadline, "move-1",
		workflows.TaskActionRequest{UserID: &uid, DueOn: "2025-12-05"})
	done := env.updateAt(t, at(t, "2025-12-01 09:00"), workflows.UpdateCompleteTask, "done",
		workflows.TaskActionRequest{UserID: &uid, Result: "Đã tổ chức hội nghị"})
	var doneMoved, past updateOutcome
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateMoveTaskDeadline, "move-done", callbacks(&doneMoved), workflows.TaskActionRequest{DueOn: "2025-12-20"})
	}, at(t, "2025-12-01 10:00").Sub(env.Now()))
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateMoveTaskDeadline, "move-past", callbacks(&past), workflows.TaskActionRequest{DueOn: "2025-11-01"})
	}, at(t, "2025-11-06 09:00").Sub(env.Now()))
	confirmed := env.updateAt(t, at(t, "2025-12-02 09:00"), workflows.UpdateConfirmTask, "confirm", workflows.TaskActionRequest{UserID: &uid})

	env.ExecuteWorkflow(workflows.TaskWorkflow, adHocTask())

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	for _, o := range []*updateOutcome{moved, done, confirmed} {
		require.True(t, o.completed)
		require.NoError(t, o.err)
		require.NoError(t, o.rejected)
	}
	require.Equal(t, "WrongState", applicationErrorType(t, doneMoved.rejected), "a done task's deadline does not move")
	require.Equal(t, "InvalidDueDate", applicationErrorType(t, past.rejected))
	// The old ladder's T-7 (7/11) never goes out; the new deadline's ladder,
	// under keys of its own, sends its T-7 on 28/11.
	require.Equal(t, []sentStep{
		{Key: "task/300/assigned", Template: "task_assigned", At: at(t, "2025-10-20 10:00")},
		{Key: "task/300/rev/1/reminder/T-7", Template: "task_reminder_before_due", At: at(t, "2025-11-28 08:00")},
		{Key: "task/300/confirmed", Template: "task_confirmed", At: at(t, "2025-12-02 09:00")},
	}, env.sent())
	env.mu.Lock()
	defer env.mu.Unlock()
	require.Equal(t, "deadline", env.actions[0].Action)
	require.Equal(t, "move-1", env.actions[0].Key)
	require.Equal(t, "2025-12-05", env.actions[0].DueOn)
}
