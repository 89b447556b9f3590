package app_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"cascade/activities"
	"cascade/app/apptest"
	"cascade/calendar"
	"cascade/plans"
	"cascade/store"
	"cascade/store/storetest"
	"cascade/workflows"
)

type taskDetail struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	Status     string `json:"status"`
	DueOn      string `json:"due_on"`
	Result     string `json:"result"`
	AssignedBy *struct {
		ID int64 `json:"id"`
	} `json:"assigned_by"`
	SupportingUnits []struct {
		ID int64 `json:"id"`
	} `json:"supporting_units"`
	Contributions []struct {
		Text string `json:"text"`
		Unit struct {
			ID int64 `json:"id"`
		} `json:"unit"`
	} `json:"contributions"`
	History []struct {
		Action string `json:"action"`
	} `json:"history"`
	CanAct        bool `json:"can_act"`
	CanConfirm    bool `json:"can_confirm"`
	CanContribute bool `json:"can_contribute"`
}

type inboxResp struct {
	Tasks []struct {
		ID         int64  `json:"id"`
		Kind       string `json:"kind"`
		Role       string `json:"role"`
		Status     string `json:"status"`
		DueOn      string `json:"due_on"`
		DaysLeft   *int   `json:"days_left"`
		AssignedBy *struct {
			ID int64 `json:"id"`
		} `json:"assigned_by"`
	} `json:"tasks"`
}

