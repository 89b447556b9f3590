package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"cascade/activities"
)

// PlanReminderInput is a leader's request to remind every unit that has not
// yet submitted its report ("đôn đốc"), now or at a given time.
type PlanReminderInput struct {
	PlanID int64
	// Key makes the request distinct: it is part of every email's
	// idempotency key, so a retried request never mails twice.
	Key string
	// At is when to send; zero or past sends at once.
	At time.Time
	// RequestedBy is the leader who asked.
	RequestedBy *int64
}

// PlanReminderResult counts what was sent.
type PlanReminderResult struct {
	Notifications int
}

// PlanReminder waits until the requested time on a durable timer, then
// reminds every unit of the plan whose report is still pending.
func PlanReminder(ctx workflow.Context, in PlanReminderInput) (*PlanReminderResult, error) {
	if wait := in.At.Sub(workflow.Now(ctx)); wait > 0 {
		if err := workflow.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
	var sent activities.RemindResult
	err := workflow.ExecuteActivity(mailActivity(ctx), a.RemindPending, activities.RemindPendingInput{
		PlanID: in.PlanID, Key: in.Key,
	}).Get(ctx, &sent)
	if err != nil {
		return nil, err
	}
	return &PlanReminderResult{Notifications: sent.Notifications}, nil
}
