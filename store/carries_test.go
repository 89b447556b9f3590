package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/store"
	"cascade/store/storetest"
)

// carriedSumsScan is how CarriedSums was computed before migration 00018
// kept the carried figures per ancestor: on every load, every received
// report of the subtree walked in cycle order, each counted in the later
// cycles up to its unit's next received report. It is the reference the
// pre-aggregation must match.
const carriedSumsScan = `WITH cyc AS (
    SELECT id, row_number() OVER (ORDER BY due_on, id) AS n FROM report_cycles WHERE plan_id = $1),
rec AS (
    SELECT r.id, cyc.n, lead(cyc.n) OVER (PARTITION BY r.unit_id ORDER BY cyc.n) AS next
    FROM reports r JOIN cyc ON cyc.id = r.cycle_id JOIN org_units o ON o.id = r.unit_id
    WHERE o.path ~>=~ $3 AND o.path ~<~ ($3 || '~') AND r.status IN ('submitted', 'accepted')),
fresh AS (
    SELECT DISTINCT cyc.id, cyc.n FROM report_sums m JOIN cyc ON cyc.id = m.cycle_id
    WHERE m.unit_id = $2 AND (m.value_units > 0 OR m.ratio_units > 0)),
carry AS (
    SELECT array_agg(rec.id) AS reports, array_agg(k.id) AS cycles
    FROM rec JOIN fresh k ON k.n > rec.n AND (rec.next IS NULL OR k.n < rec.next))
SELECT v.target_id, c.cycle_id,
       COALESCE(sum(v.value), 0)::float8 AS value,
       COALESCE(sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL), 0)::float8 AS numerator,
       COALESCE(sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL), 0)::float8 AS denominator,
       count(v.value) AS value_units,
       count(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL) AS ratio_units
FROM carry CROSS JOIN LATERAL unnest(carry.reports, carry.cycles) AS c(report_id, cycle_id)
JOIN report_values v ON v.report_id = c.report_id
GROUP BY 1, 2`

