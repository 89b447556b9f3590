// Package dashboard assembles where a plan stands at one node of the
// organisation tree from the store's sums and the progress rules: the
// answer of the dashboard API, the content of the exports and of a review
// dossier. It reads through store and computes with progress; it knows
// nothing of HTTP or Temporal.
package dashboard

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cascade/progress"
	"cascade/store"
)

// Ref names a unit.
type Ref struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Cycle is a reporting round as the dashboard lists it.
type Cycle struct {
	ID    int64      `json:"id"`
	Kind  string     `json:"kind"`
	Year  int        `json:"year"`
	DueOn store.Date `json:"due_on"`
}

// PlanRef is a plan's header as the dashboard shows it.
type PlanRef struct {
	ID            int64  `json:"id"`
	Code          string `json:"code"`
	Title         string `json:"title"`
	TermStartYear int    `json:"term_start_year"`
	TermEndYear   int    `json:"term_end_year"`
}

// Target is one target's standing over the node's subtree.
type Target struct {
	ID          int64                 `json:"id"`
	Text        string                `json:"text"`
	Unit        string                `json:"unit"`
	Measure     string                `json:"measure"`
	Direction   string                `json:"direction"`
	Target      *float64              `json:"target"`
	Baseline    *float64              `json:"baseline"`
	Actual      *float64              `json:"actual"`
	Numerator   *float64              `json:"numerator"`
	Denominator *float64              `json:"denominator"`
	Progress    float64               `json:"progress"`
	Status      progress.Status       `json:"status"`
	ByYear      []progress.YearActual `json:"by_year"`
	// CycleID is the cycle the actual comes from (0: none).
	CycleID int64 `json:"cycle_id"`
}

// Child is a child subtree's completeness for the cycle.
type Child struct {
	Unit Ref `json:"unit"`
	progress.Completeness
}

// Dashboard is a plan at one node and cycle.
type Dashboard struct {
	Plan         PlanRef               `json:"plan"`
	Unit         Ref                   `json:"unit"`
	Cycle        *Cycle                `json:"cycle"`
	Cycles       []Cycle               `json:"cycles"`
	Completeness progress.Completeness `json:"completeness"`
	Summary      Summary               `json:"summary"`
	Targets      []Target              `json:"targets"`
	Children     []Child               `json:"children"`
}

// Summary counts the plan's targets at the node by status: the line a
// leader reads first ("12 of 23 on track").
type Summary struct {
	Targets  int `json:"targets"`
	OnTrack  int `json:"on_track"`
	AtRisk   int `json:"at_risk"`
	OffTrack int `json:"off_track"`
	NoData   int `json:"no_data"`
}

// Summarize counts targets by status.
func Summarize(targets []Target) Summary {
	s := Summary{Targets: len(targets)}
	for _, t := range targets {
		switch t.Status {
		case progress.OnTrack:
			s.OnTrack++
		case progress.AtRisk:
			s.AtRisk++
		case progress.OffTrack:
			s.OffTrack++
		default:
			s.NoData++
		}
	}
	return s
}

