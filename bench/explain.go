package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
)

// history reads the events of one run of a workflow ("": the current run).
func history(ctx context.Context, c client.Client, id, runID string) ([]*historypb.HistoryEvent, error) {
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var evs []*historypb.HistoryEvent
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", id, err)
		}
		evs = append(evs, e)
	}
	return evs, nil
}

// explainFanOut says where the time of a fan-out went, from the histories
// the server recorded: when the parent's children were started (the parent
// records each one, one at a time), and how long a sample of children took
// from their start to their first activity's completion.
func explainFanOut(ctx context.Context, h *Harness, hostPort, namespace, parentID string, began time.Time, samples int) error {
	c, err := dialTemporal(ctx, hostPort, namespace, 10*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	evs, err := allRuns(ctx, c, parentID)
	if err != nil {
		return err
	}
	var childIDs []string
	var started []time.Duration
	var initiated time.Duration
	wfts := 0
	for _, e := range evs {
		at := e.GetEventTime().AsTime().Sub(began)
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			wfts++
		case enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
			if initiated == 0 {
				initiated = at
			}
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
			started = append(started, at)
			childIDs = append(childIDs, e.GetChildWorkflowExecutionStartedEventAttributes().GetWorkflowExecution().GetWorkflowId())
		}
	}
	if len(started) == 0 {
		h.Row("b", "  explain: %s has no started children", parentID)
		return nil
	}
	h.Row("b", "  explain: parent %s (all runs): %d events, %d workflow tasks; children initiated at %s, recorded started: first %s, half %s, last %s",
		parentID, len(evs), wfts, secs(initiated), secs(started[0]), secs(started[len(started)/2]), secs(started[len(started)-1]))

	// Each sampled child: start → first workflow task started → activity
	// scheduled → activity started → activity completed (its task written).
	var toWFT, wftRun, schedToStart, actRun, total []time.Duration
	step := len(childIDs) / samples
	if step < 1 {
		step = 1
	}
	for i := 0; i < len(childIDs); i += step {
		evs, err := history(ctx, c, childIDs[i], "")
		if err != nil {
			return err
		}
		var t0, wftStarted, wftDone, sched, actStart, actDone time.Time
		for _, e := range evs {
			t := e.GetEventTime().AsTime()
			switch e.GetEventType() {
			case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
				t0 = t
			case enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED:
				if wftStarted.IsZero() {
					wftStarted = t
				}
			case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
				if wftDone.IsZero() {
					wftDone = t
				}
			case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
				if sched.IsZero() {
					sched = t
				}
			case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
				if actStart.IsZero() {
					actStart = t
				}
			case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
				if actDone.IsZero() {
					actDone = t
				}
			}
		}
		if t0.IsZero() || actDone.IsZero() {
			continue
		}
		toWFT = append(toWFT, wftStarted.Sub(t0))
		wftRun = append(wftRun, wftDone.Sub(wftStarted))
		schedToStart = append(schedToStart, actStart.Sub(sched))
		actRun = append(actRun, actDone.Sub(actStart))
		total = append(total, actDone.Sub(t0))
	}
	h.Row("b", "  explain: %d sampled unit workflows, median (max): start→workflow task %s, workflow task %s, activity queued %s, activity ran %s; start→task written %s",
		len(total), medMax(toWFT), medMax(wftRun), medMax(schedToStart), medMax(actRun), medMax(total))
	return nil
}

// allRuns reads every run of a workflow, first to current, following
// continue-as-new (at most 10 runs).
func allRuns(ctx context.Context, c client.Client, id string) ([]*historypb.HistoryEvent, error) {
	cur, err := history(ctx, c, id, "")
	if err != nil || len(cur) == 0 {
		return cur, err
	}
	runID := cur[0].GetWorkflowExecutionStartedEventAttributes().GetFirstExecutionRunId()
	var all []*historypb.HistoryEvent
	for i := 0; i < 10 && runID != ""; i++ {
		evs, err := history(ctx, c, id, runID)
		if err != nil {
			return nil, err
		}
		all = append(all, evs...)
		runID = ""
		if n := len(evs); n > 0 {
			runID = evs[n-1].GetWorkflowExecutionContinuedAsNewEventAttributes().GetNewExecutionRunId()
		}
	}
	return all, nil
}

func medMax(ds []time.Duration) string {
	if len(ds) == 0 {
		return "n/a"
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	f := func(d time.Duration) string {
		if d < time.Second {
			return fmt.Sprintf("%dms", d.Milliseconds())
		}
		return strings.TrimSuffix(secs(d), "s") + "s"
	}
	return fmt.Sprintf("%s (%s)", f(s[len(s)/2]), f(s[len(s)-1]))
}
