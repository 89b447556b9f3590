package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"cascade/calendar"
	"cascade/workflows"
)

func TestUnitReport_ReturnedReportIsChasedAgainUntilResubmitted(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	uid := int64(5)
	var submitted, returned, resubmitted, accepted updateOutcome
	env.RegisterDelayedCallback(func() { env.submit("first", validRequest(), &submitted) }, at(t, "2025-11-10 09:00").Sub(env.Now()))
	env.RegisterDelayedCallback(func() {
		env.review("return", workflows.ReviewReportRequest{UserID: &uid, Comment: "Thiếu số liệu hộ thoát nghèo", DueOn: "2025-12-05"}, &returned)
	}, at(t, "2025-11-12 14:00").Sub(env.Now()))
	env.RegisterDelayedCallback(func() { env.submit("second", validRequest(), &resubmitted) }, at(t, "2025-12-02 09:00").Sub(env.Now()))
	env.RegisterDelayedCallback(func() {
		env.review("accept", workflows.ReviewReportRequest{UserID: &uid, Accept: true, Comment: "Đạt"}, &accepted)
	}, at(t, "2025-12-03 09:00").Sub(env.Now()))

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	for _, o := range []updateOutcome{submitted, returned, resubmitted, accepted} {
		require.True(t, o.completed)
		require.NoError(t, o.err)
	}
	// The ladder of 14/11 stopped at the submission; the return mailed the
	// unit, and the new deadline of 5/12 brought its own ladder under keys
	// of its own (rev/1), from the steps still ahead: T-7 was 28/11.
	require.Equal(t, []sentStep{
		{Key: scope + "/reminder/T-7", Template: "reminder_before_due", At: at(t, "2025-11-07 08:00")},
		{Key: scope + "/rev/1/reminder/T-7", Template: "reminder_before_due", At: at(t, "2025-11-28 08:00")},
	}, env.sent())
	env.mu.Lock()
	defer env.mu.Unlock()
	require.Len(t, env.reviews, 2)
	require.Equal(t, "return", env.reviews[0].Action)
	require.Equal(t, "2025-12-05", env.reviews[0].DueOn)
	require.Equal(t, "Thiếu số liệu hộ thoát nghèo", env.reviews[0].Comment)
	require.Equal(t, "accept", env.reviews[1].Action)
	require.Len(t, env.submissions, 2)
	var templates []string
	for _, n := range env.notifyIn {
		templates = append(templates, n.Template)
	}
	require.Contains(t, templates, "returned")
	require.Contains(t, templates, "accepted")
	var res workflows.UnitReportResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, "accepted", res.Status)
}

func TestUnitReport_ReviewValidatorsRefuseWhatTheStateDoesNotAllow(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	var early, noComment, pastDue updateOutcome
	env.RegisterDelayedCallback(func() {
		env.review("early", workflows.ReviewReportRequest{Accept: true}, &early)
	}, time.Hour)
	env.RegisterDelayedCallback(func() { env.submit("s", validRequest(), &updateOutcome{}) }, 2*time.Hour)
	env.RegisterDelayedCallback(func() {
		env.review("no-comment", workflows.ReviewReportRequest{DueOn: "2025-12-01"}, &noComment)
		env.review("past", workflows.ReviewReportRequest{Comment: "sửa", DueOn: "2025-01-01"}, &pastDue)
		env.review("ok", workflows.ReviewReportRequest{Accept: true}, &updateOutcome{})
	}, 3*time.Hour)

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, "NotSubmitted", applicationErrorType(t, early.rejected))
	require.Equal(t, "CommentRequired", applicationErrorType(t, noComment.rejected))
	require.Equal(t, "InvalidDueDate", applicationErrorType(t, pastDue.rejected))
}

func TestUnitReport_MovedDeadlineReplansTheLadder(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	var moved updateOutcome
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateMoveDeadline, "move", callbacks(&moved), workflows.MoveDeadlineRequest{DueOn: "2025-11-28"})
	}, at(t, "2025-11-03 09:00").Sub(env.Now()))
	env.submitAt(t, at(t, "2025-11-25 09:00"), "on-time", validRequest())

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.True(t, moved.completed)
	require.NoError(t, moved.err)
	// The 7/11 reminder of the old deadline never went out; the new
	// deadline's T-7 (21/11) did.
	require.Equal(t, []sentStep{
		{Key: scope + "/rev/1/reminder/T-7", Template: "reminder_before_due", At: at(t, "2025-11-21 08:00")},
	}, env.sent())
}

func TestUnitReport_WaivedReportStopsBeingChased(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	var waived updateOutcome
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateWaiveReport, "waive", callbacks(&waived), workflows.WaiveReportRequest{Reason: "Đơn vị sáp nhập"})
	}, at(t, "2025-11-16 09:00").Sub(env.Now()))

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.True(t, waived.completed)
	var res workflows.UnitReportResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, "waived", res.Status)
	require.Equal(t, []sentStep{
		{Key: scope + "/reminder/T-7", Template: "reminder_before_due", At: at(t, "2025-11-07 08:00")},
		{Key: scope + "/reminder/T+0", Template: "reminder_due_today", At: at(t, "2025-11-14 08:00")},
	}, env.sent(), "nothing after the waiver of 16/11: no T+3 on 17/11")
}

