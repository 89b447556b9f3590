package reports_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/calendar"
	"cascade/reports"
)

func TestRedate_NewDue(t *testing.T) {
	cal := calendar.Default()
	d := func(s string) calendar.Date {
		v, err := calendar.ParseDate(s)
		require.NoError(t, err)
		return v
	}
	// Shifted by 7 days: Mon 2027-01-11 to Mon 2027-01-18; shifted onto a Saturday: the Monday after.
	got, changed := reports.Redate{ShiftDays: 7}.NewDue(reports.Deadline{Kind: "annual", DueOn: d("2027-01-11")}, cal)
	require.True(t, changed)
	require.Equal(t, "2027-01-18", got.String())
	got, _ = reports.Redate{ShiftDays: 5}.NewDue(reports.Deadline{Kind: "midterm", DueOn: d("2027-01-11")}, cal)
	require.Equal(t, "2027-01-18", got.String(), "Sat 16/01 moves to Mon 18/01")
	got, _ = reports.Redate{ShiftDays: -7}.NewDue(reports.Deadline{Kind: "annual", DueOn: d("2027-01-18")}, cal)
	require.Equal(t, "2027-01-11", got.String())

	// The annual day: its occurrence nearest the deadline now; other kinds stay.
	got, changed = reports.Redate{DueMonth: time.December, DueDay: 15}.NewDue(reports.Deadline{Kind: "annual", DueOn: d("2027-11-30")}, cal)
	require.True(t, changed)
	require.Equal(t, "2027-12-15", got.String())
	got, changed = reports.Redate{DueMonth: time.December, DueDay: 15}.NewDue(reports.Deadline{Kind: "final", DueOn: d("2027-11-30")}, cal)
	require.False(t, changed)
	require.Equal(t, "2027-11-30", got.String())
	// 29/02 in a common year is 28/02 (a Sunday in 2027: Monday 01/03).
	got, _ = reports.Redate{DueMonth: time.February, DueDay: 29}.NewDue(reports.Deadline{Kind: "annual", DueOn: d("2027-01-11")}, cal)
	require.Equal(t, "2027-03-01", got.String())
	got, _ = reports.Redate{DueMonth: time.February, DueDay: 29}.NewDue(reports.Deadline{Kind: "annual", DueOn: d("2028-01-11")}, cal)
	require.Equal(t, "2028-02-29", got.String())
	got, _ = reports.Redate{DueMonth: time.January, DueDay: 13}.NewDue(reports.Deadline{Kind: "annual", DueOn: d("2026-12-23")}, cal)
	require.Equal(t, "2027-01-13", got.String(), "the January after, not the one before")
	got, _ = reports.Redate{DueMonth: time.December, DueDay: 15}.NewDue(reports.Deadline{Kind: "annual", DueOn: d("2027-01-11")}, cal)
	require.Equal(t, "2026-12-15", got.String())
	// The same day: nothing changes.
	_, changed = reports.Redate{DueMonth: time.January, DueDay: 11}.NewDue(reports.Deadline{Kind: "annual", DueOn: d("2027-01-11")}, cal)
	require.False(t, changed)
}
