package activities_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"cascade/activities"
	"cascade/calendar"
	"cascade/mail"
	"cascade/mail/mailtest"
	"cascade/reports"
	"cascade/store"
	"cascade/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// fixture is a plan with one district under a province with a standing
// committee, and the district's report for the plan's first cycle.
type fixture struct {
	province, committee, district store.Unit
	planID, cycleID, targetID     int64
	due                           store.Date
}

func newFixture(t *testing.T, db *store.DB) fixture {
	t.Helper()
	ctx := context.Background()
	u := storetest.Unique()
	var f fixture
	err := db.WithTx(ctx, func(s *store.Store) error {
		var err error
		if f.province, err = s.CreateUnit(ctx, store.Unit{Kind: "province", Code: "P-" + u, Name: "Hội LHPN tỉnh"}); err != nil {
			return err
		}
		if f.committee, err = s.CreateUnit(ctx, store.Unit{ParentID: &f.province.ID, Kind: "standing_committee", Code: "BTV-" + u,
			Name: "Ban Thường vụ", Email: "btv-" + u + "@example.org"}); err != nil {
			return err
		}
		if f.district, err = s.CreateUnit(ctx, store.Unit{ParentID: &f.province.ID, Kind: "district", Code: "D-" + u,
			Name: "Hội LHPN huyện Khánh Sơn", Email: "khanhson-" + u + "@example.org"}); err != nil {
			return err
		}
		v := 2700.0
		f.due = store.DateOf(time.Now().In(calendar.Vietnam).AddDate(0, 0, 10))
		if f.planID, err = s.CreatePlan(ctx, store.NewPlan{
			Plan:    store.Plan{Code: "9/KH-" + u, Title: "Kế hoạch", TermStartYear: 2026, TermEndYear: 2030},
			UnitIDs: []int64{f.district.ID},
			Targets: []store.Target{{Text: "Hộ thoát nghèo", Value: &v, Unit: "hộ", Direction: "at_least", Measure: "count"}},
			Cycles:  []store.ReportCycle{{Kind: "annual", Year: 2026, DueOn: f.due}},
		}); err != nil {
			return err
		}
		if err := s.MarkPlanIssued(ctx, f.planID, nil, store.DateOf(time.Now().In(calendar.Vietnam))); err != nil {
			return err
		}
		cs, err := s.ReportCycles(ctx, f.planID)
		if err != nil {
			return err
		}
		f.cycleID = cs[0].ID
		ts, err := s.Targets(ctx, f.planID)
		f.targetID = ts[0].ID
		return err
	})
	require.NoError(t, err)
	return f
}

func (f fixture) open(t *testing.T, a *activities.Activities) *activities.OpenedReport {
	t.Helper()
	r, err := a.OpenUnitReport(context.Background(), activities.OpenUnitReportInput{
		PlanID: f.planID, CycleID: f.cycleID, UnitID: f.district.ID, DueOn: f.due.String(), Title: "Báo cáo năm 2026",
	})
	require.NoError(t, err)
	return r
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRow(q, args...).Scan(&n))
	return n
}

func TestOpenUnitReport_CalledAgainWritesNothingNew(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db}
	first, second := f.open(t, a), f.open(t, a)
	require.Equal(t, first, second)
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM reports WHERE unit_id = $1`, f.district.ID))
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM unit_tasks WHERE unit_id = $1`, f.district.ID))
}

