package auth

import (
	"context"
	"time"
)

// Gate bounds how many password hashes run at once. Each argon2id hash holds
// DefaultParams.Memory (64 MiB) for its duration, so unbounded sign-ins can
// take the process's memory; a few run, a few more wait a short while, and
// the rest are refused at once so the caller can answer "try again later".
type Gate struct {
	running chan struct{}
	queued  chan struct{}
	maxWait time.Duration
}

// Default gate: two hashes at once (~128 MiB), eight waiting at most 2 s.
const (
	DefaultHashRunning = 2
	DefaultHashWaiting = 8
	DefaultHashWait    = 2 * time.Second
)

// NewGate lets running hashes run at once and up to waiting more wait at
// most maxWait for a turn.
func NewGate(running, waiting int, maxWait time.Duration) *Gate {
	running = max(running, 1)
	return &Gate{running: make(chan struct{}, running), queued: make(chan struct{}, running+max(waiting, 0)), maxWait: maxWait}
}

// NewDefaultGate is the server's gate.
func NewDefaultGate() *Gate {
	return NewGate(DefaultHashRunning, DefaultHashWaiting, DefaultHashWait)
}

// Enter waits for a turn to hash. It returns a release function to call when
// the hash is done, or ok false when the queue is full, the wait ran out or
// ctx ended.
func (g *Gate) Enter(ctx context.Context) (release func(), ok bool) {
	select {
	case g.queued <- struct{}{}:
	default:
		return nil, false
	}
	t := time.NewTimer(g.maxWait)
	defer t.Stop()
	select {
	case g.running <- struct{}{}:
		return func() { <-g.running; <-g.queued }, true
	case <-t.C:
	case <-ctx.Done():
	}
	<-g.queued
	return nil, false
}

// RetryAfter is how long a refused caller should wait before trying again.
func (g *Gate) RetryAfter() time.Duration {
	return max(g.maxWait, time.Second)
}

// Running is how many turns are taken now.
func (g *Gate) Running() int {
	return len(g.running)
}
