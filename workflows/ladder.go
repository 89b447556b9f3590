package workflows

import (
	"go.temporal.io/sdk/workflow"

	"cascade/calendar"
	"cascade/escalation"
)

// ladderRun is one deadline's escalation ladder as a workflow chases it.
type ladderRun struct {
	Policy escalation.Policy
	Due    calendar.Date
	Cal    *calendar.Calendar
	// Fresh is true for the first deadline of what is chased: steps already
	// past when it opens are not all sent, only the latest of them. A new
	// deadline (a return, a moved date) starts with the steps still ahead.
	Fresh bool
	// Interrupted is true once the ladder must stop: done, or a new deadline.
	Interrupted func() bool
	// Send sends one step; it answers true when what is chased is gone (its
	// plan cancelled), which ends the ladder.
	Send func(ctx workflow.Context, step escalation.Planned) (gone bool)
}

// runLadder sends each step of the ladder as its day comes until Interrupted
// holds or Send says what is chased is gone; once the ladder is exhausted it
// waits for Interrupted. It reports whether it ended because of Send.
//
// UnitReport (its chase) and TaskWorkflow both run on it, each with the
// plan's ladder and a Send of its own.
func runLadder(ctx workflow.Context, l ladderRun) (gone bool, err error) {
	steps := escalation.Schedule(l.Policy, l.Due, l.Cal)
	now := workflow.Now(ctx)
	i := 0
	if l.Fresh {
		for i+1 < len(steps) && !stepInstant(steps[i+1]).After(now) {
			i++
		}
	} else {
		for i < len(steps) && !stepInstant(steps[i]).After(now) {
			i++
		}
	}
	for ; i < len(steps) && !l.Interrupted(); i++ {
		s := steps[i]
		if wait := stepInstant(s).Sub(workflow.Now(ctx)); wait > 0 {
			ok, err := workflow.AwaitWithTimeout(ctx, wait, l.Interrupted)
			if err != nil {
				return false, err
			}
			if ok {
				return false, nil
			}
		}
		if l.Send(ctx, s) {
			return true, nil
		}
	}
	return false, workflow.Await(ctx, l.Interrupted)
}
