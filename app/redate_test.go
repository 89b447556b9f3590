package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"cascade/calendar"
	"cascade/store"
	"cascade/store/storetest"
	"cascade/workflows"
)

// TestRedateCycles_MovesEveryOpenReportAtOnceAndTheWorkflowsChaseTheNewDates:
// a leader of the plan's unit shifts every open report of the plan by a
// week in one call: each report (of both open cycles, of both districts) is
// due a week later, once in its history, with one audit row for the plan;
// each report's workflow answers with the new date (its reminders chase it).
// Setting the annual day moves only the annual reports. A district's leader
// may not; a request naming neither or both, an impossible day or dates in
// the past are refused naming the field.
func TestRedateCycles_MovesEveryOpenReportAtOnceAndTheWorkflowsChaseTheNewDates(t *testing.T) {
	pr := newProvince(t)
	srv, db, root, admin, suffix := pr.srv, pr.db, pr.root, pr.admin, pr.suffix
	nhaTrang := pr.district(t, "NT", "Hội LHPN thành phố Nha Trang")
	camRanh := pr.district(t, "CR", "Hội LHPN thành phố Cam Ranh")
	_, leaderToken := storetest.SignedIn(t, db, root.ID, "leader")
	leader := srv.As(leaderToken)
	_, ntToken := storetest.SignedIn(t, db, nhaTrang.ID, "leader")
	nt := srv.As(ntToken)

	cal := calendar.Default()
	today := calendar.InVietnam(time.Now())
	annualDue := cal.Adjust(today.AddDays(12))
	halfDue := cal.Adjust(today.AddDays(20))
	var plan struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusCreated, admin.Call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "9/KH-" + suffix, "title": "Kế hoạch dời hạn cùng lúc", "term_start_year": today.Year, "term_end_year": today.Year + 4,
		"issuer_unit_id": root.ID, "unit_ids": []int64{nhaTrang.ID, camRanh.ID},
		"targets": []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles": []map[string]any{
			{"kind": "annual", "year": today.Year, "due_on": annualDue.String()},
			{"kind": "semiannual", "year": today.Year, "due_on": halfDue.String()},
		},
	}, &plan))
	path := fmt.Sprintf("/api/v1/plans/%d/cycles/redate", plan.ID)
	// A draft's reports are not open.
	require.Equal(t, http.StatusConflict, leader.Call(t, "POST", path, map[string]any{"shift_days": 7}, nil))
	require.Equal(t, http.StatusOK, admin.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil))

	type listed struct {
		Reports []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
			DueOn  string `json:"due_on"`
			Unit   struct {
				ID int64 `json:"id"`
			} `json:"unit"`
			Cycle struct {
				ID    int64  `json:"id"`
				Kind  string `json:"kind"`
				DueOn string `json:"due_on"`
			} `json:"cycle"`
		} `json:"reports"`
	}
	var open listed
	require.Eventually(t, func() bool {
		open = listed{}
		admin.Call(t, "GET", fmt.Sprintf("/api/v1/reports?plan_id=%d", plan.ID), nil, &open)
		return len(open.Reports) == 4
	}, time.Minute, 100*time.Millisecond)
	for _, r := range open.Reports {
		// The list names each report's cycle with its own due date (it
		// once said 0001-01-01).
		wantDue := map[string]string{"annual": annualDue.String(), "semiannual": halfDue.String()}[r.Cycle.Kind]
		require.Equal(t, wantDue, r.Cycle.DueOn, "report %d's cycle", r.ID)
	}

	// Refused: the district's leader; neither or both; a bad day; the past.
	require.Equal(t, http.StatusNotFound, nt.Call(t, "POST", path, map[string]any{"shift_days": 7}, nil))
	var e errResp
	require.Equal(t, http.StatusUnprocessableEntity, leader.Call(t, "POST", path, map[string]any{}, &e))
	require.Contains(t, e.Error.Fields, "shift_days")
	require.Equal(t, http.StatusUnprocessableEntity, leader.Call(t, "POST", path, map[string]any{"shift_days": 7, "due_day": "15/12"}, &e))
	require.Equal(t, http.StatusUnprocessableEntity, leader.Call(t, "POST", path, map[string]any{"due_day": "31/02"}, &e))
	require.Contains(t, e.Error.Fields, "due_day")
	require.Equal(t, http.StatusUnprocessableEntity, leader.Call(t, "POST", path, map[string]any{"shift_days": -30}, &e))
	require.Contains(t, e.Error.Fields, "shift_days")

	type answer struct {
		Moved            int `json:"moved"`
		WorkflowsUpdated int `json:"workflows_updated"`
		Reports          []struct {
			ID            int64  `json:"id"`
			PreviousDueOn string `json:"previous_due_on"`
			DueOn         string `json:"due_on"`
		} `json:"reports"`
	}
	var a answer
	require.Equal(t, http.StatusOK, leader.Call(t, "POST", path, map[string]any{"shift_days": 7}, &a))
	require.Equal(t, 4, a.Moved)
	require.Equal(t, 4, a.WorkflowsUpdated, "every report's workflow took its new deadline")
	want := map[int64]string{}
	for _, r := range open.Reports {
		was, _ := calendar.ParseDate(r.DueOn)
		want[r.ID] = cal.Adjust(was.AddDays(7)).String()
	}
	for _, r := range a.Reports {
		require.Equal(t, want[r.ID], r.DueOn, "report %d was due %s", r.ID, r.PreviousDueOn)
	}
	for id, due := range want {
		var stored, task store.Date
		require.NoError(t, db.QueryRow(`SELECT due_on FROM reports WHERE id = $1`, id).Scan(&stored))
		require.NoError(t, db.QueryRow(`SELECT due_on FROM unit_tasks WHERE report_id = $1`, id).Scan(&task))
		require.Equal(t, due, stored.String())
		require.Equal(t, due, task.String())
		var reviews int
		require.NoError(t, db.QueryRow(`SELECT count(*) FROM report_reviews WHERE report_id = $1 AND action = 'deadline'`, id).Scan(&reviews))
		require.Equal(t, 1, reviews, "the workflow recorded the move once, not again")
	}
	var audits int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'plan' AND entity_id = $1 AND action = 'redate_cycles'`,
		fmt.Sprint(plan.ID)).Scan(&audits))
	require.Equal(t, 1, audits)

	// Each workflow answered the update with the new deadline: its ladder
	// now chases it.
	for _, r := range open.Reports {
		id := workflows.UnitReportID(plan.ID, r.Cycle.ID, r.Unit.ID)
		require.Eventually(t, func() bool { return workflowDue(t, srv.Temporal, id) == want[r.ID] }, 30*time.Second, 100*time.Millisecond, "workflow %s", id)
	}

	// The annual day: only the annual reports move, to the day's occurrence
	// nearest their deadline (40 days on, maybe in the next year).
	dayOf := cal.Adjust(today.AddDays(40))
	require.Equal(t, http.StatusOK, leader.Call(t, "POST", path, map[string]any{"due_day": fmt.Sprintf("%02d/%02d", dayOf.Day, dayOf.Month)}, &a))
	require.Equal(t, 2, a.Moved)
	for _, r := range open.Reports {
		var stored store.Date
		require.NoError(t, db.QueryRow(`SELECT due_on FROM reports WHERE id = $1`, r.ID).Scan(&stored))
		if r.Cycle.Kind == "annual" {
			wantDay := dayOf
			require.Equal(t, wantDay.String(), stored.String())
			id := workflows.UnitReportID(plan.ID, r.Cycle.ID, r.Unit.ID)
			require.Eventually(t, func() bool { return workflowDue(t, srv.Temporal, id) == wantDay.String() }, 30*time.Second, 100*time.Millisecond)
		} else {
			require.Equal(t, want[r.ID], stored.String(), "a semiannual report keeps its date")
		}
	}
}

// workflowDue is the deadline a report workflow answered its last
// re-dating update with (the state its reminders chase).
func workflowDue(t *testing.T, c client.Client, id string) string {
	t.Helper()
	it := c.GetWorkflowHistory(context.Background(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	due := ""
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(t, err)
		done := ev.GetWorkflowExecutionUpdateCompletedEventAttributes()
		if done == nil || !strings.HasPrefix(done.GetMeta().GetUpdateId(), "redate-") {
			continue
		}
		var st workflows.ReportState
		require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(done.GetOutcome().GetSuccess(), &st))
		due = st.DueOn
	}
	return due
}