// TestAdHocTask_AssignedStartedContributedCompletedReturnedAndConfirmed
// runs an ad-hoc task through a real cascade serve: the province's leader
// assigns it to Nha Trang with Cam Ranh supporting; Nha Trang starts and
// completes it, Cam Ranh contributes, the leader returns it once and then
// confirms it, and Nha Trang receives each of its three emails once.
func TestAdHocTask_AssignedStartedContributedCompletedReturnedAndConfirmed(t *testing.T) {
	srv := apptest.Serve(t)
	suffix := storetest.Unique()
	db := storetest.Open(t)
	root := storetest.Root(t, db)
	_, adminToken := storetest.SignedIn(t, db, root.ID, "admin")
	admin := srv.As(adminToken)
	mk := func(code, name string) unitResp {
		var u unitResp
		require.Equal(t, http.StatusCreated, admin.Call(t, "POST", "/api/v1/units", map[string]any{
			"kind": "district", "code": code + "-" + suffix, "name": name, "parent_id": root.ID,
			"email": code + "-" + suffix + "@example.org"}, &u))
		return u
	}
	nhaTrang, camRanh, vanNinh := mk("NT", "Hội LHPN thành phố Nha Trang"), mk("CR", "Hội LHPN thành phố Cam Ranh"), mk("VN", "Hội LHPN huyện Vạn Ninh")
	_, leaderToken := storetest.SignedIn(t, db, root.ID, "leader")
	_, ntOfficer := storetest.SignedIn(t, db, nhaTrang.ID, "officer")
	_, crOfficer := storetest.SignedIn(t, db, camRanh.ID, "officer")
	_, vnOfficer := storetest.SignedIn(t, db, vanNinh.ID, "officer")
	leader, nt, cr, vn := srv.As(leaderToken), srv.As(ntOfficer), srv.As(crOfficer), srv.As(vnOfficer)

	due := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)
	var task taskDetail
	require.Equal(t, http.StatusCreated, leader.Call(t, "POST", "/api/v1/tasks", map[string]any{
		"unit_id": nhaTrang.ID, "title": "Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVIII",
		"description": "Tổ chức hội nghị quán triệt đến cán bộ chủ chốt", "due_on": due,
		"supporting_unit_ids": []int64{camRanh.ID}}, &task))
	require.Equal(t, "task", task.Kind)
	require.Equal(t, "assigned", task.Status)
	require.Equal(t, root.ID, task.AssignedBy.ID)
	require.Len(t, task.SupportingUnits, 1)
	path := fmt.Sprintf("/api/v1/tasks/%d", task.ID)

	// The unit's inbox holds it as its own, the supporting unit's as
	// supported; a sibling district does not even see it.
	var inbox inboxResp
	require.Equal(t, http.StatusOK, nt.Call(t, "GET", fmt.Sprintf("/api/v1/units/%d/tasks", nhaTrang.ID), nil, &inbox))
	require.Len(t, inbox.Tasks, 1)
	require.Equal(t, "owner", inbox.Tasks[0].Role)
	require.Equal(t, root.ID, inbox.Tasks[0].AssignedBy.ID)
	require.NotNil(t, inbox.Tasks[0].DaysLeft)
	require.InDelta(t, 20, *inbox.Tasks[0].DaysLeft, 1)
	inbox = inboxResp{}
	require.Equal(t, http.StatusOK, cr.Call(t, "GET", fmt.Sprintf("/api/v1/units/%d/tasks", camRanh.ID), nil, &inbox))
	require.Len(t, inbox.Tasks, 1)
	require.Equal(t, "supporting", inbox.Tasks[0].Role)
	require.Equal(t, http.StatusNotFound, vn.Call(t, "GET", path, nil, nil))
	require.Equal(t, http.StatusNotFound, vn.Call(t, "POST", path+"/start", nil, nil))

	// Nha Trang starts it (the workflow answers once it has opened the task).
	require.Eventually(t, func() bool { return nt.Call(t, "POST", path+"/start", nil, &task) == http.StatusOK }, time.Minute, 200*time.Millisecond)
	require.Equal(t, "in_progress", task.Status)
	require.Equal(t, http.StatusConflict, nt.Call(t, "POST", path+"/start", nil, nil), "started already")
	require.Equal(t, http.StatusConflict, leader.Call(t, "POST", path+"/confirm", nil, nil), "not done yet")
	require.Equal(t, http.StatusForbidden, nt.Call(t, "POST", path+"/contributions", map[string]any{"text": "tự phối hợp"}, nil),
		"the task's own unit is not a supporting unit")

	require.Equal(t, http.StatusOK, cr.Call(t, "POST", path+"/contributions", map[string]any{"text": "Cam Ranh cử 02 báo cáo viên"}, &task))
	require.Len(t, task.Contributions, 1)
	require.Equal(t, camRanh.ID, task.Contributions[0].Unit.ID)

	var bad errResp
	require.Equal(t, http.StatusUnprocessableEntity, nt.Call(t, "POST", path+"/complete", map[string]any{"result": " "}, &bad))
	require.Contains(t, bad.Error.Fields, "result")
	require.Equal(t, http.StatusUnprocessableEntity, nt.Call(t, "POST", path+"/complete", map[string]any{"result": "x", "attachment_ids": []int64{999999}}, &bad))
	require.Contains(t, bad.Error.Fields, "attachment_ids[0]")
	require.Equal(t, http.StatusOK, nt.Call(t, "POST", path+"/complete", map[string]any{"result": "Đã tổ chức 2 hội nghị, 120 cán bộ tham dự"}, &task))
	require.Equal(t, "done", task.Status)
	require.False(t, task.CanAct)

	// An officer of the assigning side cannot confirm; its leader returns it.
	_, provinceOfficer := storetest.SignedIn(t, db, root.ID, "officer")
	require.Equal(t, http.StatusForbidden, srv.As(provinceOfficer).Call(t, "POST", path+"/confirm", nil, nil))
	newDue := time.Now().AddDate(0, 0, 10).Format(time.DateOnly)
	require.Equal(t, http.StatusOK, leader.Call(t, "GET", path, nil, &task))
	require.True(t, task.CanConfirm)
	require.Equal(t, http.StatusOK, leader.Call(t, "POST", path+"/return", map[string]any{"comment": "Bổ sung danh sách đại biểu", "due_on": newDue}, &task))
	require.Equal(t, "in_progress", task.Status)
	wantDue, err := calendar.ParseDate(newDue)
	require.NoError(t, err)
	require.Equal(t, calendar.Default().Adjust(wantDue).String(), task.DueOn, "a day off moves to the next working day")
	require.Equal(t, http.StatusOK, nt.Call(t, "POST", path+"/complete", map[string]any{"result": "Đã bổ sung danh sách"}, &task))
	require.Equal(t, http.StatusOK, leader.Call(t, "POST", path+"/confirm", map[string]any{"comment": "Hoàn thành tốt"}, &task))
	require.Equal(t, "confirmed", task.Status)
	var actions []string
	for _, h := range task.History {
		actions = append(actions, h.Action)
	}
	require.Equal(t, []string{"assign", "start", "complete", "return", "complete", "confirm"}, actions)

	var res workflows.TaskWorkflowResult
	require.NoError(t, srv.Temporal.GetWorkflow(context.Background(), workflows.AdHocTaskID(task.ID), "").Get(context.Background(), &res))
	require.Equal(t, "confirmed", res.Status)

	// Nha Trang got its assignment, the return and the confirmation, each
	// once; the supporting unit and the sibling got nothing.
	msgs := srv.Mail.WaitFor(t, nhaTrang.Email, 3, time.Minute)
	time.Sleep(time.Second)
	msgs = srv.Mail.To(t, nhaTrang.Email)
	var subjects []string
	for _, m := range msgs {
		subjects = append(subjects, m.Subject)
	}
	sort.Strings(subjects)
	require.Len(t, subjects, 3, "%q", subjects)
	require.Contains(t, subjects[0], "Nhiệm vụ mới: Quán triệt Nghị quyết")
	require.Contains(t, subjects[1], "Nhiệm vụ đã được xác nhận hoàn thành")
	require.Contains(t, subjects[2], "Nhiệm vụ được trả lại")
	for _, m := range msgs {
		if m.Subject == subjects[2] {
			require.Contains(t, srv.Mail.Text(t, m.ID), "Bổ sung danh sách đại biểu")
		}
	}
	require.Empty(t, srv.Mail.To(t, camRanh.Email))
	require.Empty(t, srv.Mail.To(t, vanNinh.Email))
}

