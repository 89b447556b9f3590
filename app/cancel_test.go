package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"cascade/app/apptest"
	"cascade/workflows"
)

// TestCancelPlan_StopsEveryUnitWorkflow issues a plan to two units, with a
// report each and a task, then cancels it: the plan's workflow and every
// unit workflow (reports, task, unit plans) end as cancelled, so none keeps
// a timer or mails anybody about a plan nobody follows.
func TestCancelPlan_StopsEveryUnitWorkflow(t *testing.T) {
	pr := newProvince(t)
	srv, c := pr.srv, pr.admin

	var units []int64
	for _, code := range []string{"NT", "CR"} {
		units = append(units, pr.district(t, code, "Hội LHPN "+code).ID)
	}
	planID, ids := pr.issuedPlan(t, "9", "Kế hoạch sẽ hủy", units)
	ctx := context.Background()
	for _, id := range ids {
		require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, status(t, srv, id))
	}

	require.Equal(t, http.StatusOK, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/cancel", planID), map[string]any{"reason": "Sáp nhập đơn vị"}, nil))
	var cancelled int
	require.NoError(t, srv.Temporal.GetWorkflow(ctx, workflows.EndPlanID(planID), "").Get(ctx, &cancelled))
	// Every report, and the plan's own workflow when it had not ended yet.
	require.GreaterOrEqual(t, cancelled, len(ids))
	require.LessOrEqual(t, cancelled, len(ids)+1)
	for _, id := range append(ids, workflows.PlanWorkflowID(planID)) {
		require.Eventually(t, func() bool { return status(t, srv, id) == enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED },
			30*time.Second, 100*time.Millisecond, "%s still %s", id, status(t, srv, id))
	}
	// Cancelling again is refused; nothing is left to stop.
	require.Equal(t, http.StatusConflict, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/cancel", planID), map[string]any{"reason": "lần nữa"}, nil))
}

func status(t *testing.T, srv *apptest.Cascade, id string) enumspb.WorkflowExecutionStatus {
	t.Helper()
	d, err := srv.Temporal.DescribeWorkflowExecution(context.Background(), id, "")
	require.NoError(t, err)
	return d.GetWorkflowExecutionInfo().GetStatus()
}
