package workflows_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"cascade/activities"
	"cascade/workflows"
)

// taskEnv runs TaskWorkflow with its activities mocked: OpenTask opens
// task 300 due on the input's date, RecordTaskAction moves the status as the
// database would, NotifyTask records each email and when it went out.
type taskEnv struct {
	*testsuite.TestWorkflowEnvironment
	mu      sync.Mutex
	mails   []sentStep
	actions []activities.RecordTaskActionInput
	// mailDown fails the emails of decisions (returned, confirmed), as with
	// SMTP down; each attempt is counted.
	mailDown  bool
	mailTries int
}

func newTaskEnv(t *testing.T, start time.Time, planClosed func() bool) *taskEnv {
	t.Helper()
	e := &taskEnv{TestWorkflowEnvironment: newEnv(t)}
	e.SetStartTime(start)
	e.RegisterWorkflow(workflows.TaskWorkflow)
	e.OnActivity(a.OpenTask, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.OpenTaskInput) (*activities.OpenedTask, error) {
			return &activities.OpenedTask{UnitTaskID: 300, Status: "assigned", DueOn: in.DueOn, TermEndYear: 2026}, nil
		})
	status := "assigned"
	e.OnActivity(a.RecordTaskAction, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RecordTaskActionInput) (*activities.TaskRecord, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.actions = append(e.actions, in)
			status = map[string]string{"start": "in_progress", "complete": "done", "confirm": "confirmed", "return": "in_progress", "deadline": status}[in.Action]
			return &activities.TaskRecord{Status: status, DueOn: in.DueOn}, nil
		}).Maybe()
	e.OnActivity(a.NotifyTask, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyTaskInput) (*activities.NotifyTaskResult, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			if planClosed != nil && planClosed() {
				return &activities.NotifyTaskResult{PlanClosed: true}, nil
			}
			if e.mailDown && (in.Template == "task_returned" || in.Template == "task_confirmed") {
				e.mailTries++
				return nil, errors.New("dial tcp 127.0.0.1:25: connection refused")
			}
			e.mails = append(e.mails, sentStep{Key: in.Key, Template: in.Template, At: e.Now().In(ict)})
			return &activities.NotifyTaskResult{NotifyResult: activities.NotifyResult{Queued: 1, Sent: 1}}, nil
		}).Maybe()
	e.OnActivity(a.TaskStillOpen, mock.Anything, mock.Anything).Return(true, nil).Maybe()
	e.OnActivity(a.CancelTask, mock.Anything, mock.Anything).Return(nil).Maybe()
	return e
}

func (e *taskEnv) sent() []sentStep {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]sentStep(nil), e.mails...)
}

// updateAt sends a task update at the simulated instant when.
func (e *taskEnv) updateAt(t *testing.T, when time.Time, name, id string, req workflows.TaskActionRequest) *updateOutcome {
	t.Helper()
	out := &updateOutcome{}
	delay := when.Sub(e.Now())
	require.Positive(t, delay)
	e.RegisterDelayedCallback(func() { e.UpdateWorkflow(name, id, callbacks(out), req) }, delay)
	return out
}

func adHocTask() workflows.TaskWorkflowInput {
	return workflows.TaskWorkflowInput{Task: activities.OpenTaskInput{UnitTaskID: 300, DueOn: "2025-11-14"}}
}