// Build gathers a plan's standing over the subtree of node for cycleID
// (0: the current cycle, the latest opened by today, else the first). The
// plan comes with its cycles (store.PlanView); the targets with their
// shares, the sums and the completeness are one statement each.
func Build(ctx context.Context, st *store.Store, v store.PlanView, node store.Unit, cycleID int64, today time.Time) (*Dashboard, error) {
	plan, cycles := v.Plan, v.Cycles
	targets, shares, err := st.TargetsUnder(ctx, plan.ID, node.Path)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{
		Plan: PlanRef{ID: plan.ID, Code: plan.Code, Title: plan.Title, TermStartYear: plan.TermStartYear, TermEndYear: plan.TermEndYear},
		Unit: Ref{ID: node.ID, Name: node.Name}, Cycles: []Cycle{}, Targets: []Target{}, Children: []Child{},
	}
	pcycles := make([]progress.Cycle, len(cycles))
	for i, c := range cycles {
		d.Cycles = append(d.Cycles, Cycle{ID: c.ID, Kind: c.Kind, Year: c.Year, DueOn: c.DueOn})
		pcycles[i] = progress.Cycle{ID: c.ID, Year: c.Year, DueOn: c.DueOn.Time}
	}
	cur := CurrentCycle(cycles, cycleID, today)
	if cur != nil {
		d.Cycle = &Cycle{ID: cur.ID, Kind: cur.Kind, Year: cur.Year, DueOn: cur.DueOn}
	}

	totals, err := nodeTotals(ctx, st, plan.ID, node, targets)
	if err != nil {
		return nil, err
	}
	// A subtree that holds only part of a count target's allocations (a
	// district given 300 of the province's 2.700 households) is measured
	// against its share; the node holding all of them against the target.
	share := map[int64]float64{}
	for _, sh := range shares {
		if !sh.All {
			share[sh.TargetID] = sh.Value
		}
	}
	specs := make([]progress.TargetSpec, len(targets))
	for i, t := range targets {
		if v, ok := share[t.ID]; ok && t.Measure == string(progress.Count) {
			t.Value, t.Baseline = &v, nil // a share has no baseline of its own
			targets[i] = t
		}
		specs[i] = Spec(t)
	}
	var asOf int64
	if cur != nil {
		asOf = cur.ID
	}
	results := progress.Rollup(plan.TermStartYear, plan.TermEndYear, pcycles, asOf, specs, totals)
	for i, t := range targets {
		d.Targets = append(d.Targets, fromResult(t, results[i]))
	}
	d.Summary = Summarize(d.Targets)

	if cur != nil {
		counts, err := st.CompletenessByChild(ctx, node.ID, node.Path, cur.ID)
		if err != nil {
			return nil, err
		}
		var e, r, o int
		for _, c := range counts {
			e, r, o = e+c.Expected, r+c.Received, o+c.OnTime
			d.Children = append(d.Children, Child{Unit: Ref{ID: c.UnitID, Name: c.UnitName}, Completeness: progress.Rates(c.Expected, c.Received, c.OnTime)})
		}
		d.Completeness = progress.Rates(e, r, o)
	}
	return d, nil
}

// nodeTotals is each target's figure over the subtree of node as of each
// cycle that has a received figure for it: every unit's latest received
// figure up to the cycle, summed (the cycle's own reports plus what the
// units that have not sent it carried from their previous report). The
// figures are cumulative (lũy kế), so a unit's latest one is the best known;
// a cycle only partly in thus never drops the total to the units that sent
// it, and completeness tells how fresh the total is.
func nodeTotals(ctx context.Context, st *store.Store, planID int64, node store.Unit, targets []store.Target) ([]progress.CycleTotal, error) {
	fresh, carried, err := st.NodeSums(ctx, planID, node.ID)
	if err != nil {
		return nil, err
	}
	measure := map[int64]progress.Measure{}
	for _, t := range targets {
		measure[t.ID] = progress.Measure(t.Measure)
	}
	type key struct{ target, cycle int64 }
	extra := make(map[key]store.TargetCycleSum, len(carried))
	for _, c := range carried {
		extra[key{c.TargetID, c.CycleID}] = c
	}
	totals := make([]progress.CycleTotal, len(fresh))
	for i, s := range fresh {
		m := measure[s.TargetID]
		t := total(m, s.Value, s.Numerator, s.Denominator, s.ValueUnits, s.RatioUnits)
		if c, ok := extra[key{s.TargetID, s.CycleID}]; ok {
			t = progress.Add(m, t, total(m, c.Value, c.Numerator, c.Denominator, c.ValueUnits, c.RatioUnits))
		}
		totals[i] = progress.CycleTotal{TargetID: s.TargetID, CycleID: s.CycleID, Total: t}
	}
	return totals, nil
}

// CurrentCycle is the cycle with id (when given and the plan's), else the
// latest that has opened by today (30 days before it is due), else the first.
func CurrentCycle(cycles []store.ReportCycle, id int64, today time.Time) *store.ReportCycle {
	if len(cycles) == 0 {
		return nil
	}
	if id != 0 {
		for i := range cycles {
			if cycles[i].ID == id {
				return &cycles[i]
			}
		}
		return nil
	}
	cur := &cycles[0]
	for i := range cycles {
		if !cycles[i].DueOn.AddDate(0, 0, -30).After(today) {
			cur = &cycles[i]
		}
	}
	return cur
}

// Spec is a store target as the progress rules read it.
func Spec(t store.Target) progress.TargetSpec {
	return progress.TargetSpec{ID: t.ID, Measure: progress.Measure(t.Measure),
		Target: progress.Target{Direction: progress.Direction(t.Direction), Value: t.Value, Baseline: t.Baseline}}
}

func total(m progress.Measure, value, num, den float64, valueUnits, ratioUnits int) progress.Total {
	if m == progress.Percent {
		return progress.FromSums(m, 0, num, den, ratioUnits)
	}
	return progress.FromSums(m, value, 0, 0, valueUnits)
}