// TestPlanTasks_DispatchedWhenIssuedUnitPlanDoneByTheChildPlanAndCancelled
// issues a plan with a task led by Nha Trang and the districts' duty to
// build their own plan: the plan's workflow gives Nha Trang both in its
// inbox; Nha Trang issuing its own plan completes its unit_plan task, which
// the province confirms; cancelling the plan cancels the open task.
func TestPlanTasks_DispatchedWhenIssuedUnitPlanDoneByTheChildPlanAndCancelled(t *testing.T) {
	srv := apptest.Serve(t)
	suffix := storetest.Unique()
	db := storetest.Open(t)
	root := storetest.Root(t, db)
	_, adminToken := storetest.SignedIn(t, db, root.ID, "admin")
	admin := srv.As(adminToken)
	var nhaTrang, commune unitResp
	require.Equal(t, http.StatusCreated, admin.Call(t, "POST", "/api/v1/units", map[string]any{
		"kind": "district", "code": "NT-" + suffix, "name": "Hội LHPN thành phố Nha Trang", "parent_id": root.ID,
		"email": "nt-" + suffix + "@example.org"}, &nhaTrang))
	require.Equal(t, http.StatusCreated, admin.Call(t, "POST", "/api/v1/units", map[string]any{
		"kind": "commune", "code": "VH-" + suffix, "name": "Hội LHPN phường Vĩnh Hải", "parent_id": nhaTrang.ID}, &commune))

	year := time.Now().Year()
	var plan struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusCreated, admin.Call(t, "POST", "/api/v1/plans", map[string]any{
		"code": "9/KH-" + suffix, "title": "Kế hoạch thực hiện Nghị quyết", "term_start_year": year, "term_end_year": year + 2,
		"issuer_unit_id": root.ID, "unit_ids": []int64{nhaTrang.ID},
		"cycles": []map[string]any{{"kind": "annual", "year": year + 1, "due_on": fmt.Sprintf("%d-11-15", year+1)}},
	}, &plan))
	taskDue := calendar.InVietnam(time.Now()).AddDays(45)
	require.NoError(t, db.WithTx(context.Background(), func(st *store.Store) error {
		doc, err := st.LoadPlanDoc(context.Background(), plan.ID)
		if err != nil {
			return err
		}
		doc.TaskGroups = []plans.TaskGroup{{Heading: "Công tác tuyên truyền", Tasks: []plans.Task{{
			Text: "Quán triệt nghị quyết đến cán bộ, hội viên", DueOn: &taskDue, LeadUnitIDs: []int64{nhaTrang.ID}}}}}
		doc.Responsibilities = []plans.Responsibility{{Text: "Xây dựng Kế hoạch triển khai thực hiện", UnitKind: "district", Action: "build_plan"}}
		// The document was signed years before the plan is issued here (as
		// the demo's 321/KH-BTV of 2021): the unit's own plan is due a month
		// after it reaches the unit, not a month after the signature.
		signed := calendar.NewDate(2021, time.June, 8)
		doc.IssuedOn = &signed
		return st.SavePlanContent(context.Background(), doc)
	}))
	require.Equal(t, http.StatusOK, admin.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil))

	inboxOf := func(c *apptest.Cascade, n int) inboxResp {
		var in inboxResp
		require.Eventually(t, func() bool {
			in = inboxResp{}
			c.Call(t, "GET", fmt.Sprintf("/api/v1/units/%d/tasks", nhaTrang.ID), nil, &in)
			return len(in.Tasks) == n
		}, time.Minute, 200*time.Millisecond)
		return in
	}
	in := inboxOf(admin, 2)
	byKind := map[string]int64{}
	for _, it := range in.Tasks {
		require.Equal(t, "owner", it.Role)
		require.Equal(t, root.ID, it.AssignedBy.ID)
		byKind[it.Kind] = it.ID
	}
	require.Contains(t, byKind, "task")
	require.Contains(t, byKind, "unit_plan")
	for _, it := range in.Tasks {
		if it.Kind == "unit_plan" {
			require.Equal(t, calendar.Default().Adjust(calendar.InVietnam(time.Now()).AddDays(activities.UnitPlanDays)).String(), it.DueOn)
		}
	}
	srv.Mail.WaitFor(t, nhaTrang.Email, 2, time.Minute) // both assignments
	time.Sleep(time.Second)
	for _, m := range srv.Mail.To(t, nhaTrang.Email) {
		require.Contains(t, m.Subject, "Nhiệm vụ mới", "a task that has just reached the unit is not overdue")
	}

	// Nha Trang drafts and issues its own plan: its unit_plan task is done.
	_, ntLeader := storetest.SignedIn(t, db, nhaTrang.ID, "leader")
	nt := srv.As(ntLeader)
	var child struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusCreated, nt.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/cascade", plan.ID), map[string]any{"unit_id": nhaTrang.ID}, &child))
	require.NoError(t, db.WithTx(context.Background(), func(st *store.Store) error {
		doc, err := st.LoadPlanDoc(context.Background(), child.ID)
		if err != nil {
			return err
		}
		doc.UnitIDs = []int64{commune.ID}
		return st.SavePlanContent(context.Background(), doc)
	}))
	unitPlan := fmt.Sprintf("/api/v1/tasks/%d", byKind["unit_plan"])
	require.Eventually(t, func() bool { // the task's workflow must be open first
		var task taskDetail
		nt.Call(t, "GET", unitPlan, nil, &task)
		return len(task.History) == 1
	}, time.Minute, 200*time.Millisecond)
	require.Equal(t, http.StatusOK, nt.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", child.ID), nil, nil))
	var task taskDetail
	require.Equal(t, http.StatusOK, admin.Call(t, "GET", unitPlan, nil, &task))
	require.Equal(t, "done", task.Status)
	require.Contains(t, task.Result, "Đã ban hành kế hoạch")
	require.True(t, task.CanConfirm)
	require.Equal(t, http.StatusOK, admin.Call(t, "POST", unitPlan+"/confirm", nil, &task))
	require.Equal(t, "confirmed", task.Status)

	// Cancelling the plan cancels its open task and ends its workflow.
	require.Equal(t, http.StatusOK, admin.Call(t, "POST", fmt.Sprintf("/api/v1/plans/%d/cancel", plan.ID), map[string]any{"reason": "thay thế"}, nil))
	taskPath := fmt.Sprintf("/api/v1/tasks/%d", byKind["task"])
	require.Equal(t, http.StatusOK, nt.Call(t, "GET", taskPath, nil, &task))
	require.Equal(t, "cancelled", task.Status)
	require.False(t, task.CanAct)
	var closed errResp
	require.Equal(t, http.StatusConflict, nt.Call(t, "POST", taskPath+"/start", nil, &closed))
	require.Equal(t, "closed", closed.Error.Code)
	wf := workflows.PlanTaskID(plan.ID, planTask(t, db, plan.ID), nhaTrang.ID)
	require.Eventually(t, func() bool {
		d, err := srv.Temporal.DescribeWorkflowExecution(context.Background(), wf, "")
		require.NoError(t, err)
		return d.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED
	}, 30*time.Second, 100*time.Millisecond)
}

func planTask(t *testing.T, db *store.DB, planID int64) int64 {
	t.Helper()
	doc, err := store.New(db).LoadPlanDoc(context.Background(), planID)
	require.NoError(t, err)
	return doc.TaskGroups[0].Tasks[0].ID
}
