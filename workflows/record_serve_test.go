//go:build record

package workflows_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"cascade/app/apptest"
	"cascade/calendar"
	"cascade/escalation"
	"cascade/plans"
	"cascade/store"
	"cascade/store/storetest"
	"cascade/workflows"
)

// The recorder links the whole of cascade serve (API, worker, embedded
// Temporal server), so it is built only with -tags record: the workflow and
// replay tests then neither wait for that link nor break when a package
// they do not test does not compile.
// Each part records on a serve of its own: -run TestRecordHistories/<part>
// records only that part.
func init() {
	recordHistories = func(t *testing.T) {
		t.Run("serve", recordFromServe)
		t.Run("updates-in-turn", recordUpdatesInTurn)
	}
}

// serve is a running `cascade serve` with a client of its Temporal server.
type serve struct{ *apptest.Cascade }

func startServe(t *testing.T) *serve { return &serve{apptest.Serve(t)} }

func (s *serve) as(token string) *serve { return &serve{s.Cascade.As(token)} }

func (s *serve) call(t *testing.T, method, path string, body, out any) int {
	return s.Cascade.Call(t, method, path, body, out)
}

// history reads a workflow's latest run's history as it is now.
func (s *serve) history(t *testing.T, workflowID string) *historypb.History {
	t.Helper()
	return s.runHistory(t, workflowID, "")
}

// runHistory reads one run's history.
func (s *serve) runHistory(t *testing.T, workflowID, runID string) *historypb.History {
	t.Helper()
	it := s.Temporal.GetWorkflowHistory(context.Background(), workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(t, err)
		h.Events = append(h.Events, ev)
	}
	return h
}

// settled waits until a running workflow's history ends in one of the given
// event types with the given events present, i.e. the workflow waits on a
// timer or a child, and returns it.
func (s *serve) settled(t *testing.T, workflowID string, last enumspb.EventType, contains ...enumspb.EventType) *historypb.History {
	t.Helper()
	var h *historypb.History
	require.Eventually(t, func() bool {
		h = s.history(t, workflowID)
		if len(h.Events) == 0 || h.Events[len(h.Events)-1].GetEventType() != last {
			return false
		}
		for _, want := range contains {
			found := false
			for _, ev := range h.Events {
				found = found || ev.GetEventType() == want
			}
			if !found {
				return false
			}
		}
		return true
	}, time.Minute, 100*time.Millisecond, "history of %s did not settle", workflowID)
	return h
}

func writeHistory(t *testing.T, name string, h *historypb.History) {
	t.Helper()
	b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(h)
	require.NoError(t, err)
	path := filepath.Join("testdata", name)
	require.NoError(t, os.MkdirAll("testdata", 0o755))
	require.NoError(t, os.WriteFile(path, append(b, '\n'), 0o644))
	t.Logf("wrote %s: %d events", path, len(h.Events))
}

