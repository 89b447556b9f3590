package auth_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/auth"
)

func TestSessionValid(t *testing.T) {
	t.Parallel()
	h := time.Hour
	tests := []struct {
		name               string
		created, seen, now time.Duration // after t0
		valid              bool
	}{
		{"fresh", 0, 0, time.Minute, true},
		{"idle just under 8 h", 0, 0, 8*h - time.Second, true},
		{"idle 8 h", 0, 0, 8 * h, false},
		{"used daily for 6 days", 0, 6 * 24 * h, 6*24*h + h, true},
		{"used a minute ago but 7 days old", 0, 7*24*h - time.Minute, 7 * 24 * h, false},
	}
	for _, tt := range tests {
		got := auth.SessionValid(t0.Add(tt.created), t0.Add(tt.seen), t0.Add(tt.now))
		require.Equal(t, tt.valid, got, tt.name)
	}
}

func TestSessionExpiresAt_FirstOfIdleAndAbsolute(t *testing.T) {
	t.Parallel()
	require.Equal(t, t0.Add(9*time.Hour), auth.SessionExpiresAt(t0, t0.Add(time.Hour)))
	require.Equal(t, t0.Add(7*24*time.Hour), auth.SessionExpiresAt(t0, t0.Add(7*24*time.Hour-time.Hour)))
}
