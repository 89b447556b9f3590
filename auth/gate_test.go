package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/auth"
)

func TestGate_BoundsRunningAndWaitingHashes(t *testing.T) {
	g := auth.NewGate(1, 1, 50*time.Millisecond)
	release, ok := g.Enter(context.Background())
	require.True(t, ok)

	// One waits its turn and gets it when the first is released.
	got := make(chan bool)
	go func() {
		r, ok := g.Enter(context.Background())
		if ok {
			r()
		}
		got <- ok
	}()
	time.Sleep(10 * time.Millisecond)
	// The queue (one running, one waiting) is full: refused at once.
	start := time.Now()
	_, ok = g.Enter(context.Background())
	require.False(t, ok)
	require.Less(t, time.Since(start), 20*time.Millisecond)
	release()
	require.True(t, <-got)

	// A waiter whose turn does not come within the wait is refused.
	release, ok = g.Enter(context.Background())
	require.True(t, ok)
	start = time.Now()
	_, ok = g.Enter(context.Background())
	require.False(t, ok)
	require.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	release()
	r, ok := g.Enter(context.Background())
	require.True(t, ok, "refused waiters leave the queue")
	r()
}
