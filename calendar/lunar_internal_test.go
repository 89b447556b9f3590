package calendar

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// The lunar calendar floors floating-point new moons and solar longitudes to
// whole days. Workflows replay on any worker, and Go may fuse multiply-adds
// differently on other CPUs, so the results must not depend on the last bits:
// no value that is floored may lie within a safe margin of an integer.
func TestLunarAlgorithm_NoValueNearADayBoundary(t *testing.T) {
	t.Parallel()
	const margin = 1e-6 // days or sectors; rounding differences are ~1e-9
	first := lunationBefore(NewDate(1899, 1, 1).jdn())
	last := lunationBefore(NewDate(2201, 1, 1).jdn())
	for k := first; k <= last; k++ {
		v := newMoonValue(k)
		require.Greater(t, distanceToInteger(v), margin, "new moon %d", k)
		s := sunSectorValue(newMoonDay(k))
		require.Greater(t, distanceToInteger(s), margin, "solar term at new moon %d", k)
	}
}

func distanceToInteger(x float64) float64 {
	f := x - math.Floor(x)
	return math.Min(f, 1-f)
}
