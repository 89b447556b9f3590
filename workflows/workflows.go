// Package workflows is the contract of Cascade's Temporal workflows: the
// workflow functions, their inputs and results, the update and signal names
// the API uses, and the workflow IDs. Everything here is deterministic: data a
// user reads lives in PostgreSQL and is written by activities.
package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
)

// DefaultTaskQueue is the task queue of Cascade's workflows and activities
// unless TASK_QUEUE says otherwise.
const DefaultTaskQueue = "cascade"

// UpdateSubmitReport is the Update a unit's report submission arrives by; its
// validator refuses a bad submission before anything is recorded.
const UpdateSubmitReport = "submit-report"

// PlanWorkflowID is the workflow ID of an issued plan's lifecycle.
func PlanWorkflowID(planID int64) string { return activities.PlanWorkflowID(planID) }

// UnitReportID is the workflow ID of one unit's report for one cycle.
func UnitReportID(planID, cycleID, unitID int64) string {
	return activities.UnitReportWorkflowID(planID, cycleID, unitID)
}

// PlanReminderID is the workflow ID of a leader's reminder to a plan's
// units; key makes each request distinct.
func PlanReminderID(planID int64, key string) string {
	return fmt.Sprintf("plan/%d/reminder/%s", planID, key)
}

// a is the nil receiver workflows name activities by.
var a *activities.Activities

// shortActivity is for activities that only touch the database.
func shortActivity(ctx workflow.Context) workflow.Context {
	return databaseActivity(ctx, 30*time.Second)
}

// databaseActivity is for an activity that writes to the database within
// timeout an attempt: idempotent by key, retried until it is done.
func databaseActivity(ctx workflow.Context, timeout time.Duration) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: timeout, RetryPolicy: databaseRetry()})
}

// databaseRetry retries a database call every second at first, then at
// most every minute, with no cap on attempts.
func databaseRetry() *temporal.RetryPolicy {
	return &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute}
}

// decisionActivity is for the activity an update handler records its
// decision by: bounded, so that a database that does not answer fails the
// request in about two minutes instead of holding it (and the report's
// other updates) for ever.
func decisionActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    15 * time.Second,
			MaximumAttempts:    6,
		},
	})
}

// versionMailAfterDecision names the change that made an update handler
// answer once its decision is recorded: the email that tells the unit goes
// afterwards, from the workflow's mail queue (mailQueue), not inside the
// handler. Before it, accept, return and confirm waited for the email, and
// with SMTP down held the request (and refused other updates as busy) for
// as long as the mail activity retried.
const versionMailAfterDecision = "mail-after-decision"

// mailQueue holds the emails update handlers leave for the workflow to send
// after they answered; one coroutine sends them in order.
type mailQueue struct {
	pending []func(ctx workflow.Context)
}

// start runs the coroutine that sends what is queued. It issues no command
// until something is queued, so workflows whose histories were recorded
// before it replay unchanged.
func (q *mailQueue) start(ctx workflow.Context) {
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			if err := workflow.Await(ctx, func() bool { return len(q.pending) > 0 }); err != nil {
				return
			}
			q.pending[0](ctx)
			q.pending = q.pending[1:]
		}
	})
}

// add queues send.
func (q *mailQueue) add(send func(ctx workflow.Context)) { q.pending = append(q.pending, send) }

// empty is true once everything queued was sent (or gave up).
func (q *mailQueue) empty() bool { return len(q.pending) == 0 }

// mailAfterDecision answers, in an update handler, whether its email goes
// through the queue (true) or inside the handler as before.
func mailAfterDecision(ctx workflow.Context) bool {
	return workflow.GetVersion(ctx, versionMailAfterDecision, workflow.DefaultVersion, 1) == 1
}

// localActivity is for the short database reads and writes a workflow makes
// as it opens: run in the workflow's own task, they cost no activity task of
// their own on the server (a plan to 10,000 units opens 10,000 reports).
func localActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: 30 * time.Second, RetryPolicy: databaseRetry()})
}

// mailActivity is for activities that send a few emails: an SMTP server
// that is down is retried with backoff for about an hour, then the outbox
// shows the failure. They heartbeat while their emails wait for one of the
// server's SMTP_CONCURRENCY connections (a ladder's thousand steps due at
// once queue there), so a crashed worker is noticed in 20 s, and a wait is
// not mistaken for a hang.
func mailActivity(ctx workflow.Context) workflow.Context {
	return sendingActivity(ctx, 10*time.Minute, 10*time.Minute, 10)
}

// sendingActivity is for an activity that sends email and heartbeats while
// it does (every 20 s at most, so a crashed worker is noticed): an attempt
// lasts timeout at most; a failed one is retried after 5 s, then at
// intervals doubling up to maxInterval, attempts times in all (0: no cap).
func sendingActivity(ctx workflow.Context, timeout, maxInterval time.Duration, attempts int32) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: timeout,
		HeartbeatTimeout:    20 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    5 * time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    maxInterval,
			MaximumAttempts:    attempts,
		},
	})
}
