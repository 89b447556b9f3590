package auth

import (
	"slices"
	"time"
)

// Throttle limits failed logins in a sliding window: at most Max failures in
// the last Window, after which attempts are refused until the oldest of them
// leaves the window. The store records and counts failures; Throttle decides.
type Throttle struct {
	Max    int
	Window time.Duration
}

// Default login throttles: per account, against guessing one password; per
// client address, against trying a few passwords on many accounts. The
// address limit is higher because an office often shares one address.
var (
	AccountThrottle = Throttle{Max: 5, Window: 15 * time.Minute}
	AddressThrottle = Throttle{Max: 20, Window: 15 * time.Minute}
)

// Since returns the start of the window at now: the store need only load
// failures after it.
func (t Throttle) Since(now time.Time) time.Time {
	return now.Add(-t.Window)
}

// Allowed reports whether one more login attempt may be made at now, given
// the times of earlier failures (in any order; those outside the window are
// ignored). When refused, retryAfter says how long until the next attempt is
// allowed. A Throttle with Max <= 0 allows everything.
func (t Throttle) Allowed(now time.Time, failures []time.Time) (ok bool, retryAfter time.Duration) {
	if t.Max <= 0 {
		return true, 0
	}
	since := t.Since(now)
	var recent []time.Time
	for _, f := range failures {
		if f.After(since) {
			recent = append(recent, f)
		}
	}
	if len(recent) < t.Max {
		return true, 0
	}
	// Allowed again once only Max-1 failures remain in the window, that is
	// once the failure len(recent)-Max from the oldest leaves it.
	slices.SortFunc(recent, time.Time.Compare)
	leaves := recent[len(recent)-t.Max].Add(t.Window)
	return false, leaves.Sub(now)
}
