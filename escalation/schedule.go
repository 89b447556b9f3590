package escalation

import (
	"fmt"
	"slices"

	"cascade/calendar"
)

// Planned is a step of the ladder placed on a concrete date for one due date.
type Planned struct {
	// Key identifies the step within the ladder, independent of the due date:
	// "T-7", "T+0", "T+3", "T+7", then "T+14", "T+21", … for the repeats.
	// It is the stable end of an idempotency key (see IdempotencyKey).
	Key string `json:"key"`
	// OffsetDays is the step's distance in calendar days from the due date.
	OffsetDays int `json:"offset_days"`
	// Nominal is the due date plus OffsetDays, before any adjustment.
	Nominal calendar.Date `json:"nominal"`
	// Date is the working day on which the step is sent.
	Date calendar.Date `json:"date"`
	// Audiences are who the step is sent to.
	Audiences []Audience `json:"audiences"`
	// Template names the message template.
	Template string `json:"template"`
	// Kind is reminder or escalation.
	Kind Kind `json:"kind"`
	// Repeat is 0 for a step of the ladder and n for the n-th repeat of the
	// last step.
	Repeat int `json:"repeat,omitempty"`
}

// IdempotencyKey returns scope/kind/key, e.g. with scope
// "plan/42/unit/7/cycle/2023" it returns
// "plan/42/unit/7/cycle/2023/reminder/T-7".
func (p Planned) IdempotencyKey(scope string) string {
	return scope + "/" + string(p.Kind) + "/" + p.Key
}

// OffsetKey returns the key of a step offset days from the due date: "T-7",
// "T+0", "T+3".
func OffsetKey(offset int) string {
	if offset < 0 {
		return fmt.Sprintf("T%d", offset)
	}
	return fmt.Sprintf("T+%d", offset)
}

// Schedule returns the steps of policy for a submission due on due, in ladder
// order and on strictly increasing working days of cal:
//
//   - due is the deadline as the caller already adjusted it (Calendar.Adjust;
//     it is adjusted again here, harmlessly). Offsets count calendar days
//     from it; the step at offset 0 is sent on the deadline itself.
//   - A step whose nominal date is a day off is sent on the next working day,
//     so nothing goes out during Tết.
//   - A step before the due date that this would push onto or past the
//     deadline (a reminder 7 days before a deadline just after Tết) is sent
//     on the last working day before its nominal date instead, so the advance
//     notice is not lost. If two such steps end up on the same day, the one
//     closer to the deadline supersedes the other, which is left out.
//   - A step on or after the due date that adjustment would put on or before
//     the previous step's date (T+3 and T+7 both right after Tết) is sent on
//     the next working day after it, so a workflow that moves on after each
//     date never skips a step.
//
// A nil cal means no adjustment: every day is a working day. Keys do not
// depend on due, so when a deadline moves a step keeps its key and an
// idempotent activity never sends it twice.
func Schedule(policy Policy, due calendar.Date, cal *calendar.Calendar) []Planned {
	var out []Planned
	if len(policy.Steps) == 0 {
		return out
	}
	deadline := adjust(cal, due)
	place := func(s Step, offset, repeat int) {
		nominal := due.AddDays(offset)
		d := adjust(cal, nominal)
		last := len(out) - 1
		switch {
		case offset < 0:
			if !d.Before(deadline) {
				d = previousWorkingDay(cal, nominal)
			}
			if last >= 0 && !d.After(out[last].Date) {
				out = out[:last]
			}
		case last >= 0 && !d.After(out[last].Date):
			d = nextWorkingDayAfter(cal, out[last].Date)
		}
		out = append(out, Planned{
			Key:        OffsetKey(offset),
			OffsetDays: offset,
			Nominal:    nominal,
			Date:       d,
			Audiences:  slices.Clone(s.Audiences),
			Template:   s.Template,
			Kind:       s.Kind,
			Repeat:     repeat,
		})
	}
	for _, s := range policy.Steps {
		place(s, s.OffsetDays, 0)
	}
	if policy.RepeatEveryDays > 0 {
		last := policy.Steps[len(policy.Steps)-1]
		for n := 1; n <= policy.MaxRepeats; n++ {
			place(last, last.OffsetDays+n*policy.RepeatEveryDays, n)
		}
	}
	return out
}

// Next returns the first step of Schedule(policy, due, cal) dated strictly
// after after whose key is not among sent, and false when none is left. It is
// how a workflow plans its next timer:
//
//   - after sending the step of date D, ask for Next(…, D, sent…); schedule
//     dates strictly increase, so no step of the same day is skipped;
//   - when a leader moves the deadline on day X, ask again with the new due
//     date and after = X: steps dated on or before X are past and never
//     re-planned, and sent (the keys already sent) keeps a step that the new
//     deadline moves back into the future from being planned a second time
//     (pass X-1 instead to also send a step the new schedule puts on X).
//
// Today is calendar.InVietnam(workflow.Now(ctx)).
func Next(policy Policy, due calendar.Date, cal *calendar.Calendar, after calendar.Date, sent ...string) (Planned, bool) {
	for _, p := range Schedule(policy, due, cal) {
		if p.Date.After(after) && !slices.Contains(sent, p.Key) {
			return p, true
		}
	}
	return Planned{}, false
}

// adjust is cal.Adjust, or d itself when there is no calendar.
func adjust(cal *calendar.Calendar, d calendar.Date) calendar.Date {
	if cal == nil {
		return d
	}
	return cal.Adjust(d)
}

// previousWorkingDay is cal.PreviousWorkingDay, or d itself when there is no
// calendar.
func previousWorkingDay(cal *calendar.Calendar, d calendar.Date) calendar.Date {
	if cal == nil {
		return d
	}
	return cal.PreviousWorkingDay(d)
}

// nextWorkingDayAfter returns the first working day after d.
func nextWorkingDayAfter(cal *calendar.Calendar, d calendar.Date) calendar.Date {
	if cal == nil {
		return d.AddDays(1)
	}
	return cal.AddWorkingDays(d, 1)
}
