package workflows_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"cascade/workflows"
)

func TestSendEmail_DeliversTheOutboxRowItNames(t *testing.T) {
	env := newEnv(t)
	env.RegisterWorkflow(workflows.SendEmail)
	env.OnActivity(a.DeliverNotification, mock.Anything, int64(314)).Return(nil).Once()

	env.ExecuteWorkflow(workflows.SendEmail, workflows.SendEmailInput{NotificationID: 314})

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	env.AssertExpectations(t)
	require.Equal(t, "email/314", workflows.SendEmailID(314))
}

func TestSendEmail_RetriesAnSMTPServerThatIsDownThenGivesUp(t *testing.T) {
	start := at(t, "2026-03-02 09:00")
	env := newEnv(t)
	env.SetStartTime(start)
	env.RegisterWorkflow(workflows.SendEmail)
	var attempts []time.Duration
	env.OnActivity(a.DeliverNotification, mock.Anything, int64(314)).Return(
		func(context.Context, int64) error {
			attempts = append(attempts, env.Now().Sub(start))
			return errors.New("dial tcp: connection refused")
		})

	env.ExecuteWorkflow(workflows.SendEmail, workflows.SendEmailInput{NotificationID: 314})

	require.True(t, env.IsWorkflowCompleted())
	require.Error(t, env.GetWorkflowError())
	// Ten attempts, 5 s apart at first, doubling up to 10 minutes.
	require.Len(t, attempts, 10)
	require.Equal(t, time.Duration(0), attempts[0])
	require.Equal(t, 5*time.Second, attempts[1]-attempts[0])
	require.Equal(t, 10*time.Second, attempts[2]-attempts[1])
	require.Equal(t, 10*time.Minute, attempts[9]-attempts[8])
}
