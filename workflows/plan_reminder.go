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
	remind := activities.RemindPendingInput{PlanID: in.PlanID, Key: in.Key}
	if workflow.GetVersion(ctx, versionReminderOutbox, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		var sent activities.RemindResult
		if err := workflow.ExecuteActivity(mailActivity(ctx), a.RemindPending, remind).Get(ctx, &sent); err != nil {
			return nil, err
		}
		return &PlanReminderResult{Notifications: sent.Notifications}, nil
	}
	var queued activities.QueuedBatch
	if err := workflow.ExecuteActivity(outboxActivity(ctx), a.QueueReminders, remind).Get(ctx, &queued); err != nil {
		return nil, err
	}
	err := workflow.ExecuteActivity(batchMailActivity(ctx), a.DeliverBatch, activities.DeliverBatchInput{Batch: queued.Batch}).Get(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &PlanReminderResult{Notifications: queued.Queued}, nil
}

// versionReminderOutbox names the change that split a reminder in two: its
// outbox rows are written first (QueueReminders), then delivered by an
// activity that heartbeats its progress and resumes where it stopped
// (DeliverBatch), with no attempt cap. Before it one RemindPending sent the
// emails one after another within a 2-minute timeout and 10 attempts, which
// a plan to 1,000 units behind a slow SMTP server exhausted.
const versionReminderOutbox = "reminder-outbox"

// outboxActivity is for an activity writing many outbox rows at once: a
// database write, idempotent by key, retried until it is done.
func outboxActivity(ctx workflow.Context) workflow.Context {
	return databaseActivity(ctx, 5*time.Minute)
}

// batchMailActivity is for DeliverBatch: a worker that dies is noticed by
// its heartbeat (20 s) and the next attempt resumes where the last
// heartbeat left off; as each attempt keeps what it sent, no number of
// attempts is too many: an SMTP server that is down is retried every 5
// minutes at most until it is back (cancelling the plan ends it). An attempt
// lasts an hour at most, then the next one carries on.
func batchMailActivity(ctx workflow.Context) workflow.Context {
	return sendingActivity(ctx, time.Hour, 5*time.Minute, 0)
}
