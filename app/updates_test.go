package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/app/apptest"
	"cascade/store/storetest"
	"cascade/workflows"
)

// answer is one API call's status, error code and how long it took.
type answer struct {
	status int
	code   string
	took   time.Duration
}

// together sends the calls at the same instant and returns their answers.
func together(calls ...func(out *errResp) int) []answer {
	answers := make([]answer, len(calls))
	runs := make([]func(), len(calls))
	for i, call := range calls {
		runs[i] = func() {
			began := time.Now()
			var e errResp
			answers[i].status = call(&e)
			answers[i].code, answers[i].took = e.Error.Code, time.Since(began)
		}
	}
	apptest.Together(runs...)
	return answers
}

// requireOneWinner checks a pair of decisions sent together: one is taken,
// the other refused with the domain's 409 and code, neither failing (a 5xx)
// nor waiting long, and never refused as busy.
func requireOneWinner(t *testing.T, answers []answer, code string) {
	t.Helper()
	var ok, refused int
	for _, a := range answers {
		require.Less(t, a.took, 10*time.Second, "answered at once: %+v", a)
		switch a.status {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			refused++
			require.Equal(t, code, a.code, "refused for the state the other left, not as busy: %+v", answers)
		default:
			t.Fatalf("unexpected answer %+v", answers)
		}
	}
	require.Equal(t, 1, ok, "%+v", answers)
	require.Equal(t, 1, refused, "%+v", answers)
}

// Two leaders decide on the same report at the same instant, one accepting
// it and the other waiving it; two decide on a done task, one confirming
// and the other returning it. Each time one decision is taken and the other
// is refused with a 409 that says why (the report is closed, the task's
// state does not allow it), never a busy answer, a 500 or a hang; the
// report's review is recorded once. Several reports and tasks, as two
// requests do not always reach the workflow together.
func TestDecisionsSentTogether_OneTakenTheOtherRefusedForTheStateItLeft(t *testing.T) {
	p := newProvince(t)
	const n = 3
	var units []unitResp
	var officers []*apptest.Cascade
	var unitIDs []int64
	for i := range n {
		u := p.district(t, fmt.Sprintf("TG%d", i), fmt.Sprintf("Hội LHPN huyện %d", i))
		_, token := storetest.SignedIn(t, p.db, u.ID, "officer")
		units, officers, unitIDs = append(units, u), append(officers, p.srv.As(token)), append(unitIDs, u.ID)
	}
	_, leaderToken := storetest.SignedIn(t, p.db, p.root.ID, "leader")
	leader := p.srv.As(leaderToken)
	due := time.Now().AddDate(0, 0, 15).Format(time.DateOnly)
	var plan struct {
		ID      int64 `json:"id"`
		Targets []struct {
			ID int64 `json:"id"`
		} `json:"targets"`
		Cycles []struct {
			ID int64 `json:"id"`
		} `json:"cycles"`
	}
	require.Equal(t, http.StatusCreated, p.admin.Call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "8/KH-" + p.suffix, "title": "Kế hoạch duyệt đồng thời", "term_start_year": 2026, "term_end_year": 2030,
		"issuer_unit_id": p.root.ID, "unit_ids": unitIDs,
		"targets": []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 100, "unit": "hộ"}},
		"cycles":  []map[string]any{{"kind": "annual", "year": 2026, "due_on": due}},
	}, &plan))
	require.Equal(t, http.StatusOK, p.admin.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil))

	for i, u := range units {
		var tr taskResp
		require.Eventually(t, func() bool {
			tr = taskResp{}
			p.admin.Call(t, "GET", fmt.Sprintf("/api/v1/units/%d/tasks", u.ID), nil, &tr)
			return len(tr.Tasks) == 1 && tr.Tasks[0].ReportID != nil
		}, time.Minute, 100*time.Millisecond)
		reportID := *tr.Tasks[0].ReportID
		path := fmt.Sprintf("/api/v1/reports/%d", reportID)
		require.Eventually(t, func() bool {
			return officers[i].Call(t, "POST", path+"/submit", map[string]any{
				"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 64}}}, nil) == http.StatusOK
		}, time.Minute, 200*time.Millisecond)

		requireOneWinner(t, together(
			func(out *errResp) int {
				return leader.Call(t, "POST", path+"/accept", map[string]any{"comment": "Đạt"}, out)
			},
			func(out *errResp) int {
				return leader.Call(t, "POST", path+"/waive", map[string]any{"reason": "Đơn vị sáp nhập"}, out)
			}), "closed")
		var res workflows.UnitReportResult
		require.NoError(t, p.srv.Temporal.GetWorkflow(context.Background(), workflows.UnitReportID(plan.ID, plan.Cycles[0].ID, u.ID), "").
			Get(context.Background(), &res))
		require.Contains(t, []string{"accepted", "waived"}, res.Status)
		var reviews int
		require.NoError(t, p.db.QueryRow(`SELECT count(*) FROM report_reviews WHERE report_id = $1`, reportID).Scan(&reviews))
		require.Equal(t, 1, reviews, "one decision recorded")

		var task struct {
			ID int64 `json:"id"`
		}
		require.Equal(t, http.StatusCreated, leader.Call(t, "POST", "/api/v1/tasks", map[string]any{
			"unit_id": u.ID, "title": "Tổng hợp danh sách hội viên tiêu biểu", "due_on": due}, &task))
		taskPath := fmt.Sprintf("/api/v1/tasks/%d", task.ID)
		require.Eventually(t, func() bool { return officers[i].Call(t, "POST", taskPath+"/start", nil, nil) == http.StatusOK }, time.Minute, 200*time.Millisecond)
		require.Equal(t, http.StatusOK, officers[i].Call(t, "POST", taskPath+"/complete", map[string]any{"result": "Đã gửi danh sách"}, nil))
		requireOneWinner(t, together(
			func(out *errResp) int { return leader.Call(t, "POST", taskPath+"/confirm", nil, out) },
			func(out *errResp) int {
				return leader.Call(t, "POST", taskPath+"/return", map[string]any{"comment": "Bổ sung", "due_on": due}, out)
			}), "wrong_state")
	}
}
