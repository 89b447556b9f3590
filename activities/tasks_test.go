package activities_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/activities"
	"cascade/calendar"
	"cascade/store/storetest"
)

func TestTaskActivities_RetriedStepsWriteOnceAndTheLadderMailsTheTask(t *testing.T) {
	db := storetest.Open(t)
	mp, mailer := startMailpit(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db, Mailer: mailer, PublicURL: "https://cascade.example.org"}
	ctx := context.Background()
	key := "plan/task/" + storetest.Unique()
	spec := activities.OpenTaskInput{Key: key, PlanID: f.planID, UnitID: f.district.ID, Kind: "task", Title: "Quán triệt nghị quyết",
		DueOn: f.due.String(), SupportUnitIDs: []int64{f.committee.ID}, WorkflowID: key}
	first, err := a.OpenTask(ctx, spec)
	require.NoError(t, err)
	again, err := a.OpenTask(ctx, spec)
	require.NoError(t, err)
	require.Equal(t, first, again)
	require.Equal(t, "assigned", first.Status)
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM unit_tasks WHERE idempotency_key = $1`, key))
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM unit_task_supporters WHERE unit_task_id = $1`, first.UnitTaskID))
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM unit_tasks WHERE id = $1 AND assigned_by_unit_id IS NULL`, first.UnitTaskID),
		"the fixture's plan has no issuer")

	for i := 0; i < 2; i++ { // a retried activity
		rec, err := a.RecordTaskAction(ctx, activities.RecordTaskActionInput{UnitTaskID: first.UnitTaskID, Key: "update-1", Action: "complete",
			Result: "Đã tổ chức hội nghị"})
		require.NoError(t, err)
		require.Equal(t, "done", rec.Status)
	}
	require.Equal(t, 2, count(t, db, `SELECT count(*) FROM unit_task_events WHERE unit_task_id = $1`, first.UnitTaskID), "assign and complete")
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM audit_log WHERE entity = 'unit_task' AND entity_id = $1`, strconv.FormatInt(first.UnitTaskID, 10)))

	in := activities.NotifyTaskInput{Key: key + "/reminder/T-7", UnitTaskID: first.UnitTaskID, Template: "task_reminder_before_due",
		Audiences: []string{"unit"}, DueOn: f.due.String()}
	for i := 0; i < 2; i++ {
		res, err := a.NotifyTask(ctx, in)
		require.NoError(t, err)
		require.Equal(t, 1, res.Sent)
	}
	msgs := mp.WaitFor(t, f.district.Email, 1, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	require.Len(t, mp.To(t, f.district.Email), 1)
	require.Contains(t, msgs[0].Subject, "Nhắc hoàn thành nhiệm vụ: Quán triệt nghị quyết")
	text := mp.Text(t, msgs[0].ID)
	require.Contains(t, text, "còn 10 ngày")
	require.Contains(t, text, "https://cascade.example.org/tasks/")

	// The plan is cancelled: a step is refused and the task cancelled.
	_, err = db.Exec(`UPDATE plans SET status = 'cancelled' WHERE id = $1`, f.planID)
	require.NoError(t, err)
	_, err = a.RecordTaskAction(ctx, activities.RecordTaskActionInput{UnitTaskID: first.UnitTaskID, Key: "update-2", Action: "confirm"})
	require.True(t, activities.IsPlanClosed(err), "%v", err)
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM unit_tasks WHERE id = $1 AND status = 'cancelled'`, first.UnitTaskID))
	res, err := a.NotifyTask(ctx, in)
	require.NoError(t, err)
	require.True(t, res.PlanClosed)
}

func TestNextDue_PeriodEnds(t *testing.T) {
	d := func(s string) calendar.Date {
		v, err := calendar.ParseDate(s)
		require.NoError(t, err)
		return v
	}
	for _, c := range []struct{ rec, after, want string }{
		{"annual", "2026-06-08", "2026-12-31"},
		{"annual", "2026-12-31", "2027-12-31"},
		{"semiannual", "2026-06-08", "2026-06-30"},
		{"semiannual", "2026-06-30", "2026-12-31"},
		{"quarterly", "2026-11-02", "2026-12-31"},
		{"monthly", "2026-02-10", "2026-02-28"},
	} {
		got, ok := activities.NextDue(c.rec, d(c.after))
		require.True(t, ok)
		require.Equal(t, c.want, got.String(), "%s after %s", c.rec, c.after)
	}
	_, ok := activities.NextDue("ongoing", d("2026-01-01"))
	require.False(t, ok)
	first, ok := activities.FirstDue("term_end", d("2026-06-08"), 2026, 2030)
	require.True(t, ok)
	require.Equal(t, "2030-12-31", first.String())
}

func TestClosePlanTasks_CancelsWhatIsOpenOfAClosedPlanOnceAndLeavesItsReports(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db}
	ctx := context.Background()
	report := f.open(t, a)
	open := func(kind, key string) int64 {
		t.Helper()
		o, err := a.OpenTask(ctx, activities.OpenTaskInput{Key: key, PlanID: f.planID, UnitID: f.district.ID, Kind: kind,
			Title: "Việc " + key, DueOn: f.due.String(), WorkflowID: key})
		require.NoError(t, err)
		return o.UnitTaskID
	}
	u := storetest.Unique()
	assigned, unitPlan, done, confirmed := open("task", "a-"+u), open("unit_plan", "p-"+u), open("task", "d-"+u), open("task", "c-"+u)
	for i, step := range []struct {
		id     int64
		action string
	}{{done, "complete"}, {confirmed, "complete"}, {confirmed, "confirm"}} {
		_, err := a.RecordTaskAction(ctx, activities.RecordTaskActionInput{UnitTaskID: step.id, Key: strconv.Itoa(i), Action: step.action, Result: "Xong"})
		require.NoError(t, err)
	}
	status := func(id int64) string {
		t.Helper()
		var s string
		require.NoError(t, db.QueryRow(`SELECT status FROM unit_tasks WHERE id = $1`, id).Scan(&s))
		return s
	}

	// Still issued: nothing changes.
	require.NoError(t, a.ClosePlanTasks(ctx, f.planID))
	require.Equal(t, "assigned", status(assigned))

	require.NoError(t, a.ClosePlan(ctx, f.planID))
	for i := 0; i < 2; i++ { // a retried activity
		require.NoError(t, a.ClosePlanTasks(ctx, f.planID))
	}
	require.Equal(t, "cancelled", status(assigned))
	require.Equal(t, "cancelled", status(unitPlan))
	require.Equal(t, "cancelled", status(done))
	require.Equal(t, "confirmed", status(confirmed))
	require.Equal(t, "assigned", status(report.UnitTaskID), "a report keeps its state")
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM reports WHERE id = $1 AND status = 'pending'`, report.ReportID))
	require.Equal(t, 3, count(t, db, `SELECT count(*) FROM unit_task_events e JOIN unit_tasks t ON t.id = e.unit_task_id
WHERE t.plan_id = $1 AND e.action = 'cancel' AND e.key = 'plan-closed' AND e.comment = 'Kế hoạch đã kết thúc nhiệm kỳ'`, f.planID),
		"one step in each cancelled task's history")

	// The task's workflow finding its plan closed records nothing more.
	require.NoError(t, a.CancelTask(ctx, assigned))
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM unit_task_events WHERE unit_task_id = $1 AND action = 'cancel'`, assigned))
}

func TestNotifyTask_AssignmentShowsTheTaskOnceWithItsGroupAndOutput(t *testing.T) {
	db := storetest.Open(t)
	mp, mailer := startMailpit(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db, Mailer: mailer, PublicURL: "https://cascade.example.org"}
	ctx := context.Background()
	key := "plan/task/" + storetest.Unique()
	text := "Tổ chức quán triệt Nghị quyết đến cán bộ, hội viên"
	opened, err := a.OpenTask(ctx, activities.OpenTaskInput{Key: key, PlanID: f.planID, UnitID: f.district.ID, Kind: "task", Title: text,
		Description: "1. Công tác tuyên truyền\n" + text + "\nBáo cáo kết quả quán triệt", DueOn: f.due.String(), WorkflowID: key})
	require.NoError(t, err)
	_, err = a.NotifyTask(ctx, activities.NotifyTaskInput{Key: key + "/assigned", UnitTaskID: opened.UnitTaskID, Template: "task_assigned",
		Audiences: []string{"unit"}, DueOn: f.due.String()})
	require.NoError(t, err)
	msgs := mp.WaitFor(t, f.district.Email, 1, 10*time.Second)
	body := mp.Text(t, msgs[0].ID)
	require.Equal(t, 1, strings.Count(body, text), body)
	require.Contains(t, body, "1. Công tác tuyên truyền")
	require.Contains(t, body, "Báo cáo kết quả quán triệt")
}
