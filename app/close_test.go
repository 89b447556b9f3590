package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"cascade/calendar"
	"cascade/plans"
	"cascade/store"
	"cascade/store/storetest"
	"cascade/workflows"
)

// TestClosePlan_EndsEveryUnitWorkflowAndItsOpenTasks issues a plan to two
// units, with a report each, a task and a unit plan each, and lets it close
// at the end of its term: the plan's workflow ends closed, every unit
// workflow (reports, task, unit plans) ends cancelled, the open task and unit
// plans are cancelled with a step saying why, and the reports keep their
// state: Cam Ranh's, never submitted, stays pending.
func TestClosePlan_EndsEveryUnitWorkflowAndItsOpenTasks(t *testing.T) {
	pr := newProvince(t)
	srv, db, root, c, suffix := pr.srv, pr.db, pr.root, pr.admin, pr.suffix
	ctx := context.Background()

	nhaTrang, camRanh := pr.district(t, "NT", "Hội LHPN NT"), pr.district(t, "CR", "Hội LHPN CR")
	today := calendar.InVietnam(time.Now())
	var plan struct {
		ID      int64 `json:"id"`
		Targets []struct {
			ID int64 `json:"id"`
		} `json:"targets"`
	}
	require.Equal(t, http.StatusCreated, c.Call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "8/KH-" + suffix, "title": "Kế hoạch hết nhiệm kỳ", "term_start_year": today.Year - 1, "term_end_year": today.Year + 1,
		"issuer_unit_id": root.ID, "unit_ids": []int64{nhaTrang.ID, camRanh.ID},
		"targets": []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles":  []map[string]any{{"kind": "annual", "year": today.Year, "due_on": today.AddDays(12).String()}},
	}, &plan))
	taskDue := today.AddDays(40)
	require.NoError(t, db.WithTx(ctx, func(st *store.Store) error {
		doc, err := st.LoadPlanDoc(ctx, plan.ID)
		if err != nil {
			return err
		}
		doc.TaskGroups = []plans.TaskGroup{{Heading: "Công tác tuyên truyền", Tasks: []plans.Task{{
			Text: "Quán triệt nghị quyết đến cán bộ, hội viên", DueOn: &taskDue, LeadUnitIDs: []int64{nhaTrang.ID}}}}}
		doc.Responsibilities = []plans.Responsibility{{Text: "Xây dựng Kế hoạch triển khai thực hiện", UnitKind: "district", Action: "build_plan"}}
		return st.SavePlanContent(ctx, doc)
	}))
	require.Equal(t, http.StatusOK, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil))

	// Two reports, a task and two unit plans, each open in its workflow.
	s := store.New(db)
	var ids []string
	require.Eventually(t, func() bool {
		var err error
		ids, err = s.PlanWorkflowIDs(ctx, plan.ID)
		require.NoError(t, err)
		return len(ids) == 5
	}, time.Minute, 100*time.Millisecond, "two reports, a task and two unit plans")
	for _, id := range ids {
		require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, status(t, srv, id))
	}
	inbox := func(unitID int64) taskResp {
		var in taskResp
		require.Equal(t, http.StatusOK, c.Call(t, "GET", fmt.Sprintf("/api/v1/units/%d/tasks", unitID), nil, &in))
		return in
	}
	ofKind := func(in taskResp, kind string) (id int64, reportID int64) {
		for _, it := range in.Tasks {
			if it.Kind == kind {
				if it.ReportID != nil {
					reportID = *it.ReportID
				}
				return it.ID, reportID
			}
		}
		t.Fatalf("no %s in %+v", kind, in)
		return 0, 0
	}
	ntTask, _ := ofKind(inbox(nhaTrang.ID), "task")
	ntUnitPlan, _ := ofKind(inbox(nhaTrang.ID), "unit_plan")
	crUnitPlan, _ := ofKind(inbox(camRanh.ID), "unit_plan")
	ntReportTask, ntReport := ofKind(inbox(nhaTrang.ID), "report")
	crReportTask, crReport := ofKind(inbox(camRanh.ID), "report")

	// Nha Trang starts its task and submits its report; Cam Ranh does nothing.
	_, ntOfficer := storetest.SignedIn(t, db, nhaTrang.ID, "officer")
	nt := srv.As(ntOfficer)
	require.Eventually(t, func() bool {
		return nt.Call(t, "POST", fmt.Sprintf("/api/v1/tasks/%d/start", ntTask), nil, nil) == http.StatusOK
	}, time.Minute, 200*time.Millisecond)
	submit := map[string]any{"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 640}}}
	require.Equal(t, http.StatusOK, nt.Call(t, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", ntReport), submit, nil))

	// The plan's last run waits for the end of the term, a month after its
	// last report is due. A test cannot wait that long: it moves the cycle's
	// due date back past the grace and runs the last run again, as it
	// would wake.
	planWF := workflows.PlanWorkflowID(plan.ID)
	require.Eventually(t, func() bool {
		it := srv.Temporal.GetWorkflowHistory(ctx, planWF, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		var first, last enumspb.EventType
		continued := false
		for it.HasNext() {
			ev, err := it.Next()
			require.NoError(t, err)
			if first == enumspb.EVENT_TYPE_UNSPECIFIED {
				first = ev.GetEventType()
				continued = ev.GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId() != ""
			}
			last = ev.GetEventType()
		}
		return continued && last == enumspb.EVENT_TYPE_TIMER_STARTED
	}, time.Minute, 100*time.Millisecond, "the plan's second run waits for the end of the term")
	_, err := db.Exec(`UPDATE report_cycles SET due_on = $2 WHERE plan_id = $1`, plan.ID, today.AddDays(-40).String())
	require.NoError(t, err)
	require.NoError(t, srv.Temporal.TerminateWorkflow(ctx, planWF, "", "the test skips the term"))
	run, err := srv.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: planWF, TaskQueue: workflows.DefaultTaskQueue},
		workflows.PlanWorkflow, workflows.PlanInput{PlanID: plan.ID, CycleIndex: 1})
	require.NoError(t, err)
	var res workflows.PlanResult
	require.NoError(t, run.Get(ctx, &res))
	require.Equal(t, "closed", res.Status)

	var p struct {
		Status string `json:"status"`
	}
	require.Equal(t, http.StatusOK, c.Call(t, "GET", fmt.Sprintf("/api/v1/plans/%d", plan.ID), nil, &p))
	require.Equal(t, "closed", p.Status)
	for _, id := range ids {
		require.Eventually(t, func() bool { return status(t, srv, id) == enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED },
			30*time.Second, 100*time.Millisecond, "%s still %s", id, status(t, srv, id))
	}

	// The task and the unit plans are cancelled, their history says why.
	for _, id := range []int64{ntTask, ntUnitPlan, crUnitPlan} {
		var task taskDetail
		require.Equal(t, http.StatusOK, c.Call(t, "GET", fmt.Sprintf("/api/v1/tasks/%d", id), nil, &task))
		require.Equal(t, "cancelled", task.Status, "task %d", id)
		require.False(t, task.CanAct)
		require.Equal(t, "cancel", task.History[len(task.History)-1].Action)
	}
	// The reports keep their state: Nha Trang's submitted, Cam Ranh's still
	// not submitted, and it can no longer be.
	var report struct {
		Status string `json:"status"`
	}
	require.Equal(t, http.StatusOK, c.Call(t, "GET", fmt.Sprintf("/api/v1/reports/%d", ntReport), nil, &report))
	require.Equal(t, "submitted", report.Status)
	require.Equal(t, http.StatusOK, c.Call(t, "GET", fmt.Sprintf("/api/v1/reports/%d", crReport), nil, &report))
	require.Equal(t, "pending", report.Status)
	for unitID, taskID := range map[int64]int64{nhaTrang.ID: ntReportTask, camRanh.ID: crReportTask} {
		found := false
		for _, it := range inbox(unitID).Tasks {
			if it.ID == taskID {
				found = true
				require.NotEqual(t, "cancelled", it.Status, "a report is not cancelled by the close")
			}
		}
		require.True(t, found)
	}
	_, crOfficer := storetest.SignedIn(t, db, camRanh.ID, "officer")
	var refused errResp
	require.Equal(t, http.StatusConflict, srv.As(crOfficer).Call(t, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", crReport), submit, &refused))
	require.Equal(t, "not_open", refused.Error.Code)
}
