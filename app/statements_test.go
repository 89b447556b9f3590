package app_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/api"
	"cascade/app/apptest"
	"cascade/metrics"
	"cascade/store/sqlcount"
	"cascade/store/storetest"
)

// Budgets of SQL statements a request may send on its own context (the
// caller's lookup included, the workflow's activities not): a reload that
// creeps back into a handler is seen here.
const (
	readBudget  = 5
	writeBudget = 8
)

// heldAt are routes held below their budget, at what they send today: a
// plan and its matrix load the plan with its scope, its cycles and the
// unit asked for in one statement (store.PlanView), the document or the
// page of the grid in one more.
var heldAt = map[string]int{
	"plan":   3,
	"matrix": 3,
}

// TestStatementsPerRequest_MainRoutesLoadTheirObjectOnce walks the main
// routes of a report's life — plans, the report form, a draft, a
// submission, a return, a resubmission and an acceptance, tasks, the inbox,
// the dashboard, the matrix and the timeline — on a real serve (its
// workflows do the writes of a submission on their own contexts) and holds
// each to its budget of statements.
func TestStatementsPerRequest_MainRoutesLoadTheirObjectOnce(t *testing.T) {
	p := newProvince(t)
	district := p.district(t, "SQ", "Hội LHPN huyện Cam Lâm")
	_, leaderToken := storetest.SignedIn(t, p.db, p.root.ID, "leader")
	_, officerToken := storetest.SignedIn(t, p.db, district.ID, "officer")

	plan := p.issuedPlanWith(t, "8", "Kế hoạch đếm truy vấn", []int64{district.ID}, householdTarget,
		map[string]any{"text": "Tỷ lệ trẻ suy dinh dưỡng", "value": 8.5, "unit": "%", "measure": "percent", "direction": "at_most"})
	taskID, reportID := p.reportTask(t, district.ID)

	// The API under count: the serve's database and Temporal, every
	// request's statements counted on its own context. The caller is looked
	// up on every request (no cache), so that lookup is counted too.
	s := &api.Server{DB: p.db, Temporal: p.srv.Temporal, TaskQueue: "cascade", Metrics: metrics.New(),
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), DataDir: t.TempDir()}
	var mu sync.Mutex
	var last *sqlcount.Counter
	hs := httptest.NewServer(sqlcount.Handler(s.Handler(), func(_ *http.Request, c *sqlcount.Counter) {
		mu.Lock()
		last = c
		mu.Unlock()
	}))
	t.Cleanup(hs.Close)
	base := &apptest.Cascade{URL: hs.URL}
	admin, leader, officer := base.As(p.admin.Token), base.As(leaderToken), base.As(officerToken)
	// A token's first use of the minute is written down: not counted.
	for _, c := range []*apptest.Cascade{admin, leader, officer} {
		require.Equal(t, http.StatusOK, c.Call(t, "GET", "/api/v1/me", nil, nil))
	}

	report := fmt.Sprintf("/api/v1/reports/%d", reportID)
	values := map[string]any{"values": []map[string]any{{"target_id": plan.Targets[0], "value": 64},
		{"target_id": plan.Targets[1], "numerator": 3, "denominator": 40}}}
	returnDue := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)
	steps := []struct {
		name   string
		as     *apptest.Cascade
		method string
		path   string
		body   any
	}{
		{"plans list", admin, "GET", "/api/v1/plans", nil},
		{"plan", admin, "GET", fmt.Sprintf("/api/v1/plans/%d", plan.ID), nil},
		{"inbox", officer, "GET", fmt.Sprintf("/api/v1/units/%d/tasks", district.ID), nil},
		{"task list", admin, "GET", "/api/v1/tasks", nil},
		{"task", officer, "GET", fmt.Sprintf("/api/v1/tasks/%d", taskID), nil},
		{"report form", officer, "GET", report, nil},
		{"report draft", officer, "PUT", report + "/draft", values},
		{"report submit", officer, "POST", report + "/submit", values},
		{"review queue", leader, "GET", fmt.Sprintf("/api/v1/reports?plan_id=%d&status=submitted", plan.ID), nil},
		{"report return", leader, "POST", report + "/return", map[string]any{"comment": "Bổ sung số liệu mục 1", "due_on": returnDue}},
		{"report form (returned)", officer, "GET", report, nil},
		{"report resubmit", officer, "POST", report + "/submit", values},
		{"report accept", leader, "POST", report + "/accept", map[string]any{"comment": "Đạt"}},
		{"report (leader)", leader, "GET", report, nil},
		{"dashboard", leader, "GET", fmt.Sprintf("/api/v1/plans/%d/dashboard", plan.ID), nil},
		{"matrix", leader, "GET", fmt.Sprintf("/api/v1/plans/%d/matrix", plan.ID), nil},
		{"timeline", leader, "GET", fmt.Sprintf("/api/v1/plans/%d/timeline", plan.ID), nil},
	}
	var table []string
	for _, st := range steps {
		status := st.as.Call(t, st.method, st.path, st.body, nil)
		require.Less(t, status, 300, "%s %s", st.method, st.path)
		mu.Lock()
		c := last
		mu.Unlock()
		n, budget := c.Count(), readBudget
		if st.method != "GET" {
			budget = writeBudget
		}
		if held, ok := heldAt[st.name]; ok {
			budget = held
		}
		table = append(table, fmt.Sprintf("%-24s %-6s %2d (budget %d)", st.name, st.method, n, budget))
		if n > budget {
			t.Errorf("%s %s sent %d statements, more than %d:\n  %s", st.method, st.path, n, budget, strings.Join(c.Statements(), "\n  "))
		}
	}
	t.Logf("statements per request:\n%s", strings.Join(table, "\n"))
}
