package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"cascade/activities"
	"cascade/workflows"
)

func TestPlanReminder_WaitsForTheRequestedTime(t *testing.T) {
	start := at(t, "2026-03-02 16:45")
	when := start.Add(3 * 24 * time.Hour)
	env := newEnv(t)
	env.SetStartTime(start)
	env.RegisterWorkflow(workflows.PlanReminder)
	var calls []activities.RemindPendingInput
	var sentAt []time.Time
	env.OnActivity(a.RemindPending, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RemindPendingInput) (*activities.RemindResult, error) {
			calls = append(calls, in)
			sentAt = append(sentAt, env.Now().In(ict))
			return &activities.RemindResult{Notifications: 5}, nil
		}).Once()
	leader := int64(3)

	env.ExecuteWorkflow(workflows.PlanReminder, workflows.PlanReminderInput{
		PlanID: planID, Key: "req-8f2c", At: when, RequestedBy: &leader,
	})

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []activities.RemindPendingInput{{PlanID: planID, Key: "req-8f2c"}}, calls)
	require.Equal(t, []time.Time{when}, sentAt)
	var res workflows.PlanReminderResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, workflows.PlanReminderResult{Notifications: 5}, res)
	env.AssertExpectations(t)
}

func TestPlanReminder_SendsAtOnceWhenTheTimeIsPastOrZero(t *testing.T) {
	start := at(t, "2026-03-02 16:45")
	for name, when := range map[string]time.Time{"zero": {}, "past": start.Add(-time.Hour)} {
		t.Run(name, func(t *testing.T) {
			env := newEnv(t)
			env.SetStartTime(start)
			env.RegisterWorkflow(workflows.PlanReminder)
			var sentAt []time.Time
			env.OnActivity(a.RemindPending, mock.Anything, mock.Anything).Return(
				func(_ context.Context, in activities.RemindPendingInput) (*activities.RemindResult, error) {
					sentAt = append(sentAt, env.Now().In(ict))
					return &activities.RemindResult{Notifications: 1}, nil
				}).Once()

			env.ExecuteWorkflow(workflows.PlanReminder, workflows.PlanReminderInput{PlanID: planID, Key: "now", At: when})

			require.NoError(t, env.GetWorkflowError())
			require.Equal(t, []time.Time{start}, sentAt)
		})
	}
}