func day(y int, m time.Month, d int) store.Date {
	return store.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func sortSums(rows []store.TargetCycleSum) []store.TargetCycleSum {
	// A carried report with no figure for a target (every value null) adds
	// nothing: the scan lists it with 0 units, the pre-aggregation not.
	rows = slices.DeleteFunc(slices.Clone(rows), func(r store.TargetCycleSum) bool { return r.ValueUnits == 0 && r.RatioUnits == 0 })
	slices.SortFunc(rows, func(a, b store.TargetCycleSum) int {
		if a.TargetID != b.TargetID {
			return int(a.TargetID - b.TargetID)
		}
		return int(a.CycleID - b.CycleID)
	})
	if rows == nil {
		rows = []store.TargetCycleSum{}
	}
	return rows
}

// TestCarriedSums_PreAggregatedMatchesTheFullScan drives a plan through a
// random history of what users and leaders do: reports submitted (some
// figures left empty, some targets not reported at all: no data),
// resubmitted, accepted, returned, waived, figures corrected on a received
// report, the plan amended (a cycle moved before another, a cycle added, a
// cycle removed) and units moved between districts. After every step the
// carried figures the dashboard reads at every node must be exactly those
// the old full scan computes, and at the end the incrementally kept sums
// those of a rebuild from scratch.
func TestCarriedSums_PreAggregatedMatchesTheFullScan(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	s := store.New(db)
	root := storetest.Root(t, db)
	rng := rand.New(rand.NewPCG(18, 2026))

	mk := func(parent store.Unit, kind string) store.Unit {
		u, err := s.CreateUnit(ctx, store.Unit{ParentID: &parent.ID, Kind: kind, Code: "R-" + storetest.Unique(), Name: "Hội LHPN " + kind})
		require.NoError(t, err)
		return u
	}
	var districts, units []store.Unit
	for range 3 {
		d := mk(root, "district")
		districts = append(districts, d)
		units = append(units, d)
		for range 2 {
			units = append(units, mk(d, "commune"))
		}
	}
	ids := make([]int64, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	goal := 1000.0
	planID, err := s.CreatePlan(ctx, store.NewPlan{
		Plan:    store.Plan{Title: "K", IssuerUnitID: &root.ID, TermStartYear: 2026, TermEndYear: 2030},
		UnitIDs: ids,
		Targets: []store.Target{
			{Text: "Hộ", Value: &goal, Direction: "at_least", Measure: "count"},
			{Text: "Tỷ lệ", Value: &goal, Direction: "at_most", Measure: "percent"},
			{Text: "Lớp", Value: &goal, Direction: "at_least", Measure: "count"},
		},
		Cycles: []store.ReportCycle{
			{Kind: "annual", Year: 2026, DueOn: day(2026, 12, 15)},
			{Kind: "annual", Year: 2027, DueOn: day(2027, 12, 15)},
			{Kind: "midterm", Year: 2028, DueOn: day(2028, 6, 30)},
			{Kind: "annual", Year: 2029, DueOn: day(2029, 12, 15)},
		},
	})
	require.NoError(t, err)
	targets, err := s.Targets(ctx, planID)
	require.NoError(t, err)

	f := func(x float64) *float64 { return &x }
	// figure is a random figure, or none (an empty cell).
	figure := func() *float64 {
		if rng.IntN(5) == 0 {
			return nil
		}
		return f(float64(rng.IntN(400)) + float64(rng.IntN(4))/4)
	}
	reportOf := func() store.Report {
		cycles, err := s.ReportCycles(ctx, planID)
		require.NoError(t, err)
		c := cycles[rng.IntN(len(cycles))]
		r, err := s.OpenReport(ctx, c.ID, units[rng.IntN(len(units))].ID, c.DueOn)
		require.NoError(t, err)
		return r
	}
	received := func() (int64, bool) {
		var id int64
		err := db.GetContext(ctx, &id, `SELECT r.id FROM reports r JOIN report_cycles c ON c.id = r.cycle_id
WHERE c.plan_id = $1 AND r.status IN ('submitted', 'accepted') ORDER BY random() LIMIT 1`, planID)
		return id, err == nil
	}
	year := 2031
	steps := map[string]func(){
		"submit": func() {
			r := reportOf()
			var vs []store.ReportValue
			for _, tg := range targets {
				switch {
				case rng.IntN(6) == 0: // not reported: no data for it
				case tg.Measure == "percent":
					vs = append(vs, store.ReportValue{TargetID: tg.ID, Numerator: figure(), Denominator: figure()})
				default:
					vs = append(vs, store.ReportValue{TargetID: tg.ID, Value: figure()})
				}
			}
			require.NoError(t, db.WithTx(ctx, func(tx *store.Store) error { return tx.SubmitReport(ctx, r.ID, nil, time.Now(), vs) }))
		},
		"review": func() {
			id, ok := received()
			if !ok {
				return
			}
			action := []string{"accept", "return", "waive", "return"}[rng.IntN(4)]
			require.NoError(t, s.ReviewReport(ctx, store.ReportReview{ReportID: id, Action: action, Comment: "x", At: time.Now()}))
		},
		"correct": func() {
			id, ok := received()
			if !ok {
				return
			}
			_, err := db.ExecContext(ctx, `UPDATE report_values SET value = value + 1, numerator = denominator WHERE report_id = $1`, id)
			require.NoError(t, err)
		},
		"move cycle": func() { // an amendment moves a cycle's deadline, maybe past another
			cycles, err := s.ReportCycles(ctx, planID)
			require.NoError(t, err)
			c := cycles[rng.IntN(len(cycles))]
			_, err = db.ExecContext(ctx, `INSERT INTO report_cycles (plan_id, kind, year, due_on) VALUES ($1, $2, $3, $4)
ON CONFLICT (plan_id, kind, year) DO UPDATE SET due_on = EXCLUDED.due_on`, planID, c.Kind, c.Year, day(2026+rng.IntN(5), 12, 1+rng.IntN(28)))
			require.NoError(t, err)
		},
		"add cycle": func() {
			year++
			_, err := db.ExecContext(ctx, `INSERT INTO report_cycles (plan_id, kind, year, due_on) VALUES ($1, 'annual', $2, $3)`,
				planID, year, day(2026+rng.IntN(6), 3, 1+rng.IntN(28)))
			require.NoError(t, err)
		},
		"remove cycle": func() { // an amendment drops a cycle no unit has a report for
			_, err := db.ExecContext(ctx, `DELETE FROM report_cycles WHERE id = (
    SELECT c.id FROM report_cycles c WHERE c.plan_id = $1 AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.cycle_id = c.id)
    ORDER BY random() LIMIT 1)`, planID)
			require.NoError(t, err)
		},
		"move unit": func() {
			i := rng.IntN(len(units))
			if units[i].Kind != "commune" {
				return
			}
			u, err := s.Unit(ctx, units[i].ID)
			require.NoError(t, err)
			_, err = s.MoveUnit(ctx, u, districts[rng.IntN(len(districts))])
			require.NoError(t, err)
		},
	}
	weighted := []string{"submit", "submit", "submit", "submit", "submit", "review", "review", "review", "correct",
		"move cycle", "add cycle", "add cycle", "remove cycle", "move unit"}

	check := func(step int, what string) {
		t.Helper()
		nodes := append([]store.Unit{root}, units...)
		for _, n := range nodes {
			n, err := s.Unit(ctx, n.ID)
			require.NoError(t, err)
			got, err := s.CarriedSums(ctx, planID, n.ID)
			require.NoError(t, err)
			var want []store.TargetCycleSum
			require.NoError(t, db.SelectContext(ctx, &want, carriedSumsScan, planID, n.ID, n.Path))
			require.Equal(t, sortSums(want), sortSums(got), "step %d (%s): carried figures at %s", step, what, n.Path)
		}
	}
	carriedTotal := 0
	for step := range 100 {
		what := weighted[rng.IntN(len(weighted))]
		steps[what]()
		check(step, what)
		got, err := s.CarriedSums(ctx, planID, root.ID)
		require.NoError(t, err)
		carriedTotal += len(sortSums(got))
	}
	require.Positive(t, carriedTotal, "the history carried some figure somewhere")

	snapshot := func() []string {
		var rows []string
		require.NoError(t, db.SelectContext(ctx, &rows, `SELECT format('%s/%s/%s %s %s %s %s %s', unit_id, cycle_id, target_id, value::float8, numerator::float8, denominator::float8, value_units, ratio_units)
FROM report_carried_sums WHERE cycle_id IN (SELECT id FROM report_cycles WHERE plan_id = $1)
  AND (value <> 0 OR numerator <> 0 OR denominator <> 0 OR value_units <> 0 OR ratio_units <> 0) ORDER BY 1`, planID))
		return rows
	}
	kept := snapshot()
	_, err = db.ExecContext(ctx, `SELECT report_carry_rebuild(ARRAY[$1::bigint])`, planID)
	require.NoError(t, err)
	require.Equal(t, snapshot(), kept, "the sums kept step by step are those rebuilt from scratch")
	require.NotEmpty(t, kept, fmt.Sprintf("plan %d carried nothing", planID))
}