func fromResult(t store.Target, r progress.TargetResult) Target {
	out := Target{ID: t.ID, Text: t.Text, Unit: t.Unit, Measure: t.Measure, Direction: t.Direction, Target: t.Value,
		Baseline: t.Baseline, Progress: r.Progress, Status: r.Status, ByYear: r.ByYear, CycleID: r.CycleID}
	if r.CycleID != 0 {
		v := r.Actual.Value
		out.Actual = &v
		if t.Measure == string(progress.Percent) {
			n, d := r.Actual.Numerator, r.Actual.Denominator
			out.Numerator, out.Denominator = &n, &d
		}
	}
	return out
}

// UnitRow is one child subtree's figure for a target.
type UnitRow struct {
	Unit        Ref             `json:"unit"`
	Allocation  *float64        `json:"allocation"`
	Actual      *float64        `json:"actual"`
	Numerator   *float64        `json:"numerator"`
	Denominator *float64        `json:"denominator"`
	Progress    float64         `json:"progress"`
	Status      progress.Status `json:"status"`
}

// Breakdown is one target at a node: per child subtree against its
// allocation, and by year.
type Breakdown struct {
	Target Target                `json:"target"`
	Units  []UnitRow             `json:"units"`
	Years  []progress.YearActual `json:"years"`
}

// BuildBreakdown gathers one target of a plan over the children of node,
// as of the cycle the node's actual comes from. Every child whose subtree
// holds a unit of the plan has a row, with its allocation, and no data
// (status no_data, actual null) when none of its units has reported. A
// child's progress is measured against its allocation, or the plan's
// target when it has none.
func BuildBreakdown(ctx context.Context, st *store.Store, v store.PlanView, node store.Unit, targetID, cycleID int64, today time.Time) (*Breakdown, error) {
	plan := v.Plan
	d, err := Build(ctx, st, v, node, cycleID, today)
	if err != nil {
		return nil, err
	}
	var tgt *Target
	for i := range d.Targets {
		if d.Targets[i].ID == targetID {
			tgt = &d.Targets[i]
		}
	}
	if tgt == nil {
		return nil, fmt.Errorf("target %d of plan %d: %w", targetID, plan.ID, store.ErrNotFound)
	}
	b := &Breakdown{Target: *tgt, Units: []UnitRow{}, Years: tgt.ByYear}
	cycle := tgt.CycleID
	if cycle == 0 && d.Cycle != nil {
		cycle = d.Cycle.ID
	}
	if cycle == 0 {
		return b, nil
	}
	var at time.Time
	for _, c := range d.Cycles {
		if c.ID == cycle {
			at = c.DueOn.Time
		}
	}
	sums, err := st.ChildSums(ctx, node.ID, node.Path, cycle, targetID)
	if err != nil {
		return nil, err
	}
	alloc, err := st.Allocations(ctx, targetID)
	if err != nil {
		return nil, err
	}
	ids, err := st.PlanChildren(ctx, plan.ID, node.ID, node.Path)
	if err != nil {
		return nil, err
	}
	byUnit := map[int64]store.ChildSum{}
	for _, s := range sums {
		if _, ok := byUnit[s.UnitID]; !ok && !slices.Contains(ids, s.UnitID) {
			ids = append(ids, s.UnitID) // reported, though no longer a unit of the plan
		}
		byUnit[s.UnitID] = s
	}
	units, err := st.Units(ctx, ids)
	if err != nil {
		return nil, err
	}
	m := progress.Measure(tgt.Measure)
	elapsed := progress.Elapsed(plan.TermStartYear, plan.TermEndYear, at)
	for _, u := range units {
		s := byUnit[u.ID]
		tot := total(m, s.Value, s.Numerator, s.Denominator, s.ValueUnits, s.RatioUnits)
		row := UnitRow{Unit: Ref{ID: u.ID, Name: u.Name}, Status: progress.NoData}
		goal := progress.Target{Direction: progress.Direction(tgt.Direction), Value: tgt.Target, Baseline: tgt.Baseline}
		if a, ok := alloc[u.ID]; ok {
			row.Allocation = &a
			goal.Value = &a
			if m == progress.Count {
				goal.Baseline = nil // a share has no baseline of its own
			}
		}
		if tot.Units > 0 {
			v := tot.Value
			row.Actual = &v
			if m == progress.Percent {
				n, dd := tot.Numerator, tot.Denominator
				row.Numerator, row.Denominator = &n, &dd
			}
			row.Progress, row.Status = progress.Assess(goal, tot, elapsed)
		}
		b.Units = append(b.Units, row)
	}
	return b, nil
}