// recordFromServe drives one plan through the JSON API of a real cascade
// serve: two units, a plan due in three days (so each unit's T-7 reminder
// goes out at once), issued; one unit submits; the leader reminds the rest.
// It records the plan's first run, the submitted unit's report (completed),
// the other unit's report (waiting for its T+0 reminder) and the reminder,
// then the tasks, a review, a cancelled plan's EndPlan, a plan's closing run
// and a password reset's SendEmail.
func recordFromServe(t *testing.T) {
	srv := startServe(t)
	suffix := storetest.Unique()
	db := storetest.Open(t)
	root := storetest.Root(t, db)
	leaderID, leaderToken := storetest.SignedIn(t, db, root.ID, "admin")
	s := srv.as(leaderToken)

	type unit struct {
		ID int64 `json:"id"`
	}
	province := unit{ID: root.ID}
	var nhaTrang, camRanh unit
	require.Equal(t, http.StatusCreated, s.call(t, "POST", "/api/v1/units", map[string]any{
		"kind": "district", "code": "NT-" + suffix, "name": "Hội LHPN thành phố Nha Trang",
		"parent_id": province.ID, "email": "nhatrang-" + suffix + "@example.org"}, &nhaTrang))
	require.Equal(t, http.StatusCreated, s.call(t, "POST", "/api/v1/units", map[string]any{
		"kind": "district", "code": "CR-" + suffix, "name": "Hội LHPN thành phố Cam Ranh",
		"parent_id": province.ID, "email": "camranh-" + suffix + "@example.org"}, &camRanh))

	today := calendar.InVietnam(time.Now())
	due := today.AddDays(3)
	var plan struct {
		ID      int64 `json:"id"`
		Targets []struct {
			ID int64 `json:"id"`
		} `json:"targets"`
		Cycles []struct {
			ID int64 `json:"id"`
		} `json:"cycles"`
	}
	require.Equal(t, http.StatusCreated, s.call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "1/KH-" + suffix, "title": "Kế hoạch ghi lịch sử", "term_start_year": today.Year, "term_end_year": today.Year + 4,
		"issuer_unit_id": province.ID,
		"unit_ids":       []int64{nhaTrang.ID, camRanh.ID},
		"targets":        []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles":         []map[string]any{{"kind": "annual", "year": today.Year, "due_on": due.String()}},
	}, &plan))
	require.Len(t, plan.Targets, 1)
	require.Len(t, plan.Cycles, 1)
	// A task group led by Nha Trang with Cam Ranh supporting, and every
	// district building its own plan: the plan dispatches their workflows.
	taskDue := today.AddDays(40)
	require.NoError(t, db.WithTx(context.Background(), func(st *store.Store) error {
		doc, err := st.LoadPlanDoc(context.Background(), plan.ID)
		if err != nil {
			return err
		}
		doc.TaskGroups = append(doc.TaskGroups, plans.TaskGroup{Heading: "Công tác tuyên truyền", Tasks: []plans.Task{{
			Text: "Quán triệt nghị quyết đến cán bộ, hội viên", DueOn: &taskDue,
			LeadUnitIDs: []int64{nhaTrang.ID}, SupportUnitIDs: []int64{camRanh.ID}}}})
		doc.Responsibilities = append(doc.Responsibilities, plans.Responsibility{
			Text: "Xây dựng Kế hoạch triển khai thực hiện", UnitKind: "district", Action: "build_plan"})
		return st.SavePlanContent(context.Background(), doc)
	}))
	require.Equal(t, http.StatusOK, s.call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil))

	reportOf := func(unitID int64) int64 {
		var id int64
		require.Eventually(t, func() bool {
			var tr struct {
				Tasks []struct {
					ReportID *int64 `json:"report_id"`
				} `json:"tasks"`
			}
			s.call(t, "GET", fmt.Sprintf("/api/v1/units/%d/tasks", unitID), nil, &tr)
			for _, task := range tr.Tasks {
				if task.ReportID != nil {
					id = *task.ReportID
					return true
				}
			}
			return false
		}, time.Minute, 100*time.Millisecond)
		return id
	}
	ntReport := reportOf(nhaTrang.ID)
	reportOf(camRanh.ID)

	planWF := workflows.PlanWorkflowID(plan.ID)
	ntWF := workflows.UnitReportID(plan.ID, plan.Cycles[0].ID, nhaTrang.ID)
	crWF := workflows.UnitReportID(plan.ID, plan.Cycles[0].ID, camRanh.ID)
	// Both reports sent their T-7 reminder and wait for T+0 on a timer.
	s.settled(t, ntWF, enumspb.EVENT_TYPE_TIMER_STARTED, enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
	s.settled(t, crWF, enumspb.EVENT_TYPE_TIMER_STARTED, enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)

	_, ntOfficer := storetest.SignedIn(t, db, nhaTrang.ID, "officer")
	require.Equal(t, http.StatusOK, s.as(ntOfficer).call(t, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", ntReport), map[string]any{
		"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 640}}}, nil))
	var ntResult workflows.UnitReportResult
	// The leader returns it once, Nha Trang resubmits, the leader accepts:
	// the history holds the whole review loop.
	reportPath := fmt.Sprintf("/api/v1/reports/%d", ntReport)
	require.Equal(t, http.StatusOK, s.call(t, "POST", reportPath+"/return", map[string]any{
		"comment": "Bổ sung số liệu", "due_on": time.Now().AddDate(0, 0, 20).Format(time.DateOnly)}, nil))
	require.Equal(t, http.StatusOK, s.as(ntOfficer).call(t, "POST", reportPath+"/submit", map[string]any{
		"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 655}}}, nil))
	require.Equal(t, http.StatusOK, s.call(t, "POST", reportPath+"/accept", map[string]any{"comment": "Đạt"}, nil))
	require.NoError(t, s.Temporal.GetWorkflow(context.Background(), ntWF, "").Get(context.Background(), &ntResult))
	require.Equal(t, "accepted", ntResult.Status)

	var remind struct {
		WorkflowID string `json:"workflow_id"`
	}
	require.Equal(t, http.StatusAccepted, s.call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/remind", plan.ID), nil, &remind))
	var reminded workflows.PlanReminderResult
	require.NoError(t, s.Temporal.GetWorkflow(context.Background(), remind.WorkflowID, "").Get(context.Background(), &reminded))
	require.Equal(t, 1, reminded.Notifications, "only Cam Ranh is pending")

	// The plan's first run started the unit reports and continued as new;
	// the second waits on a timer for the next cycle. Record the first.
	second := s.settled(t, planWF, enumspb.EVENT_TYPE_TIMER_STARTED)
	firstRun := second.Events[0].GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId()
	planHistory := s.runHistory(t, planWF, firstRun)
	require.Equal(t, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, planHistory.Events[len(planHistory.Events)-1].GetEventType())
	writeHistory(t, "PlanWorkflow.json", planHistory)
	writeHistory(t, "UnitReport.json", s.history(t, ntWF))
	writeHistory(t, "UnitReport_waiting.json", s.settled(t, crWF, enumspb.EVENT_TYPE_TIMER_STARTED))
	writeHistory(t, "PlanReminder.json", s.history(t, remind.WorkflowID))

	// The plan's task for Nha Trang waits for its T-7 reminder on a timer,
	// and so does Cam Ranh's own plan.
	writeHistory(t, "TaskWorkflow_plan_task_waiting.json", s.settled(t, workflows.PlanTaskID(plan.ID, planTaskID(t, db, plan.ID), nhaTrang.ID),
		enumspb.EVENT_TYPE_TIMER_STARTED, enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED))
	writeHistory(t, "TaskWorkflow_unit_plan_waiting.json", s.settled(t, workflows.UnitPlanID(plan.ID, camRanh.ID),
		enumspb.EVENT_TYPE_TIMER_STARTED, enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED))

	// An ad-hoc task from the province to Nha Trang, supported by Cam Ranh:
	// started, completed, returned, completed again and confirmed.
	var task struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusCreated, s.call(t, "POST", "/api/v1/tasks", map[string]any{
		"unit_id": nhaTrang.ID, "title": "Tổng hợp danh sách hội viên tiêu biểu", "due_on": today.AddDays(3).String(),
		"supporting_unit_ids": []int64{camRanh.ID}}, &task))
	taskPath := fmt.Sprintf("/api/v1/tasks/%d", task.ID)
	nt := s.as(ntOfficer)
	require.Eventually(t, func() bool { return nt.call(t, "POST", taskPath+"/start", nil, nil) == http.StatusOK }, time.Minute, 100*time.Millisecond)
	require.Equal(t, http.StatusOK, nt.call(t, "POST", taskPath+"/complete", map[string]any{"result": "Đã gửi danh sách 25 hội viên"}, nil))
	require.Equal(t, http.StatusOK, s.call(t, "POST", taskPath+"/return", map[string]any{
		"comment": "Bổ sung hội viên xã đảo", "due_on": today.AddDays(20).String()}, nil))
	require.Equal(t, http.StatusOK, nt.call(t, "POST", taskPath+"/complete", map[string]any{"result": "Đã bổ sung"}, nil))
	require.Equal(t, http.StatusOK, s.call(t, "POST", taskPath+"/confirm", nil, nil))
	var taskResult workflows.TaskWorkflowResult
	require.NoError(t, s.Temporal.GetWorkflow(context.Background(), workflows.AdHocTaskID(task.ID), "").Get(context.Background(), &taskResult))
	require.Equal(t, "confirmed", taskResult.Status)
	writeHistory(t, "TaskWorkflow.json", s.history(t, workflows.AdHocTaskID(task.ID)))

	// A plan whose mid-term cycle was due 20 days ago and whose annual
	// report is due in 12: its third run (past the last cycle) compiles the
	// mid-term review at once, then waits on a timer to close the plan.
	// Record that run.
	var reviewed struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusCreated, s.call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "2/KH-" + suffix, "title": "Kế hoạch có sơ kết", "term_start_year": today.Year - 1, "term_end_year": today.Year + 3,
		"issuer_unit_id": province.ID, "unit_ids": []int64{camRanh.ID},
		"targets": []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles": []map[string]any{
			{"kind": "midterm", "year": today.AddDays(-20).Year, "due_on": today.AddDays(-20).String()},
			{"kind": "annual", "year": today.AddDays(12).Year, "due_on": today.AddDays(12).String()},
		},
	}, &reviewed))
	require.Equal(t, http.StatusOK, s.call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", reviewed.ID), nil, nil))
	reviewHistory := s.settled(t, workflows.PlanWorkflowID(reviewed.ID), enumspb.EVENT_TYPE_TIMER_STARTED)
	var compiled bool
	for _, e := range reviewHistory.Events {
		if e.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName() == "CompileReview" {
			compiled = true
		}
	}
	require.True(t, compiled, "the third run compiles the mid-term review")
	writeHistory(t, "PlanWorkflow_review.json", reviewHistory)

	// Cancelling that plan stops Cam Ranh's two reports from EndPlan.
	require.Equal(t, http.StatusOK, s.call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/cancel", reviewed.ID), map[string]any{"reason": "Ghi lịch sử"}, nil))
	var cancelled int
	require.NoError(t, s.Temporal.GetWorkflow(context.Background(), workflows.EndPlanID(reviewed.ID), "").Get(context.Background(), &cancelled))
	require.GreaterOrEqual(t, cancelled, 2, "both reports, and the plan's own workflow if it had not ended yet")
	writeHistory(t, "EndPlan.json", s.history(t, workflows.EndPlanID(reviewed.ID)))

	// A plan whose only report was due 40 days ago: its second run is past
	// its close, so it closes the plan at once, cancels its open tasks and
	// ends its unit workflows. Record that run.
	var closing struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusCreated, s.call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "3/KH-" + suffix, "title": "Kế hoạch đã hết nhiệm kỳ", "term_start_year": today.Year - 1, "term_end_year": today.Year,
		"issuer_unit_id": province.ID, "unit_ids": []int64{camRanh.ID},
		"targets": []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles":  []map[string]any{{"kind": "annual", "year": today.AddDays(-40).Year, "due_on": today.AddDays(-40).String()}},
	}, &closing))
	require.Equal(t, http.StatusOK, s.call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", closing.ID), nil, nil))
	closeHistory := s.settled(t, workflows.PlanWorkflowID(closing.ID), enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
	var ended bool
	for _, e := range closeHistory.Events {
		ended = ended || e.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName() == "EndPlanWorkflows"
	}
	require.True(t, ended, "the closing run ends the plan's unit workflows")
	writeHistory(t, "PlanWorkflow_close.json", closeHistory)

	// A password reset: its email goes out through SendEmail.
	leader, err := store.New(db).User(context.Background(), leaderID)
	require.NoError(t, err)
	require.Equal(t, http.StatusAccepted, srv.call(t, "POST", "/api/v1/auth/password-reset", map[string]any{"email": leader.Email}, nil))
	var outbox struct {
		Notifications []struct {
			ID        int64  `json:"id"`
			Template  string `json:"template"`
			Recipient string `json:"recipient"`
		} `json:"notifications"`
	}
	var resetID int64
	require.Eventually(t, func() bool {
		s.call(t, "GET", "/api/v1/outbox", nil, &outbox)
		for _, n := range outbox.Notifications {
			if n.Template == "password_reset" && n.Recipient == leader.Email {
				resetID = n.ID
			}
		}
		return resetID != 0
	}, time.Minute, 100*time.Millisecond)
	require.NoError(t, s.Temporal.GetWorkflow(context.Background(), workflows.SendEmailID(resetID), "").Get(context.Background(), nil))
	writeHistory(t, "SendEmail.json", s.history(t, workflows.SendEmailID(resetID)))

	recordImport(t, s, province.ID)
	recordLadders(t, s, db, province.ID, nhaTrang.ID, camRanh.ID, ntOfficer, suffix)
}

// recordLadders records, on a plan with its own ladder (every three days
// after the deadline, 30 times) and a monthly task: a report waived, a
// report whose deadline moved (waiting on its new ladder), and the plan's
// recurring task started, completed and confirmed, whose first run
// continues as new with its next round.
func recordLadders(t *testing.T, s *serve, db *store.DB, provinceID, ntID, crID int64, ntOfficer, suffix string) {
	today := calendar.InVietnam(time.Now())
	var plan struct {
		ID     int64 `json:"id"`
		Cycles []struct {
			ID int64 `json:"id"`
		} `json:"cycles"`
	}
	require.Equal(t, http.StatusCreated, s.call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "4/KH-" + suffix, "title": "Kế hoạch có thang nhắc riêng", "term_start_year": today.Year, "term_end_year": today.Year + 4,
		"issuer_unit_id": provinceID, "unit_ids": []int64{ntID, crID},
		"targets": []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles":  []map[string]any{{"kind": "annual", "year": today.Year, "due_on": today.AddDays(3).String()}},
	}, &plan))
	require.NoError(t, db.WithTx(context.Background(), func(st *store.Store) error {
		doc, err := st.LoadPlanDoc(context.Background(), plan.ID)
		if err != nil {
			return err
		}
		policy := escalation.DefaultPolicy()
		policy.RepeatEveryDays, policy.MaxRepeats = 3, 30
		doc.EscalationPolicy = &policy
		doc.TaskGroups = append(doc.TaskGroups, plans.TaskGroup{Heading: "Báo cáo định kỳ", Tasks: []plans.Task{{
			Text: "Báo cáo nhanh tình hình hội viên", Recurrence: "monthly", LeadUnitIDs: []int64{ntID}}}})
		return st.SavePlanContent(context.Background(), doc)
	}))
	require.Equal(t, http.StatusOK, s.call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil))

	ntWF := workflows.UnitReportID(plan.ID, plan.Cycles[0].ID, ntID)
	crWF := workflows.UnitReportID(plan.ID, plan.Cycles[0].ID, crID)
	// The fan-out opened both reports (their rows are written by the
	// workflows themselves).
	require.Eventually(t, func() bool {
		var n int
		return db.QueryRow(`SELECT count(*) FROM reports WHERE cycle_id = $1`, plan.Cycles[0].ID).Scan(&n) == nil && n == 2
	}, 2*time.Minute, 200*time.Millisecond)
	s.settled(t, ntWF, enumspb.EVENT_TYPE_TIMER_STARTED, enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
	s.settled(t, crWF, enumspb.EVENT_TYPE_TIMER_STARTED, enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
	reportID := func(unitID int64) int64 {
		var id int64
		require.NoError(t, db.QueryRow(`SELECT id FROM reports WHERE cycle_id = $1 AND unit_id = $2`, plan.Cycles[0].ID, unitID).Scan(&id))
		return id
	}

	// Cam Ranh is released from the report.
	require.Equal(t, http.StatusOK, s.call(t, "POST", fmt.Sprintf("/api/v1/reports/%d/waive", reportID(crID)),
		map[string]any{"reason": "Đơn vị sáp nhập"}, nil))
	var waived workflows.UnitReportResult
	require.NoError(t, s.Temporal.GetWorkflow(context.Background(), crWF, "").Get(context.Background(), &waived))
	require.Equal(t, "waived", waived.Status)
	writeHistory(t, "UnitReport_waived.json", s.history(t, crWF))

	// Nha Trang's deadline moves a month on: its new ladder waits.
	require.Equal(t, http.StatusOK, s.call(t, "POST", fmt.Sprintf("/api/v1/reports/%d/deadline", reportID(ntID)),
		map[string]any{"due_on": today.AddDays(30).String()}, nil))
	writeHistory(t, "UnitReport_deadline_moved.json", s.settled(t, ntWF, enumspb.EVENT_TYPE_TIMER_STARTED,
		enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED))

	// The monthly task: started, completed, confirmed; its first run
	// continues as new with the next month's round.
	taskWF := workflows.PlanTaskID(plan.ID, planTaskID(t, db, plan.ID), ntID)
	var unitTask int64
	require.Eventually(t, func() bool {
		return db.QueryRow(`SELECT id FROM unit_tasks WHERE workflow_id = $1`, taskWF).Scan(&unitTask) == nil
	}, time.Minute, 100*time.Millisecond)
	taskPath := fmt.Sprintf("/api/v1/tasks/%d", unitTask)
	nt := s.as(ntOfficer)
	require.Eventually(t, func() bool { return nt.call(t, "POST", taskPath+"/start", nil, nil) == http.StatusOK }, time.Minute, 100*time.Millisecond)
	require.Equal(t, http.StatusOK, nt.call(t, "POST", taskPath+"/complete", map[string]any{"result": "Đã báo cáo"}, nil))
	require.Equal(t, http.StatusOK, s.call(t, "POST", taskPath+"/confirm", nil, nil))
	second := s.settled(t, taskWF, enumspb.EVENT_TYPE_TIMER_STARTED)
	firstRun := second.Events[0].GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId()
	require.NotEmpty(t, firstRun, "the confirmed round continued as new")
	taskHistory := s.runHistory(t, taskWF, firstRun)
	require.Equal(t, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, taskHistory.Events[len(taskHistory.Events)-1].GetEventType())
	writeHistory(t, "TaskWorkflow_recurring_continued.json", taskHistory)
}

// recordImport imports a scanned page: ImportDocument prepares it, reads
// its one page by OCR and saves the draft.
func recordImport(t *testing.T, s *serve, issuer int64) {
	scan, err := os.ReadFile("../importer/testdata/scan-45-KH-TDTN-trang-1.png")
	require.NoError(t, err)
	var job struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusAccepted, s.Upload(t, fmt.Sprintf("/api/v1/plans/import?issuer_unit_id=%d", issuer), nil, "ke-hoach.png", scan, &job))
	var res workflows.ImportDocumentResult
	require.NoError(t, s.Temporal.GetWorkflow(context.Background(), workflows.ImportDocumentID(job.ID), "").Get(context.Background(), &res))
	require.NotZero(t, res.PlanID)
	writeHistory(t, "ImportDocument.json", s.history(t, workflows.ImportDocumentID(job.ID)))
}

// planTaskID is the id of the plan's only task.
func planTaskID(t *testing.T, db *store.DB, planID int64) int64 {
	t.Helper()
	doc, err := store.New(db).LoadPlanDoc(context.Background(), planID)
	require.NoError(t, err)
	require.Len(t, doc.TaskGroups, 1)
	return doc.TaskGroups[0].Tasks[0].ID
}
