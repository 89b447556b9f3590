package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"cascade/api"
	"cascade/workflows"
)

// TestIssuePlan_RunsWhenItsCommitIsSlow issues a plan whose transaction
// takes half a second more to commit (a test hook just before the commit).
// The plan's workflow starts only after the commit, so it reads the plan
// issued and opens every unit's report. Before, it started inside the
// transaction, read the plan still a draft and ended as if it had run (2
// runs in 3 with 150 ms between start and commit): the plan never ran.
func TestIssuePlan_RunsWhenItsCommitIsSlow(t *testing.T) {
	pr := newProvince(t)
	api.SetBeforeCommit(func(what string) {
		if what == "issue" {
			time.Sleep(500 * time.Millisecond)
		}
	})
	t.Cleanup(func() { api.SetBeforeCommit(nil) })

	units := []int64{pr.district(t, "KV", "Hội LHPN Khánh Vĩnh").ID, pr.district(t, "VN", "Hội LHPN Vạn Ninh").ID}
	planID, _ := pr.issuedPlan(t, "11", "Kế hoạch ban hành chậm", units)
	// The plan's workflow waits for its next cycle; it did not end.
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, status(t, pr.srv, workflows.PlanWorkflowID(planID)))
}

// TestCancelPlan_EndsAScheduledReminderAndEveryWorkflowOfThePlanByQuery
// cancels a plan with a leader's reminder scheduled for tomorrow, a
// workflow no table lists: the plan's workflows are found by their PlanID
// search attribute, and none of them is left running.
func TestCancelPlan_EndsAScheduledReminderAndEveryWorkflowOfThePlanByQuery(t *testing.T) {
	pr := newProvince(t)
	c := pr.admin
	units := []int64{pr.district(t, "CL", "Hội LHPN Cam Lâm").ID, pr.district(t, "DK", "Hội LHPN Diên Khánh").ID}
	planID, _ := pr.issuedPlan(t, "12", "Kế hoạch có lịch nhắc", units)
	var remind struct {
		WorkflowID string `json:"workflow_id"`
	}
	require.Equal(t, http.StatusAccepted, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/remind", planID),
		map[string]any{"at": time.Now().Add(24 * time.Hour)}, &remind))

	query := fmt.Sprintf("PlanID = %d AND ExecutionStatus = 'Running'", planID)
	running := func() []string {
		resp, err := pr.srv.Temporal.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: query})
		require.NoError(t, err)
		var ids []string
		for _, e := range resp.GetExecutions() {
			ids = append(ids, e.GetExecution().GetWorkflowId())
		}
		return ids
	}
	// The plan, its two reports and the reminder carry the plan's ID.
	require.Eventually(t, func() bool { return len(running()) == 4 }, 30*time.Second, 200*time.Millisecond, "running: %v", running())

	require.Equal(t, http.StatusOK, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/cancel", planID), map[string]any{"reason": "Sáp nhập"}, nil))
	var cancelled int
	require.NoError(t, pr.srv.Temporal.GetWorkflow(context.Background(), workflows.EndPlanID(planID), "").Get(context.Background(), &cancelled))
	require.Eventually(t, func() bool { return len(running()) == 0 }, 30*time.Second, 200*time.Millisecond, "still running: %v", running())
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED, status(t, pr.srv, remind.WorkflowID))
}
