package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/store"
	"cascade/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestTargetSums_FollowSubmissionReturnResubmissionAndMoves checks the
// rollup the triggers keep against what a user did: a submitted report
// counts at every ancestor, a returned one no longer, a resubmission with
// its new figures, and a unit moved to another district counts there.
func TestTargetSums_FollowSubmissionReturnResubmissionAndMoves(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	s := store.New(db)
	root := storetest.Root(t, db)
	mk := func(parent store.Unit, kind string) store.Unit {
		u, err := s.CreateUnit(ctx, store.Unit{ParentID: &parent.ID, Kind: kind, Code: "S-" + storetest.Unique(), Name: "Hội LHPN " + kind})
		require.NoError(t, err)
		return u
	}
	d1, d2 := mk(root, "district"), mk(root, "district")
	c := mk(d1, "commune")
	v := 100.0
	planID, err := s.CreatePlan(ctx, store.NewPlan{
		Plan:    store.Plan{Title: "K", IssuerUnitID: &root.ID, TermStartYear: 2026, TermEndYear: 2030},
		UnitIDs: []int64{c.ID},
		Targets: []store.Target{{Text: "Hộ", Value: &v, Direction: "at_least", Measure: "count"}, {Text: "Tỷ lệ", Value: &v, Direction: "at_most", Measure: "percent"}},
		Cycles:  []store.ReportCycle{{Kind: "annual", Year: 2026, DueOn: store.Date{Time: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)}}},
	})
	require.NoError(t, err)
	cycles, _ := s.ReportCycles(ctx, planID)
	targets, _ := s.Targets(ctx, planID)
	r, err := s.OpenReport(ctx, cycles[0].ID, c.ID, cycles[0].DueOn)
	require.NoError(t, err)
	f := func(x float64) *float64 { return &x }
	submit := func(count, num, den float64) {
		require.NoError(t, db.WithTx(ctx, func(tx *store.Store) error {
			return tx.SubmitReport(ctx, r.ID, nil, time.Now(), []store.ReportValue{
				{TargetID: targets[0].ID, Value: f(count)}, {TargetID: targets[1].ID, Numerator: f(num), Denominator: f(den)}})
		}))
	}
	at := func(u store.Unit) []float64 {
		rows, err := s.TargetSums(ctx, planID, u.ID)
		require.NoError(t, err)
		out := []float64{0, 0, 0}
		for _, row := range rows {
			if row.TargetID == targets[0].ID {
				out[0] = row.Value
			} else {
				out[1], out[2] = row.Numerator, row.Denominator
			}
		}
		return out
	}
	require.Equal(t, []float64{0, 0, 0}, at(root), "a pending report counts nowhere")
	submit(40, 3, 30)
	for _, u := range []store.Unit{c, d1, root} {
		require.Equal(t, []float64{40, 3, 30}, at(u))
	}
	require.Equal(t, []float64{0, 0, 0}, at(d2))
	submit(40, 3, 30) // a retried submission: the same, not twice
	require.Equal(t, []float64{40, 3, 30}, at(root))

	due := store.Date{Time: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)}
	require.NoError(t, s.ReviewReport(ctx, store.ReportReview{ReportID: r.ID, Action: "return", Comment: "bổ sung", DueOn: &due, At: time.Now()}))
	require.Equal(t, []float64{0, 0, 0}, at(root), "a returned report no longer counts")
	submit(55, 4, 30)
	require.Equal(t, []float64{55, 4, 30}, at(d1))
	require.NoError(t, s.ReviewReport(ctx, store.ReportReview{ReportID: r.ID, Action: "accept", At: time.Now()}))
	require.Equal(t, []float64{55, 4, 30}, at(root))

	_, err = s.MoveUnit(ctx, c, d2)
	require.NoError(t, err)
	require.Equal(t, []float64{0, 0, 0}, at(d1))
	require.Equal(t, []float64{55, 4, 30}, at(d2))
	require.Equal(t, []float64{55, 4, 30}, at(root))
}

// provinceFixture is a province with three districts on one plan with a
// count and a percentage target and two annual cycles.
type provinceFixture struct {
	s            *store.Store
	db           *store.DB
	root         store.Unit
	d            [3]store.Unit
	plan         int64
	c1, c2       store.ReportCycle
	count, ratio int64
}

