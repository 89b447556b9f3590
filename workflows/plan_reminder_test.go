package workflows_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"

	"cascade/activities"
	"cascade/workflows"
)

func TestPlanReminder_WaitsForTheRequestedTime(t *testing.T) {
	start := at(t, "2026-03-02 16:45")
	when := start.Add(3 * 24 * time.Hour)
	env := newEnv(t)
	env.SetStartTime(start)
	env.RegisterWorkflow(workflows.PlanReminder)
	var queued []activities.RemindPendingInput
	var delivered []activities.DeliverBatchInput
	var sentAt []time.Time
	env.OnActivity(a.QueueReminders, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RemindPendingInput) (*activities.QueuedBatch, error) {
			queued = append(queued, in)
			return &activities.QueuedBatch{Batch: activities.ReminderBatch(in.PlanID, in.Key), Queued: 5}, nil
		}).Once()
	env.OnActivity(a.DeliverBatch, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.DeliverBatchInput) (*activities.DeliverBatchResult, error) {
			delivered = append(delivered, in)
			sentAt = append(sentAt, env.Now().In(ict))
			return &activities.DeliverBatchResult{Sent: 5}, nil
		}).Once()
	leader := int64(3)

	env.ExecuteWorkflow(workflows.PlanReminder, workflows.PlanReminderInput{
		PlanID: planID, Key: "req-8f2c", At: when, RequestedBy: &leader,
	})

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []activities.RemindPendingInput{{PlanID: planID, Key: "req-8f2c"}}, queued)
	require.Equal(t, []activities.DeliverBatchInput{{Batch: "plan/42/reminder/req-8f2c"}}, delivered)
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
			env.OnActivity(a.QueueReminders, mock.Anything, mock.Anything).Return(&activities.QueuedBatch{Batch: "b", Queued: 1}, nil).Once()
			env.OnActivity(a.DeliverBatch, mock.Anything, mock.Anything).Return(
				func(_ context.Context, in activities.DeliverBatchInput) (*activities.DeliverBatchResult, error) {
					sentAt = append(sentAt, env.Now().In(ict))
					return &activities.DeliverBatchResult{Sent: 1}, nil
				}).Once()

			env.ExecuteWorkflow(workflows.PlanReminder, workflows.PlanReminderInput{PlanID: planID, Key: "now", At: when})

			require.NoError(t, env.GetWorkflowError())
			require.Equal(t, []time.Time{start}, sentAt)
		})
	}
}

// TestPlanReminder_DeliveryIsRetriedUntilTheServerIsBack: an SMTP server
// down delays the reminder, it does not lose it: the delivery heartbeats
// (a dead worker is noticed in 20 s), is retried with backoff up to 5
// minutes without a cap on attempts (the test environment itself stops at
// ten: nine fail here), and the rows are written once.
func TestPlanReminder_DeliveryIsRetriedUntilTheServerIsBack(t *testing.T) {
	start := at(t, "2026-03-02 09:00")
	env := newEnv(t)
	env.SetStartTime(start)
	env.RegisterWorkflow(workflows.PlanReminder)
	queued := 0
	env.OnActivity(a.QueueReminders, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RemindPendingInput) (*activities.QueuedBatch, error) {
			queued++
			return &activities.QueuedBatch{Batch: activities.ReminderBatch(in.PlanID, in.Key), Queued: 1017}, nil
		})
	var attempts []time.Duration
	var info []activity.Info
	env.OnActivity(a.DeliverBatch, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, _ activities.DeliverBatchInput) (*activities.DeliverBatchResult, error) {
			attempts = append(attempts, env.Now().Sub(start))
			info = append(info, activity.GetInfo(ctx))
			if len(attempts) < 10 {
				return nil, errors.New("dial tcp 127.0.0.1:25: connection refused")
			}
			return &activities.DeliverBatchResult{Sent: 1017}, nil
		})

	env.ExecuteWorkflow(workflows.PlanReminder, workflows.PlanReminderInput{PlanID: planID, Key: "down"})

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, 1, queued)
	require.Len(t, attempts, 10)
	require.Equal(t, 5*time.Second, attempts[1]-attempts[0])
	require.Equal(t, 5*time.Minute, attempts[9]-attempts[8], "backs off to 5 minutes at most")
	require.Equal(t, 20*time.Second, info[0].HeartbeatTimeout)
	var res workflows.PlanReminderResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, 1017, res.Notifications)
}