func TestTaskWorkflow_LateTaskIsChasedThenDoneReturnedDoneAndConfirmed(t *testing.T) {
	env := newTaskEnv(t, at(t, "2025-10-20 10:00"), nil)
	uid := int64(9)
	started := env.updateAt(t, at(t, "2025-11-18 09:00"), workflows.UpdateStartTask, "start", workflows.TaskActionRequest{UserID: &uid})
	done := env.updateAt(t, at(t, "2025-11-19 09:00"), workflows.UpdateCompleteTask, "done-1",
		workflows.TaskActionRequest{UserID: &uid, Result: "Đã tổ chức 3 hội nghị quán triệt", AttachmentIDs: []int64{55}})
	returned := env.updateAt(t, at(t, "2025-11-20 09:00"), workflows.UpdateReturnTask, "return-1",
		workflows.TaskActionRequest{UserID: &uid, Comment: "Bổ sung danh sách hội viên tham dự", DueOn: "2025-12-05"})
	doneAgain := env.updateAt(t, at(t, "2025-12-01 09:00"), workflows.UpdateCompleteTask, "done-2",
		workflows.TaskActionRequest{UserID: &uid, Result: "Đã bổ sung danh sách"})
	confirmed := env.updateAt(t, at(t, "2025-12-02 09:00"), workflows.UpdateConfirmTask, "confirm", workflows.TaskActionRequest{UserID: &uid})

	env.ExecuteWorkflow(workflows.TaskWorkflow, adHocTask())

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	for _, o := range []*updateOutcome{started, done, returned, doneAgain, confirmed} {
		require.True(t, o.completed)
		require.NoError(t, o.err)
		require.NoError(t, o.rejected)
	}
	// Due Friday 14/11: T-7 on 7/11, T+0 on 14/11, the leader on Monday
	// 17/11 (T+3). Started on 18/11 the task is still chased (it is not
	// done), but the next step, T+7 on 21/11, never comes: done on 19/11.
	// The return mails the unit and its new deadline of 5/12 brings its own
	// ladder from the steps still ahead: T-7 on 28/11; done again on 1/12.
	require.Equal(t, []sentStep{
		{Key: "task/300/assigned", Template: "task_assigned", At: at(t, "2025-10-20 10:00")},
		{Key: "task/300/reminder/T-7", Template: "task_reminder_before_due", At: at(t, "2025-11-07 08:00")},
		{Key: "task/300/reminder/T+0", Template: "task_reminder_due_today", At: at(t, "2025-11-14 08:00")},
		{Key: "task/300/escalation/T+3", Template: "task_escalation_unit_leader", At: at(t, "2025-11-17 08:00")},
		{Key: "task/300/returned/rev/1", Template: "task_returned", At: at(t, "2025-11-20 09:00")},
		{Key: "task/300/rev/1/reminder/T-7", Template: "task_reminder_before_due", At: at(t, "2025-11-28 08:00")},
		{Key: "task/300/confirmed", Template: "task_confirmed", At: at(t, "2025-12-02 09:00")},
	}, env.sent())
	env.mu.Lock()
	var steps []string
	for _, in := range env.actions {
		steps = append(steps, in.Action+":"+in.Key)
	}
	require.Equal(t, []int64{55}, env.actions[1].AttachmentIDs)
	require.Equal(t, "2025-12-05", env.actions[2].DueOn)
	env.mu.Unlock()
	require.Equal(t, []string{"start:start", "complete:done-1", "return:return-1", "complete:done-2", "confirm:confirm"}, steps,
		"each step recorded once, keyed by its update's ID")
	var res workflows.TaskWorkflowResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, workflows.TaskWorkflowResult{UnitTaskID: 300, Status: "confirmed"}, res)
}

func TestTaskWorkflow_ValidatorsRefuseWhatTheStateDoesNotAllow(t *testing.T) {
	env := newTaskEnv(t, at(t, "2025-10-20 10:00"), nil)
	var confirmEarly, noResult, noComment, pastDue, startTwice updateOutcome
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateConfirmTask, "early", callbacks(&confirmEarly), workflows.TaskActionRequest{})
		env.UpdateWorkflow(workflows.UpdateCompleteTask, "no-result", callbacks(&noResult), workflows.TaskActionRequest{Result: "  "})
		env.UpdateWorkflow(workflows.UpdateStartTask, "start", callbacks(&updateOutcome{}), workflows.TaskActionRequest{})
	}, time.Hour)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateStartTask, "again", callbacks(&startTwice), workflows.TaskActionRequest{})
		env.UpdateWorkflow(workflows.UpdateCompleteTask, "done", callbacks(&updateOutcome{}), workflows.TaskActionRequest{Result: "xong"})
	}, 2*time.Hour)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateReturnTask, "no-comment", callbacks(&noComment), workflows.TaskActionRequest{DueOn: "2025-12-01"})
		env.UpdateWorkflow(workflows.UpdateReturnTask, "past", callbacks(&pastDue), workflows.TaskActionRequest{Comment: "sửa", DueOn: "2025-01-01"})
		env.UpdateWorkflow(workflows.UpdateConfirmTask, "ok", callbacks(&updateOutcome{}), workflows.TaskActionRequest{})
	}, 3*time.Hour)

	env.ExecuteWorkflow(workflows.TaskWorkflow, adHocTask())

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, "WrongState", applicationErrorType(t, confirmEarly.rejected))
	require.Equal(t, "ResultRequired", applicationErrorType(t, noResult.rejected))
	require.Equal(t, "WrongState", applicationErrorType(t, startTwice.rejected))
	require.Equal(t, "CommentRequired", applicationErrorType(t, noComment.rejected))
	require.Equal(t, "InvalidDueDate", applicationErrorType(t, pastDue.rejected))
}

