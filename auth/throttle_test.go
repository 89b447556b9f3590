package auth_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/auth"
)

var t0 = time.Date(2021, 6, 8, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))

func minutesAgo(now time.Time, ms ...int) []time.Time {
	var ts []time.Time
	for _, m := range ms {
		ts = append(ts, now.Add(-time.Duration(m)*time.Minute))
	}
	return ts
}

func TestThrottle_AccountAllowsFourFailuresAndRefusesAfterTheFifth(t *testing.T) {
	t.Parallel()
	th := auth.AccountThrottle
	ok, wait := th.Allowed(t0, minutesAgo(t0, 1, 2, 3, 4))
	require.True(t, ok)
	require.Zero(t, wait)

	ok, wait = th.Allowed(t0, minutesAgo(t0, 1, 2, 3, 4, 10))
	require.False(t, ok)
	require.Equal(t, 5*time.Minute, wait, "until the failure 10 minutes ago leaves the window")
}

func TestThrottle_OldFailuresDoNotCount(t *testing.T) {
	t.Parallel()
	ok, _ := auth.AccountThrottle.Allowed(t0, minutesAgo(t0, 1, 2, 3, 4, 15, 16, 60))
	require.True(t, ok, "a failure exactly 15 minutes ago has left the window")
}

func TestThrottle_RetryAfterWaitsUntilBelowTheLimit(t *testing.T) {
	t.Parallel()
	// Seven failures, unordered: three must leave before the next attempt, so
	// that only four remain...
	failures := minutesAgo(t0, 1, 12, 2, 14, 3, 13, 4)
	ok, wait := auth.AccountThrottle.Allowed(t0, failures)
	require.False(t, ok)
	require.Equal(t, 3*time.Minute, wait, "the failures 14, 13 and 12 minutes ago must leave")

	// ...and at that moment it is.
	ok, _ = auth.AccountThrottle.Allowed(t0.Add(wait), failures)
	require.True(t, ok)
	ok, _ = auth.AccountThrottle.Allowed(t0.Add(wait-time.Second), failures)
	require.False(t, ok)
}

func TestThrottle_AddressAllowsTwentyFailures(t *testing.T) {
	t.Parallel()
	var failures []time.Time
	for i := range 19 {
		failures = append(failures, t0.Add(-time.Duration(i)*time.Second))
	}
	ok, _ := auth.AddressThrottle.Allowed(t0, failures)
	require.True(t, ok)
	ok, wait := auth.AddressThrottle.Allowed(t0, append(failures, t0))
	require.False(t, ok)
	require.Equal(t, 15*time.Minute-18*time.Second, wait)
}

func TestThrottle_SinceIsTheWindowStart(t *testing.T) {
	t.Parallel()
	require.Equal(t, t0.Add(-15*time.Minute), auth.AccountThrottle.Since(t0))
}

func TestThrottle_ZeroMaxDisables(t *testing.T) {
	t.Parallel()
	ok, _ := auth.Throttle{}.Allowed(t0, minutesAgo(t0, 1, 2, 3))
	require.True(t, ok)
}
