//go:build crash

package main_test

import (
	"context"
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
)

// The two kill -9 tests of a fan-out to 500 units (32 s and 26 s here
// under load, load average 9; more under heavier load) run with `make
// crash` (tag crash). make test keeps the short ones:
// TestServe_SIGKILLDuringATimerLosesNothingAndDuplicatesNothing and
// TestServe_KilledMidDispatchOfASmallPlan (100 units).

// crashUnits is how many units the long crash tests dispatch a plan to.
const crashUnits = 500

// TestServe_KilledMidDispatchEveryUnitGetsOneTaskAndOneEmail is
// killMidDispatch with a plan to 500 units.
func TestServe_KilledMidDispatchEveryUnitGetsOneTaskAndOneEmail(t *testing.T) {
	killMidDispatch(t, crashUnits)
}

// TestServe_KilledMidPlanCancelEveryUnitWorkflowEnds issues a plan to 500
// units, cancels it, and kills the process with SIGKILL while its EndPlan
// activity is cancelling the unit workflows. A new process on the same
// database finishes the cancels: the activity's heartbeat times out within
// 10 s (it was a minute), so the cancels move again within 15 s of the
// restarted process being ready, and EndPlan and every unit workflow end,
// each once, cancelled, none failed.
func TestServe_KilledMidPlanCancelEveryUnitWorkflowEnds(t *testing.T) {
	c := newCrashServe(t)
	plan, _ := c.planToUnits(t, crashUnits, time.Now().AddDate(0, 0, 20))
	tc := temporalAt(t, c.temporalPort)
	ctx := context.Background()
	count := func(query string) int {
		resp, err := tc.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: "default", Query: query})
		if err != nil {
			return -1 // the process is down or starting
		}
		return int(resp.GetCount())
	}
	unitRuns := fmt.Sprintf("PlanID = %d AND WorkflowType = 'UnitReport'", plan.ID)
	running := func() int { return count(unitRuns + " AND ExecutionStatus = 'Running'") }

	require.Equal(t, http.StatusOK, post(t, fmt.Sprintf("%s/api/v1/plans/%d/issue", c.base, plan.ID), nil, nil))
	require.Eventually(t, func() bool { return running() == crashUnits }, 2*time.Minute, 200*time.Millisecond,
		"unit workflows running: %d of the plan's %d", running(), count(fmt.Sprintf("PlanID = %d", plan.ID)))

	require.Equal(t, http.StatusOK, post(t, fmt.Sprintf("%s/api/v1/plans/%d/cancel", c.base, plan.ID), map[string]any{"reason": "kiểm thử sự cố"}, nil))
	// Kill it while the EndPlan activity runs (cancelling, or looking again
	// for what a batch may still start).
	endID := fmt.Sprintf("plan/%d/end", plan.ID)
	activityRuns := func() bool {
		d, err := tc.DescribeWorkflowExecution(ctx, endID, "")
		if err != nil {
			return false
		}
		for _, a := range d.PendingActivities {
			if a.State == enumspb.PENDING_ACTIVITY_STATE_STARTED {
				return true
			}
		}
		return false
	}
	require.Eventually(t, activityRuns, time.Minute, 5*time.Millisecond, "the EndPlan activity did not start; log:\n%s", c.p.log)
	require.NoError(t, c.p.cmd.Process.Signal(syscall.SIGKILL))
	_ = c.p.wait()
	killed := time.Now()
	c.p = startProcess(t, c.bin, c.env, c.base)
	ready := time.Now()
	atReady := running()
	t.Logf("restarted in %s with %d of %d unit workflows still running", ready.Sub(killed).Round(time.Millisecond), atReady, crashUnits)
	require.Positive(t, atReady, "the cancels were over at the kill; the test proves nothing")
	require.Eventually(t, func() bool { n := running(); return n >= 0 && n < atReady }, time.Minute, 50*time.Millisecond, "the cancels did not move again")
	moving := time.Since(ready)
	t.Logf("the cancels moved again %s after the restarted process was ready", moving.Round(time.Millisecond))
	require.Less(t, moving, 15*time.Second, "the cancels must move again within 15 s of the restart")
	endStatus := func() enumspb.WorkflowExecutionStatus {
		d, err := tc.DescribeWorkflowExecution(ctx, endID, "")
		if err != nil {
			return enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED
		}
		return d.WorkflowExecutionInfo.Status
	}
	// From there the cancels keep moving to the end: how long cancelling
	// 500 workflows takes is the machine's, but a lost attempt waiting out
	// a heartbeat timeout shows as a pause. None may last stallLimit (twice
	// the fan-out's 10 s heartbeat timeout; the old 1-minute one stalled
	// for a minute); once every unit workflow is over, EndPlan completes
	// after two looks endSettle (2 s) apart.
	const stallLimit = 20 * time.Second
	last, lastChange := running(), time.Now()
	for last != 0 {
		time.Sleep(100 * time.Millisecond)
		if n := running(); n >= 0 && n != last {
			last, lastChange = n, time.Now()
		}
		require.Less(t, time.Since(lastChange), stallLimit, "the cancels stalled with %d unit workflows running", last)
	}
	require.Eventually(t, func() bool { return endStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING }, stallLimit, 100*time.Millisecond,
		"EndPlan did not end after every unit workflow was cancelled")
	t.Logf("EndPlan and every unit workflow ended %s after the restarted process was ready", time.Since(ready).Round(time.Millisecond))
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, endStatus())

	require.Equal(t, crashUnits, count(unitRuns+" AND ExecutionStatus = 'Canceled'"), "unit workflows cancelled")
	require.Equal(t, crashUnits, count(unitRuns), "unit workflow runs")
	require.Zero(t, count(fmt.Sprintf("PlanID = %d AND ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated')", plan.ID)))
}
