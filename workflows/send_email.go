package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"
)

// SendEmailID is the workflow ID that delivers one outbox row.
func SendEmailID(notificationID int64) string { return fmt.Sprintf("email/%d", notificationID) }

// SendEmailInput names an outbox row the API wrote. The row holds the
// message; the workflow history holds only its id, so a secret in the
// message (a reset link) never reaches Temporal.
type SendEmailInput struct {
	NotificationID int64
}

// SendEmail delivers one outbox row with the mail retry policy.
func SendEmail(ctx workflow.Context, in SendEmailInput) error {
	return workflow.ExecuteActivity(mailActivity(ctx), a.DeliverNotification, in.NotificationID).Get(ctx, nil)
}
