package workflows_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"cascade/workflows"
)

// turnLog records, for updates sent together, each one's outcome and the
// order they completed in.
type turnLog struct {
	done []string
	out  map[string]*turnOutcome
}

type turnOutcome struct {
	updateOutcome
	status string // the state the update answered, when it succeeded
}

func newTurnLog() *turnLog { return &turnLog{out: map[string]*turnOutcome{}} }

func (l *turnLog) callbacks(id string) *testsuite.TestUpdateCallback {
	o := &turnOutcome{}
	l.out[id] = o
	return &testsuite.TestUpdateCallback{
		OnAccept: func() { o.accepted = true },
		OnReject: func(err error) { o.rejected = err },
		OnComplete: func(v any, err error) {
			o.completed, o.err = true, err
			switch s := v.(type) {
			case *workflows.ReportState:
				o.status = s.Status
			case *workflows.TaskState:
				o.status = s.Status
			}
			l.done = append(l.done, id)
		},
	}
}

// acceptThen submits the report on 10/11, then on 12/11 sends its accept
// and the update name (id) in the same workflow task.
func acceptThen(t *testing.T, env *unitReportEnv, log *turnLog, name, id string, req any) {
	t.Helper()
	uid := int64(5)
	env.RegisterDelayedCallback(func() { env.submit("s", validRequest(), &updateOutcome{}) }, at(t, "2025-11-10 09:00").Sub(env.Now()))
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateReviewReport, "accept", log.callbacks("accept"),
			workflows.ReviewReportRequest{UserID: &uid, Accept: true, Comment: "Đạt"})
		env.UpdateWorkflow(name, id, log.callbacks(id), req)
	}, at(t, "2025-11-12 14:00").Sub(env.Now()))
}

// Two decisions sent in the same workflow task (an accept and a return of
// the same submitted report, by two leaders): neither is refused as busy;
// the accept runs, then the return, checked against the accepted report, is
// refused for that: the report is closed. The review is recorded and the
// unit mailed once.
func TestUnitReport_AcceptAndReturnSentTogetherTakeTurns(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	uid := int64(5)
	log := newTurnLog()
	acceptThen(t, env, log, workflows.UpdateReviewReport, "return",
		workflows.ReviewReportRequest{UserID: &uid, Comment: "Thiếu số liệu", DueOn: "2025-12-05"})

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	for _, id := range []string{"accept", "return"} {
		require.NoError(t, log.out[id].rejected, "%s is not refused as busy", id)
		require.True(t, log.out[id].accepted, id)
		require.True(t, log.out[id].completed, id)
	}
	require.Equal(t, []string{"accept", "return"}, log.done, "one after the other, in the order sent")
	require.NoError(t, log.out["accept"].err)
	require.Equal(t, "accepted", log.out["accept"].status)
	require.Equal(t, "Closed", applicationErrorType(t, log.out["return"].err), "checked against the accepted report")
	var res workflows.UnitReportResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, "accepted", res.Status)
	env.mu.Lock()
	defer env.mu.Unlock()
	require.Len(t, env.reviews, 1, "only the accept is recorded")
	require.Equal(t, "accept", env.reviews[0].Action)
	require.Equal(t, "accept", env.reviews[0].Key)
	var mails []string
	for _, n := range env.notifyIn {
		if n.Template == "accepted" || n.Template == "returned" {
			mails = append(mails, n.Template)
		}
	}
	require.Equal(t, []string{"accepted"}, mails)
}

