package activities

import (
	"context"

	"go.temporal.io/sdk/temporal"

	"cascade/calendar"
	"cascade/escalation"
)

// LoadCalendar reads the working-day calendar with the days an admin added,
// for a workflow to place its deadline and reminders on.
func (a *Activities) LoadCalendar(ctx context.Context) (*calendar.Config, error) {
	cfg, err := a.store().CalendarConfig(ctx)
	if err != nil {
		return nil, err
	}
	return &cfg, nil
}

// PlanLadderInput is a ladder to place on the calendar: the policy, the
// deadline, and the days a pause held the ladder back.
type PlanLadderInput struct {
	Policy escalation.Policy
	DueOn  string // YYYY-MM-DD
	// HeldDays moves every step that many days later (to a working day):
	// the days the plan's escalations were paused while a step was due.
	HeldDays int `json:",omitempty"`
}

// PlanLadder places a ladder on the calendar as it is now, with the days an
// admin added. Workflows call it (as a local activity) before each step, so
// a day off added while a report waits moves the steps still ahead; its
// answer is recorded in the workflow's history, so a later change to the
// calendar or escalation code moves no timer of a running workflow on
// replay.
func (a *Activities) PlanLadder(ctx context.Context, in PlanLadderInput) ([]escalation.Planned, error) {
	cfg, err := a.store().CalendarConfig(ctx)
	if err != nil {
		return nil, err
	}
	return LadderSchedule(cfg, in)
}

// LadderSchedule is PlanLadder on a calendar configuration already read.
// A configuration that does not validate falls back to the statutory
// calendar, as the workflows do.
func LadderSchedule(cfg calendar.Config, in PlanLadderInput) ([]escalation.Planned, error) {
	due, err := calendar.ParseDate(in.DueOn)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError("bad due date", "BadInput", err)
	}
	cal, err := calendar.New(cfg)
	if err != nil {
		cal = calendar.Default()
	}
	steps := escalation.Schedule(in.Policy, due, cal)
	if in.HeldDays > 0 {
		prev := calendar.Date{}
		for i := range steps {
			d := cal.Adjust(steps[i].Date.AddDays(in.HeldDays))
			if !prev.IsZero() && !d.After(prev) {
				d = cal.NextWorkingDay(prev.AddDays(1))
			}
			steps[i].Date, prev = d, d
		}
	}
	return steps, nil
}