func TestTaskWorkflow_CancelledPlanEndsTheTask(t *testing.T) {
	var mu sync.Mutex
	closed := false
	env := newTaskEnv(t, at(t, "2025-10-20 10:00"), func() bool { mu.Lock(); defer mu.Unlock(); return closed })
	env.RegisterDelayedCallback(func() { mu.Lock(); closed = true; mu.Unlock() }, at(t, "2025-11-10 09:00").Sub(env.Now()))
	in := workflows.TaskWorkflowInput{Task: activities.OpenTaskInput{Key: "plan/42/task/5/unit/7", PlanID: 42, UnitID: 7, Kind: "task",
		TaskID: 5, Title: "Quán triệt nghị quyết", DueOn: "2025-11-14", WorkflowID: "plan/42/task/5/unit/7"}}

	env.ExecuteWorkflow(workflows.TaskWorkflow, in)

	require.NoError(t, env.GetWorkflowError())
	var res workflows.TaskWorkflowResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, "cancelled", res.Status)
	require.Len(t, env.sent(), 2, "the assignment and T-7; T+0 found the plan cancelled and sent nothing")
	require.Equal(t, at(t, "2025-11-14 08:00"), env.Now().In(ict), "it ended at the step that saw the plan closed")
}

// With SMTP down a task's return answers once recorded, and a moved
// deadline sent while its email is retried is not refused as busy.
func TestTaskWorkflow_ReturnAnswersOnceRecordedWhileItsEmailIsRetried(t *testing.T) {
	env := newTaskEnv(t, at(t, "2025-10-20 10:00"), nil)
	env.mailDown = true
	uid := int64(9)
	env.updateAt(t, at(t, "2025-11-10 09:00"), workflows.UpdateCompleteTask, "done-1", workflows.TaskActionRequest{UserID: &uid, Result: "Xong"})
	returnAt, moveAt := at(t, "2025-11-11 09:00"), at(t, "2025-11-11 09:02")
	var returned, moved updateOutcome
	var returnedDone, movedDone time.Time
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateReturnTask, "return-1", timedTaskCallbacks(env, &returned, &returnedDone),
			workflows.TaskActionRequest{UserID: &uid, Comment: "Bổ sung", DueOn: "2025-12-05"})
	}, returnAt.Sub(env.Now()))
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateMoveTaskDeadline, "move-1", timedTaskCallbacks(env, &moved, &movedDone),
			workflows.TaskActionRequest{UserID: &uid, DueOn: "2025-12-12"})
	}, moveAt.Sub(env.Now()))
	env.updateAt(t, at(t, "2025-12-01 09:00"), workflows.UpdateCompleteTask, "done-2", workflows.TaskActionRequest{UserID: &uid, Result: "Xong"})
	env.updateAt(t, at(t, "2025-12-02 09:00"), workflows.UpdateConfirmTask, "confirm", workflows.TaskActionRequest{UserID: &uid})

	env.ExecuteWorkflow(workflows.TaskWorkflow, adHocTask())

	require.NoError(t, env.GetWorkflowError())
	require.True(t, returned.completed)
	require.NoError(t, returned.err)
	require.Less(t, returnedDone.Sub(returnAt), 5*time.Second)
	require.NoError(t, moved.rejected, "a moved deadline while the return's email is retried")
	require.True(t, moved.completed)
	require.Less(t, movedDone.Sub(moveAt), 5*time.Second)
	env.mu.Lock()
	defer env.mu.Unlock()
	require.Equal(t, 20, env.mailTries, "the return's and the confirmation's emails, each tried 10 times after the answer")
}

func timedTaskCallbacks(env *taskEnv, out *updateOutcome, done *time.Time) *testsuite.TestUpdateCallback {
	return &testsuite.TestUpdateCallback{
		OnAccept: func() { out.accepted = true },
		OnReject: func(err error) { out.rejected = err },
		OnComplete: func(v any, err error) {
			out.completed, out.err = true, err
			*done = env.Now()
		},
	}
}
