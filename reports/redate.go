package reports

import (
	"time"

	"cascade/calendar"
)

// Redate is how a leader re-dates a plan's open reports together: every
// deadline shifted by ShiftDays (negative: earlier), or the annual reports'
// deadline set to one day of the year (DueMonth, DueDay): the occurrence of
// that day nearest the report's deadline now (a report due 23/12 set to
// 13/01 is due in the January after). Exactly one of the two is set.
type Redate struct {
	ShiftDays int
	DueMonth  time.Month
	DueDay    int
}

// Deadline is an open report's deadline and its cycle's kind (annual,
// semiannual, midterm, final).
type Deadline struct {
	Kind  string
	DueOn calendar.Date
}

// NewDue is the report's deadline after the re-dating, a day off moved to
// the next working day as every deadline a leader sets; changed is false
// when the rule leaves the report as it is (a report other than an annual
// one under a due day, or a date that stays the same). 29/02 falls on 28/02
// in a common year.
func (r Redate) NewDue(o Deadline, cal *calendar.Calendar) (due calendar.Date, changed bool) {
	switch {
	case r.ShiftDays != 0:
		due = o.DueOn.AddDays(r.ShiftDays)
	case r.DueDay > 0 && o.Kind == "annual":
		for year := o.DueOn.Year - 1; year <= o.DueOn.Year+1; year++ {
			day := min(r.DueDay, calendar.NewDate(year, r.DueMonth+1, 0).Day)
			d := calendar.NewDate(year, r.DueMonth, day)
			if due.IsZero() || abs(d.DaysSince(o.DueOn)) < abs(due.DaysSince(o.DueOn)) {
				due = d
			}
		}
	default:
		return o.DueOn, false
	}
	due = cal.Adjust(due)
	return due, due != o.DueOn
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