func TestNotify_RetriedStepMailsEachRecipientOnce(t *testing.T) {
	db := storetest.Open(t)
	mp, mailer := startMailpit(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db, Mailer: mailer, PublicURL: "https://cascade.example.org"}
	r := f.open(t, a)
	in := activities.NotifyInput{Key: "test/" + storetest.Unique() + "/reminder/T-7", PlanID: f.planID, UnitID: f.district.ID, ReportID: r.ReportID,
		Template: "reminder_before_due", Audiences: []string{"unit"}, DueOn: f.due.String()}
	for i := 0; i < 3; i++ {
		res, err := a.Notify(context.Background(), in)
		require.NoError(t, err)
		require.Equal(t, 1, res.Sent)
	}
	msgs := mp.WaitFor(t, f.district.Email, 1, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	require.Len(t, mp.To(t, f.district.Email), 1)
	require.Contains(t, msgs[0].Subject, "Nhắc nộp Báo cáo năm 2026")
	require.Contains(t, msgs[0].Subject, f.due.Format("02/01/2006"))
	text := mp.Text(t, msgs[0].ID)
	require.Contains(t, text, "Hội LHPN huyện Khánh Sơn")
	require.Contains(t, text, "còn 10 ngày")
	require.Contains(t, text, "https://cascade.example.org/reports/")
}

func TestNotify_EscalationReachesTheStandingCommittee(t *testing.T) {
	db := storetest.Open(t)
	mp, mailer := startMailpit(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db, Mailer: mailer, PublicURL: "http://localhost:8080",
		Now: func() time.Time { return f.due.AddDate(0, 0, 7).Add(9 * time.Hour) }}
	r := f.open(t, a)
	_, err := a.Notify(context.Background(), activities.NotifyInput{Key: "test/" + storetest.Unique() + "/escalation/T+7",
		PlanID: f.planID, UnitID: f.district.ID, ReportID: r.ReportID, Template: "escalation_standing_committee",
		Audiences: []string{"supervising_board", "standing_committee"}, DueOn: f.due.String()})
	require.NoError(t, err)
	msgs := mp.WaitFor(t, f.committee.Email, 1, 10*time.Second)
	require.Contains(t, msgs[0].Subject, "quá hạn 7 ngày")
	require.Empty(t, mp.To(t, f.district.Email))
}

func TestNotify_WithoutSMTPMailStaysQueuedInTheOutbox(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db}
	r := f.open(t, a)
	key := "test/" + storetest.Unique() + "/reminder/T+0"
	res, err := a.Notify(context.Background(), activities.NotifyInput{Key: key, PlanID: f.planID, UnitID: f.district.ID,
		ReportID: r.ReportID, Template: "reminder_due_today", Audiences: []string{"unit"}, DueOn: f.due.String()})
	require.NoError(t, err)
	require.Equal(t, 1, res.Queued)
	require.Equal(t, 0, res.Sent)
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM notifications WHERE idempotency_key LIKE $1 AND status = 'queued'`, key+"%"))
}

func TestNotify_FailedSendIsShownThenSentOnRetry(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	down, err := mail.New("smtp://127.0.0.1:1?tls=none", "cascade@example.org")
	require.NoError(t, err)
	a := &activities.Activities{DB: db, Mailer: down}
	r := f.open(t, a)
	in := activities.NotifyInput{Key: "test/" + storetest.Unique() + "/reminder/T+0", PlanID: f.planID, UnitID: f.district.ID,
		ReportID: r.ReportID, Template: "reminder_due_today", Audiences: []string{"unit"}, DueOn: f.due.String()}
	_, err = a.Notify(context.Background(), in)
	require.Error(t, err)
	var lastErr string
	require.NoError(t, db.QueryRow(`SELECT last_error FROM notifications WHERE idempotency_key LIKE $1 AND status = 'failed'`, in.Key+"%").Scan(&lastErr))
	require.NotEmpty(t, lastErr)

	mp, up := startMailpit(t)
	a.Mailer = up
	_, err = a.Notify(context.Background(), in)
	require.NoError(t, err)
	mp.WaitFor(t, f.district.Email, 1, 10*time.Second)
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM notifications WHERE idempotency_key LIKE $1 AND status = 'sent' AND attempts = 2`, in.Key+"%"))
}

func TestRecordSubmission_RefusesATargetOfAnotherPlanAndWritesNothing(t *testing.T) {
	db := storetest.Open(t)
	f, other := newFixture(t, db), newFixture(t, db)
	a := &activities.Activities{DB: db}
	r := f.open(t, a)
	v := 3.0
	_, err := a.RecordSubmission(context.Background(), activities.RecordSubmissionInput{
		PlanID: f.planID, ReportID: r.ReportID, UnitID: f.district.ID,
		Values: []reports.Value{{TargetID: f.targetID, Value: &v}, {TargetID: other.targetID, Value: &v}},
	})
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "%v", err)
	require.True(t, appErr.NonRetryable())
	require.Equal(t, "InvalidReport", appErr.Type())
	require.Equal(t, 0, count(t, db, `SELECT count(*) FROM report_values WHERE report_id = $1`, r.ReportID))
	var status string
	require.NoError(t, db.QueryRow(`SELECT status FROM reports WHERE id = $1`, r.ReportID).Scan(&status))
	require.Equal(t, "pending", status)

	res, err := a.RecordSubmission(context.Background(), activities.RecordSubmissionInput{
		PlanID: f.planID, ReportID: r.ReportID, UnitID: f.district.ID, Values: []reports.Value{{TargetID: f.targetID, Value: &v}},
	})
	require.NoError(t, err)
	require.Equal(t, "submitted", res.Status)
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM unit_tasks WHERE report_id = $1 AND status = 'done'`, r.ReportID))
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM audit_log WHERE entity = 'report' AND entity_id = $1::text`, r.ReportID))
}

