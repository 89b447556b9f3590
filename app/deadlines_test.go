package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/calendar"
	"cascade/store"
	"cascade/store/storetest"
)

// TestNewDeadlines_OnADayOffMoveToTheNextWorkingDay: a report returned with
// a Saturday as its new deadline is due the Monday after, a deadline moved
// onto a day off an admin added is due the working day after it, and a task
// returned with a Saturday is due the Monday, and moved onto the admin's day
// off is due the day after. Each answer shows the date the deadline is, and
// so does what is stored.
func TestNewDeadlines_OnADayOffMoveToTheNextWorkingDay(t *testing.T) {
	pr := newProvince(t)
	srv, db, root, admin, suffix := pr.srv, pr.db, pr.root, pr.admin, pr.suffix
	nhaTrang := pr.district(t, "NT", "Hội LHPN thành phố Nha Trang")
	_, ntToken := storetest.SignedIn(t, db, nhaTrang.ID, "officer")
	nt := srv.As(ntToken)

	// A Saturday whose Monday is a working day, and, further on, a Tuesday
	// that an admin makes a day off, with a working Wednesday after it.
	cal := calendar.Default()
	today := calendar.InVietnam(time.Now())
	saturday := today.AddDays(7)
	for saturday.Weekday() != time.Saturday || !cal.IsWorkingDay(saturday.AddDays(2)) {
		saturday = saturday.AddDays(1)
	}
	tuesday := today.AddDays(60)
	for tuesday.Weekday() != time.Tuesday || !cal.IsWorkingDay(tuesday) || !cal.IsWorkingDay(tuesday.AddDays(1)) {
		tuesday = tuesday.AddDays(1)
	}
	dayOff := "/api/v1/calendar/days/" + tuesday.String()
	require.Equal(t, http.StatusOK, admin.Call(t, "PUT", dayOff, map[string]any{"kind": "off", "name": "Nghỉ theo quyết định của tỉnh"}, nil))
	t.Cleanup(func() { admin.Call(t, "DELETE", dayOff, nil, nil) })

	var plan struct {
		ID      int64 `json:"id"`
		Targets []struct {
			ID int64 `json:"id"`
		} `json:"targets"`
	}
	require.Equal(t, http.StatusCreated, admin.Call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "7/KH-" + suffix, "title": "Kế hoạch có hạn mới", "term_start_year": today.Year, "term_end_year": today.Year + 4,
		"issuer_unit_id": root.ID, "unit_ids": []int64{nhaTrang.ID},
		"targets": []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles":  []map[string]any{{"kind": "annual", "year": today.Year, "due_on": today.AddDays(12).String()}},
	}, &plan))
	require.Equal(t, http.StatusOK, admin.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil))
	var reportID int64
	require.Eventually(t, func() bool {
		var in taskResp
		admin.Call(t, "GET", fmt.Sprintf("/api/v1/units/%d/tasks", nhaTrang.ID), nil, &in)
		for _, it := range in.Tasks {
			if it.ReportID != nil {
				reportID = *it.ReportID
			}
		}
		return reportID != 0
	}, time.Minute, 100*time.Millisecond)
	reportPath := fmt.Sprintf("/api/v1/reports/%d", reportID)
	require.Equal(t, http.StatusOK, nt.Call(t, "POST", reportPath+"/submit", map[string]any{
		"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 640}}}, nil))

	type report struct {
		Status string `json:"status"`
		DueOn  string `json:"due_on"`
	}
	stored := func() (reportDue, taskDue string) {
		t.Helper()
		var r, u store.Date
		require.NoError(t, db.QueryRow(`SELECT due_on FROM reports WHERE id = $1`, reportID).Scan(&r))
		require.NoError(t, db.QueryRow(`SELECT due_on FROM unit_tasks WHERE report_id = $1`, reportID).Scan(&u))
		return r.String(), u.String()
	}
	var r report
	require.Equal(t, http.StatusOK, admin.Call(t, "POST", reportPath+"/return", map[string]any{
		"comment": "Bổ sung số liệu", "due_on": saturday.String()}, &r))
	monday := saturday.AddDays(2).String()
	require.Equal(t, report{Status: "returned", DueOn: monday}, r, "returned on %s", saturday)
	reportDue, taskDue := stored()
	require.Equal(t, monday, reportDue)
	require.Equal(t, monday, taskDue)

	require.Equal(t, http.StatusOK, admin.Call(t, "POST", reportPath+"/deadline", map[string]any{"due_on": tuesday.String()}, &r))
	wednesday := tuesday.AddDays(1).String()
	require.Equal(t, report{Status: "returned", DueOn: wednesday}, r, "moved to %s, a day off", tuesday)
	reportDue, taskDue = stored()
	require.Equal(t, wednesday, reportDue)
	require.Equal(t, wednesday, taskDue)

	// A working day stays as it is.
	require.Equal(t, http.StatusOK, admin.Call(t, "POST", reportPath+"/deadline", map[string]any{"due_on": monday}, &r))
	require.Equal(t, monday, r.DueOn)

	// A task returned with a Saturday as its new deadline.
	var task taskDetail
	require.Equal(t, http.StatusCreated, admin.Call(t, "POST", "/api/v1/tasks", map[string]any{
		"unit_id": nhaTrang.ID, "title": "Tổng hợp danh sách hội viên tiêu biểu", "due_on": today.AddDays(5).String()}, &task))
	taskPath := fmt.Sprintf("/api/v1/tasks/%d", task.ID)
	require.Eventually(t, func() bool { return nt.Call(t, "POST", taskPath+"/start", nil, nil) == http.StatusOK }, time.Minute, 100*time.Millisecond)
	require.Equal(t, http.StatusOK, nt.Call(t, "POST", taskPath+"/complete", map[string]any{"result": "Đã gửi danh sách"}, nil))
	require.Equal(t, http.StatusOK, admin.Call(t, "POST", taskPath+"/return", map[string]any{
		"comment": "Bổ sung hội viên xã đảo", "due_on": saturday.String()}, &task))
	require.Equal(t, "in_progress", task.Status, "back with the unit")
	require.Equal(t, monday, task.DueOn)
	var due store.Date
	require.NoError(t, db.QueryRowContext(context.Background(), `SELECT due_on FROM unit_tasks WHERE id = $1`, task.ID).Scan(&due))
	require.Equal(t, monday, due.String())

	// The assigning side moves the task's deadline, onto the admin's day
	// off; the unit itself may not (the assigning unit is outside its
	// subtree: 404, as for a return).
	require.Equal(t, http.StatusNotFound, nt.Call(t, "POST", taskPath+"/deadline", map[string]any{"due_on": tuesday.String()}, nil))
	require.Equal(t, http.StatusOK, admin.Call(t, "POST", taskPath+"/deadline", map[string]any{"due_on": tuesday.String()}, &task))
	require.Equal(t, "in_progress", task.Status)
	require.Equal(t, wednesday, task.DueOn)
	require.Equal(t, "deadline", task.History[len(task.History)-1].Action)
	require.NoError(t, db.QueryRowContext(context.Background(), `SELECT due_on FROM unit_tasks WHERE id = $1`, task.ID).Scan(&due))
	require.Equal(t, wednesday, due.String())
}
