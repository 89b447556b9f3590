package workflows

import (
	"errors"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/calendar"
	"cascade/escalation"
)

// stepOutcome is what sending one step of a ladder came to.
type stepOutcome int

const (
	// stepSent: the step went out (or failed and is in the outbox).
	stepSent stepOutcome = iota
	// stepGone: what is chased is gone (its plan cancelled); the ladder ends.
	stepGone
	// stepHeld: the plan's escalations are paused; nothing was sent.
	stepHeld
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
	// Send sends one step.
	Send func(ctx workflow.Context, step escalation.Planned) stepOutcome
	// Resume is where the run this one continues left the ladder (nil for
	// a ladder started afresh).
	Resume *LadderState
	// Progress, when set, receives where the ladder is after each step, for
	// the workflow to continue as new from.
	Progress func(LadderState)
}

// LadderState is where a ladder stands, carried over a continue-as-new:
// the steps sent (or left behind) and the days pauses held it.
type LadderState struct {
	Rev      int      `json:",omitempty"`
	HeldDays int      `json:",omitempty"`
	Done     []string `json:",omitempty"`
}

// errContinueAsNew is what runLadder answers when the server suggests the
// workflow continue as new (its history grew long: a plan's own ladder of
// up to 104 repeats, returns and moved deadlines); the workflow then
// continues as new from the ladder's Progress.
var errContinueAsNew = errors.New("continue as new suggested")

// versionLadderRereads names the change that made a ladder re-read the
// calendar before each step (a day off added while a report waits moves
// the steps still ahead) and hold while its plan's escalations are paused
// (resumed, it goes on from the step it held, every later step as many days
// later). Before it, the schedule was computed once from the calendar read
// when the workflow opened, and a step due while paused was skipped.
const versionLadderRereads = "ladder-rereads"

// ladderRecheck is the longest a ladder waits without reading the calendar
// again: a step that a day off added moves earlier is sent at most this late.
const ladderRecheck = 7 * 24 * time.Hour

// pauseRecheck is how often a ladder held by a pause looks whether its plan
// was resumed.
const pauseRecheck = 24 * time.Hour

// runLadder sends each step of the ladder as its day comes until Interrupted
// holds or Send says what is chased is gone; once the ladder is exhausted it
// waits for Interrupted. It reports whether it ended because of Send.
//
// UnitReport (its chase) and TaskWorkflow both run on it, each with the
// plan's ladder and a Send of its own.
func runLadder(ctx workflow.Context, l ladderRun) (gone bool, err error) {
	if workflow.GetVersion(ctx, versionLadderRereads, workflow.DefaultVersion, 1) == 1 {
		return runLadderRereading(ctx, l)
	}
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
		if l.Send(ctx, s) == stepGone {
			return true, nil
		}
	}
	return false, workflow.Await(ctx, l.Interrupted)
}

// runLadderRereading is runLadder since versionLadderRereads. Before each
// step (and at least weekly while it waits) it places the ladder on the
// calendar as it is then, through the PlanLadder local activity: its answer
// is recorded in the history, so what a running workflow waits for is the
// schedule it computed, whatever the calendar or escalation code becomes.
// Steps are known by their keys: one sent is not sent again when the
// calendar moves it.
//
// Pause: a step due while the plan's escalations are paused is held (Send
// answers stepHeld): the ladder looks again every day and, once resumed,
// sends that step and moves every later step as many days as it was held.
// Steps that fell due during the pause are therefore not lost nor sent in
// a burst: the ladder goes on from where it stopped.
func runLadderRereading(ctx workflow.Context, l ladderRun) (gone bool, err error) {
	done := map[string]bool{}
	held := 0                // days the ladder was held back by pauses
	var heldSince *time.Time // when the step now held was first due
	first := true
	var resumed []string
	if l.Resume != nil {
		resumed = l.Resume.Done
		for _, k := range l.Resume.Done {
			done[k] = true
		}
		held, first = l.Resume.HeldDays, false
	}
	for !l.Interrupted() {
		if heldSince == nil && workflow.GetInfo(ctx).GetContinueAsNewSuggested() && l.Progress != nil {
			return false, errContinueAsNew
		}
		var steps []escalation.Planned
		err := workflow.ExecuteLocalActivity(localActivity(ctx), a.PlanLadder, activities.PlanLadderInput{
			Policy: l.Policy, DueOn: l.Due.String(), HeldDays: held,
		}).Get(ctx, &steps)
		if err != nil {
			return false, err
		}
		now := workflow.Now(ctx)
		if first {
			first = false
			// Steps already past: for a fresh deadline only the latest of
			// them goes out; for a new one, none.
			last := -1
			for i, s := range steps {
				if !stepInstant(s).After(now) {
					last = i
				}
			}
			for i := 0; i <= last; i++ {
				if !(l.Fresh && i == last) {
					done[steps[i].Key] = true
				}
			}
		}
		var next *escalation.Planned
		for i := range steps {
			if !done[steps[i].Key] {
				next = &steps[i]
				break
			}
		}
		if next == nil {
			return false, workflow.Await(ctx, l.Interrupted)
		}
		if wait := stepInstant(*next).Sub(now); wait > 0 && heldSince == nil {
			ok, err := workflow.AwaitWithTimeout(ctx, min(wait, ladderRecheck), l.Interrupted)
			if err != nil || ok {
				return false, err
			}
			continue // read the calendar again before the step
		}
		switch l.Send(ctx, *next) {
		case stepGone:
			return true, nil
		case stepHeld:
			if heldSince == nil {
				t := stepInstant(*next)
				heldSince = &t
			}
			ok, err := workflow.AwaitWithTimeout(ctx, pauseRecheck, l.Interrupted)
			if err != nil || ok {
				return false, err
			}
			continue
		}
		if heldSince != nil {
			// Resumed: the steps after this one keep their distance to it.
			held += int(workflow.Now(ctx).Sub(*heldSince) / (24 * time.Hour))
			heldSince = nil
		}
		done[next.Key] = true
		if l.Progress != nil {
			// The keys in the schedule's order, from the last reading (no
			// iteration over the map: deterministic by construction).
			var keys []string
			for _, st := range steps {
				if done[st.Key] {
					keys = append(keys, st.Key)
				}
			}
			for _, k := range resumed {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			l.Progress(LadderState{HeldDays: held, Done: keys})
		}
	}
	return false, nil
}
