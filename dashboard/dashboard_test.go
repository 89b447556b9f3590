package dashboard_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/dashboard"
	"cascade/store"
	"cascade/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

func day(y int, m time.Month, d int) store.Date {
	return store.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// vn is a moment in Vietnam's time (UTC+7).
func vn(m time.Month, d, hour, minute int) time.Time {
	return time.Date(2026, m, d, hour-7, minute, 0, 0, time.UTC)
}

// TestTimeliness_FirstSubmissionAgainstTheDeadlineTheReportOpenedWith
// counts timeliness as DHIS2 does. The cycle is due on Sunday 13/12/2026,
// so its reports open due Monday 14/12:
//
//	A first sent 10/12 (on time), returned due 18/12, resent 21/12: on time
//	B not sent by 14/12, deadline moved to 31/12, sent 20/12: late (6 days)
//	C sent 14/12 at 23:30 in Vietnam (16:30 UTC): on time
//	D first sent 18/12 (late), returned due 30/12, resent 25/12: late (4 days)
//	E not sent: not received, 22 days late on 05/01/2027
//
// 5 expected, 4 received, 2 on time (A, C): timeliness 2/5. Reading the
// current deadline and the last submission instead would give B, C and D.
func TestTimeliness_FirstSubmissionAgainstTheDeadlineTheReportOpenedWith(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	st := store.New(db)
	root := storetest.Root(t, db)
	names := []string{"A", "B", "C", "D", "E"}
	units := map[string]store.Unit{}
	var ids []int64
	for _, n := range names {
		u, err := st.CreateUnit(ctx, store.Unit{ParentID: &root.ID, Kind: "district", Code: "T-" + storetest.Unique(), Name: "Huyện " + n})
		require.NoError(t, err)
		units[n] = u
		ids = append(ids, u.ID)
	}
	goal := 10.0
	planID, err := st.CreatePlan(ctx, store.NewPlan{
		Plan:    store.Plan{Title: "K", IssuerUnitID: &root.ID, TermStartYear: 2026, TermEndYear: 2030},
		UnitIDs: ids,
		Targets: []store.Target{{Text: "Hộ", Value: &goal, Direction: "at_least", Measure: "count"}},
		Cycles:  []store.ReportCycle{{Kind: "annual", Year: 2026, DueOn: day(2026, 12, 13)}},
	})
	require.NoError(t, err)
	plan, err := st.PlanView(ctx, planID, nil, 0)
	require.NoError(t, err)
	cycles, err := st.ReportCycles(ctx, planID)
	require.NoError(t, err)
	targets, err := st.Targets(ctx, planID)
	require.NoError(t, err)
	reports := map[string]store.Report{}
	for _, n := range names {
		r, err := st.OpenReport(ctx, cycles[0].ID, units[n].ID, day(2026, 12, 14)) // Sunday's deadline moved to Monday
		require.NoError(t, err)
		reports[n] = r
	}
	v := 1.0
	submit := func(n string, at time.Time) {
		require.NoError(t, st.SubmitReport(ctx, reports[n].ID, nil, at, []store.ReportValue{{TargetID: targets[0].ID, Value: &v}}))
	}
	move := func(n, action string, due store.Date) {
		require.NoError(t, st.ReviewReport(ctx, store.ReportReview{ReportID: reports[n].ID, Action: action, Comment: "x", DueOn: &due, At: time.Now()}))
	}
	submit("A", vn(12, 10, 9, 0))
	move("A", "return", day(2026, 12, 18))
	submit("A", vn(12, 21, 9, 0))
	move("B", "deadline", day(2026, 12, 31))
	submit("B", vn(12, 20, 9, 0))
	submit("C", vn(12, 14, 23, 30))
	submit("D", vn(12, 18, 9, 0))
	move("D", "return", day(2026, 12, 30))
	submit("D", vn(12, 25, 9, 0))

	today := time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)
	d, err := dashboard.Build(ctx, st, plan, root, 0, today)
	require.NoError(t, err)
	require.Equal(t, 5, d.Completeness.Expected)
	require.Equal(t, 4, d.Completeness.Received)
	require.Equal(t, 2, d.Completeness.OnTime, "A and C")
	require.InDelta(t, 2.0/5, d.Completeness.Timeliness, 1e-9)
	onTime := map[int64]int{}
	for _, c := range d.Children {
		onTime[c.Unit.ID] = c.OnTime
	}
	require.Equal(t, map[int64]int{units["A"].ID: 1, units["B"].ID: 0, units["C"].ID: 1, units["D"].ID: 0, units["E"].ID: 0}, onTime)

	m, err := dashboard.BuildMatrix(ctx, st, plan, root, today, dashboard.Page{Limit: 100})
	require.NoError(t, err)
	type cell struct {
		status          string
		late            int
		due, original   string
		firstOn, lastOn string
	}
	got := map[string]cell{}
	for _, row := range m.Units {
		c := row.Cells[0]
		e := cell{status: c.Status, late: c.DaysLate, due: *c.DueOn, original: *c.OriginalDueOn}
		if c.FirstSubmittedAt != nil {
			e.firstOn, e.lastOn = c.FirstSubmittedAt.UTC().Format("02/01 15:04"), c.SubmittedAt.UTC().Format("02/01 15:04")
		}
		got[row.Unit.Name] = e
	}
	require.Equal(t, map[string]cell{
		"Huyện A": {"submitted", 0, "2026-12-18", "2026-12-14", "10/12 02:00", "21/12 02:00"},
		"Huyện B": {"submitted", 6, "2026-12-31", "2026-12-14", "20/12 02:00", "20/12 02:00"},
		"Huyện C": {"submitted", 0, "2026-12-14", "2026-12-14", "14/12 16:30", "14/12 16:30"},
		"Huyện D": {"submitted", 4, "2026-12-30", "2026-12-14", "18/12 02:00", "25/12 02:00"},
		"Huyện E": {"late", 22, "2026-12-14", "2026-12-14", "", ""},
	}, got)
}
