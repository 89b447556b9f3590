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
func PlanWorkflowID(planID int64) string { return fmt.Sprintf("plan/%d", planID) }

// UnitReportID is the workflow ID of one unit's report for one cycle.
func UnitReportID(planID, cycleID, unitID int64) string {
	return fmt.Sprintf("plan/%d/cycle/%d/unit/%d", planID, cycleID, unitID)
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
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
}

// localActivity is for the short database reads and writes a workflow makes
// as it opens: run in the workflow's own task, they cost no activity task of
// their own on the server (a plan to 10,000 units opens 10,000 reports).
func localActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
}

// mailActivity is for activities that send email: an SMTP server that is
// down is retried with backoff for about an hour, then the outbox shows the
// failure.
func mailActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    5 * time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    10 * time.Minute,
			MaximumAttempts:    10,
		},
	})
}
