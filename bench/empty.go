package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// EmptyTaskQueue is where the bench's own worker runs Empty, apart from
// Cascade's task queue.
const EmptyTaskQueue = "bench-empty"

// Empty is the baseline's workflow: one workflow task, no activity.
func Empty(ctx workflow.Context) error { return nil }

// emptyResult is one run of empty workflows.
type emptyResult struct {
	N int
	// Started is when the last start call returned, Completed when the last
	// workflow was seen closed; both from the clock's start.
	Started, Completed time.Duration
	// Tail describes the slowest workflows from their histories, when the
	// last one closed well after the median (a stall, not a rate).
	Tail string
}

func (r emptyResult) Rate() float64 { return rate(r.N, r.Completed) }

// sdkLogger keeps the SDK to warnings and errors.
func sdkLogger() sdklog.Logger {
	return sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
}

// dialTemporal connects to a frontend, retrying while it comes up.
func dialTemporal(ctx context.Context, hostPort, namespace string, wait time.Duration) (client.Client, error) {
	deadline := time.Now().Add(wait)
	for {
		c, err := client.Dial(client.Options{HostPort: hostPort, Namespace: namespace, Logger: sdkLogger()})
		if err == nil {
			_, err = c.CheckHealth(ctx, nil)
			if err == nil {
				return c, nil
			}
			c.Close()
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("temporal at %s: %w", hostPort, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// runEmpty starts n Empty workflows on the frontend at hostPort from callers
// parallel goroutines and measures until all n have completed. Its own worker
// (pollers workflow task pollers) runs them on EmptyTaskQueue. One workflow
// is run before the clock starts, so that the task queue is loaded and the
// pollers are waiting. Completion is awaited by as many goroutines as there
// are callers, in start order: a run already closed answers at once.
func runEmpty(ctx context.Context, hostPort, namespace string, n, callers, pollers int) (emptyResult, error) {
	c, err := dialTemporal(ctx, hostPort, namespace, time.Minute)
	if err != nil {
		return emptyResult{}, err
	}
	defer c.Close()
	w := sdkworker.New(c, EmptyTaskQueue, sdkworker.Options{
		MaxConcurrentWorkflowTaskPollers: pollers,
		MaxConcurrentActivityTaskPollers: 1,
	})
	w.RegisterWorkflow(Empty)
	if err := w.Start(); err != nil {
		return emptyResult{}, fmt.Errorf("start bench worker: %w", err)
	}
	defer w.Stop()

	prefix := fmt.Sprintf("bench-empty-%d-", time.Now().UnixNano())
	start := func(ctx context.Context, id string) (client.WorkflowRun, error) {
		return c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: EmptyTaskQueue}, Empty)
	}
	warm, err := start(ctx, prefix+"warmup")
	if err == nil {
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		err = warm.Get(wctx, nil)
		cancel()
	}
	if err != nil {
		return emptyResult{}, fmt.Errorf("warm-up workflow: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	var (
		next     atomic.Int64
		errOnce  sync.Once
		firstErr error
		runs     = make(chan client.WorkflowRun, n)
		res      = emptyResult{N: n}
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	began := time.Now()
	var starters sync.WaitGroup
	for range callers {
		starters.Add(1)
		go func() {
			defer starters.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || ctx.Err() != nil {
					return
				}
				run, err := start(ctx, prefix+strconv.FormatInt(i, 10))
				if err != nil {
					fail(fmt.Errorf("start workflow %d: %w", i, err))
					return
				}
				runs <- run
			}
		}()
	}
	go func() {
		starters.Wait()
		res.Started = time.Since(began)
		close(runs)
	}()
	var waiters sync.WaitGroup
	var completed atomic.Int64
	var doneMu sync.Mutex
	closedAt := map[string]time.Duration{}
	for range callers {
		waiters.Add(1)
		go func() {
			defer waiters.Done()
			for run := range runs {
				if err := run.Get(ctx, nil); err != nil {
					fail(fmt.Errorf("workflow %s: %w", run.GetID(), err))
					return
				}
				completed.Add(1)
				doneMu.Lock()
				closedAt[run.GetID()] = time.Since(began)
				doneMu.Unlock()
			}
		}()
	}
	waiters.Wait()
	res.Completed = time.Since(began)
	if firstErr != nil {
		return res, firstErr
	}
	if got := completed.Load(); got != int64(n) {
		return res, errors.New("not every workflow completed: " + strconv.FormatInt(got, 10))
	}
	res.Tail = describeTail(ctx, c, closedAt, began)
	return res, nil
}

// describeTail returns "" when the slowest workflow closed within twice the
// median; otherwise the closing-time percentiles and the slowest
// workflow's timeline from its history, so a stall can be told from a rate.
func describeTail(ctx context.Context, c client.Client, closedAt map[string]time.Duration, began time.Time) string {
	ids := make([]string, 0, len(closedAt))
	for id := range closedAt {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return closedAt[ids[i]] < closedAt[ids[j]] })
	if len(ids) == 0 {
		return ""
	}
	p := func(q float64) time.Duration { return closedAt[ids[int(q*float64(len(ids)-1))]] }
	if p(1) <= 2*p(0.5)+time.Second {
		return ""
	}
	slow := ids[len(ids)-1]
	out := fmt.Sprintf("closed at p50 %s, p90 %s, p99 %s, max %s; slowest %s:", secs(p(0.5)), secs(p(0.9)), secs(p(0.99)), secs(p(1)), slow)
	evs, err := history(ctx, c, slow, "")
	if err != nil {
		return out + " " + err.Error()
	}
	for _, e := range evs {
		out += fmt.Sprintf(" %s@%s", strings.TrimPrefix(e.GetEventType().String(), "EVENT_TYPE_"), secs(e.GetEventTime().AsTime().Sub(began)))
	}
	return out
}