// A moved deadline and a waiver sent together both run, in order: the
// deadline moves, then the report, still open, is waived.
func TestUnitReport_MoveDeadlineAndWaiveSentTogetherBothRunInOrder(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	uid := int64(5)
	log := newTurnLog()
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateMoveDeadline, "move", log.callbacks("move"),
			workflows.MoveDeadlineRequest{UserID: &uid, DueOn: "2025-11-28"})
		env.UpdateWorkflow(workflows.UpdateWaiveReport, "waive", log.callbacks("waive"),
			workflows.WaiveReportRequest{UserID: &uid, Reason: "Đơn vị sáp nhập"})
	}, at(t, "2025-11-03 09:00").Sub(env.Now()))

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []string{"move", "waive"}, log.done)
	for _, id := range log.done {
		require.NoError(t, log.out[id].rejected, id)
		require.NoError(t, log.out[id].err, id)
	}
	require.Equal(t, "pending", log.out["move"].status)
	require.Equal(t, "waived", log.out["waive"].status)
	var res workflows.UnitReportResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, "waived", res.Status)
	env.mu.Lock()
	defer env.mu.Unlock()
	require.Len(t, env.reviews, 2)
	require.Equal(t, "deadline", env.reviews[0].Action)
	require.Equal(t, "2025-11-28", env.reviews[0].DueOn)
	require.Equal(t, "waive", env.reviews[1].Action)
	require.Empty(t, env.notified, "waived before any step of either deadline")
}

// A task's confirmation and return sent together: the confirmation runs,
// then the return is refused because the task is confirmed; start and
// complete sent together both run, in order.
func TestTaskWorkflow_UpdatesSentTogetherTakeTurns(t *testing.T) {
	env := newTaskEnv(t, at(t, "2025-10-20 10:00"), nil)
	uid := int64(9)
	log := newTurnLog()
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateStartTask, "start", log.callbacks("start"), workflows.TaskActionRequest{UserID: &uid})
		env.UpdateWorkflow(workflows.UpdateCompleteTask, "complete", log.callbacks("complete"),
			workflows.TaskActionRequest{UserID: &uid, Result: "Đã tổ chức hội nghị"})
	}, at(t, "2025-11-10 09:00").Sub(env.Now()))
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateConfirmTask, "confirm", log.callbacks("confirm"), workflows.TaskActionRequest{UserID: &uid})
		env.UpdateWorkflow(workflows.UpdateReturnTask, "return", log.callbacks("return"),
			workflows.TaskActionRequest{UserID: &uid, Comment: "Bổ sung", DueOn: "2025-12-05"})
	}, at(t, "2025-11-11 09:00").Sub(env.Now()))

	env.ExecuteWorkflow(workflows.TaskWorkflow, adHocTask())

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []string{"start", "complete", "confirm", "return"}, log.done)
	for _, id := range log.done {
		require.NoError(t, log.out[id].rejected, "%s is not refused as busy", id)
	}
	for id, want := range map[string]string{"start": "in_progress", "complete": "done", "confirm": "confirmed"} {
		require.NoError(t, log.out[id].err, id)
		require.Equal(t, want, log.out[id].status, id)
	}
	require.Equal(t, "WrongState", applicationErrorType(t, log.out["return"].err), "checked against the confirmed task")
	var res workflows.TaskWorkflowResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, "confirmed", res.Status)
	env.mu.Lock()
	var steps []string
	for _, in := range env.actions {
		steps = append(steps, in.Action+":"+in.Key)
	}
	env.mu.Unlock()
	require.Equal(t, []string{"start:start", "complete:complete", "confirm:confirm"}, steps, "each recorded once; the return not at all")
	var decisions []string
	for _, m := range env.sent() {
		if m.Template == "task_confirmed" || m.Template == "task_returned" {
			decisions = append(decisions, m.Template)
		}
	}
	require.Equal(t, []string{"task_confirmed"}, decisions)
}

// An execution whose handlers ran before they took turns keeps its busy
// flag: a second update sent with the first is refused as busy, and only
// the first is recorded.
func TestUnitReport_BeforeHandlersTookTurnsASecondUpdateIsRefusedAsBusy(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	env.OnGetVersion("handlers-in-turn", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	uid := int64(5)
	log := newTurnLog()
	acceptThen(t, env, log, workflows.UpdateWaiveReport, "waive", workflows.WaiveReportRequest{UserID: &uid, Reason: "Đơn vị sáp nhập"})

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, log.out["accept"].err)
	require.Equal(t, "Busy", applicationErrorType(t, log.out["waive"].rejected))
	env.mu.Lock()
	defer env.mu.Unlock()
	require.Len(t, env.reviews, 1)
}
