package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/api/spectest"
	"cascade/app/apptest"
	"cascade/calendar"
	"cascade/store"
	"cascade/store/storetest"
)

func TestMain(m *testing.M) {
	code := storetest.Main(m)
	spectest.Summary()
	os.Exit(code)
}

type unitResp struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
}

// province is a real cascade serve with a province of its own and its admin
// signed in: where the app tests that go through the API start.
type province struct {
	srv    *apptest.Cascade
	db     *store.DB
	root   store.Unit
	admin  *apptest.Cascade
	suffix string // keeps codes and addresses apart in the shared database
}

func newProvince(t *testing.T) province {
	t.Helper()
	srv := apptest.Serve(t)
	db := storetest.Open(t)
	root := storetest.Root(t, db)
	_, token := storetest.SignedIn(t, db, root.ID, "admin")
	return province{srv: srv, db: db, root: root, admin: srv.As(token), suffix: storetest.Unique()}
}

// district adds a district under the province through the API, with the
// code <code>-<suffix> and the address <code>-<suffix>@example.org.
func (p province) district(t *testing.T, code, name string) unitResp {
	t.Helper()
	var u unitResp
	require.Equal(t, http.StatusCreated, p.admin.Call(t, "POST", "/api/v1/units", map[string]any{
		"kind": "district", "code": code + "-" + p.suffix, "name": name,
		"parent_id": p.root.ID, "email": code + "-" + p.suffix + "@example.org"}, &u))
	return u
}

// householdTarget is the target a plan of the helpers below has unless the
// test names its own.
var householdTarget = map[string]any{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}

// issuedPlan creates a plan of the province for units, with one target and
// one cycle due in 12 days, issues it, and waits until each unit's report
// is open in its workflow; it returns the plan's id and those workflows.
func (p province) issuedPlan(t *testing.T, code, title string, units []int64) (int64, []string) {
	t.Helper()
	plan := p.issuedPlanWith(t, code, title, units)
	return plan.ID, plan.Workflows
}

// issued is a plan issuedPlanWith issued.
type issued struct {
	ID int64
	// Targets are the ids of its targets, in the order they were given.
	Targets []int64
	// Workflows are its units' report workflows.
	Workflows []string
}

// issuedPlanWith is issuedPlan with the plan's targets (householdTarget
// when none is given).
func (p province) issuedPlanWith(t *testing.T, code, title string, units []int64, targets ...map[string]any) issued {
	t.Helper()
	if len(targets) == 0 {
		targets = []map[string]any{householdTarget}
	}
	var plan struct {
		ID      int64 `json:"id"`
		Targets []struct {
			ID int64 `json:"id"`
		} `json:"targets"`
	}
	require.Equal(t, http.StatusCreated, p.admin.Call(t, "POST", "/api/v1/plans", map[string]any{
		"code": code + "/KH-" + p.suffix, "title": title, "term_start_year": 2026, "term_end_year": 2030,
		"issuer_unit_id": p.root.ID, "unit_ids": units, "targets": targets,
		"cycles": []map[string]any{{"kind": "annual", "year": 2026, "due_on": calendar.InVietnam(time.Now()).AddDays(12).String()}},
	}, &plan))
	require.Len(t, plan.Targets, len(targets))
	require.Equal(t, http.StatusOK, p.admin.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil))
	s := store.New(p.db)
	out := issued{ID: plan.ID}
	for _, tg := range plan.Targets {
		out.Targets = append(out.Targets, tg.ID)
	}
	require.Eventually(t, func() bool {
		var err error
		out.Workflows, err = s.PlanWorkflowIDs(context.Background(), plan.ID)
		require.NoError(t, err)
		return len(out.Workflows) == len(units)
	}, time.Minute, 100*time.Millisecond, "one report per unit")
	return out
}

// reportTask waits until the unit's inbox holds its one task, a report's,
// and returns the task's id and the report's.
func (p province) reportTask(t *testing.T, unitID int64) (taskID, reportID int64) {
	t.Helper()
	var tr taskResp
	require.Eventually(t, func() bool {
		tr = taskResp{}
		p.admin.Call(t, "GET", fmt.Sprintf("/api/v1/units/%d/tasks", unitID), nil, &tr)
		return len(tr.Tasks) == 1 && tr.Tasks[0].ReportID != nil
	}, time.Minute, 100*time.Millisecond, "the unit's report task")
	return tr.Tasks[0].ID, *tr.Tasks[0].ReportID
}

type taskResp struct {
	Tasks []struct {
		ID       int64  `json:"id"`
		Kind     string `json:"kind"`
		Status   string `json:"status"`
		ReportID *int64 `json:"report_id"`
		Title    string `json:"title"`
	} `json:"tasks"`
}

