package progress_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/progress"
)

func f(v float64) *float64 { return &v }

func TestSum_PercentagesAreSummedNumeratorsOverSummedDenominators(t *testing.T) {
	// Two communes: 1 of 10 children stunted (10 %) and 90 of 1000 (9 %).
	// The average of percentages is 9,5 %; the province's rate is 91/1010.
	figures := []progress.Figure{
		{Numerator: f(1), Denominator: f(10)},
		{Numerator: f(90), Denominator: f(1000)},
	}
	got := progress.Sum(progress.Percent, figures)
	require.Equal(t, 91.0, got.Numerator)
	require.Equal(t, 1010.0, got.Denominator)
	require.InDelta(t, 9.0099, got.Value, 0.0001)
	require.NotEqual(t, 9.5, got.Value, "never the average of percentages")
	require.Equal(t, 2, got.Units)

	// The same target against "dưới 9,5%": the average would say met at the
	// boundary; the true rate is under it with room.
	p, ok := progress.Progress(progress.Target{Direction: progress.AtMost, Value: f(9.0), Baseline: f(10)}, got.Value)
	require.True(t, ok)
	require.InDelta(t, (10-9.0099)/(10-9.0), p, 0.001)
	pAvg, _ := progress.Progress(progress.Target{Direction: progress.AtMost, Value: f(9.0), Baseline: f(10)}, 9.5)
	require.InDelta(t, 0.5, pAvg, 1e-9)
}

func TestSum(t *testing.T) {
	tests := []struct {
		name    string
		measure progress.Measure
		figs    []progress.Figure
		want    progress.Total
	}{
		{"counts add up", progress.Count, []progress.Figure{{Value: f(1200)}, {Value: f(800)}, {Value: f(700)}}, progress.Total{Value: 2700, Units: 3}},
		{"missing counts are left out", progress.Count, []progress.Figure{{Value: f(5)}, {}}, progress.Total{Value: 5, Units: 1}},
		{"nothing", progress.Count, nil, progress.Total{}},
		{"a percentage without its ratio is left out", progress.Percent, []progress.Figure{{Value: f(50)}, {Numerator: f(3), Denominator: f(4)}}, progress.Total{Value: 75, Numerator: 3, Denominator: 4, Units: 1}},
		{"zero denominators give 0", progress.Percent, nil, progress.Total{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, progress.Sum(tc.measure, tc.figs))
		})
	}
}

func TestAdd_TwoSubtreesGiveTheSameAsAllUnits(t *testing.T) {
	a := progress.Sum(progress.Percent, []progress.Figure{{Numerator: f(1), Denominator: f(10)}})
	b := progress.Sum(progress.Percent, []progress.Figure{{Numerator: f(90), Denominator: f(1000)}})
	require.InDelta(t, 100*91.0/1010, progress.Add(progress.Percent, a, b).Value, 1e-9)
}

func TestProgress(t *testing.T) {
	tests := []struct {
		name   string
		target progress.Target
		actual float64
		want   float64
		ok     bool
	}{
		{"at least, from 0", progress.Target{Direction: progress.AtLeast, Value: f(2700)}, 1350, 0.5, true},
		{"at least, from a baseline", progress.Target{Direction: progress.AtLeast, Value: f(80), Baseline: f(60)}, 70, 0.5, true},
		{"at least, beyond the target", progress.Target{Direction: progress.AtLeast, Value: f(2700)}, 3000, 1, true},
		{"at least, under the baseline", progress.Target{Direction: progress.AtLeast, Value: f(80), Baseline: f(60)}, 50, 0, true},
		{"exactly counts as at least", progress.Target{Direction: progress.Exactly, Value: f(2700)}, 2025, 0.75, true},
		{"at most, met by going down (dưới 8,5%)", progress.Target{Direction: progress.AtMost, Value: f(8.5)}, 8.2, 1, true},
		{"at most, halfway down from the baseline", progress.Target{Direction: progress.AtMost, Value: f(8.5), Baseline: f(10.5)}, 9.5, 0.5, true},
		{"at most, going up is no progress", progress.Target{Direction: progress.AtMost, Value: f(8.5), Baseline: f(10.5)}, 11, 0, true},
		{"at most without a baseline", progress.Target{Direction: progress.AtMost, Value: f(8.5)}, 10, 0.85, true},
		{"no target", progress.Target{Direction: progress.AtLeast}, 10, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := progress.Progress(tc.target, tc.actual)
			require.Equal(t, tc.ok, ok)
			require.InDelta(t, tc.want, got, 1e-9)
		})
	}
}

func TestElapsed(t *testing.T) {
	require.Equal(t, 0.0, progress.Elapsed(2021, 2025, time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, 0.0, progress.Elapsed(2021, 2025, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, 1.0, progress.Elapsed(2021, 2025, time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)))
	// 2021-01-01 .. 2025-12-31 is 1825 days; 2023-07-02 is day 912.
	require.InDelta(t, 912.0/1825, progress.Elapsed(2021, 2025, time.Date(2023, 7, 2, 15, 0, 0, 0, time.UTC)), 1e-9)
}

func TestAssess(t *testing.T) {
	poverty := progress.Target{Direction: progress.AtLeast, Value: f(2700)}
	stunting := progress.Target{Direction: progress.AtMost, Value: f(8.5), Baseline: f(10.5)}
	count := func(v float64) progress.Total { return progress.FromSums(progress.Count, v, 0, 0, 1) }
	tests := []struct {
		name    string
		target  progress.Target
		total   progress.Total
		elapsed float64
		want    progress.Status
	}{
		{"ahead of the line", poverty, count(1500), 0.5, progress.OnTrack},
		{"exactly on the line", poverty, count(1350), 0.5, progress.OnTrack},
		{"a little behind: at risk", poverty, count(1200), 0.5, progress.AtRisk},   // 0.444 ≥ 0.4
		{"far behind: off track", poverty, count(900), 0.5, progress.OffTrack},     // 0.333 < 0.4
		{"stunting down on the line", stunting, count(9.5), 0.5, progress.OnTrack}, // progress 0.5
		{"stunting flat: off track", stunting, count(10.5), 0.5, progress.OffTrack},
		{"nothing reported", poverty, progress.Total{}, 0.5, progress.NoData},
		{"no target", progress.Target{Direction: progress.AtLeast}, count(3), 0.5, progress.NoData},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, got := progress.Assess(tc.target, tc.total, tc.elapsed)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestRates(t *testing.T) {
	c := progress.Rates(9, 6, 3)
	require.InDelta(t, 6.0/9, c.Completeness, 1e-9)
	require.InDelta(t, 3.0/9, c.Timeliness, 1e-9)
	require.Equal(t, progress.Completeness{}, progress.Rates(0, 0, 0))
}