func newProvinceFixture(t *testing.T) *provinceFixture {
	t.Helper()
	db := storetest.Open(t)
	ctx := context.Background()
	f := &provinceFixture{s: store.New(db), db: db, root: storetest.Root(t, db)}
	for i := range f.d {
		u, err := f.s.CreateUnit(ctx, store.Unit{ParentID: &f.root.ID, Kind: "district", Code: "P-" + storetest.Unique(), Name: "Hội LHPN huyện " + storetest.Unique()})
		require.NoError(t, err)
		f.d[i] = u
	}
	v := 1000.0
	var err error
	f.plan, err = f.s.CreatePlan(ctx, store.NewPlan{
		Plan:    store.Plan{Title: "K", IssuerUnitID: &f.root.ID, TermStartYear: 2026, TermEndYear: 2030},
		UnitIDs: []int64{f.d[0].ID, f.d[1].ID, f.d[2].ID},
		Targets: []store.Target{{Text: "Hộ", Value: &v, Direction: "at_least", Measure: "count"}, {Text: "Tỷ lệ", Value: &v, Direction: "at_most", Measure: "percent"}},
		Cycles: []store.ReportCycle{
			{Kind: "annual", Year: 2026, DueOn: store.Date{Time: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)}},
			{Kind: "annual", Year: 2027, DueOn: store.Date{Time: time.Date(2027, 12, 15, 0, 0, 0, 0, time.UTC)}},
		},
	})
	require.NoError(t, err)
	cycles, err := f.s.ReportCycles(ctx, f.plan)
	require.NoError(t, err)
	f.c1, f.c2 = cycles[0], cycles[1]
	targets, err := f.s.Targets(ctx, f.plan)
	require.NoError(t, err)
	f.count, f.ratio = targets[0].ID, targets[1].ID
	return f
}

// submit opens u's report of cycle c and submits a count and num/den.
func (f *provinceFixture) submit(t *testing.T, u store.Unit, c store.ReportCycle, at time.Time, count, num, den float64) store.Report {
	t.Helper()
	ctx := context.Background()
	r, err := f.s.OpenReport(ctx, c.ID, u.ID, c.DueOn)
	require.NoError(t, err)
	require.NoError(t, f.s.SubmitReport(ctx, r.ID, nil, at, []store.ReportValue{
		{TargetID: f.count, Value: &count}, {TargetID: f.ratio, Numerator: &num, Denominator: &den}}))
	return r
}

// TestCarriedSums_APartlyReportedCycleKeepsEveryUnitsLatestFigure is the
// province mid-cycle: three districts sent cycle 1 (100, 200, 300), one
// has sent cycle 2 (150) and another's cycle 2 was returned. The province
// as of cycle 2 is 150 + 200 + 300 = 650, not 150.
func TestCarriedSums_APartlyReportedCycleKeepsEveryUnitsLatestFigure(t *testing.T) {
	f := newProvinceFixture(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC)
	f.submit(t, f.d[0], f.c1, at, 100, 10, 100)
	f.submit(t, f.d[1], f.c1, at, 200, 20, 200)
	f.submit(t, f.d[2], f.c1, at, 300, 30, 300)
	f.submit(t, f.d[0], f.c2, at.AddDate(1, 0, 0), 150, 12, 100)
	r := f.submit(t, f.d[1], f.c2, at.AddDate(1, 0, 0), 999, 99, 100)
	require.NoError(t, f.s.ReviewReport(ctx, store.ReportReview{ReportID: r.ID, Action: "return", Comment: "sai", At: time.Now()}))

	type sum struct{ value, num, den float64 }
	byCycle := func(rows []store.TargetCycleSum) map[int64][2]sum {
		out := map[int64][2]sum{}
		for _, row := range rows {
			e := out[row.CycleID]
			if row.TargetID == f.count {
				e[0] = sum{row.Value, 0, float64(row.ValueUnits)}
			} else {
				e[1] = sum{0, row.Numerator, row.Denominator}
			}
			out[row.CycleID] = e
		}
		return out
	}
	fresh, err := f.s.TargetSums(ctx, f.plan, f.root.ID)
	require.NoError(t, err)
	require.Equal(t, map[int64][2]sum{
		f.c1.ID: {{600, 0, 3}, {0, 60, 600}},
		f.c2.ID: {{150, 0, 1}, {0, 12, 100}}, // only district 1's cycle 2 is in
	}, byCycle(fresh))
	carried, err := f.s.CarriedSums(ctx, f.plan, f.root.ID)
	require.NoError(t, err)
	require.Equal(t, map[int64][2]sum{
		// Districts 2 (its cycle 2 returned) and 3 (not sent) carry their
		// cycle 1 figures: 200 + 300, and 20 + 30 of 200 + 300.
		f.c2.ID: {{500, 0, 2}, {0, 50, 500}},
	}, byCycle(carried))

	children, err := f.s.ChildSums(ctx, f.root.ID, f.root.Path, f.c2.ID, f.count)
	require.NoError(t, err)
	got := map[int64]float64{}
	for _, c := range children {
		got[c.UnitID] = c.Value
	}
	require.Equal(t, map[int64]float64{f.d[0].ID: 150, f.d[1].ID: 200, f.d[2].ID: 300}, got)
	children, err = f.s.ChildSums(ctx, f.root.ID, f.root.Path, f.c1.ID, f.count)
	require.NoError(t, err)
	got = map[int64]float64{}
	for _, c := range children {
		got[c.UnitID] = c.Value
	}
	require.Equal(t, map[int64]float64{f.d[0].ID: 100, f.d[1].ID: 200, f.d[2].ID: 300}, got, "as of cycle 1, cycle 2 is not read")
}
