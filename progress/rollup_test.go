package progress_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/progress"
)

func TestRollup_LatestCycleWithDataJudgedAtItsDueDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cycles := []progress.Cycle{
		{ID: 1, Year: 2021, DueOn: day(2021, 12, 31)},
		{ID: 2, Year: 2022, DueOn: day(2022, 12, 31)},
		{ID: 3, Year: 2023, DueOn: day(2023, 7, 2)}, // midterm
		{ID: 4, Year: 2023, DueOn: day(2023, 12, 31)},
	}
	poverty := progress.TargetSpec{ID: 10, Measure: progress.Count, Target: progress.Target{Direction: progress.Exactly, Value: f(2700)}}
	stunting := progress.TargetSpec{ID: 11, Measure: progress.Percent, Target: progress.Target{Direction: progress.AtMost, Value: f(8.5), Baseline: f(10.5)}}
	none := progress.TargetSpec{ID: 12, Measure: progress.Count, Target: progress.Target{Direction: progress.AtLeast, Value: f(5)}}
	totals := []progress.CycleTotal{
		{TargetID: 10, CycleID: 1, Total: progress.FromSums(progress.Count, 500, 0, 0, 9)},
		{TargetID: 10, CycleID: 2, Total: progress.FromSums(progress.Count, 1000, 0, 0, 9)},
		{TargetID: 10, CycleID: 3, Total: progress.FromSums(progress.Count, 1400, 0, 0, 9)},
		{TargetID: 11, CycleID: 1, Total: progress.FromSums(progress.Percent, 0, 100, 1000, 9)}, // 10 %
		{TargetID: 11, CycleID: 2, Total: progress.FromSums(progress.Percent, 0, 95, 1000, 9)},  // 9,5 %
	}
	got := progress.Rollup(2021, 2025, cycles, 0, []progress.TargetSpec{poverty, stunting, none}, totals)
	require.Len(t, got, 3)

	// Poverty: 1400 of 2700 at the midterm (2023-07-02, 912/1825 of the term):
	// progress 0.5185 ≥ 0.4997 → on track.
	require.Equal(t, int64(3), got[0].CycleID)
	require.Equal(t, 1400.0, got[0].Actual.Value)
	require.InDelta(t, 1400.0/2700, got[0].Progress, 1e-9)
	require.Equal(t, progress.OnTrack, got[0].Status)
	require.Equal(t, []progress.YearActual{{2021, 500}, {2022, 1000}, {2023, 1400}}, got[0].ByYear)

	// Stunting: 9,5 % at the end of 2022 (729/1825 = 0.3995 elapsed):
	// progress (10.5−9.5)/(10.5−8.5) = 0.5 → on track.
	require.Equal(t, int64(2), got[1].CycleID)
	require.InDelta(t, 9.5, got[1].Actual.Value, 1e-9)
	require.InDelta(t, 0.5, got[1].Progress, 1e-9)
	require.Equal(t, progress.OnTrack, got[1].Status)

	require.Equal(t, progress.NoData, got[2].Status)
	require.Empty(t, got[2].ByYear)

	// As of the first cycle: 500 of 2700 at the end of 2021 (364/1825 =
	// 0.1995): progress 0.185 ≥ 0.8·0.1995 → at risk.
	first := progress.Rollup(2021, 2025, cycles, 1, []progress.TargetSpec{poverty}, totals)
	require.Equal(t, 500.0, first[0].Actual.Value)
	require.Equal(t, progress.AtRisk, first[0].Status)
}
