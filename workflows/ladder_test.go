package workflows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/calendar"
	"cascade/workflows"
)

// A pause longer than the whole ladder (T+91) holds it: once resumed the
// ladder goes on from the step it held, and every step of it still goes
// out, each as many days later as the pause held it.
func TestUnitReport_PauseLongerThanTheLadderHoldsItAndResumeContinues(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	resumed := at(t, "2026-02-20 09:00")
	env.RegisterDelayedCallback(func() {
		env.mu.Lock()
		env.paused = true
		env.mu.Unlock()
	}, at(t, "2025-11-01 09:00").Sub(env.Now()))
	env.RegisterDelayedCallback(func() {
		env.mu.Lock()
		env.paused = false
		env.mu.Unlock()
	}, resumed.Sub(env.Now()))
	env.submitAt(t, at(t, "2026-07-31 09:00"), "late", validRequest())

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	sent := env.sent()
	require.Len(t, sent, 16, "T-7, T+0, T+3, T+7 and the 12 weekly repeats: %v", sent)
	require.Equal(t, scope+"/reminder/T-7", sent[0].Key, "the ladder goes on from the step it held")
	require.False(t, sent[0].At.Before(resumed))
	require.Less(t, sent[0].At.Sub(resumed), 24*time.Hour, "the held step goes out within a day of the resume")
	require.Equal(t, scope+"/reminder/T+0", sent[1].Key)
	require.GreaterOrEqual(t, sent[1].At.Sub(sent[0].At), 6*24*time.Hour, "T+0 keeps its distance to T-7")
	keys := map[string]bool{}
	for _, s := range sent {
		require.False(t, keys[s.Key], "%s sent twice", s.Key)
		keys[s.Key] = true
	}
	env.mu.Lock()
	defer env.mu.Unlock()
	require.Positive(t, env.skipped, "the held step was tried while paused")
}

// A day off an admin adds while a report waits moves the steps still ahead:
// the calendar is read again before each step.
func TestUnitReport_ADayOffAddedWhileTheReportWaitsMovesTheNextStep(t *testing.T) {
	defer func() { adminDays = nil }()
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	env.RegisterDelayedCallback(func() {
		// The deadline, Friday 14/11, becomes a day off on 10/11.
		adminDays = []calendar.DayOff{{Date: calendar.NewDate(2025, time.November, 14), Name: "Nghỉ bù"}}
	}, at(t, "2025-11-10 09:00").Sub(env.Now()))
	env.submitAt(t, at(t, "2025-11-18 07:00"), "s", validRequest())

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []sentStep{
		{Key: scope + "/reminder/T-7", Template: "reminder_before_due", At: at(t, "2025-11-07 08:00")},
		{Key: scope + "/reminder/T+0", Template: "reminder_due_today", At: at(t, "2025-11-17 08:00")},
	}, env.sent(), "the reminder of the deadline goes out on the next working day, Monday 17/11")
}

// A report started again by the reconciler after it was returned chases
// the deadline its row holds, under the keys of its revision: steps the
// first workflow sent are the same outbox rows, not new emails.
func TestUnitReport_StartedAgainAfterAReturnChasesTheRowsDeadlineAndRevision(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-11-20 10:00"))
	env.openAs = &activities.OpenedReport{ReportID: 100, UnitTaskID: 200, Status: "returned", DueOn: "2025-12-05", Rev: 1}
	env.submitAt(t, at(t, "2025-12-04 09:00"), "s", validRequest())

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []sentStep{
		{Key: scope + "/rev/1/reminder/T-7", Template: "reminder_before_due", At: at(t, "2025-11-28 08:00")},
	}, env.sent(), "the returned deadline's ladder, not the first deadline's escalations")
}

// When the server suggests it (a long history: a plan's own ladder of up
// to 104 repeats), a report continues as new between two steps, and the
// next run goes on from the step after the last one sent.
func TestUnitReport_ContinuesAsNewWhenSuggestedAndGoesOnFromTheLadder(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	env.RegisterDelayedCallback(func() { env.SetContinueAsNewSuggested(true) }, at(t, "2025-11-20 09:00").Sub(env.Now()))

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	var can *workflow.ContinueAsNewError
	require.ErrorAs(t, env.GetWorkflowError(), &can)
	var next workflows.UnitReportInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	require.NotNil(t, next.Ladder)
	require.Equal(t, []string{"T+0", "T+3", "T-7"}, stepKeys(next.Ladder.Done))
	require.Len(t, env.sent(), 3)

	// The next run: T+7 on Friday 21/11, nothing sent twice.
	env2 := newUnitReportEnv(t, at(t, "2025-11-21 08:00"))
	env2.submitAt(t, at(t, "2025-11-24 09:00"), "s", validRequest())
	env2.ExecuteWorkflow(workflows.UnitReport, next)
	require.NoError(t, env2.GetWorkflowError())
	require.Equal(t, []sentStep{
		{Key: scope + "/escalation/T+7", Template: "escalation_standing_committee", At: at(t, "2025-11-21 08:00")},
	}, env2.sent())
}

// stepKeys are the ladder keys (T-7, T+0, …) of idempotency keys.
func stepKeys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k[strings.LastIndex(k, "/")+1:]
	}
	return out
}