func TestUnitReport_ADayOffAddedByAnAdminMovesTheDeadline(t *testing.T) {
	adminDays = []calendar.DayOff{{Date: calendar.NewDate(2025, time.November, 14), Name: "Nghỉ bù"}}
	defer func() { adminDays = nil }()
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	env.submitAt(t, at(t, "2025-11-12 09:00"), "s", validRequest())

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, "2025-11-17", env.opened[0].DueOn, "Friday 14/11 is off: due the next Monday")
	require.Equal(t, []sentStep{
		{Key: scope + "/reminder/T-7", Template: "reminder_before_due", At: at(t, "2025-11-10 08:00")},
	}, env.sent(), "the reminder a week before the new deadline")
}

// timedCallbacks records, besides the outcome, the simulated instant the
// update completed.
func timedCallbacks(env *unitReportEnv, out *updateOutcome, done *time.Time) *testsuite.TestUpdateCallback {
	return &testsuite.TestUpdateCallback{
		OnAccept: func() { out.accepted = true },
		OnReject: func(err error) { out.rejected = err },
		OnComplete: func(v any, err error) {
			out.completed, out.err = true, err
			*done = env.Now()
		},
	}
}

// With SMTP down, a return answers as soon as it is recorded (the request
// no longer waits for the mail activity's retries, half an hour), a waive
// sent while the email is still being retried is not refused as busy, and
// the email is tried after the answer.
func TestUnitReport_ReturnAnswersOnceRecordedWhileTheEmailWaitsAndAWaiveIsNotBusy(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	env.mailDown = true
	uid := int64(5)
	returnAt, waiveAt := at(t, "2025-11-12 14:00"), at(t, "2025-11-12 14:03")
	var returned, waived updateOutcome
	var returnedDone, waivedDone time.Time
	env.RegisterDelayedCallback(func() { env.submit("s", validRequest(), &updateOutcome{}) }, at(t, "2025-11-10 09:00").Sub(env.Now()))
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateReviewReport, "return", timedCallbacks(env, &returned, &returnedDone),
			workflows.ReviewReportRequest{UserID: &uid, Comment: "Thiếu số liệu", DueOn: "2025-12-05"})
	}, returnAt.Sub(env.Now()))
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateWaiveReport, "waive", timedCallbacks(env, &waived, &waivedDone),
			workflows.WaiveReportRequest{UserID: &uid, Reason: "Đơn vị sáp nhập"})
	}, waiveAt.Sub(env.Now()))

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.True(t, returned.completed)
	require.NoError(t, returned.err)
	require.Less(t, returnedDone.Sub(returnAt), 5*time.Second, "the return answered at %s", returnedDone)
	require.NoError(t, waived.rejected, "a waive while the return's email is retried")
	require.True(t, waived.completed)
	require.NoError(t, waived.err)
	require.Less(t, waivedDone.Sub(waiveAt), 5*time.Second)
	var res workflows.UnitReportResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, "waived", res.Status)
	env.mu.Lock()
	defer env.mu.Unlock()
	require.Greater(t, len(env.mailTried), 1, "the email is retried after the answer")
	require.Equal(t, "returned", env.mailTried[0].Template)
	require.False(t, env.mailTried[0].At.Before(returnAt))
}

// With SMTP down, an accept answers within seconds; the workflow ends only
// after the email was tried as long as the mail activity retries.
func TestUnitReport_AcceptAnswersOnceRecordedWithSMTPDown(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	env.mailDown = true
	acceptAt := at(t, "2025-11-12 14:00")
	var accepted updateOutcome
	var acceptedDone time.Time
	env.RegisterDelayedCallback(func() { env.submit("s", validRequest(), &updateOutcome{}) }, at(t, "2025-11-10 09:00").Sub(env.Now()))
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateReviewReport, "accept", timedCallbacks(env, &accepted, &acceptedDone),
			workflows.ReviewReportRequest{Accept: true, Comment: "Đạt"})
	}, acceptAt.Sub(env.Now()))

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.True(t, accepted.completed)
	require.NoError(t, accepted.err)
	require.Less(t, acceptedDone.Sub(acceptAt), 5*time.Second, "the accept answered at %s", acceptedDone)
	var res workflows.UnitReportResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, "accepted", res.Status)
	env.mu.Lock()
	defer env.mu.Unlock()
	require.Len(t, env.mailTried, 10, "every attempt of the mail activity, after the answer")
	require.Equal(t, "accepted", env.mailTried[0].Template)
	require.Equal(t, env.reviews[0].Key, "accept", "the decision is keyed by the update's ID")
}
