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
	"cascade/store"
	"cascade/workflows"
)

// TestCancelPlan_StopsEveryUnitWorkflow issues a plan to two units, with a
// report each and a task, then cancels it: the plan's workflow and every
// unit workflow (reports, task, unit plans) end as cancelled, so none keeps
// a timer or mails anybody about a plan nobody follows.
func TestCancelPlan_StopsEveryUnitWorkflow(t *testing.T) {
	pr := newProvince(t)
	srv, db, root, c, suffix := pr.srv, pr.db, pr.root, pr.admin, pr.suffix

	var units []int64
	for _, code := range []string{"NT", "CR"} {
		units = append(units, pr.district(t, code, "Hội LHPN "+code).ID)
	}
	var plan struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusCreated, c.Call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "9/KH-" + suffix, "title": "Kế hoạch sẽ hủy", "term_start_year": 2026, "term_end_year": 2030,
		"issuer_unit_id": root.ID, "unit_ids": units,
		"targets": []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles":  []map[string]any{{"kind": "annual", "year": 2026, "due_on": time.Now().AddDate(0, 0, 12).Format(time.DateOnly)}},
	}, &plan))
	require.Equal(t, http.StatusOK, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil))

	ctx := context.Background()
	s := store.New(db)
	var ids []string
	require.Eventually(t, func() bool {
		var err error
		ids, err = s.PlanWorkflowIDs(ctx, plan.ID)
		require.NoError(t, err)
		return len(ids) == 2
	}, time.Minute, 100*time.Millisecond, "one report per unit")
	for _, id := range ids {
		require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, status(t, srv, id))
	}

	require.Equal(t, http.StatusOK, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/cancel", plan.ID), map[string]any{"reason": "Sáp nhập đơn vị"}, nil))
	var cancelled int
	require.NoError(t, srv.Temporal.GetWorkflow(ctx, workflows.EndPlanID(plan.ID), "").Get(ctx, &cancelled))
	// Every report, and the plan's own workflow when it had not ended yet.
	require.GreaterOrEqual(t, cancelled, len(ids))
	require.LessOrEqual(t, cancelled, len(ids)+1)
	for _, id := range append(ids, workflows.PlanWorkflowID(plan.ID)) {
		require.Eventually(t, func() bool { return status(t, srv, id) == enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED },
			30*time.Second, 100*time.Millisecond, "%s still %s", id, status(t, srv, id))
	}
	// Cancelling again is refused; nothing is left to stop.
	require.Equal(t, http.StatusConflict, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/cancel", plan.ID), map[string]any{"reason": "lần nữa"}, nil))
}

func status(t *testing.T, srv *apptest.Cascade, id string) enumspb.WorkflowExecutionStatus {
	t.Helper()
	d, err := srv.Temporal.DescribeWorkflowExecution(context.Background(), id, "")
	require.NoError(t, err)
	return d.GetWorkflowExecutionInfo().GetStatus()
}
