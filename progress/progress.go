// Package progress is the arithmetic of a plan's targets over the
// organisation tree: summing units' figures (counts add up; percentages are
// summed numerators over summed denominators, never an average of
// percentages), how far a figure has come towards its target honouring the
// target's direction, and whether that is on track against a straight line
// from the baseline at term start to the target at term end. Plain Go.
package progress

import (
	"math"
	"time"
)

// Measure says how a target is counted.
type Measure string

// Measures of a target.
const (
	Count   Measure = "count"
	Percent Measure = "percent"
)

// Direction says which way a target is met.
type Direction string

// Directions of a target. Exactly is how the importer reads a plain figure
// ("có 2.700 hộ"); for progress it counts as AtLeast.
const (
	AtLeast Direction = "at_least"
	AtMost  Direction = "at_most"
	Exactly Direction = "exactly"
)

// Status is a target's standing against its trajectory.
type Status string

// Statuses of a target.
const (
	OnTrack  Status = "on_track"
	AtRisk   Status = "at_risk"
	OffTrack Status = "off_track"
	NoData   Status = "no_data"
)

// Figure is one unit's value for a target: Value for a count, Numerator
// over Denominator for a percentage.
type Figure struct {
	Value       *float64
	Numerator   *float64
	Denominator *float64
}

// Total is figures summed over units.
type Total struct {
	// Value is the sum of counts, or for a percentage 100·Numerator/Denominator.
	Value       float64
	Numerator   float64
	Denominator float64
	// Units is how many figures went in; zero means no data.
	Units int
}

// Sum adds figures of one target as its measure says. A percentage figure
// without a numerator and denominator is left out: a percentage alone
// cannot be weighted.
func Sum(m Measure, figures []Figure) Total {
	var t Total
	for _, f := range figures {
		if m == Percent {
			if f.Numerator == nil || f.Denominator == nil {
				continue
			}
			t.Numerator += *f.Numerator
			t.Denominator += *f.Denominator
			t.Units++
			continue
		}
		if f.Value == nil {
			continue
		}
		t.Value += *f.Value
		t.Units++
	}
	return t.finish(m)
}

// Add combines two totals of the same target (e.g. sums of two subtrees).
func Add(m Measure, a, b Total) Total {
	t := Total{Value: a.Value + b.Value, Numerator: a.Numerator + b.Numerator, Denominator: a.Denominator + b.Denominator, Units: a.Units + b.Units}
	return t.finish(m)
}

// FromSums makes a total from sums gathered elsewhere (by SQL).
func FromSums(m Measure, value, numerator, denominator float64, units int) Total {
	return Total{Value: value, Numerator: numerator, Denominator: denominator, Units: units}.finish(m)
}

func (t Total) finish(m Measure) Total {
	if m == Percent {
		t.Value = 0
		if t.Denominator > 0 {
			t.Value = 100 * t.Numerator / t.Denominator
		}
	}
	return t
}

// Target is what a figure is measured against.
type Target struct {
	Direction Direction
	// Value is the target; nil when the plan gives none.
	Value *float64
	// Baseline is the figure at term start; nil reads as 0 for an at-least
	// target.
	Baseline *float64
}

// Progress is how far actual has come towards the target, 0..1, honouring
// its direction: an at-least target ("2.700 hộ") from the baseline (or 0)
// up to the target; an at-most target ("dưới 8,5%") from the baseline down
// to the target, met (1) once actual is at or under it. ok is false when
// there is no target to measure against.
func Progress(t Target, actual float64) (p float64, ok bool) {
	if t.Value == nil {
		return 0, false
	}
	target := *t.Value
	if t.Direction == AtMost {
		if actual <= target {
			return 1, true
		}
		if t.Baseline != nil && *t.Baseline > target {
			return clamp((*t.Baseline - actual) / (*t.Baseline - target)), true
		}
		// No baseline to come down from: how close actual is to the ceiling.
		return clamp(target / actual), true
	}
	base := 0.0
	if t.Baseline != nil {
		base = *t.Baseline
	}
	if target <= base {
		if actual >= target {
			return 1, true
		}
		return 0, true
	}
	return clamp((actual - base) / (target - base)), true
}

// Elapsed is the share of a term gone at a day: 0 on 1 January of the first
// year, 1 on 31 December of the last, linear in days between.
func Elapsed(startYear, endYear int, at time.Time) float64 {
	start := time.Date(startYear, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(endYear, 12, 31, 0, 0, 0, 0, time.UTC)
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	return clamp(day.Sub(start).Hours() / end.Sub(start).Hours())
}

// AtRiskMargin is how far behind the trajectory, as a share of where it
// should be, a target may fall and still be at risk rather than off track.
const AtRiskMargin = 0.2

// Assess places a total on the linear trajectory between the baseline at
// term start and the target at term end: on track when its progress is at
// least the share of the term elapsed, at risk when within AtRiskMargin of
// it, off track beyond, no data when nothing was reported or there is no
// target.
func Assess(t Target, total Total, elapsed float64) (p float64, s Status) {
	if total.Units == 0 {
		return 0, NoData
	}
	p, ok := Progress(t, total.Value)
	if !ok {
		return 0, NoData
	}
	const eps = 1e-9
	switch {
	case p+eps >= elapsed:
		return p, OnTrack
	case p+eps >= elapsed*(1-AtRiskMargin):
		return p, AtRisk
	}
	return p, OffTrack
}

func clamp(f float64) float64 {
	if math.IsNaN(f) || f < 0 {
		return 0
	}
	if f > 1 {
		return 1
	}
	return f
}

// Completeness is how many reports of a cycle came in, as DHIS2 reports it:
// received ÷ expected (completeness) and on time ÷ expected (timeliness).
type Completeness struct {
	Expected     int     `json:"expected"`
	Received     int     `json:"received"`
	OnTime       int     `json:"on_time"`
	Completeness float64 `json:"completeness"`
	Timeliness   float64 `json:"timeliness"`
}

// Rates fills the two rates of c from its counts; both are 0 when nothing is
// expected.
func Rates(expected, received, onTime int) Completeness {
	c := Completeness{Expected: expected, Received: received, OnTime: onTime}
	if expected > 0 {
		c.Completeness = float64(received) / float64(expected)
		c.Timeliness = float64(onTime) / float64(expected)
	}
	return c
}