func TestNotify_ACancelledPlanChasesNoOne(t *testing.T) {
	db := storetest.Open(t)
	mp, mailer := startMailpit(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db, Mailer: mailer}
	r := f.open(t, a)
	require.NoError(t, store.New(db).MarkPlanCancelled(context.Background(), f.planID))
	res, err := a.Notify(context.Background(), activities.NotifyInput{Key: "test/" + storetest.Unique() + "/reminder/T+0", PlanID: f.planID,
		UnitID: f.district.ID, ReportID: r.ReportID, Template: "reminder_due_today", Audiences: []string{"unit"}, DueOn: f.due.String()})
	require.NoError(t, err)
	require.Zero(t, res.Queued)
	reminded, err := a.RemindPending(context.Background(), activities.RemindPendingInput{PlanID: f.planID, Key: storetest.Unique()})
	require.NoError(t, err)
	require.Zero(t, reminded.Notifications)
	time.Sleep(200 * time.Millisecond)
	require.Empty(t, mp.To(t, f.district.Email))
}

func TestNotify_PausedEscalationsSkipTheLadderButNotALeadersReminder(t *testing.T) {
	db := storetest.Open(t)
	mp, mailer := startMailpit(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db, Mailer: mailer}
	r := f.open(t, a)
	require.NoError(t, store.New(db).SetEscalationsPaused(context.Background(), f.planID, true))
	step := activities.NotifyInput{Key: "test/" + storetest.Unique() + "/reminder/T+0", PlanID: f.planID, UnitID: f.district.ID,
		ReportID: r.ReportID, Template: "reminder_due_today", Audiences: []string{"unit"}, DueOn: f.due.String()}
	res, err := a.Notify(context.Background(), step)
	require.NoError(t, err)
	require.True(t, res.Skipped)
	reminded, err := a.RemindPending(context.Background(), activities.RemindPendingInput{PlanID: f.planID, Key: storetest.Unique()})
	require.NoError(t, err)
	require.Equal(t, 1, reminded.Notifications, "a leader's own reminder goes out while the ladder is paused")
	mp.WaitFor(t, f.district.Email, 1, 10*time.Second)

	require.NoError(t, store.New(db).SetEscalationsPaused(context.Background(), f.planID, false))
	step.Key = "test/" + storetest.Unique() + "/escalation/T+3"
	res, err = a.Notify(context.Background(), step)
	require.NoError(t, err)
	require.False(t, res.Skipped)
	require.Equal(t, 1, res.Sent)
}

// startMailpit starts a real SMTP server and a Mailer sending to it.
func startMailpit(t *testing.T) (*mailtest.Mailpit, *mail.Mailer) {
	t.Helper()
	mp := mailtest.Start(t)
	mailer, err := mail.New(mp.SMTPURL, "Cascade <cascade@example.org>")
	require.NoError(t, err)
	return mp, mailer
}

func TestNotify_SupervisingBoardEscalationReachesTheBoardThatFollowsTheUnit(t *testing.T) {
	db := storetest.Open(t)
	mp, mailer := startMailpit(t)
	f := newFixture(t, db)
	ctx := context.Background()
	s := store.New(db)
	u := storetest.Unique()
	board, err := s.CreateUnit(ctx, store.Unit{ParentID: &f.province.ID, Kind: "board", Code: "BKT-" + u, Name: "Ban Kinh tế",
		Email: "bkt-" + u + "@example.org"})
	require.NoError(t, err)
	head, err := s.CreateUser(ctx, store.User{Email: "truongban-" + u + "@example.org", Name: "Trưởng ban Kinh tế", Active: true})
	require.NoError(t, err)
	require.NoError(t, s.AddMembership(ctx, head.ID, board.ID, "leader"))
	_, err = s.SetUnitSupervisor(ctx, f.district.ID, &board.ID)
	require.NoError(t, err)

	a := &activities.Activities{DB: db, Mailer: mailer, PublicURL: "http://localhost:8080",
		Now: func() time.Time { return f.due.AddDate(0, 0, 7).Add(9 * time.Hour) }}
	r := f.open(t, a)
	in := activities.NotifyInput{Key: "test/" + storetest.Unique() + "/escalation/T+7",
		PlanID: f.planID, UnitID: f.district.ID, ReportID: r.ReportID, Template: "escalation_standing_committee",
		Audiences: []string{"supervising_board"}, DueOn: f.due.String()}
	for i := 0; i < 2; i++ { // a retried step
		_, err = a.Notify(ctx, in)
		require.NoError(t, err)
	}
	mp.WaitFor(t, board.Email, 1, 10*time.Second)
	mp.WaitFor(t, head.Email, 1, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	require.Len(t, mp.To(t, board.Email), 1)
	require.Len(t, mp.To(t, head.Email), 1)
	require.Empty(t, mp.To(t, f.committee.Email), "the board follows the unit: the committee is not its supervising board")
}
