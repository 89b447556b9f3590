//go:build record

package workflows_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"

	"cascade/app/apptest"
	"cascade/calendar"
	"cascade/store/storetest"
	"cascade/workflows"
)

// recordUpdatesInTurn records two decisions sent at the same instant and
// delivered in one workflow task: an accept and a waiver of a submitted
// report, a confirmation and a return of a done task. The handlers take
// turns: the first runs, the second is refused for the state it left. Two
// requests sent together do not always land in the same workflow task, so
// each pair is tried on fresh reports and tasks until one does.
func recordUpdatesInTurn(t *testing.T) {
	s := startServe(t)
	suffix := storetest.Unique()
	db := storetest.Open(t)
	root := storetest.Root(t, db)
	_, leaderToken := storetest.SignedIn(t, db, root.ID, "admin")
	leader := s.as(leaderToken)

	const tries = 16
	type unit struct {
		ID int64 `json:"id"`
	}
	units := make([]unit, tries)
	officers := make([]*serve, tries)
	for i := range units {
		require.Equal(t, http.StatusCreated, leader.call(t, "POST", "/api/v1/units", map[string]any{
			"kind": "district", "code": fmt.Sprintf("T%d-%s", i, suffix), "name": fmt.Sprintf("Hội LHPN huyện %d", i),
			"parent_id": root.ID, "email": fmt.Sprintf("t%d-%s@example.org", i, suffix)}, &units[i]))
		_, token := storetest.SignedIn(t, db, units[i].ID, "officer")
		officers[i] = s.as(token)
	}
	today := calendar.InVietnam(time.Now())
	var plan struct {
		ID      int64 `json:"id"`
		Targets []struct {
			ID int64 `json:"id"`
		} `json:"targets"`
		Cycles []struct {
			ID int64 `json:"id"`
		} `json:"cycles"`
	}
	ids := make([]int64, tries)
	for i, u := range units {
		ids[i] = u.ID
	}
	require.Equal(t, http.StatusCreated, leader.call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "5/KH-" + suffix, "title": "Kế hoạch duyệt đồng thời", "term_start_year": today.Year, "term_end_year": today.Year + 4,
		"issuer_unit_id": root.ID, "unit_ids": ids,
		"targets": []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles":  []map[string]any{{"kind": "annual", "year": today.Year, "due_on": today.AddDays(20).String()}},
	}, &plan))
	require.Equal(t, http.StatusOK, leader.call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil))

	// The fan-out opened every report (their rows are written by the
	// workflows themselves).
	require.Eventually(t, func() bool {
		var n int
		return db.QueryRow(`SELECT count(*) FROM reports WHERE cycle_id = $1`, plan.Cycles[0].ID).Scan(&n) == nil && n == tries
	}, 2*time.Minute, 200*time.Millisecond)

	// Reports: submitted, then accepted and waived at once.
	recorded := false
	for i := 0; i < tries && !recorded; i++ {
		wf := workflows.UnitReportID(plan.ID, plan.Cycles[0].ID, units[i].ID)
		s.settled(t, wf, enumspb.EVENT_TYPE_TIMER_STARTED)
		var reportID int64
		require.NoError(t, db.QueryRow(`SELECT id FROM reports WHERE cycle_id = $1 AND unit_id = $2`, plan.Cycles[0].ID, units[i].ID).Scan(&reportID))
		path := fmt.Sprintf("/api/v1/reports/%d", reportID)
		require.Equal(t, http.StatusOK, officers[i].call(t, "POST", path+"/submit", map[string]any{
			"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 640}}}, nil))
		codes := together(
			func() int { return leader.call(t, "POST", path+"/accept", map[string]any{"comment": "Đạt"}, nil) },
			func() int {
				return leader.call(t, "POST", path+"/waive", map[string]any{"reason": "Đơn vị sáp nhập"}, nil)
			})
		require.ElementsMatch(t, []int{http.StatusOK, http.StatusConflict}, codes)
		var res workflows.UnitReportResult
		require.NoError(t, s.Temporal.GetWorkflow(context.Background(), wf, "").Get(context.Background(), &res))
		h := s.history(t, wf)
		if n := mostUpdatesInOneTask(h); n < 2 {
			t.Logf("report %d: the accept and the waiver came in separate workflow tasks; again", reportID)
			continue
		}
		writeHistory(t, "UnitReport_updates_in_turn.json", h)
		recorded = true
	}
	require.True(t, recorded, "no accept and waiver landed in one workflow task in %d tries", tries)

	// Ad-hoc tasks: started, completed, then confirmed and returned at once.
	recorded = false
	for i := 0; i < tries && !recorded; i++ {
		var task struct {
			ID int64 `json:"id"`
		}
		require.Equal(t, http.StatusCreated, leader.call(t, "POST", "/api/v1/tasks", map[string]any{
			"unit_id": units[i].ID, "title": "Tổng hợp danh sách hội viên tiêu biểu", "due_on": today.AddDays(10).String()}, &task))
		path := fmt.Sprintf("/api/v1/tasks/%d", task.ID)
		require.Eventually(t, func() bool { return officers[i].call(t, "POST", path+"/start", nil, nil) == http.StatusOK }, time.Minute, 100*time.Millisecond)
		require.Equal(t, http.StatusOK, officers[i].call(t, "POST", path+"/complete", map[string]any{"result": "Đã gửi danh sách"}, nil))
		codes := together(
			func() int { return leader.call(t, "POST", path+"/confirm", nil, nil) },
			func() int {
				return leader.call(t, "POST", path+"/return", map[string]any{"comment": "Bổ sung", "due_on": today.AddDays(20).String()}, nil)
			})
		require.ElementsMatch(t, []int{http.StatusOK, http.StatusConflict}, codes)
		wf := workflows.AdHocTaskID(task.ID)
		var h *historypb.History
		require.Eventually(t, func() bool {
			h = s.history(t, wf)
			last := h.Events[len(h.Events)-1].GetEventType()
			return last == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED || last == enumspb.EVENT_TYPE_TIMER_STARTED
		}, time.Minute, 100*time.Millisecond)
		if n := mostUpdatesInOneTask(h); n < 2 {
			t.Logf("task %d: the confirmation and the return came in separate workflow tasks; again", task.ID)
			continue
		}
		writeHistory(t, "TaskWorkflow_updates_in_turn.json", h)
		recorded = true
	}
	require.True(t, recorded, "no confirmation and return landed in one workflow task in %d tries", tries)
}

// together sends the calls at the same instant and returns their statuses.
func together(calls ...func() int) []int {
	codes := make([]int, len(calls))
	runs := make([]func(), len(calls))
	for i, call := range calls {
		runs[i] = func() { codes[i] = call() }
	}
	apptest.Together(runs...)
	return codes
}
