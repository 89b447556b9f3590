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
