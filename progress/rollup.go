package progress

import "time"

// Cycle is a reporting round, in the order of its due dates.
type Cycle struct {
	ID    int64
	Year  int
	DueOn time.Time
}

// TargetSpec is a target as the rollup needs it.
type TargetSpec struct {
	ID      int64
	Measure Measure
	Target  Target
}

// CycleTotal is a target's total over a subtree as of one cycle: each
// unit's latest figure up to that cycle, summed (a unit that has not sent
// the cycle yet counts with its previous figure), given for the cycles in
// which at least one unit of the subtree sent a figure.
type CycleTotal struct {
	TargetID int64
	CycleID  int64
	Total    Total
}

// YearActual is a target's figure as of a year's last cycle with data.
type YearActual struct {
	Year   int     `json:"year"`
	Actual float64 `json:"actual"`
}

// TargetResult is where a target stands over a subtree.
type TargetResult struct {
	TargetID int64
	// Actual is the total as of the latest cycle with data up to the cycle
	// asked for; CycleID names it (0 when nothing was reported).
	Actual   Total
	CycleID  int64
	Progress float64
	Status   Status
	ByYear   []YearActual
}

// Rollup places each target of a plan whose term runs from startYear to
// endYear. A unit reports each cycle the figure reached since the term
// began (lũy kế), so a target's actual is the total as of the latest cycle
// with data up to asOf (every cycle when asOf is 0), judged at that cycle's
// due date; by year it is the latest cycle of each year with data. A total
// must hold every unit's latest figure (see CycleTotal), or a cycle that
// only some units have sent would stand for the whole subtree.
func Rollup(startYear, endYear int, cycles []Cycle, asOf int64, targets []TargetSpec, totals []CycleTotal) []TargetResult {
	type key struct{ target, cycle int64 }
	byKey := make(map[key]Total, len(totals))
	for _, t := range totals {
		byKey[key{t.TargetID, t.CycleID}] = t.Total
	}
	upto := len(cycles)
	for i, c := range cycles {
		if c.ID == asOf {
			upto = i + 1
		}
	}
	out := make([]TargetResult, len(targets))
	for i, t := range targets {
		r := TargetResult{TargetID: t.ID, Status: NoData, ByYear: []YearActual{}}
		var at time.Time
		for _, c := range cycles[:upto] {
			tot, ok := byKey[key{t.ID, c.ID}]
			if !ok || tot.Units == 0 {
				continue
			}
			r.Actual, r.CycleID, at = tot, c.ID, c.DueOn
			if n := len(r.ByYear); n > 0 && r.ByYear[n-1].Year == c.Year {
				r.ByYear[n-1].Actual = tot.Value
			} else {
				r.ByYear = append(r.ByYear, YearActual{Year: c.Year, Actual: tot.Value})
			}
		}
		if r.CycleID != 0 {
			r.Progress, r.Status = Assess(t.Target, r.Actual, Elapsed(startYear, endYear, at))
		}
		out[i] = r
	}
	return out
}