type errResp struct {
	Error struct {
		Code      string            `json:"code"`
		Message   string            `json:"message"`
		MessageEn string            `json:"message_en"`
		Fields    map[string]string `json:"fields"`
	} `json:"error"`
}

// TestWalkingSkeleton goes through every real part: a plan with two units and
// one target is created and issued over the JSON API, the PlanWorkflow writes
// one task per unit through an activity, one unit submits a value that the
// workflow records, and the other unit's reminder arrives in mailpit.
func TestWalkingSkeleton(t *testing.T) {
	srv := apptest.Serve(t)
	suffix := storetest.Unique()
	db := storetest.Open(t)
	root := storetest.Root(t, db)
	_, leaderToken := storetest.SignedIn(t, db, root.ID, "admin")
	c := srv.As(leaderToken)
	province := unitResp{ID: root.ID}

	var nhaTrang, camRanh unitResp
	require.Equal(t, http.StatusCreated, c.Call(t, "POST", "/api/v1/units", map[string]any{
		"kind": "district", "code": "NT-" + suffix, "name": "Hội LHPN thành phố Nha Trang",
		"parent_id": province.ID, "email": "nhatrang-" + suffix + "@example.org"}, &nhaTrang))
	require.Equal(t, http.StatusCreated, c.Call(t, "POST", "/api/v1/units", map[string]any{
		"kind": "district", "code": "CR-" + suffix, "name": "Hội LHPN thành phố Cam Ranh",
		"parent_id": province.ID, "email": "camranh-" + suffix + "@example.org"}, &camRanh))

	due := time.Now().AddDate(0, 0, 12).Format(time.DateOnly)
	var plan struct {
		ID      int64  `json:"id"`
		Status  string `json:"status"`
		Targets []struct {
			ID int64 `json:"id"`
		} `json:"targets"`
	}
	require.Equal(t, http.StatusCreated, c.Call(t, "POST", "/api/v1/plans", map[string]any{ // plan
		"code": "1/KH-" + suffix, "title": "Kế hoạch thử nghiệm", "term_start_year": 2026, "term_end_year": 2030,
		"issuer_unit_id": province.ID,
		"unit_ids":       []int64{nhaTrang.ID, camRanh.ID},
		"targets":        []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles":         []map[string]any{{"kind": "annual", "year": 2026, "due_on": due}},
	}, &plan))
	require.Equal(t, "draft", plan.Status)
	require.Len(t, plan.Targets, 1)

	require.Equal(t, http.StatusOK, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, &plan))
	require.Equal(t, "issued", plan.Status)
	var again errResp
	require.Equal(t, http.StatusConflict, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, &again))

	// The workflow gives each unit one task: its report.
	inbox := func(unitID int64) taskResp {
		var tr taskResp
		require.Eventually(t, func() bool {
			tr = taskResp{}
			c.Call(t, "GET", fmt.Sprintf("/api/v1/units/%d/tasks", unitID), nil, &tr)
			return len(tr.Tasks) == 1
		}, time.Minute, 100*time.Millisecond)
		return tr
	}
	ntTasks, crTasks := inbox(nhaTrang.ID), inbox(camRanh.ID)
	require.Equal(t, "report", ntTasks.Tasks[0].Kind)
	require.Equal(t, "assigned", ntTasks.Tasks[0].Status)
	require.NotNil(t, ntTasks.Tasks[0].ReportID)
	require.NotNil(t, crTasks.Tasks[0].ReportID)

	// Nha Trang's officer reports; Cam Ranh's cannot even see Nha Trang's report.
	_, ntOfficer := storetest.SignedIn(t, db, nhaTrang.ID, "officer")
	_, crOfficer := storetest.SignedIn(t, db, camRanh.ID, "officer")
	reportPath := fmt.Sprintf("/api/v1/reports/%d", *ntTasks.Tasks[0].ReportID)
	require.Equal(t, http.StatusNotFound, c.As(crOfficer).Call(t, "POST", reportPath+"/submit", map[string]any{
		"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 1}}}, nil))
	c = c.As(ntOfficer)

	// A bad value is refused, naming the field, and nothing is recorded.
	var bad errResp
	require.Equal(t, http.StatusUnprocessableEntity, c.Call(t, "POST", reportPath+"/submit", map[string]any{
		"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": -5}}}, &bad))
	require.Contains(t, bad.Error.Fields, "values[0].value")
	require.NotEmpty(t, bad.Error.Message)
	require.NotEmpty(t, bad.Error.MessageEn)

	// Nha Trang submits; the workflow records the value.
	var report struct {
		Status string `json:"status"`
		Values []struct {
			TargetID int64   `json:"target_id"`
			Value    float64 `json:"value"`
		} `json:"values"`
	}
	require.Equal(t, http.StatusOK, c.Call(t, "POST", reportPath+"/submit", map[string]any{
		"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 640}}}, &report))
	require.Equal(t, "submitted", report.Status)
	require.Len(t, report.Values, 1)
	require.Equal(t, 640.0, report.Values[0].Value)
	require.Equal(t, "done", inbox(nhaTrang.ID).Tasks[0].Status)
	require.Equal(t, http.StatusConflict, c.Call(t, "POST", reportPath+"/submit", map[string]any{
		"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 1}}}, nil))

	// The leader reminds the units that have not reported: only Cam Ranh.
	c = c.As(leaderToken)
	require.Equal(t, http.StatusAccepted, c.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/remind", plan.ID), nil, nil))
	msgs := c.Mail.WaitFor(t, camRanh.Email, 1, time.Minute)
	require.Len(t, msgs, 1)
	require.Contains(t, msgs[0].Subject, "Nhắc nộp")
	require.Contains(t, c.Mail.Text(t, msgs[0].ID), "Hội LHPN thành phố Cam Ranh")
	require.Empty(t, c.Mail.To(t, nhaTrang.Email))

	var outbox struct {
		Notifications []struct {
			Recipient string `json:"recipient"`
			Status    string `json:"status"`
		} `json:"notifications"`
	}
	require.Equal(t, http.StatusOK, c.Call(t, "GET", "/api/v1/outbox", nil, &outbox))
	sent := 0
	for _, n := range outbox.Notifications {
		if n.Recipient == camRanh.Email {
			require.Equal(t, "sent", n.Status)
			sent++
		}
		require.NotEqual(t, nhaTrang.Email, n.Recipient)
	}
	require.Equal(t, 1, sent)

	// The leader returns Nha Trang's report with a comment and a new
	// deadline; Nha Trang is told, resubmits, and the leader accepts.
	newDue := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)
	var returned struct {
		Status  string `json:"status"`
		DueOn   string `json:"due_on"`
		Reviews []struct {
			Action, Comment string
		} `json:"reviews"`
	}
	require.Equal(t, http.StatusOK, c.Call(t, "POST", reportPath+"/return", map[string]any{
		"comment": "Đề nghị bổ sung số hộ thoát nghèo theo xã", "due_on": newDue}, &returned))
	require.Equal(t, "returned", returned.Status)
	wantDue, err := calendar.ParseDate(newDue)
	require.NoError(t, err)
	require.Equal(t, calendar.Default().Adjust(wantDue).String(), returned.DueOn, "a day off moves to the next working day")
	require.Equal(t, "return", returned.Reviews[0].Action)
	back := c.Mail.WaitFor(t, nhaTrang.Email, 1, time.Minute)
	require.Contains(t, back[0].Subject, "trả lại")
	require.Contains(t, c.Mail.Text(t, back[0].ID), "Đề nghị bổ sung số hộ thoát nghèo theo xã")
	require.Equal(t, http.StatusConflict, c.Call(t, "POST", reportPath+"/accept", map[string]any{}, nil), "only a submitted report is accepted")

	require.Equal(t, http.StatusOK, c.As(ntOfficer).Call(t, "POST", reportPath+"/submit", map[string]any{
		"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 655}}}, &report))
	require.Equal(t, "submitted", report.Status)
	require.Equal(t, http.StatusNotFound, c.As(ntOfficer).Call(t, "POST", reportPath+"/accept", map[string]any{}, nil), "reviews are the province's, outside a district officer's scope")
	var accepted struct{ Status string }
	require.Equal(t, http.StatusOK, c.Call(t, "POST", reportPath+"/accept", map[string]any{"comment": "Đạt yêu cầu"}, &accepted))
	require.Equal(t, "accepted", accepted.Status)
	mails := c.Mail.WaitFor(t, nhaTrang.Email, 2, time.Minute)
	require.Contains(t, mails[0].Subject, "duyệt")
	require.Equal(t, "confirmed", inbox(nhaTrang.ID).Tasks[0].Status)

	// The timeline, read from the database: the cycle's reports, the emails
	// sent and the reminder coming next for Cam Ranh.
	var timeline struct {
		Cycles []struct {
			DueOn   string         `json:"due_on"`
			Reports map[string]int `json:"reports"`
		} `json:"cycles"`
		Sent []struct {
			Template, Recipient string
		} `json:"sent"`
		Next []struct {
			Date, Template string
			Units          int
		} `json:"next"`
	}
	require.Equal(t, http.StatusOK, c.Call(t, "GET", fmt.Sprintf("/api/v1/plans/%d/timeline", plan.ID), nil, &timeline))
	require.Equal(t, 2, timeline.Cycles[0].Reports["expected"])
	require.Equal(t, 1, timeline.Cycles[0].Reports["accepted"])
	require.Equal(t, 1, timeline.Cycles[0].Reports["pending"])
	recipients := map[string]bool{}
	for _, n := range timeline.Sent {
		recipients[n.Template+" "+n.Recipient] = true
	}
	require.True(t, recipients["reminder "+camRanh.Email])
	require.True(t, recipients["accepted "+nhaTrang.Email])
	require.Len(t, timeline.Next, 1)
	require.Equal(t, "reminder_before_due", timeline.Next[0].Template)
	require.Equal(t, 1, timeline.Next[0].Units)

	// The worker's workflow and activity counters are in /metrics. The
	// accepted report's workflow ends once its email has gone (after the
	// Update answered), so the counter is waited for.
	var metrics []byte
	scrape := func() {
		resp, err := checkedGet(t, c.URL+"/metrics")
		require.NoError(t, err)
		metrics, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	hasLine := func(prefix, contains string) bool {
		for _, l := range strings.Split(string(metrics), "\n") {
			if strings.HasPrefix(l, prefix) && strings.Contains(l, contains) {
				return true
			}
		}
		return false
	}
	require.Eventually(t, func() bool {
		scrape()
		return hasLine("temporal_workflow_completed_total{", `workflow_type="UnitReport"`)
	}, 60*time.Second, 250*time.Millisecond, "no workflow completion counter")
	require.True(t, hasLine("temporal_activity_execution_latency_seconds_count{", `activity_type="RecordSubmission"`), "no activity latency")
}

func TestServe_HealthReadinessMetricsAndSPA(t *testing.T) {
	c := apptest.Serve(t)
	var unauth errResp
	require.Equal(t, http.StatusUnauthorized, c.Call(t, "GET", "/api/v1/me", nil, &unauth))
	require.Equal(t, "unauthenticated", unauth.Error.Code)
	var ready struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	require.Equal(t, http.StatusOK, c.Call(t, "GET", "/readyz", nil, &ready))
	require.Equal(t, map[string]string{"postgres": "ok", "temporal": "ok"}, ready.Checks)
	require.Equal(t, http.StatusOK, c.Call(t, "GET", "/healthz", nil, nil))

	var notFound errResp
	_, token := storetest.SignedIn(t, storetest.Open(t), storetest.Root(t, storetest.Open(t)).ID, "viewer")
	require.Equal(t, http.StatusNotFound, c.As(token).Call(t, "GET", "/api/v1/nothing-here", nil, &notFound))
	require.Equal(t, "not_found", notFound.Error.Code)

	resp, err := checkedGet(t, c.URL+"/some/client/route")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	require.Contains(t, string(body), "<html")

	resp, err = checkedGet(t, c.URL+"/metrics")
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.True(t, strings.Contains(string(body), `cascade_http_request_duration_seconds_bucket{method="GET",route="/readyz",status="200"`), "metrics lack the readyz latency")
}

func TestOutbox_AFailedEmailIsSentAgainOnRetry(t *testing.T) {
	srv := apptest.Serve(t)
	db := storetest.Open(t)
	root := storetest.Root(t, db)
	_, admin := storetest.SignedIn(t, db, root.ID, "admin")
	to := "retry-" + storetest.Unique() + "@example.org"
	n, err := store.New(db).EnqueueNotification(t.Context(), store.Notification{IdempotencyKey: "test/" + storetest.Unique(),
		UnitID: &root.ID, Recipient: to, Template: "reminder", Subject: "[Cascade] Nhắc nộp báo cáo", BodyText: "Kính gửi …"})
	require.NoError(t, err)
	require.NoError(t, store.New(db).MarkNotificationFailed(t.Context(), n.ID, "dial tcp: connection refused"))

	c := srv.As(admin)
	require.Equal(t, http.StatusAccepted, c.Call(t, "POST", fmt.Sprintf("/api/v1/outbox/%d/retry", n.ID), nil, nil))
	msgs := srv.Mail.WaitFor(t, to, 1, time.Minute)
	require.Equal(t, "[Cascade] Nhắc nộp báo cáo", msgs[0].Subject)
	require.Eventually(t, func() bool {
		got, err := store.New(db).NotificationByID(t.Context(), n.ID)
		return err == nil && got.Status == "sent"
	}, 10*time.Second, 100*time.Millisecond)
	require.Equal(t, http.StatusConflict, c.Call(t, "POST", fmt.Sprintf("/api/v1/outbox/%d/retry", n.ID), nil, nil), "a sent email is not sent twice")
}

// checkedGet is http.Get through a client whose exchange is validated
// against api/openapi.yaml (the web app's routes are outside the API and
// pass through).
func checkedGet(t *testing.T, url string) (*http.Response, error) {
	return (&http.Client{Transport: spectest.Transport(t, nil)}).Get(url)
}
