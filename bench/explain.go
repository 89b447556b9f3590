package main

import (
	"context"
	"fmt"
	"go.temporal.io/api/workflowservice/v1"
	"sort"
	"strings"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/proto"
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

// Temporal's limits on one run of a workflow: its history (an error past
// 50 MB: the workflow is terminated) and any one payload (2 MB).
const (
	historyLimit = 50 << 20
	payloadLimit = 2 << 20
)

// planHistory reads every run of the plan's workflow and reports, against
// Temporal's limits, the largest run's history (events and bytes, each run
// being held to the limit on its own) and the largest payload any event
// carries (an activity's input or result, a run's input).
func planHistory(ctx context.Context, h *Harness, hostPort, namespace, id string) error {
	c, err := dialTemporal(ctx, hostPort, namespace, 10*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	cur, err := history(ctx, c, id, "")
	if err != nil || len(cur) == 0 {
		return err
	}
	runID := cur[0].GetWorkflowExecutionStartedEventAttributes().GetFirstExecutionRunId()
	runs, events, total, largestRun, largestRunEvents := 0, 0, 0, 0, 0
	largest, largestWhat := 0, ""
	for runID != "" && runs < 1000 {
		evs, err := history(ctx, c, id, runID)
		if err != nil {
			return err
		}
		runs++
		size := 0
		for _, e := range evs {
			size += proto.Size(e)
			for what, p := range eventPayloads(e) {
				if n := proto.Size(p); n > largest {
					largest, largestWhat = n, what
				}
			}
		}
		events += len(evs)
		total += size
		if size > largestRun {
			largestRun, largestRunEvents = size, len(evs)
		}
		runID = ""
		if n := len(evs); n > 0 {
			runID = evs[n-1].GetWorkflowExecutionContinuedAsNewEventAttributes().GetNewExecutionRunId()
		}
	}
	verdict := func(n, limit int) string {
		if n < limit {
			return "MET"
		}
		return "NOT MET"
	}
	h.Results["b.history.bytes"] = float64(largestRun)
	h.Results["b.payload.bytes"] = float64(largest)
	h.Row("b", "  plan workflow history: %d runs, %d events, %s in all; largest run %d events, %s (limit %s per run: %s); largest payload %s, %s (limit %s: %s)",
		runs, events, kib(total), largestRunEvents, kib(largestRun), kib(historyLimit), verdict(largestRun, historyLimit),
		kib(largest), largestWhat, kib(payloadLimit), verdict(largest, payloadLimit))
	if d, err := c.DescribeWorkflowExecution(ctx, id, ""); err == nil {
		info := d.GetWorkflowExecutionInfo()
		h.Row("b", "  plan workflow's current run as the server counts it: %d events, %s", info.GetHistoryLength(), kib(int(info.GetHistorySizeBytes())))
	}
	return nil
}

// eventPayloads are the payloads an event carries, by what they are.
func eventPayloads(e *historypb.HistoryEvent) map[string]*commonpb.Payloads {
	out := map[string]*commonpb.Payloads{}
	if a := e.GetActivityTaskScheduledEventAttributes(); a != nil {
		out[a.GetActivityType().GetName()+" input"] = a.GetInput()
	}
	if a := e.GetActivityTaskCompletedEventAttributes(); a != nil {
		out["an activity's result"] = a.GetResult()
	}
	if a := e.GetWorkflowExecutionStartedEventAttributes(); a != nil {
		out["a run's input"] = a.GetInput()
	}
	if a := e.GetWorkflowExecutionContinuedAsNewEventAttributes(); a != nil {
		out["a continue-as-new input"] = a.GetInput()
	}
	if a := e.GetMarkerRecordedEventAttributes(); a != nil {
		for k, p := range a.GetDetails() {
			out["marker "+k] = p
		}
	}
	return out
}

func kib(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
}

// planRunSize is the plan workflow's current run as the server counts it,
// and how many runs came before it, for progress lines.
func planRunSize(ctx context.Context, hostPort, namespace, id string) string {
	c, err := dialTemporal(ctx, hostPort, namespace, 10*time.Second)
	if err != nil {
		return err.Error()
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	d, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		return err.Error()
	}
	info := d.GetWorkflowExecutionInfo()
	runs := int64(1)
	if info.GetFirstRunId() != "" && info.GetFirstRunId() != info.GetExecution().GetRunId() {
		// Every run of the workflow, from visibility.
		if r, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: fmt.Sprintf("WorkflowId = '%s'", id)}); err == nil {
			runs = r.GetCount()
		}
	}
	return fmt.Sprintf("run %d, %d events, %s (history limit %s)", runs, info.GetHistoryLength(), kib(int(info.GetHistorySizeBytes())), kib(historyLimit))
}
